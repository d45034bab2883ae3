-- complaints_open: the complaints still open at the end of the build day and already past
-- the limit in force when they were received (the list on Charter's complaint report).
--
-- Reads (tables or views the runner binds):
--   complaints(id VARCHAR, type VARCHAR, channel VARCHAR, team VARCHAR,
--              received_at TIMESTAMP, resolved_at TIMESTAMP NULL)   raw rows, UTC wall time
--   complaint_limits(type VARCHAR, from_at TIMESTAMP NULL, limit_seconds DOUBLE)
--              written by `charter warehouse-inputs` from params.yaml
--   build(today DATE)                                                the build date (--today)
-- Writes one row per such complaint:
--   as_of DATE (= today), id, type, channel, team VARCHAR, received_at TIMESTAMP,
-- most overdue first: ORDER BY (open seconds - limit) DESC, received_at, id. Charter works
-- out the open and overdue hours from received_at, as_of and its own limits.
-- Open at the end of today (today + 1 day, 00:00) = received by then and not resolved by
-- then; past its limit = open seconds > limit_seconds (a complaint exactly at its limit is not).
-- Dialects: DuckDB and Spark SQL 3.4+, unchanged (DuckDB gets the macro unix_seconds);
-- run with the session time zone UTC.
WITH steps AS (   -- each limit step and the instants it covers: [lo_at, hi_at), NULL = open end
  SELECT type, limit_seconds,
         CASE WHEN ROW_NUMBER() OVER (PARTITION BY type ORDER BY from_at ASC NULLS FIRST) = 1
              THEN NULL ELSE from_at END AS lo_at,   -- the first step also covers all before it
         LEAD(from_at) OVER (PARTITION BY type ORDER BY from_at ASC NULLS FIRST) AS hi_at
  FROM complaint_limits
),
e AS (SELECT today AS as_of, unix_seconds(CAST(date_add(today, 1) AS TIMESTAMP)) AS end_s FROM build),
o AS (            -- open at the end of today, with the limit in force when received
  SELECT e.as_of, x.id, x.type, x.channel, x.team, x.received_at,
         e.end_s - unix_seconds(x.received_at) AS open_s, l.limit_seconds AS limit_s
  FROM complaints x
  CROSS JOIN e
  JOIN steps l ON l.type = x.type
              AND (l.lo_at IS NULL OR x.received_at >= l.lo_at)
              AND (l.hi_at IS NULL OR x.received_at < l.hi_at)
  WHERE unix_seconds(x.received_at) < e.end_s
    AND (x.resolved_at IS NULL OR unix_seconds(x.resolved_at) > e.end_s)
)
SELECT as_of, id, type, channel, team, received_at
FROM o
WHERE open_s > limit_s
ORDER BY open_s - limit_s DESC NULLS LAST, received_at ASC NULLS LAST, id ASC NULLS LAST
