using System.Text;
using MarketAnalytics.Cli;
using MarketAnalytics.Testing;
using Xunit;

namespace MarketAnalytics.Detection.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ma-detect-" + Guid.NewGuid().ToString("N"));

    public CliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string WriteKlines(IEnumerable<Candle> candles, string name = "TESTBTC-1m-2020-09.csv")
    {
        var sb = new StringBuilder();
        foreach (var c in candles)
        {
            sb.Append(FormattableString.Invariant($"{c.OpenTime},{c.Open:R},{c.High:R},{c.Low:R},{c.Close:R},{c.Volume:R},{c.CloseTime},{c.QuoteVolume:R},{c.TradeCount},{c.TakerBuyBaseVolume:R},{c.TakerBuyQuoteVolume:R},0\n"));
        }
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Fact]
    public async Task DetectWritesOneRowPerEpisodeInTimeOrder()
    {
        var rich = DetectorTests.Rich().Where(c => double.IsFinite(c.Close)).ToList();
        var input = WriteKlines(rich);
        var outFile = Path.Combine(_dir, "anomalies.csv");
        var (code, stdout, err) = await Run("detect", "--input", input, "--symbol", "TESTBTC", "--interval", "1m", "--detectors", "all", "--output", outFile);
        Assert.True(code == CliApp.Ok, err);
        var lines = File.ReadAllLines(outFile);
        Assert.Equal("symbol,open_time,kind,score,severity,explanation", lines[0]);
        Assert.True(lines.Length > 10);
        var times = lines.Skip(1).Select(l => long.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderBy(t => t), times);
        Assert.All(lines.Skip(1), l => Assert.Matches("^TESTBTC,[0-9]+,[a-z_]+,[-0-9.Ee+]+,(low|medium|high|critical),\".*\"$", l));
        foreach (var kind in new[] { "volume_spike", "price_jump", "flash_crash", "pump_and_dump", "gap", "stale_price", "bad_tick", "duplicate", "out_of_order", "volatility_regime" })
            Assert.Contains(lines, l => l.Split(',')[2] == kind);
        Assert.Contains("pump_and_dump: 1", stdout);
    }

    [Fact]
    public async Task DetectOnTradesResamplesFirst()
    {
        var sb = new StringBuilder("symbol,timestamp,datetime,side,price,amount,btc_volume\n");
        var t0 = 1_600_000_000_000L;
        for (var i = 0; i < 100; i++) sb.Append(FormattableString.Invariant($"AB/BTC,{t0 + i * 90_000},x,buy,1.0,1,1.0\n"));
        var path = Path.Combine(_dir, "trades.csv");
        File.WriteAllText(path, sb.ToString());
        var (code, stdout, err) = await Run("detect", "--input", path, "--detectors", "gap,stale_price");
        Assert.True(code == CliApp.Ok, err);
        Assert.StartsWith("symbol,open_time,kind,score,severity,explanation", stdout);
        // Symbol from the trade file; 100 trades 90 s apart at one price -> 149 1m candles, flat for > 30 minutes.
        Assert.Contains("ABBTC,", stdout);
        Assert.Contains(",stale_price,", stdout);
        Assert.DoesNotContain(",gap,", stdout); // minutes without trades were filled, not left as gaps
    }

    [Fact]
    public async Task UnknownDetectorAndMissingFileAreInputErrors()
    {
        var input = WriteKlines(Synth.Quiet(10));
        var (code, _, err) = await Run("detect", "--input", input, "--detectors", "nope");
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("unknown detector", err);
        (code, _, err) = await Run("detect", "--input", Path.Combine(_dir, "missing.csv"), "--symbol", "ABC");
        Assert.Equal(CliApp.InputError, code);
        (code, _, err) = await Run("detect", "--input", input, "--symbol", "bad symbol!");
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("Invalid symbol", err);
    }

    [Fact]
    public async Task CleanPrintsTheReportAndWritesJson()
    {
        var c = Synth.Quiet(300);
        c.RemoveRange(100, 4);
        var input = WriteKlines(c);
        var report = Path.Combine(_dir, "report.json");
        var (code, stdout, err) = await Run("clean", "--input", input, "--report", report);
        Assert.True(code == CliApp.Ok, err);
        Assert.Contains("gaps: 1 (4 missing candles)", stdout);
        var json = File.ReadAllText(report);
        Assert.Contains("\"missing_candles\": 4", json);
        Assert.Contains("\"gap_fill\": \"none\"", json);
    }

    [SkippableFact]
    public async Task CleanReportsTheRealHaltFromTheCli()
    {
        var path = SharedData.Require("binance/klines/BTCUSDT/1h/BTCUSDT-1h-2023-03.csv");
        var (code, stdout, err) = await Run("clean", "--input", path);
        Assert.True(code == CliApp.Ok, err);
        Assert.Contains("trading halt: 1 flat zero-volume candle(s) at 28080 from 2023-03-24T12:00:00.000Z", stdout);
        Assert.Contains("closed early at 2023-03-24T12:39:41.646Z", stdout);
        Assert.Contains("trading resumed 2023-03-24T14:00:00.000Z", stdout);
    }

    [SkippableFact]
    public async Task DetectOnARealPugoevFileFindsThePump()
    {
        var path = SharedData.Require("events/pump-and-dump/pugoev-2023/trades/NAS_2020-05-30_16.00.csv");
        var outFile = Path.Combine(_dir, "nas.csv");
        var (code, _, err) = await Run("detect", "--input", path, "--symbol", "NASBTC", "--interval", "1m", "--detectors", "pump_and_dump", "--output", outFile);
        Assert.True(code == CliApp.Ok, err);
        var row = Assert.Single(File.ReadAllLines(outFile).Skip(1));
        Assert.StartsWith("NASBTC,1590854400000,pump_and_dump,", row); // 2020-05-30 16:00 UTC, the announced minute
    }
}
