"""Every curated layer of the atlas, in drawing order (areas first, points last)."""

from __future__ import annotations

from layers import clusters, coast, districts, links, metro, park_sites, parks, resources, transport
from layers.base import Layer

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
