using System.Globalization;
using System.IO.Compression;
using MarketAnalytics.Cli;
using MarketAnalytics.Indicators;
using MarketAnalytics.IO;
using MarketAnalytics.Testing;
using MarketAnalytics.Tests.Indicators;
using Xunit;

namespace MarketAnalytics.Tests.Cli;

public sealed class IndicatorsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ma-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string Fixture => Path.Combine(GoldenFile.Folder, "fixture-walk.csv");

    private static (string[] Header, List<string[]> Rows) ReadCsv(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToList());
    }

    [Fact]
    public async Task Writes_the_issue_example_with_header_open_time_round_trip_values_and_empty_warm_up_cells()
    {
        var output = Path.Combine(_dir, "out.csv");
        var (code, _, err) = await Run("indicators", "--input", Fixture, "--symbol", "FIXTUSDT", "--interval", "1h",
            "--spec", "sma(20),ema(20),rsi(14),macd(12,26,9),bbands(20,2,2),atr(14)", "--output", output);
        Assert.True(code == CliApp.Ok, err);
        var (header, rows) = ReadCsv(File.ReadAllText(output));
        Assert.Equal(["open_time", "sma_20", "ema_20", "rsi_14", "macd_12_26_9_macd", "macd_12_26_9_signal", "macd_12_26_9_hist",
            "bbands_20_2_2_upper", "bbands_20_2_2_middle", "bbands_20_2_2_lower", "atr_14"], header);

        var series = KlineReader.ReadFile(Fixture, SymbolId.Parse("FIXTUSDT"), Interval.OneHour);
        Assert.Equal(series.Count, rows.Count);
        var golden = GoldenFile.Load("golden-fixture-walk.json");
        for (var c = 1; c < header.Length; c++)
        {
            var expected = golden.Cases.SelectMany(g => g.Columns).First(col => col.Column == header[c]).Values;
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.Equal(series.OpenTime[i].ToString(CultureInfo.InvariantCulture), rows[i][0]);
                var cell = rows[i][c];
                if (double.IsNaN(expected[i])) Assert.Equal("", cell);
                else Assert.Null(Compare.Value(expected[i], double.Parse(cell, CultureInfo.InvariantCulture)));
            }
        }
        // Round-trip format: parsing a cell gives back exactly the computed double.
        var sma = IndicatorRegistry.CreateDefault().Resolve("sma(20)");
        var values = new double[series.Count];
        sma.Compute(IndicatorInput.FromSeries(series), values);
        Assert.Equal(values[100], double.Parse(rows[100][1], CultureInfo.InvariantCulture));
        Assert.Equal(values[100].ToString("R", CultureInfo.InvariantCulture), rows[100][1]);
        Assert.False(Directory.EnumerateFiles(_dir, "*.tmp").Any(), "the temporary file must be renamed away");
    }

    [Fact]
    public async Task Spec_all_gives_every_builtin_with_defaults()
    {
        var (code, stdout, err) = await Run("indicators", "--input", Fixture, "--symbol", "FIXTUSDT", "--interval", "1h", "--spec", "all");
        Assert.True(code == CliApp.Ok, err);
        var (header, rows) = ReadCsv(stdout);
        Assert.Equal(320, rows.Count);
        foreach (var c in new[] { "sma_30", "ema_30", "wma_30", "dema_30", "tema_30", "rsi_14", "macd_12_26_9_hist", "bbands_5_2_2_lower", "atr_14",
                     "natr_14", "trange", "stddev_5", "var_5", "stoch_5_3_3_k", "stoch_5_3_3_d", "adx_14", "cci_14", "willr_14", "mfi_14", "obv",
                     "roc_10", "mom_10", "aroon_14_up", "aroon_14_down", "vwap_20", "rvol_20" })
            Assert.Contains(c, header);
        Assert.Equal(1 + 30, header.Length);
    }

    [Theory]
    [InlineData("sma(20),foo(3)", "unknown indicator 'foo'")]
    [InlineData("sma(0)", "parameter 'period'")]
    [InlineData("bbands(20,2,x)", "is not a number")]
    public async Task Bad_specs_exit_2_listing_valid_names(string spec, string fragment)
    {
        var (code, stdout, err) = await Run("indicators", "--input", Fixture, "--symbol", "FIXTUSDT", "--interval", "1h", "--spec", spec);
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains(fragment, err);
        if (!fragment.Contains("number")) Assert.Contains("Valid names: adx, aroon, atr, bbands, cci, dema, ema, macd, mfi, mom, natr, obv, roc, rsi, rvol, sma, stddev, stoch, tema, trange, var, vwap, willr, wma", err);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Without_input_uses_a_labelled_synthetic_series()
    {
        var (code, stdout, err) = await Run("indicators", "--spec", "sma(3)");
        Assert.Equal(CliApp.Ok, code);
        Assert.Contains("SYNTHETIC", err);
        var (header, rows) = ReadCsv(stdout);
        Assert.Equal(["open_time", "sma_3"], header);
        Assert.Equal(500, rows.Count);
        Assert.Equal("", rows[1][1]);
        Assert.NotEqual("", rows[2][1]);
        var again = await Run("indicators", "--spec", "sma(3)");
        Assert.Equal(stdout, again.Out);
    }

    [Fact]
    public async Task Missing_file_and_uninferable_names_exit_2()
    {
        var (code, _, err) = await Run("indicators", "--input", Path.Combine(_dir, "nope-1h.csv"), "--symbol", "BTCUSDT", "--interval", "1h");
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("does not exist", err);
        var odd = Path.Combine(_dir, "data.csv");
        File.Copy(Fixture, odd);
        (code, _, err) = await Run("indicators", "--input", odd);
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("cannot infer symbol and interval", err);
        (code, _, err) = await Run("indicators", "--input", odd, "--symbol", "btc-usdt", "--interval", "1h");
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("Invalid symbol", err);
        (code, _, err) = await Run("indicators", "--input", odd, "--symbol", "BTCUSDT", "--interval", "7h");
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("Invalid interval", err);
    }

    [Fact]
    public async Task Malformed_content_exits_2_naming_file_and_line_and_an_unwritable_output_exits_3()
    {
        var bad = Path.Combine(_dir, "BTCUSDT-1h-2023-03.csv");
        File.WriteAllText(bad, "1677628800000,1,2,0.5,1.5,10,1677632399999,15,3,5,7.5,0\n1677632400000,1,2,0.5,oops,10,1677635999999,15,3,5,7.5,0\n");
        var (code, stdout, err) = await Run("indicators", "--input", bad, "--spec", "sma(2)");
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("BTCUSDT-1h-2023-03.csv", err);
        Assert.Contains("'close': 'oops'", err);
        Assert.Equal("", stdout);

        // The output's parent is a file, so the directory cannot be created: an environment error, not bad input.
        var blocker = Path.Combine(_dir, "not-a-dir");
        File.WriteAllText(blocker, "x");
        (code, _, err) = await Run("indicators", "--input", Fixture, "--symbol", "FIXTUSDT", "--interval", "1h", "--spec", "sma(2)",
            "--output", Path.Combine(blocker, "out.csv"));
        Assert.Equal(CliApp.EnvironmentError, code);
        Assert.Contains("cannot write", err);
    }

    [Fact]
    public async Task A_zip_whose_checksum_does_not_match_exits_2()
    {
        var zip = Path.Combine(_dir, "FIXTUSDT-1h-2023-03.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            archive.CreateEntryFromFile(Fixture, "FIXTUSDT-1h-2023-03.csv");
        File.WriteAllText(zip + ".CHECKSUM", new string('0', 64) + "  FIXTUSDT-1h-2023-03.zip\n");
        var (code, stdout, err) = await Run("indicators", "--input", zip, "--spec", "sma(2)");
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("FIXTUSDT-1h-2023-03.zip", err);
        Assert.Equal("", stdout);
    }

    [SkippableFact]
    public async Task Reads_real_freqtrade_json_with_names_inferred_from_the_file()
    {
        var path = SharedData.Require("binance/klines/ADABTC/1h/ADA_BTC-1h.json");
        var output = Path.Combine(_dir, "ada.csv");
        var (code, _, err) = await Run("indicators", "--input", path, "--spec", "rsi(14),sma(rsi(14),5)", "--output", output);
        Assert.True(code == CliApp.Ok, err);
        var (header, rows) = ReadCsv(File.ReadAllText(output));
        Assert.Equal(["open_time", "rsi_14", "sma_rsi_14_5"], header);
        var golden = GoldenFile.Load("golden-adabtc-1h.json");
        var expected = golden.Cases.Single(c => c.Spec == "sma(rsi(14),5)").Columns[0].Values;
        for (var i = 0; i < rows.Count; i++)
        {
            if (double.IsNaN(expected[i])) Assert.Equal("", rows[i][2]);
            else Assert.Null(Compare.Value(expected[i], double.Parse(rows[i][2], CultureInfo.InvariantCulture)));
        }
    }
}
