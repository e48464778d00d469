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
    lag(`close`, 484) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c1`,
    sum((coalesce(`close`, 0E0) * power(0.935483870967742E0, CAST((0 - (`_rn` % 484)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 484) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c2`,
    sum((coalesce(`close`, 0E0) * power(0.935483870967742E0, CAST((0 - (`_rn` % 484)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 484)) AS `_c3`
  FROM _s0
),
_s2 AS (
  SELECT *,
    (lag(`_c3`, 484) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c2`, 484) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c4`
  FROM _s1
),
_s3 AS (
  SELECT *,
    ((0.06451612903225806E0 * ((power(0.935483870967742E0, CAST((`_rn` % 484) AS DOUBLE)) * `_c2`) + (power(0.935483870967742E0, CAST(((`_rn` % 484) + 484) AS DOUBLE)) * `_c4`))) + (9.584537640871342E-15 * `_c1`)) AS `_c5`
  FROM _s2
),
_s4 AS (
  SELECT *,
    lag(`_c5`, 484) OVER (PARTITION BY `symbol` ORDER BY `_rn`) AS `_c6`,
    sum((coalesce(`_c5`, 0E0) * power(0.935483870967742E0, CAST((0 - (`_rn` % 484)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 484) ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `_c7`,
    sum((coalesce(`_c5`, 0E0) * power(0.935483870967742E0, CAST((0 - (`_rn` % 484)) AS DOUBLE)))) OVER (PARTITION BY `symbol`, (`_rn` DIV 484)) AS `_c8`
  FROM _s3
),
_s5 AS (
  SELECT *,
    (lag(`_c8`, 484) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - lag(`_c7`, 484) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c9`
  FROM _s4
),
_s6 AS (
  SELECT *,
    ((0.06451612903225806E0 * ((power(0.935483870967742E0, CAST((`_rn` % 484) AS DOUBLE)) * `_c7`) + (power(0.935483870967742E0, CAST(((`_rn` % 484) + 484) AS DOUBLE)) * `_c9`))) + (9.584537640871342E-15 * `_c6`)) AS `_c10`
  FROM _s5
),
_s7 AS (
  SELECT *,
    ((2E0 * `_c5`) - `_c10`) AS `_c11`
  FROM _s6
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 997) THEN `_c11` END AS `dema_30`
FROM _s7
ORDER BY `symbol`, `open_time`
