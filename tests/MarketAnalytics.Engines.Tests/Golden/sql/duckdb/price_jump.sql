WITH _src AS (
  SELECT "symbol", "open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "trades", "taker_buy_base", "taker_buy_quote"
  FROM read_parquet('/data/lake/klines/exchange=binance/symbol=*/interval=*/year=*/month=*/*.parquet', hive_partitioning = true, hive_types = {'exchange': VARCHAR, 'symbol': VARCHAR, 'interval': VARCHAR, 'year': INTEGER, 'month': INTEGER})
  WHERE "symbol" IN ('BTCUSDT', 'ETHUSDT') AND "interval" = '1m' AND "open_time" >= 1690848000000 AND "open_time" < 1698796800000
),
_p AS (
  SELECT "symbol", "open_time", "close",
    lag("close", 1) OVER (PARTITION BY "symbol" ORDER BY "open_time") AS prev
  FROM _src
  WHERE "close" > 0E0
),
_r AS (
  SELECT "symbol", "open_time", "close", ln("close" / prev) AS "r"
  FROM _p
  WHERE prev IS NOT NULL
),
_b AS (
  SELECT *, median("r") OVER (PARTITION BY "symbol" ORDER BY "open_time" ROWS BETWEEN 240 PRECEDING AND 1 PRECEDING) AS "med", mad("r") OVER (PARTITION BY "symbol" ORDER BY "open_time" ROWS BETWEEN 240 PRECEDING AND 1 PRECEDING) AS "mad", count("r") OVER (PARTITION BY "symbol" ORDER BY "open_time" ROWS BETWEEN 240 PRECEDING AND 1 PRECEDING) AS "cnt"
  FROM _r
),
_m AS (
  SELECT *
  FROM _b
),
_j AS (
  SELECT *, abs("r" - "med") AS dev, greatest(10E0 * 1.4826E0 * "mad", 0.01980262729617973E0) AS thr
  FROM _m
  WHERE "cnt" >= 120
)
SELECT "symbol", "open_time", dev / thr AS score, "r" AS "value", "med" AS baseline, thr AS threshold
FROM _j
WHERE dev >= thr
ORDER BY "symbol", "open_time"
