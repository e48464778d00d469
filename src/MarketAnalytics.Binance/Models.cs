namespace MarketAnalytics.Binance;

/// <summary>Kind of a Binance rate limit; unknown values are kept, never rejected.</summary>
public enum BinanceRateLimitType
{
    /// <summary>A value this version does not know (see <see cref="BinanceRateLimit.RawType"/>).</summary>
    Unknown,
    /// <summary><c>REQUEST_WEIGHT</c>.</summary>
    RequestWeight,
    /// <summary><c>ORDERS</c>.</summary>
    Orders,
    /// <summary><c>RAW_REQUESTS</c>.</summary>
    RawRequests,
    /// <summary><c>CONNECTIONS</c> (seen on the live API, undocumented).</summary>
    Connections,
}

/// <summary>One entry of <c>exchangeInfo.rateLimits</c>.</summary>
/// <param name="Type">Parsed kind (<see cref="BinanceRateLimitType.Unknown"/> for new values).</param>
/// <param name="RawType">The text Binance sent, e.g. <c>REQUEST_WEIGHT</c>.</param>
/// <param name="IntervalUnit">The text of <c>interval</c>, e.g. <c>MINUTE</c>.</param>
/// <param name="IntervalNum">Number of interval units.</param>
/// <param name="Limit">The limit per window.</param>
public sealed record BinanceRateLimit(BinanceRateLimitType Type, string RawType, string IntervalUnit, int IntervalNum, int Limit)
{
    /// <summary>Window length, or null for an unknown interval unit.</summary>
    public TimeSpan? Window => IntervalUnit switch
    {
        "SECOND" => TimeSpan.FromSeconds(IntervalNum),
        "MINUTE" => TimeSpan.FromMinutes(IntervalNum),
        "HOUR" => TimeSpan.FromHours(IntervalNum),
        "DAY" => TimeSpan.FromDays(IntervalNum),
        _ => null,
    };

    /// <summary>The response header reporting usage of this window, e.g. <c>X-MBX-USED-WEIGHT-1M</c>; null when not a weight limit.</summary>
    public string? UsedWeightHeader => Type != BinanceRateLimitType.RequestWeight || IntervalUnit.Length == 0 ? null
        : $"X-MBX-USED-WEIGHT-{IntervalNum}{IntervalUnit[0]}";

    internal static BinanceRateLimitType ParseType(string raw) => raw switch
    {
        "REQUEST_WEIGHT" => BinanceRateLimitType.RequestWeight,
        "ORDERS" => BinanceRateLimitType.Orders,
        "RAW_REQUESTS" => BinanceRateLimitType.RawRequests,
        "CONNECTIONS" => BinanceRateLimitType.Connections,
        _ => BinanceRateLimitType.Unknown,
    };
}

/// <summary>One symbol of <c>exchangeInfo</c>.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Status">Trading status, e.g. <c>TRADING</c> or <c>BREAK</c> (kept as text: Binance adds values).</param>
/// <param name="BaseAsset">Base asset.</param>
/// <param name="QuoteAsset">Quote asset.</param>
public sealed record BinanceSymbolInfo(SymbolId Symbol, string Status, string BaseAsset, string QuoteAsset);

/// <summary>The parts of <c>GET /api/v3/exchangeInfo</c> this package uses.</summary>
/// <param name="ServerTime">Server time, Unix ms.</param>
/// <param name="RateLimits">Rate limits.</param>
/// <param name="Symbols">Symbols (those asked for, or all).</param>
public sealed record BinanceExchangeInfo(long ServerTime, IReadOnlyList<BinanceRateLimit> RateLimits, IReadOnlyList<BinanceSymbolInfo> Symbols);

/// <summary>Whether a streamed kline came from the socket or from the REST backfill of a gap.</summary>
public enum KlineOrigin
{
    /// <summary>Pushed by the WebSocket stream.</summary>
    Stream,
    /// <summary>Fetched over REST to fill a gap after a reconnect.</summary>
    Backfill,
}

/// <summary>A kline update from the live stream: an in-progress revision or a closed candle.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Interval">The interval.</param>
/// <param name="Candle">The candle (values so far when not closed).</param>
/// <param name="IsClosed">True when the candle is final (<c>x=true</c>).</param>
/// <param name="Origin">Socket or backfill.</param>
/// <param name="EventTime">Event time (Unix ms) of the socket message; for backfilled candles the close time.</param>
public readonly record struct KlineUpdate(SymbolId Symbol, Interval Interval, Candle Candle, bool IsClosed, KlineOrigin Origin, long EventTime);

/// <summary>A (symbol, interval) kline stream.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Interval">The interval.</param>
public readonly record struct KlineStreamKey(SymbolId Symbol, Interval Interval)
{
    /// <summary>Binance's stream name, e.g. <c>btcusdt@kline_1m</c>.</summary>
    public string StreamName => Symbol.Value.ToLowerInvariant() + "@kline_" + Interval.Name;
}
