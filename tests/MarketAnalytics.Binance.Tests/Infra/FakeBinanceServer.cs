using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketAnalytics.Binance.Tests.Infra;

/// <summary>Faults injected into <c>/api/v3/klines</c> answers, drawn from a seeded generator.</summary>
internal sealed class FaultPlan
{
    public double ServerError { get; init; }
    public double Reset { get; init; }
    public double Truncate { get; init; }
    public double InvalidJson { get; init; }
    public double Slow { get; init; }
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromMilliseconds(400);
    public int Seed { get; init; } = 7;
}

/// <summary>WebSocket replay settings.</summary>
internal sealed class StreamPlan
{
    /// <summary>Abort the TCP connection after this many messages (± DropJitter); 0 = never.</summary>
    public int DropAfterMessages { get; init; }
    public int DropJitter { get; init; }
    public TimeSpan? PingInterval { get; init; }
    public TimeSpan? PingTimeout { get; init; }
}

/// <summary>
/// A Binance-compatible server on 127.0.0.1 (random port) serving real klines: <c>/api/v3/klines</c>, <c>exchangeInfo</c>,
/// <c>time</c> with Binance's weights, the <c>X-MBX-USED-WEIGHT-1M</c> header, 429/418 with <c>Retry-After</c>,
/// <c>{"code":-1121,...}</c> error bodies and fault injection; data.binance.vision archive paths with <c>.CHECKSUM</c>;
/// and <c>/ws/&lt;stream&gt;</c> + <c>/stream?streams=</c> kline WebSockets replaying the data on the shared clock.
/// </summary>
internal sealed class FakeBinanceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<(string, string), KlineDataSet> _data = new();
    private readonly Lock _rate = new();
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private long _window = long.MinValue;
    private long _used;
    private long _retryAfterUntil;
    private long _bannedUntil;
    private int _violations;
    private int _checksumCorruptionsLeft;

    public FakeBinanceServer(TimeProvider? clock = null, FaultPlan? faults = null, StreamPlan? streams = null)
    {
        Clock = clock ?? TimeProvider.System;
        Faults = faults ?? new FaultPlan();
        Streams = streams ?? new StreamPlan();
        _random = new Random(Faults.Seed);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(HandleAsync);
    }

    public TimeProvider Clock { get; }
    public FaultPlan Faults { get; set; }
    public StreamPlan Streams { get; }
    public int WeightLimit { get; init; } = 6000;
    public TimeSpan WeightWindow { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>Requests during a Retry-After period tolerated before the IP is banned with 418.</summary>
    public int BanAfterViolations { get; init; } = 10;
    /// <summary>Serve only candles that have opened by the server clock (for live-stream replays).</summary>
    public bool RespectClock { get; init; }
    /// <summary>Serve archive CSVs with µs timestamps (data.binance.vision spot from 2025).</summary>
    public bool MicrosecondArchives { get; set; }
    public HashSet<string> MissingArchives { get; } = new(StringComparer.Ordinal);

    public string BaseUrl { get; private set; } = "";
    public string WsUrl => BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal);

    // Statistics
    public ConcurrentDictionary<int, int> StatusCounts { get; } = new();
    public ConcurrentDictionary<long, long> WeightByWindow { get; } = new();
    public ConcurrentDictionary<string, int> FaultCounts { get; } = new();
    public ConcurrentBag<string> ArchiveRequests { get; } = new();
    private int _klinesRequests, _wsConnections;
    public int KlinesRequests => Volatile.Read(ref _klinesRequests);
    public int WsConnections => Volatile.Read(ref _wsConnections);
    public int Count(int status) => StatusCounts.TryGetValue(status, out var n) ? n : 0;

    public void Add(KlineDataSet set) => _data[(set.Symbol.Value, set.Interval.Name)] = set;

    /// <summary>Bans the IP now (as after ignored 429s): every request gets 418 until <paramref name="duration"/> passes.</summary>
    public void BanFor(TimeSpan duration)
    {
        lock (_rate) _bannedUntil = NowMs() + (long)duration.TotalMilliseconds;
    }

    public void CorruptNextChecksums(int n) => Volatile.Write(ref _checksumCorruptionsLeft, n);

    /// <summary>Another client on the same IP spends weight in the current window.</summary>
    public void AddExternalWeight(long weight)
    {
        lock (_rate)
        {
            Roll(NowMs());
            _used += weight;
        }
    }

    public async Task StartAsync()
    {
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private long NowMs() => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private void Roll(long now)
    {
        var w = now / (long)WeightWindow.TotalMilliseconds;
        if (w != _window) { _window = w; _used = 0; }
    }

    private double NextRandom()
    {
        lock (_randomGate) return _random.NextDouble();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (ctx.WebSockets.IsWebSocketRequest && (path.StartsWith("/ws/", StringComparison.Ordinal) || path == "/stream"))
        {
            await StreamAsync(ctx, path);
            return;
        }
        if (path.StartsWith("/data/spot/", StringComparison.Ordinal))
        {
            await ArchiveAsync(ctx, path);
            return;
        }
        var weight = path switch
        {
            "/api/v3/klines" => 2,
            "/api/v3/exchangeInfo" => 20,
            "/api/v3/time" => 1,
            _ => 0,
        };
        if (weight == 0)
        {
            await Reply(ctx, 404, """{"code":-1,"msg":"Not found."}""", null);
            return;
        }
        // Rate limiting exactly as documented: weight per fixed window, 429 + Retry-After, 418 for ignoring it.
        long used;
        lock (_rate)
        {
            var now = NowMs();
            Roll(now);
            if (now < _bannedUntil)
            {
                var s = (long)Math.Ceiling((_bannedUntil - now) / 1000.0);
                ctx.Response.Headers.RetryAfter = s.ToString(CultureInfo.InvariantCulture);
                _ = Reply(ctx, 418, $$"""{"code":-1003,"msg":"Way too much request weight used; IP banned until {{_bannedUntil}}. Please use WebSocket Streams for live updates to avoid bans."}""", null);
                return;
            }
            if (now < _retryAfterUntil)
            {
                if (++_violations > BanAfterViolations)
                {
                    _bannedUntil = now + 120_000;
                    ctx.Response.Headers.RetryAfter = "120";
                    _ = Reply(ctx, 418, $$"""{"code":-1003,"msg":"Way too much request weight used; IP banned until {{_bannedUntil}}."}""", null);
                    return;
                }
                ctx.Response.Headers.RetryAfter = ((long)Math.Ceiling((_retryAfterUntil - now) / 1000.0)).ToString(CultureInfo.InvariantCulture);
                _ = Reply(ctx, 429, """{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."}""", null);
                return;
            }
            if (_used + weight > WeightLimit)
            {
                var windowEnd = (_window + 1) * (long)WeightWindow.TotalMilliseconds;
                _retryAfterUntil = windowEnd;
                _violations = 0;
                ctx.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling((windowEnd - now) / 1000.0)).ToString(CultureInfo.InvariantCulture);
                ctx.Response.Headers["X-MBX-USED-WEIGHT-1M"] = _used.ToString(CultureInfo.InvariantCulture);
                _ = Reply(ctx, 429, """{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."}""", null);
                return;
            }
            _used += weight;
            used = _used;
            WeightByWindow.AddOrUpdate(_window, weight, (_, v) => v + weight);
        }
        ctx.Response.Headers["X-MBX-USED-WEIGHT-1M"] = used.ToString(CultureInfo.InvariantCulture);
        switch (path)
        {
            case "/api/v3/time":
                await Reply(ctx, 200, $$"""{"serverTime":{{NowMs()}}}""", null);
                return;
            case "/api/v3/exchangeInfo":
                await ExchangeInfoAsync(ctx);
                return;
            default:
                Interlocked.Increment(ref _klinesRequests);
                await KlinesAsync(ctx);
                return;
        }
    }

    private Task Reply(HttpContext ctx, int status, string body, string? contentType = "application/json")
    {
        StatusCounts.AddOrUpdate(status, 1, (_, v) => v + 1);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType ?? "application/json;charset=UTF-8";
        var bytes = Encoding.UTF8.GetBytes(body);
        ctx.Response.ContentLength = bytes.Length;
        return ctx.Response.Body.WriteAsync(bytes).AsTask();
    }

    private Task Error(HttpContext ctx, int code, string msg) => Reply(ctx, 400, $$"""{"code":{{code}},"msg":"{{msg}}"}""");

    private async Task ExchangeInfoAsync(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        var names = new List<string>();
        if (q.TryGetValue("symbol", out var one)) names.Add(one.ToString());
        else if (q.TryGetValue("symbols", out var many))
        {
            var text = many.ToString().Trim();
            if (!text.StartsWith('[') || !text.EndsWith(']')) { await Error(ctx, -1100, "Illegal characters found in parameter 'symbols'."); return; }
            names.AddRange(text[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim().Trim('"')));
        }
        else names.AddRange(_data.Keys.Select(k => k.Item1).Distinct());
        foreach (var n in names)
        {
            if (!_data.Keys.Any(k => k.Item1 == n)) { await Error(ctx, -1121, "Invalid symbol."); return; }
        }
        var symbols = string.Join(",", names.Distinct().Select(n =>
            $$"""{"symbol":"{{n}}","status":"TRADING","baseAsset":"{{n[..^4]}}","baseAssetPrecision":8,"quoteAsset":"{{n[^4..]}}","quotePrecision":8,"orderTypes":["LIMIT","MARKET"],"filters":[{"filterType":"PRICE_FILTER","minPrice":"0.00100000"}],"permissionSets":[["SPOT"]],"defaultSelfTradePreventionMode":"EXPIRE_MAKER"}"""));
        var body = $$"""
            {"timezone":"UTC","serverTime":{{NowMs()}},
             "rateLimits":[
               {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":{{WeightLimit}}},
               {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":100},
               {"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":61000},
               {"rateLimitType":"CONNECTIONS","interval":"MINUTE","intervalNum":5,"limit":300},
               {"rateLimitType":"SOMETHING_NEW","interval":"FORTNIGHT","intervalNum":1,"limit":7}],
             "exchangeFilters":[],"symbols":[{{symbols}}]}
            """;
        await Reply(ctx, 200, body);
    }

    private async Task KlinesAsync(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        var symbol = q["symbol"].ToString();
        var intervalText = q["interval"].ToString();
        if (symbol.Length == 0) { await Error(ctx, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."); return; }
        if (intervalText.Length == 0) { await Error(ctx, -1102, "Mandatory parameter 'interval' was not sent, was empty/null, or malformed."); return; }
        if (!Interval.TryParse(intervalText, out var interval) || intervalText == "1mo") { await Error(ctx, -1120, "Invalid interval."); return; }
        if (!_data.Keys.Any(k => k.Item1 == symbol)) { await Error(ctx, -1121, "Invalid symbol."); return; }
        var limit = 500;
        if (q.TryGetValue("limit", out var l) && (!int.TryParse(l, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 1000))
        {
            await Error(ctx, -1130, "Invalid data sent for a parameter.");
            return;
        }
        long? start = q.TryGetValue("startTime", out var s) ? long.Parse(s!, CultureInfo.InvariantCulture) : null;
        long? end = q.TryGetValue("endTime", out var e) ? long.Parse(e!, CultureInfo.InvariantCulture) : null;
        if (start > end) { await Error(ctx, -1023, "Start time is greater than end time."); return; }
        var body = new MemoryStream();
        body.WriteByte((byte)'[');
        if (_data.TryGetValue((symbol, interval.Name), out var set))
        {
            var maxOpen = end ?? long.MaxValue;
            if (RespectClock) maxOpen = Math.Min(maxOpen, NowMs());
            int from, to;
            if (start is long st)
            {
                from = set.LowerBound(st);
                to = from;
                while (to < set.OpenTimes.Count && to - from < limit && set.OpenTimes[to] <= maxOpen) to++;
            }
            else
            {
                to = set.LowerBound(maxOpen == long.MaxValue ? long.MaxValue : maxOpen + 1);
                from = Math.Max(0, to - limit);
            }
            for (var i = from; i < to; i++)
            {
                if (i > from) body.WriteByte((byte)',');
                body.Write(set.JsonRows[i]);
            }
        }
        body.WriteByte((byte)']');
        var bytes = body.ToArray();

        // Fault injection.
        var r = NextRandom();
        var f = Faults;
        if ((r -= f.ServerError) < 0) { Fault("5xx"); await Reply(ctx, 503, "<html>Service Unavailable</html>", "text/html"); return; }
        if ((r -= f.Reset) < 0) { Fault("reset"); ctx.Abort(); return; }
        if ((r -= f.Truncate) < 0)
        {
            Fault("truncated");
            StatusCounts.AddOrUpdate(200, 1, (_, v) => v + 1);
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json;charset=UTF-8";
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await ctx.Response.Body.FlushAsync();
            ctx.Abort();
            return;
        }
        if ((r -= f.InvalidJson) < 0)
        {
            // A complete HTTP answer whose JSON is cut (e.g. a proxy that stopped mid-body but fixed the length).
            Fault("invalid-json");
            await Reply(ctx, 200, Encoding.ASCII.GetString(bytes, 0, Math.Max(1, bytes.Length / 3)));
            return;
        }
        if ((r -= f.Slow) < 0) { Fault("slow"); await Task.Delay(f.SlowDelay); }
        StatusCounts.AddOrUpdate(200, 1, (_, v) => v + 1);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json;charset=UTF-8";
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes);
    }

    private void Fault(string kind) => FaultCounts.AddOrUpdate(kind, 1, (_, v) => v + 1);

    // ---- data.binance.vision ----------------------------------------------------------------------------------

    private readonly ConcurrentDictionary<string, byte[]?> _zips = new();

    private async Task ArchiveAsync(HttpContext ctx, string path)
    {
        ArchiveRequests.Add(path);
        // /data/spot/{monthly|daily}/klines/{SYM}/{iv}/{SYM}-{iv}-{date}.zip[.CHECKSUM]
        var parts = path.Split('/');
        var checksum = path.EndsWith(".CHECKSUM", StringComparison.Ordinal);
        if (parts.Length != 8 || parts[4] != "klines") { await Reply(ctx, 404, "<Error><Code>NoSuchKey</Code></Error>", "application/xml"); return; }
        var file = checksum ? parts[7][..^".CHECKSUM".Length] : parts[7];
        var zip = _zips.GetOrAdd(file, _ => BuildZip(parts[3] == "monthly", parts[5], parts[6], file));
        if (zip is null || MissingArchives.Contains(file)) { await Reply(ctx, 404, "<Error><Code>NoSuchKey</Code></Error>", "application/xml"); return; }
        if (checksum)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(zip));
            if (Interlocked.Decrement(ref _checksumCorruptionsLeft) >= 0) hash = new string('0', 64);
            await Reply(ctx, 200, $"{hash}  {file}\n", "text/plain");
            return;
        }
        StatusCounts.AddOrUpdate(200, 1, (_, v) => v + 1);
        ctx.Response.ContentType = "application/zip";
        ctx.Response.ContentLength = zip.Length;
        await ctx.Response.Body.WriteAsync(zip);
    }

    private byte[]? BuildZip(bool monthly, string symbol, string archiveInterval, string file)
    {
        if (!Interval.TryParse(archiveInterval, out var iv) || !_data.TryGetValue((symbol, iv.Name), out var set)) return null;
        var m = System.Text.RegularExpressions.Regex.Match(file, monthly ? @"-(\d{4})-(\d{2})\.zip$" : @"-(\d{4})-(\d{2})-(\d{2})\.zip$");
        if (!m.Success || !file.StartsWith($"{symbol}-{archiveInterval}-", StringComparison.Ordinal)) return null;
        var y = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var mo = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var start = monthly ? new DateTimeOffset(y, mo, 1, 0, 0, 0, TimeSpan.Zero) : new DateTimeOffset(y, mo, int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), 0, 0, 0, TimeSpan.Zero);
        var end = monthly ? start.AddMonths(1) : start.AddDays(1);
        byte[] csv;
        if (monthly && !MicrosecondArchives && set.MonthFiles.TryGetValue($"{y:D4}-{mo:D2}", out var exact)) csv = exact; // the real file, byte for byte
        else csv = set.CsvSlice(start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), MicrosecondArchives);
        if (csv.Length == 0) return null;
        var ms = new MemoryStream();
        using (var archive = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = archive.CreateEntry(file[..^4] + ".csv", CompressionLevel.Fastest);
            entry.LastWriteTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using var s = entry.Open();
            s.Write(csv);
        }
        return ms.ToArray();
    }

    // ---- WebSocket kline streams ------------------------------------------------------------------------------

    private async Task StreamAsync(HttpContext ctx, string path)
    {
        var names = path == "/stream"
            ? ctx.Request.Query["streams"].ToString().Split('/', StringSplitOptions.RemoveEmptyEntries)
            : [path["/ws/".Length..]];
        var sets = new List<(string Name, KlineDataSet Set)>();
        foreach (var n in names)
        {
            var at = n.IndexOf("@kline_", StringComparison.Ordinal);
            if (at <= 0 || !Interval.TryParse(n[(at + 7)..], out var iv) || !_data.TryGetValue((n[..at].ToUpperInvariant(), iv.Name), out var set))
            {
                ctx.Response.StatusCode = 400;
                return;
            }
            sets.Add((n, set));
        }
        var accept = new WebSocketAcceptContext();
        if (Streams.PingInterval is TimeSpan pi) accept.KeepAliveInterval = pi;
        if (Streams.PingTimeout is TimeSpan pt) accept.KeepAliveTimeout = pt;
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync(accept);
        Interlocked.Increment(ref _wsConnections);
        var combined = path == "/stream";
        var interval = sets[0].Set.Interval;
        var len = interval.FixedMilliseconds!.Value;
        var sent = 0;
        int dropAt;
        lock (_randomGate) dropAt = Streams.DropAfterMessages == 0 ? int.MaxValue : Streams.DropAfterMessages + _random.Next(-Streams.DropJitter, Streams.DropJitter + 1);
        var ct = ctx.RequestAborted;
        // Drain client frames (close, pongs are handled by the framework) in the background.
        var reader = Task.Run(async () =>
        {
            var buf = new byte[1024];
            try
            {
                while (ws.State == WebSocketState.Open)
                {
                    var r = await ws.ReceiveAsync(buf, ct);
                    if (r.MessageType == WebSocketMessageType.Close) break;
                }
            }
            catch (Exception) { }
        }, CancellationToken.None);
        try
        {
            var current = interval.Floor(NowMs());
            foreach (var (name, set) in sets) await Send(ws, combined, name, set, current, closed: false, partial: true, ct);
            sent += sets.Count;
            while (!ct.IsCancellationRequested && ws.State == WebSocketState.Open)
            {
                var mid = current + len / 2;
                await DelayUntil(mid, ct);
                foreach (var (name, set) in sets) await Send(ws, combined, name, set, current, closed: false, partial: false, ct);
                sent += sets.Count;
                if (sent >= dropAt) { ctx.Abort(); return; }
                var next = current + len;
                await DelayUntil(next, ct);
                foreach (var (name, set) in sets)
                {
                    await Send(ws, combined, name, set, current, closed: true, partial: false, ct);
                    await Send(ws, combined, name, set, next, closed: false, partial: true, ct);
                }
                sent += 2 * sets.Count;
                current = next;
                if (sent >= dropAt) { ctx.Abort(); return; }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
        }
        finally
        {
            await reader;
        }
    }

    private async Task DelayUntil(long t, CancellationToken ct)
    {
        var wait = t - NowMs();
        if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(wait), Clock, ct);
    }

    private async Task Send(WebSocket ws, bool combined, string name, KlineDataSet set, long openTime, bool closed, bool partial, CancellationToken ct)
    {
        var i = set.LowerBound(openTime);
        if (i >= set.OpenTimes.Count || set.OpenTimes[i] != openTime) return;
        var f = set.Fields[i];
        // In-progress "partial" updates carry the opening state only; the mid-candle update the final values, x=false.
        var (o, h, l, c, v, n, q, bv, bq) = partial
            ? (f[1], f[1], f[1], f[1], "0", "0", "0", "0", "0")
            : (f[1], f[2], f[3], f[4], f[5], f[8], f[7], f[9], f[10]);
        var data = $$$"""{"e":"kline","E":{{{NowMs()}}},"s":"{{{set.Symbol}}}","k":{"t":{{{f[0]}}},"T":{{{f[6]}}},"s":"{{{set.Symbol}}}","i":"{{{set.Interval.Name}}}","f":100,"L":200,"o":"{{{o}}}","c":"{{{c}}}","h":"{{{h}}}","l":"{{{l}}}","v":"{{{v}}}","n":{{{n}}},"x":{{{(closed ? "true" : "false")}}},"q":"{{{q}}}","V":"{{{bv}}}","Q":"{{{bq}}}","B":"0"}}""";
        var text = combined ? $$"""{"stream":"{{name}}","data":{{data}}}""" : data;
        await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);
    }
}
