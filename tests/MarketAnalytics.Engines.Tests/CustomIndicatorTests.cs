using MarketAnalytics.DuckDb;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;
using Xunit;
using Q = MarketAnalytics.Engines.Sql.Sql;

namespace MarketAnalytics.Engines.Tests;

/// <summary>Custom indicators: with an <see cref="ISqlIndicator"/> form they run on DuckDB; without one the plan is rejected naming them.</summary>
public sealed class CustomIndicatorTests
{
    private sealed class Definition(bool withSql) : IIndicatorDefinition
    {
        public string Name => withSql ? "midrange" : "blackbox";
        public string Description => "(high + low) / 2 over a rolling maximum";
        public IReadOnlyList<IndicatorParameter> Parameters => [new("period", 3, 1, 100)];
        public IIndicator Create(IReadOnlyList<double> parameters) => withSql ? new SqlMid((int)parameters[0]) : new Mid((int)parameters[0]);
    }

    private class Mid(int period) : IIndicator
    {
        public string Name => $"mid({period})";
        public IReadOnlyList<string> Outputs => ["value"];
        public IReadOnlyList<string> ColumnNames => [$"mid_{period}"];
        public int Lookback => period - 1;
        public int Period => period;
        public void Compute(scoped in IndicatorInput input, Span<double> outputs)
        {
            for (var i = 0; i < input.Length; i++)
            {
                if (i < period - 1) { outputs[i] = double.NaN; continue; }
                var hi = double.MinValue;
                for (var k = 0; k < period; k++) hi = Math.Max(hi, input.High[i - k]);
                outputs[i] = (hi + input.Low[i]) / 2;
            }
        }
        public IIndicatorStream CreateStream() => throw new NotSupportedException();
    }

    private sealed class SqlMid(int period) : Mid(period), ISqlIndicator
    {
        public IReadOnlyList<SqlIndicatorOutput> BuildSql(SqlIndicatorContext context)
        {
            var highest = context.Define(Q.RollingMax(context.High, Period));
            return [new(context.Define(Q.Div(highest + context.Low, 2)), context.InputStart + Period - 1)];
        }
    }

    [Fact]
    public async Task CustomSqlFormRunsOnDuckDbAndMatchesItsKernel()
    {
        var registry = new IndicatorRegistry();
        registry.Register(new Definition(true));
        var series = TestLake.RandomWalk("BTCUSDT", 300, 9);
        var engine = DuckDbEngineExtensions.Create(registry, new DuckDbEngineOptions());
        var result = await engine.RunAsync(new AnalysisPlan([IndicatorSpec.Parse("midrange(4)")], []), series);
        var expected = new double[series.Count];
        new SqlMid(4).Compute(IndicatorInput.FromSeries(series), expected);
        Assert.Equal("mid_4", result.Columns[0].Name);
        Assert.Equal(expected, result.Columns[0].Values);
    }

    [Fact]
    public void CustomIndicatorWithoutSqlFormIsRejectedByName()
    {
        var registry = new IndicatorRegistry();
        registry.Register(new Definition(false));
        var e = Assert.Throws<SqlNotSupportedException>(() => new SqlPlanCompiler(registry).Compile(new AnalysisPlan([IndicatorSpec.Parse("blackbox(5)")], []), SqlSource.Table("t", Interval.OneMinute), SqlDialect.Spark));
        Assert.Equal("mid(5)", e.Analyzer);
        Assert.Contains("ISqlIndicator", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownIndicatorListsTheSqlIndicators()
    {
        var e = Assert.Throws<InvalidSpecException>(() => new SqlPlanCompiler(new IndicatorRegistry()).Compile(new AnalysisPlan([IndicatorSpec.Parse("nope(3)")], []), SqlSource.Table("t", Interval.OneMinute), SqlDialect.DuckDb));
        Assert.Contains("macd", e.Message, StringComparison.Ordinal);
    }
}
