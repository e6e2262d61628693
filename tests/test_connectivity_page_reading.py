"""The connectivity page is written for reading, in both languages: no ids, no raw column names,
no JSON; the model's configuration and admin hints only inside "About the model"."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGE = str(ROOT / "views" / "connectivity.py")
ID = re.compile(r"\b(?:road|mline|res|rst|mst|rail|park|site|air|port)_[a-z0-9_]+|\b(?:resources|parks|hubs|metro|"
                r"rail|road|osm):[A-Za-z0-9_]")
RAW = ("mean_before", "mean_after", "delta_min", "worst_after", "disconnected_pairs", "nodes_reached", "A_i",
       "trip_id", "mode_class", "published_min", "model_min", "cutoff_min", "area_km2", "config_id", '{"')


def _texts(element) -> list[str]:
    # a selectbox's value is the option object the code sees; the reader sees its options (formatted)
    chooser = type(element).__name__ in ("Selectbox", "Multiselect", "Toggle", "Radio")
    value = None if chooser else getattr(element, "value", None)
    if isinstance(value, pd.io.formats.style.Styler):
        value = value.data
    if isinstance(value, pd.DataFrame):
        return [*map(str, value.columns), *map(str, value.index), *map(str, value.to_numpy().ravel())]
    out = [str(value)] if value is not None else []
    for attr in ("label", "options"):
        extra = getattr(element, attr, None)
        if isinstance(extra, str):
            out.append(extra)
        elif isinstance(extra, list | tuple):
            out += [str(x) for x in extra]
    return [str(x) for x in out]


def _page_text(at, *, outside_about: bool) -> list[str]:
    kinds = ("title", "subheader", "markdown", "caption", "warning", "info", "metric", "table", "dataframe",
             "selectbox", "multiselect", "tabs", "toggle", "text_input", "expander")
    texts = []
    for kind in kinds:
        for el in at.get(kind):
            if outside_about and kind == "caption" and _in_about(at, el):
                continue
            texts += _texts(el)
    return texts


def _in_about(at, el) -> bool:
    return any(el in list(exp) or any(el is c for c in exp.children.values()) for exp in at.get("expander"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_reads_without_ids_or_column_names(lang):
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=240)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    texts = _page_text(at, outside_about=False)
    assert len(texts) > 100
    for text in texts:
        assert not ID.search(text), text
        for raw in RAW:
            assert raw not in text, (raw, text)
    about = [e for e in at.get("expander") if e.label in ("关于模型", "About the model")]
    assert len(about) == 1
    inside = [c.value for c in at.caption if _in_about(at, c)]
    assert any("osm_roads --download" in c for c in inside)  # the admin hint lives in the expander only
    outside = [c.value for c in at.caption if not _in_about(at, c)]
    assert not any("--download" in c for c in outside)
    # the route's legs carry kilometres, the network in use is said in one sentence
    route = [df.value for df in at.dataframe if (("距离（公里）" if lang == "zh" else "Distance (km)")
                                                in list(getattr(df.value, "columns", [])))]
    assert route and (route[0].iloc[:, 2] >= 0).all()
    assert any(("战略路网" if lang == "zh" else "strategic roads") in c for c in outside)
