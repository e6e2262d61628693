"""Transport nodes: the airport, ports and main rail/HSR stations."""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.schema import LayerSchema

SCHEMA = LayerSchema(
    name="transport_nodes",
    categories=frozenset({"airport", "port", "rail_station"}),
    geometry_types=frozenset({"Point"}),
    extra_fields=("mode", "lines"),
    extra_may_be_empty=frozenset({"lines"}),
)
LAYER = Layer("transport_nodes", "transport_nodes.geojson", SCHEMA, "机场·港口·铁路站", "Airport, ports, rail stations")
CATEGORY_COLORS = {"airport": "#084594", "port": "#2171b5", "rail_station": "#252525"}


def load() -> gpd.GeoDataFrame:
    return load_layer(LAYER)
