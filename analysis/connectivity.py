"""Travel-time measures on the network: matrices, isochrones, indices, critical links, scenarios.

The graph is compiled once into arrays (:func:`compile_network`); each query masks
the edges (mode set, status set, links switched in or out) and runs
``scipy.sparse.csgraph.dijkstra`` from all origins at once. Times are minutes; an
unreachable pair is ``inf``. Every result carries ``attrs["params"]`` with the
query and the ``config_id`` of the network configuration.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from analysis.network import resolve_modes, resolve_statuses
from core.crs import MEASURE_CRS, WGS84

_MIN_WEIGHT = 1e-9  # csgraph drops explicit zeros; zero-minute edges get this instead


@dataclass(frozen=True)
class CompiledNetwork:
    nodes: pd.Index
    xy: np.ndarray
    edges: pd.DataFrame  # u, v (int), time_min, mode, status, link_id, section_id
    config_id: str
    graph: nx.DiGraph = field(repr=False, compare=False)


@dataclass(frozen=True)
class Scenario:
    """Which links run: a status set, plus links switched in or out by id (link or section)."""

    name: str = "today"
    statuses: str | frozenset = "today"
    add_links: tuple[str, ...] = ()
    remove_links: tuple[str, ...] = ()


def clean_polygons(geom, *, min_area_m2: float = 100.0):
    """Valid (Multi)Polygon without slivers below ``min_area_m2`` (metric CRS)."""
    parts = [p for p in shapely.get_parts(shapely.make_valid(geom))
             if p.geom_type == "Polygon" and p.area >= min_area_m2]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else (parts[0] if parts else shapely.Polygon())


def to_wgs84_valid(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 and repair what reprojection may break (slivers, rings)."""
    out = frame.to_crs(WGS84)
    out["geometry"] = shapely.make_valid(out.geometry.values)
    return out


def compile_network(graph: nx.DiGraph) -> CompiledNetwork:
    nodes = pd.Index(list(graph.nodes))
    xy = np.array([(graph.nodes[n]["x"], graph.nodes[n]["y"]) for n in nodes], dtype=float).reshape(-1, 2)
    rows = [(u, v, d["time_min"], d["mode"], d["status"], d.get("link_id", ""), d.get("section_id", ""))
            for u, v, d in graph.edges(data=True)]
    edges = pd.DataFrame(rows, columns=["u", "v", "time_min", "mode", "status", "link_id", "section_id"])
    edges["u"] = nodes.get_indexer(edges["u"])
    edges["v"] = nodes.get_indexer(edges["v"])
    return CompiledNetwork(nodes, xy, edges, graph.graph.get("config_id", ""), graph)


def _compiled(net) -> CompiledNetwork:
    return net if isinstance(net, CompiledNetwork) else compile_network(net)


def edge_mask(net: CompiledNetwork, *, modes="combined", scenario: Scenario = Scenario()) -> np.ndarray:
    e = net.edges
    statuses = resolve_statuses(scenario.statuses)
    on = e["status"].isin(statuses).to_numpy().copy()
    if scenario.add_links:
        on |= (e["link_id"].isin(scenario.add_links) | e["section_id"].isin(scenario.add_links)).to_numpy()
    if scenario.remove_links:
        on &= ~(e["link_id"].isin(scenario.remove_links) | e["section_id"].isin(scenario.remove_links)).to_numpy()
    return on & e["mode"].isin(resolve_modes(modes)).to_numpy()


def to_csr(net: CompiledNetwork, mask: np.ndarray) -> csr_matrix:
    """The masked edges as a sparse matrix; parallel edges keep the fastest."""
    e = net.edges[mask]
    best = e.groupby(["u", "v"], sort=False)["time_min"].min()
    u = best.index.get_level_values(0).to_numpy()
    v = best.index.get_level_values(1).to_numpy()
    n = len(net.nodes)
    return csr_matrix((np.maximum(best.to_numpy(), _MIN_WEIGHT), (u, v)), shape=(n, n))


def _params(net: CompiledNetwork, modes, scenario: Scenario, **extra) -> dict:
    return {"modes": modes if isinstance(modes, str) else sorted(modes), "scenario": scenario.name,
            "statuses": scenario.statuses if isinstance(scenario.statuses, str) else sorted(scenario.statuses),
            "add_links": list(scenario.add_links), "remove_links": list(scenario.remove_links),
            "config_id": net.config_id, **extra}


def _indices(net: CompiledNetwork, nodes: Sequence) -> np.ndarray:
    idx = net.nodes.get_indexer(list(nodes))
    if (idx < 0).any():
        missing = [n for n, i in zip(nodes, idx, strict=True) if i < 0]
        msg = f"Node(s) not in the network: {missing[:5]}; attach points first with analysis.access.attach_points()."
        raise ValueError(msg)
    return idx


def travel_time_matrix(network, origins: Sequence, destinations: Sequence | None = None, *, modes="combined",
                       scenario: Scenario = Scenario()) -> pd.DataFrame:
    """Minutes from each origin node (rows) to each destination node (columns)."""
    net = _compiled(network)
    destinations = list(origins) if destinations is None else list(destinations)
    src, dst = _indices(net, origins), _indices(net, destinations)
    times = dijkstra(to_csr(net, edge_mask(net, modes=modes, scenario=scenario)), directed=True, indices=src)
    out = pd.DataFrame(times[:, dst], index=pd.Index(list(origins), name="origin"),
                       columns=pd.Index(destinations, name="destination"))
    out.attrs["params"] = _params(net, modes, scenario)
    return out


def isochrones(network, origin, *, cutoffs: Iterable[float] = (15, 30, 45, 60), modes="combined",
               scenario: Scenario = Scenario(), access_speed_kmh: float | None = None,
               access_detour: float | None = None, access_max_m: float | None = None) -> gpd.GeoDataFrame:
    """Areas reachable from ``origin`` within each cutoff (EPSG:4326 polygons).

    Method: Dijkstra from the origin; every node (platforms excepted: one must alight) reached at time t <= cutoff is
    buffered by the distance still coverable in (cutoff - t) at the access speed
    divided by the detour factor, capped at ``access_max_m``; the buffers are
    unioned. Access defaults: walking (transit, combined) or local driving (car).
    """
    net = _compiled(network)
    cfg = net.graph.graph["config"]
    car = resolve_modes(modes) <= resolve_modes("car")
    speed = access_speed_kmh or (cfg["drive_speed_kmh"] if car else cfg["walk_speed_kmh"])
    detour = access_detour or (cfg["drive_detour"] if car else cfg["walk_detour"])
    reach_cap = access_max_m or (cfg["drive_max_m"] if car else cfg["walk_max_m"])
    src = _indices(net, [origin])
    times = dijkstra(to_csr(net, edge_mask(net, modes=modes, scenario=scenario)), directed=True, indices=src)[0]
    kinds = [net.graph.nodes[n].get("kind", "") for n in net.nodes]
    exits = ~np.array([k.endswith("_platform") for k in kinds], dtype=bool)  # one must alight first
    rows = []
    for cutoff in sorted(cutoffs):
        reached = np.flatnonzero((times <= cutoff) & exits)
        radius = np.minimum((cutoff - times[reached]) * speed * 1000 / 60 / detour, reach_cap)
        keep = radius > 1.0
        polys = shapely.buffer(shapely.points(net.xy[reached[keep]]), radius[keep], quad_segs=8)
        area = clean_polygons(shapely.union_all(polys)) if len(polys) else shapely.Polygon()
        rows.append({"origin": origin, "cutoff_min": float(cutoff), "nodes_reached": int(len(reached)),
                     "area_km2": area.area / 1e6, "name_zh": f"{cutoff:g} 分钟等时圈",
                     "name_en": f"{cutoff:g}-min isochrone", "geometry": area})
    out = to_wgs84_valid(gpd.GeoDataFrame(rows, geometry="geometry", crs=MEASURE_CRS))
    out.attrs["params"] = _params(net, modes, scenario, origin=origin, access_speed_kmh=speed,
                                  access_detour=detour, access_max_m=reach_cap, method="reached nodes + access buffer")
    return out


def gravity_accessibility(matrix: pd.DataFrame, weights: pd.Series, *, tau_min: float = 30.0) -> pd.Series:
    """A_i = sum_j w_j exp(-t_ij / tau) over destinations j other than i (unreachable adds 0)."""
    w = weights.reindex(matrix.columns).fillna(0.0).to_numpy()
    decay = np.exp(-matrix.to_numpy() / tau_min)
    same = matrix.index.to_numpy()[:, None] == matrix.columns.to_numpy()[None, :]
    decay[same] = 0.0
    out = pd.Series(decay @ w, index=matrix.index, name="gravity_accessibility")
    out.attrs["params"] = {"tau_min": tau_min, **matrix.attrs.get("params", {})}
    return out


#: Pairs closer than this (two features in one building: 0 min) count as this many minutes in the
#: efficiency, so mean(1/t) stays on one scale (at most 1 per minute) whatever the pairs are.
EFFICIENCY_FLOOR_MIN = 1.0


def corridor_indices(matrix: pd.DataFrame, *, threshold_min: float = 60.0, weights: pd.Series | None = None,
                     tau_min: float = 30.0, ideal: pd.DataFrame | None = None,
                     penalty_min: float = 240.0) -> pd.Series:
    """Summary of a square matrix, over pairs i != j.

    mean_min / worst_min over reachable pairs; unreachable_pairs; mean_penalised_min (all pairs, an
    unreachable one counting as ``penalty_min``, so losing a link never lowers it); share_within (pairs
    within ``threshold_min``, unreachable counted as not within); efficiency = mean(1/t)
    (Latora-Marchiori global efficiency, 1/min; a pair under :data:`EFFICIENCY_FLOOR_MIN` counts as that,
    an unreachable pair as 0); efficiency_norm = that over the same
    for ``ideal`` times (e.g. straight line at ideal speed) when given; gravity =
    mean gravity accessibility when ``weights`` are given.
    """
    t = matrix.to_numpy(dtype=float)
    off = ~(matrix.index.to_numpy()[:, None] == matrix.columns.to_numpy()[None, :])
    pairs = t[off]
    finite = pairs[np.isfinite(pairs)]
    out = {
        "pairs": int(pairs.size),
        "mean_min": float(finite.mean()) if finite.size else np.nan,
        "worst_min": float(finite.max()) if finite.size else np.nan,
        "unreachable_pairs": int((~np.isfinite(pairs)).sum()),
        "mean_penalised_min": float(np.where(np.isfinite(pairs), pairs, penalty_min).mean()) if pairs.size else np.nan,
        "share_within": float((pairs <= threshold_min).mean()) if pairs.size else np.nan,
        "efficiency": float(np.mean(1.0 / np.maximum(pairs, EFFICIENCY_FLOOR_MIN))) if pairs.size else np.nan,
    }
    if ideal is not None:
        ideal_pairs = ideal.reindex(index=matrix.index, columns=matrix.columns).to_numpy(dtype=float)[off]
        out["efficiency_norm"] = out["efficiency"] / float(np.mean(1.0 / np.maximum(ideal_pairs, EFFICIENCY_FLOOR_MIN)))
    if weights is not None:
        out["gravity"] = float(gravity_accessibility(matrix, weights, tau_min=tau_min).mean())
    result = pd.Series(out, name="value")
    result.attrs["params"] = {"threshold_min": threshold_min, "tau_min": tau_min, "penalty_min": penalty_min,
                              **matrix.attrs.get("params", {})}
    return result


def ideal_matrix(network, nodes: Sequence, *, speed_kmh: float) -> pd.DataFrame:
    """Straight-line minutes between nodes at ``speed_kmh`` (the efficiency reference)."""
    net = _compiled(network)
    xy = net.xy[_indices(net, nodes)]
    dist = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    return pd.DataFrame(dist / 1000 / speed_kmh * 60, index=list(nodes), columns=list(nodes))


def facility_matrix(graph: nx.DiGraph, origins: gpd.GeoDataFrame, destinations: gpd.GeoDataFrame | None = None, *,
                    id_col: str = "id", modes="combined", scenario: Scenario = Scenario()) -> pd.DataFrame:
    """Minutes between any two facility sets (points or polygons, any CRS), in one call.

    Attaches both sets to ``graph`` by access legs (:func:`analysis.access.attach_points`);
    rows/columns are labelled by the sets' ``id_col`` values.
    """
    from analysis.access import attach_points

    full = attach_points(graph, origins, id_col=id_col, prefix="o")
    if destinations is not None:
        full = attach_points(full, destinations, id_col=id_col, prefix="d")
    src = [f"o:{i}" for i in origins[id_col].drop_duplicates()]
    dst = src if destinations is None else [f"d:{i}" for i in destinations[id_col].drop_duplicates()]
    out = travel_time_matrix(full, src, dst, modes=modes, scenario=scenario)
    out.index = pd.Index([s.split(":", 1)[1] for s in src], name="origin")
    out.columns = pd.Index([d.split(":", 1)[1] for d in dst], name="destination")
    return out
