import re
import urllib.error
import urllib.request

import folium
import pytest
from folium import plugins

from layers import webassets
from tests.browser import app_server


def test_every_served_asset_is_in_place():
    assert webassets.missing_files() == [], "run `make setup` (npm ci --prefix web; python -m layers.webassets)"


def test_localized_map_references_no_cdn():
    m = folium.Map(tiles=None)
    plugins.Fullscreen().add_to(m)
    plugins.MeasureControl().add_to(m)
    plugins.HeatMap([[36.1, 120.3]]).add_to(m)
    html = webassets.localize(m).get_root().render()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "expected script/link tags"
    assert all(u.startswith("/app/static/vendor/") for u in urls), urls
    for needle in ("leaflet/dist/leaflet.js", "Control.FullScreen.js", "leaflet-measure.js", "leaflet-heat.js"):
        assert needle in html


def test_unknown_cdn_asset_raises_with_instructions():
    with pytest.raises(webassets.MissingAssetError, match="web/package.json"):
        webassets.local_url("https://cdn.example.org/some-plugin.js")


def test_the_served_folder_holds_only_the_listed_files():
    served = {p.relative_to(webassets.VENDOR_DIR).as_posix() for p in webassets.VENDOR_DIR.rglob("*") if p.is_file()}
    assert served == set(webassets.served_files())
    assert all(p.suffix in (".js", ".css", ".png", ".svg") for p in map(webassets.Path, served))
    top = {p.name for p in webassets.STATIC_DIR.iterdir()}
    assert top <= {"vendor", "data", "atlas"}, "only the vendored map files, the atlas's script and layer data"
    assert [p.name for p in (webassets.STATIC_DIR / "atlas").iterdir()] == ["prefetch.js"]
    data = webassets.STATIC_DIR / "data"
    if data.is_dir():  # layers.datastore: the app's own layer files, content-addressed JSON
        names = [p.name for p in data.iterdir() if not p.name.startswith(".tmp-")]  # a write in progress
        assert all(re.fullmatch(r"[a-z0-9_]+-[0-9a-f]{16}\.json", n) for n in names), names


def test_every_image_the_css_refers_to_is_served():
    for rel in webassets.served_files():
        if not rel.endswith(".css"):
            continue
        css = (webassets.VENDOR_DIR / rel).read_text(encoding="utf-8")
        for ref in re.findall(r"url\(([^)#]+)\)", css):
            target = (webassets.Path(rel).parent / ref.strip("'\"")).as_posix()
            assert target in webassets.served_files(), f"{rel} needs {target}"


def test_assemble_copies_exactly_the_listed_files(tmp_path):
    if not webassets.NODE_MODULES.is_dir():
        pytest.skip("npm packages not installed (make setup)")
    files = webassets.assemble(dest=tmp_path / "vendor")
    got = sorted(p.relative_to(tmp_path / "vendor").as_posix() for p in (tmp_path / "vendor").rglob("*") if p.is_file())
    assert got == sorted(files) and len(got) == 30
    with pytest.raises(FileNotFoundError, match="not installed"):
        webassets.assemble(node_modules=tmp_path / "nothing", dest=tmp_path / "v2")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_static_route_serves_the_map_files_and_nothing_else():
    with app_server() as server:
        base = server.url + "/app/static/"
        assert _status(base + "vendor/leaflet/dist/leaflet.js") == 200
        assert _status(base + "vendor/leaflet/dist/images/layers.png") == 200
        assert _status(base + "atlas/prefetch.js") == 200
        for path in ("package.json", "package-lock.json", "node_modules/leaflet/package.json",
                     "node_modules/leaflet.fullscreen/index.html", "vendor/leaflet/package.json",
                     "vendor/leaflet.fullscreen/index.html", "node_modules/.package-lock.json"):
            assert _status(base + path) == 404, path
        for path in ("../web/package.json", "vendor/../../web/package.json", "%2e%2e/web/package.json"):
            assert _status(base + path) in (400, 403, 404), path
