"""Transport nodes: the airport, ports and main rail/HSR stations."""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.render import categorical_point_style, point_legend
from layers.schema import LayerSchema

SCHEMA = LayerSchema(
    name="transport_nodes",
    categories=frozenset({"airport", "port", "rail_station"}),
    geometry_types=frozenset({"Point"}),
    extra_fields=("mode", "lines"),
    extra_may_be_empty=frozenset({"lines"}),
)
LAYER = Layer("transport_nodes", "transport_nodes.geojson", SCHEMA, "机场·港口·铁路站", "Airport, ports, rail stations")
CATEGORY_COLORS = {"airport": "#000000", "port": "#1f4e79", "rail_station": "#6b6b6b"}
CATEGORY_RADIUS = {"airport": 11, "port": 9, "rail_station": 7}


style = categorical_point_style("category", CATEGORY_COLORS, CATEGORY_RADIUS, default_radius=7,
                                outline="#ffffff", weight=2, fill_opacity=1.0)


def legend(label) -> list[tuple[str, str, str]]:
    return point_legend(CATEGORY_COLORS, label)


def load() -> gpd.GeoDataFrame:
    return load_layer(LAYER)
