namespace MarketAnalytics.Trades;

/// <summary>One executed (aggregate) trade: time, price, base and quote quantity, and which side was the taker.</summary>
/// <param name="Time">Execution time, Unix ms UTC.</param>
/// <param name="Price">Trade price in quote units.</param>
/// <param name="Quantity">Base-asset quantity.</param>
/// <param name="QuoteQuantity">Quote-asset quantity (price × quantity, or the value the source states).</param>
/// <param name="TakerIsBuyer">True when the taker bought (Binance <c>is_buyer_maker = False</c>, ccxt side <c>buy</c>).</param>
/// <param name="TradeCount">Number of raw trades this row stands for (aggTrades: last − first trade id + 1; otherwise 1).</param>
public readonly record struct Trade(long Time, double Price, double Quantity, double QuoteQuantity, bool TakerIsBuyer, long TradeCount);

/// <summary>Which trade file layout was read.</summary>
public enum TradeLayout
{
    /// <summary>data.binance.vision aggTrades CSV: <c>agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match</c> (header optional, ms or µs).</summary>
    BinanceAggTrades,

    /// <summary>ccxt trade export: <c>symbol,timestamp,datetime,side,price,amount,btc_volume</c> with a header (Pugoev data set).</summary>
    CcxtTrades,
}

/// <summary>How duplicate trade rows are treated while reading; the count removed is always reported.</summary>
public enum TradeDeduplication
{
    /// <summary>Keep every row as it is in the file.</summary>
    None,

    /// <summary>
    /// Drop rows that repeat an earlier row exactly: for aggTrades the same aggregate trade id; for ccxt exports a row
    /// identical in timestamp, side, price and amount to an earlier row of the same timestamp (page-boundary re-fetches).
    /// </summary>
    Exact,
}

/// <summary>Options for <see cref="TradeFileReader"/>.</summary>
public sealed class TradeReadOptions
{
    /// <summary>Duplicate handling; <see cref="TradeDeduplication.Exact"/> by default (the count removed is reported).</summary>
    public TradeDeduplication Deduplication { get; set; } = TradeDeduplication.Exact;
}

/// <summary>Trades read from a file plus what the reader found and did.</summary>
/// <param name="Source">File name or description.</param>
/// <param name="Layout">Detected layout.</param>
/// <param name="Trades">Trades in time order (stable-sorted if the file was not).</param>
/// <param name="Rows">Data rows in the file (excluding any header).</param>
/// <param name="DuplicatesRemoved">Rows dropped as exact duplicates (see <see cref="TradeDeduplication"/>).</param>
/// <param name="OutOfOrderRows">Rows whose time was earlier than the previous row's (the result was stable-sorted).</param>
/// <param name="Microseconds">True when the file's timestamps were microseconds (converted to ms, sub-ms part dropped).</param>
/// <param name="SymbolText">Symbol stated in the file (ccxt layout, e.g. <c>NAS/BTC</c>), else null.</param>
public sealed record TradeReadResult(string Source, TradeLayout Layout, Trade[] Trades, long Rows, long DuplicatesRemoved,
    long OutOfOrderRows, bool Microseconds, string? SymbolText)
{
    /// <summary>The stated symbol as a <see cref="SymbolId"/> (slash removed), when the file states a valid one.</summary>
    public SymbolId? Symbol => SymbolText is not null && SymbolId.TryParse(SymbolText.Replace("/", string.Empty, StringComparison.Ordinal), out var s) ? s : null;
}
