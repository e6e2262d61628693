"""Cluster access measured where the clusters' resources are, and why a pair is unreachable.

A bay cluster is not a point. Its travel time to another cluster is the
**resource-weighted mean door-to-door time between the two clusters' resources**:

    T(A, B) = sum_{i in A, j in B, i != j} w_i w_j t_ij / sum w_i w_j

over the pairs that are connected, with ``w`` the resource weights (national lab 10 …
incubator 1, ``layers/resources.py``) and ``t_ij`` the network time between the
resources' own access legs (walk/feeder to stations, drive to roads). The share of
weight in unconnected pairs is reported beside it, never dropped silently. The
corridor line of the cluster layer is a display layer and never an origin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.connectivity import CompiledNetwork, Scenario, _compiled, edge_mask

BAY_CLUSTERS = ("aoshan", "jiaozhou", "lingshan")


def cluster_members(resources: pd.DataFrame, *, clusters=BAY_CLUSTERS, cluster_col: str = "cluster",
                    weight_col: str = "weight", id_col: str = "id") -> dict[str, pd.Series]:
    """cluster -> resource weights indexed by resource id (a resource listed in two clusters counts in both)."""
    if cluster_col not in resources or weight_col not in resources:
        msg = f"resources need {cluster_col!r} and {weight_col!r} columns (got {list(resources.columns)})"
        raise ValueError(msg)
    tags = resources[cluster_col].fillna("").astype(str).str.split(";")
    out = {}
    for cid in clusters:
        member = resources[tags.apply(lambda cs, c=cid: c in cs)]
        out[cid] = pd.Series(member[weight_col].to_numpy(float), index=member[id_col].astype(str), name=cid)
    return out


def group_matrix(matrix: pd.DataFrame, groups: dict[str, pd.Series]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(weighted mean minutes between groups over connected pairs, weight share of unconnected pairs).

    ``matrix`` is members x members (labels = member ids); a group with no connected
    pair to another gets ``inf`` and share 1.0.
    """
    names = list(groups)
    times = pd.DataFrame(np.nan, index=pd.Index(names, name="origin"), columns=pd.Index(names, name="destination"))
    lost = times.copy()
    for a in names:
        for b in names:
            wa, wb = groups[a], groups[b]
            sub = matrix.reindex(index=wa.index, columns=wb.index).to_numpy(dtype=float)
            weight = np.outer(wa.to_numpy(), wb.to_numpy())
            weight[wa.index.to_numpy()[:, None] == wb.index.to_numpy()[None, :]] = 0.0
            ok = np.isfinite(sub) & (weight > 0)
            total = weight.sum()
            times.loc[a, b] = float((sub[ok] * weight[ok]).sum() / weight[ok].sum()) if weight[ok].sum() else np.inf
            lost.loc[a, b] = float(weight[~ok & (weight > 0)].sum() / total) if total else np.nan
    times.attrs["params"] = {**matrix.attrs.get("params", {}), "method": "resource-weighted mean over member pairs"}
    return times, lost


def unreachable_reason(network, origin, destination, *, modes="transit", scenario: Scenario = Scenario()) -> str:
    """Why ``destination`` cannot be reached: "no_exit" (no running leg out of the origin),
    "no_entry" (none into the destination) or "no_path" (the networks they reach are not joined)."""
    net: CompiledNetwork = _compiled(network)
    on = edge_mask(net, modes=modes, scenario=scenario)
    e = net.edges[on]
    o, d = net.nodes.get_loc(origin), net.nodes.get_loc(destination)
    if not (e["u"] == o).any():
        return "no_exit"
    if not (e["v"] == d).any():
        return "no_entry"
    return "no_path"
