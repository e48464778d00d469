using MarketAnalytics.Detectors;
using Xunit;

namespace MarketAnalytics.Detection.Tests;

public class DetectorTests
{
    private static readonly DetectorRegistry Registry = DetectorRegistry.CreateDefault();

    private static IAnomalyDetector D(string name) => Registry.Create(name);

    private static long T(int i) => Synth.Start + i * 60_000L;

    /// <summary>A series with one event of every kind (used for the batch/stream and causality checks).</summary>
    internal static List<Candle> Rich()
    {
        var c = Synth.Quiet(4000, seed: 11);
        // volume spike
        c[700] = c[700] with { Volume = c[700].Volume * 60, QuoteVolume = c[700].QuoteVolume * 60 };
        // price jump at 900: shift all later prices by +5 %
        Shift(c, 900, 1.05);
        // flash crash 1500..1503 then rebound
        for (var k = 0; k < 4; k++) Scale(c, 1500 + k, 1 - 0.02 * (k + 1));
        for (var k = 0; k < 4; k++) Scale(c, 1504 + k, 0.94 + 0.015 * (k + 1));
        // pump at 2500
        var p = c[2499].Close;
        c[2500] = Synth.Make(T(2500), p, p * 1.3, p, p * 1.25, c[2500].Volume * 800, 20_000, 0.9);
        Shift(c, 2501, 1.0);
        // stale run 3000..3099
        var flat = c[2999].Close;
        for (var k = 3000; k < 3100; k++) c[k] = Synth.Make(T(k), flat, flat, flat, flat, 0, 0, 0);
        // higher volatility from 3300
        var rng = new Random(5);
        for (var k = 3300; k < 4000; k++)
        {
            var o = c[k - 1].Close;
            var cl = o * Math.Exp(0.01 * (rng.NextDouble() - 0.5) * 3.4);
            c[k] = Synth.Make(T(k), o, Math.Max(o, cl) * 1.001, Math.Min(o, cl) * 0.999, cl, 10, 20, 0.5);
        }
        // bad tick (high below close)
        c[3200] = c[3200] with { High = c[3200].Close * 0.99 };
        // gap: drop 3500..3504, duplicate and out-of-order rows
        var removed = c.GetRange(3500, 5);
        c.RemoveRange(3500, 5);
        c.Insert(3600, c[3599]);
        c.Insert(3700, c[3650]);
        c.Insert(3800, removed[2]); // arrives late: out of order
        return c;
    }

    private static void Scale(List<Candle> c, int i, double f)
    {
        var x = c[i];
        c[i] = x with { Open = i > 0 ? c[i - 1].Close : x.Open, High = Math.Max(x.High * f, i > 0 ? c[i - 1].Close : x.Open), Low = x.Low * f, Close = x.Close * f };
        c[i] = c[i] with { Low = Math.Min(c[i].Low, Math.Min(c[i].Open, c[i].Close)), High = Math.Max(c[i].High, Math.Max(c[i].Open, c[i].Close)) };
    }

    private static void Shift(List<Candle> c, int from, double f)
    {
        var prevClose = c[from - 1].Close;
        var baseOpen = c[from].Open;
        var k = prevClose * f / baseOpen;
        for (var i = from; i < c.Count; i++)
        {
            var x = c[i];
            c[i] = x with { Open = x.Open * k, High = x.High * k, Low = x.Low * k, Close = x.Close * k, QuoteVolume = x.QuoteVolume * k, TakerBuyQuoteVolume = x.TakerBuyQuoteVolume * k };
        }
        c[from] = c[from] with { Open = prevClose, Low = Math.Min(c[from].Low, prevClose), High = Math.Max(c[from].High, prevClose) };
    }

    [Fact]
    public void QuietMarketRaisesNoAlertFromAnyDetector()
    {
        var quiet = Synth.Quiet(5000, seed: 3);
        foreach (var name in Registry.Names)
            Assert.Empty(Synth.Stream(D(name), quiet));
    }

    [Fact]
    public void BatchEqualsStreamingForEveryDetector()
    {
        var rich = Rich();
        var series = Synth.ToSeries(rich);
        foreach (var name in Registry.Names)
        {
            var batch = new List<Anomaly>();
            D(name).Detect(series, batch);
            var streamed = Synth.Stream(D(name), rich);
            Assert.True(batch.Count > 0, $"{name} found nothing in the rich fixture");
            Assert.Equal(streamed, batch);
        }
    }

    [Fact]
    public void DetectorsAreCausal()
    {
        // The alerts emitted after the first k candles of a full run equal the alerts of a run over those k candles
        // alone, and each alert names a candle already seen: the future never changes the past.
        var rich = Rich();
        var cuts = new[] { 1000, 1505, 2501, 3100, 3650, 3805 };
        foreach (var name in Registry.Names)
        {
            var stream = D(name).CreateStream(Synth.Symbol, Interval.OneMinute);
            var full = new List<Anomaly>();
            var countAt = new Dictionary<int, int>();
            long maxSeen = long.MinValue;
            for (var i = 0; i < rich.Count; i++)
            {
                var before = full.Count;
                stream.Update(rich[i], full);
                maxSeen = Math.Max(maxSeen, rich[i].OpenTime);
                foreach (var a in full.Skip(before)) Assert.True(a.OpenTime <= maxSeen, $"{name} reported a future candle");
                if (Array.IndexOf(cuts, i + 1) >= 0) countAt[i + 1] = full.Count;
            }
            foreach (var cut in cuts)
            {
                var prefix = Synth.Stream(D(name), rich.Take(cut));
                Assert.Equal(full.Take(countAt[cut]), prefix);
            }
        }
    }

    [Fact]
    public void EveryExplanationIsOneLineWithNumbers()
    {
        foreach (var name in Registry.Names)
        {
            foreach (var a in Synth.Stream(D(name), Rich()))
            {
                Assert.Equal(name, a.Kind);
                Assert.DoesNotContain('\n', a.Explanation);
                Assert.Matches("[0-9]", a.Explanation);
                Assert.Contains("threshold", a.Explanation);
                Assert.Equal(Synth.Symbol, a.Symbol);
            }
        }
    }

    [Fact]
    public void VolumeSpikeFiresOnTheSpikeCandleOnly()
    {
        var c = Synth.Quiet(1000, seed: 4);
        c[600] = c[600] with { QuoteVolume = c[600].QuoteVolume * 50 };
        var a = Assert.Single(Synth.Stream(D("volume_spike"), c));
        Assert.Equal(T(600), a.OpenTime);
        Assert.Contains("x the rolling median", a.Explanation);
    }

    [Fact]
    public void PriceJumpFiresOnTheJumpAndNotOnTickMovesOfIlliquidPairs()
    {
        var c = Synth.Quiet(1000, seed: 5);
        Shift(c, 600, 1.04);
        var a = Assert.Single(Synth.Stream(D("price_jump"), c));
        Assert.Equal(T(600), a.OpenTime);

        // Illiquid: price alternates between two ticks 0.5 % apart (MAD may be 0) -> below the 2 % floor.
        var ill = Enumerable.Range(0, 1000).Select(i => { var p = i % 5 == 0 ? 1.005e-5 : 1e-5; return Synth.Make(T(i), p, p, p, p, 1, 1, 0.5); }).ToList();
        Assert.Empty(Synth.Stream(D("price_jump"), ill));
    }

    [Fact]
    public void FlashCrashFiresOnTheReboundAfterADrop()
    {
        var c = Synth.Quiet(1000, seed: 6);
        for (var k = 0; k < 4; k++) Scale(c, 600 + k, 1 - 0.015 * (k + 1));
        for (var k = 0; k < 6; k++) Scale(c, 604 + k, 0.94 + 0.01 * (k + 1));
        var a = Assert.Single(Synth.Stream(D("flash_crash"), c));
        Assert.InRange(a.OpenTime, T(604), T(609));
        Assert.Contains("recovered", a.Explanation);

        // A drop without rebound is not a flash crash.
        var d = Synth.Quiet(1000, seed: 6);
        for (var k = 0; k < 4; k++) Scale(d, 600 + k, 1 - 0.015 * (k + 1));
        for (var k = 604; k < 1000; k++) Scale(d, k, 0.94);
        Assert.Empty(Synth.Stream(D("flash_crash"), d));
    }

    [Fact]
    public void PumpAndDumpNeedsVolumeTradesRiseAndBuyers()
    {
        List<Candle> WithPump(double volumeFactor, long trades, double rise, double buyShare)
        {
            var c = Synth.Quiet(2000, seed: 8, volume: 10, trades: 20);
            var p = c[1499].Close;
            c[1500] = Synth.Make(T(1500), p, p * (1 + rise) * 1.05, p, p * (1 + rise), 10 * volumeFactor, trades, buyShare);
            for (var i = 1501; i < 2000; i++) c[i] = c[i] with { Open = c[i].Open * (1 + rise), High = c[i].High * (1 + rise), Low = c[i].Low * (1 + rise), Close = c[i].Close * (1 + rise) };
            return c;
        }

        var hit = Assert.Single(Synth.Stream(D("pump_and_dump"), WithPump(500, 20 * 400, 0.2, 0.8)));
        Assert.Equal(T(1500), hit.OpenTime);
        Assert.StartsWith("pump:", hit.Explanation);
        Assert.True(hit.Severity >= AnomalySeverity.High);
        Assert.Empty(Synth.Stream(D("pump_and_dump"), WithPump(500, 40, 0.2, 0.8)));      // one whale order: few trades
        Assert.Empty(Synth.Stream(D("pump_and_dump"), WithPump(500, 8000, 0.01, 0.8)));   // volume without a price rise
        Assert.Empty(Synth.Stream(D("pump_and_dump"), WithPump(20, 8000, 0.2, 0.8)));     // rise on ordinary volume
        Assert.Empty(Synth.Stream(D("pump_and_dump"), WithPump(500, 8000, 0.2, 0.1)));    // sellers dominate
    }

    [Fact]
    public void PumpAndDumpEpisodeHasCooldownButEscalates()
    {
        var c = Synth.Quiet(2000, seed: 9);
        var p = c[1499].Close;
        foreach (var (i, rise, vol) in new[] { (1500, 1.05, 300.0), (1501, 1.06, 300.0), (1505, 1.5, 5000.0) })
        {
            c[i] = Synth.Make(T(i), p, p * rise, p, p * rise, 10 * vol, 20 * (long)vol, 0.9);
        }
        var alerts = Synth.Stream(D("pump_and_dump"), c.Take(1506));
        Assert.Equal(2, alerts.Count); // 1500 opens the episode, 1501 is suppressed, 1505 escalates
        Assert.Equal(T(1500), alerts[0].OpenTime);
        Assert.Equal(T(1505), alerts[1].OpenTime);
        Assert.Contains("escalation", alerts[1].Explanation);
    }

    [Fact]
    public void VolatilityRegimeShiftUpIsReportedOnce()
    {
        var c = Synth.Quiet(6000, seed: 10);
        var rng = new Random(2);
        for (var k = 4000; k < 6000; k++)
        {
            var o = c[k - 1].Close;
            var cl = o * Math.Exp(0.006 * (rng.NextDouble() - 0.5) * 3.4);
            c[k] = Synth.Make(T(k), o, Math.Max(o, cl), Math.Min(o, cl), cl, 10, 20, 0.5);
        }
        var a = Assert.Single(Synth.Stream(D("volatility_regime"), c));
        Assert.InRange(a.OpenTime, T(4000), T(4060));
        Assert.Contains("up", a.Explanation);
    }

    [Fact]
    public void GapStaleDuplicateOutOfOrderAndBadTick()
    {
        var c = Synth.Quiet(600, seed: 12);
        c.RemoveRange(100, 5);                       // gap: 5 missing before T(105)
        var gap = Assert.Single(Synth.Stream(D("gap"), c));
        Assert.Equal(T(105), gap.OpenTime);
        Assert.Equal(5, gap.Score);

        var s = Synth.Quiet(600, seed: 13);
        var flat = s[199].Close;
        for (var k = 200; k < 300; k++) s[k] = Synth.Make(T(k), flat, flat, flat, flat, 0, 0, 0);
        var stale = Assert.Single(Synth.Stream(D("stale_price"), s));
        Assert.Equal(T(229), stale.OpenTime);        // 30th flat candle (min run 30)

        var d = Synth.Quiet(300, seed: 14);
        d.Insert(150, d[149]);                       // exact duplicate
        d.Insert(200, d[120]);                       // an old candle again (duplicate, not out of order)
        d.Insert(250, d[240] with { OpenTime = T(10_000) }); // far future, then the rest looks out of order
        Assert.Equal(2, Synth.Stream(D("duplicate"), d).Count);
        var ooo = Synth.Stream(D("out_of_order"), d);
        Assert.Equal(d.Count - 251, ooo.Count);
        Assert.Equal(d[251].OpenTime, ooo[0].OpenTime);

        var b = Synth.Quiet(600, seed: 15);
        b[300] = b[300] with { High = b[300].Close * 0.99 };                         // high below close
        b[400] = b[400] with { Close = double.NaN };                                 // NaN
        b[500] = b[500] with { Low = b[500].Low * 0.7, Volume = 0.1, TakerBuyBaseVolume = 0.05 };               // isolated low print
        var ticks = Synth.Stream(D("bad_tick"), b);
        Assert.Equal(new[] { T(300), T(400), T(500) }, ticks.Select(t => t.OpenTime));
        Assert.Contains("OHLC inconsistent", ticks[0].Explanation);
        Assert.Contains("non-finite", ticks[1].Explanation);
        Assert.Contains("isolated low print", ticks[2].Explanation);
    }

    [Fact]
    public void RegistryCreatesByNameAndRejectsUnknown()
    {
        Assert.Equal(10, Registry.Names.Count);
        foreach (var kind in new[] { AnomalyKinds.VolumeSpike, AnomalyKinds.PriceJump, AnomalyKinds.FlashCrash, AnomalyKinds.PumpAndDump, AnomalyKinds.VolatilityRegime, AnomalyKinds.Gap, AnomalyKinds.StalePrice, AnomalyKinds.BadTick, AnomalyKinds.Duplicate, AnomalyKinds.OutOfOrder })
            Assert.Equal(kind, Registry.Create(kind).Name);
        Assert.Equal(10, Registry.CreateMany("all").Count);
        Assert.Equal(2, Registry.CreateMany("gap, pump_and_dump").Count);
        Assert.Throws<InvalidSpecException>(() => Registry.CreateMany("gap,nope"));
        Assert.Throws<InvalidSpecException>(() => Registry.CreateMany("gap,gap"));
        var b = new MarketAnalyticsBuilder().AddDetector("my_detector", () => Registry.Create("gap"));
        using var rt = b.Build();
        Assert.True(rt.Detectors.Contains("my_detector"));
        Assert.Throws<InvalidSpecException>(() => new PumpAndDumpOptions { VolumeMultiple = 0 }.Validate());

        // Engines run a plan's detectors through the registry: all of them, merged in time order.
        var series = Synth.ToSeries(Rich());
        var merged = Registry.Detect(series, []);
        Assert.Equal(merged.OrderBy(a => a.OpenTime).Select(a => a.OpenTime), merged.Select(a => a.OpenTime));
        var expected = 0;
        foreach (var name in Registry.Names) { var l = new List<Anomaly>(); D(name).Detect(series, l); expected += l.Count; }
        Assert.Equal(expected, merged.Count);
        Assert.All(Registry.Detect(series, ["gap"]), a => Assert.Equal("gap", a.Kind));
    }
}
