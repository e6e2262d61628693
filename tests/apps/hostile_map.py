"""A test page: the atlas map with features whose names are hostile HTML/JS."""

import geopandas as gpd
import streamlit as st
from shapely.geometry import Point
from streamlit_folium import st_folium

from layers.atlas_map import MapLayer, MapView, build_map

EVIL = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
frame = gpd.GeoDataFrame(
    {"id": ["evil"], "name_zh": [EVIL], "name_en": [EVIL], "category": ["resource"], "type": ["platform"],
     "district": ["shinan"], "cluster": ["jiaozhou"], "plan_ref": [EVIL], "source": [EVIL],
     "source_crs": ["EPSG:4326"], "geom_precision": ["surveyed"], "status": ["operating"],
     "as_of": ["2026-11-01"], "notes": [EVIL]},
    geometry=[Point(120.38, 36.07)], crs="EPSG:4326")
m = build_map([MapLayer("evil", EVIL, frame, {"color": "#d00", "radius": 12})],
              MapView(center=(36.07, 120.38), zoom=12, legend=[("point", "#d00", EVIL)]))
st_folium(m, key="evil_map", height=500, returned_objects=[])
