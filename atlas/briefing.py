"""Print-quality briefing sheets (PNG / PDF) of a map view, rendered with matplotlib.

Offline and deterministic: the base is the district boundaries, the city outline
and Jiaozhou Bay from the committed layers (no tiles); the sheet has a title,
subtitle, legend, scale bar (true metres in EPSG:4549), north arrow, district
and feature labels that do not collide, the data date and a source line. The
same inputs give the same pixels: fixed sizes, no clock, no random state.
"""

from __future__ import annotations

import io
import textwrap
import threading
from dataclasses import dataclass

import geopandas as gpd
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib_scalebar.scalebar import ScaleBar

from atlas import fonts
from atlas.briefstyle import BriefLayer, default_legend, feature_style, legend_handle, mpl_style, place_labels
from atlas.settings import BRIEFING, DATA
from layers import coast, districts

PRESETS: dict[str, tuple[float, float]] = {name: (w, h) for name, w, h in BRIEFING.presets}
FORMATS = ("png", "pdf")
LAND, WATER, OUTSIDE = "#ffffff", "#cfe3f3", "#eef0f2"
#: matplotlib's rcParams are process-wide: one render at a time (app sessions run in threads)
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class Base:
    """The base map frames (EPSG:4326): districts, city outline, bay water."""

    districts: gpd.GeoDataFrame
    city: gpd.GeoDataFrame
    bay: gpd.GeoDataFrame


def load_base() -> Base:
    return Base(districts.display_frame(), coast.load_city(), coast.load_bay())


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
                    bbox: tuple[float, float, float, float] | None = None, lang: str = "zh",
                    base: Base | None = None, sources: str | None = None) -> bytes:
    """The briefing sheet as PNG or PDF bytes.

    ``layers`` are drawn in order over the base map; ``bbox`` (lon_min, lat_min,
    lon_max, lat_max, WGS84) is the area to show (default: the whole corridor).
    ``sources`` overrides the attribution line (default: built from the layers).
    """
    if fmt not in FORMATS:
        msg = f"Unknown briefing format {fmt!r}; choose png or pdf"
        raise ValueError(msg)
    if not 50 <= dpi <= 600:
        msg = f"dpi must be between 50 and 600, got {dpi}"
        raise ValueError(msg)
    family = fonts.cjk_family()
    w_px, h_px = sheet_pixels(preset, dpi)
    with _RENDER_LOCK, matplotlib.rc_context(_rc(family)):
        fig = Figure(figsize=(w_px / dpi, h_px / dpi), dpi=dpi)
        FigureCanvasAgg(fig)
        try:
            _draw_sheet(fig, layers, base or load_base(), title=title, subtitle=subtitle, data_date=data_date,
                        bbox=bbox or BRIEFING.bbox, lang=lang, family=family, sources=sources)
            return _save(fig, fmt, dpi)
        finally:
            fig.clear()


def _rc(family: str) -> dict:
    return {"font.family": [family, "DejaVu Sans"], "pdf.fonttype": 42, "svg.hashsalt": "atlas",
            "axes.unicode_minus": False, "path.simplify": True}


def _save(fig: Figure, fmt: str, dpi: int) -> bytes:
    buf = io.BytesIO()
    meta = {"Software": None} if fmt == "png" else {"Creator": None, "Producer": None, "CreationDate": None}
    fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
    return buf.getvalue()


def _layout(fig: Figure) -> dict[str, list[float]]:
    """Axes rectangles (figure fractions): map, legend panel; portrait stacks them."""
    w, h = fig.get_size_inches()
    top = 1 - 1.15 / h
    foot = 0.62 / h
    if w >= h:
        return {"map": [0.03, foot, 0.72, top - foot], "legend": [0.77, foot, 0.21, top - foot]}
    legend_h = 2.3 / h
    return {"map": [0.04, foot + legend_h, 0.92, top - foot - legend_h], "legend": [0.04, foot, 0.92, legend_h - 0.01]}


def _draw_sheet(fig: Figure, layers: list[BriefLayer], base: Base, *, title, subtitle, data_date, bbox, lang,
                family, sources) -> None:
    boxes = _layout(fig)
    ax = fig.add_axes(boxes["map"])
    ax_legend = fig.add_axes(boxes["legend"])
    ax_legend.set_axis_off()
    _frame_map(ax, bbox)
    _draw_base(ax, base, lang)
    for layer in layers:
        _draw_layer(ax, layer, fig, boxes["legend"])
    _decorate(ax)
    ax.set_xlabel("")
    ax.set_ylabel("")
    _labels(ax, layers, base, lang, family)
    _legend(ax_legend, layers, lang)
    _titles(fig, title, subtitle, data_date, lang)
    _footer(fig, sources or attribution(layers, lang, data_date))


def _frame_map(ax, bbox) -> None:
    """Show ``bbox`` in EPSG:4549, widened to the axes' aspect so metres are square."""
    corners = gpd.GeoSeries.from_xy([bbox[0], bbox[2]], [bbox[1], bbox[3]], crs="EPSG:4326").to_crs(BRIEFING.crs)
    x0, x1 = sorted(corners.x)
    y0, y1 = sorted(corners.y)
    pos = ax.get_position()
    fw, fh = ax.figure.get_size_inches()
    target = (pos.height * fh) / (pos.width * fw)
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    w, h = (w, w * target) if h / w < target else (h / target, h)
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal", adjustable="box")
    ax.set_facecolor(OUTSIDE)
    ax.set_xticks([])
    ax.set_yticks([])


def _draw_base(ax, base: Base, lang: str) -> None:
    crs = BRIEFING.crs
    base.city.to_crs(crs).plot(ax=ax, facecolor=LAND, edgecolor="#6b7b8c", linewidth=0.8, zorder=1)
    base.bay.to_crs(crs).plot(ax=ax, facecolor=WATER, edgecolor="none", zorder=2)
    base.districts.to_crs(crs).boundary.plot(ax=ax, color="#8a8a8a", linewidth=0.5, linestyle=(0, (4, 3)), zorder=3)


def _draw_layer(ax, layer: BriefLayer, fig: Figure, legend_box) -> None:
    if layer.frame.empty:
        return
    frame = layer.frame.to_crs(BRIEFING.crs)
    if layer.values:
        _choropleth(ax, frame, layer, fig, legend_box)
        return
    z = 10
    for geom_type, part in frame.groupby(frame.geometry.geom_type, sort=True):
        for props, geom in zip(part.drop(columns="geometry").to_dict("records"), part.geometry, strict=True):
            st = mpl_style(feature_style(layer.style, props, geom_type))
            one = gpd.GeoSeries([geom], crs=BRIEFING.crs)
            if "Point" in geom_type:
                ax.scatter([geom.x], [geom.y], s=st["markersize"], c=[st["face"]], edgecolors=[st["edge"]],
                           linewidths=max(st["linewidth"] * 0.6, 0.4), zorder=z + 4)
            elif "Line" in geom_type:
                one.plot(ax=ax, color=st["edge"], linewidth=st["linewidth"], linestyle=st["linestyle"], zorder=z + 2)
            else:
                one.plot(ax=ax, facecolor=st["face"], edgecolor=st["edge"], linewidth=st["linewidth"],
                         linestyle=st["linestyle"], zorder=z)


def _choropleth(ax, frame, layer: BriefLayer, fig: Figure, legend_box) -> None:
    frame.plot(ax=ax, column=layer.values, cmap=layer.cmap, alpha=0.75, edgecolor="none", zorder=8)
    mappable = ax.collections[-1]
    x, y, w, h = legend_box
    cax = fig.add_axes([x + 0.01, y + 0.02, w * 0.6, 0.018])
    bar = fig.colorbar(mappable, cax=cax, orientation="horizontal")
    bar.set_label(layer.title, fontsize=8)
    bar.ax.tick_params(labelsize=7)


def _decorate(ax) -> None:
    ax.add_artist(ScaleBar(1, "m", location="lower left", length_fraction=0.22, box_alpha=0.8,
                           font_properties={"size": 8}, border_pad=0.8))
    ax.annotate("N", xy=(0.955, 0.96), xytext=(0.955, 0.87), xycoords="axes fraction", ha="center", va="center",
                fontsize=12, fontweight="bold", zorder=40,
                arrowprops={"arrowstyle": "-|>,head_width=0.5,head_length=0.9", "color": "#222222", "lw": 1.5})


def _labels(ax, layers: list[BriefLayer], base: Base, lang: str, family: str) -> None:
    name = "name_zh" if lang == "zh" else "name_en"
    anchors = []
    for layer in layers:
        if not layer.label_column or layer.frame.empty:
            continue
        frame = layer.frame.to_crs(BRIEFING.crs)
        for geom, text in zip(frame.geometry, frame[layer.label_column], strict=True):
            if geom is not None and not geom.is_empty and str(text).strip():
                p = geom if geom.geom_type == "Point" else geom.representative_point()
                anchors.append((p.x, p.y, str(text)))
    placed = place_labels(ax, anchors, fontsize=7.5, fontfamily=family, max_labels=BRIEFING.max_labels)
    renderer = ax.figure.canvas.get_renderer()
    obstacles = [t.get_window_extent(renderer) for t in placed]
    dist = base.districts.to_crs(BRIEFING.crs)
    points = dist.geometry.representative_point()
    district_anchors = [(p.x, p.y, str(t)) for p, t in zip(points, dist[name], strict=True)]
    for t in place_labels(ax, district_anchors, fontsize=7, fontfamily=family, obstacles=obstacles, marker_pt=0):
        t.set_color("#707070")
        t.get_bbox_patch().set_alpha(0.0)


def _legend(ax, layers: list[BriefLayer], lang: str) -> None:
    rows = [row for layer in layers for row in default_legend(layer)]
    base_rows = [("area", WATER, "胶州湾" if lang == "zh" else "Jiaozhou Bay"),
                 ("dashed", "#8a8a8a", "区(市)界" if lang == "zh" else "District boundary")]
    seen, handles = set(), []
    for kind, colour, text in rows + base_rows:
        if (kind, colour, text) not in seen:
            seen.add((kind, colour, text))
            handles.append(legend_handle(kind, colour, text))
    ncol = 1 if ax.get_position().width < 0.5 else 3
    ax.legend(handles=handles, loc="upper left", title="图例" if lang == "zh" else "Legend", fontsize=7.5,
              title_fontsize=9, frameon=False, ncol=ncol, borderaxespad=0)


def _titles(fig: Figure, title: str, subtitle: str, data_date: str, lang: str) -> None:
    h = fig.get_size_inches()[1]
    fig.text(0.03, 1 - 0.35 / h, title, fontsize=20, fontweight="bold", va="top", parse_math=False)  # "$5亿" is text
    if subtitle:
        fig.text(0.03, 1 - 0.8 / h, subtitle, fontsize=11, color="#444444", va="top", parse_math=False)
    fig.text(0.97, 1 - 0.4 / h, ("数据日期 " if lang == "zh" else "Data date ") + data_date, fontsize=10,
             ha="right", va="top", color="#444444")


def _footer(fig: Figure, text: str) -> None:
    w, h = fig.get_size_inches()
    wrapped = "\n".join(textwrap.wrap(text, width=int(w * 17)))
    fig.text(0.03, 0.12 / h, wrapped, fontsize=6.5, color="#555555", va="bottom", linespacing=1.3)


def attribution(layers: list[BriefLayer], lang: str, data_date: str) -> str:
    """The source line: plan, boundary source, how many location sources and how precise."""
    frames = [layer.frame for layer in layers if not layer.frame.empty and "source" in layer.frame]
    analyses = [layer.title for layer in layers if layer.values]
    n_features = sum(len(f) for f in frames)
    sources = {s for f in frames for s in f["source"].dropna().astype(str)}
    precision = {}
    for f in frames:
        if "geom_precision" in f:
            for value, n in f["geom_precision"].value_counts().items():
                precision[value] = precision.get(value, 0) + int(n)
    prec = ", ".join(f"{k} {v}" for k, v in sorted(precision.items()))
    if lang == "zh":
        return (f"规划:{DATA.plan_title_zh}。边界:{districts.LAYER.source}。位置:{n_features} 个要素,"
                f"{len(sources)} 个来源(逐要素来源见数据导出 python -m atlas export)"
                + (f";几何精度 {prec}" if prec else "") + (f"。分析:{'、'.join(analyses)}" if analyses else "")
                + f"。数据日期 {data_date}。坐标系 CGCS2000 / 3° 高斯-克吕格 "
                "120°E (EPSG:4549);离线渲染,无底图瓦片。")
    return (f"Plan: {DATA.plan_title_en}. Boundaries: {districts.LAYER.source}. Locations: {n_features} features "
            f"from {len(sources)} sources (per-feature sources in the data export, python -m atlas export)"
            + (f"; geometry precision {prec}" if prec else "")
            + (f". Analysis: {', '.join(analyses)}" if analyses else "")
            + f". Data date {data_date}. CRS CGCS2000 / "
            "3-degree Gauss-Kruger CM 120E (EPSG:4549); rendered offline, no basemap tiles.")
