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
