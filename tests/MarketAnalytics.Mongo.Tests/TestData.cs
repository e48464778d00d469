using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace MarketAnalytics.Mongo.Tests;

internal static class TestData
{
    public static readonly SymbolId Btc = SymbolId.Parse("BTCUSDT");

    /// <summary>2024-01-01T00:00:00Z.</summary>
    public const long T0 = 1704067200000;

    public static Candle Candle(long openTime, double price, Interval? interval = null)
    {
        var iv = interval ?? Interval.OneMinute;
        return new Candle(openTime, price, price + 2.5, price - 1.25, price + 0.5, 12.75 + price / 1000, iv.CloseTime(openTime),
            (12.75 + price / 1000) * price, 42 + (long)(price % 7), 6.5, 6.5 * price);
    }

    public static CandleSeries Series(int count, double basePrice = 40000, Interval? interval = null, long start = T0)
    {
        var iv = interval ?? Interval.OneMinute;
        var s = new CandleSeries(Btc, iv, count);
        for (var i = 0; i < count; i++) s.Add(Candle(iv.Add(start, i), basePrice + i * 0.5, iv));
        return s;
    }

    public static byte[] ToBytes<T>(IBsonSerializer<T> serializer, T value)
    {
        using var ms = new MemoryStream();
        using (var w = new BsonBinaryWriter(ms))
        {
            serializer.Serialize(BsonSerializationContext.CreateRoot(w), value);
        }
        return ms.ToArray();
    }

    public static T FromBytes<T>(IBsonSerializer<T> serializer, byte[] bytes)
    {
        using var r = new BsonBinaryReader(new MemoryStream(bytes));
        return serializer.Deserialize(BsonDeserializationContext.CreateRoot(r));
    }

    public static T FromDocument<T>(IBsonSerializer<T> serializer, BsonDocument doc)
    {
        using var r = new BsonDocumentReader(doc);
        return serializer.Deserialize(BsonDeserializationContext.CreateRoot(r));
    }

    public static string Json(BsonDocument d) => d.ToJson(new JsonWriterSettings { OutputMode = JsonOutputMode.RelaxedExtendedJson });

    public static void AssertSameBits(Candle expected, Candle actual) =>
        Xunit.Assert.True(CandleMerge.SameBits(expected, actual), $"expected {expected} but read {actual}");
}
