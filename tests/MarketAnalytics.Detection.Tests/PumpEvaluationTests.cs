using MarketAnalytics.Detectors;
using MarketAnalytics.Eval;
using MarketAnalytics.Testing;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Detection.Tests;

/// <summary>
/// The issue-4 evaluation on the Pugoev labelled pumps (streaming, 1m candles resampled from trades) and the background
/// alert rate on the long unlabelled 1m series. Parameters are the detector defaults (chosen on the 2020 calibration
/// split by the rule in tools/eval); these tests only measure and compare with the targets.
/// Set MARKETANALYTICS_EVAL_REPORT=&lt;file&gt; to also write the full markdown report with every alert.
/// </summary>
public class PumpEvaluationTests(ITestOutputHelper output)
{
    private static IAnomalyDetector Detector() => DetectorRegistry.CreateDefault().Create(AnomalyKinds.PumpAndDump);

    [SkippableFact]
    public void PugoevEventsMeetTheTargets()
    {
        var dir = SharedData.Require("events/pump-and-dump/pugoev-2023/trades");
        var results = PumpEvaluation.Run(dir, Detector);
        var report = PumpEvaluation.FormatReport(results);
        output.WriteLine(report);
        WriteReport(PumpEvaluation.FormatReport(results, withAlerts: true));

        Assert.Equal(36, results.Count);
        Assert.Equal(4, results.Count(r => r.LikelyMislabelled));
        var clean = PumpEvaluation.Summarise("clean", results.Where(r => !r.LikelyMislabelled));
        var test = PumpEvaluation.Summarise("test split", results.Where(r => !r.LikelyMislabelled && r.Split == "test"));
        Assert.Equal(32, clean.Events);
        // Targets of issue 4 on the correctly labelled events, and on the held-back 2021+ test split alone.
        foreach (var s in new[] { clean, test })
        {
            Assert.True(s.DetectionRate >= 0.90, $"{s.Name}: detection rate {s.DetectionRate:F3} < 0.90");
            Assert.True(s.MedianDelayMinutes <= 2, $"{s.Name}: median delay {s.MedianDelayMinutes} min > 2");
            Assert.True(s.FalseAlarmsPerSymbolDay <= 0.1, $"{s.Name}: {s.FalseAlarmsPerSymbolDay:F3} false alarms per symbol-day > 0.1");
        }
        // Every alert explains itself with numbers and thresholds.
        Assert.All(results.SelectMany(r => r.Alerts), a => Assert.Contains("threshold", a.Explanation));
    }

    [SkippableFact]
    public void BackgroundAlertRateOnLongUnlabelledSeries()
    {
        var data = SharedData.Require("binance");
        var bg = PumpEvaluation.Background(Path.GetDirectoryName(data)!, Detector);
        output.WriteLine(PumpEvaluation.FormatBackground(bg));
        WriteReport(PumpEvaluation.FormatBackground(bg), append: true);
        Assert.True(bg.Count >= 12, $"expected the 8 freqtrade 1m files and 4 futures symbols, found {bg.Count}");
        var days = bg.Sum(b => b.SymbolDays);
        Assert.True(days > 500, $"only {days:F0} symbol-days read");
        var rate = bg.Sum(b => b.Alerts) / days;
        Assert.True(rate <= 0.1, $"background pump_and_dump alert rate {rate:F4} per symbol-day > 0.1");
    }

    private static void WriteReport(string text, bool append = false)
    {
        var path = Environment.GetEnvironmentVariable("MARKETANALYTICS_EVAL_REPORT");
        if (string.IsNullOrEmpty(path)) return;
        if (append) File.AppendAllText(path, Environment.NewLine + text);
        else File.WriteAllText(path, text);
    }
}
