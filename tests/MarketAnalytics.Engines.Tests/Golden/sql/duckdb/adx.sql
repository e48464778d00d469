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
    ("high" - lag("high", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn")) AS "_c1",
    (lag("low", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn") - "low") AS "_c2",
    CASE WHEN (lag("close", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn") IS NULL) THEN CAST(NULL AS DOUBLE) ELSE greatest(("high" - "low"), abs((lag("close", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn") - "high")), abs(("low" - lag("close", 1) OVER (PARTITION BY "symbol" ORDER BY "_rn")))) END AS "_c5"
  FROM _s0
),
_s2 AS (
  SELECT *,
    CASE WHEN ("_c2" IS NULL) THEN CAST(NULL AS DOUBLE) ELSE CASE WHEN (("_c2" > 0E0) AND ("_c1" < "_c2")) THEN "_c2" ELSE 0E0 END END AS "_c3",
    CASE WHEN ("_c1" IS NULL) THEN CAST(NULL AS DOUBLE) ELSE CASE WHEN (("_c2" > 0E0) AND ("_c1" < "_c2")) THEN 0E0 WHEN (("_c1" > 0E0) AND ("_c1" > "_c2")) THEN "_c1" ELSE 0E0 END END AS "_c4",
    lag("_c5", 435) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c14",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 0) THEN (coalesce("_c5", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c15",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 1) THEN (coalesce("_c5", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c16"
  FROM _s1
),
_s3 AS (
  SELECT *,
    lag("_c3", 435) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c6",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 0) THEN (coalesce("_c3", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c7",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 1) THEN (coalesce("_c3", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c8",
    lag("_c4", 435) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c10",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 0) THEN (coalesce("_c4", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c11",
    sum(CASE WHEN ((("_rn" // 435) % 2) = 1) THEN (coalesce("_c4", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_rn" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c12",
    (((power(0.9285714285714286E0, CAST(("_rn" % 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c15" ELSE "_c16" END) + (power(0.9285714285714286E0, CAST((("_rn" % 435) + 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c16" ELSE "_c15" END)) + (1.3989132031163645E-13 * "_c14")) AS "_c17"
  FROM _s2
),
_s4 AS (
  SELECT *,
    (((power(0.9285714285714286E0, CAST(("_rn" % 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c7" ELSE "_c8" END) + (power(0.9285714285714286E0, CAST((("_rn" % 435) + 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c8" ELSE "_c7" END)) + (1.3989132031163645E-13 * "_c6")) AS "_c9",
    (((power(0.9285714285714286E0, CAST(("_rn" % 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c11" ELSE "_c12" END) + (power(0.9285714285714286E0, CAST((("_rn" % 435) + 435) AS DOUBLE)) * CASE WHEN ((("_rn" // 435) % 2) = 0) THEN "_c12" ELSE "_c11" END)) + (1.3989132031163645E-13 * "_c10")) AS "_c13"
  FROM _s3
),
_s5 AS (
  SELECT *,
    CASE WHEN (("_rn" >= 448) AND (NOT (("_c17" > (-1E-14)) AND ("_c17" < 1E-14)))) THEN (100E0 * ("_c9" / "_c17")) END AS "_c18",
    CASE WHEN (("_rn" >= 448) AND (NOT (("_c17" > (-1E-14)) AND ("_c17" < 1E-14)))) THEN (100E0 * ("_c13" / "_c17")) END AS "_c19"
  FROM _s4
),
_s6 AS (
  SELECT *,
    CASE WHEN (("_c18" IS NOT NULL) AND (NOT ((("_c18" + "_c19") > (-1E-14)) AND (("_c18" + "_c19") < 1E-14)))) THEN (100E0 * (abs(("_c18" - "_c19")) / ("_c18" + "_c19"))) END AS "_c20"
  FROM _s5
),
_s7 AS (
  SELECT *,
    count("_c20") OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "_c21"
  FROM _s6
),
_s8 AS (
  SELECT *,
    sum(coalesce("_c20", 0E0)) OVER (PARTITION BY "symbol" ORDER BY "_c21" RANGE BETWEEN 435 PRECEDING AND 435 PRECEDING) AS "_c22",
    sum(CASE WHEN ((("_c21" // 435) % 2) = 0) THEN (coalesce("_c20", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_c21" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_c21" RANGE BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c23",
    sum(CASE WHEN ((("_c21" // 435) % 2) = 1) THEN (coalesce("_c20", 0E0) * power(0.9285714285714286E0, CAST((0 - ("_c21" % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_c21" RANGE BETWEEN 434 PRECEDING AND CURRENT ROW) AS "_c24"
  FROM _s7
),
_s9 AS (
  SELECT *,
    CASE WHEN ("_c21" > 435) THEN ((0.07142857142857142E0 * ((power(0.9285714285714286E0, CAST(("_c21" % 435) AS DOUBLE)) * CASE WHEN ((("_c21" // 435) % 2) = 0) THEN "_c23" ELSE "_c24" END) + (power(0.9285714285714286E0, CAST((("_c21" % 435) + 435) AS DOUBLE)) * CASE WHEN ((("_c21" // 435) % 2) = 0) THEN "_c24" ELSE "_c23" END))) + (9.99223716511689E-15 * "_c22")) END AS "_c25"
  FROM _s8
)
SELECT "symbol", "open_time",
  CASE WHEN ("_rn" >= 883) THEN "_c25" END AS "adx_14"
FROM _s9
ORDER BY "symbol", "open_time"
