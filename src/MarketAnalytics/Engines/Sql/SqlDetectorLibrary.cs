namespace MarketAnalytics.Engines.Sql;

/// <summary>One compiled detector: a query returning candidate anomaly rows (episode de-duplication runs in C#).</summary>
/// <param name="Name">Detector name, e.g. <c>volume_spike</c>.</param>
/// <param name="Query">SELECT returning <c>symbol, open_time, score, value, baseline, threshold</c> for every candle that meets the trigger, ordered by symbol and time.</param>
/// <param name="CooldownCandles">Candidates closer than this many candles to the previous trigger belong to the same episode.</param>
public sealed record CompiledSqlDetector(string Name, string Query, int CooldownCandles);

/// <summary>A candidate row returned by a detector query.</summary>
internal readonly record struct SqlDetectorRow(SymbolId Symbol, long OpenTime, double Score, double Value, double Baseline, double Threshold);

internal static partial class SqlDetectorLibrary
{
    public static CompiledSqlDetector Compile(string name, SqlSource source, SqlDialect dialect) =>
        throw new SqlNotSupportedException(name, "detectors are not compiled yet");

    public static IEnumerable<Anomaly> ToAnomalies(CompiledSqlDetector detector, IReadOnlyList<SqlDetectorRow> rows, Interval interval)
    {
        yield break;
    }
}
