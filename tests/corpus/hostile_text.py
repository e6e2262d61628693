"""Hostile and malformed text, for every entry point that takes text (generated, not typed in).

Used by the query-parameter, upload, export-name and CLI tests. Deterministic.
"""

from __future__ import annotations

HTML_JS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "</script><script>alert(document.cookie)</script>",
    "<iframe src=//evil.example></iframe>",
    "{{7*7}}${7*7}<%= 7*7 %>",
    "<a href='javascript:void(0)' onclick='x()'>x</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<style>body{display:none}</style>",
    "[x](javascript:alert(1))",
    "'; DROP TABLE features; --",
]
PATHS = [
    "../../etc/passwd", "..\\\\..\\\\windows\\\\system32", "/etc/shadow", "~/.ssh/id_rsa",
    "C:\\\\boot.ini", "file:///etc/passwd", "....//....//etc", "%2e%2e%2f%2e%2e%2fetc", "con", "nul.txt",
    ".hidden", "a/b/c", "name\\x00.txt",
]
CONTROL = ["\\x00", "\\x00\\x01\\x02", "\\r\\n\\r\\n", "\\t\\x0b\\x0c", "\\x1b[31mred", "\\u202eevil", "\\ufeffbom", "\\u200b"]
UNICODE = ["青岛", "青岛\\u0000大学", "Ｑｉｎｇｄａｏ", "😀🗺️", "\\ud7ff", "é" * 3, "١٢٣", "\\u0301\\u0301"]
NUMBERS = ["NaN", "nan", "inf", "-inf", "1e999", "-1e999", "0x10", "１２０．３", "120，3", "36°N", "", " ", "-0", "1" * 400]
LONG = ["a" * 10_000, "青" * 5_000, "<b>" * 2_000]


def hostile_strings() -> list[str]:
    """Every hostile string, decoded (escapes above are written so the file stays plain)."""
    raw = HTML_JS + PATHS + CONTROL + UNICODE + NUMBERS + LONG
    out = []
    for s in raw:
        try:
            out.append(s.encode("latin-1", "backslashreplace").decode("unicode_escape"))
        except UnicodeDecodeError:
            out.append(s)
    return out
