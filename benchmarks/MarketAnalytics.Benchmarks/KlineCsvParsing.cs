using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using MarketAnalytics.IO;

namespace MarketAnalytics.Benchmarks;

/// <summary>Kline CSV parsing throughput: <see cref="KlineReader.ParseCsv"/> against a naive split-and-parse baseline.</summary>
/// <remarks>Rows/s = N / mean time. The input is a synthetic spot-style archive (8-decimal strings, ms times) built in memory.</remarks>
[MemoryDiagnoser]
public class KlineCsvParsing
{
    private byte[] _csv = [];
    private CandleSeries _series = null!;

    [Params(1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        var sb = new StringBuilder(N * 160);
        var price = 20000.0;
        var t = 1672531200000L;
        for (var i = 0; i < N; i++, t += 60_000)
        {
            var open = price;
            price *= 1 + (rng.NextDouble() - 0.5) * 0.002;
            var high = Math.Max(open, price) * 1.0005;
            var low = Math.Min(open, price) * 0.9995;
            var vol = rng.NextDouble() * 100;
            sb.Append(CultureInfo.InvariantCulture, $"{t},{open:F8},{high:F8},{low:F8},{price:F8},{vol:F8},{t + 59_999},{vol * price:F8},{rng.Next(1, 5000)},{vol / 2:F8},{vol * price / 2:F8},0\n");
        }
        _csv = Encoding.ASCII.GetBytes(sb.ToString());
        _series = new CandleSeries(SymbolId.Parse("BTCUSDT"), Interval.OneMinute, N);
    }

    [Benchmark(Baseline = true)]
    public int NaiveSplitAndParse()
    {
        _series.Clear();
        using var reader = new StringReader(Encoding.ASCII.GetString(_csv));
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(',');
            var ci = CultureInfo.InvariantCulture;
            _series.Add(new Candle(long.Parse(f[0], ci), double.Parse(f[1], ci), double.Parse(f[2], ci), double.Parse(f[3], ci),
                double.Parse(f[4], ci), double.Parse(f[5], ci), long.Parse(f[6], ci), double.Parse(f[7], ci), long.Parse(f[8], ci),
                double.Parse(f[9], ci), double.Parse(f[10], ci)));
        }
        return _series.Count;
    }

    [Benchmark]
    public int KlineReaderParseCsv()
    {
        _series.Clear();
        KlineReader.ParseCsv(_csv, "bench.csv", _series);
        return _series.Count;
    }
}
