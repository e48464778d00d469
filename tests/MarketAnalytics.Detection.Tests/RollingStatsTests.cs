using MarketAnalytics.Detectors;
using Xunit;

namespace MarketAnalytics.Detection.Tests;

public class RollingStatsTests
{
    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(5, 2, false)]
    [InlineData(60, 3, false)]
    [InlineData(61, 4, false)]
    [InlineData(5, 2, true)]
    [InlineData(61, 4, true)]
    public void MedianAndMadMatchBruteForce(int window, int seed, bool lazy)
    {
        var rng = new Random(seed);
        var r = new RollingMedianMad(window, lazy);
        var all = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            // Many ties (rounded values) like zero-volume minutes and tick-size returns.
            var x = i % 7 == 0 ? 0 : Math.Round(rng.NextDouble() * 20 - 5, i % 3 == 0 ? 0 : 2);
            r.Add(x);
            all.Add(x);
            var w = all.Skip(Math.Max(0, all.Count - window)).OrderBy(v => v).ToArray();
            var med = Median(w);
            var mad = Median(w.Select(v => Math.Abs(v - med)).OrderBy(v => v).ToArray());
            Assert.Equal(med, r.Median, 12);
            Assert.Equal(mad, r.Mad, 12);
        }
    }

    [Fact]
    public void NaNIsIgnoredAndEmptyIsNaN()
    {
        var r = new RollingMedianMad(3);
        Assert.True(double.IsNaN(r.Median));
        r.Add(double.NaN);
        Assert.Equal(0, r.Count);
        r.Add(1); r.Add(3);
        Assert.Equal(2, r.Median);
        Assert.Equal(1, r.Mad);
    }

    [Fact]
    public void RollingMaxMatchesBruteForce()
    {
        var rng = new Random(7);
        var max = new RollingExtreme(10, max: true);
        var min = new RollingExtreme(10, max: false);
        var all = new List<double>();
        for (var i = 0; i < 500; i++)
        {
            var x = Math.Round(rng.NextDouble() * 10);
            max.Add(x); min.Add(x); all.Add(x);
            var w = all.Skip(Math.Max(0, all.Count - 10)).ToArray();
            Assert.Equal(w.Max(), max.Value);
            Assert.Equal(w.Min(), min.Value);
            Assert.Equal(w.Length - 1 - Array.LastIndexOf(w, w.Max()), max.Age);
        }
    }

    private static double Median(double[] s) => s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
}
