"""The high-tech zone's ten parks (一区多园, plan §五(一) and 专栏8)."""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.render import with_status
from layers.schema import LayerSchema

SCHEMA = LayerSchema(
    tiered=True,
    name="parks",
    categories=frozenset({"park"}),
    geometry_types=frozenset({"Point", "Polygon", "MultiPolygon", "LineString", "MultiLineString"}),
    extra_fields=("focus_industries",),
    multi_district=True,
)
LAYER = Layer("parks", "parks.geojson", SCHEMA, "高新区一区多园", "High-tech zone parks")
STYLE = {"color": "#b2182b", "fillColor": "#ef8a62", "weight": 2.5, "fillOpacity": 0.25, "radius": 10}
PLAN_NAMES = (
    "胶州湾北部主园区", "蓝色硅谷核心区", "青岛高科技工业园", "青岛(胶南)新技术产业开发试验区",
    "青岛轨道交通产业示范区", "市南软件园", "青岛科技街", "青岛未来科技产业园",
    "青岛新技术产业开发试验区", "海洋科技创新及成果孵化带",
)



def style(feature: dict) -> dict:
    return with_status(STYLE, feature["properties"].get("status"), point=feature["geometry"]["type"] == "Point")


def load() -> gpd.GeoDataFrame:
    return load_layer(LAYER)
