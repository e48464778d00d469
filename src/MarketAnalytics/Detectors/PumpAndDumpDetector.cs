namespace MarketAnalytics.Detectors;

/// <summary>Parameters of the <c>pump_and_dump</c> detector. Defaults are fixed on principles (see the README), not per event.</summary>
public sealed class PumpAndDumpOptions
{
    /// <summary>Completed hours in the per-symbol volume/volatility baseline (median of hourly values).</summary>
    public int BaselineHours { get; set; } = 24;

    /// <summary>Completed hours needed before the detector may fire.</summary>
    public int MinBaselineHours { get; set; } = 6;

    /// <summary>The candle's quote volume must be at least this multiple of the baseline volume per candle (median hour scaled to the interval).</summary>
    public double VolumeMultiple { get; set; } = 100;

    /// <summary>Minimum rise of the close over the reference price (median close of the last hour), as a fraction.</summary>
    public double MinRise { get; set; } = 0.03;

    /// <summary>The rise must also exceed this many robust standard deviations (1.4826 × MAD) of hourly log returns.</summary>
    public double RiseSigmas { get; set; } = 4;

    /// <summary>Minimum taker-buy share of quote volume (ignored when the source has no taker volumes).</summary>
    public double MinTakerBuyShare { get; set; } = 0.3;

    /// <summary>The candle's trade count must be at least this multiple of the baseline trades per candle (ignored when the source has no trade counts).</summary>
    public double TradeCountMultiple { get; set; } = 250;

    /// <summary>A trigger inside an episode's cool-down is reported again when its score is at least this multiple of the episode's best score so far.</summary>
    public double EscalationFactor { get; set; } = 2;

    /// <summary>Cool-down that merges triggers into one alert episode.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Throws <see cref="InvalidSpecException"/> when a parameter is out of range.</summary>
    public void Validate()
    {
        if (BaselineHours < 2 || MinBaselineHours < 1 || MinBaselineHours > BaselineHours)
            throw new InvalidSpecException("pump_and_dump", $"need 2 <= BaselineHours ({BaselineHours}) and 1 <= MinBaselineHours ({MinBaselineHours}) <= BaselineHours.");
        if (!(TradeCountMultiple >= 0) || !(EscalationFactor > 1))
            throw new InvalidSpecException("pump_and_dump", "need TradeCountMultiple >= 0 and EscalationFactor > 1.");
        if (!(VolumeMultiple > 1) || !(MinRise > 0) || !(RiseSigmas >= 0) || !(MinTakerBuyShare is >= 0 and <= 1) || Cooldown < TimeSpan.Zero)
            throw new InvalidSpecException("pump_and_dump", "need VolumeMultiple > 1, MinRise > 0, RiseSigmas >= 0, 0 <= MinTakerBuyShare <= 1 and a non-negative Cooldown.");
    }
}

/// <summary>
/// Pump-and-dump detector (pump phase, fires on the first candle of the surge). Multi-timeframe: the baselines are
/// hourly (median hourly quote volume and MAD of hourly returns over the last day, per symbol), the trigger is the
/// candle: quote volume ≥ k × baseline, close ≥ max(min rise, s × hourly σ) above the last hour's median close, and
/// taker buys dominating the volume.
/// </summary>
internal sealed class PumpAndDumpDetector : DetectorBase
{
    private readonly PumpAndDumpOptions _o;

    public PumpAndDumpDetector(PumpAndDumpOptions? options = null)
    {
        _o = options ?? new PumpAndDumpOptions();
        _o.Validate();
    }

    public override string Name => AnomalyKinds.PumpAndDump;

    public override IDetectorStream CreateStream(SymbolId symbol, Interval interval) => new Stream(symbol, interval, _o);

    private sealed class Stream : OrderedStream
    {
        private const long HourMs = 3_600_000;
        private readonly PumpAndDumpOptions _o;
        private readonly long _bucketMs;
        private readonly double _candlesPerBucket;
        private readonly RollingMedianMad _hourVolume;
        private readonly RollingMedianMad _hourTrades;
        private readonly RollingMedianMad _hourReturn;
        private readonly RollingMedianMad _refClose;
        private EpisodeGate _gate;
        private long _bucket = long.MinValue;
        private long _bucketTrades;
        private bool _tradesKnown = true;
        private double _episodeBest;
        private double _bucketVolume, _bucketClose = double.NaN, _prevBucketClose = double.NaN;

        public Stream(SymbolId symbol, Interval interval, PumpAndDumpOptions o) : base(symbol, interval)
        {
            _o = o;
            var ms = interval.FixedMilliseconds ?? (long)interval.NominalDuration.TotalMilliseconds;
            _bucketMs = Math.Max(HourMs, ms);
            _candlesPerBucket = _bucketMs / (double)ms;
            _hourVolume = new RollingMedianMad(o.BaselineHours);
            _hourTrades = new RollingMedianMad(o.BaselineHours);
            _hourReturn = new RollingMedianMad(o.BaselineHours);
            _refClose = new RollingMedianMad(Math.Max(5, (int)Math.Round(_candlesPerBucket)), lazy: true); // read only after the volume test passes
            _gate = new EpisodeGate((long)o.Cooldown.TotalMilliseconds);
        }

        protected override void OnCandle(in Candle c, ICollection<Anomaly> sink)
        {
            var bucket = Math.DivRem(c.OpenTime, _bucketMs, out var rem);
            if (rem < 0) bucket--;
            if (bucket != _bucket)
            {
                if (_bucket != long.MinValue)
                {
                    _hourVolume.Add(_bucketVolume);
                    _hourTrades.Add(_bucketTrades);
                    if (_prevBucketClose > 0 && _bucketClose > 0) _hourReturn.Add(Math.Log(_bucketClose / _prevBucketClose));
                    _prevBucketClose = _bucketClose;
                }
                _bucket = bucket;
                _bucketVolume = 0;
                _bucketTrades = 0;
            }

            var quote = Fmt.QuoteVolume(c);
            Evaluate(c, quote, sink);

            if (double.IsFinite(quote) && quote >= 0) _bucketVolume += quote;
            if (c.TradeCount >= 0) _bucketTrades += c.TradeCount;
            else _tradesKnown = false;
            if (c.Close > 0) { _bucketClose = c.Close; _refClose.Add(c.Close); }
        }

        private void Evaluate(in Candle c, double quote, ICollection<Anomaly> sink)
        {
            if (_hourVolume.Count < _o.MinBaselineHours || _refClose.Count < 2 || !(c.Close > 0) || !(quote > 0)) return;
            var perCandle = _hourVolume.Median / _candlesPerBucket;
            if (!(perCandle > 0)) perCandle = double.Epsilon;
            var multiple = quote / perCandle;
            if (multiple < _o.VolumeMultiple) return;
            var reference = _refClose.Median;
            var rise = Math.Log(c.Close / reference);
            var sigma = _hourReturn.Count >= 2 ? 1.4826 * _hourReturn.Mad : 0;
            var riseThreshold = Math.Max(Math.Log(1 + _o.MinRise), _o.RiseSigmas * sigma);
            if (rise < riseThreshold) return;
            var share = c.TakerBuyQuoteVolume / quote;
            var shareKnown = double.IsFinite(share);
            if (shareKnown && share < _o.MinTakerBuyShare) return;
            var tradesPerCandle = _hourTrades.Median / _candlesPerBucket;
            var tradesKnown = _tradesKnown && c.TradeCount >= 0;
            var tradeMultiple = tradesKnown ? c.TradeCount / Math.Max(tradesPerCandle, 1.0 / _candlesPerBucket) : double.NaN;
            if (tradesKnown && tradeMultiple < _o.TradeCountMultiple) return;

            var score = Math.Log10(multiple) * rise / Math.Max(riseThreshold, 1e-12);
            var inEpisode = _gate.InCooldown(c.OpenTime);
            _gate.Trigger(c.OpenTime);
            string prefix;
            if (!inEpisode) { _episodeBest = score; prefix = "pump"; }
            else if (score >= _o.EscalationFactor * _episodeBest) { prefix = $"pump escalation (score {Fmt.N(score)} >= {Fmt.N(_o.EscalationFactor)} x episode best {Fmt.N(_episodeBest)})"; _episodeBest = score; }
            else return;

            var severity = Fmt.Severity(score, 0, 2.5, 6);
            var explanation =
                $"{prefix}: quote volume {Fmt.N(quote)} = {Fmt.N(multiple)}x the baseline per candle {Fmt.N(perCandle)} (median of last {_hourVolume.Count} hourly volumes / {Fmt.N(_candlesPerBucket)}; threshold {Fmt.N(_o.VolumeMultiple)}x), " +
                $"close {Fmt.N(c.Close, 6)} is +{Fmt.Pct(Math.Exp(rise) - 1)} over the last-hour median close {Fmt.N(reference, 6)} (threshold +{Fmt.Pct(Math.Exp(riseThreshold) - 1)} = max({Fmt.Pct(_o.MinRise)}, {Fmt.N(_o.RiseSigmas)} x hourly sigma {Fmt.Pct(sigma)})), " +
                (tradesKnown ? $"{c.TradeCount} trades = {Fmt.N(tradeMultiple)}x the baseline {Fmt.N(tradesPerCandle)} per candle (threshold {Fmt.N(_o.TradeCountMultiple)}x), " : "trade count unknown, ") +
                (shareKnown ? $"taker-buy share {Fmt.N(share, 2)} (threshold {Fmt.N(_o.MinTakerBuyShare, 2)})" : "taker-buy share unknown (source has no taker volumes)");
            sink.Add(new Anomaly(Symbol, c.OpenTime, AnomalyKinds.PumpAndDump, score, severity, explanation));
        }
    }
}
