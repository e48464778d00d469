using MarketAnalytics.IO;
using MarketAnalytics.Testing;

namespace MarketAnalytics.Binance.Tests.Infra;

/// <summary>The real archives in ../shared/data/binance (tests skip with a reason when they are absent).</summary>
internal static class RealData
{
    public static readonly SymbolId Fil = SymbolId.Parse("FILUSDT");
    public static readonly SymbolId Near = SymbolId.Parse("NEARUSDT");
    public static readonly SymbolId Btc = SymbolId.Parse("BTCUSDT");

    /// <summary>USD-M futures 1m monthly CSVs (exact data.binance.vision layout, with header).</summary>
    public static string[] Futures1m(SymbolId symbol, params string[] months) =>
        months.Select(m => SharedData.Require($"binance/futures-um/klines/{symbol}/1m/{symbol}-1m-{m}.csv")).ToArray();

    /// <summary>Spot BTCUSDT 1h monthly CSVs 2023-01..05.</summary>
    public static string[] BtcSpot1h(params string[] months) =>
        months.Select(m => SharedData.Require($"binance/klines/BTCUSDT/1h/BTCUSDT-1h-{m}.csv")).ToArray();

    /// <summary>The reference candles, read with the lead's <see cref="KlineReader"/> straight from the archive files.</summary>
    public static CandleSeries Expected(SymbolId symbol, Interval interval, IEnumerable<string> files)
    {
        var series = new CandleSeries(symbol, interval);
        foreach (var f in files) KlineReader.ReadFileInto(f, series);
        return series;
    }

    public static FakeBinanceServer WithData(this FakeBinanceServer server, SymbolId symbol, Interval interval, string[] files)
    {
        server.Add(KlineDataSet.Load(symbol, interval, files));
        return server;
    }

    public static long Ms(int y, int m, int d = 1) => new DateTimeOffset(y, m, d, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
}

internal static class Compare
{
    /// <summary>Asserts that <paramref name="actual"/> equals <paramref name="expected"/> candle by candle, field by field (bitwise doubles).</summary>
    public static void Candles(IReadOnlyList<Candle> expected, IReadOnlyList<Candle> actual, string what)
    {
        Xunit.Assert.True(expected.Count == actual.Count, $"{what}: expected {expected.Count} candles, got {actual.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            if (!Same(e, a)) Xunit.Assert.Fail($"{what}: candle {i} differs:\n expected {e}\n actual   {a}");
        }
    }

    public static bool Same(in Candle x, in Candle y) =>
        x.OpenTime == y.OpenTime && x.CloseTime == y.CloseTime && x.TradeCount == y.TradeCount
        && x.Open.Equals(y.Open) && x.High.Equals(y.High) && x.Low.Equals(y.Low) && x.Close.Equals(y.Close)
        && x.Volume.Equals(y.Volume) && x.QuoteVolume.Equals(y.QuoteVolume)
        && x.TakerBuyBaseVolume.Equals(y.TakerBuyBaseVolume) && x.TakerBuyQuoteVolume.Equals(y.TakerBuyQuoteVolume);
}
