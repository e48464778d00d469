using System.Diagnostics;
using MarketAnalytics.Binance.Tests.Infra;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Binance.Tests;

[CollectionDefinition(nameof(SerialMeasurements), DisableParallelization = true)]
public sealed class SerialMeasurements;

[Collection(nameof(SerialMeasurements))]
public sealed class RateLimitTests(ITestOutputHelper output)
{
    private static (SymbolId, string[])[] Workload() =>
    [
        (RealData.Fil, RealData.Futures1m(RealData.Fil, "2023-08", "2023-09", "2023-10", "2023-11")),
        (RealData.Near, RealData.Futures1m(RealData.Near, "2023-08", "2023-09", "2023-10")),
    ];

    /// <summary>Pages through every series again and again until <paramref name="until"/> (server clock).</summary>
    private static async Task<long> Hammer(IBinanceClient client, FakeBinanceServer server, (SymbolId Symbol, string[] Files)[] work, DateTimeOffset until, int parallelPerSymbol)
    {
        long candles = 0;
        var tasks = new List<Task>();
        foreach (var (symbol, _) in work)
        {
            for (var p = 0; p < parallelPerSymbol; p++)
            {
                tasks.Add(Task.Run(async () =>
                {
                    long mine = 0;
                    for (var round = 0; round < 1000 && server.Clock.GetUtcNow() < until; round++)
                    {
                        var range = new CandleRange(symbol, Interval.OneMinute, RealData.Ms(2023, 8), RealData.Ms(2023, 12));
                        await foreach (var c in client.GetCandlesAsync(range))
                        {
                            mine++;
                            if ((mine & 0x3FF) == 0 && server.Clock.GetUtcNow() >= until) break;
                        }
                    }
                    Interlocked.Add(ref candles, mine);
                }));
            }
        }
        await Task.WhenAll(tasks);
        return candles;
    }

    /// <summary>
    /// Sustained throughput against the real limits (6000 weight per minute, klines weight 2, 1000 candles per page) on a
    /// clock shared by server and client that runs k times faster than real time: a rate-limit "minute" lasts 60/k real
    /// seconds, and every figure below is in server-clock units, so it maps 1:1 to a real minute. k is chosen from a short
    /// unthrottled probe so that the machine could go well above the ceiling: the governor, not the CPU, is the bottleneck.
    /// </summary>
    [SkippableFact]
    public async Task Sustained_ingest_uses_at_least_90_percent_of_the_weight_ceiling_with_no_418()
    {
        var work = Workload();
        // 1. Probe what this machine can do unthrottled (real time).
        double capacity;
        await using (var probe = new FakeBinanceServer { WeightLimit = 100_000_000 })
        {
            foreach (var (s, f) in work) probe.WithData(s, Interval.OneMinute, f);
            await probe.StartAsync();
            using var c = (IDisposable)BinanceMarketData.CreateRestClient(new BinanceOptions { RestBaseUrl = probe.BaseUrl, MaxConcurrentRequests = 16, DefaultWeightLimitPerMinute = 100_000_000 });
            var sw = Stopwatch.StartNew();
            await Hammer((IBinanceClient)c, probe, work, probe.Clock.GetUtcNow().AddSeconds(1.5), 2);
            capacity = probe.KlinesRequests / sw.Elapsed.TotalSeconds;
        }
        // The ceiling is 3000 requests per minute = 50 per real second; run the clock so that it needs ~55 % of capacity.
        var scale = Math.Clamp(capacity * 0.55 / 50, 1.5, 8);
        output.WriteLine($"unthrottled capacity {capacity:F0} requests/s -> clock scale k = {scale:F2} (one rate-limit minute = {60 / scale:F1} real s)");

        // 2. Full rate-limit windows on the scaled clock, starting exactly at a window boundary: one by default,
        //    MARKETANALYTICS_LONG_TESTS=1 measures three.
        var windows = Environment.GetEnvironmentVariable("MARKETANALYTICS_LONG_TESTS") == "1" ? 3 : 1;
        var origin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ScaledTimeProvider(origin, scale);
        await using var server = new FakeBinanceServer(clock);
        foreach (var (s, f) in work) server.WithData(s, Interval.OneMinute, f);
        await server.StartAsync();
        using var owned = (IDisposable)BinanceMarketData.CreateRestClient(new BinanceOptions { RestBaseUrl = server.BaseUrl, MaxConcurrentRequests = 16 }, time: clock);
        var client = (IBinanceClient)owned;
        var real = Stopwatch.StartNew();
        var candles = await Hammer(client, server, work, origin.AddMinutes(windows), 2);
        real.Stop();

        var w0 = origin.ToUnixTimeMilliseconds() / 60_000;
        var used = Enumerable.Range(0, windows).Select(i => server.WeightByWindow.GetValueOrDefault(w0 + i)).ToArray();
        var utilisation = used.Sum() / (windows * 6000.0);
        var stats = client.Statistics;
        output.WriteLine($"weight used per minute window: {string.Join(", ", used)} of 6000 -> utilisation {utilisation:P1} over {windows} window(s)");
        output.WriteLine($"client: {stats}; max X-MBX-USED-WEIGHT-1M seen {stats.MaxUsedWeight}; governor waits {((BinanceRestClient)client).Governor.WaitCount}");
        output.WriteLine($"server: {server.KlinesRequests} klines requests, 200={server.Count(200)}, 429={server.Count(429)}, 418={server.Count(418)}; {candles} candles in {real.Elapsed.TotalSeconds:F1} real s");
        output.WriteLine($"maps to real time: {used.Sum() / 2 / windows} klines requests per minute = {used.Sum() / 2.0 / windows * 1000 / 1e6:F2} M 1m-candles/min (ceiling 3000 requests, 3.00 M)");
        Assert.Equal(0, server.Count(418));
        Assert.Equal(0, server.Count(429));
        Assert.True(utilisation >= 0.90, $"utilisation {utilisation:P1} < 90 %");
        Assert.All(used, u => Assert.True(u <= 6000));
    }

    [SkippableFact]
    public async Task A_429_caused_by_another_client_pauses_every_request_for_Retry_After_and_no_candle_is_lost_or_repeated()
    {
        var files = RealData.Futures1m(RealData.Fil, "2023-08", "2023-09", "2023-10", "2023-11");
        var origin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ScaledTimeProvider(origin, 20); // a rate-limit minute lasts 3 real seconds
        await using var server = new FakeBinanceServer(clock).WithData(RealData.Fil, Interval.OneMinute, files);
        await server.StartAsync();
        using var owned = (IDisposable)BinanceMarketData.CreateRestClient(new BinanceOptions { RestBaseUrl = server.BaseUrl, MaxConcurrentRequests = 8, RequestTimeout = TimeSpan.FromMinutes(10) }, time: clock);
        var client = (IBinanceClient)owned;
        var range = new CandleRange(RealData.Fil, Interval.OneMinute, RealData.Ms(2023, 8), RealData.Ms(2023, 12));
        var got = new List<Candle>();
        await foreach (var c in client.GetCandlesAsync(range))
        {
            got.Add(c);
            // Once in a while someone else on the same IP burns the whole window.
            if (got.Count % 40_000 == 0) server.AddExternalWeight(6000);
        }
        output.WriteLine($"client: {client.Statistics}; server 429={server.Count(429)} 418={server.Count(418)}");
        Assert.True(client.Statistics.RateLimited >= 1, "the burst should have produced a 429");
        Assert.Equal(0, server.Count(418));
        Compare.Candles(RealData.Expected(RealData.Fil, Interval.OneMinute, files).AsCandles().ToList(), got, "FILUSDT after 429s");
    }

    [SkippableFact]
    public async Task Weight_used_by_others_is_read_from_the_header_and_respected_without_any_429()
    {
        var files = RealData.Futures1m(RealData.Near, "2023-08", "2023-09");
        var origin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ScaledTimeProvider(origin, 30);
        await using var server = new FakeBinanceServer(clock).WithData(RealData.Near, Interval.OneMinute, files);
        await server.StartAsync();
        server.AddExternalWeight(5_700); // another process already used 95 % of this minute
        using var owned = (IDisposable)BinanceMarketData.CreateRestClient(new BinanceOptions { RestBaseUrl = server.BaseUrl, RequestTimeout = TimeSpan.FromMinutes(10) }, time: clock);
        var client = (IBinanceClient)owned;
        var range = new CandleRange(RealData.Near, Interval.OneMinute, RealData.Ms(2023, 8), RealData.Ms(2023, 10));
        var n = 0;
        await foreach (var _ in client.GetCandlesAsync(range)) n++;
        output.WriteLine($"client: {client.Statistics}; max used weight {client.Statistics.MaxUsedWeight}; server windows {string.Join(",", server.WeightByWindow.OrderBy(k => k.Key).Select(k => k.Value))}");
        Assert.Equal(44640 + 43200, n);
        Assert.Equal(0, server.Count(429));
        Assert.Equal(0, server.Count(418));
        Assert.Equal((6000, TimeSpan.FromMinutes(1)), client.WeightLimit);
    }

    [SkippableFact]
    public async Task Slow_answers_time_out_and_are_retried_with_jitter_without_duplicates()
    {
        var files = RealData.Futures1m(RealData.Near, "2023-08");
        await using var server = new FakeBinanceServer(faults: new FaultPlan { Slow = 0.25, SlowDelay = TimeSpan.FromSeconds(3), ServerError = 0.1, Seed = 3 })
            .WithData(RealData.Near, Interval.OneMinute, files);
        await server.StartAsync();
        using var owned = (IDisposable)BinanceMarketData.CreateRestClient(new BinanceOptions
        {
            RestBaseUrl = server.BaseUrl, RequestTimeout = TimeSpan.FromMilliseconds(300), RetryBaseDelay = TimeSpan.FromMilliseconds(20), MaxRetries = 10,
        });
        var client = (IBinanceClient)owned;
        var got = new List<Candle>();
        await foreach (var c in client.GetCandlesAsync(new CandleRange(RealData.Near, Interval.OneMinute, RealData.Ms(2023, 8), RealData.Ms(2023, 9)))) got.Add(c);
        output.WriteLine($"client: {client.Statistics}; faults {string.Join(",", server.FaultCounts)}");
        Assert.True(client.Statistics.Retries >= 3);
        Compare.Candles(RealData.Expected(RealData.Near, Interval.OneMinute, files).AsCandles().ToList(), got, "NEARUSDT");
    }
}
