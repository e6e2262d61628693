"""The three bay clusters (鳌山湾, 胶州湾, 灵山湾) and the corridor line that strings them.

Schematic, derived boundaries: built by ``python -m analysis.clusters`` (see that
module for the method); every feature stores its ``method`` and ``parameters``.
"""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.schema import LayerSchema

SCHEMA = LayerSchema(
    name="clusters",
    categories=frozenset({"bay_cluster", "corridor"}),
    geometry_types=frozenset({"Polygon", "MultiPolygon", "LineString"}),
    extra_fields=("method", "parameters"),
    multi_district=True,
    curated=False,
)
LAYER = Layer(
    name="clusters",
    file="clusters.geojson",
    schema=SCHEMA,
    title_zh="湾区科创集聚区",
    title_en="Bay innovation clusters",
    source="derived: analysis/clusters.py (land within a buffer of each bay's water; schematic)",
    licence="derived from the districts layer (as districts)",
)
STYLE = {"color": "#2c7fb8", "weight": 1.5, "fillColor": "#7fcdbb", "fillOpacity": 0.15, "dashArray": "6 4"}


def load() -> gpd.GeoDataFrame:
    return load_layer(LAYER)


def bay_clusters() -> gpd.GeoDataFrame:
    """Only the three cluster polygons (no corridor line)."""
    gdf = load()
    return gdf[gdf["category"] == "bay_cluster"].reset_index(drop=True)
