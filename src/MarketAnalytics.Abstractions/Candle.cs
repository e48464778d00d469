namespace MarketAnalytics;

/// <summary>One kline: the 11 meaningful fields of Binance's 12-column candle. Times are Unix milliseconds, UTC.</summary>
/// <param name="OpenTime">Open time, Unix ms UTC; identifies the candle.</param>
/// <param name="Open">First trade price.</param>
/// <param name="High">Highest trade price.</param>
/// <param name="Low">Lowest trade price.</param>
/// <param name="Close">Last trade price.</param>
/// <param name="Volume">Base-asset volume.</param>
/// <param name="CloseTime">Close time, Unix ms UTC (Binance: next open − 1 ms).</param>
/// <param name="QuoteVolume">Quote-asset volume (Σ price × quantity); NaN when the source lacks it.</param>
/// <param name="TradeCount">Number of trades; −1 when the source lacks it.</param>
/// <param name="TakerBuyBaseVolume">Base volume bought by takers; NaN when unknown.</param>
/// <param name="TakerBuyQuoteVolume">Quote volume bought by takers; NaN when unknown.</param>
public readonly record struct Candle(
    long OpenTime,
    double Open,
    double High,
    double Low,
    double Close,
    double Volume,
    long CloseTime,
    double QuoteVolume,
    long TradeCount,
    double TakerBuyBaseVolume,
    double TakerBuyQuoteVolume)
{
    /// <summary>Creates a candle from OHLCV only (freqtrade layout); the other fields are marked unknown.</summary>
    public static Candle FromOhlcv(long openTime, double open, double high, double low, double close, double volume, long closeTime) =>
        new(openTime, open, high, low, close, volume, closeTime, double.NaN, -1, double.NaN, double.NaN);

    /// <summary>Open time as a UTC <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset OpenTimeUtc => DateTimeOffset.FromUnixTimeMilliseconds(OpenTime);

    /// <summary>Close time as a UTC <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset CloseTimeUtc => DateTimeOffset.FromUnixTimeMilliseconds(CloseTime);
}
