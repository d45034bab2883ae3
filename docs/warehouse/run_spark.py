#!/usr/bin/env python3
"""Runs Charter's warehouse SQL on Apache Spark (pyspark), the same files DuckDB runs.

usage:
  run_spark.py aggregate --data DIR --inputs DIR --today YYYY-MM-DD --out DIR
                         [--compression snappy|zstd|gzip|lz4] [--master local[2]]

The same inputs and outputs as `run_duckdb.py aggregate`: DIR/complaints.csv or .parquet,
DIR/surveys.csv or .parquet, INPUTS/complaint_limits.csv (from `charter warehouse-inputs`),
and OUT/complaints_monthly.parquet, OUT/complaints_open.parquet,
OUT/complaints_open_counts.parquet, OUT/surveys_monthly.parquet, each one file.

The session time zone is UTC, and timestamps are written as Parquet TIMESTAMP (microseconds,
not adjusted to UTC), the type DuckDB writes, so Charter reads either engine's tables the
same way. On a cluster, point --master at it (or use spark-submit) and --data at the
warehouse export; the SQL needs no change. Needs pyspark (3.4 or later) and Java.
"""
import glob
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # importing the DuckDB runner must leave no __pycache__ in docs/
from run_duckdb import (  # noqa: E402 (the folder is put on the path first)
    COMPLAINT_COLUMNS, COMPLAINTS_VIEW, FIRST_RECEIVED, LIMIT_COLUMNS, PROBLEMS_BY_KIND, SURVEY_COLUMNS, Failure,
    Plan, aggregate_parser, problems_message, sql_text)

SPARK_TYPES = {"VARCHAR": "string", "TIMESTAMP": "timestamp", "DATE": "date", "INTEGER": "int", "DOUBLE": "double"}


def typed_view(spark, path, columns, name, utc_offset=None):
    """`name` as a temp view of `columns` read by name from a CSV (all text, then cast) or
    a Parquet file (cast to the same types). Instants in a Parquet file (Spark's TIMESTAMP)
    become the organisation's wall-clock time, `utc_offset` seconds from UTC (the session
    is UTC), as Charter reads them with `time_zone:`."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import TimestampType
    if path.endswith(".csv"):
        df = spark.read.option("header", True).option("encoding", "UTF-8").csv(path)
    else:
        df = spark.read.parquet(path)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise Failure(f"{path} has no column {', '.join(missing)} (it has {', '.join(df.columns)})")
    instants = {f.name for f in df.schema.fields if isinstance(f.dataType, TimestampType)} if not path.endswith(".csv") else set()

    def cast(c, t):
        if c in instants:
            return (F.col(c).cast("timestamp_ntz") + F.expr(f"INTERVAL {int(utc_offset or 0)} SECONDS")).cast("timestamp").alias(c)
        return F.col(c).cast(SPARK_TYPES[t]).alias(c)
    df.select(*[cast(c, t) for c, t in columns.items()]).createOrReplaceTempView(name)


def write_one_file(df, path, compression):
    """Writes `df` as the single Parquet file `path` (Spark writes a folder of parts)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import TimestampType
    # TIMESTAMP (zone-aware in Spark) -> TIMESTAMP_NTZ: the UTC wall time, as DuckDB writes it.
    df = df.select(*[F.col(f.name).cast("timestamp_ntz").alias(f.name) if isinstance(f.dataType, TimestampType)
                     else F.col(f.name) for f in df.schema.fields])
    parts = tempfile.mkdtemp(prefix="charter-spark-", dir=os.path.dirname(os.path.abspath(path)))
    try:
        df.coalesce(1).write.mode("overwrite").option("compression", compression).parquet(parts + "/t")
        files = glob.glob(os.path.join(parts, "t", "part-*.parquet"))
        if len(files) != 1:
            raise Failure(f"Spark wrote {len(files)} part files for {path}, expected 1")
        shutil.move(files[0], path)
    finally:
        shutil.rmtree(parts, ignore_errors=True)


def aggregate(args):
    from pyspark.sql import SparkSession
    plan = Plan(args)
    spark = (SparkSession.builder.master(args.master).appName("charter-warehouse")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.sql(f"SELECT DATE '{plan.today.isoformat()}' AS today").createOrReplaceTempView("build")
    if plan.complaints is not None:
        typed_view(spark, plan.complaints, COMPLAINT_COLUMNS, "complaints", plan.utc_offset)
        typed_view(spark, plan.limits, LIMIT_COLUMNS, "complaint_limits")
        problems = [tuple(r) for r in spark.sql(PROBLEMS_BY_KIND.format(sql_text("complaints_problems"))).collect()]
        if problems:
            raise Failure(problems_message(problems))
        spark.sql(sql_text(COMPLAINTS_VIEW)).createOrReplaceTempView(COMPLAINTS_VIEW)
        days = plan.snapshot_days(spark.sql(FIRST_RECEIVED).first()[0])
        spark.createDataFrame([(d,) for d in days], "as_of date").createOrReplaceTempView("snapshots")
    if plan.surveys is not None:
        typed_view(spark, plan.surveys, SURVEY_COLUMNS, "surveys")
    for name in plan.tables:
        path = os.path.join(args.out, f"{name}.parquet")
        started = time.time()
        write_one_file(spark.sql(sql_text(name)), path, args.compression)
        plan.report(name, time.time() - started, spark.read.parquet(path).count(), path)
    spark.stop()


def main():
    p, _, a = aggregate_parser("Spark")
    a.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    args = p.parse_args()
    try:
        import pyspark  # noqa: F401
    except ImportError:
        sys.exit("run_spark.py: error: the `pyspark` package is not installed (pip install pyspark)")
    from pyspark.errors import PySparkException
    try:
        aggregate(args)
    except Failure as e:
        sys.exit(f"run_spark.py: error: {e}")
    except PySparkException as e:
        sys.exit(f"run_spark.py: error: Spark: {e}")
    except OSError as e:
        sys.exit(f"run_spark.py: error: {e}")


if __name__ == "__main__":
    main()
