using MongoDB.Bson;
using Xunit;
using static MarketAnalytics.Mongo.Tests.TestData;

namespace MarketAnalytics.Mongo.Tests;

public sealed class MergeAndBulkTests
{
    [Fact]
    public void SortedLastWins_orders_by_time_and_keeps_the_last_duplicate()
    {
        long[] times = [300, 100, 200, 100, 300, 50, 100];
        var order = CandleMerge.SortedLastWins(times);
        Assert.Equal([5, 6, 2, 4], order); // 50 (idx5), 100 (last idx6), 200 (idx2), 300 (last idx4)
        Assert.Empty(CandleMerge.SortedLastWins([]));
    }

    [Fact]
    public void Plan_inserts_missing_keeps_identical_and_reinserts_changed_or_duplicated_candles()
    {
        var series = Series(5);
        var existing = new Dictionary<long, (Candle, int)>
        {
            [series[0].OpenTime] = (series[0], 1),                        // identical
            [series[1].OpenTime] = (series[1] with { Close = 1 }, 1),     // changed
            [series[2].OpenTime] = (series[2], 2),                        // two copies: collapse
            [series[3].OpenTime] = (series[3] with { Volume = -0.0 }, 1), // bit-different value
        };
        var plan = CandleMerge.Plan(series, [0, 1, 2, 3, 4], existing);
        Assert.Equal(1, plan.Written);
        Assert.Equal(1, plan.Unchanged);
        Assert.Equal([series[1].OpenTime, series[2].OpenTime, series[3].OpenTime], plan.ReplacedTimes);
        Assert.Equal([1, 2, 3, 4], plan.Inserts.Select(i => i.Index));
        Assert.Equal(plan.ReplacedIds, plan.Inserts.Where(i => i.Index != 4).Select(i => i.Id));
        Assert.Equal(4, plan.Inserts.Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public void SameBits_treats_NaN_as_equal_and_signed_zero_as_different()
    {
        var a = MarketAnalytics.Candle.FromOhlcv(T0, 1, 2, 0.5, 1.5, 0.0, T0 + 59_999);
        Assert.True(CandleMerge.SameBits(a, a with { }));
        Assert.False(CandleMerge.SameBits(a, a with { Volume = -0.0 }));
        Assert.False(CandleMerge.SameBits(a, a with { QuoteVolume = 0 }));
        Assert.False(CandleMerge.SameBits(a, a with { TradeCount = 0 }));
    }

    [Fact]
    public void Duplicate_keys_are_not_failures_other_errors_are_with_document_keys()
    {
        var errors = new[]
        {
            new WriteFailure(0, 11000, "E11000 duplicate key"),
            new WriteFailure(2, 121, "Document failed validation"),
            new WriteFailure(3, 11000, "E11000 duplicate key"),
            new WriteFailure(4, 10334, "BSONObj size too large"),
        };
        var (dups, failures) = BulkWrites.Classify(errors);
        Assert.Equal([0, 3], dups);
        Assert.Equal([2, 4], failures.Select(f => f.Index));

        var meta = new CandleMeta("BTCUSDT", "1m", "binance");
        var e = BulkWrites.Fail("candles_1m", failures, i => meta.KeyOf(T0 + i * 60_000), null, null);
        Assert.Equal("candles_1m", e.Collection);
        Assert.Equal(
            [new FailedWrite("binance BTCUSDT 1m 2024-01-01T00:02:00.000Z", 121, "Document failed validation"), new FailedWrite("binance BTCUSDT 1m 2024-01-01T00:04:00.000Z", 10334, "BSONObj size too large")],
            e.Failures);
        Assert.Contains("binance BTCUSDT 1m 2024-01-01T00:02:00.000Z: code 121", e.Message);
        Assert.IsAssignableFrom<MarketAnalyticsException>(e);
        Assert.Empty(BulkWrites.Classify([]).Failures);
    }

    [Fact]
    public void Scrub_removes_the_connection_string_and_password_from_driver_messages()
    {
        const string cs = "mongodb://alice:pa%24%24word@host:1/";
        var scrubbed = MongoConnectionStrings.Scrub($"The connection string '{cs}' is not valid; password pa$$word rejected", cs);
        Assert.DoesNotContain("pa%24%24word", scrubbed);
        Assert.DoesNotContain("pa$$word", scrubbed);
        Assert.Contains("mongodb://alice:***@host:1/", scrubbed);
    }

    [Fact]
    public void Keys_name_exchange_symbol_interval_and_time()
    {
        Assert.Equal("binance BTCUSDT 1h 2024-01-01T00:00:00.000Z", new CandleMeta("BTCUSDT", "1h", "binance").KeyOf(T0));
        Assert.Equal("-9223372036854775808ms", CandleMeta.FormatTime(long.MinValue));
    }
}
