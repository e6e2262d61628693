"""Briefing sheets: size and DPI, not blank, deterministic, fonts (bold title, embedded, no Poppler
warnings), reader-facing sources, focus extents, one collection per layer, golden images."""

import io
import os
import re
import shutil
import subprocess
import warnings

import geopandas as gpd
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image
from shapely.geometry import Point, box

from atlas import fonts, mapmodel
from atlas.briefing import basemap as briefbase
from atlas.briefing import model as briefmodel
from atlas.briefing.render import attribution, build_sheet, load_base, render_briefing, sheet_pixels
from atlas.briefing.style import BriefLayer, dashes, mpl_style
from atlas.viewstate import ViewState
from core.settings import BRIEF_DEFAULT_LAYERS, BRIEFING
from tests.conftest import ROOT

TITLE = "青岛湾区科创走廊 · 创新资源"
GOLDENS = ROOT / "tests" / "goldens"


@pytest.fixture(scope="module")
def base():
    return load_base()


@pytest.fixture(scope="module")
def frames():
    frames, errors = mapmodel.load_frames()
    assert not errors
    return frames


@pytest.fixture(scope="module")
def view_layers(frames):
    return briefmodel.brief_layers(frames, ViewState(layers=("parks", "links", "resources")))


def _render(layers, base, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = render_briefing(layers, title=kw.pop("title", TITLE), subtitle="高新区一区多园", data_date="2026-11-01",
                               base=base, **kw)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing  # matplotlib warns once per glyph it had to draw as tofu
    return data


def _pixels(data):
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


@pytest.fixture(scope="module")
def a4_png(view_layers, base, artifacts_dir):
    data = _render(view_layers, base)
    (artifacts_dir / "briefing_a4_landscape.png").write_bytes(data)
    return data


def test_a4_png_has_the_asked_size_and_dpi(a4_png):
    image = Image.open(io.BytesIO(a4_png))
    assert image.size == (3508, 2480)  # A4 at 300 dpi
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_png_is_not_blank(a4_png):
    pixels = _pixels(a4_png)
    colours = np.unique(pixels.reshape(-1, 3)[::97], axis=0)
    assert len(colours) > 200
    title_band = pixels[60:200, 100:1500]  # the title is dark ink on white
    assert (title_band.mean(axis=2) < 80).mean() > 0.02
    park_red = (pixels[..., 0] > 150) & (pixels[..., 1] < 60) & (pixels[..., 2] < 80)  # #b2182b outlines
    assert park_red.sum() > 500


def test_two_renders_are_identical(view_layers, base):
    assert _render(view_layers, base, dpi=72) == _render(view_layers, base, dpi=72)


@pytest.mark.parametrize(("preset", "size"), [
    ("A4-portrait", (827, 1169)), ("A3-landscape", (1654, 1169)), ("slide-16:9", (1333, 750)),
])
def test_presets_have_their_sizes(preset, size, view_layers, base, artifacts_dir):
    assert sheet_pixels(preset, 100) == size
    data = _render(view_layers, base, preset=preset, dpi=100)
    assert Image.open(io.BytesIO(data)).size == size
    (artifacts_dir / f"briefing_{preset.replace(':', '')}.png").write_bytes(data)


def _map_axes(fig):
    return next(ax for ax in fig.axes if ax.get_gid() == "map")


def test_the_map_fills_the_16_9_slide(view_layers, base):
    with build_sheet(view_layers, title=TITLE, preset="slide-16:9", dpi=50, base=base) as fig:
        pos = _map_axes(fig).get_position()
        # was ~40 % of the page; now the page minus title, panel (4 in wide on a slide: a two-column legend in
        # type large enough to read when projected), footer
        assert pos.width * pos.height > 0.5


def test_default_extent_is_the_corridor_and_focus_narrows_it(base):
    corridor = box(*briefbase.focus_bbox("corridor", base))
    city = box(*briefbase.focus_bbox("city", base))
    clusters = briefbase.bay_clusters(base)
    assert len(clusters) == 3
    assert corridor.contains(box(*clusters.total_bounds))  # the three bays, with a margin
    assert corridor.area < 0.6 * city.area  # not the whole municipality
    aoshan = box(*briefbase.focus_bbox("cluster:aoshan", base))
    assert corridor.contains(aoshan.centroid) and aoshan.area < 0.4 * corridor.area
    laoshan = box(*briefbase.focus_bbox("district:laoshan", base))
    assert laoshan.contains(box(*base.districts[base.districts["id"] == "laoshan"].total_bounds))
    with pytest.raises(ValueError, match="Unknown focus 'cluster:nowhere'.*cluster:aoshan"):
        briefbase.focus_bbox("cluster:nowhere", base)


def test_a_focus_sheet_shows_the_focused_area(view_layers, base):
    with build_sheet(view_layers, title=TITLE, focus="district:shinan", dpi=50, base=base) as fig:
        ax = _map_axes(fig)
        shinan = base.districts[base.districts["id"] == "shinan"].to_crs("EPSG:4549").total_bounds
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        assert x0 <= shinan[0] and shinan[2] <= x1 and y0 <= shinan[1] and shinan[3] <= y1
        assert (x1 - x0) < 30_000  # a district, not the corridor (~140 km)


def test_sea_qingdao_land_and_neighbouring_land_differ(base, view_layers):
    from atlas.briefing.render import LAND, NEIGHBOUR, SEA

    city = base.city.to_crs("EPSG:4549").geometry.union_all()
    near = city.envelope.buffer(20_000)
    neighbour = briefbase.neighbour_land(base.city, near)
    assert neighbour.area > 1e9 and neighbour.intersection(city).area < 1e6  # beside Qingdao, not on it
    assert neighbour.intersection(base.bay.to_crs("EPSG:4549").union_all()).is_empty  # the bay is not land
    # rendered: a spot in each of the three shows its own colour
    open_sea = city.envelope.buffer(15_000).difference(city.buffer(3_000)).difference(neighbour.buffer(3_000))
    spots = {"sea": (SEA, open_sea),
             "land": (LAND, city.buffer(-3_000)), "neighbour": (NEIGHBOUR, neighbour.buffer(-3_000))}
    with build_sheet([], title=TITLE, focus="city", dpi=60, base=base) as fig:
        ax = _map_axes(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=60)
        pixels = _pixels(buf.getvalue())
        height = pixels.shape[0]
        for name, (colour, area) in spots.items():
            x0, x1 = ax.get_xlim()
            y0, y1 = ax.get_ylim()
            area = area.intersection(box(x0, y0, x1, y1))
            point = area.representative_point()
            px, py = ax.transData.transform((point.x, point.y))
            got = pixels[int(height - py), int(px)]
            want = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
            assert np.abs(got - want).max() <= 6, (name, got, want)


def test_one_collection_per_layer_not_per_feature(base):
    def n_collections(n):
        pts = gpd.GeoDataFrame({"name_zh": [f"点{i}" for i in range(n)]},
                               geometry=[Point(120.3 + i * 1e-3, 36.2) for i in range(n)], crs="EPSG:4326")
        layer = BriefLayer("pts", "点", pts, {"color": "#333", "fillColor": "#f00", "radius": 4})
        with build_sheet([layer], title="t", dpi=40, base=base) as fig:
            return len(_map_axes(fig).collections)

    assert n_collections(5) == n_collections(200)


def test_approximate_positions_are_drawn_pale_and_explained(base):
    from atlas.briefing.draw import APPROX_ALPHA, approx_threshold_m

    pts = gpd.GeoDataFrame({"pos_uncertainty_m": [0, 50.0, 2500.0]},
                           geometry=[Point(120.40, 36.10), Point(120.42, 36.11), Point(120.45, 36.12)], crs="EPSG:4326")
    layer = BriefLayer("pts", "点", pts, {"color": "#333333", "fillColor": "#ff0000", "fillOpacity": 1, "radius": 5})
    with build_sheet([layer], title="t", dpi=50, base=base, lang="en") as fig:
        ax = _map_axes(fig)
        metres_per_mm = np.diff(ax.get_xlim())[0] / (ax.get_position().width * fig.get_size_inches()[0] * 25.4)
        threshold = approx_threshold_m(ax)
        assert threshold == pytest.approx(max(100.0, metres_per_mm)) and 300 < threshold < 2500  # 1 mm on paper
        markers = [c for c in ax.collections if c.get_gid() == "markers"]
        assert len(markers) == 1
        alphas = markers[0].get_facecolors()[:, 3]
        assert alphas.tolist() == pytest.approx([1.0, 1.0, APPROX_ALPHA])  # only the 2.5 km one is approximate
        legend_texts = [t.get_text() for a in fig.axes if a.get_legend() for t in a.get_legend().get_texts()]
        assert f"approximate (off by > {round(threshold, -1):,.0f} m)" in " ".join(legend_texts).replace("\n", " ")
    with build_sheet([layer], title="t", dpi=50, base=base, lang="en", focus="district:shinan") as fig:
        assert approx_threshold_m(_map_axes(fig)) < 200  # a larger scale shows smaller errors
    # missing uncertainty counts as 0: no approximate row
    pts = pts.drop(columns="pos_uncertainty_m")
    with build_sheet([BriefLayer("pts", "点", pts, {})], title="t", dpi=40, base=base, lang="en") as fig:
        legend_texts = [t.get_text() for a in fig.axes if a.get_legend() for t in a.get_legend().get_texts()]
        assert not any("approximate" in t for t in legend_texts)


def test_the_source_line_is_for_the_reader_in_the_sheets_language(frames):
    layers = briefmodel.brief_layers(frames, ViewState(layers=BRIEF_DEFAULT_LAYERS))
    zh, en = attribution(layers, "zh", "2026-11-01"), attribution(layers, "en", "2026-11-01")
    for text in (zh, en):
        assert not re.search(r"geodata/|\.py|python -m|atlas export", text), text
        assert "2026-11-01" in text
    assert "资料来源" in zh and "© OpenStreetMap 贡献者" in zh and not re.search(r"[A-Za-z]{6,}", zh.replace(
        "OpenStreetMap", "").replace("cnmaps", "").replace("ODbL", "")), zh
    assert en.startswith("Sources:") and "© OpenStreetMap contributors" in en
    no_osm = [BriefLayer(layer.key, layer.title, layer.frame.drop(columns=["licence", "source_ref"], errors="ignore")
                         .assign(source="official address"), layer.style) for layer in layers]
    # the features' positions are not credited to OSM; the base's coastline (OSM land polygons) still is
    positions, _, coast = attribution(no_osm, "en", "2026-11-01").partition("Coastline and neighbouring land")
    assert "OpenStreetMap" not in positions and "© OpenStreetMap contributors" in coast


def test_the_title_is_bold_in_the_bold_face(view_layers, base):
    with build_sheet(view_layers, title=TITLE, dpi=40, base=base) as fig:
        title = next(t for t in fig.texts if t.get_gid() == "title")
        assert title.get_fontweight() in ("bold", 700)
        path = font_manager.findfont(title.get_fontproperties(), fallback_to_default=False)
        assert FT2Font(path).style_name == "Bold", path  # a real bold face, not the regular one


def test_the_bold_face_is_found_on_a_fresh_machine(monkeypatch):
    """A matplotlib font cache from before the font was installed knows no CJK face at all."""
    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", [f for f in manager.ttflist if "CJK" not in f.name])
    manager._findfont_cached.cache_clear()
    fonts.cjk_family.cache_clear()
    try:
        family = fonts.cjk_family()
        assert "Bold" in fonts.cjk_font_file("bold") and "Regular" in fonts.cjk_font_file()
        assert family.endswith("SC")
    finally:
        fonts.cjk_family.cache_clear()
        manager._findfont_cached.cache_clear()


@pytest.fixture(scope="module")
def a4_pdf(view_layers, base, artifacts_dir):
    data = _render(view_layers, base, fmt="pdf")
    (artifacts_dir / "briefing.pdf").write_bytes(data)
    return data


def test_pdf_embeds_the_cjk_font_and_keeps_text(a4_pdf):
    assert a4_pdf.startswith(b"%PDF")
    fonts_used = set(re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-]+)", a4_pdf))
    assert any(b"CJK" in f and b"Bold" in f for f in fonts_used), fonts_used  # the bold title face
    assert any(b"CJK" in f and b"Regular" in f for f in fonts_used), fonts_used
    assert b"/ToUnicode" in a4_pdf  # text stays searchable and copyable
    assert b"CreationDate" not in a4_pdf


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed (make browser installs it)")
def test_poppler_reads_the_pdf_without_warnings(a4_pdf, tmp_path):
    path = tmp_path / "b.pdf"
    path.write_bytes(a4_pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), listing.stdout  # every font embedded
    assert not listing.stderr.strip(), listing.stderr
    raster = subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "p")], capture_output=True,
                            text=True, check=True)
    assert not raster.stderr.strip(), raster.stderr  # no "Mismatch between font type and embedded font file"
    assert (tmp_path / "p-1.png").stat().st_size > 5000


def test_the_cjk_font_has_every_glyph_of_the_sheet():
    for weight in ("normal", "bold"):
        font = FT2Font(fonts.cjk_font_file(weight))
        text = TITLE + "数据截至图例胶州湾区(市)界资料来源邻市陆域海域鳌山湾灵山湾崂山即墨黄岛"
        missing = [ch for ch in text if ch.strip() and font.get_char_index(ord(ch)) == 0]
        assert not missing


def test_missing_font_file_gives_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.FONT_ENV, str(tmp_path / "nope.otf"))
    fonts.cjk_family.cache_clear()
    try:
        with pytest.raises(fonts.FontNotFoundError, match="fonts-noto-cjk"):
            fonts.cjk_family()
    finally:
        monkeypatch.delenv(fonts.FONT_ENV)
        fonts.cjk_family.cache_clear()


def test_font_found_on_disk_when_the_cache_does_not_know_it(monkeypatch):
    monkeypatch.setattr(fonts, "FONT_FILES", ())
    monkeypatch.setattr(fonts, "FONT_FAMILIES", ())
    fonts.cjk_family.cache_clear()
    try:
        assert "CJK" in fonts.cjk_family()  # found by scanning the system font folders
        monkeypatch.setattr(fonts.font_manager, "findSystemFonts", lambda: [])
        fonts.cjk_family.cache_clear()
        with pytest.raises(fonts.FontNotFoundError, match="make fonts"):
            fonts.cjk_family()
    finally:
        fonts.cjk_family.cache_clear()


def test_analysis_overlay_draws_a_choropleth(base, artifacts_dir):
    cells = [box(120.2 + i * 0.05, 36.1 + j * 0.05, 120.25 + i * 0.05, 36.15 + j * 0.05)
             for i in range(6) for j in range(4)]
    hexes = gpd.GeoDataFrame({"density": np.arange(24, dtype=float)}, geometry=cells, crs="EPSG:4326")
    layer = BriefLayer("kde", "核密度 KDE (per km²)", hexes, values="density", cmap="viridis")
    data = _render([layer], base, dpi=100)
    (artifacts_dir / "briefing_choropleth.png").write_bytes(data)
    pixels = _pixels(data)
    viridis_yellow = (pixels[..., 0] > 200) & (pixels[..., 1] > 200) & (pixels[..., 2] < 120)
    assert viridis_yellow.sum() > 100


def test_bad_arguments(base):
    with pytest.raises(ValueError, match="Unknown preset 'A5'"):
        render_briefing([], title="t", preset="A5", base=base)
    with pytest.raises(ValueError, match="png or pdf"):
        render_briefing([], title="t", fmt="svg", base=base)
    with pytest.raises(ValueError, match="dpi must be between"):
        render_briefing([], title="t", dpi=5000, base=base)
    with pytest.raises(ValueError, match="Unknown focus"):
        render_briefing([], title="t", focus="moon", base=base)


def test_folium_styles_translate():
    assert dashes(None) == "solid"
    assert dashes("8 5") == (0, (8 * 0.55, 5 * 0.55))
    st = mpl_style({"color": "#ff0000", "fillColor": "#00ff00", "fillOpacity": 0.5, "weight": 2, "radius": 10})
    assert st["edge"] == (1.0, 0.0, 0.0, 1.0) and st["face"] == (0.0, 1.0, 0.0, 0.5)
    assert st["markersize"] == pytest.approx((2 * 10 * 0.55) ** 2)


def test_view_bbox_is_centred_and_shrinks_with_zoom():
    near = briefmodel.view_bbox(ViewState(lat=36.1, lon=120.4, zoom=12))
    far = briefmodel.view_bbox(ViewState(lat=36.1, lon=120.4, zoom=10))
    assert (near[0] + near[2]) / 2 == pytest.approx(120.4)
    assert (far[2] - far[0]) == pytest.approx(4 * (near[2] - near[0]))


def test_brief_layers_follow_the_view_filters(frames):
    state = ViewState(layers=("resources", "parks"), districts=("laoshan",))
    layers = {layer.key: layer for layer in briefmodel.brief_layers(frames, state)}
    assert set(layers) == {"parks", "resources"}
    assert all("laoshan" in d for d in layers["resources"].frame["district"])
    assert layers["parks"].label_column == "name_zh" and layers["resources"].label_column == "name_zh"
    everything = briefmodel.brief_layers(frames, ViewState(layers=("resources",)))[0]
    ranks = {row["type"]: everything.label_rank(row) for _, row in everything.frame.iterrows()}
    assert ranks.get("national_lab") == 0 and ranks.get("platform") is None


# Golden images: the default sheet in each language, small, compared with a tolerance (which also
# absorbs the golden's palette quantisation, ~0.8 mean).
# Regenerate after an intended change: QD_ATLAS_UPDATE_GOLDENS=1 pytest tests/test_briefing.py -k golden
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_sheet_matches_its_golden_image(lang, frames, base, artifacts_dir):
    layers = briefmodel.brief_layers(frames, ViewState(lang=lang, layers=BRIEF_DEFAULT_LAYERS))
    title = "青岛湾区科创走廊" if lang == "zh" else "Qingdao Bay-Area Innovation Corridor"
    data = render_briefing(layers, title=title, data_date="2026-11-01", base=base, lang=lang, dpi=60)
    golden = GOLDENS / f"briefing_default_{lang}.png"
    if os.environ.get("QD_ATLAS_UPDATE_GOLDENS"):  # stored as a 192-colour palette PNG (~50 KB)
        golden.parent.mkdir(exist_ok=True)
        image = Image.open(io.BytesIO(data)).convert("RGB")
        palette = image.quantize(colors=192, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        palette.save(golden, optimize=True)
    (artifacts_dir / f"briefing_golden_{lang}_actual.png").write_bytes(data)
    got, want = _pixels(data), _pixels(golden.read_bytes())
    assert got.shape == want.shape
    diff = np.abs(got - want).max(axis=2)
    assert diff.mean() < 2.0 and (diff > 60).mean() < 0.01, (diff.mean(), (diff > 60).mean())


def test_the_water_rule_itself(base):  # here, not in test_briefing_labels: its sheets hold the render lock
    """A feature on the Laoshan shore: a label over the sea beside it is fine, one on the far shore is not."""
    from atlas.briefing.labels import WaterCheck
    from atlas.briefing.render import water_of

    with build_sheet([], title="t", preset="A4-landscape", dpi=60, lang="en", base=base) as fig:
        ax = next(a for a in fig.axes if a.get_gid() == "map")
        check = WaterCheck(ax, water_of(base, box(*ax.get_xlim()[:1], ax.get_ylim()[0],
                                                          ax.get_xlim()[1], ax.get_ylim()[1])))
        pts = gpd.GeoSeries.from_xy([120.38, 120.395, 120.20], [36.07, 36.05, 35.98], crs=4326).to_crs(BRIEFING.crs)
        disp = ax.transData.transform([[p.x, p.y] for p in pts])
        near, far = disp[1], disp[2]  # the sea off 浮山湾; the 黄岛 shore across the bay mouth
        assert not check(disp[0], np.r_[near - 2, near + 2])
        assert check(disp[0], np.r_[far - 2, far + 2])


def test_neighbouring_land_comes_from_the_published_coastline(base):
    """geodata/coast_land.geojson (OpenStreetMap land via roaring-landmask, clipped once): sea and bay are not
    land, Rizhao's coast is; the sheet credits it and its legend no longer says "schematic"."""
    land = gpd.read_file(ROOT / "geodata" / "coast_land.geojson")
    assert land["licence"].tolist() == ["ODbL-1.0"] and "roaring-landmask" in land["source"].iloc[0]
    shape = land.geometry.iloc[0]
    assert not shape.contains(Point(120.6, 35.9)) and not shape.contains(Point(120.25, 36.10))  # sea, bay
    assert shape.contains(Point(119.4, 35.5)) and shape.contains(Point(120.38, 36.07))  # Rizhao, Shinan
    assert (ROOT / "geodata" / "coast_land.geojson").stat().st_size < 300_000
    with build_sheet([], title=TITLE, focus="city", dpi=40, base=base, lang="en") as fig:
        legend = [t.get_text().replace("\n", " ") for a in fig.axes if a.get_legend()
                  for t in a.get_legend().get_texts()]
        footer = " ".join(t.get_text() for t in fig.texts)
    assert any("OpenStreetMap coastline" in text for text in legend) and not any("schematic" in x for x in legend)
    assert "Coastline and neighbouring land: © OpenStreetMap contributors" in footer.replace("\n", " ")


def test_features_without_a_place_are_not_drawn_but_counted_in_a_footnote(frames):
    """Issue 21: no city- or district-level feature on the sheet; the source line says how many."""
    from layers.base import unlocated

    layers = briefmodel.brief_layers(frames, ViewState(layers=("parks", "resources")))
    for layer in layers:
        assert layer.frame.geometry.notna().all()
        assert set(layer.frame["location_tier"]) <= {"site", "street"}
    n = len(unlocated(frames["resources"])) + len(unlocated(frames["parks"]))
    assert n > 20
    assert f"另有 {n} 个规划要素尚未定位" in attribution(layers, "zh", "2026-11-01")
    assert f"{n} plan-named features not yet located" in attribution(layers, "en", "2026-11-01")
