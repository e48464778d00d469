using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace MarketAnalytics.Binance;

/// <summary>
/// REST client: server-driven weight governor, global 429/418 back-off, jittered retries of transient failures, and
/// ordered parallel pagination (1000-candle pages fetched ahead, yielded in open-time order, each exactly once).
/// </summary>
internal sealed class BinanceRestClient : IBinanceClient, IDisposable
{
    internal const int KlinesWeight = 2;
    internal const int ExchangeInfoWeight = 20;
    internal const int TimeWeight = 1;

    private static readonly ResiliencePropertyKey<BinanceRequestStatistics?> SymbolStatsKey = new("binance.symbol-stats");
    private static readonly ResiliencePropertyKey<int> AttemptsKey = new("binance.attempts");

    private readonly BinanceOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;
    private readonly Uri _base;
    private readonly SemaphoreSlim _slots;
    private readonly ResiliencePipeline _pipeline;
    private readonly ConcurrentDictionary<SymbolId, BinanceRequestStatistics> _perSymbol = new();
    private int _configured;

    public BinanceRestClient(BinanceOptions options, HttpClient? http = null, TimeProvider? time = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new InvalidOptionsException(nameof(BinanceOptions), problems);
        _options = options.Clone();
        _time = time ?? TimeProvider.System;
        _base = new Uri(_options.RestBaseUrl.TrimEnd('/') + "/");
        _ownsHttp = http is null;
        _http = http ?? CreateHttpClient(_options);
        _slots = new SemaphoreSlim(_options.MaxConcurrentRequests, _options.MaxConcurrentRequests);
        Governor = new WeightGovernor(_time, _options.DefaultWeightLimitPerMinute, _options.WeightBudgetFraction);
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<TransientBinanceException>()
                    .Handle<HttpRequestException>(),
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(15),
                OnRetry = args =>
                {
                    Statistics.OnRetry();
                    if (args.Context.Properties.TryGetValue(SymbolStatsKey, out var s)) s?.OnRetry();
                    return default;
                },
            })
            .Build();
    }

    public string Name => "binance-rest";

    internal WeightGovernor Governor { get; }

    public BinanceRequestStatistics Statistics { get; } = new();

    public BinanceRequestStatistics StatisticsFor(SymbolId symbol) => _perSymbol.GetOrAdd(symbol, _ => new BinanceRequestStatistics());

    public (int Limit, TimeSpan Window) WeightLimit => (Governor.Limit, Governor.Window);

    internal static HttpClient CreateHttpClient(BinanceOptions options) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.All,
        MaxConnectionsPerServer = Math.Max(4, options.MaxConcurrentRequests * 2),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { UserAgent = { new ProductInfoHeaderValue("MarketAnalytics", "0.1") } },
    };

    public async Task<BinanceExchangeInfo> GetExchangeInfoAsync(IReadOnlyCollection<SymbolId> symbols, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var query = "api/v3/exchangeInfo";
        if (symbols.Count == 1) query += "?symbol=" + symbols.First().Value;
        else if (symbols.Count > 1) query += "?symbols=" + Uri.EscapeDataString("[" + string.Join(",", symbols.Select(s => "\"" + s.Value + "\"")) + "]");
        var timing = new ExchangeTiming();
        var info = await SendAsync(query, ExchangeInfoWeight, null, static body => BinanceJson.ParseExchangeInfo(body), cancellationToken, timing).ConfigureAwait(false);
        Configure(info, timing);
        // The first exchange of a client is slow (connection set-up, JIT), so its clock sample is coarse: take a few
        // cheap /time samples (weight 1) and keep the one with the shortest round trip.
        for (var i = 0; i < 3; i++) await GetServerTimeAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _configured, 1);
        return info;
    }

    private void Configure(BinanceExchangeInfo info, ExchangeTiming timing)
    {
        if (info.ServerTime > 0) Governor.SyncClock(info.ServerTime, timing.SentAt, timing.ReceivedAt);
        // The governor follows the window whose usage the server reports per answer (X-MBX-USED-WEIGHT-1M);
        // prefer the one-minute REQUEST_WEIGHT limit, else the tightest known weight window.
        BinanceRateLimit? chosen = null;
        foreach (var l in info.RateLimits)
        {
            if (l.Type != BinanceRateLimitType.RequestWeight || l.Window is null || l.Limit <= 0) continue;
            if (l.IntervalUnit == "MINUTE" && l.IntervalNum == 1) { chosen = l; break; }
            chosen ??= l;
        }
        if (chosen is not null) Governor.Configure(chosen);
    }

    public async Task<long> GetServerTimeAsync(CancellationToken cancellationToken = default)
    {
        var timing = new ExchangeTiming();
        var t = await SendAsync("api/v3/time", TimeWeight, null, static body => BinanceJson.ParseServerTime(body), cancellationToken, timing).ConfigureAwait(false);
        Governor.SyncClock(t, timing.SentAt, timing.ReceivedAt);
        return t;
    }

    public Task<CandleSeries> GetKlinesAsync(SymbolId symbol, Interval interval, long startTime, long endTime, int limit = 1000,
        CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(limit), limit, "Binance allows 1..1000 klines per request.");
        var name = LakeSafeInterval(interval);
        var query = string.Create(CultureInfo.InvariantCulture,
            $"api/v3/klines?symbol={symbol.Value}&interval={name}&startTime={startTime}&endTime={endTime}&limit={limit}");
        var stats = StatisticsFor(symbol);
        return SendAsync(query, KlinesWeight, stats, body =>
        {
            var series = new CandleSeries(symbol, interval, limit);
            BinanceJson.ParseKlines(body, series);
            stats.OnCandles(series.Count);
            Statistics.OnCandles(series.Count);
            return series;
        }, cancellationToken);
    }

    private static string LakeSafeInterval(Interval interval)
    {
        if (!Interval.TryParse(interval.Name, out _)) throw new InvalidIntervalException(interval.Name);
        return interval.Name;
    }

    public async IAsyncEnumerable<Candle> GetCandlesAsync(CandleRange range, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        var iv = range.Interval;
        _ = LakeSafeInterval(iv);
        if (Volatile.Read(ref _configured) == 0)
        {
            await GetExchangeInfoAsync([range.Symbol], cancellationToken).ConfigureAwait(false);
        }
        var first = iv.Floor(range.From);
        if (first < range.From) first = iv.Next(first);
        // Only closed candles: the one still open (and anything later) is left for a later run or the live stream.
        var to = Math.Min(range.To, iv.Floor(Governor.ServerNow()));
        if (first >= to) yield break;

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<CandleSeries>>();
        var next = first;
        var prefetch = _options.MaxConcurrentRequests;
        try
        {
            while (true)
            {
                while (pending.Count < prefetch && next < to)
                {
                    var end = Math.Min(iv.Add(next, _options.PageSize), to);
                    pending.Enqueue(FetchChunkAsync(range.Symbol, iv, next, end, cts.Token));
                    next = end;
                }
                if (pending.Count == 0) break;
                var page = await pending.Dequeue().ConfigureAwait(false);
                for (var i = 0; i < page.Count; i++) yield return page[i];
            }
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
            while (pending.Count > 0)
            {
                try { await pending.Dequeue().ConfigureAwait(false); }
                catch (Exception) { /* abandoned prefetch; the consumer stopped or failed already */ }
            }
        }
    }

    /// <summary>One page covering exactly the open times [start, end) (at most PageSize slots), validated.</summary>
    private async Task<CandleSeries> FetchChunkAsync(SymbolId symbol, Interval iv, long start, long end, CancellationToken ct)
    {
        var page = await GetKlinesAsync(symbol, iv, start, end - 1, _options.PageSize, ct).ConfigureAwait(false);
        var times = page.OpenTime;
        var ok = true;
        for (var i = 0; i < times.Length; i++)
        {
            if (times[i] < start || times[i] >= end || (i > 0 && times[i] <= times[i - 1]) || !iv.IsAligned(times[i])) { ok = false; break; }
        }
        if (ok) return page;
        var clean = new CandleSeries(symbol, iv, page.Count);
        var last = long.MinValue;
        for (var i = 0; i < page.Count; i++)
        {
            var c = page[i];
            if (c.OpenTime < start || c.OpenTime >= end) continue; // outside what was asked: ignore
            if (!iv.IsAligned(c.OpenTime) || c.OpenTime <= last)
            {
                throw new MalformedDataException($"{Name} klines {symbol} {iv.Name}", i,
                    $"open time {c.OpenTime} is misaligned or not increasing (previous {last})");
            }
            clean.Add(c);
            last = c.OpenTime;
        }
        return clean;
    }

    internal delegate T BodyParser<out T>(ReadOnlySpan<byte> body);

    /// <summary>When the (last) attempt of an exchange was sent and its headers arrived, local clock, Unix ms.</summary>
    internal sealed class ExchangeTiming
    {
        public long SentAt { get; set; }

        public long ReceivedAt { get; set; }
    }

    internal async Task<T> SendAsync<T>(string pathAndQuery, int weight, BinanceRequestStatistics? symbolStats, BodyParser<T> parse, CancellationToken ct,
        ExchangeTiming? timing = null)
    {
        var endpoint = pathAndQuery.Split('?', 2)[0];
        for (var waits = 0; ; waits++)
        {
            var context = ResilienceContextPool.Shared.Get(ct);
            context.Properties.Set(SymbolStatsKey, symbolStats);
            try
            {
                return await _pipeline.ExecuteAsync(
                    static async (ctx, state) => await state.Self.AttemptAsync(state.Path, state.Weight, state.Stats, state.Parse, ctx, state.Timing).ConfigureAwait(false),
                    context, (Self: this, Path: pathAndQuery, Weight: weight, Stats: symbolStats, Parse: parse, Timing: timing)).ConfigureAwait(false);
            }
            catch (RateLimitedException rl)
            {
                if (waits >= _options.MaxRateLimitWaits)
                {
                    throw new BinanceApiException(BinanceApiException.TooManyRequests,
                        $"still rate-limited after waiting {waits} times (last Retry-After {rl.RetryAfter})", rl.Status, endpoint);
                }
                // The governor is paused until Retry-After; the next attempt waits for it.
            }
            catch (Exception e) when (IsUnreachable(e, out var cause))
            {
                throw new BinanceUnreachableException(_base.GetLeftPart(UriPartial.Authority), context.Properties.GetValue(AttemptsKey, 1), cause);
            }
            catch (TransientBinanceException e) when (e.InnerException is OperationCanceledException)
            {
                throw new BinanceUnreachableException(_base.GetLeftPart(UriPartial.Authority), context.Properties.GetValue(AttemptsKey, 1), e);
            }
            catch (TransientBinanceException e)
            {
                throw new MarketAnalyticsException($"Binance {endpoint} kept failing after {_options.MaxRetries} retries: {e.Message}", e);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
    }

    /// <summary>After every retry nothing usable came back at all (refused, DNS, TLS, reset before an answer).</summary>
    private static bool IsUnreachable(Exception e, [NotNullWhen(true)] out Exception? cause)
    {
        cause = e as HttpRequestException;
        return cause is not null;
    }

    private async ValueTask<T> AttemptAsync<T>(string pathAndQuery, int weight, BinanceRequestStatistics? symbolStats, BodyParser<T> parse, ResilienceContext ctx,
        ExchangeTiming? timing)
    {
        var ct = ctx.CancellationToken;
        ctx.Properties.Set(AttemptsKey, ctx.Properties.GetValue(AttemptsKey, 0) + 1);
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var lease = await Governor.AcquireAsync(weight, ct).ConfigureAwait(false);
            Statistics.OnRequest(weight);
            symbolStats?.OnRequest(weight);
            // The timeout covers the HTTP exchange only, not the wait for weight (which can legitimately last a minute).
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            try
            {
                return await ExchangeAsync(pathAndQuery, symbolStats, parse, lease, timing, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new TransientBinanceException($"{pathAndQuery} timed out after {_options.RequestTimeout}", e);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<T> ExchangeAsync<T>(string pathAndQuery, BinanceRequestStatistics? symbolStats, BodyParser<T> parse, WeightGovernor.Lease lease,
        ExchangeTiming? timing, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            if (timing is not null) timing.SentAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
            response = await _http.GetAsync(new Uri(_base, pathAndQuery), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (timing is not null) timing.ReceivedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        }
        catch (HttpRequestException e)
        {
            // Whether the server counted it is unknown; count it to stay on the safe side.
            Governor.Complete(lease, null, reachedServer: e.HttpRequestError != HttpRequestError.ConnectionError);
            throw;
        }
        catch
        {
            Governor.Complete(lease, null, reachedServer: true);
            throw;
        }
        using (response)
        {
            long? used = null;
            if (response.Headers.TryGetValues(Governor.UsedWeightHeader, out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var u))
            {
                used = u;
                Statistics.OnUsedWeight(u);
            }
            Governor.Complete(lease, used, reachedServer: true);
            var status = (int)response.StatusCode;
            if (status is 429 or 418)
            {
                var retryAfter = RetryAfter(response) ?? TimeSpan.FromSeconds(status == 418 ? 120 : 60);
                Governor.Pause(retryAfter);
                Statistics.OnRateLimited(status);
                symbolStats?.OnRateLimited(status);
                throw new RateLimitedException(status, retryAfter);
            }
            using var body = new PooledBuffer((int)Math.Min(response.Content.Headers.ContentLength ?? 65_536, 16 << 20));
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                await body.FillAsync(stream, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new TransientBinanceException($"reading the answer of {pathAndQuery} failed: {e.Message}", e);
            }
            var expected = response.Content.Headers.ContentLength;
            if (expected is long len && len != body.Length)
                throw new TransientBinanceException($"answer of {pathAndQuery} was truncated ({body.Length} of {len} bytes)");
            if (status >= 500)
                throw new TransientBinanceException($"HTTP {status} from {pathAndQuery}");
            if (status >= 400)
            {
                var endpoint = pathAndQuery.Split('?', 2)[0];
                if (BinanceJson.TryParseError(body.Span, out var code, out var msg)) throw new BinanceApiException(code, msg, status, endpoint);
                if (status == 408) throw new TransientBinanceException($"HTTP 408 from {pathAndQuery}");
                throw new BinanceApiException(0, response.ReasonPhrase ?? "error", status, endpoint);
            }
            try
            {
                return parse(body.Span);
            }
            catch (JsonException e)
            {
                if (BinanceJson.TryParseError(body.Span, out var code, out var msg))
                    throw new BinanceApiException(code, msg, status, pathAndQuery.Split('?', 2)[0]);
                throw new TransientBinanceException($"invalid JSON from {pathAndQuery}: {e.Message}", e);
            }
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var ra = response.Headers.RetryAfter;
        if (ra?.Delta is TimeSpan d) return d < TimeSpan.Zero ? TimeSpan.Zero : d;
        if (ra?.Date is DateTimeOffset date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        _slots.Dispose();
    }
}
