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
    ((("high" + "low") + "close") / 3E0) AS "_c1"
  FROM _s0
),
_s2 AS (
  SELECT *,
    CASE WHEN ("_c1" > lag("_c1", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn")) THEN ("_c1" * "volume") ELSE 0E0 END AS "_c2",
    CASE WHEN ("_c1" < lag("_c1", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn")) THEN ("_c1" * "volume") ELSE 0E0 END AS "_c3"
  FROM _s1
),
_s3 AS (
  SELECT *,
    sum("_c2") OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 13 PRECEDING AND CURRENT ROW) AS "_c4"
  FROM _s2
),
_s4 AS (
  SELECT *,
    ("_c4" + sum("_c3") OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 13 PRECEDING AND CURRENT ROW)) AS "_c5"
  FROM _s3
),
_s5 AS (
  SELECT *,
    CASE WHEN ("_c5" < 1E0) THEN 0E0 ELSE (100E0 * ("_c4" / "_c5")) END AS "_c6"
  FROM _s4
)
SELECT "symbol", "open_time",
  CASE WHEN ("_rn" >= 14) THEN "_c6" END AS "mfi_14"
FROM _s5
ORDER BY "symbol", "open_time"
