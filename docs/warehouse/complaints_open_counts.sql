-- complaints_open_counts: how many complaints were open past their limit at the end of each
-- snapshot day (the alert on every month's overview in Charter's reports).
--
-- Reads (tables or views the runner binds):
--   complaints_in_force   the view complaints_in_force.sql defines: the raw complaints
--                         received by the end of the build day, with their time limit
--   snapshots(as_of DATE) every month's last day before today from the first complaint's
--                         month on, and today itself (the runner makes it)
-- Writes one row per snapshot, zero counts included:
--   as_of DATE, open_past_limit BIGINT
-- Open past its limit at the end of D (D + 1 day, 00:00): received by then, not resolved by
-- then, and open longer than the limit in force when it was received.
-- Dialects: DuckDB and Spark SQL 3.4+, unchanged (DuckDB gets the macro unix_seconds);
-- run with the session time zone UTC.
WITH late AS (    -- only a complaint never resolved or resolved late is ever open past its limit
  SELECT rec_s, res_s, limit_s
  FROM complaints_in_force
  WHERE res_s IS NULL OR res_s - rec_s > limit_s
),
e AS (SELECT as_of, unix_seconds(CAST(date_add(as_of, 1) AS TIMESTAMP)) AS end_s FROM snapshots)
SELECT e.as_of, COUNT(late.rec_s) AS open_past_limit
FROM e
LEFT JOIN late ON late.rec_s <= e.end_s
              AND (late.res_s IS NULL OR late.res_s > e.end_s)
              AND e.end_s - late.rec_s > late.limit_s
GROUP BY e.as_of
ORDER BY e.as_of ASC NULLS LAST
