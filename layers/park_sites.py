"""Named sub-sites of the parks (国际创新园, 李沧院士港, 蓝谷 …), each linked to its park."""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.render import with_status
from layers.schema import LayerSchema

SCHEMA = LayerSchema(
    tiered=True,
    name="park_sites",
    categories=frozenset({"park_site"}),
    geometry_types=frozenset({"Point"}),
    extra_fields=("focus_industries", "park_id"),
    extra_may_be_empty=frozenset({"focus_industries"}),
)
LAYER = Layer("park_sites", "park_sites.geojson", SCHEMA, "园区重点载体", "Park sub-sites")
STYLE = {"color": "#b2182b", "fillColor": "#fddbc7", "radius": 6, "weight": 2, "fillOpacity": 0.9}



def style(feature: dict) -> dict:
    return with_status(STYLE, feature["properties"].get("status"), point=feature["geometry"]["type"] == "Point")


def load() -> gpd.GeoDataFrame:
    return load_layer(LAYER)
