using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MarketAnalytics.Indicators;

/// <summary>
/// Optimised batch kernels over spans for the hot indicators; each writes NaN over its warm-up rows, allocates nothing
/// per element and stays within 1e-9 relative of TA-Lib (tests compare every kernel with the TA-Lib-exact step cores):
/// <list type="bullet">
/// <item>MACD, BBANDS, STDDEV keep TA-Lib's exact operation order (their results cancel: m2 − m1², fast − slow), so they
/// are bit-identical; BBANDS/STDDEV run the running sums in a scalar pass and the divisions/sqrt in a SIMD pass.</item>
/// <item>RSI and ATR smooth non-negative values as <c>s·((p−1)/p) + v·(1/p)</c> instead of <c>(s·(p−1) + v)/p</c>
/// (a few ulp per step, contractive, so the relative difference stays below ~1e-14·p).</item>
/// <item>SMA and EMA over strictly positive input (prices) run four independent chains over four blocks; SMA reseeds
/// each block with an exact window sum, EMA warms each block up over W bars with (1−k)^W ≤ 1e-20. Other inputs
/// (chained sources that cross zero) use TA-Lib's exact single chain.</item>
/// </list>
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

    /// <summary>Rows processed per block before the blocked (4-chain) variants pay off.</summary>
    private const int MinBlock = 4096;

    /// <summary>True when every value is finite and &gt; 0 (no NaN, no infinity).</summary>
    /// <remarks>
    /// An infinity must keep the blocked kernels off: TA-Lib's running sum turns into NaN (∞ − ∞) once it leaves the
    /// window and stays NaN, while a block reseeded with an exact window sum would recover.
    /// </remarks>
    internal static bool AllPositive(ReadOnlySpan<double> x)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 4)
        {
            var zero = Vector256<double>.Zero;
            var infinity = Vector256.Create(double.PositiveInfinity);
            ref var r = ref MemoryMarshal.GetReference(x);
            for (; i <= x.Length - 4; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                if (!Vector256.GreaterThanAll(v, zero) || !Vector256.LessThanAll(v, infinity)) return false;
            }
        }
        for (; i < x.Length; i++)
        {
            if (!(x[i] > 0 && x[i] < double.PositiveInfinity)) return false;
        }
        return true;
    }

    /// <summary>SMA: TA-Lib's running total (add new, keep, subtract trailing); blocked 4-chain form over positive input.</summary>
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
        if (n - lookback >= 4 * MinBlock && AllPositive(x))
        {
            SmaBlocked(x, period, y);
            return;
        }
        var sum = 0.0;
        for (var i = 0; i < lookback; i++) sum += x[i];
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        for (var i = lookback; i < n; i++)
        {
            sum += Unsafe.Add(ref xr, i);
            var total = sum;
            sum -= Unsafe.Add(ref xr, i - lookback);
            Unsafe.Add(ref yr, i) = total / period;
        }
    }

    private static double WindowSum(ReadOnlySpan<double> x, int from, int count)
    {
        var s = 0.0;
        for (var i = from; i < from + count; i++) s += x[i];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SmaBlocked(ReadOnlySpan<double> x, int period, Span<double> y)
    {
        var n = x.Length;
        var lb = period - 1;
        var inv = 1.0 / period;
        var len = (n - lb) / 4;
        int b0 = lb, b1 = lb + len, b2 = lb + 2 * len, b3 = lb + 3 * len;
        // Each chain starts with the exact sum of the lb values before its first row.
        double s0 = WindowSum(x, b0 - lb, lb), s1 = WindowSum(x, b1 - lb, lb), s2 = WindowSum(x, b2 - lb, lb), s3 = WindowSum(x, b3 - lb, lb);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        for (var j = 0; j < len; j++)
        {
            int i0 = b0 + j, i1 = b1 + j, i2 = b2 + j, i3 = b3 + j;
            s0 += Unsafe.Add(ref xr, i0);
            s1 += Unsafe.Add(ref xr, i1);
            s2 += Unsafe.Add(ref xr, i2);
            s3 += Unsafe.Add(ref xr, i3);
            Unsafe.Add(ref yr, i0) = s0 * inv;
            Unsafe.Add(ref yr, i1) = s1 * inv;
            Unsafe.Add(ref yr, i2) = s2 * inv;
            Unsafe.Add(ref yr, i3) = s3 * inv;
            s0 -= Unsafe.Add(ref xr, i0 - lb);
            s1 -= Unsafe.Add(ref xr, i1 - lb);
            s2 -= Unsafe.Add(ref xr, i2 - lb);
            s3 -= Unsafe.Add(ref xr, i3 - lb);
        }
        for (var i = b3 + len; i < n; i++)
        {
            s3 += Unsafe.Add(ref xr, i);
            Unsafe.Add(ref yr, i) = s3 * inv;
            s3 -= Unsafe.Add(ref xr, i - lb);
        }
    }

    /// <summary>TA-Lib EMA: seeded with the SMA of the first <paramref name="period"/> values, then ((x − prev)·k) + prev.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Ema(ReadOnlySpan<double> x, int period, Span<double> y)
    {
        var n = x.Length;
        y = y[..n];
        var first = period - 1;
        if (n <= first)
        {
            y.Fill(double.NaN);
            return;
        }
        y[..first].Fill(double.NaN);
        var k = Ta.PerToK(period);
        var sum = 0.0;
        for (var i = 0; i <= first; i++) sum += x[i];
        var prev = sum / period;
        y[first] = prev;
        // Warm-up length after which a start error has decayed below 1e-20 of itself.
        var warm = (int)Math.Min(int.MaxValue / 8, Math.Ceiling(Math.Log(1e-20) / Math.Log(1 - k)) + 1);
        var rest = n - first - 1;
        if (rest >= 4 * Math.Max(MinBlock, 4 * warm) && AllPositive(x))
        {
            EmaBlocked(x, k, first + 1, warm, prev, y);
            return;
        }
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        for (var i = first + 1; i < n; i++)
        {
            prev = ((Unsafe.Add(ref xr, i) - prev) * k) + prev;
            Unsafe.Add(ref yr, i) = prev;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EmaBlocked(ReadOnlySpan<double> x, double k, int from, int warm, double prev, Span<double> y)
    {
        var n = x.Length;
        var len = (n - from) / 4;
        int b0 = from, b1 = from + len, b2 = from + 2 * len, b3 = from + 3 * len;
        double e0 = prev, e1 = WarmEma(x, k, b1 - warm, b1), e2 = WarmEma(x, k, b2 - warm, b2), e3 = WarmEma(x, k, b3 - warm, b3);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        for (var j = 0; j < len; j++)
        {
            int i0 = b0 + j, i1 = b1 + j, i2 = b2 + j, i3 = b3 + j;
            e0 = ((Unsafe.Add(ref xr, i0) - e0) * k) + e0;
            e1 = ((Unsafe.Add(ref xr, i1) - e1) * k) + e1;
            e2 = ((Unsafe.Add(ref xr, i2) - e2) * k) + e2;
            e3 = ((Unsafe.Add(ref xr, i3) - e3) * k) + e3;
            Unsafe.Add(ref yr, i0) = e0;
            Unsafe.Add(ref yr, i1) = e1;
            Unsafe.Add(ref yr, i2) = e2;
            Unsafe.Add(ref yr, i3) = e3;
        }
        for (var i = b3 + len; i < n; i++)
        {
            e3 = ((Unsafe.Add(ref xr, i) - e3) * k) + e3;
            Unsafe.Add(ref yr, i) = e3;
        }
    }

    /// <summary>EMA state just before <paramref name="end"/>, started from the value at <paramref name="start"/>.</summary>
    private static double WarmEma(ReadOnlySpan<double> x, double k, int start, int end)
    {
        var e = x[start];
        for (var i = start + 1; i < end; i++) e = ((x[i] - e) * k) + e;
        return e;
    }

    /// <summary>RSI: TA-Lib's seed (sums / period), then branch-free Wilder smoothing s·((p−1)/p) + v·(1/p).</summary>
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
        var a = (period - 1) / (double)period;
        var c = 1.0 / period;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        for (var i = period + 1; i < n; i++)
        {
            var v = Unsafe.Add(ref xr, i);
            var d = v - prevValue;
            prevValue = v;
            // Branch-free and exact: (|d| ± d)·0.5 is d or 0 without rounding (NaN propagates like TA-Lib's).
            var ad = Math.Abs(d);
            var down = (ad - d) * 0.5;
            var up = (ad + d) * 0.5;
            loss = (loss * a) + (down * c);
            gain = (gain * a) + (up * c);
            s = gain + loss;
            Unsafe.Add(ref yr, i) = Ta.IsZero(s) ? 0.0 : 100.0 * (gain / s);
        }
    }

    /// <summary>TA-Lib MACD, bit-identical (both EMAs start at slow−1; the signal EMA is seeded with the SMA of the MACD line).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Macd(ReadOnlySpan<double> x, int fast, int slow, int signal, Span<double> macd, Span<double> sig, Span<double> hist)
    {
        if (slow < fast) (fast, slow) = (slow, fast);
        var n = x.Length;
        macd = macd[..n];
        sig = sig[..n];
        hist = hist[..n];
        var lookback = slow - 1 + signal - 1;
        if (n <= lookback)
        {
            macd.Fill(double.NaN);
            sig.Fill(double.NaN);
            hist.Fill(double.NaN);
            return;
        }
        macd[..lookback].Fill(double.NaN);
        sig[..lookback].Fill(double.NaN);
        hist[..lookback].Fill(double.NaN);
        double kSlow = Ta.PerToK(slow), kFast = Ta.PerToK(fast), kSig = Ta.PerToK(signal);
        var start = slow - 1;
        double s = 0, f = 0;
        for (var i = 0; i < slow; i++) s += x[i];
        for (var i = slow - fast; i < slow; i++) f += x[i];
        s /= slow;
        f /= fast;
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
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var mr = ref MemoryMarshal.GetReference(macd);
        ref var gr = ref MemoryMarshal.GetReference(sig);
        ref var hr = ref MemoryMarshal.GetReference(hist);
        for (var i = end + 1; i < n; i++)
        {
            var v = Unsafe.Add(ref xr, i);
            s = ((v - s) * kSlow) + s;
            f = ((v - f) * kFast) + f;
            m = f - s;
            g = ((m - g) * kSig) + g;
            Unsafe.Add(ref mr, i) = m;
            Unsafe.Add(ref gr, i) = g;
            Unsafe.Add(ref hr, i) = m - g;
        }
    }

    /// <summary>TA-Lib BBANDS (SMA middle), bit-identical: running totals in a scalar pass, divisions and sqrt in a SIMD pass.</summary>
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
        // Pass 1: totals before the trailing value leaves (middle <- Σx, upper <- Σx²).
        RunningTotals(x, lookback, middle, upper);
        // Pass 2: mid = Σx/p, mean2 = Σx²/p − mid², sd = mean2 < ε ? 0 : √mean2.
        var i = lookback;
        double p = period;
        ref var mr = ref MemoryMarshal.GetReference(middle);
        ref var ur = ref MemoryMarshal.GetReference(upper);
        ref var lr = ref MemoryMarshal.GetReference(lower);
        if (Vector256.IsHardwareAccelerated)
        {
            var vp = Vector256.Create(p);
            var eps = Vector256.Create(Ta.Epsilon);
            var up = Vector256.Create(devUp);
            var dn = Vector256.Create(devDn);
            for (; i <= n - 4; i += 4)
            {
                var mid = Vector256.LoadUnsafe(ref mr, (nuint)i) / vp;
                var mean2 = (Vector256.LoadUnsafe(ref ur, (nuint)i) / vp) - (mid * mid);
                var sd = Vector256.ConditionalSelect(Vector256.LessThan(mean2, eps), Vector256<double>.Zero, Vector256.Sqrt(mean2));
                (mid + (sd * up)).StoreUnsafe(ref ur, (nuint)i);
                mid.StoreUnsafe(ref mr, (nuint)i);
                (mid - (sd * dn)).StoreUnsafe(ref lr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            var mid = Unsafe.Add(ref mr, i) / p;
            var mean2 = (Unsafe.Add(ref ur, i) / p) - (mid * mid);
            var sd = Ta.IsZeroOrNeg(mean2) ? 0.0 : Math.Sqrt(mean2);
            Unsafe.Add(ref ur, i) = mid + (sd * devUp);
            Unsafe.Add(ref mr, i) = mid;
            Unsafe.Add(ref lr, i) = mid - (sd * devDn);
        }
    }

    /// <summary>TA-Lib's running Σx and Σx² over a window of lookback+1 values, stored before the trailing value is removed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunningTotals(ReadOnlySpan<double> x, int lookback, Span<double> total1, Span<double> total2)
    {
        var n = x.Length;
        double s1 = 0, s2 = 0;
        for (var i = 0; i < lookback; i++)
        {
            var v = x[i];
            s1 += v;
            s2 += v * v;
        }
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var t1 = ref MemoryMarshal.GetReference(total1);
        ref var t2 = ref MemoryMarshal.GetReference(total2);
        for (var i = lookback; i < n; i++)
        {
            var v = Unsafe.Add(ref xr, i);
            s1 += v;
            s2 += v * v;
            Unsafe.Add(ref t1, i) = s1;
            Unsafe.Add(ref t2, i) = s2;
            var tr = Unsafe.Add(ref xr, i - lookback);
            s1 -= tr;
            s2 -= tr * tr;
        }
    }

    /// <summary>TA-Lib STDDEV over VAR's running sums, bit-identical: scalar totals pass, SIMD division/sqrt pass.</summary>
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
        var rented = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var t2s = rented.AsSpan(0, n);
            RunningTotals(x, lookback, y, t2s);
            var i = lookback;
            double p = period;
            ref var yr = ref MemoryMarshal.GetReference(y);
            ref var t2 = ref MemoryMarshal.GetReference(t2s);
            if (Vector256.IsHardwareAccelerated)
            {
                var vp = Vector256.Create(p);
                var eps = Vector256.Create(Ta.Epsilon);
                var dev = Vector256.Create(nbDev);
                for (; i <= n - 4; i += 4)
                {
                    var m1 = Vector256.LoadUnsafe(ref yr, (nuint)i) / vp;
                    var m2 = Vector256.LoadUnsafe(ref t2, (nuint)i) / vp;
                    var variance = m2 - (m1 * m1);
                    Vector256.ConditionalSelect(Vector256.LessThan(variance, eps), Vector256<double>.Zero, Vector256.Sqrt(variance) * dev)
                        .StoreUnsafe(ref yr, (nuint)i);
                }
            }
            for (; i < n; i++)
            {
                var m1 = Unsafe.Add(ref yr, i) / p;
                var m2 = Unsafe.Add(ref t2, i) / p;
                var variance = m2 - (m1 * m1);
                Unsafe.Add(ref yr, i) = Ta.IsZeroOrNeg(variance) ? 0.0 : Math.Sqrt(variance) * nbDev;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>ATR: TA-Lib's seed (mean of the first <c>period</c> true ranges), then atr·((p−1)/p) + tr·(1/p). Period 1: TRANGE.</summary>
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
        var a = (period - 1) / (double)period;
        var c = 1.0 / period;
        ref var hr = ref MemoryMarshal.GetReference(high);
        ref var lr = ref MemoryMarshal.GetReference(low);
        ref var cr = ref MemoryMarshal.GetReference(close);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var prevClose = Unsafe.Add(ref cr, period);
        for (var i = period + 1; i < n; i++)
        {
            var h = Unsafe.Add(ref hr, i);
            var l = Unsafe.Add(ref lr, i);
            var tr = Ta.TrueRange(h, l, prevClose);
            prevClose = Unsafe.Add(ref cr, i);
            atr = (atr * a) + (tr * c);
            Unsafe.Add(ref yr, i) = atr;
        }
    }
}
