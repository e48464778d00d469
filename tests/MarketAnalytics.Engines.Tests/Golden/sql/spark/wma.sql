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
    (((((((((((((((((((((((((((((((30E0 * `close`) + (29E0 * lag(`close`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (28E0 * lag(`close`, 2) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (27E0 * lag(`close`, 3) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (26E0 * lag(`close`, 4) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (25E0 * lag(`close`, 5) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (24E0 * lag(`close`, 6) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (23E0 * lag(`close`, 7) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (22E0 * lag(`close`, 8) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (21E0 * lag(`close`, 9) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (20E0 * lag(`close`, 10) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (19E0 * lag(`close`, 11) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (18E0 * lag(`close`, 12) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (17E0 * lag(`close`, 13) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (16E0 * lag(`close`, 14) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (15E0 * lag(`close`, 15) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (14E0 * lag(`close`, 16) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (13E0 * lag(`close`, 17) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (12E0 * lag(`close`, 18) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (11E0 * lag(`close`, 19) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (10E0 * lag(`close`, 20) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (9E0 * lag(`close`, 21) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (8E0 * lag(`close`, 22) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (7E0 * lag(`close`, 23) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (6E0 * lag(`close`, 24) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (5E0 * lag(`close`, 25) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (4E0 * lag(`close`, 26) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (3E0 * lag(`close`, 27) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (2E0 * lag(`close`, 28) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) + (1E0 * lag(`close`, 29) OVER (PARTITION BY `symbol` ORDER BY `_rn`))) / 465E0) AS `_c1`
  FROM _s0
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 29) THEN `_c1` END AS `wma_30`
FROM _s1
ORDER BY `symbol`, `open_time`
