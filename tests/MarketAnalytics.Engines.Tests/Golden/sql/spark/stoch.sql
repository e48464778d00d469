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
    ((max(`high`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) - min(`low`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 4 PRECEDING AND CURRENT ROW)) / 100E0) AS `_c1`,
    min(`low`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS `_c2`
  FROM _s0
),
_s2 AS (
  SELECT *,
    CASE WHEN (`_c1` <> 0E0) THEN ((`close` - `_c2`) / `_c1`) ELSE 0E0 END AS `_c3`
  FROM _s1
),
_s3 AS (
  SELECT *,
    avg(`_c3`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS `_c4`
  FROM _s2
),
_s4 AS (
  SELECT *,
    avg(`_c4`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS `_c5`
  FROM _s3
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 8) THEN `_c4` END AS `stoch_5_3_3_k`,
  CASE WHEN (`_rn` >= 8) THEN `_c5` END AS `stoch_5_3_3_d`
FROM _s4
ORDER BY `symbol`, `open_time`
