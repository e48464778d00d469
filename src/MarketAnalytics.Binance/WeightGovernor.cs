namespace MarketAnalytics.Binance;

/// <summary>
/// Keeps request weight under the server's limit, driven by what the server reports.
/// </summary>
/// <remarks>
/// <para>Binance counts weight per IP in fixed windows (one minute for <c>REQUEST_WEIGHT</c>) and reports the
/// running total of the current window in <c>X-MBX-USED-WEIGHT-1M</c> on every answer. The governor keeps, per
/// window, the highest total the server reported plus the weight of requests still in flight, and admits a request
/// only when that sum plus its own weight stays within <c>limit × budget fraction</c>. The limit and window come
/// from <c>exchangeInfo.rateLimits</c>; the window boundaries follow the server clock (offset measured from
/// <c>serverTime</c>), with a guard of 1 % of the window after each boundary for the remaining clock error.</para>
/// <para>A 429 or 418 pauses every request of this client until its <c>Retry-After</c> has passed, so after the first
/// rate-limit answer nothing more is sent; that is what prevents the escalation to a 418 IP ban.</para>
/// </remarks>
internal sealed class WeightGovernor
{
    private readonly TimeProvider _time;
    private readonly double _fraction;
    private readonly Lock _gate = new();
    private int _limit;
    private long _windowMs = 60_000;
    private long _offsetMs;
    private long _window = long.MinValue;
    private long _used;
    private long _inflight;
    private long _pauseUntil;
    private long _lastWindowUsed;
    private long _bestRtt = -1, _bestRttAt;

    public WeightGovernor(TimeProvider time, int limit, double fraction)
    {
        _time = time;
        _limit = limit;
        _fraction = fraction;
    }

    public int Limit { get { lock (_gate) return _limit; } }

    public TimeSpan Window { get { lock (_gate) return TimeSpan.FromMilliseconds(_windowMs); } }

    public string UsedWeightHeader { get; private set; } = "X-MBX-USED-WEIGHT-1M";

    /// <summary>Weight this client may use per window.</summary>
    public long Budget { get { lock (_gate) return (long)(_limit * _fraction); } }

    public void Configure(BinanceRateLimit weightLimit)
    {
        var window = weightLimit.Window;
        if (weightLimit.Type != BinanceRateLimitType.RequestWeight || window is null || weightLimit.Limit <= 0) return;
        lock (_gate)
        {
            _limit = weightLimit.Limit;
            _windowMs = (long)window.Value.TotalMilliseconds;
            UsedWeightHeader = weightLimit.UsedWeightHeader ?? UsedWeightHeader;
        }
    }

    /// <summary>Records a server clock sample read between <paramref name="sentAt"/> and <paramref name="receivedAt"/> (local ms).</summary>
    /// <remarks>The sample with the shortest round trip bounds the offset error best; it is kept unless it is older than 15 minutes.</remarks>
    public void SyncClock(long serverTimeMs, long sentAt, long receivedAt)
    {
        if (receivedAt < sentAt) return;
        var rtt = receivedAt - sentAt;
        lock (_gate)
        {
            if (_bestRtt >= 0 && rtt > _bestRtt && receivedAt - _bestRttAt < 15 * 60_000) return;
            _bestRtt = rtt;
            _bestRttAt = receivedAt;
            _offsetMs = serverTimeMs - (sentAt + receivedAt) / 2;
        }
    }

    public long ServerNow() => _time.GetUtcNow().ToUnixTimeMilliseconds() + Volatile.Read(ref _offsetMs);

    /// <summary>Waits until <paramref name="weight"/> fits into the current window, then reserves it.</summary>
    public async ValueTask<Lease> AcquireAsync(int weight, CancellationToken ct)
    {
        while (true)
        {
            long waitMs;
            lock (_gate)
            {
                var now = _time.GetUtcNow().ToUnixTimeMilliseconds() + _offsetMs;
                if (now < _pauseUntil)
                {
                    waitMs = _pauseUntil - now;
                }
                else
                {
                    Roll(now);
                    var budget = (long)(_limit * _fraction);
                    var guard = Math.Max(1, _windowMs / 100);
                    var intoWindow = now - _window * _windowMs;
                    // Right after a boundary the server's window may not have rolled yet (clock error): hold back briefly
                    // unless the previous window left room anyway.
                    if (_used + _inflight + weight <= budget && (intoWindow >= guard || _used + _inflight + weight <= budget - _lastWindowUsed))
                    {
                        _inflight += weight;
                        return new Lease(this, weight, _window);
                    }
                    waitMs = intoWindow < guard && _used + _inflight + weight <= budget
                        ? guard - intoWindow
                        : (_window + 1) * _windowMs + guard - now;
                    WaitCount++;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, waitMs)), _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Times a request had to wait for room (for diagnostics).</summary>
    public long WaitCount { get; private set; }

    private void Roll(long now)
    {
        var w = now / _windowMs;
        if (w <= _window) return;
        _lastWindowUsed = w == _window + 1 ? _used : 0;
        _window = w;
        _used = 0;
    }

    /// <summary>Releases a reservation; <paramref name="usedWeight"/> is the server's header value, if any.</summary>
    public void Complete(Lease lease, long? usedWeight, bool reachedServer)
    {
        lock (_gate)
        {
            _inflight -= lease.Weight;
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds() + _offsetMs;
            Roll(now);
            if (lease.Window < _window)
            {
                // Sent before the boundary, answered after it: the server may have counted it in either window and
                // its header cannot say which, so charge it to the current one (at most concurrency x weight).
                if (reachedServer && lease.Window == _window - 1) _used += lease.Weight;
                return;
            }
            if (usedWeight is long h) _used = Math.Max(_used, h);
            else if (reachedServer) _used += lease.Weight; // no header: count it ourselves
        }
    }

    /// <summary>Stops every request until <paramref name="retryAfter"/> has passed (429/418).</summary>
    public void Pause(TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var until = _time.GetUtcNow().ToUnixTimeMilliseconds() + _offsetMs + (long)Math.Ceiling(retryAfter.TotalMilliseconds);
            if (until > _pauseUntil) _pauseUntil = until;
            // Whatever we believed, the server says the window is full.
            _used = Math.Max(_used, _limit);
        }
    }

    internal readonly record struct Lease(WeightGovernor Owner, int Weight, long Window);
}
