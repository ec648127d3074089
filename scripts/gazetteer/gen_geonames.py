#!/usr/bin/env python3
"""Writes synthetic GeoNames-format files to measure `frontline gazetteer import`.

Usage: scripts/gazetteer/gen_geonames.py OUT_DIR [ROWS] [ALT_ROWS]

Writes OUT_DIR/allCountries.txt (19-column geoname table, ROWS rows, default 12,000,000) and
OUT_DIR/alternateNamesV2.txt (ALT_ROWS rows, default 4,000,000) with made-up names, realistic
column shapes (alternate-name lists, feature classes, admin codes, populations) and about one
malformed row in 100,000, so the import's speed, memory and bad-row reporting can be measured.
"""
import os
import random
import sys

SYL = ["al", "ba", "dar", "el", "fa", "ghi", "ha", "is", "jo", "ka", "la", "ma", "na", "or",
       "qa", "ra", "sa", "ta", "ur", "wa", "ya", "za", "ber", "ton", "ville", "burg", "stad",
       "abad", "pur", "grad", "sk", "ov", "ino", "ana", "ville", "field", "port", "mont"]
FEATURES = [("P", "PPL")] * 6 + [("P", "PPLA"), ("A", "ADM2"), ("H", "STM"), ("T", "MT"), ("S", "SCH"), ("L", "AREA")]
CCS = ["US", "IQ", "SY", "FR", "DE", "IN", "CN", "BR", "RU", "NG", "MX", "TR", "IR", "GB", "ES"]


def name(rng):
    n = "".join(rng.choice(SYL) for _ in range(rng.randint(2, 4)))
    return n.capitalize() if rng.random() < 0.8 else n.capitalize() + " " + rng.choice(SYL).capitalize()


def main():
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 12_000_000
    alt_rows = int(sys.argv[3]) if len(sys.argv) > 3 else 4_000_000
    os.makedirs(out, exist_ok=True)
    rng = random.Random(42)
    with open(os.path.join(out, "allCountries.txt"), "w", encoding="utf-8", buffering=1 << 22) as f:
        for i in range(1, rows + 1):
            if i % 100_000 == 0:
                f.write(f"{i}\tbroken row\n")
                continue
            n = name(rng)
            alts = ",".join(name(rng) for _ in range(rng.choice([0, 0, 1, 2, 3])))
            fc, fcode = rng.choice(FEATURES)
            pop = int(rng.paretovariate(1.2) * 50) if fc == "P" else 0
            f.write(f"{i}\t{n}\t{n}\t{alts}\t{rng.uniform(-60, 70):.5f}\t{rng.uniform(-180, 180):.5f}\t{fc}\t{fcode}\t{rng.choice(CCS)}\t\t{rng.randint(1, 30):02d}\t{rng.randint(1, 200)}\t\t\t{pop}\t\t{rng.randint(0, 3000)}\tEtc/UTC\t2024-01-01\n")
    with open(os.path.join(out, "alternateNamesV2.txt"), "w", encoding="utf-8", buffering=1 << 22) as f:
        for i in range(1, alt_rows + 1):
            lang = rng.choice(["en", "", "ar", "fr", "link", "de", "abbr"])
            nm = "https://example.invalid/x" if lang == "link" else name(rng)
            hist = "1" if rng.random() < 0.05 else ""
            f.write(f"{i}\t{rng.randint(1, rows)}\t{lang}\t{nm}\t\t\t\t{hist}\t\t\n")


if __name__ == "__main__":
    main()
