#!/usr/bin/env bash
# Regenerates crates/frontline-server/ui/world.json, the country shapes the web UI draws.
#
# Source: Natural Earth (public domain) via the npm package `world-atlas` (TopoJSON). The package
# is installed into a temporary folder, never into the repository; only the compacted TopoJSON
# (country names and ISO numeric ids kept, everything else dropped) is written into the repo.
# The UI decodes the TopoJSON itself (crates/frontline-server/ui/app.js), so no map library is
# needed at run time.
#
# Usage: scripts/ui/build-map.sh [50m|110m]   (default 50m)
set -euo pipefail
scale="${1:-50m}"
case "$scale" in 50m|110m) ;; *) echo "usage: $0 [50m|110m]" >&2; exit 2 ;; esac
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/crates/frontline-server/ui/world.json"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent world-atlas@2.0.2)
node "$here/compact-topojson.mjs" "$tmp/node_modules/world-atlas/countries-$scale.json" "$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
