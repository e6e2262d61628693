"""How connectivity results are drawn: isochrone bands, critical links, origins."""

from __future__ import annotations

import geopandas as gpd

from layers.atlas_map import MapLayer

ISO_COLORS = ("#08306b", "#2171b5", "#6baed6", "#c6dbef", "#f7fbff")
GAIN_COLOR = "#e6550d"
CRITICAL_COLOR = "#d7191c"
ORIGIN_STYLE = {"color": "#000000", "fillColor": "#ffd400", "fillOpacity": 1.0, "weight": 2}


def iso_style(rank: int) -> dict:
    color = ISO_COLORS[min(rank, len(ISO_COLORS) - 1)]
    return {"color": color, "weight": 1, "fillColor": color, "fillOpacity": 0.35}


def _with_text(frame: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    out = frame.copy()
    out["notes"] = notes
    out["id"] = [f"r{i}" for i in range(len(out))]
    return out


def isochrone_layers(iso: gpd.GeoDataFrame, *, lang: str) -> list[MapLayer]:
    """One layer per cutoff, the widest first so the nearer bands lie on top."""
    layers = []
    ordered = iso.sort_values("cutoff_min", ascending=False)
    n = len(ordered)
    for rank, (_, row) in enumerate(ordered.iterrows()):
        frame = _with_text(ordered.loc[[row.name]], [f"{row['area_km2']:.0f} km²"])
        title = row["name_zh"] if lang == "zh" else row["name_en"]
        layers.append(MapLayer(f"iso_{row['cutoff_min']:g}", title, frame, iso_style(n - 1 - rank)))
    return layers


def gain_layer(change: gpd.GeoDataFrame, *, lang: str) -> MapLayer:
    frame = _with_text(change, [f"+{g:.1f} km²" for g in change["gained_km2"]])
    title = "情景新增可达范围" if lang == "zh" else "Area gained in the scenario"
    return MapLayer("iso_gain", title, frame, {"color": GAIN_COLOR, "weight": 1, "fillColor": GAIN_COLOR,
                                               "fillOpacity": 0.45})


def critical_layer(geoms: gpd.GeoDataFrame, ranking, *, lang: str) -> MapLayer:
    """The ranked links in red, with their extra minutes in the popup."""
    info = ranking.set_index("link")
    frame = geoms.dropna(subset=["geometry"]).copy()
    frame["name_zh"] = [info.at[k, "name_zh"] for k in frame["link"]]
    frame["name_en"] = [info.at[k, "name_en"] for k in frame["link"]]
    notes = [f"+{info.at[k, 'delta_min']:.1f} min; {int(info.at[k, 'disconnected_pairs'])} pairs cut"
             for k in frame["link"]]
    title = "关键连接" if lang == "zh" else "Critical links"
    return MapLayer("critical", title, _with_text(frame, notes), {"color": CRITICAL_COLOR, "weight": 6,
                                                                   "opacity": 0.85})


ROUTE_STYLE = {"color": "#e6007e", "weight": 5, "opacity": 0.9}


def route_layer(legs: gpd.GeoDataFrame, *, title: str) -> MapLayer:
    """The legs of one route (walk, ride, drive …) as a thick magenta line; popups name line and minutes."""
    return MapLayer("route", title, _with_text(legs[["name_zh", "name_en", "geometry"]], list(legs["name_en"])),
                    ROUTE_STYLE)


def commute_layer(circles: gpd.GeoDataFrame, cutoff: int, rank: int, *, lang: str) -> MapLayer:
    """One cutoff of the commute circles (all clusters), widest drawn first like the isochrones."""
    title = f"≤{cutoff} 分钟通勤圈" if lang == "zh" else f"≤{cutoff}-min commute circle"
    notes = [f"{a:.0f} km²" for a in circles["area_km2"]]
    return MapLayer(f"commute_{cutoff}", title, _with_text(circles[["name_zh", "name_en", "geometry"]], notes),
                    iso_style(2 - min(rank, 2)))


def origin_layer(points: gpd.GeoDataFrame, *, lang: str) -> MapLayer:
    title = "起点" if lang == "zh" else "Origin"
    return MapLayer("origin", title, points, ORIGIN_STYLE, point_radius=8)


def legend(cutoffs, *, lang: str) -> list[tuple[str, str, str]]:
    unit = "分钟" if lang == "zh" else "min"
    items = [("area", ISO_COLORS[min(i, len(ISO_COLORS) - 1)], f"≤ {c:g} {unit}")
             for i, c in enumerate(sorted(cutoffs))]
    items.append(("line", CRITICAL_COLOR, "关键连接" if lang == "zh" else "Critical links"))
    items.append(("area", GAIN_COLOR, "情景新增" if lang == "zh" else "Scenario gain"))
    return items


CONTEXT_STYLE = {"color": "#7f7f7f", "weight": 1.5, "opacity": 0.6}


def context_layers(districts: gpd.GeoDataFrame, links: gpd.GeoDataFrame, metro_lines: gpd.GeoDataFrame,
                   *, lang: str) -> list[MapLayer]:
    """Districts and the transport network in grey, under the results."""
    from layers import districts as district_layer

    zh = lang == "zh"
    return [
        MapLayer("districts", "行政区划" if zh else "Districts", districts, district_layer.STYLE),
        MapLayer("links", "铁路·桥隧·高速" if zh else "Rail, bridges, tunnels, expressways", links, CONTEXT_STYLE),
        MapLayer("metro", "地铁线路" if zh else "Metro lines", metro_lines, {**CONTEXT_STYLE, "dashArray": "3 3"}),
    ]


def iso_legend(cutoffs, *, lang: str) -> list[tuple[str, str, str]]:
    """The isochrone map's own legend: its bands, the scenario gain and the origin."""
    unit = "分钟" if lang == "zh" else "min"
    items = [("area", ISO_COLORS[min(i, len(ISO_COLORS) - 1)], f"≤ {c:g} {unit}")
             for i, c in enumerate(sorted(cutoffs))]
    items.append(("area", GAIN_COLOR, "情景新增" if lang == "zh" else "Scenario gain"))
    items.append(("point", ORIGIN_STYLE["fillColor"], "起点" if lang == "zh" else "Origin"))
    return items


def critical_legend(*, lang: str) -> list[tuple[str, str, str]]:
    label = "关键连接（移除后变慢）" if lang == "zh" else "Critical links (slower without them)"
    return [("line", CRITICAL_COLOR, label)]


def route_legend(*, lang: str) -> list[tuple[str, str, str]]:
    return [("line", ROUTE_STYLE["color"], "路线" if lang == "zh" else "Route"),
            ("point", ORIGIN_STYLE["fillColor"], "起点与终点" if lang == "zh" else "Start and end")]


def commute_legend(cutoffs, *, lang: str) -> list[tuple[str, str, str]]:
    unit = "分钟通勤圈" if lang == "zh" else "min commute circle"
    return [("area", ISO_COLORS[min(i, len(ISO_COLORS) - 1)], f"≤ {c:g} {unit}")
            for i, c in enumerate(sorted(cutoffs))]
