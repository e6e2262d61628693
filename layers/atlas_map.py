"""Build the atlas's folium map from layer frames — a pure function, no Streamlit."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import folium
import geopandas as gpd
from folium import plugins

from core.crs import convert_geoseries
from core.settings import MAP
from layers.basemaps import BASEMAPS, DEFAULT_BASEMAP, add_basemap, display_datum
from layers.legend import Legend
from layers.mapscripts import Background, FillHeight, FitDefault, KeepPopup, LazyTools, Spread, TileNotice, ZoomLabels
from layers.remote import BASE_PANE, TOP_PANE, RemoteLayer, RemoteSupport, add_prefetch, payload, remote_urls
from layers.render import PopupStyle, geojson_layer, use_compact_json
from layers.webassets import local_url, localize


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
    land: gpd.GeoDataFrame | None = None  # Qingdao's land, shaded when there is no basemap
    water: gpd.GeoDataFrame | None = None  # Jiaozhou Bay's water, shaded likewise
    neighbours: gpd.GeoDataFrame | None = None  # land beyond Qingdao (published coastline); the rest is sea
    tile_notice: str = ""  # shown on the map when web tiles fail to load
    #: (stem, build bytes) -> URL the browser fetches them from (layers.datastore.Publisher); None = inline
    publish: Callable[[str, Callable[[], bytes]], str] | None = None
    #: (west, south, east, north) the default view shows whole (the app's map page: the three bays)
    fit: tuple[float, float, float, float] | None = None
    #: the map follows its frame's height (the page sizes the frame to the window)
    fill_height: bool = False


#: Offline shading (no basemap): Qingdao's land, the bay's water, the neighbouring land and the sea.
LAND_STYLE = {"stroke": False, "fillColor": "#fbf8ef", "fillOpacity": 1.0}
WATER_STYLE = {"color": "#7fb2d6", "weight": 0.8, "fillColor": "#cfe3f1", "fillOpacity": 1.0}
NEIGHBOUR_STYLE = {"stroke": False, "fillColor": "#e3e3de", "fillOpacity": 1.0}
SEA_COLOUR = "#dde9f1"  # open sea: the background where the published coastline is known
OUTSIDE_COLOUR = "#e3e3de"  # without a coastline: neighbouring land and open sea alike


def shift_for_display(frame: gpd.GeoDataFrame, basemap: str) -> gpd.GeoDataFrame:
    """Overlays over a GCJ-02 basemap are shifted WGS84 -> GCJ-02 (display only)."""
    datum = display_datum(basemap)
    if datum == "WGS84" or frame.empty:
        return frame
    out = frame.copy()
    out["geometry"] = convert_geoseries(frame.geometry, source="WGS84", target=datum)
    return out


def overlay_group(layer: MapLayer, view: MapView) -> folium.FeatureGroup:
    """One overlay as a FeatureGroup (shifted to the basemap's datum for display)."""
    frame = shift_for_display(layer.frame, view.basemap)
    return geojson_layer(frame, name=layer.title, style=layer.style, lang=view.lang,
                         show=layer.show, point_radius=layer.point_radius)


def data_stem(key: str, view: MapView) -> str:
    """The served file's name stem: layer, language and display datum (ASCII, see layers.datastore)."""
    return re.sub(r"[^a-z0-9_]", "", f"{key}_{view.lang}_{display_datum(view.basemap)}".lower())


def publish_layer(layer: MapLayer, view: MapView) -> str:
    """Serve ``layer`` (all its features, in the basemap's datum) as a file; returns its URL."""
    if view.publish is None:
        raise ValueError("MapView.publish is not set: this map draws its data inline")
    return view.publish(data_stem(layer.key, view),
                        lambda: payload(shift_for_display(layer.frame, view.basemap), layer.style, view.lang))


def remote_group(layer: MapLayer, url: str, ids: list[str] | None = None) -> folium.FeatureGroup:
    """``layer`` as a FeatureGroup whose features the browser fetches from ``url`` (only ``ids``, if given)."""
    group = folium.FeatureGroup(name=html.escape(layer.title), show=layer.show)
    RemoteLayer(url, ids=ids, radius=layer.point_radius).add_to(group)
    return group


def highlight_group(frame: gpd.GeoDataFrame, view: MapView) -> folium.FeatureGroup:
    """A bright ring around the located/selected feature(s) (over the overlays when data is remote)."""
    group = folium.FeatureGroup(name="★", control=False)
    pane = {"pane": TOP_PANE} if view.publish is not None else {}
    shifted = shift_for_display(frame, view.basemap)
    for geom in shifted.geometry:
        if geom is None or geom.is_empty:
            continue
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        ring = folium.CircleMarker([point.y, point.x], radius=16, color="#ffd400", weight=5, fill=False)
        ring.options.update({"interactive": False, **pane})  # folium's path options drop both keywords
        ring.add_to(group)
    return group


def build_base_map(view: MapView, base_layers: list[MapLayer | folium.FeatureGroup] = (),
                   prefetch: list[str] = ()) -> folium.Map:
    """The map without its overlays: basemap, base layers (or prebuilt groups), tools and legend.

    With served data (``view.publish``), the browser starts downloading this map's layer files and
    the ``prefetch`` URLs (the overlays') before Leaflet has loaded.
    """
    use_compact_json()
    m = folium.Map(
        location=list(view.center), zoom_start=view.zoom, tiles=None, control_scale=True,
        min_zoom=MAP.min_zoom, max_zoom=MAP.max_zoom,
    )
    tiles = add_basemap(m, view.basemap, token=view.tianditu_token)
    PopupStyle().add_to(m)
    if view.publish is not None:
        RemoteSupport(view.lang).add_to(m)
    if tiles is not None and view.tile_notice:
        TileNotice(tiles, view.tile_notice).add_to(m)
    if tiles is None and view.land is not None:
        Background(OUTSIDE_COLOUR if view.neighbours is None else SEA_COLOUR).add_to(m)
        for key, frame, style in (("neighbours", view.neighbours, NEIGHBOUR_STYLE), ("land", view.land, LAND_STYLE),
                                  ("water", view.water, WATER_STYLE)):
            if frame is None or frame.empty:
                continue
            shifted = lambda f=frame: shift_for_display(f[["geometry"]], view.basemap)  # noqa: E731
            if view.publish is not None:
                url = view.publish(data_stem(key, view),
                                   lambda s=style, f=shifted: payload(f(), s, view.lang, popups=False))
                RemoteLayer(url, interactive=False, pane=BASE_PANE).add_to(m)
            else:
                folium.GeoJson(shifted().to_json(drop_id=True), style_function=lambda _f, s=style: dict(s),
                               interactive=False, control=False).add_to(m)
    for layer in base_layers:
        (layer if isinstance(layer, folium.FeatureGroup) else overlay_group(layer, view)).add_to(m)
    if view.tools:
        fullscreen = plugins.Fullscreen(position="topleft")
        measure = plugins.MeasureControl(position="topleft", primary_length_unit="kilometers",
                                         primary_area_unit="sqkilometers")
        if view.publish is not None:  # the app: tools load after the map, not before it
            LazyTools(fullscreen, measure, local_url).add_to(m)
        else:  # standalone HTML (exports, screenshots): files listed in the page as usual
            fullscreen.add_to(m)
            measure.add_to(m)
        base = BASEMAPS.get(view.basemap)
        if base is not None and base.tiles and not base.needs_key:
            tiles = folium.TileLayer(base.tiles, attr=base.attribution, subdomains=base.subdomains)
            plugins.MiniMap(tile_layer=tiles, position="bottomleft", toggle_display=True).add_to(m)
        Spread().add_to(m)
        ZoomLabels().add_to(m)
        KeepPopup().add_to(m)
        if view.fit is not None:
            FitDefault(view.fit, MAP.center, MAP.zoom).add_to(m)
        if view.fill_height:
            FillHeight().add_to(m)
    if view.legend:
        Legend(view.legend, title="图例" if view.lang == "zh" else "Legend").add_to(m)
    localize(m)
    if view.publish is not None:
        add_prefetch(m, [*remote_urls(m), *prefetch])
    return m


def build_map(layers: list[MapLayer], view: MapView) -> folium.Map:
    """The whole map as one folium object (standalone HTML, tests, exports)."""
    m = build_base_map(view)
    for layer in layers:
        overlay_group(layer, view).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return localize(m)
