"""Analysis tables for reading (no Streamlit): names not ids, units in the headings, sensible precision
(issue 23). Downloads keep the full table; this is only what a page shows.

* a density too small to read per km² (every value under 1, so "0.00" for the whole city) is shown
  per 100 km², and its heading says so;
* shares in %, numbers to 0/1/2 decimals by their size;
* the reader's name column, coded values (resource types …) as words, headings from the catalogue;
* a comparison of a few zones over many measures turned into a sheet (:func:`comparison_sheet`): the
  zones as columns, one measure per row, so that it fits a 1280 px screen.
"""

from __future__ import annotations

import pandas as pd

from core.i18n import STRINGS, VALUES, label, t
from core.vocab import CLUSTERS, DISTRICTS

#: Columns holding a density per km² (counts, weights or kernel density).
PER_KM2 = ("per_km2", "kde_peak", "kde_mean")


def heading(column, lang: str) -> str:
    key = f"c_{column}"
    if key in STRINGS:
        return t(key, lang)
    return t(f"col_{column}", lang) if f"col_{column}" in STRINGS else label(str(column), lang)


def per_100_km2(column, values: pd.Series) -> bool:
    """Whether ``column`` is a density whose values all round to almost nothing per km²."""
    if not any(k in str(column) for k in PER_KM2) or not pd.api.types.is_numeric_dtype(values):
        return False
    top = values.abs().max()
    return bool(pd.notna(top) and 0 < top < 1)


def decimals(values: pd.Series) -> int:
    top = values.abs().max()
    return 2 if pd.isna(top) or top < 10 else (1 if top < 100 else 0)


def readable_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` for reading in ``lang`` (see the module); zone ids only in the index (shown hidden)."""
    out = frame.copy()
    name = "name_zh" if lang == "zh" else "name_en"
    if name in out and "zone" in out:  # the zone ids give way to the names (an index stays, for code:
        out = out.set_index("zone")  # pages show tables without it)
    out = out.drop(columns=[c for c in ("name_zh", "name_en") if c != name and c in out])
    headings = {}
    for col in out.columns:
        headings[col] = heading(col, lang)
        if col == name or not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(lambda v: label(v, lang) if isinstance(v, str) and v in VALUES else v)
            continue
        if "share" in str(col):
            out[col] = out[col] * 100
        if per_100_km2(col, out[col]):
            out[col] = out[col] * 100
            headings[col] = headings[col].replace(t("unit_km2", lang), t("unit_100km2", lang))
        out[col] = out[col].round(decimals(out[col]))
    headings[name] = t("c_name", lang)
    return out.rename(columns=headings)


def without_repeats(table: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """``table`` without the measures ``shown`` already has (the names stay)."""
    keep = [c for c in table.columns if c in ("zone", "name_zh", "name_en") or c not in shown.columns]
    return table[keep]


def cell(value, places: int) -> str:
    """A number as a page shows it (thousands separated, ``places`` decimals); text as is; "–" for none."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–"
    if isinstance(value, str):
        return value
    return f"{value:,.{places}f}"


def comparison_sheet(frame: pd.DataFrame, lang: str, kind: str = "cluster") -> pd.DataFrame:
    """``frame`` (zones as rows) for reading as a sheet: one row per measure (its heading, with unit, is the
    index), one column per zone (a bay's or district's short name, ``kind`` saying which; any other zone its
    name), cells as text."""
    shown = readable_table(frame, lang)
    name = t("c_name", lang)
    known = CLUSTERS if kind == "cluster" else DISTRICTS
    zones = [label(z, lang, kind) if z in known else str(n) for z, n in zip(shown.index, shown[name], strict=True)]
    rows = {}
    for col in shown.columns.drop(name):
        values = shown[col]
        numeric = pd.api.types.is_numeric_dtype(values)
        whole = numeric and bool((values.dropna() % 1 == 0).all())
        places = 0 if whole or not numeric else decimals(values)
        rows[col] = [cell(v, places) for v in values]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=zones)
    out.index.name = t("c_measure", lang)
    return out
