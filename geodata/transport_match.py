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

from geodata.place import districts_of
from geodata.extract_osm import AEROWAYS_CSV, STATIONS_CSV
from geodata.metro_match import OSM_REF

#: transport id -> OSM station name
OSM_NAMED = {"rst_qingdao_north": "青岛北", "rst_hongdao": "红岛", "rst_jiaozhou_north": "胶州北",
             "rst_jiaozhou": "胶州", "rst_pingdu": "平度"}
#: ZSQD in airportsdata 20260905 (lat, lon as published)
AIRPORTSDATA_ZSQD = (36.365, 120.09833)
#: Rail stations in the same building as a metro station with an OSM point: rail id -> metro id.
SAME_BUILDING = {"rst_qingdao_airport": "mst_jiaodongjichang"}
#: Port areas drawn at the OSM point of the metro station named after and serving them: id -> (metro id, m).
AT_STATION = {"port_cruise": ("mst_guojiyoulungang", 400), "port_dongjiakou": ("mst_dongjiakougang", 4000)}
#: User-facing text for rows whose position was not published as a point: id -> (en, zh, m).
APPROXIMATE = {
    "rst_jimo_north": ("No published coordinates: placed on the 青荣 intercity line at the station's published chainage "
                       "(km 46) along an OpenStreetMap-derived trace. Approximate.",
                       "无公布坐标：按公布的里程（46 公里）置于 OpenStreetMap 衍生的青荣城际线走向上，为近似位置。", 2000),
    "rst_laixi": ("Map-provider station POI (GCJ-02, converted to WGS84); it lies on the OpenStreetMap-derived 青荣 trace "
                  "at the published chainage.", "地图服务商车站兴趣点（GCJ-02，已转换为 WGS84），与青荣线走向及里程一致。", 300),
    "rst_dongjiakou": ("Map-provider station POI (GCJ-02, converted to WGS84); it lies on the OpenStreetMap-derived "
                       "青连 railway trace.", "地图服务商车站兴趣点（GCJ-02，已转换为 WGS84），位于青连铁路走向上。", 300),
    "port_qianwan": ("No published position found for the port area: drawn at the general location of the 前湾 "
                     "container quays. Approximate to about 3 km.", "未找到港区的公布位置：示意于前湾集装箱码头一带，误差约 3 公里。", 3000),
    "port_dagang": ("No published position found for the port area: drawn at the general location of the old-port "
                    "piers. Approximate to about 1.5 km.", "未找到港区的公布位置：示意于老港区码头一带，误差约 1.5 公里。", 1500),
}
#: A schematic link's vertex this close (m) to a station it serves is that station's vertex.
SNAP_M = 3500.0


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
        elif rid in SAME_BUILDING:
            metro = pd.read_csv(path.parent / "metro_stations.csv", dtype=str, keep_default_na=False)
            m = metro[metro["id"] == SAME_BUILDING[rid]].iloc[0]
            df.loc[i, ["lon", "lat"]] = [m["lon"], m["lat"]]
            df.loc[i, "source"] = (f"Same building as metro station {m['name_zh']} (airport ground transport centre), "
                                   "whose position is an OpenStreetMap point (© OpenStreetMap contributors, ODbL 1.0).")
            df.loc[i, "source_zh"] = f"与地铁{m['name_zh']}站同处机场综合交通中心；位置取该地铁站的 OpenStreetMap 点。"
            df.loc[i, ["licence", "source_ref", "pos_uncertainty_m"]] = ["ODbL-1.0", m["source_ref"], "300"]
            df.loc[i, ["geom_precision", "source_crs"]] = ["representative_point", "EPSG:4326"]
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
        elif rid in AT_STATION:
            metro = pd.read_csv(path.parent / "metro_stations.csv", dtype=str, keep_default_na=False)
            mid, unc = AT_STATION[rid]
            m = metro[metro["id"] == mid].iloc[0]
            df.loc[i, ["lon", "lat"]] = [m["lon"], m["lat"]]
            df.loc[i, "source"] = (f"No published point for the port area: drawn at metro station {m['name_zh']}, named after "
                                   "and serving it (OpenStreetMap point, © OpenStreetMap contributors, ODbL 1.0). "
                                   f"The port area extends up to {unc / 1000:g} km from it.")
            df.loc[i, "source_zh"] = f"港区无公布坐标：示意于以其命名并为其服务的地铁{m['name_zh']}站（OpenStreetMap 点），港区范围可达 {unc / 1000:g} 公里。"
            df.loc[i, ["licence", "source_ref", "pos_uncertainty_m"]] = ["ODbL-1.0", m["source_ref"], str(unc)]
            df.loc[i, ["geom_precision", "source_crs"]] = ["representative_point", "EPSG:4326"]
        elif rid in APPROXIMATE:
            en, zh, unc = APPROXIMATE[rid]
            df.loc[i, ["source", "source_zh", "pos_uncertainty_m"]] = [en, zh, str(unc)]
            df.loc[i, "geom_precision"] = "representative_point"
            df.loc[i, "licence"] = "facts, attribution (no licence stated)" if "POI" in en else "schematic"
        else:  # already from a published point (Wikipedia coordinates)
            df.loc[i, "pos_uncertainty_m"] = df.loc[i, "pos_uncertainty_m"] or "100"
            df.loc[i, "source_zh"] = df.loc[i, "source_zh"] or "维基百科条目坐标（CC BY-SA 4.0）。"
            df.loc[i, "licence"] = df.loc[i, "licence"] or "CC BY-SA 4.0"
    df["district"] = districts_of(df["lon"], df["lat"])
    df.to_csv(path, index=False, encoding="utf-8")
    return df


def snap_links(links_path, nodes: pd.DataFrame) -> int:
    """Move each schematic link's vertex nearest a station it serves onto that station."""
    links = pd.read_csv(links_path, dtype=str, keep_default_na=False)
    where = {r.id: (float(r.lon), float(r.lat)) for r in nodes.itertuples()}
    moved = 0
    for i, row in links.iterrows():
        served = [s for s in row["stations"].split(";") if s in where]
        if not served or not row["wkt"]:
            continue
        line = shapely.from_wkt(row["wkt"])
        coords = [list(c) for c in line.coords]
        for sid in served:
            lon, lat = where[sid]
            d = [((c[0] - lon) * 89_900) ** 2 + ((c[1] - lat) * 111_000) ** 2 for c in coords]
            k = min(range(len(d)), key=d.__getitem__)
            if 0 < d[k] <= SNAP_M**2:
                coords[k] = [lon, lat]
                moved += 1
        links.loc[i, "wkt"] = shapely.LineString(coords).wkt
    links.to_csv(links_path, index=False, encoding="utf-8")
    return moved


if __name__ == "__main__":
    from geodata.build_layers import SRC_DIR

    out = apply(SRC_DIR / "transport_nodes.csv")
    print(f"link vertices moved onto their stations: {snap_links(SRC_DIR / 'links.csv', out)}")
    print(out[["id", "lon", "lat", "pos_uncertainty_m", "geom_precision"]].to_string())
