"""Data plumbing for the connectivity page (no Streamlit): load layers, build the network,
name the origin sets. The page caches these; tests call them directly."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from analysis.access import attach_points, representative_points
from analysis.network import build_network
from analysis.tiers import no_site_reason, placed_points
from core.crs import WGS84

ORIGIN_SETS = ("clusters", "parks", "resources", "hubs")


@dataclass(frozen=True)
class TransportFrames:
    metro_stations: gpd.GeoDataFrame
    metro_lines: gpd.GeoDataFrame
    links: gpd.GeoDataFrame
    transport_nodes: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    resources: gpd.GeoDataFrame
    water: gpd.GeoDataFrame | None = None
    land: gpd.GeoDataFrame | None = None


def load_transport_frames() -> tuple[TransportFrames | None, str]:
    """The layers the network needs, or (None, what is missing and how to get it)."""
    from layers import coast, links, metro, parks, resources, transport

    try:
        frames = TransportFrames(metro.load_stations(), metro.load_lines(), links.load(), transport.load(),
                                 # issue 21: only features with a place of their own are routed; attrs count the rest
                                 placed_points(parks.load()), placed_points(resources.load()),
                                 coast.load_bay(), coast.load_city())
    except (FileNotFoundError, OSError, ValueError) as exc:
        return None, (f"Transport layers are missing or invalid ({type(exc).__name__}: {str(exc)[:300]}). "
                      "Build them with `python -m geodata.build_layers`.")
    return frames, ""


def origin_frames(frames: TransportFrames) -> dict[str, gpd.GeoDataFrame]:
    """Point sets attached to the network. Clusters are not among them: a cluster is measured
    between its resources (:mod:`analysis.cluster_access`); the corridor line is display only."""
    nodes = frames.transport_nodes
    return {
        "parks": frames.parks,
        "resources": frames.resources,
        "hubs": nodes[nodes["category"].isin(["airport", "port"])],
    }


def base_network(frames: TransportFrames, roads: nx.MultiDiGraph | None = None) -> nx.DiGraph:
    """The strategic network of the layers, no places attached."""
    return build_network(metro_stations=frames.metro_stations, metro_lines=frames.metro_lines, links=frames.links,
                         transport_nodes=frames.transport_nodes, roads=roads, land=frames.land)


def corridor_network(frames: TransportFrames, roads: nx.MultiDiGraph | None = None) -> nx.DiGraph:
    """The strategic network with every origin set attached (node ids ``<set>:<id>``)."""
    graph = base_network(frames, roads)
    for name, frame in origin_frames(frames).items():
        graph = attach_points(graph, frame, prefix=name)
    return graph


PLACE_LAYERS = ("resources", "parks", "transport_nodes", "metro_stations")


def resolve_place(frames: TransportFrames, text: str) -> gpd.GeoDataFrame:
    """One place (id, names, point in WGS84) from a feature id, a name (zh or en, fuzzy like the app's
    search) or ``lon,lat``; ValueError with the closest names when nothing fits."""
    from shapely.geometry import Point

    from layers.search import search

    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) == 2:
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except ValueError:
            lon = lat = None
        if lon is not None:
            if not (119.0 <= lon <= 121.5 and 35.0 <= lat <= 37.5):
                msg = f"{text!r} is not in Qingdao (expected lon,lat in WGS84, e.g. 120.38,36.07)"
                raise ValueError(msg)
            return gpd.GeoDataFrame({"id": [f"{lon:.5f}_{lat:.5f}"], "name_zh": [f"{lon:.4f},{lat:.4f}"],
                                     "name_en": [f"{lon:.4f},{lat:.4f}"]}, geometry=[Point(lon, lat)], crs=WGS84)
    from layers import parks, resources

    if hit := no_site_reason(text, {"resources": resources.load(), "parks": parks.load()}):  # issue 21
        raise UnplacedError(*hit)  # says what it is known to and to give lon,lat instead
    layers = {name: getattr(frames, name) for name in PLACE_LAYERS}
    for frame in layers.values():  # an exact feature id
        exact = frame[frame["id"].astype(str) == str(text).strip()]
        if len(exact):
            return _place(exact.iloc[[0]])
    found = search(layers, text, limit=5)
    if not found:
        hint = "; ".join(f"{m.name_zh} / {m.name_en}" for m in found[:3]) or "none"
        msg = f"unknown place {text!r} (closest: {hint}); give a feature name (zh or en) or lon,lat"
        raise ValueError(msg)
    best = found[0]
    frame = layers[best.layer]
    return _place(frame[frame["id"].astype(str) == best.id].iloc[[0]])


class UnplacedError(ValueError):
    """The feature is known only to its district or the city: no trip starts or ends at a point for it."""

    def __init__(self, name_zh: str, name_en: str, detail: str = ""):
        self.name_zh, self.name_en = name_zh, name_en
        super().__init__(detail or f"{name_zh} / {name_en} is known only by its district or city, not a place of its "
                         "own: no route can be computed from or to it")


def _place(row: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The place's point with its names and, where the layer has it, its positional uncertainty."""
    from layers.base import located

    if located(row).empty:
        raise UnplacedError(str(row["name_zh"].iloc[0]), str(row["name_en"].iloc[0]))
    cols = ["id", "name_zh", "name_en", "geometry"] + (["pos_uncertainty_m"] if "pos_uncertainty_m" in row else [])
    return representative_points(row).to_crs(WGS84)[cols].reset_index(drop=True)


def uncertain_ends(places: list[gpd.GeoDataFrame], *, above_m: float = 100.0) -> list[tuple[str, str, float]]:
    """(name_zh, name_en, metres) of each trip end whose position is known only to worse than ``above_m``:
    the access leg from or to it is as approximate as that."""
    out = []
    for p in places:
        unc = float(p.at[0, "pos_uncertainty_m"]) if "pos_uncertainty_m" in p and p.at[0, "pos_uncertainty_m"] == p.at[0, "pos_uncertainty_m"] else 0.0
        if unc > above_m:
            out.append((str(p.at[0, "name_zh"]), str(p.at[0, "name_en"]), unc))
    return out


def route_between(graph: nx.DiGraph, origin: gpd.GeoDataFrame, destination: gpd.GeoDataFrame, *,
                  modes: str = "transit", scenario: str = "today"):
    """(minutes, legs GeoDataFrame in WGS84, reason or "") between two resolved places."""
    from analysis.cluster_access import unreachable_reason
    from analysis.connectivity import Scenario
    from analysis.routes import fastest_route

    both = pd.concat([origin.assign(id="from"), destination.assign(id="to")], ignore_index=True)
    full = attach_points(graph, gpd.GeoDataFrame(both, geometry="geometry", crs=WGS84), prefix="route")
    scen = Scenario(scenario, scenario)
    minutes, legs = fastest_route(full, "route:from", "route:to", modes=modes, scenario=scen)
    reason = "" if np.isfinite(minutes) else unreachable_reason(full, "route:from", "route:to", modes=modes,
                                                                 scenario=scen)
    return minutes, legs.to_crs(WGS84), reason


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
