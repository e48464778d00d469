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
    CASE WHEN (lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`) IS NULL) THEN CAST(NULL AS DOUBLE) ELSE greatest((`high` - `low`), abs((lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `high`)), abs((`low` - lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`)))) END AS `_c5`,
    (`_rn` % 435) AS `_c6`,
    ((`_rn` DIV 435) % 2) AS `_c7`
  FROM _s0
),
_s2 AS (
  SELECT *,
    CASE WHEN (`_c2` IS NULL) THEN CAST(NULL AS DOUBLE) ELSE CASE WHEN ((`_c2` > 0E0) AND (`_c1` < `_c2`)) THEN `_c2` ELSE 0E0 END END AS `_c3`,
    CASE WHEN (`_c1` IS NULL) THEN CAST(NULL AS DOUBLE) ELSE CASE WHEN ((`_c2` > 0E0) AND (`_c1` < `_c2`)) THEN 0E0 WHEN ((`_c1` > 0E0) AND (`_c1` > `_c2`)) THEN `_c1` ELSE 0E0 END END AS `_c4`,
    sum(CASE WHEN (`_c7` = 0) THEN (coalesce(`_c5`, 0E0) * power(0.9285714285714286E0, CAST((0 - `_c6`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS `_c16`,
    sum(CASE WHEN (`_c7` = 1) THEN (coalesce(`_c5`, 0E0) * power(0.9285714285714286E0, CAST((0 - `_c6`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS `_c17`
  FROM _s1
),
_s3 AS (
  SELECT *,
    sum(CASE WHEN (`_c7` = 0) THEN (coalesce(`_c3`, 0E0) * power(0.9285714285714286E0, CAST((0 - `_c6`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS `_c8`,
    sum(CASE WHEN (`_c7` = 1) THEN (coalesce(`_c3`, 0E0) * power(0.9285714285714286E0, CAST((0 - `_c6`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS `_c9`,
    sum(CASE WHEN (`_c7` = 0) THEN (coalesce(`_c4`, 0E0) * power(0.9285714285714286E0, CAST((0 - `_c6`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS `_c12`,
    sum(CASE WHEN (`_c7` = 1) THEN (coalesce(`_c4`, 0E0) * power(0.9285714285714286E0, CAST((0 - `_c6`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 434 PRECEDING AND CURRENT ROW) AS `_c13`,
    ((power(0.9285714285714286E0, CAST(`_c6` AS DOUBLE)) * CASE WHEN (`_c7` = 0) THEN `_c16` ELSE `_c17` END) + (power(0.9285714285714286E0, CAST((`_c6` + 435) AS DOUBLE)) * CASE WHEN (`_c7` = 0) THEN `_c17` ELSE `_c16` END)) AS `_c18`
  FROM _s2
),
_s4 AS (
  SELECT *,
    ((power(0.9285714285714286E0, CAST(`_c6` AS DOUBLE)) * CASE WHEN (`_c7` = 0) THEN `_c8` ELSE `_c9` END) + (power(0.9285714285714286E0, CAST((`_c6` + 435) AS DOUBLE)) * CASE WHEN (`_c7` = 0) THEN `_c9` ELSE `_c8` END)) AS `_c10`,
    ((power(0.9285714285714286E0, CAST(`_c6` AS DOUBLE)) * CASE WHEN (`_c7` = 0) THEN `_c12` ELSE `_c13` END) + (power(0.9285714285714286E0, CAST((`_c6` + 435) AS DOUBLE)) * CASE WHEN (`_c7` = 0) THEN `_c13` ELSE `_c12` END)) AS `_c14`,
    (`_c18` + (1.3989132031163645E-13 * lag(`_c5`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) AS `_c19`
  FROM _s3
),
_s5 AS (
  SELECT *,
    (`_c10` + (1.3989132031163645E-13 * lag(`_c3`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) AS `_c11`,
    (`_c14` + (1.3989132031163645E-13 * lag(`_c4`, 435) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) AS `_c15`
  FROM _s4
),
_s6 AS (
  SELECT *,
    CASE WHEN ((`_rn` >= 448) AND (NOT ((`_c19` > (-1E-14)) AND (`_c19` < 1E-14)))) THEN (100E0 * (`_c11` / `_c19`)) END AS `_c20`,
    CASE WHEN ((`_rn` >= 448) AND (NOT ((`_c19` > (-1E-14)) AND (`_c19` < 1E-14)))) THEN (100E0 * (`_c15` / `_c19`)) END AS `_c21`
  FROM _s5
),
_s7 AS (
  SELECT *,
    CASE WHEN ((`_c20` IS NOT NULL) AND (NOT (((`_c20` + `_c21`) > (-1E-14)) AND ((`_c20` + `_c21`) < 1E-14)))) THEN (100E0 * (abs((`_c20` - `_c21`)) / (`_c20` + `_c21`))) END AS `_c22`
  FROM _s6
),
_s8 AS (
  SELECT *,
    count(`_c22`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c23`
  FROM _s7
),
_s9 AS (
  SELECT *,
    (`_c23` % 435) AS `_c24`,
    ((`_c23` DIV 435) % 2) AS `_c25`
  FROM _s8
),
_s10 AS (
  SELECT *,
    sum(CASE WHEN (`_c25` = 0) THEN (coalesce(`_c22`, 0E0) * power(0.9285714285714286E0, CAST((0 - `_c24`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_c23` RANGE BETWEEN 434 PRECEDING AND CURRENT ROW) AS `_c26`,
    sum(CASE WHEN (`_c25` = 1) THEN (coalesce(`_c22`, 0E0) * power(0.9285714285714286E0, CAST((0 - `_c24`) AS DOUBLE))) ELSE 0E0 END) OVER (PARTITION BY `symbol` ORDER BY `_c23` RANGE BETWEEN 434 PRECEDING AND CURRENT ROW) AS `_c27`
  FROM _s9
),
_s11 AS (
  SELECT *,
    ((power(0.9285714285714286E0, CAST(`_c24` AS DOUBLE)) * CASE WHEN (`_c25` = 0) THEN `_c26` ELSE `_c27` END) + (power(0.9285714285714286E0, CAST((`_c24` + 435) AS DOUBLE)) * CASE WHEN (`_c25` = 0) THEN `_c27` ELSE `_c26` END)) AS `_c28`
  FROM _s10
),
_s12 AS (
  SELECT *,
    CASE WHEN (`_c23` > 435) THEN ((0.07142857142857142E0 * `_c28`) + (9.99223716511689E-15 * sum(coalesce(`_c22`, 0E0)) OVER (PARTITION BY `symbol` ORDER BY `_c23` RANGE BETWEEN 435 PRECEDING AND 435 PRECEDING))) END AS `_c29`
  FROM _s11
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 883) THEN `_c29` END AS `adx_14`
FROM _s12
ORDER BY `symbol`, `open_time`
