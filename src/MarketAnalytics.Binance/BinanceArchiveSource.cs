using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using MarketAnalytics.IO;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MarketAnalytics.Binance;

/// <summary>
/// Bulk history from data.binance.vision: whole months from monthly archives, partial months from daily archives,
/// every zip verified against its <c>.CHECKSUM</c> (SHA-256) before it is parsed; what is not archived yet (recent
/// days, 404s) comes from REST when a REST client is given.
/// </summary>
internal sealed class BinanceArchiveSource : IBinanceArchiveSource, IDisposable
{
    private const long Day = 86_400_000;
    private readonly BinanceOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;
    private readonly IBinanceClient? _rest;
    private readonly Uri _base;
    private readonly ResiliencePipeline _pipeline;

    public BinanceArchiveSource(BinanceOptions options, IBinanceClient? restFallback = null, HttpClient? http = null, TimeProvider? time = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new InvalidOptionsException(nameof(BinanceOptions), problems);
        _options = options.Clone();
        _rest = restFallback;
        _time = time ?? TimeProvider.System;
        _ownsHttp = http is null;
        _http = http ?? BinanceRestClient.CreateHttpClient(_options);
        _base = new Uri(_options.ArchiveBaseUrl.TrimEnd('/') + "/");
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<TransientBinanceException>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<ChecksumMismatchException>(),
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(15),
                OnRetry = _ => { Statistics.OnRetry(); return default; },
            })
            .AddTimeout(_options.RequestTimeout * 4)
            .Build();
    }

    public string Name => "binance-archive";

    /// <summary>HTTP requests to the archive host, retries and candles read from archives.</summary>
    public BinanceRequestStatistics Statistics { get; } = new();

    /// <summary>Archive files read (after verification).</summary>
    public long FilesRead => Interlocked.Read(ref _filesRead);

    /// <summary>Segments that came from REST because no archive existed (yet).</summary>
    public long RestSegments => Interlocked.Read(ref _restSegments);

    private long _filesRead, _restSegments;

    internal readonly record struct Segment(long Start, long End, bool Monthly);

    /// <summary>Which archive files cover the range: whole past months monthly, the rest daily (intervals up to 1d).</summary>
    internal List<Segment> Plan(CandleRange range, long first, long to)
    {
        var segments = new List<Segment>();
        var today = _time.GetUtcNow().ToUnixTimeMilliseconds() / Day * Day;
        var daily = range.Interval.FixedMilliseconds is long len && len <= Day;
        for (var key = MarketAnalytics.Lake.LakeLayout.PartitionKey(first); key <= MarketAnalytics.Lake.LakeLayout.PartitionKey(to - 1); key++)
        {
            var mStart = MarketAnalytics.Lake.LakeLayout.PartitionStart(key);
            var mEnd = MarketAnalytics.Lake.LakeLayout.PartitionStart(key + 1);
            var whole = mStart >= first && mEnd <= to && mEnd <= today;
            if (whole || !daily)
            {
                segments.Add(new Segment(mStart, mEnd, Monthly: true));
                continue;
            }
            for (var d = Math.Max(mStart, first / Day * Day); d < Math.Min(mEnd, to); d += Day) segments.Add(new Segment(d, d + Day, Monthly: false));
        }
        return segments;
    }

    public async IAsyncEnumerable<Candle> GetCandlesAsync(CandleRange range, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        var iv = range.Interval;
        var first = iv.Floor(range.From);
        if (first < range.From) first = iv.Next(first);
        var to = range.To;
        if (first >= to) yield break;
        var segments = Plan(range, first, to);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<CandleSeries>>();
        var next = 0;
        var last = long.MinValue;
        try
        {
            while (true)
            {
                while (pending.Count < _options.ArchiveParallelism && next < segments.Count)
                {
                    pending.Enqueue(FetchSegmentAsync(range, segments[next++], cts.Token));
                }
                if (pending.Count == 0) break;
                var series = await pending.Dequeue().ConfigureAwait(false);
                for (var i = 0; i < series.Count; i++)
                {
                    var c = series[i];
                    if (c.OpenTime < first || c.OpenTime >= to || c.OpenTime <= last) continue;
                    last = c.OpenTime;
                    yield return c;
                }
            }
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
            while (pending.Count > 0)
            {
                try { await pending.Dequeue().ConfigureAwait(false); }
                catch (Exception) { /* abandoned prefetch */ }
            }
        }
    }

    private async Task<CandleSeries> FetchSegmentAsync(CandleRange range, Segment segment, CancellationToken ct)
    {
        var series = await TryDownloadAsync(range.Symbol, range.Interval, segment, ct).ConfigureAwait(false);
        if (series is not null) return series;
        if (segment.Monthly && range.Interval.FixedMilliseconds is long len && len <= Day)
        {
            // Not published (yet): fall back to the month's daily archives.
            var merged = new CandleSeries(range.Symbol, range.Interval);
            var end = Math.Min(segment.End, range.To);
            for (var d = Math.Max(segment.Start, range.From / Day * Day); d < end; d += Day)
            {
                var part = await FetchSegmentAsync(range, new Segment(d, d + Day, Monthly: false), ct).ConfigureAwait(false);
                for (var i = 0; i < part.Count; i++) merged.Add(part[i]);
            }
            return merged;
        }
        if (_rest is null)
        {
            throw new MarketAnalyticsException(
                $"No archive on {_base.Host} for {range.Symbol} {range.Interval.Name} {FileDate(segment)} and no REST fallback configured.");
        }
        Interlocked.Increment(ref _restSegments);
        var sub = range with { From = Math.Max(segment.Start, range.From), To = Math.Min(segment.End, range.To) };
        var fromRest = new CandleSeries(range.Symbol, range.Interval);
        await foreach (var c in _rest.GetCandlesAsync(sub, ct).ConfigureAwait(false)) fromRest.Add(c);
        return fromRest;
    }

    private static string FileDate(Segment s)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(s.Start);
        return t.ToString(s.Monthly ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Relative URL of an archive: <c>data/spot/{monthly|daily}/klines/SYM/iv/SYM-iv-date.zip</c>.</summary>
    internal static string ArchivePath(SymbolId symbol, Interval interval, bool monthly, long start)
    {
        var iv = interval.ArchiveName;
        var date = FileDate(new Segment(start, start, monthly));
        return $"data/spot/{(monthly ? "monthly" : "daily")}/klines/{symbol.Value}/{iv}/{symbol.Value}-{iv}-{date}.zip";
    }

    /// <summary>Downloads, verifies and parses one archive; null when the server has none (404).</summary>
    private async Task<CandleSeries?> TryDownloadAsync(SymbolId symbol, Interval interval, Segment segment, CancellationToken ct)
    {
        var path = ArchivePath(symbol, interval, segment.Monthly, segment.Start);
        var name = path[(path.LastIndexOf('/') + 1)..];
        return await _pipeline.ExecuteAsync(async token =>
        {
            var zip = await GetBytesAsync(path, token).ConfigureAwait(false);
            if (zip is null) return null;
            var checksum = await GetBytesAsync(path + ".CHECKSUM", token).ConfigureAwait(false)
                ?? throw new MarketAnalyticsException($"{name}: the archive exists but its .CHECKSUM does not; refusing an unverified file.");
            KlineReader.VerifyChecksum(name, zip, System.Text.Encoding.ASCII.GetString(checksum));
            var series = new CandleSeries(symbol, interval, segment.Monthly ? 1024 : 64);
            KlineReader.ParseZip(zip, name, series);
            Interlocked.Increment(ref _filesRead);
            Statistics.OnCandles(series.Count);
            return series;
        }, ct).ConfigureAwait(false);
    }

    private async Task<byte[]?> GetBytesAsync(string path, CancellationToken ct)
    {
        Statistics.OnRequest(0);
        using var response = await _http.GetAsync(new Uri(_base, path), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var status = (int)response.StatusCode;
        if (status >= 500 || status == 429) throw new TransientBinanceException($"HTTP {status} for {path}");
        if (status >= 400) throw new BinanceApiException(0, response.ReasonPhrase ?? "error", status, path);
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength is long len && len != bytes.Length)
                throw new TransientBinanceException($"{path} truncated ({bytes.Length} of {len} bytes)");
            return bytes;
        }
        catch (IOException e)
        {
            throw new TransientBinanceException($"reading {path} failed: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
