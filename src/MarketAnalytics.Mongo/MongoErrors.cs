namespace MarketAnalytics.Mongo;

/// <summary>An error of the MongoDB store (schema mismatch, unreadable document, failed write).</summary>
public class MongoStoreException : MarketAnalyticsException
{
    /// <summary>Creates the exception.</summary>
    public MongoStoreException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>One document MongoDB refused to write.</summary>
/// <param name="Key">The document's identity, e.g. <c>binance BTCUSDT 1h 2024-01-01T00:00:00.000Z</c>.</param>
/// <param name="Code">Server error code.</param>
/// <param name="Message">Server error message.</param>
public sealed record FailedWrite(string Key, int Code, string Message);

/// <summary>A bulk write in which documents failed for reasons other than a duplicate key; lists each failing document's key.</summary>
public sealed class MongoWriteFailedException : MongoStoreException
{
    /// <summary>Creates the exception.</summary>
    public MongoWriteFailedException(string collection, IReadOnlyList<FailedWrite> failures, string? writeConcernError, Exception? inner = null)
        : base(Describe(collection, failures, writeConcernError), inner)
    {
        Collection = collection;
        Failures = failures;
        WriteConcernError = writeConcernError;
    }

    /// <summary>The collection written to.</summary>
    public string Collection { get; }

    /// <summary>Every failed document with its key, code and message.</summary>
    public IReadOnlyList<FailedWrite> Failures { get; }

    /// <summary>The write-concern error, when the server reported one.</summary>
    public string? WriteConcernError { get; }

    private static string Describe(string collection, IReadOnlyList<FailedWrite> failures, string? writeConcernError)
    {
        var shown = string.Join("; ", failures.Take(5).Select(f => $"{f.Key}: code {f.Code} {f.Message}"));
        var more = failures.Count > 5 ? $" (and {failures.Count - 5} more)" : string.Empty;
        var wc = writeConcernError is null ? string.Empty : $" Write concern error: {writeConcernError}.";
        return $"Writing to MongoDB collection '{collection}' failed for {failures.Count} document(s): {shown}{more}.{wc}";
    }
}
