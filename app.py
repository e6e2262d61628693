"""Qingdao Bay-Area Innovation Corridor Atlas — Streamlit entry point (thin)."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from atlas.webassets import missing_files
from layers import districts
from layers.atlas_map import MapLayer, MapView, build_map

st.set_page_config(page_title="青岛湾区科创走廊图集 Qingdao Innovation Corridor Atlas", layout="wide")


@st.cache_data(show_spinner=False)
def load_districts():
    return districts.load()


def main() -> None:
    st.title("青岛湾区科创走廊图集 · Qingdao Bay-Area Innovation Corridor Atlas")
    missing = missing_files()
    if missing:
        st.error("Map files are not installed (run `make setup`): " + ", ".join(missing))
        return
    frame = load_districts()
    layers = [MapLayer("districts", "行政区划 Districts", frame, districts.STYLE)]
    m = build_map(layers, MapView())
    st_folium(m, key="atlas_map", height=640, use_container_width=True, returned_objects=[])


main()
