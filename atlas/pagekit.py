"""What every page shares for reliability: one error boundary and one escaping helper.

* :func:`boundary` wraps a page's body. A documented error (``ValueError`` with a
  message written for the user, see DESIGN.md "errors at the public edge") becomes
  the localised "cannot do that" line, the message and what to do; anything else
  becomes a short friendly line with a reference id, the traceback going to the
  server log under that id. Streamlit's own control flow (``st.stop``/``st.rerun``)
  passes through. The session keeps its state, so the next interaction works.
* :func:`md` makes any user or URL text safe to show where Streamlit renders
  Markdown (``st.info``, ``st.caption``, labels …): every ASCII punctuation
  character is backslash-escaped (CommonMark §2.4), so no link, image, emphasis,
  math, colour directive or autolink can form; control characters are dropped and
  the length is bounded. :func:`html_text` does the same for HTML.

Pure (Streamlit stays in app.py and views/): the page hands in ``st.error`` and
its session state, so the helpers are testable without a running app.
"""

from __future__ import annotations

import html
import logging
import re
import string
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from core.i18n import lang_of, t
from core.refusal import message_of

LOG = logging.getLogger("atlas.pages")
_PUNCT = frozenset(string.punctuation)
_AUTOLINK = re.compile(r"(?i)(?:https?|ftp|mailto|www|xmpp)(?=[:.])|@")
MAX_SHOWN = 300  # characters of user text shown in one place


def _clean(text: object, limit: int) -> str:
    value = "" if text is None else str(text)
    value = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else "\ufffd" for ch in value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def md(text: object, *, limit: int = MAX_SHOWN) -> str:
    """``text`` as literal Markdown: shown exactly as typed, never as markup (one line).

    GFM's autolink literals (``https://…``, ``www.…``, ``a@b.cn``) are found in the text
    *after* escapes are resolved, so they are broken with an invisible word joiner (U+2060).
    """
    value = _clean(text, limit).replace("\n", " ").replace("\t", " ")
    value = _AUTOLINK.sub(lambda m: m.group(0) + "\u2060", value)
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in value)


def html_text(text: object, *, limit: int = MAX_SHOWN) -> str:
    """``text`` as literal HTML text (quotes escaped too, so safe inside attributes)."""
    return html.escape(_clean(text, limit), quote=True)


def reference_id() -> str:
    return uuid.uuid4().hex[:8]


def _control_flow(exc: BaseException) -> bool:
    """Streamlit's st.stop()/st.rerun() exceptions must pass through (recognised without importing it)."""
    return any(c.__name__ == "ScriptControlException" and c.__module__.startswith("streamlit")
               for c in type(exc).__mro__)


def user_message(exc: Exception, lang: str) -> str:
    """The Markdown shown for a documented error: what went wrong, then what to do."""
    detail = md(message_of(exc, lang).strip() or type(exc).__name__, limit=600)  # issue 24: the reader's language
    return f"{t('err_input', lang)}\n\n{detail}\n\n{t('err_input_hint', lang)}"


@contextmanager
def boundary(show_error: Callable[[str], object], lang: str = "zh", *, where: str = "page") -> Iterator[None]:
    """Run a page (or one section of it): errors become messages (``show_error``, i.e. ``st.error``),
    never Streamlit's redacted crash box."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 — this is the boundary
        if _control_flow(exc):
            raise
        if isinstance(exc, ValueError):
            LOG.info("%s: refused input: %s", where, exc)
            show_error(user_message(exc, lang))
            return
        ref = reference_id()
        LOG.exception("%s: unexpected error, reference %s", where, ref)
        show_error(t("err_unexpected", lang, ref=ref))


def column_label(column, lang: str) -> str:
    """A table column in the reader's words: the atlas's own columns and coded values by their label
    (``col_<name>`` strings, then :func:`core.i18n.label`); an uploaded file's own column stays as written."""
    from core.i18n import STRINGS, label

    key = f"col_{column}"
    return t(key, lang) if key in STRINGS else label(str(column), lang)


def page_lang(session: Mapping, query: Mapping) -> str:
    """The app's one language (:func:`core.i18n.lang_of`: the switch, the map view's, the URL's)."""
    return lang_of(session, query)


#: The counters above the map: one HTML strip (one element; st.metric x N cost the first view ~0.15 s).
#: One row, never wrapped (a second row pushed the map's bottom edge off a 1280x720 screen): a label too
#: long for its share of the row is cut with "…" (the whole label in its tooltip and in the sidebar).
COUNTERS_CSS = ("<style>.atlas-counts{display:flex;flex-wrap:nowrap;gap:1.2rem;margin:-.2rem 0 .6rem;overflow:hidden}"
                ".atlas-count{flex:0 1 auto;min-width:3.5rem}"
                ".atlas-count span{display:block;font-size:.8rem;line-height:1.15;opacity:.75;white-space:nowrap;"
                "overflow:hidden;text-overflow:ellipsis}"
                ".atlas-count b{font-size:1.5rem;font-weight:400;line-height:1.3}</style>")


def counters_html(counts: Mapping[str, int], labels: Mapping[str, str]) -> str:
    """``<div class="atlas-counts">`` with one labelled number per layer (labels escaped)."""
    cells = "".join(f'<div class="atlas-count" data-layer="{html_text(k)}" title="{html_text(labels[k])}">'
                    f'<span>{html_text(labels[k])}</span>'
                    f"<b>{int(n):,}</b></div>" for k, n in counts.items())
    return f'{COUNTERS_CSS}<div class="atlas-counts">{cells}</div>'


#: The map page's map takes the window's height below the title and counters (at least 360 px): the whole
#: map, its scale bar included, is on a 1280x720 screen and fills a 1920x1080 one (layers.mapscripts.FillHeight).
MAP_FRAME_CSS = ("<style>iframe[title='streamlit_folium.st_folium']"
                 "{height:max(360px, calc(100vh - 170px)) !important}</style>")

#: Our own layout rules (no user text): less empty space above the title, counters that wrap, not cut.
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"]{padding-top:2.2rem;padding-bottom:1rem}
h1{font-size:1.8rem !important;padding:0 0 .4rem 0 !important}
[data-testid="stTable"] tr > *:first-child{white-space:nowrap}
</style>"""
