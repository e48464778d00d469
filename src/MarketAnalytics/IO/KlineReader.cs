using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MarketAnalytics.IO;

/// <summary>The layouts <see cref="KlineReader"/> recognises.</summary>
public enum KlineFileFormat
{
    /// <summary>data.binance.vision 12-column CSV (with or without header), possibly inside a zip.</summary>
    BinanceCsv,
    /// <summary>freqtrade JSON: <c>[[open_time_ms, o, h, l, c, v], ...]</c>.</summary>
    FreqtradeJson,
}

/// <summary>Reads Binance kline files: data.binance.vision CSV (.csv or .zip, header optional, ms or µs) and freqtrade JSON.</summary>
/// <remarks>
/// Parsing works on the file's bytes with no allocation per row. Times are normalised to Unix milliseconds
/// (values of 16 digits are microseconds, as in spot archives from 2025-01-01). When <c>&lt;file&gt;.CHECKSUM</c>
/// sits beside the file its SHA-256 is verified first and a mismatch is refused.
/// </remarks>
public static partial class KlineReader
{
    private const int Columns = 12;
    // Any open time at or above this is in microseconds (1e14 ms would be the year 5138).
    private const long MicrosecondThreshold = 100_000_000_000_000;

    /// <summary>Reads a file, taking symbol and interval from its name (<c>BTCUSDT-1m-2024-01.zip</c>, <c>BTC_USDT-1h.json</c>).</summary>
    /// <exception cref="MalformedDataException">The name does not say the symbol and interval, or the content is malformed.</exception>
    public static CandleSeries ReadFile(string path)
    {
        if (!TryParseFileName(path, out var symbol, out var interval))
            throw new MalformedDataException(path, 0, "cannot infer symbol and interval from the file name (expected e.g. BTCUSDT-1m-2024-01.csv or BTC_USDT-1m.json); pass them explicitly");
        return ReadFile(path, symbol, interval);
    }

    /// <summary>Reads a kline file for a known symbol and interval.</summary>
    /// <exception cref="MalformedDataException">The content is malformed (names line or element and problem).</exception>
    /// <exception cref="ChecksumMismatchException">A CHECKSUM file beside it does not match.</exception>
    public static CandleSeries ReadFile(string path, SymbolId symbol, Interval interval)
    {
        var series = new CandleSeries(symbol, interval);
        ReadFileInto(path, series);
        return series;
    }

    /// <summary>Reads a kline file and appends its candles to <paramref name="into"/>.</summary>
    public static KlineFileFormat ReadFileInto(string path, CandleSeries into)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(into);
        if (!File.Exists(path)) throw new FileNotFoundException($"Kline file '{path}' does not exist.", path);
        var bytes = File.ReadAllBytes(path);
        var checksum = path + ".CHECKSUM";
        if (File.Exists(checksum)) VerifyChecksum(path, bytes, File.ReadAllText(checksum));

        var name = Path.GetFileName(path);
        if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            ParseZip(bytes, path, into);
            return KlineFileFormat.BinanceCsv;
        }
        return Parse(bytes, path, into);
    }

    /// <summary>Detects the layout of <paramref name="utf8"/> and parses it into <paramref name="into"/>.</summary>
    public static KlineFileFormat Parse(ReadOnlySpan<byte> utf8, string sourceName, CandleSeries into)
    {
        var first = FirstNonSpace(utf8);
        if (first == (byte)'[')
        {
            ParseFreqtradeJson(utf8, sourceName, into);
            return KlineFileFormat.FreqtradeJson;
        }
        ParseCsv(utf8, sourceName, into);
        return KlineFileFormat.BinanceCsv;
    }

    /// <summary>Parses a zip holding one kline CSV.</summary>
    public static void ParseZip(byte[] zipBytes, string sourceName, CandleSeries into)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(zipBytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new MalformedDataException(sourceName, 0, $"not a readable zip archive ({e.Message})", e);
        }
        using (archive)
        {
            var entries = archive.Entries.Where(e => e.Length > 0 || e.Name.Length > 0).ToList();
            if (entries.Count != 1)
                throw new MalformedDataException(sourceName, 0, $"expected exactly one CSV inside the zip, found {entries.Count} entries");
            var entry = entries[0];
            if (entry.Length > Array.MaxLength)
                throw new MalformedDataException($"{sourceName}!{entry.FullName}", 0, $"zip entry declares {entry.Length} bytes, more than one array can hold ({Array.MaxLength}); split the file");
            var buffer = new byte[entry.Length];
            using (var s = entry.Open())
            {
                try
                {
                    s.ReadExactly(buffer);
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
                {
                    throw new MalformedDataException($"{sourceName}!{entry.FullName}", 0, $"zip entry is corrupt ({e.Message})", e);
                }
            }
            ParseCsv(buffer, $"{sourceName}!{entry.FullName}", into);
        }
    }

    /// <summary>Parses data.binance.vision kline CSV (12 columns; optional header row; ms or µs times).</summary>
    /// <exception cref="MalformedDataException">A line does not have 12 columns or a field is not a number.</exception>
    public static void ParseCsv(ReadOnlySpan<byte> utf8, string sourceName, CandleSeries into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        var line = 0L;
        var pos = 0;
        while (pos < utf8.Length)
        {
            var rest = utf8[pos..];
            var nl = rest.IndexOf((byte)'\n');
            var raw = nl < 0 ? rest : rest[..nl];
            pos += nl < 0 ? rest.Length : nl + 1;
            line++;
            if (raw.Length > 0 && raw[^1] == (byte)'\r') raw = raw[..^1];
            if (raw.IsEmpty || raw.Trim((byte)' ').IsEmpty) continue;

            if (line == 1 && !IsDigitOrSign(raw[0]))
            {
                // Header row (futures archives from 2022 and re-published spot files have one).
                if (raw.IndexOf("open_time"u8) < 0 && raw.IndexOf("open time"u8) < 0 && raw.IndexOf("Open time"u8) < 0)
                    throw new MalformedDataException(sourceName, line, $"first line is neither a kline row nor a kline header: '{Clip(raw)}'");
                continue;
            }

            if (raw.Count((byte)',') != Columns - 1) throw ColumnCount(raw, sourceName, line);
            var p = 0;
            var openTime = LongField(raw, ref p, sourceName, line, "open_time");
            var open = DoubleField(raw, ref p, sourceName, line, "open");
            var high = DoubleField(raw, ref p, sourceName, line, "high");
            var low = DoubleField(raw, ref p, sourceName, line, "low");
            var close = DoubleField(raw, ref p, sourceName, line, "close");
            var volume = DoubleField(raw, ref p, sourceName, line, "volume");
            var closeTime = LongField(raw, ref p, sourceName, line, "close_time");
            var quote = DoubleField(raw, ref p, sourceName, line, "quote_volume");
            var trades = LongField(raw, ref p, sourceName, line, "count");
            var takerBase = DoubleField(raw, ref p, sourceName, line, "taker_buy_volume");
            var takerQuote = DoubleField(raw, ref p, sourceName, line, "taker_buy_quote_volume");
            if (openTime >= MicrosecondThreshold) openTime /= 1000;
            if (closeTime >= MicrosecondThreshold) closeTime /= 1000;
            into.Add(new Candle(openTime, open, high, low, close, volume, closeTime, quote, trades, takerBase, takerQuote));
        }
    }

    private static MalformedDataException ColumnCount(ReadOnlySpan<byte> raw, string sourceName, long line)
    {
        var count = raw.Count((byte)',') + 1;
        return new MalformedDataException(sourceName, line, $"expected {Columns} comma-separated columns, found {(count > Columns ? "more than " + Columns : count.ToString())}");
    }

    private static double DoubleField(ReadOnlySpan<byte> raw, ref int p, string source, long line, string column)
    {
        var start = p;
        if (FastNumber.TryParseDoubleField(raw, ref p, out var value)) return value;
        var end = raw[start..].IndexOf((byte)',');
        throw new MalformedDataException(source, line, $"column '{column}': '{Clip(raw[start..(end < 0 ? raw.Length : start + end)])}' is not a number");
    }

    private static long LongField(ReadOnlySpan<byte> raw, ref int p, string source, long line, string column)
    {
        var start = p;
        if (FastNumber.TryParseLongField(raw, ref p, out var value)) return value;
        var end = raw[start..].IndexOf((byte)',');
        throw new MalformedDataException(source, line, $"column '{column}': '{Clip(raw[start..(end < 0 ? raw.Length : start + end)])}' is not an integer");
    }

    /// <summary>Parses freqtrade JSON <c>[[open_time_ms, open, high, low, close, volume], ...]</c>; close time comes from the interval.</summary>
    /// <exception cref="MalformedDataException">The JSON is malformed or an element is not six numbers.</exception>
    public static void ParseFreqtradeJson(ReadOnlySpan<byte> utf8, string sourceName, CandleSeries into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var element = -1L;
        var inElement = false;
        Span<double> v = stackalloc double[6];
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                throw new MalformedDataException(sourceName, 0, "expected a JSON array of [open_time, open, high, low, close, volume] arrays");
            while (true)
            {
                if (!reader.Read()) throw new MalformedDataException(sourceName, element + 1, "unexpected end of JSON");
                if (reader.TokenType == JsonTokenType.EndArray) break;
                element++;
                inElement = true;
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new MalformedDataException(sourceName, element, $"element {element} is a {reader.TokenType}, expected an array of 6 numbers");
                var n = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (n >= 6) throw new MalformedDataException(sourceName, element, $"element {element} has more than 6 values");
                    v[n] = reader.TokenType switch
                    {
                        JsonTokenType.Number => reader.GetDouble(),
                        JsonTokenType.String when FastNumber.TryParseDouble(reader.ValueSpan, out var d) => d,
                        _ => throw new MalformedDataException(sourceName, element, $"element {element} value {n} is a {reader.TokenType}, expected a number"),
                    };
                    n++;
                }
                if (n != 6) throw new MalformedDataException(sourceName, element, $"element {element} has {n} values, expected 6 (open_time, open, high, low, close, volume)");
                if (v[0] != Math.Floor(v[0]) || v[0] < 0)
                    throw new MalformedDataException(sourceName, element, $"element {element} open_time {v[0]} is not a whole number of milliseconds");
                var openTime = (long)v[0];
                if (openTime >= MicrosecondThreshold) openTime /= 1000;
                into.Add(Candle.FromOhlcv(openTime, v[1], v[2], v[3], v[4], v[5], into.Interval.CloseTime(openTime)));
                inElement = false;
            }
        }
        catch (JsonException e)
        {
            throw new MalformedDataException(sourceName, inElement ? element : element + 1, $"invalid JSON near byte {reader.BytesConsumed}: {e.Message}", e);
        }
    }

    /// <summary>Takes symbol and interval from a data.binance.vision or freqtrade file name.</summary>
    public static bool TryParseFileName(string path, out SymbolId symbol, out Interval interval)
    {
        symbol = default;
        interval = default;
        var name = Path.GetFileName(path ?? string.Empty);
        var m = ArchiveName().Match(name);
        if (!m.Success) m = FreqtradeName().Match(name);
        if (!m.Success) return false;
        var sym = m.Groups["sym"].Value.Replace("_", string.Empty, StringComparison.Ordinal);
        return SymbolId.TryParse(sym, out symbol) && Interval.TryParse(m.Groups["iv"].Value, out interval);
    }

    /// <summary>Verifies <paramref name="content"/> against a <c>sha256sum</c>-format CHECKSUM text.</summary>
    /// <exception cref="ChecksumMismatchException">The digests differ.</exception>
    /// <exception cref="MalformedDataException">The checksum text has no SHA-256 digest.</exception>
    public static void VerifyChecksum(string file, ReadOnlySpan<byte> content, string checksumText)
    {
        var expected = checksumText.Trim().Split([' ', '\t'], 2)[0].ToLowerInvariant();
        if (expected.Length != 64 || !expected.All(char.IsAsciiHexDigit))
            throw new MalformedDataException(file + ".CHECKSUM", 1, "does not start with a 64-digit SHA-256 hex digest");
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        if (!string.Equals(expected, actual, StringComparison.Ordinal)) throw new ChecksumMismatchException(file, expected, actual);
    }

    private static bool IsDigitOrSign(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'+';

    private static byte FirstNonSpace(ReadOnlySpan<byte> s)
    {
        if (s.StartsWith("\uFEFF"u8)) s = s[3..];
        foreach (var b in s)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return b;
        }
        return 0;
    }

    private static string Clip(ReadOnlySpan<byte> s)
    {
        var text = System.Text.Encoding.UTF8.GetString(s.Length > 60 ? s[..60] : s);
        return s.Length > 60 ? text + "..." : text;
    }

    [GeneratedRegex(@"^(?<sym>[A-Z0-9]{1,20})-(?<iv>1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M|1mo)-\d{4}-\d{2}(-\d{2})?\.(csv|zip)$")]
    private static partial Regex ArchiveName();

    [GeneratedRegex(@"^(?<sym>[A-Z0-9]{1,12}_[A-Z0-9]{1,12})-(?<iv>1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M)(-spot)?\.json$")]
    private static partial Regex FreqtradeName();
}
