using MarketAnalytics.Binance.Tests.Infra;
using MarketAnalytics.Cli;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Binance.Tests;

public sealed class RestIngestTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Cli_ingest_of_FIL_and_NEAR_under_injected_faults_equals_the_archives_read_back_by_DuckDB()
    {
        var months = new[] { "2023-08", "2023-09", "2023-10" };
        var filFiles = RealData.Futures1m(RealData.Fil, months);
        var nearFiles = RealData.Futures1m(RealData.Near, months);
        var faults = new FaultPlan { ServerError = 0.04, Reset = 0.03, Truncate = 0.03, InvalidJson = 0.02, Slow = 0.02, SlowDelay = TimeSpan.FromMilliseconds(300), Seed = 11 };
        await using var server = new FakeBinanceServer(faults: faults)
            .WithData(RealData.Fil, Interval.OneMinute, filFiles)
            .WithData(RealData.Near, Interval.OneMinute, nearFiles);
        await server.StartAsync();
        using var dir = new TempDir();
        var lake = dir.Sub("lake");

        var args = new[] { "ingest", "--symbols", "FILUSDT,NEARUSDT", "--interval", "1m", "--from", "2023-08-01", "--to", "2023-11-01",
            "--lake", lake, "--binance-url", server.BaseUrl, "--retries", "8" };
        var (code, stdout, stderr) = await Run(args);
        output.WriteLine(stdout + stderr);
        output.WriteLine("faults injected: " + string.Join(", ", server.FaultCounts.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.True(code == CliApp.Ok, stderr);
        Assert.True(server.FaultCounts.Values.Sum() >= 10, "the fault plan should have fired");
        Assert.Equal(0, server.Count(418));
        Assert.Contains("FILUSDT 1m: 132480 candles written", stdout);
        Assert.Contains("NEARUSDT 1m: 132480 candles written", stdout);
        Assert.Matches(@"FILUSDT 1m: .* [1-9]\d* retries", stdout);

        // Independent read-back: DuckDB's Parquet reader with Hive partitioning, candle by candle against the archives.
        var rows = DuckLakeReader.ReadAll(lake);
        foreach (var (symbol, files) in new[] { (RealData.Fil, filFiles), (RealData.Near, nearFiles) })
        {
            var expected = RealData.Expected(symbol, Interval.OneMinute, files).AsCandles().ToList();
            var mine = rows.Where(r => r.Symbol == symbol.Value).ToList();
            Assert.All(mine, r => Assert.Equal("1m", r.Interval));
            Assert.All(mine, r =>
            {
                var t = r.Candle.OpenTimeUtc;
                Assert.Equal((t.Year, t.Month), ((int)r.Year, (int)r.Month));
            });
            Compare.Candles(expected, mine.Select(r => r.Candle).ToList(), symbol.Value);
        }
        var schema = DuckLakeReader.Schema(lake);
        Assert.Equal("BIGINT", schema["open_time"]);
        Assert.Equal("BIGINT", schema["close_time"]);
        Assert.Equal("BIGINT", schema["trades"]);
        foreach (var c in new[] { "open", "high", "low", "close", "volume", "quote_volume", "taker_buy_base", "taker_buy_quote" }) Assert.Equal("DOUBLE", schema[c]);
        Assert.True(File.Exists(Path.Combine(lake, "klines", "exchange=binance", "symbol=FILUSDT", "interval=1m", "year=2023", "month=08", "FILUSDT-1m-2023-08.parquet")));
        Assert.False(Directory.Exists(Path.Combine(lake, "_checkpoints", "ingest", "exchange=binance")) &&
                     Directory.EnumerateFiles(Path.Combine(lake, "_checkpoints"), "*.json", SearchOption.AllDirectories).Any());

        // Re-ingesting an overlapping range changes nothing: same bytes, everything reported unchanged.
        var before = TempDir.Hashes(lake);
        server.Faults = new FaultPlan();
        var again = await Run(["ingest", "--symbols", "FILUSDT", "--interval", "1m", "--from", "2023-09-15", "--to", "2023-10-02", "--lake", lake, "--binance-url", server.BaseUrl]);
        Assert.Equal(CliApp.Ok, again.Code);
        Assert.Contains("FILUSDT 1m: 0 candles written, 0 replaced, 24480 unchanged", again.Stdout);
        Assert.Equal(before, TempDir.Hashes(lake));
    }

    internal static async Task<(int Code, string Stdout, string Stderr)> Run(string[] args, Action<MarketAnalyticsBuilder>? configure = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, configure);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
