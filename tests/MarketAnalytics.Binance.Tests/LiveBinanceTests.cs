using MarketAnalytics.Lake;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Binance.Tests;

/// <summary>Against the real public market-data endpoints; opt-in because this machine has no route to Binance.</summary>
public sealed class LiveBinanceTests(ITestOutputHelper output)
{
    private static void RequireLive() =>
        Skip.If(Environment.GetEnvironmentVariable("MARKETANALYTICS_BINANCE_LIVE") != "1",
            "MARKETANALYTICS_BINANCE_LIVE=1 is not set; live Binance test skipped (needs internet access to data-api.binance.vision).");

    [SkippableFact]
    public async Task Live_REST_pages_recent_BTCUSDT_minutes_into_a_lake_with_the_real_rate_limits()
    {
        RequireLive();
        using var owned = (IDisposable)BinanceMarketData.CreateRestClient();
        var client = (IBinanceClient)owned;
        var info = await client.GetExchangeInfoAsync([SymbolId.Parse("BTCUSDT")]);
        Assert.Contains(info.RateLimits, l => l.Type == BinanceRateLimitType.RequestWeight);
        var end = Interval.OneMinute.Floor(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var range = new CandleRange(SymbolId.Parse("BTCUSDT"), Interval.OneMinute, end - 2500 * 60_000L, end);
        using var dir = new Infra.TempDir();
        var lake = ParquetLake.Open(dir.Path);
        var result = await lake.Ingestor.IngestAsync(client, range);
        output.WriteLine($"{result.Write}; {client.Statistics}; limit {client.WeightLimit}");
        Assert.Equal(2500, result.Received);
        var got = new List<Candle>();
        await foreach (var c in lake.Candles.ReadAsync(range)) got.Add(c);
        for (var i = 1; i < got.Count; i++) Assert.Equal(got[i - 1].OpenTime + 60_000, got[i].OpenTime);
    }

    [SkippableFact]
    public async Task Live_stream_delivers_closed_BTCUSDT_1s_candles()
    {
        RequireLive();
        using var owned = (IDisposable)BinanceMarketData.CreateRestClient();
        var stream = BinanceMarketData.CreateKlineStream((IBinanceClient)owned);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var closed = 0;
        await foreach (var u in stream.SubscribeAsync([new KlineStreamKey(SymbolId.Parse("BTCUSDT"), Interval.OneSecond)], cts.Token))
        {
            if (u.IsClosed && ++closed == 3) break;
        }
        Assert.Equal(3, closed);
    }
}
