namespace MarketAnalytics.Detection.Tests;

/// <summary>Deterministic synthetic 1m candles (full 12 columns) for detector fixtures.</summary>
internal static class Synth
{
    public static readonly SymbolId Symbol = SymbolId.Parse("TESTBTC");
    public const long Start = 1_600_000_000_000 / 60_000 * 60_000; // aligned minute

    public static List<Candle> Quiet(int n, int seed = 1, double price = 100, double sigma = 0.001, double volume = 10, int trades = 20)
    {
        var rng = new Random(seed);
        var list = new List<Candle>(n);
        var close = price;
        for (var i = 0; i < n; i++)
        {
            var open = close;
            var r = sigma * Gaussian(rng);
            close = open * Math.Exp(r);
            var high = Math.Max(open, close) * (1 + Math.Abs(sigma * 0.5 * Gaussian(rng)));
            var low = Math.Min(open, close) * (1 - Math.Abs(sigma * 0.5 * Gaussian(rng)));
            var v = volume * Math.Exp(0.3 * Gaussian(rng));
            list.Add(Make(Start + i * 60_000L, open, high, low, close, v, trades + rng.Next(-5, 6), 0.5));
        }
        return list;
    }

    public static Candle Make(long t, double o, double h, double l, double c, double v, long trades, double buyShare) =>
        new(t, o, h, l, c, v, t + 59_999, v * (o + c) / 2, trades, v * buyShare, v * buyShare * (o + c) / 2);

    public static CandleSeries ToSeries(IEnumerable<Candle> candles) => CandleSeries.From(Symbol, Interval.OneMinute, candles);

    public static List<Anomaly> Stream(IAnomalyDetector d, IEnumerable<Candle> candles)
    {
        var s = d.CreateStream(Symbol, Interval.OneMinute);
        var sink = new List<Anomaly>();
        foreach (var c in candles) s.Update(c, sink);
        return sink;
    }

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
