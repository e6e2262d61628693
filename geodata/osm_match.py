"""Pure half of :mod:`geodata.osm_refresh`: parse OSM features and match curated rows to them.

No network here: :func:`read_osm_xml` parses a local .osm file (osmnx ``features_from_xml``),
:func:`osm_points` turns osmnx features into one representative point each, and
:func:`match_features` pairs curated rows with OSM points by normalised name and distance.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmnx as ox
import pandas as pd

from core.crs import MEASURE_CRS, WGS84, convert_xy, to_measure_crs
from core.settings import OSM

OSM_NAME_COLUMNS = ("name", "name:zh", "name:zh-Hans", "name:en", "official_name", "alt_name")
TAG_COLUMNS = ("railway", "station", "subway", "light_rail", "train", "public_transport",
               "amenity", "aeroway", "landuse", "harbour", "industrial", "office")
POINT_COLUMNS = ("osm_id", *OSM_NAME_COLUMNS, *TAG_COLUMNS, "osm_geom_type", "area_m2")
MATCH_LEVELS = ("name", "name_without_parentheses")

_BRACKETED = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]")
_SUFFIX = re.compile(r"(地铁站|火车站|站|(metro|subway|railway|train)?station)$")


# --- parsing ------------------------------------------------------------------------------

def osm_points(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """osmnx features (indexed by element, id) -> one WGS84 representative point per feature.

    Columns: POINT_COLUMNS (names and tags as text, "" when absent). A polygon gives its
    centroid when that lies inside it, else a point on its surface; ``area_m2`` (EPSG:4549)
    keeps its size for the precision label.
    """
    if features.empty:
        return gpd.GeoDataFrame(columns=list(POINT_COLUMNS), geometry=[], crs=WGS84)
    flat = features.reset_index()
    out = pd.DataFrame({"osm_id": flat["element"].astype(str) + "/" + flat["id"].astype(str)})
    for col in (*OSM_NAME_COLUMNS, *TAG_COLUMNS):
        out[col] = flat[col].fillna("").astype(str) if col in flat else ""
    original = gpd.GeoSeries(flat.geometry.values, crs=features.crs).to_crs(WGS84)
    measured = to_measure_crs(original)
    out["osm_geom_type"] = measured.geom_type.values
    out["area_m2"] = measured.area.round(1).values
    centroid = measured.centroid
    inside = centroid.where(centroid.within(measured), measured.representative_point())
    point = original.where(original.geom_type == "Point", inside.to_crs(WGS84))  # nodes exact
    return gpd.GeoDataFrame(out, geometry=point.values, crs=WGS84)


def read_osm_xml(path: Path, tags: dict | None = None) -> gpd.GeoDataFrame:
    """Parse a local .osm XML file (offline) into :func:`osm_points` form."""
    try:
        return osm_points(ox.features_from_xml(path, tags=tags))
    except ox._errors.InsufficientResponseError:  # no feature has the tags
        return osm_points(gpd.GeoDataFrame(geometry=[], crs=WGS84))


def read_points(path: Path) -> gpd.GeoDataFrame:
    """Read :func:`osm_points` output saved as GeoJSON (the download cache)."""
    gdf = gpd.read_file(path)
    gdf = gdf.set_crs(WGS84) if gdf.crs is None else gdf
    gdf = gdf.reindex(columns=[*POINT_COLUMNS, "geometry"])
    return gdf.fillna({c: "" for c in POINT_COLUMNS if c != "area_m2"}).fillna({"area_m2": 0.0})


# --- names --------------------------------------------------------------------------------

def _norm(text: str) -> str:
    key = re.sub(r"\brd\b", "road", text.casefold())
    key = re.sub(r"[\W_]+", "", key)
    stripped = _SUFFIX.sub("", key)
    return stripped if len(stripped) >= 2 else key


def name_keys(name: str) -> tuple[set[str], set[str]]:
    """(full keys, keys without parenthesised parts) of a name; '/' or ';' separate aliases.

    Keys are NFKC-normalised, case-folded, without spaces/punctuation and without a final
    站 / 地铁站 / 火车站 / (railway|metro|subway|train) station; keys shorter than 2 are dropped.
    """
    full, bare = set(), set()
    for alias in re.split(r"[/;]", unicodedata.normalize("NFKC", name or "")):
        full.add(_norm(alias))
        while _BRACKETED.search(alias):
            alias = _BRACKETED.sub("", alias)
        bare.add(_norm(alias))
    return {k for k in full if len(k) >= 2}, {k for k in bare if len(k) >= 2}


def _index_names(osm: gpd.GeoDataFrame) -> tuple[dict, dict]:
    """key -> OSM row positions, for full keys and for full-or-bare keys."""
    full, loose = {}, {}
    columns = [c for c in OSM_NAME_COLUMNS if c in osm]
    for pos, names in enumerate(osm[columns].fillna("").itertuples(index=False)):
        for name in names:
            f, b = name_keys(name)
            for key in f:
                full.setdefault(key, set()).add(pos)
            for key in f | b:
                loose.setdefault(key, set()).add(pos)
    return full, loose


# --- matching -----------------------------------------------------------------------------

def curated_points(curated: pd.DataFrame) -> gpd.GeoSeries:
    """WGS84 points of the rows that are points (lon/lat set, no wkt); None elsewhere.

    Rows whose ``source_crs`` is GCJ-02 or BD-09 are converted to WGS84 first.
    """
    lon = np.array(pd.to_numeric(curated["lon"], errors="coerce"), dtype=float)
    lat = np.array(pd.to_numeric(curated["lat"], errors="coerce"), dtype=float)
    datum = curated["source_crs"] if "source_crs" in curated else pd.Series(WGS84, curated.index)
    for web in ("GCJ-02", "BD-09"):
        mask = (datum == web).to_numpy()
        if mask.any():
            lon[mask], lat[mask] = convert_xy(lon[mask], lat[mask], source=web, target="WGS84")
    is_point = ~np.isnan(lon) & ~np.isnan(lat)
    if "wkt" in curated:
        is_point &= curated["wkt"].fillna("").eq("").to_numpy()
    geoms = np.where(is_point, gpd.points_from_xy(lon, lat), None)
    return gpd.GeoSeries(geoms, index=curated.index, crs=WGS84)


def _preferred(osm: gpd.GeoDataFrame, prefer: dict | None) -> np.ndarray:
    hit = np.zeros(len(osm), dtype=bool)
    for tag, values in (prefer or {}).items():
        if tag in osm:
            hit |= osm[tag].isin(values).to_numpy()
    return hit


def _xy(points: gpd.GeoSeries) -> np.ndarray:
    """EPSG:4549 coordinates as an (n, 2) array; NaN for missing points."""
    xy = np.full((len(points), 2), np.nan)
    present = points.notna().to_numpy()
    if present.any():
        measured = to_measure_crs(points[present])
        xy[present] = np.column_stack([measured.x, measured.y])
    return xy


def _candidates(names, index: tuple[dict, dict]) -> list[tuple[int, int]]:
    """(match level, OSM position) of the OSM points named like any of ``names``."""
    full, loose = set(), set()
    for name in names:
        f, b = name_keys(name)
        full, loose = full | f, loose | f | b
    exact = set().union(*(index[0].get(k, ()) for k in full))
    rest = set().union(*(index[1].get(k, ()) for k in loose)) - exact
    return [(0, p) for p in exact] + [(1, p) for p in rest]


def _matched(feat: pd.Series, level: int, distance: float) -> dict:
    small = feat["osm_geom_type"] == "Point" or float(feat["area_m2"]) <= OSM.surveyed_max_area_m2
    return {"status": "matched", "osm_id": feat["osm_id"], "osm_name": feat.get("name", ""),
            "match": MATCH_LEVELS[level], "new_lon": feat.geometry.x, "new_lat": feat.geometry.y,
            "displacement_m": round(distance, 1),
            "geom_precision": "surveyed" if small else "representative_point"}


def match_features(curated: pd.DataFrame, osm: gpd.GeoDataFrame, *, max_distance_m: float,
                   name_columns=("name_zh", "name_en"), prefer: dict | None = None) -> pd.DataFrame:
    """Match each curated point row to the OSM point of the same name (see :func:`osm_points`).

    Candidates farther than ``max_distance_m`` (EPSG:4549) from the current position are
    rejected; among the rest an exact normalised name beats a match without parenthesised
    parts, ``prefer``-tagged features (tag -> values) come next, then the shortest distance.
    Returns one row per curated row (same index): id, status (matched | no_name_match |
    beyond_max_distance | not_a_point), osm_id, osm_name, match, old_lon, old_lat, new_lon,
    new_lat (WGS84), displacement_m (to the match, or to the nearest rejected candidate),
    geom_precision (proposed: surveyed for a node or a small area, else representative_point).
    """
    old = curated_points(curated)
    old_xy, osm_xy = _xy(old), _xy(osm.geometry)
    index, rank_pref = _index_names(osm), np.where(_preferred(osm, prefer), 0, 1)
    ids = curated["id"] if "id" in curated else pd.Series(curated.index, index=curated.index)
    rows = []
    for i, names in enumerate(curated[list(name_columns)].fillna("").itertuples(index=False)):
        out = {"id": ids.iloc[i], "status": "not_a_point", "osm_id": "", "osm_name": "",
               "match": "", "old_lon": np.nan, "old_lat": np.nan, "new_lon": np.nan,
               "new_lat": np.nan, "displacement_m": np.nan, "geom_precision": ""}
        rows.append(out)
        if old.iloc[i] is None:
            continue
        out.update(old_lon=old.iloc[i].x, old_lat=old.iloc[i].y, status="no_name_match")
        ranked = sorted((lvl, rank_pref[p], float(np.hypot(*(osm_xy[p] - old_xy[i]))), p)
                        for lvl, p in _candidates(names, index))
        near = [c for c in ranked if c[2] <= max_distance_m]
        if near:
            out.update(_matched(osm.iloc[near[0][3]], near[0][0], near[0][2]))
        elif ranked:
            out.update(status="beyond_max_distance", displacement_m=round(min(c[2] for c in ranked), 1))
    result = pd.DataFrame(rows, index=curated.index)
    result.attrs["params"] = {"max_distance_m": max_distance_m, "name_columns": list(name_columns),
                              "prefer": dict(prefer or {}), "measure_crs": MEASURE_CRS}
    return result


def format_report(matches: pd.DataFrame) -> str:
    """One line per point row (matched: OSM id and metres moved; else why not) + a summary."""
    lines = []
    for row in matches.itertuples():
        if row.status == "matched":
            lines.append(f"{row.id}: -> {row.osm_id} {row.osm_name} moved "
                         f"{row.displacement_m:.0f} m ({row.match}, {row.geom_precision})")
        elif row.status == "beyond_max_distance":
            lines.append(f"{row.id}: UNMATCHED {row.status} (nearest {row.displacement_m:.0f} m)")
        elif row.status != "not_a_point":
            lines.append(f"{row.id}: UNMATCHED {row.status}")
    moved = matches.loc[matches["status"] == "matched", "displacement_m"]
    summary = f"summary: {matches['status'].value_counts().to_dict()}"
    lines.append(summary + (f"; median move {moved.median():.0f} m" if len(moved) else ""))
    return "\n".join(lines)
