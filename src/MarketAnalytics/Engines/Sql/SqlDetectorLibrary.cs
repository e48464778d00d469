using System.Globalization;
using System.Text;

namespace MarketAnalytics.Engines.Sql;

/// <summary>One compiled detector: a query returning candidate anomaly rows (episode de-duplication runs in C#).</summary>
/// <param name="Name">Detector name, e.g. <c>volume_spike</c>.</param>
/// <param name="Query">SELECT returning <c>symbol, open_time, score, value, baseline, threshold</c> for every candle that meets the trigger, ordered by symbol and time.</param>
/// <param name="CooldownCandles">Candidates closer than this many candles to the previous trigger belong to the same episode.</param>
public sealed record CompiledSqlDetector(string Name, string Query, int CooldownCandles);

/// <summary>A candidate row returned by a detector query.</summary>
internal readonly record struct SqlDetectorRow(SymbolId Symbol, long OpenTime, double Score, double Value, double Baseline, double Threshold);

/// <summary>
/// SQL forms of the <c>volume_spike</c>, <c>price_jump</c> and <c>pump_and_dump</c> detectors with the in-process
/// defaults: rolling median/MAD baselines over preceding rows only (causal), the trigger evaluated per candle in SQL,
/// and the alert episodes (cool-down, escalation) folded in C# over the few candidate rows.
/// </summary>
internal static class SqlDetectorLibrary
{
    public static IReadOnlyList<string> Names { get; } = [AnomalyKinds.VolumeSpike, AnomalyKinds.PriceJump, AnomalyKinds.PumpAndDump];

    // volume_spike defaults (MarketAnalytics.Detectors.VolumeSpikeDetector)
    private const int SpikeWindow = 240;
    private const double SpikeZ = 6, SpikeMultiple = 8, SpikeSigmaFloor = 0.25;
    private const int SpikeCooldown = 30;
    // price_jump defaults (PriceJumpDetector)
    private const int JumpWindow = 240;
    private const double JumpZ = 10, JumpMinAbsReturn = 0.02;
    private const int JumpCooldown = 30;
    // pump_and_dump defaults (PumpAndDumpOptions)
    private const int PumpBaselineHours = 24, PumpMinBaselineHours = 6;
    private const double PumpVolumeMultiple = 200, PumpMinRise = 0.03, PumpRiseSigmas = 4, PumpMinTakerShare = 0.3, PumpTradeMultiple = 90, PumpEscalation = 2;
    private const long PumpCooldownMs = 30 * 60_000;
    private const double MadScale = 1.4826;

    public static CompiledSqlDetector Compile(string name, SqlSource source, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            AnomalyKinds.VolumeSpike => new(name, VolumeSpike(source, dialect), SpikeCooldown),
            AnomalyKinds.PriceJump => new(name, PriceJump(source, dialect), JumpCooldown),
            AnomalyKinds.PumpAndDump => new(name, PumpAndDump(source, dialect), 0),
            _ when SqlIdentifier.Check(name) is null && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') =>
                throw new SqlNotSupportedException(name, $"this detector has no SQL form; detectors with a SQL form: {string.Join(", ", Names)} (use the in-process engine for the others)"),
            _ => throw new InvalidSpecException(name, $"not a detector name; detectors with a SQL form: {string.Join(", ", Names)}"),
        };
    }

    private sealed class Writer(SqlDialect d)
    {
        public string Id(string name) => d.QuoteIdentifier(name);
        public string Num(double v) => d.DoubleLiteral(v);
        public string Int(long v) => d.IntegerLiteral(v);
        public bool Spark => d.Name == "spark";

        /// <summary><c>PARTITION BY symbol ORDER BY order ROWS BETWEEN n PRECEDING AND 1 PRECEDING</c>.</summary>
        public string Preceding(string order, int n) => $"(PARTITION BY {Id("symbol")} ORDER BY {Id(order)} ROWS BETWEEN {Int(n)} PRECEDING AND {Int(1)} PRECEDING)";

        /// <summary>Quote volume, falling back to volume × mean(OHLC) when unknown (NULL or NaN), as in-process.</summary>
        public string QuoteVolume() =>
            $"CASE WHEN {Id("quote_volume")} IS NULL OR isnan({Id("quote_volume")}) THEN {Id("volume")} * ({Id("open")} + {Id("high")} + {Id("low")} + {Id("close")}) * {Num(0.25)} ELSE {Id("quote_volume")} END";

        /// <summary>Median and MAD (unscaled) of <paramref name="x"/> over <paramref name="frame"/>: select items for two stages.</summary>
        public (string Stage1, string Stage2) MedianMad(string x, string frame, string med, string mad, string count)
        {
            if (!Spark)
                return ($"median({Id(x)}) OVER {frame} AS {Id(med)}, mad({Id(x)}) OVER {frame} AS {Id(mad)}, count({Id(x)}) OVER {frame} AS {Id(count)}", string.Empty);
            // Spark has no windowed MAD: collect the frame, take |v − median| and the median of the sorted deviations.
            var arr = Id("_arr_" + x);
            var dev = $"array_sort(transform({arr}, v -> abs(v - {Id(med)})))";
            var n = $"size({arr})";
            return ($"percentile({Id(x)}, 0.5D) OVER {frame} AS {Id(med)}, collect_list({Id(x)}) OVER {frame} AS {arr}, count({Id(x)}) OVER {frame} AS {Id(count)}",
                $"CASE WHEN {n} = 0 THEN CAST(NULL AS DOUBLE) WHEN {n} % 2 = 1 THEN element_at({dev}, CAST({n} DIV 2 + 1 AS INT)) " +
                $"ELSE (element_at({dev}, CAST({n} DIV 2 AS INT)) + element_at({dev}, CAST({n} DIV 2 + 1 AS INT))) / {Num(2)} END AS {Id(mad)}");
        }

        public string Exp(string x) => $"exp({x})";
    }

    private static string VolumeSpike(SqlSource source, SqlDialect d)
    {
        var w = new Writer(d);
        var frame = w.Preceding("open_time", SpikeWindow);
        var (s1, s2) = w.MedianMad("x", frame, "med", "mad", "cnt");
        var sb = new StringBuilder();
        sb.Append("WITH _src AS (\n  ").Append(source.RenderSelect(d)).Append("\n),\n");
        // Only trading candles (quote volume > 0) enter the baseline, and only they can fire.
        sb.Append($"_t AS (\n  SELECT {w.Id("symbol")}, {w.Id("open_time")}, q, ln(q) AS {w.Id("x")}\n  FROM (SELECT {w.Id("symbol")}, {w.Id("open_time")}, {w.QuoteVolume()} AS q FROM _src) AS _q\n  WHERE q > {w.Num(0)}\n),\n");
        sb.Append($"_b AS (\n  SELECT *, {s1}\n  FROM _t\n),\n");
        sb.Append($"_m AS (\n  SELECT *{(s2.Length > 0 ? ", " + s2 : string.Empty)}\n  FROM _b\n),\n");
        sb.Append($"_z AS (\n  SELECT *, ({w.Id("x")} - {w.Id("med")}) / greatest({w.Num(MadScale)} * {w.Id("mad")}, {w.Num(SpikeSigmaFloor)}) AS z\n  FROM _m\n  WHERE {w.Id("cnt")} >= {w.Int(SpikeWindow / 2)}\n)\n");
        sb.Append($"SELECT {w.Id("symbol")}, {w.Id("open_time")}, z AS score, q AS {w.Id("value")}, {w.Exp(w.Id("med"))} AS baseline, {w.Num(SpikeZ)} AS threshold\nFROM _z\n");
        sb.Append($"WHERE z >= {w.Num(SpikeZ)} AND {w.Exp($"{w.Id("x")} - {w.Id("med")}")} >= {w.Num(SpikeMultiple)}\nORDER BY {w.Id("symbol")}, {w.Id("open_time")}");
        return sb.ToString();
    }

    private static string PriceJump(SqlSource source, SqlDialect d)
    {
        var w = new Writer(d);
        var frame = w.Preceding("open_time", JumpWindow);
        var (s1, s2) = w.MedianMad("r", frame, "med", "mad", "cnt");
        var sb = new StringBuilder();
        sb.Append("WITH _src AS (\n  ").Append(source.RenderSelect(d)).Append("\n),\n");
        // Candles without a positive close are skipped (they neither fire nor move the previous close).
        sb.Append($"_p AS (\n  SELECT {w.Id("symbol")}, {w.Id("open_time")}, {w.Id("close")},\n    lag({w.Id("close")}, 1) OVER (PARTITION BY {w.Id("symbol")} ORDER BY {w.Id("open_time")}) AS prev\n  FROM _src\n  WHERE {w.Id("close")} > {w.Num(0)}\n),\n");
        sb.Append($"_r AS (\n  SELECT {w.Id("symbol")}, {w.Id("open_time")}, {w.Id("close")}, ln({w.Id("close")} / prev) AS {w.Id("r")}\n  FROM _p\n  WHERE prev IS NOT NULL\n),\n");
        sb.Append($"_b AS (\n  SELECT *, {s1}\n  FROM _r\n),\n");
        sb.Append($"_m AS (\n  SELECT *{(s2.Length > 0 ? ", " + s2 : string.Empty)}\n  FROM _b\n),\n");
        sb.Append($"_j AS (\n  SELECT *, abs({w.Id("r")} - {w.Id("med")}) AS dev, greatest({w.Num(JumpZ)} * {w.Num(MadScale)} * {w.Id("mad")}, {w.Num(Math.Log(1 + JumpMinAbsReturn))}) AS thr\n  FROM _m\n  WHERE {w.Id("cnt")} >= {w.Int(JumpWindow / 2)}\n)\n");
        sb.Append($"SELECT {w.Id("symbol")}, {w.Id("open_time")}, dev / thr AS score, {w.Id("r")} AS {w.Id("value")}, {w.Id("med")} AS baseline, thr AS threshold\nFROM _j\nWHERE dev >= thr\nORDER BY {w.Id("symbol")}, {w.Id("open_time")}");
        return sb.ToString();
    }

    private static string PumpAndDump(SqlSource source, SqlDialect d)
    {
        var w = new Writer(d);
        var ms = source.Interval.FixedMilliseconds ?? (long)source.Interval.NominalDuration.TotalMilliseconds;
        var bucketMs = Math.Max(3_600_000L, ms);
        var perBucket = bucketMs / (double)ms;
        var refCount = Math.Max(5, (int)Math.Round(perBucket));
        var hourFrame = w.Preceding("bucket", PumpBaselineHours);
        var (h1, h2) = w.MedianMad("hr", hourFrame, "hr_med", "hr_mad", "hr_cnt");
        var argMax = w.Spark ? "max_by" : "arg_max";
        var lastIgnoreNulls = w.Spark ? "last(bc, true)" : "last_value(bc IGNORE NULLS)";
        var sb = new StringBuilder();
        sb.Append("WITH _src AS (\n  ").Append(source.RenderSelect(d)).Append("\n),\n");
        sb.Append($"_c AS (\n  SELECT {w.Id("symbol")}, {w.Id("open_time")}, {w.Id("close")}, {w.Id("trades")}, {w.Id("taker_buy_quote")}, {w.QuoteVolume()} AS q,\n" +
                  $"    {w.Id("open_time")} {d.IntegerDivisionOperator} {w.Int(bucketMs)} AS {w.Id("bucket")}\n  FROM _src\n),\n");
        // Hourly buckets: volume, trades, last positive close (carried forward), return to the previous bucket.
        sb.Append($"_h0 AS (\n  SELECT {w.Id("symbol")}, {w.Id("bucket")},\n" +
                  $"    sum(CASE WHEN q >= {w.Num(0)} AND NOT isnan(q) THEN q ELSE {w.Num(0)} END) AS hv,\n" +
                  $"    sum(CASE WHEN {w.Id("trades")} >= {w.Int(0)} THEN {w.Id("trades")} ELSE {w.Int(0)} END) AS ht,\n" +
                  $"    {argMax}({w.Id("close")}, CASE WHEN {w.Id("close")} > {w.Num(0)} THEN {w.Id("open_time")} END) AS bc\n" +
                  $"  FROM _c\n  GROUP BY {w.Id("symbol")}, {w.Id("bucket")}\n),\n");
        sb.Append($"_h1 AS (\n  SELECT {w.Id("symbol")}, {w.Id("bucket")}, hv, ht,\n    {lastIgnoreNulls} OVER (PARTITION BY {w.Id("symbol")} ORDER BY {w.Id("bucket")} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS bcf\n  FROM _h0\n),\n");
        sb.Append($"_h2 AS (\n  SELECT *, CASE WHEN bcf > {w.Num(0)} AND lag(bcf, 1) OVER (PARTITION BY {w.Id("symbol")} ORDER BY {w.Id("bucket")}) > {w.Num(0)}\n" +
                  $"    THEN ln(bcf / lag(bcf, 1) OVER (PARTITION BY {w.Id("symbol")} ORDER BY {w.Id("bucket")})) END AS {w.Id("hr")}\n  FROM _h1\n),\n");
        // Baselines of a bucket use only the buckets completed before it.
        sb.Append($"_h3 AS (\n  SELECT *, median(hv) OVER {hourFrame} AS hv_med, median(ht) OVER {hourFrame} AS ht_med, count(hv) OVER {hourFrame} AS hv_cnt, {h1}\n  FROM _h2\n),\n"
            .Replace("median(hv)", w.Spark ? "percentile(hv, 0.5D)" : "median(hv)", StringComparison.Ordinal)
            .Replace("median(ht)", w.Spark ? "percentile(ht, 0.5D)" : "median(ht)", StringComparison.Ordinal));
        sb.Append($"_h AS (\n  SELECT {w.Id("symbol")}, {w.Id("bucket")}, hv_med, ht_med, hv_cnt, hr_cnt{(h2.Length > 0 ? ", " + h2 : ", hr_mad")}\n  FROM _h3\n),\n");
        // Reference price: median of the previous positive closes (about one hour of candles).
        sb.Append($"_r AS (\n  SELECT *, {(w.Spark ? "percentile" : "median")}({w.Id("close")}{(w.Spark ? ", 0.5D" : string.Empty)}) OVER {w.Preceding("open_time", refCount)} AS ref,\n" +
                  $"    count({w.Id("close")}) OVER {w.Preceding("open_time", refCount)} AS ref_cnt\n  FROM _c\n  WHERE {w.Id("close")} > {w.Num(0)}\n),\n");
        sb.Append($"_e AS (\n  SELECT _r.{w.Id("symbol")}, _r.{w.Id("open_time")}, _r.{w.Id("close")}, _r.q, _r.{w.Id("trades")}, _r.{w.Id("taker_buy_quote")}, _r.ref,\n" +
                  $"    greatest(_h.hv_med / {w.Num(perBucket)}, {w.Num(double.Epsilon)}) AS per_candle,\n" +
                  $"    _h.ht_med / {w.Num(perBucket)} AS trades_per_candle,\n" +
                  $"    greatest({w.Num(Math.Log(1 + PumpMinRise))}, {w.Num(PumpRiseSigmas)} * CASE WHEN _h.hr_cnt >= {w.Int(2)} THEN {w.Num(MadScale)} * _h.hr_mad ELSE {w.Num(0)} END) AS rise_thr\n" +
                  $"  FROM _r JOIN _h ON _r.{w.Id("symbol")} = _h.{w.Id("symbol")} AND _r.{w.Id("bucket")} = _h.{w.Id("bucket")}\n" +
                  $"  WHERE _h.hv_cnt >= {w.Int(PumpMinBaselineHours)} AND _r.ref_cnt >= {w.Int(2)} AND _r.q > {w.Num(0)}\n),\n");
        sb.Append($"_s AS (\n  SELECT *, q / per_candle AS multiple, ln({w.Id("close")} / ref) AS rise\n  FROM _e\n)\n");
        sb.Append($"SELECT {w.Id("symbol")}, {w.Id("open_time")}, log10(multiple) * rise / greatest(rise_thr, {w.Num(1e-12)}) AS score, q AS {w.Id("value")}, per_candle AS baseline, rise_thr AS threshold\nFROM _s\n");
        sb.Append($"WHERE multiple >= {w.Num(PumpVolumeMultiple)} AND rise >= rise_thr\n" +
                  $"  AND ({w.Id("taker_buy_quote")} IS NULL OR isnan({w.Id("taker_buy_quote")}) OR {w.Id("taker_buy_quote")} / q >= {w.Num(PumpMinTakerShare)})\n" +
                  $"  AND ({w.Id("trades")} IS NULL OR {w.Id("trades")} < {w.Int(0)} OR {w.Id("trades")} / greatest(trades_per_candle, {w.Num(1 / perBucket)}) >= {w.Num(PumpTradeMultiple)})\n");
        sb.Append($"ORDER BY {w.Id("symbol")}, {w.Id("open_time")}");
        return sb.ToString();
    }

    /// <summary>Folds candidate rows into alert episodes (cool-down from the latest trigger; pump escalations) and explains them.</summary>
    public static IEnumerable<Anomaly> ToAnomalies(CompiledSqlDetector detector, IReadOnlyList<SqlDetectorRow> rows, Interval interval)
    {
        var candleMs = interval.FixedMilliseconds ?? 60_000;
        var cooldown = detector.Name == AnomalyKinds.PumpAndDump ? PumpCooldownMs : detector.CooldownCandles * candleMs;
        var last = new Dictionary<SymbolId, long>();
        var best = new Dictionary<SymbolId, double>();
        foreach (var row in rows)
        {
            var isNew = !last.TryGetValue(row.Symbol, out var previous) || row.OpenTime - previous >= cooldown;
            last[row.Symbol] = row.OpenTime;
            string? prefix = null;
            if (isNew)
            {
                prefix = string.Empty;
                best[row.Symbol] = row.Score;
            }
            else if (detector.Name == AnomalyKinds.PumpAndDump && row.Score >= PumpEscalation * best[row.Symbol])
            {
                prefix = "escalation: ";
                best[row.Symbol] = row.Score;
            }
            if (prefix is null) continue;
            yield return new Anomaly(row.Symbol, row.OpenTime, detector.Name, row.Score, Severity(detector.Name, row.Score), prefix + Explain(detector.Name, row));
        }
    }

    private static AnomalySeverity Severity(string name, double score)
    {
        var (medium, high, critical) = name switch
        {
            AnomalyKinds.VolumeSpike => (SpikeZ, 1.5 * SpikeZ, 2.5 * SpikeZ),
            AnomalyKinds.PriceJump => (1.0, 2.0, 4.0),
            _ => (0.0, 2.5, 6.0),
        };
        return score >= critical ? AnomalySeverity.Critical : score >= high ? AnomalySeverity.High : score >= medium ? AnomalySeverity.Medium : AnomalySeverity.Low;
    }

    private static string Explain(string name, SqlDetectorRow r)
    {
        static string N(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
        return name switch
        {
            AnomalyKinds.VolumeSpike => $"quote volume {N(r.Value)} = {N(r.Value / r.Baseline)}x the rolling median {N(r.Baseline)} of the last {SpikeWindow} trading candles; robust z {N(r.Score)} (threshold z >= {N(SpikeZ)} and >= {N(SpikeMultiple)}x) [sql]",
            AnomalyKinds.PriceJump => $"log return {N(r.Value)}; |return - median {N(r.Baseline)}| >= threshold {N(r.Threshold)} = max({N(JumpZ)} x robust sigma, log(1+{N(JumpMinAbsReturn)})); score {N(r.Score)} [sql]",
            _ => $"pump: quote volume {N(r.Value)} = {N(r.Value / r.Baseline)}x the baseline per candle {N(r.Baseline)} (threshold {N(PumpVolumeMultiple)}x), rise over the last-hour median close above {N(r.Threshold)} (log), score {N(r.Score)} [sql]",
        };
    }
}
