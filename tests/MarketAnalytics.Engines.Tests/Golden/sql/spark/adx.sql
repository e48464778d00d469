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
    (`high` - lag(`high`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c1`,
    (lag(`low`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `low`) AS `_c2`,
    CASE WHEN (lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`) IS NULL) THEN CAST(NULL AS DOUBLE) ELSE greatest((`high` - `low`), abs((lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `high`)), abs((`low` - lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`)))) END AS `_c5`
  FROM _s0
),
_s2 AS (
  SELECT *,
    CASE WHEN (`_c2` IS NULL) THEN CAST(NULL AS DOUBLE) ELSE CASE WHEN ((`_c2` > 0E0) AND (`_c1` < `_c2`)) THEN `_c2` ELSE 0E0 END END AS `_c3`,
    CASE WHEN (`_c1` IS NULL) THEN CAST(NULL AS DOUBLE) ELSE CASE WHEN ((`_c2` > 0E0) AND (`_c1` < `_c2`)) THEN 0E0 WHEN ((`_c1` > 0E0) AND (`_c1` > `_c2`)) THEN `_c1` ELSE 0E0 END END AS `_c4`,
    lag(`_c5`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c16`,
    sum((coalesce(`_c5`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c17`,
    sum((coalesce(`_c5`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435)) AS `_c18`
  FROM _s1
),
_s3 AS (
  SELECT *,
    lag(`_c3`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c6`,
    sum((coalesce(`_c3`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c7`,
    sum((coalesce(`_c3`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435)) AS `_c8`,
    lag(`_c4`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c11`,
    sum((coalesce(`_c4`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c12`,
    sum((coalesce(`_c4`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_rn` % 435)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 435)) AS `_c13`,
    (lag(`_c18`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c17`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c19`
  FROM _s2
),
_s4 AS (
  SELECT *,
    (lag(`_c8`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c7`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c9`,
    (lag(`_c13`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c12`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c14`,
    (((power(0.9285714285714286E0, CAST((`_rn` % 435) AS DOUBLE)) * `_c17`) + (power(0.9285714285714286E0, CAST(((`_rn` % 435) + 435) AS DOUBLE)) * `_c19`)) + (1.3989132031163645E-13 * `_c16`)) AS `_c20`
  FROM _s3
),
_s5 AS (
  SELECT *,
    (((power(0.9285714285714286E0, CAST((`_rn` % 435) AS DOUBLE)) * `_c7`) + (power(0.9285714285714286E0, CAST(((`_rn` % 435) + 435) AS DOUBLE)) * `_c9`)) + (1.3989132031163645E-13 * `_c6`)) AS `_c10`,
    (((power(0.9285714285714286E0, CAST((`_rn` % 435) AS DOUBLE)) * `_c12`) + (power(0.9285714285714286E0, CAST(((`_rn` % 435) + 435) AS DOUBLE)) * `_c14`)) + (1.3989132031163645E-13 * `_c11`)) AS `_c15`
  FROM _s4
),
_s6 AS (
  SELECT *,
    CASE WHEN ((`_rn` >= 448) AND (NOT ((`_c20` > (-1E-14)) AND (`_c20` < 1E-14)))) THEN (100E0 * (`_c10` / `_c20`)) END AS `_c21`,
    CASE WHEN ((`_rn` >= 448) AND (NOT ((`_c20` > (-1E-14)) AND (`_c20` < 1E-14)))) THEN (100E0 * (`_c15` / `_c20`)) END AS `_c22`
  FROM _s5
),
_s7 AS (
  SELECT *,
    CASE WHEN ((`_c21` IS NOT NULL) AND (NOT (((`_c21` + `_c22`) > (-1E-14)) AND ((`_c21` + `_c22`) < 1E-14)))) THEN (100E0 * (abs((`_c21` - `_c22`)) / (`_c21` + `_c22`))) END AS `_c23`
  FROM _s6
),
_s8 AS (
  SELECT *,
    count(`_c23`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c24`
  FROM _s7
),
_s9 AS (
  SELECT *,
    sum(coalesce(`_c23`, 0E0)) OVER (PARTITION BY `symbol` ORDER BY `_c24` RANGE BETWEEN 435 PRECEDING AND 435 PRECEDING) AS `_c25`,
    sum(CASE WHEN (((`_c24` DIV 435) % 2) = 0) THEN (coalesce(`_c23`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_c24` % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_c24` RANGE BETWEEN 434 PRECEDING AND CURRENT ROW) AS `_c26`,
    sum(CASE WHEN (((`_c24` DIV 435) % 2) = 1) THEN (coalesce(`_c23`, 0E0) * power(0.9285714285714286E0, CAST((0 - (`_c24` % 435)) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_c24` RANGE BETWEEN 434 PRECEDING AND CURRENT ROW) AS `_c27`
  FROM _s8
),
_s10 AS (
  SELECT *,
    CASE WHEN (`_c24` > 435) THEN ((0.07142857142857142E0 * ((power(0.9285714285714286E0, CAST((`_c24` % 435) AS DOUBLE)) * CASE WHEN (((`_c24` DIV 435) % 2) = 0) THEN `_c26` ELSE `_c27` END) + (power(0.9285714285714286E0, CAST(((`_c24` % 435) + 435) AS DOUBLE)) * CASE WHEN (((`_c24` DIV 435) % 2) = 0) THEN `_c27` ELSE `_c26` END))) + (9.99223716511689E-15 * `_c25`)) END AS `_c28`
  FROM _s9
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 883) THEN `_c28` END AS `adx_14`
FROM _s10
ORDER BY `symbol`, `open_time`
