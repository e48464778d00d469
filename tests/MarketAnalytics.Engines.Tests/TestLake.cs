using DuckDB.NET.Data;

namespace MarketAnalytics.Engines.Tests;

/// <summary>Writes test lakes in the ingest layout with DuckDB's partitioned COPY.</summary>
internal static class TestLake
{
    public static void CreateCandleTable(DuckDBConnection connection, string table, params CandleSeries[] series)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE \"{table}\" (symbol VARCHAR, open_time BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, close_time BIGINT, quote_volume DOUBLE, trades BIGINT, taker_buy_base DOUBLE, taker_buy_quote DOUBLE)";
            create.ExecuteNonQuery();
        }
        using var appender = connection.CreateAppender(table);
        foreach (var s in series)
        {
            for (var i = 0; i < s.Count; i++)
            {
                var c = s[i];
                appender.CreateRow().AppendValue(s.Symbol.Value).AppendValue(c.OpenTime).AppendValue(c.Open).AppendValue(c.High).AppendValue(c.Low).AppendValue(c.Close)
                    .AppendValue(c.Volume).AppendValue(c.CloseTime).AppendValue(c.QuoteVolume).AppendValue(c.TradeCount).AppendValue(c.TakerBuyBaseVolume).AppendValue(c.TakerBuyQuoteVolume).EndRow();
            }
        }
    }

    /// <summary>Writes <c>&lt;root&gt;/klines/exchange=binance/symbol=S/interval=iv/year=YYYY/month=MM/*.parquet</c>.</summary>
    public static void Write(string root, Interval interval, params CandleSeries[] series)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        CreateCandleTable(connection, "c", series);
        using var copy = connection.CreateCommand();
        Directory.CreateDirectory(Path.Combine(root, "klines", "exchange=binance"));
        var target = Path.Combine(root, "klines", "exchange=binance").Replace("'", "''", StringComparison.Ordinal);
        copy.CommandText = $"COPY (SELECT *, '{interval.Name}' AS interval, strftime(make_timestamp(open_time * 1000), '%Y') AS year, strftime(make_timestamp(open_time * 1000), '%m') AS month FROM c) " +
                           $"TO '{target}' (FORMAT parquet, PARTITION_BY (symbol, interval, year, month), OVERWRITE_OR_IGNORE)";
        copy.ExecuteNonQuery();
    }

    public static CandleSeries RandomWalk(string symbol, int n, int seed, long start = 1_690_848_000_000, double price = 100)
    {
        var rng = new Random(seed);
        var s = new CandleSeries(SymbolId.Parse(symbol), Interval.OneMinute, n);
        for (var i = 0; i < n; i++)
        {
            var next = Math.Max(0.01, price * (1 + (rng.NextDouble() - 0.5) * 0.004));
            var high = Math.Max(price, next) * (1 + rng.NextDouble() * 0.001);
            var low = Math.Min(price, next) * (1 - rng.NextDouble() * 0.001);
            var volume = Math.Round(rng.NextDouble() * 100, 4);
            s.Add(new Candle(start + i * 60_000L, price, high, low, next, volume, start + i * 60_000L + 59_999, volume * next, 1 + rng.Next(50), volume / 2, volume * next / 2));
            price = next;
        }
        return s;
    }
}
