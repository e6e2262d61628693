"""Analysis tables as a page shows them (atlas/tables.py, issue 23): hand-computed values."""

import pandas as pd

from atlas.tables import readable_table, without_repeats


def _table():
    return pd.DataFrame({"zone": ["aoshan", "city"], "name_zh": ["鳌山湾", "全市"], "name_en": ["Aoshan Bay", "City"],
                         "count": [4, 49], "area_km2": [645.0, 11240.0], "per_km2": [4 / 645, 49 / 11240],
                         "share": [4 / 49, 1.0], "top_lq_type": ["national_lab", None]}).set_index("zone")


def test_small_densities_read_per_100_km2_names_not_ids_shares_in_percent():
    zh = readable_table(_table(), "zh")
    assert list(zh.columns[:2]) == ["名称", "数量(个)"] and "zone" not in zh.columns and "分区" not in zh.columns
    assert list(zh.index) == ["aoshan", "city"]  # for code only: pages hide the index
    assert zh["名称"].tolist() == ["鳌山湾", "全市"]
    per = zh["密度(个/百平方公里)"].tolist()  # 49 / 11,240 km² = 0.0044 per km² = 0.44 per 100 km² (not "0.00")
    assert per == [round(400 / 645, 2), round(4900 / 11240, 2)] == [0.62, 0.44]
    assert zh["占全市数量(%)"].tolist() == [8.0, 100.0]  # 4 of 49 = 8.2 % -> 0 decimals (column reaches 100)
    assert zh["区位商最高的类型"].iloc[0] == "国家实验室"
    en = readable_table(_table(), "en")
    assert "Per 100 km²" in en.columns and en["Name"].tolist() == ["Aoshan Bay", "City"]


def test_a_density_readable_per_km2_stays_per_km2():
    frame = pd.DataFrame({"name_zh": ["甲"], "name_en": ["A"], "per_km2": [3.456]})
    assert readable_table(frame, "zh")["密度(个/平方公里)"].tolist() == [3.46]


def test_without_repeats_keeps_names_and_new_measures():
    shown = pd.DataFrame(columns=["count", "area_km2"])
    left = without_repeats(pd.DataFrame(columns=["zone", "name_zh", "count", "area_km2", "R", "p"]), shown)
    assert list(left.columns) == ["zone", "name_zh", "R", "p"]


def test_comparison_sheet_puts_the_zones_in_columns_and_formats_cells():
    from atlas.tables import comparison_sheet

    zh = comparison_sheet(_table(), "zh")
    assert list(zh.columns) == ["鳌山湾", "全市"] and zh.index.name == "指标"  # a bay's short name; the city its name
    assert zh.loc["数量(个)"].tolist() == ["4", "49"]  # whole numbers without decimals
    assert zh.loc["陆地面积(平方公里)"].tolist() == ["645", "11,240"]  # thousands separated
    assert zh.loc["密度(个/百平方公里)"].tolist() == ["0.62", "0.44"]
    assert zh.loc["区位商最高的类型"].tolist() == ["国家实验室", "–"]  # a missing value reads "–", not "None"
    en = comparison_sheet(_table(), "en")
    assert list(en.columns) == ["Aoshan Bay", "City"] and "Per 100 km²" in en.index
