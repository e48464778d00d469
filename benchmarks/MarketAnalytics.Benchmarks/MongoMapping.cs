using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MarketAnalytics.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Attributes;

namespace MarketAnalytics.Benchmarks;

/// <summary>
/// BSON mapping throughput of candles: the store's hand-written serializers against the driver's default
/// class-map (attribute-mapped POCO) serialization of the same document shape. Results are per candle.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MongoMapping
{
    private const int N = 10_000;

    private CandleSeries _series = null!;
    private CandleMeta _meta = null!;
    private IBsonSerializer<CandlePoco> _poco = null!;
    private ByteBufferStream _out = null!;
    private byte[] _bytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var interval = Interval.OneMinute;
        _series = new CandleSeries(SymbolId.Parse("BTCUSDT"), interval, N);
        var rng = new Random(42);
        var price = 42_000.0;
        const long t0 = 1_704_067_200_000;
        for (var i = 0; i < N; i++)
        {
            price *= 1 + (rng.NextDouble() - 0.5) * 0.002;
            var t = interval.Add(t0, i);
            var v = rng.NextDouble() * 50;
            _series.Add(new Candle(t, price, price * 1.001, price * 0.999, price * (1 + (rng.NextDouble() - 0.5) * 0.001), v,
                interval.CloseTime(t), v * price, rng.Next(100, 5000), v / 2, v * price / 2));
        }
        _meta = new CandleMeta("BTCUSDT", "1m", "binance");
        _poco = BsonSerializer.LookupSerializer<CandlePoco>();
        // The driver serializes into and deserializes from ByteBufferStreams; so do these benchmarks.
        _out = new ByteBufferStream(new ByteArrayBuffer(new byte[N * 400]));

        // Input for the read benchmarks: N documents as the server would return them.
        using var ms = new MemoryStream();
        using (var w = new BsonBinaryWriter(ms))
        {
            for (var i = 0; i < N; i++) CandleDocumentSerializer.Write(w, new CandleDocument(_meta, _series[i], ObjectId.GenerateNewId()));
        }
        _bytes = ms.ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("write")]
    public long Write_DriverClassMap()
    {
        _out.Position = 0;
        var w = new BsonBinaryWriter(_out); // not disposed: the stream is reused
        for (var i = 0; i < N; i++)
        {
            var c = _series[i];
            var doc = new CandlePoco
            {
                Id = ObjectId.GenerateNewId(),
                OpenTime = DateTime.UnixEpoch.AddMilliseconds(c.OpenTime),
                Meta = new CandleMetaPoco { Symbol = _meta.Symbol, Interval = _meta.Interval, Exchange = _meta.Exchange },
                Open = c.Open, High = c.High, Low = c.Low, Close = c.Close, Volume = c.Volume,
                CloseTime = DateTime.UnixEpoch.AddMilliseconds(c.CloseTime),
                QuoteVolume = c.QuoteVolume, Trades = c.TradeCount, TakerBuyBase = c.TakerBuyBaseVolume, TakerBuyQuote = c.TakerBuyQuoteVolume,
            };
            _poco.Serialize(BsonSerializationContext.CreateRoot(w), doc);
        }
        return _out.Position;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("write")]
    public long Write_HandWritten()
    {
        _out.Position = 0;
        var w = new BsonBinaryWriter(_out); // not disposed: the stream is reused
        var serializer = CandleDocumentSerializer.Instance;
        for (var i = 0; i < N; i++)
            serializer.Serialize(BsonSerializationContext.CreateRoot(w), default, new CandleDocument(_meta, _series[i], ObjectId.GenerateNewId()));
        return _out.Position;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("read")]
    public double Read_DriverClassMap()
    {
        using var r = new BsonBinaryReader(new ByteBufferStream(new ByteArrayBuffer(_bytes, isReadOnly: true)), BsonBinaryReaderSettings.Defaults);
        var sum = 0.0;
        for (var i = 0; i < N; i++)
        {
            var p = _poco.Deserialize(BsonDeserializationContext.CreateRoot(r));
            var c = new Candle((long)(p.OpenTime - DateTime.UnixEpoch).TotalMilliseconds, p.Open, p.High, p.Low, p.Close, p.Volume,
                (long)(p.CloseTime - DateTime.UnixEpoch).TotalMilliseconds, p.QuoteVolume, p.Trades, p.TakerBuyBase, p.TakerBuyQuote);
            sum += c.Close;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("read")]
    public double Read_HandWritten()
    {
        using var r = new BsonBinaryReader(new ByteBufferStream(new ByteArrayBuffer(_bytes, isReadOnly: true)), BsonBinaryReaderSettings.Defaults);
        var serializer = StoredCandleSerializer.Instance;
        var sum = 0.0;
        for (var i = 0; i < N; i++) sum += serializer.Deserialize(BsonDeserializationContext.CreateRoot(r), default).Candle.Close;
        return sum;
    }

    /// <summary>The same document shape mapped the default way: an attribute-mapped class and the driver's class-map serializer.</summary>
    public sealed class CandlePoco
    {
        [BsonId] public ObjectId Id { get; set; }
        [BsonElement("openTime")] public DateTime OpenTime { get; set; }
        [BsonElement("meta")] public CandleMetaPoco Meta { get; set; } = null!;
        [BsonElement("open")] public double Open { get; set; }
        [BsonElement("high")] public double High { get; set; }
        [BsonElement("low")] public double Low { get; set; }
        [BsonElement("close")] public double Close { get; set; }
        [BsonElement("volume")] public double Volume { get; set; }
        [BsonElement("closeTime")] public DateTime CloseTime { get; set; }
        [BsonElement("quoteVolume")] public double QuoteVolume { get; set; }
        [BsonElement("trades")] public long Trades { get; set; }
        [BsonElement("takerBuyBase")] public double TakerBuyBase { get; set; }
        [BsonElement("takerBuyQuote")] public double TakerBuyQuote { get; set; }
    }

    /// <summary>The metaField sub-document.</summary>
    public sealed class CandleMetaPoco
    {
        [BsonElement("symbol")] public string Symbol { get; set; } = "";
        [BsonElement("interval")] public string Interval { get; set; } = "";
        [BsonElement("exchange")] public string Exchange { get; set; } = "";
    }
}
