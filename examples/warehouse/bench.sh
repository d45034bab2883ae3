#!/usr/bin/env bash
# The warehouse scale benchmark (issue 23): Charter's build of the example with its
# complaints replaced by N synthetic ones, three ways — raw rows as CSV, raw rows as
# Parquet, and DuckDB's summaries of them — plus how long DuckDB takes to summarise.
# Prints wall seconds and peak memory (GNU time) for each.
#
# usage: examples/warehouse/bench.sh ROWS [WORK_DIR]
#   ROWS      complaint rows, e.g. 5000000 (CSV stops at 512 MiB: about 6 million rows;
#             raw Parquet is built up to 20 million; 100000000 builds from summaries only
#             and needs about 10 GB for DuckDB)
#   WORK_DIR  where the data and sites go (default /tmp/charter-warehouse-bench)
# Needs: target/release/charter (cargo build --release), /usr/bin/time, and a Python
# with duckdb (CHARTER_DUCKDB_PYTHON, as .ci/run sets; default python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:?rows}
work=${2:-/tmp/charter-warehouse-bench}
py=${CHARTER_DUCKDB_PYTHON:-python3}
charter=$PWD/target/release/charter
mkdir -p "$work"
measure() { # NAME COMMAND...: runs COMMAND, prints its wall time and peak RSS
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/$name.log" 2>&1 || { echo "$name failed:"; tail -5 "$work/$name.log"; exit 1; }
  read -r secs kib < "$work/time.txt"
  printf '%-34s %8.2f s %8d MiB\n' "$name" "$secs" "$((kib / 1024))"
}
site() { # NAME: a fresh copy of the example without its complaints
  rm -rf "$work/$1"; mkdir -p "$work/$1"
  git archive HEAD charter.yaml content data templates versions | tar -x -C "$work/$1"
  rm "$work/$1/data/complaints.csv"
}
today=2026-11-30
measure "generate $rows rows (Parquet)" "$py" examples/warehouse/gen_complaints.py --rows "$rows" --out "$work/complaints.parquet" --format parquet
"$charter" warehouse-inputs --out "$work/inputs" > /dev/null
mkdir -p "$work/raw" "$work/agg"; mv "$work/complaints.parquet" "$work/raw/"
measure "DuckDB: summaries of $rows rows" "$py" docs/warehouse/run_duckdb.py aggregate --data "$work/raw" --inputs "$work/inputs" --today $today --out "$work/agg"
# Raw rows cost Charter about 400 bytes each in memory: past 20 million, only the
# summaries are built (that is what they are for).
if [ "$rows" -le 20000000 ]; then
  site parquet; cp "$work/raw/complaints.parquet" "$work/parquet/data/"
  measure "Charter: raw rows from Parquet" "$charter" build --root "$work/parquet" --today $today --quiet
fi
site summaries; cp "$work"/agg/complaints_*.parquet "$work/summaries/data/"
measure "Charter: from the summaries" "$charter" build --root "$work/summaries" --today $today --quiet
if [ "$rows" -le 6000000 ]; then
  measure "generate $rows rows (CSV)" "$py" examples/warehouse/gen_complaints.py --rows "$rows" --out "$work/complaints.csv" --format csv
  site csv; mv "$work/complaints.csv" "$work/csv/data/"
  measure "Charter: raw rows from CSV" "$charter" build --root "$work/csv" --today $today --quiet
  # The same numbers three ways: every complaint report file is identical.
  diff -r "$work/csv/site/internal/reports/complaints" "$work/parquet/site/internal/reports/complaints" > /dev/null
  diff -r "$work/csv/site/internal/reports/complaints" "$work/summaries/site/internal/reports/complaints" > /dev/null
  echo "complaint reports identical from CSV, Parquet and summaries"
fi
du -sh "$work"/agg/*.parquet | sed 's|'"$work"'/agg/||'
