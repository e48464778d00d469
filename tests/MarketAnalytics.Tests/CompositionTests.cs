using MarketAnalytics.Indicators;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace MarketAnalytics.Tests;

public sealed class CompositionTests
{
    [Fact]
    public void Plain_new_and_DI_give_the_same_registry_and_validate_options_at_startup()
    {
        using var runtime = new MarketAnalyticsBuilder().Build();
        Assert.NotNull(runtime.Indicators);

        var services = new ServiceCollection();
        var builder = services.AddMarketAnalytics(o => o.LakePath = "x");
        using var sp = services.BuildServiceProvider();
        Assert.Same(builder.Indicators, sp.GetRequiredService<IndicatorRegistry>());

        var bad = new MarketAnalyticsBuilder().Configure(o => o.LakePath = " ");
        var e = Assert.Throws<InvalidOptionsException>(() => bad.Build());
        Assert.Contains("LakePath", e.Message);
    }
}
