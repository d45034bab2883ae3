-- complaints_monthly: Charter's complaint report per month received x team x type, each
-- month judged as of a snapshot day, with exact handling-time order statistics.
--
-- Reads (tables or views the runner binds):
--   complaints_in_force   the view complaints_in_force.sql defines: the raw complaints
--                         received by the end of the build day, with their time limit
--   build(today DATE)     the build date (--today)
-- Writes one row per (month, as_of, team, type):
--   month DATE (first day of the month received), as_of DATE, team, type,
--   received, resolved, within, open_past_limit BIGINT,
--   limit_min_s, limit_max_s DOUBLE (the limits in force applied to the group's complaints),
--   median_lo_s, median_hi_s, p90_s BIGINT (team x type; NULL when resolved = 0),
--   type_median_lo_s, type_median_hi_s, type_p90_s BIGINT (all teams of the month, as_of and
--   type, repeated on each team row; NULL when none of them is resolved).
-- Snapshots: every month as of min(its last day, today); the latest month also as of today.
-- A complaint counts as resolved when resolved_at <= the end of as_of (as_of + 1 day, 00:00).
-- Order statistics are ranks of the resolved handling times in seconds, ascending:
-- median_lo = rank floor((n+1)/2), median_hi = rank floor(n/2)+1, p90 = rank ceil(n * 0.9).
-- Dialects: DuckDB and Spark SQL 3.4+, unchanged (DuckDB gets the macro unix_seconds);
-- run with the session time zone UTC.
WITH months AS (
  SELECT DISTINCT month FROM complaints_in_force
),
snap AS (         -- the days each month is judged as of, and the instant that day ends
  SELECT month, as_of, unix_seconds(CAST(date_add(as_of, 1) AS TIMESTAMP)) AS end_s
  FROM (SELECT m.month, LEAST(last_day(m.month), b.today) AS as_of FROM months m CROSS JOIN build b
        UNION
        SELECT l.month, b.today AS as_of
        FROM (SELECT MAX(month) AS month FROM months) l CROSS JOIN build b
        WHERE l.month IS NOT NULL) d
),
k AS (            -- each complaint as known at the end of its snapshot day
  SELECT s.month, s.as_of, c.team, c.type, c.limit_s,
         CASE WHEN c.res_s <= s.end_s THEN c.res_s - c.rec_s END AS handled_s,
         s.end_s - c.rec_s AS age_s
  FROM snap s
  JOIN complaints_in_force c ON c.month = s.month
),
counts AS (
  SELECT month, as_of, team, type,
         COUNT(*) AS received,
         COUNT(handled_s) AS resolved,
         COUNT(CASE WHEN handled_s <= limit_s THEN 1 END) AS within,
         COUNT(CASE WHEN handled_s IS NULL AND age_s > limit_s THEN 1 END) AS open_past_limit,
         MIN(limit_s) AS limit_min_s,
         MAX(limit_s) AS limit_max_s
  FROM k
  GROUP BY month, as_of, team, type
),
-- Order statistics without sorting every handling time: count the resolved complaints per
-- hour of handling time (bucket), find the bucket holding each wanted rank from the running
-- counts, then rank only the complaints of those buckets. Exact, whatever the bucket width.
-- Each is wanted per team (all_teams = 0) and over all teams of the type (all_teams = 1).
res AS (
  SELECT month, as_of, team, type, handled_s, CAST(FLOOR(handled_s / 3600) AS BIGINT) AS bucket
  FROM k
  WHERE handled_s IS NOT NULL
),
team_hist AS (
  SELECT month, as_of, team, type, bucket, COUNT(*) AS cnt
  FROM res
  GROUP BY month, as_of, team, type, bucket
),
hist AS (
  SELECT month, as_of, 0 AS all_teams, team, type, bucket, cnt FROM team_hist
  UNION ALL
  SELECT month, as_of, 1 AS all_teams, CAST(NULL AS STRING) AS team, type, bucket, SUM(cnt) AS cnt
  FROM team_hist
  GROUP BY month, as_of, type, bucket
),
cum AS (          -- upto = the rank of the bucket's last complaint, n = resolved in the group
  SELECT month, as_of, all_teams, team, type, bucket, cnt,
         SUM(cnt) OVER (PARTITION BY month, as_of, all_teams, team, type ORDER BY bucket ASC NULLS LAST
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS upto,
         SUM(cnt) OVER (PARTITION BY month, as_of, all_teams, team, type) AS n
  FROM hist
),
want AS (         -- the bucket holding each wanted rank (1 = median low, 2 = median high,
                  -- 3 = p90), and the rank inside that bucket
  SELECT month, as_of, all_teams, team, type, which, bucket, rnk - (upto - cnt) AS pos
  FROM (SELECT h.month, h.as_of, h.all_teams, h.team, h.type, h.bucket, h.cnt, h.upto, w.which,
               CASE w.which WHEN 1 THEN CAST(FLOOR((h.n + 1) / 2) AS BIGINT)
                            WHEN 2 THEN CAST(FLOOR(h.n / 2) + 1 AS BIGINT)
                            ELSE CAST(CEIL(h.n * 0.9) AS BIGINT) END AS rnk
        FROM cum h
        CROSS JOIN (SELECT 1 AS which UNION ALL SELECT 2 AS which UNION ALL SELECT 3 AS which) w) x
  WHERE upto - cnt < rnk AND rnk <= upto
),
pick AS (
  SELECT w.month, w.as_of, w.all_teams, w.team, w.type, w.which, w.pos, r.handled_s,
         ROW_NUMBER() OVER (PARTITION BY w.month, w.as_of, w.all_teams, w.team, w.type, w.which
                            ORDER BY r.handled_s ASC NULLS LAST) AS rn
  FROM want w
  JOIN res r ON r.month = w.month AND r.as_of = w.as_of AND r.type = w.type AND r.bucket = w.bucket
            AND (w.all_teams = 1 OR r.team = w.team)
),
stats AS (
  SELECT month, as_of, all_teams, team, type,
         MAX(CASE WHEN which = 1 AND rn = pos THEN handled_s END) AS median_lo_s,
         MAX(CASE WHEN which = 2 AND rn = pos THEN handled_s END) AS median_hi_s,
         MAX(CASE WHEN which = 3 AND rn = pos THEN handled_s END) AS p90_s
  FROM pick
  GROUP BY month, as_of, all_teams, team, type
)
SELECT t.month, t.as_of, t.team, t.type,
       t.received, t.resolved, t.within, t.open_past_limit,
       CAST(t.limit_min_s AS DOUBLE) AS limit_min_s, CAST(t.limit_max_s AS DOUBLE) AS limit_max_s,
       s.median_lo_s, s.median_hi_s, s.p90_s,
       y.median_lo_s AS type_median_lo_s, y.median_hi_s AS type_median_hi_s, y.p90_s AS type_p90_s
FROM counts t
LEFT JOIN stats s ON s.all_teams = 0 AND s.month = t.month AND s.as_of = t.as_of AND s.team = t.team
                 AND s.type = t.type
LEFT JOIN stats y ON y.all_teams = 1 AND y.month = t.month AND y.as_of = t.as_of AND y.type = t.type
ORDER BY t.month ASC NULLS LAST, t.as_of ASC NULLS LAST, t.team ASC NULLS LAST, t.type ASC NULLS LAST
