"""Offline map shading tells the sea from the neighbouring land (issue 25, item 5): the published
coastline (OpenStreetMap land polygons via roaring-landmask, geodata/coast_land.geojson) minus Qingdao's
outline is drawn as neighbouring land over a sea-coloured background, and the legend says which is which."""

from __future__ import annotations

from shapely.geometry import Point

from atlas import mapmodel
from atlas.viewstate import ViewState
from core.crs import MEASURE_CRS
from core.i18n import t
from layers import coast
from layers.atlas_map import NEIGHBOUR_STYLE, OUTSIDE_COLOUR, SEA_COLOUR, MapView, build_base_map


def test_neighbouring_land_is_land_beyond_qingdao_and_not_sea():
    other = coast.neighbour_land()
    assert other is not None and len(other) == 1 and "ODbL" in other["licence"].iloc[0]
    shape = other.geometry.iloc[0]
    assert shape.contains(Point(119.30, 36.30))  # inland west of the city boundary (潍坊)
    assert not shape.contains(Point(120.80, 35.80))  # the Yellow Sea south-east of 崂山
    assert not shape.contains(Point(120.38, 36.07))  # 市南, Qingdao's own land
    city = coast.load_city().to_crs(MEASURE_CRS).geometry.union_all()
    overlap = other.to_crs(MEASURE_CRS).geometry.iloc[0].intersection(city).area
    # simplified by 50 m, so the shared border wobbles a little (drawn under Qingdao's land, never seen)
    assert overlap < 1e-3 * city.area


def test_the_offline_map_draws_sea_then_neighbours_then_qingdao():
    view = MapView(lang="zh", land=coast.load_city(), water=coast.load_bay(), neighbours=coast.neighbour_land())
    html = build_base_map(view).get_root().render()
    assert SEA_COLOUR in html and NEIGHBOUR_STYLE["fillColor"] in html
    assert html.index(NEIGHBOUR_STYLE["fillColor"]) < html.index("#fbf8ef")  # Qingdao's land drawn over it
    without = build_base_map(MapView(lang="zh", land=coast.load_city())).get_root().render()
    assert OUTSIDE_COLOUR in without and SEA_COLOUR not in without  # no coastline: not told apart, as before


def test_the_legend_names_sea_and_neighbouring_land_only_when_they_are_drawn():
    state = ViewState(lang="en", layers=())
    told = [label for _, _, label in mapmodel.legend_items({}, state, shading=True, coastline=True)]
    assert t("legend_sea", "en") in told and t("legend_neighbours", "en") in told
    assert t("legend_outside", "en") not in told
    untold = [label for _, _, label in mapmodel.legend_items({}, state, shading=True)]
    assert t("legend_outside", "en") in untold and t("legend_sea", "en") not in untold
