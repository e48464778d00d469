WITH _src AS (
  SELECT `symbol`, `open_time`, `open`, `high`, `low`, `close`, `volume`, `close_time`, `quote_volume`, `trades`, `taker_buy_base`, `taker_buy_quote`
  FROM parquet.`/data/lake/klines/exchange=binance`
  WHERE `symbol` IN ('BTCUSDT', 'ETHUSDT') AND `interval` = '1m' AND `open_time` >= 1690848000000 AND `open_time` < 1698796800000
),
_s0 AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `symbol` ORDER BY `open_time`) - 1 AS `_rn`
  FROM _src
),
_s1 AS (
  SELECT *,
    lag(`close`, 193) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c1`,
    sum((coalesce(`close`, 0E0) * power(0.8461538461538461E0, CAST((0 - (`_rn` % 193)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 193) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c2`,
    sum((coalesce(`close`, 0E0) * power(0.8461538461538461E0, CAST((0 - (`_rn` % 193)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 193)) AS `_c3`,
    lag(`close`, 419) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c6`,
    sum((coalesce(`close`, 0E0) * power(0.9259259259259259E0, CAST((0 - (`_rn` % 419)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 419) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c7`,
    sum((coalesce(`close`, 0E0) * power(0.9259259259259259E0, CAST((0 - (`_rn` % 419)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 419)) AS `_c8`
  FROM _s0
),
_s2 AS (
  SELECT *,
    (lag(`_c3`, 193) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c2`, 193) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c4`,
    (lag(`_c8`, 419) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c7`, 419) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c9`
  FROM _s1
),
_s3 AS (
  SELECT *,
    ((0.15384615384615385E0 * ((power(0.8461538461538461E0, CAST((`_rn` % 193) AS DOUBLE)) * `_c2`) + (power(0.8461538461538461E0, CAST(((`_rn` % 193) + 193) AS DOUBLE)) * `_c4`))) + (9.947667035849978E-15 * `_c1`)) AS `_c5`,
    ((0.07407407407407407E0 * ((power(0.9259259259259259E0, CAST((`_rn` % 419) AS DOUBLE)) * `_c7`) + (power(0.9259259259259259E0, CAST(((`_rn` % 419) + 419) AS DOUBLE)) * `_c9`))) + (9.895698411949572E-15 * `_c6`)) AS `_c10`
  FROM _s2
),
_s4 AS (
  SELECT *,
    (`_c5` - `_c10`) AS `_c11`
  FROM _s3
),
_s5 AS (
  SELECT *,
    lag(`_c11`, 145) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c12`,
    sum((coalesce(`_c11`, 0E0) * power(0.8E0, CAST((0 - (`_rn` % 145)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 145) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c13`,
    sum((coalesce(`_c11`, 0E0) * power(0.8E0, CAST((0 - (`_rn` % 145)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 145)) AS `_c14`
  FROM _s4
),
_s6 AS (
  SELECT *,
    (lag(`_c14`, 145) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c13`, 145) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c15`
  FROM _s5
),
_s7 AS (
  SELECT *,
    ((0.2E0 * ((power(0.8E0, CAST((`_rn` % 145) AS DOUBLE)) * `_c13`) + (power(0.8E0, CAST(((`_rn` % 145) + 145) AS DOUBLE)) * `_c15`))) + (8.87254302118668E-15 * `_c12`)) AS `_c16`
  FROM _s6
),
_s8 AS (
  SELECT *,
    (`_c11` - `_c16`) AS `_c17`
  FROM _s7
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 589) THEN `_c11` END AS `macd_12_26_9_macd`,
  CASE WHEN (`_rn` >= 589) THEN `_c16` END AS `macd_12_26_9_signal`,
  CASE WHEN (`_rn` >= 589) THEN `_c17` END AS `macd_12_26_9_hist`
FROM _s8
ORDER BY `symbol`, `open_time`
