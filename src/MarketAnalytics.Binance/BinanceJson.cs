using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MarketAnalytics.Binance;

/// <summary>Allocation-light parsers of Binance's JSON answers (Utf8JsonReader, no DOM).</summary>
internal static class BinanceJson
{
    /// <summary>Parses a klines answer (array of 12-element arrays, prices as strings) into <paramref name="into"/>.</summary>
    /// <returns>The number of candles added.</returns>
    /// <exception cref="JsonException">The body is not a complete klines array (truncated, invalid).</exception>
    public static int ParseKlines(ReadOnlySpan<byte> utf8, CandleSeries into)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        Expect(ref reader, JsonTokenType.StartArray);
        var added = 0;
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray) break;
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"kline {added}: expected an array, got {reader.TokenType}");
            var openTime = ReadLong(ref reader);
            var open = ReadDouble(ref reader);
            var high = ReadDouble(ref reader);
            var low = ReadDouble(ref reader);
            var close = ReadDouble(ref reader);
            var volume = ReadDouble(ref reader);
            var closeTime = ReadLong(ref reader);
            var quote = ReadDouble(ref reader);
            var trades = ReadLong(ref reader);
            var takerBase = ReadDouble(ref reader);
            var takerQuote = ReadDouble(ref reader);
            // Field 11 ("ignore") and anything Binance may append later.
            var depth = 0;
            while (true)
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray && depth == 0) break;
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject) depth++;
                else if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject) depth--;
            }
            into.Add(new Candle(openTime, open, high, low, close, volume, closeTime, quote, trades, takerBase, takerQuote));
            added++;
        }
        if (reader.Read()) throw new JsonException("trailing data after the klines array");
        return added;
    }

    /// <summary>True when the body looks like a Binance error object.</summary>
    public static bool TryParseError(ReadOnlySpan<byte> utf8, out int code, out string message)
    {
        code = 0;
        message = string.Empty;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var c)) { code = c; found = true; }
                }
                else if (reader.ValueTextEquals("msg"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) message = reader.GetString() ?? string.Empty;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return found;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Parses <c>{"serverTime":...}</c>.</summary>
    public static long ParseServerTime(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        Expect(ref reader, JsonTokenType.StartObject);
        long? time = null;
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (reader.ValueTextEquals("serverTime"u8)) time = ReadLong(ref reader);
            else { Read(ref reader); reader.Skip(); }
        }
        return time ?? throw new JsonException("serverTime missing");
    }

    /// <summary>Parses the parts of exchangeInfo we use; unknown enum values and fields are tolerated.</summary>
    public static BinanceExchangeInfo ParseExchangeInfo(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        Expect(ref reader, JsonTokenType.StartObject);
        long serverTime = 0;
        var limits = new List<BinanceRateLimit>();
        var symbols = new List<BinanceSymbolInfo>();
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (reader.ValueTextEquals("serverTime"u8)) serverTime = ReadLong(ref reader);
            else if (reader.ValueTextEquals("rateLimits"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (true)
                {
                    Read(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray) break;
                    if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("rateLimits entry is not an object");
                    string type = "", unit = "";
                    int num = 0, limit = 0;
                    while (true)
                    {
                        Read(ref reader);
                        if (reader.TokenType == JsonTokenType.EndObject) break;
                        if (reader.ValueTextEquals("rateLimitType"u8)) type = ReadString(ref reader);
                        else if (reader.ValueTextEquals("interval"u8)) unit = ReadString(ref reader);
                        else if (reader.ValueTextEquals("intervalNum"u8)) num = checked((int)ReadLong(ref reader));
                        else if (reader.ValueTextEquals("limit"u8)) limit = checked((int)ReadLong(ref reader));
                        else { Read(ref reader); reader.Skip(); }
                    }
                    limits.Add(new BinanceRateLimit(BinanceRateLimit.ParseType(type), type, unit, num, limit));
                }
            }
            else if (reader.ValueTextEquals("symbols"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (true)
                {
                    Read(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray) break;
                    if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("symbols entry is not an object");
                    string symbol = "", status = "", baseAsset = "", quoteAsset = "";
                    while (true)
                    {
                        Read(ref reader);
                        if (reader.TokenType == JsonTokenType.EndObject) break;
                        if (reader.ValueTextEquals("symbol"u8)) symbol = ReadString(ref reader);
                        else if (reader.ValueTextEquals("status"u8)) status = ReadString(ref reader);
                        else if (reader.ValueTextEquals("baseAsset"u8)) baseAsset = ReadString(ref reader);
                        else if (reader.ValueTextEquals("quoteAsset"u8)) quoteAsset = ReadString(ref reader);
                        else { Read(ref reader); reader.Skip(); }
                    }
                    // Symbols that do not fit our validated form are skipped rather than failing the whole answer.
                    if (SymbolId.TryParse(symbol, out var id)) symbols.Add(new BinanceSymbolInfo(id, status, baseAsset, quoteAsset));
                }
            }
            else { Read(ref reader); reader.Skip(); }
        }
        return new BinanceExchangeInfo(serverTime, limits, symbols);
    }

    private static void Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException("unexpected end of data (truncated body?)");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        Read(ref reader);
        if (reader.TokenType != type) throw new JsonException($"expected {type}, got {reader.TokenType}");
    }

    private static string ReadString(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        return reader.TokenType == JsonTokenType.String ? reader.GetString() ?? "" : throw new JsonException($"expected a string, got {reader.TokenType}");
    }

    internal static long ReadLong(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var v)) return v;
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
            && long.TryParse(reader.ValueSpan, NumberStyles.Integer, CultureInfo.InvariantCulture, out v)) return v;
        throw new JsonException($"expected an integer, got {reader.TokenType}");
    }

    internal static double ReadDouble(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!reader.ValueIsEscaped && double.TryParse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            throw new JsonException($"'{Encoding.UTF8.GetString(reader.ValueSpan)}' is not a number");
        }
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var n)) return n;
        throw new JsonException($"expected a number or numeric string, got {reader.TokenType}");
    }
}

/// <summary>A growable pooled byte buffer for response bodies.</summary>
internal sealed class PooledBuffer : IDisposable
{
    private byte[] _buffer;

    public PooledBuffer(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 4096));

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public async Task FillAsync(Stream stream, CancellationToken ct)
    {
        while (true)
        {
            if (Length == _buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(0, Length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
            var n = await stream.ReadAsync(_buffer.AsMemory(Length), ct).ConfigureAwait(false);
            if (n == 0) return;
            Length += n;
        }
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }
}
