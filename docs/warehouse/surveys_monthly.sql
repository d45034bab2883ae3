-- surveys_monthly: survey responses per month x team, split as Charter's NPS counts them
-- (9-10 promoter, 7-8 passive, 0-6 detractor).
--
-- Reads (tables or views the runner binds):
--   surveys(date DATE, team VARCHAR, score INTEGER)   raw responses
--   build(today DATE)                                 the build date (--today)
-- Writes one row per (month, team) with at least one response dated on or before today:
--   month DATE (first day of the month), as_of DATE (= min(last day of the month, today)),
--   team VARCHAR, promoters, passives, detractors, responses BIGINT
-- Responses dated after today are left out, as Charter leaves them out of a build on today.
-- Dialects: DuckDB and Spark SQL 3.4+, unchanged; run with the session time zone UTC.
SELECT r.month, LEAST(last_day(r.month), b.today) AS as_of, r.team,
       COUNT(CASE WHEN r.score >= 9 THEN 1 END) AS promoters,
       COUNT(CASE WHEN r.score IN (7, 8) THEN 1 END) AS passives,
       COUNT(CASE WHEN r.score <= 6 THEN 1 END) AS detractors,
       COUNT(*) AS responses,
       b.today AS made_for   -- the build date it was made for: Charter refuses it for another
FROM (SELECT CAST(date_trunc('MONTH', s.date) AS DATE) AS month, s.team, s.score
      FROM surveys s CROSS JOIN build b
      WHERE s.date <= b.today) r
CROSS JOIN build b
GROUP BY r.month, b.today, r.team
ORDER BY r.month ASC NULLS LAST, r.team ASC NULLS LAST
