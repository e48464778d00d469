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
    CASE WHEN (lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`) IS NULL) THEN CAST(NULL AS DOUBLE) ELSE greatest((`high` - `low`), abs((lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `high`)), abs((`low` - lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`)))) END AS `_c1`
  FROM _s0
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 1) THEN `_c1` END AS `trange`
FROM _s1
ORDER BY `symbol`, `open_time`
