using System.Globalization;

namespace MarketAnalytics.CustomIndicator.Tests;

/// <summary>
/// A user-written indicator: rolling z-score (x − mean) / population standard deviation over <c>period</c> values
/// (0 when the window is flat). Built only on the public contracts IIndicatorDefinition / IIndicator / IIndicatorStream.
/// </summary>
public sealed class ZScoreDefinition : IIndicatorDefinition
{
    public string Name => "zscore";

    public string Description => "Rolling z-score of the close (or of a chained source).";

    public IReadOnlyList<IndicatorParameter> Parameters { get; } = [new("period", 20, 2, 10_000)];

    public IIndicator Create(IReadOnlyList<double> parameters)
    {
        var period = (int)parameters[0];
        if (period < 2) throw new InvalidSpecException($"zscore({period})", "period must be at least 2");
        return new ZScore(period);
    }
}

public sealed class ZScore(int period) : IIndicator
{
    public string Name => $"zscore({period.ToString(CultureInfo.InvariantCulture)})";

    public IReadOnlyList<string> Outputs { get; } = ["zscore"];

    public IReadOnlyList<string> ColumnNames { get; } = [$"zscore_{period.ToString(CultureInfo.InvariantCulture)}"];

    public int Lookback => period - 1;

    public void Compute(scoped in IndicatorInput input, Span<double> outputs)
    {
        var x = input.Close;
        outputs.Fill(double.NaN);
        var start = 0;
        while (start < x.Length && double.IsNaN(x[start])) start++;
        for (var i = start + period - 1; i < x.Length; i++) outputs[i] = Window(x.Slice(i - period + 1, period));
    }

    internal static double Window(ReadOnlySpan<double> w)
    {
        var mean = 0.0;
        foreach (var v in w) mean += v;
        mean /= w.Length;
        var ss = 0.0;
        foreach (var v in w) ss += (v - mean) * (v - mean);
        var sd = Math.Sqrt(ss / w.Length);
        return sd == 0 ? 0 : (w[^1] - mean) / sd;
    }

    public IIndicatorStream CreateStream() => new Stream(period);

    private sealed class Stream(int period) : IIndicatorStream
    {
        private readonly double[] _window = new double[period];
        private int _count;          // committed values in the window (max period)
        private long _lastOpen = long.MinValue;
        private bool _pending;       // the last candle is still revisable
        private double _pendingValue;

        public int OutputCount => 1;

        public void Update(in Candle candle, Span<double> outputs)
        {
            if (_pending && candle.OpenTime != _lastOpen) Commit(_pendingValue);
            _lastOpen = candle.OpenTime;
            if (double.IsNaN(candle.Close) && _count == 0)
            {
                _pending = false;
                outputs[0] = double.NaN;
                return;
            }
            _pending = true;
            _pendingValue = candle.Close;
            if (_count < period - 1)
            {
                outputs[0] = double.NaN;
                return;
            }
            Span<double> w = stackalloc double[period];
            _window.AsSpan(_window.Length - (period - 1)).CopyTo(w);
            w[^1] = candle.Close;
            outputs[0] = Window(w);
        }

        private void Commit(double v)
        {
            Array.Copy(_window, 1, _window, 0, _window.Length - 1);
            _window[^1] = v;
            if (_count < period) _count++;
        }

        public void Reset()
        {
            Array.Clear(_window);
            _count = 0;
            _pending = false;
            _lastOpen = long.MinValue;
        }
    }
}
