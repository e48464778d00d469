using System.Net;
using System.Net.Sockets;
using MarketAnalytics.Binance.Tests.Infra;
using MarketAnalytics.Cli;
using Xunit;

namespace MarketAnalytics.Binance.Tests;

public sealed class ErrorTests
{
    private static async Task<FakeBinanceServer> SmallServer()
    {
        // A tiny real slice (first day of FIL 2023-08) is enough for error paths; skip when the data is absent.
        var server = new FakeBinanceServer().WithData(RealData.Fil, Interval.OneMinute, RealData.Futures1m(RealData.Fil, "2023-08"));
        await server.StartAsync();
        return server;
    }

    [SkippableFact]
    public async Task Binance_error_bodies_become_typed_exceptions_with_code_and_message()
    {
        await using var server = await SmallServer();
        using var owned = (IDisposable)BinanceMarketData.CreateRestClient(new BinanceOptions { RestBaseUrl = server.BaseUrl });
        var client = (IBinanceClient)owned;
        var e = await Assert.ThrowsAsync<BinanceApiException>(() =>
            client.GetKlinesAsync(SymbolId.Parse("NOSUCHCOIN"), Interval.OneMinute, RealData.Ms(2023, 8), RealData.Ms(2023, 8, 2)));
        Assert.Equal(-1121, e.Code);
        Assert.Equal("Invalid symbol.", e.ApiMessage);
        Assert.Equal(400, e.HttpStatus);
        Assert.Equal("api/v3/klines", e.Endpoint);
        var info = await Assert.ThrowsAsync<BinanceApiException>(() => client.GetExchangeInfoAsync([RealData.Fil, SymbolId.Parse("NOSUCHCOIN")]));
        Assert.Equal(BinanceApiException.InvalidSymbol, info.Code);
        Assert.Equal(0, client.Statistics.Retries); // client errors are not retried
    }

    [SkippableFact]
    public async Task Cli_reports_unknown_symbol_bad_symbol_and_bad_interval_with_exit_code_2()
    {
        await using var server = await SmallServer();
        using var dir = new TempDir();
        string[] Args(string symbols, string interval) => ["ingest", "--symbols", symbols, "--interval", interval, "--from", "2023-08-01", "--to", "2023-08-02",
            "--lake", dir.Sub("lake"), "--binance-url", server.BaseUrl];

        var unknown = await RestIngestTests.Run(Args("FILUSDT,NOSUCHCOIN", "1m"));
        Assert.Equal(CliApp.InputError, unknown.Code);
        Assert.Contains("unknown symbol", unknown.Stderr);
        Assert.Contains("-1121", unknown.Stderr);

        var malformed = await RestIngestTests.Run(Args("fil/usdt", "1m"));
        Assert.Equal(CliApp.InputError, malformed.Code);
        Assert.Contains("Invalid symbol 'fil/usdt'", malformed.Stderr);

        var interval = await RestIngestTests.Run(Args("FILUSDT", "7m"));
        Assert.Equal(CliApp.InputError, interval.Code);
        Assert.Contains("Invalid interval '7m'", interval.Stderr);
        Assert.False(Directory.Exists(dir.Sub("lake")) && Directory.EnumerateFiles(dir.Sub("lake"), "*", SearchOption.AllDirectories).Any(),
            "nothing may be written for rejected input");
    }

    [Fact]
    public async Task Cli_reports_an_unreachable_host_and_suggests_a_local_source_with_exit_code_3()
    {
        // A port that was just free: connections are refused.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var dir = new TempDir();
        var (code, _, stderr) = await RestIngestTests.Run(["ingest", "--symbols", "BTCUSDT", "--interval", "1h", "--from", "2023-01-01", "--to", "2023-02-01",
            "--lake", dir.Sub("lake"), "--binance-url", $"http://127.0.0.1:{port}", "--retries", "1"]);
        Assert.Equal(CliApp.EnvironmentError, code);
        Assert.Contains("unreachable", stderr);
        Assert.Contains("--source <dir>", stderr);
    }

    [Fact]
    public async Task Cli_reports_a_lake_that_is_not_writable_with_exit_code_3()
    {
        using var dir = new TempDir();
        var blocker = dir.Sub("file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var (code, _, stderr) = await RestIngestTests.Run(["ingest", "--symbols", "BTCUSDT", "--interval", "1h", "--from", "2023-01-01", "--to", "2023-02-01",
            "--lake", Path.Combine(blocker, "lake"), "--binance-url", "http://127.0.0.1:9"]);
        Assert.Equal(CliApp.EnvironmentError, code);
        Assert.Contains("is not writable", stderr);
    }

    [Fact]
    public async Task Cli_rejects_a_reversed_range_and_a_missing_source_folder()
    {
        using var dir = new TempDir();
        var reversed = await RestIngestTests.Run(["ingest", "--symbols", "BTCUSDT", "--interval", "1h", "--from", "2023-02-01", "--to", "2023-01-01", "--lake", dir.Sub("l")]);
        Assert.Equal(CliApp.InputError, reversed.Code);
        Assert.Contains("--to", reversed.Stderr);
        var missing = await RestIngestTests.Run(["ingest", "--symbols", "BTCUSDT", "--interval", "1h", "--from", "2023-01-01", "--to", "2023-02-01", "--lake", dir.Sub("l"),
            "--source", dir.Sub("nope")]);
        Assert.Equal(CliApp.InputError, missing.Code);
        Assert.Contains("neither", missing.Stderr);
    }
}
