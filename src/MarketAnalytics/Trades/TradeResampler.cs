namespace MarketAnalytics.Trades;

/// <summary>
/// Builds full 12-column candles from trades, as Binance's own klines: OHLC, base and quote volume, trade count and
/// taker-buy volumes; an interval without trades becomes a flat zero-volume candle at the previous close.
/// </summary>
/// <remarks>Streaming: call <see cref="Add"/> for trades in time order, then <see cref="Flush"/>. No allocation per trade.</remarks>
public sealed class TradeResampler
{
    private readonly CandleSeries _into;
    private readonly Interval _interval;
    private bool _open;
    private long _openTime, _count, _lastTradeTime = long.MinValue;
    private double _o, _h, _l, _c, _v, _q, _tb, _tq;
    private double _lastClose = double.NaN;

    /// <summary>Creates a resampler that appends candles to <paramref name="into"/> (its symbol and interval are used).</summary>
    public TradeResampler(CandleSeries into)
    {
        ArgumentNullException.ThrowIfNull(into);
        _into = into;
        _interval = into.Interval;
    }

    /// <summary>Resamples trades (in time order) into a new series.</summary>
    public static CandleSeries Resample(ReadOnlySpan<Trade> trades, SymbolId symbol, Interval interval)
    {
        var series = new CandleSeries(symbol, interval);
        var r = new TradeResampler(series);
        foreach (ref readonly var t in trades) r.Add(t);
        r.Flush();
        return series;
    }

    /// <summary>Reads a trade file (aggTrades archive or ccxt export) and resamples it.</summary>
    public static CandleSeries ResampleFile(string path, SymbolId symbol, Interval interval, out TradeReadResult read, TradeReadOptions? options = null)
    {
        read = TradeFileReader.ReadFile(path, options);
        return Resample(read.Trades, symbol, interval);
    }

    /// <summary>Adds the next trade; its time must not be earlier than the previous trade's.</summary>
    /// <exception cref="ArgumentException">The trade is out of time order, or its price/quantity is not a finite non-negative number.</exception>
    public void Add(in Trade trade)
    {
        if (trade.Time < _lastTradeTime)
            throw new ArgumentException($"Trade at {trade.Time} is earlier than the previous trade at {_lastTradeTime}; trades must be added in time order.", nameof(trade));
        if (!(trade.Price > 0) || !double.IsFinite(trade.Price) || !(trade.Quantity >= 0) || !double.IsFinite(trade.Quantity))
            throw new ArgumentException($"Trade at {trade.Time} has price {trade.Price} and quantity {trade.Quantity}; both must be finite, price > 0, quantity >= 0.", nameof(trade));
        _lastTradeTime = trade.Time;
        var ot = _interval.Floor(trade.Time);
        if (_open && ot != _openTime)
        {
            Emit();
            // Intervals without trades: flat zero-volume candles at the previous close.
            for (var t = _interval.Next(_openTime); t < ot; t = _interval.Next(t))
                _into.Add(new Candle(t, _lastClose, _lastClose, _lastClose, _lastClose, 0, _interval.CloseTime(t), 0, 0, 0, 0));
            _open = false;
        }
        if (!_open)
        {
            _open = true;
            _openTime = ot;
            _o = _h = _l = trade.Price;
            _v = _q = _tb = _tq = 0;
            _count = 0;
        }
        if (trade.Price > _h) _h = trade.Price;
        if (trade.Price < _l) _l = trade.Price;
        _c = trade.Price;
        _v += trade.Quantity;
        _q += trade.QuoteQuantity;
        _count += trade.TradeCount;
        if (trade.TakerIsBuyer)
        {
            _tb += trade.Quantity;
            _tq += trade.QuoteQuantity;
        }
    }

    /// <summary>Emits the candle in progress (call after the last trade).</summary>
    public void Flush()
    {
        if (!_open) return;
        Emit();
        _open = false;
    }

    /// <summary>Appends flat zero-volume candles at the last close up to (excluding) <paramref name="openTimeExclusive"/>.</summary>
    public void FillUntil(long openTimeExclusive)
    {
        Flush();
        if (_into.Count == 0) return;
        for (var t = _interval.Next(_into.OpenTime[^1]); t < openTimeExclusive; t = _interval.Next(t))
            _into.Add(new Candle(t, _lastClose, _lastClose, _lastClose, _lastClose, 0, _interval.CloseTime(t), 0, 0, 0, 0));
    }

    private void Emit()
    {
        _into.Add(new Candle(_openTime, _o, _h, _l, _c, _v, _interval.CloseTime(_openTime), _q, _count, _tb, _tq));
        _lastClose = _c;
    }
}
