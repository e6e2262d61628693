"""Folium rendering shared by the layer modules: escaped popups, styled GeoJSON.

Every piece of feature text reaches the browser HTML-escaped: folium's
GeoJsonPopup/Tooltip insert property values with ``innerHTML``, so we build the
popup/tooltip markup here with :func:`html.escape` and hand folium only that.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import geopandas as gpd
import markupsafe
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template, pass_eval_context

from core.settings import MAP

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
    ("pos_uncertainty_m", "位置误差", "Position uncertainty"),
    ("source", "位置来源", "Location source"),
    ("source_crs", "原始坐标系", "Source CRS"),
    ("geom_precision", "几何精度", "Geometry precision"),
    ("as_of", "截至", "As of"),
    ("notes", "备注", "Notes"),
)
#: Text written for users in both languages: the Chinese column is shown in Chinese (English as fallback).
ZH_FIELDS = {"source": "source_zh", "notes": "notes_zh"}


#: Columns the layer style functions read; the only raw properties sent to the browser.
STYLE_COLUMNS = ("category", "type", "status", "color", "lines", "weight", "pos_uncertainty_m", "_label", "_minzoom",
                 "_lx", "_ly")


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


#: Coded fields shown by their label, with the kind that disambiguates shared ids.
CODED_FIELDS = {"category": None, "type": None, "status": None, "district": "district", "cluster": "cluster"}


def uncertainty_text(value, lang: str = "zh") -> str:
    """``pos_uncertainty_m`` for reading: "± 250 m", "± 2.7 km", "± 60 km" ("" when unknown)."""
    try:
        m = float(value)
    except (TypeError, ValueError):
        return ""
    if m != m or m <= 0:
        return ""
    text = f"{m:,.0f} m" if m < 1000 else (f"{m / 1000:.1f} km" if m < 10_000 else f"{m / 1000:,.0f} km")
    return "± " + (text.replace(" km", " 公里").replace(" m", " 米") if lang == "zh" else text)


def _display_value(name: str, value, lang: str) -> str:
    if name == "pos_uncertainty_m":
        return uncertainty_text(value, lang)
    if name in ("geom_precision", "source_crs") and not _is_blank(value):  # issue 23: coded values as words
        from core.i18n import crs_text, label

        return label(value, lang) if name == "geom_precision" else crs_text(value, lang)
    if name not in CODED_FIELDS or _is_blank(value):
        return value
    from core.i18n import label  # labels live with the UI strings

    return " / ".join(label(v, lang, CODED_FIELDS[name]) for v in str(value).split(";") if v)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) == ""


#: Long free-text fields are cut in popups (the details panel beside the map shows them whole):
#: every feature's popup travels with the map on every rerun, so it stays short.
POPUP_MAX_CHARS = 80

#: One rule for every popup table (instead of an inline style on each cell of each feature).
POPUP_CSS = (".atlas-popup th{white-space:nowrap;text-align:left;vertical-align:top;padding-right:8px}"
             ".atlas-popup td{vertical-align:top}")


def _short(value) -> str:
    text = "" if _is_blank(value) else str(value)
    return text if len(text) <= POPUP_MAX_CHARS else text[: POPUP_MAX_CHARS - 1] + "…"


#: Geometry types whose coordinates are packed (points stay plain JSON) and their nesting depth.
_PACKED_DEPTH = {"LineString": 0, "MultiLineString": 1, "Polygon": 1, "MultiPolygon": 2}
#: Restores ``coordinates`` from ``p``: each ring/line a flat list of integer deltas at 10^-precision.
_UNPACK_JS = (
    "(function(fc,s){{function r(a){{var o=[],x=0,y=0;for(var i=0;i<a.length;i+=2){{x+=a[i];y+=a[i+1];"
    "o.push([x*s,y*s]);}}return o;}}function d(c,n){{return n===0?r(c):c.map(function(e){{return d(e,n-1);}});}}"
    "var D={depth};fc.features.forEach(function(f){{var g=f.geometry;if(g&&g.p){{g.coordinates=d(g.p,D[g.type]);"
    "delete g.p;}}}});return fc;}})({data},{scale})"
)


def _pack_line(coords, factor: int) -> list[int]:
    q = np.rint(np.asarray(coords, dtype=float)[:, :2] * factor).astype(np.int64)
    q[1:] -= q[:-1].copy()
    return q.ravel().tolist()


def _pack(coords, depth: int, factor: int):
    return _pack_line(coords, factor) if depth == 0 else [_pack(c, depth - 1, factor) for c in coords]


def pack_lines(fc: dict, precision: int) -> tuple[dict, bool]:
    """A FeatureCollection with line/polygon coordinates as integer deltas (``p``); points unchanged."""
    factor, packed = 10**precision, False
    features = []
    for f in fc.get("features", []):
        g = f.get("geometry") or {}
        depth = _PACKED_DEPTH.get(g.get("type"))
        if depth is not None and g.get("coordinates"):
            g = {"type": g["type"], "p": _pack(g["coordinates"], depth, factor)}
            f, packed = {**f, "geometry": g}, True
        features.append(f)
    return {**fc, "features": features}, packed


@pass_eval_context
def compact_json(_ctx, value, indent=None):
    """JSON (or, for a FeatureCollection with lines/polygons, a JS expression) for a ``<script>``: UTF-8 text as is (not ``\\uXXXX``), markup characters kept, only
    what could end the script or open a comment escaped (``</`` -> ``<\\/``, ``<!`` -> ``\\u003c!``).

    Jinja's default ``tojson`` escapes every ``<``, ``>``, ``&``, ``'`` and non-ASCII character as
    six bytes — three times the size of the atlas's Chinese popups on every rerun.
    """
    packed = False
    if isinstance(value, dict) and value.get("type") == "FeatureCollection" and indent is None:
        value, packed = pack_lines(value, MAP.display_precision)  # lines/polygons: ~1/3 of the bytes
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=indent,
                      separators=None if indent else (",", ":"))
    text = text.replace("</", "<\\/").replace("<!", "\\u003c!")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if packed:
        text = _UNPACK_JS.format(depth=json.dumps(_PACKED_DEPTH, separators=(",", ":")), data=text,
                                 scale=f"1e-{MAP.display_precision}")
    return markupsafe.Markup(text)


def use_compact_json() -> None:
    """folium's templates share jinja2's default ("spontaneous") environment: use compact_json there.

    Called by every map builder (folium is imported where a map is built, not by every importer:
    the briefing CLI never loads it); idempotent.
    """
    import folium

    folium.GeoJson._template.environment.filters["tojson"] = compact_json


class PopupStyle(MacroElement):
    """Adds :data:`POPUP_CSS` once to the page from the map script (streamlit-folium runs only that)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            if (document.getElementById("atlas-popup-css")) { return; }
            var css = document.createElement("style");
            css.id = "atlas-popup-css";
            css.textContent = {{ this.css_json }};
            document.head.appendChild(css);
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "PopupStyle"
        self.css_json = json.dumps(POPUP_CSS).replace("<", "\\u003c")


def field_value(props: Mapping, name: str, lang: str = "zh"):
    """A field in the reader's language: ``source_zh``/``notes_zh`` in Chinese when present."""
    if lang == "zh" and name in ZH_FIELDS and not _is_blank(props.get(ZH_FIELDS[name])):
        return props.get(ZH_FIELDS[name])
    return props.get(name)


#: "N more at this point" in popups (here and in layers.remote's browser code).
ALSO_HERE = {"zh": "此处还有 {n} 个要素：", "en": "{n} more at this point:"}
ALSO_SEP = "；"


def popup_html(props: Mapping, lang: str = "zh", also_here: tuple[str, ...] = ()) -> str:
    """Popup markup for one feature (and the names of others at the same point); every value escaped."""
    idx = 1 if lang == "zh" else 2
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    title = f"<b>{_text(props.get(first))}</b><br><i>{_text(props.get(second))}</i>"
    rows = "".join(
        f"<tr><th>{html.escape(field[idx])}</th><td>{_text(_short(_display_value(field[0], field_value(props, field[0], lang), lang)))}</td></tr>"
        for field in POPUP_FIELDS
        if _text(field_value(props, field[0], lang))
    )
    more = ""
    if also_here:
        head = ALSO_HERE[lang if lang in ALSO_HERE else "en"].format(n=len(also_here))
        more = f'<div class="atlas-also"><b>{html.escape(head)}</b> ' + ALSO_SEP.join(_text(n) for n in also_here) + "</div>"
    return f'<div class="atlas-popup">{title}<table>{rows}</table>{more}</div>'


def tooltip_html(props: Mapping, lang: str = "zh") -> str:
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    return f"{_text(props.get(first))} · {_text(props.get(second))}"


def display_frame(gdf: gpd.GeoDataFrame, lang: str = "zh", *, also_here: bool = True) -> gpd.GeoDataFrame:
    """A copy fit for the browser: simplified, rounded, with escaped _popup/_tooltip.

    ``also_here``: popups name the other features at the same point (remote layers list them in
    the browser instead, across layers).
    """
    out = gdf.copy()
    geoms = out.geometry.values
    not_point = ~shapely.is_empty(geoms) & (shapely.get_type_id(geoms) != 0)
    if not_point.any():
        geoms[not_point] = shapely.simplify(geoms[not_point], MAP.display_simplify_deg, preserve_topology=True)
    out["geometry"] = shapely.set_precision(geoms, 10**-MAP.display_precision)
    records = out.drop(columns="geometry").to_dict("records")
    names = out["name_zh" if lang == "zh" else "name_en"].astype(str).tolist() if "name_zh" in out else [""] * len(out)
    here = [(round(g.x, 5), round(g.y, 5)) if g is not None and not g.is_empty and g.geom_type == "Point" else None
            for g in gdf.geometry]
    at: dict = {}
    for i, key in enumerate(here):
        if key is not None:
            at.setdefault(key, []).append(i)
    also = [tuple(names[j] for j in reversed(at[key]) if j != i) if key is not None and also_here else ()
            for i, key in enumerate(here)]
    out["_popup"] = [popup_html(r, lang, a) for r, a in zip(records, also, strict=True)]
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

    use_compact_json()
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
        popup=folium.GeoJsonPopup(fields=["_popup"], labels=False, max_width=380, maxHeight=300,
                                  autoPanPaddingTopLeft=[50, 10], autoPanPaddingBottomRight=[60, 10]),
        tooltip=folium.GeoJsonTooltip(fields=["_tooltip"], labels=False),
        highlight_function=lambda _f: {"weight": 4, "fillOpacity": 0.25},  # a district hovered must not hide the rest
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
