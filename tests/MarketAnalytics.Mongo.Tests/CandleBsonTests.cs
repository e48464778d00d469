using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using Xunit;
using static MarketAnalytics.Mongo.Tests.TestData;

namespace MarketAnalytics.Mongo.Tests;

public sealed class CandleBsonTests
{
    private static readonly CandleMeta Meta = new("BTCUSDT", "1m", "binance");

    [Fact]
    public void Candle_document_has_exact_field_names_order_and_BSON_types()
    {
        var c = new Candle(T0, 42000.5, 42010, 41990.25, 42005.75, 12.5, T0 + 59_999, 525_000.125, 1234, 6.25, 262_500.0625);
        var doc = BsonSerializer.Deserialize<BsonDocument>(ToBytes(CandleDocumentSerializer.Instance, new CandleDocument(Meta, c, ObjectId.Empty)));

        Assert.Equal(
            ["openTime", "meta", "open", "high", "low", "close", "volume", "closeTime", "quoteVolume", "trades", "takerBuyBase", "takerBuyQuote"],
            doc.Names);
        Assert.Equal(new BsonDateTime(T0), doc["openTime"]);
        Assert.Equal(BsonType.DateTime, doc["openTime"].BsonType);
        Assert.Equal(BsonDocument.Parse("{ symbol: 'BTCUSDT', interval: '1m', exchange: 'binance' }"), doc["meta"]);
        Assert.Equal(["symbol", "interval", "exchange"], doc["meta"].AsBsonDocument.Names);
        foreach (var f in new[] { "open", "high", "low", "close", "volume", "quoteVolume", "takerBuyBase", "takerBuyQuote" })
            Assert.Equal(BsonType.Double, doc[f].BsonType);
        Assert.Equal(BsonType.Int64, doc["trades"].BsonType);
        Assert.Equal(1234L, doc["trades"].AsInt64);
        Assert.Equal(new BsonDateTime(T0 + 59_999), doc["closeTime"]);
        Assert.Equal(42005.75, doc["close"].AsDouble);
        Assert.Equal(2024, doc["openTime"].ToUniversalTime().Year);
    }

    [Fact]
    public void Id_is_written_first_only_when_set()
    {
        var id = ObjectId.Parse("65920080aabbccddeeff0011");
        var with = BsonSerializer.Deserialize<BsonDocument>(ToBytes(CandleDocumentSerializer.Instance, new CandleDocument(Meta, Candle(T0, 1), id)));
        Assert.Equal("_id", with.GetElement(0).Name);
        Assert.Equal(id, with["_id"].AsObjectId);
        var without = BsonSerializer.Deserialize<BsonDocument>(ToBytes(CandleDocumentSerializer.Instance, new CandleDocument(Meta, Candle(T0, 1), ObjectId.Empty)));
        Assert.False(without.Contains("_id"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("4.94065645841247E-324")]
    [InlineData("1.7976931348623157E+308")]
    [InlineData("0.30000000000000004")]
    public void Round_trip_is_bit_exact_including_NaN_and_signed_zero(string text)
    {
        var x = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var c = new Candle(T0, x, x, x, x, x, T0 + 59_999, x, -1, x, x);
        var id = ObjectId.GenerateNewId();
        var bytes = ToBytes(CandleDocumentSerializer.Instance, new CandleDocument(Meta, c, id));

        var full = FromBytes(CandleDocumentSerializer.Instance, bytes);
        AssertSameBits(c, full.Candle);
        Assert.Equal(Meta, full.Meta);
        Assert.Equal(id, full.Id);

        var stored = FromBytes(StoredCandleSerializer.Instance, bytes);
        AssertSameBits(c, stored.Candle);
        Assert.Equal(id, stored.Id);
    }

    [Fact]
    public void NaN_is_stored_as_a_BSON_double_NaN_not_null_or_missing()
    {
        var c = MarketAnalytics.Candle.FromOhlcv(T0, 1, 2, 0.5, 1.5, 10, T0 + 59_999);
        var doc = BsonSerializer.Deserialize<BsonDocument>(ToBytes(CandleDocumentSerializer.Instance, new CandleDocument(Meta, c, ObjectId.Empty)));
        Assert.Equal(BsonType.Double, doc["quoteVolume"].BsonType);
        Assert.True(double.IsNaN(doc["quoteVolume"].AsDouble));
        Assert.True(double.IsNaN(doc["takerBuyBase"].AsDouble));
        Assert.Equal(-1L, doc["trades"].AsInt64);
    }

    [Fact]
    public void Reads_any_field_order_and_skips_unknown_fields_as_time_series_collections_return_them()
    {
        // Time-series collections hand documents back with their own field order and may add fields.
        var doc = BsonDocument.Parse("""
            { meta: { interval: '1m', exchange: 'binance', symbol: 'BTCUSDT' }, extra: [1, 2, { a: 1 }],
              takerBuyQuote: 5.5, trades: NumberInt(7), close: 3, _id: ObjectId('65920080aabbccddeeff0011'),
              openTime: ISODate('2024-01-01T00:00:00Z'), high: 4.5, takerBuyBase: NumberLong(2), low: 1.0, open: 2.0,
              volume: 10.0, quoteVolume: NumberDecimal('30.25'), closeTime: ISODate('2024-01-01T00:00:59.999Z') }
            """);
        var s = FromDocument(StoredCandleSerializer.Instance, doc);
        AssertSameBits(new Candle(T0, 2, 4.5, 1, 3, 10, T0 + 59_999, 30.25, 7, 2, 5.5), s.Candle);
        Assert.Equal(ObjectId.Parse("65920080aabbccddeeff0011"), s.Id);

        var full = FromDocument(CandleDocumentSerializer.Instance, doc);
        Assert.Equal(Meta, full.Meta);

        // Same through the binary reader (the name decoder path the driver uses).
        var viaBytes = FromBytes(StoredCandleSerializer.Instance, doc.ToBson());
        AssertSameBits(s.Candle, viaBytes.Candle);
    }

    [Fact]
    public void Missing_or_mistyped_fields_raise_MalformedDataException_naming_the_field()
    {
        var good = BsonSerializer.Deserialize<BsonDocument>(ToBytes(CandleDocumentSerializer.Instance, new CandleDocument(Meta, Candle(T0, 100), ObjectId.Empty)));

        var missing = good.DeepClone().AsBsonDocument;
        missing.Remove("close");
        missing.Remove("trades");
        var e1 = Assert.Throws<MalformedDataException>(() => FromBytes(StoredCandleSerializer.Instance, missing.ToBson()));
        Assert.Contains("close", e1.Message);
        Assert.Contains("trades", e1.Message);
        Assert.Contains("2024-01-01T00:00:00.000Z", e1.Message);

        var wrongTime = good.DeepClone().AsBsonDocument;
        wrongTime["openTime"] = T0; // int64 instead of a date
        var e2 = Assert.Throws<MalformedDataException>(() => FromBytes(StoredCandleSerializer.Instance, wrongTime.ToBson()));
        Assert.Contains("openTime", e2.Message);
        Assert.Contains("Int64", e2.Message);

        var wrongPrice = good.DeepClone().AsBsonDocument;
        wrongPrice["high"] = "42000";
        var e3 = Assert.Throws<MalformedDataException>(() => FromBytes(StoredCandleSerializer.Instance, wrongPrice.ToBson()));
        Assert.Contains("'high'", e3.Message);

        var noMeta = good.DeepClone().AsBsonDocument;
        noMeta.Remove("meta");
        Assert.Throws<MalformedDataException>(() => FromBytes(CandleDocumentSerializer.Instance, noMeta.ToBson()));
        Assert.Equal(100, FromBytes(StoredCandleSerializer.Instance, noMeta.ToBson()).Candle.Open); // meta is not needed to read a candle
    }

    [Fact]
    public void The_driver_registry_resolves_the_hand_written_serializers()
    {
        Assert.IsType<CandleDocumentSerializer>(BsonSerializer.LookupSerializer<CandleDocument>());
        Assert.IsType<StoredCandleSerializer>(BsonSerializer.LookupSerializer<StoredCandle>());
        Assert.Throws<NotSupportedException>(() => ToBytes(StoredCandleSerializer.Instance, default));
    }

    [Fact]
    public void Many_documents_in_one_stream_round_trip_in_order()
    {
        var series = Series(500);
        using var ms = new MemoryStream();
        using (var w = new MongoDB.Bson.IO.BsonBinaryWriter(ms))
        {
            // Through the serializer, i.e. the raw fast path with its reused per-thread buffer.
            for (var i = 0; i < series.Count; i++)
                CandleDocumentSerializer.Instance.Serialize(BsonSerializationContext.CreateRoot(w), default, new CandleDocument(i % 2 == 0 ? Meta : Meta with { Symbol = "ETHUSDT" }, series[i], i % 3 == 0 ? ObjectId.Empty : ObjectId.GenerateNewId()));
        }
        ms.Position = 0;
        using var r = new MongoDB.Bson.IO.BsonBinaryReader(ms);
        for (var i = 0; i < series.Count; i++)
        {
            var s = CandleDocumentSerializer.Instance.Deserialize(BsonDeserializationContext.CreateRoot(r));
            AssertSameBits(series[i], s.Candle);
            Assert.Equal(i % 2 == 0 ? "BTCUSDT" : "ETHUSDT", s.Meta.Symbol);
            Assert.Equal(i % 3 == 0, s.Id == ObjectId.Empty);
        }
    }

    [Fact]
    public void Raw_fast_path_writes_exactly_the_bytes_of_the_element_by_element_writer()
    {
        foreach (var id in new[] { ObjectId.Empty, ObjectId.Parse("65920080aabbccddeeff0011") })
        {
            var doc = new CandleDocument(new CandleMeta("BTCUSDT", "1M", "binance-us"), MarketAnalytics.Candle.FromOhlcv(T0, 1, 2, 0.5, double.NaN, 1e-300, T0 + 59_999), id);
            // (Not -0.0 here: BsonDocument caches BsonDouble 0.0 and so loses the sign; the binary path keeps it, see the round-trip test.)
            var raw = ToBytes(CandleDocumentSerializer.Instance, doc); // BsonBinaryWriter: raw path
            var viaDocumentWriter = new BsonDocument();
            using (var w = new MongoDB.Bson.IO.BsonDocumentWriter(viaDocumentWriter))
                CandleDocumentSerializer.Instance.Serialize(BsonSerializationContext.CreateRoot(w), default, doc); // element path
            Assert.Equal(viaDocumentWriter.ToBson(), raw);

            var buffer = new byte[512];
            var n = CandleDocumentSerializer.Encode(buffer, doc, CandleDocumentSerializer.EncodeMetaElement(doc.Meta));
            Assert.Equal(raw, buffer[..n]);
        }
    }

    [Fact]
    public void Raw_fast_path_works_nested_as_in_an_update_statement()
    {
        var doc = new CandleDocument(Meta, Candle(T0, 5), ObjectId.Empty);
        using var ms = new MemoryStream();
        using (var w = new MongoDB.Bson.IO.BsonBinaryWriter(ms))
        {
            w.WriteStartDocument();
            w.WriteName("q");
            w.WriteStartDocument();
            w.WriteEndDocument();
            w.WriteName("u");
            CandleDocumentSerializer.Instance.Serialize(BsonSerializationContext.CreateRoot(w), default, doc);
            w.WriteName("upsert");
            w.WriteBoolean(true);
            w.WriteEndDocument();
        }
        var statement = BsonSerializer.Deserialize<BsonDocument>(ms.ToArray());
        Assert.Equal(["q", "u", "upsert"], statement.Names);
        AssertSameBits(Candle(T0, 5), FromDocument(StoredCandleSerializer.Instance, statement["u"].AsBsonDocument).Candle);
    }

    [Fact]
    public void Fast_decoder_handles_standard_reordered_and_integer_documents_and_declines_the_rest()
    {
        var c = Candle(T0, 100);
        var standard = ToBytes(CandleDocumentSerializer.Instance, new CandleDocument(Meta, c, ObjectId.Parse("65920080aabbccddeeff0011")));
        Assert.True(StoredCandleSerializer.TryDecode(standard, out var s));
        AssertSameBits(c, s.Candle);
        Assert.Equal(ObjectId.Parse("65920080aabbccddeeff0011"), s.Id);

        var reordered = BsonDocument.Parse("""
            { x: { $binary: { base64: 'AAEC', subType: '00' } }, b: true, n: null, close: NumberInt(3), trades: NumberInt(7), meta: { s: 1 },
              openTime: ISODate('2024-01-01T00:00:00Z'), high: NumberLong(4), low: 1.0, open: 2.0, volume: 10.0, quoteVolume: 1.5,
              takerBuyBase: 2.0, takerBuyQuote: 5.5, closeTime: ISODate('2024-01-01T00:00:59.999Z'), arr: [1, 'a'] }
            """).ToBson();
        Assert.True(StoredCandleSerializer.TryDecode(reordered, out s));
        AssertSameBits(new Candle(T0, 2, 4, 1, 3, 10, T0 + 59_999, 1.5, 7, 2, 5.5), s.Candle);
        Assert.Equal(ObjectId.Empty, s.Id);

        var doc = BsonSerializer.Deserialize<BsonDocument>(standard);
        doc["quoteVolume"] = new BsonDecimal128(30.25m);
        Assert.False(StoredCandleSerializer.TryDecode(doc.ToBson(), out _)); // handled by the reader path
        Assert.Equal(30.25, FromBytes(StoredCandleSerializer.Instance, doc.ToBson()).Candle.QuoteVolume);
        doc.Remove("quoteVolume");
        Assert.False(StoredCandleSerializer.TryDecode(doc.ToBson(), out _));
        Assert.False(StoredCandleSerializer.TryDecode(standard.AsSpan(0, standard.Length - 1), out _)); // truncated
    }

    [Fact]
    public void Documents_split_across_buffer_chunks_are_read_correctly()
    {
        // The driver reads replies into multi-chunk buffers, so one document can straddle two chunks.
        var series = Series(20);
        using var ms = new MemoryStream();
        using (var w = new MongoDB.Bson.IO.BsonBinaryWriter(ms))
        {
            for (var i = 0; i < series.Count; i++) CandleDocumentSerializer.Write(w, new CandleDocument(Meta, series[i], ObjectId.GenerateNewId()));
        }
        var all = ms.ToArray();
        var chunks = new List<MongoDB.Bson.IO.IBsonChunk>();
        for (var o = 0; o < all.Length; o += 97) chunks.Add(new MongoDB.Bson.IO.ByteArrayChunk(all.AsSpan(o, Math.Min(97, all.Length - o)).ToArray()));
        var buffer = new MongoDB.Bson.IO.MultiChunkBuffer(chunks, all.Length, isReadOnly: true);
        using var r = new MongoDB.Bson.IO.BsonBinaryReader(new MongoDB.Bson.IO.ByteBufferStream(buffer));
        for (var i = 0; i < series.Count; i++)
            AssertSameBits(series[i], StoredCandleSerializer.Instance.Deserialize(BsonDeserializationContext.CreateRoot(r)).Candle);
    }
}
