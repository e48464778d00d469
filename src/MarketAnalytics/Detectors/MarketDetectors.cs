namespace MarketAnalytics.Detectors;

/// <summary>
/// <c>volume_spike</c>: the candle's quote volume against a per-symbol robust baseline of log quote volumes (rolling
/// median and MAD over the last <c>window</c> trading candles; zero-volume candles are not part of the baseline, so
/// illiquid pairs are judged against their trading minutes).
/// </summary>
internal sealed class VolumeSpikeDetector(int window = 240, double zThreshold = 6, double minMultiple = 8, int cooldownCandles = 30) : DetectorBase
{
    private readonly int window = window;
    private readonly double zThreshold = zThreshold;
    private readonly double minMultiple = minMultiple;
    private readonly int cooldownCandles = cooldownCandles;

    public override string Name => AnomalyKinds.VolumeSpike;

    public override IDetectorStream CreateStream(SymbolId symbol, Interval interval) => new Stream(this, symbol, interval);

    private sealed class Stream(VolumeSpikeDetector d, SymbolId symbol, Interval interval) : OrderedStream(symbol, interval)
    {
        private readonly RollingMedianMad _base = new(d.window, lazy: true);
        private EpisodeGate _gate = new(d.cooldownCandles * (long)interval.NominalDuration.TotalMilliseconds);

        protected override void OnCandle(in Candle c, ICollection<Anomaly> sink)
        {
            var q = Fmt.QuoteVolume(c);
            if (!(q > 0) || !double.IsFinite(q)) return;
            var x = Math.Log(q);
            if (_base.Count >= d.window / 2)
            {
                // Exact O(1) pre-filter: a lower bound of the median already rules out most candles; the window is
                // sorted (and median, MAD computed) only when the multiple could reach the threshold.
                var logMin = Math.Log(d.minMultiple);
                var med = x - _base.MedianLowerBound() >= logMin ? _base.Median : double.PositiveInfinity;
                var multiple = x - med >= logMin ? Math.Exp(x - med) : 0;
                var sigma = multiple > 0 ? Math.Max(1.4826 * _base.Mad, 0.25) : double.PositiveInfinity;
                var z = multiple > 0 ? (x - med) / sigma : 0;
                if (z >= d.zThreshold && multiple >= d.minMultiple && _gate.Trigger(c.OpenTime))
                {
                    sink.Add(new Anomaly(Symbol, c.OpenTime, AnomalyKinds.VolumeSpike, z, Fmt.Severity(z, d.zThreshold, 1.5 * d.zThreshold, 2.5 * d.zThreshold),
                        $"quote volume {Fmt.N(q)} = {Fmt.N(multiple)}x the rolling median {Fmt.N(Math.Exp(med))} of the last {_base.Count} trading candles; robust z {Fmt.N(z)} (threshold z >= {Fmt.N(d.zThreshold)} and >= {Fmt.N(d.minMultiple)}x; log-volume sigma {Fmt.N(sigma)} = max(1.4826 x MAD, 0.25))"));
                }
            }
            _base.Add(x);
        }
    }
}

/// <summary>
/// <c>price_jump</c>: a close-to-close log return far outside the per-symbol robust return scale (rolling median and
/// MAD of 1-candle log returns) and above an absolute floor, so tick-size moves on illiquid pairs do not fire.
/// </summary>
internal sealed class PriceJumpDetector(int window = 240, double zThreshold = 10, double minAbsReturn = 0.02, int cooldownCandles = 30) : DetectorBase
{
    private readonly int window = window;
    private readonly double zThreshold = zThreshold;
    private readonly double minAbsReturn = minAbsReturn;
    private readonly int cooldownCandles = cooldownCandles;

    public override string Name => AnomalyKinds.PriceJump;

    public override IDetectorStream CreateStream(SymbolId symbol, Interval interval) => new Stream(this, symbol, interval);

    private sealed class Stream(PriceJumpDetector d, SymbolId symbol, Interval interval) : OrderedStream(symbol, interval)
    {
        private readonly RollingMedianMad _base = new(d.window, lazy: true);
        private EpisodeGate _gate = new(d.cooldownCandles * (long)interval.NominalDuration.TotalMilliseconds);
        private double _prev = double.NaN;

        protected override void OnCandle(in Candle c, ICollection<Anomaly> sink)
        {
            if (!(c.Close > 0) || !double.IsFinite(c.Close)) return;
            if (_prev > 0)
            {
                var r = Math.Log(c.Close / _prev);
                if (_base.Count >= d.window / 2)
                {
                    var floor = Math.Log(1 + d.minAbsReturn);
                    // O(1) pre-filter: the window statistics are only sorted for returns of at least half the floor
                    // (exact unless the rolling median 1-candle return itself exceeds half the floor).
                    var med = Math.Abs(r) >= 0.5 * floor ? _base.Median : 0;
                    var dev = Math.Abs(r - med);
                    var sigma = dev >= floor ? 1.4826 * _base.Mad : double.PositiveInfinity;
                    var threshold = Math.Max(d.zThreshold * sigma, floor);
                    if (dev >= threshold && _gate.Trigger(c.OpenTime))
                    {
                        var z = sigma > 0 ? dev / sigma : double.PositiveInfinity;
                        var score = dev / threshold;
                        sink.Add(new Anomaly(Symbol, c.OpenTime, AnomalyKinds.PriceJump, score, Fmt.Severity(score, 1, 2, 4),
                            $"close {Fmt.N(c.Close, 6)} moved {(r >= 0 ? "+" : "")}{Fmt.Pct(Math.Exp(r) - 1)} from {Fmt.N(_prev, 6)}; |log return - median| {Fmt.N(dev)} >= threshold {Fmt.N(threshold)} = max({Fmt.N(d.zThreshold)} x robust sigma {Fmt.N(sigma)}, log(1+{Fmt.Pct(d.minAbsReturn)})) over the last {_base.Count} returns (z {Fmt.N(z)})"));
                    }
                }
                _base.Add(r);
            }
            _prev = c.Close;
        }
    }
}

/// <summary>
/// <c>flash_crash</c>: the low falls at least max(min drop, k × robust σ × √lookback) below the highest high of the
/// last <c>lookback</c> candles, and a close then recovers at least <c>rebound</c> of the drop within
/// <c>reboundCandles</c> of the trough. Fires on the rebound candle (causal).
/// </summary>
internal sealed class FlashCrashDetector(int lookback = 30, double minDrop = 0.035, double dropSigmas = 6, double rebound = 0.6,
    int reboundCandles = 60, int window = 240, int cooldownCandles = 60) : DetectorBase
{
    private readonly int lookback = lookback;
    private readonly double minDrop = minDrop;
    private readonly double dropSigmas = dropSigmas;
    private readonly double rebound = rebound;
    private readonly int reboundCandles = reboundCandles;
    private readonly int window = window;
    private readonly int cooldownCandles = cooldownCandles;

    public override string Name => AnomalyKinds.FlashCrash;

    public override IDetectorStream CreateStream(SymbolId symbol, Interval interval) => new Stream(this, symbol, interval);

    private sealed class Stream(FlashCrashDetector d, SymbolId symbol, Interval interval) : OrderedStream(symbol, interval)
    {
        private readonly RollingExtreme _peak = new(d.lookback, max: true);
        private readonly RollingMedianMad _ret = new(d.window, lazy: true);
        private EpisodeGate _gate = new(d.cooldownCandles * (long)interval.NominalDuration.TotalMilliseconds);
        private double _prevClose = double.NaN;
        private bool _armed;
        private double _armPeak, _trough, _dropThreshold;
        private long _troughTime, _peakAge;
        private int _sinceTrough;

        protected override void OnCandle(in Candle c, ICollection<Anomaly> sink)
        {
            if (!(c.Low > 0) || !(c.High > 0) || !(c.Close > 0)) return;
            var peak = _peak.Value; // highest high of the previous lookback candles
            if (_armed)
            {
                _sinceTrough++;
                if (c.Low < _trough) { _trough = c.Low; _troughTime = c.OpenTime; _sinceTrough = 0; }
                var recovered = (c.Close - _trough) / (_armPeak - _trough);
                if (recovered >= d.rebound)
                {
                    _armed = false;
                    if (_gate.Trigger(c.OpenTime))
                    {
                        var drop = 1 - _trough / _armPeak;
                        var score = drop / _dropThreshold;
                        sink.Add(new Anomaly(Symbol, c.OpenTime, AnomalyKinds.FlashCrash, score, Fmt.Severity(score, 1, 1.5, 3),
                            $"drop of {Fmt.Pct(drop)} from the {d.lookback}-candle high {Fmt.N(_armPeak, 6)} to the low {Fmt.N(_trough, 6)} at {Fmt.Time(_troughTime)} (threshold {Fmt.Pct(_dropThreshold)} = max({Fmt.Pct(d.minDrop)}, {Fmt.N(d.dropSigmas)} x sigma x sqrt({d.lookback})), then close {Fmt.N(c.Close, 6)} recovered {Fmt.Pct(recovered, 0)} of it (threshold {Fmt.Pct(d.rebound, 0)} within {d.reboundCandles} candles); peak {_peakAge} candles before the trough"));
                    }
                }
                else if (_sinceTrough > d.reboundCandles)
                {
                    _armed = false;
                }
            }
            else if (_ret.Count >= d.window / 2 && peak > 0)
            {
                var drop = 1 - c.Low / peak;
                var sigma = drop >= d.minDrop ? 1.4826 * _ret.Mad : 0; // MAD only past the absolute floor
                if (double.IsNaN(sigma)) sigma = 0;
                var threshold = Math.Max(d.minDrop, 1 - Math.Exp(-d.dropSigmas * sigma * Math.Sqrt(d.lookback)));
                if (drop >= threshold)
                {
                    _armed = true;
                    _armPeak = peak;
                    _peakAge = _peak.Age + 1;
                    _trough = c.Low;
                    _troughTime = c.OpenTime;
                    _sinceTrough = 0;
                    _dropThreshold = threshold;
                    var recovered = (c.Close - _trough) / (_armPeak - _trough);
                    if (recovered >= d.rebound)
                    {
                        // Crash and rebound inside one candle: that is a wick (see bad_tick), not a flash crash.
                        _armed = false;
                    }
                }
            }
            if (_prevClose > 0) _ret.Add(Math.Log(c.Close / _prevClose));
            _prevClose = c.Close;
            _peak.Add(c.High);
        }
    }
}

/// <summary>
/// <c>volatility_regime</c>: short-term volatility (mean |log return| of the last <c>shortWindow</c> candles) against the
/// per-symbol baseline, the rolling median of that short-term value sampled once per <c>shortWindow</c> candles over
/// the last <c>baselineSamples</c> samples (multi-timeframe). Fires on a shift up (≥ factor) or down (≤ 1/factor),
/// with hysteresis: re-armed only after the ratio returns inside [1/rearm, rearm].
/// </summary>
internal sealed class VolatilityRegimeDetector(int shortWindow = 60, int baselineSamples = 48, double factor = 4, double rearm = 1.5) : DetectorBase
{
    private readonly int shortWindow = shortWindow;
    private readonly int baselineSamples = baselineSamples;
    private readonly double factor = factor;
    private readonly double rearm = rearm;

    public override string Name => AnomalyKinds.VolatilityRegime;

    public override IDetectorStream CreateStream(SymbolId symbol, Interval interval) => new Stream(this, symbol, interval);

    private sealed class Stream(VolatilityRegimeDetector d, SymbolId symbol, Interval interval) : OrderedStream(symbol, interval)
    {
        private readonly double[] _ring = new double[d.shortWindow];
        private readonly RollingMedianMad _baseline = new(d.baselineSamples);
        private int _head, _n, _sinceSample;
        private double _sum, _prev = double.NaN;
        private int _state; // 0 normal, +1 high regime reported, -1 low regime reported

        protected override void OnCandle(in Candle c, ICollection<Anomaly> sink)
        {
            if (!(c.Close > 0)) return;
            if (!(_prev > 0)) { _prev = c.Close; return; }
            var a = Math.Abs(Math.Log(c.Close / _prev));
            _prev = c.Close;
            if (_n == _ring.Length) _sum -= _ring[_head];
            else _n++;
            _ring[_head] = a;
            _sum += a;
            _head = _head + 1 == _ring.Length ? 0 : _head + 1;
            if (_n < _ring.Length) return;
            var shortVol = Math.Max(_sum, 0) / _n;
            if (_baseline.Count >= d.baselineSamples / 2)
            {
                var baseVol = _baseline.Median;
                if (baseVol > 0)
                {
                    var ratio = shortVol / baseVol;
                    if (_state == 0 && (ratio >= d.factor || ratio <= 1 / d.factor))
                    {
                        _state = ratio >= d.factor ? 1 : -1;
                        var score = ratio >= 1 ? ratio : 1 / ratio;
                        sink.Add(new Anomaly(Symbol, c.OpenTime, AnomalyKinds.VolatilityRegime, score, Fmt.Severity(score, d.factor, 2 * d.factor, 4 * d.factor),
                            $"volatility shift {(ratio >= 1 ? "up" : "down")}: mean |log return| of the last {d.shortWindow} candles {Fmt.N(shortVol)} is {Fmt.N(ratio)}x the baseline {Fmt.N(baseVol)} (median of the last {_baseline.Count} {d.shortWindow}-candle samples; threshold {Fmt.N(d.factor)}x up or 1/{Fmt.N(d.factor)} down)"));
                    }
                    else if (_state != 0 && ratio <= d.rearm && ratio >= 1 / d.rearm)
                    {
                        _state = 0;
                    }
                }
            }
            if (++_sinceSample >= d.shortWindow)
            {
                _sinceSample = 0;
                _baseline.Add(shortVol);
            }
        }
    }
}
