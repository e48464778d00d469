using MongoDB.Bson;
using MongoDB.Driver;
using MarketAnalytics.Testing;
using Xunit;
using static MarketAnalytics.Mongo.Tests.TestData;

namespace MarketAnalytics.Mongo.Tests;

/// <summary>
/// End-to-end store behaviour against a MongoDB server: create the collections, write, re-write, read back, count.
/// Each test uses its own database and drops it afterwards.
/// </summary>
public abstract class StoreIntegrationTests
{
    /// <summary>The server's URI, or null to skip (the derived class says why).</summary>
    protected abstract string? Uri { get; }

    /// <summary>Why the tests skip when <see cref="Uri"/> is null.</summary>
    protected abstract string SkipReason { get; }

    private async Task WithStore(MongoCandleWriteMode mode, Func<IMongoMarketStore, IMongoDatabase, Task> body, int batchSize = 1000, MongoBucketing bucketing = MongoBucketing.Granularity)
    {
        Skip.If(Uri is null, SkipReason);
        var database = "ma_test_" + Guid.NewGuid().ToString("N")[..12];
        var options = MongoStoreOptions.FromConnectionString(Uri!);
        options.Database = database;
        options.CandleWriteMode = mode;
        options.BatchSize = batchSize;
        options.Bucketing = bucketing;
        using var client = new MongoClient(MongoClientSettings.FromConnectionString(options.ConnectionString));
        using var store = MongoStore.Create(options, client);
        try
        {
            await body(store, client.GetDatabase(database));
        }
        finally
        {
            await client.DropDatabaseAsync(database);
        }
    }

    private static async Task<List<Candle>> ReadAll(ICandleStore store, CandleRange range)
    {
        var list = new List<Candle>();
        await foreach (var c in store.ReadAsync(range)) list.Add(c);
        return list;
    }

    private static void AssertSeries(IReadOnlyList<Candle> expected, IReadOnlyList<Candle> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) AssertSameBits(expected[i], actual[i]);
    }

    [SkippableTheory]
    [InlineData(MongoCandleWriteMode.TimeSeriesMerge)]
    [InlineData(MongoCandleWriteMode.RegularUpsert)]
    public Task Write_rewrite_and_read_back_candles_without_duplicates_or_holes(MongoCandleWriteMode mode) => WithStore(mode, async (store, db) =>
    {
        var all = Series(2500);
        var range = new CandleRange(Btc, Interval.OneMinute, T0, Interval.OneMinute.Add(T0, 2500));
        Assert.Equal(new CandleWriteResult(2500, 0, 0), await store.WriteAsync(all));
        AssertSeries(all.AsCandles().ToList(), await ReadAll(store, range));

        // Re-writing the same data is a no-op.
        Assert.Equal(new CandleWriteResult(0, 0, 2500), await store.WriteAsync(all));

        // Overlapping re-write: 100 changed candles, 400 identical, 300 new ones after the end.
        var overlap = new CandleSeries(Btc, Interval.OneMinute);
        var expected = all.AsCandles().ToList();
        for (var i = 2000; i < 2800; i++)
        {
            var c = i < 2100 ? Candle(Interval.OneMinute.Add(T0, i), 99_000 + i) : i < 2500 ? all[i] : Candle(Interval.OneMinute.Add(T0, i), 50_000 + i);
            overlap.Add(c);
            if (i < 2500) expected[i] = c; else expected.Add(c);
        }
        Assert.Equal(new CandleWriteResult(300, 100, 400), await store.WriteAsync(overlap));
        var wide = range with { To = Interval.OneMinute.Add(T0, 5000) };
        AssertSeries(expected, await ReadAll(store, wide));
        Assert.Equal(2800, await db.GetCollection<BsonDocument>("candles_1m").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));

        // Range filters are half-open and reads are in time order.
        var part = await ReadAll(store, range with { From = Interval.OneMinute.Add(T0, 10), To = Interval.OneMinute.Add(T0, 20) });
        Assert.Equal(Enumerable.Range(10, 10).Select(i => Interval.OneMinute.Add(T0, i)), part.Select(c => c.OpenTime));
        Assert.Empty(await ReadAll(store, range with { Symbol = SymbolId.Parse("ETHUSDT") }));
        Assert.Empty(await ReadAll(store, range with { Interval = Interval.OneHour }));
    });

    [SkippableTheory]
    [InlineData(MongoCandleWriteMode.TimeSeriesMerge)]
    [InlineData(MongoCandleWriteMode.RegularUpsert)]
    public Task Real_Binance_months_round_trip_bit_for_bit(MongoCandleWriteMode mode) => WithStore(mode, async (store, db) =>
    {
        var march = MarketAnalytics.IO.KlineReader.ReadFile(SharedData.Require("binance/klines/BTCUSDT/1h/BTCUSDT-1h-2023-03.csv"));
        var april = MarketAnalytics.IO.KlineReader.ReadFile(SharedData.Require("binance/klines/BTCUSDT/1h/BTCUSDT-1h-2023-04.csv"));
        // freqtrade JSON lacks quote and taker volumes (NaN) and trade counts (-1).
        var json = MarketAnalytics.IO.KlineReader.ReadFile(SharedData.Require("binance/klines/BTCUSDT/1h/BTC_USDT-1h.json"), Btc, Interval.OneHour);

        Assert.Equal(april.Count, (await store.WriteAsync(april)).Written);
        Assert.Equal(march.Count, (await store.WriteAsync(march)).Written);
        Assert.Equal(new CandleWriteResult(0, 0, april.Count), await store.WriteAsync(april));

        var from = march.OpenTime[0];
        var to = Interval.OneHour.Next(april.OpenTime[^1]);
        var back = await ReadAll(store, new CandleRange(Btc, Interval.OneHour, from, to));
        AssertSeries([.. march.AsCandles(), .. april.AsCandles()], back);

        var other = store.Options;
        other.Exchange = "freqtrade";
        using var client = new MongoClient(MongoClientSettings.FromConnectionString(other.ConnectionString));
        using var second = MongoStore.Create(other, client);
        await second.WriteAsync(json);
        var jsonBack = await ReadAll(second, new CandleRange(Btc, Interval.OneHour, json.OpenTime[0], Interval.OneHour.Next(json.OpenTime[^1])));
        AssertSeries(json.AsCandles().ToList(), jsonBack);
        Assert.Equal(march.Count + april.Count + json.Count, await db.GetCollection<BsonDocument>("candles_1h").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    });

    [SkippableFact]
    public Task Input_duplicates_NaN_and_unsorted_input_are_merged_last_wins() => WithStore(MongoCandleWriteMode.TimeSeriesMerge, async (store, db) =>
    {
        var s = new CandleSeries(Btc, Interval.OneMinute);
        s.Add(Candle(T0 + 120_000, 3));
        s.Add(MarketAnalytics.Candle.FromOhlcv(T0, 1, 2, 0.5, 1.5, 10, T0 + 59_999));
        s.Add(Candle(T0 + 60_000, 2));
        s.Add(Candle(T0 + 120_000, 33)); // later duplicate wins
        Assert.Equal(new CandleWriteResult(3, 0, 0), await store.WriteAsync(s));
        var back = await ReadAll(store, new CandleRange(Btc, Interval.OneMinute, T0, T0 + 180_000));
        AssertSeries([s[1], s[2], s[3]], back);
        Assert.True(double.IsNaN(back[0].QuoteVolume));
        Assert.Equal(new CandleWriteResult(0, 0, 3), await store.WriteAsync(s));
    }, batchSize: 2);

    [SkippableFact]
    public Task An_interrupted_rewrite_leaves_a_copy_that_reads_collapse_and_the_next_write_removes() => WithStore(MongoCandleWriteMode.TimeSeriesMerge, async (store, db) =>
    {
        var s = Series(10);
        await store.WriteAsync(s);
        // Simulate a crash after the insert step of a re-write: a second, newer copy of candle 4 with new values.
        var raw = db.GetCollection<CandleDocument>("candles_1m");
        var newer = Candle(s[4].OpenTime, 777);
        await raw.InsertOneAsync(new CandleDocument(new CandleMeta("BTCUSDT", "1m", "binance"), newer, ObjectId.GenerateNewId()));
        Assert.Equal(11, await db.GetCollection<BsonDocument>("candles_1m").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));

        var range = new CandleRange(Btc, Interval.OneMinute, T0, T0 + 600_000);
        var back = await ReadAll(store, range);
        Assert.Equal(10, back.Count);
        AssertSameBits(newer, back[4]);

        // The next write of the same data heals it: one copy per open time, the written value wins.
        Assert.Equal(new CandleWriteResult(0, 1, 9), await store.WriteAsync(s));
        Assert.Equal(10, await db.GetCollection<BsonDocument>("candles_1m").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
        AssertSeries(s.AsCandles().ToList(), await ReadAll(store, range));
    });

    [SkippableFact]
    public Task Schema_is_created_idempotently_with_the_expected_collections_and_indexes() => WithStore(MongoCandleWriteMode.TimeSeriesMerge, async (store, db) =>
    {
        await store.EnsureSchemaAsync([Interval.OneMinute, Interval.OneHour]);
        await store.EnsureSchemaAsync([Interval.OneMinute, Interval.OneHour]);
        using var second = MongoStore.Create(store.Options);
        await second.EnsureSchemaAsync([Interval.OneMinute]); // a fresh process re-runs creation

        var collections = (await (await db.ListCollectionsAsync()).ToListAsync()).ToDictionary(d => d["name"].AsString);
        Assert.Equal("timeseries", collections["candles_1m"]["type"].AsString);
        var ts = collections["candles_1m"]["options"]["timeseries"].AsBsonDocument;
        Assert.Equal("openTime", ts["timeField"].AsString);
        Assert.Equal("meta", ts["metaField"].AsString);
        Assert.Equal("minutes", ts["granularity"].AsString);
        Assert.Equal("hours", collections["candles_1h"]["options"]["timeseries"]["granularity"].AsString);
        Assert.Equal("collection", collections["indicators"].GetValue("type", "collection").AsString);

        async Task<HashSet<string>> IndexNames(string c) =>
            (await (await db.GetCollection<BsonDocument>(c).Indexes.ListAsync()).ToListAsync()).Select(d => d["name"].AsString).ToHashSet();
        Assert.Contains("ix_series_openTime", await IndexNames("candles_1m"));
        Assert.Contains("ux_indicator_key", await IndexNames("indicators"));
        Assert.Superset(new HashSet<string> { "ux_anomaly_key", "ix_kind_severity_openTime", "ix_severity_openTime" }, await IndexNames("anomalies"));
    });

    [SkippableFact]
    public Task A_regular_collection_where_a_time_series_is_expected_is_refused() => WithStore(MongoCandleWriteMode.TimeSeriesMerge, async (store, db) =>
    {
        await db.CreateCollectionAsync("candles_1m");
        var e = await Assert.ThrowsAsync<MongoStoreException>(() => store.WriteAsync(Series(3)));
        Assert.Contains("RegularUpsert", e.Message);
    });

    [SkippableFact]
    public Task Indicators_merge_by_row_and_column_and_read_back_with_NaN() => WithStore(MongoCandleWriteMode.TimeSeriesMerge, async (store, db) =>
    {
        long[] times = [T0, T0 + 3_600_000, T0 + 7_200_000];
        await store.WriteAsync(new AnalysisResult(Btc, Interval.OneHour, times,
            [new IndicatorColumn("sma_2", [double.NaN, 1.5, 2.5]), new IndicatorColumn("bb(20,2.0).upper", [1, 2, 3])], []));
        // Re-write: one column changes, a new column arrives, rows extend; the untouched column stays.
        long[] more = [T0 + 7_200_000, T0 + 10_800_000];
        await store.WriteAsync(new AnalysisResult(Btc, Interval.OneHour, more, [new IndicatorColumn("sma_2", [9, 10]), new IndicatorColumn("rsi_14", [55, 56])], []));
        await store.WriteAsync(new AnalysisResult(Btc, Interval.OneHour, more, [new IndicatorColumn("sma_2", [9, 10]), new IndicatorColumn("rsi_14", [55, 56])], []));

        var range = new CandleRange(Btc, Interval.OneHour, T0, T0 + 86_400_000);
        var rows = new List<IndicatorRow>();
        await foreach (var r in store.ReadIndicatorsAsync(range)) rows.Add(r);
        Assert.Equal([T0, T0 + 3_600_000, T0 + 7_200_000, T0 + 10_800_000], rows.Select(r => r.OpenTime));
        Assert.True(double.IsNaN(rows[0].Values["sma_2"]));
        Assert.Equal(2.0, rows[1].Values["bb(20,2.0).upper"]);
        Assert.Equal(9.0, rows[2].Values["sma_2"]);
        Assert.Equal(3.0, rows[2].Values["bb(20,2.0).upper"]);
        Assert.Equal(55.0, rows[2].Values["rsi_14"]);
        Assert.False(rows[3].Values.ContainsKey("bb(20,2.0).upper"));
        Assert.Equal(4, await db.GetCollection<BsonDocument>("indicators").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));

        var only = new List<IndicatorRow>();
        await foreach (var r in store.ReadIndicatorsAsync(range, ["rsi_14"])) only.Add(r);
        Assert.Equal(4, only.Count);
        Assert.Empty(only[0].Values);
        Assert.Equal(["rsi_14"], only[2].Values.Keys);
    });

    [SkippableFact]
    public Task Anomalies_are_upserted_by_identity_and_queried_by_range_kind_and_severity() => WithStore(MongoCandleWriteMode.TimeSeriesMerge, async (store, db) =>
    {
        var eth = SymbolId.Parse("ETHUSDT");
        Anomaly[] first =
        [
            new(Btc, T0 + 60_000, AnomalyKinds.VolumeSpike, 5, AnomalySeverity.Medium, "v 5x"),
            new(Btc, T0, AnomalyKinds.PriceJump, 9, AnomalySeverity.High, "r 9 sigma"),
            new(Btc, T0, AnomalyKinds.VolumeSpike, 3, AnomalySeverity.Low, "v 3x"),
        ];
        await store.WriteAsync(new AnalysisResult(Btc, Interval.OneMinute, [], [], first));
        await store.WriteAsync(new AnalysisResult(eth, Interval.OneMinute, [], [], [new Anomaly(eth, T0, AnomalyKinds.FlashCrash, 12, AnomalySeverity.Critical, "-8% +7%")]));
        // Re-write with a revised score for one identity: replaced, not duplicated.
        await store.WriteAsync(new AnalysisResult(Btc, Interval.OneMinute, [], [], [first[0] with { Score = 6, Severity = AnomalySeverity.High }, first[1], first[2]]));
        Assert.Equal(4, await db.GetCollection<BsonDocument>("anomalies").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));

        var read = new List<Anomaly>();
        await foreach (var a in store.ReadAnomaliesAsync(new CandleRange(Btc, Interval.OneMinute, T0, T0 + 120_000))) read.Add(a);
        Assert.Equal([first[1], first[2], first[0] with { Score = 6, Severity = AnomalySeverity.High }], read);

        var high = new List<Anomaly>();
        await foreach (var a in store.QueryAnomaliesAsync(new AnomalyQuery(T0, T0 + 120_000) { MinSeverity = AnomalySeverity.High })) high.Add(a);
        // Sorted by open time, then symbol, then kind.
        Assert.Equal([(T0, "BTCUSDT", "price_jump"), (T0, "ETHUSDT", "flash_crash"), (T0 + 60_000, "BTCUSDT", "volume_spike")],
            high.Select(a => (a.OpenTime, a.Symbol.Value, a.Kind)));

        var spikes = new List<Anomaly>();
        await foreach (var a in store.QueryAnomaliesAsync(new AnomalyQuery(T0, T0 + 120_000) { Kinds = [AnomalyKinds.VolumeSpike], Symbol = Btc })) spikes.Add(a);
        Assert.Equal([T0, T0 + 60_000], spikes.Select(a => a.OpenTime));
    });
}

/// <summary>Runs <see cref="StoreIntegrationTests"/> against the server in <c>MARKETANALYTICS_MONGO_URI</c>; skipped when it is unset.</summary>
public sealed class RealServerStoreTests : StoreIntegrationTests
{
    protected override string? Uri => Environment.GetEnvironmentVariable("MARKETANALYTICS_MONGO_URI") is { Length: > 0 } u ? u : null;

    protected override string SkipReason =>
        "MARKETANALYTICS_MONGO_URI is not set; start MongoDB with `docker compose up -d mongo` and set MARKETANALYTICS_MONGO_URI=mongodb://localhost:27017 to run against a real server.";
}

/// <summary>
/// Runs <see cref="StoreIntegrationTests"/> against <see cref="Wire.MiniMongoServer"/>, an in-memory server on 127.0.0.1
/// speaking the MongoDB wire protocol, so the real driver, our serializers and our bulk/error handling run end to end here.
/// </summary>
public sealed class WireServerStoreTests : StoreIntegrationTests, IAsyncLifetime
{
    private readonly Wire.MiniMongoServer _server = new();

    protected override string? Uri => _server.ConnectionString;

    protected override string SkipReason => "never skipped";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
