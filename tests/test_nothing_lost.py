"""Using the app never changes the committed geodata, and cached layers cannot be corrupted."""

import hashlib

from streamlit.testing.v1 import AppTest

from atlas import mapmodel
from tests.conftest import ROOT


def _hashes():
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((ROOT / "geodata").rglob("*"))
            if p.is_file() and p.suffix in {".geojson", ".json", ".csv"}}


def test_using_the_app_leaves_geodata_untouched():
    before = _hashes()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.multiselect(key="w_districts").set_value(["laoshan"]).run()
    at.sidebar.text_input(key="w_q").set_value("院士港").run()
    at.sidebar.button(key="w_brief").click().run()
    assert not at.exception
    assert _hashes() == before


def test_loaded_layers_are_copies():
    frames, _ = mapmodel.load_frames()
    frames["resources"].loc[:, "name_zh"] = "corrupted"
    again, _ = mapmodel.load_frames()
    assert (again["resources"]["name_zh"] != "corrupted").all()
