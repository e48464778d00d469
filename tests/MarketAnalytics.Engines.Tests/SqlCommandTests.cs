using DuckDB.NET.Data;
using MarketAnalytics.Cli;
using Xunit;

namespace MarketAnalytics.Engines.Tests;

/// <summary><c>marketanalytics sql</c>: the printed DuckDB SQL runs as-is over a lake; bad input exits with code 2.</summary>
public sealed class SqlCommandTests : IDisposable
{
    private readonly string _lake = Path.Combine(Path.GetTempPath(), "ma-sqlcmd-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_lake)) Directory.Delete(_lake, recursive: true);
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task PrintedDuckDbSqlRunsOverTheLake()
    {
        var series = TestLake.RandomWalk("BTCUSDT", 400, 11);
        TestLake.Write(_lake, Interval.OneMinute, series);
        var (code, sql, err) = await Run("sql", "--dialect", "duckdb", "--spec", "sma(5),rsi(14)", "--detectors", "price_jump", "--lake", _lake, "--symbols", "BTCUSDT");
        Assert.True(code == CliApp.Ok, err);
        var statements = sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(s => s.Contains("SELECT", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, statements.Count);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = statements[0];
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            if (rows == 10) Assert.Equal((series.Close[6] + series.Close[7] + series.Close[8] + series.Close[9] + series.Close[10]) / 5, reader.GetDouble(2), 12);
            rows++;
        }
        Assert.Equal(400, rows);
    }

    [Fact]
    public async Task SparkSqlNamesTheHorizonOfTruncatedIndicators()
    {
        var (code, sql, _) = await Run("sql", "--dialect", "spark", "--spec", "macd(12,26,9)", "--lake", "s3a://bucket/lake", "--symbols", "ETHUSDT", "--from", "2023-08-01", "--to", "2023-09-01T00:00:00Z");
        Assert.Equal(CliApp.Ok, code);
        Assert.Contains("-- macd_12_26_9_signal: truncated recursion, NULL before row", sql, StringComparison.Ordinal);
        Assert.Contains("parquet.`s3a://bucket/lake/klines/exchange=binance`", sql, StringComparison.Ordinal);
        Assert.Contains("`open_time` >= 1690848000000 AND `open_time` < 1693526400000", sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dialect", "oracle", "unknown SQL dialect")]
    [InlineData("--symbols", "btc'usdt", "Invalid symbol")]
    [InlineData("--interval", "7m", "Invalid interval")]
    [InlineData("--from", "yesterday-ish", "--from")]
    [InlineData("--spec", "nosuch(3)", "unknown indicator")]
    public async Task BadInputExitsWithCode2(string option, string value, string expected)
    {
        var args = new List<string> { "sql", option, value };
        if (option != "--spec") args.AddRange(["--spec", "sma(5)"]);
        var (code, _, err) = await Run([.. args]);
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }
}
