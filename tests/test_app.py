"""The Streamlit app runs headless (AppTest) without exceptions."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def _run(**query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def test_app_runs_without_exceptions():
    at = _run()
    assert not at.exception, at.exception
    assert "青岛" in at.title[0].value
