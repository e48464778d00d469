using System.Buffers.Binary;
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

    // Element-name prefixes (BSON type byte, name, NUL) of the fixed layout.
    private static ReadOnlySpan<byte> IdName => "\u0007_id\0"u8;
    private static ReadOnlySpan<byte> OpenTimeName => "\u0009openTime\0"u8;
    private static ReadOnlySpan<byte> MetaName => "\u0003meta\0"u8;
    private static ReadOnlySpan<byte> SymbolName => "\u0002symbol\0"u8;
    private static ReadOnlySpan<byte> IntervalName => "\u0002interval\0"u8;
    private static ReadOnlySpan<byte> ExchangeName => "\u0002exchange\0"u8;
    private static ReadOnlySpan<byte> OpenName => "\u0001open\0"u8;
    private static ReadOnlySpan<byte> HighName => "\u0001high\0"u8;
    private static ReadOnlySpan<byte> LowName => "\u0001low\0"u8;
    private static ReadOnlySpan<byte> CloseName => "\u0001close\0"u8;
    private static ReadOnlySpan<byte> VolumeName => "\u0001volume\0"u8;
    private static ReadOnlySpan<byte> CloseTimeName => "\u0009closeTime\0"u8;
    private static ReadOnlySpan<byte> QuoteVolumeName => "\u0001quoteVolume\0"u8;
    private static ReadOnlySpan<byte> TradesName => "\u0012trades\0"u8;
    private static ReadOnlySpan<byte> TakerBuyBaseName => "\u0001takerBuyBase\0"u8;
    private static ReadOnlySpan<byte> TakerBuyQuoteName => "\u0001takerBuyQuote\0"u8;

    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>Per-thread encoding buffer and the encoded meta sub-document of the last series seen.</summary>
    private sealed class Scratch
    {
        public readonly byte[] Bytes = new byte[1024];
        public readonly ByteArrayBuffer Buffer;
        public CandleMeta? Meta;
        public byte[] MetaElement = [];

        public Scratch() => Buffer = new ByteArrayBuffer(Bytes, Bytes.Length, isReadOnly: false);
    }

    /// <summary>
    /// Writes the document. On a <see cref="BsonBinaryWriter"/> (what the driver serializes commands with) the bytes are
    /// encoded directly and copied in with <see cref="IBsonWriter.WriteRawBsonDocument"/>; any other writer gets the
    /// same document through the element-by-element API (<see cref="Write"/>).
    /// </summary>
    public void Serialize(BsonSerializationContext context, BsonSerializationArgs args, CandleDocument value)
    {
        if (context.Writer is BsonBinaryWriter binary)
        {
            var scratch = t_scratch ??= new Scratch();
            var length = Encode(scratch, value);
            scratch.Buffer.Length = length;
            binary.WriteRawBsonDocument(scratch.Buffer);
        }
        else
        {
            Write(context.Writer, value);
        }
    }

    /// <summary>Encodes <paramref name="value"/> as BSON into <paramref name="destination"/>; returns its length (the same bytes <see cref="Write"/> produces).</summary>
    internal static int Encode(Span<byte> destination, in CandleDocument value, ReadOnlySpan<byte> metaElement)
    {
        var c = value.Candle;
        var d = destination;
        var p = 4;
        if (value.Id != ObjectId.Empty)
        {
            p = Put(d, p, IdName);
            value.Id.ToByteSpan(d.Slice(p, 12));
            p += 12;
        }
        p = PutInt64(d, Put(d, p, OpenTimeName), c.OpenTime);
        p = Put(d, p, metaElement);
        p = PutDouble(d, Put(d, p, OpenName), c.Open);
        p = PutDouble(d, Put(d, p, HighName), c.High);
        p = PutDouble(d, Put(d, p, LowName), c.Low);
        p = PutDouble(d, Put(d, p, CloseName), c.Close);
        p = PutDouble(d, Put(d, p, VolumeName), c.Volume);
        p = PutInt64(d, Put(d, p, CloseTimeName), c.CloseTime);
        p = PutDouble(d, Put(d, p, QuoteVolumeName), c.QuoteVolume);
        p = PutInt64(d, Put(d, p, TradesName), c.TradeCount);
        p = PutDouble(d, Put(d, p, TakerBuyBaseName), c.TakerBuyBaseVolume);
        p = PutDouble(d, Put(d, p, TakerBuyQuoteName), c.TakerBuyQuoteVolume);
        d[p++] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(d, p);
        return p;
    }

    private static int Encode(Scratch scratch, in CandleDocument value)
    {
        if (!ReferenceEquals(scratch.Meta, value.Meta))
        {
            scratch.MetaElement = EncodeMetaElement(value.Meta);
            scratch.Meta = value.Meta;
        }
        return Encode(scratch.Bytes, value, scratch.MetaElement);
    }

    /// <summary>The <c>meta</c> element: type byte, name, and the <c>{symbol, interval, exchange}</c> sub-document.</summary>
    internal static byte[] EncodeMetaElement(CandleMeta meta)
    {
        foreach (var s in new[] { meta.Symbol, meta.Interval, meta.Exchange })
        {
            if (s.Contains('\0')) throw new MalformedDataException("MongoDB candle document", 0, "meta strings must not contain a NUL character.");
        }
        var buffer = new byte[MetaName.Length + 4 + SymbolName.Length + ExchangeName.Length + IntervalName.Length + 3 * 5 + 1
            + Encoding.UTF8.GetByteCount(meta.Symbol) + Encoding.UTF8.GetByteCount(meta.Interval) + Encoding.UTF8.GetByteCount(meta.Exchange)];
        var d = buffer.AsSpan();
        var p = Put(d, 0, MetaName);
        var start = p;
        p += 4;
        p = PutString(d, Put(d, p, SymbolName), meta.Symbol);
        p = PutString(d, Put(d, p, IntervalName), meta.Interval);
        p = PutString(d, Put(d, p, ExchangeName), meta.Exchange);
        d[p++] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(d[start..], p - start);
        return buffer.AsSpan(0, p).ToArray();
    }

    private static int Put(Span<byte> d, int p, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(d[p..]);
        return p + bytes.Length;
    }

    private static int PutInt64(Span<byte> d, int p, long v)
    {
        BinaryPrimitives.WriteInt64LittleEndian(d[p..], v);
        return p + 8;
    }

    private static int PutDouble(Span<byte> d, int p, double v)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(d[p..], v);
        return p + 8;
    }

    private static int PutString(Span<byte> d, int p, string s)
    {
        var n = Encoding.UTF8.GetBytes(s, d[(p + 4)..]);
        d[p + 4 + n] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(d[p..], n + 1);
        return p + 4 + n + 1;
    }

    /// <summary>Writes the document element by element through any <see cref="IBsonWriter"/>.</summary>
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

    /// <summary>
    /// Reads one candle. From a <see cref="BsonBinaryReader"/> (what the driver reads replies with) the document's bytes are
    /// taken whole and decoded directly; anything unusual (other types, missing fields) goes through the reader-based
    /// path (<see cref="Read"/>), which also produces the error messages.
    /// </summary>
    public StoredCandle Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args)
    {
        if (context.Reader is not BsonBinaryReader binary) return Read(context.Reader, null);
        using var slice = binary.ReadRawBsonDocument();
        var length = slice.Length;
        var segment = slice.AccessBackingBytes(0);
        byte[]? rented = null;
        ReadOnlySpan<byte> bytes;
        if (segment.Count >= length)
        {
            bytes = segment.AsSpan(0, length);
        }
        else
        {
            rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
            slice.GetBytes(0, rented, 0, length);
            bytes = rented.AsSpan(0, length);
        }
        try
        {
            if (TryDecode(bytes, out var candle)) return candle;
            using var reader = new BsonBinaryReader(new ByteBufferStream(new ByteArrayBuffer(bytes.ToArray(), isReadOnly: true)));
            return Read(reader, null);
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [ThreadStatic] private static byte[]? t_idBytes;

    private static readonly byte[][] Utf8Names = Names.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>Decodes a candle document from its bytes; false when it holds anything the fast path does not handle.</summary>
    internal static bool TryDecode(ReadOnlySpan<byte> doc, out StoredCandle result)
    {
        result = default;
        if (doc.Length < 5 || BinaryPrimitives.ReadInt32LittleEndian(doc) != doc.Length || doc[^1] != 0) return false;
        long openTime = 0, closeTime = 0, trades = 0;
        double open = 0, high = 0, low = 0, close = 0, volume = 0, quote = 0, takerBase = 0, takerQuote = 0;
        var id = ObjectId.Empty;
        var seen = 0;
        var guess = 0;
        var p = 4;
        while (p < doc.Length - 1)
        {
            var type = (BsonType)doc[p++];
            var nameEnd = doc[p..].IndexOf((byte)0);
            if (nameEnd < 0) return false;
            var name = doc.Slice(p, nameEnd);
            p += nameEnd + 1;
            // Documents usually come back in the order they were written: try the field after the previous one first.
            var f = -1;
            if (guess < Utf8Names.Length && name.SequenceEqual(Utf8Names[guess]))
            {
                f = guess;
            }
            else
            {
                for (var i = 0; i < Utf8Names.Length; i++)
                {
                    if (name.SequenceEqual(Utf8Names[i])) { f = i; break; }
                }
            }
            if (f >= 0) guess = f + 1;
            int size;
            switch (type)
            {
                case BsonType.Double:
                case BsonType.Int64:
                case BsonType.DateTime:
                case BsonType.Timestamp: size = 8; break;
                case BsonType.Int32: size = 4; break;
                case BsonType.ObjectId: size = 12; break;
                case BsonType.Boolean: size = 1; break;
                case BsonType.Null:
                case BsonType.Undefined:
                case BsonType.MinKey:
                case BsonType.MaxKey: size = 0; break;
                case BsonType.String:
                case BsonType.Symbol:
                case BsonType.JavaScript:
                    if (p + 4 > doc.Length) return false;
                    size = 4 + BinaryPrimitives.ReadInt32LittleEndian(doc[p..]);
                    break;
                case BsonType.Document:
                case BsonType.Array:
                    if (p + 4 > doc.Length) return false;
                    size = BinaryPrimitives.ReadInt32LittleEndian(doc[p..]);
                    break;
                case BsonType.Binary:
                    if (p + 4 > doc.Length) return false;
                    size = 5 + BinaryPrimitives.ReadInt32LittleEndian(doc[p..]);
                    break;
                case BsonType.Decimal128: size = 16; break;
                default: return false; // rare types: let the reader-based path handle them
            }
            if (size < 0 || p + size > doc.Length - 1) return false;
            var v = doc.Slice(p, size);
            p += size;
            if (f < 0) continue;
            switch (f)
            {
                case FId:
                    if (type == BsonType.ObjectId)
                    {
                        var idBytes = t_idBytes ??= new byte[12]; // ObjectId copies the bytes; no allocation per document
                        v.CopyTo(idBytes);
                        id = new ObjectId(idBytes);
                    }
                    break;
                case FMeta:
                    break;
                case FOpenTime:
                    if (type != BsonType.DateTime) return false;
                    openTime = BinaryPrimitives.ReadInt64LittleEndian(v);
                    break;
                case FCloseTime:
                    if (type != BsonType.DateTime) return false;
                    closeTime = BinaryPrimitives.ReadInt64LittleEndian(v);
                    break;
                case FTrades:
                    if (type == BsonType.Int64) trades = BinaryPrimitives.ReadInt64LittleEndian(v);
                    else if (type == BsonType.Int32) trades = BinaryPrimitives.ReadInt32LittleEndian(v);
                    else return false;
                    break;
                default:
                    double x;
                    if (type == BsonType.Double) x = BinaryPrimitives.ReadDoubleLittleEndian(v);
                    else if (type == BsonType.Int32) x = BinaryPrimitives.ReadInt32LittleEndian(v);
                    else if (type == BsonType.Int64) x = BinaryPrimitives.ReadInt64LittleEndian(v);
                    else return false;
                    switch (f)
                    {
                        case FOpen: open = x; break;
                        case FHigh: high = x; break;
                        case FLow: low = x; break;
                        case FClose: close = x; break;
                        case FVolume: volume = x; break;
                        case FQuoteVolume: quote = x; break;
                        case FTakerBase: takerBase = x; break;
                        case FTakerQuote: takerQuote = x; break;
                    }
                    break;
            }
            seen |= 1 << f;
        }
        if ((seen & Required) != Required) return false;
        result = new StoredCandle(new Candle(openTime, open, high, low, close, volume, closeTime, quote, trades, takerBase, takerQuote), id);
        return true;
    }

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
