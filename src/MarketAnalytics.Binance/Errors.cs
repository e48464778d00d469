namespace MarketAnalytics.Binance;

/// <summary>An error answer from Binance (<c>{"code":-1121,"msg":"Invalid symbol."}</c>) or an HTTP error status.</summary>
public sealed class BinanceApiException : MarketAnalyticsException
{
    /// <summary>Binance's code for an invalid symbol.</summary>
    public const int InvalidSymbol = -1121;

    /// <summary>Binance's code for too many requests / an IP ban.</summary>
    public const int TooManyRequests = -1003;

    /// <summary>Creates the exception.</summary>
    public BinanceApiException(int code, string apiMessage, int httpStatus, string endpoint)
        : base($"Binance {endpoint} answered HTTP {httpStatus} with code {code}: {apiMessage}")
    {
        Code = code;
        ApiMessage = apiMessage;
        HttpStatus = httpStatus;
        Endpoint = endpoint;
    }

    /// <summary>Binance's error code, e.g. <c>-1121</c>; 0 when the body carried none.</summary>
    public int Code { get; }

    /// <summary>Binance's message, e.g. <c>Invalid symbol.</c></summary>
    public string ApiMessage { get; }

    /// <summary>HTTP status of the answer.</summary>
    public int HttpStatus { get; }

    /// <summary>The endpoint path (without query).</summary>
    public string Endpoint { get; }
}

/// <summary>The Binance host could not be reached at all (DNS, refused connection, TLS, persistent timeouts).</summary>
public sealed class BinanceUnreachableException : MarketAnalyticsException
{
    /// <summary>Creates the exception.</summary>
    public BinanceUnreachableException(string host, int attempts, Exception inner)
        : base($"Binance host '{host}' is unreachable after {attempts} attempt(s): {inner.Message}", inner)
    {
        Host = host;
        Attempts = attempts;
    }

    /// <summary>The host (scheme, name, port) that failed.</summary>
    public string Host { get; }

    /// <summary>Attempts made.</summary>
    public int Attempts { get; }
}

/// <summary>A failure worth retrying (5xx, reset, truncated or invalid body, timeout).</summary>
internal sealed class TransientBinanceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The server answered 429/418: every request waits for <see cref="RetryAfter"/>.</summary>
internal sealed class RateLimitedException(int status, TimeSpan retryAfter) : Exception($"HTTP {status}, retry after {retryAfter}")
{
    public int Status { get; } = status;

    public TimeSpan RetryAfter { get; } = retryAfter;
}
