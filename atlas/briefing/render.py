"""Print-quality briefing sheets (PNG / PDF) of the corridor, rendered with matplotlib.

Offline and deterministic: the base is the committed districts, city outline, Jiaozhou
Bay and bay clusters (no tiles). By default the map shows the corridor (the three bay
clusters and a margin) with a locator of the whole municipality; ``focus`` or ``bbox``
narrows it. The sheet has a bold title, legend, scale bar (true metres in EPSG:4549),
north arrow, labels placed by :mod:`atlas.brieflabels`, the data date and a source line
written for the reader in the sheet's language. Same inputs, same pixels.
"""

from __future__ import annotations

import dataclasses
import io
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.geometry import box

from analysis.tiers import n_unlocated
from atlas import fonts
from atlas.briefing import basemap as briefbase
from atlas.briefing import labels as brieflabels
from atlas.briefing.basemap import Base, load_base
from atlas.briefing.draw import Markers, approx_threshold_m, approximate, draw_layer, draw_lines, draw_polygons
from atlas.briefing.style import BriefLayer, default_legend, feature_style, legend_handle
from core.i18n import label, t
from core.settings import BRIEFING, DATA

__all__ = ["FORMATS", "PRESETS", "Base", "attribution", "build_sheet", "load_base", "render_briefing", "sheet_pixels"]

PRESETS: dict[str, tuple[float, float]] = {name: (w, h) for name, w, h in BRIEFING.presets}
FORMATS = ("png", "pdf")
LAND, SEA, NEIGHBOUR = "#ffffff", "#d4e6f4", "#e6e2da"
SUBJECT = "#1b7837"
#: matplotlib's rcParams are process-wide: one render at a time (app sessions run in threads)
_RENDER_LOCK = threading.Lock()


def sheet_pixels(preset: str, dpi: int) -> tuple[int, int]:
    """Pixel size of a preset at ``dpi`` (A4 landscape at 300 dpi → 3508 × 2480)."""
    w_in, h_in = _preset(preset)
    return round(w_in * dpi), round(h_in * dpi)


def _preset(preset: str) -> tuple[float, float]:
    if preset not in PRESETS:
        msg = f"Unknown preset {preset!r}; choose one of: {', '.join(PRESETS)}"
        raise ValueError(msg)
    return PRESETS[preset]


def render_briefing(layers: list[BriefLayer], *, title: str, subtitle: str = "", data_date: str = DATA.data_date,
                    preset: str = BRIEFING.preset, fmt: str = "png", dpi: int = BRIEFING.dpi,
                    bbox: tuple[float, float, float, float] | None = None, focus: str = "corridor",
                    lang: str = "zh", base: Base | None = None, sources: str | None = None) -> bytes:
    """The briefing sheet as PNG or PDF bytes.

    ``layers`` are drawn in order over the base map. The area shown is ``bbox``
    (lon_min, lat_min, lon_max, lat_max, WGS84) if given, else ``focus`` (see
    :func:`atlas.briefing.basemap.focus_choices`; default the corridor). ``sources`` overrides
    the attribution line.
    """
    if fmt not in FORMATS:
        msg = f"Unknown briefing format {fmt!r}; choose png or pdf"
        raise ValueError(msg)
    if not 50 <= dpi <= 600:
        msg = f"dpi must be between 50 and 600, got {dpi}"
        raise ValueError(msg)
    with build_sheet(layers, title=title, subtitle=subtitle, data_date=data_date, preset=preset, dpi=dpi, bbox=bbox,
                     focus=focus, lang=lang, base=base, sources=sources) as fig:
        return _save(fig, fmt, dpi)


@contextmanager
def build_sheet(layers: list[BriefLayer], *, title: str, subtitle: str = "", data_date: str = DATA.data_date,
                preset: str = BRIEFING.preset, dpi: int = BRIEFING.dpi,
                bbox: tuple[float, float, float, float] | None = None, focus: str = "corridor", lang: str = "zh",
                base: Base | None = None, sources: str | None = None) -> Iterator[Figure]:
    """The composed sheet as a matplotlib Figure (for saving, or for tests that look at the artists).

    Artists carry gids: ``map`` (axes), ``title``, ``feature-label`` (with ``.anchor_xy``),
    ``area-label``, ``cluster-label``, ``markers``, ``leader``.
    """
    family = fonts.cjk_family()
    w_px, h_px = sheet_pixels(preset, dpi)
    base = base or load_base()
    bbox = bbox or briefbase.focus_bbox(focus, base)
    with _RENDER_LOCK, matplotlib.rc_context(_rc(family)):
        fig = Figure(figsize=(w_px / dpi, h_px / dpi), dpi=dpi)
        FigureCanvasAgg(fig)
        try:
            _draw_sheet(fig, layers, base, title=title, subtitle=subtitle, data_date=data_date, bbox=bbox,
                        lang=lang, family=family, sources=sources, min_pt=min_font_pt(preset))
            yield fig
        finally:
            fig.clear()


def min_font_pt(preset: str) -> float:
    """The smallest type on a sheet of ``preset`` (labels, legend): larger on a projected slide."""
    return dict(BRIEFING.min_font_pt).get(preset, BRIEFING.min_font_pt_default)


def _rc(family: str) -> dict:
    # fonttype 3: glyph outlines + ToUnicode; type 42 of Noto's CFF-in-TTC makes Poppler warn
    # "Mismatch between font type and embedded font file"
    return {"font.family": [family, "DejaVu Sans"], "pdf.fonttype": 3, "svg.hashsalt": "atlas",
            "axes.unicode_minus": False, "path.simplify": True}


def _save(fig: Figure, fmt: str, dpi: int) -> bytes:
    buf = io.BytesIO()
    meta = {"Software": None} if fmt == "png" else {"Creator": None, "Producer": None, "CreationDate": None}
    fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
    return buf.getvalue()


def _layout(fig: Figure) -> dict[str, list[float]]:
    """Axes rectangles (figure fractions). Landscape: map + a side panel (locator, legend);
    portrait: the panel under the map. The map takes all the rest of the page."""
    w, h = fig.get_size_inches()
    top, foot, pad = 1 - 1.0 / h, 0.55 / h, 0.3
    if w >= h:
        panel = 4.0 if w / h > 1.6 else 2.75  # a slide's larger type needs a wider legend (two columns)
        mx0, mx1 = pad / w, 1 - (panel + 0.45) / w
        px0 = 1 - (panel + 0.2) / w
        loc_h = min(2.0 if w / h <= 1.6 else 1.6, (top - foot) * h * 0.3)
        return {"map": [mx0, foot, mx1 - mx0, top - foot],
                "locator": [px0, top - loc_h / h, panel / w, loc_h / h],
                "legend": [px0, foot, panel / w, top - foot - (loc_h + 0.35) / h]}
    panel = 2.6
    return {"map": [pad / w, foot + panel / h, 1 - 2 * pad / w, top - foot - panel / h],
            "locator": [pad / w, foot + 0.05 / h, 2.2 / w, (panel - 0.35) / h],
            "legend": [(pad + 2.5) / w, foot, 1 - (2 * pad + 2.5) / w, (panel - 0.3) / h]}


def _draw_sheet(fig: Figure, layers: list[BriefLayer], base: Base, *, title, subtitle, data_date, bbox, lang,
                family, sources, min_pt: float = BRIEFING.min_font_pt_default) -> None:
    boxes = _layout(fig)
    ax = fig.add_axes(boxes["map"])
    ax.set_gid("map")
    extent = _frame_map(ax, bbox)
    has_neighbour = _draw_base(ax, base, extent)
    ax.water = water_of(base, extent)  # what labels must not cross (tests read it from the axes)
    subject = _draw_subject(ax, base)
    markers = Markers.empty()
    threshold = approx_threshold_m(ax)
    for i, layer in enumerate(layers):
        if layer.values:
            _choropleth(ax, layer, fig, boxes["legend"])
        elif layer.key != "clusters":
            markers = markers.extend(draw_layer(ax, layer, zorder=10 + i, threshold_m=threshold))
    _decorate(ax)
    _labels(ax, layers, base, subject, markers, lang, family, fontsize=min_pt)
    _locator(fig.add_axes(boxes["locator"]), base, extent, lang)
    ax_legend = fig.add_axes(boxes["legend"])
    ax_legend.set_axis_off()
    shown = [_on_map(x, extent) for x in layers]
    approx = any(approximate(x.frame, threshold).any() for x in shown if not x.values and x.key != "clusters")
    _legend(ax_legend, shown, lang, approx=threshold if approx else None, neighbour=has_neighbour,
            subject=not subject.empty and subject.intersects(extent).any(), min_pt=min_pt)
    _titles(fig, title, subtitle, data_date, lang)
    _footer(fig, sources or attribution(layers, lang, data_date))


def water_of(base: Base, extent) -> shapely.Geometry:
    """Sea and bay inside the map (EPSG:4549): neither Qingdao's land nor the neighbouring land, plus the bay."""
    land = base.city.to_crs(BRIEFING.crs).geometry.union_all()
    neighbour = briefbase.neighbour_land(base.city, extent.buffer(extent.length))
    sea = extent.difference(land).difference(neighbour)
    return shapely.union(sea, base.bay.to_crs(BRIEFING.crs).geometry.union_all().intersection(extent))


def _on_map(layer: BriefLayer, extent) -> BriefLayer:
    """The layer with only the features the map shows (a focused sheet lists only what it shows)."""
    if layer.frame.empty:
        return layer
    frame = layer.frame
    inside = frame.to_crs(BRIEFING.crs).intersects(extent).to_numpy()
    if inside.all():
        return layer
    return dataclasses.replace(layer, frame=frame[inside])


def _fill_axes(ax, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """Show the box in the axes, widened on its short side to the axes' aspect (square metres), over
    the sea colour, without ticks; its centre and the size shown."""
    pos = ax.get_position()
    fw, fh = ax.figure.get_size_inches()
    target = (pos.height * fh) / (pos.width * fw)
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    w, h = (w, w * target) if h / w < target else (h / target, h)
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal", adjustable="box")
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    return cx, cy, w, h


def _frame_map(ax, bbox):
    """Show ``bbox`` in EPSG:4549, widened to the axes' aspect so metres are square; the extent polygon."""
    corners = gpd.GeoSeries.from_xy([bbox[0], bbox[2]], [bbox[1], bbox[3]], crs="EPSG:4326").to_crs(BRIEFING.crs)
    x0, x1 = sorted(corners.x)
    y0, y1 = sorted(corners.y)
    cx, cy, w, h = _fill_axes(ax, x0, y0, x1, y1)
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
        spine.set_color("#555555")
    return box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _draw_base(ax, base: Base, extent) -> bool:
    """Sea (the axes' background), neighbouring land, Qingdao land, district borders; True if neighbours show."""
    crs = BRIEFING.crs
    neighbour = briefbase.neighbour_land(base.city, extent.buffer(extent.length))
    shown = not neighbour.intersection(extent).is_empty
    if shown:
        draw_polygons(ax, [neighbour], face=NEIGHBOUR, edge="none", linewidth=0, zorder=1)
    city = base.city.to_crs(crs).geometry
    draw_polygons(ax, city, face=LAND, edge="#6b7b8c", linewidth=0.6, zorder=2)
    draw_polygons(ax, base.bay.to_crs(crs).geometry, face=SEA, edge="none", linewidth=0, zorder=2.5)
    draw_lines(ax, list(base.districts.to_crs(crs).geometry.boundary), colors="#9a9a9a", linewidths=0.6,
               linestyles=(0, (4, 2.5)), zorder=3)
    return shown


def _draw_subject(ax, base: Base) -> gpd.GeoDataFrame:
    """The three bay clusters and the corridor line, drawn as the map's subject (beneath the features)."""
    if base.clusters is None or base.clusters.empty:
        return gpd.GeoDataFrame(geometry=[], crs=BRIEFING.crs)
    frame = base.clusters.to_crs(BRIEFING.crs)
    areas = frame[frame.geometry.geom_type.str.contains("Polygon")]
    draw_polygons(ax, areas.geometry, face=(0.65, 0.86, 0.63, 0.38), edge=SUBJECT, linewidth=1.6, zorder=4)
    lines = frame[frame.geometry.geom_type.str.contains("Line")]
    draw_lines(ax, list(lines.geometry), colors=(0.11, 0.47, 0.22, 0.45), linewidths=5.0, linestyles="solid",
               zorder=4.5)
    return areas


def _choropleth(ax, layer: BriefLayer, fig: Figure, legend_box) -> None:
    frame = layer.frame.to_crs(BRIEFING.crs)
    values = frame[layer.values].astype(float).to_numpy()
    coll = draw_polygons(ax, frame.geometry, face="none", edge="none", linewidth=0, zorder=8)
    coll.set_array(values)
    coll.set_cmap(layer.cmap)
    coll.set_alpha(0.75)
    coll.set_clim(np.nanmin(values), np.nanmax(values))
    x, y, w, h = legend_box
    cax = fig.add_axes([x + 0.01, y + 0.02, w * 0.8, 0.018])
    bar = fig.colorbar(coll, cax=cax, orientation="horizontal")
    bar.set_label(layer.title, fontsize=8)
    bar.ax.tick_params(labelsize=7)


def _decorate(ax) -> None:
    ax.add_artist(ScaleBar(1, "m", location="lower right", length_fraction=0.2, box_alpha=0.85,
                           font_properties={"size": 8}, border_pad=0.8))
    ax.annotate("N", xy=(0.96, 0.965), xytext=(0.96, 0.885), xycoords="axes fraction", ha="center", va="center",
                fontsize=12, fontweight="bold", zorder=40,
                arrowprops={"arrowstyle": "-|>,head_width=0.5,head_length=0.9", "color": "#222222", "lw": 1.5})


def _labels(ax, layers: list[BriefLayer], base: Base, subject, markers: Markers, lang: str, family: str, *,
            fontsize: float = BRIEFING.min_font_pt_default) -> None:
    """Cluster names, district names (free-most spots), then feature labels (adjustText).

    Area names keep off the markers and off the room feature labels need next to their
    features (the label's size to the right of the feature, ``ROOM_MM`` around it), so they do not take it.
    """
    anchors = _anchors(layers, lang)
    room = brieflabels.label_room(ax, anchors, fontsize=fontsize, fontfamily=family, pad_mm=ROOM_MM)
    obstacles = np.vstack([brieflabels.marker_boxes(ax, markers), room])
    static = []
    renderer = ax.figure.canvas.get_renderer()
    name = "name_zh" if lang == "zh" else "name_en"
    areas = [(geom, label(str(c), lang, "cluster"), {"fontsize": fontsize + 4, "fontweight": "bold",
                                                     "color": SUBJECT, "zorder": 33, "gid": "cluster-label"})
             for geom, c in zip(subject.geometry, subject.get("cluster", ()), strict=False)]
    dist = base.districts.to_crs(BRIEFING.crs)
    areas += [(geom, str(text), {"fontsize": fontsize + 1.5, "color": "#5a5a5a", "zorder": 32, "gid": "area-label"})
              for geom, text in zip(dist.geometry, dist[name], strict=True)]
    for geom, text, style in areas:
        blocked = np.vstack([obstacles, *(s.reshape(1, 4) for s in static)])
        t_ = brieflabels.area_label(ax, geom, text, blocked, fontfamily=family, **style)
        if t_ is not None:
            static.append(brieflabels.text_box(t_, renderer))
    brieflabels.place_feature_labels(ax, anchors, markers, static, fontsize=fontsize, fontfamily=family,
                                     water=getattr(ax, "water", None))


ROOM_MM = 1.5


def _anchors(layers: list[BriefLayer], lang: str) -> list:
    """Where each labelled feature is (EPSG:4549), its label text and rank."""
    anchors = []
    for layer in layers:
        if not layer.label_column or layer.frame.empty:
            continue
        frame = layer.frame.to_crs(BRIEFING.crs)
        for (_, row), geom in zip(frame.iterrows(), frame.geometry, strict=True):
            rank = layer.label_rank(row)
            text = str(row.get(layer.label_column) or "").strip()
            if rank is None or not text or geom is None or geom.is_empty:
                continue
            p = geom if geom.geom_type == "Point" else geom.representative_point()
            anchors.append(brieflabels.Anchor(p.x, p.y, _short(text), rank))
    return anchors


def _short(text: str) -> str:
    """Drop a trailing parenthesised aside (the campus, the former name) from a label; long
    Latin-script names go on two balanced lines (they need less room beside the feature)."""
    for open_, close in (("(", ")"), ("(", ")")):
        if text.endswith(close) and open_ in text and text.index(open_) > 1:
            text = text[: text.rindex(open_)].strip()
            break
    if len(text) > 24 and " " in text:
        spaces = [i for i, ch in enumerate(text) if ch == " "]
        cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
        text = text[:cut] + "\n" + text[cut + 1:]
    return text


def _locator(ax, base: Base, extent, lang: str) -> None:
    """The whole municipality, its districts and a red box where the main map is."""
    crs = BRIEFING.crs
    city = base.city.to_crs(crs)
    x0, y0, x1, y1 = city.total_bounds
    pad = 0.06 * max(x1 - x0, y1 - y0)
    cx, cy, w, h = _fill_axes(ax, x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    around = box(cx - w, cy - h, cx + w, cy + h)
    draw_polygons(ax, [briefbase.neighbour_land(base.city, around)], face=NEIGHBOUR, edge="none", linewidth=0)
    draw_polygons(ax, city.geometry, face=LAND, edge="#6b7b8c", linewidth=0.4, zorder=2)
    draw_lines(ax, list(base.districts.to_crs(crs).geometry.boundary), colors="#b0b0b0", linewidths=0.3,
               linestyles="solid", zorder=3)
    ex0, ey0, ex1, ey1 = extent.bounds
    ax.add_patch(Rectangle((ex0, ey0), ex1 - ex0, ey1 - ey0, fill=False, edgecolor="#c0392b", linewidth=1.2, zorder=5))
    ax.set_title(t("b_locator", lang), fontsize=8, color="#444444", pad=3)


def _shown_rows(layer: BriefLayer) -> tuple:
    """The layer's legend rows for what it draws on this map: rows whose colour no shown feature has
    are left out, and so is the layer's own "approximate" row (the sheet has one rule for that)."""
    if layer.frame.empty:
        return ()
    rows = [r for r in default_legend(layer) if r[0] != "approx"]
    colours = set()
    for (_, row), geom in zip(layer.frame.iterrows(), layer.frame.geometry, strict=True):
        props = {k: v for k, v in row.items() if k != "geometry"}
        style = feature_style(layer.style, props, geom.geom_type if geom is not None else "Point")
        colours |= {str(style.get(k, "")).lower() for k in ("color", "fillColor")}
    kept = [r for r in rows if str(r[1]).lower() in colours]
    return tuple(kept or rows)


def _legend(ax, layers: list[BriefLayer], lang: str, *, approx: float | None, neighbour: bool,
            subject: bool = True, min_pt: float = BRIEFING.min_font_pt_default) -> None:
    rows = [("area", "#a6dba0", label("clusters", lang))] if subject else []
    for layer in layers:  # the sheet shows one row for all metro lines
        if layer.frame.empty:
            continue
        rows += [("line", "#0056B8", t("b_metro", lang))] if layer.key == "metro_lines" else _shown_rows(layer)
    base_rows = [("area", SEA, t("b_sea", lang)), ("area", LAND, t("b_land", lang))]
    if neighbour:
        osm = briefbase.coast_land() is not None
        base_rows.append(("area", NEIGHBOUR, t("b_neighbour_osm" if osm else "b_neighbour", lang)))
    base_rows.append(("dashed", "#9a9a9a", t("b_district_border", lang)))
    seen, handles = set(), []
    for kind, colour, text in rows + base_rows:
        if (kind, colour, text) not in seen:
            seen.add((kind, colour, text))
            handles.append(legend_handle(kind, colour, text))
    if approx is not None:  # the threshold in round metres (the sheet's scale decides it)
        handles.append(legend_handle("approx", "#0072B2", t("b_approx", lang, m=f"{round(approx, -1):,.0f}")))
    height_pt = ax.get_position().height * ax.figure.get_size_inches()[1] * 72
    width_in = ax.get_position().width * ax.figure.get_size_inches()[0]
    ncol = 3 if ax.get_position().width >= 0.5 else (2 if width_in > 3.5 else 1)
    rows_per_col = -(-len(handles) // ncol) + 1.5  # + the title
    size = max(min_pt, min(max(7.2, min_pt), height_pt / rows_per_col / 1.75))  # never below the preset's minimum
    for handle in handles:  # a row wider than its column goes on two lines (never cut off at the page edge)
        handle.set_label(_wrap(handle.get_label(), (width_in / ncol - 0.5) * 72, size))
    ax.legend(handles=handles, loc="upper left", title=t("b_legend", lang), fontsize=size, title_fontsize=size + 1.5,
              frameon=False, ncol=ncol, borderaxespad=0, labelspacing=0.4, handlelength=1.8,
              alignment="left")


def _wrap(text: str, width_pt: float, size: float) -> str:
    """``text`` on as many lines as it needs to fit ``width_pt`` at ``size`` points (CJK glyphs ~1 em wide)."""
    cjk = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    chars = max(6, int(width_pt / (size * (1.0 if cjk else 0.55))))
    if len(text) <= chars:
        return text
    if not cjk:
        return "\n".join(textwrap.wrap(text, width=chars))
    lines = [text[i:i + chars] for i in range(0, len(text), chars)]
    if len(lines) > 1 and len(lines[-1]) <= 2:  # never a lone closing bracket on its own line
        lines[-2:] = [lines[-2] + lines[-1]]
    return "\n".join(lines)


def _titles(fig: Figure, title: str, subtitle: str, data_date: str, lang: str) -> None:
    w, h = fig.get_size_inches()
    fig.text(0.3 / w, 1 - 0.28 / h, title, fontsize=20, fontweight="bold", va="top", color="#111111", gid="title", parse_math=False)  # "$5亿" is text
    if subtitle:
        fig.text(0.3 / w, 1 - 0.7 / h, subtitle, fontsize=11, color="#444444", va="top", parse_math=False)
    fig.text(1 - 0.3 / w, 1 - 0.34 / h, t("b_data_date", lang, date=data_date), fontsize=10,
             ha="right", va="top", color="#444444")


def _footer(fig: Figure, text: str) -> None:
    w, h = fig.get_size_inches()
    width = int(w * 11) if any("\u4e00" <= ch <= "\u9fff" for ch in text) else int(w * 19)
    wrapped = "\n".join(textwrap.wrap(text, width=width))
    fig.text(0.3 / w, 0.1 / h, wrapped, fontsize=6.8, color="#555555", va="bottom", linespacing=1.35)


def shows_osm(layers: list[BriefLayer]) -> bool:
    """True when any drawn feature's position comes from OpenStreetMap (source or licence says so)."""
    for layer in layers:
        for column in ("source", "licence", "source_ref"):
            if column in layer.frame and layer.frame[column].astype(str).str.contains(
                    "OpenStreetMap|\\bOSM\\b|ODbL", case=False, regex=True).any():
                return True
    return False


def attribution(layers: list[BriefLayer], lang: str, data_date: str) -> str:
    """The reader's source line, in the sheet's language (© OpenStreetMap contributors where OSM data shows)."""
    plan = f"《{DATA.plan_title_zh}》(2021)" if lang == "zh" else DATA.plan_title_en
    positions = t("b_pos_osm" if shows_osm(layers) else "b_pos_plain", lang)
    text = t("b_sources", lang, plan=plan, positions=positions, date=data_date)
    if briefbase.coast_land() is not None:  # the neighbouring land drawn from OpenStreetMap's coastline
        text += " " + t("b_coast_osm", lang)
    analyses = [layer.title for layer in layers if layer.values]
    if analyses:
        text += " " + t("b_analysis", lang, names=("、" if lang == "zh" else ", ").join(analyses))
    unlocated = sum(n_unlocated(layer.frame) for layer in layers)  # issue 21: not drawn, said so
    if unlocated:
        text += " " + t("t21_not_located_footnote", lang, n=unlocated)
    return text
