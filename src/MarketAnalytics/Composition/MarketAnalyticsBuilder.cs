using MarketAnalytics.Detectors;
using MarketAnalytics.Indicators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MarketAnalytics;

/// <summary>Composes MarketAnalytics: usable with plain <c>new</c> or through <c>services.AddMarketAnalytics()</c>.</summary>
/// <remarks>
/// The builder owns the indicator registry and a service collection; adapter packages add their sources, stores and
/// engines through extension methods on it (e.g. <c>builder.AddBinanceSource(...)</c>). <see cref="Build"/> validates
/// every registered option set before anything runs.
/// </remarks>
public sealed class MarketAnalyticsBuilder
{
    private readonly List<Action<IServiceProvider>> _startupChecks = [];

    /// <summary>Creates a stand-alone builder with its own service collection.</summary>
    public MarketAnalyticsBuilder() : this(new ServiceCollection())
    {
    }

    /// <summary>Creates a builder that registers into an application's <paramref name="services"/>.</summary>
    public MarketAnalyticsBuilder(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
        Indicators = IndicatorRegistry.CreateDefault();
        services.TryAddSingleton(Indicators);
        Detectors = DetectorRegistry.CreateDefault();
        services.TryAddSingleton(Detectors);
        services.AddOptions<MarketAnalyticsOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAnalysisEngine, InProcessEngine>());
        AddStartupCheck<MarketAnalyticsOptions>(o => o.Validate());
    }

    /// <summary>The service collection adapters register into.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The indicator registry (built-ins plus whatever is added).</summary>
    public IndicatorRegistry Indicators { get; }

    /// <summary>The anomaly detector registry (built-ins plus whatever is added).</summary>
    public DetectorRegistry Detectors { get; }

    /// <summary>Registers a custom detector so the CLI and the engines can use it by name like a built-in.</summary>
    public MarketAnalyticsBuilder AddDetector(string name, Func<IAnomalyDetector> factory)
    {
        Detectors.Register(name, factory);
        return this;
    }

    /// <summary>Configures the core options.</summary>
    public MarketAnalyticsBuilder Configure(Action<MarketAnalyticsOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Registers a custom indicator so specs, the engines and the CLI can use it like a built-in.</summary>
    public MarketAnalyticsBuilder AddIndicator(IIndicatorDefinition definition)
    {
        Indicators.Register(definition);
        return this;
    }

    /// <summary>Adds a validation of <typeparamref name="TOptions"/> that runs at start-up (<see cref="Build"/> or first resolve).</summary>
    /// <param name="validate">Returns the problems found; empty when valid.</param>
    public MarketAnalyticsBuilder AddStartupCheck<TOptions>(Func<TOptions, IReadOnlyList<string>> validate) where TOptions : class
    {
        Services.AddSingleton<IValidateOptions<TOptions>>(new DelegateValidator<TOptions>(validate));
        Services.AddOptions<TOptions>().ValidateOnStart();
        _startupChecks.Add(sp =>
        {
            try
            {
                _ = sp.GetRequiredService<IOptions<TOptions>>().Value;
            }
            catch (OptionsValidationException e)
            {
                throw new InvalidOptionsException(typeof(TOptions).Name, e.Failures.ToList());
            }
        });
        return this;
    }

    /// <summary>Builds the service provider and validates all options; for use without a host.</summary>
    /// <exception cref="InvalidOptionsException">Some options are invalid.</exception>
    public MarketAnalyticsRuntime Build()
    {
        var provider = Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        try
        {
            foreach (var check in _startupChecks) check(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
        return new MarketAnalyticsRuntime(provider);
    }

    private sealed class DelegateValidator<TOptions>(Func<TOptions, IReadOnlyList<string>> validate) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var problems = validate(options);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

/// <summary>The composed services of a <see cref="MarketAnalyticsBuilder"/> when used without a host.</summary>
public sealed class MarketAnalyticsRuntime : IDisposable, IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    internal MarketAnalyticsRuntime(ServiceProvider provider) => _provider = provider;

    /// <summary>The service provider.</summary>
    public IServiceProvider Services => _provider;

    /// <summary>The indicator registry.</summary>
    public IndicatorRegistry Indicators => _provider.GetRequiredService<IndicatorRegistry>();

    /// <summary>The anomaly detector registry.</summary>
    public DetectorRegistry Detectors => _provider.GetRequiredService<DetectorRegistry>();

    /// <summary>Resolves a required service.</summary>
    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <inheritdoc />
    public void Dispose() => _provider.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}

/// <summary>Registers MarketAnalytics in an application's service collection.</summary>
public static class MarketAnalyticsServiceCollectionExtensions
{
    /// <summary>Adds the core services and returns the builder adapters extend.</summary>
    public static MarketAnalyticsBuilder AddMarketAnalytics(this IServiceCollection services, Action<MarketAnalyticsOptions>? configure = null)
    {
        var builder = new MarketAnalyticsBuilder(services);
        if (configure is not null) builder.Configure(configure);
        return builder;
    }
}
