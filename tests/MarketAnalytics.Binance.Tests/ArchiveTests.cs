using System.IO.Compression;
using System.Security.Cryptography;
using MarketAnalytics.Binance.Tests.Infra;
using MarketAnalytics.Cli;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Binance.Tests;

public sealed class ArchiveTests(ITestOutputHelper output)
{
    private static readonly string[] Months = ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05"];

    private static async Task<FakeBinanceServer> Server(string[] files)
    {
        var server = new FakeBinanceServer().WithData(RealData.Btc, Interval.OneHour, files);
        await server.StartAsync();
        return server;
    }

    private static async Task<List<Candle>> Collect(IMarketDataSource source, CandleRange range)
    {
        var list = new List<Candle>();
        await foreach (var c in source.GetCandlesAsync(range)) list.Add(c);
        return list;
    }

    [SkippableFact]
    public async Task Cli_archive_ingest_downloads_monthly_zips_verifies_CHECKSUM_and_equals_the_CSVs_in_DuckDB()
    {
        var files = RealData.BtcSpot1h(Months);
        await using var server = await Server(files);
        using var dir = new TempDir();
        var lake = dir.Sub("lake");
        var (code, stdout, stderr) = await RestIngestTests.Run(["ingest", "--symbols", "BTCUSDT", "--interval", "1h", "--from", "2023-01-01", "--to", "2023-06-01",
            "--lake", lake, "--source", "archive", "--archive-url", server.BaseUrl, "--binance-url", server.BaseUrl, "--progress", "bar"]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(CliApp.Ok, code);
        Assert.Contains("] 100.0%  3623 candles, 1 symbol(s)", stdout); // progress bar forced on; 3624 hours minus the 2023-03-24 halt
        Assert.Contains("archive: 5 files verified and read, 0 period(s) from REST", stdout);
        Assert.Equal(0, server.KlinesRequests);
        var requested = server.ArchiveRequests.ToHashSet();
        foreach (var m in Months)
        {
            Assert.Contains($"/data/spot/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-{m}.zip", requested);
            Assert.Contains($"/data/spot/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-{m}.zip.CHECKSUM", requested);
        }
        var expected = RealData.Expected(RealData.Btc, Interval.OneHour, files).AsCandles().ToList();
        Compare.Candles(expected, DuckLakeReader.ReadAll(lake).Select(r => r.Candle).ToList(), "BTCUSDT 1h via archives");
    }

    [SkippableFact]
    public async Task Partial_months_come_from_daily_archives_and_microsecond_files_read_like_millisecond_ones()
    {
        var files = RealData.BtcSpot1h(Months);
        await using var server = await Server(files);
        server.MicrosecondArchives = true; // data.binance.vision spot files from 2025 on
        using var source = (IDisposable)BinanceMarketData.CreateArchiveSource(new BinanceOptions { ArchiveBaseUrl = server.BaseUrl });
        var range = new CandleRange(RealData.Btc, Interval.OneHour, RealData.Ms(2023, 3, 10) + 5 * 3_600_000L, RealData.Ms(2023, 4, 4));
        var got = await Collect((IMarketDataSource)source, range);
        var requested = server.ArchiveRequests.Where(p => p.EndsWith(".zip", StringComparison.Ordinal)).ToList();
        Assert.All(requested, p => Assert.Contains("/daily/", p));
        Assert.Contains("/data/spot/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2023-03-10.zip", requested);
        Assert.Contains("/data/spot/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2023-04-03.zip", requested);
        Assert.Equal(22 + 3, requested.Count);
        var expected = RealData.Expected(RealData.Btc, Interval.OneHour, files).AsCandles().Where(c => range.Contains(c.OpenTime)).ToList();
        Compare.Candles(expected, got, "daily µs archives");
    }

    [SkippableFact]
    public async Task A_corrupt_download_is_retried_and_a_persistent_checksum_mismatch_is_refused()
    {
        var files = RealData.BtcSpot1h("2023-02");
        await using var server = await Server(files);
        var range = new CandleRange(RealData.Btc, Interval.OneHour, RealData.Ms(2023, 2), RealData.Ms(2023, 3));
        server.CorruptNextChecksums(2);
        var archive = BinanceMarketData.CreateArchiveSource(new BinanceOptions { ArchiveBaseUrl = server.BaseUrl, RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
        var got = await Collect(archive, range);
        Assert.Equal(2, archive.Statistics.Retries);
        Compare.Candles(RealData.Expected(RealData.Btc, Interval.OneHour, files).AsCandles().ToList(), got, "after retried checksum");

        server.CorruptNextChecksums(1000);
        var strict = BinanceMarketData.CreateArchiveSource(new BinanceOptions { ArchiveBaseUrl = server.BaseUrl, RetryBaseDelay = TimeSpan.FromMilliseconds(5), MaxRetries = 2 });
        var e = await Assert.ThrowsAsync<ChecksumMismatchException>(() => Collect(strict, range));
        Assert.Equal(new string('0', 64), e.Expected);
        Assert.Contains("BTCUSDT-1h-2023-02.zip", e.File);
    }

    [SkippableFact]
    public async Task Missing_archives_fall_back_to_daily_files_then_to_REST_without_gaps()
    {
        var files = RealData.BtcSpot1h("2023-04", "2023-05");
        await using var server = await Server(files);
        server.MissingArchives.Add("BTCUSDT-1h-2023-05.zip");
        for (var d = 20; d <= 31; d++) server.MissingArchives.Add($"BTCUSDT-1h-2023-05-{d:D2}.zip");
        using var owned = (IDisposable)BinanceMarketData.CreateRestClient(new BinanceOptions { RestBaseUrl = server.BaseUrl });
        var archive = BinanceMarketData.CreateArchiveSource(new BinanceOptions { ArchiveBaseUrl = server.BaseUrl }, (IBinanceClient)owned);
        var range = new CandleRange(RealData.Btc, Interval.OneHour, RealData.Ms(2023, 4), RealData.Ms(2023, 6));
        var got = await Collect(archive, range);
        output.WriteLine($"files {archive.FilesRead}, REST segments {archive.RestSegments}, klines requests {server.KlinesRequests}");
        Assert.Equal(1 + 19, archive.FilesRead);
        Assert.Equal(12, archive.RestSegments);
        Compare.Candles(RealData.Expected(RealData.Btc, Interval.OneHour, files).AsCandles().ToList(), got, "archive + REST");

        var noFallback = BinanceMarketData.CreateArchiveSource(new BinanceOptions { ArchiveBaseUrl = server.BaseUrl });
        var e = await Assert.ThrowsAsync<MarketAnalyticsException>(() => Collect(noFallback, range));
        Assert.Contains("2023-05-20", e.Message);
    }

    [Fact]
    public void Archive_paths_follow_data_binance_vision_including_1mo()
    {
        var jan = RealData.Ms(2024, 1);
        Assert.Equal("data/spot/monthly/klines/BTCUSDT/1mo/BTCUSDT-1mo-2024-01.zip",
            BinanceArchiveSource.ArchivePath(RealData.Btc, Interval.OneMonth, monthly: true, jan));
        Assert.Equal("data/spot/daily/klines/ETHBTC/1s/ETHBTC-1s-2024-01-05.zip",
            BinanceArchiveSource.ArchivePath(SymbolId.Parse("ETHBTC"), Interval.OneSecond, monthly: false, RealData.Ms(2024, 1, 5)));
    }

    [SkippableFact]
    public async Task Local_folder_of_zips_with_CHECKSUM_and_of_CSV_plus_freqtrade_JSON_is_read_and_merged()
    {
        using var dir = new TempDir();
        // A folder laid out like a data.binance.vision download: zips of the real CSVs with their CHECKSUM files.
        var folder = Directory.CreateDirectory(dir.Sub("downloads/BTCUSDT/1h")).FullName;
        foreach (var csv in RealData.BtcSpot1h("2023-01", "2023-02"))
        {
            var zipPath = Path.Combine(folder, Path.GetFileNameWithoutExtension(csv) + ".zip");
            using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create)) zip.CreateEntryFromFile(csv, Path.GetFileName(csv));
            File.WriteAllText(zipPath + ".CHECKSUM", $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zipPath)))}  {Path.GetFileName(zipPath)}\n");
        }
        var local = BinanceMarketData.CreateLocalDirectorySource(dir.Sub("downloads"));
        var janFeb = new CandleRange(RealData.Btc, Interval.OneHour, RealData.Ms(2023, 1), RealData.Ms(2023, 3));
        Compare.Candles(RealData.Expected(RealData.Btc, Interval.OneHour, RealData.BtcSpot1h("2023-01", "2023-02")).AsCandles().ToList(),
            await Collect(local, janFeb), "local zips");
        File.WriteAllText(Path.Combine(folder, "BTCUSDT-1h-2023-02.zip.CHECKSUM"), new string('a', 64) + "  BTCUSDT-1h-2023-02.zip\n");
        await Assert.ThrowsAsync<ChecksumMismatchException>(() => Collect(local, janFeb));

        // The shared folder holds monthly CSVs and a freqtrade JSON covering part of April: the CLI reads both, CSV wins.
        var shared = Path.GetDirectoryName(RealData.BtcSpot1h("2023-03")[0])!;
        var lake = dir.Sub("lake");
        var (code, stdout, stderr) = await RestIngestTests.Run(["ingest", "--symbols", "BTCUSDT", "--interval", "1h", "--from", "2023-03-01", "--to", "2023-06-01",
            "--lake", lake, "--source", shared]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(CliApp.Ok, code);
        var expected = RealData.Expected(RealData.Btc, Interval.OneHour, RealData.BtcSpot1h("2023-03", "2023-04", "2023-05")).AsCandles().ToList();
        Compare.Candles(expected, DuckLakeReader.ReadAll(lake).Select(r => r.Candle).ToList(), "CLI --source <dir>");
    }
}
