"""Headline connectivity figures, computed from the code (README block, page, tests).

``python -m atlas.connectivity.report`` writes :func:`readme_block` between the
markers in README.md; ``tests/test_connectivity_truth.py`` fails when the README and
the code disagree.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import corridor as cd
from analysis.cluster_access import BAY_CLUSTERS, cluster_members, group_matrix
from analysis.commute import anchors, commute_circle
from analysis.connectivity import compile_network, travel_time_matrix
from analysis.validate import (
    outside_tolerance,
    shares_markdown,
    table_markdown,
    validate,
    validation_shares,
)
from core.crs import to_measure_crs
from core.files import replace_block
from core.settings import ROOT

README = ROOT / "README.md"
BEGIN, END = "<!-- connectivity-figures:begin -->", "<!-- connectivity-figures:end -->"
MODES = ("transit", "car", "combined")
PAIRS = (("aoshan", "jiaozhou"), ("jiaozhou", "lingshan"), ("aoshan", "lingshan"))
NAMES = {"aoshan": ("鳌山湾", "Aoshan Bay"), "jiaozhou": ("胶州湾", "Jiaozhou Bay"), "lingshan": ("灵山湾", "Lingshan Bay"),
         "corridor": ("走廊合计", "Corridor")}


@lru_cache(maxsize=2)
def _net(use_osm: bool = False):
    frames, error = cd.load_transport_frames()
    if frames is None:
        raise RuntimeError(error)
    return frames, compile_network(cd.corridor_network(frames))


def resource_matrix(net, frames, modes: str, statuses: str = "today") -> pd.DataFrame:
    from analysis.connectivity import Scenario

    nodes = [f"resources:{i}" for i in frames.resources["id"]]
    m = travel_time_matrix(net, nodes, modes=modes, scenario=Scenario(statuses, statuses))
    m.index = m.columns = pd.Index([n.split(":", 1)[1] for n in nodes])
    return m


def cluster_matrices(net=None, frames=None, statuses: str = "today") -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """mode -> (resource-weighted minutes between clusters, weight share of unconnected pairs)."""
    if net is None:
        frames, net = _net()
    groups = cluster_members(frames.resources, clusters=BAY_CLUSTERS)
    return {m: group_matrix(resource_matrix(net, frames, m, statuses), groups) for m in MODES}


def commute(net=None, frames=None):
    """(table, circles) of the one-hour rail commute circle per cluster and for the corridor."""
    if net is None:
        frames, net = _net()
    groups = cluster_members(frames.resources, clusters=BAY_CLUSTERS)
    anchor = anchors(resource_matrix(net, frames, "transit"), groups)
    weights = pd.Series(frames.resources["weight"].to_numpy(float),
                        index=[f"resources:{i}" for i in frames.resources["id"]])
    land = to_measure_crs(frames.land).union_all()
    return commute_circle(net, {c: f"resources:{r}" for c, r in anchor.items()}, weights, land)


def readme_block(validation: pd.DataFrame) -> str:
    frames, net = _net()
    mats = cluster_matrices(net, frames)
    lines = ["Between the clusters' resources (resource-weighted mean door-to-door minutes, today; "
             "`python -m atlas.connectivity.report` writes this block):", "",
             "| pair | transit | car | combined |", "|---|---:|---:|---:|"]
    for a, b in PAIRS:
        cells = [f"{mats[m][0].loc[a, b]:.0f}" if np.isfinite(mats[m][0].loc[a, b]) else "unreachable" for m in MODES]
        lines.append(f"| {NAMES[a][0]} {NAMES[a][1]} – {NAMES[b][0]} {NAMES[b][1]} | " + " | ".join(cells) + " |")
    table, _ = commute(net, frames)
    lines += ["", "One-hour rail commute circle (transit from each cluster's anchor resource): share of the city's "
              "resource weight / land within 30, 45, 60 min:", "",
              "| from | 30 min | 45 min | 60 min |", "|---|---:|---:|---:|"]
    for name in (*BAY_CLUSTERS, "corridor"):
        rows = table[table["cluster"] == name].set_index("cutoff_min")
        cells = [f"{rows.at[c, 'resource_share']:.0%} / {rows.at[c, 'land_share']:.1%}" for c in (30, 45, 60)]
        lines.append(f"| {NAMES[name][0]} {NAMES[name][1]} | " + " | ".join(cells) + " |")
    reliable = validation[validation["reliable"] == "yes"]
    lines += ["", f"Validation against {len(validation)} published trips ({len(reliable)} reliable; tolerance ±20 % "
              "metro/rail, ±40 % road). Calibration trips set parameters and are not counted; a reliable validation "
              "trip the model fails stays failed:", "", shares_markdown(validation_shares(validation)), "",
              table_markdown(validation)]
    return "\n".join(lines)


def write_readme(readme: Path = README) -> int:
    """Rewrite the figures block between the markers in README.md (exit 1 when a reliable trip fails)."""
    result = validate()
    if not replace_block(readme, BEGIN, END, readme_block(result)):
        print(f"README has no {BEGIN} … {END} block", file=sys.stderr)
        return 2
    print(f"rewrote the figures block in {readme}")
    return 1 if len(outside_tolerance(result)) else 0


if __name__ == "__main__":
    sys.exit(write_readme())
