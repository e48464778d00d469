using MarketAnalytics.Indicators;
using Xunit;

namespace MarketAnalytics.Tests.Indicators;

/// <summary>Batch and streaming forms reproduce TA-Lib golden values (1e-9 relative, identical NaN/warm-up indices).</summary>
public sealed class GoldenTests
{
    private static readonly IndicatorRegistry Registry = IndicatorRegistry.CreateDefault();

    public static IEnumerable<object[]> Cases() => GoldenFile.AllCases();

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Batch_matches_talib(string file, string spec)
    {
        var golden = GoldenFile.Load(file);
        var series = golden.ReadInput();
        var gc = golden.Cases.Single(c => c.Spec == spec);
        var indicator = Registry.Resolve(spec);
        Assert.Equal(gc.Columns.Select(c => c.Column), indicator.ColumnNames);
        var n = series.Count;
        var output = new double[indicator.Outputs.Count * n];
        indicator.Compute(IndicatorInput.FromSeries(series), output);
        for (var k = 0; k < gc.Columns.Count; k++)
            Compare.Equal(gc.Columns[k].Values, output.AsSpan(k * n, n), $"{file} {spec} batch {gc.Columns[k].Column}");
        // The declared lookback is TA-Lib's: the first defined row of every output.
        foreach (var (column, values) in gc.Columns)
        {
            var first = Array.FindIndex(values, v => !double.IsNaN(v));
            if (first >= 0) Assert.True(first == indicator.Lookback, $"{spec} {column}: first value at {first}, Lookback {indicator.Lookback}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Streaming_matches_talib(string file, string spec)
    {
        var golden = GoldenFile.Load(file);
        var series = golden.ReadInput();
        var gc = golden.Cases.Single(c => c.Spec == spec);
        var stream = Registry.Resolve(spec).CreateStream();
        var outs = new double[stream.OutputCount];
        for (var i = 0; i < series.Count; i++)
        {
            stream.Update(series[i], outs);
            for (var k = 0; k < gc.Columns.Count; k++)
            {
                var p = Compare.Value(gc.Columns[k].Values[i], outs[k]);
                Assert.True(p is null, $"{file} {spec} streaming {gc.Columns[k].Column}[{i}]: {p}");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Streaming_with_revised_open_candles_matches_talib(string file, string spec)
    {
        var golden = GoldenFile.Load(file);
        var series = golden.ReadInput();
        var gc = golden.Cases.Single(c => c.Spec == spec);
        var stream = Registry.Resolve(spec).CreateStream();
        var outs = new double[stream.OutputCount];
        for (var i = 0; i < series.Count; i++)
        {
            var c = series[i];
            // Two provisional versions of the still-open candle, then the final one with the same open time.
            stream.Update(c with { Close = c.Open, High = c.Open, Low = c.Open, Volume = c.Volume / 3 }, outs);
            stream.Update(c with { Close = c.High * 1.01, High = c.High * 1.02, Volume = c.Volume * 2 }, outs);
            stream.Update(c, outs);
            for (var k = 0; k < gc.Columns.Count; k++)
            {
                var p = Compare.Value(gc.Columns[k].Values[i], outs[k]);
                Assert.True(p is null, $"{file} {spec} revised streaming {gc.Columns[k].Column}[{i}]: {p}");
            }
        }
    }
}
