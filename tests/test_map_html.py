"""The built map's HTML, asserted without a browser."""

import re

from layers import districts
from layers.atlas_map import MapLayer, MapView, build_map
from layers.schema import DISTRICTS


def _html(layers, **view):
    return build_map(layers, MapView(**view)).get_root().render()


def test_map_contains_the_ten_districts():
    frame = districts.load()
    html = _html([MapLayer("districts", "Districts", frame, districts.STYLE)])
    for zh, _en in DISTRICTS.values():
        assert zh in html or zh.encode("unicode_escape").decode() in html
    assert "MultiPolygon" in html or "Polygon" in html


def test_map_loads_no_cdn_asset():
    html = _html([])
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert srcs and all(s.startswith("/app/static/") for s in srcs), srcs
