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
    CASE WHEN (`close` > lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) THEN `volume` WHEN (`close` < lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) THEN (0E0 - `volume`) ELSE 0E0 END AS `_c1`
  FROM _s0
),
_s2 AS (
  SELECT *,
    (first_value(`volume`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) + sum(`_c1`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS `_c2`
  FROM _s1
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 0) THEN `_c2` END AS `obv`
FROM _s2
ORDER BY `symbol`, `open_time`
