namespace MarketAnalytics.Indicators;

/// <summary>Runs an <see cref="AnalysisPlan"/> with the in-process kernels over a <see cref="CandleSeries"/>.</summary>
/// <remarks>Indicators are resolved through the registry (built-ins and registered custom indicators). Detectors are not wired in yet: a plan with detectors is rejected.</remarks>
internal sealed class InProcessEngine(IndicatorRegistry registry) : IAnalysisEngine
{
    public string Name => "inprocess";

    public Task<AnalysisResult> RunAsync(AnalysisPlan plan, CandleSeries series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(series);
        if (plan.Detectors.Count > 0)
            throw new InvalidSpecException(string.Join(",", plan.Detectors),
                "the in-process engine does not run detectors yet; pass an empty detector list");
        var indicators = plan.Indicators.Select(registry.Resolve).ToList();
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
        var result = new AnalysisResult(series.Symbol, series.Interval, series.OpenTime.ToArray(), columns, []);
        return Task.FromResult(result);
    }
}
