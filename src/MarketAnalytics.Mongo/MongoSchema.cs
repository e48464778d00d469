using MongoDB.Bson;
using MongoDB.Driver;

namespace MarketAnalytics.Mongo;

/// <summary>An index the store creates: name, key pattern and uniqueness.</summary>
internal sealed record IndexSpec(string Name, BsonDocument Keys, bool Unique)
{
    public CreateIndexModel<T> ToModel<T>() =>
        new(new BsonDocumentIndexKeysDefinition<T>(Keys), new CreateIndexOptions { Name = Name, Unique = Unique ? true : null });
}

/// <summary>The <c>timeseries</c> options of the candle collection's <c>create</c> command.</summary>
internal sealed record TimeSeriesSpec(string TimeField, string MetaField, TimeSeriesGranularity? Granularity, int? BucketSpanSeconds)
{
    /// <summary>The <c>timeseries</c> sub-document exactly as the <c>create</c> command carries it.</summary>
    public BsonDocument ToBson()
    {
        var doc = new BsonDocument { { "timeField", TimeField }, { "metaField", MetaField } };
        if (Granularity is { } g) doc.Add("granularity", g.ToString().ToLowerInvariant());
        if (BucketSpanSeconds is { } s)
        {
            doc.Add("bucketMaxSpanSeconds", s);
            doc.Add("bucketRoundingSeconds", s);
        }
        return doc;
    }

    public TimeSeriesOptions ToOptions() => BucketSpanSeconds is { } s
        ? new TimeSeriesOptions(TimeField, MetaField, bucketMaxSpanSeconds: s, bucketRoundingSeconds: s)
        : new TimeSeriesOptions(TimeField, MetaField, Granularity);
}

/// <summary>Field names of indicator documents: one per (exchange, symbol, interval, openTime), columns under <c>values</c>.</summary>
internal static class IndicatorFields
{
    public const string Exchange = "exchange";
    public const string Symbol = "symbol";
    public const string Interval = "interval";
    public const string OpenTime = "openTime";
    public const string Values = "values";
}

/// <summary>Field names of anomaly documents: one per (exchange, symbol, interval, openTime, kind).</summary>
internal static class AnomalyFields
{
    public const string Exchange = "exchange";
    public const string Symbol = "symbol";
    public const string Interval = "interval";
    public const string OpenTime = "openTime";
    public const string Kind = "kind";
    public const string Severity = "severity";
    public const string SeverityName = "severityName";
    public const string Score = "score";
    public const string Explanation = "explanation";
}

/// <summary>Builds every collection option, index, filter, sort and update the store sends, as plain BSON (unit-tested).</summary>
internal static class MongoSchema
{
    /// <summary>Default custom bucket span: 1000 candles (a bucket's measurement cap), at most 30 days.</summary>
    public const int DefaultMaxSpanSeconds = 30 * 24 * 3600;

    public static TimeSeriesGranularity GranularityFor(Interval interval) => interval.Unit switch
    {
        IntervalUnit.Second => TimeSeriesGranularity.Seconds,
        IntervalUnit.Minute => TimeSeriesGranularity.Minutes,
        _ => TimeSeriesGranularity.Hours,
    };

    public static int DefaultSpanSeconds(Interval interval)
    {
        var seconds = (long)interval.NominalDuration.TotalSeconds * 1000;
        return (int)Math.Clamp(seconds, 1, DefaultMaxSpanSeconds);
    }

    public static TimeSeriesSpec TimeSeriesFor(MongoStoreOptions options, Interval interval) => options.Bucketing == MongoBucketing.CustomSpan
        ? new TimeSeriesSpec(CandleFields.OpenTime, CandleFields.Meta, null, options.BucketMaxSpanSeconds ?? DefaultSpanSeconds(interval))
        : new TimeSeriesSpec(CandleFields.OpenTime, CandleFields.Meta, GranularityFor(interval), null);

    private static BsonDocument SeriesKeys() => new()
    {
        { CandleFields.MetaExchange, 1 }, { CandleFields.MetaSymbol, 1 }, { CandleFields.MetaInterval, 1 }, { CandleFields.OpenTime, 1 },
    };

    public static IReadOnlyList<IndexSpec> CandleIndexes(MongoCandleWriteMode mode) => mode == MongoCandleWriteMode.RegularUpsert
        ? [new IndexSpec("ux_series_openTime", SeriesKeys(), Unique: true)]
        // Time-series collections allow no unique index; MongoDB also adds {meta: 1, openTime: 1} itself.
        : [new IndexSpec("ix_series_openTime", SeriesKeys(), Unique: false)];

    public static IReadOnlyList<IndexSpec> IndicatorIndexes() =>
    [
        new IndexSpec("ux_indicator_key", new BsonDocument
        {
            { IndicatorFields.Exchange, 1 }, { IndicatorFields.Symbol, 1 }, { IndicatorFields.Interval, 1 }, { IndicatorFields.OpenTime, 1 },
        }, Unique: true),
    ];

    public static IReadOnlyList<IndexSpec> AnomalyIndexes() =>
    [
        new IndexSpec("ux_anomaly_key", new BsonDocument
        {
            { AnomalyFields.Exchange, 1 }, { AnomalyFields.Symbol, 1 }, { AnomalyFields.Interval, 1 }, { AnomalyFields.OpenTime, 1 }, { AnomalyFields.Kind, 1 },
        }, Unique: true),
        new IndexSpec("ix_kind_severity_openTime", new BsonDocument { { AnomalyFields.Kind, 1 }, { AnomalyFields.Severity, -1 }, { AnomalyFields.OpenTime, 1 } }, Unique: false),
        new IndexSpec("ix_severity_openTime", new BsonDocument { { AnomalyFields.Severity, -1 }, { AnomalyFields.OpenTime, 1 } }, Unique: false),
    ];

    // ---- candles ----

    public static BsonDocument CandleRangeFilter(CandleMeta meta, long from, long to) => new()
    {
        { CandleFields.MetaExchange, meta.Exchange },
        { CandleFields.MetaSymbol, meta.Symbol },
        { CandleFields.MetaInterval, meta.Interval },
        { CandleFields.OpenTime, new BsonDocument { { "$gte", new BsonDateTime(from) }, { "$lt", new BsonDateTime(to) } } },
    };

    public static BsonDocument CandleKeyFilter(CandleMeta meta, long openTime) => new()
    {
        { CandleFields.MetaExchange, meta.Exchange },
        { CandleFields.MetaSymbol, meta.Symbol },
        { CandleFields.MetaInterval, meta.Interval },
        { CandleFields.OpenTime, new BsonDateTime(openTime) },
    };

    /// <summary>Older copies of re-written candles: same series and open time, but not one of the copies just inserted.</summary>
    public static BsonDocument SupersededFilter(CandleMeta meta, IReadOnlyList<long> openTimes, IReadOnlyList<ObjectId> keep)
    {
        var times = new BsonArray(openTimes.Count);
        foreach (var t in openTimes) times.Add(new BsonDateTime(t));
        var ids = new BsonArray(keep.Count);
        foreach (var id in keep) ids.Add(id);
        return new BsonDocument
        {
            { CandleFields.MetaExchange, meta.Exchange },
            { CandleFields.MetaSymbol, meta.Symbol },
            { CandleFields.MetaInterval, meta.Interval },
            { CandleFields.OpenTime, new BsonDocument("$in", times) },
            { CandleFields.Id, new BsonDocument("$nin", ids) },
        };
    }

    public static BsonDocument TimeSort() => new(CandleFields.OpenTime, 1);

    // ---- indicators ----

    public static BsonDocument IndicatorKeyFilter(CandleMeta meta, long openTime) => new()
    {
        { IndicatorFields.Exchange, meta.Exchange },
        { IndicatorFields.Symbol, meta.Symbol },
        { IndicatorFields.Interval, meta.Interval },
        { IndicatorFields.OpenTime, new BsonDateTime(openTime) },
    };

    public static BsonDocument IndicatorRangeFilter(CandleMeta meta, long from, long to) => new()
    {
        { IndicatorFields.Exchange, meta.Exchange },
        { IndicatorFields.Symbol, meta.Symbol },
        { IndicatorFields.Interval, meta.Interval },
        { IndicatorFields.OpenTime, new BsonDocument { { "$gte", new BsonDateTime(from) }, { "$lt", new BsonDateTime(to) } } },
    };

    /// <summary><c>{$set: {"values.&lt;column&gt;": value, ...}}</c> for one row; columns not in the result are left alone.</summary>
    public static BsonDocument IndicatorUpdate(IReadOnlyList<string> encodedColumns, IReadOnlyList<IndicatorColumn> columns, int row)
    {
        var set = new BsonDocument();
        for (var c = 0; c < columns.Count; c++) set.Add(IndicatorFields.Values + "." + encodedColumns[c], new BsonDouble(columns[c].Values[row]));
        return new BsonDocument("$set", set);
    }

    public static BsonDocument? IndicatorProjection(IReadOnlyCollection<string>? columns)
    {
        if (columns is null) return null;
        var p = new BsonDocument { { "_id", 0 }, { IndicatorFields.OpenTime, 1 } };
        foreach (var c in columns) p[IndicatorFields.Values + "." + FieldNames.Encode(c)] = 1;
        return p;
    }

    // ---- anomalies ----

    public static BsonDocument AnomalyKeyFilter(string exchange, string symbol, string interval, long openTime, string kind) => new()
    {
        { AnomalyFields.Exchange, exchange },
        { AnomalyFields.Symbol, symbol },
        { AnomalyFields.Interval, interval },
        { AnomalyFields.OpenTime, new BsonDateTime(openTime) },
        { AnomalyFields.Kind, kind },
    };

    public static BsonDocument AnomalyDocument(string exchange, string interval, Anomaly a) => new()
    {
        { AnomalyFields.Exchange, exchange },
        { AnomalyFields.Symbol, a.Symbol.Value },
        { AnomalyFields.Interval, interval },
        { AnomalyFields.OpenTime, new BsonDateTime(a.OpenTime) },
        { AnomalyFields.Kind, a.Kind },
        { AnomalyFields.Severity, (int)a.Severity },
        { AnomalyFields.SeverityName, a.Severity.ToString() },
        { AnomalyFields.Score, a.Score },
        { AnomalyFields.Explanation, a.Explanation },
    };

    public static BsonDocument AnomalyQueryFilter(string exchange, AnomalyQuery q)
    {
        var f = new BsonDocument { { AnomalyFields.Exchange, exchange } };
        if (q.Symbol is { } s) f.Add(AnomalyFields.Symbol, s.Value);
        if (q.Interval is { } i) f.Add(AnomalyFields.Interval, i.Name);
        f.Add(AnomalyFields.OpenTime, new BsonDocument { { "$gte", new BsonDateTime(q.From) }, { "$lt", new BsonDateTime(q.To) } });
        if (q.Kinds is { Count: > 0 } kinds)
        {
            if (kinds.Count == 1) f.Add(AnomalyFields.Kind, kinds.First());
            else f.Add(AnomalyFields.Kind, new BsonDocument("$in", new BsonArray(kinds)));
        }
        if (q.MinSeverity is { } min) f.Add(AnomalyFields.Severity, new BsonDocument("$gte", (int)min));
        return f;
    }

    public static BsonDocument AnomalySort() => new() { { AnomalyFields.OpenTime, 1 }, { AnomalyFields.Symbol, 1 }, { AnomalyFields.Kind, 1 } };

    public static Anomaly ReadAnomaly(BsonDocument d, string source)
    {
        string Str(string name) => d.TryGetValue(name, out var v) && v.IsString ? v.AsString
            : throw new MalformedDataException(source, 0, $"anomaly field '{name}' is missing or not a string.");
        var symbol = SymbolId.TryParse(Str(AnomalyFields.Symbol), out var sym) ? sym
            : throw new MalformedDataException(source, 0, $"anomaly field 'symbol' holds '{Str(AnomalyFields.Symbol)}', not a valid symbol.");
        if (!d.TryGetValue(AnomalyFields.OpenTime, out var t) || !t.IsBsonDateTime)
            throw new MalformedDataException(source, 0, "anomaly field 'openTime' is missing or not a BSON date.");
        if (!d.TryGetValue(AnomalyFields.Score, out var score) || !score.IsNumeric)
            throw new MalformedDataException(source, 0, "anomaly field 'score' is missing or not a number.");
        if (!d.TryGetValue(AnomalyFields.Severity, out var sev) || !sev.IsInt32 || !Enum.IsDefined((AnomalySeverity)sev.AsInt32))
            throw new MalformedDataException(source, 0, $"anomaly field 'severity' must be an int32 between 0 and {(int)AnomalySeverity.Critical}.");
        return new Anomaly(symbol, t.AsBsonDateTime.MillisecondsSinceEpoch, Str(AnomalyFields.Kind), score.ToDouble(), (AnomalySeverity)sev.AsInt32, Str(AnomalyFields.Explanation));
    }

    public static IndicatorRow ReadIndicatorRow(BsonDocument d, string source)
    {
        if (!d.TryGetValue(IndicatorFields.OpenTime, out var t) || !t.IsBsonDateTime)
            throw new MalformedDataException(source, 0, "indicator field 'openTime' is missing or not a BSON date.");
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (d.TryGetValue(IndicatorFields.Values, out var v))
        {
            if (!v.IsBsonDocument) throw new MalformedDataException(source, 0, "indicator field 'values' is not a document.");
            foreach (var e in v.AsBsonDocument)
            {
                if (!e.Value.IsNumeric)
                    throw new MalformedDataException(source, 0, $"indicator value '{FieldNames.Decode(e.Name)}' at {CandleMeta.FormatTime(t.AsBsonDateTime.MillisecondsSinceEpoch)} is {e.Value.BsonType}, not a number.");
                values[FieldNames.Decode(e.Name)] = e.Value.ToDouble();
            }
        }
        return new IndicatorRow(t.AsBsonDateTime.MillisecondsSinceEpoch, values);
    }
}

/// <summary>Reversible encoding of indicator column names into MongoDB field names ('.' and a leading '$' are not allowed there).</summary>
internal static class FieldNames
{
    private const char Dot = '\uFF0E', Dollar = '\uFF04';

    public static string? Check(string? column)
    {
        if (string.IsNullOrEmpty(column)) return "it is empty";
        foreach (var c in column)
        {
            if (c == '\0') return "it contains a null character";
            if (c is Dot or Dollar) return $"it contains U+{(int)c:X4}, which the store reserves for escaping '.' and '$'";
        }
        return null;
    }

    public static string Encode(string column)
    {
        var problem = Check(column);
        if (problem is not null) throw new InvalidSpecException(column ?? "<null>", $"cannot be stored as a MongoDB field name: {problem}.");
        var s = column.Replace('.', Dot);
        return s[0] == '$' ? Dollar + s[1..] : s;
    }

    public static string Decode(string field)
    {
        var s = field.Replace(Dot, '.');
        return s.Length > 0 && s[0] == Dollar ? "$" + s[1..] : s;
    }
}
