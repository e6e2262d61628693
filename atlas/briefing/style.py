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

#: screen pixels → points on paper (a map at ~1:400 000 reads best a little finer than the screen)
PX_TO_PT = 0.55


@dataclass(frozen=True)
class BriefLayer:
    """One thing to draw on the sheet: a frame in EPSG:4326 and how to draw it.

    ``style`` is a folium style dict or function(feature) -> dict (the app's own).
    ``label_column`` names features on the sheet (placed without collisions).
    ``values`` + ``cmap`` draw an analysis result as a choropleth with a colour bar.
    ``rank`` orders labels by importance (see :mod:`atlas.brieflabels`).
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
    #: label importance (lower first) for every feature, or a function(row) -> rank | None (None: no label)
    rank: int | Callable[[dict], int | None] = 50

    def label_rank(self, row) -> int | None:
        return self.rank(row) if callable(self.rank) else self.rank


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
    if kind == "approx":  # hollow marker with a dashed rim: an approximate position
        return Line2D([], [], marker="o", linestyle="none", markersize=7, markerfacecolor=to_rgba(colour, 0.25),
                      markeredgecolor=colour, markeredgewidth=1.0, label=text)
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
