"""Density map styles: mapclassify classes, colours and legend items."""

import geopandas as gpd
import pytest
from shapely.geometry import Point

from layers.density_style import (
    GI_COLORS,
    ZERO_COLOR,
    choropleth,
    classify,
    fill_style,
    gi_layer,
    gi_style,
    palette,
)


def _frame(values):
    return gpd.GeoDataFrame({"v": values}, geometry=[Point(120 + i / 100, 36) for i in range(len(values))],
                            crs="EPSG:4326")


def test_classes_follow_mapclassify_quantiles():
    yb, bins = classify(list(range(1, 11)), k=5, scheme="Quantiles")
    assert bins == pytest.approx([2.8, 4.6, 6.4, 8.2, 10.0])
    assert list(yb) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_choropleth_colours_zero_and_legend():
    out, legend = choropleth(_frame([0, 1, 1, 5, 9]), "v", k=3, scheme="EqualInterval", label="/km²")
    assert out["color"].iloc[0] == ZERO_COLOR
    assert out["color"].iloc[4] == palette(3)[2] and out["color"].iloc[1] == palette(3)[0]
    assert [item[2] for item in legend] == ["0 /km²", "≤ 3.67 /km²", "3.67 – 6.33 /km²", "6.33 – 9 /km²"]
    assert fill_style()({"properties": {"color": "#123456"}})["fillColor"] == "#123456"


def test_gi_layer_colours_and_unknown_scheme():
    frame = _frame([1, 2, 3]).assign(gi_class=["hot", "cold", "not significant"])
    out, legend = gi_layer(frame)
    assert out["color"].tolist() == [GI_COLORS["hot"], GI_COLORS["cold"], GI_COLORS["not significant"]]
    assert [i[2] for i in legend] == ["hot", "cold", "not significant"]


def test_gi_legend_is_what_is_drawn():
    """Hot/cold opaque in the legend's colour (no blend with the green zones below); others outline only."""
    frame = _frame([1, 2, 3, 4]).assign(gi_class=["hot", "cold", "not significant", "not tested"])
    out, legend = gi_layer(frame)
    swatch = {label: colour for _, colour, label in legend}
    for cls, colour in zip(out["gi_class"], out["color"], strict=True):
        style = gi_style({"properties": {"color": colour}})
        if cls in ("hot", "cold"):
            assert style["fillOpacity"] == 1.0 and style["fillColor"] == swatch[cls]
        else:
            assert style["fillOpacity"] == 0.0 and swatch["not significant"] == "transparent"
    with pytest.raises(ValueError, match="Unknown classification scheme"):
        classify([1, 2, 3], scheme="Magic")
