"""Rail stations and the airport at published positions.

Rail stations whose OpenStreetMap station point carries their name take that point
(``ext/osm_railway_stations_qingdao.csv``); the airport takes the aerodrome
reference point of the ``airportsdata`` package (MIT), row ZSQD, checked against the
two OSM runways (``ext/osm_aeroways_jiaodong.csv``). Rows with no published point
keep theirs and say how approximate it is. ``python -m geodata.transport_match``.
"""

from __future__ import annotations

import pandas as pd
import shapely

from geodata.extract_osm import AEROWAYS_CSV, STATIONS_CSV
from geodata.metro_match import OSM_REF

#: transport id -> OSM station name
OSM_NAMED = {"rst_qingdao_north": "青岛北", "rst_hongdao": "红岛", "rst_jiaozhou_north": "胶州北",
             "rst_jiaozhou": "胶州", "rst_pingdu": "平度"}
#: ZSQD in airportsdata 20260905 (lat, lon as published)
AIRPORTSDATA_ZSQD = (36.365, 120.09833)
#: Rows with no published point: how far off they may be (m).
APPROXIMATE_M = {"rst_jimo_north": 1500, "rst_laixi": 1000, "rst_dongjiakou": 3000, "rst_qingdao_airport": 500,
                 "port_qianwan": 2000, "port_dongjiakou": 3000, "port_dagang": 1000, "port_cruise": 1000}


def runway_midpoint() -> tuple[float, float]:
    rw = pd.read_csv(AEROWAYS_CSV)
    mid = shapely.MultiLineString([shapely.from_wkt(w) for w in rw["wkt"]]).centroid
    return mid.x, mid.y


def apply(path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("source_zh", "notes_zh", "licence", "source_ref", "pos_uncertainty_m"):
        if col not in df:
            df[col] = ""
    pts = pd.read_csv(STATIONS_CSV, dtype={"name": str}, keep_default_na=False)
    for i, row in df.iterrows():
        rid = row["id"]
        if rid in OSM_NAMED:
            hit = pts[(pts["name"] == OSM_NAMED[rid]) & (pts["station"] == "train")].iloc[0]
            df.loc[i, ["lon", "lat"]] = [f"{hit.lon:.7f}", f"{hit.lat:.7f}"]
            df.loc[i, "source"] = (f"OpenStreetMap railway station point “{hit['name']}” (© OpenStreetMap contributors, "
                                   "ODbL 1.0; OpenQGIS OMap-GeoDB extract of 2025-01-24).")
            df.loc[i, "source_zh"] = f"OpenStreetMap 火车站点“{hit['name']}”（© OpenStreetMap 贡献者，ODbL 1.0）。"
            df.loc[i, ["licence", "source_ref", "pos_uncertainty_m"]] = ["ODbL-1.0", f"{OSM_REF}#row={hit.osm_row}", "30"]
            df.loc[i, ["geom_precision", "source_crs"]] = ["surveyed", "EPSG:4326"]
        elif rid == "air_jiaodong":
            lat, lon = AIRPORTSDATA_ZSQD
            rx, ry = runway_midpoint()
            df.loc[i, ["lon", "lat"]] = [f"{lon:.5f}", f"{lat:.5f}"]
            df.loc[i, "source"] = ("Aerodrome reference point, airportsdata (MIT), ICAO ZSQD; it lies between the two "
                                   f"runways mapped in OpenStreetMap (runway midpoint {ry:.4f}N {rx:.4f}E).")
            df.loc[i, "source_zh"] = "机场基准点：airportsdata（MIT）ZSQD；位于 OpenStreetMap 所绘两条跑道之间。"
            df.loc[i, ["licence", "source_ref", "pos_uncertainty_m"]] = [
                "MIT (airportsdata); ODbL-1.0 (runways)", "PyPI airportsdata==20260905 ICAO ZSQD", "300"]
            df.loc[i, ["geom_precision", "source_crs"]] = ["representative_point", "EPSG:4326"]
        elif rid in APPROXIMATE_M:
            df.loc[i, "pos_uncertainty_m"] = str(APPROXIMATE_M[rid])
            df.loc[i, "geom_precision"] = "representative_point"
            df.loc[i, "source_zh"] = "无公布坐标；近似位置（见不确定度）。"
            df.loc[i, "licence"] = df.loc[i, "licence"] or "see source"
        else:  # already from a published point (Wikipedia coordinates)
            df.loc[i, "pos_uncertainty_m"] = df.loc[i, "pos_uncertainty_m"] or "100"
            df.loc[i, "source_zh"] = df.loc[i, "source_zh"] or "维基百科条目坐标（CC BY-SA 4.0）。"
            df.loc[i, "licence"] = df.loc[i, "licence"] or "CC BY-SA 4.0"
    df.to_csv(path, index=False, encoding="utf-8")
    return df


if __name__ == "__main__":
    from geodata.build_layers import SRC_DIR

    out = apply(SRC_DIR / "transport_nodes.csv")
    print(out[["id", "lon", "lat", "pos_uncertainty_m", "geom_precision"]].to_string())
