using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MarketAnalytics.Detectors;
using MarketAnalytics.Trades;

namespace MarketAnalytics.Eval;

/// <summary>Result for one labelled pump event.</summary>
public sealed record EventResult(
    string File, string Coin, DateTimeOffset T0, bool LikelyMislabelled, string Split,
    int Candles, double SymbolDays, long TradeRows, long DuplicateRows,
    bool Detected, double? DelayMinutes, int FalseAlarms, IReadOnlyList<Anomaly> Alerts, double StreamSeconds);

/// <summary>Aggregated figures over a set of events.</summary>
public sealed record EvaluationSummary(string Name, int Events, int Detected, double DetectionRate, double MedianDelayMinutes,
    double MeanDelayMinutes, int FalseAlarms, double SymbolDays, double FalseAlarmsPerSymbolDay);

/// <summary>
/// Evaluation of the pump_and_dump detector on the Pugoev labelled events: each trade file is resampled to 1m candles
/// and streamed through the detector candle by candle. Definitions follow issue 4.
/// </summary>
public static class PumpEvaluation
{
    /// <summary>Events whose trades show no spike near the announced time (PROVENANCE.md): reported separately.</summary>
    public static readonly IReadOnlySet<string> LikelyMislabelled = new HashSet<string>(StringComparer.Ordinal)
    {
        "DLT_2021-01-28_19.00.csv", "MTH_2021-07-27_17.00.csv", "NEBL_2021-04-02_21.00.csv", "SNM_2021-11-20_17.01.csv",
    };

    public static readonly TimeSpan WindowBefore = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan WindowAfter = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan FalseAlarmDistance = TimeSpan.FromMinutes(60);
    public static readonly TimeSpan EpisodeCooldown = TimeSpan.FromMinutes(30);

    /// <summary>Split used to choose the fixed parameters: events announced before 2021 calibrate, later events test.</summary>
    public static string SplitOf(DateTimeOffset t0) => t0.Year < 2021 ? "calibration" : "test";

    public static (string Coin, DateTimeOffset T0) ParseName(string fileName)
    {
        // <COIN>_<YYYY-MM-DD>_<HH.MM>.csv, time in UTC
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var parts = stem.Split('_');
        if (parts.Length != 3) throw new FormatException($"unexpected event file name '{fileName}'");
        var t0 = DateTimeOffset.ParseExact(parts[1] + " " + parts[2], "yyyy-MM-dd HH.mm", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        return (parts[0], t0);
    }

    public static IReadOnlyList<EventResult> Run(string tradesDirectory, Func<IAnomalyDetector> detectorFactory, int maxParallelism = 2)
    {
        var files = Directory.GetFiles(tradesDirectory, "*.csv").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var results = new ConcurrentBag<EventResult>();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism }, file =>
        {
            results.Add(RunOne(file, detectorFactory()));
        });
        return results.OrderBy(r => r.File, StringComparer.Ordinal).ToList();
    }

    /// <summary>One event's resampled candles (to evaluate several parameter sets without re-reading).</summary>
    public sealed record LoadedEvent(string File, CandleSeries Series, TradeReadResult Read);

    public static IReadOnlyList<LoadedEvent> Load(string tradesDirectory, int maxParallelism = 2)
    {
        var files = Directory.GetFiles(tradesDirectory, "*.csv").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var loaded = new LoadedEvent[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism }, i =>
        {
            var (coin, _) = ParseName(Path.GetFileName(files[i]));
            var series = TradeResampler.ResampleFile(files[i], SymbolId.Parse(coin + "BTC"), Interval.OneMinute, out var read);
            loaded[i] = new LoadedEvent(files[i], series, read);
        });
        return loaded;
    }

    public static IReadOnlyList<EventResult> Run(IReadOnlyList<LoadedEvent> events, Func<IAnomalyDetector> detectorFactory) =>
        events.Select(e => RunOne(e.File, e.Series, e.Read, detectorFactory())).ToList();

    public static EventResult RunOne(string file, IAnomalyDetector detector)
    {
        var (coin, _) = ParseName(Path.GetFileName(file));
        var series = TradeResampler.ResampleFile(file, SymbolId.Parse(coin + "BTC"), Interval.OneMinute, out var read);
        return RunOne(file, series, read, detector);
    }

    public static EventResult RunOne(string file, CandleSeries series, TradeReadResult read, IAnomalyDetector detector)
    {
        var name = Path.GetFileName(file);
        var (coin, t0) = ParseName(name);
        var symbol = series.Symbol;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var stream = detector.CreateStream(symbol, Interval.OneMinute);
        var sink = new List<Anomaly>();
        for (var i = 0; i < series.Count; i++) stream.Update(series[i], sink);
        sw.Stop();
        var alerts = sink.Where(a => a.Kind == AnomalyKinds.PumpAndDump).ToList();
        var t0ms = t0.ToUnixTimeMilliseconds();
        var from = t0ms - (long)WindowBefore.TotalMilliseconds;
        var to = t0ms + (long)WindowAfter.TotalMilliseconds;
        var hit = alerts.FirstOrDefault(a => a.OpenTime >= from && a.OpenTime <= to);
        double? delay = hit is null ? null : (hit.OpenTime + 60_000 - t0ms) / 60_000.0;
        // Episodes: alerts closer than the 30-min cool-down to the previous alert belong to one episode; an episode is a
        // false alarm when it starts more than 60 min from the announced time.
        var fa = 0;
        long last = long.MinValue;
        foreach (var a in alerts)
        {
            var starts = last == long.MinValue || a.OpenTime - last >= (long)EpisodeCooldown.TotalMilliseconds;
            last = a.OpenTime;
            if (starts && Math.Abs(a.OpenTime - t0ms) > (long)FalseAlarmDistance.TotalMilliseconds) fa++;
        }
        var days = series.Count == 0 ? 0 : (series.OpenTime[^1] + 60_000 - series.OpenTime[0]) / 86_400_000.0;
        return new EventResult(name, coin, t0, LikelyMislabelled.Contains(name), SplitOf(t0), series.Count, days,
            read.Rows, read.DuplicatesRemoved, hit is not null, delay, fa, alerts, sw.Elapsed.TotalSeconds);
    }

    /// <summary>pump_and_dump alerts on one long series without labelled pumps (background false-alarm estimate).</summary>
    public sealed record BackgroundResult(string Name, int Candles, double SymbolDays, int Alerts, IReadOnlyList<Anomaly> AlertList);

    /// <summary>
    /// Runs the detector over the long 1m series in shared/data/binance: every freqtrade 1m JSON file and every
    /// futures-um 1m symbol folder (consecutive monthly CSVs concatenated). Episodes use the detector's 30-min cool-down.
    /// </summary>
    public static IReadOnlyList<BackgroundResult> Background(string dataDirectory, Func<IAnomalyDetector> detectorFactory)
    {
        var inputs = new List<(string Name, Func<CandleSeries> Load)>();
        foreach (var f in Directory.GetFiles(Path.Combine(dataDirectory, "binance", "klines"), "*-1m.json", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            inputs.Add((Path.GetFileName(f), () => MarketAnalytics.IO.KlineReader.ReadFile(f)));
        var futures = Path.Combine(dataDirectory, "binance", "futures-um", "klines");
        if (Directory.Exists(futures))
        {
            foreach (var dir in Directory.GetDirectories(futures).OrderBy(d => d, StringComparer.Ordinal))
            {
                var files = Directory.GetFiles(Path.Combine(dir, "1m"), "*.csv").OrderBy(f => f, StringComparer.Ordinal).ToArray();
                if (files.Length == 0) continue;
                inputs.Add(($"{Path.GetFileName(dir)} futures 1m ({files.Length} month(s))", () =>
                {
                    var series = new CandleSeries(SymbolId.Parse(Path.GetFileName(dir)), Interval.OneMinute);
                    foreach (var f in files) MarketAnalytics.IO.KlineReader.ReadFileInto(f, series);
                    return series;
                }));
            }
        }
        var results = new BackgroundResult[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var series = inputs[i].Load();
            var sink = new List<Anomaly>();
            detectorFactory().Detect(series, sink);
            var alerts = sink.Where(a => a.Kind == AnomalyKinds.PumpAndDump).ToList();
            var days = series.Count == 0 ? 0 : (series.OpenTime[^1] + 60_000 - series.OpenTime[0]) / 86_400_000.0;
            results[i] = new BackgroundResult(inputs[i].Name, series.Count, days, alerts.Count, alerts);
        });
        return results;
    }

    public static string FormatBackground(IReadOnlyList<BackgroundResult> results)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| long series (no labelled pumps) | 1m candles | symbol-days | pump_and_dump alerts | alerts / symbol-day |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var r in results)
            sb.AppendLine(string.Create(ci, $"| {r.Name} | {r.Candles} | {r.SymbolDays:F1} | {r.Alerts} | {(r.SymbolDays > 0 ? r.Alerts / r.SymbolDays : double.NaN):F4} |"));
        var days = results.Sum(r => r.SymbolDays);
        var alerts = results.Sum(r => r.Alerts);
        sb.AppendLine(string.Create(ci, $"| total | {results.Sum(r => r.Candles)} | {days:F1} | {alerts} | {(days > 0 ? alerts / days : double.NaN):F4} |"));
        return sb.ToString();
    }

    public static EvaluationSummary Summarise(string name, IEnumerable<EventResult> events)
    {
        var list = events.ToList();
        var delays = list.Where(e => e.DelayMinutes.HasValue).Select(e => e.DelayMinutes!.Value).OrderBy(d => d).ToList();
        var detected = delays.Count;
        var fa = list.Sum(e => e.FalseAlarms);
        var days = list.Sum(e => e.SymbolDays);
        return new EvaluationSummary(name, list.Count, detected, list.Count == 0 ? double.NaN : detected / (double)list.Count,
            Median(delays), delays.Count == 0 ? double.NaN : delays.Average(), fa, days, days == 0 ? double.NaN : fa / days);
    }

    public static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : 0.5 * (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]);

    public static string FormatReport(IReadOnlyList<EventResult> results, bool withAlerts = false)
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine("| event | split | label | 1m candles | dup rows | detected | delay (min) | false alarms | days |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            sb.AppendLine(string.Create(ci, $"| {r.File} | {r.Split} | {(r.LikelyMislabelled ? "likely mislabelled" : "ok")} | {r.Candles} | {r.DuplicateRows} | {(r.Detected ? "yes" : "NO")} | {(r.DelayMinutes is { } d ? d.ToString("F0", ci) : "-")} | {r.FalseAlarms} | {r.SymbolDays:F2} |"));
            if (withAlerts)
            {
                foreach (var a in r.Alerts) sb.AppendLine(string.Create(ci, $"|  | {DateTimeOffset.FromUnixTimeMilliseconds(a.OpenTime):yyyy-MM-dd HH:mm} | {(a.OpenTime - r.T0.ToUnixTimeMilliseconds()) / 60000.0:F0} min | {a.Explanation} |"));
            }
        }
        sb.AppendLine();
        sb.AppendLine("| set | events | detected | detection rate | median delay | mean delay | false-alarm episodes | symbol-days | FA / symbol-day |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var s in new[]
                 {
                     Summarise("clean labels (all)", results.Where(r => !r.LikelyMislabelled)),
                     Summarise("clean labels, calibration split (2020)", results.Where(r => !r.LikelyMislabelled && r.Split == "calibration")),
                     Summarise("clean labels, test split (2021+)", results.Where(r => !r.LikelyMislabelled && r.Split == "test")),
                     Summarise("likely mislabelled", results.Where(r => r.LikelyMislabelled)),
                     Summarise("all 36 as labelled", results),
                 })
        {
            sb.AppendLine(string.Create(ci, $"| {s.Name} | {s.Events} | {s.Detected} | {s.DetectionRate:F3} | {s.MedianDelayMinutes:F1} min | {s.MeanDelayMinutes:F2} min | {s.FalseAlarms} | {s.SymbolDays:F1} | {s.FalseAlarmsPerSymbolDay:F3} |"));
        }
        return sb.ToString();
    }
}
