"""Which district a position lies in (for rows whose position came from a dataset)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from core.crs import to_measure_crs
from core.settings import GEODATA_DIR


def districts_of(lon: pd.Series, lat: pd.Series) -> pd.Series:
    """District id containing each point; a point offshore takes the nearest district."""
    districts = to_measure_crs(gpd.read_file(GEODATA_DIR / "districts.geojson")[["id", "geometry"]])
    pts = to_measure_crs(gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon.astype(float), lat.astype(float)),
                                          index=lon.index, crs=4326))
    hit = gpd.sjoin_nearest(pts, districts, how="left")
    return hit.loc[~hit.index.duplicated(), "id"].reindex(lon.index)
