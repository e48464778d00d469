using MarketAnalytics.Cli.Commands;
using MarketAnalytics.Indicators;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace MarketAnalytics.Tests.Indicators;

/// <summary>Registry, naming, non-TA-Lib indicators (against independent references), NaN handling, fast kernels, revisions and the engine.</summary>
public sealed class IndicatorBehaviourTests
{
    private static readonly IndicatorRegistry Registry = IndicatorRegistry.CreateDefault();

    private static CandleSeries Walk(int n = 400, int seed = 7, Interval? interval = null) =>
        IndicatorsCommand.Synthetic(SymbolId.Parse("TESTUSDT"), interval ?? Interval.OneHour, n, seed);

    private static double[] Batch(IIndicator indicator, CandleSeries s)
    {
        var o = new double[indicator.Outputs.Count * s.Count];
        indicator.Compute(IndicatorInput.FromSeries(s), o);
        return o;
    }

    /// <summary>A copy of <paramref name="s"/> with row <paramref name="row"/> changed (e.g. a NaN the window reference must see).</summary>
    private static CandleSeries Damaged(CandleSeries s, int row, Func<Candle, Candle> damage)
    {
        var copy = new CandleSeries(s.Symbol, s.Interval, s.Count);
        for (var i = 0; i < s.Count; i++) copy.Add(i == row ? damage(s[i]) : s[i]);
        return copy;
    }

    private static double[][] Stream(IIndicator indicator, CandleSeries s)
    {
        var stream = indicator.CreateStream();
        var rows = new double[s.Count][];
        for (var i = 0; i < s.Count; i++)
        {
            rows[i] = new double[stream.OutputCount];
            stream.Update(s[i], rows[i]);
        }
        return rows;
    }

    [Theory]
    [InlineData("sma(20)", "sma_20")]
    [InlineData("bbands(20,2,2)", "bbands_20_2_2_upper,bbands_20_2_2_middle,bbands_20_2_2_lower")]
    [InlineData("bbands(20,1.5)", "bbands_20_1.5_2_upper,bbands_20_1.5_2_middle,bbands_20_1.5_2_lower")]
    [InlineData("MACD( 12 , 26 , 9 )", "macd_12_26_9_macd,macd_12_26_9_signal,macd_12_26_9_hist")]
    [InlineData("stoch(14,3,3)", "stoch_14_3_3_k,stoch_14_3_3_d")]
    [InlineData("obv", "obv")]
    [InlineData("trange()", "trange")]
    [InlineData("aroon(14)", "aroon_14_up,aroon_14_down")]
    [InlineData("rsi", "rsi_14")]
    [InlineData("stddev(20)", "stddev_20")]
    [InlineData("sma(rsi(14),5)", "sma_rsi_14_5")]
    [InlineData("ema(macd(12,26,9).signal,3)", "ema_macd_12_26_9_signal_3")]
    [InlineData("vwap(24)", "vwap_24")]
    [InlineData("rvol(30)", "rvol_30")]
    public void Column_names_follow_the_naming_rule(string spec, string columns)
    {
        Assert.Equal(columns.Split(','), Registry.Resolve(spec).ColumnNames);
    }

    [Fact]
    public void All_builtins_are_registered_with_talib_defaults_and_resolve()
    {
        string[] expected = ["sma", "ema", "wma", "dema", "tema", "rsi", "macd", "bbands", "atr", "natr", "trange", "stddev", "var",
            "stoch", "adx", "cci", "willr", "mfi", "obv", "roc", "mom", "aroon", "vwap", "rvol"];
        Assert.Equal(expected, IndicatorRegistry.BuiltinNames);
        var all = Registry.ResolveList("all");
        Assert.Equal(expected.Length, all.Count);
        Assert.Equal("sma(30)", all[0].Name);
        Assert.Equal("macd(12,26,9)", all[6].Name);
        Assert.Equal(33, all[6].Lookback);
        Assert.Equal(27, Registry.Resolve("adx(14)").Lookback);
        Assert.Equal(4 + 2 + 2, Registry.Resolve("stoch").Lookback);
        Assert.Equal(14 + 4, Registry.Resolve("sma(rsi(14),5)").Lookback);
    }

    [Theory]
    [InlineData("foo(3)", "unknown indicator 'foo'")]
    [InlineData("sma(1)", "parameter 'period' of sma must be an integer in [2, 100000], got 1")]
    [InlineData("sma(2.5)", "must be an integer")]
    [InlineData("sma(20,3)", "takes at most 1 parameter")]
    [InlineData("macd(12,26,1)", "parameter 'signal'")]
    [InlineData("rsi(-3)", "parameter 'period'")]
    [InlineData("sma(bogus(3),5)", "unknown indicator 'bogus'")]
    public void Bad_specs_throw_InvalidSpecException_listing_valid_names(string spec, string fragment)
    {
        var e = Assert.Throws<InvalidSpecException>(() => Registry.ResolveList(spec));
        Assert.Contains(fragment, e.Message);
        Assert.Contains("Valid names: adx, aroon, atr, bbands", e.Message);
    }

    [Fact]
    public void Unknown_output_selector_lists_the_source_outputs()
    {
        var e = Assert.Throws<InvalidSpecException>(() => Registry.Resolve("ema(macd(12,26,9).sig,3)"));
        Assert.Contains("macd, signal, hist", e.Message);
    }

    [Fact]
    public void Vwap_matches_a_direct_windowed_reference_in_batch_and_streaming()
    {
        var s = Damaged(Walk(600), 300, c => c with { Volume = double.NaN });
        const int p = 24;
        var indicator = Registry.Resolve($"vwap({p})");
        var batch = Batch(indicator, s);
        var stream = Stream(indicator, s);
        for (var i = 0; i < s.Count; i++)
        {
            double expected = double.NaN;
            if (i >= p - 1)
            {
                double pv = 0, v = 0;
                for (var j = i - p + 1; j <= i; j++)
                {
                    pv += (s.High[j] + s.Low[j] + s.Close[j]) / 3.0 * s.Volume[j];
                    v += s.Volume[j];
                }
                expected = pv / v;
            }
            Assert.Null(Compare.Value(expected, batch[i]));
            Assert.Null(Compare.Value(expected, stream[i][0]));
        }
        Assert.Equal(p - 1, indicator.Lookback);
    }

    [Theory]
    [InlineData("1h", 8766.0)]
    [InlineData("1m", 525960.0)]
    [InlineData("1d", 365.25)]
    public void Realized_volatility_matches_a_direct_reference_annualised_for_the_interval(string intervalName, double periodsPerYear)
    {
        var interval = Interval.Parse(intervalName);
        var s = Damaged(Walk(500, 11, interval), 250, c => c with { Close = double.NaN });
        const int p = 30;
        var indicator = Registry.Resolve($"rvol({p})");
        var batch = Batch(indicator, s);
        var stream = Stream(indicator, s);
        for (var i = 0; i < s.Count; i++)
        {
            var expected = double.NaN;
            if (i >= p)
            {
                var sum = 0.0;
                for (var j = i - p + 1; j <= i; j++)
                {
                    var r = Math.Log(s.Close[j] / s.Close[j - 1]);
                    sum += r * r;
                }
                expected = Math.Sqrt(sum / p * periodsPerYear);
            }
            Assert.Null(Compare.Value(expected, batch[i]));
            Assert.Null(Compare.Value(expected, stream[i][0]));
        }
    }

    [Fact]
    public void Realized_volatility_without_an_interval_is_a_clear_error()
    {
        var values = new double[50];
        for (var i = 0; i < values.Length; i++) values[i] = 100 + i;
        var e = Assert.Throws<MarketAnalyticsException>(() => Registry.Resolve("rvol(10)").Compute(IndicatorInput.FromValues(values), new double[50]));
        Assert.Contains("interval", e.Message);
    }

    [Theory]
    [InlineData("sma(20)")]
    [InlineData("ema(20)")]
    [InlineData("rsi(14)")]
    [InlineData("macd(12,26,9)")]
    [InlineData("macd(26,12,5)")]
    [InlineData("bbands(20,2,2)")]
    [InlineData("bbands(9,1.5,3)")]
    [InlineData("atr(14)")]
    [InlineData("atr(1)")]
    [InlineData("stddev(20,1)")]
    [InlineData("stddev(7,2.5)")]
    [InlineData("sma(3)")]
    [InlineData("ema(50)")]
    [InlineData("ema(2000)")]
    public void Fast_kernels_equal_the_step_cores(string spec)
    {
        // 40 003 positive rows: large enough for the blocked (4-chain) SMA/EMA paths, odd so the tail loop runs too.
        var s = Walk(40_003, 3);
        Assert.True(Kernels.AllPositive(s.Close));
        var indicator = Registry.Resolve(spec);
        var fast = Batch(indicator, s);
        var reference = new double[fast.Length];
        RunReference(indicator, s, reference);
        Compare.Equal(reference, fast, spec);
    }

    private static void RunReference(IIndicator indicator, CandleSeries s, double[] output)
    {
        switch (indicator)
        {
            case CoreIndicator<SmaCore> c: Assert.True(c.HasFastKernel); c.ComputeReference(IndicatorInput.FromSeries(s), output); break;
            case CoreIndicator<EmaCore> c: Assert.True(c.HasFastKernel); c.ComputeReference(IndicatorInput.FromSeries(s), output); break;
            case CoreIndicator<RsiCore> c: Assert.True(c.HasFastKernel); c.ComputeReference(IndicatorInput.FromSeries(s), output); break;
            case CoreIndicator<MacdCore> c: Assert.True(c.HasFastKernel); c.ComputeReference(IndicatorInput.FromSeries(s), output); break;
            case CoreIndicator<BbandsCore> c: Assert.True(c.HasFastKernel); c.ComputeReference(IndicatorInput.FromSeries(s), output); break;
            case CoreIndicator<AtrCore> c: Assert.True(c.HasFastKernel); c.ComputeReference(IndicatorInput.FromSeries(s), output); break;
            case CoreIndicator<VarCore> c: Assert.True(c.HasFastKernel); c.ComputeReference(IndicatorInput.FromSeries(s), output); break;
            default: throw new InvalidOperationException(indicator.GetType().Name);
        }
    }

    [Fact]
    public void Fast_kernels_over_input_with_negative_values_use_the_exact_chain()
    {
        var x = new double[40_000];
        for (var i = 0; i < x.Length; i++) x[i] = Math.Sin(i * 0.01) * 5 + (i % 7) * 0.1;
        Assert.False(Kernels.AllPositive(x));
        foreach (var spec in new[] { "sma(20)", "ema(20)" })
        {
            var indicator = Registry.Resolve(spec);
            var fast = new double[x.Length];
            indicator.Compute(IndicatorInput.FromValues(x), fast);
            var exact = new double[x.Length];
            ((IExactIndicator)indicator).ComputeExact(IndicatorInput.FromValues(x), exact);
            Assert.Equal(exact, fast); // bit-identical, including values near zero
        }
    }

    [Fact]
    public void Leading_NaN_rows_are_skipped_and_shift_the_warm_up()
    {
        var values = new double[60];
        for (var i = 0; i < values.Length; i++) values[i] = i < 7 ? double.NaN : 100 + Math.Sin(i);
        var sma = Registry.Resolve("sma(5)");
        var shifted = new double[60];
        sma.Compute(IndicatorInput.FromValues(values), shifted);
        var clean = new double[53];
        sma.Compute(IndicatorInput.FromValues(values.AsSpan(7)), clean);
        Assert.All(shifted.Take(7 + 4), v => Assert.True(double.IsNaN(v)));
        Compare.Equal(clean, shifted.AsSpan(7), "shifted sma");
    }

    [Theory]
    [InlineData("sma(5)")]
    [InlineData("ema(5)")]
    [InlineData("rsi(5)")]
    [InlineData("macd(3,6,2)")]
    [InlineData("bbands(5,2,2)")]
    [InlineData("atr(5)")]
    [InlineData("stddev(5)")]
    [InlineData("stoch(5,3,3)")]
    [InlineData("adx(5)")]
    [InlineData("cci(5)")]
    [InlineData("willr(5)")]
    [InlineData("mfi(5)")]
    [InlineData("aroon(5)")]
    [InlineData("vwap(5)")]
    [InlineData("rvol(5)")]
    [InlineData("sma(rsi(5),3)")]
    public void Interior_NaN_gives_the_same_NaN_positions_in_batch_and_streaming(string spec)
    {
        var s = Walk(120, 5);
        var damaged = new CandleSeries(s.Symbol, s.Interval);
        for (var i = 0; i < s.Count; i++)
        {
            var c = s[i];
            damaged.Add(i == 50 ? c with { Close = double.NaN, High = double.NaN } : c);
        }
        var indicator = Registry.Resolve(spec);
        var batch = Batch(indicator, damaged);
        var stream = Stream(indicator, damaged);
        var n = damaged.Count;
        for (var k = 0; k < indicator.Outputs.Count; k++)
        {
            for (var i = 0; i < n; i++) Assert.Null(Compare.Value(batch[k * n + i], stream[i][k]));
        }
        // TA-Lib comparisons (min/max scans, MFI flow direction) treat a NaN as "no change"; arithmetic indicators propagate it.
        Assert.True(double.IsNaN(batch[50]) || spec.StartsWith("stoch") || spec.StartsWith("willr") || spec.StartsWith("aroon") || spec.StartsWith("cci") || spec.StartsWith("mfi"),
            "a NaN close at row 50 must show in the output");
    }

    [Fact]
    public void Streams_reject_older_candles_and_reset_forgets_everything()
    {
        var s = Walk(50);
        var stream = Registry.Resolve("ema(5)").CreateStream();
        var o = new double[1];
        for (var i = 0; i < 10; i++) stream.Update(s[i], o);
        Assert.Throws<MalformedDataException>(() => stream.Update(s[3], o));
        stream.Reset();
        var fresh = Registry.Resolve("ema(5)").CreateStream();
        var a = new double[1];
        for (var i = 20; i < 30; i++)
        {
            stream.Update(s[i], o);
            fresh.Update(s[i], a);
            Assert.Null(Compare.Value(a[0], o[0]));
        }
    }

    [Theory]
    [InlineData("sma(5)")]
    [InlineData("macd(3,6,2)")]
    [InlineData("stoch(5,3,3)")]
    public void A_rejected_older_candle_leaves_the_stream_untouched(string spec)
    {
        var s = Walk(60, 4);
        var indicator = Registry.Resolve(spec);
        var expected = Batch(indicator, s);
        var stream = indicator.CreateStream();
        var o = new double[stream.OutputCount];
        for (var i = 0; i < s.Count; i++)
        {
            if (i > 1)
            {
                var e = Assert.Throws<MalformedDataException>(() => stream.Update(s[i - 2], o));
                Assert.Contains("earlier than the previous candle", e.Message);
            }
            stream.Update(s[i], o);
            for (var k = 0; k < o.Length; k++) Assert.Null(Compare.Value(expected[k * s.Count + i], o[k]));
        }
    }

    [Fact]
    public void A_stream_that_annualises_rejects_candles_whose_duration_is_no_interval()
    {
        var c = Walk(3)[0];
        var stream = Registry.Resolve("rvol(2)").CreateStream();
        var e = Assert.Throws<MalformedDataException>(() => stream.Update(c with { CloseTime = c.OpenTime + 12_345 }, new double[1]));
        Assert.Contains("cannot infer the candle interval", e.Message);
    }

    [Fact]
    public void Revising_the_open_candle_repeatedly_then_committing_equals_the_final_history()
    {
        var s = Walk(300, 9);
        foreach (var spec in new[] { "rsi(14)", "macd(12,26,9)", "stoch(14,3,3)", "cci(20)", "mfi(14)", "aroon(14)", "sma(rsi(14),5)", "vwap(10)", "rvol(10)" })
        {
            var indicator = Registry.Resolve(spec);
            var expected = Batch(indicator, s);
            var stream = indicator.CreateStream();
            var o = new double[stream.OutputCount];
            var rng = new Random(1);
            var n = s.Count;
            for (var i = 0; i < n; i++)
            {
                var c = s[i];
                for (var r = rng.Next(0, 4); r > 0; r--)
                    stream.Update(c with { Close = c.Low + (c.High - c.Low) * rng.NextDouble(), Volume = c.Volume * rng.NextDouble() }, o);
                stream.Update(c, o);
                for (var k = 0; k < o.Length; k++) Assert.Null(Compare.Value(expected[k * n + i], o[k]));
            }
        }
    }

    [Fact]
    public async Task InProcess_engine_runs_a_plan_and_is_registered_in_the_builder()
    {
        using var runtime = new MarketAnalyticsBuilder().Build();
        var engine = runtime.Services.GetServices<IAnalysisEngine>().Single(e => e.Name == "inprocess");
        var s = Walk(200);
        var plan = new AnalysisPlan(IndicatorSpec.ParseList("sma(10),macd(12,26,9)"), []);
        var result = await engine.RunAsync(plan, s);
        Assert.Equal(["sma_10", "macd_12_26_9_macd", "macd_12_26_9_signal", "macd_12_26_9_hist"], result.Columns.Select(c => c.Name));
        Assert.Equal(s.OpenTime.ToArray(), result.OpenTime);
        var expected = Batch(Registry.Resolve("sma(10)"), s);
        Compare.Equal(expected, result.Columns[0].Values, "engine sma");
        await Assert.ThrowsAsync<InvalidSpecException>(() => engine.RunAsync(new AnalysisPlan(IndicatorSpec.ParseList("nope(3)"), []), s));
    }
}
