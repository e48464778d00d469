using System.Diagnostics;
using System.Runtime.CompilerServices;
using MarketAnalytics.Binance.Tests.Infra;
using MarketAnalytics.Cli;
using MarketAnalytics.Lake;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Binance.Tests;

public sealed class ResumeTests(ITestOutputHelper output)
{
    /// <summary>Stops the run (like a crash) after a given number of candles, i.e. at a random page.</summary>
    private sealed class CrashingSource(IMarketDataSource inner, long crashAfter) : IMarketDataSource
    {
        public string Name => inner.Name;

        public async IAsyncEnumerable<Candle> GetCandlesAsync(CandleRange range, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            long n = 0;
            await foreach (var c in inner.GetCandlesAsync(range, cancellationToken))
            {
                if (n++ == crashAfter) throw new OperationCanceledException("simulated crash");
                yield return c;
            }
        }
    }

    [SkippableFact]
    public async Task Ingest_interrupted_at_random_pages_resumes_from_its_checkpoint_and_ends_byte_identical()
    {
        var months = new[] { "2023-08", "2023-09", "2023-10", "2023-11" };
        var files = RealData.Futures1m(RealData.Fil, months);
        await using var server = new FakeBinanceServer().WithData(RealData.Fil, Interval.OneMinute, files);
        await server.StartAsync();
        using var dir = new TempDir();
        using var client = (IDisposable)BinanceMarketData.CreateRestClient(new BinanceOptions { RestBaseUrl = server.BaseUrl });
        var rest = (IBinanceClient)client;
        var range = new CandleRange(RealData.Fil, Interval.OneMinute, RealData.Ms(2023, 8, 3), RealData.Ms(2023, 11, 20));

        var reference = ParquetLake.Open(dir.Sub("reference"));
        var full = await reference.Ingestor.IngestAsync(rest, range);
        Assert.Null(full.ResumedFrom);

        // Different commit granularity on purpose: the final files depend only on the candles, not on the history.
        var crashed = ParquetLake.Open(dir.Sub("crashed"), o => o.FlushEveryCandles = 7_000);
        var random = new Random(1234);
        var runs = 0;
        var resumed = 0;
        while (true)
        {
            runs++;
            Assert.True(runs < 50, "ingest never completed");
            var crashAfter = random.NextInt64(3_000, 60_000);
            try
            {
                var result = await crashed.Ingestor.IngestAsync(new CrashingSource(rest, crashAfter), range);
                if (result.ResumedFrom is not null) resumed++;
                break;
            }
            catch (OperationCanceledException)
            {
                var checkpoint = Directory.EnumerateFiles(Path.Combine(crashed.Root, "_checkpoints"), "*.json", SearchOption.AllDirectories).SingleOrDefault();
                output.WriteLine($"run {runs}: crashed after {crashAfter} candles; checkpoint {(checkpoint is null ? "none yet" : File.ReadAllText(checkpoint))}");
                if (checkpoint is not null) resumed++;
            }
        }
        output.WriteLine($"{runs} runs, {resumed} resumed from a checkpoint");
        Assert.True(runs >= 3 && resumed >= 2);
        Assert.Equal(TempDir.Hashes(reference.Root), TempDir.Hashes(crashed.Root));
        var expected = RealData.Expected(RealData.Fil, Interval.OneMinute, files).AsCandles().Where(c => range.Contains(c.OpenTime)).ToList();
        Compare.Candles(expected, DuckLakeReader.ReadAll(crashed.Root).Select(r => r.Candle).ToList(), "resumed lake");
    }

    [SkippableFact]
    public async Task Cli_process_killed_with_SIGKILL_mid_ingest_resumes_and_ends_identical_to_an_uninterrupted_run()
    {
        var months = new[] { "2023-08", "2023-09", "2023-10" };
        var nearFiles = RealData.Futures1m(RealData.Near, months);
        var filFiles = RealData.Futures1m(RealData.Fil, months);
        // Every answer is slowed so the child is surely mid-run when it is killed.
        await using var server = new FakeBinanceServer(faults: new FaultPlan { Slow = 1.0, SlowDelay = TimeSpan.FromMilliseconds(25) })
            .WithData(RealData.Near, Interval.OneMinute, nearFiles)
            .WithData(RealData.Fil, Interval.OneMinute, filFiles);
        await server.StartAsync();
        using var dir = new TempDir();
        string[] Args(string lake) => ["ingest", "--symbols", "NEARUSDT,FILUSDT", "--interval", "1m", "--from", "2023-08-01", "--to", "2023-11-01",
            "--lake", lake, "--binance-url", server.BaseUrl, "--concurrency", "2"];

        var cli = Path.Combine(AppContext.BaseDirectory, "MarketAnalytics.Cli.dll");
        var killedLake = dir.Sub("killed");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cli);
        foreach (var a in Args(killedLake)) psi.ArgumentList.Add(a);
        using (var child = Process.Start(psi)!)
        {
            var checkpoints = Path.Combine(killedLake, "_checkpoints");
            var sw = Stopwatch.StartNew();
            // Wait until at least one partition was committed, then kill -9 at a random moment shortly after.
            while (!(Directory.Exists(checkpoints) && Directory.EnumerateFiles(checkpoints, "*.json", SearchOption.AllDirectories).Any()))
            {
                if (child.HasExited)
                    Assert.Fail($"the child finished (exit {child.ExitCode}) before it could be killed: " + child.StandardOutput.ReadToEnd() + child.StandardError.ReadToEnd());
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "no checkpoint appeared");
                await Task.Delay(10);
            }
            await Task.Delay(new Random(5).Next(50, 400));
            child.Kill(); // SIGKILL: no finally blocks, no flushing
            await child.WaitForExitAsync();
            Assert.True(child.ExitCode != 0);
        }
        var leftovers = Directory.EnumerateFiles(killedLake, "*", SearchOption.AllDirectories).Count(f => f.Contains(".tmp-", StringComparison.Ordinal));
        output.WriteLine($"after SIGKILL: {Directory.EnumerateFiles(killedLake, "*.parquet", SearchOption.AllDirectories).Count()} parquet files, {leftovers} temp leftovers");

        server.Faults = new FaultPlan();
        var resumed = await RestIngestTests.Run(Args(killedLake));
        output.WriteLine(resumed.Stdout + resumed.Stderr);
        Assert.Equal(CliApp.Ok, resumed.Code);
        Assert.Contains("resumed from", resumed.Stdout);

        var referenceLake = dir.Sub("reference");
        var reference = await RestIngestTests.Run(Args(referenceLake));
        Assert.Equal(CliApp.Ok, reference.Code);
        Assert.Equal(TempDir.Hashes(referenceLake), TempDir.Hashes(killedLake));
        // (Hashes cover every file, so a leftover temp file would also make the lakes differ.)
        var rows = DuckLakeReader.ReadAll(killedLake);
        Assert.Equal(2 * 132480, rows.Count);
    }
}
