namespace MarketAnalytics;

/// <summary>The numeric columns of a <see cref="CandleSeries"/>.</summary>
public enum CandleColumn
{
    /// <summary>Open price.</summary>
    Open,
    /// <summary>High price.</summary>
    High,
    /// <summary>Low price.</summary>
    Low,
    /// <summary>Close price.</summary>
    Close,
    /// <summary>Base volume.</summary>
    Volume,
    /// <summary>Quote volume.</summary>
    QuoteVolume,
    /// <summary>Taker-buy base volume.</summary>
    TakerBuyBaseVolume,
    /// <summary>Taker-buy quote volume.</summary>
    TakerBuyQuoteVolume,
}

/// <summary>A columnar (struct-of-arrays) series of candles for one symbol and interval; the kernels' input.</summary>
/// <remarks>
/// Appending grows the columns geometrically, so building a series costs no allocation per candle.
/// Candles are kept in the order they are added; readers and stores add them in open-time order.
/// Not thread-safe for concurrent writers.
/// </remarks>
public sealed class CandleSeries
{
    private long[] _openTime, _closeTime, _trades;
    private double[] _open, _high, _low, _close, _volume, _quoteVolume, _takerBase, _takerQuote;

    /// <summary>Creates an empty series.</summary>
    public CandleSeries(SymbolId symbol, Interval interval, int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Symbol = symbol;
        Interval = interval;
        _openTime = new long[capacity];
        _closeTime = new long[capacity];
        _trades = new long[capacity];
        _open = new double[capacity];
        _high = new double[capacity];
        _low = new double[capacity];
        _close = new double[capacity];
        _volume = new double[capacity];
        _quoteVolume = new double[capacity];
        _takerBase = new double[capacity];
        _takerQuote = new double[capacity];
    }

    /// <summary>Creates a series holding <paramref name="candles"/> in the given order.</summary>
    public static CandleSeries From(SymbolId symbol, Interval interval, IEnumerable<Candle> candles)
    {
        var series = new CandleSeries(symbol, interval, candles.TryGetNonEnumeratedCount(out var n) ? n : 0);
        foreach (var c in candles) series.Add(c);
        return series;
    }

    /// <summary>The symbol.</summary>
    public SymbolId Symbol { get; }

    /// <summary>The candle interval.</summary>
    public Interval Interval { get; }

    /// <summary>Number of candles.</summary>
    public int Count { get; private set; }

    /// <summary>Open times, Unix ms UTC.</summary>
    public ReadOnlySpan<long> OpenTime => _openTime.AsSpan(0, Count);
    /// <summary>Close times, Unix ms UTC.</summary>
    public ReadOnlySpan<long> CloseTime => _closeTime.AsSpan(0, Count);
    /// <summary>Trade counts (−1 where unknown).</summary>
    public ReadOnlySpan<long> TradeCount => _trades.AsSpan(0, Count);
    /// <summary>Open prices.</summary>
    public ReadOnlySpan<double> Open => _open.AsSpan(0, Count);
    /// <summary>High prices.</summary>
    public ReadOnlySpan<double> High => _high.AsSpan(0, Count);
    /// <summary>Low prices.</summary>
    public ReadOnlySpan<double> Low => _low.AsSpan(0, Count);
    /// <summary>Close prices.</summary>
    public ReadOnlySpan<double> Close => _close.AsSpan(0, Count);
    /// <summary>Base volumes.</summary>
    public ReadOnlySpan<double> Volume => _volume.AsSpan(0, Count);
    /// <summary>Quote volumes (NaN where unknown).</summary>
    public ReadOnlySpan<double> QuoteVolume => _quoteVolume.AsSpan(0, Count);
    /// <summary>Taker-buy base volumes (NaN where unknown).</summary>
    public ReadOnlySpan<double> TakerBuyBaseVolume => _takerBase.AsSpan(0, Count);
    /// <summary>Taker-buy quote volumes (NaN where unknown).</summary>
    public ReadOnlySpan<double> TakerBuyQuoteVolume => _takerQuote.AsSpan(0, Count);

    /// <summary>A numeric column by name.</summary>
    public ReadOnlySpan<double> Column(CandleColumn column) => ColumnMemory(column).Span;

    /// <summary>A numeric column as memory (for asynchronous writers).</summary>
    public ReadOnlyMemory<double> ColumnMemory(CandleColumn column) => column switch
    {
        CandleColumn.Open => _open.AsMemory(0, Count),
        CandleColumn.High => _high.AsMemory(0, Count),
        CandleColumn.Low => _low.AsMemory(0, Count),
        CandleColumn.Close => _close.AsMemory(0, Count),
        CandleColumn.Volume => _volume.AsMemory(0, Count),
        CandleColumn.QuoteVolume => _quoteVolume.AsMemory(0, Count),
        CandleColumn.TakerBuyBaseVolume => _takerBase.AsMemory(0, Count),
        CandleColumn.TakerBuyQuoteVolume => _takerQuote.AsMemory(0, Count),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "Unknown candle column."),
    };

    /// <summary>Open times as memory (for asynchronous writers).</summary>
    public ReadOnlyMemory<long> OpenTimeMemory => _openTime.AsMemory(0, Count);
    /// <summary>Close times as memory.</summary>
    public ReadOnlyMemory<long> CloseTimeMemory => _closeTime.AsMemory(0, Count);
    /// <summary>Trade counts as memory.</summary>
    public ReadOnlyMemory<long> TradeCountMemory => _trades.AsMemory(0, Count);

    /// <summary>The candle at <paramref name="index"/>.</summary>
    public Candle this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The series has {Count} candles.");
            return new Candle(_openTime[index], _open[index], _high[index], _low[index], _close[index], _volume[index],
                _closeTime[index], _quoteVolume[index], _trades[index], _takerBase[index], _takerQuote[index]);
        }
    }

    /// <summary>Appends one candle.</summary>
    public void Add(in Candle c)
    {
        if (Count == _open.Length) Grow(Count + 1);
        var i = Count;
        _openTime[i] = c.OpenTime;
        _open[i] = c.Open;
        _high[i] = c.High;
        _low[i] = c.Low;
        _close[i] = c.Close;
        _volume[i] = c.Volume;
        _closeTime[i] = c.CloseTime;
        _quoteVolume[i] = c.QuoteVolume;
        _trades[i] = c.TradeCount;
        _takerBase[i] = c.TakerBuyBaseVolume;
        _takerQuote[i] = c.TakerBuyQuoteVolume;
        Count = i + 1;
    }

    /// <summary>Replaces the last candle (e.g. a revision of a still-open candle).</summary>
    public void ReplaceLast(in Candle c)
    {
        if (Count == 0) throw new InvalidOperationException("The series is empty; there is no last candle to replace.");
        Count--;
        Add(c);
    }

    /// <summary>Removes every candle, keeping the capacity.</summary>
    public void Clear() => Count = 0;

    /// <summary>Makes room for at least <paramref name="capacity"/> candles.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity > _open.Length) Grow(capacity);
    }

    /// <summary>Enumerates the candles as row structs.</summary>
    public IEnumerable<Candle> AsCandles()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    private void Grow(int min)
    {
        var size = Math.Max(min, Math.Max(16, _open.Length * 2));
        Array.Resize(ref _openTime, size);
        Array.Resize(ref _closeTime, size);
        Array.Resize(ref _trades, size);
        Array.Resize(ref _open, size);
        Array.Resize(ref _high, size);
        Array.Resize(ref _low, size);
        Array.Resize(ref _close, size);
        Array.Resize(ref _volume, size);
        Array.Resize(ref _quoteVolume, size);
        Array.Resize(ref _takerBase, size);
        Array.Resize(ref _takerQuote, size);
    }
}
