"""The shared error boundary and escaping helper (atlas.pagekit), without a running app."""

from __future__ import annotations

import logging
import re

import pytest

from atlas.pagekit import boundary, html_text, md, page_lang
from core.i18n import t


def test_md_escapes_every_markdown_construct():
    out = md("[Session expired - log in](https://evil.example/login) ![x](http://h/b.png) **b** $x^2$ :red[a] <b>")
    assert not re.search(r"(?<!\\)[\[\]()!*$<>:^]", out), out  # every markup character is escaped
    assert out.replace("\\", "").replace("\u2060", "") == (
        "[Session expired - log in](https://evil.example/login) ![x](http://h/b.png) **b** $x^2$ :red[a] <b>")


def test_md_breaks_autolink_literals_and_bounds_length():
    assert "https\u2060" in md("https://e.example") and "www\u2060" in md("www.e.example")
    assert "@\u2060" in md("a@b.cn")
    assert len(md("x" * 10_000)) <= 300 and md("a\nb\x07c") == "a b\ufffdc"


def test_html_text_escapes_markup_and_quotes():
    assert html_text('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


def test_documented_errors_become_the_localised_message():
    shown = []
    with boundary(shown.append, "en"):
        raise ValueError("weight column 'w' has 2 negative values")
    (message,) = shown
    assert message.startswith(t("err_input", "en")) and message.endswith(t("err_input_hint", "en"))
    assert "weight column \\'w\\' has 2 negative values" in message


def test_other_errors_give_a_reference_logged_with_the_traceback(caplog):
    shown = []
    with caplog.at_level(logging.ERROR, logger="atlas.pages"), boundary(shown.append, "zh", where="test"):
        {}["missing"]  # noqa: B018 — a bug, not a user error
    ref = re.search(r"参考编号 ([0-9a-f]{8})", shown[0]).group(1)
    record = next(r for r in caplog.records if ref in r.getMessage())
    assert record.exc_info and record.exc_info[0] is KeyError
    assert "missing" not in shown[0]  # details stay in the server log


def test_streamlit_control_flow_passes_through():
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    shown = []
    with pytest.raises(StopException), boundary(shown.append):
        raise StopException
    assert shown == []


class _View:
    lang = "en"


def test_page_lang_prefers_the_session_then_the_url():
    assert page_lang({"view": _View()}, {"lang": "zh"}) == "en"
    assert page_lang({}, {"lang": "en"}) == "en"
    assert page_lang({}, {"lang": "<script>"}) == "zh"


def test_counters_strip_escapes_labels_and_formats_numbers():
    from atlas.pagekit import counters_html

    out = counters_html({"resources": 1234, "x": 2}, {"resources": "创新资源", "x": "<img src=x onerror=alert(1)>"})
    assert ('<div class="atlas-count" data-layer="resources" title="创新资源"><span>创新资源</span><b>1,234</b></div>'
            in out)  # the title: the whole label where the strip cuts it with …
    assert "<img" not in out and "&lt;img" in out
