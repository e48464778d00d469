using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MarketAnalytics.Detectors;

/// <summary>
/// Exact rolling median and median absolute deviation (MAD) over the last <c>capacity</c> values.
/// </summary>
/// <remarks>
/// The window is kept twice: in arrival order (a ring, for eviction) and sorted (for order statistics). An update is a
/// binary search plus one vectorised block move inside the sorted array (no rescans, no allocation); the median is
/// O(1) and the MAD is O(log n): it is the k-th smallest element of two sorted sequences (distances of the lower half
/// below the median and of the upper half above it), found by binary search. NaN values are ignored.
/// In lazy mode (for statistics that are queried only on rare candidate candles) an update only writes the ring,
/// O(1), and the sorted view is rebuilt on the next query.
/// </remarks>
internal sealed class RollingMedianMad
{
    private readonly double[] _ring;
    private readonly double[] _sorted;
    private readonly bool _lazy;
    private bool _dirty;
    private int _head, _count, _below;
    private bool _boundValid;
    private double _bound = double.NaN; // NaN: comparisons are false, so the count stays 0 until a pivot exists
    private double[]? _scratch;

    public RollingMedianMad(int capacity, bool lazy = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new double[capacity];
        _sorted = new double[capacity];
        _lazy = lazy;
    }

    public int Count => _count;

    public int Capacity => _ring.Length;

    public bool IsFull => _count == _ring.Length;

    public void Clear()
    {
        _count = 0;
        _head = 0;
        _boundValid = false;
        _below = 0;
        _bound = double.NaN;
    }

    /// <summary>Adds a value, evicting the oldest when the window is full.</summary>
    public void Add(double x)
    {
        if (double.IsNaN(x)) return;
        if (_lazy)
        {
            if (_count == _ring.Length)
            {
                var old = _ring[_head];
                if (old < _bound) _below--;
                _ring[_head] = x;
                _head = _head + 1 == _ring.Length ? 0 : _head + 1;
            }
            else
            {
                var at = _head + _count;
                if (at >= _ring.Length) at -= _ring.Length;
                _ring[at] = x;
                _count++;
            }
            if (x < _bound) _below++;
            _dirty = true;
            return;
        }
        var sorted = _sorted.AsSpan(0, _count);
        if (_count == _ring.Length)
        {
            var old = _ring[_head];
            _ring[_head] = x;
            _head = _head + 1 == _ring.Length ? 0 : _head + 1;
            if (old == x) return; // same multiset
            var r = LowerBound(sorted, old); // sorted[r] == old
            var ins = LowerBound(sorted, x);
            if (ins <= r)
            {
                sorted[ins..r].CopyTo(sorted[(ins + 1)..]);
                sorted[ins] = x;
            }
            else
            {
                // Remove at r, insert before ins (ins shifts left by one after removal).
                sorted[(r + 1)..ins].CopyTo(sorted[r..]);
                sorted[ins - 1] = x;
            }
        }
        else
        {
            var tail = _head + _count;
            if (tail >= _ring.Length) tail -= _ring.Length;
            _ring[tail] = x;
            var ins = LowerBound(sorted, x);
            _count++;
            var grown = _sorted.AsSpan(0, _count);
            grown[ins..(_count - 1)].CopyTo(grown[(ins + 1)..]);
            grown[ins] = x;
        }
    }

    /// <summary>
    /// A value never above the current median, amortised O(1) without sorting (lazy mode). A pivot <c>b</c> (the
    /// window's lower quartile when chosen, by quickselect) stays a valid lower bound exactly as long as at most
    /// (n − 1)/2 window values are below it; that count is maintained in O(1) per update, so a new pivot is selected
    /// only when the median has fallen below the old one or the pivot has become loose (below the 1/8 quantile).
    /// Exact median when nothing changed since the last sort.
    /// </summary>
    public double MedianLowerBound()
    {
        if (!_lazy || !_dirty) return Median;
        var n = _count;
        if (n == 0) return double.NegativeInfinity;
        // Valid while at most (n-1)/2 values are below the pivot; re-chosen when it has become loose (fewer than n/8
        // below it): each re-choice costs O(n) and needs at least n/8 updates to be repeated, so O(1) amortised.
        if (_boundValid && _below <= (n - 1) / 2 && _below >= n / 8) return _bound;
        _scratch ??= new double[_ring.Length];
        CopyWindow(_scratch);
        var b = Select(_scratch.AsSpan(0, n), Math.Max(0, (n - 1) / 2 - n / 4));
        SetBound(b, CountBelow(_ring, _head, n, b));
        return b;
    }

    private void SetBound(double b, int below)
    {
        _bound = b;
        _below = below;
        _boundValid = true;
    }

    private static int CountBelow(double[] ring, int head, int count, double b)
    {
        var c = 0;
        for (var i = 0; i < count; i++)
        {
            var at = head + i;
            if (at >= ring.Length) at -= ring.Length;
            if (ring[at] < b) c++;
        }
        return c;
    }

    private void CopyWindow(double[] into)
    {
        if (_count < _ring.Length && _head != 0)
        {
            for (var i = 0; i < _count; i++) into[i] = _ring[(_head + i) % _ring.Length];
        }
        else
        {
            _ring.AsSpan(0, _count).CopyTo(into);
        }
    }

    // Hoare quickselect with median-of-three pivots: the k-th smallest (0-based) of a (reordered in place).
    private static double Select(Span<double> a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        while (hi > lo)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (a[mid] < a[lo]) (a[mid], a[lo]) = (a[lo], a[mid]);
            if (a[hi] < a[lo]) (a[hi], a[lo]) = (a[lo], a[hi]);
            if (a[hi] < a[mid]) (a[hi], a[mid]) = (a[mid], a[hi]);
            var pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k];
        }
        return a[k];
    }

    private void EnsureSorted()
    {
        if (!_dirty) return;
        _dirty = false;
        // The ring holds exactly the window (rotated when full); the order does not matter for sorting.
        CopyWindow(_sorted);
        _sorted.AsSpan(0, _count).Sort();
        if (_count > 0)
        {
            var b = _sorted[Math.Max(0, (_count - 1) / 2 - _count / 4)];
            SetBound(b, LowerBound(_sorted.AsSpan(0, _count), b));
        }
    }

    /// <summary>Median of the window; NaN when empty.</summary>
    public double Median
    {
        get
        {
            EnsureSorted();
            var n = _count;
            if (n == 0) return double.NaN;
            var h = n >> 1;
            return (n & 1) == 1 ? _sorted[h] : 0.5 * (_sorted[h - 1] + _sorted[h]);
        }
    }

    /// <summary>Median absolute deviation from the median (unscaled); NaN when empty.</summary>
    public double Mad
    {
        get
        {
            EnsureSorted();
            var n = _count;
            if (n == 0) return double.NaN;
            var m = Median;
            var h = n >> 1;
            if ((n & 1) == 1) return KthDistance(m, h, h);
            return 0.5 * (KthDistance(m, h, h - 1) + KthDistance(m, h, h));
        }
    }

    /// <summary>Quantile by nearest rank (0 ≤ p ≤ 1); NaN when empty.</summary>
    public double Quantile(double p)
    {
        EnsureSorted();
        if (_count == 0) return double.NaN;
        var i = (int)Math.Clamp(Math.Round(p * (_count - 1)), 0, _count - 1);
        return _sorted[i];
    }

    // k-th (0-based) smallest of the union of L_i = m - s[h-1-i] (i < h) and R_j = s[h+j] - m (j < n-h); both ascending.
    private double KthDistance(double m, int h, int k)
    {
        var s = _sorted;
        var lenL = h;
        var lenR = _count - h;
        int lo = Math.Max(0, k + 1 - lenR), hi = Math.Min(k + 1, lenL);
        while (lo < hi)
        {
            var i = (lo + hi) >> 1;
            var j = k + 1 - i;
            // Taking i from L and j from R: too few from L when L[i] < R[j-1].
            if (m - s[h - 1 - i] < s[h + j - 1] - m) lo = i + 1;
            else hi = i;
        }
        var ti = lo;
        var tj = k + 1 - ti;
        var a = ti > 0 ? m - s[h - ti] : double.NegativeInfinity;
        var b = tj > 0 ? s[h + tj - 1] - m : double.NegativeInfinity;
        return Math.Max(a, b);
    }

    // Branch-free lower bound (first index with sorted[i] >= x): the comparison feeds a conditional move, so random
    // inputs cause no branch mispredictions.
    private static int LowerBound(Span<double> sorted, double x) => LowerBound(ref MemoryMarshal.GetReference(sorted), sorted.Length, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LowerBound(ref double s0, int n, double x)
    {
        if (n == 0) return 0;
        var lo = 0;
        while (n > 1)
        {
            var half = n >> 1;
            var less = Unsafe.Add(ref s0, lo + half - 1) < x;
            lo += half & -Unsafe.BitCast<bool, byte>(less); // the JIT does not if-convert inside loops: mask instead
            n -= half;
        }
        return Unsafe.Add(ref s0, lo) < x ? lo + 1 : lo;
    }
}

/// <summary>Rolling maximum (or minimum) over the last <c>capacity</c> items with a monotonic deque: O(1) amortised.</summary>
internal sealed class RollingExtreme
{
    private readonly long[] _idx;
    private readonly double[] _val;
    private readonly bool _max;
    private readonly int _window;
    private int _head, _count;
    private long _n;

    public RollingExtreme(int window, bool max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _window = window;
        _max = max;
        _idx = new long[window + 1];
        _val = new double[window + 1];
    }

    /// <summary>Adds the next value (NaN is skipped but still advances the window).</summary>
    public void Add(double x)
    {
        var i = _n++;
        var cap = _idx.Length;
        while (_count > 0 && _idx[_head] <= i - _window)
        {
            _head = _head + 1 == cap ? 0 : _head + 1;
            _count--;
        }
        if (double.IsNaN(x)) return;
        while (_count > 0)
        {
            var tail = _head + _count - 1;
            if (tail >= cap) tail -= cap;
            var v = _val[tail];
            if (_max ? v <= x : v >= x) _count--;
            else break;
        }
        var at = _head + _count;
        if (at >= cap) at -= cap;
        _idx[at] = i;
        _val[at] = x;
        _count++;
    }

    /// <summary>The extreme of the window; NaN when it holds no value.</summary>
    public double Value => _count == 0 ? double.NaN : _val[_head];

    /// <summary>How many items ago the extreme was added (0 = the latest).</summary>
    public long Age => _count == 0 ? -1 : _n - 1 - _idx[_head];
}
