using System.Globalization;
using MarketAnalytics.Cli;
using MarketAnalytics.Indicators;
using Xunit;

namespace MarketAnalytics.CustomIndicator.Tests;

/// <summary>A custom indicator used exactly like a built-in: batch, streaming, chaining both ways, CLI via configure and via --plugin.</summary>
public sealed class CustomIndicatorTests
{
    private static CandleSeries Series(int n = 300)
    {
        var s = new CandleSeries(SymbolId.Parse("CUSTOMUSDT"), Interval.OneHour, n);
        var rng = new Random(5);
        var price = 50.0;
        var t = 1_700_000_000_000L / 3_600_000 * 3_600_000;
        for (var i = 0; i < n; i++, t += 3_600_000)
        {
            var open = price;
            price *= 1 + (rng.NextDouble() - 0.5) * 0.03;
            s.Add(new Candle(t, open, Math.Max(open, price) + 0.1, Math.Min(open, price) - 0.1, price, 10 + rng.NextDouble() * 5, t + 3_599_999, double.NaN, -1, double.NaN, double.NaN));
        }
        return s;
    }

    private static IndicatorRegistry Registry()
    {
        var builder = new MarketAnalyticsBuilder().AddIndicator(new ZScoreDefinition());
        return builder.Indicators;
    }

    private static double[] Batch(IIndicator indicator, CandleSeries s)
    {
        var o = new double[indicator.Outputs.Count * s.Count];
        indicator.Compute(IndicatorInput.FromSeries(s), o);
        return o;
    }

    private static void Close(double expected, double actual, string what)
    {
        if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual}");
        else Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1e-300, Math.Max(Math.Abs(expected), Math.Abs(actual))), $"{what}: expected {expected:R}, got {actual:R}");
    }

    [Fact]
    public void Batch_and_streaming_with_revisions_agree()
    {
        var s = Series();
        var z = Registry().Resolve("zscore(15)");
        Assert.Equal(["zscore_15"], z.ColumnNames);
        var batch = Batch(z, s);
        Assert.All(batch.Take(14), v => Assert.True(double.IsNaN(v)));
        Close(ZScore.Window(s.Close.Slice(100 - 14, 15)), batch[100], "direct");
        var stream = z.CreateStream();
        var o = new double[1];
        for (var i = 0; i < s.Count; i++)
        {
            stream.Update(s[i] with { Close = s[i].Open }, o);
            stream.Update(s[i], o);
            Close(batch[i], o[0], $"stream[{i}]");
        }
    }

    [Fact]
    public void Chains_as_outer_indicator_over_a_builtin()
    {
        var s = Series();
        var registry = Registry();
        var chained = registry.Resolve("zscore(rsi(14),10)");
        Assert.Equal(["zscore_rsi_14_10"], chained.ColumnNames);
        Assert.Equal(14 + 9, chained.Lookback);
        var rsi = Batch(registry.Resolve("rsi(14)"), s);
        var expected = new double[s.Count];
        new ZScore(10).Compute(IndicatorInput.FromValues(rsi), expected);
        var batch = Batch(chained, s);
        var stream = chained.CreateStream();
        var o = new double[1];
        for (var i = 0; i < s.Count; i++)
        {
            Close(expected[i], batch[i], $"batch[{i}]");
            stream.Update(s[i], o);
            Close(expected[i], o[0], $"stream[{i}]");
        }
        Assert.True(double.IsNaN(batch[22]) && !double.IsNaN(batch[23]));
    }

    [Fact]
    public void Chains_as_source_of_a_builtin()
    {
        var s = Series();
        var registry = Registry();
        var chained = registry.Resolve("sma(zscore(20),5)");
        Assert.Equal(["sma_zscore_20_5"], chained.ColumnNames);
        var z = Batch(registry.Resolve("zscore(20)"), s);
        var batch = Batch(chained, s);
        var stream = chained.CreateStream();
        var o = new double[1];
        for (var i = 0; i < s.Count; i++)
        {
            var expected = i < 19 + 4 ? double.NaN : (z[i - 4] + z[i - 3] + z[i - 2] + z[i - 1] + z[i]) / 5;
            Close(expected, batch[i], $"batch[{i}]");
            stream.Update(s[i], o);
            Close(expected, o[0], $"stream[{i}]");
        }
    }

    [Fact]
    public void Unknown_custom_parameters_are_validated_like_builtins()
    {
        var e = Assert.Throws<InvalidSpecException>(() => Registry().Resolve("zscore(1)"));
        Assert.Contains("zscore", e.Message);
        Assert.Contains("Valid names:", e.Message);
    }

    [Fact]
    public async Task Runs_in_the_in_process_engine_like_a_builtin()
    {
        using var runtime = new MarketAnalyticsBuilder().AddIndicator(new ZScoreDefinition()).Build();
        var engine = ((IEnumerable<IAnalysisEngine>)runtime.Services.GetService(typeof(IEnumerable<IAnalysisEngine>))!).Single(e => e.Name == "inprocess");
        var s = Series();
        var result = await engine.RunAsync(new AnalysisPlan(IndicatorSpec.ParseList("zscore(20),ema(zscore(20),3)"), []), s);
        Assert.Equal(["zscore_20", "ema_zscore_20_3"], result.Columns.Select(c => c.Name));
        var expected = Batch(runtime.Indicators.Resolve("zscore(20)"), s);
        for (var i = 0; i < s.Count; i++) Close(expected[i], result.Columns[0].Values[i], $"engine[{i}]");
        Assert.True(double.IsNaN(result.Columns[1].Values[20]) && !double.IsNaN(result.Columns[1].Values[21]));
    }

    private static async Task<(int Code, string Out, string Err)> RunCli(string[] args, Action<MarketAnalyticsBuilder>? configure)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e, configure);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Cli_uses_a_custom_indicator_registered_through_configure()
    {
        var (code, stdout, err) = await RunCli(["indicators", "--spec", "zscore(20),sma(zscore(20),5)"], b => b.AddIndicator(new ZScoreDefinition()));
        Assert.True(code == CliApp.Ok, err);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("open_time,zscore_20,sma_zscore_20_5", lines[0]);
        Assert.EndsWith(",,", lines[19]);
        Assert.EndsWith(",", lines[23]);
        Assert.NotEqual("", lines[20].Split(',')[1]);
        Assert.NotEqual("", lines[24].Split(',')[2]);
        double.Parse(lines[24].Split(',')[2], CultureInfo.InvariantCulture);

        var without = await RunCli(["indicators", "--spec", "zscore(20)"], null);
        Assert.Equal(CliApp.InputError, without.Code);
        Assert.Contains("unknown indicator 'zscore'", without.Err);
    }

    [Fact]
    public async Task Cli_loads_a_custom_indicator_from_a_plugin_assembly()
    {
        var plugin = typeof(ZScoreDefinition).Assembly.Location;
        var (code, stdout, err) = await RunCli(["indicators", "--spec", "zscore(rsi(14),10)", "--plugin", plugin], null);
        Assert.True(code == CliApp.Ok, err);
        Assert.StartsWith("open_time,zscore_rsi_14_10\n", stdout);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(501, rows.Length);
        Assert.EndsWith(",", rows[23]);
        Assert.False(rows[24].EndsWith(','));
    }
}
