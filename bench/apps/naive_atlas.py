"""Baseline for bench_map.py: the same features as the atlas's default view, drawn the obvious way.

Layers loaded once (st.cache_resource), then on every run: the same district filter, one
folium.GeoJson per layer with a name tooltip (points as CircleMarkers), no popups, legend, styles
or tools. Jinja's own ``tojson`` is used (the atlas swaps in a more compact one on import).
"""

import folium
import jinja2.filters
import streamlit as st
from streamlit_folium import st_folium

from atlas import mapmodel
from atlas.viewstate import ViewState
from core.settings import MAP
from core.vocab import DISTRICTS
from layers import districts
from layers.webassets import localize

folium.GeoJson._template.environment.filters["tojson"] = jinja2.filters.do_tojson


@st.cache_resource
def data():
    return mapmodel.load_frames()[0], districts.display_frame()


frames, dist = data()
chosen = st.multiselect("区(市)", list(DISTRICTS), format_func=lambda k: DISTRICTS[k][0])
state = ViewState(districts=tuple(chosen))
m = folium.Map(location=list(MAP.center), zoom_start=MAP.zoom, tiles=None)
folium.GeoJson(dist[["name_zh", "geometry"]].to_json(), tooltip=folium.GeoJsonTooltip(["name_zh"])).add_to(m)
for layer in mapmodel.overlays(frames, state):
    if layer.show and not layer.frame.empty:
        folium.GeoJson(layer.frame[["name_zh", "geometry"]].to_json(), marker=folium.CircleMarker(radius=5),
                       tooltip=folium.GeoJsonTooltip(["name_zh"])).add_to(m)
st_folium(localize(m), key="naive", height=640, returned_objects=[])
