using BenchmarkDotNet.Attributes;
using MarketAnalytics.Indicators;

namespace MarketAnalytics.Benchmarks;

/// <summary>Shared random-walk input: N candles of a seeded geometric random walk.</summary>
public abstract class IndicatorBenchmarkBase
{
    protected static readonly IndicatorRegistry Registry = IndicatorRegistry.CreateDefault();

    [Params(1_000_000)]
    public int N { get; set; }

    protected double[] Open = [], High = [], Low = [], Close = [], Volume = [];
    protected Candle[] Candles = [];

    protected void CreateInput()
    {
        var rng = new Random(42);
        Open = new double[N];
        High = new double[N];
        Low = new double[N];
        Close = new double[N];
        Volume = new double[N];
        Candles = new Candle[N];
        var price = 20_000.0;
        var t = 1_600_000_000_000L;
        for (var i = 0; i < N; i++, t += 60_000)
        {
            var open = price;
            price *= 1 + (rng.NextDouble() - 0.5) * 0.004;
            Open[i] = open;
            Close[i] = price;
            High[i] = Math.Max(open, price) * (1 + rng.NextDouble() * 0.001);
            Low[i] = Math.Min(open, price) * (1 - rng.NextDouble() * 0.001);
            Volume[i] = 1 + rng.NextDouble() * 100;
            Candles[i] = new Candle(t, open, High[i], Low[i], price, Volume[i], t + 59_999, double.NaN, -1, double.NaN, double.NaN);
        }
    }
}

/// <summary>
/// Batch kernels through the public <see cref="IIndicator.Compute"/> path, one pass over N values each:
/// SMA(20), EMA(20), RSI(14), MACD(12,26,9), BBANDS(20,2,2), ATR(14), STDDEV(20). Baseline: a naive SMA(20) that re-sums
/// its window for every output (what a straightforward implementation does). ns/element = Mean / N.
/// </summary>
[MemoryDiagnoser]
public class BatchKernels : IndicatorBenchmarkBase
{
    private IIndicator _sma = null!, _ema = null!, _rsi = null!, _macd = null!, _bbands = null!, _atr = null!, _stddev = null!;
    private double[] _out1 = [], _out3 = [];

    [GlobalSetup]
    public void Setup()
    {
        CreateInput();
        _sma = Registry.Resolve("sma(20)");
        _ema = Registry.Resolve("ema(20)");
        _rsi = Registry.Resolve("rsi(14)");
        _macd = Registry.Resolve("macd(12,26,9)");
        _bbands = Registry.Resolve("bbands(20,2,2)");
        _atr = Registry.Resolve("atr(14)");
        _stddev = Registry.Resolve("stddev(20)");
        _out1 = new double[N];
        _out3 = new double[3 * N];
    }

    private IndicatorInput Input => new(Open, High, Low, Close, Volume);

    [Benchmark(Baseline = true)]
    public double NaiveSma()
    {
        const int p = 20;
        var x = Close;
        var y = _out1;
        for (var i = 0; i < p - 1; i++) y[i] = double.NaN;
        for (var i = p - 1; i < x.Length; i++)
        {
            var sum = 0.0;
            for (var j = i - p + 1; j <= i; j++) sum += x[j];
            y[i] = sum / p;
        }
        return y[^1];
    }

    [Benchmark]
    public double Sma() { _sma.Compute(Input, _out1); return _out1[^1]; }

    [Benchmark]
    public double Ema() { _ema.Compute(Input, _out1); return _out1[^1]; }

    [Benchmark]
    public double Rsi() { _rsi.Compute(Input, _out1); return _out1[^1]; }

    [Benchmark]
    public double Macd() { _macd.Compute(Input, _out3); return _out3[^1]; }

    [Benchmark]
    public double Bbands() { _bbands.Compute(Input, _out3); return _out3[^1]; }

    [Benchmark]
    public double Atr() { _atr.Compute(Input, _out1); return _out1[^1]; }

    [Benchmark]
    public double StdDev() { _stddev.Compute(Input, _out1); return _out1[^1]; }
}

/// <summary>
/// Streaming updates: N candles fed one by one through <see cref="IIndicatorStream.Update"/> (each method resets its
/// stream first). Baseline: a naive streaming SMA(20) that keeps the history in a list and re-averages the window per candle.
/// </summary>
[MemoryDiagnoser]
public class StreamingUpdates : IndicatorBenchmarkBase
{
    private IIndicatorStream _sma = null!, _ema = null!, _rsi = null!, _macd = null!, _bbands = null!, _atr = null!, _stddev = null!;
    private readonly double[] _out = new double[3];
    private List<double> _history = [];

    [GlobalSetup]
    public void Setup()
    {
        CreateInput();
        _sma = Registry.Resolve("sma(20)").CreateStream();
        _ema = Registry.Resolve("ema(20)").CreateStream();
        _rsi = Registry.Resolve("rsi(14)").CreateStream();
        _macd = Registry.Resolve("macd(12,26,9)").CreateStream();
        _bbands = Registry.Resolve("bbands(20,2,2)").CreateStream();
        _atr = Registry.Resolve("atr(14)").CreateStream();
        _stddev = Registry.Resolve("stddev(20)").CreateStream();
        _history = new List<double>(N);
    }

    private double Run(IIndicatorStream stream)
    {
        stream.Reset();
        var candles = Candles;
        var o = _out.AsSpan();
        for (var i = 0; i < candles.Length; i++) stream.Update(candles[i], o);
        return o[0];
    }

    [Benchmark(Baseline = true)]
    public double NaiveSma()
    {
        const int p = 20;
        _history.Clear();
        var last = double.NaN;
        foreach (var c in Candles)
        {
            _history.Add(c.Close);
            if (_history.Count < p) continue;
            var sum = 0.0;
            for (var j = _history.Count - p; j < _history.Count; j++) sum += _history[j];
            last = sum / p;
        }
        return last;
    }

    [Benchmark]
    public double Sma() => Run(_sma);

    [Benchmark]
    public double Ema() => Run(_ema);

    [Benchmark]
    public double Rsi() => Run(_rsi);

    [Benchmark]
    public double Macd() => Run(_macd);

    [Benchmark]
    public double Bbands() => Run(_bbands);

    [Benchmark]
    public double Atr() => Run(_atr);

    [Benchmark]
    public double StdDev() => Run(_stddev);
}
