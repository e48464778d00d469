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
    avg(`close`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS `_c1`,
    greatest(var_pop(`close`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 4 PRECEDING AND CURRENT ROW), 0E0) AS `_c2`
  FROM _s0
),
_s2 AS (
  SELECT *,
    CASE WHEN (`_c2` < 1E-14) THEN 0E0 ELSE sqrt(`_c2`) END AS `_c3`
  FROM _s1
),
_s3 AS (
  SELECT *,
    (`_c1` + (2E0 * `_c3`)) AS `_c4`,
    (`_c1` - (2E0 * `_c3`)) AS `_c5`
  FROM _s2
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 4) THEN `_c4` END AS `bbands_5_2_2_upper`,
  CASE WHEN (`_rn` >= 4) THEN `_c1` END AS `bbands_5_2_2_middle`,
  CASE WHEN (`_rn` >= 4) THEN `_c5` END AS `bbands_5_2_2_lower`
FROM _s3
ORDER BY `symbol`, `open_time`
