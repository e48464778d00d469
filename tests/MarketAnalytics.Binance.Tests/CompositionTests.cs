using MarketAnalytics.Lake;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace MarketAnalytics.Binance.Tests;

public sealed class CompositionTests
{
    [Fact]
    public void Plain_new_builder_composes_the_Binance_source_and_the_lake()
    {
        using var dir = new Infra.TempDir();
        using var runtime = new MarketAnalyticsBuilder()
            .AddBinanceSource(o => o.MaxConcurrentRequests = 4)
            .AddParquetLake(o => o.Root = dir.Path)
            .Build();
        Assert.IsAssignableFrom<IBinanceClient>(runtime.Get<IMarketDataSource>());
        Assert.Equal("binance-rest", runtime.Get<IMarketDataSource>().Name);
        Assert.NotNull(runtime.Get<IBinanceKlineStream>());
        Assert.NotNull(runtime.Get<ICandleStore>());
        Assert.NotNull(runtime.Get<ICandleIngestor>());
        Assert.Equal(Path.GetFullPath(dir.Path), runtime.Get<IParquetLake>().Root);

        using var archive = new MarketAnalyticsBuilder().AddBinanceSource(o => o.Source = BinanceSourceKind.Archive).Build();
        Assert.IsAssignableFrom<IBinanceArchiveSource>(archive.Get<IMarketDataSource>());
        using var local = new MarketAnalyticsBuilder().AddBinanceSource(o => { o.Source = BinanceSourceKind.LocalDirectory; o.LocalDirectory = dir.Path; }).Build();
        Assert.Equal("local", local.Get<IMarketDataSource>().Name);
    }

    [Fact]
    public void Invalid_options_fail_at_start_up_with_every_problem_listed()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => new MarketAnalyticsBuilder()
            .AddBinanceSource(o => { o.RestBaseUrl = "ftp://example"; o.PageSize = 5000; o.StreamMaxLifetime = TimeSpan.FromHours(25); })
            .Build());
        Assert.Equal(nameof(BinanceOptions), e.OptionsName);
        Assert.Contains(e.Problems, p => p.Contains("RestBaseUrl", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("PageSize", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("24 h", StringComparison.Ordinal));
        Assert.Throws<InvalidOptionsException>(() => new MarketAnalyticsBuilder().AddBinanceSource(o => o.StreamBaseUrl = "https://user:secret@x").Build());
        Assert.Throws<InvalidOptionsException>(() => new MarketAnalyticsBuilder().AddParquetLake(o => o.Root = "").Build());
        Assert.Throws<InvalidOptionsException>(() => BinanceMarketData.CreateRestClient(new BinanceOptions { MaxRetries = -1 }));
    }

    [Fact]
    public void Registers_into_an_application_service_collection()
    {
        var services = new ServiceCollection();
        services.AddMarketAnalytics().AddBinanceSource().AddParquetLake(o => o.Root = Path.GetTempPath());
        using var sp = services.BuildServiceProvider();
        Assert.Same(sp.GetRequiredService<IBinanceClient>(), sp.GetRequiredService<IMarketDataSource>());
    }
}
