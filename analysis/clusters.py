"""The three bay clusters (鳌山湾, 胶州湾, 灵山湾) and the corridor that strings them.

The plan (§五) names the clusters but publishes no boundary, so this module
*derives* schematic ones, reproducibly, from the committed land and bay layers:

1. **Bay water.** Jiaozhou Bay is the enclosed water of ``geodata/jiaozhou_bay.geojson``.
   鳌山湾 and 灵山湾 are open bays: each is closed by a straight line between two
   named headlands plus two offshore points (an *anchor polygon*); the bay's water
   is that polygon minus the land (largest piece kept).

   * 鳌山湾 — "属崂山湾的北部…起自鳌山头，绕至鳌山卫、温泉、王村、洼里…至女岛"
     (山东省情网, 即墨海湾). Headlands: 鳌山头 (south) and 女岛 (north-east).
   * 灵山湾 — the West Coast's south-east shore between 古镇口/大珠山 (south-west)
     and the 灵山卫 peninsula south of 唐岛湾 (north-east).

   Anchor coordinates are approximate (read off the land outline at ~200 m);
   every feature is labelled ``geom_precision='schematic'``.
2. **Cluster land.** Land within ``buffer_km`` of each bay's water, measured in
   EPSG:4549. Where two buffers overlap (胶州湾 and 灵山湾 meet in Huangdao), land
   goes to the nearer bay: buffers grow in ``step_m`` rings and each ring's new
   land is claimed by the bay that reaches it first (a discrete Voronoi split,
   exact to ``step_m``; ties within one ring go to the earlier bay in ORDER).
3. **Corridor.** A LineString through the clusters' centroids in the
   plan's order 鳌山湾 → 胶州湾 → 灵山湾 (串珠成链), schematic.

Run ``python -m analysis.clusters`` to (re)write ``geodata/clusters.geojson``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon

from core.crs import MEASURE_CRS, WGS84, to_measure_crs
from core.settings import DATA, GEODATA_DIR
from core.vocab import CLUSTERS

#: Open-bay anchor polygons (lon, lat): headland, offshore, offshore, headland, inland...
#: The closing line runs between the two named headlands; inland points only make
#: sure the polygon covers the bay's inner shore (land is subtracted afterwards).
OPEN_BAYS: dict[str, dict] = {
    "aoshan": {
        "headlands": {"鳌山头": (120.735, 36.325), "女岛": (120.830, 36.435)},
        "polygon": [(120.735, 36.325), (120.830, 36.435), (120.770, 36.480),
                    (120.640, 36.470), (120.640, 36.320)],
    },
    "lingshan": {
        "headlands": {"大珠山/古镇口": (120.035, 35.830), "灵山卫半岛": (120.195, 35.890)},
        "polygon": [(120.035, 35.830), (120.195, 35.890), (120.200, 35.960),
                    (120.100, 35.960), (119.990, 35.900)],
    },
}
ORDER = ("aoshan", "jiaozhou", "lingshan")
PLAN_REF = '§五: 把分布在鳌山湾、胶州湾、灵山湾等湾区的科创资源集聚区"串珠成链、联合融通"'
SOURCE = "derived: analysis/clusters.py"
OUTPUT = GEODATA_DIR / "clusters.geojson"


def open_bay_water(land: gpd.GeoDataFrame, polygon: list[tuple[float, float]]) -> Polygon:
    """An open bay's water: the anchor polygon minus the land, largest piece (EPSG:4549)."""
    anchor = gpd.GeoSeries([Polygon(polygon)], crs=WGS84).to_crs(MEASURE_CRS).iloc[0]
    water = anchor.difference(to_measure_crs(land).union_all())
    parts = shapely.get_parts(water)
    if len(parts) == 0:
        msg = "The anchor polygon lies entirely on land; check OPEN_BAYS coordinates."
        raise ValueError(msg)
    return max(parts, key=lambda p: p.area)


def bay_waters(land: gpd.GeoDataFrame, bay_water: gpd.GeoDataFrame) -> dict[str, Polygon]:
    """Water bodies of the three bays in EPSG:4549, in :data:`ORDER`."""
    waters = {key: open_bay_water(land, spec["polygon"]) for key, spec in OPEN_BAYS.items()}
    waters["jiaozhou"] = to_measure_crs(bay_water).union_all()
    return {key: waters[key] for key in ORDER}


def split_buffers(land, waters: dict, *, buffer_m: float, step_m: float) -> dict:
    """Land within ``buffer_m`` of each water, overlaps given to the nearer bay."""
    claimed = {key: Polygon() for key in waters}
    taken = Polygon()
    for radius in np.append(np.arange(step_m, buffer_m, step_m), buffer_m):
        for key, w in waters.items():  # within one ring, ties go to the earlier bay in ORDER
            part = shapely.intersection(land, w.buffer(radius)).difference(taken)
            claimed[key] = shapely.union(claimed[key], part)
            taken = shapely.union(taken, part)
    return claimed


def _as_area(geom) -> Polygon | MultiPolygon:
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 1.0]
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def districts_touched(geom, districts_m: gpd.GeoDataFrame, *, min_km2: float) -> str:
    """Ids of districts sharing at least ``min_km2`` with ``geom`` (';'-joined, by area)."""
    if geom.geom_type in ("LineString", "MultiLineString"):
        shared = districts_m.geometry.intersection(geom).length / 1e3  # km of line, for ordering
        hit = shared[shared > 0].sort_values(ascending=False)
    else:
        shared = districts_m.geometry.intersection(geom).area / 1e6
        hit = shared[(shared > 0) & (shared >= min_km2)].sort_values(ascending=False)
    return ";".join(districts_m.loc[hit.index, "id"])


def build_bay_clusters(
    land: gpd.GeoDataFrame,
    bay_water: gpd.GeoDataFrame,
    *,
    districts: gpd.GeoDataFrame,
    buffer_km: float = 12.5,
    step_m: float = 250.0,
    simplify_m: float = 50.0,
    min_district_km2: float = 0.5,
    as_of: str = DATA.data_date,
) -> gpd.GeoDataFrame:
    """Three bay-cluster polygons plus the corridor line, in EPSG:4326.

    ``land``: the city's land (coast.load_city()); ``bay_water``: Jiaozhou Bay
    (coast.load_bay()); ``districts``: the district layer (for the ``district``
    field). ``buffer_km`` sets how far inland a cluster reaches; the default
    12.5 km is the smallest round distance that keeps the 崂山 science quarter
    (OUC, QUST, QIBEBT: 10-12.2 km from Jiaozhou Bay's water), which the curated
    ``cluster`` attribution places in the Jiaozhou Bay cluster, while 胶州/平度/莱西
    town centres and the SCO zone (16 km) stay outside.
    ``step_m`` is the resolution of the overlap split; ``simplify_m`` simplifies
    the output (topology preserving). Schema: provenance fields + ``method`` and
    ``parameters`` (JSON of every argument).
    """
    if buffer_km <= 0 or step_m <= 0:
        msg = f"buffer_km and step_m must be positive (got {buffer_km}, {step_m})."
        raise ValueError(msg)
    params = {"buffer_km": buffer_km, "step_m": step_m, "simplify_m": simplify_m,
              "min_district_km2": min_district_km2, "open_bays": OPEN_BAYS}
    land_m = to_measure_crs(land).union_all()
    waters = bay_waters(land, bay_water)
    parts = split_buffers(land_m, waters, buffer_m=buffer_km * 1000.0, step_m=step_m)
    districts_m = to_measure_crs(districts)
    rows, geoms = [], []
    for key in ORDER:
        geom = _as_area(shapely.simplify(parts[key], simplify_m, preserve_topology=True).buffer(0))
        rows.append(_properties(key, geom, districts_m, params, min_district_km2, as_of))
        geoms.append(geom)
    corridor = LineString([g.centroid for g in geoms])
    rows.append(_corridor_properties(corridor, districts_m, params, min_district_km2, as_of))
    geoms.append(corridor)
    out = gpd.GeoDataFrame(rows, geometry=geoms, crs=MEASURE_CRS).to_crs(WGS84)
    out.attrs["params"] = params
    return out


def _method(key: str) -> str:
    if key == "jiaozhou":
        water = "water = geodata/jiaozhou_bay.geojson (closed at 团岛—薛家岛)"
    else:
        heads = " — ".join(OPEN_BAYS[key]["headlands"])
        water = f"water = anchor polygon closed by headlands {heads}, minus land (largest piece)"
    return f"{water}; cluster = land within buffer_km of the water, overlaps split to the nearer bay"


def _readable(key: str | None, params: dict) -> dict:
    """``source``/``notes`` for readers in both languages (the method itself stays in ``method``)."""
    from core.i18n import t

    km = f"{params.get('buffer_km', 12.5):g}"
    if key is None:
        notes = {lang: t("cl_notes_line", lang) for lang in ("zh", "en")}
    else:
        bay = OPEN_BAYS.get(key)
        if bay is None:
            water = {"zh": "胶州湾水域图层(团岛—薛家岛封口)",
                     "en": "the Jiaozhou Bay water layer (closed at 团岛—薛家岛)"}
        else:
            heads = " — ".join(bay["headlands"])
            water = {"zh": f"岬角 {heads} 之间的海湾水域", "en": f"the bay between the headlands {heads}"}
        notes = {lang: t("cl_notes_bay", lang, water=water[lang]) for lang in ("zh", "en")}
    return {"source": t("cl_source", "en", km=km), "source_zh": t("cl_source", "zh", km=km),
            "notes": notes["en"], "notes_zh": notes["zh"]}


def _base(params: dict, as_of: str) -> dict:
    return {"plan_ref": PLAN_REF, "source": SOURCE, "source_crs": "EPSG:4326",
            "geom_precision": "schematic", "status": "planned", "as_of": as_of,
            "parameters": json.dumps(params, ensure_ascii=False, sort_keys=True)}


def _properties(key, geom, districts_m, params, min_km2, as_of) -> dict:
    zh, en = CLUSTERS[key]
    method = _method(key)
    return {"id": f"cluster_{key}", "name_zh": f"{zh}科创资源集聚区", "name_en": f"{en} innovation cluster",
            "category": "bay_cluster", "district": districts_touched(geom, districts_m, min_km2=min_km2),
            "cluster": key, "method": method, **_base(params, as_of), **_readable(key, params)}


def _corridor_properties(line, districts_m, params, min_km2, as_of) -> dict:
    method = "LineString through the clusters' centroids, order 鳌山湾→胶州湾→灵山湾"
    touched = districts_touched(line, districts_m, min_km2=min_km2)
    return {"id": "corridor_bay_area", "name_zh": "湾区科创走廊(串珠成链)", "name_en": "Bay-area innovation corridor",
            "category": "corridor", "district": touched, "cluster": "aoshan;jiaozhou;lingshan",
            "method": method, **_base(params, as_of), **_readable(None, params)}


def write_clusters(gdf: gpd.GeoDataFrame, path: Path = OUTPUT) -> None:
    """Write RFC 7946 GeoJSON, one feature per line, coordinates at 1e-5 deg."""
    rounded = gdf.copy()
    rounded["geometry"] = shapely.set_precision(gdf.geometry.values, 1e-5)
    text = rounded.to_json(drop_id=True, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text.replace('{"type":"Feature"', '\n{"type":"Feature"') + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from layers import coast, districts

    gdf = build_bay_clusters(coast.load_city(), coast.load_bay(), districts=districts.load())
    write_clusters(gdf)
    area = to_measure_crs(gdf).area / 1e6
    for fid, km2, dist in zip(gdf["id"], area, gdf["district"], strict=True):
        print(f"{fid:20s} {km2:8.1f} km²  {dist}")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
