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
    CASE WHEN (lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`) IS NULL) THEN CAST(NULL AS DOUBLE) ELSE greatest((`high` - `low`), abs((lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `high`)), abs((`low` - lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`)))) END AS `_c1`
  FROM _s0
),
_s2 AS (
  SELECT *,
    lag(`_c1`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c2`,
    sum((coalesce(`_c1`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c3`,
    sum((coalesce(`_c1`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435)) AS `_c4`
  FROM _s1
),
_s3 AS (
  SELECT *,
    (lag(`_c4`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c3`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c5`
  FROM _s2
),
_s4 AS (
  SELECT *,
    ((0.07142857142857142E0 * ((power(0.9285714285714286E0, CAST((`_rn` % 435) AS DOUBLE)) * `_c3`) + (power(0.9285714285714286E0, CAST(((`_rn` % 435) + 435) AS DOUBLE)) * `_c5`))) + (9.99223716511689E-15 * `_c2`)) AS `_c6`
  FROM _s3
),
_s5 AS (
  SELECT *,
    CASE WHEN ((`close` > (-1E-14)) AND (`close` < 1E-14)) THEN 0E0 ELSE ((`_c6` / `close`) * 100E0) END AS `_c7`
  FROM _s4
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 449) THEN `_c7` END AS `natr_14`
FROM _s5
ORDER BY `symbol`, `open_time`
