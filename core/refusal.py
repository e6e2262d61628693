"""A refusal the reader can read in their language: a ``ValueError`` that keeps its message key.

``Refusal(key, english, **fields)`` is an ordinary ``ValueError`` whose text is the English
``english.format(**fields)`` (command line, logs, tests); :meth:`Refusal.localized` gives the
same message from the catalogue (:mod:`core.i18n`, key ``r_<key>``) in the page's language.
Readers, budgets and workers raise it, so the detail of an error reaches a Chinese page in Chinese.
"""

from __future__ import annotations


class Refusal(ValueError):
    """Bad input or a job beyond its budget: what went wrong and what to do, in either language."""

    def __init__(self, key: str, english: str, **fields):
        super().__init__(english.format(**fields))
        self.key, self.fields = key, fields

    def localized(self, lang: str) -> str:
        return localized(self.key, str(self), lang, **self.fields)

    def __reduce__(self):  # crosses process boundaries (worker pool) with its key and fields
        return _rebuild, (self.key, str(self), self.fields)


def _rebuild(key: str, text: str, fields: dict) -> Refusal:
    err = Refusal(key, "{text}", text=text)
    err.fields = fields
    return err


def localized(key: str, english: str, lang: str, **fields) -> str:
    """The catalogue's ``r_<key>`` in ``lang`` (the English text when the catalogue lacks it)."""
    from core.i18n import STRINGS, t

    if lang == "en" or f"r_{key}" not in STRINGS:
        return english
    try:
        return t(f"r_{key}", lang, **fields)
    except (KeyError, IndexError, ValueError):
        return english


def message_of(exc: BaseException, lang: str) -> str:
    """An exception's text for a reader: localized when it is a :class:`Refusal`."""
    return exc.localized(lang) if isinstance(exc, Refusal) else str(exc)
