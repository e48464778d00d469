using MarketAnalytics.Indicators;
using Xunit;

namespace MarketAnalytics.Spark.Tests;

/// <summary>Against a real Spark Connect server (docker compose up spark-connect); skipped unless MARKETANALYTICS_SPARK_REMOTE is set.</summary>
public sealed class SparkIntegrationTests
{
    private static string Remote()
    {
        var remote = Environment.GetEnvironmentVariable("MARKETANALYTICS_SPARK_REMOTE");
        Skip.If(string.IsNullOrEmpty(remote), "MARKETANALYTICS_SPARK_REMOTE is not set (e.g. sc://localhost:15002 after `docker compose up spark-connect`); real Spark test skipped.");
        return remote!;
    }

    [SkippableFact]
    public async Task ServerAnswersVersionAndQuery()
    {
        using var client = new SparkConnectClient(SparkConnectionString.Parse(Remote()));
        Assert.False(string.IsNullOrEmpty(await client.SparkVersionAsync()));
        using var result = await client.QueryAsync("SELECT id, CAST(id AS DOUBLE) * 1.5D AS x FROM range(10000)");
        Assert.Equal(10000, result.RowCount);
    }

    [SkippableFact]
    public async Task SparkDialectMatchesTheExpectedIndicatorValues()
    {
        using var engine = (SparkEngine)SparkEngineExtensions.Create(new IndicatorRegistry(), new SparkEngineOptions { Remote = Remote() });
        var series = new CandleSeries(SymbolId.Parse("TESTUSDT"), Interval.OneMinute);
        var price = 100.0;
        var rng = new Random(7);
        for (var i = 0; i < 1500; i++)
        {
            var next = price * (1 + (rng.NextDouble() - 0.5) * 0.01);
            series.Add(new Candle(1_700_000_000_000 + i * 60_000L, price, Math.Max(price, next) * 1.001, Math.Min(price, next) * 0.999, next, 10 + i % 7, 1_700_000_059_999 + i * 60_000L, 1000, 5, 5, 500));
            price = next;
        }
        var plan = new AnalysisPlan(IndicatorSpec.ParseList("sma(20),ema(12),rsi(14),macd(12,26,9),adx(14),aroon(14)"), []);
        var result = await engine.RunAsync(plan, series);
        Assert.Equal(series.Count, result.OpenTime.Length);
        var sma = result.Columns[0].Values;
        var expected = 0.0;
        for (var k = 0; k < 20; k++) expected += series.Close[1499 - k];
        Assert.Equal(expected / 20, sma[1499], 9);
        Assert.All(result.Columns, c => Assert.False(double.IsNaN(c.Values[^1]), c.Name));
    }

    [SkippableFact]
    public async Task MissingTableErrorsCarryTheErrorClass()
    {
        using var client = new SparkConnectClient(SparkConnectionString.Parse(Remote()));
        var e = await Assert.ThrowsAsync<SparkAnalysisException>(() => client.QueryAsync("SELECT * FROM marketanalytics_missing_table"));
        Assert.Equal("TABLE_OR_VIEW_NOT_FOUND", e.ErrorClass);
    }
}
