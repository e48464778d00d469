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
    (`close` - lag(`close`, 10) OVER (PARTITION BY `symbol` ORDER BY `_rn`)) AS `_c1`
  FROM _s0
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 10) THEN `_c1` END AS `mom_10`
FROM _s1
ORDER BY `symbol`, `open_time`
