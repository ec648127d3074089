#!/usr/bin/env bash
# Ingest speed benchmark (issue 22: at least 1,000 generated articles per second at 100,000):
# generates a deterministic wire-style corpus with `gen-corpus`, ingests its JSONL into a fresh
# database with the release binary, and prints the wall time, articles per second, CPU, peak
# memory and the database's size. A benchmark to run by hand, not a test: the figure depends on
# the machine and on what else runs on it.
#
# Usage: bench/ingest.sh [N=100000] [SEED=42]
# Needs: cargo, /usr/bin/time (Debian package `time`). SKIP_BUILD=1 uses the binaries already in
# $CARGO_TARGET_DIR (default target/); WORK=DIR keeps the corpus and database there (else a
# temporary folder, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
SEED=${2:-42}
command -v /usr/bin/time > /dev/null || { echo "error: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
if [ -z "${WORK:-}" ]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== building (release)"
  cargo build --release -q -p frontline -p frontline-bench --bin frontline --bin gen-corpus
fi
TARGET=${CARGO_TARGET_DIR:-target}
FL="$TARGET/release/frontline"

if [ ! -f "$WORK/corpus-$N-$SEED/corpus.jsonl" ]; then
  echo "== generating $N articles (seed $SEED)"
  "$TARGET/release/gen-corpus" "$WORK/corpus-$N-$SEED" "$N" "$SEED" > /dev/null
fi
DB="$WORK/ingest-$N.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
echo "== ingesting $N articles into a fresh database"
/usr/bin/time -f '%e s wall, %U s user, %S s system, peak %M KiB' -o "$WORK/time.txt" \
  "$FL" -q ingest --db "$DB" "$WORK/corpus-$N-$SEED/corpus.jsonl"
WALL=$(awk '{print $1}' "$WORK/time.txt")
echo "$(cat "$WORK/time.txt")"
awk -v n="$N" -v w="$WALL" 'BEGIN { printf "%.0f articles/s\n", n / w }'
SIZE=$(stat -c %s "$DB")
awk -v s="$SIZE" -v n="$N" 'BEGIN { printf "database %.3f GB (%.1f KB per article)\n", s / 1e9, s / n / 1e3 }'
