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
    lag("close", 484) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c1",
    sum(CASE WHEN ((("_rn" // 484) % 2) = 0) THEN (coalesce("close", 0E0) * power(0.935483870967742E0, CAST((0 - ("_rn" % 484)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 483 PRECEDING AND CURRENT ROW) AS "_c2",
    sum(CASE WHEN ((("_rn" // 484) % 2) = 1) THEN (coalesce("close", 0E0) * power(0.935483870967742E0, CAST((0 - ("_rn" % 484)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 483 PRECEDING AND CURRENT ROW) AS "_c3"
  FROM _s0
),
_s2 AS (
  SELECT *,
    ((0.06451612903225806E0 * ((power(0.935483870967742E0, CAST(("_rn" % 484) AS DOUBLE)) * CASE WHEN ((("_rn" // 484) % 2) = 0) THEN "_c2" ELSE "_c3" END) + (power(0.935483870967742E0, CAST((("_rn" % 484) + 484) AS DOUBLE)) * CASE WHEN ((("_rn" // 484) % 2) = 0) THEN "_c3" ELSE "_c2" END))) + (9.584537640871342E-15 * "_c1")) AS "_c4"
  FROM _s1
),
_s3 AS (
  SELECT *,
    lag("_c4", 484) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c5",
    sum(CASE WHEN ((("_rn" // 484) % 2) = 0) THEN (coalesce("_c4", 0E0) * power(0.935483870967742E0, CAST((0 - ("_rn" % 484)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 483 PRECEDING AND CURRENT ROW) AS "_c6",
    sum(CASE WHEN ((("_rn" // 484) % 2) = 1) THEN (coalesce("_c4", 0E0) * power(0.935483870967742E0, CAST((0 - ("_rn" % 484)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 483 PRECEDING AND CURRENT ROW) AS "_c7"
  FROM _s2
),
_s4 AS (
  SELECT *,
    ((0.06451612903225806E0 * ((power(0.935483870967742E0, CAST(("_rn" % 484) AS DOUBLE)) * CASE WHEN ((("_rn" // 484) % 2) = 0) THEN "_c6" ELSE "_c7" END) + (power(0.935483870967742E0, CAST((("_rn" % 484) + 484) AS DOUBLE)) * CASE WHEN ((("_rn" // 484) % 2) = 0) THEN "_c7" ELSE "_c6" END))) + (9.584537640871342E-15 * "_c5")) AS "_c8"
  FROM _s3
),
_s5 AS (
  SELECT *,
    lag("_c8", 484) OVER (PARTITION BY "symbol" ORDER BY "_rn") AS "_c9",
    sum(CASE WHEN ((("_rn" // 484) % 2) = 0) THEN (coalesce("_c8", 0E0) * power(0.935483870967742E0, CAST((0 - ("_rn" % 484)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 483 PRECEDING AND CURRENT ROW) AS "_c10",
    sum(CASE WHEN ((("_rn" // 484) % 2) = 1) THEN (coalesce("_c8", 0E0) * power(0.935483870967742E0, CAST((0 - ("_rn" % 484)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY "symbol" ORDER BY "_rn" ROWS BETWEEN 483 PRECEDING AND CURRENT ROW) AS "_c11"
  FROM _s4
),
_s6 AS (
  SELECT *,
    ((0.06451612903225806E0 * ((power(0.935483870967742E0, CAST(("_rn" % 484) AS DOUBLE)) * CASE WHEN ((("_rn" // 484) % 2) = 0) THEN "_c10" ELSE "_c11" END) + (power(0.935483870967742E0, CAST((("_rn" % 484) + 484) AS DOUBLE)) * CASE WHEN ((("_rn" // 484) % 2) = 0) THEN "_c11" ELSE "_c10" END))) + (9.584537640871342E-15 * "_c9")) AS "_c12"
  FROM _s5
),
_s7 AS (
  SELECT *,
    (((3E0 * "_c4") - (3E0 * "_c8")) + "_c12") AS "_c13"
  FROM _s6
)
SELECT "symbol", "open_time",
  CASE WHEN ("_rn" >= 1481) THEN "_c13" END AS "tema_30"
FROM _s7
ORDER BY "symbol", "open_time"
