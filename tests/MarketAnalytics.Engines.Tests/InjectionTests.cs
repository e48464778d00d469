using DuckDB.NET.Data;
using MarketAnalytics.DuckDb;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;
using Xunit;

namespace MarketAnalytics.Engines.Tests;

/// <summary>Tries SQL injection through every user-controlled field that can reach generated SQL.</summary>
public sealed class InjectionTests
{
    private static readonly string[] Payloads =
    [
        "x'); DROP TABLE victim; --",
        "x\"; DROP TABLE victim; --",
        "x`; DROP TABLE victim; --",
        "x\\'; DROP TABLE victim; --",
        "x' OR '1'='1",
        "x\\",
        "x'||(SELECT 1)||'",
    ];

    private static readonly LakeSelection Selection = new([SymbolId.Parse("BTCUSDT")], Interval.OneMinute);

    [Fact]
    public void SymbolsCannotCarrySql()
    {
        foreach (var p in Payloads) Assert.Throws<InvalidSymbolException>(() => SymbolId.Parse(p));
        Assert.Throws<InvalidSymbolException>(() => SymbolId.Parse("BTCUSDT' OR 1=1"));
    }

    [Fact]
    public void IntervalsCannotCarrySql()
    {
        foreach (var p in Payloads) Assert.Throws<InvalidIntervalException>(() => Interval.Parse(p));
    }

    [Fact]
    public void IndicatorSpecsCannotCarrySql()
    {
        foreach (var p in new[] { "sma(20); DROP TABLE victim", "sma'(20)", "sma(20' OR 1=1)", "sma(\"x\")", "sma(1e400)", "sma(20)--" })
            Assert.ThrowsAny<MarketAnalyticsException>(() => IndicatorSpec.ParseList(p).Select(s => new SqlPlanCompiler(new IndicatorRegistry()).Compile(new AnalysisPlan([s], []), SqlSource.Lake("/l", Selection), SqlDialect.DuckDb)).ToList());
    }

    [Fact]
    public void DetectorNamesCannotCarrySql()
    {
        foreach (var p in Payloads)
            Assert.Throws<InvalidSpecException>(() => new SqlPlanCompiler(new IndicatorRegistry()).Compile(new AnalysisPlan([], [p]), SqlSource.Lake("/l", Selection), SqlDialect.Spark));
    }

    [Fact]
    public void TableNamesAreValidated()
    {
        foreach (var p in Payloads) Assert.Throws<UnsafeSqlInputException>(() => SqlSource.Table(p, Interval.OneMinute));
    }

    [Fact]
    public void CustomIndicatorColumnNamesAreValidated()
    {
        var registry = new IndicatorRegistry();
        registry.Register(new EvilColumnDefinition());
        var e = Assert.Throws<UnsafeSqlInputException>(() => new SqlPlanCompiler(registry).Compile(new AnalysisPlan([IndicatorSpec.Parse("evil")], []), SqlSource.Lake("/l", Selection), SqlDialect.DuckDb));
        Assert.Contains("output column name", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> LakePaths() => new(Payloads.Select(p => "/tmp/lake/" + p));

    [Theory]
    [MemberData(nameof(LakePaths))]
    public void DuckDbLakePathsStayOneStringLiteral(string path)
    {
        // Executed for real: the statement must fail to find files, and the victim table must survive.
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var c = connection.CreateCommand()) { c.CommandText = "CREATE TABLE victim (x INTEGER); INSERT INTO victim VALUES (1)"; c.ExecuteNonQuery(); }
        var sql = new SqlPlanCompiler(new IndicatorRegistry()).Compile(new AnalysisPlan([IndicatorSpec.Parse("sma(3)")], []), SqlSource.Lake(path, Selection), SqlDialect.DuckDb).IndicatorQuery;
        using (var c = connection.CreateCommand())
        {
            c.CommandText = sql;
            var e = Assert.ThrowsAny<DuckDBException>(() => c.ExecuteNonQuery());
            Assert.Contains("No files found", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        using (var c = connection.CreateCommand()) { c.CommandText = "SELECT count(*) FROM victim"; Assert.Equal(1L, Convert.ToInt64(c.ExecuteScalar())); }
        Assert.Equal(path + "/klines/exchange=binance/symbol=*/interval=*/year=*/month=*/*.parquet", SingleStringLiteral(sql, '\'', doubled: true));
    }

    [Theory]
    [MemberData(nameof(LakePaths))]
    public void SparkLakePathsStayOneQuotedIdentifier(string path)
    {
        var sql = new SqlPlanCompiler(new IndicatorRegistry()).Compile(new AnalysisPlan([IndicatorSpec.Parse("sma(3)")], []), SqlSource.Lake(path, Selection), SqlDialect.Spark).IndicatorQuery;
        var start = sql.IndexOf("parquet.`", StringComparison.Ordinal) + "parquet.".Length;
        Assert.Equal(path + "/klines/exchange=binance", ReadQuoted(sql, start, '`', out _));
    }

    [Theory]
    [MemberData(nameof(LakePaths))]
    public void SparkStringLiteralsEscapeQuotesAndBackslashes(string value)
    {
        var literal = SqlDialect.Spark.StringLiteral(value);
        // Spark unescapes \\ and \' inside '...': decode and compare, and check the literal ends exactly at the end.
        var decoded = new System.Text.StringBuilder();
        Assert.Equal('\'', literal[0]);
        var i = 1;
        for (; i < literal.Length - 1; i++)
        {
            if (literal[i] == '\\') { decoded.Append(literal[++i]); continue; }
            Assert.NotEqual('\'', literal[i]);
            decoded.Append(literal[i]);
        }
        Assert.Equal(literal.Length - 1, i);
        Assert.Equal(value, decoded.ToString());
    }

    [Fact]
    public void ControlCharactersAreRejected()
    {
        Assert.Throws<UnsafeSqlInputException>(() => SqlDialect.DuckDb.StringLiteral("a\nb"));
        Assert.Throws<UnsafeSqlInputException>(() => SqlDialect.Spark.StringLiteral("a\0b"));
        Assert.Throws<UnsafeSqlInputException>(() => new SqlPlanCompiler(new IndicatorRegistry()).Compile(new AnalysisPlan([IndicatorSpec.Parse("sma(3)")], []), SqlSource.Lake("/l\n; DROP", Selection), SqlDialect.Spark));
    }

    [Fact]
    public void EngineOptionsRejectUnsafeValues()
    {
        Assert.NotEmpty(new DuckDbEngineOptions { LakePath = "/l\u0000" }.Validate());
        Assert.NotEmpty(new DuckDbEngineOptions { MemoryLimit = "1GB'; DROP TABLE victim; --" }.Validate());
        Assert.Throws<InvalidOptionsException>(() => DuckDbEngineExtensions.Create(new IndicatorRegistry(), new DuckDbEngineOptions { MemoryLimit = "4GB; SET x=1" }));
    }

    [Fact]
    public void IdentifiersAreQuotedWithEscapingAsASecondLine()
    {
        Assert.Equal("\"a\"\"b\"", SqlDialect.DuckDb.QuoteIdentifier("a\"b"));
        Assert.Equal("`a``b`", SqlDialect.Spark.QuoteIdentifier("a`b"));
        Assert.Equal("'it''s'", SqlDialect.DuckDb.StringLiteral("it's"));
    }

    private static string SingleStringLiteral(string sql, char quote, bool doubled)
    {
        var start = sql.IndexOf("read_parquet(", StringComparison.Ordinal) + "read_parquet(".Length;
        return ReadQuoted(sql, start, quote, out _, doubled);
    }

    private static string ReadQuoted(string sql, int start, char quote, out int end, bool doubled = true)
    {
        Assert.Equal(quote, sql[start]);
        var sb = new System.Text.StringBuilder();
        var i = start + 1;
        while (true)
        {
            if (sql[i] == quote)
            {
                if (doubled && i + 1 < sql.Length && sql[i + 1] == quote) { sb.Append(quote); i += 2; continue; }
                end = i;
                return sb.ToString();
            }
            sb.Append(sql[i++]);
        }
    }

    private sealed class EvilColumnDefinition : IIndicatorDefinition
    {
        public string Name => "evil";
        public string Description => "column name with SQL in it";
        public IReadOnlyList<IndicatorParameter> Parameters => [];
        public IIndicator Create(IReadOnlyList<double> parameters) => new Evil();

        private sealed class Evil : IIndicator, ISqlIndicator
        {
            public string Name => "evil";
            public IReadOnlyList<string> Outputs => ["value"];
            public IReadOnlyList<string> ColumnNames => ["x\" FROM victim; DROP TABLE victim; --"];
            public int Lookback => 0;
            public void Compute(scoped in IndicatorInput input, Span<double> outputs) => input.Close.CopyTo(outputs);
            public IIndicatorStream CreateStream() => throw new NotSupportedException();
            public IReadOnlyList<SqlIndicatorOutput> BuildSql(SqlIndicatorContext context) => [new(context.Close, 0)];
        }
    }
}
