"""Watches a running `frontline watch --serve` API for fused events as they are written, for
bench/watch_bench.sh's item-to-event-in-the-API latency.

    python3 bench/watch_api_latency.py http://127.0.0.1:PORT OUT.tsv STOPFILE [INTERVAL_S]

Every INTERVAL_S seconds (default 0.25) it asks `GET /api/events?updated_since=CURSOR`
(inclusive; CURSOR is the latest `updated_at` seen) page by page, and appends each
(fused event id, updated_at) pair seen for the first time to OUT with its `n_documents` and
the Unix time it was first seen: `id TAB updated_at TAB n_documents TAB seen_s`. It stops
when STOPFILE exists. Standard library only; all traffic goes to the address given.

A document that is the k-th document (in insertion order) of a fused event is visible in the
API from the first poll that shows that event with `n_documents` >= k.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.parse
import urllib.request

PAGE = 1000


def fetch(base: str, cursor: str | None, offset: int) -> dict:
    q = {"limit": str(PAGE), "offset": str(offset)}
    if cursor:
        q["updated_since"] = cursor
    with urllib.request.urlopen(f"{base}/api/events?{urllib.parse.urlencode(q)}", timeout=30) as r:
        return json.load(r)


def main() -> None:
    base, out, stop = sys.argv[1:4]
    every = float(sys.argv[4]) if len(sys.argv) > 4 else 0.25
    seen: set[tuple[int, str]] = set()
    cursor = None
    with open(out, "a", encoding="utf-8") as f:
        while not os.path.exists(stop):
            t0 = time.time()
            try:
                offset, latest = 0, cursor
                while True:
                    page = fetch(base, cursor, offset)
                    now = time.time()
                    for e in page.get("events", []):
                        key = (e["id"], e.get("updated_at") or "")
                        if key not in seen:
                            seen.add(key)
                            n = e.get("n_documents", 0)
                            f.write(f"{key[0]}\t{key[1]}\t{n}\t{now:.3f}\n")
                        if key[1] and (latest is None or key[1] > latest):
                            latest = key[1]
                    offset += PAGE
                    if offset >= page.get("total", 0):
                        break
                cursor = latest
                f.flush()
            except OSError as e:  # the server is starting or stopping
                print(f"watch_api_latency: {e}", file=sys.stderr)
            time.sleep(max(0.0, every - (time.time() - t0)))


if __name__ == "__main__":
    main()
