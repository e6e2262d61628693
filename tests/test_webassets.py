import re

import folium
import pytest
from folium import plugins

from atlas import webassets


def test_every_local_asset_is_installed():
    assert webassets.missing_files() == [], "run `make setup` (npm ci --prefix static)"


def test_localized_map_references_no_cdn():
    m = folium.Map(tiles=None)
    plugins.Fullscreen().add_to(m)
    plugins.MeasureControl().add_to(m)
    plugins.HeatMap([[36.1, 120.3]]).add_to(m)
    html = webassets.localize(m).get_root().render()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "expected script/link tags"
    assert all(u.startswith("/app/static/node_modules/") for u in urls), urls
    for needle in ("leaflet/dist/leaflet.js", "Control.FullScreen.js", "leaflet-measure.js", "leaflet-heat.js"):
        assert needle in html


def test_unknown_cdn_asset_raises_with_instructions():
    with pytest.raises(webassets.MissingAssetError, match="static/package.json"):
        webassets.local_url("https://cdn.example.org/some-plugin.js")
