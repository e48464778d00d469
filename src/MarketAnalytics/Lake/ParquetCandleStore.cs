using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace MarketAnalytics.Lake;

/// <summary>
/// The local Parquet lake as an <see cref="ICandleStore"/>: one file per (symbol, interval, month) in a Hive layout,
/// rewritten atomically (temp file + rename) on every merge.
/// </summary>
/// <remarks>
/// A partition file is a pure function of the set of candles it holds (sorted by open time, one row group, fixed
/// schema and codec), so any sequence of writes that ends with the same candles ends with byte-identical files.
/// Concurrent writers inside one process are serialised per partition; separate processes must not ingest the same
/// series at the same time.
/// </remarks>
internal sealed class ParquetCandleStore : ICandleStore
{
    internal static readonly DataField<long> OpenTimeField = new("open_time");
    internal static readonly DataField<double> OpenField = new("open");
    internal static readonly DataField<double> HighField = new("high");
    internal static readonly DataField<double> LowField = new("low");
    internal static readonly DataField<double> CloseField = new("close");
    internal static readonly DataField<double> VolumeField = new("volume");
    internal static readonly DataField<long> CloseTimeField = new("close_time");
    internal static readonly DataField<double> QuoteVolumeField = new("quote_volume");
    internal static readonly DataField<long> TradesField = new("trades");
    internal static readonly DataField<double> TakerBaseField = new("taker_buy_base");
    internal static readonly DataField<double> TakerQuoteField = new("taker_buy_quote");

    internal static readonly ParquetSchema Schema = new(
        OpenTimeField, OpenField, HighField, LowField, CloseField, VolumeField,
        CloseTimeField, QuoteVolumeField, TradesField, TakerBaseField, TakerQuoteField);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public ParquetCandleStore(ParquetLakeOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new InvalidOptionsException(nameof(ParquetLakeOptions), problems);
        Root = Path.GetFullPath(options.Root);
        Exchange = options.Exchange;
    }

    public string Root { get; }

    public string Exchange { get; }

    public async Task<CandleWriteResult> WriteAsync(CandleSeries candles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candles);
        if (candles.Count == 0) return default;
        var interval = candles.Interval;
        _ = LakeLayout.IntervalSegment(interval);

        // Order the incoming candles by open time (stable; the last of equal open times wins) without touching the caller's series.
        var order = new int[candles.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var openTimes = candles.OpenTimeMemory;
        if (!IsSortedAndAligned(openTimes.Span, interval, candles.Symbol))
        {
            var keys = openTimes.ToArray();
            // Stable: ties broken by original index.
            Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        }

        var total = default(CandleWriteResult);
        var start = 0;
        while (start < order.Length)
        {
            var key = LakeLayout.PartitionKey(openTimes.Span[order[start]]);
            var end = start + 1;
            while (end < order.Length && LakeLayout.PartitionKey(openTimes.Span[order[end]]) == key) end++;
            total += await MergePartitionAsync(candles, order.AsMemory(start, end - start), key, cancellationToken).ConfigureAwait(false);
            start = end;
        }
        return total;
    }

    private static bool IsSortedAndAligned(ReadOnlySpan<long> openTimes, Interval interval, SymbolId symbol)
    {
        for (var i = 0; i < openTimes.Length; i++)
        {
            if (!interval.IsAligned(openTimes[i]))
            {
                throw new MalformedDataException($"{symbol} {interval}", i,
                    $"open time {openTimes[i]} is not aligned to the {interval} interval (µs timestamps read as ms?)");
            }
        }
        var sorted = true;
        for (var i = 1; i < openTimes.Length; i++)
        {
            if (openTimes[i] <= openTimes[i - 1]) { sorted = false; break; }
        }
        return sorted;
    }

    public async IAsyncEnumerable<Candle> ReadAsync(CandleRange range, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        if (range.To <= range.From) yield break;
        var first = LakeLayout.PartitionKey(range.From);
        var last = LakeLayout.PartitionKey(range.To - 1);
        for (var key = first; key <= last; key++)
        {
            var path = PartitionPath(range.Symbol, range.Interval, key);
            if (!File.Exists(path)) continue;
            var series = await ReadFileAsync(path, range.Symbol, range.Interval, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < series.Count; i++)
            {
                var c = series[i];
                if (range.Contains(c.OpenTime)) yield return c;
            }
        }
    }

    internal string PartitionPath(SymbolId symbol, Interval interval, int key) =>
        LakeLayout.PartitionFile(Root, Exchange, symbol, interval, key / 12, key % 12 + 1);

    private async Task<CandleWriteResult> MergePartitionAsync(CandleSeries source, ReadOnlyMemory<int> rows, int key, CancellationToken ct)
    {
        var path = PartitionPath(source.Symbol, source.Interval, key);
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var existing = File.Exists(path)
                ? await ReadFileAsync(path, source.Symbol, source.Interval, ct).ConfigureAwait(false)
                : new CandleSeries(source.Symbol, source.Interval);
            var merged = new CandleSeries(source.Symbol, source.Interval, existing.Count + rows.Length);
            long written = 0, replaced = 0, unchanged = 0;
            var idx = rows.Span;
            var newTimes = source.OpenTime;
            int a = 0, b = 0;
            while (a < existing.Count || b < idx.Length)
            {
                // Skip incoming duplicates of the same open time: the last one wins.
                if (b < idx.Length && b + 1 < idx.Length && newTimes[idx[b]] == newTimes[idx[b + 1]]) { b++; continue; }
                if (b >= idx.Length) { merged.Add(existing[a++]); continue; }
                var incoming = source[idx[b]];
                if (a >= existing.Count || incoming.OpenTime < existing.OpenTime[a])
                {
                    merged.Add(incoming);
                    written++;
                    b++;
                }
                else if (incoming.OpenTime == existing.OpenTime[a])
                {
                    var old = existing[a];
                    if (SameBits(old, incoming)) unchanged++; else replaced++;
                    merged.Add(incoming);
                    a++;
                    b++;
                }
                else
                {
                    merged.Add(existing[a++]);
                }
            }
            if (written > 0 || replaced > 0) await WriteFileAtomicAsync(path, merged, ct).ConfigureAwait(false);
            return new CandleWriteResult(written, replaced, unchanged);
        }
        finally
        {
            gate.Release();
        }
    }

    private static bool SameBits(in Candle x, in Candle y) =>
        x.OpenTime == y.OpenTime && x.CloseTime == y.CloseTime && x.TradeCount == y.TradeCount
        && Bits(x.Open) == Bits(y.Open) && Bits(x.High) == Bits(y.High) && Bits(x.Low) == Bits(y.Low)
        && Bits(x.Close) == Bits(y.Close) && Bits(x.Volume) == Bits(y.Volume) && Bits(x.QuoteVolume) == Bits(y.QuoteVolume)
        && Bits(x.TakerBuyBaseVolume) == Bits(y.TakerBuyBaseVolume) && Bits(x.TakerBuyQuoteVolume) == Bits(y.TakerBuyQuoteVolume);

    private static long Bits(double d) => BitConverter.DoubleToInt64Bits(d);

    internal static async Task WriteFileAtomicAsync(string path, CandleSeries series, CancellationToken ct)
    {
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var name = Path.GetFileName(path);
        // Leftovers of a killed writer never match *.parquet, so engines ignore them; clean them up here.
        foreach (var stale in Directory.EnumerateFiles(dir, name + ".tmp-*")) TryDelete(stale);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await using (var writer = await ParquetWriter.CreateAsync(Schema, stream, cancellationToken: ct).ConfigureAwait(false))
                {
                    using var group = writer.CreateRowGroup();
                    await group.WriteAsync(OpenTimeField, series.OpenTimeMemory, cancellationToken: ct).ConfigureAwait(false);
                    await group.WriteAsync(OpenField, series.ColumnMemory(CandleColumn.Open), cancellationToken: ct).ConfigureAwait(false);
                    await group.WriteAsync(HighField, series.ColumnMemory(CandleColumn.High), cancellationToken: ct).ConfigureAwait(false);
                    await group.WriteAsync(LowField, series.ColumnMemory(CandleColumn.Low), cancellationToken: ct).ConfigureAwait(false);
                    await group.WriteAsync(CloseField, series.ColumnMemory(CandleColumn.Close), cancellationToken: ct).ConfigureAwait(false);
                    await group.WriteAsync(VolumeField, series.ColumnMemory(CandleColumn.Volume), cancellationToken: ct).ConfigureAwait(false);
                    await group.WriteAsync(CloseTimeField, series.CloseTimeMemory, cancellationToken: ct).ConfigureAwait(false);
                    await group.WriteAsync(QuoteVolumeField, series.ColumnMemory(CandleColumn.QuoteVolume), cancellationToken: ct).ConfigureAwait(false);
                    await group.WriteAsync(TradesField, series.TradeCountMemory, cancellationToken: ct).ConfigureAwait(false);
                    await group.WriteAsync(TakerBaseField, series.ColumnMemory(CandleColumn.TakerBuyBaseVolume), cancellationToken: ct).ConfigureAwait(false);
                    await group.WriteAsync(TakerQuoteField, series.ColumnMemory(CandleColumn.TakerBuyQuoteVolume), cancellationToken: ct).ConfigureAwait(false);
                }
                await stream.FlushAsync(ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    internal static async Task<CandleSeries> ReadFileAsync(string path, SymbolId symbol, Interval interval, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct).ConfigureAwait(false);
        var series = new CandleSeries(symbol, interval);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            var openTime = new long[n];
            var closeTime = new long[n];
            var trades = new long[n];
            var cols = new double[8][];
            for (var k = 0; k < cols.Length; k++) cols[k] = new double[n];
            await group.ReadAsync(OpenTimeField, openTime.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            await group.ReadAsync(OpenField, cols[0].AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            await group.ReadAsync(HighField, cols[1].AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            await group.ReadAsync(LowField, cols[2].AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            await group.ReadAsync(CloseField, cols[3].AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            await group.ReadAsync(VolumeField, cols[4].AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            await group.ReadAsync(CloseTimeField, closeTime.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            await group.ReadAsync(QuoteVolumeField, cols[5].AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            await group.ReadAsync(TradesField, trades.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            await group.ReadAsync(TakerBaseField, cols[6].AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            await group.ReadAsync(TakerQuoteField, cols[7].AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            series.EnsureCapacity(series.Count + n);
            for (var i = 0; i < n; i++)
            {
                series.Add(new Candle(openTime[i], cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i], closeTime[i],
                    cols[5][i], trades[i], cols[6][i], cols[7][i]));
            }
        }
        return series;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
