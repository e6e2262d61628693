"""Every user-facing string of the app, in 中文 and English — one place."""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

STRINGS: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "title": ("青岛湾区科创走廊图集", "Qingdao Bay-Area Innovation Corridor Atlas"),
    "subtitle": ("依据《青岛市“十四五”科技创新规划》", "After Qingdao's 14th Five-Year S&T Innovation Plan"),
    "language": ("语言 / Language", "Language / 语言"),
    "basemap": ("底图", "Basemap"),
    "layers": ("图层", "Layers"),
    "filters": ("筛选", "Filters"),
    "cluster": ("湾区", "Bay cluster"),
    "district": ("区(市)", "District"),
    "rtype": ("资源类型", "Resource type"),
    "status": ("状态", "Status"),
    "search": ("搜索名称(中/英)", "Search names (zh/en)"),
    "search_hint": ("例如：海洋大学、Laoshan、院士港", "e.g. Ocean University, 崂山, Academician"),
    "no_match": ("没有找到匹配“{q}”的要素。", "No feature matches “{q}”."),
    "matches": ("匹配结果", "Matches"),
    "located": ("已定位：{name}", "Located: {name}"),
    "counts": ("当前显示要素数", "Features shown"),
    "total": ("合计", "Total"),
    "details": ("要素详情", "Feature details"),
    "click_hint": ("点击地图上的要素查看详情。", "Click a feature on the map to see its details."),
    "share": ("分享链接", "Share link"),
    "share_hint": ("地址栏中的链接会还原当前视图、底图、语言、图层和筛选。",
                   "The link in the address bar restores this view, basemap, language, layers and filters."),
    "sync_view": ("平移缩放时同步链接(会重新运行页面)", "Keep the link in sync while panning (reruns the page)"),
    "bad_query": ("链接参数“{param}”无效，已使用默认值。", "Link parameter “{param}” was invalid; using the default."),
    "assets_missing": ("地图文件未安装，请先运行 `make setup`：", "Map files are not installed; run `make setup`:"),
    "layer_error": ("图层“{name}”无法加载：{err}", "Layer “{name}” could not be loaded: {err}"),
    "tianditu_hint": ("设置 TIANDITU_TOKEN (环境变量或 secrets) 后可使用天地图。",
                      "Set TIANDITU_TOKEN (environment or Streamlit secrets) to enable Tianditu."),
    "amap_note": ("高德底图为GCJ-02坐标：叠加图层仅在显示时偏移，数据本身不变。",
                  "AMap tiles are GCJ-02: overlays are shifted for display only; stored data is unchanged."),
    "offline_note": ("无底图模式可离线使用；在线底图需要互联网。", "“No basemap” works offline; web basemaps need the internet."),
    "all": ("全部", "All"),
    "outputs": ("简报与导出", "Briefing & export"),
    "brief_png": ("生成简报图 (PNG, 300 dpi)", "Briefing image (PNG, 300 dpi)"),
    "rendering": ("正在渲染简报图…", "Rendering the briefing…"),
    "more_outputs": ("更多格式(PDF、GeoPackage、CSV、版式)见“导出”页。",
                     "More formats (PDF, GeoPackage, CSV, presets) on the Export page."),
    "legend": ("图例", "Legend"),
    "choose": ("请选择", "Choose"),
    "match_line": ("{name}（{kind} · {layer}）", "{name} ({kind} · {layer})"),
    "here_n": ("此处共有 {n} 个要素", "{n} features at this point"),
    "tiles_failed": ("在线底图瓦片无法加载(需要互联网)。叠加图层不受影响；离线请选“无底图”。",
                     "Web basemap tiles could not load (they need the internet). Overlays are unaffected; "
                     "offline, choose “No basemap”."),
    "legend_land": ("青岛市陆域", "Qingdao land"), "legend_bay": ("胶州湾水域", "Jiaozhou Bay water"),
    "legend_outside": ("市域以外(邻市陆地与海域未区分)", "Outside Qingdao (land and sea not told apart)"),
    "legend_approx": ("位置为近似(误差 > {m} 米)", "Approximate position (± > {m} m)"),
    # page titles (the navigation menu and the browser tab)
    "page_map": ("地图", "Map"), "page_density": ("创新资源密度", "Resource density"),
    "page_connectivity": ("走廊连通性", "Connectivity"), "page_export": ("导出与简报", "Export & briefing"),
    # field labels used in the details panel
    "f_name": ("名称", "Name"), "f_value": ("内容", "Value"), "f_category": ("类别", "Category"), "f_type": ("类型", "Type"),
    "f_level": ("级别", "Level"), "f_plan_ref": ("规划原文", "Plan reference"),
    "f_source": ("位置来源", "Location source"), "f_precision": ("几何精度", "Geometry precision"),
    "f_as_of": ("截至", "As of"), "f_notes": ("备注", "Notes"), "f_lines": ("线路", "Lines"),
    "f_focus": ("重点产业", "Focus industries"), "f_layer": ("图层", "Layer"),
    "f_uncertainty": ("位置误差", "Position uncertainty"), "f_licence": ("许可", "Licence"),
}

#: Labels for coded values (layers, categories, statuses, resource types, levels).
VALUES: dict[str, tuple[str, str]] = {
    "districts": ("行政区划", "Districts"),
    "clusters": ("三湾科创集聚区", "Bay clusters"),
    "jiaozhou_bay": ("胶州湾水域", "Jiaozhou Bay water"),
    "parks": ("高新区一区多园", "High-tech zone parks"),
    "park_sites": ("园区重点载体", "Park sub-sites"),
    "resources": ("创新资源", "Innovation resources"),
    "transport_nodes": ("机场·港口·铁路站", "Airport, ports, rail stations"),
    "links": ("铁路·桥隧·高速", "Rail, bridge, tunnels, expressways"),
    "metro_lines": ("地铁线路", "Metro lines"),
    "metro_stations": ("地铁站", "Metro stations"),
    "operating": ("运营", "Operating"),
    "under_construction": ("在建", "Under construction"),
    "planned": ("规划", "Planned"),
    "university": ("高校(主校区)", "University (main campus)"),
    "campus": ("高校校区", "University campus"),
    "college": ("其他本科院校", "Other undergraduate college"),
    "vocational_college": ("高职院校", "Vocational college"),
    "national_lab": ("国家实验室", "National laboratory"),
    "institute": ("科研院所", "Research institute"),
    "platform": ("创新平台", "Innovation platform"),
    "facility": ("重大科技设施", "Major S&T facility"),
    "incubator": ("孵化器", "Incubator"),
    "zone": ("功能区", "Zone"),
    "national": ("国家级", "National"), "provincial": ("省级", "Provincial"), "municipal": ("市级", "Municipal"),
    "airport": ("机场", "Airport"), "port": ("港口", "Port"), "rail_station": ("铁路客运站", "Rail station"),
    "rail_line": ("铁路/高铁", "Rail / HSR"), "bridge": ("跨海大桥", "Bay bridge"),
    "tunnel": ("海底隧道", "Undersea tunnel"), "expressway": ("高速公路", "Expressway"),
    "metro_station": ("地铁站", "Metro station"), "metro_line": ("地铁线", "Metro line"),
    "resource": ("创新资源", "Innovation resource"),
    "park": ("园区", "Park"), "park_site": ("园区载体", "Park sub-site"),
    "surveyed": ("实测/已发布坐标", "Surveyed / published"), "footprint_approx": ("近似范围", "Approximate footprint"),
    "representative_point": ("代表点", "Representative point"), "schematic": ("示意", "Schematic"),
    "district": ("区(市)", "District"), "bay_cluster": ("湾区集聚区", "Bay cluster"), "corridor": ("走廊", "Corridor"),
}


def lang_of(session, params) -> str:
    """The app's one language: the switch (``w_lang``), else the map view's, else the URL's ``lang``."""
    for value in (session.get("w_lang"), getattr(session.get("view"), "lang", None), params.get("lang")):
        if isinstance(value, list | tuple):
            value = value[-1] if value else None
        if value in LANGS:
            return value
    return DEFAULT_LANG


def t(key: str, lang: str, **fmt) -> str:
    """The string ``key`` in ``lang`` (falls back to the key itself)."""
    pair = STRINGS.get(key)
    text = key if pair is None else pair[0 if lang == "zh" else 1]
    return text.format(**fmt) if fmt else text


def label(value: str, lang: str, kind: str | None = None) -> str:
    """Human label of a coded value; districts and clusters come from the schema.

    ``kind`` ("cluster" or "district") disambiguates ids both use ("jiaozhou").
    """
    from layers.schema import CLUSTERS, DISTRICTS

    tables = {"cluster": (CLUSTERS,), "district": (DISTRICTS,)}.get(kind or "", (VALUES, DISTRICTS, CLUSTERS))
    for table in tables:
        if value in table:
            return table[value][0 if lang == "zh" else 1]
    return str(value)
