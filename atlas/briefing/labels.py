"""Labels on the briefing map: area names in the clearest spot, feature names by adjustText.

Order of importance: bay clusters, then district names (both placed in the free-most
spot of their own area, never moved afterwards), then feature labels by rank (national
labs, parks, universities …), pushed off markers and each other by adjustText
(https://github.com/Phlya/adjustText). Afterwards every feature label is checked from
the drawn artists: one that still overlaps a label or a marker, or sits farther than
``BRIEFING.max_label_offset_mm`` from its feature, or across water from it (the line from the
feature to the label crosses the sea or the bay and reaches land again), or closer than
``BRIEFING.label_gap_mm`` to another label, is re-placed at the nearest free spot or dropped
(lowest rank first); a label moved off its feature gets a thin leader line, drawn above the labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from adjustText import adjust_text
from matplotlib import patheffects
from matplotlib.transforms import Bbox

from atlas.briefing.draw import Markers
from core.settings import BRIEFING

HALO = [patheffects.withStroke(linewidth=2.4, foreground="white")]
MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class Anchor:
    x: float
    y: float
    text: str
    rank: int  # lower = more important


def _px(ax, points: float) -> float:
    return points * ax.figure.dpi / 72


def marker_boxes(ax, markers: Markers, pad_pt: float = 0.5) -> np.ndarray:
    """Display-space boxes (N × 4: x0, y0, x1, y1) of the drawn markers."""
    if not len(markers.x):
        return np.zeros((0, 4))
    xy = ax.transData.transform(np.c_[markers.x, markers.y])
    r = _px(ax, markers.radius_pt + pad_pt)
    return np.c_[xy[:, 0] - r, xy[:, 1] - r, xy[:, 0] + r, xy[:, 1] + r]


def label_room(ax, anchors: list[Anchor], *, fontsize: float, fontfamily: str, pad_mm: float) -> np.ndarray:
    """Display boxes where each feature's label would first go (to its right), grown by ``pad_mm``."""
    renderer = ax.figure.canvas.get_renderer()
    pad = _px(ax, pad_mm * MM)
    out = []
    for a in anchors:
        probe = ax.text(a.x, a.y, a.text, fontsize=fontsize, fontfamily=fontfamily, ha="left", va="center")
        x0, y0, x1, y1 = text_box(probe, renderer)
        probe.remove()
        out.append([x0 - pad, y0 - pad, x1 + pad, y1 + pad])
    return np.array(out).reshape(-1, 4)


def overlap_area(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Area of the overlap of one box with each of ``boxes`` (display units²)."""
    if not len(boxes):
        return np.zeros(0)
    w = np.clip(np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0]), 0, None)
    h = np.clip(np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1]), 0, None)
    return w * h


def _overlaps(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Overlap areas of every box with every other box (N × M)."""
    others = others.reshape(-1, 4)
    w = np.minimum(boxes[:, None, 2], others[None, :, 2]) - np.maximum(boxes[:, None, 0], others[None, :, 0])
    h = np.minimum(boxes[:, None, 3], others[None, :, 3]) - np.maximum(boxes[:, None, 1], others[None, :, 1])
    return np.clip(w, 0, None) * np.clip(h, 0, None)


def text_box(text, renderer) -> np.ndarray:
    return np.asarray(text.get_window_extent(renderer).extents)


def area_label(ax, region, text: str, obstacles: np.ndarray, **style):
    """Put ``text`` at the spot of ``region`` (data coords) where its box covers the fewest obstacles.

    Candidates are a grid over the region's part inside the map; ties go to the spot
    nearest the region's representative point. Returns the Text (or None if the region is off the map).
    """
    renderer = ax.figure.canvas.get_renderer()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    inside = region.intersection(shapely.box(x0, y0, x1, y1))
    if inside.is_empty or inside.area < 1e-9 * (x1 - x0) * (y1 - y0):
        return None
    label = ax.text(0, 0, text, ha="center", va="center", path_effects=HALO, **style)
    w, h = np.diff(text_box(label, renderer).reshape(2, 2), axis=0)[0] * 1.08
    bx0, by0, bx1, by1 = inside.bounds
    step = max(bx1 - bx0, by1 - by0) / 24
    gx, gy = np.meshgrid(np.arange(bx0, bx1 + step, step), np.arange(by0, by1 + step, step))
    cand = np.c_[gx.ravel(), gy.ravel()]
    cand = cand[shapely.contains_xy(inside, cand[:, 0], cand[:, 1])]
    rep = inside.representative_point()
    cand = np.vstack([[rep.x, rep.y], cand])
    frame = ax.get_window_extent(renderer).extents
    disp = ax.transData.transform(cand)
    boxes = np.c_[disp[:, 0] - w / 2, disp[:, 1] - h / 2, disp[:, 0] + w / 2, disp[:, 1] + h / 2]
    ok = (boxes[:, 0] >= frame[0]) & (boxes[:, 1] >= frame[1]) & (boxes[:, 2] <= frame[2]) & (boxes[:, 3] <= frame[3])
    if not ok.any():
        ok[:] = True
    cost = _overlaps(boxes, obstacles).sum(axis=1) / (w * h)
    dist = np.hypot(*(disp - ax.transData.transform([[rep.x, rep.y]])).T) / max(w, h)
    score = np.where(ok, cost + 0.02 * dist, np.inf)
    best = int(np.argmin(score))
    label.set_position(cand[best])
    return label


def place_feature_labels(ax, anchors: list[Anchor], markers: Markers, static: list[np.ndarray], *,
                         fontsize: float, fontfamily: str, water=None) -> list:
    """Feature labels by rank, pushed free by adjustText; those still colliding, too far or across
    ``water`` (a polygon in data coordinates) from their feature are re-placed nearest first, or dropped."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    on_map = [a for a in anchors if x0 <= a.x <= x1 and y0 <= a.y <= y1]  # a feature off the map gets no label
    anchors = sorted(on_map, key=lambda a: a.rank)[: BRIEFING.max_labels]
    if not anchors:
        return []
    renderer = ax.figure.canvas.get_renderer()
    texts = [ax.text(a.x, a.y, a.text, fontsize=fontsize, fontfamily=fontfamily, color="#1a1a1a", ha="left",
                     va="bottom", zorder=31, path_effects=HALO, gid="feature-label") for a in anchors]
    for a, t in zip(anchors, texts, strict=True):
        t.anchor_xy = (a.x, a.y)  # what the label names: tests measure the distance from the drawn artists
    static_boxes = [Bbox.from_extents(*b) for b in static]
    adjust_text(texts, x=markers.x, y=markers.y, objects=static_boxes or None, ax=ax, ensure_inside_axes=True,
                expand=(1.15, 1.35), force_text=(0.3, 0.5), force_static=(0.3, 0.5), iter_lim=BRIEFING.label_iterations,
                prevent_crossings=False)
    taken = np.array(static).reshape(-1, 4)
    mboxes = marker_boxes(ax, markers)
    frame = ax.get_window_extent(renderer).extents
    max_px = _px(ax, BRIEFING.max_label_offset_mm * MM)
    gap = _px(ax, BRIEFING.label_gap_mm * MM)
    crosses = WaterCheck(ax, water)
    kept = []
    for a, t in zip(anchors, texts, strict=True):
        anchor = ax.transData.transform((a.x, a.y))
        box = text_box(t, renderer)
        if (not _fits(box, frame, anchor, max_px) or _hits(_grow(box, gap), taken, mboxes)
                or crosses(anchor, box)):
            box = _rescue(box, anchor, taken, mboxes, frame, max_px, _px(ax, 1.0), space=gap, crosses=crosses)
            if box is None:
                t.remove()
                continue
            t.set_position(ax.transData.inverted().transform(box[:2]))
            t.set_ha("left")
            t.set_va("bottom")
            box = text_box(t, renderer)
        taken = np.vstack([taken, box])
        kept.append(t)
        if _gap(box, anchor) > _px(ax, 2.5):
            _leader(ax, anchor, box)
    return kept


class WaterCheck:
    """Does the line from a feature to its label cross water and reach land again (the label on the
    far shore)? A label over the sea right off its coastal feature does not count; water narrower than
    ``BRIEFING.water_tolerance_mm`` on paper does not either."""

    def __init__(self, ax, water) -> None:
        self.ax, self.water = ax, water
        if water is not None and not water.is_empty:
            shapely.prepare(water)
        x0, x1 = ax.get_xlim()
        width_mm = ax.get_position().width * ax.figure.get_size_inches()[0] * 25.4
        self.tol = BRIEFING.water_tolerance_mm * (x1 - x0) / width_mm  # metres

    def __call__(self, anchor: np.ndarray, box: np.ndarray) -> bool:
        if self.water is None or self.water.is_empty:
            return False
        inv = self.ax.transData.inverted()
        centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
        for end in (np.clip(anchor, box[:2], box[2:]), centre):  # the leader's end and the label's middle
            (x0, y0), (x1, y1) = inv.transform([anchor, end])
            if self._across(shapely.LineString([(x0, y0), (x1, y1)])):
                return True
        return False

    def _across(self, line) -> bool:
        wet = line.intersection(self.water)
        if wet.is_empty or wet.length <= self.tol:
            return False
        dry = line.difference(self.water)
        parts = [g for g in getattr(dry, "geoms", [dry]) if not g.is_empty and g.length > self.tol]
        start = shapely.Point(line.coords[0])
        return any(part.distance(start) > self.tol for part in parts)  # land again beyond the water


def _grow(box: np.ndarray, by: float) -> np.ndarray:
    return box + np.array([-by, -by, by, by])


def _fits(box: np.ndarray, frame: np.ndarray, anchor: np.ndarray, max_px: float) -> bool:
    inside = box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]
    return inside and _gap(box, anchor) <= max_px


def _hits(box: np.ndarray, labels: np.ndarray, markers: np.ndarray) -> bool:
    return bool(overlap_area(box, labels).any() or overlap_area(box, markers).any())


def _rescue(box: np.ndarray, anchor: np.ndarray, taken: np.ndarray, markers: np.ndarray, frame: np.ndarray,
            max_px: float, step_px: float, *, space: float = 1.0, crosses=None) -> np.ndarray | None:
    """The free box of the same size nearest ``anchor`` (at most ``max_px`` away), or None.

    Candidates are a grid of positions around the anchor (``step_px`` apart), tried nearest
    first; free means inside the map, ``space`` px off every placed label, off every marker and
    (``crosses``) not across water from the feature.
    """
    w, h = box[2] - box[0], box[3] - box[1]
    xs = np.arange(anchor[0] - max_px - w, anchor[0] + max_px + step_px, step_px)
    ys = np.arange(anchor[1] - max_px - h, anchor[1] + max_px + step_px, step_px)
    gx, gy = np.meshgrid(xs, ys)
    cand = np.c_[gx.ravel(), gy.ravel(), gx.ravel() + w, gy.ravel() + h]
    dx = np.maximum.reduce([cand[:, 0] - anchor[0], np.zeros(len(cand)), anchor[0] - cand[:, 2]])
    dy = np.maximum.reduce([cand[:, 1] - anchor[1], np.zeros(len(cand)), anchor[1] - cand[:, 3]])
    gap = np.hypot(dx, dy)
    inside = (cand[:, 0] >= frame[0]) & (cand[:, 1] >= frame[1]) & (cand[:, 2] <= frame[2]) & (cand[:, 3] <= frame[3])
    ok = inside & (gap <= max_px) & (gap > 0)  # never on top of its own feature
    cand, gap = cand[ok], gap[ok]
    blocked = np.vstack([_grow(taken.reshape(-1, 4), max(space, 1.0)), _grow(markers.reshape(-1, 4), 1.0)])
    if len(blocked) and len(cand):
        hit = np.zeros(len(cand), dtype=bool)
        for chunk in np.array_split(np.arange(len(blocked)), max(1, len(blocked) // 64)):  # bounded memory
            b = blocked[chunk]
            hit |= ((cand[:, None, 0] < b[None, :, 2]) & (cand[:, None, 2] > b[None, :, 0])
                    & (cand[:, None, 1] < b[None, :, 3]) & (cand[:, None, 3] > b[None, :, 1])).any(axis=1)
        cand, gap = cand[~hit], gap[~hit]
    for i in np.argsort(gap, kind="stable")[:400]:  # nearest first; the water test only where needed
        if crosses is None or not crosses(anchor, cand[i]):
            return cand[i]
    return None


def _gap(box: np.ndarray, point: np.ndarray) -> float:
    """Distance from ``point`` to the nearest point of ``box`` (0 inside)."""
    dx = max(box[0] - point[0], 0, point[0] - box[2])
    dy = max(box[1] - point[1], 0, point[1] - box[3])
    return float(np.hypot(dx, dy))


def _leader(ax, anchor: np.ndarray, box: np.ndarray) -> None:
    """A thin line from the feature to the nearest edge of its label."""
    end = np.clip(anchor, box[:2], box[2:])
    inv = ax.transData.inverted()
    (x0, y0), (x1, y1) = inv.transform([anchor, end])
    ax.plot([x0, x1], [y0, y1], color="#444444", linewidth=0.5, zorder=34, solid_capstyle="round", gid="leader",
            path_effects=[patheffects.withStroke(linewidth=1.3, foreground="white")])  # above every label
