"""Rail from China Railway's timetable: the extract, the running times and the waits in the network."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analysis.timetable import RAIL_STATIONS, rail_pair_minutes, rail_station_waits
from atlas.connectivity import report
from geodata.extract_rail_timetable import extract, runs_on

ROOT = Path(__file__).resolve().parents[1]

# two trains in the source's format: G1 daily 青岛 08:00 -> 青岛北 (+18, 2 min dwell) -> 胶州北 (+23);
# G2 only on 2024-07-03, 青岛北 09:00 -> 青岛 (+21); a third block through Beijing only (ignored)
TOY = """\ufeff490000G10000,G1
QDK,,08:00
QHK,18,2
JZK,23

490000G20000,G2,240703
QHK,,09:00
QDK,21

240000G30000,G3
VNP,,10:00
BJP,20
"""


def test_extract_by_hand(tmp_path):
    src = tmp_path / "cr.csv"
    src.write_text(TOY, encoding="utf-8")
    pairs, stations = extract(src, day=dt.date(2024, 7, 2))
    got = {(p["from_id"], p["to_id"]): (p["median_min"], p["n_trains"]) for p in pairs}
    assert got == {("rst_qingdao", "rst_qingdao_north"): (18, 1),
                   ("rst_qingdao", "rst_jiaozhou_north"): (43, 1),  # 18 + 2 min dwell + 23
                   ("rst_qingdao_north", "rst_jiaozhou_north"): (23, 1),
                   ("rst_qingdao_north", "rst_qingdao"): (21, 1)}
    by_id = {s["id"]: s for s in stations}
    assert by_id["rst_qingdao_north"]["trains_per_day"] == 1  # G2 does not run on 2024-07-02
    assert by_id["rst_qingdao"]["first_dep_min"] == 8 * 60
    assert by_id["rst_qingdao_north"]["first_dep_min"] == 8 * 60 + 20


def test_running_dates():
    day = dt.date(2024, 7, 2)  # a Tuesday
    assert runs_on("", day) and runs_on("!240823", day) and not runs_on("!240701-03", day)
    assert runs_on("240615-0703|05", day) and not runs_on("240615-30|0705-0910", day)
    assert runs_on("w2&240615-0910", day) and not runs_on("w567&240615-0910", day)
    assert not runs_on("双&240615-0910", dt.date(2024, 7, 3))


def test_committed_extract_medians():
    pairs = rail_pair_minutes()
    # China Railway 2024-06-15 timetable: 43 trains 青岛 -> 青岛北, median 18 min; 青岛西 -> 董家口 15
    assert pairs[("rst_qingdao", "rst_qingdao_north")] == 18
    assert pairs[("rst_qingdao_north", "rst_qingdao")] == 21
    assert pairs[("rst_qingdao_west", "rst_dongjiakou")] == 15
    frame = pd.read_csv(ROOT / "geodata/src/rail_timetable_pairs.csv")
    row = frame[(frame.from_id == "rst_qingdao") & (frame.to_id == "rst_qingdao_north")].iloc[0]
    assert row.n_trains >= 40 and "a2649c51" in row.source


def test_rail_edges_and_waits_from_the_timetable():
    _, net = report._net()
    g = net.graph
    there = g.edges["rail:rst_qingdao@rail_jiaoji", "rail:rst_qingdao_north@rail_jiaoji"]
    back = g.edges["rail:rst_qingdao_north@rail_jiaoji", "rail:rst_qingdao@rail_jiaoji"]
    assert (there["time_min"], back["time_min"], there["basis"]) == (18, 21, "timetable")
    # 红岛 is open (17 trains a day) but most trains 青岛北 -> 青岛西 pass it: a direct ride at their own 34 min,
    # not 青岛北 -> 红岛 plus 红岛 -> 青岛西
    assert g.nodes["rail:rst_hongdao"]["status"] == "operating"
    direct = g.edges["rail:rst_qingdao_north@rail_qinglian", "rail:rst_qingdao_west@rail_qinglian"]
    assert (direct["time_min"], direct["basis"]) == (34, "timetable")
    assert g.edges["rail:rst_qingdao_north@rail_qinglian", "rail:rst_hongdao@rail_qinglian"]["time_min"] == 15
    st = pd.read_csv(RAIL_STATIONS).set_index("id").loc["rst_qingdao_north"]
    half_headway = (st.last_dep_min - st.first_dep_min) / (st.trains_per_day / 2) / 2
    wait = g.edges["rail:rst_qingdao_north", "rail:rst_qingdao_north@rail_qinglian"]["time_min"]
    assert wait == pytest.approx(half_headway) and 3 < wait < 8
    assert rail_station_waits(30.0)["rst_hongdao"] == 30.0  # 17 trains a day: capped


def test_route_cli_rides_the_timetable_minutes():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "atlas", "route", "青岛站", "青岛北站", "--lang", "en"],
                         capture_output=True, text=True, cwd=ROOT, timeout=180, check=False)
    assert out.returncode == 0, out.stderr
    ride = [ln for ln in out.stdout.splitlines() if ln.strip().startswith("ride")]
    assert len(ride) == 1 and "  18.0 min" in ride[0]  # China Railway: median 18 min over 43 trains


def test_opening_a_station_never_makes_a_trip_longer():
    """红岛 and 青岛机场 have trains in the 2024 timetable and are open in the atlas. Opening them may only add
    options: no resource-to-resource trip is longer than with both closed (a rail station must not take the
    feeder slot of the nearest metro station, nor split a through ride in two)."""
    import dataclasses

    from analysis import corridor as cd
    from analysis.connectivity import compile_network

    frames, _ = cd.load_transport_frames()
    nodes = frames.transport_nodes.copy()
    opened = nodes["id"].isin(["rst_hongdao", "rst_qingdao_airport"])
    assert (nodes.loc[opened, "status"] == "operating").all()
    nodes.loc[opened, "status"] = "under_construction"
    closed = dataclasses.replace(frames, transport_nodes=nodes)

    def matrix(fr):
        return report.resource_matrix(compile_network(cd.corridor_network(fr, None)), fr, "transit")

    now, before = matrix(frames), matrix(closed)
    assert (now <= before + 1e-9).all().all()
    assert (now < before - 1).any().any()  # and some trips gain from them
