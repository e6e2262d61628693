"""Every word a reader sees is in the reader's language: every page walked in both languages (AppTest),
every popup and details row of every feature (issue 23). The rules are generic (tests/words.py): an id or
snake_case token, a developer command, a word of the other language outside the data's own names."""

from __future__ import annotations

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from atlas import mapmodel, mappage
from core.i18n import VALUES, t
from layers.render import display_frame
from tests.conftest import ROOT
from tests.words import problems

#: Proto fields that hold words a reader sees (the rest are ids, keys, styles, component arguments).
TEXT_FIELDS = {"label", "body", "help", "placeholder", "options", "text", "caption", "value", "default", "title",
               "message", "displayValue", "formattedValue", "dateLabel"}
#: Table columns that cite a source as published (its address, its sentence): not the atlas's own words.
CITED = {t(k, lang) for k in ("c22_source", "c22_quote") for lang in ("zh", "en")}
PAGES = {"map": None, "density": "views/density.py", "export": "views/export.py",
         "connectivity": "views/connectivity.py"}


def _strings(obj, out, keep=False):
    if isinstance(obj, dict):
        for k, v in obj.items():
            _strings(v, out, keep=k in TEXT_FIELDS)
    elif isinstance(obj, list):
        for v in obj:
            _strings(v, out, keep)
    elif isinstance(obj, str) and keep:
        out.append(obj)


def _texts(node, lang, out, placeholders):
    proto = getattr(node, "proto", None)
    if proto is not None:
        fields = MessageToDict(proto)
        if fields.get("label") in (t("about", lang), t("c22_about", lang)):  # About expanders: admin hints live there
            return
        if node.type == "multiselect" and not fields.get("placeholder"):
            placeholders.append(fields.get("label"))
        _strings(fields, out)
    for child in (node.children.values() if isinstance(getattr(node, "children", None), dict) else ()):
        _texts(child, lang, out, placeholders)


def page_words(page: str, lang: str) -> tuple[list[str], list[str]]:
    """(every string a reader sees on ``page`` in ``lang``, labels of multiselects without a placeholder)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    if lang == "en":
        at.query_params["lang"] = "en"
    at.run()
    if PAGES[page]:
        at.switch_page(PAGES[page]).run()
    assert not at.exception, at.exception
    out, placeholders = [], []
    _texts(at._tree, lang, out, placeholders)
    for table in [*at.dataframe, *at.table]:
        frame = table.value
        cited = [c for c in frame.columns if c in CITED]  # a source's address and its own words, quoted as published
        shown = frame.drop(columns=cited).astype(str).to_numpy().ravel()
        out += [str(c) for c in frame.columns] + [str(v) for v in shown]
    return out, placeholders


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", [
    "map", "density", "export", "connectivity",
])
def test_every_word_on_the_page_is_for_the_reader(page, lang):
    words, no_placeholder = page_words(page, lang)
    assert not no_placeholder, f"multiselects without a placeholder in the reader's language: {no_placeholder}"
    found = list(dict.fromkeys(problems(words, lang)))
    assert not found, "\n".join(found[:40])


#: Free text written by the data's sources (issue 21 owns the data): checked for ids and raw names only.
FREE_TEXT = ("f_plan_ref", "f_source", "f_notes")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_popups_and_details_name_things_in_words(lang):
    """Every feature: its details rows (beside the map) and its popup show labels, not codes or ids."""
    frames = mappage.names_for_ids(mapmodel.load_frames()[0])
    free = {t(k, lang) for k in FREE_TEXT}
    codes = set(VALUES) | {str(i) for f in frames.values() if "id" in f for i in f["id"]}  # ids, layer keys
    found = []
    for layer, frame in frames.items():
        if "name_zh" not in frame:
            continue
        for _, row in frame.iterrows():
            for field, value in mappage.detail_rows(layer, row, lang):
                found += [f"{layer}/{row['id']} {field}: {p}" for p in problems([value], lang)
                          if field not in free or (p.startswith("id or raw") and any(f"'{c}'" in p for c in codes))]
        shown = frame.drop(columns=[c for c in ("notes", "notes_zh", "source", "source_zh", "plan_ref") if c in frame])
        for popup in display_frame(shown, lang)["_popup"]:
            found += [f"{layer} popup: {p}" for p in problems([popup], lang)]
    assert not list(dict.fromkeys(found)), "\n".join(list(dict.fromkeys(found))[:40])


def test_the_checker_catches_each_kind_of_slip():
    """The rules fire on the cases the issue found (a checker that cannot fail proves nothing)."""
    cases = {"zh": ["Choose options", "权重：weight", "与res_qau_langu及其他鳌山卫要素同址", "representative_point",
                    "derived: analysis/clusters.py", "设置 TIANDITU_TOKEN (环境变量或 secrets)", "运行 `make setup`",
                    "≤30 min change"],
             "en": ["site_laoshan_intl_innovation_park", "Weight: 权重值", "buffer_km = 12.5"]}
    for lang, texts in cases.items():
        for text in texts:
            assert problems([text], lang, names=False), text
    assert not problems(["中国海洋大学 · 2,000 米 · GeoJSON (303.1 KB)"], "zh", names=False)
    assert not problems(["Ocean University of China · 2,000 m · GeoJSON"], "en", names=False)
