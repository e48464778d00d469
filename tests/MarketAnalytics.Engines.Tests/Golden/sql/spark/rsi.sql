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
    (`close` - lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c1`
  FROM _s0
),
_s2 AS (
  SELECT *,
    CASE WHEN (`_c1` > 0E0) THEN `_c1` ELSE 0E0 END AS `_c2`,
    CASE WHEN (`_c1` < 0E0) THEN (0E0 - `_c1`) ELSE 0E0 END AS `_c3`
  FROM _s1
),
_s3 AS (
  SELECT *,
    lag(`_c2`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c4`,
    sum((coalesce(`_c2`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c5`,
    sum((coalesce(`_c2`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435)) AS `_c6`,
    lag(`_c3`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c9`,
    sum((coalesce(`_c3`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c10`,
    sum((coalesce(`_c3`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435)) AS `_c11`
  FROM _s2
),
_s4 AS (
  SELECT *,
    (lag(`_c6`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c5`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c7`,
    (lag(`_c11`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c10`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c12`
  FROM _s3
),
_s5 AS (
  SELECT *,
    ((0.07142857142857142E0 * ((power(0.9285714285714286E0, CAST((`_rn` % 435) AS DOUBLE)) * `_c5`) + (power(0.9285714285714286E0, CAST(((`_rn` % 435) + 435) AS DOUBLE)) * `_c7`))) + (9.99223716511689E-15 * `_c4`)) AS `_c8`,
    ((0.07142857142857142E0 * ((power(0.9285714285714286E0, CAST((`_rn` % 435) AS DOUBLE)) * `_c10`) + (power(0.9285714285714286E0, CAST(((`_rn` % 435) + 435) AS DOUBLE)) * `_c12`))) + (9.99223716511689E-15 * `_c9`)) AS `_c13`
  FROM _s4
),
_s6 AS (
  SELECT *,
    CASE WHEN (((`_c8` + `_c13`) > (-1E-14)) AND ((`_c8` + `_c13`) < 1E-14)) THEN 0E0 ELSE (100E0 * (`_c8` / (`_c8` + `_c13`))) END AS `_c14`
  FROM _s5
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 449) THEN `_c14` END AS `rsi_14`
FROM _s6
ORDER BY `symbol`, `open_time`
