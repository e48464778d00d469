using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketAnalytics.Cleaning;

/// <summary>How missing candles are treated. The choice is always explicit and reported; nothing is filled by default.</summary>
public enum GapFillPolicy
{
    /// <summary>Leave gaps as they are (default).</summary>
    None,

    /// <summary>Insert flat zero-volume candles at the previous close, as Binance does for minutes without trades.</summary>
    FlatZeroVolume,
}

/// <summary>Which candle survives when an open time occurs more than once.</summary>
public enum DuplicateResolution
{
    /// <summary>Keep the last occurrence (a later revision of a candle wins), the default.</summary>
    KeepLast,

    /// <summary>Keep the first occurrence.</summary>
    KeepFirst,
}

/// <summary>Kinds of data-quality finding.</summary>
public enum DataIssueKind
{
    /// <summary>An open time occurs more than once.</summary>
    Duplicate,
    /// <summary>An open time is earlier than its predecessor's.</summary>
    OutOfOrder,
    /// <summary>An open time is not aligned to the interval.</summary>
    Misaligned,
    /// <summary>Missing candles between two open times.</summary>
    Gap,
    /// <summary>Flat zero-volume candles followed by missing or truncated candles: the exchange stopped trading.</summary>
    TradingHalt,
    /// <summary>A candle whose close time is not open time + interval − 1 ms.</summary>
    CloseTimeMismatch,
    /// <summary>High below max(open, close), low above min(open, close), or high below low.</summary>
    OhlcInconsistent,
    /// <summary>NaN, infinite, zero or negative price; negative or NaN volume; taker volume above volume.</summary>
    InvalidValue,
    /// <summary>A long run of flat candles (price unchanged).</summary>
    StalePrice,
    /// <summary>An isolated implausible print (wick far outside the robust range on thin volume).</summary>
    BadTick,
}

/// <summary>One data-quality finding.</summary>
/// <param name="Kind">What was found.</param>
/// <param name="OpenTime">Open time (Unix ms) of the first candle concerned.</param>
/// <param name="EndTime">Open time (Unix ms) of the last candle concerned (equal to <paramref name="OpenTime"/> for single candles).</param>
/// <param name="Count">Candles concerned (missing candles for a gap).</param>
/// <param name="Detail">One line naming the numbers.</param>
public sealed record DataIssue(DataIssueKind Kind, long OpenTime, long EndTime, long Count, string Detail)
{
    /// <summary><see cref="OpenTime"/> as ISO-8601 UTC.</summary>
    public string OpenTimeUtc => Iso(OpenTime);

    internal static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A trading halt: flat zero-volume candles at one price, then missing and/or truncated candles until trading resumes.</summary>
/// <param name="FlatFrom">Open time of the first flat zero-volume candle.</param>
/// <param name="FlatTo">Open time of the last flat zero-volume candle.</param>
/// <param name="FlatCandles">Number of flat zero-volume candles.</param>
/// <param name="Price">The price the flat candles sit at.</param>
/// <param name="TruncatedCloseTime">Close time of the last flat candle when it is earlier than the interval's (the exchange closed it early), else null.</param>
/// <param name="MissingFrom">Open time of the first missing candle (null when none is missing).</param>
/// <param name="MissingCandles">Candles missing after the flat run.</param>
/// <param name="ResumedAt">Open time of the first candle after the halt (null when the series ends inside it).</param>
public sealed record TradingHalt(long FlatFrom, long FlatTo, long FlatCandles, double Price, long? TruncatedCloseTime, long? MissingFrom,
    long MissingCandles, long? ResumedAt)
{
    /// <summary>One-line description with UTC times.</summary>
    public string Description =>
        $"trading halt: {FlatCandles} flat zero-volume candle(s) at {Price.ToString(CultureInfo.InvariantCulture)} from {DataIssue.Iso(FlatFrom)} to {DataIssue.Iso(FlatTo)}" +
        (TruncatedCloseTime is { } t ? $", last one closed early at {DataIssue.Iso(t)}" : string.Empty) +
        (MissingCandles > 0 ? $", then {MissingCandles} missing candle(s) from {DataIssue.Iso(MissingFrom!.Value)}" : string.Empty) +
        (ResumedAt is { } r ? $"; trading resumed {DataIssue.Iso(r)}" : "; series ends inside the halt");
}

/// <summary>What <see cref="DataCleaner"/> found and did. Every change to the data is counted here.</summary>
public sealed record DataQualityReport
{
    /// <summary>The symbol.</summary>
    public required string Symbol { get; init; }
    /// <summary>The interval name.</summary>
    public required string Interval { get; init; }
    /// <summary>Candles in the input.</summary>
    public required long InputCandles { get; init; }
    /// <summary>Candles in the cleaned output.</summary>
    public required long OutputCandles { get; init; }
    /// <summary>First open time of the output (Unix ms), null when empty.</summary>
    public long? FirstOpenTime { get; init; }
    /// <summary>Last open time of the output (Unix ms), null when empty.</summary>
    public long? LastOpenTime { get; init; }
    /// <summary>True when the input was already in strictly increasing open-time order.</summary>
    public required bool InputWasSorted { get; init; }
    /// <summary>Rows whose open time was earlier than their predecessor's (the output is sorted).</summary>
    public required long OutOfOrderRows { get; init; }
    /// <summary>Rows removed as duplicates of an open time.</summary>
    public required long DuplicatesRemoved { get; init; }
    /// <summary>Of those, rows whose values differed from the kept candle.</summary>
    public required long ConflictingDuplicates { get; init; }
    /// <summary>How duplicates were resolved.</summary>
    public required DuplicateResolution DuplicateResolution { get; init; }
    /// <summary>Number of gaps (runs of missing candles) in the sorted, de-duplicated data.</summary>
    public required long Gaps { get; init; }
    /// <summary>Missing candles in total.</summary>
    public required long MissingCandles { get; init; }
    /// <summary>The gap policy applied.</summary>
    public required GapFillPolicy GapFill { get; init; }
    /// <summary>Candles inserted by the gap policy.</summary>
    public required long FilledCandles { get; init; }
    /// <summary>Candles with zero volume in the input (after de-duplication).</summary>
    public required long ZeroVolumeCandles { get; init; }
    /// <summary>Trading halts found.</summary>
    public required IReadOnlyList<TradingHalt> Halts { get; init; }
    /// <summary>Number of findings per kind (all of them, even when the list below is capped).</summary>
    public required IReadOnlyDictionary<DataIssueKind, long> IssueCounts { get; init; }
    /// <summary>Findings in time order (at most <see cref="CleaningOptions.MaxIssuesPerKind"/> per kind).</summary>
    public required IReadOnlyList<DataIssue> Issues { get; init; }

    /// <summary>True when nothing was found.</summary>
    public bool IsClean => IssueCounts.Values.All(v => v == 0) && Halts.Count == 0;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The report as indented JSON (snake_case names, times in Unix ms plus ISO strings).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A few lines for a terminal.</summary>
    public string Summary()
    {
        var lines = new List<string>
        {
            $"{Symbol} {Interval}: {InputCandles} candles in, {OutputCandles} out" +
            (FirstOpenTime is { } f ? $" ({DataIssue.Iso(f)} .. {DataIssue.Iso(LastOpenTime!.Value)})" : string.Empty),
            $"order: {(InputWasSorted ? "sorted" : $"{OutOfOrderRows} out-of-order row(s), sorted")}; duplicates removed: {DuplicatesRemoved} ({ConflictingDuplicates} conflicting, {DuplicateResolution})",
            $"gaps: {Gaps} ({MissingCandles} missing candles); gap fill: {GapFill} ({FilledCandles} inserted); zero-volume candles: {ZeroVolumeCandles}",
        };
        foreach (var h in Halts) lines.Add(h.Description);
        lines.Add("findings: " + string.Join(", ", IssueCounts.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}")) + (IssueCounts.Values.All(v => v == 0) ? "none" : string.Empty));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Options for <see cref="DataCleaner"/>.</summary>
public sealed class CleaningOptions
{
    /// <summary>Gap handling; <see cref="GapFillPolicy.None"/> by default.</summary>
    public GapFillPolicy GapFill { get; set; } = GapFillPolicy.None;

    /// <summary>Duplicate handling; <see cref="DuplicateResolution.KeepLast"/> by default.</summary>
    public DuplicateResolution Duplicates { get; set; } = DuplicateResolution.KeepLast;

    /// <summary>A flat run at least this long (in time) before missing/truncated candles is a trading halt.</summary>
    public TimeSpan HaltMinFlatDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Flat runs of at least this many candles are reported as stale prices.</summary>
    public int StaleMinCandles { get; set; } = 60;

    /// <summary>Cap on listed findings per kind (counts are always complete).</summary>
    public int MaxIssuesPerKind { get; set; } = 1000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> on invalid values.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(StaleMinCandles, 2, nameof(StaleMinCandles));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxIssuesPerKind, nameof(MaxIssuesPerKind));
        if (HaltMinFlatDuration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(HaltMinFlatDuration), HaltMinFlatDuration, "must not be negative");
    }
}

/// <summary>The cleaned candles (a new series; the input is never modified) and the report of what was found and done.</summary>
/// <param name="Candles">Sorted, de-duplicated candles, gap-filled only if the policy says so.</param>
/// <param name="Report">The data-quality report.</param>
public sealed record CleaningResult(CandleSeries Candles, DataQualityReport Report);
