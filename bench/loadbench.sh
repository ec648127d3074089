#!/usr/bin/env bash
# Load benchmark of the HTTP API at a million synthetic events (docs/performance.md, "API under
# load"). Builds the release example, builds the database once (about 4 minutes, 1.7 GB), then
# runs each case for at most SECONDS seconds per client connection.
#
#   bench/loadbench.sh [DB] [SECONDS]        default: /tmp/frontline-bench-1m.db 20
#   SKIP_BUILD=1 bench/loadbench.sh ...      reuse target/release/examples/loadbench
set -euo pipefail
DB=${1:-/tmp/frontline-bench-1m.db}
SECONDS_PER_RUN=${2:-20}
TARGET=${CARGO_TARGET_DIR:-target}
if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release --locked -p frontline-server --example loadbench
fi
LB="$TARGET/release/examples/loadbench"
"$LB" --db "$DB" --events 1000000 --build-only
run() { "$LB" --db "$DB" --seconds "$SECONDS_PER_RUN" --requests 100000 "$@" | grep -v 'fused events already'; }
echo "# $(date -u +%FT%TZ) $(uptime)"
# bbox sizes x concurrency, 30-day window
for c in 1 2 8; do
  for box in city country region; do
    run --box "$box" --window 30 --concurrency "$c"
  done
done
# time windows, concurrency 2
for w in 7 365; do
  for box in city country region; do
    run --box "$box" --window "$w" --concurrency 2
  done
done
# a type filter, date-only filters, no filter at all, and /api/stats
run --box country --window 30 --type ASSAULT --concurrency 2
run --box world --window 30 --concurrency 2
run --box world --window 0 --concurrency 1 --seconds 30 --requests 5
run --box country --window 30 --endpoint stats --concurrency 2
run --box world --window 365 --endpoint stats --concurrency 1 --requests 10
run --box world --window 0 --endpoint stats --concurrency 1 --seconds 30 --requests 5
echo "# $(date -u +%FT%TZ) $(uptime)"
