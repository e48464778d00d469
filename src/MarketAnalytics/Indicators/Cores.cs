using System.Runtime.CompilerServices;

namespace MarketAnalytics.Indicators;

// Step cores: one struct per indicator holding its complete scalar state. A core is advanced one bar at a time and
// reproduces TA-Lib 0.6's arithmetic operation by operation (same order of additions, divisions and comparisons),
// so a core driven over a whole series gives TA-Lib's values bit for bit. Cores are value types: copying one
// snapshots its state. Window history lives in RingBuffer arrays addressed by the absolute bar number with a capacity
// larger than the window, so a step only overwrites the slot of its own bar and rolling a copy back to the previous
// bar (a revision of the still-open candle) never loses data a re-step needs.
//
// Revision snapshots: a core without GC references (no RingBuffer) is snapshotted by copying the whole struct. A core
// holding ring buffers implements Save/Restore over its mutable scalars only: copying a struct with a reference
// field into a heap object goes through the GC write barrier, which cost more than the step itself for SMA, BBANDS
// and STDDEV. The ring buffers need no snapshot (see above).

/// <summary>The inputs of one bar as a core sees them.</summary>
internal readonly struct Bar(double open, double high, double low, double close, double volume)
{
    public readonly double Open = open;
    public readonly double High = high;
    public readonly double Low = low;
    public readonly double Close = close;
    public readonly double Volume = volume;
}

/// <summary>Incremental state of one indicator; see the file comment.</summary>
internal interface IStepCore
{
    /// <summary>Consumes the next bar and yields up to three outputs (NaN during warm-up; unused outputs ignored).</summary>
    void Step(in Bar bar, out double o0, out double o1, out double o2);

    /// <summary>Saves the mutable scalar state for a later <see cref="Restore"/> (required of cores holding GC references).</summary>
    void Save() => throw new InvalidOperationException($"{GetType().Name} holds references and must implement Save/Restore.");

    /// <summary>Restores the state saved by the last <see cref="Save"/>.</summary>
    void Restore() => throw new InvalidOperationException($"{GetType().Name} holds references and must implement Save/Restore.");
}

/// <summary>Values by absolute index with a power-of-two capacity greater than the window.</summary>
internal readonly struct RingBuffer
{
    private readonly double[] _items;
    private readonly long _mask;

    public RingBuffer(int window)
    {
        var capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, window + 2));
        _items = new double[capacity];
        _mask = capacity - 1;
    }

    public double this[long index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _items[index & _mask];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _items[index & _mask] = value;
    }
}

internal static class Ta
{
    /// <summary>TA-Lib's TA_EPSILON.</summary>
    public const double Epsilon = 0.00000000000001;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsZero(double v) => -Epsilon < v && v < Epsilon;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsZeroOrNeg(double v) => v < Epsilon;

    /// <summary>TA-Lib's true range of today's high/low against yesterday's close.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TrueRange(double high, double low, double prevClose)
    {
        var greatest = high - low;
        var v2 = Math.Abs(prevClose - high);
        if (v2 > greatest) greatest = v2;
        var v3 = Math.Abs(prevClose - low);
        if (v3 > greatest) greatest = v3;
        return greatest;
    }

    /// <summary>TA-Lib's PER_TO_K.</summary>
    public static double PerToK(int period) => 2.0 / (period + 1);
}

/// <summary>TA-Lib INT_EMA as a building block: seeded with the SMA of the first <c>period</c> values.</summary>
internal struct EmaState(int period, double k)
{
    private readonly int _period = period;
    private readonly double _k = k;
    private long _t;
    private double _sum;
    private double _prev;

    public EmaState(int period) : this(period, Ta.PerToK(period)) { }

    /// <summary>True once the seed is complete (the last <see cref="Next"/> returned a value).</summary>
    public readonly bool Ready => _t >= _period;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Next(double v)
    {
        var t = _t++;
        if (t >= _period) return _prev = ((v - _prev) * _k) + _prev;
        _sum += v;
        if (t < _period - 1) return double.NaN;
        return _prev = _sum / _period;
    }
}

/// <summary>TA-Lib INT_SMA as a building block (running total; period 1 copies, as TA_MA does).</summary>
internal struct SmaState(int period)
{
    private readonly int _period = period;
    private readonly RingBuffer _x = new(period);
    private long _t;
    private double _sum;
    private (long T, double Sum) _saved;

    public readonly bool Ready => _t >= _period;

    public void Save() => _saved = (_t, _sum);

    public void Restore() => (_t, _sum) = _saved;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Next(double v)
    {
        var t = _t++;
        if (_period == 1) return v;
        _x[t] = v;
        _sum += v;
        if (t < _period - 1) return double.NaN;
        var total = _sum;
        _sum -= _x[t - _period + 1];
        return total / _period;
    }
}

internal struct SmaCore(int period) : IStepCore
{
    private SmaState _s = new(period);

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = _s.Next(bar.Close);
        o1 = o2 = double.NaN;
    }

    public void Save() => _s.Save();

    public void Restore() => _s.Restore();
}

internal struct EmaCore(int period) : IStepCore
{
    private EmaState _s = new(period);

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = _s.Next(bar.Close);
        o1 = o2 = double.NaN;
    }
}

internal struct WmaCore(int period) : IStepCore
{
    private readonly int _p = period;
    private readonly double _divider = (period * (period + 1)) >> 1;
    private readonly RingBuffer _x = new(period);
    private long _t;
    private double _sum, _sub;
    private (long T, double Sum, double Sub) _saved;

    public void Save() => _saved = (_t, _sum, _sub);

    public void Restore() => (_t, _sum, _sub) = _saved;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o1 = o2 = double.NaN;
        var v = bar.Close;
        var t = _t++;
        _x[t] = v;
        if (t < _p - 1)
        {
            _sub += v;
            _sum += v * (t + 1);
            o0 = double.NaN;
            return;
        }
        _sub += v;
        _sub -= t >= _p ? _x[t - _p] : 0.0;
        _sum += v * _p;
        o0 = _sum / _divider;
        _sum -= _sub;
    }
}

internal struct DemaCore(int period) : IStepCore
{
    private EmaState _e1 = new(period), _e2 = new(period);

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o1 = o2 = o0 = double.NaN;
        var a = _e1.Next(bar.Close);
        if (!_e1.Ready) return;
        var b = _e2.Next(a);
        if (!_e2.Ready) return;
        o0 = (2.0 * a) - b;
    }
}

internal struct TemaCore(int period) : IStepCore
{
    private EmaState _e1 = new(period), _e2 = new(period), _e3 = new(period);

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o1 = o2 = o0 = double.NaN;
        var a = _e1.Next(bar.Close);
        if (!_e1.Ready) return;
        var b = _e2.Next(a);
        if (!_e2.Ready) return;
        var c = _e3.Next(b);
        if (!_e3.Ready) return;
        o0 = c + ((3.0 * a) - (3.0 * b));
    }
}

internal struct RsiCore(int period) : IStepCore
{
    private readonly int _p = period;
    private long _t;
    private double _prevValue, _gain, _loss;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o1 = o2 = double.NaN;
        var v = bar.Close;
        var t = _t++;
        if (t == 0)
        {
            _prevValue = v;
            o0 = double.NaN;
            return;
        }
        var d = v - _prevValue;
        _prevValue = v;
        if (t <= _p)
        {
            if (d < 0) _loss -= d;
            else _gain += d;
            if (t < _p)
            {
                o0 = double.NaN;
                return;
            }
            _loss /= _p;
            _gain /= _p;
        }
        else
        {
            // Branch-free form of TA-Lib's "if (d < 0) loss -= d; else gain += d;": (|d| ∓ d)·0.5 is exactly −d/d or +0,
            // and adding/subtracting +0 leaves the sums unchanged (a NaN d makes the output NaN in both forms).
            var ad = Math.Abs(d);
            _loss *= _p - 1;
            _gain *= _p - 1;
            _loss += (ad - d) * 0.5;
            _gain += (ad + d) * 0.5;
            _loss /= _p;
            _gain /= _p;
        }
        var s = _gain + _loss;
        o0 = Ta.IsZero(s) ? 0.0 : 100.0 * (_gain / s);
    }
}

/// <summary>TA-Lib MACD, including its seeding: both EMAs start at index slow-1, so the fast EMA is seeded with the SMA of the <c>fast</c> values ending there.</summary>
internal struct MacdCore : IStepCore
{
    private readonly int _fast, _slow;
    private EmaState _slowE, _fastE, _signalE;
    private long _t;

    public MacdCore(int fast, int slow, int signal)
    {
        if (slow < fast) (fast, slow) = (slow, fast);
        _fast = fast;
        _slow = slow;
        _slowE = new EmaState(slow);
        _fastE = new EmaState(fast);
        _signalE = new EmaState(signal);
        _t = 0;
    }

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = o1 = o2 = double.NaN;
        var v = bar.Close;
        var t = _t++;
        var s = _slowE.Next(v);
        if (t < _slow - _fast) return;
        var f = _fastE.Next(v);
        if (t < _slow - 1) return;
        var m = f - s;
        var g = _signalE.Next(m);
        if (!_signalE.Ready) return;
        o0 = m;
        o1 = g;
        o2 = m - g;
    }
}

/// <summary>TA-Lib BBANDS with an SMA middle band and population standard deviation from the precomputed mean.</summary>
internal struct BbandsCore(int period, double devUp, double devDown) : IStepCore
{
    private readonly int _p = period;
    private readonly double _up = devUp, _dn = devDown;
    private readonly RingBuffer _x = new(period);
    private long _t;
    private double _sum, _sum2;
    private (long T, double Sum, double Sum2) _saved;

    public void Save() => _saved = (_t, _sum, _sum2);

    public void Restore() => (_t, _sum, _sum2) = _saved;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        var v = bar.Close;
        var t = _t++;
        _x[t] = v;
        _sum += v;
        _sum2 += v * v;
        if (t < _p - 1)
        {
            o0 = o1 = o2 = double.NaN;
            return;
        }
        var total = _sum;
        var trailing = _x[t - _p + 1];
        _sum -= trailing;
        var mid = total / _p;
        var mean2 = _sum2 / _p;
        _sum2 -= trailing * trailing;
        mean2 -= mid * mid;
        var sd = Ta.IsZeroOrNeg(mean2) ? 0.0 : Math.Sqrt(mean2);
        o0 = mid + (sd * _up);
        o1 = mid;
        o2 = mid - (sd * _dn);
    }
}

internal struct TrangeCore : IStepCore
{
    private long _t;
    private double _prevClose;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o1 = o2 = double.NaN;
        o0 = _t++ == 0 ? double.NaN : Ta.TrueRange(bar.High, bar.Low, _prevClose);
        _prevClose = bar.Close;
    }
}

/// <summary>TA-Lib ATR (Wilder smoothing seeded with the SMA of the first <c>period</c> true ranges); NATR divides by close. Period 1 gives TRANGE for both, as in TA-Lib.</summary>
internal struct AtrCore(int period, bool normalized) : IStepCore
{
    private readonly int _p = period;
    private readonly bool _normalized = normalized;
    private long _t;
    private double _prevClose, _trSum, _atr;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = o1 = o2 = double.NaN;
        var t = _t++;
        if (t == 0)
        {
            _prevClose = bar.Close;
            return;
        }
        var tr = Ta.TrueRange(bar.High, bar.Low, _prevClose);
        _prevClose = bar.Close;
        if (_p <= 1)
        {
            o0 = tr;
            return;
        }
        if (t < _p)
        {
            _trSum += tr;
            return;
        }
        if (t == _p)
        {
            _trSum += tr;
            _atr = _trSum / _p;
        }
        else
        {
            _atr *= _p - 1;
            _atr += tr;
            _atr /= _p;
        }
        if (!_normalized) o0 = _atr;
        else o0 = Ta.IsZero(bar.Close) ? 0.0 : (_atr / bar.Close) * 100.0;
    }
}

/// <summary>TA-Lib VAR (population, running sums; TA-Lib ignores VAR's nbDev) and STDDEV (sqrt of VAR times nbDev, 0 when VAR &lt; 1e-14).</summary>
internal struct VarCore(int period, bool stdDev, double nbDev) : IStepCore
{
    private readonly int _p = period;
    private readonly bool _std = stdDev;
    private readonly double _nbDev = nbDev;
    private readonly RingBuffer _x = new(period);
    private long _t;
    private double _s1, _s2;
    private (long T, double S1, double S2) _saved;

    public void Save() => _saved = (_t, _s1, _s2);

    public void Restore() => (_t, _s1, _s2) = _saved;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o1 = o2 = double.NaN;
        var v = bar.Close;
        var t = _t++;
        _x[t] = v;
        _s1 += v;
        _s2 += v * v;
        if (t < _p - 1)
        {
            o0 = double.NaN;
            return;
        }
        var m1 = _s1 / _p;
        var m2 = _s2 / _p;
        var tr = _x[t - _p + 1];
        _s1 -= tr;
        _s2 -= tr * tr;
        var variance = m2 - (m1 * m1);
        if (!_std) o0 = variance;
        else o0 = Ta.IsZeroOrNeg(variance) ? 0.0 : Math.Sqrt(variance) * _nbDev;
    }
}

/// <summary>Highest high and lowest low of a window tracked the way TA-Lib does (keep the extreme's index; rescan the window when it falls out).</summary>
internal struct WindowExtremes(int window, bool latestOnTieInRescan)
{
    private readonly RingBuffer _hi = new(window), _lo = new(window);
    private readonly bool _tieLatest = latestOnTieInRescan;
    public long HighestIdx = -1, LowestIdx = -1;
    public double Highest, Lowest;
    private (long HighestIdx, long LowestIdx, double Highest, double Lowest) _saved;

    public void Save() => _saved = (HighestIdx, LowestIdx, Highest, Lowest);

    public void Restore() => (HighestIdx, LowestIdx, Highest, Lowest) = _saved;

    public readonly void Store(long t, double high, double low)
    {
        _hi[t] = high;
        _lo[t] = low;
    }

    /// <summary>Updates for the window [trailing, today]; values of that window must be stored.</summary>
    public void Update(long trailing, long today)
    {
        var tmp = _lo[today];
        if (LowestIdx < trailing)
        {
            LowestIdx = trailing;
            Lowest = _lo[trailing];
            for (var i = trailing + 1; i <= today; i++)
            {
                tmp = _lo[i];
                if (tmp < Lowest || (_tieLatest && tmp <= Lowest))
                {
                    LowestIdx = i;
                    Lowest = tmp;
                }
            }
        }
        else if (tmp <= Lowest)
        {
            LowestIdx = today;
            Lowest = tmp;
        }
        tmp = _hi[today];
        if (HighestIdx < trailing)
        {
            HighestIdx = trailing;
            Highest = _hi[trailing];
            for (var i = trailing + 1; i <= today; i++)
            {
                tmp = _hi[i];
                if (tmp > Highest || (_tieLatest && tmp >= Highest))
                {
                    HighestIdx = i;
                    Highest = tmp;
                }
            }
        }
        else if (tmp >= Highest)
        {
            HighestIdx = today;
            Highest = tmp;
        }
    }
}

/// <summary>TA-Lib STOCH with SMA smoothing of %K and %D.</summary>
internal struct StochCore(int fastK, int slowK, int slowD) : IStepCore
{
    private readonly int _fk = fastK;
    private WindowExtremes _w = new(fastK, false);
    private SmaState _k = new(slowK), _d = new(slowD);
    private long _t, _savedT;

    public void Save()
    {
        _w.Save();
        _k.Save();
        _d.Save();
        _savedT = _t;
    }

    public void Restore()
    {
        _w.Restore();
        _k.Restore();
        _d.Restore();
        _t = _savedT;
    }

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = o1 = o2 = double.NaN;
        var t = _t++;
        _w.Store(t, bar.High, bar.Low);
        if (t < _fk - 1) return;
        _w.Update(t - _fk + 1, t);
        var diff = (_w.Highest - _w.Lowest) / 100.0;
        var raw = diff != 0.0 ? (bar.Close - _w.Lowest) / diff : 0.0;
        var k = _k.Next(raw);
        if (!_k.Ready) return;
        var d = _d.Next(k);
        if (!_d.Ready) return;
        o0 = k;
        o1 = d;
    }
}

internal struct WillrCore(int period) : IStepCore
{
    private readonly int _p = period;
    private WindowExtremes _w = new(period, false);
    private long _t, _savedT;

    public void Save()
    {
        _w.Save();
        _savedT = _t;
    }

    public void Restore()
    {
        _w.Restore();
        _t = _savedT;
    }

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = o1 = o2 = double.NaN;
        var t = _t++;
        _w.Store(t, bar.High, bar.Low);
        if (t < _p - 1) return;
        _w.Update(t - _p + 1, t);
        var diff = (_w.Highest - _w.Lowest) / (-100.0);
        o0 = diff != 0.0 ? (_w.Highest - bar.Close) / diff : 0.0;
    }
}

/// <summary>TA-Lib AROON over the window of period+1 bars; ties go to the most recent bar.</summary>
internal struct AroonCore(int period) : IStepCore
{
    private readonly int _p = period;
    private readonly double _factor = 100.0 / period;
    private WindowExtremes _w = new(period + 1, true);
    private long _t, _savedT;

    public void Save()
    {
        _w.Save();
        _savedT = _t;
    }

    public void Restore()
    {
        _w.Restore();
        _t = _savedT;
    }

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = o1 = o2 = double.NaN;
        var t = _t++;
        _w.Store(t, bar.High, bar.Low);
        if (t < _p) return;
        _w.Update(t - _p, t);
        o0 = _factor * (_p - (int)(t - _w.HighestIdx));
        o1 = _factor * (_p - (int)(t - _w.LowestIdx));
    }
}

/// <summary>TA-Lib ADX (Wilder-smoothed DM and TR; first ADX is the mean of <c>period</c> DX values).</summary>
internal struct AdxCore(int period) : IStepCore
{
    private readonly int _p = period;
    private long _t;
    private double _prevHigh, _prevLow, _prevClose, _mdm, _pdm, _tr, _sumDx, _adx;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = o1 = o2 = double.NaN;
        var t = _t++;
        if (t == 0)
        {
            _prevHigh = bar.High;
            _prevLow = bar.Low;
            _prevClose = bar.Close;
            return;
        }
        var diffP = bar.High - _prevHigh;
        _prevHigh = bar.High;
        var diffM = _prevLow - bar.Low;
        _prevLow = bar.Low;
        if (t >= _p)
        {
            _mdm -= _mdm / _p;
            _pdm -= _pdm / _p;
        }
        if (diffM > 0 && diffP < diffM) _mdm += diffM;
        else if (diffP > 0 && diffP > diffM) _pdm += diffP;
        var tr = Ta.TrueRange(_prevHigh, _prevLow, _prevClose);
        if (t < _p) _tr += tr;
        else _tr = _tr - (_tr / _p) + tr;
        _prevClose = bar.Close;
        if (t < _p) return;

        var valid = false;
        var dx = 0.0;
        if (!Ta.IsZero(_tr))
        {
            var minusDi = 100.0 * (_mdm / _tr);
            var plusDi = 100.0 * (_pdm / _tr);
            var sum = minusDi + plusDi;
            if (!Ta.IsZero(sum))
            {
                dx = 100.0 * (Math.Abs(minusDi - plusDi) / sum);
                valid = true;
            }
        }
        var last = 2L * _p - 1;
        if (t < last)
        {
            if (valid) _sumDx += dx;
            return;
        }
        if (t == last)
        {
            if (valid) _sumDx += dx;
            _adx = _sumDx / _p;
        }
        else if (valid)
        {
            _adx = ((_adx * (_p - 1)) + dx) / _p;
        }
        o0 = _adx;
    }
}

/// <summary>TA-Lib CCI: mean deviation over a circular buffer summed in slot order (O(period) per bar, as the definition requires).</summary>
internal struct CciCore(int period) : IStepCore
{
    private readonly int _p = period;
    private readonly double[] _buf = new double[period];
    private long _t, _savedT;

    public void Save() => _savedT = _t;

    public void Restore() => _t = _savedT;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = o1 = o2 = double.NaN;
        var t = _t++;
        var last = (bar.High + bar.Low + bar.Close) / 3;
        var buf = _buf;
        buf[(int)(t % _p)] = last;
        if (t < _p - 1) return;
        var avg = 0.0;
        for (var j = 0; j < buf.Length; j++) avg += buf[j];
        avg /= _p;
        var dev = 0.0;
        for (var j = 0; j < buf.Length; j++) dev += Math.Abs(buf[j] - avg);
        var tmp = last - avg;
        o0 = tmp != 0.0 && dev != 0.0 ? tmp / (0.015 * (dev / _p)) : 0.0;
    }
}

/// <summary>TA-Lib MFI (money flow of typical price × volume; 0 when the flows sum below 1, as TA-Lib does).</summary>
internal struct MfiCore(int period) : IStepCore
{
    private readonly int _p = period;
    private readonly RingBuffer _pos = new(period), _neg = new(period);
    private long _t;
    private double _prev, _posSum, _negSum;
    private (long T, double Prev, double PosSum, double NegSum) _saved;

    public void Save() => _saved = (_t, _prev, _posSum, _negSum);

    public void Restore() => (_t, _prev, _posSum, _negSum) = _saved;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = o1 = o2 = double.NaN;
        var t = _t++;
        var tp = (bar.High + bar.Low + bar.Close) / 3.0;
        if (t == 0)
        {
            _prev = tp;
            return;
        }
        if (t > _p)
        {
            _posSum -= _pos[t - _p];
            _negSum -= _neg[t - _p];
        }
        var d = tp - _prev;
        _prev = tp;
        var mf = tp * bar.Volume;
        if (d < 0)
        {
            _neg[t] = mf;
            _negSum += mf;
            _pos[t] = 0.0;
        }
        else if (d > 0)
        {
            _pos[t] = mf;
            _posSum += mf;
            _neg[t] = 0.0;
        }
        else
        {
            _pos[t] = 0.0;
            _neg[t] = 0.0;
        }
        if (t < _p) return;
        var s = _posSum + _negSum;
        o0 = s < 1.0 ? 0.0 : 100.0 * (_posSum / s);
    }
}

internal struct ObvCore : IStepCore
{
    private long _t;
    private double _obv, _prev;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o1 = o2 = double.NaN;
        if (_t++ == 0) _obv = bar.Volume;
        else if (bar.Close > _prev) _obv += bar.Volume;
        else if (bar.Close < _prev) _obv -= bar.Volume;
        _prev = bar.Close;
        o0 = _obv;
    }
}

/// <summary>TA-Lib MOM (difference) or ROC (percentage change, 0 when the old value is 0).</summary>
internal struct MomentumCore(int period, bool roc) : IStepCore
{
    private readonly int _p = period;
    private readonly bool _roc = roc;
    private readonly RingBuffer _x = new(period);
    private long _t, _savedT;

    public void Save() => _savedT = _t;

    public void Restore() => _t = _savedT;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o1 = o2 = double.NaN;
        var t = _t++;
        var v = bar.Close;
        _x[t] = v;
        if (t < _p)
        {
            o0 = double.NaN;
            return;
        }
        var old = _x[t - _p];
        if (!_roc) o0 = v - old;
        else o0 = old != 0.0 ? ((v / old) - 1.0) * 100.0 : 0.0;
    }
}

/// <summary>
/// Rolling VWAP: Σ(typical price × volume) / Σ volume over the last <c>period</c> bars, typical price = (high+low+close)/3.
/// NaN when the window's volume is 0 or the window holds a NaN. Running sums are recomputed exactly from the window every
/// <c>period</c> bars and whenever they are not finite.
/// </summary>
internal struct VwapCore(int period) : IStepCore
{
    private readonly int _p = period;
    private readonly RingBuffer _pv = new(period), _v = new(period);
    private long _t;
    private double _sumPv, _sumV;
    private (long T, double SumPv, double SumV) _saved;

    public void Save() => _saved = (_t, _sumPv, _sumV);

    public void Restore() => (_t, _sumPv, _sumV) = _saved;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o1 = o2 = double.NaN;
        var t = _t++;
        var pv = ((bar.High + bar.Low + bar.Close) / 3.0) * bar.Volume;
        _pv[t] = pv;
        _v[t] = bar.Volume;
        _sumPv += pv;
        _sumV += bar.Volume;
        if (t >= _p)
        {
            _sumPv -= _pv[t - _p];
            _sumV -= _v[t - _p];
        }
        if (t < _p - 1)
        {
            o0 = double.NaN;
            return;
        }
        if (t % _p == _p - 1 || !double.IsFinite(_sumPv) || !double.IsFinite(_sumV))
        {
            // Drift guard: exact window sums, amortised O(1). A NaN/infinity poisons a running sum for good, so it is
            // also recomputed while not finite: the value is a function of the window alone (NaN iff the window holds one).
            double a = 0, b = 0;
            for (var i = t - _p + 1; i <= t; i++)
            {
                a += _pv[i];
                b += _v[i];
            }
            _sumPv = a;
            _sumV = b;
        }
        o0 = _sumV != 0.0 ? _sumPv / _sumV : double.NaN;
    }
}

/// <summary>
/// Annualised realized volatility: sqrt(periodsPerYear / period × Σ r²) over the last <c>period</c> log returns
/// r = ln(close / previous close) (zero-mean convention). Running sum recomputed exactly every <c>period</c> bars and
/// whenever it is not finite, so a NaN close only affects the windows holding its returns.
/// </summary>
internal struct RealizedVolCore(int period, double periodsPerYear) : IStepCore
{
    private readonly int _p = period;
    private readonly double _scale = periodsPerYear / period;
    private readonly RingBuffer _sq = new(period);
    private long _t;
    private double _prevClose, _sum;
    private (long T, double PrevClose, double Sum) _saved;

    public void Save() => _saved = (_t, _prevClose, _sum);

    public void Restore() => (_t, _prevClose, _sum) = _saved;

    public void Step(in Bar bar, out double o0, out double o1, out double o2)
    {
        o0 = o1 = o2 = double.NaN;
        var t = _t++;
        var c = bar.Close;
        if (t == 0)
        {
            _prevClose = c;
            return;
        }
        var r = Math.Log(c / _prevClose);
        _prevClose = c;
        var sq = r * r;
        _sq[t] = sq;
        _sum += sq;
        if (t > _p) _sum -= _sq[t - _p];
        if (t < _p) return;
        if (t % _p == 0 || !double.IsFinite(_sum))
        {
            // Exact window sum every period (drift) and while the running sum is not finite (a NaN/infinite return
            // poisons it for good): the value depends on the window alone.
            var s = 0.0;
            for (var i = t - _p + 1; i <= t; i++) s += _sq[i];
            _sum = s;
        }
        o0 = Math.Sqrt(Math.Max(0.0, _sum) * _scale);
    }
}
