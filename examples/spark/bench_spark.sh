#!/usr/bin/env bash
# Spark local[2] throughput over a generated corpus against `frontline extract` on the same
# files with two threads (docs/python.md). Needs the wheel and pyspark in the active Python.
#
#   examples/spark/bench_spark.sh [ARTICLES] [CLI]     default: 10000 target/release/frontline
set -euo pipefail
N=${1:-10000}
CLI=${2:-target/release/frontline}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python examples/spark/make_corpus.py "$WORK/corpus" --articles "$N" --shards 8 --seed 7
echo "corpus: $N articles, $(du -sh "$WORK/corpus" | cut -f1)"
t0=$(date +%s.%N)
spark-submit --master 'local[2]' --conf spark.ui.enabled=false \
  examples/spark/frontline_spark.py "$WORK/corpus" "$WORK/out" 2>"$WORK/spark.log"
t1=$(date +%s.%N)
RAYON_NUM_THREADS=2 "$CLI" --quiet extract "$WORK/corpus" --format jsonl > "$WORK/cli.jsonl"
t2=$(date +%s.%N)
python - "$WORK" "$N" "$t0" "$t1" "$t2" <<'PY'
import json, sys
import pyarrow.parquet as pq
work, n, t0, t1, t2 = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
events = pq.read_table(f"{work}/out/events").num_rows
cli = sum(len(json.loads(l)["events"]) for l in open(f"{work}/cli.jsonl"))
spark, cli_s = t1 - t0, t2 - t1
print(f"spark local[2]: {spark:.1f} s, {n / spark:.0f} articles/s, {events} events "
      f"(extract + events + mentions Parquet, JVM start included)")
print(f"CLI extract, 2 threads: {cli_s:.1f} s, {n / cli_s:.0f} articles/s, {cli} events")
print(f"spark / CLI time: {spark / cli_s:.2f}")
PY
