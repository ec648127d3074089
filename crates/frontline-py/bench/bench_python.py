"""Benchmarks of the Python package against the issue's targets (figures go in the report and
docs, never in tests).

    python crates/frontline-py/bench/bench_python.py import
        `import frontline` plus the first `extract`, in a fresh interpreter (best of 5).
    python crates/frontline-py/bench/bench_python.py throughput DIR --cli target/release/frontline
        `extract_many(threads=1)` against `frontline extract DIR --format jsonl` on one thread
        (RAYON_NUM_THREADS=1): articles per CPU-second, medians of --rounds (default 5) rounds
        that interleave the Python and CLI runs. Dicts kept in a list (`list(...)`) and
        streamed (a `for` loop that drops each); JSON texts; `json.loads` of them for scale.
    python crates/frontline-py/bench/bench_python.py read DB
        `Store(DB).events()` into pandas: seconds and peak resident memory (a fresh process).
        For a database of a given size, see make_big_store.py (fused-event rows replicated).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def bench_import() -> None:
    code = (
        "import time; t=time.perf_counter(); import frontline; "
        "frontline.extract('Gunmen killed 4 villagers near Mosul on Tuesday, officials said.', "
        "published='2023-05-04'); print(time.perf_counter()-t)"
    )
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        inner = float(subprocess.run([sys.executable, "-c", code], check=True,
                                     capture_output=True, text=True).stdout)
        runs.append((time.perf_counter() - t, inner))
    best = min(runs)
    print(f"import + first extract: {best[1]:.3f} s in the interpreter, "
          f"{best[0]:.3f} s with interpreter start (best of 5)")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def bench_throughput(corpus: Path, cli: str, rounds: int) -> None:
    import statistics

    import frontline

    files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    n = len(texts)
    p = frontline.Pipeline()
    list(p.extract_many(texts[:20], threads=1))  # warm caches
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    py, pys, pyj, pyl, cl = [], [], [], [], []
    # Rounds interleave the three runs, so that a slower phase of a shared machine weighs on
    # all of them; medians are reported.
    for _ in range(rounds):
        c = _cpu()
        w = time.perf_counter()
        out = list(p.extract_many(texts, threads=1))
        py.append((_cpu() - c, time.perf_counter() - w))
        assert len(out) == n
        del out
        c = _children_cpu()
        w = time.perf_counter()
        subprocess.run([cli, "--quiet", "extract", str(corpus), "--format", "jsonl"], check=True,
                       stdout=subprocess.DEVNULL, env=env)
        cl.append((_children_cpu() - c, time.perf_counter() - w))
        c = _cpu()
        w = time.perf_counter()
        events = 0
        for r in p.extract_many(texts, threads=1):  # streamed: each dict dropped when read
            events += len(r["events"])
        pys.append((_cpu() - c, time.perf_counter() - w))
        c = _cpu()
        w = time.perf_counter()
        js = p.extract_many_json(texts, threads=1)
        pyj.append((_cpu() - c, time.perf_counter() - w))
        c = _cpu()
        w = time.perf_counter()
        out = [json.loads(j) for j in js]  # what the dicts save against parsing JSON texts
        pyl.append((_cpu() - c, time.perf_counter() - w))
        del out, js
    med = statistics.median
    print(f"{n} articles ({sum(map(len, texts)) / 1e6:.2f} MB), {rounds} rounds, medians")
    pc, sc, jc, lc, cc = (med(c for c, _ in r) for r in (py, pys, pyj, pyl, cl))
    print(f"python list(extract_many(threads=1)): {pc:.2f} CPU-s, "
          f"{n / pc:.1f} articles per CPU-second")
    print(f"python extract_many(threads=1) streamed (for loop): {sc:.2f} CPU-s, "
          f"{n / sc:.1f} articles per CPU-second")
    print(f"json.loads of the JSON texts into a list (parsing alone): {lc:.2f} CPU-s")
    print(f"python extract_many_json(threads=1): {jc:.2f} CPU-s, "
          f"{n / jc:.1f} articles per CPU-second")
    print(f"CLI extract (RAYON_NUM_THREADS=1): {cc:.2f} CPU-s, {n / cc:.1f} articles per "
          f"CPU-second (process start and gazetteer load included)")
    ratios = [100 * c / p for (p, _), (c, _) in zip(py, cl)]
    print(f"python / CLI per round (dicts): {', '.join(f'{r:.0f} %' for r in ratios)}; "
          f"median {med(ratios):.0f} %")
    ratios = [100 * c / p for (p, _), (c, _) in zip(pys, cl)]
    print(f"python / CLI per round (dicts, streamed): {', '.join(f'{r:.0f} %' for r in ratios)}; "
          f"median {med(ratios):.0f} %")
    ratios = [100 * c / j for (j, _), (c, _) in zip(pyj, cl)]
    print(f"python / CLI per round (JSON texts): {', '.join(f'{r:.0f} %' for r in ratios)}; "
          f"median {med(ratios):.0f} %")


def bench_read(db: str) -> None:
    code = (
        "import resource, time, frontline; t=time.perf_counter(); "
        f"df=frontline.Store({db!r}).events(); el=time.perf_counter()-t; "
        "rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024; "
        "mem=df.memory_usage(deep=True).sum()/2**20; "
        "print(len(df), f'{el:.2f}', f'{rss:.0f}', f'{mem:.0f}')"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.split()
    print(f"{int(out[0]):,} fused events into pandas in {out[1]} s; peak RSS {out[2]} MiB; "
          f"DataFrame {out[3]} MiB (deep)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    sub.add_parser("import")
    t = sub.add_parser("throughput")
    t.add_argument("corpus", type=Path)
    t.add_argument("--cli", default="target/release/frontline")
    t.add_argument("--rounds", type=int, default=5)
    r = sub.add_parser("read")
    r.add_argument("db")
    a = ap.parse_args()
    if a.what == "import":
        bench_import()
    elif a.what == "throughput":
        bench_throughput(a.corpus, a.cli, a.rounds)
    else:
        bench_read(a.db)


if __name__ == "__main__":
    main()
