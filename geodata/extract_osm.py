"""Cut the Qingdao extract out of the OpenQGIS OMap-GeoDB OpenStreetMap shapefiles.

The atlas keeps only the Qingdao part of each published dataset under
``geodata/src/ext/`` (with its licence in ``geodata/src/ext/README.md``), so the
build is reproducible without the 10 MB national files. Rebuild with::

    python -m geodata.extract_osm stations PATH/Railway-station_oData.zip
    python -m geodata.extract_osm aeroways PATH/aeroways_oData.zip

(the zips are in the public repository OpenQGIS/OMap-GeoDB; see the README).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import pandas as pd

from core.vocab import QINGDAO_BBOX

EXT_DIR = Path(__file__).resolve().parent / "src" / "ext"
STATIONS_CSV = EXT_DIR / "osm_railway_stations_qingdao.csv"
AEROWAYS_CSV = EXT_DIR / "osm_aeroways_jiaodong.csv"
#: Jiaodong airport's runways/taxiways lie in this box (lon/lat).
AIRPORT_BBOX = (120.04, 36.33, 120.14, 36.40)


def _read(zip_path: Path, bbox) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(f"zip://{zip_path}", bbox=bbox)
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        msg = f"{zip_path.name}: expected WGS84 (EPSG:4326), found {gdf.crs}"
        raise ValueError(msg)
    return gdf


def extract_stations(zip_path: Path) -> pd.DataFrame:
    """Every OSM railway/subway/tram station point inside Qingdao's box, in file order."""
    gdf = _read(zip_path, QINGDAO_BBOX)
    out = pd.DataFrame({
        "osm_row": gdf.index,
        "name": gdf["name"].fillna(""),
        "station": gdf["station"].fillna(""),
        "lon": gdf.geometry.x.round(7),
        "lat": gdf.geometry.y.round(7),
    })
    return out


def extract_aeroways(zip_path: Path) -> pd.DataFrame:
    gdf = _read(zip_path, AIRPORT_BBOX)
    gdf = gdf[gdf["aeroway"] == "runway"]
    keep = [c for c in gdf.columns if c != "geometry"]
    out = pd.DataFrame(gdf[keep]).fillna("")
    out["wkt"] = gdf.geometry.to_wkt(rounding_precision=7)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["stations", "aeroways"])
    parser.add_argument("zip", type=Path)
    args = parser.parse_args(argv)
    if args.what == "stations":
        df, out = extract_stations(args.zip), STATIONS_CSV
    else:
        df, out = extract_aeroways(args.zip), AEROWAYS_CSV
    df.to_csv(out, index=False, encoding="utf-8")
    print(f"{out.name}: {len(df)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
