using MarketAnalytics.Cli.Commands;
using MarketAnalytics.Indicators;
using Xunit;

namespace MarketAnalytics.Tests.Indicators;

/// <summary>Batch (fast kernels included), reference core and streaming agree on long series with damaged rows.</summary>
public sealed class BatchStreamingAgreementTests
{
    private static readonly IndicatorRegistry Registry = IndicatorRegistry.CreateDefault();

    // Long enough (> 4 × 4096 rows after warm-up) for the blocked SMA/EMA kernels to engage.
    private const int Rows = 20_000;

    public static IEnumerable<object[]> Specs() =>
        from spec in IndicatorRegistry.BuiltinNames.Concat(["sma(20)", "ema(20)", "rsi(14)", "macd(12,26,9)", "bbands(20,2,2)", "atr(14)", "stddev(20)"])
        from damage in new[] { "nan", "infinity" }
        select new object[] { spec, damage };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Interior_NaN_or_infinity_gives_the_same_values_in_batch_reference_and_streaming(string spec, string damage)
    {
        var s = IndicatorsCommand.Synthetic(SymbolId.Parse("TESTUSDT"), Interval.OneMinute, Rows, 3);
        var damaged = new CandleSeries(s.Symbol, s.Interval, Rows);
        for (var i = 0; i < Rows; i++)
        {
            var c = s[i];
            // Only one kind per case: a NaN anywhere already keeps the blocked kernels off, an infinity alone does not.
            damaged.Add((i, damage) switch
            {
                (9_000, "nan") => c with { Close = double.NaN },
                (12_345, "nan") => c with { High = double.NaN, Volume = double.NaN },
                (6_000, "infinity") => c with { Close = double.PositiveInfinity, High = double.PositiveInfinity },
                _ => c,
            });
        }
        var indicator = Registry.Resolve(spec);
        var count = indicator.Outputs.Count;
        var batch = new double[count * Rows];
        indicator.Compute(IndicatorInput.FromSeries(damaged), batch);
        var reference = new double[count * Rows];
        ((IExactIndicator)indicator).ComputeExact(IndicatorInput.FromSeries(damaged), reference);
        var stream = indicator.CreateStream();
        var o = new double[count];
        for (var i = 0; i < Rows; i++)
        {
            stream.Update(damaged[i], o);
            for (var k = 0; k < count; k++)
            {
                Assert.True(Compare.Value(reference[k * Rows + i], batch[k * Rows + i]) is null,
                    $"{spec} output {k} row {i}: reference {reference[k * Rows + i]:R}, batch {batch[k * Rows + i]:R}");
                Assert.True(Compare.Value(reference[k * Rows + i], o[k]) is null,
                    $"{spec} output {k} row {i}: reference {reference[k * Rows + i]:R}, stream {o[k]:R}");
            }
        }
    }

    public static IEnumerable<object[]> Builtins() => IndicatorRegistry.BuiltinNames.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Builtins))]
    public void Revisions_through_NaN_and_across_the_warm_up_boundary_end_at_the_batch_values(string spec)
    {
        // Leading NaN rows (skipped by batch), then every candle first arrives as an all-NaN and a random provisional
        // version before its final one: the stream must roll back exactly, including on the first valid candle.
        var s = IndicatorsCommand.Synthetic(SymbolId.Parse("TESTUSDT"), Interval.OneHour, 300, 8);
        var series = new CandleSeries(s.Symbol, s.Interval, s.Count);
        for (var i = 0; i < s.Count; i++)
            series.Add(i < 5 ? s[i] with { Open = double.NaN, High = double.NaN, Low = double.NaN, Close = double.NaN, Volume = double.NaN } : s[i]);
        var indicator = Registry.Resolve(spec);
        var n = series.Count;
        var expected = new double[indicator.Outputs.Count * n];
        indicator.Compute(IndicatorInput.FromSeries(series), expected);
        var stream = indicator.CreateStream();
        var o = new double[stream.OutputCount];
        var rng = new Random(5);
        for (var i = 0; i < n; i++)
        {
            var c = series[i];
            stream.Update(c with { Open = double.NaN, High = double.NaN, Low = double.NaN, Close = double.NaN, Volume = double.NaN }, o);
            var p = 50 + (100 * rng.NextDouble());
            stream.Update(c with { Open = p, High = p * 1.01, Low = p * 0.99, Close = p, Volume = 1 + rng.NextDouble() }, o);
            stream.Update(c, o);
            for (var k = 0; k < o.Length; k++)
                Assert.True(Compare.Value(expected[k * n + i], o[k]) is null, $"{spec} output {k} row {i}: batch {expected[k * n + i]:R}, stream {o[k]:R}");
        }
    }
}
