"""What the upload widget says, in the reader's language (pure; the Density page shows it).

:func:`localized_problems` turns the row problems of :mod:`analysis.readers` and
:mod:`analysis.points_io` (each with its ``reason``/``key`` and ``fields``) into the page's language;
:func:`upload_label` and :func:`upload_limit` state the upload limit as words, not only as the
uploader's red mark.
"""

from __future__ import annotations

from core.i18n import t
from core.refusal import localized
from core.settings import UPLOAD


def _one(p: dict, lang: str) -> str:
    fields = p.get("fields")
    if not isinstance(fields, dict):
        return p.get("message", "")
    return localized(p.get("key", p.get("reason", "")), p.get("message", ""), lang, **fields)


def localized_problems(problems: list[dict], lang: str) -> list[dict]:
    """Copies of ``problems`` whose ``message`` is in ``lang`` (a row with several faults: joined once)."""
    out = []
    for p in problems:
        q = dict(p)
        parts = p.get("parts")
        if parts:
            texts = [_one(part, lang) for part in parts]
            head = "；" if lang == "zh" else "; "
            q["message"] = texts[0] + head + head.join(_after_row(x, p.get("row"), lang) for x in texts[1:])
        else:
            q["message"] = _one(p, lang)
        out.append(q)
    return out


def _after_row(text: str, row, lang: str) -> str:
    prefix = f"第 {row} 行：" if lang == "zh" else f"row {row}: "
    return text.removeprefix(prefix)


def upload_mb() -> int:
    return UPLOAD.max_bytes // (1024 * 1024)


def upload_label(lang: str) -> str:
    return t("r_upload_label", lang, mb=upload_mb())


def upload_limit(lang: str) -> str:
    return t("r_upload_limit", lang, mb=upload_mb())


def queue_notice(new_slot, lang: str):
    """A :func:`atlas.workers.queue_reporter` callback that shows a job's place in the queue, then that it
    runs, and clears the notice once it has ended. ``new_slot()`` makes the notice's placeholder (on a
    page: ``st.empty``), once per job, when the job first reports: a job started inside a cached step
    (``st.cache_data``) then owns its placeholder, which the cache can replay (an empty one) — a
    placeholder made outside would break the replay."""
    from core.settings import BUDGET

    slot = None

    def show(position: int | None) -> None:
        nonlocal slot
        if position is None:
            if slot is not None:
                slot.empty()
            slot = None
        else:
            if slot is None:
                slot = new_slot()
            slot.info(t("r_queued", lang, ahead=position, workers=BUDGET.job_workers) if position
                      else t("r_running", lang))

    return show
