"""The model against published trip times: ``python -m analysis.validate``.

``analysis/reference_trips.csv`` lists published trips, each with its source, date,
the sentence it comes from, whether it is *reliable* (an operator figure or a
measured time, not a forecast or a forum post) and whether the model was
calibrated on it (``use = calibration``: the metro section times come from the
same timetable) or not (``validation``: never used to set a parameter).

How each kind is modelled: ``metro_ride``/``rail_ride`` are in-vehicle minutes
between the two stations' platforms on that line (rail: any line); ``road_link``
is the time along a whole road link; ``car``/``transit`` are door-to-door trips
between the two places; ``not_modelled`` is shown but not checked.
Tests require every calibration trip within ``TOLERANCE`` (ratio model/published); the share of
reliable validation trips within it is reported per mode (:func:`validation_shares`, target 80 %)
and a failed one stays failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from analysis import corridor as cd
from analysis.connectivity import Scenario, compile_network, edge_mask, to_csr

TRIPS = Path(__file__).with_name("reference_trips.csv")
TOLERANCE = {"metro": 0.20, "rail": 0.20, "road": 0.40, "ferry": 0.40}


def load_trips(path: str | Path = TRIPS) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).assign(
        published_min=lambda f: f["published_min"].astype(float))


def _ride(net, trip, mode: str) -> float:
    nodes = net.nodes.astype(str)
    if mode == "metro":
        src = [f"metro:{trip['from_id']}@{trip['line']}"]
        dst = [f"metro:{trip['to_id']}@{trip['line']}"]
    else:
        src = [n for n in nodes if n.startswith(f"rail:{trip['from_id']}@")]
        dst = [n for n in nodes if n.startswith(f"rail:{trip['to_id']}@")]
    mask = edge_mask(net, modes={mode}, scenario=Scenario())
    s, d = net.nodes.get_indexer(src), net.nodes.get_indexer(dst)
    if (s < 0).any() or (d < 0).any() or not len(s) or not len(d):
        return np.nan
    return float(dijkstra(to_csr(net, mask), indices=s)[:, d].min())


def _road_link(net, trip) -> float:
    e = net.edges[(net.edges["link_id"] == trip["from_id"]) & (net.edges["mode"] == "road")]
    return float(e["time_min"].sum() / 2.0)  # both directions are stored


def model_minutes(trip, net, frames=None) -> float:
    kind = trip["kind"]
    if kind in ("metro_ride", "rail_ride"):
        return _ride(net, trip, kind.split("_")[0])
    if kind == "road_link":
        return _road_link(net, trip)
    if kind in ("car", "transit"):
        a, b = (cd.resolve_place(frames, trip[k]) for k in ("from_id", "to_id"))
        return float(cd.route_between(net.graph, a, b, modes=kind, scenario="today")[0])
    return np.nan


def validate(net=None, frames=None, trips: pd.DataFrame | None = None) -> pd.DataFrame:
    """The trips with ``model_min``, ``ratio`` (model/published) and ``ok`` (within the tolerance)."""
    if frames is None:
        frames, error = cd.load_transport_frames()
        if frames is None:
            raise RuntimeError(error)
    if net is None:
        net = compile_network(cd.base_network(frames))
    out = load_trips() if trips is None else trips.copy()
    out["model_min"] = [model_minutes(t, net, frames) for _, t in out.iterrows()]
    out["ratio"] = out["model_min"] / out["published_min"]
    tol = out["mode_class"].map(TOLERANCE)
    out["ok"] = (out["ratio"] - 1).abs() <= tol
    out.attrs["params"] = {"config_id": net.config_id, "tolerance": TOLERANCE}
    return out


def _short(source: str) -> str:
    """The address or repository path of a source, for a narrow table column."""
    return next((t.strip("(),") for t in source.split() if "/" in t), source[:40])


def table_markdown(result: pd.DataFrame) -> str:
    rows = ["| trip | class | use | reliable | published | model | ratio | source (date) |",
            "|---|---|---|---|---:|---:|---:|---|"]
    for _, r in result.iterrows():
        model = "not modelled" if not np.isfinite(r["model_min"]) else f"{r['model_min']:.1f}"
        ratio = "—" if not np.isfinite(r["ratio"]) else f"{r['ratio']:.2f}"
        rows.append(f"| {r['trip_id']} | {r['mode_class']} | {r['use']} | {r['reliable']} | {r['published_min']:g} "
                    f"| {model} | {ratio} | {_short(r['source'])} ({r['source_date']}) |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Print model vs published for every trip; exit 1 when a reliable trip is outside its tolerance.

    ``python -m atlas.connectivity.report`` writes the README's figures block from the same numbers.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    result = validate()
    shown = result[["trip_id", "mode_class", "use", "reliable", "published_min", "model_min", "ratio", "ok"]]
    print(shown.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    bad = outside_tolerance(result)
    print(f"\n{len(result)} trips, {int((result['reliable'] == 'yes').sum())} reliable, "
          f"{len(bad)} reliable outside tolerance {TOLERANCE}")
    return 1 if len(bad) else 0


def validation_shares(result: pd.DataFrame) -> pd.DataFrame:
    """Per mode class: the reliable validation trips (calibration trips never count), how many the model
    reproduces within the tolerance, and the share. A trip the model cannot compute counts as failed."""
    v = result[(result["use"] == "validation") & (result["reliable"] == "yes")]
    rows = [{"mode_class": m, "trips": len(g), "within": int(g["ok"].sum()), "share": float(g["ok"].mean()),
             "tolerance": TOLERANCE[m]} for m, g in v.groupby("mode_class", sort=False)]
    return pd.DataFrame(rows, columns=["mode_class", "trips", "within", "share", "tolerance"])


def shares_markdown(shares: pd.DataFrame, target: float = 0.8) -> str:
    rows = ["| mode | validation trips | within tolerance | share | target 80 % |", "|---|---:|---:|---:|---|"]
    for r in shares.itertuples(index=False):
        rows.append(f"| {r.mode_class} (±{r.tolerance:.0%}) | {r.trips} | {r.within} | {r.share:.0%} | "
                    f"{'met' if r.share >= target else '**not met**'} |")
    return "\n".join(rows)


def outside_tolerance(result: pd.DataFrame) -> pd.DataFrame:
    """The reliable, modelled trips whose model time is outside the tolerance."""
    return result[(result["reliable"] == "yes") & ~result["ok"] & np.isfinite(result["model_min"])]


if __name__ == "__main__":
    sys.exit(main())
