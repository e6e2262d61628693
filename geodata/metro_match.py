"""Put every operating metro station on its OpenStreetMap point.

Most subway points in the OSM extract (``geodata/src/ext/osm_railway_stations_qingdao.csv``)
carry no name, so names are attached by sequence: for each line, a dynamic
programme walks the line's ordered station list (``metro_lines.csv``) through
the OSM points, choosing the chain whose consecutive straight-line distances
best fit the published inter-station track lengths (``ext/metro_sections.csv``),
never turning back on itself, with every named OSM point fixed to its station
and interchange stations agreeing between lines. Each match is then checked:
a station whose neighbouring distances disagree with the published lengths, or
whose point another station already holds, is not trusted and is placed by
interpolation between its matched neighbours along the published lengths
(and says so, with a larger uncertainty).

``python -m geodata.metro_match`` rewrites the operating rows of
``metro_stations.csv`` and prints a per-line report; ``python -m
geodata.build_layers`` then rebuilds the layer.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer

from geodata.place import districts_of
from geodata.extract_osm import EXT_DIR, STATIONS_CSV

SECTIONS_CSV = EXT_DIR / "metro_sections.csv"
#: Lines solved first fix their interchanges for the later ones (least ambiguous first).
LINE_ORDER = ("mline_11", "mline_3", "mline_1", "mline_2", "mline_8", "mline_13", "mline_4", "mline_6")
#: Lines whose published section lengths do not fit OSM (lines 4 and 6: up to 2x): their own OSM
#: points (those no other line holds, inside the line's area) are walked in order between the
#: interchanges; when that walk does not fit the station list, the sequence match is used.
CHAIN_LINES = ("mline_4", "mline_6")
#: Straight-line distance between neighbouring stations as a share of the track length.
STRAIGHTNESS = 0.95
#: A neighbour distance outside these shares of the published length makes a match untrusted.
TRUSTED_RATIO = (0.6, 1.3)
#: How far (m) from the prior position a candidate point may be; suburban lines are longer.
SEARCH_RADIUS_M = {"mline_8": 15000, "mline_13": 15000, "mline_6": 12000}
DEFAULT_RADIUS_M = 8000
#: Line 4's published section lengths disagree with its OSM chain by up to 2x, so lean on geometry.
DISTANCE_WEIGHT = {"mline_4": 0.3, "mline_6": 0.3}
#: Cost of declaring a station absent from OSM (it is then interpolated), and of each leg to or from it.
MISSING_COST, MISSING_STEP = 4.0, 3.0
UNCERTAINTY_M = {"osm_named": 15.0, "osm_sequence": 30.0, "interpolated": 500.0}

_TO_M = Transformer.from_crs(4326, 4549, always_xy=True)
_TO_DEG = Transformer.from_crs(4549, 4326, always_xy=True)


def base_name(name: str) -> str:
    """'青岛北站' -> '青岛北', '海泊桥（海慈医疗）' -> '海泊桥': the form OSM uses."""
    for mark in ("(", "（"):
        name = name.split(mark)[0]
    return name[:-1] if name.endswith("站") and not name.endswith("火车站") else name


@dataclass
class Match:
    station_id: str
    line_id: str
    osm_row: int | None
    method: str  # osm_named | osm_sequence | interpolated
    x: float
    y: float


def load_points() -> pd.DataFrame:
    pts = pd.read_csv(STATIONS_CSV, dtype={"name": str}, keep_default_na=False)
    pts = pts[pts["station"].isin(["subway", "train"])].reset_index(drop=True)
    pts["x"], pts["y"] = _TO_M.transform(pts["lon"].to_numpy(), pts["lat"].to_numpy())
    return pts


def _transition(dist: np.ndarray, length: float, weight: float) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        ratio = np.log(np.maximum(dist, 1.0) / (STRAIGHTNESS * length))
        cost = np.minimum(np.abs(ratio) * 4, 8) * weight
        cost = cost + np.where(dist > length * 1.3 + 300, 10, 0) + np.where(dist < 50, 100, 0)
    return np.where(np.isnan(dist), MISSING_STEP, cost)


def solve_line(ids, lengths, cands, node_cost, xy, weight=1.0) -> list[int]:
    """Second-order Viterbi: the chain of candidate points (indices into ``xy``) of least cost.

    The last row of ``xy`` is NaN: the "not in OSM" candidate every station may take.
    """
    n = len(ids)
    missing = len(xy) - 1
    cost = node_cost[0][:, None] + _transition(_dist(xy, cands[0], cands[1]), lengths[0], weight) + node_cost[1][None, :]
    backs = []
    for k in range(2, n):
        z, a, b = cands[k - 2], cands[k - 1], cands[k]
        v1 = xy[a][None, :, :] - xy[z][:, None, :]
        v2 = xy[b][None, :, :] - xy[a][:, None, :]
        v1 = v1 / (np.linalg.norm(v1, axis=2)[..., None] + 1e-9)
        v2 = v2 / (np.linalg.norm(v2, axis=2)[..., None] + 1e-9)
        with np.errstate(invalid="ignore"):
            back = np.einsum("zac,abc->zab", v1, v2) < 0
        revisit = (z[:, None, None] == b[None, None, :]) & (b[None, None, :] != missing)
        turn = np.where(back, 10, 0) + revisit * 100
        total = cost[:, :, None] + turn
        backs.append(total.argmin(0))
        cost = total.min(0) + _transition(_dist(xy, a, b), lengths[k - 1], weight) + node_cost[k][None, :]
    ia, ib = np.unravel_index(cost.argmin(), cost.shape)
    path = [cands[n - 1][ib], cands[n - 2][ia]]
    for k in range(n - 1, 1, -1):
        iz = backs[k - 2][ia, ib]
        path.append(cands[k - 2][iz])
        ia, ib = iz, ia
    return path[::-1]


def _dist(xy, a, b) -> np.ndarray:
    return np.hypot(xy[a][:, None, 0] - xy[b][None, :, 0], xy[a][:, None, 1] - xy[b][None, :, 1])


def match_all(stations: pd.DataFrame, lines: pd.DataFrame, sections: pd.DataFrame, pts: pd.DataFrame) -> pd.DataFrame:
    """One row per (line, station) of the operating lines with the point chosen for it."""
    xy = np.vstack([pts[["x", "y"]].to_numpy(), [np.nan, np.nan]])
    missing = len(xy) - 1
    names = np.append(pts["name"].to_numpy(dtype=object), "")
    subway = np.append((pts["station"] == "subway").to_numpy(), True)
    prior = dict(zip(stations["id"], zip(*_TO_M.transform(stations["lon"].astype(float).to_numpy(),
                                                           stations["lat"].astype(float).to_numpy()), strict=True), strict=True))
    owner: dict[int, str] = {}
    placed: dict[str, np.ndarray] = {}
    rows = []
    for line_id in LINE_ORDER:
        chained = chain_line(line_id, stations, lines, pts, owner, placed) if line_id in CHAIN_LINES else None
        if chained is not None:
            rows.append(_record(_check(chained, sections), xy, owner, placed))
            continue
        ids = lines.loc[line_id, "stations"].split(";")
        lengths = sections[sections["line_id"] == line_id].sort_values("seq")["length_m"].astype(float).tolist()
        radius = SEARCH_RADIUS_M.get(line_id, DEFAULT_RADIUS_M)
        cands, node = [], []
        for sid in ids:
            name = base_name(stations.loc[stations["id"] == sid, "name_zh"].iloc[0])
            named = np.where((names == name) & subway)[0]
            d_prior = np.hypot(xy[:, 0] - prior[sid][0], xy[:, 1] - prior[sid][1])
            c = named if len(named) else np.r_[np.where((d_prior < radius) & (names == ""))[0], missing]
            cost = np.nan_to_num(0.05 * d_prior[c] / 1000) + np.where(subway[c], 0, 1.0) + (c == missing) * MISSING_COST
            cost = cost + np.array([30 if owner.get(j, name) != name else 0 for j in c])
            if sid in placed:
                with np.errstate(invalid="ignore"):
                    cost = cost + np.where(np.hypot(*(xy[c] - placed[sid]).T) < 400, 0, 20)
            cands.append(c)
            node.append(cost)
        path = solve_line(ids, lengths, cands, node, xy, DISTANCE_WEIGHT.get(line_id, 1.0))
        line_rows = []
        for k, (sid, j) in enumerate(zip(ids, path, strict=True)):
            name = base_name(stations.loc[stations["id"] == sid, "name_zh"].iloc[0])
            line_rows.append({"line_id": line_id, "seq": k, "station_id": sid, "name": name,
                              "osm_row": -1 if j == missing else int(pts["osm_row"][j]), "j": j,
                              "named": bool(names[j]),
                              "conflict": owner.get(j, name) != name, "x": xy[j][0], "y": xy[j][1]})
        rows.append(_record(_check(pd.DataFrame(line_rows), sections), xy, owner, placed))
    return pd.concat(rows, ignore_index=True).drop(columns=["j", "name"])


def _record(checked: pd.DataFrame, xy, owner: dict, placed: dict) -> pd.DataFrame:
    """Trusted matches claim their points for the lines solved later."""
    for r in checked[checked["method"] != "interpolated"].itertuples():
        if r.j >= 0:
            owner.setdefault(r.j, r.name)
            placed.setdefault(r.station_id, xy[r.j])
    return checked


def chain_line(line_id, stations, lines, pts, owner, placed) -> pd.DataFrame | None:
    """Order a line's free OSM points plus its placed interchanges by the shortest greedy walk.

    Trusted only when the walk has exactly as many points as the line has stations and
    every interchange lands at its own place in the sequence; otherwise all are interpolated.
    """
    ids = lines.loc[line_id, "stations"].split(";")
    xy_prior = np.array([_TO_M.transform(float(stations.loc[stations["id"] == i, "lon"].iloc[0]),
                                         float(stations.loc[stations["id"] == i, "lat"].iloc[0])) for i in ids])
    lo, hi = xy_prior.min(0) - 3000, xy_prior.max(0) + 3000
    free = [j for j in range(len(pts)) if j not in owner and pts["station"][j] == "subway" and not pts["name"][j]
            and lo[0] <= pts["x"][j] <= hi[0] and lo[1] <= pts["y"][j] <= hi[1]]
    fixed = {i: placed[i] for i in ids if i in placed}
    xy = np.vstack([pts.loc[free, ["x", "y"]].to_numpy(), np.array(list(fixed.values())).reshape(-1, 2)])
    order = _shortest_walk(xy)
    pos_of_fixed = {i: int(np.argmin(np.hypot(*(xy[order] - p).T))) for i, p in fixed.items()}
    ok = len(order) == len(ids)
    if ok and pos_of_fixed and pos_of_fixed.get(ids[0]) != 0 and any(pos_of_fixed[i] != ids.index(i) for i in fixed):
        order = order[::-1]
        pos_of_fixed = {i: len(order) - 1 - k for i, k in pos_of_fixed.items()}
    if not (ok and all(pos_of_fixed[i] == ids.index(i) for i in fixed)):
        return None
    rows = []
    for k, sid in enumerate(ids):
        name = base_name(stations.loc[stations["id"] == sid, "name_zh"].iloc[0])
        j = order[k]
        own = j < len(free)  # else: an interchange held by another line's trusted match
        rows.append({"line_id": line_id, "seq": k, "station_id": sid, "name": name,
                     "osm_row": int(pts["osm_row"][free[j]]) if own else -2, "j": free[j] if own else -1,
                     "named": False, "conflict": False, "x": xy[j][0], "y": xy[j][1]})
    return pd.DataFrame(rows)


def _shortest_walk(xy: np.ndarray) -> list[int]:
    """Greedy nearest-neighbour walk from every start; the shortest one."""
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    best, best_len = [], np.inf
    for start in range(len(xy)):
        walk, seen, total = [start], {start}, 0.0
        while len(walk) < len(xy):
            nxt = min((j for j in range(len(xy)) if j not in seen), key=lambda j: d[walk[-1], j])
            total += d[walk[-1], nxt]
            walk.append(nxt)
            seen.add(nxt)
        if total < best_len:
            best, best_len = walk, total
    return best


def _check(df: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """Trust a match when its neighbouring distances agree with the published lengths."""
    df = df.copy()
    df["ratio_prev"] = np.nan
    df["ratio_next"] = np.nan
    for line_id, grp in df.groupby("line_id", sort=False):
        lengths = sections[sections["line_id"] == line_id].sort_values("seq")["length_m"].to_numpy(float)
        d = np.hypot(np.diff(grp["x"]), np.diff(grp["y"])) / lengths
        df.loc[grp.index[1:], "ratio_prev"] = d
        df.loc[grp.index[:-1], "ratio_next"] = d
    lo, hi = TRUSTED_RATIO
    fits = df[["ratio_prev", "ratio_next"]].apply(lambda r: r.dropna().between(lo, hi).all(), axis=1)
    # a point between two sections whose published lengths are unevenly split still fits
    # when both legs together agree and neither is far off
    both = df["ratio_prev"].between(0.5, 1.6) & df["ratio_next"].between(0.5, 1.6)
    fits |= both & _pair_ratio(df, sections).between(0.75, 1.15)
    # geometry-led lines: their chain is trusted unless a point is shared or missing
    fits |= df["line_id"].isin(("mline_4", *CHAIN_LINES))
    # a point taken twice on one line (possible across a gap): neither use is trusted
    reused = df.duplicated(["line_id", "osm_row"], keep=False) & (df["osm_row"] >= 0)
    trusted = fits & ~df["conflict"] & ~reused & (df["osm_row"] != -1)
    df["method"] = np.where(df["named"], "osm_named", np.where(trusted, "osm_sequence", "interpolated"))
    return df


def _pair_ratio(df: pd.DataFrame, sections: pd.DataFrame) -> pd.Series:
    out = pd.Series(np.nan, index=df.index)
    for line_id, grp in df.groupby("line_id", sort=False):
        lengths = sections[sections["line_id"] == line_id].sort_values("seq")["length_m"].to_numpy(float)
        d = np.hypot(np.diff(grp["x"]), np.diff(grp["y"]))
        out.loc[grp.index[1:-1]] = (d[:-1] + d[1:]) / (lengths[:-1] + lengths[1:])
    return out


def interpolate(df: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """Place untrusted stations between trusted neighbours by published track length."""
    df = df.copy()
    for line_id, grp in df.groupby("line_id", sort=False):
        lengths = sections[sections["line_id"] == line_id].sort_values("seq")["length_m"].to_numpy(float)
        chain = np.r_[0, np.cumsum(lengths)]
        ok = (grp["method"] != "interpolated").to_numpy()
        for col in ("x", "y"):
            vals = grp[col].to_numpy()
            df.loc[grp.index, col] = np.interp(chain, chain[ok], vals[ok])
    return df


def station_positions(df: pd.DataFrame) -> pd.DataFrame:
    """One position per station: a trusted OSM point wins over an interpolated one."""
    rank = {"osm_named": 0, "osm_sequence": 1, "interpolated": 2}
    df = df.assign(rank=df["method"].map(rank)).sort_values(["station_id", "rank"])
    best = df.groupby("station_id", sort=False).first().reset_index()
    lon, lat = _TO_DEG.transform(best["x"].to_numpy(), best["y"].to_numpy())
    best["lon"], best["lat"] = np.round(lon, 7), np.round(lat, 7)
    best["pos_uncertainty_m"] = best["method"].map(UNCERTAINTY_M)
    return best[["station_id", "line_id", "osm_row", "method", "lon", "lat", "pos_uncertainty_m"]]


def run(stations: pd.DataFrame, lines: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    sections = pd.read_csv(SECTIONS_CSV)
    matches = interpolate(match_all(stations, lines, sections, load_points()), sections)
    return matches, station_positions(matches)


OSM_REF = "OpenQGIS/OMap-GeoDB@29eeb63f0c02:oData-railway-station/Railway-station_oData.zip"
TEXT = {
    "osm_named": ("OpenStreetMap station point named “{osm}” (© OpenStreetMap contributors, ODbL 1.0; OpenQGIS OMap-GeoDB extract of 2025-01-24).",
                  "OpenStreetMap 车站点“{osm}”（© OpenStreetMap 贡献者，ODbL 1.0；OpenQGIS OMap-GeoDB 2025-01-24 提取）。"),
    "osm_sequence": ("OpenStreetMap station point (© OpenStreetMap contributors, ODbL 1.0; OpenQGIS OMap-GeoDB extract of 2025-01-24); the point is unnamed in OSM and was named by its place in the line's station sequence, checked against the published inter-station lengths.",
                     "OpenStreetMap 车站点（© OpenStreetMap 贡献者，ODbL 1.0；OpenQGIS OMap-GeoDB 2025-01-24 提取）；该点在 OSM 中无名称，按线路站序并对照公布的站间距确定站名。"),
    "interpolated": ("Not in the OpenStreetMap extract: placed between its neighbouring OpenStreetMap stations in proportion to the published inter-station track lengths (CGo-OpenMap). Approximate.",
                     "OpenStreetMap 提取数据中没有此站：按公布的站间距在相邻 OSM 车站之间内插定位，为近似位置。"),
    "planned": ("Under construction: no published coordinates; placed evenly along the line between its stations that are already open (OpenStreetMap positions). Approximate.",
                "在建车站：无公布坐标；在已开通车站（OpenStreetMap 位置）之间按站序均匀内插，为近似位置。"),
    "planned_far": ("Under construction: no published coordinates and no open station beyond it on its line; drawn at a schematic position. Approximate to several kilometres.",
                    "在建车站：无公布坐标，且线路上其外侧无已开通车站；示意位置，误差可达数公里。"),
}
PLANNED_UNCERTAINTY_M = {"planned": 1000.0, "planned_far": 3000.0}


def place_planned(stations: pd.DataFrame, lines: pd.DataFrame, known: dict[str, tuple[float, float]]) -> dict:
    """Under-construction stations between placed stations of their line, evenly by sequence."""
    out = {}
    for _, line in lines[lines["status"] != "operating"].iterrows():
        ids = line["stations"].split(";")
        anchors = [k for k, i in enumerate(ids) if i in known]
        for k, sid in enumerate(ids):
            if sid in known or sid in out:
                continue
            before = [a for a in anchors if a < k]
            after = [a for a in anchors if a > k]
            if before and after:
                a, b = before[-1], after[0]
                t = (k - a) / (b - a)
                pa, pb = np.array(known[ids[a]]), np.array(known[ids[b]])
                out[sid] = ("planned", tuple(pa + t * (pb - pa)))
            else:
                out[sid] = ("planned_far", None)
    return out


def apply(path=None) -> pd.DataFrame:
    """Rewrite metro_stations.csv positions and provenance from the OSM match."""
    from geodata.build_layers import SRC_DIR

    path = path or SRC_DIR / "metro_stations.csv"
    stations = pd.read_csv(path, dtype=str, keep_default_na=False)
    lines = pd.read_csv(SRC_DIR / "metro_lines.csv", dtype=str, keep_default_na=False).set_index("id", drop=False)
    matches, pos = run(stations, lines)
    pts = pd.read_csv(STATIONS_CSV, dtype={"name": str}, keep_default_na=False).set_index("osm_row")
    for col in ("source_zh", "notes_zh", "licence", "source_ref", "pos_uncertainty_m"):
        if col not in stations:
            stations[col] = ""
    by_id = stations.set_index("id").index
    known = {}
    for r in pos.itertuples():
        i = by_id.get_loc(r.station_id)
        osm = pts["name"].get(r.osm_row, "") if r.osm_row >= 0 else ""
        en, zh = TEXT[r.method]
        stations.loc[i, ["lon", "lat"]] = [f"{r.lon:.7f}", f"{r.lat:.7f}"]
        stations.loc[i, ["source", "source_zh"]] = [en.format(osm=osm), zh.format(osm=osm)]
        stations.loc[i, "licence"] = "ODbL-1.0" if r.method != "interpolated" else "ODbL-1.0 (neighbours); facts (lengths)"
        stations.loc[i, "source_ref"] = f"{OSM_REF}#row={r.osm_row}" if r.osm_row >= 0 else f"{OSM_REF}; ext/metro_sections.csv"
        stations.loc[i, "geom_precision"] = "surveyed" if r.method != "interpolated" else "representative_point"
        stations.loc[i, "pos_uncertainty_m"] = f"{r.pos_uncertainty_m:.0f}"
        stations.loc[i, "source_crs"] = "EPSG:4326"
        stations.loc[i, ["notes", "notes_zh"]] = ["", ""]
        known[r.station_id] = _TO_M.transform(r.lon, r.lat)
    for sid, (kind, xy) in place_planned(stations, lines, known).items():
        i = by_id.get_loc(sid)
        en, zh = TEXT[kind]
        if xy is not None:
            lon, lat = _TO_DEG.transform(*xy)
            stations.loc[i, ["lon", "lat"]] = [f"{lon:.7f}", f"{lat:.7f}"]
        stations.loc[i, ["source", "source_zh", "licence"]] = [en, zh, "facts (station order: CGo-OpenMap)"]
        stations.loc[i, "source_ref"] = "CGo-Project/CGo-OpenMap:city/qingdao/data_lines.js"
        stations.loc[i, ["geom_precision", "source_crs"]] = ["schematic", "EPSG:4326"]
        stations.loc[i, "pos_uncertainty_m"] = f"{PLANNED_UNCERTAINTY_M[kind]:.0f}"
        stations.loc[i, ["notes", "notes_zh"]] = ["", ""]
    stations["district"] = districts_of(stations["lon"], stations["lat"])
    stations.to_csv(path, index=False, encoding="utf-8")
    return matches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    matches = apply()
    report = matches.groupby(["line_id", "method"]).size().unstack(fill_value=0)
    print(report.to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
