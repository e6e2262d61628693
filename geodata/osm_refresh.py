"""Move curated point positions in ``geodata/src/*.csv`` onto their OpenStreetMap features.

``python -m geodata.osm_refresh --layer metro_stations [--dry-run] [--max-distance 3000]``
downloads (or reuses the cached) OSM features, matches each curated row to a feature of the
same name, prints the displacements and rewrites the matched rows' lon/lat and provenance.
Like osmnx's ``graph_from_xml``, parsing and matching are apart from downloading: only
:func:`fetch_osm_features` needs the internet; ``--osm-file extract.osm`` works offline.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import osmnx as ox
import pandas as pd
import requests
from osmnx._errors import InsufficientResponseError, ResponseStatusCodeError

from core.crs import WGS84
from core.settings import CACHE_DIR, GEODATA_DIR, OSM
from geodata.osm_match import (  # noqa: F401  (re-exported: the pure half)
    curated_points,
    format_report,
    match_features,
    name_keys,
    osm_points,
    read_osm_xml,
    read_points,
)

SRC_DIR = GEODATA_DIR / "src"
ACADEMIC = {"amenity": ["university", "college", "research_institute"], "office": "research"}


@dataclass(frozen=True)
class LayerQuery:
    tags: dict  # Overpass tags (osmnx form); features matching any of them are fetched
    prefer: dict  # tag -> values: among equally named candidates these rank first


LAYER_QUERIES = {
    "metro_stations": LayerQuery(
        {"railway": ["station", "halt"], "public_transport": "station", "station": "subway"},
        {"station": ["subway", "light_rail"], "subway": ["yes"], "light_rail": ["yes"]}),
    "transport_nodes": LayerQuery(
        {"railway": ["station", "halt"], "aeroway": "aerodrome",
         "landuse": ["port", "harbour"], "industrial": "port"},
        {"train": ["yes"], "aeroway": ["aerodrome"], "landuse": ["port", "harbour"]}),
    "resources": LayerQuery(ACADEMIC, {"amenity": ["university", "research_institute"]}),
    "park_sites": LayerQuery({**ACADEMIC, "landuse": ["commercial", "industrial"]}, {}),
    "parks": LayerQuery({"landuse": ["commercial", "industrial"]}, {}),
}


class OfflineError(RuntimeError):
    """The Overpass API could not be reached; nothing was downloaded or changed."""


# --- downloading (the only part that needs the internet) ---------------------------------

@contextlib.contextmanager
def _osmnx_settings(**values):
    old = {key: getattr(ox.settings, key) for key in values}
    for key, value in values.items():
        setattr(ox.settings, key, value)
    try:
        yield
    finally:
        for key, value in old.items():
            setattr(ox.settings, key, value)


def cache_path(bbox: tuple, tags: dict, *, cache_dir: Path) -> Path:
    key = json.dumps({"bbox": [round(v, 6) for v in bbox], "tags": tags}, sort_keys=True)
    return Path(cache_dir) / f"osm_features_{hashlib.sha256(key.encode()).hexdigest()[:16]}.geojson"


def fetch_osm_features(bbox: tuple, tags: dict, *, cache_dir: Path) -> gpd.GeoDataFrame:
    """OSM features with ``tags`` inside ``bbox`` = (west, south, east, north), as points.

    Reuses ``cache_dir/osm_features_<hash>.geojson`` when present; otherwise downloads with
    osmnx (connect timeout of seconds, so offline it fails fast) and writes that cache.
    """
    path = cache_path(bbox, tags, cache_dir=cache_dir)
    if path.exists():
        return read_points(path)
    timeouts = (OSM.connect_timeout_s, OSM.read_timeout_s)
    try:
        with _osmnx_settings(requests_timeout=timeouts, overpass_rate_limit=False,
                             use_cache=False, log_console=False,
                             overpass_settings=f"[out:json][timeout:{OSM.read_timeout_s}]{{maxsize}}"):
            features = ox.features_from_bbox(tuple(bbox), tags)
    except InsufficientResponseError:
        features = gpd.GeoDataFrame(geometry=[], crs=WGS84)
    except (requests.RequestException, OSError, ResponseStatusCodeError) as err:
        msg = (f"could not reach the Overpass API ({ox.settings.overpass_url}): {err}; "
               "run again when online (or pass --osm-file with a local .osm extract); "
               "nothing was changed.")
        raise OfflineError(msg) from err
    points = osm_points(features)
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, points.to_json(drop_id=True, ensure_ascii=False))
    return points


# --- applying (rewrites the curated CSV) ----------------------------------------------------

def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=Path(path).parent, prefix=f".{Path(path).name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _records(text: str):
    """Yield (fields, raw text) per CSV record, so untouched records are copied verbatim."""
    consumed: list[str] = []

    def lines():
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    for fields in csv.reader(lines()):
        yield fields, "".join(consumed)
        consumed.clear()


def apply_matches(csv_path: Path, matches: pd.DataFrame, *, as_of: str) -> int:
    """Rewrite the matched rows of ``csv_path`` (lon/lat in WGS84 and provenance); atomic.

    Unmatched rows and every other byte of the file stay as they were. Returns rows changed.
    """
    todo = matches[matches["status"] == "matched"].set_index("id")
    with open(csv_path, encoding="utf-8", newline="") as fh:  # keep \r\n as written
        text = fh.read()
    ending = "\r\n" if text.split("\n", 1)[0].endswith("\r") else "\n"
    out, header, changed = [], None, 0
    for fields, raw in _records(text):
        if header is None:
            header = {name.lstrip("\ufeff"): k for k, name in enumerate(fields)}
        elif fields and fields[header["id"]] in todo.index:
            fields = _updated(fields, header, todo.loc[fields[header["id"]]], as_of)
            buf = io.StringIO()
            csv.writer(buf, lineterminator=ending).writerow(fields)
            raw, changed = buf.getvalue(), changed + 1
        out.append(raw)
    if changed:
        _atomic_write(Path(csv_path), "".join(out))
    print(f"{csv_path}: {changed} of {len(matches)} rows moved onto OpenStreetMap features")
    return changed


def _updated(fields: list[str], header: dict, match: pd.Series, as_of: str) -> list[str]:
    fields = list(fields)
    dec = OSM.coordinate_decimals
    before = ",".join(fields[header[c]] for c in ("lon", "lat"))
    note = (f"Position from OpenStreetMap {match['osm_id']} ({as_of}), moved "
            f"{match['displacement_m']:.0f} m from the earlier {before} "
            f"({fields[header['source_crs']]}).")
    old_note = fields[header["notes"]].strip()
    values = {"lon": f"{match['new_lon']:.{dec}f}", "lat": f"{match['new_lat']:.{dec}f}",
              "source_crs": "EPSG:4326", "geom_precision": match["geom_precision"],
              "source": f"OpenStreetMap contributors (ODbL), osm id {match['osm_id']}",
              "as_of": as_of, "notes": f"{old_note} {note}".strip()}
    for column, value in values.items():
        fields[header[column]] = value
    return fields


# --- command line ---------------------------------------------------------------------------

def layer_bbox(points: gpd.GeoSeries, padding_deg: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the points, padded: the area to download."""
    west, south, east, north = (float(v) for v in points.dropna().total_bounds)
    return (west - padding_deg, south - padding_deg, east + padding_deg, north + padding_deg)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", required=True, choices=sorted(LAYER_QUERIES))
    parser.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    parser.add_argument("--max-distance", type=float, default=OSM.max_distance_m, help="metres")
    parser.add_argument("--csv", type=Path, help="table to refresh (default geodata/src/LAYER.csv)")
    parser.add_argument("--osm-file", type=Path, help="use a local .osm XML extract (offline)")
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR / OSM.cache_subdir)
    parser.add_argument("--as-of", default=dt.datetime.now(dt.timezone.utc).date().isoformat())
    args = parser.parse_args(argv)
    query = LAYER_QUERIES[args.layer]
    csv_path = args.csv or SRC_DIR / f"{args.layer}.csv"
    curated = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
    try:
        if args.osm_file:
            osm = read_osm_xml(args.osm_file, query.tags)
        else:
            bbox = layer_bbox(curated_points(curated), OSM.bbox_padding_deg)
            osm = fetch_osm_features(bbox, query.tags, cache_dir=args.cache_dir)
    except OfflineError as err:
        print(f"osm_refresh: {err}", file=sys.stderr)
        return 2
    matches = match_features(curated, osm, max_distance_m=args.max_distance, prefer=query.prefer)
    print(format_report(matches))
    if args.dry_run:
        print("dry run: nothing was changed")
        return 0
    if apply_matches(csv_path, matches, as_of=args.as_of):
        print("now run: python -m geodata.build_layers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
