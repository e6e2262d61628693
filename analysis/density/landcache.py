"""What depends only on a land frame (the city's outline) and a few parameters, worked out once per process.

Every upload's hexagons, density surface and cost check are clipped to the same land: its grid of land
hexagons (polygons and areas), the land mask of a density grid and its measured extent do not change between
uploads, and working them out again took longer than the upload's own analysis (the ~22,000 resolution-8
land hexagons: ~0.8 s to find and ~0.7 s to draw and measure). :func:`remembered` keeps a few of them, keyed by
the land's digest (its geometry's WKB and CRS: a different land is a different key) and the parameters.
Results are shared: callers must not change them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import geopandas as gpd
import shapely

T = TypeVar("T")

#: results kept (least recently used dropped first); a resolution-8 land grid of the city is ~10 MB
KEPT = 8
_store: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def digest(land: gpd.GeoDataFrame) -> str:
    """A short fingerprint of ``land``'s geometry and CRS (~0.5 ms for the city's outline)."""
    wkb = shapely.to_wkb(land.geometry.to_numpy(), include_srid=False)
    return hashlib.blake2b(b"".join(wkb) + str(land.crs).encode(), digest_size=16).hexdigest()


def remembered(kind: str, land: gpd.GeoDataFrame, params: tuple, build: Callable[[], T]) -> T:
    """``build()`` once per (kind, land, params) while kept; the same object afterwards."""
    key = (kind, digest(land), params)
    with _lock:
        if key in _store:
            _store.move_to_end(key)
            return _store[key]  # type: ignore[return-value]
    value = build()  # outside the lock: two threads may build the same thing once each, never wait on each other
    with _lock:
        _store[key] = value
        while len(_store) > KEPT:
            _store.popitem(last=False)
    return value


def forget() -> None:
    """Drop everything kept (tests)."""
    with _lock:
        _store.clear()


def kept() -> int:
    return len(_store)


def kinds() -> list[tuple[str, tuple]]:
    """(kind, params) of everything kept (what a worker process starts with: tests)."""
    with _lock:
        return [(kind, params) for kind, _, params in _store]
