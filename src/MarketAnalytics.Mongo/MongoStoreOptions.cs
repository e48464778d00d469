using System.Text;
using MongoDB.Driver;

namespace MarketAnalytics.Mongo;

/// <summary>How candle writes stay idempotent given that time-series collections allow neither unique indexes nor upserts.</summary>
public enum MongoCandleWriteMode
{
    /// <summary>
    /// Time-series collection (default). Each batch reads the stored candles of its time span, inserts the missing
    /// ones, re-inserts changed ones and then deletes the superseded copies (insert-before-delete, so a crash can
    /// leave a duplicate, which reads collapse and the next write removes, but never a hole). Compact, columnar
    /// storage; assumes one writer per series at a time (writes are serialised per series within a process).
    /// Changing an already stored candle needs MongoDB 7.0+ (arbitrary deletes on time-series collections).
    /// </summary>
    TimeSeriesMerge,

    /// <summary>
    /// Regular collection with a unique <c>{meta.exchange, meta.symbol, meta.interval, openTime}</c> index and
    /// unordered bulk replace-upserts. Safe with concurrent writers and on any MongoDB 4.4+, but stores every
    /// document in full (several times the space of the time-series layout) and needs a larger index.
    /// </summary>
    RegularUpsert,
}

/// <summary>How the buckets of the candle time-series collection are sized.</summary>
public enum MongoBucketing
{
    /// <summary>Use the time-series <c>granularity</c> derived from the interval (1s: seconds, minutes: minutes, longer: hours).</summary>
    Granularity,

    /// <summary>Use <c>bucketMaxSpanSeconds</c> = <c>bucketRoundingSeconds</c> (MongoDB 6.3+); see <see cref="MongoStoreOptions.BucketMaxSpanSeconds"/>.</summary>
    CustomSpan,
}

/// <summary>Options of the MongoDB store. <see cref="ToString"/> never shows credentials.</summary>
public sealed class MongoStoreOptions
{
    /// <summary>Placeholder in <see cref="CandlesCollection"/> replaced by the interval's archive name (<c>1m</c>, <c>1h</c>, <c>1mo</c>).</summary>
    public const string IntervalPlaceholder = "{interval}";

    /// <summary>Largest accepted <see cref="BucketMaxSpanSeconds"/> (365 days, the server's upper bound).</summary>
    public const int MaxBucketSpanSeconds = 31_536_000;

    /// <summary>Largest accepted <see cref="BatchSize"/>.</summary>
    public const int MaxBatchSize = 100_000;

    /// <summary>MongoDB connection string (<c>mongodb://</c> or <c>mongodb+srv://</c>); may hold credentials, which are never logged.</summary>
    public string ConnectionString { get; set; } = "mongodb://localhost:27017";

    /// <summary>Database name.</summary>
    public string Database { get; set; } = "marketanalytics";

    /// <summary>Candle collection name; <c>{interval}</c> gives one collection per interval, so each gets its own bucket granularity.</summary>
    public string CandlesCollection { get; set; } = "candles_" + IntervalPlaceholder;

    /// <summary>Indicator collection name (one document per symbol, interval and open time; one field per column).</summary>
    public string IndicatorsCollection { get; set; } = "indicators";

    /// <summary>Anomaly collection name (one document per symbol, interval, open time and kind).</summary>
    public string AnomaliesCollection { get; set; } = "anomalies";

    /// <summary>Exchange name stored with every document (lower-case letters, digits, '-' or '_').</summary>
    public string Exchange { get; set; } = "binance";

    /// <summary>How candle writes are made idempotent; see <see cref="MongoCandleWriteMode"/> for the trade-offs.</summary>
    public MongoCandleWriteMode CandleWriteMode { get; set; } = MongoCandleWriteMode.TimeSeriesMerge;

    /// <summary>How time-series buckets are sized (ignored in <see cref="MongoCandleWriteMode.RegularUpsert"/>).</summary>
    public MongoBucketing Bucketing { get; set; } = MongoBucketing.Granularity;

    /// <summary>Bucket span in seconds for <see cref="MongoBucketing.CustomSpan"/>; null picks 1000 candles of the interval (at most 30 days).</summary>
    public int? BucketMaxSpanSeconds { get; set; }

    /// <summary>Documents per bulk write (and per merge window in <see cref="MongoCandleWriteMode.TimeSeriesMerge"/>).</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>Create missing collections and indexes on first use (idempotent). Turn off when the schema is managed elsewhere.</summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>Returns the problems with these options; empty when valid. Messages never contain credentials.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("ConnectionString must not be empty (e.g. mongodb://localhost:27017).");
        }
        else
        {
            var error = MongoConnectionStrings.TryParse(ConnectionString, out _);
            if (error is not null) problems.Add(error);
        }

        var dbProblem = MongoNames.CheckDatabase(Database);
        if (dbProblem is not null) problems.Add($"Database '{Printable(Database)}' is not a valid database name: {dbProblem}.");

        if (string.IsNullOrEmpty(CandlesCollection))
        {
            problems.Add("CandlesCollection must not be empty.");
        }
        else
        {
            var rest = CandlesCollection.Replace(IntervalPlaceholder, string.Empty, StringComparison.Ordinal);
            if (rest.Contains('{') || rest.Contains('}'))
                problems.Add($"CandlesCollection '{Printable(CandlesCollection)}' may contain only the placeholder {IntervalPlaceholder}.");
            else
                CheckCollection(nameof(CandlesCollection), CandlesCollection.Replace(IntervalPlaceholder, "1mo", StringComparison.Ordinal), problems);
        }
        CheckCollection(nameof(IndicatorsCollection), IndicatorsCollection, problems);
        CheckCollection(nameof(AnomaliesCollection), AnomaliesCollection, problems);
        var names = new[] { CandlesCollection, IndicatorsCollection, AnomaliesCollection };
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Length)
            problems.Add("CandlesCollection, IndicatorsCollection and AnomaliesCollection must be three different names (compared ignoring case).");

        if (string.IsNullOrEmpty(Exchange) || Exchange.Length > 32 || !Exchange.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
            problems.Add($"Exchange '{Printable(Exchange)}' must be 1-32 lower-case letters, digits, '-' or '_'.");

        if (!Enum.IsDefined(CandleWriteMode)) problems.Add($"CandleWriteMode {(int)CandleWriteMode} is not a defined mode.");
        if (!Enum.IsDefined(Bucketing)) problems.Add($"Bucketing {(int)Bucketing} is not a defined bucketing.");
        if (BucketMaxSpanSeconds is { } span)
        {
            if (Bucketing != MongoBucketing.CustomSpan)
                problems.Add("BucketMaxSpanSeconds is set but Bucketing is not CustomSpan; MongoDB does not accept a span together with a granularity.");
            if (span is < 1 or > MaxBucketSpanSeconds)
                problems.Add($"BucketMaxSpanSeconds {span} must be between 1 and {MaxBucketSpanSeconds}.");
        }
        if (BatchSize is < 1 or > MaxBatchSize) problems.Add($"BatchSize {BatchSize} must be between 1 and {MaxBatchSize}.");
        return problems;
    }

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem when the options are invalid.</summary>
    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0) throw new InvalidOptionsException(nameof(MongoStoreOptions), problems);
    }

    /// <summary>The candle collection name for <paramref name="interval"/>.</summary>
    public string CandlesCollectionFor(Interval interval) =>
        CandlesCollection.Replace(IntervalPlaceholder, interval.ArchiveName, StringComparison.Ordinal);

    /// <summary>Options for <paramref name="connectionString"/>; its database path (<c>mongodb://host/mydb</c>), when present, becomes <see cref="Database"/>.</summary>
    /// <exception cref="InvalidOptionsException">The connection string cannot be parsed (and <paramref name="validate"/> is true).</exception>
    public static MongoStoreOptions FromConnectionString(string connectionString, bool validate = true)
    {
        var options = new MongoStoreOptions { ConnectionString = connectionString };
        MongoUrl? url = null;
        var error = string.IsNullOrWhiteSpace(connectionString) ? "ConnectionString must not be empty." : MongoConnectionStrings.TryParse(connectionString, out url);
        if (error is null && url?.DatabaseName is { Length: > 0 } db) options.Database = db;
        if (error is not null && validate) throw new InvalidOptionsException(nameof(MongoStoreOptions), [error]);
        return options;
    }

    /// <summary>Copies every option to <paramref name="target"/>.</summary>
    public void CopyTo(MongoStoreOptions target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.ConnectionString = ConnectionString;
        target.Database = Database;
        target.CandlesCollection = CandlesCollection;
        target.IndicatorsCollection = IndicatorsCollection;
        target.AnomaliesCollection = AnomaliesCollection;
        target.Exchange = Exchange;
        target.CandleWriteMode = CandleWriteMode;
        target.Bucketing = Bucketing;
        target.BucketMaxSpanSeconds = BucketMaxSpanSeconds;
        target.BatchSize = BatchSize;
        target.CreateSchema = CreateSchema;
    }

    /// <summary>A copy of these options.</summary>
    public MongoStoreOptions Clone() => (MongoStoreOptions)MemberwiseClone();

    /// <summary>A description safe for logs: the connection string with its password and secrets redacted.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("MongoStore(").Append(MongoConnectionStrings.Redact(ConnectionString))
          .Append(", database=").Append(Database)
          .Append(", candles=").Append(CandlesCollection)
          .Append(", indicators=").Append(IndicatorsCollection)
          .Append(", anomalies=").Append(AnomaliesCollection)
          .Append(", exchange=").Append(Exchange)
          .Append(", mode=").Append(CandleWriteMode)
          .Append(", bucketing=").Append(Bucketing);
        if (BucketMaxSpanSeconds is { } s) sb.Append(", bucketMaxSpanSeconds=").Append(s);
        sb.Append(", batch=").Append(BatchSize).Append(')');
        return sb.ToString();
    }

    private static void CheckCollection(string option, string? name, List<string> problems)
    {
        var problem = MongoNames.CheckCollection(name);
        if (problem is not null) problems.Add($"{option} '{Printable(name)}' is not a valid collection name: {problem}.");
    }

    private static string Printable(string? s) => s is null ? "<null>" : string.Concat(s.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}

/// <summary>MongoDB naming rules for databases and collections.</summary>
internal static class MongoNames
{
    private const string DatabaseForbidden = "/\\. \"$*<>:|?";

    public static string? CheckDatabase(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "it is empty";
        if (Encoding.UTF8.GetByteCount(name) > 63) return "it is longer than 63 bytes";
        foreach (var c in name)
        {
            if (c == '\0') return "it contains a null character";
            if (DatabaseForbidden.Contains(c)) return $"character '{c}' is not allowed (forbidden: / \\ . space \" $ * < > : | ?)";
            if (char.IsControl(c)) return $"control character U+{(int)c:X4} is not allowed";
        }
        return null;
    }

    public static string? CheckCollection(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "it is empty";
        if (Encoding.UTF8.GetByteCount(name) > 120) return "it is longer than 120 bytes";
        if (name.StartsWith("system.", StringComparison.Ordinal)) return "names starting with 'system.' are reserved";
        if (name.StartsWith('.') || name.EndsWith('.')) return "it must not start or end with '.'";
        foreach (var c in name)
        {
            if (c == '\0') return "it contains a null character";
            if (c == '$') return "character '$' is not allowed";
            if (char.IsControl(c)) return $"control character U+{(int)c:X4} is not allowed";
        }
        return null;
    }
}
