using MarketAnalytics.Binance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MarketAnalytics.Binance
{
    /// <summary>The bulk-archive source with its counters.</summary>
    public interface IBinanceArchiveSource : IMarketDataSource, IDisposable
    {
        /// <summary>Requests to the archive host, retries, candles read.</summary>
        BinanceRequestStatistics Statistics { get; }

        /// <summary>Archive files downloaded, verified and read.</summary>
        long FilesRead { get; }

        /// <summary>Periods without an archive that were fetched over REST.</summary>
        long RestSegments { get; }
    }

    /// <summary>Creates the Binance sources without a container (plain <c>new</c> style).</summary>
    public static class BinanceMarketData
    {
        /// <summary>Creates the REST client; dispose it when done (it owns its HTTP connections unless <paramref name="httpClient"/> is given).</summary>
        /// <param name="options">Options; defaults to the public market-data endpoints.</param>
        /// <param name="httpClient">HTTP client to use; one is created when null.</param>
        /// <param name="time">Clock for the governor, retries and timeouts; <see cref="TimeProvider.System"/> when null.</param>
        public static IBinanceClient CreateRestClient(BinanceOptions? options = null, HttpClient? httpClient = null, TimeProvider? time = null) =>
            new BinanceRestClient(options ?? new BinanceOptions(), httpClient, time);

        /// <summary>Creates the data.binance.vision archive source; <paramref name="restFallback"/> fills periods not archived yet.</summary>
        public static IBinanceArchiveSource CreateArchiveSource(BinanceOptions? options = null, IBinanceClient? restFallback = null,
            HttpClient? httpClient = null, TimeProvider? time = null) =>
            new BinanceArchiveSource(options ?? new BinanceOptions(), restFallback, httpClient, time);

        /// <summary>Creates a source reading a local folder of archives, CSVs or freqtrade JSON files.</summary>
        public static IMarketDataSource CreateLocalDirectorySource(string directory)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(directory);
            return new LocalKlineDirectorySource(directory);
        }

        /// <summary>Creates the live kline stream; <paramref name="rest"/> backfills gaps after reconnects.</summary>
        public static IBinanceKlineStream CreateKlineStream(IBinanceClient rest, BinanceOptions? options = null, TimeProvider? time = null)
        {
            ArgumentNullException.ThrowIfNull(rest);
            var o = options ?? new BinanceOptions();
            var problems = o.Validate();
            if (problems.Count > 0) throw new InvalidOptionsException(nameof(BinanceOptions), problems);
            return new BinanceKlineStream(o, rest, time ?? TimeProvider.System);
        }
    }
}

namespace MarketAnalytics
{
    /// <summary>Registers the Binance source on a <see cref="MarketAnalyticsBuilder"/>.</summary>
    public static class BinanceBuilderExtensions
    {
        /// <summary>
        /// Adds <see cref="IBinanceClient"/>, <see cref="IBinanceArchiveSource"/>, <see cref="IBinanceKlineStream"/> and, per
        /// <see cref="BinanceOptions.Source"/>, an <see cref="IMarketDataSource"/>; the options are validated at start-up.
        /// </summary>
        public static MarketAnalyticsBuilder AddBinanceSource(this MarketAnalyticsBuilder builder, Action<BinanceOptions>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(builder);
            var optionsBuilder = builder.Services.AddOptions<BinanceOptions>();
            if (configure is not null) optionsBuilder.Configure(configure);
            builder.AddStartupCheck<BinanceOptions>(o => o.Validate());
            var services = builder.Services;
            services.TryAddSingleton<IBinanceClient>(sp =>
                new BinanceRestClient(sp.GetRequiredService<IOptions<BinanceOptions>>().Value, null, sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IBinanceArchiveSource>(sp =>
                new BinanceArchiveSource(sp.GetRequiredService<IOptions<BinanceOptions>>().Value, sp.GetRequiredService<IBinanceClient>(), null,
                    sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IBinanceKlineStream>(sp =>
                new BinanceKlineStream(sp.GetRequiredService<IOptions<BinanceOptions>>().Value, sp.GetRequiredService<IBinanceClient>(),
                    sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IMarketDataSource>(sp =>
            {
                var o = sp.GetRequiredService<IOptions<BinanceOptions>>().Value;
                return o.Source switch
                {
                    BinanceSourceKind.Archive => sp.GetRequiredService<IBinanceArchiveSource>(),
                    BinanceSourceKind.LocalDirectory => new LocalKlineDirectorySource(o.LocalDirectory!),
                    _ => sp.GetRequiredService<IBinanceClient>(),
                };
            });
            return builder;
        }
    }
}
