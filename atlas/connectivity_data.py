"""Data plumbing for the connectivity page (no Streamlit): load layers, build the network,
name the origin sets. The page caches these; tests call them directly."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import pandas as pd

from analysis.access import attach_points, representative_points
from analysis.crs import WGS84
from analysis.network import build_network
from atlas.settings import GEODATA_DIR
from layers.schema import CLUSTERS

ORIGIN_SETS = ("clusters", "parks", "resources", "hubs")


@dataclass(frozen=True)
class TransportFrames:
    metro_stations: gpd.GeoDataFrame
    metro_lines: gpd.GeoDataFrame
    links: gpd.GeoDataFrame
    transport_nodes: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    resources: gpd.GeoDataFrame


def load_transport_frames() -> tuple[TransportFrames | None, str]:
    """The layers the network needs, or (None, what is missing and how to get it)."""
    from layers import links, metro, parks, resources, transport

    try:
        frames = TransportFrames(metro.load_stations(), metro.load_lines(), links.load(), transport.load(),
                                 parks.load(), resources.load())
    except (FileNotFoundError, OSError, ValueError) as exc:
        return None, (f"Transport layers are missing or invalid ({type(exc).__name__}: {str(exc)[:300]}). "
                      "Build them with `python -m geodata.build_layers`.")
    return frames, ""


def cluster_centres(parks: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One point per bay cluster: geodata/clusters.geojson when present, else the centroid of
    its parks' representative points (a park listed in two clusters counts in both)."""
    path = GEODATA_DIR / "clusters.geojson"
    if path.exists():
        frame = gpd.read_file(path)
        if "id" in frame:
            return representative_points(frame).to_crs(WGS84)
    pts = representative_points(parks)
    rows = []
    for cid, (zh, en) in CLUSTERS.items():
        member = pts[pts["cluster"].astype(str).str.split(";").apply(lambda cs, c=cid: c in cs)]
        if cid == "none" or member.empty:
            continue
        rows.append({"id": cid, "name_zh": zh, "name_en": en, "geometry": member.union_all().centroid})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=pts.crs).to_crs(WGS84)


def origin_frames(frames: TransportFrames) -> dict[str, gpd.GeoDataFrame]:
    nodes = frames.transport_nodes
    return {
        "clusters": cluster_centres(frames.parks),
        "parks": frames.parks,
        "resources": frames.resources,
        "hubs": nodes[nodes["category"].isin(["airport", "port"])],
    }


def corridor_network(frames: TransportFrames, roads: nx.MultiDiGraph | None = None) -> nx.DiGraph:
    """The strategic network with every origin set attached (node ids ``<set>:<id>``)."""
    graph = build_network(metro_stations=frames.metro_stations, metro_lines=frames.metro_lines, links=frames.links,
                          transport_nodes=frames.transport_nodes, roads=roads)
    for name, frame in origin_frames(frames).items():
        graph = attach_points(graph, frame, prefix=name)
    return graph


def node_labels(graph: nx.DiGraph, nodes: list[str], lang: str) -> list[str]:
    key = "name_zh" if lang == "zh" else "name_en"
    return [graph.nodes[n].get(key) or n for n in nodes]


def with_params(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with the result's params as constant columns (they survive CSV/GeoJSON export)."""
    out = frame.copy()
    for k, v in frame.attrs.get("params", {}).items():
        if isinstance(v, str | int | float):
            out[f"param_{k}"] = v
    return out
