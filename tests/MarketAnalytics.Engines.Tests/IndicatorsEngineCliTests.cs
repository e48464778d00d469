using System.Globalization;
using MarketAnalytics.Cli;
using MarketAnalytics.Testing;
using Xunit;

namespace MarketAnalytics.Engines.Tests;

/// <summary><c>marketanalytics indicators --engine duckdb</c> writes the in-process CSV, with empty cells before a recursive indicator's horizon.</summary>
public sealed class IndicatorsEngineCliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Compares the CSVs cell by cell (1e-9 relative, floor 1). VAR, STDDEV and the BBANDS bands are compared as variances
    /// against the squared price scale: the in-process kernel computes TA-Lib's E[x²] − E[x]², whose cancellation error is
    /// relative to E[x²] (SQL's var_pop is exact); see CrossEngineTests.
    /// </summary>
    private static void AssertSameCsv(string inProcess, string duckdb, int minimumCompared, double price)
    {
        var a = inProcess.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var b = duckdb.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(a.Length, b.Length);
        Assert.Equal(a[0], b[0]);
        var header = a[0].Split(',');
        var firstValue = new int[header.Length];
        Array.Fill(firstValue, -1);
        var compared = 0;
        for (var row = 1; row < a.Length; row++)
        {
            var x = a[row].Split(',');
            var y = b[row].Split(',');
            Assert.Equal(x[0], y[0]);
            for (var c = 1; c < x.Length; c++)
            {
                if (y[c].Length == 0)
                {
                    // Empty only before the column's horizon: once SQL has a value it keeps having one (ADX excepted after flat stretches).
                    Assert.True(firstValue[c] < 0 || header[c].StartsWith("adx", StringComparison.Ordinal), $"{header[c]} row {row}: empty after the horizon {firstValue[c]}");
                    continue;
                }
                if (firstValue[c] < 0) firstValue[c] = row;
                Assert.True(x[c].Length > 0, $"{header[c]} row {row}: duckdb {y[c]} where in-process is empty");
                var u = double.Parse(x[c], CultureInfo.InvariantCulture);
                var v = double.Parse(y[c], CultureInfo.InvariantCulture);
                var name = header[c];
                if (name.StartsWith("var", StringComparison.Ordinal))
                {
                    Assert.True(Math.Abs(u - v) <= 1e-9 * price * price, $"{name} row {row}: {u:R} vs {v:R}");
                }
                else if (name.StartsWith("stddev", StringComparison.Ordinal) || (name.StartsWith("bbands", StringComparison.Ordinal) && !name.EndsWith("_middle", StringComparison.Ordinal)))
                {
                    var middle = name.StartsWith("bbands", StringComparison.Ordinal) ? Array.IndexOf(header, name[..name.LastIndexOf('_')] + "_middle") : -1;
                    var mu = middle < 0 ? 0 : double.Parse(x[middle], CultureInfo.InvariantCulture);
                    var mv = middle < 0 ? 0 : double.Parse(y[middle], CultureInfo.InvariantCulture);
                    Assert.True(Math.Abs((u - mu) * (u - mu) - (v - mv) * (v - mv)) <= 1e-9 * price * price * 4, $"{name} row {row}: {u:R} vs {v:R} (variance domain)");
                }
                else
                {
                    Assert.True(u == v || Math.Abs(u - v) <= 1e-9 * Math.Max(Math.Max(Math.Abs(u), Math.Abs(v)), 1), $"{name} row {row}: {u:R} vs {v:R}");
                }
                compared++;
            }
        }
        Assert.True(compared >= minimumCompared, $"only {compared} cells compared");
    }

    [Fact]
    public async Task DuckDbWritesTheInProcessCsvOnTheSyntheticSeries()
    {
        string[] args = ["indicators", "--spec", "sma(20),ema(20),rsi(14),bbands(20,2,2),atr(5),willr(14),obv,roc(10)"];
        var (code1, inProcess, err1) = await Run(args);
        var (code2, duckdb, err2) = await Run([.. args, "--engine", "duckdb"]);
        Assert.True(code1 == CliApp.Ok, err1);
        Assert.True(code2 == CliApp.Ok, err2);
        AssertSameCsv(inProcess, duckdb, 2000, 100);
    }

    [SkippableFact]
    public async Task DuckDbWritesTheInProcessCsvOnARealFile()
    {
        var path = SharedData.Require("binance/klines/BTCUSDT/1h/BTCUSDT-1h-2023-01.csv");
        var (code1, inProcess, _) = await Run("indicators", "--input", path, "--spec", "all");
        var (code2, duckdb, err) = await Run("indicators", "--input", path, "--spec", "all", "--engine", "duckdb");
        Assert.Equal(CliApp.Ok, code1);
        Assert.True(code2 == CliApp.Ok, err);
        AssertSameCsv(inProcess, duckdb, 5000, IO.KlineReader.ReadFile(path).Close.ToArray().Average());
    }

    [Theory]
    [InlineData("oracle", CliApp.InputError)]
    [InlineData("sc://127.0.0.1:1", CliApp.EnvironmentError)]
    public async Task BadOrUnreachableEnginesFailClearly(string engine, int expected)
    {
        var (code, _, err) = await Run("indicators", "--spec", "sma(5)", "--engine", engine);
        Assert.Equal(expected, code);
        Assert.Contains("error:", err, StringComparison.Ordinal);
    }
}

public sealed class DetectEngineCliTests
{
    [SkippableFact]
    public async Task DetectOnDuckDbReportsTheInProcessEpisodes()
    {
        var path = SharedData.Require("events/pump-and-dump/pugoev-2023/trades/VIB_2021-09-05_17.00.csv");
        async Task<string[]> Run(params string[] extra)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = await CliApp.RunAsync(["detect", "--input", path, "--symbol", "VIBBTC", "--detectors", "price_jump,pump_and_dump", .. extra], stdout, stderr);
            Assert.True(code == CliApp.Ok, stderr.ToString());
            return stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(',', l.Split(',').Take(3))).ToArray();
        }
        var inProcess = await Run();
        var duckdb = await Run("--engine", "duckdb");
        Assert.True(inProcess.Length > 2);
        Assert.Equal(inProcess, duckdb);
    }

    [Fact]
    public async Task DetectorsWithoutSqlFormAreRejectedByName()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ma-detect-{Guid.NewGuid():N}-BTCUSDT-1m-2024-01.csv");
        var s = TestLake.RandomWalk("BTCUSDT", 50, 3);
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, s.Count).Select(i => string.Join(',', s.OpenTime[i], s.Open[i].ToString("R", CultureInfo.InvariantCulture), s.High[i].ToString("R", CultureInfo.InvariantCulture),
            s.Low[i].ToString("R", CultureInfo.InvariantCulture), s.Close[i].ToString("R", CultureInfo.InvariantCulture), s.Volume[i].ToString("R", CultureInfo.InvariantCulture), s.CloseTime[i], "1", "1", "0.5", "0.5", "0")));
        try
        {
            var stderr = new StringWriter();
            var code = await CliApp.RunAsync(["detect", "--input", file, "--symbol", "BTCUSDT", "--interval", "1m", "--detectors", "flash_crash", "--engine", "duckdb"], new StringWriter(), stderr);
            Assert.Equal(CliApp.InputError, code);
            Assert.Contains("flash_crash", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
