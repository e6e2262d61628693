"""Access legs: join facilities (parks, institutions, any user point) to the network.

Each point becomes a node ``<prefix>:<id>`` joined, in both directions, by
* ``walk`` legs to every station/pier hub within ``walk_max_m`` (crow-fly distance x
  ``walk_detour`` at ``walk_speed_kmh``); when no *operating* hub is that close, ``feeder``
  legs (bus/taxi: wait + distance x detour at feeder speed) to the ``feeder_nearest`` hubs
  and to the ``feeder_nearest`` operating hubs of each kind (metro, rail, pier);
* ``walk`` legs to the other attached points within ``walk_max_m``;
* ``drive`` legs to the nearest node of each of the ``drive_nearest`` nearest roads
  within ``drive_max_m`` (plus ``drive_terminal_min`` for parking and walking to the car).
When nothing is within the feeder/drive limit, the single nearest hub/road node is
used anyway, so every point stays reachable (the long leg shows in its times).
Station hubs also get ``park_ride`` legs to their nearest road nodes (combined mode).
Polygons and lines are represented by their representative point.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
from scipy.spatial import cKDTree
from shapely.geometry import LineString

from analysis.graph_base import HUB_KINDS
from analysis.graph_base import add_edge as _add_edge
from analysis.graph_base import minutes as _minutes
from analysis.network_config import NetworkConfig
from core.crs import to_measure_crs


def representative_points(frame: gpd.GeoDataFrame, *, id_col: str = "id") -> gpd.GeoDataFrame:
    """Points in EPSG:4549 (polygons/lines -> representative point), one per ``id_col``."""
    if id_col not in frame:
        msg = f"The points need an id column {id_col!r} (got columns {list(frame.columns)}); pass id_col=."
        raise ValueError(msg)
    out = to_measure_crs(frame)
    out = out[out.geometry.notna() & ~out.geometry.is_empty].copy()
    out["geometry"] = out.geometry.representative_point()
    return out.drop_duplicates(id_col)


def _served_today(graph: nx.DiGraph, hub) -> bool:
    """A hub where an operating service can be boarded (a station of a line under construction is not)."""
    return any(d.get("status") == "operating" and d.get("mode") in ("board", "ferry", "transfer")
               for _, _, d in graph.out_edges(hub, data=True))


def _index(graph: nx.DiGraph, kinds, *, operating: bool = False) -> tuple[cKDTree | None, list]:
    nodes = [n for n, d in graph.nodes(data=True) if d.get("kind") in kinds
             and (not operating or _served_today(graph, n))]
    if not nodes:
        return None, []
    return cKDTree(np.array([(graph.nodes[n]["x"], graph.nodes[n]["y"]) for n in nodes])), nodes


def _leg(graph, a, b, dist, *, mode, speed, detour, extra=0.0) -> None:
    pa, pb = graph.nodes[a], graph.nodes[b]
    _add_edge(graph, a, b, time_min=_minutes(dist * detour, speed) + extra, mode=mode, status="operating",
              link_id="", section_id="", length_m=dist, travel_m=dist * detour, fixed_min=extra,
              geometry=LineString([(pa["x"], pa["y"]), (pb["x"], pb["y"])]))


def _nearest(tree, nodes, xy, k, max_dist):
    if tree is None:
        return []
    dist, idx = tree.query(xy, k=min(k, len(nodes)), distance_upper_bound=max_dist)
    return [(float(d), nodes[i]) for d, i in zip(np.atleast_1d(dist), np.atleast_1d(idx), strict=True)
            if np.isfinite(d)]


def _feeder_hubs(graph, every, operating, xy, cfg: NetworkConfig) -> list[tuple[float, str]]:
    """For each kind of station (metro, rail, pier), the ``feeder_nearest`` nearest of any status (for
    scenarios) and, separately, the nearest operating ones, so a station that is only under construction
    never cuts a place off today and a rail station never takes the place of the nearest metro station.
    When no station is within ``feeder_max_m`` the single nearest is used anyway (the long leg shows)."""
    picked: dict[str, float] = {}
    for by_kind in (every, operating):
        near = [hit for tree, nodes in by_kind.values() for hit in _nearest(tree, nodes, xy, cfg.feeder_nearest,
                                                                            cfg.feeder_max_m)]
        if not near:
            near = sorted(hit for tree, nodes in by_kind.values() for hit in _nearest(tree, nodes, xy, 1, np.inf))[:1]
        for dist, hub in near:
            picked[hub] = dist
    return [(d, h) for h, d in picked.items()]


def _nearest_roads(graph, tree, nodes, xy, cfg: NetworkConfig):
    """The nearest road node of each of the ``drive_nearest`` nearest roads (not 3 vertices of one road)."""
    picked: dict[str, tuple[float, str]] = {}
    found = _nearest(tree, nodes, xy, 64, cfg.drive_max_m) or _nearest(tree, nodes, xy, 1, np.inf)
    for dist, node in found:
        group = graph.nodes[node].get("link", node)
        if group not in picked:
            picked[group] = (dist, node)
    return sorted(picked.values())[: cfg.drive_nearest]


def attach_points(graph: nx.DiGraph, points: gpd.GeoDataFrame, *, id_col: str = "id", prefix: str = "fac",
                  config: NetworkConfig | None = None) -> nx.DiGraph:
    """A copy of ``graph`` with ``points`` attached by access legs; node ids are ``prefix:id``."""
    cfg = config or _config_of(graph)
    pts = representative_points(points, id_col=id_col)
    out = graph.copy()
    hub_tree, hubs = _index(out, HUB_KINDS)
    every = {kind: _index(out, {kind}) for kind in sorted(HUB_KINDS)}
    today = {kind: _index(out, {kind}, operating=True) for kind in sorted(HUB_KINDS)}
    road_tree, roads = _index(out, {"road"})
    new = []
    for _, row in pts.iterrows():
        node = f"{prefix}:{row[id_col]}"
        out.add_node(node, x=float(row.geometry.x), y=float(row.geometry.y), kind="facility",
                     name_zh=str(row.get("name_zh", row[id_col])), name_en=str(row.get("name_en", row[id_col])))
        new.append(node)
        xy = (row.geometry.x, row.geometry.y)
        walkable = hub_tree.query_ball_point(xy, cfg.walk_max_m) if hub_tree is not None else []
        for i in walkable:
            dist = float(np.hypot(out.nodes[hubs[i]]["x"] - xy[0], out.nodes[hubs[i]]["y"] - xy[1]))
            _leg(out, node, hubs[i], dist, mode="walk", speed=cfg.walk_speed_kmh, detour=cfg.walk_detour)
        if not any(_served_today(out, hubs[i]) for i in walkable):
            for dist, hub in _feeder_hubs(out, every, today, xy, cfg):
                _leg(out, node, hub, dist, mode="feeder", speed=cfg.feeder_speed_kmh, detour=cfg.feeder_detour,
                     extra=cfg.feeder_wait_min)
        for dist, road in _nearest_roads(out, road_tree, roads, xy, cfg):
            _leg(out, node, road, dist, mode="drive", speed=_drive_speed(dist, cfg), detour=cfg.drive_detour,
                 extra=cfg.drive_terminal_min)
    _walk_between(out, new, cfg)
    _drive_between(out, new, cfg)
    return out


def _drive_speed(dist_m: float, cfg: NetworkConfig) -> float:
    """Average speed of a local drive: city streets (``drive_speed_kmh``) for the first ``drive_local_m``
    of road, arterials (``arterial_speed_kmh``) beyond, for places far from the strategic roads."""
    road = dist_m * cfg.drive_detour
    if road <= cfg.drive_local_m:
        return cfg.drive_speed_kmh
    hours = cfg.drive_local_m / 1000 / cfg.drive_speed_kmh + (road - cfg.drive_local_m) / 1000 / cfg.arterial_speed_kmh
    return road / 1000 / hours


def _drive_between(graph, nodes: list, cfg: NetworkConfig) -> None:
    """Direct car legs between attached points within ``arterial_max_m`` on the arterial roads that the
    strategic layer leaves out (crow-fly x ``drive_detour`` at ``arterial_speed_kmh`` + terminal times)."""
    if len(nodes) < 2:
        return
    xy = np.array([(graph.nodes[n]["x"], graph.nodes[n]["y"]) for n in nodes])
    land = graph.graph.get("land")
    for i, j in cKDTree(xy).query_pairs(cfg.arterial_max_m):
        if land is not None and LineString([xy[i], xy[j]]).difference(land).length > cfg.arterial_water_max_m:
            continue  # no street crosses the sea: those trips take the bridge or tunnel
        _leg(graph, nodes[i], nodes[j], float(np.hypot(*(xy[i] - xy[j]))), mode="drive",
             speed=cfg.arterial_speed_kmh, detour=cfg.drive_detour, extra=2 * cfg.drive_terminal_min)


def _walk_between(graph, nodes: list, cfg: NetworkConfig) -> None:
    if len(nodes) < 2:
        return
    xy = np.array([(graph.nodes[n]["x"], graph.nodes[n]["y"]) for n in nodes])
    for i, j in cKDTree(xy).query_pairs(cfg.walk_max_m):
        _leg(graph, nodes[i], nodes[j], float(np.hypot(*(xy[i] - xy[j]))), mode="walk",
             speed=cfg.walk_speed_kmh, detour=cfg.walk_detour)


def add_park_ride(graph: nx.DiGraph, cfg: NetworkConfig) -> None:
    """Join station hubs to their nearest road nodes (used only by the combined mode set)."""
    road_tree, roads = _index(graph, {"road"})
    for hub in [n for n, k in graph.nodes(data="kind") if k in HUB_KINDS]:
        xy = (graph.nodes[hub]["x"], graph.nodes[hub]["y"])
        for dist, road in _nearest_roads(graph, road_tree, roads, xy, cfg):
            _leg(graph, hub, road, dist, mode="park_ride", speed=cfg.drive_speed_kmh, detour=cfg.drive_detour,
                 extra=cfg.park_ride_penalty_min)


def _config_of(graph: nx.DiGraph) -> NetworkConfig:
    return NetworkConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in graph.graph["config"].items()})
