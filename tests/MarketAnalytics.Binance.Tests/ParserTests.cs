using System.Text;
using System.Text.Json;
using Xunit;

namespace MarketAnalytics.Binance.Tests;

public sealed class ParserTests
{
    [Fact]
    public void Klines_arrays_parse_with_string_prices_and_tolerate_extra_trailing_fields()
    {
        var json = """
            [[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",1499644799999,"2434.19055334",308,"1756.87402397","28.46694368","0"],
             [1499644800000,"0.01577100","0.01577100","0.01577100","0.01577100","0",1500249599999,"0",0,"0","0","0",{"future":[1,2]}]]
            """u8;
        var series = new CandleSeries(SymbolId.Parse("ETHBTC"), Interval.OneWeek);
        Assert.Equal(2, BinanceJson.ParseKlines(json, series));
        var c = series[0];
        Assert.Equal(1499040000000, c.OpenTime);
        Assert.Equal(0.01634790, c.Open);
        Assert.Equal(0.8, c.High);
        Assert.Equal(148976.11427815, c.Volume);
        Assert.Equal(1499644799999, c.CloseTime);
        Assert.Equal(2434.19055334, c.QuoteVolume);
        Assert.Equal(308, c.TradeCount);
        Assert.Equal(28.46694368, c.TakerBuyQuoteVolume);
        Assert.Equal(0, series[1].Volume);
    }

    [Theory]
    [InlineData("""[[1499040000000,"0.1","0.2","0.05","0.1","10",1499644799999,"1",3,"1","1","0"]""")] // truncated
    [InlineData("""[[1499040000000,"abc","0.2","0.05","0.1","10",1499644799999,"1",3,"1","1","0"]]""")]
    [InlineData("""[[1499040000000,"0.1"]]""")]
    [InlineData("""[] trailing""")]
    public void Broken_klines_bodies_are_rejected(string body)
    {
        var series = new CandleSeries(SymbolId.Parse("ETHBTC"), Interval.OneWeek);
        Assert.ThrowsAny<JsonException>(() => BinanceJson.ParseKlines(Encoding.UTF8.GetBytes(body), series));
    }

    [Fact]
    public void ExchangeInfo_rate_limits_parse_leniently_and_unknown_values_are_kept()
    {
        var json = """
            {"timezone":"UTC","serverTime":1700000000000,"rateLimits":[
              {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000},
              {"rateLimitType":"CONNECTIONS","interval":"MINUTE","intervalNum":5,"limit":300},
              {"rateLimitType":"BRAND_NEW","interval":"LIGHTYEAR","intervalNum":2,"limit":9,"extra":{"a":[1]}}],
             "symbols":[{"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","newField":true},
                        {"symbol":"weird-one","status":"BREAK","baseAsset":"X","quoteAsset":"Y"}]}
            """u8;
        var info = BinanceJson.ParseExchangeInfo(json);
        Assert.Equal(1700000000000, info.ServerTime);
        Assert.Equal(3, info.RateLimits.Count);
        Assert.Equal("X-MBX-USED-WEIGHT-1M", info.RateLimits[0].UsedWeightHeader);
        Assert.Equal(TimeSpan.FromMinutes(1), info.RateLimits[0].Window);
        Assert.Equal(BinanceRateLimitType.Connections, info.RateLimits[1].Type);
        Assert.Equal(BinanceRateLimitType.Unknown, info.RateLimits[2].Type);
        Assert.Equal("BRAND_NEW", info.RateLimits[2].RawType);
        Assert.Null(info.RateLimits[2].Window);
        Assert.Single(info.Symbols); // a symbol we could not put in a path is skipped, not fatal
        Assert.Equal("BTC", info.Symbols[0].BaseAsset);
    }

    [Fact]
    public void Error_bodies_and_server_time_parse()
    {
        Assert.True(BinanceJson.TryParseError("""{"code":-1121,"msg":"Invalid symbol."}"""u8, out var code, out var msg));
        Assert.Equal(-1121, code);
        Assert.Equal("Invalid symbol.", msg);
        Assert.False(BinanceJson.TryParseError("<html>502</html>"u8, out _, out _));
        Assert.False(BinanceJson.TryParseError("[]"u8, out _, out _));
        Assert.Equal(1499827319559, BinanceJson.ParseServerTime("""{"serverTime":1499827319559}"""u8));
    }

    [Fact]
    public void WebSocket_kline_messages_parse_in_raw_and_combined_form()
    {
        const string data = """{"e":"kline","E":1672515782136,"s":"BNBBTC","k":{"t":1672515780000,"T":1672515839999,"s":"BNBBTC","i":"1m","f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":false,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}}""";
        Assert.True(BinanceKlineStream.TryParseMessage(Encoding.UTF8.GetBytes(data), out var s, out var i, out var c, out var closed, out var e, out var shutdown));
        Assert.Equal(("BNBBTC", "1m", false, 1672515782136L, false), (s, i, closed, e, shutdown));
        Assert.Equal(new Candle(1672515780000, 0.001, 0.0025, 0.0015, 0.002, 1000, 1672515839999, 1, 100, 500, 0.5), c);

        var combined = $$"""{"stream":"bnbbtc@kline_1m","data":{{data.Replace("\"x\":false", "\"x\":true", StringComparison.Ordinal)}}}""";
        Assert.True(BinanceKlineStream.TryParseMessage(Encoding.UTF8.GetBytes(combined), out s, out _, out _, out closed, out _, out _));
        Assert.Equal("BNBBTC", s);
        Assert.True(closed);

        Assert.False(BinanceKlineStream.TryParseMessage("""{"result":null,"id":1}"""u8, out _, out _, out _, out _, out _, out _));
        Assert.False(BinanceKlineStream.TryParseMessage("""{"e":"serverShutdown","E":1}"""u8, out _, out _, out _, out _, out _, out shutdown));
        Assert.True(shutdown);
        Assert.False(BinanceKlineStream.TryParseMessage("""{"e":"kline","k":{"t":"""u8, out _, out _, out _, out _, out _, out _));
    }
}
