WITH _src AS (
  SELECT "symbol", "open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "trades", "taker_buy_base", "taker_buy_quote"
  FROM read_parquet('/data/lake/klines/exchange=binance/symbol=*/interval=*/year=*/month=*/*.parquet', hive_partitioning = true, hive_types = {'exchange': VARCHAR, 'symbol': VARCHAR, 'interval': VARCHAR, 'year': INTEGER, 'month': INTEGER})
  WHERE "symbol" IN ('BTCUSDT', 'ETHUSDT') AND "interval" = '1m' AND "open_time" >= 1690848000000 AND "open_time" < 1698796800000
),
_s0 AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY "symbol" ORDER BY "open_time") - 1 AS "_rn"
  FROM _src
),
_s1 AS (
  SELECT *,
    greatest(var_pop("close") OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 4 PRECEDING AND CURRENT ROW), 0E0) AS "_c1"
  FROM _s0
)
SELECT "symbol", "open_time",
  CASE WHEN ("_rn" >= 4) THEN "_c1" END AS "var_5"
FROM _s1
ORDER BY "symbol", "open_time"
