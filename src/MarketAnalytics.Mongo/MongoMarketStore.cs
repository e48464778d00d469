using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace MarketAnalytics.Mongo;

/// <summary>The MongoDB implementation of <see cref="ICandleStore"/> and <see cref="IAnalysisResultStore"/>.</summary>
internal sealed class MongoMarketStore : IMongoMarketStore
{
    private const int NamespaceExists = 48;

    private readonly MongoStoreOptions _options;
    private readonly IMongoClient _client;
    private readonly bool _ownsClient;
    private readonly IMongoDatabase _db;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, Task> _schema = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _seriesLocks = new(StringComparer.Ordinal);
    private int _disposed;

    public MongoMarketStore(MongoStoreOptions options, IMongoClient? client, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _options = options.Clone();
        _log = logger ?? NullLogger.Instance;
        if (client is null)
        {
            _client = new MongoClient(MongoClientSettings.FromConnectionString(_options.ConnectionString));
            _ownsClient = true;
        }
        else
        {
            _client = client;
        }
        _db = _client.GetDatabase(_options.Database);
        _log.LogInformation("MongoDB store configured: {Store}", _options.ToString());
    }

    public MongoStoreOptions Options => _options.Clone();

    // ------------------------------------------------------------------ schema

    public async Task EnsureSchemaAsync(IEnumerable<Interval>? candleIntervals = null, CancellationToken cancellationToken = default)
    {
        await EnsureOnceAsync(_options.IndicatorsCollection, () => EnsureRegularAsync(_options.IndicatorsCollection, MongoSchema.IndicatorIndexes(), cancellationToken)).ConfigureAwait(false);
        await EnsureOnceAsync(_options.AnomaliesCollection, () => EnsureRegularAsync(_options.AnomaliesCollection, MongoSchema.AnomalyIndexes(), cancellationToken)).ConfigureAwait(false);
        foreach (var interval in candleIntervals ?? [])
            await EnsureCandlesAsync(interval, cancellationToken).ConfigureAwait(false);
    }

    private Task EnsureCandlesAsync(Interval interval, CancellationToken ct)
    {
        var name = _options.CandlesCollectionFor(interval);
        return EnsureOnceAsync(name, () => _options.CandleWriteMode == MongoCandleWriteMode.RegularUpsert
            ? EnsureRegularAsync(name, MongoSchema.CandleIndexes(MongoCandleWriteMode.RegularUpsert), ct)
            : EnsureTimeSeriesAsync(name, MongoSchema.TimeSeriesFor(_options, interval), ct));
    }

    private async Task EnsureOnceAsync(string collection, Func<Task> create)
    {
        if (!_options.CreateSchema) return;
        var task = _schema.GetOrAdd(collection, _ => create());
        try
        {
            await task.ConfigureAwait(false);
        }
        catch
        {
            _schema.TryRemove(new KeyValuePair<string, Task>(collection, task)); // let the next call retry
            throw;
        }
    }

    private async Task EnsureTimeSeriesAsync(string name, TimeSeriesSpec spec, CancellationToken ct)
    {
        await Guard($"creating time-series collection '{name}'", async () =>
        {
            var existing = await DescribeCollectionAsync(name, ct).ConfigureAwait(false);
            if (existing is null)
            {
                try
                {
                    await _db.CreateCollectionAsync(name, new CreateCollectionOptions { TimeSeriesOptions = spec.ToOptions() }, ct).ConfigureAwait(false);
                    _log.LogInformation("Created time-series collection {Collection} with {TimeSeries}", name, spec.ToBson().ToJson());
                }
                catch (MongoCommandException e) when (e.Code == NamespaceExists)
                {
                    existing = await DescribeCollectionAsync(name, ct).ConfigureAwait(false);
                }
            }
            if (existing is not null) CheckExisting(name, existing, timeSeries: true, spec);
            await CreateIndexesAsync(name, MongoSchema.CandleIndexes(MongoCandleWriteMode.TimeSeriesMerge), ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async Task EnsureRegularAsync(string name, IReadOnlyList<IndexSpec> indexes, CancellationToken ct)
    {
        await Guard($"creating collection '{name}'", async () =>
        {
            var existing = await DescribeCollectionAsync(name, ct).ConfigureAwait(false);
            if (existing is null)
            {
                try
                {
                    await _db.CreateCollectionAsync(name, null, ct).ConfigureAwait(false);
                    _log.LogInformation("Created collection {Collection}", name);
                }
                catch (MongoCommandException e) when (e.Code == NamespaceExists)
                {
                    existing = await DescribeCollectionAsync(name, ct).ConfigureAwait(false);
                }
            }
            if (existing is not null) CheckExisting(name, existing, timeSeries: false, null);
            await CreateIndexesAsync(name, indexes, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async Task<BsonDocument?> DescribeCollectionAsync(string name, CancellationToken ct)
    {
        var options = new ListCollectionsOptions { Filter = new BsonDocument("name", name) };
        using var cursor = await _db.ListCollectionsAsync(options, ct).ConfigureAwait(false);
        return await cursor.FirstOrDefaultAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Refuses an existing collection whose type or time-series fields do not fit the configured mode.</summary>
    internal static void CheckExisting(string name, BsonDocument description, bool timeSeries, TimeSeriesSpec? spec)
    {
        var type = description.GetValue("type", "collection").AsString;
        if (timeSeries && type != "timeseries")
            throw new MongoStoreException($"Collection '{name}' exists as a '{type}' collection, but CandleWriteMode TimeSeriesMerge needs a time-series collection. Drop or rename it, or set CandleWriteMode = RegularUpsert.");
        if (!timeSeries && type != "collection")
            throw new MongoStoreException($"Collection '{name}' exists as a '{type}' collection, but a regular collection (with a unique index) is needed here{(type == "timeseries" ? "; for candles in a time-series collection set CandleWriteMode = TimeSeriesMerge" : string.Empty)}.");
        if (timeSeries && spec is not null)
        {
            var ts = description.GetValue("options", new BsonDocument()).AsBsonDocument.GetValue("timeseries", new BsonDocument()).AsBsonDocument;
            var timeField = ts.GetValue("timeField", BsonNull.Value);
            var metaField = ts.GetValue("metaField", BsonNull.Value);
            if (timeField != spec.TimeField || metaField != spec.MetaField)
                throw new MongoStoreException($"Time-series collection '{name}' has timeField '{timeField}' and metaField '{metaField}', but the store needs '{spec.TimeField}' and '{spec.MetaField}'; these cannot be changed, so drop the collection or use another CandlesCollection name.");
        }
    }

    private async Task CreateIndexesAsync(string name, IReadOnlyList<IndexSpec> indexes, CancellationToken ct)
    {
        var collection = _db.GetCollection<BsonDocument>(name);
        // createIndexes is a no-op for an index that already exists with the same name and spec; a conflicting spec fails.
        await collection.Indexes.CreateManyAsync(indexes.Select(i => i.ToModel<BsonDocument>()), ct).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ candles

    public async Task<CandleWriteResult> WriteAsync(CandleSeries candles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candles);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (candles.Count == 0) return default;
        await EnsureCandlesAsync(candles.Interval, cancellationToken).ConfigureAwait(false);
        var meta = CandleMeta.Of(candles.Symbol, candles.Interval, _options.Exchange);
        var name = _options.CandlesCollectionFor(candles.Interval);
        var order = CandleMerge.SortedLastWins(candles.OpenTime);
        var result = default(CandleWriteResult);

        if (_options.CandleWriteMode == MongoCandleWriteMode.RegularUpsert)
        {
            var collection = _db.GetCollection<CandleDocument>(name);
            for (var start = 0; start < order.Length; start += _options.BatchSize)
            {
                var chunk = order.AsMemory(start, Math.Min(_options.BatchSize, order.Length - start));
                result += await UpsertChunkAsync(collection, meta, candles, chunk, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var gate = _seriesLocks.GetOrAdd(name + "\n" + meta.Symbol + "\n" + meta.Interval, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                for (var start = 0; start < order.Length; start += _options.BatchSize)
                {
                    var chunk = order.AsMemory(start, Math.Min(_options.BatchSize, order.Length - start));
                    result += await MergeChunkAsync(name, meta, candles, chunk, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                gate.Release();
            }
        }
        _log.LogDebug("Wrote {Symbol} {Interval} to {Collection}: {Written} new, {Replaced} replaced, {Unchanged} unchanged",
            meta.Symbol, meta.Interval, name, result.Written, result.Replaced, result.Unchanged);
        return result;
    }

    private async Task<CandleWriteResult> UpsertChunkAsync(IMongoCollection<CandleDocument> collection, CandleMeta meta, CandleSeries series, ReadOnlyMemory<int> chunk, CancellationToken ct)
    {
        var models = new List<WriteModel<CandleDocument>>(chunk.Length);
        foreach (var i in chunk.Span)
        {
            var c = series[i];
            models.Add(new ReplaceOneModel<CandleDocument>(
                new BsonDocumentFilterDefinition<CandleDocument>(MongoSchema.CandleKeyFilter(meta, c.OpenTime)),
                new CandleDocument(meta, c, ObjectId.Empty)) { IsUpsert = true });
        }
        var counts = await Guard($"writing candles to '{collection.CollectionNamespace.CollectionName}'", () =>
            BulkWrites.ExecuteAsync(collection, models, k => meta.KeyOf(series.OpenTime[chunk.Span[k]]), retryDuplicates: true, ct)).ConfigureAwait(false);
        // Matched-but-unmodified documents were identical; a request that still hit a duplicate key after the retry
        // lost a race against a concurrent writer of the same candle, whose value stands.
        return new CandleWriteResult(counts.Upserted, counts.Modified, counts.Matched - counts.Modified + counts.Duplicates);
    }

    private async Task<CandleWriteResult> MergeChunkAsync(string name, CandleMeta meta, CandleSeries series, ReadOnlyMemory<int> chunk, CancellationToken ct)
    {
        var span = chunk.Span;
        var from = series.OpenTime[span[0]];
        var to = series.OpenTime[span[^1]] + 1;

        // 1. What is stored for this span (copies per open time, and the value if there is exactly one).
        var existing = new Dictionary<long, (Candle Candle, int Copies)>(chunk.Length);
        var reader = _db.GetCollection<StoredCandle>(name);
        await Guard($"reading candles from '{name}'", async () =>
        {
            var filter = new BsonDocumentFilterDefinition<StoredCandle>(MongoSchema.CandleRangeFilter(meta, from, to));
            using var cursor = await reader.FindAsync(filter, new FindOptions<StoredCandle> { BatchSize = _options.BatchSize }, ct).ConfigureAwait(false);
            while (await cursor.MoveNextAsync(ct).ConfigureAwait(false))
            {
                foreach (var s in cursor.Current)
                {
                    existing[s.Candle.OpenTime] = existing.TryGetValue(s.Candle.OpenTime, out var e) ? (s.Candle, e.Copies + 1) : (s.Candle, 1);
                }
            }
        }).ConfigureAwait(false);

        // 2. Classify.
        var plan = CandleMerge.Plan(series, chunk.Span, existing);
        if (plan.Inserts.Count == 0) return new CandleWriteResult(0, 0, plan.Unchanged);

        // 3. Insert new and changed candles first, then delete the copies they supersede: an interruption leaves at
        //    worst an extra copy (collapsed by reads, removed by the next write), never a missing candle.
        var docs = new List<WriteModel<CandleDocument>>(plan.Inserts.Count);
        foreach (var (index, id) in plan.Inserts) docs.Add(new InsertOneModel<CandleDocument>(new CandleDocument(meta, series[index], id)));
        var writer = _db.GetCollection<CandleDocument>(name);
        await Guard($"writing candles to '{name}'", () =>
            BulkWrites.ExecuteAsync(writer, docs, k => meta.KeyOf(series.OpenTime[plan.Inserts[k].Index]), retryDuplicates: false, ct)).ConfigureAwait(false);
        if (plan.ReplacedTimes.Count > 0)
        {
            var filter = new BsonDocumentFilterDefinition<CandleDocument>(MongoSchema.SupersededFilter(meta, plan.ReplacedTimes, plan.ReplacedIds));
            await Guard($"deleting superseded candles from '{name}'", () => writer.DeleteManyAsync(filter, ct)).ConfigureAwait(false);
        }
        return new CandleWriteResult(plan.Written, plan.ReplacedTimes.Count, plan.Unchanged);
    }

    public async IAsyncEnumerable<Candle> ReadAsync(CandleRange range, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (range.To <= range.From) yield break;
        var name = _options.CandlesCollectionFor(range.Interval);
        var meta = CandleMeta.Of(range.Symbol, range.Interval, _options.Exchange);
        var collection = _db.GetCollection<StoredCandle>(name);
        var options = new FindOptions<StoredCandle>
        {
            BatchSize = _options.BatchSize,
            Sort = new BsonDocumentSortDefinition<StoredCandle>(MongoSchema.TimeSort()),
        };
        var filter = new BsonDocumentFilterDefinition<StoredCandle>(MongoSchema.CandleRangeFilter(meta, range.From, range.To));
        var cursor = await Guard($"reading candles from '{name}'", () => collection.FindAsync(filter, options, cancellationToken)).ConfigureAwait(false);
        using (cursor)
        {
            // Copies of one open time (left by an interrupted re-write) collapse to the newest _id.
            var pending = default(StoredCandle);
            var hasPending = false;
            while (await Guard($"reading candles from '{name}'", () => cursor.MoveNextAsync(cancellationToken)).ConfigureAwait(false))
            {
                foreach (var s in cursor.Current)
                {
                    if (hasPending)
                    {
                        if (s.Candle.OpenTime == pending.Candle.OpenTime)
                        {
                            if (s.Id.CompareTo(pending.Id) > 0) pending = s;
                            continue;
                        }
                        yield return pending.Candle;
                    }
                    pending = s;
                    hasPending = true;
                }
            }
            if (hasPending) yield return pending.Candle;
        }
    }

    // ------------------------------------------------------------------ analysis results

    public async Task WriteAsync(AnalysisResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await EnsureSchemaAsync(null, cancellationToken).ConfigureAwait(false);
        var meta = CandleMeta.Of(result.Symbol, result.Interval, _options.Exchange);

        if (result.Columns.Count > 0 && result.OpenTime.Length > 0)
        {
            var encoded = new string[result.Columns.Count];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var c = 0; c < encoded.Length; c++)
            {
                var column = result.Columns[c];
                if (column.Values.Length != result.OpenTime.Length)
                    throw new MalformedDataException($"analysis result {meta.Symbol} {meta.Interval}", 0, $"column '{column.Name}' has {column.Values.Length} values but there are {result.OpenTime.Length} open times.");
                encoded[c] = FieldNames.Encode(column.Name);
                if (!seen.Add(encoded[c])) throw new InvalidSpecException(column.Name, "the analysis result holds two columns with this name.");
            }
            var rows = CandleMerge.SortedLastWins(result.OpenTime);
            var collection = _db.GetCollection<BsonDocument>(_options.IndicatorsCollection);
            for (var start = 0; start < rows.Length; start += _options.BatchSize)
            {
                var n = Math.Min(_options.BatchSize, rows.Length - start);
                var models = new List<WriteModel<BsonDocument>>(n);
                for (var k = 0; k < n; k++)
                {
                    var row = rows[start + k];
                    models.Add(new UpdateOneModel<BsonDocument>(
                        new BsonDocumentFilterDefinition<BsonDocument>(MongoSchema.IndicatorKeyFilter(meta, result.OpenTime[row])),
                        new BsonDocumentUpdateDefinition<BsonDocument>(MongoSchema.IndicatorUpdate(encoded, result.Columns, row))) { IsUpsert = true });
                }
                var offset = start;
                await Guard($"writing indicators to '{_options.IndicatorsCollection}'", () => BulkWrites.ExecuteAsync(collection, models,
                    k => meta.KeyOf(result.OpenTime[rows[offset + k]]), retryDuplicates: true, cancellationToken)).ConfigureAwait(false);
            }
        }

        if (result.Anomalies.Count > 0)
        {
            // One document per (symbol, interval, open time, kind); the last anomaly with an identity wins.
            var byKey = new Dictionary<(string Symbol, long OpenTime, string Kind), Anomaly>();
            foreach (var a in result.Anomalies)
            {
                if (string.IsNullOrEmpty(a.Kind)) throw new MalformedDataException($"analysis result {meta.Symbol} {meta.Interval}", 0, $"an anomaly at {CandleMeta.FormatTime(a.OpenTime)} has an empty kind.");
                byKey[(a.Symbol.Value, a.OpenTime, a.Kind)] = a;
            }
            var anomalies = byKey.Values.ToList();
            var collection = _db.GetCollection<BsonDocument>(_options.AnomaliesCollection);
            for (var start = 0; start < anomalies.Count; start += _options.BatchSize)
            {
                var batch = anomalies.GetRange(start, Math.Min(_options.BatchSize, anomalies.Count - start));
                var models = batch.Select(a => (WriteModel<BsonDocument>)new ReplaceOneModel<BsonDocument>(
                    new BsonDocumentFilterDefinition<BsonDocument>(MongoSchema.AnomalyKeyFilter(_options.Exchange, a.Symbol.Value, meta.Interval, a.OpenTime, a.Kind)),
                    MongoSchema.AnomalyDocument(_options.Exchange, meta.Interval, a)) { IsUpsert = true }).ToList();
                await Guard($"writing anomalies to '{_options.AnomaliesCollection}'", () => BulkWrites.ExecuteAsync(collection, models,
                    k => $"{meta.KeyOf(batch[k].OpenTime)} {batch[k].Kind}", retryDuplicates: true, cancellationToken)).ConfigureAwait(false);
            }
        }
    }

    public IAsyncEnumerable<Anomaly> ReadAnomaliesAsync(CandleRange range, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        return QueryAnomaliesAsync(new AnomalyQuery(range.From, range.To) { Symbol = range.Symbol, Interval = range.Interval }, cancellationToken);
    }

    public async IAsyncEnumerable<Anomaly> QueryAnomaliesAsync(AnomalyQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (query.To <= query.From) yield break;
        var name = _options.AnomaliesCollection;
        var source = $"MongoDB collection '{name}'";
        var options = new FindOptions<BsonDocument> { BatchSize = _options.BatchSize, Sort = new BsonDocumentSortDefinition<BsonDocument>(MongoSchema.AnomalySort()) };
        await foreach (var d in FindAsync(name, MongoSchema.AnomalyQueryFilter(_options.Exchange, query), options, cancellationToken).ConfigureAwait(false))
            yield return MongoSchema.ReadAnomaly(d, source);
    }

    public async IAsyncEnumerable<IndicatorRow> ReadIndicatorsAsync(CandleRange range, IReadOnlyCollection<string>? columns = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (range.To <= range.From) yield break;
        var name = _options.IndicatorsCollection;
        var source = $"MongoDB collection '{name}'";
        var meta = CandleMeta.Of(range.Symbol, range.Interval, _options.Exchange);
        var options = new FindOptions<BsonDocument> { BatchSize = _options.BatchSize, Sort = new BsonDocumentSortDefinition<BsonDocument>(MongoSchema.TimeSort()) };
        if (MongoSchema.IndicatorProjection(columns) is { } projection) options.Projection = new BsonDocumentProjectionDefinition<BsonDocument>(projection);
        await foreach (var d in FindAsync(name, MongoSchema.IndicatorRangeFilter(meta, range.From, range.To), options, cancellationToken).ConfigureAwait(false))
            yield return MongoSchema.ReadIndicatorRow(d, source);
    }

    private async IAsyncEnumerable<BsonDocument> FindAsync(string name, BsonDocument filter, FindOptions<BsonDocument> options, [EnumeratorCancellation] CancellationToken ct)
    {
        var collection = _db.GetCollection<BsonDocument>(name);
        var cursor = await Guard($"reading '{name}'", () => collection.FindAsync(new BsonDocumentFilterDefinition<BsonDocument>(filter), options, ct)).ConfigureAwait(false);
        using (cursor)
        {
            while (await Guard($"reading '{name}'", () => cursor.MoveNextAsync(ct)).ConfigureAwait(false))
            {
                foreach (var d in cursor.Current) yield return d;
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    /// <summary>Turns driver and network errors into <see cref="MongoStoreException"/> with a log-safe message.</summary>
    private async Task<T> Guard<T>(string what, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is MongoException or TimeoutException && e is not MongoBulkWriteException)
        {
            throw new MongoStoreException($"MongoDB {what} in database '{_options.Database}' failed: {MongoConnectionStrings.Scrub(e.Message, _options.ConnectionString)}", e);
        }
    }

    private Task Guard(string what, Func<Task> action) => Guard(what, async () => { await action().ConfigureAwait(false); return true; });

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_ownsClient) _client.Dispose();
        foreach (var gate in _seriesLocks.Values) gate.Dispose();
    }
}

/// <summary>The pure parts of candle merging: ordering with last-wins de-duplication, and the insert/replace/unchanged plan.</summary>
internal static class CandleMerge
{
    /// <summary>Indexes of <paramref name="openTimes"/> sorted by open time, keeping only the last occurrence of each time.</summary>
    public static int[] SortedLastWins(ReadOnlySpan<long> openTimes)
    {
        var keys = openTimes.ToArray();
        var index = new int[keys.Length];
        for (var i = 0; i < index.Length; i++) index[i] = i;
        Array.Sort(keys, index);
        var n = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (n > 0 && keys[i] == openTimes[index[n - 1]])
            {
                if (index[i] > index[n - 1]) index[n - 1] = index[i];
                continue;
            }
            index[n++] = index[i];
        }
        return index.AsSpan(0, n).ToArray();
    }

    internal sealed record MergePlan(List<(int Index, ObjectId Id)> Inserts, List<long> ReplacedTimes, List<ObjectId> ReplacedIds, long Written, long Unchanged);

    /// <summary>Missing candles are inserted; stored ones with identical bits are unchanged; others (or duplicated ones) are re-inserted.</summary>
    public static MergePlan Plan(CandleSeries series, ReadOnlySpan<int> chunk, IReadOnlyDictionary<long, (Candle Candle, int Copies)> existing)
    {
        var inserts = new List<(int, ObjectId)>();
        var replacedTimes = new List<long>();
        var replacedIds = new List<ObjectId>();
        long written = 0, unchanged = 0;
        foreach (var i in chunk)
        {
            var c = series[i];
            if (!existing.TryGetValue(c.OpenTime, out var e))
            {
                inserts.Add((i, ObjectId.GenerateNewId()));
                written++;
            }
            else if (e.Copies == 1 && SameBits(c, e.Candle))
            {
                unchanged++;
            }
            else
            {
                var id = ObjectId.GenerateNewId();
                inserts.Add((i, id));
                replacedTimes.Add(c.OpenTime);
                replacedIds.Add(id);
            }
        }
        return new MergePlan(inserts, replacedTimes, replacedIds, written, unchanged);
    }

    /// <summary>Bit-for-bit equality (NaN equals NaN; 0.0 and −0.0 differ), so nothing is silently treated as equal.</summary>
    public static bool SameBits(in Candle a, in Candle b) =>
        a.OpenTime == b.OpenTime && a.CloseTime == b.CloseTime && a.TradeCount == b.TradeCount &&
        Same(a.Open, b.Open) && Same(a.High, b.High) && Same(a.Low, b.Low) && Same(a.Close, b.Close) && Same(a.Volume, b.Volume) &&
        Same(a.QuoteVolume, b.QuoteVolume) && Same(a.TakerBuyBaseVolume, b.TakerBuyBaseVolume) && Same(a.TakerBuyQuoteVolume, b.TakerBuyQuoteVolume);

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
}
