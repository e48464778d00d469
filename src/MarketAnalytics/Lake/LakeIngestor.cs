using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MarketAnalytics.Lake;

/// <summary>Progress of one series' ingest.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Interval">The interval.</param>
/// <param name="Candles">Candles received so far in this run.</param>
/// <param name="Position">Open time (Unix ms) the ingest has reached.</param>
/// <param name="Fraction">Share of the requested range done, 0..1.</param>
public readonly record struct IngestProgress(SymbolId Symbol, Interval Interval, long Candles, long Position, double Fraction);

/// <summary>Outcome of one series' ingest.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Interval">The interval.</param>
/// <param name="Write">New, replaced and unchanged candles in the lake.</param>
/// <param name="Received">Candles the source delivered in this run.</param>
/// <param name="ResumedFrom">Open time (Unix ms) a checkpoint resumed from; null for a fresh run.</param>
/// <param name="Elapsed">Wall time of this run.</param>
public sealed record IngestResult(SymbolId Symbol, Interval Interval, CandleWriteResult Write, long Received, long? ResumedFrom, TimeSpan Elapsed);

/// <summary>Copies a range of candles from a source into a store, committing in partition-sized steps with a checkpoint.</summary>
public interface ICandleIngestor
{
    /// <summary>Ingests <paramref name="range"/>; resumes from the checkpoint an interrupted run of the same range left.</summary>
    Task<IngestResult> IngestAsync(IMarketDataSource source, CandleRange range, IProgress<IngestProgress>? progress = null,
        CancellationToken cancellationToken = default);
}

/// <summary>
/// Checkpointed ingest: candles are buffered per month partition and merged into the store when the partition is
/// complete (or the buffer is full); only then is the checkpoint advanced, atomically. A run killed at any point
/// resumes at the checkpoint, and because merges are idempotent the lake ends exactly as after an uninterrupted run.
/// </summary>
internal sealed class LakeIngestor(ICandleStore store, string checkpointRoot, string exchange, int flushEvery, TimeProvider time) : ICandleIngestor
{
    private const int CheckpointVersion = 1;

    public async Task<IngestResult> IngestAsync(IMarketDataSource source, CandleRange range, IProgress<IngestProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(range);
        var started = time.GetTimestamp();
        var checkpointPath = CheckpointPath(range.Symbol, range.Interval);
        var checkpoint = ReadCheckpoint(checkpointPath);
        long? resumedFrom = null;
        var from = range.From;
        if (checkpoint is not null && checkpoint.From == range.From && checkpoint.To == range.To && checkpoint.Source == source.Name
            && checkpoint.Next > range.From && checkpoint.Next <= range.To)
        {
            from = checkpoint.Next;
            resumedFrom = from;
        }

        var total = default(CandleWriteResult);
        long received = 0;
        var buffer = new CandleSeries(range.Symbol, range.Interval, Math.Min(flushEvery, 65_536));
        var partition = int.MinValue;
        long last = long.MinValue;
        var span = Math.Max(1, range.To - range.From);

        await foreach (var candle in source.GetCandlesAsync(range with { From = from }, cancellationToken).ConfigureAwait(false))
        {
            if (candle.OpenTime <= last)
            {
                throw new MalformedDataException(source.Name, received,
                    $"candle open times must strictly increase; {candle.OpenTime} follows {last} for {range.Symbol} {range.Interval}");
            }
            if (!range.Contains(candle.OpenTime)) continue;
            last = candle.OpenTime;
            var key = LakeLayout.PartitionKey(candle.OpenTime);
            if (buffer.Count > 0 && (key != partition || buffer.Count >= flushEvery))
            {
                total += await CommitAsync(buffer, range, source.Name, checkpointPath, next: candle.OpenTime, cancellationToken).ConfigureAwait(false);
            }
            partition = key;
            buffer.Add(candle);
            received++;
            if (progress is not null && (received & 1023) == 0)
            {
                progress.Report(new IngestProgress(range.Symbol, range.Interval, received, candle.OpenTime, (candle.OpenTime - range.From) / (double)span));
            }
        }
        if (buffer.Count > 0) total += await store.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        // The range is complete: drop the checkpoint so a later run of the same range re-checks it (idempotently).
        TryDelete(checkpointPath);
        progress?.Report(new IngestProgress(range.Symbol, range.Interval, received, range.To, 1));
        return new IngestResult(range.Symbol, range.Interval, total, received, resumedFrom, time.GetElapsedTime(started));
    }

    private async Task<CandleWriteResult> CommitAsync(CandleSeries buffer, CandleRange range, string sourceName, string checkpointPath, long next, CancellationToken ct)
    {
        var result = await store.WriteAsync(buffer, ct).ConfigureAwait(false);
        buffer.Clear();
        WriteCheckpoint(checkpointPath, new Checkpoint(CheckpointVersion, range.Symbol.Value, range.Interval.Name, sourceName, range.From, range.To, next));
        return result;
    }

    internal string CheckpointPath(SymbolId symbol, Interval interval) =>
        Path.Combine(checkpointRoot, "ingest", "exchange=" + exchange, $"{symbol.Value}-{LakeLayout.IntervalSegment(interval)}.json");

    private static Checkpoint? ReadCheckpoint(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var cp = JsonSerializer.Deserialize(File.ReadAllBytes(path), CheckpointJsonContext.Default.Checkpoint);
            return cp is { Version: CheckpointVersion } ? cp : null;
        }
        catch (JsonException)
        {
            return null; // a damaged checkpoint only costs a fresh (idempotent) run
        }
    }

    private static void WriteCheckpoint(string path, Checkpoint checkpoint)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(fs, checkpoint, CheckpointJsonContext.Default.Checkpoint);
            fs.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
    }

    internal sealed record Checkpoint(int Version, string Symbol, string Interval, string Source, long From, long To, long Next)
    {
        public override string ToString() => $"{Symbol} {Interval} next={DateTimeOffset.FromUnixTimeMilliseconds(Next).ToString("u", CultureInfo.InvariantCulture)}";
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(LakeIngestor.Checkpoint))]
internal sealed partial class CheckpointJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
