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
    CASE WHEN (lag("close", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn") IS NULL) THEN CAST(NULL AS DOUBLE) ELSE greatest(("high" - "low"), abs((lag("close", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn") - "high")), abs(("low" - lag("close", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn")))) END AS "_c1"
  FROM _s0
),
_s2 AS (
  SELECT *,
    lag("_c1", 435) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c2",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 0) THEN (coalesce("_c1", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c3",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 1) THEN (coalesce("_c1", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c4"
  FROM _s1
),
_s3 AS (
  SELECT *,
    ((0.07142857142857142E0 * ((power(0.9285714285714286E0, CAST(("_rn" % 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c3" ELSE "_c4" END) + (power(0.9285714285714286E0, CAST((("_rn" % 435) + 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c4" ELSE "_c3" END))) + (9.99223716511689E-15 * "_c2")) AS "_c5"
  FROM _s2
)
SELECT "symbol", "open_time",
  CASE WHEN ("_rn" >= 449) THEN "_c5" END AS "atr_14"
FROM _s3
ORDER BY "symbol", "open_time"
