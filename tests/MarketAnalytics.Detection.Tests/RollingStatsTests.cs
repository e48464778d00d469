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
            if (lazy && i % 5 != 0) Assert.True(r.MedianLowerBound() <= med, "lower bound above the median");
            if (lazy && i % 5 != 0) continue; // query only now and then, so the bound is exercised on stale sorted views
            Assert.Equal(med, r.Median, 12);
            Assert.Equal(mad, r.Mad, 12);
        }
    }

    [Fact]
    public void MedianLowerBoundHoldsWithoutSortingOnDriftingData()
    {
        var rng = new Random(9);
        var r = new RollingMedianMad(60, lazy: true);
        var all = new List<double>();
        var tight = 0;
        for (var i = 0; i < 4000; i++)
        {
            var level = i < 2000 ? i * 0.01 : 40 - i * 0.01; // rising, then falling: the pivot must be re-chosen
            var x = level + Math.Round(rng.NextDouble() * 3, 1);
            r.Add(x);
            all.Add(x);
            var w = all.Skip(Math.Max(0, all.Count - 60)).OrderBy(v => v).ToArray();
            var med = Median(w);
            var lb = r.MedianLowerBound();
            Assert.True(lb <= med, $"step {i}: bound {lb} above median {med}");
            if (med - lb < 1.5) tight++;
        }
        Assert.True(tight > 3000, $"bound too loose: only {tight} of 4000 within 1.5 of the median");
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

    [Fact]
    public void RecentOpenTimesMatchesASetWithinItsWindow()
    {
        var seen = new RecentOpenTimes(Interval.OneMinute, capacity: 256);
        var set = new HashSet<long>();
        var rng = new Random(3);
        long t = 1_600_000_000_000 / 60_000 * 60_000;
        for (var i = 0; i < 5000; i++)
        {
            var step = rng.Next(10) switch { 0 => -rng.Next(1, 100), 1 => rng.Next(2, 40), 2 => 0, _ => 1 };
            var x = t + step * 60_000L + (rng.Next(50) == 0 ? 123 : 0); // a few off-grid times
            var maxIdx = seen.Max / 60_000;
            var inWindow = seen.Max == long.MinValue || x / 60_000 > maxIdx - 256;
            if (inWindow) Assert.Equal(set.Contains(x), seen.Contains(x));
            seen.Add(x);
            set.Add(x);
            if (x > t && x % 60_000 == 0) t = x;
        }
    }

    private static double Median(double[] s) => s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
}
