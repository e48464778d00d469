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
    lag("close", 193) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c1",
    sum(CASE WHEN ((("_rn" // 193) % 2) = 0) THEN (coalesce("close", 0E0) * power(0.8461538461538461E0, CAST((0 - ("_rn" % 193)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 192 PRECEDING AND CURRENT ROW) AS "_c2",
    sum(CASE WHEN ((("_rn" // 193) % 2) = 1) THEN (coalesce("close", 0E0) * power(0.8461538461538461E0, CAST((0 - ("_rn" % 193)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 192 PRECEDING AND CURRENT ROW) AS "_c3",
    lag("close", 419) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c5",
    sum(CASE WHEN ((("_rn" // 419) % 2) = 0) THEN (coalesce("close", 0E0) * power(0.9259259259259259E0, CAST((0 - ("_rn" % 419)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 418 PRECEDING AND CURRENT ROW) AS "_c6",
    sum(CASE WHEN ((("_rn" // 419) % 2) = 1) THEN (coalesce("close", 0E0) * power(0.9259259259259259E0, CAST((0 - ("_rn" % 419)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 418 PRECEDING AND CURRENT ROW) AS "_c7"
  FROM _s0
),
_s2 AS (
  SELECT *,
    ((0.15384615384615385E0 * ((power(0.8461538461538461E0, CAST(("_rn" % 193) AS DOUBLE)) * CASE WHEN ((("_rn" // 193) % 2) = 0) THEN "_c2" ELSE "_c3" END) + (power(0.8461538461538461E0, CAST((("_rn" % 193) + 193) AS DOUBLE)) * CASE WHEN ((("_rn" // 193) % 2) = 0) THEN "_c3" ELSE "_c2" END))) + (9.947667035849978E-15 * "_c1")) AS "_c4",
    ((0.07407407407407407E0 * ((power(0.9259259259259259E0, CAST(("_rn" % 419) AS DOUBLE)) * CASE WHEN ((("_rn" // 419) % 2) = 0) THEN "_c6" ELSE "_c7" END) + (power(0.9259259259259259E0, CAST((("_rn" % 419) + 419) AS DOUBLE)) * CASE WHEN ((("_rn" // 419) % 2) = 0) THEN "_c7" ELSE "_c6" END))) + (9.895698411949572E-15 * "_c5")) AS "_c8"
  FROM _s1
),
_s3 AS (
  SELECT *,
    ("_c4" - "_c8") AS "_c9"
  FROM _s2
),
_s4 AS (
  SELECT *,
    lag("_c9", 145) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c10",
    sum(CASE WHEN ((("_rn" // 145) % 2) = 0) THEN (coalesce("_c9", 0E0) * power(0.8E0, CAST((0 - ("_rn" % 145)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 144 PRECEDING AND CURRENT ROW) AS "_c11",
    sum(CASE WHEN ((("_rn" // 145) % 2) = 1) THEN (coalesce("_c9", 0E0) * power(0.8E0, CAST((0 - ("_rn" % 145)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 144 PRECEDING AND CURRENT ROW) AS "_c12"
  FROM _s3
),
_s5 AS (
  SELECT *,
    ((0.2E0 * ((power(0.8E0, CAST(("_rn" % 145) AS DOUBLE)) * CASE WHEN ((("_rn" // 145) % 2) = 0) THEN "_c11" ELSE "_c12" END) + (power(0.8E0, CAST((("_rn" % 145) + 145) AS DOUBLE)) * CASE WHEN ((("_rn" // 145) % 2) = 0) THEN "_c12" ELSE "_c11" END))) + (8.87254302118668E-15 * "_c10")) AS "_c13"
  FROM _s4
),
_s6 AS (
  SELECT *,
    ("_c9" - "_c13") AS "_c14"
  FROM _s5
)
SELECT "symbol", "open_time",
  CASE WHEN ("_rn" >= 589) THEN "_c9" END AS "macd_12_26_9_macd",
  CASE WHEN ("_rn" >= 589) THEN "_c13" END AS "macd_12_26_9_signal",
  CASE WHEN ("_rn" >= 589) THEN "_c14" END AS "macd_12_26_9_hist"
FROM _s6
ORDER BY "symbol", "open_time"
