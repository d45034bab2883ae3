-- complaints_problems: the raw complaint rows Charter would refuse if it read them itself
-- (a repeated id, a resolution before the complaint was received, no time received, a type
-- without a time limit). A summary must not count what the raw build would reject, so both
-- runners run this first and stop, naming the problems, when it has any rows.
--
-- Reads: complaints (as the other files), complaint_limits.
-- Gives: problem VARCHAR, id VARCHAR — one row per offending row (per repeated id).
-- Dialects: DuckDB and Spark SQL 3.4+, unchanged.
SELECT 'a repeated id' AS problem, id FROM complaints GROUP BY id HAVING COUNT(*) > 1
UNION ALL
SELECT 'resolved_at before received_at' AS problem, id FROM complaints WHERE resolved_at < received_at
UNION ALL
SELECT 'no received_at' AS problem, id FROM complaints WHERE received_at IS NULL
UNION ALL
SELECT 'a type with no time limit in complaint_limits' AS problem, id FROM complaints
WHERE type IS NULL OR type NOT IN (SELECT type FROM complaint_limits)
