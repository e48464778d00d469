using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using MarketAnalytics.IO;

namespace MarketAnalytics.Binance;

/// <summary>
/// Candles from a local folder (searched recursively) of data.binance.vision archives (<c>.zip</c> with optional
/// <c>.CHECKSUM</c>), unzipped CSVs, or freqtrade JSON files, matched to the requested symbol and interval by file name.
/// Overlapping files are merged by open time (archive CSV values win over freqtrade's OHLCV-only rows).
/// </summary>
internal sealed partial class LocalKlineDirectorySource(string directory) : IMarketDataSource
{
    public string Name => "local";

    public string Directory { get; } = Path.GetFullPath(directory);

    public async IAsyncEnumerable<Candle> GetCandlesAsync(CandleRange range, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        if (!System.IO.Directory.Exists(Directory)) throw new MarketAnalyticsException($"Source directory '{Directory}' does not exist.");
        var files = new List<(string Path, int Rank)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            if (!KlineReader.TryParseFileName(path, out var symbol, out var interval)) continue;
            if (symbol != range.Symbol || interval != range.Interval) continue;
            var name = Path.GetFileName(path);
            var rank = name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? 0 : 1;
            if (rank == 1 && !Overlaps(name, range)) continue;
            files.Add((path, rank));
        }
        files.Sort((a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : string.CompareOrdinal(a.Path, b.Path));

        var all = new CandleSeries(range.Symbol, range.Interval);
        var ranks = new List<int>();
        foreach (var (path, rank) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = all.Count;
            // Runs on a worker thread: reading and parsing a file is CPU and disk work.
            await Task.Run(() => KlineReader.ReadFileInto(path, all), cancellationToken).ConfigureAwait(false);
            for (var i = before; i < all.Count; i++) ranks.Add(rank);
        }
        var order = new int[all.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = all.OpenTime.ToArray();
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : ranks[a] != ranks[b] ? ranks[a].CompareTo(ranks[b]) : a.CompareTo(b));
        for (var k = 0; k < order.Length; k++)
        {
            // Of equal open times keep the last in (rank, file) order.
            if (k + 1 < order.Length && keys[order[k + 1]] == keys[order[k]]) continue;
            var c = all[order[k]];
            if (range.Contains(c.OpenTime)) yield return c;
        }
    }

    /// <summary>True when the period in an archive file name may hold open times of <paramref name="range"/>.</summary>
    private static bool Overlaps(string name, CandleRange range)
    {
        var m = DatePart().Match(name);
        if (!m.Success) return true;
        var y = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        var mo = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        if (mo is < 1 or > 12) return true;
        DateTimeOffset start, end;
        if (m.Groups["d"].Success)
        {
            var d = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
            if (d < 1 || d > DateTime.DaysInMonth(y, mo)) return true;
            start = new DateTimeOffset(y, mo, d, 0, 0, 0, TimeSpan.Zero);
            end = start.AddDays(1);
        }
        else
        {
            start = new DateTimeOffset(y, mo, 1, 0, 0, 0, TimeSpan.Zero);
            end = start.AddMonths(1);
        }
        // Weekly and longer candles can open before the file's period; be generous.
        var slack = (long)range.Interval.NominalDuration.TotalMilliseconds;
        return start.ToUnixTimeMilliseconds() - slack < range.To && end.ToUnixTimeMilliseconds() + slack > range.From;
    }

    [GeneratedRegex(@"-(?<y>\d{4})-(?<m>\d{2})(-(?<d>\d{2}))?\.(csv|zip)$")]
    private static partial Regex DatePart();
}
