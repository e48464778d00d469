using System.Text;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Attributes;

namespace MarketAnalytics.Mongo;

/// <summary>Field names of a candle document. Times are BSON dates (UTC ms); prices and volumes BSON doubles (NaN kept); trades int64.</summary>
internal static class CandleFields
{
    public const string Id = "_id";
    public const string OpenTime = "openTime";
    public const string Meta = "meta";
    public const string Symbol = "symbol";
    public const string Interval = "interval";
    public const string Exchange = "exchange";
    public const string Open = "open";
    public const string High = "high";
    public const string Low = "low";
    public const string Close = "close";
    public const string Volume = "volume";
    public const string CloseTime = "closeTime";
    public const string QuoteVolume = "quoteVolume";
    public const string Trades = "trades";
    public const string TakerBuyBase = "takerBuyBase";
    public const string TakerBuyQuote = "takerBuyQuote";

    public const string MetaSymbol = Meta + "." + Symbol;
    public const string MetaInterval = Meta + "." + Interval;
    public const string MetaExchange = Meta + "." + Exchange;
}

/// <summary>The series a candle belongs to: the time-series metaField <c>{symbol, interval, exchange}</c>.</summary>
internal sealed record CandleMeta(string Symbol, string Interval, string Exchange)
{
    public static CandleMeta Of(SymbolId symbol, Interval interval, string exchange) => new(symbol.Value, interval.Name, exchange);

    public string KeyOf(long openTime) => $"{Exchange} {Symbol} {Interval} {FormatTime(openTime)}";

    public static string FormatTime(long ms) =>
        ms is >= -62135596800000 and <= 253402300799999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : ms.ToString(System.Globalization.CultureInfo.InvariantCulture) + "ms";
}

/// <summary>One candle as written: its series, the candle, and an optional client-generated <c>_id</c>.</summary>
[BsonSerializer(typeof(CandleDocumentSerializer))]
internal readonly record struct CandleDocument(CandleMeta Meta, Candle Candle, ObjectId Id);

/// <summary>One candle as read back: the candle and its <c>_id</c> (used to collapse superseded copies).</summary>
[BsonSerializer(typeof(StoredCandleSerializer))]
internal readonly record struct StoredCandle(Candle Candle, ObjectId Id);

/// <summary>Hand-written mapping of <see cref="CandleDocument"/>: fixed field order, no reflection, no per-field allocation.</summary>
internal sealed class CandleDocumentSerializer : IBsonSerializer<CandleDocument>
{
    public static readonly CandleDocumentSerializer Instance = new();

    public Type ValueType => typeof(CandleDocument);

    public void Serialize(BsonSerializationContext context, BsonSerializationArgs args, CandleDocument value) => Write(context.Writer, value);

    public static void Write(IBsonWriter w, in CandleDocument value)
    {
        var c = value.Candle;
        w.WriteStartDocument();
        if (value.Id != ObjectId.Empty)
        {
            w.WriteName(CandleFields.Id);
            w.WriteObjectId(value.Id);
        }
        w.WriteName(CandleFields.OpenTime);
        w.WriteDateTime(c.OpenTime);
        w.WriteName(CandleFields.Meta);
        w.WriteStartDocument();
        w.WriteName(CandleFields.Symbol);
        w.WriteString(value.Meta.Symbol);
        w.WriteName(CandleFields.Interval);
        w.WriteString(value.Meta.Interval);
        w.WriteName(CandleFields.Exchange);
        w.WriteString(value.Meta.Exchange);
        w.WriteEndDocument();
        w.WriteName(CandleFields.Open);
        w.WriteDouble(c.Open);
        w.WriteName(CandleFields.High);
        w.WriteDouble(c.High);
        w.WriteName(CandleFields.Low);
        w.WriteDouble(c.Low);
        w.WriteName(CandleFields.Close);
        w.WriteDouble(c.Close);
        w.WriteName(CandleFields.Volume);
        w.WriteDouble(c.Volume);
        w.WriteName(CandleFields.CloseTime);
        w.WriteDateTime(c.CloseTime);
        w.WriteName(CandleFields.QuoteVolume);
        w.WriteDouble(c.QuoteVolume);
        w.WriteName(CandleFields.Trades);
        w.WriteInt64(c.TradeCount);
        w.WriteName(CandleFields.TakerBuyBase);
        w.WriteDouble(c.TakerBuyBaseVolume);
        w.WriteName(CandleFields.TakerBuyQuote);
        w.WriteDouble(c.TakerBuyQuoteVolume);
        w.WriteEndDocument();
    }

    public CandleDocument Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args)
    {
        CandleMeta? meta = null;
        var stored = StoredCandleSerializer.Read(context.Reader, r =>
        {
            string? s = null, i = null, x = null;
            r.ReadStartDocument();
            while (r.ReadBsonType() != BsonType.EndOfDocument)
            {
                var name = r.ReadName();
                if (r.CurrentBsonType != BsonType.String) { r.SkipValue(); continue; }
                switch (name)
                {
                    case CandleFields.Symbol: s = r.ReadString(); break;
                    case CandleFields.Interval: i = r.ReadString(); break;
                    case CandleFields.Exchange: x = r.ReadString(); break;
                    default: r.SkipValue(); break;
                }
            }
            r.ReadEndDocument();
            if (s is null || i is null || x is null)
                throw new MalformedDataException("MongoDB candle document", 0, "field 'meta' must hold the strings symbol, interval and exchange.");
            meta = new CandleMeta(s, i, x);
        });
        if (meta is null) throw new MalformedDataException("MongoDB candle document", 0, "field 'meta' is missing.");
        return new CandleDocument(meta, stored.Candle, stored.Id);
    }

    object IBsonSerializer.Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args) => Deserialize(context, args);

    void IBsonSerializer.Serialize(BsonSerializationContext context, BsonSerializationArgs args, object value) => Serialize(context, args, (CandleDocument)value);
}

/// <summary>Reads a candle document into a <see cref="StoredCandle"/> in any field order, skipping <c>meta</c> and unknown fields.</summary>
internal sealed class StoredCandleSerializer : IBsonSerializer<StoredCandle>
{
    public static readonly StoredCandleSerializer Instance = new();

    private const string Source = "MongoDB candle document";

    // Field indexes for the name decoder.
    private const int FId = 0, FOpenTime = 1, FMeta = 2, FOpen = 3, FHigh = 4, FLow = 5, FClose = 6, FVolume = 7,
        FCloseTime = 8, FQuoteVolume = 9, FTrades = 10, FTakerBase = 11, FTakerQuote = 12;

    private static readonly string[] Names =
    [
        CandleFields.Id, CandleFields.OpenTime, CandleFields.Meta, CandleFields.Open, CandleFields.High, CandleFields.Low,
        CandleFields.Close, CandleFields.Volume, CandleFields.CloseTime, CandleFields.QuoteVolume, CandleFields.Trades,
        CandleFields.TakerBuyBase, CandleFields.TakerBuyQuote,
    ];

    // Every field but _id and meta must be present.
    private const int Required = (1 << 13) - 1 & ~(1 << FId) & ~(1 << FMeta);

    [ThreadStatic] private static FieldNameDecoder? t_decoder;

    public Type ValueType => typeof(StoredCandle);

    public StoredCandle Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args) => Read(context.Reader, null);

    internal static StoredCandle Read(IBsonReader r, Action<IBsonReader>? readMeta)
    {
        var decoder = t_decoder ??= new FieldNameDecoder(Names);
        long openTime = 0, closeTime = 0, trades = 0;
        double open = 0, high = 0, low = 0, close = 0, volume = 0, quote = 0, takerBase = 0, takerQuote = 0;
        var id = ObjectId.Empty;
        var seen = 0;
        r.ReadStartDocument();
        while (r.ReadBsonType() != BsonType.EndOfDocument)
        {
            r.ReadName(decoder);
            var f = decoder.Index;
            if (f < 0) { r.SkipValue(); continue; }
            seen |= 1 << f;
            switch (f)
            {
                case FId:
                    if (r.CurrentBsonType == BsonType.ObjectId) id = r.ReadObjectId(); else r.SkipValue();
                    break;
                case FMeta:
                    if (readMeta is null) r.SkipValue(); else readMeta(r);
                    break;
                case FOpenTime: openTime = ReadTime(r, CandleFields.OpenTime); break;
                case FCloseTime: closeTime = ReadTime(r, CandleFields.CloseTime); break;
                case FTrades: trades = ReadInteger(r, CandleFields.Trades); break;
                case FOpen: open = ReadNumber(r, CandleFields.Open); break;
                case FHigh: high = ReadNumber(r, CandleFields.High); break;
                case FLow: low = ReadNumber(r, CandleFields.Low); break;
                case FClose: close = ReadNumber(r, CandleFields.Close); break;
                case FVolume: volume = ReadNumber(r, CandleFields.Volume); break;
                case FQuoteVolume: quote = ReadNumber(r, CandleFields.QuoteVolume); break;
                case FTakerBase: takerBase = ReadNumber(r, CandleFields.TakerBuyBase); break;
                case FTakerQuote: takerQuote = ReadNumber(r, CandleFields.TakerBuyQuote); break;
            }
        }
        r.ReadEndDocument();
        if ((seen & Required) != Required)
        {
            var missing = new List<string>();
            for (var i = 0; i < Names.Length; i++)
                if ((Required & (1 << i)) != 0 && (seen & (1 << i)) == 0) missing.Add(Names[i]);
            throw new MalformedDataException(Source, 0, $"missing field(s) {string.Join(", ", missing)}" + ((seen & (1 << FOpenTime)) != 0 ? $" in the candle opening at {CandleMeta.FormatTime(openTime)}" : string.Empty) + ".");
        }
        return new StoredCandle(new Candle(openTime, open, high, low, close, volume, closeTime, quote, trades, takerBase, takerQuote), id);
    }

    private static long ReadTime(IBsonReader r, string field) => r.CurrentBsonType switch
    {
        BsonType.DateTime => r.ReadDateTime(),
        var t => throw new MalformedDataException(Source, 0, $"field '{field}' is {t}, expected a BSON date."),
    };

    private static long ReadInteger(IBsonReader r, string field) => r.CurrentBsonType switch
    {
        BsonType.Int64 => r.ReadInt64(),
        BsonType.Int32 => r.ReadInt32(),
        var t => throw new MalformedDataException(Source, 0, $"field '{field}' is {t}, expected an integer."),
    };

    private static double ReadNumber(IBsonReader r, string field) => r.CurrentBsonType switch
    {
        BsonType.Double => r.ReadDouble(),
        BsonType.Int32 => r.ReadInt32(),
        BsonType.Int64 => r.ReadInt64(),
        BsonType.Decimal128 => (double)r.ReadDecimal128(),
        var t => throw new MalformedDataException(Source, 0, $"field '{field}' is {t}, expected a number."),
    };

    public void Serialize(BsonSerializationContext context, BsonSerializationArgs args, StoredCandle value) =>
        throw new NotSupportedException("StoredCandle is read-only; write CandleDocument instead.");

    object IBsonSerializer.Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args) => Deserialize(context, args);

    void IBsonSerializer.Serialize(BsonSerializationContext context, BsonSerializationArgs args, object value) => Serialize(context, args, (StoredCandle)value);
}

/// <summary>Matches an element name against a fixed set by its UTF-8 bytes, so reading a known name allocates nothing.</summary>
internal sealed class FieldNameDecoder : INameDecoder
{
    private readonly string[] _names;
    private readonly byte[][] _utf8;

    public FieldNameDecoder(string[] names)
    {
        _names = names;
        _utf8 = names.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    /// <summary>Index of the last decoded name in the set, or −1.</summary>
    public int Index { get; private set; } = -1;

    public string Decode(BsonStream stream, UTF8Encoding encoding)
    {
        var bytes = stream.ReadCStringBytes();
        var span = bytes.AsSpan();
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (span.SequenceEqual(_utf8[i]))
            {
                Index = i;
                return _names[i];
            }
        }
        Index = -1;
        return encoding.GetString(span);
    }

    public void Inform(string name)
    {
        Index = Array.IndexOf(_names, name);
    }
}
