using MarketAnalytics.Binance.Tests.Infra;
using MarketAnalytics.Lake;
using Xunit;

namespace MarketAnalytics.Binance.Tests;

public sealed class LakeTests
{
    private static readonly SymbolId Sym = SymbolId.Parse("TESTUSDT");

    private static Candle C(long t, double close, Interval? iv = null) =>
        new(t, close, close + 1, close - 1, close, 10, (iv ?? Interval.OneHour).CloseTime(t), 100, 5, 4, 40);

    private static CandleSeries Series(params Candle[] candles) => CandleSeries.From(Sym, Interval.OneHour, candles);

    private static async Task<List<Candle>> ReadAll(ICandleStore store, Interval iv, long from, long to)
    {
        var list = new List<Candle>();
        await foreach (var c in store.ReadAsync(new CandleRange(Sym, iv, from, to))) list.Add(c);
        return list;
    }

    [Fact]
    public async Task Merge_by_open_time_is_idempotent_counts_changes_and_spans_month_partitions()
    {
        using var dir = new TempDir();
        var lake = ParquetLake.Open(dir.Path);
        var t0 = RealData.Ms(2024, 1, 31) + 22 * 3_600_000L; // 22:00 on 31 Jan: the batch crosses into February
        var batch = Series(C(t0, 1), C(t0 + 3_600_000, 2), C(t0 + 2 * 3_600_000, 3), C(t0 + 3 * 3_600_000, 4));
        Assert.Equal(new CandleWriteResult(4, 0, 0), await lake.Candles.WriteAsync(batch));
        var jan = LakeLayout.PartitionFile(lake.Root, "binance", Sym, Interval.OneHour, 2024, 1);
        var feb = LakeLayout.PartitionFile(lake.Root, "binance", Sym, Interval.OneHour, 2024, 2);
        Assert.True(File.Exists(jan) && File.Exists(feb));
        var hashes = TempDir.Hashes(lake.Root);

        Assert.Equal(new CandleWriteResult(0, 0, 4), await lake.Candles.WriteAsync(batch));
        Assert.Equal(hashes, TempDir.Hashes(lake.Root));

        // Unsorted input with a duplicate (last wins), one revision and one new candle.
        var revision = Series(C(t0 + 4 * 3_600_000, 5), C(t0 + 3_600_000, 99), C(t0, 1), C(t0 + 3_600_000, 2.5));
        Assert.Equal(new CandleWriteResult(1, 1, 1), await lake.Candles.WriteAsync(revision));
        var all = await ReadAll(lake.Candles, Interval.OneHour, t0, t0 + 10 * 3_600_000);
        Assert.Equal([1, 2.5, 3, 4, 5], all.Select(c => c.Close));
        Assert.Equal(3, (await ReadAll(lake.Candles, Interval.OneHour, t0 + 3_600_000, t0 + 4 * 3_600_000)).Count);

        // The same candles written in another order and split produce the same bytes.
        using var other = new TempDir();
        var lake2 = ParquetLake.Open(other.Path);
        await lake2.Candles.WriteAsync(Series(C(t0 + 4 * 3_600_000, 5), C(t0 + 2 * 3_600_000, 3)));
        await lake2.Candles.WriteAsync(Series(C(t0 + 3 * 3_600_000, 4), C(t0, 1), C(t0 + 3_600_000, 2.5)));
        Assert.Equal(TempDir.Hashes(lake.Root), TempDir.Hashes(lake2.Root));
    }

    [Fact]
    public async Task Misaligned_open_times_are_rejected_and_monthly_candles_use_the_1mo_path_segment()
    {
        using var dir = new TempDir();
        var lake = ParquetLake.Open(dir.Path);
        var bad = Series(C(RealData.Ms(2024, 1) + 1, 1));
        var e = await Assert.ThrowsAsync<MalformedDataException>(() => lake.Candles.WriteAsync(bad));
        Assert.Contains("not aligned", e.Message);

        var monthly = CandleSeries.From(Sym, Interval.OneMonth, [C(RealData.Ms(2024, 1), 1, Interval.OneMonth), C(RealData.Ms(2024, 2), 2, Interval.OneMonth)]);
        await lake.Candles.WriteAsync(monthly);
        Assert.True(File.Exists(Path.Combine(lake.Root, "klines", "exchange=binance", "symbol=TESTUSDT", "interval=1mo", "year=2024", "month=02", "TESTUSDT-1mo-2024-02.parquet")));
        var rows = DuckLakeReader.ReadAll(lake.Root);
        Assert.Equal(["1mo", "1mo"], rows.Select(r => r.Interval));
    }

    [Fact]
    public async Task Stale_temp_files_of_a_killed_writer_are_ignored_by_readers_and_cleaned_on_the_next_write()
    {
        using var dir = new TempDir();
        var lake = ParquetLake.Open(dir.Path);
        var t = RealData.Ms(2024, 3);
        await lake.Candles.WriteAsync(Series(C(t, 1)));
        var file = LakeLayout.PartitionFile(lake.Root, "binance", Sym, Interval.OneHour, 2024, 3);
        var stale = file + ".tmp-deadbeef";
        await File.WriteAllBytesAsync(stale, [1, 2, 3]); // half-written by a process that was killed
        Assert.Single(DuckLakeReader.ReadAll(lake.Root));
        await lake.Candles.WriteAsync(Series(C(t + 3_600_000, 2)));
        Assert.False(File.Exists(stale));
        Assert.Equal(2, DuckLakeReader.ReadAll(lake.Root).Count);
    }

    [Fact]
    public void Options_are_validated_and_partition_values_cannot_escape_the_layout()
    {
        Assert.Contains(new ParquetLakeOptions { Exchange = "../x" }.Validate(), p => p.Contains("Exchange", StringComparison.Ordinal));
        Assert.Contains(new ParquetLakeOptions { Root = " " }.Validate(), p => p.Contains("Root", StringComparison.Ordinal));
        Assert.Throws<InvalidOptionsException>(() => ParquetLake.Open("x", o => o.Exchange = "Binance"));
        Assert.Throws<InvalidSymbolException>(() => SymbolId.Parse("../../etc"));
        Assert.Throws<InvalidIntervalException>(() => LakeLayout.IntervalSegment(default));
    }
}
