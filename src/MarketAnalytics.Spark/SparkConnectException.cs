using System.Text.Json;
using Grpc.Core;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Spark.Protocol.Rpc;

namespace MarketAnalytics.Spark;

/// <summary>A Spark Connect call failed: carries Spark's error class, SQL state, exception class and message.</summary>
public class SparkConnectException : SqlEngineException
{
    /// <summary>Creates the exception.</summary>
    public SparkConnectException(string message, StatusCode status, string? errorClass, string? sqlState, string? exceptionClass,
        IReadOnlyList<string> exceptionClasses, IReadOnlyDictionary<string, string> messageParameters, Exception? inner = null)
        : base("spark", errorClass is null ? message : $"[{errorClass}] {message}", inner)
    {
        ServerMessage = message;
        Status = status;
        ErrorClass = errorClass;
        SqlState = sqlState;
        ExceptionClass = exceptionClass;
        ExceptionClasses = exceptionClasses;
        MessageParameters = messageParameters;
    }

    /// <summary>The server's message.</summary>
    public string ServerMessage { get; }

    /// <summary>The gRPC status code.</summary>
    public StatusCode Status { get; }

    /// <summary>Spark's error class (e.g. <c>TABLE_OR_VIEW_NOT_FOUND</c>), or null.</summary>
    public string? ErrorClass { get; }

    /// <summary>The SQLSTATE (e.g. <c>42P01</c>), or null.</summary>
    public string? SqlState { get; }

    /// <summary>The JVM exception class (ErrorInfo.reason), e.g. <c>org.apache.spark.sql.AnalysisException</c>.</summary>
    public string? ExceptionClass { get; }

    /// <summary>The exception class and its super classes, as the server lists them.</summary>
    public IReadOnlyList<string> ExceptionClasses { get; }

    /// <summary>Spark's message parameters.</summary>
    public IReadOnlyDictionary<string, string> MessageParameters { get; }

    /// <summary>Maps a gRPC failure to the most specific exception, reading Spark's ErrorInfo from <c>grpc-status-details-bin</c>.</summary>
    internal static Exception FromRpc(RpcException e)
    {
        string? errorClass = null, sqlState = null, reason = null;
        IReadOnlyList<string> classes = [];
        IReadOnlyDictionary<string, string> parameters = new Dictionary<string, string>();
        var message = e.Status.Detail;
        var details = e.Trailers.GetValueBytes("grpc-status-details-bin");
        if (details is not null)
        {
            try
            {
                var status = MarketAnalytics.Spark.Protocol.Rpc.Status.Parser.ParseFrom(details);
                if (!string.IsNullOrEmpty(status.Message)) message = status.Message;
                foreach (var any in status.Details)
                {
                    if (!any.Is(ErrorInfo.Descriptor)) continue;
                    var info = any.Unpack<ErrorInfo>();
                    reason = string.IsNullOrEmpty(info.Reason) ? null : info.Reason;
                    errorClass = info.Metadata.TryGetValue("errorClass", out var ec) && ec.Length > 0 ? ec : null;
                    sqlState = info.Metadata.TryGetValue("sqlState", out var ss) && ss.Length > 0 ? ss : null;
                    if (info.Metadata.TryGetValue("classes", out var cl)) classes = ParseArray(cl);
                    if (info.Metadata.TryGetValue("messageParameters", out var mp)) parameters = ParseMap(mp);
                }
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                // Not a google.rpc.Status: keep the plain gRPC status.
            }
        }
        if (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && reason is null)
            return new SparkConnectUnavailableException(e.StatusCode, message, e);
        if (classes.Contains("org.apache.spark.sql.catalyst.parser.ParseException") || reason == "org.apache.spark.sql.catalyst.parser.ParseException")
            return new SparkParseException(message, e.StatusCode, errorClass, sqlState, reason, classes, parameters, e);
        if (classes.Contains("org.apache.spark.sql.AnalysisException") || reason == "org.apache.spark.sql.AnalysisException")
            return new SparkAnalysisException(message, e.StatusCode, errorClass, sqlState, reason, classes, parameters, e);
        return new SparkConnectException(message, e.StatusCode, errorClass, sqlState, reason, classes, parameters, e);
    }

    private static IReadOnlyList<string> ParseArray(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static IReadOnlyDictionary<string, string> ParseMap(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new Dictionary<string, string>();
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>();
        }
    }
}

/// <summary>Spark could not resolve the query (unknown table, column, function; type errors).</summary>
public sealed class SparkAnalysisException : SparkConnectException
{
    /// <summary>Creates the exception.</summary>
    public SparkAnalysisException(string message, StatusCode status, string? errorClass, string? sqlState, string? exceptionClass,
        IReadOnlyList<string> exceptionClasses, IReadOnlyDictionary<string, string> messageParameters, Exception? inner = null)
        : base(message, status, errorClass, sqlState, exceptionClass, exceptionClasses, messageParameters, inner)
    {
    }
}

/// <summary>Spark could not parse the SQL text.</summary>
public sealed class SparkParseException : SparkConnectException
{
    /// <summary>Creates the exception.</summary>
    public SparkParseException(string message, StatusCode status, string? errorClass, string? sqlState, string? exceptionClass,
        IReadOnlyList<string> exceptionClasses, IReadOnlyDictionary<string, string> messageParameters, Exception? inner = null)
        : base(message, status, errorClass, sqlState, exceptionClass, exceptionClasses, messageParameters, inner)
    {
    }
}

/// <summary>The Spark Connect server cannot be reached (connection refused, TLS failure, timeout).</summary>
public sealed class SparkConnectUnavailableException : SparkConnectException
{
    /// <summary>Creates the exception.</summary>
    public SparkConnectUnavailableException(StatusCode status, string message, Exception? inner = null)
        : base($"the Spark Connect server is unreachable ({status}): {message}", status, null, null, null, [], new Dictionary<string, string>(), inner)
    {
    }
}
