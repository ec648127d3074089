#!/usr/bin/env python3
"""Turn an annotator's working file into gold lines for eval/articles/.

The working file (kept OUTSIDE the repository: it quotes the texts) is JSONL, one document a
line, in the gold format of docs/evaluation.md except that evidence and must-not spans may be
given as quotes:

    "evidence": [{"q": "exact words of the text", "n": 1}, [120, 233]]
    "must_not": [{"q": "exact words", "class": "hospital"}]

`n` (default 1) picks the n-th occurrence. The output replaces quotes by UTF-8 byte offsets
into the stored text, adds `text_sha256`, checks every field, and never carries a quote.

    python3 scripts/gold/anchor.py --shared ../shared work.jsonl > eval/articles/dev/NAME.jsonl
"""
import argparse
import hashlib
import json
import sys
from pathlib import Path

PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"},
}
INTER = {"state", "rebels", "political_militia", "identity_militia", "rioters", "protesters",
         "civilians", "external"}
MODALITY = {"asserted", "claimed", "denied", "uncertain"}
MUST_NOT = {"hospital", "metaphor", "running_total", "plan", "anniversary", "disaster",
            "habitual", "other_sense", "policy", "hypothetical", "crime"}


def load_text(shared: Path, doc: str) -> bytes:
    parts = doc.split(":")
    if parts[0] == "re3d" and len(parts) == 3:
        path = shared / "eval/events/re3d" / parts[1] / "documents.json"
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            if d["_id"] == parts[2]:
                return d["text"].encode("utf-8")
        raise SystemExit(f"{doc}: no such document in {path}")
    if parts[0] == "geo" and len(parts) == 3:
        return (shared / "eval/geo/corpora" / parts[1] / parts[2]).read_bytes()
    if parts[0] == "local" and len(parts) == 2 and ".." not in parts[1]:
        # the project's own texts (eval/fusion): a path relative to the repository root
        return (Path(__file__).resolve().parents[2] / parts[1]).read_bytes()
    raise SystemExit(f"{doc}: unknown document id (re3d:<folder>:<_id>, geo:<Corpus>:<i>, local:<path>)")


def span(text: bytes, item, where: str):
    if isinstance(item, list) and len(item) == 2:
        s, e = item
    elif isinstance(item, dict) and "q" in item:
        q = item["q"].encode("utf-8")
        n = item.get("n", 1)
        s = -1
        for _ in range(n):
            s = text.find(q, s + 1)
            if s < 0:
                raise ValueError(f"{where}: quote not found (occurrence {n}): {item['q'][:60]!r}")
        e = s + len(q)
    else:
        raise ValueError(f"{where}: a span is [start, end] or {{\"q\": ...}}")
    if not (0 <= s < e <= len(text)):
        raise ValueError(f"{where}: span {s}..{e} outside the text ({len(text)} bytes)")
    return [s, e]


def check_event(ev, where):
    p = ev.get("plover") or {}
    if p.get("type") not in PLOVER:
        raise ValueError(f"{where}: plover.type {p.get('type')!r}")
    a = ev.get("acled") or {}
    if a.get("sub_event_type") not in ACLED.get(a.get("event_type"), ()):
        raise ValueError(f"{where}: acled {a!r} is not a codebook pair")
    for k in ("actor1", "actor2"):
        act = ev.get(k)
        if act is None:
            if k == "actor1":
                raise ValueError(f"{where}: actor1 is required")
            continue
        if act.get("inter") not in INTER:
            raise ValueError(f"{where}: {k}.inter {act.get('inter')!r}")
        if not act.get("code"):
            raise ValueError(f"{where}: {k}.code missing")
    loc = ev.get("location")
    if loc is not None:
        if loc.get("geo_precision") not in (1, 2, 3):
            raise ValueError(f"{where}: location.geo_precision")
        if not isinstance(loc.get("lat"), (int, float)) or not isinstance(loc.get("lon"), (int, float)):
            raise ValueError(f"{where}: location lat/lon")
        if not (isinstance(loc.get("country"), str) and len(loc["country"]) == 2):
            raise ValueError(f"{where}: location.country (ISO alpha-2)")
    d = ev.get("date")
    if d is not None and d.get("time_precision") not in (1, 2, 3):
        raise ValueError(f"{where}: date.time_precision")
    f = ev.get("fatalities")
    if f is not None and not (0 <= f.get("low", -1) <= f.get("high", -1)):
        raise ValueError(f"{where}: fatalities low <= high")
    if ev.get("modality") not in MODALITY:
        raise ValueError(f"{where}: modality {ev.get('modality')!r}")
    if not isinstance(ev.get("background"), bool):
        raise ValueError(f"{where}: background must be true or false")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared", type=Path)
    ap.add_argument("work", type=Path)
    args = ap.parse_args()
    errors = 0
    for ln, line in enumerate(args.work.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            doc = d["doc"]
            text = load_text(args.shared, doc)
            out = {k: v for k, v in d.items() if k not in ("events", "must_not", "text_sha256")}
            out["text_sha256"] = hashlib.sha256(text).hexdigest()
            out["events"] = []
            ids = set()
            for i, ev in enumerate(d.get("events", [])):
                where = f"{args.work}:{ln} {doc} event {ev.get('id', i)}"
                if ev.get("id") in ids or not ev.get("id"):
                    raise ValueError(f"{where}: id missing or repeated")
                ids.add(ev["id"])
                check_event(ev, where)
                ev = dict(ev)
                ev["evidence"] = [span(text, s, where) for s in ev.get("evidence", [])]
                if not ev["evidence"]:
                    raise ValueError(f"{where}: no evidence span")
                out["events"].append(ev)
            out["must_not"] = []
            for i, m in enumerate(d.get("must_not", [])):
                where = f"{args.work}:{ln} {doc} must_not {i}"
                if m.get("class") not in MUST_NOT:
                    raise ValueError(f"{where}: class {m.get('class')!r}")
                sp = span(text, m if "q" in m else m.get("span"), where)
                out["must_not"].append({"span": sp, "class": m["class"]})
            for k in ("q", "quote", "text"):
                assert k not in out
            print(json.dumps(out, ensure_ascii=False))
        except (ValueError, KeyError, json.JSONDecodeError) as e:
            errors += 1
            print(f"error: {args.work}:{ln}: {e}", file=sys.stderr)
    if errors:
        print(f"{errors} document(s) refused", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
