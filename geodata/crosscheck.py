"""Compare each layer's positions with an independent published set of the same places.

Second sources live in ``geodata/src/crosscheck/`` (Qingdao extracts only, each with
its citation in ``README.md`` there). Every second-source position is converted to
WGS84 first (``source_crs`` of the file), matched to the layer's features by id (or
by station name), and the disagreement measured in EPSG:4549. ``python -m
geodata.crosscheck`` prints per-layer median / p90 / worst disagreement and the
outliers by name, and writes ``geodata/crosscheck_report.md`` and ``.json``.

A feature whose disagreement exceeds its layer's documented threshold must have a
reason in ``geodata/src/crosscheck/accepted.csv``; the test suite enforces that.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from core.crs import convert_geoseries
from core.settings import GEODATA_DIR
from geodata.metro_match import base_name
from layers.base import read_geojson

CROSS_DIR = GEODATA_DIR / "src" / "crosscheck"
REPORT_MD = GEODATA_DIR / "crosscheck_report.md"
REPORT_JSON = GEODATA_DIR / "crosscheck_report.json"
ACCEPTED_CSV = CROSS_DIR / "accepted.csv"
MEASURE_CRS = "EPSG:4549"


@dataclass(frozen=True)
class SecondSource:
    layer: str
    file: str
    title: str
    licence: str
    threshold_m: float  # disagreement above this needs a reason in accepted.csv
    match_by: str = "id"  # "id" or "name" (stations: the second source has no ids)


SOURCES: tuple[SecondSource, ...] = (
    SecondSource("metro_stations", "metromancn_qd_stations.csv",
                 "metromancn/MetroMapOpenMiniProgram src/data/qd.js (GCJ-02, converted)", "MIT",
                 threshold_m=150.0, match_by="name"),
    SecondSource("resources", "resources_second.csv",
                 "whr810012/uni-soket-ai util/universityList.js (Baidu places, BD-09, converted)", "MIT",
                 threshold_m=1000.0),
)


def extract_metromancn(js_path: Path) -> pd.DataFrame:
    """Station names and GCJ-02 positions from the mini-program's ``qd.js`` (as published)."""
    text = Path(js_path).read_text(encoding="utf-8")
    rows = re.findall(r"\{ id: (\d+), name: '([^']+)',.*?lat: '([\d.]+)', lng: '([\d.]+)' \}", text)
    df = pd.DataFrame(rows, columns=["src_id", "name", "lat", "lon"])
    df["source_crs"] = "GCJ-02"
    return df[["src_id", "name", "lon", "lat", "source_crs"]]


def name_keys(name: str) -> list[str]:
    """'青岛中央法务区（燕儿岛路）' -> ['青岛中央法务区', '燕儿岛路']: either name may be the one used."""
    inner = re.findall(r"[（(]([^）)]+)[）)]", name)
    return [base_name(name), *inner]


def read_second(src: SecondSource) -> gpd.GeoDataFrame:
    df = pd.read_csv(CROSS_DIR / src.file, dtype=str, keep_default_na=False)
    crs = df["source_crs"] if "source_crs" in df else pd.Series("EPSG:4326", index=df.index)
    pts = gpd.GeoSeries(gpd.points_from_xy(df["lon"].astype(float), df["lat"].astype(float)), crs=4326)
    for datum in ("GCJ-02", "BD-09"):
        mask = (crs == datum).to_numpy()
        if mask.any():
            pts[mask] = convert_geoseries(pts[mask], source=datum, target="WGS84")
    return gpd.GeoDataFrame(df, geometry=pts, crs=4326)


def _pair(src: SecondSource, layer: gpd.GeoDataFrame, second: gpd.GeoDataFrame) -> pd.DataFrame:
    if src.match_by == "name":
        layer = layer[layer["status"] == "operating"]
        left = layer.assign(key=layer["name_zh"].map(name_keys)).explode("key")
        right = second.assign(key=second["name"].map(name_keys)).explode("key").drop_duplicates("key")
        merged = left.merge(right[["key", "geometry"]], on="key", suffixes=("", "_2")).drop_duplicates("id")
    else:
        merged = layer.merge(second[["id", "geometry"]], on="id", suffixes=("", "_2"))
    a = gpd.GeoSeries(merged["geometry"], crs=4326).to_crs(MEASURE_CRS)
    b = gpd.GeoSeries(merged["geometry_2"], crs=4326).to_crs(MEASURE_CRS)
    return pd.DataFrame({"id": merged["id"], "name_zh": merged["name_zh"], "name_en": merged["name_en"],
                         "distance_m": a.distance(b, align=False).round(1).to_numpy(),
                         "pos_uncertainty_m": pd.to_numeric(merged.get("pos_uncertainty_m"), errors="coerce")})


def accepted() -> dict[str, str]:
    if not ACCEPTED_CSV.exists():
        return {}
    df = pd.read_csv(ACCEPTED_CSV, dtype=str, keep_default_na=False)
    return dict(zip(df["id"], df["reason"], strict=True))


def crosscheck() -> dict:
    """Per layer: counts, median / p90 / max disagreement (m), outliers and whether each is explained."""
    reasons = accepted()
    out = {}
    for src in SOURCES:
        path = CROSS_DIR / src.file
        if not path.exists():
            continue
        layer = read_geojson(GEODATA_DIR / f"{src.layer}.geojson")
        pairs = _pair(src, layer, read_second(src)).sort_values("distance_m", ascending=False)
        d = pairs["distance_m"].to_numpy()
        outliers = pairs[pairs["distance_m"] > src.threshold_m]
        out[src.layer] = {
            "second_source": src.title, "licence": src.licence, "threshold_m": src.threshold_m,
            "features": int(len(layer)), "compared": int(len(pairs)),
            "median_m": float(np.median(d)) if len(d) else None,
            "p90_m": float(np.percentile(d, 90)) if len(d) else None,
            "max_m": float(d.max()) if len(d) else None,
            "outliers": [{"id": r.id, "name_zh": r.name_zh, "name_en": r.name_en, "distance_m": r.distance_m,
                          "reason": reasons.get(r.id, "")} for r in outliers.itertuples()],
            "pairs": pairs.to_dict("records"),
        }
    return out


def markdown(report: dict) -> str:
    lines = ["| layer | second source | compared / features | median m | p90 m | worst m | over threshold |",
             "|---|---|---:|---:|---:|---:|---|"]
    for name, r in report.items():
        over = ", ".join(f"{o['name_zh']} {o['distance_m']:.0f} m" for o in r["outliers"]) or "none"
        lines.append(f"| {name} | {r['second_source']} ({r['licence']}) | {r['compared']} / {r['features']} | "
                     f"{r['median_m']:.0f} | {r['p90_m']:.0f} | {r['max_m']:.0f} | "
                     f"{over} (threshold {r['threshold_m']:.0f} m) |")
    return "\n".join(lines) + "\n"


CURATED_LAYERS = ("metro_stations", "transport_nodes", "resources", "park_sites", "parks", "links", "metro_lines")


def uncertainty_summary() -> str:
    """Per curated layer: how many placed features fall in each positional-uncertainty class, and how many
    have no position of their own (location tier district or city: DESIGN.md, "Location tiers")."""
    bins = [(50, "≤ 50 m"), (300, "≤ 300 m"), (1000, "≤ 1 km"), (5000, "≤ 5 km"), (np.inf, "> 5 km")]
    lines = ["| layer | features | " + " | ".join(b[1] for b in bins)
             + " | district only (no position) | city only (not located) | median (placed) |",
             "|---|---:|" + "---:|" * (len(bins) + 3)]
    for name in CURATED_LAYERS:
        gdf = read_geojson(GEODATA_DIR / f"{name}.geojson")
        tier = gdf["location_tier"] if "location_tier" in gdf else pd.Series("site", index=gdf.index)
        placed = tier.isin(["site", "street"])
        unc = pd.to_numeric(gdf["pos_uncertainty_m"])[placed]
        counts, lo = [], -1.0
        for hi, _ in bins:
            counts.append(int(((unc > lo) & (unc <= hi)).sum()))
            lo = hi
        unplaced = [int((tier == t).sum()) for t in ("district", "city")]
        lines.append(f"| {name} | {len(gdf)} | " + " | ".join(map(str, counts + unplaced))
                     + f" | {unc.median():,.0f} m |")
    return "\n".join(lines) + "\n"


TIER_MEANING = (
    "What each location tier means (resources, parks, park sites carry `location_tier`; the other layers are "
    "sites): **site** — a surveyed position or a published POI, drawn as a point or footprint; **street or town** "
    "— a published point on the street or in the town/area the source names, drawn as approximate (the classes "
    "above say how far); **district only** — no position: counted in its district's total and listed under it on "
    "the map, never drawn, routed from or labelled; **city only** — not located: no geometry and no district, "
    "listed as \"not yet located\" and counted apart. Placed features only are binned by `pos_uncertainty_m`.\n"
)


def readme_block(report: dict) -> str:
    return ("Positional uncertainty (`pos_uncertainty_m`) by layer:\n\n" + uncertainty_summary() + "\n" + TIER_MEANING
            + "\nAgreement with an independent second source (`python -m geodata.crosscheck`):\n\n" + markdown(report))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extract-metromancn", type=Path, metavar="QD_JS",
                        help="rebuild the station second source from the mini-program's src/data/qd.js")
    parser.add_argument("--readme", action="store_true", help="rewrite the README's cross-check block")
    args = parser.parse_args(argv)
    if args.extract_metromancn:
        extract_metromancn(args.extract_metromancn).to_csv(CROSS_DIR / "metromancn_qd_stations.csv", index=False)
    report = crosscheck()
    print(markdown(report), end="")
    for name, r in report.items():
        for o in r["outliers"]:
            print(f"  {name}: {o['id']} {o['name_zh']} {o['distance_m']:.0f} m — {o['reason'] or 'NO REASON GIVEN'}")
    REPORT_MD.write_text("# Cross-check of positions against second sources\n\n"
                         "Written by `python -m geodata.crosscheck`; do not edit.\n\n" + readme_block(report), encoding="utf-8")
    if args.readme:
        readme = GEODATA_DIR.parent / "README.md"
        text = readme.read_text(encoding="utf-8")
        text = re.sub(r"(<!-- crosscheck:start -->\n).*?(<!-- crosscheck:end -->)",
                      lambda m: m.group(1) + readme_block(report) + m.group(2), text, flags=re.S)
        readme.write_text(text, encoding="utf-8")
    slim = {k: {kk: vv for kk, vv in v.items() if kk != "pairs"} for k, v in report.items()}
    REPORT_JSON.write_text(json.dumps(slim, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
