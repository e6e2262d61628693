"""The page's figures, each computed one way (matrix tab, scenario tab, tests).

A name means one measure: the matrix tab's indices and the scenario tab's "today" column are
the same function of the same pairs, so for the same pairs and scenario they are the same
figures (``tests/test_connectivity_measures.py``). For the bay clusters the pairs are the three
clusters (resource-weighted mean minutes between their resources, 6 ordered pairs); for any other
origin set they are its places.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.cluster_access import cluster_members, group_matrix
from analysis.connectivity import Scenario, corridor_indices, gravity_accessibility, ideal_matrix, travel_time_matrix
from analysis.scenarios import _by_member
from core.settings import CONNECTIVITY


def origin_nodes(net, frames, origin_set: str) -> list[str]:
    """Network nodes of an origin set; a bay cluster is represented by its resources."""
    if origin_set == "clusters":
        ids = sorted({i for w in cluster_members(frames.resources).values() for i in w.index})
        return [f"resources:{i}" for i in ids]
    return [n for n in net.nodes if str(n).startswith(f"{origin_set}:")]


def _weights(frames) -> pd.Series:
    return pd.Series(frames.resources["weight"].to_numpy(float),
                     index=[f"resources:{i}" for i in frames.resources["id"]])


def _summary(net, frames, origin_set: str, nodes: list[str], modes: str, scenario: Scenario):
    """(matrix shown, indices, gravity per origin, weight share of unconnected pairs or None)."""
    cfg = net.graph.graph["config"]
    matrix = travel_time_matrix(net, nodes, modes=modes, scenario=scenario)
    weights = _weights(frames)
    to_resources = travel_time_matrix(net, nodes, list(weights.index), modes=modes, scenario=scenario)
    gravity = gravity_accessibility(to_resources, weights, tau_min=cfg["gravity_tau_min"])
    lost, ideal = None, None
    if origin_set == "clusters":
        matrix, lost = group_matrix(_by_member(matrix), cluster_members(frames.resources))
    else:
        ideal = ideal_matrix(net, nodes, speed_kmh=cfg["ideal_speed_kmh"])
    indices = corridor_indices(matrix, threshold_min=CONNECTIVITY.threshold_min, ideal=ideal,
                               penalty_min=cfg["unreachable_penalty_min"])
    indices["gravity"] = float(gravity.mean())
    return matrix, indices, gravity, lost


def matrix_summary(net, frames, origin_set: str, modes: str, statuses: str):
    """The matrix tab: (matrix, indices, gravity, lost) for one network state."""
    nodes = origin_nodes(net, frames, origin_set)
    return _summary(net, frames, origin_set, nodes, modes, Scenario(statuses, statuses))


def scenario_summary(net, frames, origin_set: str, modes: str, statuses: str, alt: Scenario) -> dict:
    """The scenario tab: before/after/diff matrices and indices (before, after, change), the "before"
    column being :func:`matrix_summary`'s figures for ``statuses``."""
    nodes = origin_nodes(net, frames, origin_set)
    before, ib, _, _ = _summary(net, frames, origin_set, nodes, modes, Scenario(statuses, statuses))
    after, ia, _, _ = _summary(net, frames, origin_set, nodes, modes, alt)
    diff = after - before
    diff = diff.where(np.isfinite(diff))
    indices = pd.DataFrame({"before": ib, "after": ia, "change": ia - ib})
    return {"before": before, "after": after, "diff": diff, "indices": indices}


def trip_labels(result: pd.DataFrame, frames, lang: str) -> list[str]:
    """A reader's name for each reference trip: 'line 8 青岛北站 → 胶东机场', '青岛胶州湾隧道', …"""
    from core.i18n import t

    col = "name_zh" if lang == "zh" else "name_en"
    names: dict[str, str] = {}
    for frame in (frames.metro_stations, frames.transport_nodes, frames.links, frames.metro_lines,
                  frames.resources, frames.parks):
        names.update(dict(zip(frame["id"].astype(str), frame[col].astype(str), strict=True)))
    out = []
    for r in result.itertuples(index=False):
        a, b = names.get(r.from_id, ""), names.get(r.to_id, "")
        if r.kind == "road_link":
            text = a
        elif r.kind == "metro_ride":
            line = str(r.line).rstrip("x")
            direct = ("（直达车）" if lang == "zh" else " (direct train)") if str(r.line).endswith("x") else ""
            text = (f"地铁{line}号线{direct} " if lang == "zh" else f"Metro line {line}{direct} ") + f"{a} → {b}"
        elif a or b:
            text = f"{a} → {b}"
        else:
            text = t(f"c22_{r.mode_class}", lang)
        out.append(text)
    return out
