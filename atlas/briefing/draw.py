"""Draw GeoDataFrames onto the briefing's axes: one matplotlib collection per layer and geometry kind.

The app's folium style of every feature is translated once (:mod:`atlas.briefstyle`) and
handed to a single ``PathCollection`` / ``LineCollection`` / ``scatter`` per layer, so a
layer costs one artist, not one per feature (and nothing is rasterised until the save).
Points and areas whose ``pos_uncertainty_m`` exceeds the sheet's threshold (see
:func:`approx_threshold_m`) are drawn as approximate: points pale with a dashed rim, areas
hatched. Lines are left as they are: the network's lines are schematic by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.path import Path

from atlas.briefing.style import BriefLayer, feature_style, mpl_style
from core.settings import BRIEFING

APPROX_ALPHA = 0.4  # fill of an approximate marker (its rim stays in full colour, dashed)


@dataclass
class Markers:
    """Where point markers were drawn (data coordinates) and their radius in points."""

    x: np.ndarray
    y: np.ndarray
    radius_pt: np.ndarray

    @classmethod
    def empty(cls) -> Markers:
        return cls(np.zeros(0), np.zeros(0), np.zeros(0))

    def extend(self, other: Markers) -> Markers:
        return Markers(np.r_[self.x, other.x], np.r_[self.y, other.y], np.r_[self.radius_pt, other.radius_pt])


def approx_threshold_m(ax) -> float:
    """Uncertainty above which a position is drawn as approximate on this map: 100 m, or what
    ``BRIEFING.approx_paper_mm`` of paper covers at the map's scale if that is more (an error
    smaller than the ink of a marker does not show)."""
    x0, x1 = ax.get_xlim()
    width_mm = ax.get_position().width * ax.figure.get_size_inches()[0] * 25.4
    return max(BRIEFING.approx_uncertainty_m, BRIEFING.approx_paper_mm * (x1 - x0) / width_mm)


def approximate(frame: gpd.GeoDataFrame, threshold_m: float = BRIEFING.approx_uncertainty_m) -> np.ndarray:
    """Boolean mask: the position may be off by more than ``threshold_m`` (missing uncertainty = 0)."""
    if "pos_uncertainty_m" not in frame:
        return np.zeros(len(frame), dtype=bool)
    values = gpd.pd.to_numeric(frame["pos_uncertainty_m"], errors="coerce").fillna(0).to_numpy()
    return values > threshold_m


def polygon_path(geom) -> Path:
    """A (multi)polygon as one compound matplotlib Path (holes included)."""
    rings = [r for p in getattr(geom, "geoms", [geom]) if not p.is_empty
             for r in (p.exterior, *p.interiors)]
    verts, codes = [], []
    for ring in rings:
        xy = np.asarray(ring.coords)
        if len(xy) < 3:
            continue
        c = np.full(len(xy), Path.LINETO, dtype=np.uint8)
        c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
        verts.append(xy)
        codes.append(c)
    if not verts:
        return Path(np.zeros((0, 2)))
    return Path(np.vstack(verts), np.concatenate(codes))


def line_parts(geom) -> list[np.ndarray]:
    return [np.asarray(g.coords) for g in getattr(geom, "geoms", [geom]) if not g.is_empty and len(g.coords) > 1]


def draw_polygons(ax, geoms, *, face, edge, linewidth, linestyle="solid", zorder=1, hatch=None) -> PathCollection:
    """All polygons of ``geoms`` as one PathCollection (style scalars or per-feature lists)."""
    paths = [polygon_path(g) for g in geoms]
    coll = PathCollection(paths, facecolors=face, edgecolors=edge, linewidths=linewidth, linestyles=linestyle,
                          zorder=zorder, hatch=hatch)
    ax.add_collection(coll, autolim=False)
    return coll


def draw_lines(ax, geoms, *, colors, linewidths, linestyles, zorder=2) -> LineCollection:
    """All lines (and polygon boundaries) of ``geoms`` as one LineCollection."""
    segs, cs, ws, ss = [], [], [], []
    for i, g in enumerate(geoms):
        for part in line_parts(g):
            segs.append(part)
            cs.append(colors[i] if isinstance(colors, list) else colors)
            ws.append(linewidths[i] if isinstance(linewidths, list) else linewidths)
            ss.append(linestyles[i] if isinstance(linestyles, list) else linestyles)
    coll = LineCollection(segs, colors=cs, linewidths=ws, linestyles=ss, zorder=zorder, capstyle="round")
    ax.add_collection(coll, autolim=False)
    return coll


def _styles(layer: BriefLayer, frame: gpd.GeoDataFrame) -> list[dict]:
    props = frame.drop(columns=frame.geometry.name).to_dict("records")
    types = frame.geometry.geom_type.tolist()
    return [mpl_style(feature_style(layer.style, p, t)) for p, t in zip(props, types, strict=True)]


def draw_layer(ax, layer: BriefLayer, *, zorder: float = 10,
               threshold_m: float = BRIEFING.approx_uncertainty_m) -> Markers:
    """Draw one overlay layer (polygons, then lines, then points); returns its point markers."""
    frame = layer.frame.to_crs(BRIEFING.crs)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.empty:
        return Markers.empty()
    styles = _styles(layer, frame)
    approx = approximate(frame, threshold_m)
    kinds = frame.geometry.geom_type.str.replace("Multi", "", regex=False).to_numpy()
    geoms = frame.geometry.to_numpy()
    markers = Markers.empty()
    for kind in ("Polygon", "LineString", "Point"):
        idx = np.flatnonzero(kinds == kind)
        if not len(idx):
            continue
        st = [styles[i] for i in idx]
        if kind == "Polygon":
            for flag in (False, True):  # hatching is per collection: two collections at most
                sub = [j for j, i in enumerate(idx) if approx[i] == flag]
                if sub:
                    draw_polygons(ax, geoms[idx[sub]], face=[st[j]["face"] for j in sub],
                                  edge=[st[j]["edge"] for j in sub], linewidth=[st[j]["linewidth"] for j in sub],
                                  linestyle=[st[j]["linestyle"] for j in sub], zorder=zorder,
                                  hatch="////" if flag else None)
        elif kind == "LineString":
            draw_lines(ax, list(geoms[idx]), colors=[s["edge"] for s in st], linewidths=[s["linewidth"] for s in st],
                       linestyles=[s["linestyle"] for s in st], zorder=zorder + 1)
        else:
            markers = markers.extend(_draw_points(ax, geoms[idx], st, approx[idx], zorder + 3))
    return markers


def _draw_points(ax, geoms, styles: list[dict], approx: np.ndarray, zorder: float) -> Markers:
    pts = shapely.get_coordinates(np.asarray([g if g.geom_type == "Point" else g.centroid for g in geoms]))
    sizes = np.array([s["markersize"] for s in styles])
    face = [to_rgba(s["face"][:3], APPROX_ALPHA) if flag else s["face"] for s, flag in zip(styles, approx, strict=True)]
    edge = [s["face"][:3] + (1.0,) if flag else s["edge"] for s, flag in zip(styles, approx, strict=True)]
    widths = [max(s["linewidth"] * 0.6, 0.4) * (1.6 if flag else 1.0) for s, flag in zip(styles, approx, strict=True)]
    dashes = [(0, (2.0, 1.2)) if flag else "solid" for flag in approx]
    ax.scatter(pts[:, 0], pts[:, 1], s=sizes, c=face, edgecolors=edge, linewidths=widths, linestyles=dashes,
               zorder=zorder, gid="markers")
    return Markers(pts[:, 0], pts[:, 1], np.sqrt(sizes) / 2)
