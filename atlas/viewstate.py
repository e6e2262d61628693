"""What the user sees, as plain data: parsed from and written to URL query parameters.

Pure and Streamlit-free. Every value is validated; anything bad or hostile falls
back to the default and is reported by key, so a shared link can never crash the
app or inject anything into it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from core.i18n import DEFAULT_LANG, LANGS
from core.settings import MAP
from core.vocab import CLUSTERS, DISTRICTS, RESOURCE_TYPES, STATUS
from layers.basemaps import BASEMAPS, DEFAULT_BASEMAP

MAX_PARAM_LEN = 500  # longer query values are refused outright
MAX_SEARCH_LEN = 60

#: Overlay layers the user can toggle, in drawing order.
OVERLAYS: tuple[str, ...] = (
    "clusters", "jiaozhou_bay", "parks", "links", "metro_lines", "metro_stations",
    "transport_nodes", "park_sites", "resources",
)
DEFAULT_OVERLAYS: tuple[str, ...] = (
    "clusters", "parks", "links", "metro_lines", "transport_nodes", "park_sites", "resources",
)
QINGDAO_VIEW_BOUNDS = (35.0, 37.5, 119.0, 121.6)  # lat_min, lat_max, lon_min, lon_max


@dataclass(frozen=True)
class ViewState:
    lat: float = MAP.center[0]
    lon: float = MAP.center[1]
    zoom: int = MAP.zoom
    basemap: str = DEFAULT_BASEMAP
    lang: str = DEFAULT_LANG
    layers: tuple[str, ...] = DEFAULT_OVERLAYS
    clusters: tuple[str, ...] = ()  # empty = all
    districts: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    q: str = ""
    selected: str = ""  # id of the located/clicked feature
    notices: tuple[str, ...] = field(default=(), compare=False)


def _one(value) -> str:
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value)


def _float_in(text: str, lo: float, hi: float) -> float:
    v = float(text)
    if not math.isfinite(v) or not lo <= v <= hi:
        raise ValueError(text)
    return round(v, 5)


def _choice(text: str, allowed) -> str:
    if text not in allowed:
        raise ValueError(text)
    return text


def _multi(text: str, allowed) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(x for x in text.split(",") if x))
    if any(x not in allowed for x in items):
        raise ValueError(text)
    return items


def _search(text: str) -> str:
    clean = "".join(ch for ch in text if ch.isprintable()).strip()
    if len(clean) > MAX_SEARCH_LEN:
        raise ValueError(text)
    return clean


def _selected(text: str) -> str:
    if len(text) > 80 or not all(ch.isalnum() or ch == "_" for ch in text):
        raise ValueError(text)
    return text


PARSERS = {
    "lat": lambda s: _float_in(s, QINGDAO_VIEW_BOUNDS[0], QINGDAO_VIEW_BOUNDS[1]),
    "lon": lambda s: _float_in(s, QINGDAO_VIEW_BOUNDS[2], QINGDAO_VIEW_BOUNDS[3]),
    "zoom": lambda s: int(_float_in(s, MAP.min_zoom, MAP.max_zoom)),
    "basemap": lambda s: _choice(s, BASEMAPS),
    "lang": lambda s: _choice(s, LANGS),
    "layers": lambda s: _multi(s, OVERLAYS),
    "clusters": lambda s: _multi(s, CLUSTERS),
    "districts": lambda s: _multi(s, DISTRICTS),
    "types": lambda s: _multi(s, RESOURCE_TYPES),
    "statuses": lambda s: _multi(s, STATUS),
    "q": _search,
    "selected": _selected,
}


def from_query(params: Mapping) -> ViewState:
    """Parse query parameters; invalid values become defaults, listed in ``notices``."""
    values, notices = {}, []
    for key, parse in PARSERS.items():
        if key not in params:
            continue
        raw = _one(params[key])
        if key == "layers" and raw == "":
            values[key] = ()
            continue
        try:
            if len(raw) > MAX_PARAM_LEN:
                raise ValueError("too long")
            values[key] = parse(raw)
        except (ValueError, TypeError, OverflowError):
            notices.append(key)
    return replace(ViewState(), **values, notices=tuple(notices))


def to_query(state: ViewState) -> dict[str, str]:
    """Query parameters for ``state`` (only what differs from the defaults)."""
    default = ViewState()
    out = {}
    for f in fields(ViewState):
        if f.name == "notices":
            continue
        value = getattr(state, f.name)
        if value == getattr(default, f.name) and f.name != "layers":
            continue
        if f.name == "layers" and value == default.layers:
            continue
        out[f.name] = ",".join(value) if isinstance(value, tuple) else str(value)
    return out
