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
    ("close" - lag("close", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn")) AS "_c1"
  FROM _s0
),
_s2 AS (
  SELECT *,
    CASE WHEN ("_c1" > 0E0) THEN "_c1" ELSE 0E0 END AS "_c2",
    CASE WHEN ("_c1" < 0E0) THEN (0E0 - "_c1") ELSE 0E0 END AS "_c3"
  FROM _s1
),
_s3 AS (
  SELECT *,
    lag("_c2", 435) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c4",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 0) THEN (coalesce("_c2", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c5",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 1) THEN (coalesce("_c2", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c6",
    lag("_c3", 435) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c8",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 0) THEN (coalesce("_c3", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c9",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 1) THEN (coalesce("_c3", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c10"
  FROM _s2
),
_s4 AS (
  SELECT *,
    ((0.07142857142857142E0 * ((power(0.9285714285714286E0, CAST(("_rn" % 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c5" ELSE "_c6" END) + (power(0.9285714285714286E0, CAST((("_rn" % 435) + 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c6" ELSE "_c5" END))) + (9.99223716511689E-15 * "_c4")) AS "_c7",
    ((0.07142857142857142E0 * ((power(0.9285714285714286E0, CAST(("_rn" % 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c9" ELSE "_c10" END) + (power(0.9285714285714286E0, CAST((("_rn" % 435) + 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c10" ELSE "_c9" END))) + (9.99223716511689E-15 * "_c8")) AS "_c11"
  FROM _s3
),
_s5 AS (
  SELECT *,
    CASE WHEN ((("_c7" + "_c11") > (-1E-14)) AND (("_c7" + "_c11") < 1E-14)) THEN 0E0 ELSE (100E0 * ("_c7" / ("_c7" + "_c11"))) END AS "_c12"
  FROM _s4
)
SELECT "symbol", "open_time",
  CASE WHEN ("_rn" >= 449) THEN "_c12" END AS "rsi_14"
FROM _s5
ORDER BY "symbol", "open_time"
