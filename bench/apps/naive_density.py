"""Baseline for bench_density_page.py: upload a CSV, draw every point as a folium.CircleMarker.

The obvious page an analyst would write (pandas + one CircleMarker per row + st_folium), with
one option (marker colour) so a widget change can be timed the same way as on the atlas page.
"""

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from layers.webassets import localize

colour = st.radio("Colour", ["#222222", "#c0392b"], horizontal=True)
file = st.file_uploader("CSV", type=["csv"])
if file is not None:
    df = pd.read_csv(file)
    m = folium.Map(location=[36.2, 120.3], zoom_start=9, tiles=None)
    for lat, lon in zip(df["lat"], df["lon"], strict=True):
        folium.CircleMarker([lat, lon], radius=3, color=colour, weight=1, fill=True).add_to(m)
    st_folium(localize(m), key="naive", height=600, returned_objects=[])
    st.caption(f"{len(df):,} points drawn")
