"""What a reader must never see: a checker for the words of a page (used by tests/test_words.py).

Generic rules, so new cases are caught without listing them:

* an **id** of the atlas's data (``res_…``, ``site_…``, ``mline_…`` — the prefixes are read from the
  layers themselves) or any ``snake_case`` token: a raw field name (``buffer_km``), a raw coded value
  (``representative_point``) or an id;
* a **developer command or path**: ``make …``, ``python -m``, a ``.py``/``.csv`` path, an environment
  variable (``TIANDITU_TOKEN``), a Markdown code span;
* an **untranslated** word: in the Chinese UI an English word that is neither a name of the data
  (feature names are shown in both languages on purpose) nor a technical term of the trade
  (:data:`TERMS`); in the English UI Chinese characters outside such names;
* a widget without a placeholder in the reader's language (Streamlit's default is "Choose options").
"""

from __future__ import annotations

import html
import re
from functools import cache

#: Technical words shown as they are in both languages (formats, standards, methods, brands).
TERMS = frozenset("""
csv geojson geopackage gpkg png pdf json xlsx kml kmz txt tsv zip gbk utf bom excel dpi wgs84 wgs gcj bd epsg cgcs
h3 gi kde osm openstreetmap amap carto tianditu chromium mapclassify clark evans lq km min mb kb gb
cgo openmap cnmaps airportsdata odbl fisher jenks benjamini hochberg donnelly getis ord esda
hsr g15 g20 g22 g2011 cc by sa odbl mit bsd
""".split())

ID_TOKEN = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # snake_case: ids, field names, coded values
DEV = re.compile(r"`|(?:\brun\b|运行)\s*(?:make|python|pip)\b|\bpython\b|\bpip\b|\.py\b|\.csv\b(?!\))"
                 r"|\b[A-Z][A-Z0-9]+_[A-Z0-9_]+\b|\bsecrets\b|\b(?:analysis|atlas|layers|geodata|views|core)/\w")
EN_WORD = re.compile(r"[A-Za-z]{2,}")
HAN = re.compile(r"[\u3400-\u9fff]+")
TAG = re.compile(r"<style.*?</style>|<script.*?</script>|<[^>]+>", re.S)
#: The language switch names both languages on purpose.
SWITCH = frozenset({"语言 · Language", "中文", "English"})
ENUM = re.compile(r"^[A-Z][A-Z0-9_]*$")  # proto enum values (SMALL, HORIZONTAL …), not text


def visible(text: str) -> str:
    """The text a reader sees of ``text`` (tags, styles and scripts removed, entities decoded)."""
    return html.unescape(TAG.sub(" ", text)) if "<" in text else text


@cache
def data_names() -> tuple[frozenset[str], frozenset[str]]:
    """(English words, Chinese runs) of the data's own names — shown in both languages on purpose."""
    from atlas import mapmodel
    from core.vocab import CLUSTERS, DISTRICTS

    en, zh = set(), set()
    frames, _ = mapmodel.load_frames()
    for frame in frames.values():
        for col, out in (("name_en", en), ("name_zh", zh)):
            for name in frame[col].dropna().astype(str) if col in frame else ():
                out.update(w.lower() for w in EN_WORD.findall(name)) if out is en else out.update(HAN.findall(name))
    for table in (CLUSTERS, DISTRICTS):
        for zh_name, en_name in (v[:2] for v in table.values()):
            en.update(w.lower() for w in EN_WORD.findall(en_name))
            zh.update(HAN.findall(zh_name))
    return frozenset(en), frozenset(zh)


@cache
def id_prefixes() -> frozenset[str]:
    from atlas import mapmodel

    frames, _ = mapmodel.load_frames()
    return frozenset(str(i).split("_", 1)[0] for f in frames.values() if "id" in f for i in f["id"] if "_" in str(i))


def problems(texts, lang: str, *, names: bool = True) -> list[str]:
    """Each reason a text of a page in ``lang`` is not fit for a reader (empty: all fine)."""
    en_names, zh_names = data_names() if names else (frozenset(), frozenset())
    found = []
    for raw in texts:
        if not isinstance(raw, str) or ENUM.match(raw.strip()) or raw in SWITCH or raw in ("nan", "None", "<NA>"):
            continue
        text = visible(raw)
        for token in ID_TOKEN.findall(text):
            found.append(f"id or raw name {token!r} in {text[:120]!r}")
        if DEV.search(text):
            found.append(f"developer text {DEV.search(text).group(0)!r} in {text[:120]!r}")
        if lang == "zh":
            words = [w for w in EN_WORD.findall(text) if w.lower() not in TERMS and w.lower() not in en_names]
            if words:
                found.append(f"English {words[:4]} in {text[:120]!r}")
        else:
            runs = [r for r in HAN.findall(text) if not any(r in n or n in r for n in zh_names)]
            if runs:
                found.append(f"Chinese {runs[:4]} in {text[:120]!r}")
    return found
