using MarketAnalytics.Detectors;

namespace MarketAnalytics.Indicators;

/// <summary>Runs an <see cref="AnalysisPlan"/> with the in-process kernels over a <see cref="CandleSeries"/>.</summary>
/// <remarks>
/// Indicators are resolved through the indicator registry (built-ins and registered custom indicators), detectors
/// through the detector registry (<c>all</c> or names); every name is checked before any work starts.
/// </remarks>
internal sealed class InProcessEngine(IndicatorRegistry registry, DetectorRegistry detectorRegistry) : IAnalysisEngine
{
    public string Name => "inprocess";

    public Task<AnalysisResult> RunAsync(AnalysisPlan plan, CandleSeries series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(series);
        var indicators = plan.Indicators.Select(registry.Resolve).ToList();
        var detectors = plan.Detectors.Count == 0 ? [] : detectorRegistry.CreateMany(string.Join(',', plan.Detectors));
        var n = series.Count;
        var input = IndicatorInput.FromSeries(series);
        var columns = new List<IndicatorColumn>();
        foreach (var indicator in indicators)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = indicator.Outputs.Count;
            var buffer = new double[count * n];
            indicator.Compute(input, buffer);
            for (var k = 0; k < count; k++)
                columns.Add(new IndicatorColumn(indicator.ColumnNames[k], buffer.AsSpan(k * n, n).ToArray()));
        }
        cancellationToken.ThrowIfCancellationRequested();
        var anomalies = detectors.Count == 0 ? [] : DetectorRegistry.Run(series, detectors);
        var result = new AnalysisResult(series.Symbol, series.Interval, series.OpenTime.ToArray(), columns, anomalies);
        return Task.FromResult(result);
    }
}
