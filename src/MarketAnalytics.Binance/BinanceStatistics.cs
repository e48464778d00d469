namespace MarketAnalytics.Binance;

/// <summary>Counters of a REST client (all symbols, or one symbol); safe to read while requests run.</summary>
public sealed class BinanceRequestStatistics
{
    private long _requests, _retries, _rateLimited, _banned, _weight, _candles, _maxUsedWeight;

    /// <summary>HTTP requests sent (including retries).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Attempts repeated after a transient failure.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>429 answers received.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>418 (IP ban) answers received; the governor exists to keep this at zero.</summary>
    public long Banned => Interlocked.Read(ref _banned);

    /// <summary>Request weight spent (by Binance's weights).</summary>
    public long Weight => Interlocked.Read(ref _weight);

    /// <summary>Candles received.</summary>
    public long Candles => Interlocked.Read(ref _candles);

    /// <summary>Highest <c>X-MBX-USED-WEIGHT-1M</c> seen.</summary>
    public long MaxUsedWeight => Interlocked.Read(ref _maxUsedWeight);

    internal void OnRequest(int weight)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _weight, weight);
    }

    internal void OnRetry() => Interlocked.Increment(ref _retries);

    internal void OnRateLimited(int status)
    {
        if (status == 418) Interlocked.Increment(ref _banned);
        else Interlocked.Increment(ref _rateLimited);
    }

    internal void OnCandles(int n) => Interlocked.Add(ref _candles, n);

    internal void OnUsedWeight(long used)
    {
        var seen = Interlocked.Read(ref _maxUsedWeight);
        while (used > seen)
        {
            var prior = Interlocked.CompareExchange(ref _maxUsedWeight, used, seen);
            if (prior == seen) break;
            seen = prior;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"requests {Requests}, retries {Retries}, 429s {RateLimited}, 418s {Banned}, weight {Weight}, candles {Candles}";
}
