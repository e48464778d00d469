using MarketAnalytics.DuckDb;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;
using Xunit;

namespace MarketAnalytics.Engines.Tests;

public sealed class DuckDbEngineTests : IDisposable
{
    private readonly string _lake = Path.Combine(Path.GetTempPath(), "ma-engines-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_lake)) Directory.Delete(_lake, recursive: true);
    }

    private static readonly AnalysisPlan Plan = new(IndicatorSpec.ParseList("sma(20),ema(12),rsi(14),macd(12,26,9),bbands(20,2,2),atr(14),stoch(14,3,3),adx(14),aroon(14),vwap(20),rvol(20),sma(rsi(14),5)"), []);

    [Fact]
    public async Task LakeQueryEqualsInMemoryQueryForEverySymbol()
    {
        var btc = TestLake.RandomWalk("BTCUSDT", 2 * 1440 + 77, 1, price: 30000);
        var eth = TestLake.RandomWalk("ETHUSDT", 1440 + 5, 2, start: 1_690_848_000_000 + 30 * 86_400_000L, price: 1800); // crosses a month boundary
        TestLake.Write(_lake, Interval.OneMinute, btc, eth);
        Assert.True(Directory.Exists(Path.Combine(_lake, "klines", "exchange=binance", "symbol=ETHUSDT", "interval=1m", "year=2023", "month=09")));
        var engine = DuckDbEngineExtensions.Create(new IndicatorRegistry(), new DuckDbEngineOptions { LakePath = _lake });
        var lake = await engine.RunLakeAsync(Plan, new LakeSelection([SymbolId.Parse("ETHUSDT"), SymbolId.Parse("BTCUSDT")], Interval.OneMinute));
        Assert.Equal(["BTCUSDT", "ETHUSDT"], lake.Select(r => r.Symbol.Value));
        foreach (var (series, result) in new[] { (btc, lake[0]), (eth, lake[1]) })
        {
            var memory = await engine.RunAsync(Plan, series);
            Assert.Equal(series.OpenTime.ToArray(), result.OpenTime);
            Assert.Equal(memory.Columns.Select(c => c.Name), result.Columns.Select(c => c.Name));
            for (var k = 0; k < memory.Columns.Count; k++) Assert.Equal(memory.Columns[k].Values, result.Columns[k].Values);
        }
    }

    [Fact]
    public async Task TimeRangeSelectsTheHalfOpenInterval()
    {
        var btc = TestLake.RandomWalk("BTCUSDT", 600, 3);
        TestLake.Write(_lake, Interval.OneMinute, btc);
        var engine = DuckDbEngineExtensions.Create(new IndicatorRegistry(), new DuckDbEngineOptions { LakePath = _lake });
        var from = btc.OpenTime[100];
        var to = btc.OpenTime[200];
        var result = Assert.Single(await engine.RunLakeAsync(new AnalysisPlan([IndicatorSpec.Parse("sma(5)")], []), new LakeSelection([btc.Symbol], Interval.OneMinute, from, to)));
        Assert.Equal(100, result.OpenTime.Length);
        Assert.Equal(from, result.OpenTime[0]);
        Assert.Equal(btc.OpenTime[199], result.OpenTime[^1]);
        Assert.True(double.IsNaN(result.Columns[0].Values[3]));
        Assert.Equal((btc.Close[100] + btc.Close[101] + btc.Close[102] + btc.Close[103] + btc.Close[104]) / 5, result.Columns[0].Values[4], 12);
    }

    [Fact]
    public async Task MissingSymbolIsATypedError()
    {
        TestLake.Write(_lake, Interval.OneMinute, TestLake.RandomWalk("BTCUSDT", 10, 4));
        var engine = DuckDbEngineExtensions.Create(new IndicatorRegistry(), new DuckDbEngineOptions { LakePath = _lake });
        var e = await Assert.ThrowsAsync<MarketAnalyticsException>(() => engine.RunLakeAsync(Plan, new LakeSelection([SymbolId.Parse("XRPUSDT")], Interval.OneMinute)));
        Assert.Contains("XRPUSDT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteLakeWritesPartitionsIdempotently()
    {
        var btc = TestLake.RandomWalk("BTCUSDT", 1440 * 2, 5, start: 1_693_440_000_000); // 2023-08-31, spans two months
        TestLake.Write(_lake, Interval.OneMinute, btc);
        var engine = DuckDbEngineExtensions.Create(new IndicatorRegistry(), new DuckDbEngineOptions { LakePath = _lake });
        var plan = new AnalysisPlan(IndicatorSpec.ParseList("sma(20),macd(12,26,9)"), []);
        var selection = new LakeSelection([btc.Symbol], Interval.OneMinute);
        Assert.Equal(btc.Count, await engine.WriteLakeAsync(plan, selection));
        string[] Files() => Directory.EnumerateFiles(Path.Combine(_lake, "indicators"), "*.parquet", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_lake, f)).Order().ToArray();
        var first = Files();
        Assert.Contains(first, f => f.Contains(Path.Combine("symbol=BTCUSDT", "interval=1m", "year=2023", "month=08"), StringComparison.Ordinal));
        Assert.Contains(first, f => f.Contains(Path.Combine("year=2023", "month=09"), StringComparison.Ordinal));
        Assert.Equal(btc.Count, await engine.WriteLakeAsync(plan, selection));
        Assert.Equal(first, Files());
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), count(DISTINCT open_time), count(macd_12_26_9_signal) FROM read_parquet('{Path.Combine(_lake, "indicators")}/**/*.parquet', hive_partitioning = true)";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((long)btc.Count, reader.GetInt64(0));
        Assert.Equal((long)btc.Count, reader.GetInt64(1));
        Assert.True(reader.GetInt64(2) > 0);
    }

    [Fact]
    public async Task CancellationStopsTheQuery()
    {
        var engine = DuckDbEngineExtensions.Create(new IndicatorRegistry(), new DuckDbEngineOptions());
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.RunAsync(Plan, TestLake.RandomWalk("BTCUSDT", 100, 6), cts.Token));
    }

    [Fact]
    public void BuilderRegistersTheKeyedEngine()
    {
        using var runtime = new MarketAnalyticsBuilder().AddDuckDbEngine(o => o.LakePath = _lake).Build();
        var engine = Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<IAnalysisEngine>(runtime.Services, DuckDbEngineExtensions.EngineKey);
        Assert.Equal("duckdb", engine.Name);
        Assert.Throws<InvalidOptionsException>(() => new MarketAnalyticsBuilder().AddDuckDbEngine(o => o.Threads = -1).Build());
    }
}

[CollectionDefinition("timing", DisableParallelization = true)]
public sealed class TimingCollection;

/// <summary>Timing-based, so it runs alone (not in parallel with the other test classes).</summary>
[Collection("timing")]
public sealed class DuckDbCancellationTests
{
    [Fact]
    public async Task CancellingMidQueryInterruptsDuckDb()
    {
        var engine = DuckDbEngineExtensions.Create(new IndicatorRegistry(), new DuckDbEngineOptions());
        var series = TestLake.RandomWalk("BTCUSDT", 150_000, 12);
        var plan = new AnalysisPlan(IndicatorSpec.ParseList("tema(30),adx(14),cci(40),aroon(50),macd(12,26,9)"), []);
        var full = System.Diagnostics.Stopwatch.StartNew();
        await engine.RunAsync(plan, series);
        full.Stop();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(full.ElapsedMilliseconds / 10.0 + 20));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.RunAsync(plan, series, cts.Token));
        watch.Stop();
        Assert.True(watch.Elapsed < full.Elapsed * 0.9, $"cancelled run took {watch.ElapsedMilliseconds} ms, a full run {full.ElapsedMilliseconds} ms");
    }
}
