using System.Globalization;

namespace MarketAnalytics.Detectors;

/// <summary>
/// Base of the built-in detectors: batch detection is defined as feeding every candle of the series, in order, to a
/// fresh stream, so batch and streaming results are identical by construction (all detectors are causal).
/// </summary>
internal abstract class DetectorBase : IAnomalyDetector
{
    public abstract string Name { get; }

    public void Detect(CandleSeries series, ICollection<Anomaly> sink)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(sink);
        var stream = CreateStream(series.Symbol, series.Interval);
        for (var i = 0; i < series.Count; i++)
        {
            var c = series[i];
            stream.Update(c, sink);
        }
    }

    public abstract IDetectorStream CreateStream(SymbolId symbol, Interval interval);

    public override string ToString() => Name;
}

/// <summary>
/// Stream base for the market detectors: candles whose open time is not after the previous one (duplicates,
/// out-of-order rows) are ignored here; the data-quality detectors report them.
/// </summary>
internal abstract class OrderedStream(SymbolId symbol, Interval interval) : IDetectorStream
{
    private long _last = long.MinValue;

    protected SymbolId Symbol { get; } = symbol;

    protected Interval Interval { get; } = interval;

    public void Update(in Candle candle, ICollection<Anomaly> sink)
    {
        if (candle.OpenTime <= _last) return;
        _last = candle.OpenTime;
        OnCandle(candle, sink);
    }

    protected abstract void OnCandle(in Candle candle, ICollection<Anomaly> sink);
}

/// <summary>
/// Alert de-duplication: triggers closer than the cool-down to the previous trigger belong to the same episode and
/// are not reported again. The cool-down is measured in time from the episode's latest trigger.
/// </summary>
internal struct EpisodeGate(long cooldownMs)
{
    private long _lastTrigger = long.MinValue;

    /// <summary>Records a trigger at <paramref name="time"/>; true when it opens a new episode (report it).</summary>
    public bool Trigger(long time)
    {
        var isNew = _lastTrigger == long.MinValue || time - _lastTrigger >= cooldownMs;
        _lastTrigger = time;
        return isNew;
    }

    /// <summary>True while <paramref name="time"/> is inside the current episode's cool-down.</summary>
    public readonly bool InCooldown(long time) => _lastTrigger != long.MinValue && time - _lastTrigger < cooldownMs;
}

/// <summary>Formatting helpers for explanations (invariant culture, compact numbers).</summary>
internal static class Fmt
{
    public static string N(double v, int digits = 3) =>
        double.IsNaN(v) ? "NaN" : v.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Pct(double fraction, int decimals = 2) =>
        (fraction * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";

    public static string Time(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Quote volume of a candle, falling back to volume × close when the source lacks it.</summary>
    public static double QuoteVolume(in Candle c) =>
        double.IsNaN(c.QuoteVolume) ? c.Volume * (c.Open + c.High + c.Low + c.Close) * 0.25 : c.QuoteVolume;

    public static AnomalySeverity Severity(double score, double medium, double high, double critical) =>
        score >= critical ? AnomalySeverity.Critical : score >= high ? AnomalySeverity.High : score >= medium ? AnomalySeverity.Medium : AnomalySeverity.Low;
}
