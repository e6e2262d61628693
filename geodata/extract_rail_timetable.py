"""Qingdao rail running times and service frequency from China Railway's timetable.

Source: gpx0214/gpx0214.github.io ``js/cr240615.min.csv`` (commit
a2649c517c6ccfcb664a9595bc47ffbbbcddc0d7, 2024-08-26): China Railway's timetable
of 2024-06-15 as published through 12306, one block per train: a header
``<internal no>,<train no>[,<running dates>]``, then one line per stop
``<telegraph code>,<minutes from the previous stop's departure>,<dwell>`` (the
first stop carries ``,<departure hh:mm>``). Station codes: ``js/station.csv`` of
the same repository (QDK 青岛, QHK 青岛北 …). No licence is stated: the figures
are used as facts with attribution (geodata/src/transport_SOURCES.md).

Writes (only the atlas's Qingdao stations):

* ``geodata/src/rail_timetable_pairs.csv`` — every ordered pair of stations that
  one train calls at in that order: median in-vehicle minutes (departure at the
  first to arrival at the second, dwells at stops between included), number of
  trains, fastest and slowest;
* ``geodata/src/rail_timetable_stations.csv`` — per station: trains calling on the
  reference day (:data:`REFERENCE_DAY`, counting each train's running dates),
  first and last departure (minutes after midnight).

``python -m geodata.extract_rail_timetable --timetable cr240615.min.csv`` rebuilds both
(fetch the file with ``git show a2649c51:js/cr240615.min.csv`` from the repository).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import statistics
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent / "src"
PAIRS = SRC / "rail_timetable_pairs.csv"
STATIONS = SRC / "rail_timetable_stations.csv"
SOURCE = ("China Railway timetable 2024-06-15 via gpx0214/gpx0214.github.io js/cr240615.min.csv "
          "(commit a2649c517c6ccfcb664a9595bc47ffbbbcddc0d7)")
SOURCE_ZH = ("中国铁路列车时刻表（2024-06-15 运行图），经 gpx0214/gpx0214.github.io js/cr240615.min.csv "
             "（提交 a2649c517c6ccfcb664a9595bc47ffbbbcddc0d7）")
LICENCE = "facts, attribution (no licence stated)"
REFERENCE_DAY = dt.date(2024, 7, 2)  # a Tuesday inside the timetable's period (2024-06-15 .. 09-10)

#: telegraph code (js/station.csv) -> atlas station id (geodata/src/transport_nodes.csv)
CODES = {
    "QDK": ("rst_qingdao", "青岛"), "QHK": ("rst_qingdao_north", "青岛北"), "QUK": ("rst_qingdao_west", "青岛西"),
    "HQK": ("rst_hongdao", "红岛"), "JZK": ("rst_jiaozhou_north", "胶州北"), "QJK": ("rst_qingdao_airport", "青岛机场"),
    "JXK": ("rst_jiaozhou", "胶州"), "JVK": ("rst_jimo_north", "即墨北"), "LBK": ("rst_laixi", "莱西"),
    "PNK": ("rst_pingdu", "平度"), "DTK": ("rst_dongjiakou", "董家口"),
}


def _dates(spec: str) -> set[dt.date]:
    """``240615-0703|05|10-12`` -> the dates (later items inherit year/month from the one before)."""
    out: set[dt.date] = set()
    year, month = 2024, 1

    def parse(token: str) -> dt.date:
        nonlocal year, month
        if len(token) == 6:
            year, month = 2000 + int(token[:2]), int(token[2:4])
            return dt.date(year, month, int(token[4:]))
        if len(token) == 4:
            month = int(token[:2])
            return dt.date(year, month, int(token[2:]))
        return dt.date(year, month, int(token))

    for item in filter(None, spec.split("|")):
        ends = item.split("-")
        first = parse(ends[0])
        last = parse(ends[1]) if len(ends) > 1 else first
        out |= {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}
    return out


def runs_on(spec: str, day: dt.date) -> bool:
    """Whether a train with running-dates ``spec`` (empty: daily) runs on ``day``.

    ``!dates``: every day but those; ``w567&dates``: those weekdays (1 = Monday) within the dates;
    ``双&``: even days; other prefixes (``b011&``) are kept as running."""
    spec = spec.strip()
    if not spec:
        return True
    if spec[0] in "w双" and "&" not in spec:  # a weekday/even-day rule alone: every such day
        spec += "&"
    ok = True
    while "&" in spec:
        prefix, spec = spec.split("&", 1)
        if prefix.startswith("w"):
            ok &= str(day.isoweekday()) in prefix[1:]
        elif prefix == "双":
            ok &= day.day % 2 == 0
    if spec.startswith("!"):
        return ok and day not in _dates(spec[1:])
    return ok and (not spec or day in _dates(spec))


def trains(path: Path):
    """(train no, running-dates spec, [(code, arrival min, departure min)]) per train; a block may start
    with several header lines (versions of a train running on different dates over the same stops)."""
    text = path.read_text(encoding="utf-8-sig")
    for block in text.split("\n\n"):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
        heads = [ln.split(",") for ln in lines if len(ln.split(",")[0]) != 3]
        body = [ln.split(",") for ln in lines if len(ln.split(",")[0]) == 3]
        if not heads or len(body) < 2 or ":" not in body[0][2]:
            continue
        hh, mm = body[0][2].split(":")
        t = int(hh) * 60 + int(mm)
        stops = [(body[0][0], t, t)]
        try:
            for code, run, *dwell in body[1:]:
                arrive = t + int(run)
                t = arrive + (int(dwell[0]) if dwell and dwell[0] else 0)
                stops.append((code, arrive, t))
        except ValueError:  # a handful of tourist trains carry a clock time instead of a dwell: skipped
            continue
        for head in heads:
            yield head[1], (head[2] if len(head) > 2 else ""), stops


def extract(path: Path, *, day: dt.date = REFERENCE_DAY) -> tuple[list[dict], list[dict]]:
    runs: dict[tuple[str, str], list[int]] = defaultdict(list)
    calls: dict[str, list[int]] = defaultdict(list)
    for _, spec, stops in trains(path):
        ours = [s for s in stops if s[0] in CODES]
        for i, (a, _, dep) in enumerate(ours):
            for b, arr, _ in ours[i + 1:]:
                runs[(a, b)].append(arr - dep)
        try:
            running = runs_on(spec, day)
        except ValueError:  # a running-dates code this reader does not know: not counted for the day
            running = False
        if running:
            for code, _, dep in ours:
                calls[code].append(dep % 1440)
    pairs = [{"from_id": CODES[a][0], "to_id": CODES[b][0], "from_name_zh": CODES[a][1], "to_name_zh": CODES[b][1],
              "median_min": statistics.median(v), "n_trains": len(v), "min_min": min(v), "max_min": max(v),
              "source": SOURCE, "source_zh": SOURCE_ZH, "licence": LICENCE}
             for (a, b), v in sorted(runs.items(), key=lambda kv: (CODES[kv[0][0]][0], CODES[kv[0][1]][0]))]
    stations = [{"id": sid, "code": code, "name_zh": name, "trains_per_day": len(calls[code]),
                 "first_dep_min": min(calls[code], default=""), "last_dep_min": max(calls[code], default=""),
                 "reference_day": day.isoformat(), "source": SOURCE, "source_zh": SOURCE_ZH, "licence": LICENCE}
                for code, (sid, name) in sorted(CODES.items(), key=lambda kv: kv[1][0])]
    return pairs, stations


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timetable", type=Path, required=True, help="the fetched js/cr240615.min.csv")
    args = parser.parse_args(argv)
    pairs, stations = extract(args.timetable)
    _write(PAIRS, pairs)
    _write(STATIONS, stations)
    print(f"{len(pairs)} station pairs -> {PAIRS}\n{len(stations)} stations -> {STATIONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
