"""Map styling for density results: classed choropleths (mapclassify), Gi* classes, legends.

Pure (no Streamlit). Each ``*_layer`` returns ``(frame for MapLayer, style, legend items)``;
the frame carries a ``color`` column (kept by layers.render.display_frame) and
escaped-later ``name_zh``/``name_en``/``notes`` describing the values for popups.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import mapclassify
import numpy as np

#: ColorBrewer YlOrRd, 3-7 classes (colour-blind safe sequential).
YLORRD = {
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
    6: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
    7: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
}
#: ColorBrewer Greens, for zone choropleths (kept apart from the red/blue of Gi*).
GREENS = {
    3: ["#e5f5e0", "#a1d99b", "#31a354"],
    4: ["#edf8e9", "#bae4b3", "#74c476", "#238b45"],
    5: ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"],
    6: ["#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c"],
    7: ["#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
}
def _from_matplotlib(name: str) -> dict[int, list[str]]:
    """3-7 classes sampled from a matplotlib colormap (light to dark)."""
    from matplotlib import colormaps, colors

    cmap = colormaps[name]
    return {n: [colors.to_hex(cmap(x)) for x in np.linspace(0.25, 0.9, n)] for n in range(3, 8)}


#: Purples for kernel density: neither the greens of zones nor the red/blue of Gi* hot/cold spots.
PURPLES = _from_matplotlib("Purples")
PALETTES = {"YlOrRd": YLORRD, "Greens": GREENS, "Purples": PURPLES}
#: Gi* classes. Hot and cold are drawn opaque (fill opacity 1), so the colour on the map is the legend's
#: whatever lies below (the green zones made a translucent red look olive); the others are outlines only.
GI_COLORS = {"hot": "#d7301f", "cold": "#2c7bb6", "not significant": "#dddddd"}
GI_OUTLINE = "#888888"
GI_OPAQUE = ("hot", "cold")
SCHEMES = ("FisherJenks", "Quantiles", "EqualInterval", "NaturalBreaks")
ZERO_COLOR = "#f7f7f7"


def classify(values, *, k: int = 5, scheme: str = "FisherJenks") -> tuple[np.ndarray, list[float]]:
    """Class index (0..k-1) of each value and the upper bounds, via mapclassify.

    Fewer distinct values than ``k`` give fewer classes.
    """
    if scheme not in SCHEMES:
        msg = f"Unknown classification scheme {scheme!r}; choose one of {SCHEMES}."
        raise ValueError(msg)
    y = np.asarray(values, dtype=float)
    k = int(max(1, min(k, len(np.unique(y)), max(YLORRD))))
    if k < 3:
        bins = sorted(set(np.unique(y).tolist()))
        return np.searchsorted(bins, y), bins
    if scheme == "FisherJenks" and len(y) > 2000:
        scheme = "FisherJenksSampled"  # the exact algorithm is O(n² k) without numba
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Numba not installed" and tie warnings
        classifier = getattr(mapclassify, scheme)(y, k=k)
    return np.asarray(classifier.yb), [float(b) for b in classifier.bins]


def palette(n: int, name: str = "YlOrRd") -> list[str]:
    colours = PALETTES[name]
    if n <= 2:
        return colours[3][2:3] if n == 1 else [colours[3][0], colours[3][2]]
    return colours[min(n, 7)]


def _fmt(v: float) -> str:
    return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"


def choropleth(frame: gpd.GeoDataFrame, column: str, *, k: int = 5, scheme: str = "FisherJenks",
               label: str = "", zero_as_empty: bool = True, colours: str = "YlOrRd") -> tuple[gpd.GeoDataFrame, list[tuple[str, str, str]]]:
    """``frame`` with a ``color`` per feature and the matching legend items."""
    out = frame.copy()
    values = out[column].to_numpy(dtype=float)
    positive = values > 0 if zero_as_empty else np.ones(len(values), bool)
    colors = np.full(len(values), ZERO_COLOR, dtype=object)
    legend: list[tuple[str, str, str]] = []
    if positive.any():
        yb, bins = classify(values[positive], k=k, scheme=scheme)
        pal = palette(len(bins), colours)
        colors[positive] = [pal[i] for i in yb]
        for i, upper in enumerate(bins):
            text = f"≤ {_fmt(upper)}" if i == 0 else f"{_fmt(bins[i - 1])} – {_fmt(upper)}"
            legend.append(("area", pal[i], f"{text} {label}".strip()))
    if zero_as_empty and (~positive).any():
        legend.insert(0, ("area", ZERO_COLOR, f"0 {label}".strip()))
    out["color"] = colors
    return out, legend


def fill_style(opacity: float = 0.65, stroke: bool = True):
    """Style function reading each feature's ``color``."""

    def style(feature: dict) -> dict:
        color = feature["properties"].get("color", ZERO_COLOR)
        return {"fillColor": color, "color": "#555555" if stroke else color, "weight": 0.6 if stroke else 0,
                "fillOpacity": opacity}

    return style


def gi_layer(hexes: gpd.GeoDataFrame, *, labels: dict[str, str] | None = None):
    """Hexagons coloured by Gi* class; the legend shows exactly what :func:`gi_style` draws
    (an opaque swatch for hot/cold, an empty outlined box for the untested / not significant)."""
    labels = labels or {c: c for c in GI_COLORS}
    out = hexes.copy()
    out["color"] = out["gi_class"].map(GI_COLORS).fillna(GI_COLORS["not significant"])
    legend = [("area", color if c in GI_OPAQUE else "transparent", labels.get(c, c)) for c, color in GI_COLORS.items()]
    return out, legend


def gi_style(feature: dict) -> dict:
    """Hot/cold opaque in their legend colour; anything else an outline (no fill to mix with the zones)."""
    color = feature["properties"].get("color", GI_COLORS["not significant"])
    opaque = color in {GI_COLORS[c] for c in GI_OPAQUE}
    return {"fillColor": color, "color": GI_OUTLINE, "weight": 0.6, "fillOpacity": 1.0 if opaque else 0.0}


def describe(frame: gpd.GeoDataFrame, fields: dict[str, str], *, title_zh: str, title_en: str) -> gpd.GeoDataFrame:
    """Set name_zh/name_en/notes so the standard (escaped) popup shows the values."""
    out = frame.copy()
    out["name_zh"] = title_zh if "name_zh" not in frame else frame["name_zh"].fillna(title_zh)
    out["name_en"] = title_en if "name_en" not in frame else frame["name_en"].fillna(title_en)
    parts = [out[col].map(lambda v, n=name: f"{n}: {_fmt(v) if isinstance(v, int | float) else v}")
             for col, name in fields.items() if col in out]
    out["notes"] = [" · ".join(p) for p in zip(*parts, strict=True)] if parts else ""
    return out
