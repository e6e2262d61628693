"""Folium rendering shared by the layer modules: escaped popups, styled GeoJSON.

Every piece of feature text reaches the browser HTML-escaped: folium's
GeoJsonPopup/Tooltip insert property values with ``innerHTML``, so we build the
popup/tooltip markup here with :func:`html.escape` and hand folium only that.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import geopandas as gpd
import shapely

from atlas.settings import MAP

if TYPE_CHECKING:  # folium is imported where a map is built, not by every importer (CLI start)
    import folium

POPUP_FIELDS: tuple[tuple[str, str, str], ...] = (
    # (property, label zh, label en)
    ("category", "类别", "Category"),
    ("type", "类型", "Type"),
    ("district", "区(市)", "District"),
    ("cluster", "湾区", "Bay cluster"),
    ("status", "状态", "Status"),
    ("plan_ref", "规划原文", "Plan reference"),
    ("source", "位置来源", "Location source"),
    ("source_crs", "原始坐标系", "Source CRS"),
    ("geom_precision", "几何精度", "Geometry precision"),
    ("as_of", "截至", "As of"),
    ("notes", "备注", "Notes"),
)


#: Columns the layer style functions read; the only raw properties sent to the browser.
STYLE_COLUMNS = ("category", "type", "status", "color", "lines")


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


#: Coded fields shown by their label, with the kind that disambiguates shared ids.
CODED_FIELDS = {"category": None, "type": None, "status": None, "district": "district", "cluster": "cluster"}


def _display_value(name: str, value, lang: str) -> str:
    if name not in CODED_FIELDS or _is_blank(value):
        return value
    from atlas.i18n import label  # labels live with the UI strings

    return " / ".join(label(v, lang, CODED_FIELDS[name]) for v in str(value).split(";") if v)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) == ""


#: Long free-text fields are cut in popups (the details panel shows them whole).
POPUP_MAX_CHARS = 220


def _short(value) -> str:
    text = "" if _is_blank(value) else str(value)
    return text if len(text) <= POPUP_MAX_CHARS else text[: POPUP_MAX_CHARS - 1] + "…"


def popup_html(props: Mapping, lang: str = "zh") -> str:
    """Popup markup for one feature; every value escaped."""
    idx = 1 if lang == "zh" else 2
    title = f"<b>{_text(props.get('name_zh'))}</b><br><i>{_text(props.get('name_en'))}</i>"
    rows = "".join(
        f"<tr><th style=\"white-space:nowrap;text-align:left;vertical-align:top;padding-right:8px\">{html.escape(field[idx])}</th><td>{_text(_short(_display_value(field[0], props.get(field[0]), lang)))}</td></tr>"
        for field in POPUP_FIELDS
        if _text(props.get(field[0]))
    )
    return f'<div class="atlas-popup">{title}<table>{rows}</table></div>'


def tooltip_html(props: Mapping, lang: str = "zh") -> str:
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    return f"{_text(props.get(first))} · {_text(props.get(second))}"


def display_frame(gdf: gpd.GeoDataFrame, lang: str = "zh") -> gpd.GeoDataFrame:
    """A copy fit for the browser: simplified, rounded, with escaped _popup/_tooltip."""
    out = gdf.copy()
    geoms = out.geometry.values
    not_point = ~shapely.is_empty(geoms) & (shapely.get_type_id(geoms) != 0)
    if not_point.any():
        geoms[not_point] = shapely.simplify(geoms[not_point], MAP.display_simplify_deg, preserve_topology=True)
    out["geometry"] = shapely.set_precision(geoms, 10**-MAP.display_precision)
    records = out.drop(columns="geometry").to_dict("records")
    out["_popup"] = [popup_html(r, lang) for r in records]
    out["_tooltip"] = [tooltip_html(r, lang) for r in records]
    keep = [c for c in ("id", *STYLE_COLUMNS, "_popup", "_tooltip") if c in out] + ["geometry"]
    return out[keep]


def geojson_layer(
    gdf: gpd.GeoDataFrame,
    *,
    name: str,
    style: Callable[[dict], dict] | dict,
    lang: str = "zh",
    show: bool = True,
    point_radius: float = 6,
) -> folium.FeatureGroup:
    """One map layer (a FeatureGroup holding a GeoJson) with escaped popups/tooltips."""
    import folium

    group = folium.FeatureGroup(name=html.escape(name), show=show)
    if gdf.empty:  # a filter can leave a layer empty: keep it in the layer list, draw nothing
        return group
    frame = display_frame(gdf, lang)
    style_fn = style if callable(style) else (lambda _f, s=style: dict(s))
    folium.GeoJson(
        frame.to_json(drop_id=True),
        name=html.escape(name),
        style_function=style_fn,
        marker=folium.CircleMarker(radius=point_radius, fill=True),
        popup=folium.GeoJsonPopup(fields=["_popup"], labels=False, max_width=420),
        tooltip=folium.GeoJsonTooltip(fields=["_tooltip"], labels=False),
        highlight_function=lambda _f: {"weight": 4, "fillOpacity": 0.6},
        zoom_on_click=False,
    ).add_to(group)
    return group


#: How status changes a line's or point's look: under construction dashed, planned dotted.
STATUS_DASH = {"operating": None, "under_construction": "8 5", "planned": "2 6"}


def with_status(style: dict, status: str | None, *, point: bool = False) -> dict:
    """``style`` adjusted for ``status`` (dashed/dotted outline, hollow point)."""
    out = dict(style)
    dash = STATUS_DASH.get(status or "operating")
    if dash:
        out["dashArray"] = dash
        out["opacity"] = 0.85
        if point:
            out["fillColor"] = "#ffffff"
            out["fillOpacity"] = 0.9
    return out


def categorical_point_style(
    field: str, colors: dict[str, str], radii: dict[str, float], *, default_radius: float = 6,
    outline: str = "#222222", weight: float = 1, fill_opacity: float = 0.95,
) -> Callable[[dict], dict]:
    """A folium style function colouring circle markers by one property (status-aware)."""

    def style(feature: dict) -> dict:
        p = feature["properties"]
        value = p.get(field, "")
        base = {"color": outline, "weight": weight, "fillColor": colors.get(value, "#999999"),
                "fillOpacity": fill_opacity, "radius": radii.get(value, default_radius)}
        return with_status(base, p.get("status"), point=True)

    return style


def point_legend(colors: dict[str, str], label: Callable[[str], str]) -> list[tuple[str, str, str]]:
    return [("point", color, label(value)) for value, color in colors.items()]
