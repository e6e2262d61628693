"""The pieces every part of the network graph shares (no imports from the other parts).

Dependencies run one way::

    graph_base  <-  timetable, road_graph, access  <-  network  <-  connectivity, scenarios, routes

``tests/test_network.py`` checks that none of the lower modules imports a higher one.
"""

from __future__ import annotations

import networkx as nx
from shapely.geometry import Point

STATUS_ORDER: tuple[str, ...] = ("operating", "under_construction", "planned")
HUB_KINDS = frozenset({"metro_hub", "rail_hub", "ferry_pier"})


def worst_status(*statuses: str) -> str:
    ranks = [STATUS_ORDER.index(s) if s in STATUS_ORDER else 0 for s in statuses]
    return STATUS_ORDER[max(ranks)]


def minutes(length_m: float, speed_kmh: float) -> float:
    return length_m / 1000.0 / speed_kmh * 60.0


def add_edge(graph: nx.DiGraph, u, v, *, both: bool = True, **attrs) -> None:
    """Add u->v (and v->u), keeping the faster edge when one already exists."""
    pairs = [(u, v), (v, u)] if both else [(u, v)]
    for a, b in pairs:
        old = graph.get_edge_data(a, b)
        if old is None or attrs["time_min"] < old["time_min"]:
            data = dict(attrs)
            if (a, b) != (u, v) and data.get("geometry") is not None:
                data["geometry"] = data["geometry"].reverse()
            graph.add_edge(a, b, **data)


def add_node(graph: nx.DiGraph, node, point: Point, **attrs) -> None:
    if node not in graph:
        graph.add_node(node, x=float(point.x), y=float(point.y), **attrs)
