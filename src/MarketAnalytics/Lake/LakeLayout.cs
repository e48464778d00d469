using System.Globalization;

namespace MarketAnalytics.Lake;

/// <summary>The lake's Hive-style directory layout; every path segment comes from validated values only.</summary>
/// <remarks>
/// <c>&lt;root&gt;/klines/exchange=&lt;ex&gt;/symbol=&lt;SYM&gt;/interval=&lt;iv&gt;/year=&lt;YYYY&gt;/month=&lt;MM&gt;/&lt;SYM&gt;-&lt;iv&gt;-&lt;YYYY&gt;-&lt;MM&gt;.parquet</c>.
/// The interval segment uses the archive name (<c>1mo</c> for the monthly interval) so that <c>1m</c> and <c>1M</c>
/// never collide on case-insensitive file systems.
/// </remarks>
public static class LakeLayout
{
    /// <summary>Folder of the kline dataset under the lake root.</summary>
    public const string KlinesFolder = "klines";

    /// <summary>Folder of ingest checkpoints under the lake root (outside the dataset, so engines never read it).</summary>
    public const string CheckpointFolder = "_checkpoints";

    /// <summary>Returns why <paramref name="exchange"/> is not a valid partition value, or null when it is.</summary>
    public static string? CheckExchange(string? exchange)
    {
        if (string.IsNullOrEmpty(exchange)) return "Exchange must not be empty.";
        if (exchange.Length > 32) return $"Exchange '{exchange}' is longer than 32 characters.";
        foreach (var c in exchange)
        {
            if (c is not (>= 'a' and <= 'z' or >= '0' and <= '9' or '-')) return $"Exchange '{exchange}' may only contain a-z, 0-9 and '-'.";
        }
        return null;
    }

    /// <summary>The folder of one (symbol, interval) series.</summary>
    public static string SeriesDirectory(string root, string exchange, SymbolId symbol, Interval interval) =>
        Path.Combine(root, KlinesFolder, "exchange=" + exchange, "symbol=" + symbol.Value, "interval=" + IntervalSegment(interval));

    /// <summary>The Parquet file of one month partition.</summary>
    public static string PartitionFile(string root, string exchange, SymbolId symbol, Interval interval, int year, int month)
    {
        var y = year.ToString("D4", CultureInfo.InvariantCulture);
        var m = month.ToString("D2", CultureInfo.InvariantCulture);
        return Path.Combine(SeriesDirectory(root, exchange, symbol, interval), "year=" + y, "month=" + m,
            $"{symbol.Value}-{IntervalSegment(interval)}-{y}-{m}.parquet");
    }

    /// <summary>The path segment of an interval (<c>1mo</c> for the monthly interval).</summary>
    public static string IntervalSegment(Interval interval)
    {
        if (interval.Name == "(default)") throw new InvalidIntervalException(null);
        return interval.ArchiveName;
    }

    /// <summary>Partition key (year * 12 + month - 1) of an open time.</summary>
    public static int PartitionKey(long openTimeMs)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(openTimeMs);
        return t.Year * 12 + t.Month - 1;
    }

    /// <summary>First instant (Unix ms) of a partition key.</summary>
    public static long PartitionStart(int key) =>
        new DateTimeOffset(key / 12, key % 12 + 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
