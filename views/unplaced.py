"""The map page's lists of features without a place of their own (issue 21; DESIGN.md, "Location tiers").

Features known only to a district are counted per district (each count opens its list); those known only
to the city are in "not yet located (N)". Neither is drawn. What is listed comes from
:func:`atlas.mapmodel.unplaced` (pure); this module only draws it.
"""

from __future__ import annotations

import copy

import streamlit as st

from atlas import mapmodel
from atlas.viewstate import ViewState
from core.i18n import label, t
from layers.atlas_map import MapView
from views.map_data import frames_once, unplaced


@st.cache_resource(show_spinner=False, max_entries=64)
def _badges_once(layers, clusters, districts, types, statuses, lang: str, basemap: str):
    state = ViewState(layers=layers, clusters=clusters, districts=districts, types=types, statuses=statuses,
                      lang=lang, basemap=basemap)
    return mapmodel.unplaced_group(frames_once()[0], state, MapView(basemap=basemap, lang=lang))


def badges(state: ViewState):
    """The map's count badges per district (built once per view; a private copy, as views.map_data does):
    the same rerun sends the same group, so the map is not redrawn."""
    return copy.deepcopy(_badges_once(state.layers, state.clusters, state.districts, state.types, state.statuses,
                                      state.lang, state.basemap))


def panel(state: ViewState) -> None:
    """Expanders under the details: one per district with district-level features, then the not located."""
    lists = unplaced(state)
    lang = state.lang
    for district, items in lists.by_district.items():
        title = t("t21_district_count", lang, district=label(district, lang, "district"), n=len(items))
        with st.expander(title):
            st.text("\n".join(name for _, _, name in items))  # plain text: a hostile name stays text
    if lists.not_located:
        with st.expander(t("t21_not_located_title", lang, n=len(lists.not_located))):
            st.caption(t("t21_location_not_published", lang))
            st.text("\n".join(name for _, _, name in lists.not_located))
