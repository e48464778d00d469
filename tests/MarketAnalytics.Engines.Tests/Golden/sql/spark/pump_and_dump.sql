WITH _src AS (
  SELECT `symbol`, `open_time`, `open`, `high`, `low`, `close`, `volume`, `close_time`, `quote_volume`, `trades`, `taker_buy_base`, `taker_buy_quote`
  FROM parquet.`/data/lake/klines/exchange=binance`
  WHERE `symbol` IN ('BTCUSDT', 'ETHUSDT') AND `interval` = '1m' AND `open_time` >= 1690848000000 AND `open_time` < 1698796800000
),
_c AS (
  SELECT `symbol`, `open_time`, `close`, `trades`, `taker_buy_quote`, CASE WHEN `quote_volume` IS NULL OR isnan(`quote_volume`) THEN `volume` * (`open` + `high` + `low` + `close`) * 0.25E0 ELSE `quote_volume` END AS q,
    `open_time` DIV 3600000 AS `bucket`
  FROM _src
),
_h0 AS (
  SELECT `symbol`, `bucket`,
    sum(CASE WHEN q >= 0E0 AND NOT isnan(q) THEN q ELSE 0E0 END) AS hv,
    sum(CASE WHEN `trades` >= 0 THEN `trades` ELSE 0 END) AS ht,
    max_by(`close`, CASE WHEN `close` > 0E0 THEN `open_time` END) AS bc
  FROM _c
  GROUP BY `symbol`, `bucket`
),
_h1 AS (
  SELECT `symbol`, `bucket`, hv, ht,
    last(bc, true) OVER (PARTITION BY `symbol` ORDER BY `bucket` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS bcf
  FROM _h0
),
_h2 AS (
  SELECT *, CASE WHEN bcf > 0E0 AND lag(bcf, 1) OVER (PARTITION BY `symbol` ORDER BY `bucket`) > 0E0
    THEN ln(bcf / lag(bcf, 1) OVER (PARTITION BY `symbol` ORDER BY `bucket`)) END AS `hr`
  FROM _h1
),
_h3 AS (
  SELECT *, percentile(hv, 0.5D) OVER (PARTITION BY `symbol` ORDER BY `bucket` ROWS BETWEEN 24 PRECEDING AND 1 PRECEDING) AS hv_med, percentile(ht, 0.5D) OVER (PARTITION BY `symbol` ORDER BY `bucket` ROWS BETWEEN 24 PRECEDING AND 1 PRECEDING) AS ht_med, count(hv) OVER (PARTITION BY `symbol` ORDER BY `bucket` ROWS BETWEEN 24 PRECEDING AND 1 PRECEDING) AS hv_cnt, percentile(`hr`, 0.5D) OVER (PARTITION BY `symbol` ORDER BY `bucket` ROWS BETWEEN 24 PRECEDING AND 1 PRECEDING) AS `hr_med`, collect_list(`hr`) OVER (PARTITION BY `symbol` ORDER BY `bucket` ROWS BETWEEN 24 PRECEDING AND 1 PRECEDING) AS `_arr_hr`, count(`hr`) OVER (PARTITION BY `symbol` ORDER BY `bucket` ROWS BETWEEN 24 PRECEDING AND 1 PRECEDING) AS `hr_cnt`
  FROM _h2
),
_h AS (
  SELECT `symbol`, `bucket`, hv_med, ht_med, hv_cnt, hr_cnt, CASE WHEN size(`_arr_hr`) = 0 THEN CAST(NULL AS DOUBLE) WHEN size(`_arr_hr`) % 2 = 1 THEN element_at(array_sort(transform(`_arr_hr`, v -> abs(v - `hr_med`))), CAST(size(`_arr_hr`) DIV 2 + 1 AS INT)) ELSE (element_at(array_sort(transform(`_arr_hr`, v -> abs(v - `hr_med`))), CAST(size(`_arr_hr`) DIV 2 AS INT)) + element_at(array_sort(transform(`_arr_hr`, v -> abs(v - `hr_med`))), CAST(size(`_arr_hr`) DIV 2 + 1 AS INT))) / 2E0 END AS `hr_mad`
  FROM _h3
),
_r AS (
  SELECT *, percentile(`close`, 0.5D) OVER (PARTITION BY `symbol` ORDER BY `open_time` ROWS BETWEEN 60 PRECEDING AND 1 PRECEDING) AS ref,
    count(`close`) OVER (PARTITION BY `symbol` ORDER BY `open_time` ROWS BETWEEN 60 PRECEDING AND 1 PRECEDING) AS ref_cnt
  FROM _c
  WHERE `close` > 0E0
),
_e AS (
  SELECT _r.`symbol`, _r.`open_time`, _r.`close`, _r.q, _r.`trades`, _r.`taker_buy_quote`, _r.ref,
    greatest(_h.hv_med / 60E0, 5E-324) AS per_candle,
    _h.ht_med / 60E0 AS trades_per_candle,
    greatest(0.02955880224154443E0, 4E0 * CASE WHEN _h.hr_cnt >= 2 THEN 1.4826E0 * _h.hr_mad ELSE 0E0 END) AS rise_thr
  FROM _r JOIN _h ON _r.`symbol` = _h.`symbol` AND _r.`bucket` = _h.`bucket`
  WHERE _h.hv_cnt >= 6 AND _r.ref_cnt >= 2 AND _r.q > 0E0
),
_s AS (
  SELECT *, q / per_candle AS multiple, ln(`close` / ref) AS rise
  FROM _e
)
SELECT `symbol`, `open_time`, log10(multiple) * rise / greatest(rise_thr, 1E-12) AS score, q AS `value`, per_candle AS baseline, rise_thr AS threshold
FROM _s
WHERE multiple >= 200E0 AND rise >= rise_thr
  AND (`taker_buy_quote` IS NULL OR isnan(`taker_buy_quote`) OR `taker_buy_quote` / q >= 0.3E0)
  AND (`trades` IS NULL OR `trades` < 0 OR `trades` / greatest(trades_per_candle, 0.016666666666666666E0) >= 90E0)
ORDER BY `symbol`, `open_time`
