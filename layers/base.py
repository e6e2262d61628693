"""Shared machinery of the layer modules: loading, schema and spatial checks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from core.crs import WGS84, to_measure_crs
from core.settings import GEODATA_DIR
from core.vocab import PLACED_TIERS, QINGDAO_BBOX, split_multi
from layers.schema import LayerSchema, validate_properties

#: A point may lie this far outside the district it claims (piers, reclaimed coast).
COAST_TOLERANCE_M = 300.0
#: Ports and their quays stand in the sea, beyond the administrative land outline.
CATEGORY_TOLERANCE_M = {"port": 1500.0}


class LayerValidationError(ValueError):
    """A layer file breaks the schema; ``problems`` lists every issue found."""

    def __init__(self, layer: str, problems: list[str]):
        self.problems = problems
        head = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"Layer '{layer}' is invalid ({len(problems)} problems):\n  {head}{more}")


@dataclass(frozen=True)
class Layer:
    """A curated layer: its file, its schema and how to title it."""

    name: str
    file: str
    schema: LayerSchema
    title_zh: str
    title_en: str
    source: str = "geodata/src (see the *_SOURCES.md notes there)"
    licence: str = "Compiled facts; positions from sources listed per feature (see README)"

    @property
    def path(self) -> Path:
        return GEODATA_DIR / self.file


def read_geojson(path: Path) -> gpd.GeoDataFrame:
    """Read an RFC 7946 GeoJSON file as-is: WGS84, property values untouched.

    (GDAL's reader guesses types and would turn ``as_of`` strings into datetimes.)
    """
    with Path(path).open(encoding="utf-8") as fh:
        collection = json.load(fh)
    gdf = gpd.GeoDataFrame.from_features(collection["features"], crs=WGS84)
    columns = [c for c in gdf.columns if c != "geometry"] + ["geometry"]
    return gdf[columns]


def read_layer(layer: Layer, path: Path | None = None) -> gpd.GeoDataFrame:
    """Read a layer file without validating it (EPSG:4326, ``id`` kept as a column)."""
    return read_geojson(path or layer.path)


def schema_problems(gdf: gpd.GeoDataFrame, layer: Layer) -> list[str]:
    """Field-level and geometry problems of a loaded layer."""
    problems: list[str] = []
    columns = [c for c in gdf.columns if c != "geometry"]
    for props in gdf[columns].to_dict("records"):
        clean = {k: ("" if _is_missing(v) else v) for k, v in props.items()}
        problems += validate_properties(clean, layer.schema)
    if "id" in gdf:
        dupes = gdf["id"][gdf["id"].duplicated()].tolist()
        problems += [f"duplicate id {d!r}" for d in dupes]
    problems += geometry_problems(gdf, layer.schema)
    return problems


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def geometry_problems(gdf: gpd.GeoDataFrame, schema: LayerSchema) -> list[str]:
    problems = []
    ids = gdf["id"] if "id" in gdf else gdf.index.astype(str)
    tiers = gdf["location_tier"] if schema.tiered and "location_tier" in gdf else [None] * len(gdf)
    for fid, geom, tier in zip(ids, gdf.geometry, tiers, strict=True):
        unplaced = tier is not None and tier not in PLACED_TIERS
        if geom is None or geom.is_empty:
            if not unplaced:
                problems.append(f"{fid}: empty geometry")
            continue
        if unplaced:
            problems.append(f"{fid}: known only to the {tier} but has a geometry (a made-up place); drop it")
            continue
        if geom.geom_type not in schema.geometry_types:
            problems.append(f"{fid}: geometry {geom.geom_type} not in {sorted(schema.geometry_types)}")
        if not geom.is_valid:
            problems.append(f"{fid}: invalid geometry ({shapely.is_valid_reason(geom)})")
        x0, y0, x1, y1 = geom.bounds
        bx0, by0, bx1, by1 = QINGDAO_BBOX
        if x0 < bx0 or y0 < by0 or x1 > bx1 or y1 > by1:
            problems.append(
                f"{fid}: outside Qingdao's extent {QINGDAO_BBOX} (bounds {np.round(geom.bounds, 4).tolist()}); "
                "lon/lat swapped or wrong CRS?"
            )
    return problems


def district_problems(
    gdf: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, *, tolerance_m: float = COAST_TOLERANCE_M
) -> list[str]:
    """Each feature lies in (or, for lines/areas, touches) the district(s) it claims."""
    if gdf.empty:
        return []
    feats = to_measure_crs(gdf)
    dist = to_measure_crs(districts).set_index("id").geometry
    problems = []
    categories = feats["category"] if "category" in feats else [""] * len(feats)
    for fid, claimed, cat, geom in zip(feats["id"], feats["district"], categories, feats.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue  # no position: the tier vouches for the district (geometry_problems checks the pair)
        tol = CATEGORY_TOLERANCE_M.get(cat, tolerance_m)
        names = split_multi(claimed)
        unknown = [n for n in names if n not in dist.index]
        if unknown:
            problems.append(f"{fid}: unknown district(s) {unknown}")
            continue
        if geom.geom_type == "Point":
            gaps = dist.distance(geom)
            nearest = gaps.idxmin()
            claimed_gap = gaps[names[0]]
            if claimed_gap > tol or (claimed_gap > 0 and nearest != names[0] and gaps[nearest] == 0):
                problems.append(
                    f"{fid}: claims district '{names[0]}' but lies in/near '{nearest}' "
                    f"({claimed_gap:.0f} m from {names[0]})"
                )
        else:
            for n in names:
                if dist[n].distance(geom) > tol:
                    problems.append(f"{fid}: claims district '{n}' but does not reach it")
    return problems


@lru_cache(maxsize=32)
def _load_cached(layer: Layer) -> gpd.GeoDataFrame:
    gdf = read_layer(layer)
    problems = schema_problems(gdf, layer)
    if problems:
        raise LayerValidationError(layer.name, problems)
    return gdf


def load_layer(layer: Layer) -> gpd.GeoDataFrame:
    """Load and validate a committed layer; a copy, so callers cannot corrupt the cache."""
    return _load_cached(layer).copy()


def located(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The features that stand at a place of their own: a geometry, and (where the layer says) a
    ``location_tier`` of site or street. A feature known only to its district or the city is never
    counted, routed, labelled or filtered as if it stood at a point (DESIGN.md, "Location tiers")."""
    return gdf[_placed_mask(gdf)]


def _placed_mask(gdf: gpd.GeoDataFrame) -> np.ndarray:
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if "location_tier" in gdf.columns:
        keep &= gdf["location_tier"].isin(PLACED_TIERS).to_numpy()
    return keep


def unlocated(gdf: gpd.GeoDataFrame, tier: str | None = None) -> gpd.GeoDataFrame:
    """The complement of :func:`located` (optionally only those of one ``location_tier``): the
    features counted apart, listed by district ("district") or as not yet located ("city")."""
    out = gdf[~_placed_mask(gdf)]
    if tier is not None and "location_tier" in out.columns:
        out = out[out["location_tier"] == tier]
    return out


def by_district(gdf: gpd.GeoDataFrame) -> dict[str, list[str]]:
    """District-tier features as ``{district id: [feature ids]}`` (the per-district list the map
    opens from a district's count; DESIGN.md, "Location tiers")."""
    out: dict[str, list[str]] = {}
    if "location_tier" not in gdf.columns:
        return out
    part = gdf[gdf["location_tier"] == "district"]
    for fid, district in zip(part["id"], part["district"], strict=True):
        out.setdefault(str(district), []).append(fid)
    return dict(sorted(out.items()))
