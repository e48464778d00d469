using MarketAnalytics.Lake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MarketAnalytics.Lake
{
    /// <summary>The local Parquet lake: a Hive-partitioned kline dataset plus ingest checkpoints.</summary>
    public interface IParquetLake
    {
        /// <summary>Absolute root folder.</summary>
        string Root { get; }

        /// <summary>The kline store (merge by open time per month partition).</summary>
        ICandleStore Candles { get; }

        /// <summary>The checkpointed ingestor writing into <see cref="Candles"/>.</summary>
        ICandleIngestor Ingestor { get; }

        /// <summary>Glob of every kline file, for engines: <c>&lt;root&gt;/klines/**/*.parquet</c>.</summary>
        string KlinesGlob { get; }

        /// <summary>Checks the root can be created and written; throws <see cref="LakeNotWritableException"/> otherwise.</summary>
        void EnsureWritable();
    }

    /// <summary>The lake root cannot be created or written.</summary>
    public sealed class LakeNotWritableException : MarketAnalyticsException
    {
        /// <summary>Creates the exception.</summary>
        public LakeNotWritableException(string root, Exception inner)
            : base($"Lake path '{root}' is not writable: {inner.Message}", inner) => Root = root;

        /// <summary>The lake root.</summary>
        public string Root { get; }
    }

    /// <summary>Creates the Parquet lake without a container.</summary>
    public static class ParquetLake
    {
        /// <summary>Opens (without creating anything yet) the lake at <paramref name="root"/>.</summary>
        public static IParquetLake Open(string root, Action<ParquetLakeOptions>? configure = null, TimeProvider? time = null)
        {
            var options = new ParquetLakeOptions { Root = root };
            configure?.Invoke(options);
            return new ParquetLakeImpl(options, time ?? TimeProvider.System);
        }
    }

    internal sealed class ParquetLakeImpl : IParquetLake
    {
        public ParquetLakeImpl(ParquetLakeOptions options, TimeProvider time)
        {
            var store = new ParquetCandleStore(options);
            Candles = store;
            Root = store.Root;
            Ingestor = new LakeIngestor(store, Path.Combine(Root, LakeLayout.CheckpointFolder), options.Exchange, options.FlushEveryCandles, time);
        }

        public string Root { get; }

        public ICandleStore Candles { get; }

        public ICandleIngestor Ingestor { get; }

        public string KlinesGlob => Path.Combine(Root, LakeLayout.KlinesFolder, "**", "*.parquet");

        public void EnsureWritable()
        {
            try
            {
                Directory.CreateDirectory(Root);
                var probe = Path.Combine(Root, ".write-probe-" + Guid.NewGuid().ToString("N"));
                File.WriteAllBytes(probe, [1]);
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                throw new LakeNotWritableException(Root, e);
            }
        }
    }
}

namespace MarketAnalytics
{
    /// <summary>Registers the Parquet lake on a <see cref="MarketAnalyticsBuilder"/>.</summary>
    public static class ParquetLakeBuilderExtensions
    {
        /// <summary>Adds the local Parquet lake as <see cref="ICandleStore"/>, <see cref="ICandleIngestor"/> and <see cref="IParquetLake"/>.</summary>
        public static MarketAnalyticsBuilder AddParquetLake(this MarketAnalyticsBuilder builder, Action<ParquetLakeOptions>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(builder);
            var optionsBuilder = builder.Services.AddOptions<ParquetLakeOptions>();
            if (configure is not null) optionsBuilder.Configure(configure);
            builder.AddStartupCheck<ParquetLakeOptions>(o => o.Validate());
            builder.Services.TryAddSingleton<IParquetLake>(sp =>
                new ParquetLakeImpl(sp.GetRequiredService<IOptions<ParquetLakeOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
            builder.Services.TryAddSingleton(sp => sp.GetRequiredService<IParquetLake>().Candles);
            builder.Services.TryAddSingleton(sp => sp.GetRequiredService<IParquetLake>().Ingestor);
            return builder;
        }
    }
}
