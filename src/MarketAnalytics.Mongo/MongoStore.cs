using MarketAnalytics.Mongo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace MarketAnalytics.Mongo
{
    /// <summary>One stored row of indicator values.</summary>
    /// <param name="OpenTime">Open time, Unix ms UTC.</param>
    /// <param name="Values">Column name to value (NaN where the indicator is undefined).</param>
    public sealed record IndicatorRow(long OpenTime, IReadOnlyDictionary<string, double> Values);

    /// <summary>A query over stored anomalies: time range plus optional symbol, interval, kinds and minimum severity.</summary>
    /// <param name="From">First open time included (Unix ms UTC).</param>
    /// <param name="To">First open time excluded (Unix ms UTC).</param>
    public sealed record AnomalyQuery(long From, long To)
    {
        /// <summary>Only this symbol; null for all.</summary>
        public SymbolId? Symbol { get; init; }

        /// <summary>Only this interval; null for all.</summary>
        public Interval? Interval { get; init; }

        /// <summary>Only these kinds (see <see cref="AnomalyKinds"/>); null or empty for all.</summary>
        public IReadOnlyCollection<string>? Kinds { get; init; }

        /// <summary>Only anomalies at least this severe; null for all.</summary>
        public AnomalySeverity? MinSeverity { get; init; }
    }

    /// <summary>The MongoDB store: candles, indicator columns and anomalies, plus schema set-up and richer queries.</summary>
    public interface IMongoMarketStore : ICandleStore, IAnalysisResultStore, IDisposable
    {
        /// <summary>The validated options (<see cref="MongoStoreOptions.ToString"/> is log-safe).</summary>
        MongoStoreOptions Options { get; }

        /// <summary>Creates the indicator and anomaly collections, the candle collections of <paramref name="candleIntervals"/>, and their indexes; idempotent.</summary>
        Task EnsureSchemaAsync(IEnumerable<Interval>? candleIntervals = null, CancellationToken cancellationToken = default);

        /// <summary>Streams stored indicator rows of <paramref name="range"/> in time order, optionally only some columns.</summary>
        IAsyncEnumerable<IndicatorRow> ReadIndicatorsAsync(CandleRange range, IReadOnlyCollection<string>? columns = null, CancellationToken cancellationToken = default);

        /// <summary>Streams anomalies matching <paramref name="query"/> ordered by open time, symbol and kind.</summary>
        IAsyncEnumerable<Anomaly> QueryAnomaliesAsync(AnomalyQuery query, CancellationToken cancellationToken = default);
    }

    /// <summary>Creates MongoDB stores without dependency injection.</summary>
    public static class MongoStore
    {
        /// <summary>Validates <paramref name="options"/> and creates a store with its own client (dispose the store to close it).</summary>
        /// <exception cref="InvalidOptionsException">The options are invalid.</exception>
        public static IMongoMarketStore Create(MongoStoreOptions options, ILoggerFactory? loggerFactory = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            return new MongoMarketStore(options, null, loggerFactory?.CreateLogger<MongoMarketStore>());
        }

        /// <summary>Creates a store that uses an existing client (not disposed with the store); the connection string option is ignored.</summary>
        public static IMongoMarketStore Create(MongoStoreOptions options, IMongoClient client, ILoggerFactory? loggerFactory = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            ArgumentNullException.ThrowIfNull(client);
            return new MongoMarketStore(options, client, loggerFactory?.CreateLogger<MongoMarketStore>());
        }

        /// <summary>Creates a store from a URI such as <c>mongodb://user:pw@host:27017/mydb</c>; the URI's database is used when it names one.</summary>
        public static IMongoMarketStore Create(string connectionString, ILoggerFactory? loggerFactory = null) =>
            Create(MongoStoreOptions.FromConnectionString(connectionString), loggerFactory);
    }
}

namespace MarketAnalytics
{
    /// <summary>Registers the MongoDB store on a <see cref="MarketAnalyticsBuilder"/>.</summary>
    public static class MongoStoreBuilderExtensions
    {
        /// <summary>
        /// Adds the MongoDB store as <see cref="ICandleStore"/>, <see cref="IAnalysisResultStore"/> and
        /// <see cref="IMongoMarketStore"/>; the options are validated at start-up (connection string, names, sizes).
        /// </summary>
        public static MarketAnalyticsBuilder AddMongoStore(this MarketAnalyticsBuilder builder, Action<MongoStoreOptions> configure)
        {
            ArgumentNullException.ThrowIfNull(builder);
            ArgumentNullException.ThrowIfNull(configure);
            builder.Services.Configure(configure);
            builder.AddStartupCheck<MongoStoreOptions>(o => o.Validate());
            builder.Services.TryAddSingleton<IMongoMarketStore>(sp => new MongoMarketStore(
                sp.GetRequiredService<IOptions<MongoStoreOptions>>().Value,
                sp.GetService<IMongoClient>(),
                sp.GetService<ILoggerFactory>()?.CreateLogger<MongoMarketStore>()));
            builder.Services.AddSingleton<ICandleStore>(sp => sp.GetRequiredService<IMongoMarketStore>());
            builder.Services.AddSingleton<IAnalysisResultStore>(sp => sp.GetRequiredService<IMongoMarketStore>());
            return builder;
        }

        /// <summary>Adds the MongoDB store from a URI such as <c>mongodb://host:27017/mydb</c> (the CLI's <c>--store</c> form).</summary>
        public static MarketAnalyticsBuilder AddMongoStore(this MarketAnalyticsBuilder builder, string connectionString, Action<MongoStoreOptions>? configure = null) =>
            builder.AddMongoStore(o =>
            {
                MongoStoreOptions.FromConnectionString(connectionString, validate: false).CopyTo(o);
                configure?.Invoke(o);
            });
    }
}
