WITH _src AS (
  SELECT "symbol", "open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "trades", "taker_buy_base", "taker_buy_quote"
  FROM read_parquet('/data/lake/klines/exchange=binance/symbol=*/interval=*/year=*/month=*/*.parquet', hive_partitioning = true, hive_types = {'exchange': VARCHAR, 'symbol': VARCHAR, 'interval': VARCHAR, 'year': INTEGER, 'month': INTEGER})
  WHERE "symbol" IN ('BTCUSDT', 'ETHUSDT') AND "interval" = '1m' AND "open_time" >= 1690848000000 AND "open_time" < 1698796800000
),
_t AS (
  SELECT "symbol", "open_time", q, ln(q) AS "x"
  FROM (SELECT "symbol", "open_time", CASE WHEN "quote_volume" IS NULL OR isnan("quote_volume") THEN "volume" * ("open" + "high" + "low" + "close") * 0.25E0 ELSE "quote_volume" END AS q FROM _src) AS _q
  WHERE q > 0E0
),
_b AS (
  SELECT *, median("x") OVER (PARTITION BY "symbol" ORDER BY "open_time" ROWS BETWEEN 240 PRECEDING AND 1 PRECEDING) AS "med", mad("x") OVER (PARTITION BY "symbol" ORDER BY "open_time" ROWS BETWEEN 240 PRECEDING AND 1 PRECEDING) AS "mad", count("x") OVER (PARTITION BY "symbol" ORDER BY "open_time" ROWS BETWEEN 240 PRECEDING AND 1 PRECEDING) AS "cnt"
  FROM _t
),
_m AS (
  SELECT *
  FROM _b
),
_z AS (
  SELECT *, ("x" - "med") / greatest(1.4826E0 * "mad", 0.25E0) AS z
  FROM _m
  WHERE "cnt" >= 120
)
SELECT "symbol", "open_time", z AS score, q AS "value", exp("med") AS baseline, 6E0 AS threshold
FROM _z
WHERE z >= 6E0 AND exp("x" - "med") >= 8E0
ORDER BY "symbol", "open_time"
