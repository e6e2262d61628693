"""Drawing helpers for the briefing sheet: folium styles → matplotlib, legend, labels.

The map in the app styles features with folium dicts (``color``, ``weight``,
``fillColor``, ``fillOpacity``, ``radius``, ``dashArray``); the sheet reuses the
very same style functions, translated here, so the picture matches the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

#: screen pixels → points on paper (a map at ~1:400 000 reads best a little finer than the screen)
PX_TO_PT = 0.55


@dataclass(frozen=True)
class BriefLayer:
    """One thing to draw on the sheet: a frame in EPSG:4326 and how to draw it.

    ``style`` is a folium style dict or function(feature) -> dict (the app's own).
    ``label_column`` names features on the sheet (placed without collisions).
    ``values`` + ``cmap`` draw an analysis result as a choropleth with a colour bar.
    ``legend`` rows are (kind, colour, label) with kind point|line|dashed|area.
    """

    key: str
    title: str
    frame: gpd.GeoDataFrame
    style: dict | Callable[[dict], dict] = field(default_factory=dict)
    label_column: str | None = None
    values: str | None = None
    cmap: str = "YlOrRd"
    legend: tuple[tuple[str, str, str], ...] = ()


def feature_style(style, props: dict, geom_type: str) -> dict:
    """The folium style of one feature (calling the app's style function if it is one)."""
    if callable(style):
        return style({"properties": props, "geometry": {"type": geom_type}})
    return dict(style)


def dashes(dash_array: str | None) -> tuple | str:
    """A folium ``dashArray`` ("8 5") as a matplotlib linestyle."""
    if not dash_array:
        return "solid"
    parts = [float(p) * PX_TO_PT for p in str(dash_array).replace(",", " ").split() if p]
    return (0, tuple(parts)) if len(parts) >= 2 and all(p > 0 for p in parts) else "solid"


def mpl_style(style: dict) -> dict:
    """Folium style dict → keyword sets for polygons, lines and points."""
    color = style.get("color", "#3388ff")
    opacity = float(style.get("opacity", 1.0))
    fill = style.get("fillColor", color)
    fill_opacity = float(style.get("fillOpacity", 0.2)) if style.get("fill", True) else 0.0
    weight = float(style.get("weight", 3)) * PX_TO_PT
    radius = float(style.get("radius", 6)) * PX_TO_PT
    return {
        "edge": to_rgba(color, opacity),
        "face": to_rgba(fill, fill_opacity),
        "linewidth": weight,
        "linestyle": dashes(style.get("dashArray")),
        "markersize": (2 * radius) ** 2,
    }


def legend_handle(kind: str, colour: str, text: str):
    """A matplotlib legend handle for a (kind, colour, label) row."""
    if kind == "point":
        return Line2D([], [], marker="o", linestyle="none", markersize=7, markerfacecolor=colour,
                      markeredgecolor="#333333", markeredgewidth=0.6, label=text)
    if kind in ("line", "dashed"):
        return Line2D([], [], color=colour, linewidth=2.2, linestyle="--" if kind == "dashed" else "-", label=text)
    return Patch(facecolor=colour, edgecolor="#333333", linewidth=0.6, label=text)


def default_legend(layer: BriefLayer) -> tuple[tuple[str, str, str], ...]:
    """One legend row from the layer's first feature, when the layer brings none."""
    if layer.legend or layer.frame.empty or layer.values:
        return tuple(layer.legend)
    row = layer.frame.iloc[0]
    geom_type = row.geometry.geom_type
    props = {k: v for k, v in row.items() if k != "geometry"}
    style = feature_style(layer.style, props, geom_type)
    if "Point" in geom_type:
        return (("point", style.get("fillColor", style.get("color", "#3388ff")), layer.title),)
    if "Line" in geom_type:
        return (("line", style.get("color", "#3388ff"), layer.title),)
    return (("area", style.get("fillColor", style.get("color", "#3388ff")), layer.title),)


#: Where a label may sit relative to its anchor: (dx, dy) in points, ha, va.
LABEL_SLOTS = (
    ((5, 4), "left", "bottom"), ((5, -4), "left", "top"), ((-5, 4), "right", "bottom"),
    ((-5, -4), "right", "top"), ((0, 7), "center", "bottom"), ((0, -7), "center", "top"),
    ((12, 0), "left", "center"), ((-12, 0), "right", "center"),
)


def marker_boxes(ax, anchors: list[tuple[float, float, str]], radius_pt: float) -> list[Bbox]:
    """Display-space boxes around the anchors' markers (labels keep off them)."""
    r = radius_pt * ax.figure.dpi / 72
    boxes = []
    for x, y, _ in anchors:
        px, py = ax.transData.transform((x, y))
        boxes.append(Bbox.from_extents(px - r, py - r, px + r, py + r))
    return boxes


def place_labels(ax, anchors: list[tuple[float, float, str]], *, fontsize: float, fontfamily: str,
                 obstacles: list[Bbox] = (), max_labels: int = 40, marker_pt: float = 4.0) -> list:
    """Greedy label placement: each label takes the first slot that collides with nothing.

    ``anchors`` are (x, y, text) in data coordinates, most important first. Labels
    keep off each other, off ``obstacles`` and off every anchor's marker (a box of
    ``marker_pt`` points around it). A label with no free slot (or outside the map)
    is left out. Returns the placed Text objects.
    """
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = list(obstacles) + (marker_boxes(ax, anchors, marker_pt) if marker_pt else [])
    placed = []
    for x, y, text in anchors[:max_labels]:
        for offset, ha, va in LABEL_SLOTS:
            label = ax.annotate(text, (x, y), xytext=offset, textcoords="offset points", ha=ha, va=va,
                                fontsize=fontsize, fontfamily=fontfamily, color="#1a1a1a", zorder=30,
                                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
            box = label.get_window_extent(renderer).expanded(1.04, 1.1)
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                placed.append(label)
                break
            label.remove()
    return placed
