"""Overlays whose features are fetched as a static file instead of riding in the map script.

:func:`payload` turns a layer into the display GeoJSON the browser fetches (escaped popups
and tooltips as in :mod:`layers.render`, each feature's style evaluated here and stored once
per distinct style, line/polygon coordinates packed). :class:`RemoteLayer` is the few hundred
bytes the map script carries instead: which file, which features (ids) to show, how to draw.
:class:`RemoteSupport` (added once to the base map) holds the browser side:

* each file is fetched once per map (``window.__atlasData``) — a filter change re-uses it;
* layers are added in script order (one promise chain), so areas stay under points whatever
  order the files arrive in;
* popups list the other features drawn at the same point (across layers, names set as text),
  which keeps that list out of every feature's data;
* a file that cannot be loaded puts a visible notice on the map, never a silent blank.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from core.settings import MAP
from layers.legend import _js_json
from layers.render import _PACKED_DEPTH, _UNPACK_JS, ALSO_HERE, ALSO_SEP, display_frame, pack_lines

#: Popup options (as layers.render.geojson_layer gives folium.GeoJsonPopup).
POPUP_OPTIONS = {"maxWidth": 380, "maxHeight": 300, "autoPanPaddingTopLeft": [50, 10],
                 "autoPanPaddingBottomRight": [60, 10]}
#: Hover style (as geojson_layer's highlight_function): a hovered district must not hide the rest.
HIGHLIGHT = {"weight": 4, "fillOpacity": 0.25}
#: Panes made by RemoteSupport: shading under every overlay; the selection ring over them.
BASE_PANE, TOP_PANE = "atlasBase", "atlasTop"


def payload(gdf: gpd.GeoDataFrame, style: Callable[[dict], dict] | dict, lang: str, *,
            popups: bool = True) -> bytes:
    """The file the browser fetches for one layer (UTF-8 JSON).

    ``features[i].properties._s`` indexes ``styles`` (the style function's result for that
    feature); ``_name`` is the name in ``lang`` (set as text, for the "also here" list).
    ``popups=False`` (shading) keeps only the geometry.
    """
    frame = display_frame(gdf if popups else gdf[["geometry"]], lang, also_here=False)
    if popups and ("name_zh" if lang == "zh" else "name_en") in gdf:
        frame["_name"] = gdf["name_zh" if lang == "zh" else "name_en"].astype(str).to_numpy()
    fc = json.loads((frame if popups else frame[["geometry"]]).to_json(drop_id=True))
    style_fn = style if callable(style) else (lambda _f, s=style: dict(s))
    index: dict[str, int] = {}
    for f in fc["features"]:
        key = json.dumps(style_fn(f), sort_keys=True, separators=(",", ":"))
        f["properties"]["_s"] = index.setdefault(key, len(index))
    fc, _ = pack_lines(fc, MAP.display_precision)
    fc["styles"] = [json.loads(k) for k in index]
    return json.dumps(fc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


class RemoteSupport(MacroElement):
    """The browser side of remote layers (once per map): fetch, unpack, style, popups, notices."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, T = {{ this.text }};
            [[{{ this.base_pane }}, 250], [{{ this.top_pane }}, 450]].forEach(function (p) {
                if (!map.getPane(p[0])) { var e = map.createPane(p[0]); e.style.zIndex = p[1]; e.style.pointerEvents = "none"; }
            });
            function unpack(fc) { return {{ this.unpack }}; }
            function notice(err) {
                if (map._atlasDataNotice) { return; }
                var box = map._atlasDataNotice = L.control({position: "topright"});
                box.onAdd = function () {
                    var div = L.DomUtil.create("div", "atlas-data-notice");
                    div.style.cssText = "background:#f8d7da;color:#58151c;border:1px solid #e4a0a6;"
                        + "padding:6px 9px;border-radius:4px;font:12px/1.4 sans-serif;max-width:260px";
                    div.textContent = T.failed + " (" + err + ")";
                    return div;
                };
                box.addTo(map);
            }
            function alsoHere(layer) {
                var home = layer._home || (layer.getLatLng && layer.getLatLng()), names = [];
                if (!home || !layer._map) { return names; }
                var key = home.lat.toFixed(5) + "," + home.lng.toFixed(5);
                layer._map.eachLayer(function (l) {
                    if (l === layer || !(l instanceof L.CircleMarker) || !l.feature) { return; }
                    var h = l._home || l.getLatLng();
                    if (h.lat.toFixed(5) + "," + h.lng.toFixed(5) === key && l.feature.properties._name) {
                        names.push([l.feature.properties.weight || 0, l.feature.properties._name]);
                    }
                });
                names.sort(function (a, b) { return b[0] - a[0]; });
                return names.map(function (n) { return n[1]; });
            }
            function popup(layer) {
                var div = document.createElement("div");
                div.innerHTML = layer.feature.properties._popup;  // built and escaped by the server
                var names = alsoHere(layer);
                if (names.length) {
                    var more = document.createElement("div"), head = document.createElement("b");
                    more.className = "atlas-also";
                    head.textContent = T.also.replace("{n}", names.length);
                    more.appendChild(head);
                    more.appendChild(document.createTextNode(" " + names.join(T.sep)));
                    (div.firstChild || div).appendChild(more);
                }
                return div;
            }
            function draw(fc, o) {
                var keep = o.ids ? new Set(o.ids) : null, styles = fc.styles, geo;
                var opts = {
                    interactive: o.interactive,
                    filter: function (f) { return !keep || keep.has(f.properties.id); },
                    style: function (f) { return styles[f.properties._s]; },
                    pointToLayer: function (f, at) {
                        return L.circleMarker(at, {radius: o.radius, pane: o.pane || "overlayPane", interactive: o.interactive});
                    }
                };
                if (o.pane) { opts.pane = o.pane; }
                if (o.interactive) {
                    opts.onEachFeature = function (f, l) {
                        l.bindTooltip(f.properties._tooltip, {sticky: true});
                        l.bindPopup(popup, {{ this.popup_options }});
                        l.on("mouseover", function () { l.setStyle({{ this.highlight }}); });
                        l.on("mouseout", function () { geo.resetStyle(l); });
                    };
                }
                geo = L.geoJSON(fc, opts);
                return geo;
            }
            window.atlasRemote = function (parent, o) {
                var store = window.__atlasData = window.__atlasData || {}, raw = window.__atlasRaw || {};
                if (!store[o.url]) {  // fetched already by static/atlas/prefetch.js, or now
                    store[o.url] = (raw[o.url] || fetch(o.url).then(function (r) {
                        if (!r.ok) { throw new Error("HTTP " + r.status); }
                        return r.json();
                    })).then(unpack);
                    store[o.url].catch(function () { delete store[o.url]; delete raw[o.url]; });  // retried next time
                }
                var data = store[o.url];
                window.__atlasChain = (window.__atlasChain || Promise.resolve()).then(function () {
                    return data.then(function (fc) { parent.addLayer(draw(fc, o)); }, notice);
                });
                return window.__atlasChain;
            };
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str = "zh"):
        super().__init__()
        self._name = "RemoteSupport"
        from core.i18n import t  # the one string catalogue

        self.text = _js_json({"failed": t("map_data_failed", lang), "sep": ALSO_SEP,
                              "also": ALSO_HERE[lang if lang in ALSO_HERE else "en"]})
        self.base_pane, self.top_pane = _js_json(BASE_PANE), _js_json(TOP_PANE)
        self.unpack = _UNPACK_JS.format(depth=json.dumps(_PACKED_DEPTH, separators=(",", ":")), data="fc",
                                        scale=f"1e-{MAP.display_precision}")
        self.popup_options = _js_json(POPUP_OPTIONS)
        self.highlight = _js_json(HIGHLIGHT)


#: static/atlas/prefetch.js, served by Streamlit (committed: the atlas's own code, not an npm file)
PREFETCH_URL = "/app/static/atlas/prefetch.js"


def remote_urls(element) -> list[str]:
    """Every RemoteLayer URL below ``element`` (a map or feature groups), in script order."""
    found = [element.url] if isinstance(element, RemoteLayer) else []
    for child in getattr(element, "_children", {}).values():
        found += remote_urls(child)
    return found


def add_prefetch(m, urls: list[str]) -> None:
    """Load :data:`PREFETCH_URL` before Leaflet: the layer files download while the plugins load."""
    if not urls:
        return
    query = "&".join("u=" + quote(u, safe="") for u in dict.fromkeys(urls))
    m.default_js = [("atlas_prefetch", f"{PREFETCH_URL}?{query}"),
                    *[(n, u) for n, u in m.default_js if n != "atlas_prefetch"]]


class RemoteLayer(MacroElement):
    """One layer drawn from a served file into its parent (a FeatureGroup or the map)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.atlasRemote({{ this._parent.get_name() }}, {{ this.options }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str, *, ids: list[str] | None = None, radius: float = 6,
                 interactive: bool = True, pane: str | None = None):
        super().__init__()
        self._name = "RemoteLayer"
        self.url, self.ids = url, ids
        self.options = _js_json({"url": url, "ids": ids, "radius": radius, "interactive": interactive,
                                 "pane": pane}, compact=True)
