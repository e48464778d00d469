using DuckDB.NET.Data;

namespace MarketAnalytics.Binance.Tests.Infra;

/// <summary>Reads the lake with DuckDB's own Parquet reader (an implementation independent of ours).</summary>
internal static class DuckLakeReader
{
    public sealed record Row(string Symbol, string Interval, long Year, long Month, Candle Candle);

    public static List<Row> ReadAll(string lakeRoot)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var cmd = connection.CreateCommand();
        var glob = Path.Combine(lakeRoot, "klines", "**", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
        cmd.CommandText = $"""
            SELECT symbol, "interval", CAST(year AS BIGINT), CAST(month AS BIGINT), open_time, open, high, low, close, volume, close_time,
                   quote_volume, trades, taker_buy_base, taker_buy_quote
            FROM read_parquet('{glob}', hive_partitioning = true)
            ORDER BY symbol, "interval", open_time
            """;
        using var r = cmd.ExecuteReader();
        var rows = new List<Row>();
        while (r.Read())
        {
            rows.Add(new Row(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), new Candle(
                r.GetInt64(4), r.GetDouble(5), r.GetDouble(6), r.GetDouble(7), r.GetDouble(8), r.GetDouble(9), r.GetInt64(10),
                r.GetDouble(11), r.GetInt64(12), r.GetDouble(13), r.GetDouble(14))));
        }
        return rows;
    }

    /// <summary>Column name → DuckDB type of the lake's files (hive columns included).</summary>
    public static Dictionary<string, string> Schema(string lakeRoot)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var cmd = connection.CreateCommand();
        var glob = Path.Combine(lakeRoot, "klines", "**", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
        cmd.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{glob}', hive_partitioning = true)";
        using var r = cmd.ExecuteReader();
        var schema = new Dictionary<string, string>();
        while (r.Read()) schema[r.GetString(0)] = r.GetString(1);
        return schema;
    }
}
