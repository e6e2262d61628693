"""What a Connectivity-page download says about itself (issue 25): a result of the network credits the
layers the network is built from — their sources, licences and attribution — and carries its parameters.

Used with :func:`atlas.export.metadata.analysis_geojson` (GeoJSON, metadata inside) and
:func:`atlas.export.metadata.analysis_metadata` (the JSON beside a CSV)."""

from __future__ import annotations

import pandas as pd

from analysis.corridor import TransportFrames

#: The layers the network — and so every result of the Connectivity page — is built from.
NETWORK_LAYERS: tuple[str, ...] = ("metro_stations", "metro_lines", "links", "transport_nodes", "parks", "resources")


def network_inputs(frames: TransportFrames) -> pd.DataFrame:
    """Every feature the network is built from, without geometry (its provenance columns only matter)."""
    return pd.concat([pd.DataFrame(getattr(frames, k).drop(columns="geometry")) for k in NETWORK_LAYERS],
                     ignore_index=True)


def download_kwargs(frames: TransportFrames, title: str) -> dict:
    """Keyword arguments for ``analysis_geojson``/``analysis_metadata`` of one result of the network."""
    return {"title": title, "layers": list(NETWORK_LAYERS), "inputs": network_inputs(frames)}
