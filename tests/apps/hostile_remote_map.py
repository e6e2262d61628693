"""A test page: the main page's served-data map (layers.remote) with hostile names, two features
sharing one point and a third left out by the ids filter."""

import geopandas as gpd
import streamlit as st
from shapely.geometry import Point
from streamlit_folium import st_folium

from layers.atlas_map import MapLayer, MapView, build_base_map, publish_layer, remote_group
from layers.datastore import Publisher

EVIL = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
SECOND = 'Second <b onmouseover="window.__xss=3">here</b>'
frame = gpd.GeoDataFrame(
    {"id": ["evil", "second", "hidden"], "name_zh": [EVIL, SECOND, "hidden"], "name_en": [EVIL, SECOND, "hidden"],
     "category": ["resource"] * 3, "type": ["platform"] * 3, "district": ["shinan"] * 3,
     "cluster": ["jiaozhou"] * 3, "plan_ref": [EVIL] * 3, "source": [EVIL] * 3, "source_crs": ["EPSG:4326"] * 3,
     "geom_precision": ["surveyed"] * 3, "status": ["operating"] * 3, "as_of": ["2026-11-01"] * 3,
     "notes": [EVIL] * 3, "weight": [3.0, 1.0, 1.0]},
    geometry=[Point(120.38, 36.07), Point(120.38, 36.07), Point(120.40, 36.08)], crs="EPSG:4326")


@st.cache_resource
def publisher():
    return Publisher().check()


view = MapView(center=(36.07, 120.38), zoom=13, lang="en", legend=[("point", "#d00", EVIL)], publish=publisher())
layer = MapLayer("evil", EVIL, frame, {"color": "#d00", "radius": 12})
url = publish_layer(layer, view)
if st.query_params.get("broken"):  # a file that is not there: the map must say so
    url = "/app/static/data/evil_en_wgs84-0000000000000000.json"
group = remote_group(layer, url, ids=["evil", "second"])
st_folium(build_base_map(view), key="evil_remote", height=500, center=[36.07, 120.38], zoom=13,
          feature_group_to_add=[group], returned_objects=[])
