using MongoDB.Driver;

namespace MarketAnalytics.Mongo;

/// <summary>Counts of one or more bulk writes.</summary>
internal struct BulkCounts
{
    public long Inserted, Upserted, Matched, Modified, Deleted, Duplicates;

    public void Add<T>(BulkWriteResult<T> r)
    {
        if (!r.IsAcknowledged) return;
        Inserted += r.InsertedCount;
        Upserted += r.Upserts.Count;
        Matched += r.MatchedCount;
        Modified += r.ModifiedCount;
        Deleted += r.DeletedCount;
    }
}

/// <summary>One write error as reported by the server, with the index of the request in the caller's list.</summary>
internal readonly record struct WriteFailure(int Index, int Code, string Message);

/// <summary>Unordered bulk writes with per-error handling: duplicate keys are not failures, anything else names the documents.</summary>
internal static class BulkWrites
{
    /// <summary>Server code of a duplicate-key error.</summary>
    public const int DuplicateKey = 11000;

    public static readonly BulkWriteOptions Unordered = new() { IsOrdered = false };

    /// <summary>Splits server errors into duplicate keys (not failures) and real failures.</summary>
    public static (List<int> Duplicates, List<WriteFailure> Failures) Classify(IEnumerable<WriteFailure> errors)
    {
        var duplicates = new List<int>();
        var failures = new List<WriteFailure>();
        foreach (var e in errors)
        {
            if (e.Code == DuplicateKey) duplicates.Add(e.Index);
            else failures.Add(e);
        }
        return (duplicates, failures);
    }

    /// <summary>Builds the typed exception for failures, naming each failing document by its key.</summary>
    public static MongoWriteFailedException Fail(string collection, IReadOnlyList<WriteFailure> failures, Func<int, string> keyOf, string? writeConcernError, Exception? inner) =>
        new(collection, failures.Select(f => new FailedWrite(keyOf(f.Index), f.Code, f.Message)).ToList(), writeConcernError, inner);

    /// <summary>
    /// Runs <paramref name="models"/> as one unordered bulk write. Duplicate-key errors are counted in
    /// <see cref="BulkCounts.Duplicates"/>; with <paramref name="retryDuplicates"/> (upserts that raced with another
    /// writer's insert) those requests are retried once first, and then match the document the other writer inserted.
    /// Any other error throws <see cref="MongoWriteFailedException"/> with the failing documents' keys.
    /// </summary>
    public static async Task<BulkCounts> ExecuteAsync<T>(IMongoCollection<T> collection, IReadOnlyList<WriteModel<T>> models, Func<int, string> keyOf, bool retryDuplicates, CancellationToken cancellationToken)
    {
        var counts = new BulkCounts();
        if (models.Count == 0) return counts;
        IReadOnlyList<WriteModel<T>> pending = models;
        int[]? map = null; // index in pending -> index in models
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                counts.Add(await collection.BulkWriteAsync(pending, Unordered, cancellationToken).ConfigureAwait(false));
                return counts;
            }
            catch (MongoBulkWriteException<T> e)
            {
                counts.Add(e.Result);
                var errors = e.WriteErrors.Select(w => new WriteFailure(map is null ? w.Index : map[w.Index], w.Code, w.Message)).ToList();
                var unprocessed = e.UnprocessedRequests?.Count ?? 0;
                var (duplicates, failures) = Classify(errors);
                if (unprocessed > 0 && failures.Count == 0 && e.WriteConcernError is null)
                    failures.Add(new WriteFailure(-1, -1, $"{unprocessed} request(s) were not processed"));
                if (failures.Count > 0 || e.WriteConcernError is not null)
                {
                    var name = collection.CollectionNamespace.CollectionName;
                    string KeyOf(int i) => i < 0 ? "(batch)" : keyOf(i);
                    throw Fail(name, failures, KeyOf, e.WriteConcernError?.Message, e);
                }
                if (!retryDuplicates || attempt > 0)
                {
                    counts.Duplicates += duplicates.Count;
                    return counts;
                }
                map = [.. duplicates];
                pending = duplicates.Select(i => models[i]).ToList();
            }
        }
    }
}
