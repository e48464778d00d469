using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DuckDB.NET.Data;
using MarketAnalytics.DuckDb;
using MarketAnalytics.Engines;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;

namespace MarketAnalytics.Benchmarks;

/// <summary>
/// The default indicator set (sma(20), ema(20), rsi(14), macd(12,26,9), bbands(20,2,2), atr(14)) on 10 symbol-years of
/// 1m candles (10 × 525,600 = 5.26 M rows of a seeded random walk): in-process kernels over the in-memory series
/// (baseline) versus DuckDB reading the Parquet lake and returning every value to .NET, in one run.
/// Run: dotnet run -c Release --project benchmarks/MarketAnalytics.Benchmarks -- --filter '*EngineComparison*' --inProcess
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class EngineComparison
{
    private const int Symbols = 10;
    private const int MinutesPerYear = 525_600;
    private static readonly long Start = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly AnalysisPlan _plan = new(IndicatorSpec.ParseList("sma(20),ema(20),rsi(14),macd(12,26,9),bbands(20,2,2),atr(14)"), []);
    private readonly List<CandleSeries> _series = [];
    private string _lake = string.Empty;
    private IAnalysisEngine _inProcess = null!;
    private ISqlAnalysisEngine _duckdb = null!;
    private LakeSelection _selection = null!;

    [GlobalSetup]
    public void Setup()
    {
        var registry = IndicatorRegistry.CreateDefault();
        _inProcess = new InProcessEngine(registry, MarketAnalytics.Detectors.DetectorRegistry.CreateDefault());
        _lake = Path.Combine(Path.GetTempPath(), "ma-bench-lake-" + Environment.ProcessId);
        _duckdb = DuckDbEngineExtensions.Create(registry, new DuckDbEngineOptions { LakePath = _lake });
        for (var s = 0; s < Symbols; s++) _series.Add(RandomWalk(SymbolId.Parse($"SYM{s}USDT"), MinutesPerYear, 1000 + s));
        _selection = new LakeSelection(_series.Select(s => s.Symbol).ToList(), Interval.OneMinute);
        WriteLake();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_lake)) Directory.Delete(_lake, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "in-process kernels, in-memory series")]
    public long InProcess()
    {
        long values = 0;
        foreach (var s in _series)
        {
            var result = _inProcess.RunAsync(_plan, s).GetAwaiter().GetResult();
            values += result.Columns.Count * (long)result.OpenTime.Length;
        }
        return values;
    }

    [Benchmark(Description = "DuckDB SQL over the Parquet lake")]
    public long DuckDbLake()
    {
        long values = 0;
        foreach (var result in _duckdb.RunLakeAsync(_plan, _selection).GetAwaiter().GetResult())
            values += result.Columns.Count * (long)result.OpenTime.Length;
        return values;
    }

    private static CandleSeries RandomWalk(SymbolId symbol, int n, int seed)
    {
        var rng = new Random(seed);
        var s = new CandleSeries(symbol, Interval.OneMinute, n);
        var price = 100.0 * (1 + seed % 7);
        for (var i = 0; i < n; i++)
        {
            var t = Start + i * 60_000L;
            var next = price * (1 + (rng.NextDouble() - 0.5) * 0.004);
            var volume = 1 + rng.NextDouble() * 100;
            s.Add(new Candle(t, price, Math.Max(price, next) * (1 + rng.NextDouble() * 0.001), Math.Min(price, next) * (1 - rng.NextDouble() * 0.001), next, volume,
                t + 59_999, volume * next, 1 + rng.Next(100), volume / 2, volume * next / 2));
            price = next;
        }
        return s;
    }

    private void WriteLake()
    {
        Directory.CreateDirectory(Path.Combine(_lake, "klines", "exchange=binance"));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE c (symbol VARCHAR, open_time BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, close_time BIGINT, quote_volume DOUBLE, trades BIGINT, taker_buy_base DOUBLE, taker_buy_quote DOUBLE)";
            create.ExecuteNonQuery();
        }
        using (var appender = connection.CreateAppender("c"))
        {
            foreach (var s in _series)
            {
                for (var i = 0; i < s.Count; i++)
                {
                    appender.CreateRow().AppendValue(s.Symbol.Value).AppendValue(s.OpenTime[i]).AppendValue(s.Open[i]).AppendValue(s.High[i]).AppendValue(s.Low[i]).AppendValue(s.Close[i])
                        .AppendValue(s.Volume[i]).AppendValue(s.CloseTime[i]).AppendValue(s.QuoteVolume[i]).AppendValue(s.TradeCount[i]).AppendValue(s.TakerBuyBaseVolume[i]).AppendValue(s.TakerBuyQuoteVolume[i]).EndRow();
                }
            }
        }
        using var copy = connection.CreateCommand();
        copy.CommandText = $"COPY (SELECT *, '1m' AS interval, strftime(make_timestamp(open_time * 1000), '%Y') AS year, strftime(make_timestamp(open_time * 1000), '%m') AS month FROM c) " +
                           $"TO {SqlDialect.DuckDb.StringLiteral(Path.Combine(_lake, "klines", "exchange=binance"))} (FORMAT parquet, PARTITION_BY (symbol, interval, year, month), OVERWRITE_OR_IGNORE)";
        copy.ExecuteNonQuery();
    }
}
