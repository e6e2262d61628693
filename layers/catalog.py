"""Every curated layer of the atlas, in drawing order (areas first, points last)."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd

from layers import clusters, coast, districts, links, metro, park_sites, parks, resources, transport
from layers.base import Layer, load_layer

LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        districts.LAYER,
        coast.CITY,
        coast.BAY,
        clusters.LAYER,
        parks.LAYER,
        links.LAYER,
        metro.LINES,
        metro.STATIONS,
        transport.LAYER,
        park_sites.LAYER,
        resources.LAYER,
    )
}


def get(name: str) -> Layer:
    try:
        return LAYERS[name]
    except KeyError:
        msg = f"Unknown layer {name!r}; choose one of: {', '.join(LAYERS)}"
        raise KeyError(msg) from None


def loaders() -> dict[str, Callable[[], gpd.GeoDataFrame]]:
    """Every layer by name (curated catalog order), with the loaders that add derived fields."""
    out = {name: (lambda layer=layer: load_layer(layer)) for name, layer in LAYERS.items()}
    out.update({"districts": districts.load, "city_outline": coast.load_city, "jiaozhou_bay": coast.load_bay,
                "resources": resources.load})
    return out
