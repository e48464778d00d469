using System.Diagnostics.CodeAnalysis;

namespace MarketAnalytics;

/// <summary>Unit of a candle <see cref="Interval"/>.</summary>
public enum IntervalUnit
{
    /// <summary>Seconds.</summary>
    Second,
    /// <summary>Minutes.</summary>
    Minute,
    /// <summary>Hours.</summary>
    Hour,
    /// <summary>Days (UTC).</summary>
    Day,
    /// <summary>Weeks starting Monday 00:00 UTC.</summary>
    Week,
    /// <summary>Calendar months (UTC).</summary>
    Month,
}

/// <summary>A Binance candle interval (<c>1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M</c>) with exact period arithmetic.</summary>
/// <remarks>
/// All times are Unix milliseconds, UTC. Fixed-length intervals align to multiples of their length since the
/// epoch, weeks to Monday 00:00 UTC, and <c>1M</c> to the first day of a calendar month, as Binance does.
/// </remarks>
public readonly record struct Interval
{
    private const long Second = 1000, Minute = 60 * Second, Hour = 60 * Minute, Day = 24 * Hour, Week = 7 * Day;
    // 1970-01-01 was a Thursday; Binance weeks open on Monday, four days later.
    private const long WeekOrigin = 4 * Day;

    private Interval(int count, IntervalUnit unit, string name)
    {
        Count = count;
        Unit = unit;
        _name = name;
    }

    /// <summary>Number of units in one candle.</summary>
    public int Count { get; }

    /// <summary>The unit.</summary>
    public IntervalUnit Unit { get; }

    /// <summary>Binance's name, e.g. <c>1m</c>, <c>1M</c>.</summary>
    public string Name => _name ?? "(default)";

    private readonly string? _name;

    /// <summary>The name data.binance.vision uses in archive file names (<c>1mo</c> for <c>1M</c>).</summary>
    public string ArchiveName => Unit == IntervalUnit.Month ? "1mo" : Name;

    /// <summary>Length in milliseconds for fixed-length intervals; null for <c>1M</c>.</summary>
    public long? FixedMilliseconds => Unit switch
    {
        IntervalUnit.Second => Count * Second,
        IntervalUnit.Minute => Count * Minute,
        IntervalUnit.Hour => Count * Hour,
        IntervalUnit.Day => Count * Day,
        IntervalUnit.Week => Count * Week,
        _ => null,
    };

    /// <summary>Nominal length (a month counts as 30.436875 days); for display and annualisation only.</summary>
    public TimeSpan NominalDuration => TimeSpan.FromMilliseconds(FixedMilliseconds ?? (long)(30.436875 * Day));

    /// <summary>One second.</summary>
    public static readonly Interval OneSecond = new(1, IntervalUnit.Second, "1s");
    /// <summary>One minute.</summary>
    public static readonly Interval OneMinute = new(1, IntervalUnit.Minute, "1m");
    /// <summary>Three minutes.</summary>
    public static readonly Interval ThreeMinutes = new(3, IntervalUnit.Minute, "3m");
    /// <summary>Five minutes.</summary>
    public static readonly Interval FiveMinutes = new(5, IntervalUnit.Minute, "5m");
    /// <summary>Fifteen minutes.</summary>
    public static readonly Interval FifteenMinutes = new(15, IntervalUnit.Minute, "15m");
    /// <summary>Thirty minutes.</summary>
    public static readonly Interval ThirtyMinutes = new(30, IntervalUnit.Minute, "30m");
    /// <summary>One hour.</summary>
    public static readonly Interval OneHour = new(1, IntervalUnit.Hour, "1h");
    /// <summary>Two hours.</summary>
    public static readonly Interval TwoHours = new(2, IntervalUnit.Hour, "2h");
    /// <summary>Four hours.</summary>
    public static readonly Interval FourHours = new(4, IntervalUnit.Hour, "4h");
    /// <summary>Six hours.</summary>
    public static readonly Interval SixHours = new(6, IntervalUnit.Hour, "6h");
    /// <summary>Eight hours.</summary>
    public static readonly Interval EightHours = new(8, IntervalUnit.Hour, "8h");
    /// <summary>Twelve hours.</summary>
    public static readonly Interval TwelveHours = new(12, IntervalUnit.Hour, "12h");
    /// <summary>One day.</summary>
    public static readonly Interval OneDay = new(1, IntervalUnit.Day, "1d");
    /// <summary>Three days.</summary>
    public static readonly Interval ThreeDays = new(3, IntervalUnit.Day, "3d");
    /// <summary>One week (Monday 00:00 UTC).</summary>
    public static readonly Interval OneWeek = new(1, IntervalUnit.Week, "1w");
    /// <summary>One calendar month.</summary>
    public static readonly Interval OneMonth = new(1, IntervalUnit.Month, "1M");

    /// <summary>Every interval Binance defines, shortest first.</summary>
    public static IReadOnlyList<Interval> All { get; } =
    [
        OneSecond, OneMinute, ThreeMinutes, FiveMinutes, FifteenMinutes, ThirtyMinutes, OneHour, TwoHours,
        FourHours, SixHours, EightHours, TwelveHours, OneDay, ThreeDays, OneWeek, OneMonth,
    ];

    /// <summary>Parses a Binance interval name (case-sensitive: <c>1m</c> is a minute, <c>1M</c> a month). Also accepts <c>1mo</c>.</summary>
    public static Interval Parse(string? text) =>
        TryParse(text, out var interval) ? interval : throw new InvalidIntervalException(text);

    /// <summary>Parses a Binance interval name without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Interval interval)
    {
        if (text == "1mo") { interval = OneMonth; return true; }
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name, text, StringComparison.Ordinal)) { interval = candidate; return true; }
        }
        interval = default;
        return false;
    }

    /// <summary>The open time of the candle that contains <paramref name="timeMs"/>.</summary>
    public long Floor(long timeMs)
    {
        switch (Unit)
        {
            case IntervalUnit.Month:
                var t = DateTimeOffset.FromUnixTimeMilliseconds(timeMs);
                return new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            case IntervalUnit.Week:
                return FloorDiv(timeMs - WeekOrigin, Week) * Week + WeekOrigin;
            default:
                var len = FixedMilliseconds!.Value;
                return FloorDiv(timeMs, len) * len;
        }
    }

    /// <summary>True when <paramref name="openTimeMs"/> is a valid candle open time for this interval.</summary>
    public bool IsAligned(long openTimeMs) => Floor(openTimeMs) == openTimeMs;

    /// <summary>The open time <paramref name="candles"/> candles after <paramref name="openTimeMs"/> (negative goes back).</summary>
    public long Add(long openTimeMs, long candles = 1)
    {
        if (Unit != IntervalUnit.Month) return openTimeMs + candles * FixedMilliseconds!.Value;
        var t = DateTimeOffset.FromUnixTimeMilliseconds(openTimeMs);
        return t.AddMonths(checked((int)(candles * Count))).ToUnixTimeMilliseconds();
    }

    /// <summary>The open time of the next candle.</summary>
    public long Next(long openTimeMs) => Add(openTimeMs, 1);

    /// <summary>Binance's close time of the candle opening at <paramref name="openTimeMs"/>: next open minus 1 ms.</summary>
    public long CloseTime(long openTimeMs) => Next(openTimeMs) - 1;

    /// <summary>Number of candle open times in <c>[fromMs, toMs)</c> for aligned bounds.</summary>
    public long CountBetween(long fromMs, long toMs)
    {
        if (toMs <= fromMs) return 0;
        if (Unit != IntervalUnit.Month) return (toMs - fromMs + FixedMilliseconds!.Value - 1) / FixedMilliseconds!.Value;
        var a = DateTimeOffset.FromUnixTimeMilliseconds(Floor(fromMs));
        var b = DateTimeOffset.FromUnixTimeMilliseconds(toMs);
        long months = (b.Year - a.Year) * 12L + b.Month - a.Month;
        if (Add(Floor(fromMs), months) < toMs) months++;
        return months;
    }

    /// <summary>How many candles of this interval make a year of 365.25 days (for annualising).</summary>
    public double PeriodsPerYear => 365.25 * Day / (double)(FixedMilliseconds ?? (long)(30.436875 * Day));

    /// <inheritdoc />
    public override string ToString() => Name;

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
