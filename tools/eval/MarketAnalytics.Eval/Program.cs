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
var sw = System.Diagnostics.Stopwatch.StartNew();
var results = PumpEvaluation.Run(trades, () => DetectorRegistry.CreateDefault().Create(AnomalyKinds.PumpAndDump));
Console.WriteLine(PumpEvaluation.FormatReport(results, withAlerts));
Console.WriteLine($"elapsed {sw.Elapsed.TotalSeconds:F1} s");
return 0;
