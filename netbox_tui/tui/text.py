"""NetBox text is user-supplied: it becomes rich `Text` (never markup) with control characters removed."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.content import Content

# C0/C1 controls (ESC starts terminal sequences), DEL, and bidi overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile("[\t\n\r]+")


def clean(value: Any) -> str:
    s = "" if value is None else str(value)
    return _UNSAFE.sub("", _SPACE.sub(" ", s))


def literal(value: Any) -> Content:
    """Cleaned text for places Textual reads as markup by default (border titles): "[/24]" stays text."""
    return Content(clean(value))


def plain(value: Any, style: str = "") -> Text:
    return Text(clean(value), style=style, no_wrap=False)
