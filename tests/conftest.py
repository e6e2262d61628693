"""Shared fixtures: small synthetic data, the committed layers, a browser when available."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from core.crs import MEASURE_CRS, WGS84

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture
def square_points() -> gpd.GeoDataFrame:
    """Four points at the corners of a 1 km square (EPSG:4549), weights 1..4."""
    x0, y0 = 500_000.0, 4_000_000.0
    pts = [Point(x0, y0), Point(x0 + 1000, y0), Point(x0, y0 + 1000), Point(x0 + 1000, y0 + 1000)]
    return gpd.GeoDataFrame({"weight": [1.0, 2.0, 3.0, 4.0]}, geometry=pts, crs=MEASURE_CRS)


@pytest.fixture
def toy_districts() -> gpd.GeoDataFrame:
    """Two adjacent 10 km x 10 km 'districts' in EPSG:4326 via EPSG:4549."""
    a = box(500_000, 4_000_000, 510_000, 4_010_000)
    b = box(510_000, 4_000_000, 520_000, 4_010_000)
    gdf = gpd.GeoDataFrame({"id": ["west", "east"]}, geometry=[a, b], crs=MEASURE_CRS)
    return gdf.to_crs(WGS84)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian chromium is required for the browser tests: `make browser` installs it")
    return path


# Real-browser fixtures (module scope: one app server and one Chromium per test module).
@pytest.fixture(scope="module")
def server():
    from tests.browser import streamlit_server

    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh context, every non-loopback request blocked (and recorded in ``page.blocked``)."""
    from tests.browser import block_external

    context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
    blocked: list[str] = []
    block_external(context, blocked)
    pg = context.new_page()
    pg.blocked = blocked
    yield pg
    context.close()
