using MarketAnalytics;
using MarketAnalytics.Detectors;
using MarketAnalytics.Eval;

// Usage: dotnet run --project tools/eval/MarketAnalytics.Eval -c Release -- [shared-data-dir] [--alerts]
var data = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
           ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "..", "shared", "data"));
var withAlerts = args.Contains("--alerts");
var trades = Path.Combine(data, "events", "pump-and-dump", "pugoev-2023", "trades");
if (!Directory.Exists(trades))
{
    Console.Error.WriteLine($"trade folder not found: {trades}");
    return 3;
}
var traceIdx = Array.IndexOf(args, "--trace");
if (traceIdx >= 0)
{
    var file = Path.Combine(trades, args[traceIdx + 1]);
    var (coin, t0) = PumpEvaluation.ParseName(Path.GetFileName(file));
    var series = MarketAnalytics.Trades.TradeResampler.ResampleFile(file, SymbolId.Parse(coin + "BTC"), Interval.OneMinute, out _);
    var t0ms = t0.ToUnixTimeMilliseconds();
    // hourly volumes of the previous 24 h
    var hourly = new SortedDictionary<long, double>();
    for (var i = 0; i < series.Count; i++)
        if (series.OpenTime[i] < t0ms && series.OpenTime[i] >= t0ms - 86_400_000) { var h = series.OpenTime[i] / 3_600_000; hourly[h] = hourly.GetValueOrDefault(h) + series.QuoteVolume[i]; }
    var hv = hourly.Values.OrderBy(v => v).ToList();
    Console.WriteLine($"median hourly quote volume {PumpEvaluation.Median(hv):G4} per-minute {PumpEvaluation.Median(hv) / 60:G4}");
    for (var i = 0; i < series.Count; i++)
    {
        var c = series[i];
        if (c.OpenTime < t0ms - 8 * 60_000 || c.OpenTime > t0ms + 8 * 60_000) continue;
        Console.WriteLine($"{c.OpenTimeUtc:HH:mm} o {c.Open:G5} h {c.High:G5} l {c.Low:G5} c {c.Close:G5} q {c.QuoteVolume:G4} share {c.TakerBuyQuoteVolume / c.QuoteVolume:F2} n {c.TradeCount}");
    }
    return 0;
}
if (args.Contains("--grid"))
{
    // Parameter choice on the calibration split only (events announced before 2021, clean labels):
    // maximise the detection rate subject to <= 0.1 false-alarm episodes per symbol-day; ties -> fewer false alarms.
    var loaded = PumpEvaluation.Load(trades);
    var calibration = loaded.Where(e => PumpEvaluation.SplitOf(PumpEvaluation.ParseName(Path.GetFileName(e.File)).T0) == "calibration"
                                        && !PumpEvaluation.LikelyMislabelled.Contains(Path.GetFileName(e.File))).ToList();
    var rows = new List<(double Vm, double Tm, double Rise, EvaluationSummary S)>();
    foreach (var vm in new[] { 100.0, 200, 300, 500 })
    foreach (var tm in new[] { 50.0, 90, 150, 250, 400, 600 })
    foreach (var rise in new[] { 0.03, 0.05 })
    {
        var r = PumpEvaluation.Run(calibration, () => DetectorRegistry.CreatePumpAndDump(new PumpAndDumpOptions { VolumeMultiple = vm, TradeCountMultiple = tm, MinRise = rise }));
        var s = PumpEvaluation.Summarise("cal", r);
        Console.WriteLine($"vm {vm,4} tm {tm,4} rise {rise:F2}: rate {s.DetectionRate:F3} median {s.MedianDelayMinutes:F1} FA {s.FalseAlarms} FA/day {s.FalseAlarmsPerSymbolDay:F3}");
        rows.Add((vm, tm, rise, s));
    }
    // Rule: highest detection rate with FA/day <= 0.1; then fewest false alarms; then the smallest (most sensitive) thresholds.
    var best = rows.Where(r => r.S.FalseAlarmsPerSymbolDay <= 0.1).OrderByDescending(r => r.S.DetectionRate).ThenBy(r => r.S.FalseAlarms)
        .ThenBy(r => r.Vm).ThenBy(r => r.Tm).ThenBy(r => r.Rise).First();
    Console.WriteLine($"chosen: VolumeMultiple {best.Vm}, TradeCountMultiple {best.Tm}, MinRise {best.Rise}");
    return 0;
}
var sw = System.Diagnostics.Stopwatch.StartNew();
var results = PumpEvaluation.Run(trades, () => DetectorRegistry.CreateDefault().Create(AnomalyKinds.PumpAndDump));
Console.WriteLine(PumpEvaluation.FormatReport(results, withAlerts));
Console.WriteLine($"elapsed {sw.Elapsed.TotalSeconds:F1} s");
var background = PumpEvaluation.Background(data, () => DetectorRegistry.CreateDefault().Create(AnomalyKinds.PumpAndDump));
Console.WriteLine(PumpEvaluation.FormatBackground(background));
if (withAlerts) foreach (var r in background) foreach (var a in r.AlertList) Console.WriteLine($"{r.Name} {a.OpenTime} {a.Explanation}");
Console.WriteLine($"elapsed {sw.Elapsed.TotalSeconds:F1} s");
return 0;

// (trace helpers are below; invoked with --trace <file>)
