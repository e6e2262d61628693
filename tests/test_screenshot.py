"""Optional screenshot of the live web map: offline Chromium, and a clear error without it."""

import io

import numpy as np
import pytest
from PIL import Image

from atlas import screenshot
from atlas.cli.main import main


@pytest.mark.browser
def test_cli_screenshot_draws_the_map_offline(tmp_path, chromium_path, artifacts_dir):
    out = tmp_path / "map.png"
    assert main(["screenshot", "--size", "900x600", "--layers", "parks,resources", "--out", str(out)]) == 0
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert image.size == (900, 600)
    (artifacts_dir / "screenshot_cli.png").write_bytes(out.read_bytes())
    pixels = np.asarray(image.convert("RGB"))
    park_red = (pixels[..., 0] > 150) & (pixels[..., 1] < 60) & (pixels[..., 2] < 80)
    assert park_red.sum() > 50  # the parks' outlines were drawn (Leaflet and the data loaded from disk)


def test_standalone_html_points_at_local_files():
    from atlas import mapmodel
    from atlas.viewstate import ViewState

    frames, _ = mapmodel.load_frames()
    html = screenshot.standalone_html(screenshot.view_map(frames, ViewState(layers=("parks",))))
    assert 'src="file://' in html and "/app/static/" not in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_without_chromium_the_cli_says_so(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(screenshot, "chromium_path", lambda: None)
    assert main(["screenshot", "--out", str(tmp_path / "x.png")]) == 3
    assert "Chromium is not installed" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()
