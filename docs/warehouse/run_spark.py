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
import argparse
import glob
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_duckdb import (  # noqa: E402 (the folder is put on the path first)
    COMPLAINT_COLUMNS, COMPLAINT_TABLES, COMPLAINTS_VIEW, LIMIT_COLUMNS, SURVEY_COLUMNS, SURVEY_TABLES,
    Failure, input_file, parse_today, snapshot_days, sql_text)

SPARK_TYPES = {"VARCHAR": "string", "TIMESTAMP": "timestamp", "DATE": "date", "INTEGER": "int", "DOUBLE": "double"}


def typed_view(spark, path, columns, name):
    """`name` as a temp view of `columns` read by name from a CSV (all text, then cast) or
    a Parquet file (cast to the same types)."""
    from pyspark.sql import functions as F
    if path.endswith(".csv"):
        df = spark.read.option("header", True).option("encoding", "UTF-8").csv(path)
    else:
        df = spark.read.parquet(path)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise Failure(f"{path} has no column {', '.join(missing)} (it has {', '.join(df.columns)})")
    df.select(*[F.col(c).cast(SPARK_TYPES[t]).alias(c) for c, t in columns.items()]).createOrReplaceTempView(name)


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
    today = parse_today(args.today)
    complaints = input_file(args.data, "complaints")
    surveys = input_file(args.data, "surveys")
    if complaints is None and surveys is None:
        raise Failure(f"{args.data} holds neither complaints.csv/.parquet nor surveys.csv/.parquet")
    limits = os.path.join(args.inputs, "complaint_limits.csv")
    if complaints is not None and not os.path.isfile(limits):
        raise Failure(f"{limits} is missing; write it with `charter warehouse-inputs --out {args.inputs}`")
    os.makedirs(args.out, exist_ok=True)
    spark = (SparkSession.builder.master(args.master).appName("charter-warehouse")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.sql(f"SELECT DATE '{today.isoformat()}' AS today").createOrReplaceTempView("build")
    tables = []
    if complaints is not None:
        typed_view(spark, complaints, COMPLAINT_COLUMNS, "complaints")
        typed_view(spark, limits, LIMIT_COLUMNS, "complaint_limits")
        spark.sql(sql_text(COMPLAINTS_VIEW)).createOrReplaceTempView(COMPLAINTS_VIEW)
        first = spark.sql("SELECT CAST(MIN(received_at) AS DATE) FROM complaints, build "
                          "WHERE received_at < CAST(date_add(today, 1) AS TIMESTAMP)").first()[0]
        days = snapshot_days(first, today) if first is not None else [today]
        spark.createDataFrame([(d,) for d in days], "as_of date").createOrReplaceTempView("snapshots")
        tables += COMPLAINT_TABLES
    else:
        print(f"no complaints file in {args.data}: {', '.join(COMPLAINT_TABLES)} skipped")
    if surveys is not None:
        typed_view(spark, surveys, SURVEY_COLUMNS, "surveys")
        tables += SURVEY_TABLES
    else:
        print(f"no surveys file in {args.data}: {', '.join(SURVEY_TABLES)} skipped")
    for name in tables:
        path = os.path.join(args.out, f"{name}.parquet")
        started = time.time()
        write_one_file(spark.sql(sql_text(name)), path, args.compression)
        rows = spark.read.parquet(path).count()
        print(f"{name}: {time.time() - started:.2f} s, {rows} rows, {os.path.getsize(path)} bytes -> {path}")
    spark.stop()


def main():
    p = argparse.ArgumentParser(description="Charter's warehouse SQL on Spark.")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("aggregate", help="write the aggregate tables from raw complaints and surveys")
    a.add_argument("--data", required=True, help="folder with complaints.csv/.parquet and surveys.csv/.parquet")
    a.add_argument("--inputs", required=True, help="folder with complaint_limits.csv (charter warehouse-inputs)")
    a.add_argument("--today", required=True, help="the build date, YYYY-MM-DD (charter build --today)")
    a.add_argument("--out", required=True, help="folder to write the .parquet tables into")
    a.add_argument("--compression", choices=["snappy", "zstd", "gzip", "lz4"], default="snappy")
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
