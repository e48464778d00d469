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
    (((`high` + `low`) + `close`) / 3E0) AS `_c1`
  FROM _s0
),
_s2 AS (
  SELECT *,
    (sum(`_c1`) OVER (PARTITION BY `symbol` ORDER BY `_rn` ROWS BETWEEN 13 PRECEDING AND CURRENT ROW) / 14E0) AS `_c2`
  FROM _s1
),
_s3 AS (
  SELECT *,
    ((((((((((((((abs((`_c1` - `_c2`)) + abs((lag(`_c1`, 1) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 2) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 3) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 4) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 5) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 6) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 7) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 8) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 9) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 10) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 11) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 12) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) + abs((lag(`_c1`, 13) OVER (PARTITION BY `symbol` ORDER BY `_rn`) - `_c2`))) / 14E0) AS `_c3`,
    (`_c1` - `_c2`) AS `_c4`
  FROM _s2
),
_s4 AS (
  SELECT *,
    CASE WHEN ((`_c4` <> 0E0) AND (`_c3` <> 0E0)) THEN (`_c4` / (0.015E0 * `_c3`)) ELSE 0E0 END AS `_c5`
  FROM _s3
)
SELECT `symbol`, `open_time`,
  CASE WHEN (`_rn` >= 13) THEN `_c5` END AS `cci_14`
FROM _s4
ORDER BY `symbol`, `open_time`
