using MarketAnalytics.IO;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace MarketAnalytics.Trades;

/// <summary>Reads trade files: Binance aggTrades archive CSV (.csv or .zip, ms or µs, <c>True/False</c> or <c>true/false</c>) and ccxt trade exports.</summary>
public static class TradeFileReader
{
    private const long MicrosecondThreshold = 100_000_000_000_000; // 1e14: ms values reach this only in the year 5138.

    /// <summary>Reads and parses a trade file; the layout is detected from the first line.</summary>
    /// <exception cref="MalformedDataException">The file is not a recognised trade layout or a row is malformed.</exception>
    public static TradeReadResult ReadFile(string path, TradeReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = Path.GetFileName(path);
        byte[] bytes;
        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.Entries.FirstOrDefault(e => e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                ?? throw new MalformedDataException(name, 0, "the zip archive contains no .csv entry.");
            using var s = entry.Open();
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            bytes = ms.ToArray();
            name = $"{name}!{entry.Name}";
        }
        else
        {
            bytes = File.ReadAllBytes(path);
        }
        return Parse(bytes, name, options);
    }

    /// <summary>True when the first line of <paramref name="utf8"/> looks like a trade layout this reader understands.</summary>
    public static bool LooksLikeTrades(ReadOnlySpan<byte> utf8, out TradeLayout layout)
    {
        var line = FirstLine(utf8);
        if (line.StartsWith("symbol,timestamp,"u8)) { layout = TradeLayout.CcxtTrades; return true; }
        if (line.StartsWith("agg_trade_id,"u8)) { layout = TradeLayout.BinanceAggTrades; return true; }
        layout = TradeLayout.BinanceAggTrades;
        if (CountFields(line) != 8) return false;
        var f = new FieldCursor(line);
        var s7 = f.Skip(6).Next();
        return s7.SequenceEqual("True"u8) || s7.SequenceEqual("False"u8) || s7.SequenceEqual("true"u8) || s7.SequenceEqual("false"u8);
    }

    /// <summary>Parses trade rows from UTF-8 bytes.</summary>
    public static TradeReadResult Parse(ReadOnlySpan<byte> utf8, string sourceName, TradeReadOptions? options = null)
    {
        options ??= new TradeReadOptions();
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        if (!LooksLikeTrades(utf8, out var layout))
            throw new MalformedDataException(sourceName, 1, "not a trade file: expected the aggTrades layout (8 columns ending in True/False flags) or a ccxt export with header 'symbol,timestamp,datetime,side,price,amount,...'.");
        return layout == TradeLayout.CcxtTrades
            ? ParseCcxt(utf8, sourceName, options)
            : ParseAggTrades(utf8, sourceName, options);
    }

    private static TradeReadResult ParseAggTrades(ReadOnlySpan<byte> utf8, string source, TradeReadOptions options)
    {
        var list = new List<Trade>(Math.Max(16, utf8.Length / 70));
        long rows = 0, dups = 0, lineNo = 0, outOfOrder = 0, lastId = long.MinValue, lastTime = long.MinValue;
        bool? micro = null;
        HashSet<long>? seenOld = null;
        var ids = new List<long>(Math.Max(16, utf8.Length / 70));
        foreach (var raw in new LineEnumerator(utf8))
        {
            lineNo++;
            var line = raw;
            if (line.IsEmpty) continue;
            if (lineNo == 1 && line.StartsWith("agg_trade_id"u8)) continue;
            rows++;
            var f = new FieldCursor(line);
            var id = ParseLong(f.Next(), source, lineNo, "agg_trade_id");
            var price = ParseDouble(f.Next(), source, lineNo, "price");
            var qty = ParseDouble(f.Next(), source, lineNo, "quantity");
            var first = ParseLong(f.Next(), source, lineNo, "first_trade_id");
            var last = ParseLong(f.Next(), source, lineNo, "last_trade_id");
            var time = ParseLong(f.Next(), source, lineNo, "transact_time");
            var maker = ParseBool(f.Next(), source, lineNo, "is_buyer_maker");
            if (!f.HasMore) throw new MalformedDataException(source, lineNo, "expected 8 columns (agg_trade_id,...,is_best_match); found fewer.");
            micro ??= time >= MicrosecondThreshold;
            if (micro.Value != time >= MicrosecondThreshold)
                throw new MalformedDataException(source, lineNo, $"transact_time {time} mixes microsecond and millisecond units within one file.");
            if (micro.Value) time /= 1000;
            if (last < first) throw new MalformedDataException(source, lineNo, $"last_trade_id {last} is below first_trade_id {first}.");
            if (options.Deduplication == TradeDeduplication.Exact)
            {
                if (id <= lastId)
                {
                    seenOld ??= [.. ids];
                    if (seenOld.Contains(id)) { dups++; continue; }
                }
                seenOld?.Add(id);
                ids.Add(id);
                if (id > lastId) lastId = id;
            }
            if (time < lastTime) outOfOrder++;
            lastTime = Math.Max(lastTime, time);
            list.Add(new Trade(time, price, qty, price * qty, !maker, last - first + 1));
        }
        var trades = list.ToArray();
        if (outOfOrder > 0) StableSortByTime(trades);
        return new TradeReadResult(source, TradeLayout.BinanceAggTrades, trades, rows, dups, outOfOrder, micro ?? false, null);
    }

    private static TradeReadResult ParseCcxt(ReadOnlySpan<byte> utf8, string source, TradeReadOptions options)
    {
        var list = new List<Trade>(Math.Max(16, utf8.Length / 80));
        long rows = 0, dups = 0, lineNo = 0, outOfOrder = 0, lastTime = long.MinValue;
        bool? micro = null;
        string? symbol = null;
        var groupSide = new List<(bool Buy, double Price, double Amount)>();
        foreach (var line in new LineEnumerator(utf8))
        {
            lineNo++;
            if (lineNo == 1) continue; // header (checked by LooksLikeTrades)
            if (line.IsEmpty) continue;
            rows++;
            var f = new FieldCursor(line);
            var sym = f.Next();
            if (symbol is null) symbol = Encoding.UTF8.GetString(sym);
            var time = ParseLong(f.Next(), source, lineNo, "timestamp");
            f.Next(); // datetime (ISO text, redundant with timestamp)
            var side = f.Next();
            bool buy;
            if (side.SequenceEqual("buy"u8)) buy = true;
            else if (side.SequenceEqual("sell"u8)) buy = false;
            else throw new MalformedDataException(source, lineNo, $"side '{Encoding.UTF8.GetString(side)}' is neither 'buy' nor 'sell'.");
            var price = ParseDouble(f.Next(), source, lineNo, "price");
            var amount = ParseDouble(f.Next(), source, lineNo, "amount");
            var quoteField = f.Next();
            var quote = quoteField.IsEmpty ? price * amount : ParseDouble(quoteField, source, lineNo, "btc_volume");
            micro ??= time >= MicrosecondThreshold;
            if (micro.Value) time /= 1000;
            if (time != lastTime)
            {
                if (time < lastTime) outOfOrder++;
                groupSide.Clear();
            }
            if (options.Deduplication == TradeDeduplication.Exact && time == lastTime)
            {
                var dup = false;
                foreach (var g in groupSide)
                {
                    if (g.Buy == buy && g.Price.Equals(price) && g.Amount.Equals(amount)) { dup = true; break; }
                }
                if (dup) { dups++; continue; }
            }
            groupSide.Add((buy, price, amount));
            lastTime = time;
            list.Add(new Trade(time, price, amount, quote, buy, 1));
        }
        var trades = list.ToArray();
        if (outOfOrder > 0) StableSortByTime(trades);
        return new TradeReadResult(source, TradeLayout.CcxtTrades, trades, rows, dups, outOfOrder, micro ?? false, symbol);
    }

    private static void StableSortByTime(Trade[] trades)
    {
        var keys = new (long Time, int Index)[trades.Length];
        for (var i = 0; i < trades.Length; i++) keys[i] = (trades[i].Time, i);
        Array.Sort(keys);
        var copy = (Trade[])trades.Clone();
        for (var i = 0; i < keys.Length; i++) trades[i] = copy[keys[i].Index];
    }

    private static ReadOnlySpan<byte> FirstLine(ReadOnlySpan<byte> utf8)
    {
        var nl = utf8.IndexOf((byte)'\n');
        var line = nl < 0 ? utf8 : utf8[..nl];
        return line.TrimEnd((byte)'\r');
    }

    private static int CountFields(ReadOnlySpan<byte> line) => line.IsEmpty ? 0 : line.Count((byte)',') + 1;

    private static long ParseLong(ReadOnlySpan<byte> s, string source, long line, string column)
    {
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        // Some exports write integral times as floats ("1590681658618.0").
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15) return (long)d;
        throw new MalformedDataException(source, line, $"column {column}: '{Encoding.UTF8.GetString(s)}' is not an integer.");
    }

    private static double ParseDouble(ReadOnlySpan<byte> s, string source, long line, string column)
    {
        // Same exact, allocation-free parser as the kline reader (NaN/Infinity are not prices and are refused there too).
        if (FastNumber.TryParseDouble(s, out var v)) return v;
        throw new MalformedDataException(source, line, $"column {column}: '{Encoding.UTF8.GetString(s)}' is not a number.");
    }

    private static bool ParseBool(ReadOnlySpan<byte> s, string source, long line, string column)
    {
        if (s.SequenceEqual("True"u8) || s.SequenceEqual("true"u8)) return true;
        if (s.SequenceEqual("False"u8) || s.SequenceEqual("false"u8)) return false;
        throw new MalformedDataException(source, line, $"column {column}: '{Encoding.UTF8.GetString(s)}' is not True/False.");
    }

    /// <summary>Splits UTF-8 text into lines without allocating; strips a trailing CR.</summary>
    internal ref struct LineEnumerator(ReadOnlySpan<byte> text)
    {
        private ReadOnlySpan<byte> _rest = text;
        private bool _done = text.IsEmpty;

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly LineEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_done) return false;
            var nl = _rest.IndexOf((byte)'\n');
            if (nl < 0)
            {
                Current = _rest.TrimEnd((byte)'\r');
                _done = true;
                return !Current.IsEmpty;
            }
            Current = _rest[..nl].TrimEnd((byte)'\r');
            _rest = _rest[(nl + 1)..];
            if (_rest.IsEmpty) _done = true;
            return true;
        }
    }

    /// <summary>Walks comma-separated fields of one line.</summary>
    internal ref struct FieldCursor(ReadOnlySpan<byte> line)
    {
        private ReadOnlySpan<byte> _rest = line;
        private bool _more = true;

        public readonly bool HasMore => _more;

        public ReadOnlySpan<byte> Next()
        {
            if (!_more) return default;
            var c = _rest.IndexOf((byte)',');
            if (c < 0)
            {
                _more = false;
                var all = _rest;
                _rest = default;
                return all;
            }
            var field = _rest[..c];
            _rest = _rest[(c + 1)..];
            return field;
        }

        public FieldCursor Skip(int n)
        {
            for (var i = 0; i < n; i++) Next();
            return this;
        }
    }
}
