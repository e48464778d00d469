using System.Globalization;
using System.Text;

namespace MarketAnalytics.Binance.Tests.Infra;

/// <summary>
/// Real kline rows as the server sends them: the raw text fields of the archive CSV (prices stay the exchange's strings),
/// pre-rendered as the 12-element JSON arrays of <c>/api/v3/klines</c>.
/// </summary>
internal sealed class KlineDataSet
{
    public KlineDataSet(SymbolId symbol, Interval interval) { Symbol = symbol; Interval = interval; }

    public SymbolId Symbol { get; }
    public Interval Interval { get; }
    public List<long> OpenTimes { get; } = [];
    public List<string[]> Fields { get; } = [];
    public List<byte[]> JsonRows { get; } = [];
    /// <summary>Exact bytes of the source file per month ("yyyy-MM"), for monthly archives.</summary>
    public Dictionary<string, byte[]> MonthFiles { get; } = new();

    public static KlineDataSet Load(SymbolId symbol, Interval interval, IEnumerable<string> csvFiles)
    {
        var set = new KlineDataSet(symbol, interval);
        foreach (var file in csvFiles.OrderBy(f => f, StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            var m = System.Text.RegularExpressions.Regex.Match(Path.GetFileName(file), @"-(\d{4}-\d{2})\.csv$");
            if (m.Success) set.MonthFiles[m.Groups[1].Value] = bytes;
            foreach (var raw in Encoding.ASCII.GetString(bytes).Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                if (line.Length == 0 || !char.IsAsciiDigit(line[0])) continue; // header
                var f = line.Split(',');
                if (f.Length != 12) throw new InvalidDataException($"{file}: {line}");
                var t = long.Parse(f[0], CultureInfo.InvariantCulture);
                if (set.OpenTimes.Count > 0 && t <= set.OpenTimes[^1]) continue;
                set.OpenTimes.Add(t);
                set.Fields.Add(f);
                set.JsonRows.Add(Encoding.ASCII.GetBytes(
                    $"[{f[0]},\"{f[1]}\",\"{f[2]}\",\"{f[3]}\",\"{f[4]}\",\"{f[5]}\",{f[6]},\"{f[7]}\",{f[8]},\"{f[9]}\",\"{f[10]}\",\"{f[11]}\"]"));
            }
        }
        return set;
    }

    /// <summary>Index of the first open time ≥ <paramref name="t"/>.</summary>
    public int LowerBound(long t)
    {
        int lo = 0, hi = OpenTimes.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (OpenTimes[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Headerless CSV lines (spot layout) of open times in [from, to), optionally with µs timestamps.</summary>
    public byte[] CsvSlice(long from, long to, bool microseconds = false)
    {
        var sb = new StringBuilder();
        for (var i = LowerBound(from); i < OpenTimes.Count && OpenTimes[i] < to; i++)
        {
            var f = (string[])Fields[i].Clone();
            if (microseconds)
            {
                f[0] += "000";
                f[6] = (long.Parse(f[6], CultureInfo.InvariantCulture) * 1000 + 999).ToString(CultureInfo.InvariantCulture);
            }
            sb.Append(string.Join(',', f)).Append('\n');
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
