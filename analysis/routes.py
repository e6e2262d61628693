"""One trip through the network: the fastest path and its legs (walk, wait, ride, transfer, drive).

:func:`fastest_route` runs Dijkstra from the origin with predecessors on the same
masked network as the matrices, so a route's minutes equal the matrix cell.
Consecutive edges of one kind are merged into legs a person would name: walk to a
station, wait for line 11, ride line 11 from 苗岭路 to 钱谷山 (20 stops), drive on
the expressways …
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse.csgraph import dijkstra

from analysis.connectivity import Scenario, _compiled, _indices, _params, edge_mask, to_csr
from core.crs import MEASURE_CRS
from core.i18n import t

#: how each edge mode is shown, and which ones merge with the following edges of the same link
LEG_KIND = {"walk": "walk", "feeder": "feeder", "drive": "drive", "road": "drive", "park_ride": "park_ride",
            "board": "wait", "metro": "ride", "rail": "ride", "ferry": "ride", "alight": "exit",
            "transfer": "transfer"}
LEG_COLUMNS = ["kind", "mode", "link", "line_zh", "line_en", "from_zh", "from_en", "to_zh", "to_en", "stops",
               "minutes", "km", "fixed_min", "geometry"]


def _path(pred: np.ndarray, src: int, dst: int) -> list[int]:
    path = [dst]
    while path[-1] != src:
        prev = int(pred[path[-1]])
        if prev < 0:
            return []
        path.append(prev)
    return path[::-1]


def _line_names(graph, link: str) -> tuple[str, str]:
    names = graph.graph.get("link_names", {})
    if link == "local":
        return "市区道路", "local roads"
    if link.endswith("_express") and link[: -len("_express")] in names:
        zh, en = names[link[: -len("_express")]]
        return f"{zh}（直达车）", f"{en} (direct train)"
    return names.get(link, (link, link))


def fastest_route(network, origin, destination, *, modes="transit", scenario: Scenario = Scenario()):
    """(minutes, legs) of the fastest trip; minutes is ``inf`` and legs empty when there is none.

    ``legs`` is a GeoDataFrame (EPSG:4549) with :data:`LEG_COLUMNS`, in travel order; ``fixed_min`` is the
    part of a leg's minutes spent not moving (a car leg's ``drive_terminal_min`` for parking and walking to
    the car, a feeder's wait), already included in ``minutes``.
    """
    net = _compiled(network)
    src, dst = (int(i) for i in _indices(net, [origin, destination]))
    mask = edge_mask(net, modes=modes, scenario=scenario)
    times, pred = dijkstra(to_csr(net, mask), directed=True, indices=src, return_predecessors=True)
    total = float(times[dst])
    empty = gpd.GeoDataFrame(columns=LEG_COLUMNS, geometry="geometry", crs=MEASURE_CRS)
    empty.attrs["params"] = _params(net, modes, scenario, origin=origin, destination=destination)
    if not np.isfinite(total) or src == dst:
        return total, empty
    nodes = _path(pred, src, dst)
    best = net.edges[mask].sort_values("time_min").drop_duplicates(["u", "v"]).set_index(["u", "v"])
    legs: list[dict] = []
    graph = net.graph
    for u, v in zip(nodes[:-1], nodes[1:], strict=True):
        edge = best.loc[(u, v)]
        data = graph.edges[net.nodes[u], net.nodes[v]]
        kind = LEG_KIND.get(edge["mode"], edge["mode"])
        link = edge["link_id"] if kind in ("ride", "wait", "exit") else ""
        if kind == "drive":
            link = (edge["link_id"] or "") if edge["mode"] == "road" else "local"
        a, b = graph.nodes[net.nodes[u]], graph.nodes[net.nodes[v]]
        last = legs[-1] if legs else None
        connector = kind == "drive" and edge["mode"] == "road" and not link
        if last is not None and last["kind"] == kind and (last["link"] == link or connector):
            last["minutes"] += float(edge["time_min"])
            last["km"] += _km(data)
            last["fixed_min"] += float(data.get("fixed_min", 0.0) or 0.0)
            last["to_zh"], last["to_en"] = b.get("name_zh", ""), b.get("name_en", "")
            last["stops"] += int(edge["mode"] in ("metro", "rail"))
            if data.get("geometry") is not None:
                last["parts"].append(data["geometry"])
            continue
        zh, en = _line_names(graph, link) if link else (("道路", "roads") if kind == "drive" else ("", ""))
        legs.append({"kind": kind, "mode": edge["mode"], "link": link, "line_zh": zh, "line_en": en,
                     "from_zh": a.get("name_zh", ""), "from_en": a.get("name_en", ""),
                     "to_zh": b.get("name_zh", ""), "to_en": b.get("name_en", ""),
                     "stops": int(edge["mode"] in ("metro", "rail")), "minutes": float(edge["time_min"]),
                     "km": _km(data), "fixed_min": float(data.get("fixed_min", 0.0) or 0.0),
                     "parts": [data["geometry"]] if data.get("geometry") is not None else []})
    legs = [leg for leg in legs if leg["minutes"] >= 0.05 or leg["kind"] == "ride"]
    for leg in legs:
        parts = leg.pop("parts")
        leg["geometry"] = shapely.line_merge(shapely.union_all(parts)) if parts else None
    out = gpd.GeoDataFrame(pd.DataFrame(legs, columns=LEG_COLUMNS), geometry="geometry", crs=MEASURE_CRS)
    out.attrs["params"] = empty.attrs["params"]
    return total, out


def _km(data: dict) -> float:
    """Kilometres a leg's edge covers on the ground: the road's published length for the bay bridge and tunnel,
    the straight line x detour for city-street and walking legs, 0 for waiting and changing."""
    return float(data.get("travel_m", data.get("length_m", 0.0)) or 0.0) / 1000.0


def describe_leg(leg, lang: str = "en") -> str:
    """One line of text for a leg, e.g. ``ride  青岛地铁11号线: 苗岭路 → 钱谷山 (20 stops)  59.0 min``."""
    zh = lang == "zh"
    line = leg["line_zh"] if zh else leg["line_en"]
    a, b = (leg["from_zh"], leg["to_zh"]) if zh else (leg["from_en"], leg["to_en"])
    what = {"walk": ("步行", "walk"), "feeder": ("接驳公交/出租", "feeder bus/taxi"), "drive": ("驾车", "drive"),
            "park_ride": ("停车换乘", "park and ride"), "wait": ("候车", "wait"), "ride": ("乘坐", "ride"),
            "exit": ("下车", "get off"),
            "transfer": ("换乘步行", "transfer")}.get(leg["kind"], (leg["kind"], leg["kind"]))[0 if zh else 1]
    unit = "站" if zh else ("stop" if leg["stops"] == 1 else "stops")
    stops = f" ({leg['stops']} {unit})" if leg["kind"] == "ride" and leg["stops"] else ""
    head = f"{what} {line}".strip()
    place = " → ".join(x for x in (a, b) if x) if leg["kind"] not in ("wait", "exit") else a
    if leg["kind"] == "exit":
        head = what
    dist = f", {leg['km']:.1f} {'公里' if zh else 'km'}" if leg.get("km", 0) and leg["kind"] != "wait" else ""
    fixed = float(leg.get("fixed_min", 0.0) or 0.0)
    if leg["kind"] == "drive" and fixed > 0:  # issue 22b: say that the leg's minutes include parking
        dist += t("c22b_parking", lang, minutes=fixed)
    return f"{head}: {place}{stops}  {leg['minutes']:.1f} {'分钟' if zh else 'min'}{dist}".replace(":   ", "  ")
