"""The density page runs headless (AppTest) on the atlas's resources and reacts to its widgets."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGE = ROOT / "views" / "density.py"


def _page(timeout=180, lang="en"):
    at = AppTest.from_file(str(PAGE), default_timeout=timeout)
    at.query_params["lang"] = lang  # the app's one language switch (app.py) reaches the page through the URL
    return at


@pytest.fixture(scope="module")
def app():
    return _page().run()


def test_page_runs_and_compares_the_bays(app):
    assert not app.exception, app.exception
    assert "Innovation-resource density" in app.title[0].value
    table = app.dataframe[0].value  # a sheet: the bays as columns, one measure per row (fits 1280 px)
    bays = ["Aoshan Bay", "Jiaozhou Bay", "Lingshan Bay"]
    assert list(table.columns) == [*bays, "Whole city"] and table.index.name == "Measure"
    count = {z: int(table.loc["Count", z].replace(",", "")) for z in table.columns}
    assert count["Whole city"] >= sum(count[b] for b in bays)
    assert "Land area (km²)" in table.index and "Share of city count (%)" in table.index  # units in headings
    assert 0 < float(table.loc["Share of city count (%)", "Jiaozhou Bay"]) <= 100  # shares read as percent
    labels = [b.label for b in app.get("download_button")]
    assert "Bay comparison CSV" in labels and "Hexagons GeoJSON" in labels
    assert any(c.value.replace("\\", "").startswith("Parameters: Gaussian kernel, bandwidth 2,000 m") for c in app.caption)
    hot = [c.value for c in app.caption if "“Hot” means" in c.value]
    assert hot and "Benjamini–Hochberg" in hot[0] and "held at 5%" in hot[0] and "9,999 draws" in hot[0]


def test_page_speaks_one_language():
    at = _page(lang="zh").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "创新资源密度"
    assert "数量(个)" in at.dataframe[0].value.index and "胶州湾" in at.dataframe[0].value.columns
    assert not any("Innovation" in c.value for c in at.caption)
    assert any("错误发现率" in c.value and "至多 5%" in c.value for c in at.caption)


def test_switching_to_districts_and_unweighted(app):
    app.selectbox(key="w_zones").set_value("districts")
    app.selectbox(key="w_weight").set_value("<none>")
    app.run()
    assert not app.exception, app.exception
    zones = app.dataframe[-1].value  # a sheet: one column per district
    assert len(zones.columns) == 10 and "Shinan" in zones.columns and "Jiaozhou" in zones.columns  # not 胶州湾
    assert (zones.loc["Weighted count"] == zones.loc["Count"]).all()


def test_upload_mode_without_a_file_asks_for_a_file():
    at = _page(120).run()
    at.sidebar.radio[0].set_value("upload").run()
    assert not at.exception
    assert any("Upload a CSV or GeoJSON" in i.value for i in at.info)
    assert len(at.dataframe) == 0


def test_an_upload_survives_reruns_in_the_session():
    at = _page()
    csv = "name,lon,lat\na,120.38,36.07\nb,120.40,36.10\nc,120.45,36.12\nbad,abc,36.1\n".encode("gbk")
    at.session_state["density_upload"] = ("mine.csv", csv)  # as left by an earlier upload
    at.run()
    at.sidebar.radio[0].set_value("upload").run()
    assert not at.exception, at.exception
    assert not any("Upload a CSV or GeoJSON" in i.value for i in at.info)
    assert any("mine\\.csv" in c.value for c in at.sidebar.caption)  # escaped: shown as text
    at.run()  # another rerun: still there
    assert any("mine\\.csv" in c.value for c in at.sidebar.caption)  # escaped: shown as text


def test_offshore_upload_rows_are_reported_not_lost():
    at = _page()
    rows = ["name,lon,lat,weight"] + [f"p{i},{120.38 + i * 0.002:.4f},{36.10 + i * 0.001:.4f},{i % 3 + 1}" for i in range(18)]
    rows += ["sea1,120.45,36.00,1", "sea2,120.50,36.02,2"]  # just off Laoshan / Shinan, inside Qingdao's bbox
    at.session_state["density_upload"] = ("mine.csv", ("\n".join(rows) + "\n").encode("utf-8"))
    at.run()
    at.sidebar.radio[0].set_value("upload").run()
    assert not at.exception, at.exception
    assert any("2 of 20 points lie outside" in w.value for w in at.warning), [w.value for w in at.warning]
    listed = next(d.value for d in at.dataframe if "Longitude" in d.value.columns)  # no reason id on the page
    assert listed["Row"].tolist() == [19, 20] and listed["Longitude"].tolist() == [120.45, 120.5]  # the file's rows
    assert at.selectbox(key="w_weight").value == "weight"  # the numeric column weights
    problem_dl = [b for b in at.get("download_button") if b.label == "Problem rows CSV"][0]
    assert not problem_dl.proto.disabled


def test_an_upload_is_held_by_its_session_until_the_next_one_replaces_it():
    """Issue 24: the parsed points live with the reader's session (freed with it), one file at a time."""
    at = _page()
    first = "name,lon,lat\na,120.38,36.07\nb,120.40,36.10\nc,120.45,36.12\n".encode()
    at.session_state["density_upload"] = ("first.csv", first)
    at.run()
    at.sidebar.radio[0].set_value("upload").run()
    assert not at.exception, at.exception
    key, (pts, problems) = at.session_state["density_points"]
    assert key[1] == "first.csv" and len(pts) == 3 and problems == []
    at.session_state["density_upload"] = ("second.csv", first + b"d,120.50,36.20\n")
    at.run()
    key, (pts, _) = at.session_state["density_points"]
    assert key[1] == "second.csv" and len(pts) == 4  # replaced, not added beside the first
    other = _page().run()  # another reader's session holds nothing of it
    assert "density_points" not in other.session_state
