"""Every page's folium map reaches the browser through :func:`show` (streamlit-folium's ``st_folium``).

``st_folium`` renders the whole figure once (``render=True``) and then renders the map again to take its
script, header and feature groups: the first pass is thrown away. Each pass has branca compile every
rendered chunk as a Jinja template, which was ~12 % of the map page's rerun under the profiler and ~8 % of
the server's time under load. :func:`show` skips the first pass; what the browser gets is the same
(``tests/test_map_html.py`` compares the component's arguments of both ways on the atlas's map).
"""

from __future__ import annotations

import folium
from streamlit_folium import st_folium


def show(m: folium.Map, **kwargs):
    """``st_folium(m, **kwargs)`` without the discarded first render (same component arguments)."""
    return st_folium(m, render=False, **kwargs)
