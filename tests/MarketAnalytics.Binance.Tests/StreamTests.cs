using MarketAnalytics.Binance.Tests.Infra;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Binance.Tests;

public sealed class StreamTests(ITestOutputHelper output)
{
    // One simulated minute (= one 1m candle) lasts 50 real milliseconds.
    private const double Scale = 1200;

    private static async Task<List<KlineUpdate>> Listen(IBinanceKlineStream stream, IReadOnlyList<KlineStreamKey> keys, int closedPerStream, TimeSpan maxReal)
    {
        var updates = new List<KlineUpdate>();
        using var cts = new CancellationTokenSource(maxReal);
        var closed = new Dictionary<SymbolId, int>();
        try
        {
            await foreach (var u in stream.SubscribeAsync(keys, cts.Token))
            {
                updates.Add(u);
                if (u.IsClosed) closed[u.Symbol] = closed.GetValueOrDefault(u.Symbol) + 1;
                if (keys.All(k => closed.GetValueOrDefault(k.Symbol) >= closedPerStream)) break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        return updates;
    }

    /// <summary>Every closed candle after the first is delivered exactly once, in order, and equals the archive.</summary>
    private static void AssertGapFree(List<KlineUpdate> updates, SymbolId symbol, CandleSeries archive, int atLeast)
    {
        var closed = updates.Where(u => u.Symbol == symbol && u.IsClosed).Select(u => u.Candle).ToList();
        Assert.True(closed.Count >= atLeast, $"{symbol}: only {closed.Count} closed candles");
        for (var i = 1; i < closed.Count; i++)
        {
            Assert.True(closed[i].OpenTime == closed[i - 1].OpenTime + 60_000,
                $"{symbol}: candle {i} opens at {closed[i].OpenTimeUtc:u} after {closed[i - 1].OpenTimeUtc:u} (gap or duplicate)");
        }
        var byTime = archive.AsCandles().ToDictionary(c => c.OpenTime);
        foreach (var c in closed) Assert.True(Compare.Same(byTime[c.OpenTime], c), $"{symbol} {c.OpenTimeUtc:u}: {c} != {byTime[c.OpenTime]}");
    }

    [SkippableFact]
    public async Task Combined_stream_survives_connection_drops_and_backfills_every_missed_closed_candle_over_REST()
    {
        var fil = RealData.Futures1m(RealData.Fil, "2023-08");
        var near = RealData.Futures1m(RealData.Near, "2023-08");
        var clock = new ScaledTimeProvider(new DateTimeOffset(2023, 8, 1, 10, 0, 30, TimeSpan.Zero), Scale);
        await using var server = new FakeBinanceServer(clock, streams: new StreamPlan { DropAfterMessages = 14, DropJitter = 6 }) { RespectClock = true }
            .WithData(RealData.Fil, Interval.OneMinute, fil)
            .WithData(RealData.Near, Interval.OneMinute, near);
        await server.StartAsync();
        var options = new BinanceOptions
        {
            RestBaseUrl = server.BaseUrl, StreamBaseUrl = server.WsUrl,
            // 90 simulated seconds (75 ms real) before reconnecting: at least one candle closes while disconnected.
            StreamReconnectDelay = TimeSpan.FromSeconds(90),
        };
        using var rest = (IDisposable)BinanceMarketData.CreateRestClient(options, time: clock);
        var stream = BinanceMarketData.CreateKlineStream((IBinanceClient)rest, options, clock);
        var keys = new[] { new KlineStreamKey(RealData.Fil, Interval.OneMinute), new KlineStreamKey(RealData.Near, Interval.OneMinute) };
        var updates = await Listen(stream, keys, closedPerStream: 60, maxReal: TimeSpan.FromSeconds(30));
        output.WriteLine($"stream: {stream.Statistics}; server connections {server.WsConnections}, REST klines requests {server.KlinesRequests}");

        Assert.True(stream.Statistics.Reconnects >= 3, "the server should have dropped the connection several times");
        Assert.True(stream.Statistics.Backfilled >= 3, "closed candles missed while disconnected must come from REST");
        Assert.Contains(updates, u => u.Origin == KlineOrigin.Backfill);
        Assert.Contains(updates, u => !u.IsClosed && u.Origin == KlineOrigin.Stream);
        AssertGapFree(updates, RealData.Fil, RealData.Expected(RealData.Fil, Interval.OneMinute, fil), 60);
        AssertGapFree(updates, RealData.Near, RealData.Expected(RealData.Near, Interval.OneMinute, near), 60);
        // In-progress updates never revise a candle that was already delivered closed.
        foreach (var symbol in new[] { RealData.Fil, RealData.Near })
        {
            long lastClosed = long.MinValue;
            foreach (var u in updates.Where(u => u.Symbol == symbol))
            {
                Assert.True(u.Candle.OpenTime > lastClosed, $"{symbol}: update for {u.Candle.OpenTimeUtc:u} after it closed");
                if (u.IsClosed) lastClosed = u.Candle.OpenTime;
            }
        }
    }

    [SkippableFact]
    public async Task Raw_stream_answers_server_pings_and_rolls_over_before_its_lifetime_without_losing_candles()
    {
        var fil = RealData.Futures1m(RealData.Fil, "2023-09");
        var clock = new ScaledTimeProvider(new DateTimeOffset(2023, 9, 3, 0, 0, 10, TimeSpan.Zero), Scale);
        // The server pings every 100 ms real and drops a client that has not answered within 300 ms.
        await using var server = new FakeBinanceServer(clock, streams: new StreamPlan { PingInterval = TimeSpan.FromMilliseconds(100), PingTimeout = TimeSpan.FromMilliseconds(300) }) { RespectClock = true }
            .WithData(RealData.Fil, Interval.OneMinute, fil);
        await server.StartAsync();
        var options = new BinanceOptions { RestBaseUrl = server.BaseUrl, StreamBaseUrl = server.WsUrl, StreamMaxLifetime = TimeSpan.FromMinutes(12) };
        using var rest = (IDisposable)BinanceMarketData.CreateRestClient(options, time: clock);
        var stream = BinanceMarketData.CreateKlineStream((IBinanceClient)rest, options, clock);
        var updates = await Listen(stream, [new KlineStreamKey(RealData.Fil, Interval.OneMinute)], closedPerStream: 40, maxReal: TimeSpan.FromSeconds(30));
        output.WriteLine($"stream: {stream.Statistics}; server connections {server.WsConnections}");
        // Rollovers every 12 simulated minutes (600 ms real) and nothing else: pings were answered. How many rollovers
        // fit depends on how much simulated time the initial connect and backfill took under load, so require one.
        Assert.True(stream.Statistics.LifetimeRollovers >= 1, $"expected a planned rollover before the lifetime; {stream.Statistics}");
        Assert.Equal(stream.Statistics.LifetimeRollovers, stream.Statistics.Reconnects);
        AssertGapFree(updates, RealData.Fil, RealData.Expected(RealData.Fil, Interval.OneMinute, fil), 40);
    }

    [SkippableFact]
    public async Task When_REST_is_down_during_a_backfill_the_stream_reconnects_and_fills_the_gap_later()
    {
        var fil = RealData.Futures1m(RealData.Fil, "2023-10");
        var clock = new ScaledTimeProvider(new DateTimeOffset(2023, 10, 2, 0, 0, 10, TimeSpan.Zero), Scale);
        await using var server = new FakeBinanceServer(clock, streams: new StreamPlan { DropAfterMessages = 12 }) { RespectClock = true }
            .WithData(RealData.Fil, Interval.OneMinute, fil);
        await server.StartAsync();
        var options = new BinanceOptions
        {
            RestBaseUrl = server.BaseUrl, StreamBaseUrl = server.WsUrl, StreamReconnectDelay = TimeSpan.FromSeconds(90),
            MaxRetries = 1, RetryBaseDelay = TimeSpan.FromSeconds(1),
        };
        using var rest = (IDisposable)BinanceMarketData.CreateRestClient(options, time: clock);
        var stream = BinanceMarketData.CreateKlineStream((IBinanceClient)rest, options, clock);
        // REST answers 503 to every klines request for the first 1.2 real seconds (24 simulated minutes).
        server.Faults = new FaultPlan { ServerError = 1.0 };
        _ = Task.Delay(1200).ContinueWith(_ => server.Faults = new FaultPlan(), TaskScheduler.Default);
        var updates = await Listen(stream, [new KlineStreamKey(RealData.Fil, Interval.OneMinute)], closedPerStream: 50, maxReal: TimeSpan.FromSeconds(30));
        output.WriteLine($"stream: {stream.Statistics}; 503s {server.Count(503)}");
        Assert.True(stream.Statistics.BackfillFailures >= 1);
        Assert.True(stream.Statistics.Backfilled >= 1);
        AssertGapFree(updates, RealData.Fil, RealData.Expected(RealData.Fil, Interval.OneMinute, fil), 50);
    }

    [Fact]
    public void Stream_urls_follow_Binance_raw_and_combined_forms()
    {
        var a = new KlineStreamKey(SymbolId.Parse("BTCUSDT"), Interval.OneMinute);
        var b = new KlineStreamKey(SymbolId.Parse("ETHBTC"), Interval.OneMonth);
        Assert.Equal("wss://data-stream.binance.vision/ws/btcusdt@kline_1m", BinanceKlineStream.BuildUri("wss://data-stream.binance.vision", [a]).ToString());
        Assert.Equal("wss://data-stream.binance.vision/stream?streams=btcusdt@kline_1m/ethbtc@kline_1M",
            BinanceKlineStream.BuildUri("wss://data-stream.binance.vision/", [a, b]).ToString());
    }
}
