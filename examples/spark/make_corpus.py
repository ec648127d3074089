"""Writes a generated corpus of conflict reports as JSON Lines shards, for the Spark recipe's
test and benchmark. Every sentence comes from the templates below (written for this project);
places, actors, numbers, dates and outlets are drawn with a seeded generator, so a given
(count, seed) always gives the same files.

    python examples/spark/make_corpus.py OUT_DIR --articles 10000 --shards 8 --seed 7
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
from pathlib import Path

PLACES = [
    ("Idlib", "Syria"), ("Aleppo", "Syria"), ("Deir ez-Zor", "Syria"), ("Mosul", "Iraq"),
    ("Kirkuk", "Iraq"), ("Aden", "Yemen"), ("Taiz", "Yemen"), ("Hodeidah", "Yemen"),
    ("Kharkiv", "Ukraine"), ("Donetsk", "Ukraine"), ("Kherson", "Ukraine"),
    ("Mogadishu", "Somalia"), ("Kismayo", "Somalia"), ("Gao", "Mali"), ("Mopti", "Mali"),
    ("El Fasher", "Sudan"), ("Nyala", "Sudan"), ("Kandahar", "Afghanistan"),
    ("Maiduguri", "Nigeria"), ("Goma", "Democratic Republic of the Congo"),
]
ATTACKERS = ["government forces", "rebel fighters", "an armed group", "militants",
             "security forces", "gunmen"]
OUTLETS = ["Northern Wire", "Daily Ledger", "Frontier Post", "Evening Courier", "Radio Delta"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

TEMPLATES = [
    "An air strike killed {n} civilians in {place}, {country}, on {day}, local officials said.",
    "{Attacker} shelled residential areas of {place} on {day}, killing {n} people and wounding "
    "{m} others, according to medics.",
    "At least {n} soldiers were killed when {attacker} attacked a checkpoint near {place} on "
    "{day}, a military spokesman said.",
    "Hundreds of people protested in {place} on {day} against rising food prices.",
    "{Attacker} abducted {n} aid workers on the road between {place} and the border on {day}, "
    "their organisation said.",
    "A roadside bomb exploded near a market in {place} on {day}, killing {n} people, police "
    "said.",
    "Clashes between {attacker} and government troops in {place} left {n} dead on {day}, "
    "residents said.",
]
FILLER = [
    "The report could not be independently verified.",
    "Aid agencies said access to the area remained difficult.",
    "Officials said an investigation had been opened.",
    "Residents described hearing explosions through the night.",
]


def article(rng: random.Random, index: int) -> dict:
    published = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(700))
    sentences = []
    for _ in range(rng.randint(1, 3)):
        place, country = rng.choice(PLACES)
        attacker = rng.choice(ATTACKERS)
        t = rng.choice(TEMPLATES)
        sentences.append(t.format(
            n=rng.randint(2, 40), m=rng.randint(1, 60), place=place, country=country,
            day=rng.choice(WEEKDAYS), attacker=attacker, Attacker=attacker[0].upper() + attacker[1:],
        ))
        sentences.append(rng.choice(FILLER))
    return {
        "id": f"gen-{index:07d}",
        "title": sentences[0].split(",")[0],
        "text": " ".join(sentences),
        "published": published.isoformat(),
        "outlet": rng.choice(OUTLETS),
        "url": f"https://example.invalid/generated/{index}",
    }


def write_corpus(out: Path, articles: int, shards: int, seed: int) -> list[Path]:
    """Writes `articles` articles into `shards` files `part-NNNNN.jsonl` under `out`."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"part-{s:05d}.jsonl" for s in range(shards)]
    files = [p.open("w", encoding="utf-8") for p in paths]
    try:
        for i in range(articles):
            files[i % shards].write(json.dumps(article(rng, i)) + "\n")
    finally:
        for f in files:
            f.close()
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    write_corpus(a.out, a.articles, a.shards, a.seed)


if __name__ == "__main__":
    main()
