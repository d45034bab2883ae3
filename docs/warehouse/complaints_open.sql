-- complaints_open: the complaints still open at the end of the build day and already past
-- the limit in force when they were received (the list on Charter's complaint report).
--
-- Reads (tables or views the runner binds):
--   complaints_in_force   the view complaints_in_force.sql defines: the raw complaints
--                         received by the end of the build day, with their time limit
--   build(today DATE)     the build date (--today)
-- Writes one row per such complaint:
--   as_of DATE (= today), id, type, channel, team VARCHAR, received_at TIMESTAMP,
-- most overdue first: ORDER BY (open seconds - limit) DESC, received_at, id. Charter works
-- out the open and overdue hours from received_at, as_of and its own limits.
-- Open at the end of today (today + 1 day, 00:00) = not resolved by then; past its limit =
-- open seconds > limit (a complaint open exactly as long as its limit is not yet past it).
-- Dialects: DuckDB and Spark SQL 3.4+, unchanged (DuckDB gets the macro unix_seconds);
-- run with the session time zone UTC.
SELECT as_of, id, type, channel, team, received_at
FROM (SELECT b.today AS as_of, c.id, c.type, c.channel, c.team, c.received_at, c.res_s, c.limit_s,
             unix_seconds(CAST(date_add(b.today, 1) AS TIMESTAMP)) - c.rec_s AS open_s,
             unix_seconds(CAST(date_add(b.today, 1) AS TIMESTAMP)) AS end_s
      FROM complaints_in_force c CROSS JOIN build b) o
WHERE (res_s IS NULL OR res_s > end_s)
  AND open_s > limit_s
ORDER BY open_s - limit_s DESC NULLS LAST, received_at ASC NULLS LAST, id ASC NULLS LAST
