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
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 513) THEN `_c5` END AS `ema_30`
FROM _s3
ORDER BY `symbol`, `open_time`
