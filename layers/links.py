"""Transport links: rail/HSR lines, the Jiaozhou Bay bridge and tunnels, expressways."""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.schema import LayerSchema

SCHEMA = LayerSchema(
    name="links",
    categories=frozenset({"rail_line", "bridge", "tunnel", "expressway"}),
    geometry_types=frozenset({"LineString", "MultiLineString"}),
    extra_fields=("mode", "ref", "design_speed_kmh", "stations"),
    extra_may_be_empty=frozenset({"ref", "design_speed_kmh", "stations"}),
    multi_district=True,
)
LAYER = Layer("links", "links.geojson", SCHEMA, "铁路·桥隧·高速", "Rail, bridge, tunnels, expressways")
CATEGORY_STYLES = {
    "rail_line": {"color": "#252525", "weight": 3},
    "bridge": {"color": "#6a3d9a", "weight": 5},
    "tunnel": {"color": "#6a3d9a", "weight": 5, "dashArray": "2 6"},
    "expressway": {"color": "#ff7f00", "weight": 2.5},
}


def load() -> gpd.GeoDataFrame:
    return load_layer(LAYER)
