"""Metro running times from the published timetable (no imports from the rest of the network).

``geodata/src/metro_section_times.csv`` holds, for every section of the operating
lines, the minutes between the departures of one train from the two stations
(running time + the dwell at one of them), converted from CGo-Project/CGo-OpenMap
``city/qingdao/data_interval_times.js`` (commit 453f9c2e, computed by that project from
Qingdao Metro's first/last-train timetable of 2026-10-09; see the file's
``metro_SOURCES.md`` entry). Station ids are the atlas's ``mst_*`` ids, so positions
always come from the metro layers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

SECTION_TIMES = Path(__file__).resolve().parents[1] / "geodata" / "src" / "metro_section_times.csv"


@lru_cache(maxsize=4)
def section_minutes(path: str | Path = SECTION_TIMES) -> dict[tuple[str, str, str], float]:
    """(line id, station a, station b) -> timetable minutes, both orders of a and b."""
    frame = pd.read_csv(path)
    out: dict[tuple[str, str, str], float] = {}
    for row in frame.itertuples(index=False):
        out[(row.line_id, row.from_id, row.to_id)] = float(row.minutes)
        out[(row.line_id, row.to_id, row.from_id)] = float(row.minutes)
    return out


def line_run_minutes(line_id: str, stations: list[str], *, path: str | Path = SECTION_TIMES) -> float | None:
    """Timetable minutes from the first to the last of ``stations`` (None if a section has no time)."""
    table = section_minutes(path)
    total = 0.0
    for a, b in zip(stations[:-1], stations[1:], strict=True):
        if (line_id, a, b) not in table:
            return None
        total += table[(line_id, a, b)]
    return total


# --- rail (China Railway timetable, geodata/extract_rail_timetable.py) ----------------------------
RAIL_PAIRS = SECTION_TIMES.with_name("rail_timetable_pairs.csv")
RAIL_STATIONS = SECTION_TIMES.with_name("rail_timetable_stations.csv")


@lru_cache(maxsize=4)
def rail_pair_minutes(path: str | Path = RAIL_PAIRS) -> dict[tuple[str, str], float]:
    """(station a, station b) -> median in-vehicle minutes of the trains calling at a then b (one direction)."""
    frame = pd.read_csv(path)
    return {(r.from_id, r.to_id): float(r.median_min) for r in frame.itertuples(index=False)}


@lru_cache(maxsize=4)
def rail_station_waits(max_wait_min: float, path: str | Path = RAIL_STATIONS) -> dict[str, float]:
    """station -> minutes of waiting: half the mean headway of one direction over the station's service
    hours (first to last departure; trains_per_day / 2 each way), at most ``max_wait_min``."""
    frame = pd.read_csv(path)
    out: dict[str, float] = {}
    for r in frame.itertuples(index=False):
        if r.trains_per_day >= 2 and pd.notna(r.first_dep_min):
            headway = (float(r.last_dep_min) - float(r.first_dep_min)) / (r.trains_per_day / 2.0)
            out[r.id] = min(headway / 2.0, max_wait_min)
    return out
