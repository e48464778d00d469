using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace MarketAnalytics.Mongo.Tests;

public sealed class OptionsTests
{
    private const string Secret = "s3cr%40t-P4ss";

    [Theory]
    [InlineData("mongodb://alice:" + Secret + "@db1:27017,db2:27018/prod?replicaSet=rs0", "mongodb://alice:***@db1:27017,db2:27018/prod?replicaSet=rs0")]
    [InlineData("mongodb+srv://bob:p@ss/w?rd@cluster0.example.net/?retryWrites=true", "mongodb+srv://bob:***@cluster0.example.net/?retryWrites=true")]
    [InlineData("mongodb://localhost:27017", "mongodb://localhost:27017")]
    [InlineData("mongodb://carol@host/?authMechanism=MONGODB-X509", "mongodb://carol@host/?authMechanism=MONGODB-X509")]
    [InlineData("mongodb://host/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok123&tlsCertificateKeyFilePassword=pw9", "mongodb://host/?authMechanism=MONGODB-AWS&authMechanismProperties=***&tlsCertificateKeyFilePassword=***")]
    [InlineData("alice:pw@host", "<not a mongodb:// connection string; redacted>")]
    [InlineData("http://alice:pw@host", "<not a mongodb:// connection string; redacted>")]
    [InlineData("", "<empty>")]
    [InlineData(null, "<null>")]
    public void Redact_hides_passwords_and_secret_options(string? input, string expected)
    {
        Assert.Equal(expected, MongoConnectionStrings.Redact(input));
    }

    [Fact]
    public void Defaults_are_valid_and_ToString_never_shows_the_password()
    {
        Assert.Empty(new MongoStoreOptions().Validate());
        var o = new MongoStoreOptions { ConnectionString = $"mongodb://alice:{Secret}@db1:27017/?authSource=admin" };
        Assert.Empty(o.Validate());
        var text = o.ToString();
        Assert.DoesNotContain(Secret, text);
        Assert.DoesNotContain("s3cr", text);
        Assert.Contains("mongodb://alice:***@db1:27017/?authSource=admin", text);
        Assert.Contains("database=marketanalytics", text);
    }

    [Theory]
    [InlineData(nameof(MongoStoreOptions.ConnectionString), "", "ConnectionString must not be empty")]
    [InlineData(nameof(MongoStoreOptions.ConnectionString), "postgres://u:" + Secret + "@h", "not a valid MongoDB connection string")]
    [InlineData(nameof(MongoStoreOptions.ConnectionString), "mongodb://u:" + Secret + "@h:notaport", "not a valid MongoDB connection string")]
    [InlineData(nameof(MongoStoreOptions.Database), "my.db", "Database 'my.db'")]
    [InlineData(nameof(MongoStoreOptions.Database), "", "Database ''")]
    [InlineData(nameof(MongoStoreOptions.Database), "a b", "character ' '")]
    [InlineData(nameof(MongoStoreOptions.Database), "0123456789012345678901234567890123456789012345678901234567890123", "longer than 63 bytes")]
    [InlineData(nameof(MongoStoreOptions.CandlesCollection), "system.candles", "reserved")]
    [InlineData(nameof(MongoStoreOptions.CandlesCollection), "candles_{symbol}", "only the placeholder {interval}")]
    [InlineData(nameof(MongoStoreOptions.IndicatorsCollection), "ind$", "'$'")]
    [InlineData(nameof(MongoStoreOptions.AnomaliesCollection), "", "AnomaliesCollection ''")]
    [InlineData(nameof(MongoStoreOptions.AnomaliesCollection), "Indicators", "three different names")]
    [InlineData(nameof(MongoStoreOptions.Exchange), "Binance", "Exchange 'Binance'")]
    public void Bad_options_are_reported_with_the_option_name_and_no_secret(string option, string value, string expected)
    {
        var o = new MongoStoreOptions();
        typeof(MongoStoreOptions).GetProperty(option)!.SetValue(o, value);
        var problems = o.Validate();
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain("s3cr", p));
        var e = Assert.Throws<InvalidOptionsException>(o.ThrowIfInvalid);
        Assert.Equal(nameof(MongoStoreOptions), e.OptionsName);
        Assert.DoesNotContain("s3cr", e.Message);
    }

    [Fact]
    public void Numeric_and_bucketing_options_are_range_checked()
    {
        Assert.Contains(new MongoStoreOptions { BatchSize = 0 }.Validate(), p => p.Contains("BatchSize 0"));
        Assert.Contains(new MongoStoreOptions { BatchSize = 100_001 }.Validate(), p => p.Contains("BatchSize 100001"));
        Assert.Contains(new MongoStoreOptions { BucketMaxSpanSeconds = 3600 }.Validate(), p => p.Contains("not CustomSpan"));
        Assert.Contains(new MongoStoreOptions { Bucketing = MongoBucketing.CustomSpan, BucketMaxSpanSeconds = 0 }.Validate(), p => p.Contains("between 1 and"));
        Assert.Empty(new MongoStoreOptions { Bucketing = MongoBucketing.CustomSpan, BucketMaxSpanSeconds = 3600 }.Validate());
        Assert.Contains(new MongoStoreOptions { CandleWriteMode = (MongoCandleWriteMode)7 }.Validate(), p => p.Contains("CandleWriteMode 7"));
    }

    [Fact]
    public void Candle_collection_name_per_interval_uses_archive_names()
    {
        var o = new MongoStoreOptions();
        Assert.Equal("candles_1m", o.CandlesCollectionFor(Interval.OneMinute));
        Assert.Equal("candles_1mo", o.CandlesCollectionFor(Interval.OneMonth)); // never collides with 1m on case-insensitive file systems
        Assert.Equal("klines", new MongoStoreOptions { CandlesCollection = "klines" }.CandlesCollectionFor(Interval.OneHour));
    }

    [Fact]
    public void FromConnectionString_takes_the_database_from_the_uri()
    {
        Assert.Equal("prod", MongoStoreOptions.FromConnectionString("mongodb://u:pw@h:27017/prod?authSource=admin").Database);
        Assert.Equal("marketanalytics", MongoStoreOptions.FromConnectionString("mongodb://h:27017").Database);
        var e = Assert.Throws<InvalidOptionsException>(() => MongoStoreOptions.FromConnectionString("mongodb://u:" + Secret + "@h:notaport"));
        Assert.DoesNotContain("s3cr", e.Message);
    }

    [Fact]
    public void AddMongoStore_validates_at_startup_with_typed_errors()
    {
        var bad = new MarketAnalyticsBuilder().AddMongoStore(o =>
        {
            o.ConnectionString = "mongodb://u:" + Secret + "@h:notaport";
            o.Database = "a/b";
        });
        var e = Assert.Throws<InvalidOptionsException>(() => bad.Build());
        Assert.Equal(nameof(MongoStoreOptions), e.OptionsName);
        Assert.Equal(2, e.Problems.Count);
        Assert.DoesNotContain("s3cr", e.Message);
    }

    [Fact]
    public void AddMongoStore_registers_one_store_for_all_contracts_and_plain_new_works()
    {
        // Creating a MongoClient does not connect, so this runs without a server.
        using var runtime = new MarketAnalyticsBuilder().AddMongoStore(o => o.Database = "unit").Build();
        var store = runtime.Get<IMongoMarketStore>();
        Assert.Same(store, runtime.Get<ICandleStore>());
        Assert.Same(store, runtime.Get<IAnalysisResultStore>());
        Assert.Equal("unit", store.Options.Database);

        using var viaUri = new MarketAnalyticsBuilder().AddMongoStore("mongodb://localhost:27017/fromuri", o => o.Exchange = "binance-us").Build();
        Assert.Equal("fromuri", viaUri.Get<IMongoMarketStore>().Options.Database);
        Assert.Equal("binance-us", viaUri.Get<IMongoMarketStore>().Options.Exchange);

        using var plain = MongoStore.Create(new MongoStoreOptions { Database = "plain" });
        Assert.Equal("plain", plain.Options.Database);
        Assert.Throws<InvalidOptionsException>(() => MongoStore.Create(new MongoStoreOptions { BatchSize = -1 }));
        Assert.Throws<InvalidOptionsException>(() => MongoStore.Create("not a uri"));
    }

    [Fact]
    public void The_store_logs_its_configuration_without_the_password()
    {
        var sink = new ListLoggerProvider();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Trace)))
        using (MongoStore.Create(new MongoStoreOptions { ConnectionString = $"mongodb://alice:{Secret}@localhost:27017/?authSource=admin" }, factory))
        {
        }
        Assert.NotEmpty(sink.Lines);
        Assert.Contains(sink.Lines, l => l.Contains("alice:***@localhost", StringComparison.Ordinal));
        Assert.All(sink.Lines, l => Assert.DoesNotContain("s3cr", l));
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public List<string> Lines { get; } = [];
        public ILogger CreateLogger(string categoryName) => new L(Lines);
        public void Dispose() { }

        private sealed class L(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines) lines.Add(formatter(state, exception));
            }
        }
    }
}
