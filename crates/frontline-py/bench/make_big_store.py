"""Builds a large Frontline database for the read benchmark (`bench_python.py read`) from a
smaller real one, by replicating its fused-event rows.

    python crates/frontline-py/bench/make_big_store.py SRC.db DST.db --events 1000000

SRC.db is a database written by `frontline ingest` (for example over
`examples/spark/make_corpus.py OUT --articles 10000`). DST.db is a copy of it whose
`fused_events` table is doubled with SQL (every column but the id copied, so the records,
their sizes and their dates are those of real fused events) until it holds at least
`--events` rows, then cut to exactly that many. Reading fused events into pandas
(`Store.events()`, the API's `/api/events`) reads only that table, so the copy measures the
read path at that size; the other tables (documents, reports) keep the source's rows and
are not consistent with the copies, so do not ingest into or fuse in DST.db.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--events", type=int, default=1_000_000)
    a = ap.parse_args()
    t0 = time.perf_counter()
    src = sqlite3.connect(f"file:{a.src}?mode=ro", uri=True)
    dst = sqlite3.connect(a.dst)
    src.backup(dst)
    src.close()
    cols = [r[1] for r in dst.execute("PRAGMA table_info(fused_events)") if r[1] != "id"]
    have = dst.execute("SELECT COUNT(*) FROM fused_events").fetchone()[0]
    if have == 0:
        sys.exit(f"{a.src}: no fused events to replicate")
    col_list = ", ".join(cols)
    dst.execute("PRAGMA journal_mode = OFF")
    dst.execute("PRAGMA synchronous = OFF")
    while have < a.events:
        take = min(have, a.events - have)
        dst.execute(
            f"INSERT INTO fused_events ({col_list}) SELECT {col_list} FROM fused_events "
            f"ORDER BY id LIMIT {take}"
        )
        dst.commit()
        have += take
        print(f"{have:,} fused events", file=sys.stderr)
    dst.execute("PRAGMA journal_mode = WAL")
    dst.close()
    print(f"{a.dst}: {have:,} fused events in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
