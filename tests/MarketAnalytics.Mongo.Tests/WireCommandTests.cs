using MarketAnalytics.Mongo.Tests.Wire;
using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using static MarketAnalytics.Mongo.Tests.TestData;

namespace MarketAnalytics.Mongo.Tests;

/// <summary>What the real driver actually puts on the wire for the store's operations, and how write errors come back.</summary>
public sealed class WireCommandTests : IAsyncLifetime
{
    private readonly MiniMongoServer _server = new();
    private const string Db = "wire";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IMongoMarketStore Store(MongoCandleWriteMode mode = MongoCandleWriteMode.TimeSeriesMerge, MongoBucketing bucketing = MongoBucketing.Granularity) =>
        MongoStore.Create(new MongoStoreOptions { ConnectionString = _server.ConnectionString, Database = Db, CandleWriteMode = mode, Bucketing = bucketing, BatchSize = 1000 });

    private List<BsonDocument> Sent(string command) => _server.Commands.Where(c => c.GetElement(0).Name == command).ToList();

    private static BsonDocument Strip(BsonDocument command)
    {
        var c = command.DeepClone().AsBsonDocument;
        foreach (var f in new[] { "$db", "lsid", "$readPreference", "txnNumber", "$clusterTime" }) c.Remove(f);
        return c;
    }

    [Fact]
    public async Task Create_and_createIndexes_commands_are_exact()
    {
        using (var store = Store(bucketing: MongoBucketing.CustomSpan))
            await store.EnsureSchemaAsync([Interval.FiveMinutes]);

        var create = Sent("create").Select(Strip).ToList();
        Assert.Contains(create, c => c == BsonDocument.Parse("{ create: 'candles_5m', timeseries: { timeField: 'openTime', metaField: 'meta', bucketMaxSpanSeconds: 300000, bucketRoundingSeconds: 300000 } }"));
        Assert.Contains(create, c => c == BsonDocument.Parse("{ create: 'indicators' }"));
        Assert.Contains(create, c => c == BsonDocument.Parse("{ create: 'anomalies' }"));

        var candleIndexes = Strip(Sent("createIndexes").Single(c => c["createIndexes"] == "candles_5m"));
        Assert.Equal(BsonDocument.Parse("{ createIndexes: 'candles_5m', indexes: [ { key: { 'meta.exchange': 1, 'meta.symbol': 1, 'meta.interval': 1, openTime: 1 }, name: 'ix_series_openTime' } ] }"), candleIndexes);
        var anomalyIndexes = Strip(Sent("createIndexes").Single(c => c["createIndexes"] == "anomalies"));
        Assert.Equal(BsonDocument.Parse("""
            { createIndexes: 'anomalies', indexes: [
                { key: { exchange: 1, symbol: 1, interval: 1, openTime: 1, kind: 1 }, name: 'ux_anomaly_key', unique: true },
                { key: { kind: 1, severity: -1, openTime: 1 }, name: 'ix_kind_severity_openTime' },
                { key: { severity: -1, openTime: 1 }, name: 'ix_severity_openTime' } ] }
            """), anomalyIndexes);

        // A second store (another process) re-runs creation: no create for existing collections, indexes re-requested harmlessly.
        var creates = Sent("create").Count;
        using (var again = Store(bucketing: MongoBucketing.CustomSpan))
            await again.EnsureSchemaAsync([Interval.FiveMinutes]);
        Assert.Equal(creates, Sent("create").Count);
    }

    [Fact]
    public async Task Time_series_writes_send_unordered_inserts_of_the_exact_documents_then_reads_with_the_exact_filter()
    {
        using var store = Store();
        var s = Series(3);
        await store.WriteAsync(s);

        var insert = Sent("insert").Single(c => c["insert"] == "candles_1m");
        Assert.False(insert["ordered"].AsBoolean);
        var docs = insert["documents"].AsBsonArray.Select(d => d.AsBsonDocument).ToList();
        Assert.Equal(3, docs.Count);
        Assert.Equal(["_id", "openTime", "meta", "open", "high", "low", "close", "volume", "closeTime", "quoteVolume", "trades", "takerBuyBase", "takerBuyQuote"], docs[0].Names);
        Assert.Equal(new BsonDateTime(T0), docs[0]["openTime"]);
        Assert.Equal(BsonDocument.Parse("{ symbol: 'BTCUSDT', interval: '1m', exchange: 'binance' }"), docs[0]["meta"]);
        Assert.Equal(BsonType.Int64, docs[2]["trades"].BsonType);
        Assert.Equal(BsonType.ObjectId, docs[0]["_id"].BsonType);

        // The merge read that preceded the insert: series equality plus the batch's time span.
        var find = Strip(Sent("find").First(c => c["find"] == "candles_1m"));
        Assert.Equal(BsonDocument.Parse("{ 'meta.exchange': 'binance', 'meta.symbol': 'BTCUSDT', 'meta.interval': '1m', openTime: { $gte: ISODate('2024-01-01T00:00:00Z'), $lt: ISODate('2024-01-01T00:02:00.001Z') } }"), find["filter"]);

        var back = new List<Candle>();
        await foreach (var c in store.ReadAsync(new CandleRange(Btc, Interval.OneMinute, T0, T0 + 3_600_000))) back.Add(c);
        var read = Strip(Sent("find").Last(c => c["find"] == "candles_1m"));
        Assert.Equal(BsonDocument.Parse("{ openTime: 1 }"), read["sort"]);
        Assert.Equal(1000, read["batchSize"].ToInt32());
        Assert.Equal(3, back.Count);
    }

    [Fact]
    public async Task Changed_candles_are_inserted_before_their_old_copies_are_deleted()
    {
        using var store = Store();
        var s = Series(3);
        await store.WriteAsync(s);
        var changed = CandleSeries.From(Btc, Interval.OneMinute, [s[0], s[1] with { Close = 1 }, s[2]]);
        Assert.Equal(new CandleWriteResult(0, 1, 2), await store.WriteAsync(changed));

        var order = _server.Commands.Select(c => c.GetElement(0).Name).Where(n => n is "insert" or "delete").ToList();
        Assert.Equal(["insert", "insert", "delete"], order);
        var newId = Sent("insert").Last()["documents"][0]["_id"];
        var delete = Sent("delete").Single()["deletes"][0].AsBsonDocument;
        Assert.Equal(BsonDocument.Parse($"{{ 'meta.exchange': 'binance', 'meta.symbol': 'BTCUSDT', 'meta.interval': '1m', openTime: {{ $in: [ISODate('2024-01-01T00:01:00Z')] }}, _id: {{ $nin: [ObjectId('{newId.AsObjectId}')] }} }}"), delete["q"]);
        Assert.Equal(0, delete["limit"].ToInt32());
        Assert.Equal(3, _server.Documents(Db, "candles_1m").Count);
    }

    [Fact]
    public async Task Regular_mode_sends_replace_upserts_keyed_by_series_and_time_without_id()
    {
        using var store = Store(MongoCandleWriteMode.RegularUpsert);
        await store.WriteAsync(Series(2));
        var update = Sent("update").Single(c => c["update"] == "candles_1m");
        Assert.False(update["ordered"].AsBoolean);
        var statement = update["updates"][0].AsBsonDocument;
        Assert.Equal(BsonDocument.Parse("{ 'meta.exchange': 'binance', 'meta.symbol': 'BTCUSDT', 'meta.interval': '1m', openTime: ISODate('2024-01-01T00:00:00Z') }"), statement["q"]);
        Assert.True(statement["upsert"].AsBoolean);
        Assert.False(statement["u"].AsBsonDocument.Contains("_id"));
        Assert.Equal("openTime", statement["u"].AsBsonDocument.GetElement(0).Name);
        Assert.Contains(Sent("createIndexes"), c => c["createIndexes"] == "candles_1m" && c["indexes"][0]["unique"].AsBoolean);
    }

    [Fact]
    public async Task Bulk_write_errors_duplicate_keys_count_others_fail_with_the_documents_keys()
    {
        using var client = new MongoClient(_server.ConnectionString);
        var db = client.GetDatabase(Db);
        await db.CreateCollectionAsync("ts", new CreateCollectionOptions { TimeSeriesOptions = new TimeSeriesOptions("openTime", "meta") });
        var ts = db.GetCollection<BsonDocument>("ts");
        var good = new BsonDocument { { "openTime", new BsonDateTime(T0) }, { "meta", "m" } };
        var bad = new BsonDocument { { "meta", "m" } }; // no timeField: the server rejects it
        WriteModel<BsonDocument>[] models = [new InsertOneModel<BsonDocument>(good), new InsertOneModel<BsonDocument>(bad), new InsertOneModel<BsonDocument>(good.DeepClone().AsBsonDocument)];
        var e = await Assert.ThrowsAsync<MongoWriteFailedException>(() => BulkWrites.ExecuteAsync(ts, models, i => $"doc#{i}", retryDuplicates: false, default));
        Assert.Equal("ts", e.Collection);
        var failure = Assert.Single(e.Failures);
        Assert.Equal("doc#1", failure.Key);
        Assert.Equal(2, failure.Code);
        Assert.Contains("openTime", failure.Message);
        Assert.Equal(2, _server.Documents(Db, "ts").Count); // unordered: the others were written

        // Duplicate keys on a unique index are not failures.
        var regular = db.GetCollection<BsonDocument>("regular");
        await regular.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("k", 1), new CreateIndexOptions { Unique = true, Name = "ux_k" }));
        await regular.InsertOneAsync(new BsonDocument("k", 1));
        WriteModel<BsonDocument>[] inserts = [new InsertOneModel<BsonDocument>(new BsonDocument("k", 1)), new InsertOneModel<BsonDocument>(new BsonDocument("k", 2))];
        var counts = await BulkWrites.ExecuteAsync(regular, inserts, i => $"k#{i}", retryDuplicates: false, default);
        Assert.Equal(1, counts.Inserted);
        Assert.Equal(1, counts.Duplicates);
    }

    [Fact]
    public async Task Unreachable_server_gives_a_typed_error_without_the_password()
    {
        var options = new MongoStoreOptions { ConnectionString = "mongodb://alice:hunter2@127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300", Database = "x" };
        using var store = MongoStore.Create(options);
        var e = await Assert.ThrowsAsync<MongoStoreException>(() => store.WriteAsync(Series(1)));
        Assert.DoesNotContain("hunter2", e.ToString());
        Assert.Contains("candles_1m", e.Message);
    }
}
