using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace MarketAnalytics.Tests.Engines;

public sealed class InProcessEngineTests
{
    private static CandleSeries SeriesWithGap()
    {
        var s = new CandleSeries(SymbolId.Parse("BTCUSDT"), Interval.OneMinute);
        var t = 1_700_000_000_000L / 60_000 * 60_000;
        for (var i = 0; i < 300; i++)
        {
            if (i is >= 200 and < 210) continue; // ten missing candles
            var open = t + i * 60_000L;
            var price = 100 + Math.Sin(i / 7.0);
            s.Add(new Candle(open, price, price + 0.5, price - 0.5, price + 0.1, 10 + i % 3, open + 59_999, 1000, 5, 5, 500));
        }
        return s;
    }

    private static IAnalysisEngine Engine(MarketAnalyticsRuntime runtime) =>
        runtime.Services.GetServices<IAnalysisEngine>().Single(e => e.Name == "inprocess");

    [Fact]
    public async Task Runs_indicators_and_detectors_of_one_plan()
    {
        using var runtime = new MarketAnalyticsBuilder().Build();
        var series = SeriesWithGap();
        var plan = new AnalysisPlan(IndicatorSpec.ParseList("sma(20),macd(12,26,9)"), ["gap"]);
        var result = await Engine(runtime).RunAsync(plan, series);

        Assert.Equal(["sma_20", "macd_12_26_9_macd", "macd_12_26_9_signal", "macd_12_26_9_hist"], result.Columns.Select(c => c.Name));
        Assert.Equal(series.Count, result.OpenTime.Length);
        var sma = runtime.Indicators.Resolve("sma(20)");
        var expected = new double[series.Count];
        sma.Compute(IndicatorInput.FromSeries(series), expected);
        Assert.Equal(expected, result.Columns[0].Values);

        var gap = Assert.Single(result.Anomalies);
        Assert.Equal(AnomalyKinds.Gap, gap.Kind);
        Assert.Equal(series.OpenTime[200], gap.OpenTime); // the first candle after the hole fires
    }

    [Fact]
    public async Task Unknown_detector_is_rejected_before_any_work()
    {
        using var runtime = new MarketAnalyticsBuilder().Build();
        var plan = new AnalysisPlan(IndicatorSpec.ParseList("sma(20)"), ["no_such_detector"]);
        var e = await Assert.ThrowsAsync<InvalidSpecException>(() => Engine(runtime).RunAsync(plan, SeriesWithGap()));
        Assert.Contains("no_such_detector", e.Message);
    }
}
