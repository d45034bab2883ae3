#!/usr/bin/env python3
"""Writes N synthetic complaint records for the scale benchmarks of Charter's warehouse path.

usage: gen_complaints.py --rows N --out FILE [--format csv|parquet] [--seed S]
                         [--data DIR] [--row-group-size N] [--compression snappy|zstd|gzip|lz4]

The rows have the columns Charter reads from data/complaints.csv (id, type, channel, team,
received_at, resolved_at). They name the teams of DIR/org.yaml and the complaint types of
DIR/complaint_types.yaml (DIR defaults to the example's data/ folder), so the example site
builds from them, and the channels the example's complaints.csv uses. Everything is drawn
from a counter-based hash of the row number and the seed, in DuckDB's own arithmetic, so the
same arguments give the same file on every machine and DuckDB streams the rows straight to
the output (memory stays flat at any N).

- received_at: spread evenly over 2025-05-01 .. 2026-11-30 (the example's months and the one
  after), to the second, in row order (as a warehouse export sorted by time would be);
- the handling time is log-normal per type, its median and spread following the example
  (staff attitude quicker than product quality); about 2 % of the complaints are never
  resolved, and those resolved after a build date simply count as open then;
- teams and channels are uniform; the types follow the example's mix (40 %, 39 %, 21 % for
  the first three types of complaint_types.yaml, the rest evenly after them).

Needs the `duckdb` Python package (the version .ci/run installs); nothing else.
"""
import argparse
import csv
import os
import re
import sys
import time

FIRST = "2025-05-01 00:00:00"
# 2025-05-01 .. 2026-12-01 (exclusive): 19 months in seconds.
SPAN_S = (365 + 214) * 86400
# Median handling hours and log-normal sigma per type position (the example's shape:
# attitude median 9 h / p90 16 h, quality 34 h / 68 h, other 30 h / 55 h); later types
# repeat the list.
HANDLING = [(9.0, 0.45), (34.0, 0.54), (30.0, 0.47)]
TYPE_SHARE = [40, 39, 21]
NEVER_RESOLVED_PER_MILLE = 20


def fail(message):
    sys.exit(f"gen_complaints.py: error: {message}")


def flow_ids(path, section):
    """The `id:` of each `- {id: …}` item of a YAML list (top level, or under `section:`)."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        fail(f"cannot read {path}: {e.strerror}")
    ids, inside = [], section is None
    for line in lines:
        if section is not None and re.match(r"^\S", line):
            inside = line.startswith(f"{section}:")
            continue
        m = re.match(r"^\s*-\s*\{\s*id:\s*([^,}\s]+)", line)
        if inside and m:
            ids.append(m.group(1).strip("'\""))
    if not ids:
        fail(f"{path}: found no `- {{id: …}}` items{'' if section is None else f' under `{section}:`'}")
    return ids


def channels(path):
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            found = sorted({row["channel"] for row in csv.DictReader(f) if row.get("channel")})
    except (OSError, KeyError):
        found = []
    return found or ["hotline", "online chat", "store desk", "comment box", "social media"]


def sql_list(values):
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description="Synthetic complaint rows for Charter's warehouse benchmarks.")
    p.add_argument("--rows", type=int, required=True, help="how many complaint rows")
    p.add_argument("--out", required=True, help="the file to write")
    p.add_argument("--format", choices=["csv", "parquet"], help="default: from the file name, else parquet")
    p.add_argument("--seed", type=int, default=23, help="the same seed gives the same rows (default 23)")
    p.add_argument("--data", default=os.path.join(here, "..", "..", "data"),
                   help="the data folder whose org.yaml and complaint_types.yaml are named (default: the example's)")
    p.add_argument("--row-group-size", type=int, default=1_000_000, help="Parquet rows per row group")
    p.add_argument("--compression", choices=["snappy", "zstd", "gzip", "lz4"], default="snappy")
    a = p.parse_args()
    if a.rows < 1 or a.rows >= 2**32:
        fail("--rows must be between 1 and 4294967295")
    if not 0 <= a.seed < 2**31:
        fail("--seed must be between 0 and 2147483647")
    fmt = a.format or ("csv" if a.out.endswith(".csv") else "parquet")
    try:
        import duckdb
    except ImportError:
        fail("the `duckdb` Python package is not installed (pip install duckdb)")

    teams = flow_ids(os.path.join(a.data, "org.yaml"), "teams")
    types = flow_ids(os.path.join(a.data, "complaint_types.yaml"), None)
    chans = channels(os.path.join(a.data, "complaints.csv"))
    shares = [TYPE_SHARE[k] if k < len(TYPE_SHARE) else 0 for k in range(len(types))]
    if len(types) > len(TYPE_SHARE):
        rest = max(1, (100 - sum(shares[: len(TYPE_SHARE)])) // (len(types) - len(TYPE_SHARE)))
        shares = shares[: len(TYPE_SHARE)] + [rest] * (len(types) - len(TYPE_SHARE))
    # Type k is picked when the draw (0..sum) falls below the running total of the shares.
    bounds, total = [], 0
    for s in shares:
        total += s
        bounds.append(total)
    type_case = " ".join(f"WHEN u_type * {total} < {b} THEN '{t}'" for t, b in zip(types, bounds))
    medians = [HANDLING[k % len(HANDLING)] for k in range(len(types))]
    mu_case = " ".join(f"WHEN '{t}' THEN {m}" for t, (m, _) in zip(types, medians))
    sigma_case = " ".join(f"WHEN '{t}' THEN {s}" for t, (_, s) in zip(types, medians))
    width = max(6, len(str(a.rows - 1)))

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = true")
    # A 32-bit integer hash (a bijection on 0 .. 2^32-1), so every draw is a pure function of
    # (row, stream, seed) and independent of DuckDB's own hash().
    con.execute("CREATE MACRO step32(x) AS (xor(x >> 16, x) * 73244475) % 4294967296")
    con.execute("CREATE MACRO mix32(x) AS xor(step32(step32(x)) >> 16, step32(step32(x)))")
    con.execute(f"""CREATE MACRO draw(i, k) AS
        CAST(mix32((mix32(i % 4294967296) + k * 2654435769 + {a.seed} * 2246822507) % 4294967296) AS DOUBLE)
        / 4294967296.0""")
    query = f"""
      WITH r AS (
        SELECT i, draw(i, 1) AS u_type, draw(i, 2) AS u_team, draw(i, 3) AS u_chan,
               draw(i, 4) AS u_time, draw(i, 5) AS u1, draw(i, 6) AS u2, draw(i, 7) AS u_open
        FROM range({a.rows}) t(i)),
      c AS (
        SELECT i, CASE {type_case} ELSE {sql_list(types)}[{len(types)}] END AS type,
               {sql_list(teams)}[1 + CAST(floor(u_team * {len(teams)}) AS INTEGER)] AS team,
               {sql_list(chans)}[1 + CAST(floor(u_chan * {len(chans)}) AS INTEGER)] AS channel,
               TIMESTAMP '{FIRST}' + to_seconds(CAST(floor((i + u_time) * {SPAN_S} / {a.rows}) AS BIGINT)) AS received_at,
               u1, u2, u_open
        FROM r)
      SELECT printf('C%0{width}d', i) AS id, type, channel, team,
             received_at,
             CASE WHEN u_open * 1000 < {NEVER_RESOLVED_PER_MILLE} THEN NULL
                  ELSE received_at + to_seconds(GREATEST(60, CAST(round(
                       3600 * (CASE type {mu_case} END)
                       * exp((CASE type {sigma_case} END)
                             * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2))) AS BIGINT))) END AS resolved_at
      FROM c"""
    out = os.path.abspath(a.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    started = time.time()
    try:
        if fmt == "parquet":
            con.execute(f"COPY ({query}) TO '{out}' (FORMAT parquet, COMPRESSION {a.compression}, "
                        f"ROW_GROUP_SIZE {a.row_group_size})")
        else:
            con.execute(f"""COPY (SELECT id, type, channel, team,
                  strftime(received_at, '%Y-%m-%d %H:%M:%S') AS received_at,
                  strftime(resolved_at, '%Y-%m-%d %H:%M:%S') AS resolved_at FROM ({query}))
                TO '{out}' (FORMAT csv, HEADER true)""")
    except duckdb.Error as e:
        fail(f"writing {a.out}: {e}")
    print(f"{a.out}: {a.rows} rows ({fmt}), {os.path.getsize(out)} bytes in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
