using BenchmarkDotNet.Attributes;
using MarketAnalytics.Detectors;

namespace MarketAnalytics.Benchmarks;

/// <summary>
/// Streaming cost per candle of each built-in detector (issue 4 target: at most 50 ns per candle per detector).
/// Each invocation feeds <see cref="Candles"/> 1m candles of a random walk with occasional volume/price spikes to a
/// fresh stream; results are per candle (OperationsPerInvoke). The baseline feeds the same candles to a stream that
/// only reads the candle, so the ratio shows the detector's own work.
/// </summary>
[MemoryDiagnoser]
public class DetectorUpdates
{
    private const int Candles = 100_000;
    private Candle[] _candles = [];
    private readonly List<Anomaly> _sink = new(1024);
    private readonly DetectorRegistry _registry = DetectorRegistry.CreateDefault();
    private static readonly SymbolId Symbol = SymbolId.Parse("BENCHBTC");

    [Params("volume_spike", "price_jump", "flash_crash", "pump_and_dump", "volatility_regime", "gap", "stale_price", "bad_tick", "duplicate", "out_of_order")]
    public string Detector { get; set; } = "gap";

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _candles = new Candle[Candles];
        var close = 1e-4;
        var t = 1_600_000_000_000L / 60_000 * 60_000;
        for (var i = 0; i < Candles; i++)
        {
            var open = close;
            var shock = rng.NextDouble() < 0.001 ? 0.05 : 0.0;
            close = Math.Round(open * Math.Exp(0.002 * (rng.NextDouble() - 0.5) + shock) * 1e8) / 1e8;
            var v = rng.NextDouble() < 0.2 ? 0 : 10 * Math.Exp(rng.NextDouble() * (shock > 0 ? 6 : 1));
            var trades = v == 0 ? 0 : 1 + rng.Next(50) * (shock > 0 ? 100 : 1);
            _candles[i] = new Candle(t + i * 60_000L, open, Math.Max(open, close), Math.Min(open, close), close, v, t + i * 60_000L + 59_999,
                v * close, trades, v * 0.5, v * 0.5 * close);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Candles)]
    public double ReadCandlesOnly()
    {
        var s = new ReadOnlyStream();
        _sink.Clear();
        foreach (ref readonly var c in _candles.AsSpan()) s.Update(c, _sink);
        return s.Sum;
    }

    [Benchmark(OperationsPerInvoke = Candles)]
    public int StreamUpdate()
    {
        var s = _registry.Create(Detector).CreateStream(Symbol, Interval.OneMinute);
        _sink.Clear();
        foreach (ref readonly var c in _candles.AsSpan()) s.Update(c, _sink);
        return _sink.Count;
    }

    private sealed class ReadOnlyStream : IDetectorStream
    {
        public double Sum;

        public void Update(in Candle candle, ICollection<Anomaly> sink) => Sum += candle.Close + candle.Volume;
    }
}
