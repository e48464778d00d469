using Xunit;

namespace MarketAnalytics.Spark.Tests;

public sealed class ConnectionStringTests
{
    [Fact]
    public void DefaultsPortAndPlainText()
    {
        var c = SparkConnectionString.Parse("sc://spark.example.com");
        Assert.Equal("spark.example.com", c.Host);
        Assert.Equal(15002, c.Port);
        Assert.False(c.UseSsl);
        Assert.Equal(new Uri("http://spark.example.com:15002"), c.Endpoint);
    }

    [Fact]
    public void ParsesParametersAndTokenImpliesTls()
    {
        var c = SparkConnectionString.Parse("sc://10.0.0.5:443/;token=s3cr3t;user_id=bob;session_id=00112233-4455-6677-8899-aabbccddeeff;x-route=blue");
        Assert.Equal(443, c.Port);
        Assert.True(c.UseSsl);
        Assert.Equal("s3cr3t", c.Token);
        Assert.Equal("bob", c.UserId);
        Assert.Equal(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), c.SessionId);
        Assert.Equal("blue", c.Headers["x-route"]);
        Assert.DoesNotContain("s3cr3t", c.ToString(), StringComparison.Ordinal);
        Assert.Contains("token=***", c.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ParsesIpv6AndUseSsl()
    {
        var c = SparkConnectionString.Parse("sc://[::1]:15003/;use_ssl=true");
        Assert.Equal("::1", c.Host);
        Assert.Equal(15003, c.Port);
        Assert.True(c.UseSsl);
        Assert.Equal(new Uri("https://[::1]:15003"), c.Endpoint);
    }

    [Theory]
    [InlineData("http://host:15002", "sc://")]
    [InlineData("sc://", "host is missing")]
    [InlineData("sc://host:99999", "port")]
    [InlineData("sc://host:abc", "port")]
    [InlineData("sc://host/path", "path must be empty")]
    [InlineData("sc://host/;use_ssl=maybe", "use_ssl")]
    [InlineData("sc://host/;session_id=nope", "UUID")]
    [InlineData("sc://host/;token=abc;use_ssl=false", "TLS")]
    [InlineData("sc://host/;novalue", "key=value")]
    [InlineData("sc://us er@host", "user info")]
    public void RejectsMalformedStrings(string text, string expected)
    {
        var e = Assert.Throws<InvalidSparkConnectionStringException>(() => SparkConnectionString.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsNeverEchoTheToken()
    {
        var e = Assert.Throws<InvalidSparkConnectionStringException>(() => SparkConnectionString.Parse("sc://host/;token=topsecret;use_ssl=false"));
        Assert.DoesNotContain("topsecret", e.Message, StringComparison.Ordinal);
    }
}

public sealed class SparkCompositionTests
{
    [Fact]
    public void BuilderRegistersTheKeyedSparkEngine()
    {
        using var runtime = new MarketAnalyticsBuilder().AddSparkEngine(o => { o.Remote = "sc://127.0.0.1:15002"; o.LakeUri = "hdfs://nn/lake"; }).Build();
        var engine = Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<IAnalysisEngine>(runtime.Services, SparkEngineExtensions.EngineKey);
        Assert.Equal("spark", engine.Name);
    }

    [Fact]
    public void InvalidOptionsFailAtStartUpWithoutEchoingTheToken()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => new MarketAnalyticsBuilder().AddSparkEngine(o => o.Remote = "sc://h/;token=hunter2;use_ssl=false").Build());
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOptionsException>(() => SparkEngineExtensions.Create(new Indicators.IndicatorRegistry(), new SparkEngineOptions { LakeUri = "/lake`; DROP" }));
    }
}
