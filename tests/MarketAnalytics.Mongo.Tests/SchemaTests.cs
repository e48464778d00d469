using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using Xunit;
using static MarketAnalytics.Mongo.Tests.TestData;

namespace MarketAnalytics.Mongo.Tests;

/// <summary>The exact collection options, index specs, filters, sorts and updates the store sends, rendered by the driver.</summary>
public sealed class SchemaTests
{
    private static readonly CandleMeta Meta = new("BTCUSDT", "1h", "binance");
    private const string D0 = "{ \"$date\" : \"2024-01-01T00:00:00Z\" }";
    private const string D1 = "{ \"$date\" : \"2024-01-02T00:00:00Z\" }";

    private static string Render<T>(FilterDefinition<T> f, IBsonSerializer<T> s) => Json(f.Render(new RenderArgs<T>(s, BsonSerializer.SerializerRegistry)));
    private static string Render<T>(SortDefinition<T> f, IBsonSerializer<T> s) => Json(f.Render(new RenderArgs<T>(s, BsonSerializer.SerializerRegistry)));
    private static string Render(UpdateDefinition<BsonDocument> u) => Json(u.Render(new RenderArgs<BsonDocument>(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry)).AsBsonDocument);

    private static string Compact(string json) => BsonDocument.Parse(json).ToJson(new MongoDB.Bson.IO.JsonWriterSettings { OutputMode = MongoDB.Bson.IO.JsonOutputMode.RelaxedExtendedJson });

    [Theory]
    [InlineData("1s", "seconds")]
    [InlineData("1m", "minutes")]
    [InlineData("5m", "minutes")]
    [InlineData("30m", "minutes")]
    [InlineData("1h", "hours")]
    [InlineData("4h", "hours")]
    [InlineData("1d", "hours")]
    [InlineData("1w", "hours")]
    [InlineData("1M", "hours")]
    public void Time_series_granularity_follows_the_interval(string interval, string granularity)
    {
        var spec = MongoSchema.TimeSeriesFor(new MongoStoreOptions(), Interval.Parse(interval));
        Assert.Equal(Compact($"{{ timeField: 'openTime', metaField: 'meta', granularity: '{granularity}' }}"), Json(spec.ToBson()));
        var options = spec.ToOptions();
        Assert.Equal("openTime", options.TimeField);
        Assert.Equal("meta", options.MetaField);
        Assert.Equal(granularity, options.Granularity!.Value.ToString().ToLowerInvariant());
        Assert.Null(options.BucketMaxSpanSeconds);
    }

    [Theory]
    [InlineData("1s", 1000)]       // 1000 one-second candles
    [InlineData("1m", 60000)]      // 1000 minutes
    [InlineData("15m", 900000)]
    [InlineData("1h", 2592000)]    // 1000 h > 30 days: capped
    [InlineData("1d", 2592000)]
    public void Custom_bucket_span_holds_1000_candles_capped_at_30_days(string interval, int span)
    {
        var spec = MongoSchema.TimeSeriesFor(new MongoStoreOptions { Bucketing = MongoBucketing.CustomSpan }, Interval.Parse(interval));
        Assert.Equal(Compact($"{{ timeField: 'openTime', metaField: 'meta', bucketMaxSpanSeconds: {span}, bucketRoundingSeconds: {span} }}"), Json(spec.ToBson()));
        var options = spec.ToOptions();
        Assert.Null(options.Granularity);
        Assert.Equal(span, options.BucketMaxSpanSeconds);
        Assert.Equal(span, options.BucketRoundingSeconds);
    }

    [Fact]
    public void Explicit_bucket_span_is_used_as_given()
    {
        var spec = MongoSchema.TimeSeriesFor(new MongoStoreOptions { Bucketing = MongoBucketing.CustomSpan, BucketMaxSpanSeconds = 86400 }, Interval.OneMinute);
        Assert.Equal(86400, spec.BucketSpanSeconds);
        Assert.Equal(86400, spec.ToBson()["bucketRoundingSeconds"].AsInt32);
    }

    private static string RenderIndex(IndexSpec spec)
    {
        var model = spec.ToModel<BsonDocument>();
        var keys = model.Keys.Render(new RenderArgs<BsonDocument>(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry));
        return $"{model.Options.Name} {(model.Options.Unique == true ? "unique " : string.Empty)}{Json(keys)}";
    }

    [Fact]
    public void Index_specs_are_exact()
    {
        Assert.Equal(
            [$"ix_series_openTime {Compact("{ 'meta.exchange': 1, 'meta.symbol': 1, 'meta.interval': 1, openTime: 1 }")}"],
            MongoSchema.CandleIndexes(MongoCandleWriteMode.TimeSeriesMerge).Select(RenderIndex));
        Assert.Equal(
            [$"ux_series_openTime unique {Compact("{ 'meta.exchange': 1, 'meta.symbol': 1, 'meta.interval': 1, openTime: 1 }")}"],
            MongoSchema.CandleIndexes(MongoCandleWriteMode.RegularUpsert).Select(RenderIndex));
        Assert.Equal(
            [$"ux_indicator_key unique {Compact("{ exchange: 1, symbol: 1, interval: 1, openTime: 1 }")}"],
            MongoSchema.IndicatorIndexes().Select(RenderIndex));
        Assert.Equal(
            [
                $"ux_anomaly_key unique {Compact("{ exchange: 1, symbol: 1, interval: 1, openTime: 1, kind: 1 }")}",
                $"ix_kind_severity_openTime {Compact("{ kind: 1, severity: -1, openTime: 1 }")}",
                $"ix_severity_openTime {Compact("{ severity: -1, openTime: 1 }")}",
            ],
            MongoSchema.AnomalyIndexes().Select(RenderIndex));
        // No unique index may be requested on a time-series collection.
        Assert.DoesNotContain(MongoSchema.CandleIndexes(MongoCandleWriteMode.TimeSeriesMerge), i => i.Unique);
    }

    [Fact]
    public void Candle_range_filter_and_sort_render_exactly()
    {
        var f = new BsonDocumentFilterDefinition<StoredCandle>(MongoSchema.CandleRangeFilter(Meta, T0, T0 + 86_400_000));
        Assert.Equal(Compact($"{{ 'meta.exchange': 'binance', 'meta.symbol': 'BTCUSDT', 'meta.interval': '1h', openTime: {{ $gte: {D0}, $lt: {D1} }} }}"),
            Render(f, StoredCandleSerializer.Instance));
        Assert.Equal(Compact("{ openTime: 1 }"), Render(new BsonDocumentSortDefinition<StoredCandle>(MongoSchema.TimeSort()), StoredCandleSerializer.Instance));
    }

    [Fact]
    public void Candle_key_and_superseded_filters_render_exactly()
    {
        var key = new BsonDocumentFilterDefinition<CandleDocument>(MongoSchema.CandleKeyFilter(Meta, T0));
        Assert.Equal(Compact($"{{ 'meta.exchange': 'binance', 'meta.symbol': 'BTCUSDT', 'meta.interval': '1h', openTime: {D0} }}"), Render(key, CandleDocumentSerializer.Instance));

        var id = ObjectId.Parse("65920080aabbccddeeff0011");
        var sup = new BsonDocumentFilterDefinition<CandleDocument>(MongoSchema.SupersededFilter(Meta, [T0, T0 + 86_400_000], [id]));
        Assert.Equal(
            Compact($"{{ 'meta.exchange': 'binance', 'meta.symbol': 'BTCUSDT', 'meta.interval': '1h', openTime: {{ $in: [{D0}, {D1}] }}, _id: {{ $nin: [ObjectId('65920080aabbccddeeff0011')] }} }}"),
            Render(sup, CandleDocumentSerializer.Instance));
    }

    [Fact]
    public void Indicator_key_update_and_projection_render_exactly_with_encoded_names_and_NaN()
    {
        var key = new BsonDocumentFilterDefinition<BsonDocument>(MongoSchema.IndicatorKeyFilter(Meta, T0));
        Assert.Equal(Compact($"{{ exchange: 'binance', symbol: 'BTCUSDT', interval: '1h', openTime: {D0} }}"), Render(key, BsonDocumentSerializer.Instance));

        IndicatorColumn[] columns = [new("sma_20", [1.5, double.NaN]), new("bbands_20_2.0_upper", [2.25, 3]), new("$odd", [4, 5])];
        var encoded = columns.Select(c => FieldNames.Encode(c.Name)).ToArray();
        var update = MongoSchema.IndicatorUpdate(encoded, columns, 1);
        var set = update["$set"].AsBsonDocument;
        Assert.Equal(["values.sma_20", "values.bbands_20_2\uFF0E0_upper", "values.\uFF04odd"], set.Names);
        Assert.Equal(BsonType.Double, set[0].BsonType);
        Assert.True(double.IsNaN(set[0].AsDouble));
        Assert.Equal(3.0, set[1].AsDouble);
        Assert.Equal(Render(new BsonDocumentUpdateDefinition<BsonDocument>(update)), Json(update));

        Assert.Null(MongoSchema.IndicatorProjection(null));
        Assert.Equal(Compact("{ _id: 0, openTime: 1, 'values.rsi_14': 1, 'values.x\uFF0Ey': 1 }"), Json(MongoSchema.IndicatorProjection(["rsi_14", "x.y"])!));
    }

    [Fact]
    public void Anomaly_document_key_and_queries_render_exactly()
    {
        var a = new Anomaly(Btc, T0, AnomalyKinds.VolumeSpike, 7.25, AnomalySeverity.High, "volume 9.1x median");
        Assert.Equal(
            Compact($"{{ exchange: 'binance', symbol: 'BTCUSDT', interval: '1h', openTime: {D0}, kind: 'volume_spike', severity: 2, severityName: 'High', score: 7.25, explanation: 'volume 9.1x median' }}"),
            Json(MongoSchema.AnomalyDocument("binance", "1h", a)));
        Assert.Equal(
            Compact($"{{ exchange: 'binance', symbol: 'BTCUSDT', interval: '1h', openTime: {D0}, kind: 'volume_spike' }}"),
            Json(MongoSchema.AnomalyKeyFilter("binance", "BTCUSDT", "1h", T0, "volume_spike")));

        var byRange = new AnomalyQuery(T0, T0 + 86_400_000) { Symbol = Btc, Interval = Interval.OneHour };
        Assert.Equal(
            Compact($"{{ exchange: 'binance', symbol: 'BTCUSDT', interval: '1h', openTime: {{ $gte: {D0}, $lt: {D1} }} }}"),
            Render(new BsonDocumentFilterDefinition<BsonDocument>(MongoSchema.AnomalyQueryFilter("binance", byRange)), BsonDocumentSerializer.Instance));

        var byKind = new AnomalyQuery(T0, T0 + 86_400_000) { Kinds = ["flash_crash", "price_jump"], MinSeverity = AnomalySeverity.Medium };
        Assert.Equal(
            Compact($"{{ exchange: 'binance', openTime: {{ $gte: {D0}, $lt: {D1} }}, kind: {{ $in: ['flash_crash', 'price_jump'] }}, severity: {{ $gte: 1 }} }}"),
            Json(MongoSchema.AnomalyQueryFilter("binance", byKind)));
        var oneKind = byKind with { Kinds = ["gap"], MinSeverity = null };
        Assert.Equal(Compact($"{{ exchange: 'binance', openTime: {{ $gte: {D0}, $lt: {D1} }}, kind: 'gap' }}"), Json(MongoSchema.AnomalyQueryFilter("binance", oneKind)));
        Assert.Equal(Compact("{ openTime: 1, symbol: 1, kind: 1 }"), Json(MongoSchema.AnomalySort()));
    }

    [Fact]
    public void Anomaly_and_indicator_documents_map_back_and_reject_bad_documents()
    {
        var a = new Anomaly(Btc, T0, AnomalyKinds.FlashCrash, double.NaN, AnomalySeverity.Critical, "why");
        Assert.Equal(a with { Score = 0 }, MongoSchema.ReadAnomaly(MongoSchema.AnomalyDocument("binance", "1m", a), "t") with { Score = 0 });
        Assert.True(double.IsNaN(MongoSchema.ReadAnomaly(MongoSchema.AnomalyDocument("binance", "1m", a), "t").Score));

        var bad = MongoSchema.AnomalyDocument("binance", "1m", a);
        bad["severity"] = 9;
        Assert.Contains("severity", Assert.Throws<MalformedDataException>(() => MongoSchema.ReadAnomaly(bad, "t")).Message);
        bad = MongoSchema.AnomalyDocument("binance", "1m", a);
        bad["symbol"] = "btc/usdt";
        Assert.Contains("symbol", Assert.Throws<MalformedDataException>(() => MongoSchema.ReadAnomaly(bad, "t")).Message);

        var row = BsonDocument.Parse($"{{ openTime: {D0}, values: {{ sma_20: 1.5, 'a\uFF0Eb': NumberInt(2), rsi: NaN }} }}");
        var r = MongoSchema.ReadIndicatorRow(row, "t");
        Assert.Equal(T0, r.OpenTime);
        Assert.Equal(1.5, r.Values["sma_20"]);
        Assert.Equal(2.0, r.Values["a.b"]);
        Assert.True(double.IsNaN(r.Values["rsi"]));
        row["values"]["sma_20"] = "x";
        Assert.Contains("sma_20", Assert.Throws<MalformedDataException>(() => MongoSchema.ReadIndicatorRow(row, "t")).Message);
    }

    [Fact]
    public void Column_names_encode_reversibly_and_bad_ones_are_rejected()
    {
        foreach (var name in new[] { "sma_20", "macd_12_26_9_signal", "bb(20,2.0).upper", "$x.y$", "rsi(14)" })
        {
            var encoded = FieldNames.Encode(name);
            Assert.DoesNotContain('.', encoded);
            Assert.False(encoded.StartsWith('$'));
            Assert.Equal(name, FieldNames.Decode(encoded));
        }
        Assert.Throws<InvalidSpecException>(() => FieldNames.Encode(""));
        Assert.Throws<InvalidSpecException>(() => FieldNames.Encode("a\0b"));
        Assert.Throws<InvalidSpecException>(() => FieldNames.Encode("a\uFF0Eb"));
    }

    [Fact]
    public void Existing_collections_of_the_wrong_kind_are_refused_with_a_clear_error()
    {
        var ts = MongoSchema.TimeSeriesFor(new MongoStoreOptions(), Interval.OneMinute);
        var regular = BsonDocument.Parse("{ name: 'candles_1m', type: 'collection', options: {} }");
        var timeSeries = BsonDocument.Parse("{ name: 'candles_1m', type: 'timeseries', options: { timeseries: { timeField: 'openTime', metaField: 'meta', granularity: 'minutes' } } }");
        var otherFields = BsonDocument.Parse("{ name: 'candles_1m', type: 'timeseries', options: { timeseries: { timeField: 't', metaField: 'm' } } }");

        MongoMarketStore.CheckExisting("candles_1m", timeSeries, timeSeries: true, ts);
        MongoMarketStore.CheckExisting("indicators", regular, timeSeries: false, null);
        Assert.Contains("RegularUpsert", Assert.Throws<MongoStoreException>(() => MongoMarketStore.CheckExisting("candles_1m", regular, true, ts)).Message);
        Assert.Contains("TimeSeriesMerge", Assert.Throws<MongoStoreException>(() => MongoMarketStore.CheckExisting("candles_1m", timeSeries, false, null)).Message);
        Assert.Contains("timeField 't'", Assert.Throws<MongoStoreException>(() => MongoMarketStore.CheckExisting("candles_1m", otherFields, true, ts)).Message);
    }
}
