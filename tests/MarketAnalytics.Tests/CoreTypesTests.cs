using Xunit;

namespace MarketAnalytics.Tests;

public sealed class SymbolIdTests
{
    [Theory]
    [InlineData("BTCUSDT")]
    [InlineData("1INCHUSDT")]
    [InlineData("A")]
    [InlineData("ABCDEFGHIJ0123456789")]
    public void Accepts_valid_symbols(string text) => Assert.Equal(text, SymbolId.Parse(text).Value);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("btcusdt", "lower-case")]
    [InlineData("BTC/USDT", "'/'")]
    [InlineData("../../etc", "'.'")]
    [InlineData("BTC USDT", "' '")]
    [InlineData("BTC';DROP--", "'''")]
    [InlineData("ABCDEFGHIJ0123456789X", "21 characters")]
    [InlineData("BTC\nUSDT", "U+000A")]
    public void Rejects_invalid_symbols_with_a_reason(string text, string reasonFragment)
    {
        var e = Assert.Throws<InvalidSymbolException>(() => SymbolId.Parse(text));
        Assert.Contains(reasonFragment, e.Message);
        Assert.Equal(text, e.Input);
        Assert.False(SymbolId.TryParse(text, out _));
    }

    [Fact]
    public void Default_symbol_has_no_value() => Assert.Throws<InvalidOperationException>(() => default(SymbolId).Value);
}

public sealed class IntervalTests
{
    private static long Ms(int y, int mo, int d, int h = 0, int mi = 0) =>
        new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Parses_every_binance_interval_case_sensitively()
    {
        var names = "1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M".Split(' ');
        Assert.Equal(names, Interval.All.Select(i => i.Name));
        foreach (var n in names) Assert.Equal(n, Interval.Parse(n).Name);
        Assert.Equal(IntervalUnit.Month, Interval.Parse("1M").Unit);
        Assert.Equal(IntervalUnit.Minute, Interval.Parse("1m").Unit);
        Assert.Equal(Interval.OneMonth, Interval.Parse("1mo"));
        Assert.Equal("1mo", Interval.OneMonth.ArchiveName);
    }

    [Theory]
    [InlineData("1H")]
    [InlineData("2m")]
    [InlineData("")]
    [InlineData("1m/../x")]
    public void Rejects_unknown_intervals_listing_the_valid_ones(string text)
    {
        var e = Assert.Throws<InvalidIntervalException>(() => Interval.Parse(text));
        Assert.Contains("1s 1m 3m", e.Message);
    }

    [Fact]
    public void Month_arithmetic_is_calendar_exact()
    {
        var jan = Ms(2024, 1, 1);
        Assert.Equal(Ms(2024, 2, 1), Interval.OneMonth.Next(jan));
        Assert.Equal(Ms(2024, 3, 1) - 1, Interval.OneMonth.CloseTime(Ms(2024, 2, 1))); // leap February
        Assert.Equal(Ms(2024, 2, 1), Interval.OneMonth.Floor(Ms(2024, 2, 29, 23, 59)));
        Assert.Equal(Ms(2023, 11, 1), Interval.OneMonth.Add(jan, -2));
        Assert.Equal(12, Interval.OneMonth.CountBetween(jan, Ms(2025, 1, 1)));
    }

    [Fact]
    public void Weeks_open_on_monday_and_fixed_intervals_align_to_the_epoch()
    {
        // 2024-01-03 is a Wednesday; its week opened on Monday 2024-01-01.
        Assert.Equal(Ms(2024, 1, 1), Interval.OneWeek.Floor(Ms(2024, 1, 3, 12)));
        Assert.Equal(DayOfWeek.Monday, DateTimeOffset.FromUnixTimeMilliseconds(Interval.OneWeek.Floor(0)).DayOfWeek);
        Assert.Equal(Ms(2023, 3, 24, 12), Interval.OneHour.Floor(Ms(2023, 3, 24, 12, 39)));
        Assert.Equal(Ms(2023, 3, 24, 12, 59) + 59_999, Interval.OneHour.CloseTime(Ms(2023, 3, 24, 12)));
        Assert.Equal(1440, Interval.OneMinute.CountBetween(Ms(2023, 1, 1), Ms(2023, 1, 2)));
        Assert.True(Interval.FifteenMinutes.IsAligned(Ms(2023, 1, 1, 0, 45)));
        Assert.False(Interval.FifteenMinutes.IsAligned(Ms(2023, 1, 1, 0, 46)));
        Assert.Equal(-60_000, Interval.OneMinute.Floor(-1));
    }
}

public sealed class CandleSeriesTests
{
    [Fact]
    public void Appends_columns_and_rebuilds_rows()
    {
        var s = new CandleSeries(SymbolId.Parse("BTCUSDT"), Interval.OneMinute);
        for (var i = 0; i < 100; i++)
            s.Add(new Candle(i * 60_000L, i, i + 2, i - 1, i + 1, 10 + i, i * 60_000L + 59_999, 5, 3, 1, 0.5));
        Assert.Equal(100, s.Count);
        Assert.Equal(42 + 1, s.Close[42]);
        Assert.Equal(s[42], new Candle(42 * 60_000L, 42, 44, 41, 43, 52, 42 * 60_000L + 59_999, 5, 3, 1, 0.5));
        s.ReplaceLast(s[99] with { Close = -1 });
        Assert.Equal(-1, s.Close[99]);
        Assert.Equal(100, s.Column(CandleColumn.Volume).Length);
    }
}

public sealed class IndicatorSpecTests
{
    [Fact]
    public void Parses_lists_with_nested_sources()
    {
        var specs = IndicatorSpec.ParseList("sma(20), macd(12,26,9),bbands(20,2.5,2), obv, sma(rsi(14),5), ema(macd(12,26,9).signal, 3)");
        Assert.Equal(["sma", "macd", "bbands", "obv", "sma", "ema"], specs.Select(s => s.Name));
        Assert.Equal([20.0, 2.5, 2.0], specs[2].Parameters);
        Assert.Equal("rsi", specs[4].Source!.Name);
        Assert.Equal("signal", specs[5].SourceOutput);
        Assert.Equal("ema(macd(12,26,9).signal,3)", specs[5].ToString());
        Assert.Equal("bbands_20_2.5_2", IndicatorSpec.ColumnStem("bbands", specs[2].Parameters));
    }

    [Theory]
    [InlineData("sma(20")]
    [InlineData("sma(20x)")]
    [InlineData("sma(20,,3)")]
    [InlineData("sma(20) ema(3)")]
    [InlineData(",sma(20)")]
    public void Rejects_malformed_specs(string text) => Assert.Throws<InvalidSpecException>(() => IndicatorSpec.ParseList(text));
}
