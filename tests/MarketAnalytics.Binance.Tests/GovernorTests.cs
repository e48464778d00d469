using MarketAnalytics.Binance.Tests.Infra;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Binance.Tests;

public sealed class GovernorTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task The_limit_and_window_come_from_exchangeInfo_and_are_never_exceeded()
    {
        var files = RealData.Futures1m(RealData.Fil, "2023-08", "2023-09", "2023-10", "2023-11");
        var origin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ScaledTimeProvider(origin, 30); // one rate-limit minute = 2 real seconds
        await using var server = new FakeBinanceServer(clock) { WeightLimit = 200 }.WithData(RealData.Fil, Interval.OneMinute, files);
        await server.StartAsync();
        using var owned = (IDisposable)BinanceMarketData.CreateRestClient(new BinanceOptions { RestBaseUrl = server.BaseUrl, MaxConcurrentRequests = 16, RequestTimeout = TimeSpan.FromMinutes(10) }, time: clock);
        var client = (IBinanceClient)owned;
        var n = 0;
        await foreach (var _ in client.GetCandlesAsync(new CandleRange(RealData.Fil, Interval.OneMinute, RealData.Ms(2023, 8), RealData.Ms(2023, 12)))) n++;
        var windows = server.WeightByWindow.OrderBy(k => k.Key).Select(k => k.Value).ToList();
        output.WriteLine($"limit {client.WeightLimit}; weight per window {string.Join(",", windows)}; {client.Statistics}");
        Assert.Equal((200, TimeSpan.FromMinutes(1)), client.WeightLimit);
        Assert.Equal(175680, n);
        Assert.True(windows.Count >= 2, "the ingest needed more than one window at this limit");
        Assert.Contains(windows, w => w >= 180); // the limit was binding, not the machine
        Assert.All(windows, w => Assert.True(w <= 200));
        Assert.Equal(0, server.Count(429));
    }

    [SkippableFact]
    public async Task A_418_ban_is_waited_out_for_its_Retry_After_and_nothing_is_sent_meanwhile()
    {
        var files = RealData.Futures1m(RealData.Near, "2023-08");
        var origin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ScaledTimeProvider(origin, 60);
        await using var server = new FakeBinanceServer(clock).WithData(RealData.Near, Interval.OneMinute, files);
        await server.StartAsync();
        using var owned = (IDisposable)BinanceMarketData.CreateRestClient(new BinanceOptions { RestBaseUrl = server.BaseUrl, MaxConcurrentRequests = 1, RequestTimeout = TimeSpan.FromMinutes(10) }, time: clock);
        var client = (IBinanceClient)owned;
        await client.GetExchangeInfoAsync([RealData.Near]);
        server.BanFor(TimeSpan.FromMinutes(2)); // e.g. another process on this IP ignored its 429s
        var started = clock.GetUtcNow();
        var got = new List<Candle>();
        await foreach (var c in client.GetCandlesAsync(new CandleRange(RealData.Near, Interval.OneMinute, RealData.Ms(2023, 8), RealData.Ms(2023, 9)))) got.Add(c);
        output.WriteLine($"{client.Statistics}; server 418={server.Count(418)}; took {(clock.GetUtcNow() - started).TotalSeconds:F0} s of server time");
        Assert.Equal(1, client.Statistics.Banned);
        Assert.Equal(1, server.Count(418));
        Assert.True(clock.GetUtcNow() - started >= TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Compare.Candles(RealData.Expected(RealData.Near, Interval.OneMinute, files).AsCandles().ToList(), got, "after a ban");
    }
}
