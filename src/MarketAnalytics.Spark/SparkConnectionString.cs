using System.Globalization;

namespace MarketAnalytics.Spark;

/// <summary>A parsed Spark Connect connection string <c>sc://host[:port][/;param=value;...]</c>.</summary>
/// <remarks>
/// Parameters (case-sensitive, as Spark defines them): <c>token</c> (bearer token; implies TLS), <c>use_ssl</c>
/// (<c>true</c>/<c>false</c>), <c>user_id</c>, <c>user_agent</c>, <c>session_id</c> (a UUID). Any other parameter is sent as a
/// gRPC metadata header, as Spark's clients do. The default port is 15002. <see cref="ToString"/> never shows the token.
/// </remarks>
public sealed class SparkConnectionString
{
    /// <summary>Spark Connect's default port.</summary>
    public const int DefaultPort = 15002;

    private SparkConnectionString(string host, int port, bool useSsl, string? token, string? userId, string? userAgent, Guid? sessionId, IReadOnlyDictionary<string, string> headers)
    {
        Host = host;
        Port = port;
        UseSsl = useSsl;
        Token = token;
        UserId = userId;
        UserAgent = userAgent;
        SessionId = sessionId;
        Headers = headers;
    }

    /// <summary>Host name or address.</summary>
    public string Host { get; }

    /// <summary>Port (default 15002).</summary>
    public int Port { get; }

    /// <summary>True for TLS (set by <c>use_ssl=true</c> or implied by a token).</summary>
    public bool UseSsl { get; }

    /// <summary>Bearer token, or null.</summary>
    public string? Token { get; }

    /// <summary>User id sent in every request's user context, or null for the OS user.</summary>
    public string? UserId { get; }

    /// <summary>Client type / user agent, or null for the default.</summary>
    public string? UserAgent { get; }

    /// <summary>A fixed session id, or null to create one per engine instance.</summary>
    public Guid? SessionId { get; }

    /// <summary>Extra parameters, sent as gRPC metadata.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The HTTP/2 address of the endpoint.</summary>
    public Uri Endpoint => new($"{(UseSsl ? "https" : "http")}://{(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>True when <paramref name="text"/> looks like a Spark Connect URL (starts with <c>sc://</c>).</summary>
    public static bool IsSparkConnect(string? text) => text is not null && text.StartsWith("sc://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a connection string.</summary>
    /// <exception cref="InvalidSparkConnectionStringException">The text is not a valid Spark Connect URL; the message says which part.</exception>
    public static SparkConnectionString Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new InvalidSparkConnectionStringException("it is empty");
        if (!text.StartsWith("sc://", StringComparison.Ordinal)) throw new InvalidSparkConnectionStringException("it must start with 'sc://'");
        var rest = text["sc://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var tail = slash < 0 ? string.Empty : rest[(slash + 1)..];
        if (authority.Length == 0) throw new InvalidSparkConnectionStringException("the host is missing");
        if (authority.Contains('@', StringComparison.Ordinal)) throw new InvalidSparkConnectionStringException("user info in the authority is not supported; use ;user_id= and ;token=");

        string host;
        var port = DefaultPort;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw new InvalidSparkConnectionStringException("an IPv6 host must be closed with ']'");
            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':') throw new InvalidSparkConnectionStringException($"unexpected '{after}' after the host");
                port = ParsePort(after[1..]);
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            if (colon >= 0) port = ParsePort(authority[(colon + 1)..]);
        }
        if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown) throw new InvalidSparkConnectionStringException($"'{host}' is not a valid host name");

        if (tail.Length > 0 && tail[0] != ';') throw new InvalidSparkConnectionStringException("the path must be empty; parameters follow '/;'");
        string? token = null, userId = null, userAgent = null;
        bool? useSsl = null;
        Guid? sessionId = null;
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in tail.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new InvalidSparkConnectionStringException($"parameter '{Redact(part)}' is not key=value");
            var key = part[..eq];
            var value = Uri.UnescapeDataString(part[(eq + 1)..]);
            if (value.Any(char.IsControl)) throw new InvalidSparkConnectionStringException($"parameter '{key}' contains control characters");
            switch (key)
            {
                case "token":
                    token = value.Length > 0 ? value : throw new InvalidSparkConnectionStringException("token is empty");
                    break;
                case "use_ssl":
                    useSsl = value.ToLowerInvariant() switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw new InvalidSparkConnectionStringException($"use_ssl must be true or false, not '{value}'"),
                    };
                    break;
                case "user_id":
                    userId = value;
                    break;
                case "user_agent":
                    userAgent = value;
                    break;
                case "session_id":
                    sessionId = Guid.TryParseExact(value, "D", out var g) ? g : throw new InvalidSparkConnectionStringException($"session_id '{value}' is not a UUID");
                    break;
                default:
                    if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) throw new InvalidSparkConnectionStringException($"parameter name '{key}' is not a valid header name");
                    headers[key.ToLowerInvariant()] = value;
                    break;
            }
        }
        if (token is not null && useSsl == false) throw new InvalidSparkConnectionStringException("a token requires TLS; remove use_ssl=false");
        return new SparkConnectionString(host, port, useSsl ?? token is not null, token, userId, userAgent, sessionId, headers);
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535
            ? p
            : throw new InvalidSparkConnectionStringException($"port '{text}' is not a number between 1 and 65535");

    private static string Redact(string part) => part.StartsWith("token", StringComparison.Ordinal) ? "token=***" : part;

    /// <summary>The connection string with the token replaced by <c>***</c> (safe to log).</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Token is not null) parts.Add("token=***");
        if (UseSsl && Token is null) parts.Add("use_ssl=true");
        if (UserId is not null) parts.Add("user_id=" + UserId);
        if (UserAgent is not null) parts.Add("user_agent=" + UserAgent);
        if (SessionId is not null) parts.Add("session_id=" + SessionId.Value.ToString("D"));
        parts.AddRange(Headers.Select(h => $"{h.Key}={h.Value}"));
        var host = Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host;
        return $"sc://{host}:{Port.ToString(CultureInfo.InvariantCulture)}" + (parts.Count > 0 ? "/;" + string.Join(';', parts) : string.Empty);
    }
}

/// <summary>A Spark Connect connection string that cannot be parsed (the token is never part of the message).</summary>
public sealed class InvalidSparkConnectionStringException : MarketAnalyticsException
{
    /// <summary>Creates the exception with what is wrong.</summary>
    public InvalidSparkConnectionStringException(string problem)
        : base($"Invalid Spark Connect connection string: {problem}. Expected sc://host[:port][/;token=...;use_ssl=true;user_id=...] (default port {SparkConnectionString.DefaultPort}).")
    {
        Problem = problem;
    }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
