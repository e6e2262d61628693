"""Cross-layer consistency: places that two layers both hold must agree.

Each layer is researched separately, so these checks catch a whole layer going
wrong: a GCJ-02 offset left unconverted (~0.5 km in Qingdao), swapped lon/lat,
a projected CRS mistaken for degrees. Pure functions returning problem lists.
"""

from __future__ import annotations

import geopandas as gpd

from core.crs import to_measure_crs
from core.vocab import split_multi

#: (layer, id, layer, id, max metres): one place recorded in two layers.
COLOCATED: tuple[tuple[str, str, str, str, float], ...] = (
    ("metro_stations", "mst_qingdaozhan", "transport_nodes", "rst_qingdao", 350),
    ("metro_stations", "mst_qingdaobeizhan", "transport_nodes", "rst_qingdao_north", 350),
    ("metro_stations", "mst_jiaozhoubeizhan", "transport_nodes", "rst_jiaozhou_north", 350),
    ("metro_stations", "mst_jiaodongjichang", "transport_nodes", "rst_qingdao_airport", 350),
    ("park_sites", "site_hsr_innovation_center", "resources", "res_hsr_innovation_center", 50),
    ("park_sites", "site_academician_port", "resources", "res_academician_port", 50),
    ("park_sites", "site_sd_iat_qingdao", "resources", "res_sd_iat_qingdao", 50),
)
#: A rail station must lie this close to every rail line it lists.
STATION_ON_LINE_M = 300.0


def _by_id(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Measured geometries by id (a duplicated id is the schema check's to report)."""
    geoms = to_measure_crs(gdf).set_index("id").geometry
    return geoms[~geoms.index.duplicated()]


def colocation_problems(frames: dict[str, gpd.GeoDataFrame]) -> list[str]:
    problems = []
    measured = {k: _by_id(v) for k, v in frames.items() if not v.empty}
    for la, ia, lb, ib, max_m in COLOCATED:
        if la not in measured or lb not in measured:
            continue
        a, b = measured[la], measured[lb]
        if ia not in a.index or ib not in b.index:
            problems.append(f"{la}:{ia} / {lb}:{ib}: one of the pair is missing")
            continue
        if a[ia] is None or b[ib] is None:  # no position (district/city tier): both must lack one
            if (a[ia] is None) != (b[ib] is None):
                problems.append(f"{la}:{ia} / {lb}:{ib}: the same place, but only one of them has a position")
            continue
        d = a[ia].distance(b[ib])
        if d > max_m:
            problems.append(f"{la}:{ia} and {lb}:{ib} are the same place but {d:.0f} m apart (max {max_m:.0f})")
    return problems


def station_on_line_problems(nodes: gpd.GeoDataFrame, links: gpd.GeoDataFrame) -> list[str]:
    """Every rail station lies on each rail line it lists (within STATION_ON_LINE_M)."""
    lines = _by_id(links)
    problems = []
    for fid, served, geom in zip(nodes["id"], nodes["lines"], to_measure_crs(nodes).geometry, strict=True):
        for line_id in split_multi(served or ""):
            if line_id not in lines.index:
                problems.append(f"{fid}: lists unknown line {line_id}")
            elif (d := lines[line_id].distance(geom)) > STATION_ON_LINE_M:
                problems.append(f"{fid}: {d:.0f} m from its line {line_id}")
    return problems


#: The incubation belt (专栏8 5) joins these sites, in this order.
BELT = ("park_marine_incubation_belt", ("site_academician_port", "site_laoshan_intl_innovation_park", "site_langu"))
BELT_TOLERANCE_M = 50.0


def belt_problems(parks: gpd.GeoDataFrame, sites: gpd.GeoDataFrame) -> list[str]:
    """The belt's vertices are its sites."""
    belt_id, site_ids = BELT
    p = _by_id(parks)
    s = _by_id(sites)
    if belt_id not in p.index or not set(site_ids) <= set(s.index):
        return [f"{belt_id}: belt or one of its sites {site_ids} is missing"]
    line = p[belt_id]
    return [
        f"{belt_id}: site {sid} is {line.distance(s[sid]):.0f} m from the belt"
        for sid in site_ids
        if line.distance(s[sid]) > BELT_TOLERANCE_M
    ]


def all_problems(frames: dict[str, gpd.GeoDataFrame]) -> list[str]:
    """Every cross-layer problem among the frames given (missing layers are skipped)."""
    problems = colocation_problems(frames)
    if {"transport_nodes", "links"} <= frames.keys():
        problems += station_on_line_problems(frames["transport_nodes"], frames["links"])
    if {"parks", "park_sites"} <= frames.keys():
        problems += belt_problems(frames["parks"], frames["park_sites"])
    return problems
