using System.Runtime.CompilerServices;

namespace MarketAnalytics.Indicators;

/// <summary>Which input columns an indicator reads (used to find the first usable row).</summary>
[Flags]
internal enum InputColumns
{
    Close = 1,
    High = 2,
    Low = 4,
    Volume = 8,
    HighLowClose = High | Low | Close,
    HighLowCloseVolume = High | Low | Close | Volume,
    CloseVolume = Close | Volume,
}

/// <summary>An optimised batch kernel over rows [start, n) that must equal the core loop to 1e-9 relative.</summary>
internal delegate void FastKernel(scoped in IndicatorInput input, int start, Span<double> outputs);

/// <summary>Shared helpers of the built-in indicators.</summary>
internal static class IndicatorRows
{
    /// <summary>First row whose required columns are all non-NaN (leading NaN rows, e.g. a chained source's warm-up, are skipped).</summary>
    public static int FirstValid(scoped in IndicatorInput input, InputColumns columns)
    {
        var n = input.Length;
        var close = input.Close;
        var high = input.High;
        var low = input.Low;
        var volume = input.Volume;
        for (var i = 0; i < n; i++)
        {
            if ((columns & InputColumns.Close) != 0 && double.IsNaN(close[i])) continue;
            if ((columns & InputColumns.High) != 0 && double.IsNaN(high[i])) continue;
            if ((columns & InputColumns.Low) != 0 && double.IsNaN(low[i])) continue;
            if ((columns & InputColumns.Volume) != 0 && double.IsNaN(volume[i])) continue;
            return i;
        }
        return n;
    }

    public static bool IsValid(in Bar bar, InputColumns columns) =>
        !(((columns & InputColumns.Close) != 0 && double.IsNaN(bar.Close)) ||
          ((columns & InputColumns.High) != 0 && double.IsNaN(bar.High)) ||
          ((columns & InputColumns.Low) != 0 && double.IsNaN(bar.Low)) ||
          ((columns & InputColumns.Volume) != 0 && double.IsNaN(bar.Volume)));

    /// <summary>Candles per year of an interval (365.25 days; a month counts as 30.436875 days).</summary>
    public static double PeriodsPerYear(Interval interval) => interval.PeriodsPerYear;

    /// <summary>Infers the interval of a Binance candle from its open and close time (close = next open − 1 ms).</summary>
    public static Interval InferInterval(in Candle candle)
    {
        var duration = candle.CloseTime - candle.OpenTime + 1;
        foreach (var interval in Interval.All)
        {
            if (interval.FixedMilliseconds == duration) return interval;
        }
        if (duration is >= 28L * 86_400_000 and <= 31L * 86_400_000) return Interval.OneMonth;
        throw new MalformedDataException("indicator stream", 0,
            $"cannot infer the candle interval from open time {candle.OpenTime} and close time {candle.CloseTime} (duration {duration} ms matches no Binance interval)");
    }

    public static void CheckOutputs(int n, int outputCount, Span<double> outputs, string name)
    {
        if (outputs.Length != n * outputCount)
            throw new ArgumentException($"Indicator {name} writes {outputCount} output(s) of {n} rows: the output span must have length {n * outputCount}, not {outputs.Length}.", nameof(outputs));
    }
}

/// <summary>An indicator that can also compute with TA-Lib's exact operation order (used for chain sources).</summary>
internal interface IExactIndicator
{
    /// <summary>Like <see cref="IIndicator.Compute"/> but bit-identical to TA-Lib (no reassociated fast kernel).</summary>
    void ComputeExact(scoped in IndicatorInput input, Span<double> outputs);
}

/// <summary>A built-in indicator: batch over a <see cref="IStepCore"/> (or an optimised kernel) plus its streaming form.</summary>
internal sealed class CoreIndicator<T> : IIndicator, IExactIndicator where T : struct, IStepCore
{
    private readonly Func<double, T> _create;
    private readonly InputColumns _inputs;
    private readonly bool _needsInterval;
    private readonly FastKernel? _fast;

    public CoreIndicator(string name, IReadOnlyList<string> outputs, IReadOnlyList<string> columnNames, int lookback,
        InputColumns inputs, Func<double, T> create, bool needsInterval = false, FastKernel? fast = null)
    {
        Name = name;
        Outputs = outputs;
        ColumnNames = columnNames;
        Lookback = lookback;
        _inputs = inputs;
        _create = create;
        _needsInterval = needsInterval;
        _fast = fast;
    }

    public string Name { get; }

    public IReadOnlyList<string> Outputs { get; }

    public IReadOnlyList<string> ColumnNames { get; }

    public int Lookback { get; }

    /// <summary>True when an optimised kernel serves <see cref="Compute"/>.</summary>
    internal bool HasFastKernel => _fast is not null;

    public void Compute(scoped in IndicatorInput input, Span<double> outputs)
    {
        var n = input.Length;
        var count = Outputs.Count;
        IndicatorRows.CheckOutputs(n, count, outputs, Name);
        var start = IndicatorRows.FirstValid(input, _inputs);
        if (_fast is not null && start < n)
        {
            // Fast kernels write every row from `start` on (NaN over their warm-up); only the skipped rows need NaN here.
            for (var k = 0; k < count; k++) outputs.Slice(k * n, start).Fill(double.NaN);
            _fast(input, start, outputs);
            return;
        }
        outputs.Fill(double.NaN);
        if (start >= n) return;
        var core = _create(PeriodsPerYear(input));
        ComputeWithCore(ref core, input, start, outputs, count);
    }

    /// <inheritdoc />
    public void ComputeExact(scoped in IndicatorInput input, Span<double> outputs) => ComputeReference(input, outputs);

    /// <summary>Runs the step core over rows [start, n) (the reference the fast kernels are tested against).</summary>
    internal void ComputeReference(scoped in IndicatorInput input, Span<double> outputs)
    {
        var n = input.Length;
        IndicatorRows.CheckOutputs(n, Outputs.Count, outputs, Name);
        outputs.Fill(double.NaN);
        var start = IndicatorRows.FirstValid(input, _inputs);
        if (start >= n) return;
        var core = _create(PeriodsPerYear(input));
        ComputeWithCore(ref core, input, start, outputs, Outputs.Count);
    }

    private double PeriodsPerYear(scoped in IndicatorInput input)
    {
        if (!_needsInterval) return double.NaN;
        if (input.Interval is not { } interval)
            throw new MarketAnalyticsException($"Indicator {Name} annualises by the candle interval, but the input does not say it: use IndicatorInput.FromSeries or set IndicatorInput.Interval.");
        return IndicatorRows.PeriodsPerYear(interval);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeWithCore(ref T core, scoped in IndicatorInput input, int start, Span<double> outputs, int count)
    {
        var n = input.Length;
        var open = input.Open;
        var high = input.High;
        var low = input.Low;
        var close = input.Close;
        var volume = input.Volume;
        var o0 = outputs[..n];
        var o1 = count > 1 ? outputs.Slice(n, n) : default;
        var o2 = count > 2 ? outputs.Slice(2 * n, n) : default;
        for (var i = start; i < n; i++)
        {
            var bar = new Bar(open[i], high[i], low[i], close[i], volume[i]);
            core.Step(bar, out var a, out var b, out var c);
            o0[i] = a;
            if (count > 1)
            {
                o1[i] = b;
                if (count > 2) o2[i] = c;
            }
        }
    }

    public IIndicatorStream CreateStream() => new CoreStream<T>(Outputs.Count, _inputs, _create, _needsInterval);
}

/// <summary>
/// Streaming form of a core: O(1) per candle; a repeated open time revises the last candle. Before each new candle the
/// core's state is snapshotted: a whole-struct copy for cores without GC references, the core's own Save of its
/// scalars otherwise (a struct copy with a reference field into this object would pay the GC write barrier per candle).
/// </summary>
internal sealed class CoreStream<T>(int outputCount, InputColumns inputs, Func<double, T> create, bool needsInterval) : IIndicatorStream
    where T : struct, IStepCore
{
    private T _state, _saved;
    private bool _started, _savedStarted, _any;
    private long _lastOpenTime;

    public int OutputCount { get; } = outputCount;

    public void Update(in Candle candle, Span<double> outputs)
    {
        if (outputs.Length < OutputCount)
            throw new ArgumentException($"The output span needs room for {OutputCount} value(s).", nameof(outputs));
        if (_any && candle.OpenTime == _lastOpenTime)
        {
            // A core saving itself saved only if it had started before the revised candle; otherwise it is re-created below.
            if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>()) _state = _saved;
            else if (_savedStarted) _state.Restore();
            _started = _savedStarted;
        }
        else
        {
            if (_any && candle.OpenTime < _lastOpenTime)
                throw new MalformedDataException("indicator stream", 0,
                    $"candle open time {candle.OpenTime} is earlier than the previous candle's {_lastOpenTime}; streams accept new candles or a revision of the last one");
            if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>()) _saved = _state;
            else if (_started) _state.Save();
            _savedStarted = _started;
            _lastOpenTime = candle.OpenTime;
            _any = true;
        }
        var bar = new Bar(candle.Open, candle.High, candle.Low, candle.Close, candle.Volume);
        if (!_started)
        {
            if (!IndicatorRows.IsValid(bar, inputs))
            {
                outputs[..OutputCount].Fill(double.NaN);
                return;
            }
            _state = create(needsInterval ? IndicatorRows.PeriodsPerYear(IndicatorRows.InferInterval(candle)) : double.NaN);
            _started = true;
        }
        _state.Step(bar, out var a, out var b, out var c);
        outputs[0] = a;
        if (OutputCount > 1) outputs[1] = b;
        if (OutputCount > 2) outputs[2] = c;
    }

    public void Reset()
    {
        _state = _saved = default;
        _started = _savedStarted = _any = false;
        _lastOpenTime = 0;
    }
}
