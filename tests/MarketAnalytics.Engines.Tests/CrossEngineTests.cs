using MarketAnalytics.DuckDb;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;
using MarketAnalytics.IO;
using MarketAnalytics.Testing;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Engines.Tests;

/// <summary>
/// The same plans on the in-process engine and on DuckDB (in-memory series and the Parquet lake) over the real data in
/// ../shared/data: every value compared; SQL values are NULL before the documented horizon and equal after it.
/// </summary>
public sealed class CrossEngineTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _lake = Path.Combine(Path.GetTempPath(), "ma-cross-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_lake)) Directory.Delete(_lake, recursive: true);
    }

    /// <summary>Every built-in with default parameters, non-default periods, and chains.</summary>
    private static AnalysisPlan Plan() => new(
        IndicatorRegistry.BuiltinNames.Select(n => new IndicatorSpec(n, []))
            .Concat(IndicatorSpec.ParseList("sma(20),ema(20),rsi(7),macd(5,35,5),bbands(20,2.5,1.5),atr(5),stddev(20,2),stoch(14,3,3),adx(7),cci(20),aroon(25),sma(rsi(14),5),ema(macd(12,26,9).signal,3)"))
            .ToList(), []);

    public static TheoryData<string> Files() => new()
    {
        "binance/futures-um/klines/FILUSDT/1m/FILUSDT-1m-2023-08.csv",
        "binance/klines/BTCUSDT/1h/BTCUSDT-1h-2023-03.csv",
        "binance/klines/ADABTC/1m/ADA_BTC-1m.json",
        "binance/klines/ETHUSDT/5m/ETH_USDT-5m.json",
    };

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public async Task DuckDbEqualsInProcessOnRealData(string file)
    {
        var path = SharedData.Require(file);
        var series = KlineReader.ReadFile(path);
        var registry = IndicatorRegistry.CreateDefault();
        var plan = Plan();
        var expected = await new InProcessEngine(registry, MarketAnalytics.Detectors.DetectorRegistry.CreateDefault()).RunAsync(plan, series);
        var engine = DuckDbEngineExtensions.Create(registry, new DuckDbEngineOptions { LakePath = _lake });
        var compiled = new SqlPlanCompiler(registry).Compile(plan, SqlSource.Table("t", series.Interval), SqlDialect.DuckDb);
        var memory = await engine.RunAsync(plan, series);
        TestLake.Write(_lake, series.Interval, series);
        var lake = Assert.Single(await engine.RunLakeAsync(plan, new LakeSelection([series.Symbol], series.Interval)));

        Assert.Equal(expected.Columns.Select(c => c.Name), memory.Columns.Select(c => c.Name));
        Assert.Equal(series.OpenTime.ToArray(), lake.OpenTime);
        var compared = 0L;
        for (var k = 0; k < expected.Columns.Count; k++)
        {
            var name = expected.Columns[k].Name;
            var reference = expected.Columns[k].Values;
            var first = compiled.Columns[k].FirstRow;
            var scale = Scale(name, reference, series);
            var worst = 0.0;
            foreach (var actual in new[] { memory.Columns[k].Values, lake.Columns[k].Values })
            {
                for (var i = 0; i < reference.Length; i++)
                {
                    if (i < first)
                    {
                        Assert.True(double.IsNaN(actual[i]), $"{name}[{i}] must be NULL before the horizon {first}, got {actual[i]}");
                        continue;
                    }
                    if (double.IsNaN(reference[i]))
                    {
                        Assert.True(double.IsNaN(actual[i]), $"{name}[{i}]: in-process NaN, SQL {actual[i]}");
                        continue;
                    }
                    if (name.StartsWith("adx", StringComparison.Ordinal) && double.IsNaN(actual[i])) continue; // data-dependent ADX horizon after flat stretches
                    var error = VarianceDomain(name, out var dev, out var middle)
                        ? Math.Abs(Variance(actual, i, dev, middle, memory.Columns, lake.Columns, expected.Columns) - Variance(reference, i, dev, middle, expected.Columns, expected.Columns, expected.Columns)) / scale
                        : actual[i] == reference[i] ? 0 : Math.Abs(actual[i] - reference[i]) / Math.Max(Math.Max(Math.Abs(actual[i]), Math.Abs(reference[i])), scale);
                    worst = Math.Max(worst, error);
                    Assert.True(error <= 1e-9, $"{file} {name}[{i}]: SQL {actual[i]:R} vs in-process {reference[i]:R} (relative {error:E2}, scale {scale:G3}, horizon {first})");
                    compared++;
                }
            }
            output.WriteLine($"{name}: horizon {first}, worst {worst:E2} (scale {scale:G3})");
        }
        Assert.True(compared > 1000, $"only {compared} values compared");
        output.WriteLine($"{file}: {series.Count} candles, {compared} values compared");
    }

    /// <summary>Spark's closed form (per-block cumulative sums), run on DuckDB, against the in-process engine on real data.</summary>
    [SkippableFact]
    public async Task SparkClosedFormEqualsInProcessOnRealData()
    {
        var series = KlineReader.ReadFile(SharedData.Require("binance/klines/ETHUSDT/5m/ETH_USDT-5m.json"));
        var registry = IndicatorRegistry.CreateDefault();
        var plan = new AnalysisPlan(IndicatorSpec.ParseList("ema(20),dema(30),rsi(14),macd(12,26,9),atr(14),adx(14)"), []);
        var expected = await new InProcessEngine(registry, MarketAnalytics.Detectors.DetectorRegistry.CreateDefault()).RunAsync(plan, series);
        var compiled = new SqlPlanCompiler(registry).Compile(plan, SqlSource.Table("candles", series.Interval), SqlDialect.DuckDb, cumulativeBlocks: true);
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        TestLake.CreateCandleTable(connection, "candles", series);
        using var command = connection.CreateCommand();
        command.CommandText = compiled.IndicatorQuery;
        using var reader = command.ExecuteReader();
        var row = 0;
        var compared = 0;
        while (reader.Read())
        {
            for (var k = 0; k < compiled.Columns.Count; k++)
            {
                var reference = expected.Columns[k].Values[row];
                if (reader.IsDBNull(k + 2))
                {
                    Assert.True(row < compiled.Columns[k].FirstRow || compiled.Columns[k].Name.StartsWith("adx", StringComparison.Ordinal), $"{compiled.Columns[k].Name}[{row}] NULL after the horizon");
                    continue;
                }
                Assert.True(row >= compiled.Columns[k].FirstRow, $"{compiled.Columns[k].Name}[{row}] has a value before the horizon");
                var actual = reader.GetDouble(k + 2);
                var scale = Scale(compiled.Columns[k].Name, expected.Columns[k].Values, series);
                var error = actual == reference ? 0 : Math.Abs(actual - reference) / Math.Max(Math.Max(Math.Abs(actual), Math.Abs(reference)), scale);
                Assert.True(error <= 1e-9, $"{compiled.Columns[k].Name}[{row}]: {actual:R} vs {reference:R}");
                compared++;
            }
            row++;
        }
        Assert.Equal(series.Count, row);
        Assert.True(compared > 50_000, $"only {compared} values compared");
    }

    /// <summary>
    /// STDDEV and the BBANDS bands are compared as variances: the in-process kernel (like TA-Lib) computes the variance as
    /// E[x²] − E[x]² from running sums, whose cancellation error (~1e-15·E[x²], growing with the series) becomes a visible
    /// standard deviation of ~1e-4 on flat windows at high prices, while SQL's var_pop is exact there. In the variance
    /// domain both agree to 1e-9·E[x²].
    /// </summary>
    private static bool VarianceDomain(string name, out double dev, out string? middle)
    {
        dev = 1;
        middle = null;
        if (name.StartsWith("stddev", StringComparison.Ordinal))
        {
            var parts = name.Split('_');
            dev = parts.Length > 2 ? double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : 1;
            return true;
        }
        if (name.StartsWith("bbands", StringComparison.Ordinal) && !name.EndsWith("_middle", StringComparison.Ordinal))
        {
            var parts = name.Split('_');
            dev = double.Parse(parts[name.EndsWith("_upper", StringComparison.Ordinal) ? 2 : 3], System.Globalization.CultureInfo.InvariantCulture);
            middle = string.Join('_', parts[..^1]) + "_middle";
            return true;
        }
        return false;
    }

    private static double Variance(double[] values, int i, double dev, string? middle, IReadOnlyList<IndicatorColumn> a, IReadOnlyList<IndicatorColumn> b, IReadOnlyList<IndicatorColumn> c)
    {
        var v = values[i];
        if (middle is not null)
        {
            var columns = a.Any(x => ReferenceEquals(x.Values, values)) ? a : b.Any(x => ReferenceEquals(x.Values, values)) ? b : c;
            v -= columns.First(x => x.Name == middle).Values[i];
        }
        var sd = v / dev;
        return sd * sd;
    }

    /// <summary>Natural scale of an output for the relative comparison (guards values that cross zero).</summary>
    private static double Scale(string name, double[] values, CandleSeries series)
    {
        var closes = series.Close.ToArray();
        var price = closes.Average(Math.Abs);
        if (name.StartsWith("var", StringComparison.Ordinal) || name.StartsWith("stddev", StringComparison.Ordinal)
            || (name.StartsWith("bbands", StringComparison.Ordinal) && !name.EndsWith("_middle", StringComparison.Ordinal))) return price * price;                 // TA-Lib VAR: E[x²] − E[x]² carries cancellation error relative to E[x²]
        if (name.StartsWith("stddev", StringComparison.Ordinal) || name.StartsWith("bbands", StringComparison.Ordinal)
            || name.StartsWith("macd", StringComparison.Ordinal) || name.StartsWith("mom", StringComparison.Ordinal)
            || name.Contains("macd", StringComparison.Ordinal)) return price;                        // price-valued, may cross zero
        if (name.StartsWith("obv", StringComparison.Ordinal)) return series.Volume.ToArray().Sum(Math.Abs) * 1e-3;
        if (name.StartsWith("rsi", StringComparison.Ordinal) || name.StartsWith("stoch", StringComparison.Ordinal) || name.StartsWith("adx", StringComparison.Ordinal)
            || name.StartsWith("willr", StringComparison.Ordinal) || name.StartsWith("mfi", StringComparison.Ordinal) || name.StartsWith("aroon", StringComparison.Ordinal)
            || name.StartsWith("cci", StringComparison.Ordinal) || name.StartsWith("sma_rsi", StringComparison.Ordinal)) return 100;
        if (name.StartsWith("roc", StringComparison.Ordinal)) return 1;
        return 0;
    }
}
