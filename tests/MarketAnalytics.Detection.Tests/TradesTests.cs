using MarketAnalytics.Testing;
using System.Text;
using MarketAnalytics.Trades;
using Xunit;

namespace MarketAnalytics.Detection.Tests;

public class TradesTests
{
    private static readonly SymbolId Sym = SymbolId.Parse("XRPETH");

    [Fact]
    public void AggTradesMillisecondsResampleToFullCandlesWithFlatFill()
    {
        // 00:00 two trades (taker buy then taker sell), 00:01 none, 00:02 one taker buy; one duplicate id.
        const string csv =
            "100,1.0,2.0,10,11,1570752000100,False,True\n" +
            "101,1.5,1.0,12,12,1570752030000,True,True\n" +
            "101,1.5,1.0,12,12,1570752030000,True,True\n" +
            "102,1.2,4.0,13,15,1570752125000,false,true\n";
        var read = TradeFileReader.Parse(Encoding.UTF8.GetBytes(csv), "fixture.csv");
        Assert.Equal(TradeLayout.BinanceAggTrades, read.Layout);
        Assert.Equal(4, read.Rows);
        Assert.Equal(1, read.DuplicatesRemoved);
        Assert.False(read.Microseconds);
        var s = TradeResampler.Resample(read.Trades, Sym, Interval.OneMinute);
        Assert.Equal(3, s.Count);
        var c0 = s[0];
        Assert.Equal(1570752000000, c0.OpenTime);
        Assert.Equal((1.0, 1.5, 1.0, 1.5), (c0.Open, c0.High, c0.Low, c0.Close));
        Assert.Equal(3.0, c0.Volume);
        Assert.Equal(1570752059999, c0.CloseTime);
        Assert.Equal(2.0 + 1.5, c0.QuoteVolume, 12);
        Assert.Equal(3, c0.TradeCount); // ids 10..11 and 12..12
        Assert.Equal(2.0, c0.TakerBuyBaseVolume);
        Assert.Equal(2.0, c0.TakerBuyQuoteVolume, 12);
        var gap = s[1];
        Assert.Equal(new Candle(1570752060000, 1.5, 1.5, 1.5, 1.5, 0, 1570752119999, 0, 0, 0, 0), gap);
        Assert.Equal(3, s[2].TradeCount);
        Assert.Equal(4.0, s[2].TakerBuyBaseVolume);
    }

    [Fact]
    public void AggTradesMicrosecondsWithHeaderAreConverted()
    {
        const string csv = "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match\n" +
                           "1,10,1,1,1,1735689600123456,True,True\n";
        var read = TradeFileReader.Parse(Encoding.UTF8.GetBytes(csv), "us.csv");
        Assert.True(read.Microseconds);
        Assert.Equal(1735689600123, read.Trades[0].Time);
        Assert.False(read.Trades[0].TakerIsBuyer);
    }

    [Fact]
    public void CcxtLayoutDropsPageBoundaryDuplicatesAndMapsTakerSide()
    {
        const string csv = "symbol,timestamp,datetime,side,price,amount,btc_volume\n" +
                           "NAS/BTC,1590681658618,2020-05-28T16:00:58.618Z,buy,3.54e-05,5.69,0.000201426\n" +
                           "NAS/BTC,1590681658618,2020-05-28T16:00:58.618Z,buy,3.55e-05,194.31,0.006898005\n" +
                           "NAS/BTC,1590681658618,2020-05-28T16:00:58.618Z,buy,3.54e-05,5.69,0.000201426\n" +
                           "NAS/BTC,1590681658618,2020-05-28T16:00:58.618Z,buy,3.55e-05,194.31,0.006898005\n" +
                           "NAS/BTC,1590681720000,2020-05-28T16:02:00.000Z,sell,3.50e-05,10,0.00035\n";
        var read = TradeFileReader.Parse(Encoding.UTF8.GetBytes(csv), "ccxt.csv");
        Assert.Equal(TradeLayout.CcxtTrades, read.Layout);
        Assert.Equal(2, read.DuplicatesRemoved);
        Assert.Equal(SymbolId.Parse("NASBTC"), read.Symbol);
        var s = TradeResampler.Resample(read.Trades, read.Symbol!.Value, Interval.OneMinute);
        Assert.Equal(3, s.Count); // 16:00, 16:01 (flat fill), 16:02
        Assert.Equal(200.0, s[0].TakerBuyBaseVolume, 9);
        Assert.Equal(0.000201426 + 0.006898005, s[0].TakerBuyQuoteVolume, 12);
        Assert.Equal(0, s[1].Volume);
        Assert.Equal(3.55e-05, s[1].Close);
        Assert.Equal(0, s[2].TakerBuyBaseVolume);
        Assert.Equal(1, s[2].TradeCount);
    }

    [Fact]
    public void ResampleToFiveMinutes()
    {
        var trades = new[] { new Trade(0, 1, 1, 1, true, 1), new Trade(299_999, 2, 1, 2, false, 1), new Trade(600_000, 3, 1, 3, true, 1) };
        var s = TradeResampler.Resample(trades, Sym, Interval.FiveMinutes);
        Assert.Equal(3, s.Count);
        Assert.Equal((1.0, 2.0, 2.0), (s[0].Open, s[0].High, s[0].Close));
        Assert.Equal(299_999, s[0].CloseTime);
        Assert.Equal(0, s[1].Volume);
    }

    [Fact]
    public void MalformedRowsAreTypedErrorsNamingTheLine()
    {
        var e = Assert.Throws<MalformedDataException>(() => TradeFileReader.Parse(Encoding.UTF8.GetBytes("1,abc,1,1,1,1000,True,True\n"), "bad.csv"));
        Assert.Equal(1, e.Position);
        Assert.Contains("price", e.Message);
        Assert.Throws<MalformedDataException>(() => TradeFileReader.Parse(Encoding.UTF8.GetBytes("open_time,open\n1,2\n"), "klines.csv"));
        var ccxt = "symbol,timestamp,datetime,side,price,amount,btc_volume\nA/B,1,x,hold,1,1,1\n";
        Assert.Contains("side", Assert.Throws<MalformedDataException>(() => TradeFileReader.Parse(Encoding.UTF8.GetBytes(ccxt), "c.csv")).Message);
    }

    [Fact]
    public void ResamplerRejectsOutOfOrderTrades()
    {
        var r = new TradeResampler(new CandleSeries(Sym, Interval.OneMinute));
        r.Add(new Trade(1000, 1, 1, 1, true, 1));
        Assert.Throws<ArgumentException>(() => r.Add(new Trade(999, 1, 1, 1, true, 1)));
    }

    [SkippableFact]
    public void RealXrpEthAggTradesResample()
    {
        var path = SharedData.Require("binance/aggtrades/XRPETH/XRPETH-aggTrades-2019-10-11_2019-10-13.from-ccxt-info.csv");
        var series = TradeResampler.ResampleFile(path, Sym, Interval.OneMinute, out var read);
        Assert.Equal(12477, read.Rows);
        Assert.Equal(0, read.DuplicatesRemoved);
        Assert.Equal(0, read.OutOfOrderRows);
        Assert.Equal(Interval.OneMinute.Floor(1570752011620), series.OpenTime[0]);
        Assert.Equal(series.Count, (int)Interval.OneMinute.CountBetween(series.OpenTime[0], series.OpenTime[^1]) + 1); // contiguous
        double volume = 0;
        foreach (var t in read.Trades) volume += t.Quantity;
        double candleVolume = 0;
        for (var i = 0; i < series.Count; i++) candleVolume += series.Volume[i];
        Assert.Equal(volume, candleVolume, 6);
        var buyerMaker = read.Trades.Count(t => !t.TakerIsBuyer);
        Assert.InRange(buyerMaker / (double)read.Trades.Length, 0.47, 0.48); // PROVENANCE: 47.7 % buyer-maker
    }

    [SkippableFact]
    public void PugoevDuplicateCountsMatchProvenance()
    {
        var dir = SharedData.Require("events/pump-and-dump/pugoev-2023/trades");
        // "dup rows" column of PROVENANCE.md for a few files.
        foreach (var (file, rows, dups) in new[] { ("APPC_2020-11-18_18.00.csv", 7233, 131), ("NAS_2020-05-30_16.00.csv", 35265, 723), ("VIB_2021-09-05_17.00.csv", 48793, 1046) })
        {
            var read = TradeFileReader.ReadFile(Path.Combine(dir, file));
            Assert.Equal(rows, read.Rows);
            Assert.Equal(dups, read.DuplicatesRemoved);
        }
    }
}
