"""Build the atlas's folium map from layer frames — a pure function, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass, field

import folium
import geopandas as gpd
from folium import plugins

from analysis.crs import convert_geoseries
from atlas.settings import MAP
from atlas.webassets import localize
from layers.basemaps import DEFAULT_BASEMAP, add_basemap, display_datum
from layers.render import geojson_layer


@dataclass
class MapLayer:
    """One overlay to draw: a frame in EPSG:4326 plus how to draw it."""

    key: str
    title: str
    frame: gpd.GeoDataFrame
    style: object  # dict or callable(feature) -> dict
    show: bool = True
    point_radius: float = 6


@dataclass
class MapView:
    center: tuple[float, float] = MAP.center
    zoom: int = MAP.zoom
    basemap: str = DEFAULT_BASEMAP
    lang: str = "zh"
    tianditu_token: str | None = None
    tools: bool = True
    legend: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, colour, label)


def shift_for_display(frame: gpd.GeoDataFrame, basemap: str) -> gpd.GeoDataFrame:
    """Overlays over a GCJ-02 basemap are shifted WGS84 -> GCJ-02 (display only)."""
    datum = display_datum(basemap)
    if datum == "WGS84" or frame.empty:
        return frame
    out = frame.copy()
    out["geometry"] = convert_geoseries(frame.geometry, source="WGS84", target=datum)
    return out


def build_map(layers: list[MapLayer], view: MapView) -> folium.Map:
    m = folium.Map(
        location=list(view.center), zoom_start=view.zoom, tiles=None, control_scale=True,
        min_zoom=MAP.min_zoom, max_zoom=MAP.max_zoom,
    )
    add_basemap(m, view.basemap, token=view.tianditu_token)
    for layer in layers:
        frame = shift_for_display(layer.frame, view.basemap)
        geojson_layer(
            frame, name=layer.title, style=layer.style, lang=view.lang, show=layer.show,
            point_radius=layer.point_radius,
        ).add_to(m)
    if view.tools:
        plugins.Fullscreen(position="topleft").add_to(m)
        plugins.MeasureControl(position="topleft", primary_length_unit="kilometers",
                               primary_area_unit="sqkilometers").add_to(m)
    if view.legend:
        from layers.legend import Legend  # local import keeps the module graph flat

        Legend(view.legend, title="图例" if view.lang == "zh" else "Legend").add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return localize(m)
