"""Build the multimodal strategic network as a directed networkx graph.

Nodes carry ``x``/``y`` in EPSG:4549 metres, ``kind`` and names; edges carry
``time_min``, ``mode``, ``status``, ``link_id`` (the layer feature they come
from), ``section_id`` (metro/rail: one station-to-station section), ``length_m``
and a ``geometry`` (EPSG:4549) for drawing.

Transit is modelled with a hub node per station and a platform node per line
(``metro:<station>@<line>``): hub->platform costs the wait (so every boarding
and every line change pays it), platform->hub costs ``alight_min``; nearby hubs
(metro-HSR, ferry piers) are joined by walking transfers with a penalty.
Roads are polylines: nodes at their vertices, crossings and where a line ends
within ``road_snap_tolerance_m`` of another road (joined by a short connector),
so schematic lines that do not exactly touch still form one network.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import LineString, Point
from shapely.ops import substring

from analysis.access import add_park_ride
from analysis.graph_base import HUB_KINDS, STATUS_ORDER, worst_status
from analysis.graph_base import add_edge as _add_edge
from analysis.graph_base import add_node as _add_node
from analysis.graph_base import minutes as _minutes
from analysis.network_config import DEFAULT_CONFIG, NetworkConfig, config_dict, config_id
from analysis.road_graph import add_osm_roads, add_road_lines
from analysis.timetable import rail_pair_minutes, rail_station_waits, section_minutes
from core.crs import MEASURE_CRS, to_measure_crs

STATUS_SETS: dict[str, frozenset[str]] = {
    "today": frozenset({"operating"}),
    "today+construction": frozenset({"operating", "under_construction"}),
    "today+planned": frozenset(STATUS_ORDER),
}
TRANSIT_MODES = frozenset({"metro", "rail", "ferry", "board", "alight", "transfer", "walk", "feeder"})
CAR_MODES = frozenset({"road", "drive", "walk"})  # places within walking distance are walked between
MODE_SETS: dict[str, frozenset[str]] = {
    "transit": TRANSIT_MODES,
    "car": CAR_MODES,
    "combined": TRANSIT_MODES | CAR_MODES | {"park_ride"},
}
ROAD_CATEGORIES = frozenset({"expressway", "bridge", "tunnel"})


def _named_set(value: str, table: dict, what: str, members: str) -> frozenset[str]:
    """A named set from ``table`` (e.g. "transit"), or a clear error naming the choices."""
    if value not in table:
        msg = f"Unknown {what} set {value!r}; use one of {sorted(table)} or a set of {members}."
        raise ValueError(msg)
    return table[value]


def resolve_modes(modes: str | set | frozenset) -> frozenset[str]:
    if isinstance(modes, str):
        return _named_set(modes, MODE_SETS, "mode", "edge modes")
    return frozenset(modes)


def resolve_statuses(statuses: str | set | frozenset) -> frozenset[str]:
    if isinstance(statuses, str):
        return _named_set(statuses, STATUS_SETS, "status", "statuses")
    bad = set(statuses) - set(STATUS_ORDER)
    if bad:
        msg = f"Unknown status(es) {sorted(bad)}; use {list(STATUS_ORDER)}."
        raise ValueError(msg)
    return frozenset(statuses)


def _names(row) -> dict:
    return {"name_zh": str(row.get("name_zh", "") or ""), "name_en": str(row.get("name_en", "") or "")}


def _section_geometry(line, a: Point, b: Point) -> LineString:
    """The part of ``line`` between the stations, or a straight segment if the line strays."""
    straight = LineString([a, b])
    if line is None or line.is_empty or line.geom_type != "LineString":
        return straight
    da, db = line.project(a), line.project(b)
    part = substring(line, min(da, db), max(da, db))
    if part.geom_type != "LineString" or part.length < straight.length or part.length > 3 * straight.length:
        return straight
    return part if da <= db else part.reverse()


@dataclass(frozen=True)
class _Route:
    """One transit route: ordered station ids, how fast, where it runs."""

    route_id: str
    line_key: str
    prefix: str
    stations: list[str]
    status: str
    speed_kmh: float
    dwell_min: float
    wait_min: float
    mode: str
    geometry: object
    timetable: dict | None = None  # (route id, a, b) -> minutes between departures (run + dwell)
    pair_times: dict | None = None  # (a, b) -> timetable in-vehicle minutes from a to b, any train (rail)
    station_waits: dict | None = None  # station -> wait (rail: from the timetable's frequency)

    def section_time(self, a: str, b: str, length_m: float) -> tuple[float, str]:
        """Minutes for the section a->b and where they come from ("timetable" or "speed")."""
        if self.timetable and (self.route_id, a, b) in self.timetable:
            return self.timetable[(self.route_id, a, b)], "timetable"
        if self.pair_times and (a, b) in self.pair_times:
            return self.pair_times[(a, b)], "timetable"
        return _minutes(length_m, self.speed_kmh) + self.dwell_min, "speed"

    def wait_at(self, station: str) -> float:
        return (self.station_waits or {}).get(station, self.wait_min)


def _add_route(graph: nx.DiGraph, route: _Route, hubs: gpd.GeoDataFrame, cfg: NetworkConfig, warnings: list) -> None:
    ids = [s for s in route.stations if s in hubs.index]
    missing = [s for s in route.stations if s not in hubs.index]
    if missing:
        warnings.append(f"{route.route_id}: unknown station id(s) {missing} skipped")
    for sid in ids:
        platform = f"{route.prefix}:{sid}@{route.line_key}"
        _add_node(graph, platform, hubs.geometry[sid], kind=f"{route.mode}_platform", **_names(hubs.loc[sid]))
        status = worst_status(route.status, hubs.at[sid, "status"])
        hub = f"{route.prefix}:{sid}"
        _add_edge(graph, hub, platform, both=False, time_min=route.wait_at(sid), mode="board", status=status,
                  link_id=route.route_id, section_id="", length_m=0.0, geometry=None)
        _add_edge(graph, platform, hub, both=False, time_min=cfg.alight_min, mode="alight", status=status,
                  link_id=route.route_id, section_id="", length_m=0.0, geometry=None)
    _add_through_sections(graph, route, hubs, ids)
    for a, b in zip(ids[:-1], ids[1:], strict=True):
        geom = _section_geometry(route.geometry, hubs.geometry[a], hubs.geometry[b])
        status = worst_status(route.status, hubs.at[a, "status"], hubs.at[b, "status"])
        for u, v, g in ((a, b, geom), (b, a, geom.reverse())):  # each direction its own timetable time
            time_min, basis = route.section_time(u, v, geom.length)
            _add_edge(
                graph, f"{route.prefix}:{u}@{route.line_key}", f"{route.prefix}:{v}@{route.line_key}", both=False,
                time_min=time_min, mode=route.mode, status=status, basis=basis,
                link_id=route.route_id, section_id=f"{route.route_id}:{'|'.join(sorted((a, b)))}",
                length_m=geom.length, geometry=g,
            )


def _add_through_sections(graph: nx.DiGraph, route: _Route, hubs, ids: list[str]) -> None:
    """Rides that pass stations without stopping, on a running line.

    * With a timetable of station pairs (rail): every two open stations that trains serve one after the
      other get a direct ride at those trains' median time — most trains from 青岛北 to 青岛西 do not call
      at 红岛, so the ride is not the sum of two shorter rides, each with its own dwell.
    * Otherwise: the open stations either side of stations not open yet are joined directly, without the stop.
    """
    if route.status != "operating":
        return
    open_at = [i for i, sid in enumerate(ids) if hubs.at[sid, "status"] == "operating"]
    spans = [(i, j) for k, i in enumerate(open_at) for j in open_at[k + 1:]
             if route.pair_times and ((ids[i], ids[j]) in route.pair_times or (ids[j], ids[i]) in route.pair_times)]
    spans += [(i, j) for i, j in zip(open_at[:-1], open_at[1:], strict=True) if (i, j) not in spans]
    for i, j in spans:
        if j - i < 2:
            continue
        stops = ids[i:j + 1]
        parts = [_section_geometry(route.geometry, hubs.geometry[a], hubs.geometry[b])
                 for a, b in zip(stops[:-1], stops[1:], strict=True)]
        geom = LineString([c for g in parts for c in g.coords])
        a, c = stops[0], stops[-1]
        for u, v, g, seq in ((a, c, geom, stops), (c, a, geom.reverse(), stops[::-1])):
            if route.pair_times and (u, v) in route.pair_times:  # the trains' own time between the two
                run, basis = route.pair_times[(u, v)], "timetable"
            elif any(hubs.at[x, "status"] == "operating" for x in seq[1:-1]):
                continue  # no train rides u -> v without stopping in between (in this direction)
            else:
                run = sum(route.section_time(x, y, hubs.geometry[x].distance(hubs.geometry[y]))[0]
                          for x, y in zip(seq[:-1], seq[1:], strict=True)) - route.dwell_min * (len(seq) - 2)
                basis = "through"
            _add_edge(graph, f"{route.prefix}:{u}@{route.line_key}", f"{route.prefix}:{v}@{route.line_key}",
                      both=False, time_min=run, mode=route.mode, status="operating", basis=basis,
                      link_id=route.route_id, section_id=f"{route.route_id}:{'|'.join(sorted((a, c)))}",
                      length_m=geom.length, geometry=g)


def _add_hubs(graph: nx.DiGraph, frame: gpd.GeoDataFrame, prefix: str, kind: str) -> gpd.GeoDataFrame:
    hubs = to_measure_crs(frame).set_index("id", drop=False)
    if "status" not in hubs:
        hubs["status"] = "operating"
    for sid, row in hubs.iterrows():
        _add_node(graph, f"{prefix}:{sid}", row.geometry, kind=kind, status=row["status"], **_names(row))
    return hubs


def _add_metro(graph, stations, lines, cfg: NetworkConfig, warnings: list) -> None:
    hubs = _add_hubs(graph, stations, "metro", "metro_hub")
    timetable = section_minutes() if cfg.metro_timetable else None
    routes = []
    for _, row in to_measure_crs(lines).iterrows():
        line = str(row.get("line", row["id"]))
        routes.append(_Route(
            route_id=row["id"], line_key=line, prefix="metro", stations=_split(row["stations"]),
            status=row.get("status", "operating"), speed_kmh=cfg.metro_line_speed(line),
            dwell_min=cfg.metro_dwell_min, wait_min=cfg.metro_line_wait(line), mode="metro", geometry=row.geometry,
            timetable=timetable,
        ))
        _add_route(graph, routes[-1], hubs, cfg, warnings)
    for spec in cfg.metro_express_routes:
        add_express(graph, routes, hubs, spec, cfg)


def add_express(graph: nx.DiGraph, routes: list, hubs, spec: tuple, cfg: NetworkConfig) -> None:
    """A non-stop train between two stations of a line: stopping time minus the stops it skips."""
    line, first, last = (str(x) for x in spec)
    for route in routes:
        ids = [s for s in route.stations if s in hubs.index]
        if route.line_key != line or first not in ids or last not in ids:
            continue
        i, j = sorted((ids.index(first), ids.index(last)))
        stops = ids[i:j + 1]
        run = 0.0
        for a, b in zip(stops[:-1], stops[1:], strict=True):
            run += route.section_time(a, b, hubs.geometry[a].distance(hubs.geometry[b]))[0]
        run -= cfg.metro_stop_loss_min * (len(stops) - 2)
        key = f"{line}x"
        link = f"{route.route_id}_express"
        for sid in (first, last):
            platform = f"metro:{sid}@{key}"
            _add_node(graph, platform, hubs.geometry[sid], kind="metro_platform", **_names(hubs.loc[sid]))
            _add_edge(graph, f"metro:{sid}", platform, both=False, time_min=cfg.metro_express_wait_min, mode="board",
                      status=route.status, link_id=link, section_id="", length_m=0.0, geometry=None)
            _add_edge(graph, platform, f"metro:{sid}", both=False, time_min=cfg.alight_min, mode="alight",
                      status=route.status, link_id=link, section_id="", length_m=0.0, geometry=None)
        geom = _section_geometry(route.geometry, hubs.geometry[first], hubs.geometry[last])
        _add_edge(graph, f"metro:{first}@{key}", f"metro:{last}@{key}", time_min=max(run, 1.0), mode="metro",
                  status=route.status, link_id=link, section_id=f"{link}:{'|'.join(sorted((first, last)))}",
                  length_m=geom.length, geometry=geom, basis="timetable-express")
        return


def _add_rail(graph, links, nodes, cfg: NetworkConfig, warnings: list) -> None:
    rail_nodes = nodes[nodes["category"] == "rail_station"] if "category" in nodes else nodes
    hubs = _add_hubs(graph, rail_nodes, "rail", "rail_hub")
    pairs = rail_pair_minutes() if cfg.rail_timetable else None
    waits = rail_station_waits(cfg.rail_wait_max_min) if cfg.rail_timetable else None
    for _, row in to_measure_crs(links).iterrows():
        speed = _float(row.get("design_speed_kmh"))
        speed = speed * cfg.rail_speed_factor if speed else cfg.rail_default_speed_kmh
        _add_route(graph, _Route(
            route_id=row["id"], line_key=row["id"], prefix="rail", stations=_split(row.get("stations", "")),
            status=row.get("status", "operating"), speed_kmh=speed, dwell_min=cfg.rail_dwell_min,
            wait_min=cfg.rail_wait_min, mode="rail", geometry=row.geometry, pair_times=pairs, station_waits=waits,
        ), hubs, cfg, warnings)


def _add_ferries(graph, ferries, cfg: NetworkConfig) -> None:
    for _, row in to_measure_crs(ferries).iterrows():
        geom = row.geometry
        ends = [Point(geom.coords[0]), Point(geom.coords[-1])]
        piers = [f"ferry:{row['id']}:{end}" for end in ("a", "b")]
        status = row.get("status", "operating")
        for pier, pt, end in zip(piers, ends, ("a", "b"), strict=True):
            _add_node(graph, pier, pt, kind="ferry_pier", status=status,
                      name_zh=f"{row.get('name_zh', '')} ({end})", name_en=f"{row.get('name_en', '')} ({end})")
        _add_edge(graph, piers[0], piers[1], time_min=_minutes(geom.length, cfg.ferry_speed_kmh) + cfg.ferry_wait_min,
                  mode="ferry", status=status, link_id=row["id"], section_id="", length_m=geom.length, geometry=geom)


def _float(value) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if np.isfinite(out) and out > 0 else None


def _split(value) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _add_transfers(graph: nx.DiGraph, cfg: NetworkConfig) -> None:
    hubs = [n for n, k in graph.nodes(data="kind") if k in HUB_KINDS]
    if len(hubs) < 2:
        return
    xy = np.array([(graph.nodes[n]["x"], graph.nodes[n]["y"]) for n in hubs])
    for i, j in cKDTree(xy).query_pairs(cfg.transfer_radius_m):
        dist = float(np.hypot(*(xy[i] - xy[j])))
        status = worst_status(graph.nodes[hubs[i]].get("status", "operating"),
                              graph.nodes[hubs[j]].get("status", "operating"))
        _add_edge(graph, hubs[i], hubs[j],
                  time_min=_minutes(dist * cfg.walk_detour, cfg.walk_speed_kmh) + cfg.transfer_penalty_min,
                  mode="transfer", status=status, link_id="", section_id="", length_m=dist,
                  geometry=LineString([xy[i], xy[j]]))


def build_network(
    *,
    metro_stations: gpd.GeoDataFrame | None = None,
    metro_lines: gpd.GeoDataFrame | None = None,
    links: gpd.GeoDataFrame | None = None,
    transport_nodes: gpd.GeoDataFrame | None = None,
    ferries: gpd.GeoDataFrame | None = None,
    roads: nx.MultiDiGraph | None = None,
    land: gpd.GeoDataFrame | None = None,
    config: NetworkConfig = DEFAULT_CONFIG,
) -> nx.DiGraph:
    """The strategic multimodal network from the layer frames (any may be None).

    ``roads`` is an osmnx drive graph (see :mod:`analysis.osm_roads`); when given it
    replaces the operating strategic road links, while road links under construction
    or planned are still added (joined to the OSM network at their ends) so that
    scenarios keep working. ``land`` (the city outline) keeps the direct car legs between
    attached places from crossing the sea.
    """
    graph = nx.DiGraph(crs=MEASURE_CRS, config_id=config_id(config), config=config_dict(config),
                       road_source="osm" if roads is not None else "strategic")
    warnings: list[str] = []
    if metro_stations is not None and metro_lines is not None:
        _add_metro(graph, metro_stations, metro_lines, config, warnings)
    if links is not None and not links.empty:
        category = links["category"].astype(str)
        if transport_nodes is not None:
            _add_rail(graph, links[category == "rail_line"], transport_nodes, config, warnings)
        road_links = links[category.isin(ROAD_CATEGORIES)]
        if roads is not None:
            add_osm_roads(graph, roads, config)
            road_links = road_links[road_links.get("status", "operating") != "operating"]
        add_road_lines(graph, road_links, config, join_existing=roads is not None)
    if ferries is not None and not ferries.empty:
        _add_ferries(graph, ferries, config)
    _add_transfers(graph, config)
    add_park_ride(graph, config)
    if land is not None and not land.empty:  # direct car legs between places stay on it
        graph.graph["land"] = shapely.union_all(to_measure_crs(land).geometry.values)
    graph.graph["warnings"] = warnings
    names = _link_names(metro_lines, links, ferries)
    for link in {d.get("link_id", "") for _, _, d in graph.edges(data=True)}:
        base = link[: -len("_express")]
        if link.endswith("_express") and base in names:
            names[link] = (f"{names[base][0]}（直达车）", f"{names[base][1]} (direct train)")
    graph.graph["link_names"] = names
    return graph


def _link_names(*frames) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for frame in frames:
        if frame is None:
            continue
        for _, row in frame.iterrows():
            names[row["id"]] = (str(row.get("name_zh", "") or row["id"]), str(row.get("name_en", "") or row["id"]))
    return names


def nodes_frame(graph: nx.DiGraph, kinds: set[str] | None = None) -> gpd.GeoDataFrame:
    """The graph's nodes as points (EPSG:4549), optionally of some kinds only."""
    rows = [(n, d) for n, d in graph.nodes(data=True) if kinds is None or d.get("kind") in kinds]
    geoms = shapely.points([[d["x"], d["y"]] for _, d in rows]) if rows else []
    frame = gpd.GeoDataFrame(
        {"node": [n for n, _ in rows], "kind": [d.get("kind", "") for _, d in rows],
         "name_zh": [d.get("name_zh", "") for _, d in rows], "name_en": [d.get("name_en", "") for _, d in rows]},
        geometry=list(geoms), crs=MEASURE_CRS,
    )
    return frame
