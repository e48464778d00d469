using System.Text.Json;
using MarketAnalytics.DuckDb;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Engines.Tests;

/// <summary>The DuckDB dialect against TA-Lib 0.6 values (npm talib, see Golden/make-golden.js) on a seeded random walk.</summary>
public sealed class TaLibGoldenTests(ITestOutputHelper output)
{
    internal sealed record Golden(long[] Time, double[] Open, double[] High, double[] Low, double[] Close, double[] Volume, Dictionary<string, Dictionary<string, double?[]>> Cases);

    internal static readonly Lazy<Golden> Data = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", "talib-golden.json")));
        var root = doc.RootElement;
        double[] D(string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var cases = new Dictionary<string, Dictionary<string, double?[]>>();
        foreach (var c in root.GetProperty("cases").EnumerateObject())
        {
            cases[c.Name] = c.Value.EnumerateObject().ToDictionary(o => o.Name,
                o => o.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble()).ToArray());
        }
        return new Golden(root.GetProperty("time").EnumerateArray().Select(e => e.GetInt64()).ToArray(), D("open"), D("high"), D("low"), D("close"), D("volume"), cases);
    });

    internal static CandleSeries Series()
    {
        var g = Data.Value;
        var s = new CandleSeries(SymbolId.Parse("TESTUSDT"), Interval.OneMinute, g.Time.Length);
        for (var i = 0; i < g.Time.Length; i++)
            s.Add(new Candle(g.Time[i], g.Open[i], g.High[i], g.Low[i], g.Close[i], g.Volume[i], g.Time[i] + 59_999, g.Volume[i] * g.Close[i], 10, g.Volume[i] / 2, g.Volume[i] * g.Close[i] / 2));
        return s;
    }

    /// <summary>|a − b| ≤ 1e-9 · max(|a|, |b|, scale): relative, with the output's natural scale as floor for values crossing zero.</summary>
    internal static bool Close(double a, double b, double scale) => Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), scale);

    public static TheoryData<string> Cases() => new(Data.Value.Cases.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DuckDbMatchesTaLibAfterTheHorizonAndIsNullBefore(string spec)
    {
        var g = Data.Value;
        var engine = DuckDbEngineExtensions.Create(new IndicatorRegistry(), new DuckDbEngineOptions());
        var plan = new AnalysisPlan([IndicatorSpec.Parse(spec)], []);
        var compiled = new SqlPlanCompiler(new IndicatorRegistry()).Compile(plan, SqlSource.Table("t", Interval.OneMinute), SqlDialect.DuckDb);
        var result = await engine.RunAsync(plan, Series());
        Compare(spec, compiled, result.Columns.Select(c => (c.Name, c.Values)).ToList());
    }

    /// <summary>Spark's closed form (per-block cumulative sums instead of sliding frames), executed on DuckDB: same values, same horizons.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void SparkCumulativeClosedFormMatchesTaLib(string spec)
    {
        var plan = new AnalysisPlan([IndicatorSpec.Parse(spec)], []);
        var compiled = new SqlPlanCompiler(new IndicatorRegistry()).Compile(plan, SqlSource.Table("candles", Interval.OneMinute), SqlDialect.DuckDb, cumulativeBlocks: true);
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        TestLake.CreateCandleTable(connection, "candles", Series());
        using var command = connection.CreateCommand();
        command.CommandText = compiled.IndicatorQuery;
        using var reader = command.ExecuteReader();
        var values = compiled.Columns.Select(_ => new List<double>()).ToList();
        while (reader.Read())
        {
            for (var k = 0; k < values.Count; k++) values[k].Add(reader.IsDBNull(k + 2) ? double.NaN : reader.GetDouble(k + 2));
        }
        Compare(spec, compiled, compiled.Columns.Select((c, k) => (c.Name, values[k].ToArray())).ToList());
    }

    private void Compare(string spec, CompiledSqlPlan compiled, IReadOnlyList<(string Name, double[] Values)> columns)
    {
        var g = Data.Value;
        var expected = g.Cases[spec].Values.ToList();
        if (spec.StartsWith("aroon", StringComparison.Ordinal)) expected.Reverse(); // TA-Lib: down, up; MarketAnalytics: up, down
        Assert.Equal(expected.Count, columns.Count);
        var scale = g.Close.Average(Math.Abs);
        for (var k = 0; k < expected.Count; k++)
        {
            var column = columns[k];
            var first = compiled.Columns[k].FirstRow;
            var compared = 0;
            var worst = 0.0;
            for (var i = 0; i < expected[k].Length; i++)
            {
                var actual = column.Values[i];
                if (i < first)
                {
                    Assert.True(double.IsNaN(actual), $"{column.Name}[{i}] should be NULL before the horizon {first} but is {actual}");
                    continue;
                }
                Assert.True(expected[k][i].HasValue, $"{column.Name}[{i}]: TA-Lib has no value at or after the SQL horizon {first}");
                var e = expected[k][i]!.Value;
                var s = OutputScale(spec, scale);
                worst = Math.Max(worst, Math.Abs(actual - e) / Math.Max(Math.Max(Math.Abs(e), Math.Abs(actual)), s));
                Assert.True(Close(actual, e, s), $"{column.Name}[{i}]: duckdb {actual:R} vs TA-Lib {e:R} (horizon {first})");
                compared++;
            }
            Assert.True(compared > 500, $"{column.Name}: only {compared} values compared");
            output.WriteLine($"{column.Name}: horizon {first}, {compared} values, worst relative error {worst:E2}");
        }
    }

    /// <summary>Natural scale of an output: 100 for oscillators, the price level for price-like values, volume sums for OBV.</summary>
    internal static double OutputScale(string spec, double priceScale) => spec switch
    {
        _ when spec.StartsWith("rsi", StringComparison.Ordinal) || spec.StartsWith("stoch", StringComparison.Ordinal) || spec.StartsWith("adx", StringComparison.Ordinal)
            || spec.StartsWith("willr", StringComparison.Ordinal) || spec.StartsWith("mfi", StringComparison.Ordinal) || spec.StartsWith("aroon", StringComparison.Ordinal)
            || spec.StartsWith("cci", StringComparison.Ordinal) || spec.StartsWith("roc", StringComparison.Ordinal) || spec.StartsWith("natr", StringComparison.Ordinal) => 100,
        _ when spec.StartsWith("obv", StringComparison.Ordinal) => 1000,
        // TA-Lib computes VAR as E[x²] − E[x]², whose cancellation error is relative to the mean square.
        _ when spec.StartsWith("var", StringComparison.Ordinal) => priceScale * priceScale,
        _ => priceScale,
    };
}
