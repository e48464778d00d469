namespace MarketAnalytics.Binance;

/// <summary>Binance spot market-data REST client; as an <see cref="IMarketDataSource"/> it paginates any range. Dispose it when created with <see cref="BinanceMarketData"/>.</summary>
public interface IBinanceClient : IMarketDataSource, IDisposable
{
    /// <summary>Counters over every request of this client.</summary>
    BinanceRequestStatistics Statistics { get; }

    /// <summary>Counters of the requests made for one symbol.</summary>
    BinanceRequestStatistics StatisticsFor(SymbolId symbol);

    /// <summary>The request-weight limit and window in force (from <c>exchangeInfo</c> once read).</summary>
    (int Limit, TimeSpan Window) WeightLimit { get; }

    /// <summary><c>GET /api/v3/exchangeInfo</c> for <paramref name="symbols"/> (weight 20); also configures the weight governor and clock offset.</summary>
    /// <exception cref="BinanceApiException">Binance rejected a symbol (code -1121) or the request.</exception>
    Task<BinanceExchangeInfo> GetExchangeInfoAsync(IReadOnlyCollection<SymbolId> symbols, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v3/time</c> (weight 1): server time, Unix ms.</summary>
    Task<long> GetServerTimeAsync(CancellationToken cancellationToken = default);

    /// <summary>One <c>GET /api/v3/klines</c> page (weight 2): candles with open time in [<paramref name="startTime"/>, <paramref name="endTime"/>], at most <paramref name="limit"/>.</summary>
    Task<CandleSeries> GetKlinesAsync(SymbolId symbol, Interval interval, long startTime, long endTime, int limit = 1000,
        CancellationToken cancellationToken = default);
}
