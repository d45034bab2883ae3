-- complaints_in_force: a view, not an output table. Every complaint received by the end of
-- the build day, with the time limit in force when it was received; the three complaint
-- files read it, so "which limit applies" is written once. Create it as a view named
-- complaints_in_force before running them (both runners do).
--
-- Reads (tables or views the runner binds):
--   complaints(id VARCHAR, type VARCHAR, channel VARCHAR, team VARCHAR,
--              received_at TIMESTAMP, resolved_at TIMESTAMP NULL)   raw rows, UTC wall time
--   complaint_limits(type VARCHAR, from_at TIMESTAMP NULL, limit_seconds DOUBLE)
--              written by `charter warehouse-inputs` from params.yaml; one row per step,
--              from_at NULL = in force since always
--   build(today DATE)                                                the build date (--today)
-- Gives: id, type, channel, team, received_at, resolved_at (as read),
--   month DATE (first day of the month received), rec_s, res_s BIGINT (unix_seconds of
--   received_at and resolved_at), limit_s DOUBLE (NULL for a type without limits).
-- The limit in force is the last step whose from_at is at or before received_at; a
-- complaint received before every dated step is judged by the first step.
-- Dialects: DuckDB and Spark SQL 3.4+, unchanged (DuckDB gets the macro unix_seconds);
-- run with the session time zone UTC.
SELECT x.id, x.type, x.channel, x.team, x.received_at, x.resolved_at,
       CAST(date_trunc('MONTH', x.received_at) AS DATE) AS month,
       unix_seconds(x.received_at) AS rec_s, unix_seconds(x.resolved_at) AS res_s,
       l.limit_seconds AS limit_s
FROM complaints x
CROSS JOIN build b
LEFT JOIN (       -- each step and the instants it covers: [lo_at, hi_at), NULL = open end
  SELECT type, limit_seconds,
         CASE WHEN ROW_NUMBER() OVER (PARTITION BY type ORDER BY from_at ASC NULLS FIRST) = 1
              THEN NULL ELSE from_at END AS lo_at,   -- the first step also covers all before it
         LEAD(from_at) OVER (PARTITION BY type ORDER BY from_at ASC NULLS FIRST) AS hi_at
  FROM complaint_limits
) l ON l.type = x.type
   AND (l.lo_at IS NULL OR x.received_at >= l.lo_at)
   AND (l.hi_at IS NULL OR x.received_at < l.hi_at)
WHERE x.received_at < CAST(date_add(b.today, 1) AS TIMESTAMP)
