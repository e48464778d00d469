using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace MarketAnalytics.Binance;

/// <summary>Counters of a live kline stream.</summary>
public sealed class BinanceStreamStatistics
{
    private long _connections, _reconnects, _messages, _backfilled, _duplicates, _scheduled, _backfillFailures;

    /// <summary>Connections opened.</summary>
    public long Connections => Interlocked.Read(ref _connections);
    /// <summary>Connections opened after a drop or a lifetime rollover.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);
    /// <summary>Planned reconnects before the 24 h limit.</summary>
    public long LifetimeRollovers => Interlocked.Read(ref _scheduled);
    /// <summary>Kline messages received.</summary>
    public long Messages => Interlocked.Read(ref _messages);
    /// <summary>Closed candles fetched over REST to fill gaps.</summary>
    public long Backfilled => Interlocked.Read(ref _backfilled);
    /// <summary>Backfills that failed (REST unreachable after retries); the stream reconnected and tried again.</summary>
    public long BackfillFailures => Interlocked.Read(ref _backfillFailures);
    /// <summary>Closed candles dropped because they had been delivered already.</summary>
    public long DuplicatesDropped => Interlocked.Read(ref _duplicates);

    internal void OnConnect(bool reconnect)
    {
        Interlocked.Increment(ref _connections);
        if (reconnect) Interlocked.Increment(ref _reconnects);
    }

    internal void OnRollover() => Interlocked.Increment(ref _scheduled);
    internal void OnMessage() => Interlocked.Increment(ref _messages);
    internal void OnBackfill(int n) => Interlocked.Add(ref _backfilled, n);
    internal void OnDuplicate() => Interlocked.Increment(ref _duplicates);
    internal void OnBackfillFailure() => Interlocked.Increment(ref _backfillFailures);

    /// <inheritdoc />
    public override string ToString() =>
        $"connections {Connections}, reconnects {Reconnects}, rollovers {LifetimeRollovers}, messages {Messages}, backfilled {Backfilled}, backfill failures {BackfillFailures}, duplicates dropped {DuplicatesDropped}";
}

/// <summary>Live Binance kline streams (<c>&lt;symbol&gt;@kline_&lt;interval&gt;</c>) with gap-free reconnects.</summary>
public interface IBinanceKlineStream
{
    /// <summary>Counters.</summary>
    BinanceStreamStatistics Statistics { get; }

    /// <summary>
    /// Streams in-progress and closed klines of <paramref name="streams"/> until cancelled. Reconnects on any drop and
    /// before the 24 h limit; after a reconnect the closed candles missed meanwhile are fetched over REST, so every
    /// closed candle after the first one seen is delivered exactly once and in order per stream.
    /// </summary>
    IAsyncEnumerable<KlineUpdate> SubscribeAsync(IReadOnlyList<KlineStreamKey> streams, CancellationToken cancellationToken = default);
}

internal sealed class BinanceKlineStream(BinanceOptions options, IBinanceClient rest, TimeProvider time) : IBinanceKlineStream
{
    private readonly BinanceOptions _options = options.Clone();

    public BinanceStreamStatistics Statistics { get; } = new();

    internal static Uri BuildUri(string baseUrl, IReadOnlyList<KlineStreamKey> streams)
    {
        var b = baseUrl.TrimEnd('/');
        return streams.Count == 1
            ? new Uri($"{b}/ws/{streams[0].StreamName}")
            : new Uri($"{b}/stream?streams={string.Join('/', streams.Select(s => s.StreamName))}");
    }

    private sealed class StreamState(KlineStreamKey key)
    {
        public KlineStreamKey Key { get; } = key;
        public long? LastClosed { get; set; }
    }

    public async IAsyncEnumerable<KlineUpdate> SubscribeAsync(IReadOnlyList<KlineStreamKey> streams, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        if (streams.Count is 0 or > 1024) throw new ArgumentOutOfRangeException(nameof(streams), streams.Count, "Subscribe to 1..1024 streams per connection.");
        var states = new Dictionary<(string, string), StreamState>();
        foreach (var s in streams)
        {
            _ = s.Symbol.Value;
            if (!Interval.TryParse(s.Interval.Name, out _)) throw new InvalidIntervalException(s.Interval.Name);
            if (!states.TryAdd((s.Symbol.Value, s.Interval.Name), new StreamState(s)))
                throw new ArgumentException($"Stream {s.StreamName} is listed twice.", nameof(streams));
        }
        var uri = BuildUri(_options.StreamBaseUrl, streams);
        var buffer = new MessageBuffer();
        var failures = 0;
        var connectedBefore = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var ws = new ClientWebSocket();
                // .NET answers server pings with pongs carrying the same payload by itself; the keep-alive below only
                // sends our own pings so a silently dead connection is noticed.
                ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
                ws.Options.KeepAliveTimeout = TimeSpan.FromSeconds(60);
                var connected = await TryConnectAsync(ws, uri, cancellationToken).ConfigureAwait(false);
                if (!connected)
                {
                    failures++;
                    await Task.Delay(Backoff(failures), time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                Statistics.OnConnect(connectedBefore);
                connectedBefore = true;
                failures = 0;
                using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var rollover = new CancellationTokenSource(_options.StreamMaxLifetime, time);
                using var reg = rollover.Token.Register(static s => ((CancellationTokenSource)s!).Cancel(), lifetime);
                var backfillFailed = false;
                while (true)
                {
                    var outcome = await ReceiveAsync(ws, buffer, lifetime.Token).ConfigureAwait(false);
                    if (outcome != ReceiveOutcome.Message)
                    {
                        if (outcome == ReceiveOutcome.Cancelled && rollover.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                            Statistics.OnRollover();
                        break;
                    }
                    if (!TryParseMessage(buffer.Span, out var symbol, out var intervalName, out var candle, out var closed, out var eventTime, out var shutdown))
                    {
                        if (shutdown) break;
                        continue; // subscription answers and unknown events
                    }
                    if (!states.TryGetValue((symbol, intervalName), out var state)) continue;
                    Statistics.OnMessage();
                    if (state.LastClosed is long lc && candle.OpenTime > state.Key.Interval.Next(lc))
                    {
                        // Closed candles are missing between the last one delivered and this message: fetch them.
                        var gap = new CandleRange(state.Key.Symbol, state.Key.Interval, state.Key.Interval.Next(lc), candle.OpenTime);
                        var filled = await TryBackfillAsync(gap, cancellationToken).ConfigureAwait(false);
                        if (filled is null)
                        {
                            // REST failed even after its retries: deliver nothing past the gap; reconnect and try again
                            // (the first message of the next connection shows the same gap).
                            backfillFailed = true;
                            break;
                        }
                        foreach (var c in filled)
                        {
                            if (c.OpenTime <= state.LastClosed) continue;
                            state.LastClosed = c.OpenTime;
                            yield return new KlineUpdate(state.Key.Symbol, state.Key.Interval, c, true, KlineOrigin.Backfill, c.CloseTime);
                        }
                        Statistics.OnBackfill(filled.Count);
                    }
                    if (state.LastClosed is long done && candle.OpenTime <= done)
                    {
                        if (closed) Statistics.OnDuplicate();
                        continue; // already delivered as closed
                    }
                    if (closed) state.LastClosed = candle.OpenTime;
                    yield return new KlineUpdate(state.Key.Symbol, state.Key.Interval, candle, closed, KlineOrigin.Stream, eventTime);
                }
                if (ws.State == WebSocketState.Open)
                {
                    try
                    {
                        using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnect", closeTimeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
                    {
                        // The connection is being replaced anyway.
                    }
                }
                if (backfillFailed) Statistics.OnBackfillFailure();
                if (!cancellationToken.IsCancellationRequested && !rollover.IsCancellationRequested)
                {
                    // A drop: wait (jittered) so a flapping server is not hammered; longer after failed backfills.
                    await Task.Delay(Backoff(backfillFailed ? (int)Math.Min(Statistics.BackfillFailures + 1, 6) : 1), time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private async Task<List<Candle>?> TryBackfillAsync(CandleRange gap, CancellationToken ct)
    {
        var list = new List<Candle>();
        try
        {
            await foreach (var c in rest.GetCandlesAsync(gap, ct).ConfigureAwait(false)) list.Add(c);
            return list;
        }
        catch (Exception e) when (e is BinanceUnreachableException || (e is MarketAnalyticsException && e is not BinanceApiException and not InvalidOptionsException))
        {
            return null;
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var baseMs = _options.StreamReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 6));
        var ms = Math.Min(baseMs, 30_000) * (0.5 + Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(ms);
    }

    private static async Task<bool> TryConnectAsync(ClientWebSocket ws, Uri uri, CancellationToken ct)
    {
        try
        {
            await ws.ConnectAsync(uri, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private enum ReceiveOutcome { Message, Closed, Dropped, Cancelled }

    private static async Task<ReceiveOutcome> ReceiveAsync(ClientWebSocket ws, MessageBuffer buffer, CancellationToken ct)
    {
        buffer.Reset();
        try
        {
            while (true)
            {
                var result = await ws.ReceiveAsync(buffer.GetMemory(), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) return ReceiveOutcome.Closed;
                buffer.Advance(result.Count);
                if (result.EndOfMessage) return ReceiveOutcome.Message;
            }
        }
        catch (OperationCanceledException)
        {
            return ReceiveOutcome.Cancelled;
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            return ReceiveOutcome.Dropped;
        }
    }

    /// <summary>Parses a raw (<c>{e,E,s,k}</c>) or combined (<c>{stream,data}</c>) kline message.</summary>
    internal static bool TryParseMessage(ReadOnlySpan<byte> utf8, out string symbol, out string interval, out Candle candle, out bool closed,
        out long eventTime, out bool shutdown)
    {
        symbol = interval = string.Empty;
        candle = default;
        closed = shutdown = false;
        eventTime = 0;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            return ParseObject(ref reader, out symbol, out interval, out candle, out closed, out eventTime, out shutdown);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool ParseObject(ref Utf8JsonReader reader, out string symbol, out string interval, out Candle candle, out bool closed,
        out long eventTime, out bool shutdown)
    {
        symbol = interval = string.Empty;
        candle = default;
        closed = shutdown = false;
        eventTime = 0;
        var isKline = false;
        var hasK = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject) return false;
                return ParseObject(ref reader, out symbol, out interval, out candle, out closed, out eventTime, out shutdown);
            }
            if (reader.ValueTextEquals("e"u8))
            {
                reader.Read();
                isKline = reader.ValueTextEquals("kline"u8);
                shutdown = reader.ValueTextEquals("serverShutdown"u8);
            }
            else if (reader.ValueTextEquals("E"u8))
            {
                reader.Read();
                eventTime = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("k"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject) return false;
                hasK = true;
                long t = 0, closeTime = 0, trades = 0;
                double o = double.NaN, c = double.NaN, h = double.NaN, l = double.NaN, v = double.NaN, q = double.NaN, bv = double.NaN, bq = double.NaN;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.ValueSpan;
                    if (name.Length != 1) { reader.Read(); reader.Skip(); continue; }
                    switch ((char)name[0])
                    {
                        case 't': t = BinanceJson.ReadLong(ref reader); break;
                        case 'T': closeTime = BinanceJson.ReadLong(ref reader); break;
                        case 'n': trades = BinanceJson.ReadLong(ref reader); break;
                        case 'o': o = BinanceJson.ReadDouble(ref reader); break;
                        case 'c': c = BinanceJson.ReadDouble(ref reader); break;
                        case 'h': h = BinanceJson.ReadDouble(ref reader); break;
                        case 'l': l = BinanceJson.ReadDouble(ref reader); break;
                        case 'v': v = BinanceJson.ReadDouble(ref reader); break;
                        case 'q': q = BinanceJson.ReadDouble(ref reader); break;
                        case 'V': bv = BinanceJson.ReadDouble(ref reader); break;
                        case 'Q': bq = BinanceJson.ReadDouble(ref reader); break;
                        case 'x': reader.Read(); closed = reader.GetBoolean(); break;
                        case 's': reader.Read(); symbol = reader.GetString() ?? string.Empty; break;
                        case 'i': reader.Read(); interval = reader.GetString() ?? string.Empty; break;
                        default: reader.Read(); reader.Skip(); break;
                    }
                }
                candle = new Candle(t, o, h, l, c, v, closeTime, q, trades, bv, bq);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return isKline && hasK && symbol.Length > 0 && interval.Length > 0;
    }

    private sealed class MessageBuffer : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(8192);
        private int _length;

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

        public void Reset() => _length = 0;

        public Memory<byte> GetMemory()
        {
            if (_buffer.Length - _length < 1024)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
            return _buffer.AsMemory(_length);
        }

        public void Advance(int n)
        {
            if (_length + n > 16 << 20) throw new WebSocketException("message larger than 16 MiB");
            _length += n;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
