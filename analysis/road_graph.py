"""Road part of the network: strategic polylines joined into one graph, or OSM roads.

Strategic road links (expressways, the bay bridge and tunnels) are schematic
polylines that rarely share exact vertices. Each line is cut at its own vertices,
at crossings with other road lines and where another road line *ends* within
``road_snap_tolerance_m`` of it; points at the same metre share a node, and a line
end near another line is joined to it by a short connector edge.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree
from shapely.geometry import LineString, Point

from analysis.graph_base import add_edge as _add_edge
from analysis.graph_base import add_node as _add_node
from analysis.graph_base import minutes as _minutes
from analysis.graph_base import worst_status
from analysis.network_config import NetworkConfig
from core.crs import MEASURE_CRS, WGS84, to_measure_crs


def _node_key(pt: Point) -> str:
    return f"road:{round(pt.x)}:{round(pt.y)}"


STRUCTURES = frozenset({"bridge", "tunnel"})


def _parts(links: gpd.GeoDataFrame, overlap_m: float) -> list[tuple[dict, LineString]]:
    """(row, LineString) for every part of every road link, in EPSG:4549.

    Where an expressway polyline runs along a bridge or tunnel, the structure carries
    that stretch: the expressway is cut ``overlap_m`` around it (and re-joined by the
    snapping), so removing the bridge really removes the crossing.
    """
    frame = to_measure_crs(links)
    is_structure = frame["category"].isin(STRUCTURES) if "category" in frame else np.zeros(len(frame), bool)
    structures = shapely.union_all(frame.geometry[is_structure].values).buffer(overlap_m)
    out = []
    for (_, row), structure in zip(frame.iterrows(), is_structure, strict=True):
        geom = row.geometry if structure or structures.is_empty else _off_structures(row.geometry, structures, overlap_m)
        for part in getattr(geom, "geoms", [geom]):
            if part is not None and not part.is_empty and part.length > 0:
                out.append((row, part))
    return out


def _off_structures(line, structures, overlap_m: float):
    """``line`` minus the stretches that run along a structure (longer than 3 x overlap_m);
    merely touching a structure's end keeps the line whole."""
    along = [p for p in shapely.get_parts(line.intersection(structures)) if p.length > 3 * overlap_m]
    return line.difference(shapely.union_all(along).buffer(1.0)) if along else line


def _cut_distances(parts: list, tol: float) -> tuple[list[set[float]], list[tuple[int, Point, int, float]]]:
    """Where to cut each line, and (line, end point, other line, distance on it) connectors."""
    lines = [p for _, p in parts]
    tree = shapely.STRtree(lines)
    cuts = [{line.project(Point(c)) for c in line.coords} for line in lines]
    connectors = []
    for i, line in enumerate(lines):
        for j in tree.query(line, predicate="intersects"):
            if j == i:
                continue
            inter = line.intersection(lines[j])
            for pt in shapely.get_parts(shapely.extract_unique_points(inter)):
                cuts[i].add(line.project(pt))
        for end in (Point(line.coords[0]), Point(line.coords[-1])):
            for j in tree.query(end, predicate="dwithin", distance=tol):
                if j == i or lines[j].distance(end) == 0:
                    continue
                d = lines[j].project(end)
                cuts[j].add(d)
                connectors.append((i, end, j, d))
    return cuts, connectors


def _speed(row, cfg: NetworkConfig) -> float:
    try:
        design = float(row.get("design_speed_kmh"))
    except (TypeError, ValueError):
        design = float("nan")
    return design * cfg.road_speed_factor if np.isfinite(design) and design > 0 else cfg.road_default_speed_kmh


def _length_scale(parts: list, cfg: NetworkConfig) -> dict[str, float]:
    """published length / drawn length for the links in ``cfg.road_published_lengths_km`` (the schematic
    lines of the bay bridge and tunnel are shorter than the roads; their times use the published length)."""
    drawn: dict[str, float] = {}
    for row, line in parts:
        drawn[row["id"]] = drawn.get(row["id"], 0.0) + line.length
    return {link: km * 1000.0 / drawn[link] for link, km in cfg.road_published_lengths_km
            if drawn.get(link, 0.0) > 0}


def add_road_lines(graph: nx.DiGraph, links: gpd.GeoDataFrame, cfg: NetworkConfig, *, join_existing: bool = False) -> None:
    """Add road polylines to ``graph``; ``join_existing`` also ties their ends to road nodes already there."""
    if links is None or links.empty:
        return
    existing = _road_index(graph) if join_existing else None
    parts = _parts(links, cfg.road_overlap_m)
    cuts, connectors = _cut_distances(parts, cfg.road_snap_tolerance_m)
    scale = _length_scale(parts, cfg)
    for (row, line), dists in zip(parts, cuts, strict=True):
        if str(row.get("category", "")) not in STRUCTURES and cfg.road_interchange_spacing_m > 0:
            # interchanges along the line, where a car can join or leave (not only at its ends)
            step = line.length / max(1, round(line.length / cfg.road_interchange_spacing_m))
            dists = dists | {float(d) for d in np.arange(step, line.length - step / 2, step)}
        points = [line.interpolate(d) for d in sorted(dists)]
        speed = _speed(row, cfg) / scale.get(row["id"], 1.0)
        status = row.get("status", "operating")
        for a, b in zip(points[:-1], points[1:], strict=True):
            seg = LineString([a, b])
            if seg.length < 0.5:
                continue
            _add_node(graph, _node_key(a), a, kind="road", link=row["id"])
            _add_node(graph, _node_key(b), b, kind="road", link=row["id"])
            _add_edge(graph, _node_key(a), _node_key(b), time_min=_minutes(seg.length, speed), mode="road",
                      status=status, link_id=row["id"], section_id="", length_m=seg.length, geometry=seg,
                      travel_m=seg.length * scale.get(row["id"], 1.0))
    for i, end, j, d in connectors:
        target = parts[j][1].interpolate(d)
        _connect(graph, end, target, parts[i][0], parts[j][0], cfg)
    _stitch_dangling(graph, parts, connectors, cfg)
    if existing is not None:
        for row, line in parts:
            for end in (Point(line.coords[0]), Point(line.coords[-1])):
                dist, k = existing[0].query([end.x, end.y])
                if dist <= cfg.road_snap_tolerance_m:
                    node = existing[1][k]
                    target = Point(graph.nodes[node]["x"], graph.nodes[node]["y"])
                    _connect(graph, end, target, row, row, cfg, target_node=node)


def _connect(graph, a: Point, b: Point, row_a, row_b, cfg: NetworkConfig, target_node=None) -> None:
    seg = LineString([a, b])
    target_node = target_node or _node_key(b)
    _add_node(graph, _node_key(a), a, kind="road")
    _add_node(graph, target_node, b, kind="road")
    if _node_key(a) == target_node:
        return
    speed = min(_speed(row_a, cfg), _speed(row_b, cfg))
    _add_edge(graph, _node_key(a), target_node, time_min=_minutes(seg.length, speed), mode="road",
              status=worst_status(row_a.get("status", "operating"), row_b.get("status", "operating")),
              link_id="", section_id="", length_m=seg.length, geometry=seg, travel_m=seg.length)


def _stitch_dangling(graph, parts: list, connectors: list, cfg: NetworkConfig) -> None:
    """Join line ends that meet no other road to the nearest node of every other link
    within ``road_stitch_max_m``, by urban streets (drive speed x detour). These are city-street
    legs (mode ``drive``), shown as such, never as part of the tunnel or expressway they join."""
    joined = {(i, round(end.x), round(end.y)) for i, end, _, _ in connectors}
    joined |= {(j, round(p.x), round(p.y)) for _, _, j, d in connectors for p in [parts[j][1].interpolate(d)]}
    lines = [p for _, p in parts]
    for i, line in enumerate(lines):
        for end in (Point(line.coords[0]), Point(line.coords[-1])):
            touching = [j for j, other in enumerate(lines) if j != i and other.distance(end) < 1.0]
            if touching or (i, round(end.x), round(end.y)) in joined:
                continue
            best: dict[str, tuple[float, Point, int]] = {}
            for j, other in enumerate(lines):
                link = parts[j][0]["id"]
                if link == parts[i][0]["id"]:
                    continue
                target = Point(min(other.coords, key=lambda c: (c[0] - end.x) ** 2 + (c[1] - end.y) ** 2))
                dist = end.distance(target)
                if dist <= cfg.road_stitch_max_m and dist < best.get(link, (np.inf,))[0]:
                    best[link] = (dist, target, j)
            for dist, target, j in best.values():
                status = worst_status(parts[i][0].get("status", "operating"), parts[j][0].get("status", "operating"))
                _add_edge(graph, _node_key(end), _node_key(target),
                          time_min=_minutes(dist * cfg.drive_detour, cfg.drive_speed_kmh), mode="drive",
                          status=status, link_id="", section_id="", length_m=dist,
                          geometry=LineString([end, target]), travel_m=dist * cfg.drive_detour)


def _road_index(graph: nx.DiGraph):
    nodes = [n for n, k in graph.nodes(data="kind") if k == "road"]
    if not nodes:
        return None
    xy = np.array([(graph.nodes[n]["x"], graph.nodes[n]["y"]) for n in nodes])
    return cKDTree(xy), nodes


def add_osm_roads(graph: nx.DiGraph, roads: nx.MultiDiGraph, cfg: NetworkConfig) -> None:
    """Add an osmnx drive graph (lon/lat nodes, ``travel_time`` seconds on edges) as road edges."""
    to_xy = Transformer.from_crs(WGS84, MEASURE_CRS, always_xy=True)
    ids = list(roads.nodes)
    lon = np.array([roads.nodes[n]["x"] for n in ids], dtype=float)
    lat = np.array([roads.nodes[n]["y"] for n in ids], dtype=float)
    xs, ys = to_xy.transform(lon, lat)
    for n, x, y in zip(ids, xs, ys, strict=True):
        graph.add_node(f"osm:{n}", x=float(x), y=float(y), kind="road")
    for u, v, data in roads.edges(data=True):
        length = float(data.get("length", 0.0))
        seconds = data.get("travel_time")
        minutes = float(seconds) / 60.0 if seconds is not None else _minutes(length, cfg.road_default_speed_kmh)
        name = data.get("ref") or data.get("name") or ""
        if isinstance(name, list):
            name = ";".join(map(str, name))
        a, b = graph.nodes[f"osm:{u}"], graph.nodes[f"osm:{v}"]
        _add_edge(graph, f"osm:{u}", f"osm:{v}", both=False, time_min=max(minutes, 1e-6), mode="road",
                  status="operating", link_id=f"osm:{name}" if name else "osm", section_id="", length_m=length,
                  travel_m=length,
                  geometry=LineString([(a["x"], a["y"]), (b["x"], b["y"])]))
