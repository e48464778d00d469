using MarketAnalytics.Cleaning;
using MarketAnalytics.IO;
using MarketAnalytics.Testing;
using Xunit;

namespace MarketAnalytics.Detection.Tests;

public class CleaningTests
{
    private static long T(int i) => Synth.Start + i * 60_000L;

    [Fact]
    public void CleanSeriesHasNoFindingsAndIsCopiedUnchanged()
    {
        var input = Synth.ToSeries(Synth.Quiet(500, seed: 21));
        var r = DataCleaner.Clean(input);
        Assert.True(r.Report.IsClean, r.Report.Summary());
        Assert.Equal(input.AsCandles(), r.Candles.AsCandles());
        Assert.NotSame(input, r.Candles);
    }

    [Fact]
    public void SortsDeduplicatesAndReportsEveryChangeWithoutTouchingTheInput()
    {
        var c = Synth.Quiet(300, seed: 22);
        var rows = new List<Candle>(c);
        rows.Insert(50, c[49]);                                  // identical duplicate
        rows.Insert(80, c[78] with { Close = c[78].Close * 1.001, High = c[78].High * 1.01 }); // conflicting revision (kept: last)
        (rows[120], rows[121]) = (rows[121], rows[120]);          // swapped pair
        var input = Synth.ToSeries(rows);
        var before = input.AsCandles().ToList();

        var r = DataCleaner.Clean(input);
        Assert.Equal(before, input.AsCandles());                 // input untouched
        Assert.Equal(300, r.Candles.Count);
        Assert.Equal(2, r.Report.DuplicatesRemoved);
        Assert.Equal(1, r.Report.ConflictingDuplicates);
        Assert.Equal(1, r.Report.OutOfOrderRows);
        Assert.False(r.Report.InputWasSorted);
        Assert.Equal(rows[80], r.Candles[78]);                   // last occurrence kept
        for (var i = 1; i < r.Candles.Count; i++) Assert.True(r.Candles.OpenTime[i] > r.Candles.OpenTime[i - 1]);

        var first = DataCleaner.Clean(input, new CleaningOptions { Duplicates = DuplicateResolution.KeepFirst });
        Assert.Equal(c[78], first.Candles[78]);
    }

    [Fact]
    public void GapsHaltsAndInvalidCandlesAreReported_GapFillIsExplicit()
    {
        var c = Synth.Quiet(400, seed: 23);
        // Halt: 20 flat zero-volume candles at the last price, then 15 missing candles.
        var p = c[199].Close;
        for (var k = 200; k < 220; k++) c[k] = Synth.Make(T(k), p, p, p, p, 0, 0, 0);
        c.RemoveRange(220, 15);
        // A plain gap elsewhere (no flat run before it): 3 missing.
        c.RemoveRange(300, 3);
        c[100] = c[100] with { High = c[100].Close * 0.98 };     // OHLC violation
        c[110] = c[110] with { Volume = -1 };                     // negative volume
        c[120] = c[120] with { Open = double.NaN };               // NaN price
        c[130] = c[130] with { CloseTime = c[130].CloseTime - 5 };// close time mismatch
        var input = Synth.ToSeries(c);

        var r = DataCleaner.Clean(input).Report;
        Assert.Equal(2, r.Gaps);
        Assert.Equal(18, r.MissingCandles);
        var halt = Assert.Single(r.Halts);
        Assert.Equal(T(200), halt.FlatFrom);
        Assert.Equal(T(219), halt.FlatTo);
        Assert.Equal(20, halt.FlatCandles);
        Assert.Equal(T(220), halt.MissingFrom);
        Assert.Equal(15, halt.MissingCandles);
        Assert.Equal(T(235), halt.ResumedAt);
        Assert.Null(halt.TruncatedCloseTime);
        Assert.Equal(1, r.IssueCounts[DataIssueKind.OhlcInconsistent]);
        Assert.Equal(2, r.IssueCounts[DataIssueKind.InvalidValue]);
        Assert.Equal(1, r.IssueCounts[DataIssueKind.CloseTimeMismatch]);
        Assert.Equal(0, r.FilledCandles);
        Assert.Equal(c.Count, DataCleaner.Clean(input).Candles.Count);   // nothing dropped or altered

        var filled = DataCleaner.Clean(input, new CleaningOptions { GapFill = GapFillPolicy.FlatZeroVolume });
        Assert.Equal(18, filled.Report.FilledCandles);
        Assert.Equal(400, filled.Candles.Count);
        var f = filled.Candles[225];
        Assert.Equal(new Candle(T(225), p, p, p, p, 0, T(225) + 59_999, 0, 0, 0, 0), f);

        var json = r.ToJson();
        Assert.Contains("\"trading_halt\"", json);
        Assert.Contains("\"missing_candles\": 18", json);
    }

    [Fact]
    public void StalePriceRunsAndBadTicksAreFindings()
    {
        var c = Synth.Quiet(600, seed: 24);
        var p = c[299].Close;
        for (var k = 300; k < 380; k++) c[k] = Synth.Make(T(k), p, p, p, p, 1, 1, 0.5); // flat but trading: stale, not a halt
        c[500] = c[500] with { High = c[500].High * 1.4, Volume = 0.01, TakerBuyBaseVolume = 0 };
        var r = DataCleaner.Clean(Synth.ToSeries(c)).Report;
        Assert.Empty(r.Halts);
        var stale = Assert.Single(r.Issues, i => i.Kind == DataIssueKind.StalePrice);
        Assert.Equal(80, stale.Count);
        Assert.Equal(T(300), stale.OpenTime);
        var tick = Assert.Single(r.Issues, i => i.Kind == DataIssueKind.BadTick);
        Assert.Equal(T(500), tick.OpenTime);
    }

    [SkippableFact]
    public void RealHalt_2023_03_24_In1mFreqtradeJson()
    {
        foreach (var pair in new[] { "BTCUSDT/1m/BTC_USDT-1m.json", "ETHUSDT/1m/ETH_USDT-1m.json", "SOLUSDT/1m/SOL_USDT-1m.json", "ADAUSDT/1m/ADA_USDT-1m.json", "DOGEUSDT/1m/DOGE_USDT-1m.json" })
        {
            var path = SharedData.Require("binance/klines/" + pair);
            var r = DataCleaner.Clean(KlineReader.ReadFile(path)).Report;
            var halt = Assert.Single(r.Halts);
            Assert.Equal(Ms("2023-03-24T11:28"), halt.FlatFrom);      // PROVENANCE: flat zero-volume ~11:28 .. 12:39
            Assert.Equal(Ms("2023-03-24T12:39"), halt.FlatTo);
            Assert.Equal(72, halt.FlatCandles);
            Assert.Equal(Ms("2023-03-24T12:40"), halt.MissingFrom);   // then 80 missing 1m candles 12:40 .. 13:59
            Assert.Equal(80, halt.MissingCandles);
            Assert.Equal(Ms("2023-03-24T14:00"), halt.ResumedAt);     // trading resumes at 14:00
            Assert.Equal(1, r.Gaps);
            Assert.Equal(80, r.MissingCandles);
            Assert.Equal(0, r.DuplicatesRemoved);
            Assert.Equal(0, r.IssueCounts[Cleaning.DataIssueKind.OhlcInconsistent]);
            if (pair.StartsWith("BTC", StringComparison.Ordinal)) Assert.Equal(28080, halt.Price);
        }
    }

    [SkippableFact]
    public void RealHalt_2023_03_24_In5mJson()
    {
        var r = DataCleaner.Clean(KlineReader.ReadFile(SharedData.Require("binance/klines/BTCUSDT/5m/BTC_USDT-5m.json"))).Report;
        var halt = Assert.Single(r.Halts);
        Assert.Equal(Ms("2023-03-24T12:40"), halt.MissingFrom);
        Assert.Equal(16, halt.MissingCandles);                      // PROVENANCE: 16 missing 5m candles
        Assert.Equal(Ms("2023-03-24T14:00"), halt.ResumedAt);
    }

    [SkippableFact]
    public void RealHalt_2023_03_24_In1hCsv()
    {
        var path = SharedData.Require("binance/klines/BTCUSDT/1h/BTCUSDT-1h-2023-03.csv");
        var r = DataCleaner.Clean(KlineReader.ReadFile(path, SymbolId.Parse("BTCUSDT"), Interval.OneHour)).Report;
        Assert.Equal(743, r.InputCandles);
        var halt = Assert.Single(r.Halts);
        // PROVENANCE: the 13:00 candle is missing; 12:00 is O=H=L=C=28080, volume 0, close_time 1679661581646 (12:39:41.646).
        Assert.Equal(Ms("2023-03-24T12:00"), halt.FlatFrom);
        Assert.Equal(1, halt.FlatCandles);
        Assert.Equal(28080, halt.Price);
        Assert.Equal(1679661581646, halt.TruncatedCloseTime);
        Assert.Equal(Ms("2023-03-24T13:00"), halt.MissingFrom);
        Assert.Equal(1, halt.MissingCandles);
        Assert.Equal(Ms("2023-03-24T14:00"), halt.ResumedAt);
        var mismatch = Assert.Single(r.Issues, i => i.Kind == Cleaning.DataIssueKind.CloseTimeMismatch);
        Assert.Equal(Ms("2023-03-24T12:00"), mismatch.OpenTime);
        Assert.Equal(1, r.Gaps);

        // The other months are complete and clean.
        foreach (var m in new[] { "01", "02", "04", "05" })
        {
            var other = DataCleaner.Clean(KlineReader.ReadFile(SharedData.Require($"binance/klines/BTCUSDT/1h/BTCUSDT-1h-2023-{m}.csv"), SymbolId.Parse("BTCUSDT"), Interval.OneHour)).Report;
            Assert.Empty(other.Halts);
            Assert.Equal(0, other.Gaps);
        }
    }

    [SkippableFact]
    public void RealIlliquidPairHasZeroVolumeMinutesButNoHalt()
    {
        var r = DataCleaner.Clean(KlineReader.ReadFile(SharedData.Require("binance/klines/ADABTC/1m/ADA_BTC-1m.json"))).Report;
        Assert.Equal(43205, r.InputCandles);
        Assert.Equal(3423, r.ZeroVolumeCandles);                    // PROVENANCE: 3 423 zero-volume 1m candles
        Assert.Empty(r.Halts);
        Assert.Equal(0, r.Gaps);
    }

    private static long Ms(string isoMinute) => DateTimeOffset.Parse(isoMinute + ":00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}
