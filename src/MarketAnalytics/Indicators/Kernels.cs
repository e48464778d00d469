using System.Runtime.CompilerServices;

namespace MarketAnalytics.Indicators;

/// <summary>
/// Optimised batch kernels over spans for the hot indicators. Each writes NaN over the warm-up rows and follows
/// TA-Lib's arithmetic order, so results equal the step cores (and TA-Lib) bit for bit. No allocation per element.
/// </summary>
internal static class Kernels
{
    public static FastKernel SmaKernel(int period) => (scoped in IndicatorInput input, int start, Span<double> o) =>
        Sma(input.Close[start..], period, o[start..]);

    public static FastKernel EmaKernel(int period) => (scoped in IndicatorInput input, int start, Span<double> o) =>
        Ema(input.Close[start..], period, o[start..]);

    public static FastKernel RsiKernel(int period) => (scoped in IndicatorInput input, int start, Span<double> o) =>
        Rsi(input.Close[start..], period, o[start..]);

    public static FastKernel StdDevKernel(int period, double nbDev) => (scoped in IndicatorInput input, int start, Span<double> o) =>
        StdDev(input.Close[start..], period, nbDev, o[start..]);

    public static FastKernel AtrKernel(int period) => (scoped in IndicatorInput input, int start, Span<double> o) =>
        Atr(input.High[start..], input.Low[start..], input.Close[start..], period, o[start..]);

    public static FastKernel MacdKernel(int fast, int slow, int signal) => (scoped in IndicatorInput input, int start, Span<double> o) =>
    {
        var n = input.Length;
        Macd(input.Close[start..], fast, slow, signal, o[start..n], o[(n + start)..(2 * n)], o[(2 * n + start)..]);
    };

    public static FastKernel BbandsKernel(int period, double up, double dn) => (scoped in IndicatorInput input, int start, Span<double> o) =>
    {
        var n = input.Length;
        Bbands(input.Close[start..], period, up, dn, o[start..n], o[(n + start)..(2 * n)], o[(2 * n + start)..]);
    };

    /// <summary>TA-Lib SMA: running total, add the new value, keep the total, subtract the trailing value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sma(ReadOnlySpan<double> x, int period, Span<double> y)
    {
        var n = x.Length;
        y = y[..n];
        var lookback = period - 1;
        if (n <= lookback)
        {
            y.Fill(double.NaN);
            return;
        }
        y[..lookback].Fill(double.NaN);
        var sum = 0.0;
        for (var i = 0; i < lookback; i++) sum += x[i];
        var trailing = x[..(n - lookback)];
        var head = x[lookback..];
        var outs = y[lookback..];
        for (var i = 0; i < head.Length; i++)
        {
            sum += head[i];
            var total = sum;
            sum -= trailing[i];
            outs[i] = total / period;
        }
    }

    /// <summary>TA-Lib EMA: seeded with the SMA of the first <paramref name="period"/> values, then ((x − prev)·k) + prev.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Ema(ReadOnlySpan<double> x, int period, Span<double> y) => EmaFrom(x, period, Ta.PerToK(period), 0, y);

    /// <summary>EMA whose seed window starts at <paramref name="seedStart"/> (rows before it get NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EmaFrom(ReadOnlySpan<double> x, int period, double k, int seedStart, Span<double> y)
    {
        var n = x.Length;
        y = y[..n];
        var first = seedStart + period - 1;
        if (n <= first)
        {
            y.Fill(double.NaN);
            return;
        }
        y[..first].Fill(double.NaN);
        var sum = 0.0;
        for (var i = seedStart; i <= first; i++) sum += x[i];
        var prev = sum / period;
        y[first] = prev;
        for (var i = first + 1; i < n; i++)
        {
            prev = ((x[i] - prev) * k) + prev;
            y[i] = prev;
        }
    }

    /// <summary>TA-Lib RSI with Wilder smoothing (divisions, not reciprocal multiplications, as TA-Lib does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rsi(ReadOnlySpan<double> x, int period, Span<double> y)
    {
        var n = x.Length;
        y = y[..n];
        if (n <= period)
        {
            y.Fill(double.NaN);
            return;
        }
        y[..period].Fill(double.NaN);
        double gain = 0, loss = 0;
        var prevValue = x[0];
        for (var i = 1; i <= period; i++)
        {
            var d = x[i] - prevValue;
            prevValue = x[i];
            if (d < 0) loss -= d;
            else gain += d;
        }
        loss /= period;
        gain /= period;
        var s = gain + loss;
        y[period] = Ta.IsZero(s) ? 0.0 : 100.0 * (gain / s);
        double pm1 = period - 1;
        for (var i = period + 1; i < n; i++)
        {
            var v = x[i];
            var d = v - prevValue;
            prevValue = v;
            loss *= pm1;
            gain *= pm1;
            if (d < 0) loss -= d;
            else gain += d;
            loss /= period;
            gain /= period;
            s = gain + loss;
            y[i] = Ta.IsZero(s) ? 0.0 : 100.0 * (gain / s);
        }
    }

    /// <summary>TA-Lib MACD (both EMAs start at slow−1; signal is the EMA of the MACD line from there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Macd(ReadOnlySpan<double> x, int fast, int slow, int signal, Span<double> macd, Span<double> sig, Span<double> hist)
    {
        if (slow < fast) (fast, slow) = (slow, fast);
        var n = x.Length;
        macd = macd[..n];
        sig = sig[..n];
        hist = hist[..n];
        var lookback = slow - 1 + signal - 1;
        macd.Fill(double.NaN);
        sig.Fill(double.NaN);
        hist.Fill(double.NaN);
        if (n <= lookback) return;
        double kSlow = Ta.PerToK(slow), kFast = Ta.PerToK(fast), kSig = Ta.PerToK(signal);
        var start = slow - 1;
        double s = 0, f = 0;
        for (var i = 0; i < slow; i++) s += x[i];
        for (var i = slow - fast; i < slow; i++) f += x[i];
        s /= slow;
        f /= fast;
        // macd line from `start`; seed the signal EMA with the SMA of its first `signal` values.
        var m = f - s;
        var seed = m;
        var end = start + signal - 1;
        for (var i = start + 1; i <= end; i++)
        {
            var v = x[i];
            s = ((v - s) * kSlow) + s;
            f = ((v - f) * kFast) + f;
            m = f - s;
            seed += m;
        }
        var g = seed / signal;
        macd[end] = m;
        sig[end] = g;
        hist[end] = m - g;
        for (var i = end + 1; i < n; i++)
        {
            var v = x[i];
            s = ((v - s) * kSlow) + s;
            f = ((v - f) * kFast) + f;
            m = f - s;
            g = ((m - g) * kSig) + g;
            macd[i] = m;
            sig[i] = g;
            hist[i] = m - g;
        }
    }

    /// <summary>TA-Lib BBANDS with SMA middle band.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Bbands(ReadOnlySpan<double> x, int period, double devUp, double devDn, Span<double> upper, Span<double> middle, Span<double> lower)
    {
        var n = x.Length;
        upper = upper[..n];
        middle = middle[..n];
        lower = lower[..n];
        var lookback = period - 1;
        if (n <= lookback)
        {
            upper.Fill(double.NaN);
            middle.Fill(double.NaN);
            lower.Fill(double.NaN);
            return;
        }
        upper[..lookback].Fill(double.NaN);
        middle[..lookback].Fill(double.NaN);
        lower[..lookback].Fill(double.NaN);
        double sum = 0, sum2 = 0;
        for (var i = 0; i < lookback; i++)
        {
            var v = x[i];
            sum += v;
            sum2 += v * v;
        }
        for (var i = lookback; i < n; i++)
        {
            var v = x[i];
            sum += v;
            sum2 += v * v;
            var total = sum;
            var tr = x[i - lookback];
            sum -= tr;
            var mid = total / period;
            var mean2 = sum2 / period;
            sum2 -= tr * tr;
            mean2 -= mid * mid;
            var sd = Ta.IsZeroOrNeg(mean2) ? 0.0 : Math.Sqrt(mean2);
            upper[i] = mid + (sd * devUp);
            middle[i] = mid;
            lower[i] = mid - (sd * devDn);
        }
    }

    /// <summary>TA-Lib STDDEV over TA-Lib VAR's running sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StdDev(ReadOnlySpan<double> x, int period, double nbDev, Span<double> y)
    {
        var n = x.Length;
        y = y[..n];
        var lookback = period - 1;
        if (n <= lookback)
        {
            y.Fill(double.NaN);
            return;
        }
        y[..lookback].Fill(double.NaN);
        double s1 = 0, s2 = 0;
        for (var i = 0; i < lookback; i++)
        {
            var v = x[i];
            s1 += v;
            s2 += v * v;
        }
        for (var i = lookback; i < n; i++)
        {
            var v = x[i];
            s1 += v;
            s2 += v * v;
            var m1 = s1 / period;
            var m2 = s2 / period;
            var tr = x[i - lookback];
            s1 -= tr;
            s2 -= tr * tr;
            var variance = m2 - (m1 * m1);
            y[i] = Ta.IsZeroOrNeg(variance) ? 0.0 : Math.Sqrt(variance) * nbDev;
        }
    }

    /// <summary>TA-Lib ATR (period 1: TRANGE).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Atr(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, int period, Span<double> y)
    {
        var n = close.Length;
        high = high[..n];
        low = low[..n];
        y = y[..n];
        var lookback = period;
        if (n <= lookback)
        {
            y.Fill(double.NaN);
            return;
        }
        y[..lookback].Fill(double.NaN);
        if (period <= 1)
        {
            for (var i = 1; i < n; i++) y[i] = Ta.TrueRange(high[i], low[i], close[i - 1]);
            return;
        }
        var sum = 0.0;
        for (var i = 1; i <= period; i++) sum += Ta.TrueRange(high[i], low[i], close[i - 1]);
        var atr = sum / period;
        y[period] = atr;
        double pm1 = period - 1;
        for (var i = period + 1; i < n; i++)
        {
            atr *= pm1;
            atr += Ta.TrueRange(high[i], low[i], close[i - 1]);
            atr /= period;
            y[i] = atr;
        }
    }
}
