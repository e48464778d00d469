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
    max("high") OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 14 PRECEDING AND CURRENT ROW) AS "_c1",
    min("low") OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 14 PRECEDING AND CURRENT ROW) AS "_c2"
  FROM _s0
),
_s2 AS (
  SELECT *,
    (7.142857142857143E0 * (14E0 - CASE WHEN ("high" = "_c1") THEN 0E0 WHEN (lag("high", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 1E0 WHEN (lag("high", 2) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 2E0 WHEN (lag("high", 3) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 3E0 WHEN (lag("high", 4) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 4E0 WHEN (lag("high", 5) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 5E0 WHEN (lag("high", 6) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 6E0 WHEN (lag("high", 7) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 7E0 WHEN (lag("high", 8) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 8E0 WHEN (lag("high", 9) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 9E0 WHEN (lag("high", 10) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 10E0 WHEN (lag("high", 11) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 11E0 WHEN (lag("high", 12) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 12E0 WHEN (lag("high", 13) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 13E0 WHEN (lag("high", 14) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c1") THEN 14E0 END)) AS "_c3",
    (7.142857142857143E0 * (14E0 - CASE WHEN ("low" = "_c2") THEN 0E0 WHEN (lag("low", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 1E0 WHEN (lag("low", 2) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 2E0 WHEN (lag("low", 3) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 3E0 WHEN (lag("low", 4) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 4E0 WHEN (lag("low", 5) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 5E0 WHEN (lag("low", 6) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 6E0 WHEN (lag("low", 7) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 7E0 WHEN (lag("low", 8) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 8E0 WHEN (lag("low", 9) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 9E0 WHEN (lag("low", 10) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 10E0 WHEN (lag("low", 11) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 11E0 WHEN (lag("low", 12) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 12E0 WHEN (lag("low", 13) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 13E0 WHEN (lag("low", 14) OVER (PARTITION BY "symbol" ORDER BY "_rn") = "_c2") THEN 14E0 END)) AS "_c4"
  FROM _s1
)
SELECT "symbol", "open_time",
  CASE WHEN ("_rn" >= 14) THEN "_c3" END AS "aroon_14_up",
  CASE WHEN ("_rn" >= 14) THEN "_c4" END AS "aroon_14_down"
FROM _s2
ORDER BY "symbol", "open_time"
