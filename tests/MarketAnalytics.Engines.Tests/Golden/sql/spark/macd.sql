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
    (`_rn` % 193) AS `_c1`,
    ((`_rn` DIV 193) % 2) AS `_c2`,
    (`_rn` % 419) AS `_c7`,
    ((`_rn` DIV 419) % 2) AS `_c8`,
    (`_rn` % 145) AS `_c14`,
    ((`_rn` DIV 145) % 2) AS `_c15`
  FROM _s0
),
_s2 AS (
  SELECT *,
    sum(CASE WHEN (`_c2` = 0) THEN (coalesce(`close`, 0E0) * power(0.8461538461538461E0, CAST((0 - `_c1`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 192 PRECEDING AND CURRENT ROW) AS `_c3`,
    sum(CASE WHEN (`_c2` = 1) THEN (coalesce(`close`, 0E0) * power(0.8461538461538461E0, CAST((0 - `_c1`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 192 PRECEDING AND CURRENT ROW) AS `_c4`,
    sum(CASE WHEN (`_c8` = 0) THEN (coalesce(`close`, 0E0) * power(0.9259259259259259E0, CAST((0 - `_c7`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 418 PRECEDING AND CURRENT ROW) AS `_c9`,
    sum(CASE WHEN (`_c8` = 1) THEN (coalesce(`close`, 0E0) * power(0.9259259259259259E0, CAST((0 - `_c7`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 418 PRECEDING AND CURRENT ROW) AS `_c10`
  FROM _s1
),
_s3 AS (
  SELECT *,
    ((power(0.8461538461538461E0, CAST(`_c1` AS DOUBLE)) * CASE WHEN (`_c2` = 0) THEN `_c3` ELSE `_c4` END) + (power(0.8461538461538461E0, CAST((`_c1` + 193) AS DOUBLE)) * CASE WHEN (`_c2` = 0) THEN `_c4` ELSE `_c3` END)) AS `_c5`,
    ((power(0.9259259259259259E0, CAST(`_c7` AS DOUBLE)) * CASE WHEN (`_c8` = 0) THEN `_c9` ELSE `_c10` END) + (power(0.9259259259259259E0, CAST((`_c7` + 419) AS DOUBLE)) * CASE WHEN (`_c8` = 0) THEN `_c10` ELSE `_c9` END)) AS `_c11`
  FROM _s2
),
_s4 AS (
  SELECT *,
    ((0.15384615384615385E0 * `_c5`) + (9.947667035849978E-15 * lag(`close`, 193) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) AS `_c6`,
    ((0.07407407407407407E0 * `_c11`) + (9.895698411949572E-15 * lag(`close`, 419) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) AS `_c12`
  FROM _s3
),
_s5 AS (
  SELECT *,
    (`_c6` - `_c12`) AS `_c13`
  FROM _s4
),
_s6 AS (
  SELECT *,
    sum(CASE WHEN (`_c15` = 0) THEN (coalesce(`_c13`, 0E0) * power(0.8E0, CAST((0 - `_c14`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 144 PRECEDING AND CURRENT ROW) AS `_c16`,
    sum(CASE WHEN (`_c15` = 1) THEN (coalesce(`_c13`, 0E0) * power(0.8E0, CAST((0 - `_c14`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 144 PRECEDING AND CURRENT ROW) AS `_c17`
  FROM _s5
),
_s7 AS (
  SELECT *,
    ((power(0.8E0, CAST(`_c14` AS DOUBLE)) * CASE WHEN (`_c15` = 0) THEN `_c16` ELSE `_c17` END) + (power(0.8E0, CAST((`_c14` + 145) AS DOUBLE)) * CASE WHEN (`_c15` = 0) THEN `_c17` ELSE `_c16` END)) AS `_c18`
  FROM _s6
),
_s8 AS (
  SELECT *,
    ((0.2E0 * `_c18`) + (8.87254302118668E-15 * lag(`_c13`, 145) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) AS `_c19`
  FROM _s7
),
_s9 AS (
  SELECT *,
    (`_c13` - `_c19`) AS `_c20`
  FROM _s8
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 589) THEN `_c13` END AS `macd_12_26_9_macd`,
  CASE WHEN (`_rn` >= 589) THEN `_c19` END AS `macd_12_26_9_signal`,
  CASE WHEN (`_rn` >= 589) THEN `_c20` END AS `macd_12_26_9_hist`
FROM _s9
ORDER BY `symbol`, `open_time`
