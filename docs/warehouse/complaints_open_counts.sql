-- complaints_open_counts: how many complaints were open past their limit at the end of each
-- snapshot day (the alert on every month's overview in Charter's reports).
--
-- Reads (tables or views the runner binds):
--   complaints(id VARCHAR, type VARCHAR, channel VARCHAR, team VARCHAR,
--              received_at TIMESTAMP, resolved_at TIMESTAMP NULL)   raw rows, UTC wall time
--   complaint_limits(type VARCHAR, from_at TIMESTAMP NULL, limit_seconds DOUBLE)
--              written by `charter warehouse-inputs` from params.yaml
--   build(today DATE)                                                the build date (--today)
--   snapshots(as_of DATE)   every month's last day before today from the first complaint's
--                           month on, and today itself (the runner makes it)
-- Writes one row per snapshot, zero counts included:
--   as_of DATE, open_past_limit BIGINT
-- Open past its limit at the end of D (D + 1 day, 00:00): received by then, not resolved by
-- then, and open longer than the limit in force when it was received.
-- Dialects: DuckDB and Spark SQL 3.4+, unchanged (DuckDB gets the macro unix_seconds);
-- run with the session time zone UTC.
WITH steps AS (   -- each limit step and the instants it covers: [lo_at, hi_at), NULL = open end
  SELECT type, limit_seconds,
         CASE WHEN ROW_NUMBER() OVER (PARTITION BY type ORDER BY from_at ASC NULLS FIRST) = 1
              THEN NULL ELSE from_at END AS lo_at,   -- the first step also covers all before it
         LEAD(from_at) OVER (PARTITION BY type ORDER BY from_at ASC NULLS FIRST) AS hi_at
  FROM complaint_limits
),
late AS (         -- only a complaint never resolved or resolved late is ever open past its limit
  SELECT rec_s, res_s, limit_s
  FROM (SELECT unix_seconds(x.received_at) AS rec_s, unix_seconds(x.resolved_at) AS res_s,
               l.limit_seconds AS limit_s
        FROM complaints x
        CROSS JOIN build b
        JOIN steps l ON l.type = x.type
                    AND (l.lo_at IS NULL OR x.received_at >= l.lo_at)
                    AND (l.hi_at IS NULL OR x.received_at < l.hi_at)
        WHERE x.received_at < CAST(date_add(b.today, 1) AS TIMESTAMP)) r
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
