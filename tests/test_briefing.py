"""Briefing sheets: size and DPI, not blank, deterministic, CJK glyphs present and embedded."""

import io
import re
import warnings

import geopandas as gpd
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.transforms import Bbox
from PIL import Image
from shapely.geometry import box

from atlas import briefmodel, fonts, mapmodel
from atlas.briefing import load_base, render_briefing, sheet_pixels
from atlas.briefstyle import BriefLayer, dashes, mpl_style, place_labels
from atlas.viewstate import ViewState

TITLE = "青岛湾区科创走廊 · 创新资源"


@pytest.fixture(scope="module")
def base():
    return load_base()


@pytest.fixture(scope="module")
def view_layers():
    frames, errors = mapmodel.load_frames()
    assert not errors
    return briefmodel.brief_layers(frames, ViewState(layers=("parks", "links", "resources")))


def _render(layers, base, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = render_briefing(layers, title=TITLE, subtitle="高新区一区多园", data_date="2026-11-01",
                               base=base, **kw)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing  # matplotlib warns once per glyph it had to draw as tofu
    return data


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
    pixels = np.asarray(Image.open(io.BytesIO(a4_png)).convert("RGB"))
    colours = np.unique(pixels.reshape(-1, 3)[::97], axis=0)
    assert len(colours) > 200
    title_band = pixels[60:200, 100:1500]  # the title is dark ink on white
    assert (title_band.mean(axis=2) < 80).mean() > 0.02
    park_red = (pixels[..., 0] > 150) & (pixels[..., 1] < 60) & (pixels[..., 2] < 80)  # #b2182b outlines
    assert park_red.sum() > 500


def test_two_renders_are_identical(view_layers, base):
    one = _render(view_layers, base, dpi=72)
    two = _render(view_layers, base, dpi=72)
    assert one == two


@pytest.mark.parametrize(("preset", "size"), [
    ("A4-portrait", (827, 1169)), ("A3-landscape", (1654, 1169)), ("slide-16:9", (1333, 750)),
])
def test_presets_have_their_sizes(preset, size, view_layers, base, artifacts_dir):
    assert sheet_pixels(preset, 100) == size
    data = _render(view_layers, base, preset=preset, dpi=100)
    assert Image.open(io.BytesIO(data)).size == size
    (artifacts_dir / f"briefing_{preset.replace(':', '')}.png").write_bytes(data)


def test_pdf_embeds_the_cjk_font(view_layers, base, artifacts_dir):
    data = _render(view_layers, base, fmt="pdf")
    (artifacts_dir / "briefing.pdf").write_bytes(data)
    assert data.startswith(b"%PDF")
    fonts_used = set(re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-]+)", data))
    assert any(b"CJK" in f or b"SC" in f for f in fonts_used), fonts_used
    assert re.search(rb"/FontFile[23]?\s", data)  # the font program is embedded, not referenced
    assert b"/Type3" not in data.replace(b"/Subtype /Type3", b"/Type3")  # TrueType/CID, not bitmaps
    assert b"CreationDate" not in data


def test_the_cjk_font_has_every_glyph_of_the_sheet():
    font = FT2Font(fonts.cjk_font_file())
    text = TITLE + "数据日期图例胶州湾区(市)界规划边界位置来源鳌山湾灵山湾崂山即墨黄岛"
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
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
    viridis_yellow = (pixels[..., 0] > 200) & (pixels[..., 1] > 200) & (pixels[..., 2] < 120)
    assert viridis_yellow.sum() > 100


def test_bad_arguments(base):
    with pytest.raises(ValueError, match="Unknown preset 'A5'"):
        render_briefing([], title="t", preset="A5", base=base)
    with pytest.raises(ValueError, match="png or pdf"):
        render_briefing([], title="t", fmt="svg", base=base)
    with pytest.raises(ValueError, match="dpi must be between"):
        render_briefing([], title="t", dpi=5000, base=base)


def test_labels_do_not_collide():
    fig = Figure(figsize=(4, 3), dpi=100)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    anchors = [(5, 5, f"标签{i}") for i in range(12)]  # all on one spot
    placed = place_labels(ax, anchors, fontsize=9, fontfamily=fonts.cjk_family())
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in placed]
    assert 2 <= len(placed) < 12  # some fit around the spot, the rest are left out
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_labels_keep_off_other_markers():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    # B sits where A's first-choice slot (up-right) would put its label
    anchors = [(50, 50, "园区A"), (54, 53, "B")]
    placed = place_labels(ax, anchors, fontsize=9, fontfamily=fonts.cjk_family())
    renderer = fig.canvas.get_renderer()
    b_marker = Bbox.from_extents(*ax.transData.transform((54, 53)) - 4 * 100 / 72,
                                 *ax.transData.transform((54, 53)) + 4 * 100 / 72)
    assert len(placed) == 2
    assert not any(t.get_window_extent(renderer).overlaps(b_marker) for t in placed)
    assert (placed[0].get_ha(), placed[0].get_va()) != ("left", "bottom")  # A moved off its first choice


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


def test_brief_layers_follow_the_view_filters():
    frames, _ = mapmodel.load_frames()
    state = ViewState(layers=("resources", "parks"), districts=("laoshan",))
    layers = {layer.key: layer for layer in briefmodel.brief_layers(frames, state)}
    assert set(layers) == {"parks", "resources"}
    assert all("laoshan" in d for d in layers["resources"].frame["district"])
    assert layers["parks"].label_column == "name_zh" and layers["resources"].label_column is None
