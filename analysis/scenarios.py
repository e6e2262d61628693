"""Critical links and scenarios on the compiled network.

* :func:`critical_links` removes each candidate link (a whole layer feature such as
  the Jiaozhou Bay Tunnel, or one metro/rail section) in turn and reports how much
  the mean time between the given nodes rises, and how many pairs it disconnects.
* :func:`compare_scenarios` runs the same matrix under two :class:`Scenario` s
  (e.g. today vs today + the second bay tunnel) and returns before/after/difference.
* :func:`isochrone_change` shows where each isochrone grows between two scenarios.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse.csgraph import dijkstra

from analysis.connectivity import (
    Scenario,
    _compiled,
    _indices,
    _params,
    clean_polygons,
    corridor_indices,
    edge_mask,
    isochrones,
    to_csr,
    to_wgs84_valid,
    travel_time_matrix,
)
from core.crs import MEASURE_CRS, WGS84

CANDIDATE_MODES = frozenset({"road", "rail", "metro", "ferry"})


def candidate_links(network, *, modes="combined", scenario: Scenario = Scenario(), sections: bool = True) -> list[str]:
    """Removable units among the running edges: layer link ids, plus metro/rail section ids."""
    net = _compiled(network)
    e = net.edges[edge_mask(net, modes=modes, scenario=scenario) & net.edges["mode"].isin(CANDIDATE_MODES)]
    links = sorted({x for x in e["link_id"] if x and not x.startswith("osm")})
    secs = sorted({x for x in e["section_id"] if x}) if sections else []
    return links + secs


def _mean_pairs(times: np.ndarray, dst: np.ndarray, src: np.ndarray) -> np.ndarray:
    sub = times[:, dst]
    sub[src[:, None] == dst[None, :]] = np.nan
    return sub


def critical_links(network, nodes: Sequence, *, modes="combined", scenario: Scenario = Scenario(),
                   candidates: Iterable[str] | None = None, penalty_min: float | None = None,
                   progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Rank links by the rise in mean time between ``nodes`` when each is removed.

    A pair the removal disconnects is never dropped: it counts as ``penalty_min``
    (default: the network configuration's ``unreachable_penalty_min``) in the means,
    and ``disconnected_pairs`` says how many there are. Columns: link, name_zh,
    name_en, mean_before, mean_after, delta_min, worst_after (connected pairs),
    disconnected_pairs. Sorted by disconnected pairs, then delta, both descending.
    """
    net = _compiled(network)
    penalty = float(net.graph.graph["config"]["unreachable_penalty_min"] if penalty_min is None else penalty_min)
    idx = _indices(net, nodes)
    base_mask = edge_mask(net, modes=modes, scenario=scenario)
    base = _mean_pairs(dijkstra(to_csr(net, base_mask), indices=idx), idx, idx)
    pairs = ~np.isnan(base)
    ok = np.isfinite(base)
    mean_before = float(np.where(ok, base, penalty)[pairs].mean())
    units = list(candidates) if candidates is not None else candidate_links(net, modes=modes, scenario=scenario)
    graph = net.graph
    names = graph.graph.get("link_names", {})
    rows = []
    for k, unit in enumerate(units):
        hit = (net.edges["link_id"] == unit) | (net.edges["section_id"] == unit)
        after = _mean_pairs(dijkstra(to_csr(net, base_mask & ~hit.to_numpy()), indices=idx), idx, idx)
        connected = np.isfinite(after)
        mean_after = float(np.where(connected, after, penalty)[pairs].mean())
        zh, en = _unit_names(graph, names, unit)
        rows.append({"link": unit, "name_zh": zh, "name_en": en, "mean_before": mean_before,
                     "mean_after": mean_after, "delta_min": mean_after - mean_before,
                     "worst_after": float(np.max(after[connected & pairs])) if (connected & pairs).any() else np.nan,
                     "disconnected_pairs": int((ok & ~connected).sum())})
        if progress is not None:
            progress(k + 1, len(units))
    out = pd.DataFrame(rows, columns=["link", "name_zh", "name_en", "mean_before", "mean_after", "delta_min",
                                      "worst_after", "disconnected_pairs"])
    out = out.sort_values(["disconnected_pairs", "delta_min"], ascending=False, kind="stable").reset_index(drop=True)
    out.attrs["params"] = _params(net, modes, scenario, nodes=list(nodes), candidates=len(units),
                                  unreachable_penalty_min=penalty)
    return out


def _unit_names(graph, names: dict, unit: str) -> tuple[str, str]:
    """Display names: the link's names, plus the two stations' names for a section."""
    link, _, section = unit.partition(":")
    zh, en = names.get(link, (link, link))
    if not section:
        return zh, en
    ends = section.split("|")
    station = [graph.nodes.get(f"{p}:{s}", {}) for s in ends for p in ("metro", "rail")]
    found = [d for d in station if d]
    if len(found) >= 2:
        return (f"{zh} {found[0]['name_zh']}–{found[1]['name_zh']}", f"{en} {found[0]['name_en']}–{found[1]['name_en']}")
    return f"{zh}（区间）", f"{en} (a section)"  # never the ids: a reader cannot use them


def link_geometries(network, links: Iterable[str]) -> gpd.GeoDataFrame:
    """The drawn geometry (EPSG:4326) of links or sections, one row each, for highlighting."""
    net = _compiled(network)
    rows = []
    graph = net.graph
    for link in links:
        geoms = [d["geometry"] for _, _, d in graph.edges(data=True)
                 if d.get("geometry") is not None and link in (d.get("link_id"), d.get("section_id"))]
        rows.append({"link": link, "geometry": shapely.union_all(geoms) if geoms else None})
    frame = pd.DataFrame(rows, columns=["link", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=MEASURE_CRS).to_crs(WGS84)


def compare_scenarios(network, nodes: Sequence, *, base: Scenario, alt: Scenario, modes="combined",
                      weights: pd.Series | None = None, threshold_min: float = 60.0,
                      groups: dict[str, pd.Series] | None = None) -> dict:
    """before/after/diff matrices and an indices table (columns before, after, change).

    With ``groups`` (cluster -> member weights, members named by the part of the node id after ``:``),
    the matrices are the groups' resource-weighted means (:func:`analysis.cluster_access.group_matrix`),
    exactly the cluster matrix, so "before" is the same figure as the matrix of the base scenario."""
    from analysis.cluster_access import group_matrix

    net = _compiled(network)
    before = travel_time_matrix(net, nodes, modes=modes, scenario=base)
    after = travel_time_matrix(net, nodes, modes=modes, scenario=alt)
    if groups is not None:
        before, after = (group_matrix(_by_member(m), groups)[0] for m in (before, after))
    diff = after - before
    diff.attrs["params"] = {"before": before.attrs["params"], "after": after.attrs["params"]}
    tau = net.graph.graph["config"]["gravity_tau_min"]
    penalty = net.graph.graph["config"]["unreachable_penalty_min"]
    ib = corridor_indices(before, threshold_min=threshold_min, weights=weights, tau_min=tau, penalty_min=penalty)
    ia = corridor_indices(after, threshold_min=threshold_min, weights=weights, tau_min=tau, penalty_min=penalty)
    indices = pd.DataFrame({"before": ib, "after": ia, "change": ia - ib})
    indices.attrs["params"] = diff.attrs["params"]
    return {"before": before, "after": after, "diff": diff, "indices": indices}


def _by_member(matrix: pd.DataFrame) -> pd.DataFrame:
    out = matrix.copy()
    out.index = [str(n).split(":", 1)[-1] for n in matrix.index]
    out.columns = [str(n).split(":", 1)[-1] for n in matrix.columns]
    return out


def isochrone_change(network, origin, *, base: Scenario, alt: Scenario, cutoffs=(15, 30, 45, 60),
                     modes="combined") -> gpd.GeoDataFrame:
    """Per cutoff: the area gained (alt minus base) and lost, with km², EPSG:4326."""
    net = _compiled(network)
    before = isochrones(net, origin, cutoffs=cutoffs, modes=modes, scenario=base).to_crs(MEASURE_CRS)
    after = isochrones(net, origin, cutoffs=cutoffs, modes=modes, scenario=alt).to_crs(MEASURE_CRS)
    rows = []
    for b, a in zip(before.itertuples(), after.itertuples(), strict=True):
        gained = clean_polygons(a.geometry.difference(b.geometry))
        rows.append({"origin": origin, "cutoff_min": a.cutoff_min, "area_before_km2": b.area_km2,
                     "area_after_km2": a.area_km2, "gained_km2": gained.area / 1e6,
                     "lost_km2": b.geometry.difference(a.geometry).area / 1e6,
                     "name_zh": f"{a.cutoff_min:g} 分钟等时圈新增范围", "name_en": f"{a.cutoff_min:g}-min isochrone gain",
                     "geometry": gained})
    out = to_wgs84_valid(gpd.GeoDataFrame(rows, geometry="geometry", crs=MEASURE_CRS))
    out.attrs["params"] = {"base": _params(net, modes, base), "alt": _params(net, modes, alt), "origin": origin}
    return out
