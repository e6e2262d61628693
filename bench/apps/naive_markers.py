"""Baseline for bench_map.py: one folium.Marker per feature, the way most demos do it.

(No popups: folium.Popup inside streamlit-folium did not render in this setup; see README.)
"""

import os

import folium
import numpy as np
import streamlit as st
from streamlit_folium import st_folium

from layers.webassets import localize

n = int(os.environ.get("NAIVE_MARKERS", "500"))
rng = np.random.default_rng(0)
lat = rng.uniform(35.9, 36.5, n)
lon = rng.uniform(120.0, 120.7, n)
m = folium.Map(location=[36.2, 120.3], zoom_start=10, tiles=None)
for i, (y, x) in enumerate(zip(lat, lon, strict=True)):
    folium.Marker([y, x]).add_to(m)
st_folium(localize(m), key="naive", height=640, returned_objects=[])
