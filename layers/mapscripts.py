"""Small Leaflet behaviours added from the map script (they survive inside streamlit-folium).

* :class:`Spread` — markers sharing one point are fanned out in a ring (screen pixels,
  recomputed on zoom), the weightiest kept at the centre and on top; data never move.
* :class:`ZoomLabels` — permanent name labels for features whose ``_minzoom`` the
  map has reached (parks, clusters, key institutions, stations), placed at the
  marker (or ``_lx``/``_ly`` for areas); text set with ``textContent``.
* :class:`TileNotice` — a visible notice when a web basemap's tiles fail to load.
* :class:`LegendCloseOnPopup` is folded into the legend (layers/legend.py).
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from layers.legend import _js_json


class Spread(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, timer = null;
            function spread() {
                var groups = {};
                map.eachLayer(function (l) {
                    if (!(l instanceof L.CircleMarker) || !l.feature) { return; }
                    if (!l._home) { l._home = l.getLatLng(); }
                    var key = l._home.lat.toFixed(5) + "," + l._home.lng.toFixed(5);
                    (groups[key] = groups[key] || []).push(l);
                });
                Object.keys(groups).forEach(function (key) {
                    var g = groups[key];
                    g.sort(function (a, b) {
                        return (a.feature.properties.weight || 0) - (b.feature.properties.weight || 0);
                    });
                    var top = g.pop();
                    top.setLatLng(top._home);
                    if (!g.length) { return; }
                    var c = map.latLngToLayerPoint(top._home), r = Math.max(14, 4 * g.length);
                    g.forEach(function (m, i) {
                        var a = 2 * Math.PI * i / g.length - Math.PI / 2;
                        m.setLatLng(map.layerPointToLatLng(L.point(c.x + r * Math.cos(a), c.y + r * Math.sin(a))));
                    });
                    top.bringToFront();
                });
                map.fire("atlas:spread");
            }
            function later(e) {
                if (e && e.layer && !(e.layer instanceof L.LayerGroup)) { return; }  // our labels, single markers
                clearTimeout(timer); timer = setTimeout(spread, 60);
            }
            map.on("zoomend layeradd", later);
            later();
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "Spread"


class ZoomLabels(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, shown = [], timer = null;
            function draw() {
                shown.forEach(function (t) { map.removeLayer(t); });
                shown = [];
                var z = map.getZoom(), seen = {};
                map.eachLayer(function (l) {
                    var p = l.feature && l.feature.properties;
                    if (!p || !p._label || p._minzoom == null || z < p._minzoom) { return; }
                    var at = l.getLatLng ? l.getLatLng() : (p._ly != null ? L.latLng(p._ly, p._lx) : null);
                    if (!at) { return; }
                    var key = p._label + "@" + at.lat.toFixed(4) + "," + at.lng.toFixed(4);
                    if (seen[key]) { return; }
                    seen[key] = true;
                    var span = document.createElement("span");
                    span.textContent = p._label;
                    var t = L.tooltip({permanent: true, direction: "right", offset: [6, 0], interactive: false,
                                       className: "atlas-label"}).setLatLng(at).setContent(span);
                    t.addTo(map);
                    shown.push(t);
                });
            }
            function later(e) {
                if (e && e.layer && !(e.layer instanceof L.LayerGroup)) { return; }  // our own labels: no loop
                clearTimeout(timer); timer = setTimeout(draw, 120);
            }
            map.on("zoomend layeradd layerremove atlas:spread", later);
            var css = document.createElement("style");
            css.textContent = ".atlas-label{background:rgba(255,255,255,0.8);border:0;box-shadow:none;"
                + "padding:0 3px;font:11px/1.3 'Noto Sans CJK SC','Noto Sans SC',sans-serif;color:#222}"
                + ".atlas-label:before{display:none}";
            document.head.appendChild(css);
            later();
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ZoomLabels"


class TileNotice(MacroElement):
    """A notice on the map when tiles of ``tile_layer`` fail (e.g. offline): never a silent blank."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, tiles = {{ this.tiles }}, box = null;
            tiles.on("tileerror", function () {
                if (box) { return; }
                box = L.control({position: "topright"});
                box.onAdd = function () {
                    var div = L.DomUtil.create("div", "atlas-tile-notice");
                    div.style.cssText = "background:#fff3cd;color:#664d03;border:1px solid #e0c36c;"
                        + "padding:6px 9px;border-radius:4px;font:12px/1.4 sans-serif;max-width:260px";
                    div.textContent = {{ this.message }};
                    return div;
                };
                box.addTo(map);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, tile_layer, message: str):
        super().__init__()
        self._name = "TileNotice"
        self.tiles = tile_layer.get_name()
        self.message = _js_json(message)


class Background(MacroElement):
    """The map container's colour: what shows where no layer draws (outside the shaded land)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.getContainer().style.background = {{ this.colour }};
        {% endmacro %}
        """
    )

    def __init__(self, colour: str):
        super().__init__()
        self._name = "Background"
        self.colour = _js_json(colour)


class LazyTools(MacroElement):
    """The fullscreen and measure controls, loaded after the map is drawn (served-data maps).

    streamlit-folium loads every plugin file one after another before the map script runs; these
    two are tools, not the map, so they arrive a moment later instead of delaying every feature.
    ``fullscreen``/``measure`` are the folium plugin objects (their options and files are used).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, files = {{ this.files }};
            function script(src) {
                return new Promise(function (ok, fail) {
                    var s = document.createElement("script");
                    s.src = src; s.onload = ok; s.onerror = fail;
                    document.head.appendChild(s);
                });
            }
            files.css.forEach(function (href) {
                var link = document.createElement("link");
                link.rel = "stylesheet"; link.href = href;
                document.head.appendChild(link);
            });
            Promise.all(files.js.map(script)).then(function () {
                L.control.fullscreen({{ this.fullscreen }}).addTo(map);
                map.addControl(new L.Control.Measure({{ this.measure }}));
                L.Control.Measure.include({  // as folium's MeasureControl: leaflet-measure with Leaflet >= 1.8
                    _setCaptureMarkerIcon: function () {
                        this._captureMarker.options.autoPanOnFocus = false;
                        this._captureMarker.setIcon(L.divIcon({iconSize: this._map.getSize().multiplyBy(2)}));
                    }
                });
            }, function () {});  // offline without the vendored files: the map works without its tools
        })();
        {% endmacro %}
        """
    )

    def __init__(self, fullscreen, measure, local_url):
        super().__init__()
        self._name = "LazyTools"
        assets = [*fullscreen.default_js, *measure.default_js]
        styles = [*fullscreen.default_css, *measure.default_css]
        self.files = _js_json({"js": [local_url(u) for _, u in assets], "css": [local_url(u) for _, u in styles]})
        self.fullscreen = _js_json(fullscreen.options)
        self.measure = _js_json(measure.options)


class KeepPopup(MacroElement):
    """A feature's popup survives the rerun its click causes (issue 23).

    A click selects the feature; the app reruns and streamlit-folium replaces the overlay groups, which
    closes the popup with its old layer. Here an open popup is remembered by its feature's ``id`` (or
    tooltip); when its layer leaves the map (not closed by the reader), the same feature's popup is
    opened again as soon as the new groups arrive (within ``keep_ms``). Closed by the reader — the close
    button, a click elsewhere, another popup — it is forgotten. The "more at this point" list gets
    room to be read (its own block, scrolling when long).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, keep = null, timer = null, reopening = false;
            function ident(l) {
                var p = l && l.feature && l.feature.properties;
                return p ? (p.id || p._tooltip || null) : null;
            }
            map.on("popupopen", function (e) {
                var id = ident(e.popup._source);
                keep = id ? {id: id, until: 0} : null;
                reopening = false;
            });
            map.on("popupclose", function (e) {
                var source = e.popup._source, id = ident(source);
                setTimeout(function () {  // removed with its layer (a rerun) or closed by the reader?
                    if (!keep || keep.id !== id) { return; }
                    if (source && source._map) { keep = null; } else { keep.until = Date.now() + {{ this.keep_ms }}; }
                }, 0);
            });
            function reopen() {
                if (!keep || !keep.until || Date.now() > keep.until) { return; }
                var found = null;
                map.eachLayer(function (l) {
                    if (!found && l.getPopup && l.getPopup() && ident(l) === keep.id && l._map) { found = l; }
                });
                if (found && !found.isPopupOpen()) { reopening = true; found.openPopup(); }
            }
            function later(e) {
                if (e && e.layer && !(e.layer instanceof L.LayerGroup)) { return; }
                clearTimeout(timer); timer = setTimeout(reopen, 150);
            }
            map.on("layeradd atlas:spread", later);
            window.atlasKeptPopup = function () { return keep && keep.id; };  // for tests
            var css = document.createElement("style");
            css.textContent = ".atlas-also{display:block;margin-top:6px;padding-top:4px;border-top:1px solid #ddd;"
                + "max-height:9em;overflow:auto;line-height:1.45}";
            document.head.appendChild(css);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, keep_ms: int = 10_000):
        super().__init__()
        self._name = "KeepPopup"
        self.keep_ms = int(keep_ms)


class FitDefault(MacroElement):
    """The default view shows the whole of ``bounds`` (the three bays) beside the map's own controls.

    Whenever the map stands at the default centre and zoom (first view, filters cleared), it is fitted
    to ``bounds`` (fractional zoom) with room kept for the controls in the top-right corner (layer list,
    legend) and a label's width, and for the zoom buttons and the scale bar: the legend never covers a
    cluster in the default view.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, home = {{ this.home }}, timer = null, fitted = null;
            var bounds = L.latLngBounds([[{{ this.s }}, {{ this.w }}], [{{ this.n }}, {{ this.e }}]]);
            function atHome() {
                if (map.getZoom() !== home[2]) { return false; }  // then: within 3 px of the default centre
                return map.project(map.getCenter()).distanceTo(map.project(L.latLng(home[0], home[1]))) < 3;
            }
            function fit() {
                var now = map.getCenter().toString() + map.getZoom();
                if (!atHome() || now === fitted) { return; }  // not at home, or home is what the fit gave
                var right = map._controlCorners.topright.offsetWidth + {{ this.label_px }};
                map.options.zoomSnap = 0.1;
                map.fitBounds(bounds, {paddingTopLeft: [56, 12], paddingBottomRight: [right, 36], animate: false});
                map.options.zoomSnap = 1;
                fitted = map.getCenter().toString() + map.getZoom();
            }
            function later() { clearTimeout(timer); timer = setTimeout(fit, 500); }  // after the legend folds
            map.on("moveend resize", later);
            later();
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: tuple[float, float, float, float], center: tuple[float, float], zoom: int,
                 label_px: int = 130):
        super().__init__()
        self._name = "FitDefault"
        self.w, self.s, self.e, self.n = (float(v) for v in bounds)
        self.home = _js_json([float(center[0]), float(center[1]), int(zoom)])
        self.label_px = int(label_px)


class FillHeight(MacroElement):
    """The map takes the height its frame has (the page sizes the frame to the window)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, timer = null;
            function fill() {
                var h = window.innerHeight, box = map.getContainer();
                if (h > 100 && Math.abs(box.offsetHeight - h) > 1) {
                    box.style.height = h + "px";
                    map.invalidateSize(false);
                }
            }
            window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(fill, 50); });
            fill();
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "FillHeight"

