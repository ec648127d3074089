#!/usr/bin/env python3
"""Checks that the gold under eval/articles carries no text of the documents: no string field
but names as written (notes, reported_by, ...) shares a run of N words (default 6) with its
document's text. Prints offenders
by file, line and field only (never the text), and exits 1 if there are any.

    python3 scripts/gold/check_no_text.py --shared ../shared eval/articles
"""
import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from anchor import load_text  # noqa: E402


def words(s):
    return re.findall(r"\w+", s.lower())


def strings(v, path=""):
    if isinstance(v, str):
        yield path, v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield from strings(x, f"{path}.{k}")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from strings(x, f"{path}[{i}]")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared", type=Path)
    ap.add_argument("--n", default=6, type=int)
    ap.add_argument("root", type=Path)
    a = ap.parse_args()
    bad = 0
    for f in sorted(a.root.glob("*/*.jsonl")):
        for ln, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            d = json.loads(line)
            tw = words(load_text(a.shared, d["doc"]).decode("utf-8", "replace"))
            grams = {tuple(tw[i:i + a.n]) for i in range(len(tw) - a.n + 1)}
            for path, s in strings(d):
                if path.endswith(".name"):
                    continue  # names as written are facts the gold may carry
                w = words(s)
                if any(tuple(w[i:i + a.n]) in grams for i in range(len(w) - a.n + 1)):
                    print(f"{f}:{ln} {d['doc']} {path}: shares {a.n} words with the text")
                    bad += 1
    print(f"{bad} field(s) share text", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
