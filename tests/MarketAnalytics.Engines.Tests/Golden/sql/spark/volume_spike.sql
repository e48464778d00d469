WITH _src AS (
  SELECT `symbol`, `open_time`, `open`, `high`, `low`, `close`, `volume`, `close_time`, `quote_volume`, `trades`, `taker_buy_base`, `taker_buy_quote`
  FROM parquet.`/data/lake/klines/exchange=binance`
  WHERE `symbol` IN ('BTCUSDT', 'ETHUSDT') AND `interval` = '1m' AND `open_time` >= 1690848000000 AND `open_time` < 1698796800000
),
_t AS (
  SELECT `symbol`, `open_time`, q, ln(q) AS `x`
  FROM (SELECT `symbol`, `open_time`, CASE WHEN `quote_volume` IS NULL OR isnan(`quote_volume`) THEN `volume` * (`open` + `high` + `low` + `close`) * 0.25E0 ELSE `quote_volume` END AS q FROM _src) AS _q
  WHERE q > 0E0
),
_b AS (
  SELECT *, percentile(`x`, 0.5D) OVER (PARTITION BY `symbol` ORDER BY `open_time` ROWS BETWEEN 240 PRECEDING AND 1 PRECEDING) AS `med`, collect_list(`x`) OVER (PARTITION BY `symbol` ORDER BY `open_time` ROWS BETWEEN 240 PRECEDING AND 1 PRECEDING) AS `_arr_x`, count(`x`) OVER (PARTITION BY `symbol` ORDER BY `open_time` ROWS BETWEEN 240 PRECEDING AND 1 PRECEDING) AS `cnt`
  FROM _t
),
_m AS (
  SELECT *, CASE WHEN size(`_arr_x`) = 0 THEN CAST(NULL AS DOUBLE) WHEN size(`_arr_x`) % 2 = 1 THEN element_at(array_sort(transform(`_arr_x`, v -> abs(v - `med`))), CAST(size(`_arr_x`) DIV 2 + 1 AS INT)) ELSE (element_at(array_sort(transform(`_arr_x`, v -> abs(v - `med`))), CAST(size(`_arr_x`) DIV 2 AS INT)) + element_at(array_sort(transform(`_arr_x`, v -> abs(v - `med`))), CAST(size(`_arr_x`) DIV 2 + 1 AS INT))) / 2E0 END AS `mad`
  FROM _b
),
_z AS (
  SELECT *, (`x` - `med`) / greatest(1.4826E0 * `mad`, 0.25E0) AS z
  FROM _m
  WHERE `cnt` >= 120
)
SELECT `symbol`, `open_time`, z AS score, q AS `value`, exp(`med`) AS baseline, 6E0 AS threshold
FROM _z
WHERE z >= 6E0 AND exp(`x` - `med`) >= 8E0
ORDER BY `symbol`, `open_time`
