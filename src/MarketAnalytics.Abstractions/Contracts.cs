namespace MarketAnalytics;

/// <summary>A half-open time range <c>[From, To)</c> of candles for one symbol and interval; times are Unix ms UTC.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Interval">The candle interval.</param>
/// <param name="From">First open time included.</param>
/// <param name="To">First open time excluded.</param>
public sealed record CandleRange(SymbolId Symbol, Interval Interval, long From, long To)
{
    /// <summary>Creates a range from UTC instants.</summary>
    public static CandleRange Of(SymbolId symbol, Interval interval, DateTimeOffset from, DateTimeOffset to) =>
        new(symbol, interval, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());

    /// <summary>True when <paramref name="openTime"/> lies in the range.</summary>
    public bool Contains(long openTime) => openTime >= From && openTime < To;
}

/// <summary>Where candles come from: an exchange API, bulk archives, or local files.</summary>
public interface IMarketDataSource
{
    /// <summary>Short name for logs and progress lines, e.g. <c>binance-rest</c>.</summary>
    string Name { get; }

    /// <summary>Streams the candles of <paramref name="range"/> in open-time order, each exactly once.</summary>
    IAsyncEnumerable<Candle> GetCandlesAsync(CandleRange range, CancellationToken cancellationToken = default);
}

/// <summary>What a store write did.</summary>
/// <param name="Written">Candles that were new.</param>
/// <param name="Replaced">Candles whose open time existed and whose values were replaced.</param>
/// <param name="Unchanged">Candles already stored with identical values.</param>
public readonly record struct CandleWriteResult(long Written, long Replaced, long Unchanged)
{
    /// <summary>Adds two results.</summary>
    public static CandleWriteResult operator +(CandleWriteResult a, CandleWriteResult b) =>
        new(a.Written + b.Written, a.Replaced + b.Replaced, a.Unchanged + b.Unchanged);
}

/// <summary>Keeps candles. Writes are idempotent: re-writing any range never duplicates or drops a candle.</summary>
public interface ICandleStore
{
    /// <summary>Merges <paramref name="candles"/> into the store by open time (the written value wins).</summary>
    Task<CandleWriteResult> WriteAsync(CandleSeries candles, CancellationToken cancellationToken = default);

    /// <summary>Streams the stored candles of <paramref name="range"/> in open-time order.</summary>
    IAsyncEnumerable<Candle> ReadAsync(CandleRange range, CancellationToken cancellationToken = default);
}

/// <summary>Keeps analysis output: indicator columns and anomaly records.</summary>
public interface IAnalysisResultStore
{
    /// <summary>Merges an analysis result by (symbol, interval, open time, column) and anomaly identity; idempotent.</summary>
    Task WriteAsync(AnalysisResult result, CancellationToken cancellationToken = default);

    /// <summary>Streams stored anomalies of <paramref name="range"/> in time order.</summary>
    IAsyncEnumerable<Anomaly> ReadAnomaliesAsync(CandleRange range, CancellationToken cancellationToken = default);
}

/// <summary>Something that analyses candles: an indicator or a detector.</summary>
public interface IAnalyzer
{
    /// <summary>Canonical name with parameters, e.g. <c>macd(12,26,9)</c>.</summary>
    string Name { get; }
}

/// <summary>Severity of an <see cref="Anomaly"/>.</summary>
public enum AnomalySeverity
{
    /// <summary>Worth a look.</summary>
    Low,
    /// <summary>Likely real.</summary>
    Medium,
    /// <summary>Strong evidence.</summary>
    High,
    /// <summary>Extreme.</summary>
    Critical,
}

/// <summary>Names of the anomaly kinds the built-in detectors emit.</summary>
public static class AnomalyKinds
{
    /// <summary>Volume far above its robust baseline.</summary>
    public const string VolumeSpike = "volume_spike";
    /// <summary>A return far outside its robust baseline.</summary>
    public const string PriceJump = "price_jump";
    /// <summary>A sharp drop followed by a rebound.</summary>
    public const string FlashCrash = "flash_crash";
    /// <summary>A coordinated pump (price and taker-buy volume surge) typically followed by a dump.</summary>
    public const string PumpAndDump = "pump_and_dump";
    /// <summary>A shift in volatility regime.</summary>
    public const string VolatilityRegime = "volatility_regime";
    /// <summary>Missing candles.</summary>
    public const string Gap = "gap";
    /// <summary>A price that has not moved for unusually long while trading continues or stops.</summary>
    public const string StalePrice = "stale_price";
    /// <summary>An implausible or inconsistent tick/candle (e.g. high below close, negative or NaN values).</summary>
    public const string BadTick = "bad_tick";
    /// <summary>A candle whose open time was already seen.</summary>
    public const string Duplicate = "duplicate";
    /// <summary>A candle whose open time is earlier than its predecessor's.</summary>
    public const string OutOfOrder = "out_of_order";
}

/// <summary>One alert: which candle fired, what kind, how strong, and why in one line.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="OpenTime">Open time (Unix ms UTC) of the candle that fired.</param>
/// <param name="Kind">One of <see cref="AnomalyKinds"/> or a custom kind.</param>
/// <param name="Score">Detector-specific strength; larger is stronger.</param>
/// <param name="Severity">Coarse severity.</param>
/// <param name="Explanation">One human-readable line naming the numbers that crossed which threshold.</param>
public sealed record Anomaly(SymbolId Symbol, long OpenTime, string Kind, double Score, AnomalySeverity Severity, string Explanation);

/// <summary>Finds anomalies; causal only, so batch and streaming agree.</summary>
public interface IAnomalyDetector : IAnalyzer
{
    /// <summary>Runs over a whole series and adds the anomalies to <paramref name="sink"/> in time order.</summary>
    void Detect(CandleSeries series, ICollection<Anomaly> sink);

    /// <summary>Creates streaming state for one symbol.</summary>
    IDetectorStream CreateStream(SymbolId symbol, Interval interval);
}

/// <summary>Streaming form of an <see cref="IAnomalyDetector"/>: one <see cref="Update"/> per closed candle.</summary>
public interface IDetectorStream
{
    /// <summary>Feeds the next closed candle; adds any anomalies it triggers to <paramref name="sink"/>.</summary>
    void Update(in Candle candle, ICollection<Anomaly> sink);
}

/// <summary>One named column of indicator output aligned with a series' open times (NaN where undefined).</summary>
/// <param name="Name">Column name, e.g. <c>macd_12_26_9_signal</c>.</param>
/// <param name="Values">One value per candle.</param>
public sealed record IndicatorColumn(string Name, double[] Values);

/// <summary>The output of running an <see cref="AnalysisPlan"/> over one series.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Interval">The interval.</param>
/// <param name="OpenTime">Open times of the rows.</param>
/// <param name="Columns">Indicator columns, in plan order.</param>
/// <param name="Anomalies">Anomalies in time order.</param>
public sealed record AnalysisResult(SymbolId Symbol, Interval Interval, long[] OpenTime, IReadOnlyList<IndicatorColumn> Columns, IReadOnlyList<Anomaly> Anomalies);

/// <summary>An engine-independent description of an analysis: which indicators and which detectors.</summary>
/// <param name="Indicators">Indicator specs, e.g. <c>sma(20)</c>, <c>macd(12,26,9)</c>.</param>
/// <param name="Detectors">Detector names; empty for none.</param>
public sealed record AnalysisPlan(IReadOnlyList<IndicatorSpec> Indicators, IReadOnlyList<string> Detectors);

/// <summary>Runs an <see cref="AnalysisPlan"/>: in-process kernels, embedded SQL, or a cluster.</summary>
public interface IAnalysisEngine
{
    /// <summary>Short name, e.g. <c>inprocess</c>, <c>duckdb</c>, <c>spark</c>.</summary>
    string Name { get; }

    /// <summary>Runs <paramref name="plan"/> over <paramref name="series"/>.</summary>
    Task<AnalysisResult> RunAsync(AnalysisPlan plan, CandleSeries series, CancellationToken cancellationToken = default);
}
