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
    (((`high` + `low`) + `close`) / 3E0) AS `_c1`,
    sum(`volume`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS `_c3`
  FROM _s0
),
_s2 AS (
  SELECT *,
    sum((`_c1` * `volume`)) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS `_c2`
  FROM _s1
),
_s3 AS (
  SELECT *,
    CASE WHEN (`_c3` = 0E0) THEN CAST(NULL AS DOUBLE) ELSE (`_c2` / `_c3`) END AS `_c4`
  FROM _s2
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 19) THEN `_c4` END AS `vwap_20`
FROM _s3
ORDER BY `symbol`, `open_time`
