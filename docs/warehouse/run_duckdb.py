#!/usr/bin/env python3
"""Runs Charter's warehouse SQL in DuckDB, or converts Charter's raw CSVs to Parquet.

usage:
  run_duckdb.py aggregate --data DIR --inputs DIR --today YYYY-MM-DD --out DIR
                          [--compression snappy|zstd|gzip|lz4] [--memory-limit 8GB]
                          [--threads N] [--temp-dir DIR]
      Reads DIR/complaints.csv or DIR/complaints.parquet and DIR/surveys.csv or
      DIR/surveys.parquet (whichever exists; a table without a file is skipped),
      INPUTS/complaint_limits.csv (from `charter warehouse-inputs`), creates the view
      complaints_in_force.sql defines, runs the SQL files beside this script and writes OUT/complaints_monthly.parquet,
      OUT/complaints_open.parquet, OUT/complaints_open_counts.parquet and
      OUT/surveys_monthly.parquet. Prints the seconds and bytes of each table.
  run_duckdb.py raw --data DIR --out DIR [--compression …] [--row-group-size N]
      Converts DIR/complaints.csv, DIR/surveys.csv and DIR/metrics/*.csv to Parquet with
      typed columns (TIMESTAMP, DATE, INTEGER, DOUBLE, VARCHAR): OUT/complaints.parquet,
      OUT/surveys.parquet, OUT/metrics/NAME.parquet.

Needs the `duckdb` Python package and nothing else. Exits non-zero with a message on any
error. The session time zone is UTC, so timestamps stay the wall-clock times Charter reads.
"""
import argparse
import csv
import datetime
import glob
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COMPLAINT_TABLES = ["complaints_monthly", "complaints_open", "complaints_open_counts"]
SURVEY_TABLES = ["surveys_monthly"]
# The view the complaint tables read: each complaint with the time limit in force for it.
COMPLAINTS_VIEW = "complaints_in_force"
# The raw columns Charter documents, with the types the SQL and the Parquet files use.
COMPLAINT_COLUMNS = {"id": "VARCHAR", "type": "VARCHAR", "channel": "VARCHAR", "team": "VARCHAR",
                     "received_at": "TIMESTAMP", "resolved_at": "TIMESTAMP"}
SURVEY_COLUMNS = {"date": "DATE", "team": "VARCHAR", "score": "INTEGER"}
METRIC_COLUMNS = {"period": "VARCHAR", "subject": "VARCHAR", "kpi": "VARCHAR", "value": "DOUBLE"}
COMPRESSIONS = ["snappy", "zstd", "gzip", "lz4"]
LIMIT_COLUMNS = {"type": "VARCHAR", "from_at": "TIMESTAMP", "limit_seconds": "DOUBLE"}


class Failure(Exception):
    """An error worth one line to the user."""


def input_file(folder, stem):
    """DIR/STEM.csv or DIR/STEM.parquet, whichever exists; None when neither; both is an error."""
    found = [os.path.join(folder, f"{stem}.{ext}") for ext in ("csv", "parquet")
             if os.path.isfile(os.path.join(folder, f"{stem}.{ext}"))]
    if len(found) > 1:
        raise Failure(f"{found[0]} and {found[1]} both hold {stem}; keep one")
    return found[0] if found else None


def snapshot_days(first_received, today):
    """The days complaints_open_counts is taken as of: every month's last day before
    `today`, from the month of the first complaint on, and `today` itself."""
    days = []
    year, month = first_received.year, first_received.month
    while True:
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        last = following - datetime.timedelta(days=1)
        if last >= today:
            break
        days.append(last)
        year, month = following.year, following.month
    return days + [today]


def parse_today(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Failure(f"--today `{text}` is not a date in the form YYYY-MM-DD")


def sql_text(name):
    path = os.path.join(HERE, f"{name}.sql")
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise Failure(f"cannot read {path}: {e.strerror}")


def quote(path):
    return "'" + path.replace("'", "''") + "'"


def typed_source(path, columns, con=None, utc_offset=None):
    """A SELECT of `columns` from a CSV (typed by name; other columns ignored) or a Parquet
    file (cast to the same types). Instants (TIMESTAMP WITH TIME ZONE) in a Parquet file
    become the organisation's wall-clock time, `utc_offset` seconds from UTC, as Charter
    reads them with `time_zone:`; without an offset, UTC's (with a warning, as Charter)."""
    names = ", ".join(columns)
    if path.endswith(".csv"):
        types = ", ".join(f"'{c}': '{t}'" for c, t in columns.items())
        # Charter's CSV dialect spelled out: a quoted comma late in a big file must not
        # depend on what DuckDB's sniffer saw in its sample.
        return (f"SELECT {names} FROM read_csv({quote(path)}, header = true, delim = ',', quote = '\"', "
                f"escape = '\"', types = {{{types}}})")
    instants = set()
    if con is not None:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({quote(path)})").fetchall()
        instants = {row[0] for row in described if row[1] == "TIMESTAMP WITH TIME ZONE"} & set(columns)
    for c in sorted(instants):
        if utc_offset is None:
            print(f"warning: {path}: column {c} holds instants (TIMESTAMP WITH TIME ZONE), read in UTC; "
                  "set `time_zone:` in charter.yaml and rerun `charter warehouse-inputs`", file=sys.stderr)

    def cast(c, t):
        if c in instants:
            return f"CAST({c} AS TIMESTAMP) + to_seconds({int(utc_offset or 0)}) AS {c}"
        return f"CAST({c} AS {t}) AS {c}"
    casts = ", ".join(cast(c, t) for c, t in columns.items())
    return f"SELECT {casts} FROM read_parquet({quote(path)})"


def read_utc_offset(inputs):
    """The organisation's offset from UTC in seconds, from INPUTS/settings.csv (written by
    `charter warehouse-inputs` from charter.yaml's `time_zone:`); None when not set."""
    path = os.path.join(inputs, "settings.csv")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    value = (rows[0].get("utc_offset_seconds") or "").strip() if rows else ""
    return int(value) if value else None


def connect(args):
    import duckdb
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    if getattr(args, "memory_limit", None):
        con.execute(f"SET memory_limit = {quote(args.memory_limit)}")
    if getattr(args, "threads", None):
        con.execute(f"SET threads = {int(args.threads)}")
    return con


def problems_message(rows):
    """One line per kind of problem in `complaints_problems` rows (problem, count, first id)."""
    parts = [f"{n} with {problem} (the first: {first})" for problem, n, first in rows]
    return ("complaints: " + "; ".join(parts) + ". Charter refuses these rows in a raw build, "
            "so a summary must not count them: fix them in the warehouse")


PROBLEMS_BY_KIND = ("SELECT problem, COUNT(*) AS n, MIN(id) AS first FROM (\n{}\n) p "
                    "GROUP BY problem ORDER BY problem")


def copy_out(con, query, path, args, row_group_size=None):
    options = f"FORMAT parquet, COMPRESSION {args.compression}"
    if row_group_size:
        options += f", ROW_GROUP_SIZE {row_group_size}"
    started = time.time()
    # The newline keeps a trailing `--` comment of the query from swallowing the bracket.
    con.execute(f"COPY (\n{query}\n) TO {quote(path)} ({options})")
    return time.time() - started


class Plan:
    """What an `aggregate` run reads and writes, checked before any engine starts."""

    def __init__(self, args):
        self.today = parse_today(args.today)
        self.complaints = input_file(args.data, "complaints")
        self.surveys = input_file(args.data, "surveys")
        if self.complaints is None and self.surveys is None:
            raise Failure(f"{args.data} holds neither complaints.csv/.parquet nor surveys.csv/.parquet")
        self.limits = os.path.join(args.inputs, "complaint_limits.csv")
        self.utc_offset = read_utc_offset(args.inputs)
        if self.complaints is not None and not os.path.isfile(self.limits):
            raise Failure(f"{self.limits} is missing; write it with `charter warehouse-inputs --out {args.inputs}`")
        self.tables = []
        for found, names, what in ((self.complaints, COMPLAINT_TABLES, "complaints"),
                                   (self.surveys, SURVEY_TABLES, "surveys")):
            if found is None:
                print(f"no {what} file in {args.data}: {', '.join(names)} skipped")
            else:
                self.tables += names
        os.makedirs(args.out, exist_ok=True)

    def snapshot_days(self, first_received):
        return [self.today] if first_received is None else snapshot_days(first_received, self.today)

    @staticmethod
    def report(name, seconds, rows, path):
        print(f"{name}: {seconds:.2f} s, {rows} rows, {os.path.getsize(path)} bytes -> {path}")


# The first complaint received by the end of the build day (the first snapshot's month).
FIRST_RECEIVED = ("SELECT CAST(MIN(received_at) AS DATE) FROM complaints, build "
                  "WHERE received_at < CAST(date_add(today, 1) AS TIMESTAMP)")


def aggregate(args):
    plan = Plan(args)
    con = connect(args)
    temp = tempfile.TemporaryDirectory(prefix="charter-duckdb-", dir=args.temp_dir)
    con.execute(f"SET temp_directory = {quote(temp.name)}")
    # Spark's built-in: whole seconds since 1970-01-01 00:00 (UTC), sub-seconds dropped.
    con.execute("CREATE MACRO unix_seconds(ts) AS epoch_us(ts) // 1000000")
    con.execute(f"CREATE TABLE build AS SELECT DATE '{plan.today.isoformat()}' AS today")
    if plan.complaints is not None:
        source = typed_source(plan.complaints, COMPLAINT_COLUMNS, con, plan.utc_offset)
        con.execute(f"CREATE VIEW complaints AS {source}")
        con.execute(f"CREATE TABLE complaint_limits AS {typed_source(plan.limits, LIMIT_COLUMNS)}")
        problems = con.execute(PROBLEMS_BY_KIND.format(sql_text("complaints_problems"))).fetchall()
        if problems:
            raise Failure(problems_message(problems))
        con.execute(f"CREATE VIEW {COMPLAINTS_VIEW} AS\n{sql_text(COMPLAINTS_VIEW)}\n")
        days = plan.snapshot_days(con.execute(FIRST_RECEIVED).fetchone()[0])
        con.execute("CREATE TABLE snapshots (as_of DATE)")
        con.executemany("INSERT INTO snapshots VALUES (?)", [[d] for d in days])
    if plan.surveys is not None:
        con.execute(f"CREATE VIEW surveys AS {typed_source(plan.surveys, SURVEY_COLUMNS)}")
    for name in plan.tables:
        path = os.path.join(args.out, f"{name}.parquet")
        seconds = copy_out(con, sql_text(name), path, args)
        plan.report(name, seconds, con.execute(f"SELECT COUNT(*) FROM read_parquet({quote(path)})").fetchone()[0], path)
    temp.cleanup()


def raw(args):
    os.makedirs(args.out, exist_ok=True)
    jobs = []
    for stem, columns in (("complaints", COMPLAINT_COLUMNS), ("surveys", SURVEY_COLUMNS)):
        path = os.path.join(args.data, f"{stem}.csv")
        if os.path.isfile(path):
            jobs.append((path, typed_source(path, columns), os.path.join(args.out, f"{stem}.parquet")))
    metrics = sorted(glob.glob(os.path.join(args.data, "metrics", "*.csv")))
    if metrics:
        os.makedirs(os.path.join(args.out, "metrics"), exist_ok=True)
    for path in metrics:
        stem = os.path.splitext(os.path.basename(path))[0]
        # A value may be written `92.5%` (for a KPI in percent), as Charter's CSV allows.
        text = typed_source(path, {**METRIC_COLUMNS, "value": "VARCHAR"})
        query = (f"SELECT period, subject, kpi, CAST(NULLIF(rtrim(trim(value), '%'), '') AS DOUBLE) AS value "
                 f"FROM ({text})")
        jobs.append((path, query, os.path.join(args.out, "metrics", f"{stem}.parquet")))
    if not jobs:
        raise Failure(f"{args.data} holds no complaints.csv, surveys.csv or metrics/*.csv")
    con = connect(args)
    for source, query, target in jobs:
        seconds = copy_out(con, query, target, args, args.row_group_size)
        print(f"{source} -> {target}: {seconds:.2f} s, {os.path.getsize(target)} bytes")


def aggregate_parser(engine):
    """The `aggregate` command line both runners share; returns (parser, its subparsers,
    the aggregate subparser) for each runner to add its own options."""
    p = argparse.ArgumentParser(description=f"Charter's warehouse SQL on {engine}.")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("aggregate", help="write the aggregate tables from raw complaints and surveys")
    a.add_argument("--data", required=True, help="folder with complaints.csv/.parquet and surveys.csv/.parquet")
    a.add_argument("--inputs", required=True, help="folder with complaint_limits.csv (charter warehouse-inputs)")
    a.add_argument("--today", required=True, help="the build date, YYYY-MM-DD (charter build --today)")
    a.add_argument("--out", required=True, help="folder to write the .parquet tables into")
    a.add_argument("--compression", choices=COMPRESSIONS, default="snappy")
    return p, sub, a


def parser():
    p, sub, a = aggregate_parser("DuckDB")
    a.add_argument("--memory-limit", help="DuckDB's memory_limit, e.g. 8GB (it spills to --temp-dir beyond)")
    a.add_argument("--threads", type=int, help="DuckDB's threads (default: all cores)")
    a.add_argument("--temp-dir", help="where DuckDB may spill (default: the system's temporary folder)")
    r = sub.add_parser("raw", help="convert the raw CSVs to typed Parquet")
    r.add_argument("--data", required=True, help="folder with complaints.csv, surveys.csv, metrics/*.csv")
    r.add_argument("--out", required=True, help="folder to write the .parquet files into")
    r.add_argument("--row-group-size", type=int, help="rows per Parquet row group (DuckDB rounds up to whole 2,048-row vectors; "
                   "its default otherwise)")
    r.add_argument("--compression", choices=COMPRESSIONS, default="snappy")
    return p


def main():
    args = parser().parse_args()
    try:
        import duckdb
    except ImportError:
        sys.exit("run_duckdb.py: error: the `duckdb` Python package is not installed (pip install duckdb)")
    try:
        (aggregate if args.command == "aggregate" else raw)(args)
    except Failure as e:
        sys.exit(f"run_duckdb.py: error: {e}")
    except duckdb.Error as e:
        sys.exit(f"run_duckdb.py: error: DuckDB: {e}")
    except OSError as e:
        sys.exit(f"run_duckdb.py: error: {e}")


if __name__ == "__main__":
    main()
