"""A legend drawn as a Leaflet control from the map script: collapsible (``<details>``),
top right (out of the dense urban core, bottom right), and folded away when a popup opens.

Legends added to the figure's HTML are lost inside streamlit-folium (it only
runs the map's script); this one is built in JavaScript with ``textContent``,
so it survives there and no label can become markup.
"""

from __future__ import annotations

import json

from branca.element import MacroElement
from jinja2 import Template


class Legend(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var legend = L.control({position: {{ this.position_json }}});
            legend.onAdd = function () {
                var box = L.DomUtil.create("details", "atlas-legend");
                box.open = {{ this.open_json }};
                setTimeout(function () {  // once laid out: small maps keep it folded (one click opens it)
                    if (map.getSize().x < 1200) { box.open = false; }  // issue 23: not over the bays
                }, 400);
                box.style.cssText = "background:rgba(255,255,255,0.92);padding:4px 8px;"
                    + "border-radius:4px;font:11px/1.35 'Noto Sans CJK SC','Noto Sans SC',sans-serif;"
                    + "box-shadow:0 1px 4px rgba(0,0,0,0.3);max-height:55vh;overflow:auto;";
                var title = document.createElement("summary");
                title.style.cssText = "font-weight:bold;cursor:pointer";
                title.textContent = {{ this.title_json }};
                box.appendChild(title);
                var div = document.createElement("div");
                div.style.cssText = {{ this.items_count }} > 14 ? "column-count:2;column-gap:10px;" : "";
                box.appendChild(div);
                {{ this.items_json }}.forEach(function (item) {
                    var row = document.createElement("div");
                    var sym = document.createElement("span");
                    var base = "display:inline-block;margin-right:6px;vertical-align:middle;";
                    if (item[0] === "head") {
                        row.style.cssText = "font-weight:bold;margin-top:4px";
                        row.textContent = item[2];
                        div.appendChild(row);
                        return;
                    }
                    if (item[0] === "point") {
                        sym.style.cssText = base + "width:10px;height:10px;border-radius:50%;"
                            + "border:1px solid #333;background:" + item[1];
                    } else if (item[0] === "approx") {
                        sym.style.cssText = base + "width:10px;height:10px;border-radius:50%;"
                            + "border:1.5px dashed " + item[1] + ";background:rgba(0,0,0,0.08)";
                    } else if (item[0] === "dashed") {
                        sym.style.cssText = base + "width:18px;border-top:3px dashed " + item[1];
                    } else if (item[0] === "line") {
                        sym.style.cssText = base + "width:18px;border-top:3px solid " + item[1];
                    } else {
                        sym.style.cssText = base + "width:14px;height:10px;border:1px solid #333;background:" + item[1];
                    }
                    row.appendChild(sym);
                    row.appendChild(document.createTextNode(item[2]));
                    div.appendChild(row);
                });
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                return box;
            };
            legend.addTo(map);
            map.on("popupopen", function () { legend.getContainer().open = false; });  // never over a popup
        })();
        {% endmacro %}
        """
    )

    def __init__(self, items: list[tuple[str, str, str]], title: str = "Legend", *, position: str = "topright",
                 open_: bool = True):
        super().__init__()
        self._name = "Legend"
        self.position_json = _js_json(position)
        self.open_json = "true" if open_ else "false"
        self.items_json = _js_json(items)
        self.title_json = _js_json(title)
        self.items_count = len(items)


def _js_json(value, *, compact: bool = False) -> str:
    """JSON safe to inline in a <script>: no '</script>' or HTML comment can close it."""
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":") if compact else None)
        .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
