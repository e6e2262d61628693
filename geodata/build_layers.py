"""Build the WGS84 GeoJSON layers from the curated CSV tables in ``geodata/src``.

Run ``python -m geodata.build_layers``. For each table it converts coordinates
recorded in GCJ-02 / BD-09 to WGS84 (``source_crs`` keeps the original datum),
builds metro line geometry from its ordered stations, rounds coordinates to
``PRECISION`` decimals, writes ``geodata/<layer>.geojson`` and refreshes the
layer's entry in ``geodata/registry.json``. Layers not built from a table here
(districts, clusters) keep their registry entries, re-hashed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, Point

from core.crs import WGS84, convert_geoseries
from core.settings import GEODATA_DIR
from layers import catalog
from layers.base import read_geojson
from layers.registry import REGISTRY_PATH, describe_file, load_registry, write_registry

SRC_DIR = GEODATA_DIR / "src"
PRECISION = 6  # decimals of a degree: ~0.1 m, well below the sources' accuracy
COORD_COLUMNS = ("lon", "lat", "wkt")


def read_table(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df.columns = [c.strip() for c in df.columns]
    return df.map(lambda v: v.strip() if isinstance(v, str) else v)


def geometry_from_row(row: pd.Series):
    if row.get("wkt"):
        return shapely.from_wkt(row["wkt"])
    if row.get("lon") and row.get("lat"):
        return Point(float(row["lon"]), float(row["lat"]))
    return None


def to_wgs84(df: pd.DataFrame, geoms: list) -> gpd.GeoSeries:
    """Convert each row's geometry from its ``source_crs`` to WGS84."""
    series = gpd.GeoSeries(geoms, index=df.index, crs=WGS84)
    out = series.copy()
    for datum in ("GCJ-02", "BD-09"):
        mask = df["source_crs"] == datum
        if mask.any():
            out[mask] = convert_geoseries(series[mask], source=datum, target="WGS84")
    return out


def metro_line_geometry(lines: pd.DataFrame, stations: gpd.GeoDataFrame) -> list:
    by_id = stations.set_index("id").geometry
    geoms = []
    for line_id, seq in zip(lines["id"], lines["stations"], strict=True):
        ids = [s for s in seq.split(";") if s]
        missing = [s for s in ids if s not in by_id.index]
        if missing:
            msg = f"{line_id}: stations not in metro_stations.csv: {missing}"
            raise ValueError(msg)
        geoms.append(LineString([by_id[s] for s in ids]))
    return geoms


def build_table(name: str, stations: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    layer = catalog.get(name)
    df = read_table(SRC_DIR / f"{name}.csv")
    if name == "metro_lines":
        geometry = gpd.GeoSeries(metro_line_geometry(df, stations), index=df.index, crs=WGS84)
    else:
        geometry = to_wgs84(df, [geometry_from_row(r) for _, r in df.iterrows()])
    props = [c for c in layer.schema.required if c in df.columns]
    extra = [c for c in df.columns if c not in props and c not in COORD_COLUMNS]
    gdf = gpd.GeoDataFrame(df[props + extra], geometry=geometry, crs=WGS84)
    for col in ("weight", "design_speed_kmh", "length_km", "pos_uncertainty_m"):
        if col in gdf:
            gdf[col] = pd.to_numeric(gdf[col], errors="coerce")
    gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 10**-PRECISION)
    return gdf


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    payload = json.loads(gdf.to_json(drop_id=True, na="null"))
    payload.pop("crs", None)
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text.replace('},{"type":"Feature"', '},\n{"type":"Feature"') + "\n", encoding="utf-8")


def registry_entry(name: str, previous: dict) -> dict:
    layer = catalog.get(name)
    path = GEODATA_DIR / layer.file
    entry = {
        "file": layer.file,
        "title": f"{layer.title_zh} / {layer.title_en}",
        "source": previous.get("source") or layer.source,
        "licence": previous.get("licence") or layer.licence,
        "retrieved": previous.get("retrieved") or "",
    }
    gdf = read_geojson(path)
    if "licence" in gdf:  # curated layers: the licences their features carry, most used first
        counts = gdf["licence"].fillna("").replace("", "unstated").value_counts()
        entry["licence"] = "; ".join(f"{lic} ({n})" for lic, n in counts.items())
        if any("ODbL" in lic for lic in counts.index):
            entry["attribution"] = "© OpenStreetMap contributors"
    if "as_of" in gdf and not previous.get("retrieved"):
        entry["retrieved"] = str(gdf["as_of"].max())
    entry.update(describe_file(path))
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="build only these layers")
    args = parser.parse_args(argv)
    registry = load_registry() if REGISTRY_PATH.exists() else {}
    stations = None
    for name in catalog.LAYERS:
        if args.only and name not in args.only:
            continue
        if (SRC_DIR / f"{name}.csv").exists():
            if name == "metro_lines" and stations is None:
                stations = build_table("metro_stations")
            gdf = build_table(name, stations)
            if name == "metro_stations":
                stations = gdf
            write_geojson(gdf, GEODATA_DIR / catalog.get(name).file)
            print(f"{name}: {len(gdf)} features")
        if (GEODATA_DIR / catalog.get(name).file).exists():
            registry[name] = registry_entry(name, registry.get(name, {}))
    write_registry(registry)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
