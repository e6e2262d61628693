"""Naming unnamed OSM station points by line sequence (geodata/metro_match.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodata import metro_match as mm
from geodata.build_layers import SRC_DIR


def test_base_name_is_the_form_osm_uses():
    assert mm.base_name("青岛北站") == "青岛北"
    assert mm.base_name("海泊桥（海慈医疗）") == "海泊桥"
    assert mm.base_name("红岛火车站") == "红岛火车站"


def _line(n=6, step=1000.0):
    xy = np.array([[i * step, (i % 2) * 100.0] for i in range(n)])
    return xy


def test_solve_line_recovers_the_order_among_decoys():
    truth = _line()
    decoys = np.array([[2500.0, 900.0], [4200.0, -800.0], [500.0, 1500.0]])
    xy = np.vstack([decoys, truth[::-1], [[np.nan, np.nan]]])  # stored in a scrambled order
    idx_of = {i: len(decoys) + len(truth) - 1 - i for i in range(len(truth))}
    cands = [np.r_[np.arange(len(xy) - 1), len(xy) - 1] for _ in range(len(truth))]
    node = [np.zeros(len(c)) + np.where(c == len(xy) - 1, mm.MISSING_COST, 0) for c in cands]
    lengths = list(np.hypot(*np.diff(truth, axis=0).T) / mm.STRAIGHTNESS)
    path = mm.solve_line(list(range(len(truth))), lengths, cands, node, xy)
    assert path == [idx_of[i] for i in range(len(truth))]


def test_a_station_missing_from_osm_is_declared_missing_not_forced():
    truth = _line(7)
    keep = [0, 1, 2, 4, 5, 6]  # station 3 has no point
    xy = np.vstack([truth[keep], [[3000.0, 2500.0]], [[np.nan, np.nan]]])  # a decoy 2.5 km off
    missing = len(xy) - 1
    cands = [np.arange(len(xy)) for _ in range(len(truth))]
    prior = truth + [600.0, -500.0]  # rough prior positions, as the real data has
    node = [np.where(c == missing, mm.MISSING_COST,
                     np.nan_to_num(0.05 * np.hypot(*(xy[c] - prior[k]).T) / 1000)) for k, c in enumerate(cands)]
    lengths = list(np.hypot(*np.diff(truth, axis=0).T) / mm.STRAIGHTNESS)
    path = mm.solve_line(list(range(7)), lengths, cands, node, xy)
    assert path[3] == missing
    assert [path[i] for i in (0, 1, 2, 4, 5, 6)] == [0, 1, 2, 3, 4, 5]


def test_shortest_walk_orders_a_chain():
    chain = np.c_[np.arange(8) * 900.0, np.sin(np.arange(8)) * 200]
    xy = chain[[3, 0, 7, 5, 1, 6, 2, 4]]
    w = mm._shortest_walk(xy)
    seq = [int(np.argmin(np.hypot(*(chain - xy[j]).T))) for j in w]
    assert seq in (list(range(8)), list(range(8))[::-1])


def test_interpolation_uses_published_lengths():
    df = pd.DataFrame({"line_id": "L", "seq": [0, 1, 2], "station_id": ["a", "b", "c"],
                       "x": [0.0, 999.0, 3000.0], "y": [0.0, 999.0, 0.0],
                       "method": ["osm_sequence", "interpolated", "osm_sequence"]})
    sections = pd.DataFrame({"line_id": "L", "seq": [1, 2], "length_m": [1000.0, 2000.0]})
    out = mm.interpolate(df, sections)
    assert out.loc[1, "x"] == pytest.approx(1000.0)
    assert out.loc[1, "y"] == pytest.approx(0.0)


@pytest.fixture(scope="module")
def matched():
    stations = pd.read_csv(SRC_DIR / "metro_stations.csv", dtype=str, keep_default_na=False)
    lines = pd.read_csv(SRC_DIR / "metro_lines.csv", dtype=str, keep_default_na=False).set_index("id", drop=False)
    return stations, mm.run(stations, lines)


def test_committed_positions_are_what_the_match_produces(matched):
    """Reproducible: the table holds exactly the matcher's output for every operating station."""
    stations, (_, pos) = matched
    table = stations.set_index("id")
    for r in pos.itertuples():
        assert float(table.loc[r.station_id, "lon"]) == pytest.approx(r.lon, abs=1e-6), r.station_id
        assert float(table.loc[r.station_id, "lat"]) == pytest.approx(r.lat, abs=1e-6), r.station_id


def test_almost_every_operating_station_is_an_osm_point(matched):
    _, (matches, pos) = matched
    assert (pos["method"] != "interpolated").sum() >= 168
    trusted = matches[(matches["method"] == "osm_sequence") & ~matches["line_id"].isin(("mline_4", *mm.CHAIN_LINES))]
    lo, hi = mm.TRUSTED_RATIO  # sequence-matched lines fit the published section lengths
    ratios = trusted[["ratio_prev", "ratio_next"]]
    assert (ratios.min(axis=1) >= 0.5).all() and (ratios.max(axis=1) <= 1.6).all()


def test_no_osm_point_serves_two_differently_named_stations(matched):
    _, (matches, _) = matched
    own = matches[(matches["method"] != "interpolated") & (matches["osm_row"] >= 0)]
    names = own.groupby("osm_row")["station_id"].nunique()
    assert (names == 1).all(), names[names > 1]
