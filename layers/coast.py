"""City land outline and the Jiaozhou Bay water body, derived from the districts.

Built by ``geodata/build_districts.py``: the outline is the union of the ten
districts; the bay is the water the land encloses, closed by a line across the
bay mouth (团岛 — 薛家岛). Both feed the bay-cluster method and the briefing base.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.schema import LayerSchema

_AREA = frozenset({"Polygon", "MultiPolygon"})
CITY = Layer(
    "city_outline", "city_outline.geojson",
    LayerSchema("city_outline", frozenset({"city"}), _AREA, ("adcode", "official_area_km2"), multi_district=True, curated=False),
    "青岛市陆域", "Qingdao (land)",
    source="union of geodata/districts.geojson (cnmaps)", licence="as districts",
)
BAY = Layer(
    "jiaozhou_bay", "jiaozhou_bay.geojson",
    LayerSchema("jiaozhou_bay", frozenset({"water"}), _AREA, multi_district=True, curated=False),
    "胶州湾水域", "Jiaozhou Bay (water)",
    source="derived from geodata/districts.geojson; see geodata/build_districts.py", licence="as districts",
)
STYLE = {"color": "#4a90c2", "weight": 1, "fillColor": "#a6cee3", "fillOpacity": 0.35}


def load_city() -> gpd.GeoDataFrame:
    return load_layer(CITY)


def load_bay() -> gpd.GeoDataFrame:
    return load_layer(BAY)


#: Land from a published coastline: OpenStreetMap land polygons (ODbL) via roaring-landmask, clipped
#: once around Qingdao by ``geodata/build_coast.py`` (WGS84). Absent: no sea/land split beyond the city.
COAST_FILE = Path(__file__).resolve().parents[1] / "geodata" / "coast_land.geojson"
#: Slivers narrower than this along the shared coast (two outlines of one shore) are not neighbouring land.
SLIVER_M = 100.0
#: The shading is simplified to this (metres): ~50 kB of GeoJSON instead of 1.2 MB; 5 px at zoom 14.
SIMPLIFY_M = 50.0


def load_coast_land() -> gpd.GeoDataFrame | None:
    """The published coastline's land (WGS84), or None when the file is absent."""
    return gpd.read_file(COAST_FILE) if COAST_FILE.is_file() else None


@lru_cache(maxsize=1)
def _neighbour_land() -> gpd.GeoDataFrame | None:
    from core.crs import MEASURE_CRS, WGS84

    coast = load_coast_land()
    if coast is None:
        return None
    land = coast.to_crs(MEASURE_CRS).geometry.union_all()
    city = load_city().to_crs(MEASURE_CRS).geometry.union_all()
    half = SLIVER_M / 2
    other = land.difference(city).buffer(-half).buffer(half).difference(city).simplify(SIMPLIFY_M)
    out = gpd.GeoDataFrame({"id": ["neighbour_land"]}, geometry=[other], crs=MEASURE_CRS).to_crs(WGS84)
    out["licence"] = coast["licence"].iloc[0] if "licence" in coast else "ODbL-1.0"
    return out


def neighbour_land() -> gpd.GeoDataFrame | None:
    """Land that is not Qingdao's (the neighbouring cities), from the published coastline; None without it."""
    found = _neighbour_land()
    return None if found is None else found.copy()
