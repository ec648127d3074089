#!/usr/bin/env bash
# Browser tests of the web UI in real headless Chromium (Debian `chromium`, npm `playwright-core`;
# no browser is ever downloaded).
#
# Builds the frontline binary if needed, starts `frontline demo` on a free loopback port, waits
# for it, runs the node tests (ui.test.mjs against the demo; live.test.mjs starts its own
# `frontline watch --serve` over a feed it serves on loopback), and stops the server. Screenshots go to tests/browser/artifacts/.
#
# Needs: apt-get install -y chromium ; (cd tests/browser && npm ci)
# Env: FRONTLINE_BIN (a built binary to use; default: build the debug binary, which
#      `cargo test --workspace` has usually built already), CHROMIUM (browser path),
#      CARGO_TARGET_DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

if [[ -z "${FRONTLINE_BIN:-}" ]]; then
  echo "== building frontline"
  cargo build --locked -p frontline --bin frontline
  FRONTLINE_BIN="${CARGO_TARGET_DIR:-$repo/target}/debug/frontline"
fi
[[ -x "$FRONTLINE_BIN" ]] || { echo "no frontline binary at $FRONTLINE_BIN" >&2; exit 1; }
# Absolute, for live.test.mjs, which starts its own `frontline watch --serve` from tests/browser.
FRONTLINE_BIN="$(cd "$(dirname "$FRONTLINE_BIN")" && pwd)/$(basename "$FRONTLINE_BIN")"
export FRONTLINE_BIN

export CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[[ -n "$CHROMIUM" ]] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 1; }
[[ -d "$here/node_modules/playwright-core" ]] || { echo "run: (cd tests/browser && npm ci)" >&2; exit 1; }

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
mkdir -p "$here/artifacts"
log="$here/artifacts/server.log"
"$FRONTLINE_BIN" --quiet demo --addr "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

export FRONTLINE_URL="http://127.0.0.1:$port"
for _ in $(seq 1 360); do
  if curl -fsS "$FRONTLINE_URL/api/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "the demo server exited:" >&2; cat "$log" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "$FRONTLINE_URL/api/health" >/dev/null || { echo "server did not start:" >&2; cat "$log" >&2; exit 1; }
echo "== demo server on $FRONTLINE_URL"

cd "$here"
node --test --test-concurrency=1 ui.test.mjs live.test.mjs
