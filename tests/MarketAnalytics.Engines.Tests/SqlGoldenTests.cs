using DuckDB.NET.Data;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;
using MarketAnalytics.Testing;
using Xunit;

namespace MarketAnalytics.Engines.Tests;

/// <summary>
/// Golden SQL for every built-in indicator (default parameters) and every SQL detector, in both dialects
/// (Golden/sql/&lt;dialect&gt;/&lt;name&gt;.sql; regenerate with MARKETANALYTICS_UPDATE_GOLDEN_SQL=1 and review the diff).
/// Every DuckDB golden query is also executed, so the file is known to be valid DuckDB SQL.
/// </summary>
public sealed class SqlGoldenTests
{
    private static readonly LakeSelection Selection = new([SymbolId.Parse("BTCUSDT"), SymbolId.Parse("ETHUSDT")], Interval.OneMinute, 1_690_848_000_000, 1_698_796_800_000);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var dialect in new[] { "duckdb", "spark" })
        {
            foreach (var name in SqlPlanCompiler.BuiltInSqlIndicators) data.Add(dialect, name);
            foreach (var name in SqlDetectorLibrary.Names) data.Add(dialect, name);
        }
        return data;
    }

    private static string Compile(string dialectName, string name, SqlSource source)
    {
        var dialect = SqlDialect.Parse(dialectName);
        var isDetector = SqlDetectorLibrary.Names.Contains(name);
        var plan = isDetector ? new AnalysisPlan([], [name]) : new AnalysisPlan([new IndicatorSpec(name, [])], []);
        var compiled = new SqlPlanCompiler(IndicatorRegistry.CreateDefault()).Compile(plan, source, dialect);
        return isDetector ? compiled.Detectors[0].Query : compiled.IndicatorQuery;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedSqlMatchesTheGoldenFile(string dialect, string name)
    {
        var sql = Compile(dialect, name, SqlSource.Lake("/data/lake", Selection)).ReplaceLineEndings("\n") + "\n";
        var dir = Path.Combine(SharedData.RepoRoot, "tests", "MarketAnalytics.Engines.Tests", "Golden", "sql", dialect);
        var file = Path.Combine(dir, name + ".sql");
        if (Environment.GetEnvironmentVariable("MARKETANALYTICS_UPDATE_GOLDEN_SQL") == "1")
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(file, sql);
        }
        Assert.True(File.Exists(file), $"golden file {file} is missing (run with MARKETANALYTICS_UPDATE_GOLDEN_SQL=1 to create it)");
        Assert.Equal(File.ReadAllText(file).ReplaceLineEndings("\n"), sql);
    }

    public static TheoryData<string> DuckDbCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in SqlPlanCompiler.BuiltInSqlIndicators) data.Add(name);
        foreach (var name in SqlDetectorLibrary.Names) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(DuckDbCases))]
    public void DuckDbSqlExecutes(string name)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        TestLake.CreateCandleTable(connection, "candles", TaLibGoldenTests.Series());
        using var command = connection.CreateCommand();
        command.CommandText = Compile("duckdb", name, SqlSource.Table("candles", Interval.OneMinute));
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read()) rows++;
        Assert.True(SqlDetectorLibrary.Names.Contains(name) || rows == 3000, $"{name}: {rows} rows");
    }

    [Fact]
    public void SparkDialectUsesSparkSyntax()
    {
        var sql = Compile("spark", "macd", SqlSource.Lake("hdfs://nn/lake", Selection));
        Assert.Contains("FROM parquet.`hdfs://nn/lake/klines/exchange=binance`", sql, StringComparison.Ordinal);
        Assert.Contains("`symbol` IN ('BTCUSDT', 'ETHUSDT') AND `interval` = '1m' AND `open_time` >= 1690848000000 AND `open_time` < 1698796800000", sql, StringComparison.Ordinal);
        Assert.Contains(" DIV ", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("\"", sql, StringComparison.Ordinal);
        var spark = Compile("spark", AnomalyKinds.VolumeSpike, SqlSource.Lake("hdfs://nn/lake", Selection));
        Assert.Contains("collect_list(`x`) OVER", spark, StringComparison.Ordinal);
        Assert.Contains("percentile(`x`, 0.5D) OVER", spark, StringComparison.Ordinal);
    }

    [Fact]
    public void DuckDbDialectReadsTheLakeWithHivePartitioning()
    {
        var sql = Compile("duckdb", "sma", SqlSource.Lake("/data/lake", Selection));
        Assert.Contains("read_parquet('/data/lake/klines/exchange=binance/symbol=*/interval=*/year=*/month=*/*.parquet', hive_partitioning = true", sql, StringComparison.Ordinal);
        Assert.Contains("\"symbol\" IN ('BTCUSDT', 'ETHUSDT')", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void NumbersAreDoubleLiteralsInBothDialects()
    {
        Assert.Equal("0.15384615384615385E0", SqlDialect.DuckDb.DoubleLiteral(2.0 / 13));
        Assert.Equal("(-1.5E0)", SqlDialect.Spark.DoubleLiteral(-1.5));
        Assert.Equal("1E-14", SqlDialect.Spark.DoubleLiteral(1e-14));
        Assert.Throws<ArgumentOutOfRangeException>(() => SqlDialect.DuckDb.DoubleLiteral(double.NaN));
    }
}
