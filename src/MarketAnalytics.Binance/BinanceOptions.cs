namespace MarketAnalytics.Binance;

/// <summary>Which kind of source <c>AddBinanceSource</c> registers as <see cref="IMarketDataSource"/>.</summary>
public enum BinanceSourceKind
{
    /// <summary>REST <c>/api/v3/klines</c> with pagination.</summary>
    Rest,
    /// <summary>data.binance.vision monthly/daily archives (SHA-256 verified), REST for what is not archived yet.</summary>
    Archive,
    /// <summary>A local directory of archives, CSVs or freqtrade JSON files.</summary>
    LocalDirectory,
}

/// <summary>Options of the Binance source; validated at start-up.</summary>
public sealed class BinanceOptions
{
    /// <summary>REST base URL (market data only, no key needed).</summary>
    public string RestBaseUrl { get; set; } = "https://data-api.binance.vision";

    /// <summary>Bulk archive base URL.</summary>
    public string ArchiveBaseUrl { get; set; } = "https://data.binance.vision";

    /// <summary>WebSocket base URL (market data only).</summary>
    public string StreamBaseUrl { get; set; } = "wss://data-stream.binance.vision";

    /// <summary>The source <c>AddBinanceSource</c> registers as <see cref="IMarketDataSource"/>.</summary>
    public BinanceSourceKind Source { get; set; } = BinanceSourceKind.Rest;

    /// <summary>Folder read when <see cref="Source"/> is <see cref="BinanceSourceKind.LocalDirectory"/>.</summary>
    public string? LocalDirectory { get; set; }

    /// <summary>Most REST requests in flight at once (across all symbols).</summary>
    public int MaxConcurrentRequests { get; set; } = 8;

    /// <summary>Share of the server's request-weight limit this client may use (the rest is headroom for other clients on the IP).</summary>
    public double WeightBudgetFraction { get; set; } = 0.96;

    /// <summary>Weight limit per minute assumed until <c>exchangeInfo</c> has been read.</summary>
    public int DefaultWeightLimitPerMinute { get; set; } = 6000;

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a transient failure (5xx, reset, truncated or invalid body, timeout) before giving up.</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>First retry delay; doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often one request may be rate-limited (429) and waited for before giving up.</summary>
    public int MaxRateLimitWaits { get; set; } = 20;

    /// <summary>Candles per REST page (Binance maximum 1000).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Archive files downloaded in parallel.</summary>
    public int ArchiveParallelism { get; set; } = 4;

    /// <summary>A WebSocket connection is replaced after this long (Binance closes them at 24 h).</summary>
    public TimeSpan StreamMaxLifetime { get; set; } = TimeSpan.FromHours(23) + TimeSpan.FromMinutes(30);

    /// <summary>First delay before reconnecting a dropped WebSocket; doubles up to 30 s, with jitter.</summary>
    public TimeSpan StreamReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns the problems with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        CheckUrl(problems, nameof(RestBaseUrl), RestBaseUrl, "http", "https");
        CheckUrl(problems, nameof(ArchiveBaseUrl), ArchiveBaseUrl, "http", "https");
        CheckUrl(problems, nameof(StreamBaseUrl), StreamBaseUrl, "ws", "wss");
        if (Source == BinanceSourceKind.LocalDirectory && string.IsNullOrWhiteSpace(LocalDirectory))
            problems.Add("LocalDirectory must be set when Source is LocalDirectory.");
        if (MaxConcurrentRequests is < 1 or > 256) problems.Add($"MaxConcurrentRequests must be 1..256 (was {MaxConcurrentRequests}).");
        if (!(WeightBudgetFraction is > 0.1 and <= 1.0)) problems.Add($"WeightBudgetFraction must be in (0.1, 1] (was {WeightBudgetFraction}).");
        if (DefaultWeightLimitPerMinute < 10) problems.Add($"DefaultWeightLimitPerMinute must be at least 10 (was {DefaultWeightLimitPerMinute}).");
        if (RequestTimeout <= TimeSpan.Zero) problems.Add("RequestTimeout must be positive.");
        if (MaxRetries is < 0 or > 50) problems.Add($"MaxRetries must be 0..50 (was {MaxRetries}).");
        if (RetryBaseDelay < TimeSpan.Zero) problems.Add("RetryBaseDelay must not be negative.");
        if (MaxRateLimitWaits is < 0 or > 1000) problems.Add($"MaxRateLimitWaits must be 0..1000 (was {MaxRateLimitWaits}).");
        if (PageSize is < 1 or > 1000) problems.Add($"PageSize must be 1..1000 (Binance's maximum), was {PageSize}.");
        if (ArchiveParallelism is < 1 or > 32) problems.Add($"ArchiveParallelism must be 1..32 (was {ArchiveParallelism}).");
        if (StreamMaxLifetime <= TimeSpan.Zero || StreamMaxLifetime > TimeSpan.FromHours(24))
            problems.Add("StreamMaxLifetime must be positive and at most 24 h (Binance's connection limit).");
        if (StreamReconnectDelay < TimeSpan.Zero) problems.Add("StreamReconnectDelay must not be negative.");
        return problems;
    }

    private static void CheckUrl(List<string> problems, string name, string? value, params string[] schemes)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || Array.IndexOf(schemes, uri.Scheme) < 0)
            problems.Add($"{name} '{value}' must be an absolute {string.Join(" or ", schemes)} URL.");
        else if (!string.IsNullOrEmpty(uri.UserInfo))
            problems.Add($"{name} must not carry credentials.");
    }

    internal BinanceOptions Clone() => (BinanceOptions)MemberwiseClone();
}
