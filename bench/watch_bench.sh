#!/usr/bin/env bash
# Benchmark of `frontline watch` against a synthetic site on loopback (see docs/deploy.md):
#   bench/watch_bench.sh POLL_S DURATION_S [FEEDS] [ITEMS]
# FEEDS feeds (default 200) of ITEMS items (default 20), each gaining a new item every POLL_S
# seconds, polled every POLL_S seconds. Prints the steady-state CPU and memory of `watch`
# (second half of the run), the latency (p50, p95) of items published during the run from
# their appearance in the feed to their document being stored and to their event being
# visible in the API (bench/watch_api_latency.py polls /api/events?updated_since= every
# 0.25 s), and, after a freeze and a restart with --once, the polls that were not 304 and the
# duplicate documents (both should be 0).
# Needs: cargo build --release -p frontline && cargo build --release -p frontline-watch --example feed_site
set -euo pipefail
POLL=${1:-60}; DUR=${2:-300}; FEEDS=${3:-200}; ITEMS=${4:-20}
B=${FRONTLINE_BIN:-target/release/frontline}
SITE=${FEED_SITE_BIN:-target/release/examples/feed_site}
W=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
"$SITE" 127.0.0.1:$PORT "$FEEDS" "$ITEMS" "$POLL" "$W/published.tsv" & SITE_PID=$!
trap 'kill $SITE_PID 2>/dev/null || true' EXIT
{
  printf '[watch]\nuser_agent = "frontline-bench/1"\nper_host_interval_s = 0\nper_host_concurrency = 8\n'
  printf 'concurrency = 8\npoll_s = %s\n' "$POLL"
  for i in $(seq 0 $((FEEDS - 1))); do
    printf '[[feed]]\nurl = "http://127.0.0.1:%s/feed/%s.xml"\noutlet = "Bench %s"\nlanguage = "en"\n' "$PORT" "$i" "$i"
  done
} > "$W/feeds.toml"
sleep 1
"$B" watch --config "$W/feeds.toml" --db "$W/watch.db" --serve 127.0.0.1:$((PORT + 1)) 2> "$W/watch.log" & WPID=$!
python3 "$(dirname "$0")/watch_api_latency.py" "http://127.0.0.1:$((PORT + 1))" "$W/api_seen.tsv" "$W/api.stop" 0.25 \
  2> "$W/api_poll.log" & APID=$!
ticks() { awk '{print $14 + $15}' /proc/$WPID/stat; }
sleep $((DUR / 2))
t1=$(ticks); s1=$(date +%s.%N)
rss_samples=()
for _ in $(seq 1 $((DUR / 2 / 5))); do
  sleep 5
  rss_samples+=("$(awk '/VmRSS/ {print $2}' /proc/$WPID/status)")
done
t2=$(ticks); s2=$(date +%s.%N)
hwm=$(awk '/VmHWM/ {print $2}' /proc/$WPID/status)
curl -s "http://127.0.0.1:$((PORT + 1))/metrics" > "$W/metrics.txt" || true
# Freeze the site, let one more poll round see the final state, stop with SIGTERM.
touch "$W/published.tsv.freeze"
sleep $((POLL + 5))
touch "$W/api.stop"; wait $APID || true
kill -TERM $WPID; wait $WPID || true
CLK=$(getconf CLK_TCK)
echo "work dir: $W"
python3 - "$t1" "$t2" "$s1" "$s2" "$CLK" "$hwm" "${rss_samples[@]}" <<'PY'
import sys, statistics
t1, t2, s1, s2, clk, hwm = (float(x) for x in sys.argv[1:7])
rss = [int(x) for x in sys.argv[7:]]
print(f"steady-state CPU: {100 * (t2 - t1) / clk / (s2 - s1):.1f}% of one core over {s2 - s1:.0f} s")
print(f"RSS: median {statistics.median(rss) / 1024:.1f} MiB, max {max(rss) / 1024:.1f} MiB; peak (VmHWM) {hwm / 1024:.1f} MiB")
PY
python3 - "$W" "$DUR" <<'PY'
import sys, sqlite3, datetime
w = sys.argv[1]
pub = {}
for line in open(f"{w}/published.tsv"):
    url, ms, kind = line.rstrip("\n").split("\t")
    if kind == "new":
        pub[url] = int(ms) / 1000
db = sqlite3.connect(f"{w}/watch.db")
got = {u: datetime.datetime.fromisoformat(t).timestamp() for u, t in db.execute("SELECT url, ingested_at FROM documents")}
# When each fused event was first seen in the API with at least n documents.
seen = {}
for line in open(f"{w}/api_seen.tsv"):
    fid, _upd, ndocs, t = line.rstrip("\n").split("\t")
    seen.setdefault(int(fid), []).append((int(ndocs), float(t)))
# Each document's rank (1-based, insertion order) among its fused events' documents.
rank = {}
for url, fid, k in db.execute(
        "SELECT d.url, ed.fused_id, ROW_NUMBER() OVER (PARTITION BY ed.fused_id ORDER BY d.rowid_) "
        "FROM event_documents ed JOIN documents d ON d.rowid_ = ed.doc"):
    rank.setdefault(url, []).append((fid, k))
api_lat, no_event = [], 0
for u, t in pub.items():
    if u not in got:
        continue
    if u not in rank:
        no_event += 1
        continue
    firsts = [t_seen for fid, k in rank[u] for n, t_seen in seen.get(fid, []) if n >= k]
    if firsts:
        api_lat.append(min(firsts) - t)
api_lat.sort()
lat = sorted(got[u] - t for u, t in pub.items() if u in got)
missing = sum(1 for u in pub if u not in got)
n, dup = db.execute("SELECT COUNT(*), COUNT(*) - COUNT(DISTINCT url) FROM documents").fetchone()
ev = db.execute("SELECT COUNT(*) FROM fused_events").fetchone()[0]
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print(f"documents {n}, fused events {ev}, new items published {len(pub)}, stored {len(lat)}, not stored {missing}")
if lat:
    print(f"item-to-stored latency: p50 {q(0.5):.1f} s, p95 {q(0.95):.1f} s, max {lat[-1]:.1f} s")
if api_lat:
    qa = lambda p: api_lat[min(len(api_lat) - 1, int(p * len(api_lat)))]
    print(f"item-to-event-in-API latency: p50 {qa(0.5):.1f} s, p95 {qa(0.95):.1f} s, max {api_lat[-1]:.1f} s "
          f"({len(api_lat)} items; {no_event} stored items coded no event)")
print(f"duplicate documents: {dup}")
PY
"$B" watch --once --config "$W/feeds.toml" --db "$W/watch.db" 2>&1 | tail -1
python3 -c "
import sqlite3,sys; db=sqlite3.connect('$W/watch.db')
print('duplicate documents after restart:', db.execute('SELECT COUNT(*) - COUNT(DISTINCT url) FROM documents').fetchone()[0])"
