namespace MarketAnalytics.Detectors;

/// <summary><c>gap</c>: missing candles between consecutive open times (one anomaly per gap, score = candles missing).</summary>
internal sealed class GapDetector : DetectorBase
{
    public override string Name => AnomalyKinds.Gap;

    public override IDetectorStream CreateStream(SymbolId symbol, Interval interval) => new Stream(symbol, interval);

    private sealed class Stream(SymbolId symbol, Interval interval) : OrderedStream(symbol, interval)
    {
        private long _prev = long.MinValue;

        protected override void OnCandle(in Candle c, ICollection<Anomaly> sink)
        {
            if (_prev != long.MinValue)
            {
                var expected = Interval.Next(_prev);
                if (c.OpenTime > expected)
                {
                    var missing = Interval.CountBetween(expected, c.OpenTime);
                    sink.Add(new Anomaly(Symbol, c.OpenTime, AnomalyKinds.Gap, missing, Fmt.Severity(missing, 2, 10, 60),
                        $"{missing} {Interval.Name} candle(s) missing: expected open {Fmt.Time(expected)} after {Fmt.Time(_prev)}, next candle opens {Fmt.Time(c.OpenTime)} (threshold: any missing candle)"));
                }
            }
            _prev = c.OpenTime;
        }
    }
}

/// <summary>
/// <c>stale_price</c>: a run of flat candles (high = low = close = previous close) longer than the per-symbol
/// threshold max(min run, median + 6 × 1.4826 × MAD of the last completed run lengths); one alert per run.
/// </summary>
internal sealed class StalePriceDetector(int minRun = 30, int history = 100) : DetectorBase
{
    private readonly int minRun = minRun;
    private readonly int history = history;

    public override string Name => AnomalyKinds.StalePrice;

    public override IDetectorStream CreateStream(SymbolId symbol, Interval interval) => new Stream(this, symbol, interval);

    private sealed class Stream(StalePriceDetector d, SymbolId symbol, Interval interval) : OrderedStream(symbol, interval)
    {
        private readonly RollingMedianMad _runs = new(d.history);
        private double _prevClose = double.NaN;
        private int _run, _zeroVolume;
        private long _runStart;
        private bool _reported;

        protected override void OnCandle(in Candle c, ICollection<Anomaly> sink)
        {
            var flat = c.High == c.Low && c.Close == c.High && c.Close == _prevClose;
            if (flat)
            {
                if (_run == 0) { _runStart = c.OpenTime; _zeroVolume = 0; }
                _run++;
                if (c.Volume == 0) _zeroVolume++;
                var adaptive = _runs.Count >= 10 ? _runs.Median + 6 * 1.4826 * _runs.Mad : 0;
                var threshold = Math.Max(d.minRun, (int)Math.Ceiling(adaptive));
                if (!_reported && _run >= threshold)
                {
                    _reported = true;
                    var score = _run / (double)threshold;
                    sink.Add(new Anomaly(Symbol, c.OpenTime, AnomalyKinds.StalePrice, score, Fmt.Severity(score, 1, 2, 4),
                        $"price {Fmt.N(c.Close, 8)} unchanged (high = low = close) for {_run} candles since {Fmt.Time(_runStart)} ({_zeroVolume} with zero volume); threshold {threshold} = " + (_runs.Count >= 10 ? $"max({d.minRun}, median {Fmt.N(_runs.Median)} + 6 x 1.4826 x MAD {Fmt.N(_runs.Mad)} of the last {_runs.Count} flat-run lengths)" : $"the minimum run {d.minRun} (fewer than 10 earlier flat runs to adapt to)")));
                }
            }
            else
            {
                if (_run > 0) _runs.Add(_run);
                _run = 0;
                _reported = false;
            }
            _prevClose = c.Close;
        }
    }
}

/// <summary>
/// <c>bad_tick</c>: candles that cannot be right (NaN/∞/non-positive prices, negative volumes, high below
/// max(open, close), low above min(open, close), taker-buy volume above volume, close time not the interval's) and
/// isolated wick prints: a wick at least max(min wick, z × robust σ of wicks) beyond the body on no more than the
/// median volume.
/// </summary>
internal sealed class BadTickDetector(int window = 240, double wickZ = 12, double minWick = 0.05) : DetectorBase
{
    private readonly int window = window;
    private readonly double wickZ = wickZ;
    private readonly double minWick = minWick;

    public override string Name => AnomalyKinds.BadTick;

    public override IDetectorStream CreateStream(SymbolId symbol, Interval interval) => new Stream(this, symbol, interval);

    /// <summary>The reason a candle is internally inconsistent, or null.</summary>
    internal static string? Inconsistency(in Candle c, Interval interval)
    {
        if (!double.IsFinite(c.Open) || !double.IsFinite(c.High) || !double.IsFinite(c.Low) || !double.IsFinite(c.Close))
            return $"non-finite price (open {Fmt.N(c.Open)}, high {Fmt.N(c.High)}, low {Fmt.N(c.Low)}, close {Fmt.N(c.Close)}); threshold: finite prices";
        if (c.Open <= 0 || c.High <= 0 || c.Low <= 0 || c.Close <= 0)
            return $"non-positive price (open {Fmt.N(c.Open)}, high {Fmt.N(c.High)}, low {Fmt.N(c.Low)}, close {Fmt.N(c.Close)}); threshold: prices > 0";
        if (!(c.Volume >= 0) || !double.IsFinite(c.Volume))
            return $"volume {Fmt.N(c.Volume)} is negative or not a number; threshold: volume >= 0";
        if (c.QuoteVolume < 0 || c.TakerBuyBaseVolume < 0 || c.TakerBuyQuoteVolume < 0)
            return $"negative quote/taker volume (quote {Fmt.N(c.QuoteVolume)}, taker base {Fmt.N(c.TakerBuyBaseVolume)}, taker quote {Fmt.N(c.TakerBuyQuoteVolume)}); threshold: volumes >= 0";
        if (c.High < Math.Max(c.Open, c.Close) || c.Low > Math.Min(c.Open, c.Close) || c.High < c.Low)
            return $"OHLC inconsistent: high {Fmt.N(c.High, 10)}, low {Fmt.N(c.Low, 10)} vs open {Fmt.N(c.Open, 10)}, close {Fmt.N(c.Close, 10)} (threshold: high >= max(open, close) >= min(open, close) >= low)";
        if (c.TakerBuyBaseVolume > c.Volume * (1 + 1e-9) + 1e-12)
            return $"taker-buy volume {Fmt.N(c.TakerBuyBaseVolume, 10)} exceeds volume {Fmt.N(c.Volume, 10)}; threshold: taker-buy <= volume";
        if (c.TradeCount == 0 && c.Volume > 0)
            return $"volume {Fmt.N(c.Volume)} with 0 trades; threshold: volume > 0 needs trades > 0";
        if (interval.FixedMilliseconds is not null && c.CloseTime != interval.CloseTime(c.OpenTime))
            return $"close time {c.CloseTime} is not open time + {interval.Name} - 1 ms ({interval.CloseTime(c.OpenTime)}): truncated or misaligned candle; threshold: exact close time";
        return null;
    }

    private sealed class Stream(BadTickDetector d, SymbolId symbol, Interval interval) : OrderedStream(symbol, interval)
    {
        // Queried only for wicks past the absolute floor (rare): lazy windows, O(1) per candle otherwise.
        private readonly RollingMedianMad _wicks = new(d.window, lazy: true);
        private readonly RollingMedianMad _volume = new(d.window, lazy: true);

        protected override void OnCandle(in Candle c, ICollection<Anomaly> sink)
        {
            var problem = Inconsistency(c, Interval);
            if (problem is not null)
            {
                sink.Add(new Anomaly(Symbol, c.OpenTime, AnomalyKinds.BadTick, 1, AnomalySeverity.High, problem));
                return;
            }
            var top = Math.Max(c.Open, c.Close);
            var bottom = Math.Min(c.Open, c.Close);
            var upRatio = c.High / top;
            var downRatio = bottom / c.Low;
            var isUp = upRatio >= downRatio;
            var wick = Math.Log(isUp ? upRatio : downRatio); // one logarithm per candle
            if (_wicks.Count >= d.window / 2)
            {
                var floor = Math.Log(1 + d.minWick);
                // Window statistics only past the absolute floor (rare): O(1) per candle otherwise.
                var threshold = wick >= floor ? Math.Max(floor, _wicks.Median + d.wickZ * 1.4826 * _wicks.Mad) : double.PositiveInfinity;
                var medVolume = wick >= threshold ? _volume.Median : double.NaN;
                if (wick >= threshold && c.Volume <= medVolume)
                {
                    var score = wick / threshold;
                    sink.Add(new Anomaly(Symbol, c.OpenTime, AnomalyKinds.BadTick, score, Fmt.Severity(score, 1, 2, 4),
                        $"isolated {(isUp ? "high" : "low")} print {Fmt.N(isUp ? c.High : c.Low, 8)}: wick {Fmt.Pct(Math.Exp(wick) - 1)} beyond the body >= threshold {Fmt.Pct(Math.Exp(threshold) - 1)} (max({Fmt.Pct(d.minWick)}, median + {Fmt.N(d.wickZ)} x robust sigma of the last {_wicks.Count} wicks) on volume {Fmt.N(c.Volume)} <= median volume {Fmt.N(medVolume)}"));
                }
            }
            _wicks.Add(wick);
            _volume.Add(c.Volume);
        }
    }
}

/// <summary>
/// Remembers the open times of the last <c>capacity</c> interval steps (bounded memory) to tell duplicates from
/// out-of-order candles: a ring bitmap indexed by open time / interval, O(1) per candle without hashing; open times
/// off the interval grid (or intervals without a fixed length) go to a hash set.
/// </summary>
internal sealed class RecentOpenTimes
{
    private readonly long _step;
    private readonly int _capacity;
    private readonly ulong[] _bits;
    private readonly HashSet<long> _offGrid = [];
    private readonly Queue<long> _offGridOrder = new();
    private long _maxIdx = long.MinValue;

    public RecentOpenTimes(Interval interval, int capacity = 1 << 17)
    {
        if (capacity < 64 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be a power of two >= 64");
        _step = interval.FixedMilliseconds ?? 0;
        _capacity = capacity;
        _bits = _step > 0 ? new ulong[capacity / 64] : [];
    }

    public long Max { get; private set; } = long.MinValue;

    public bool Contains(long t)
    {
        if (!TryIndex(t, out var idx)) return _offGrid.Contains(t);
        if (_maxIdx == long.MinValue || idx > _maxIdx || idx <= _maxIdx - _capacity) return false;
        var slot = (int)(idx & (_capacity - 1));
        return (_bits[slot >> 6] & (1UL << (slot & 63))) != 0;
    }

    public void Add(long t)
    {
        if (t > Max) Max = t;
        if (!TryIndex(t, out var idx))
        {
            if (!_offGrid.Add(t)) return;
            _offGridOrder.Enqueue(t);
            if (_offGridOrder.Count > _capacity) _offGrid.Remove(_offGridOrder.Dequeue());
            return;
        }
        if (_maxIdx == long.MinValue) _maxIdx = idx;
        else if (idx > _maxIdx)
        {
            // Slots between the old and new maximum now stand for new (unseen) times: clear them.
            if (idx - _maxIdx >= _capacity) Array.Clear(_bits);
            else for (var k = _maxIdx + 1; k < idx; k++) Clear(k);
            Clear(idx);
            _maxIdx = idx;
        }
        else if (idx <= _maxIdx - _capacity) return; // older than the remembered window
        var slot = (int)(idx & (_capacity - 1));
        _bits[slot >> 6] |= 1UL << (slot & 63);
    }

    private void Clear(long idx)
    {
        var slot = (int)(idx & (_capacity - 1));
        _bits[slot >> 6] &= ~(1UL << (slot & 63));
    }

    private bool TryIndex(long t, out long idx)
    {
        idx = 0;
        if (_step <= 0 || t % _step != 0) return false;
        idx = t / _step;
        return true;
    }
}

/// <summary><c>duplicate</c>: a candle whose open time was already seen (within the last 131 072 interval steps).</summary>
internal sealed class DuplicateDetector : DetectorBase
{
    public override string Name => AnomalyKinds.Duplicate;

    public override IDetectorStream CreateStream(SymbolId symbol, Interval interval) => new Stream(symbol, interval);

    private sealed class Stream(SymbolId symbol, Interval interval) : IDetectorStream
    {
        private readonly RecentOpenTimes _seen = new(interval);
        private Candle _last;

        public void Update(in Candle candle, ICollection<Anomaly> sink)
        {
            if (_seen.Contains(candle.OpenTime))
            {
                var same = candle.OpenTime == _last.OpenTime && candle == _last;
                sink.Add(new Anomaly(symbol, candle.OpenTime, AnomalyKinds.Duplicate, 1, same ? AnomalySeverity.Low : AnomalySeverity.Medium,
                    $"open time {Fmt.Time(candle.OpenTime)} ({candle.OpenTime}) was already seen{(same ? " (identical to the previous candle)" : " with different values")}; threshold: any repeated open time"));
                return;
            }
            _seen.Add(candle.OpenTime);
            _last = candle;
        }
    }
}

/// <summary><c>out_of_order</c>: a candle whose open time is earlier than the latest open time seen (and not a duplicate).</summary>
internal sealed class OutOfOrderDetector : DetectorBase
{
    public override string Name => AnomalyKinds.OutOfOrder;

    public override IDetectorStream CreateStream(SymbolId symbol, Interval interval) => new Stream(symbol, interval);

    private sealed class Stream(SymbolId symbol, Interval interval) : IDetectorStream
    {
        private readonly RecentOpenTimes _seen = new(interval);

        public void Update(in Candle candle, ICollection<Anomaly> sink)
        {
            if (_seen.Contains(candle.OpenTime)) return; // duplicate, reported by the duplicate detector
            var max = _seen.Max;
            _seen.Add(candle.OpenTime);
            if (candle.OpenTime < max)
            {
                var lag = (max - candle.OpenTime) / 60_000.0;
                sink.Add(new Anomaly(symbol, candle.OpenTime, AnomalyKinds.OutOfOrder, lag, AnomalySeverity.Medium,
                    $"open time {Fmt.Time(candle.OpenTime)} arrives after {Fmt.Time(max)} ({Fmt.N(lag)} min earlier than the latest candle); threshold: any open time before its predecessor"));
            }
        }
    }
}
