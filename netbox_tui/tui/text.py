"""NetBox text is user-supplied: it becomes rich `Text` (never markup) with control characters removed."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.content import Content

from netbox_tui.terminal import strip as strip_terminal

_SPACE = re.compile("[\t\n\r]+")


def clean(value: Any) -> str:
    s = "" if value is None else str(value)
    return strip_terminal(_SPACE.sub(" ", s))


def literal(value: Any) -> Content:
    """Cleaned text for places Textual reads as markup by default (border titles): "[/24]" stays text."""
    return Content(clean(value))


def plain(value: Any, style: str = "") -> Text:
    return Text(clean(value), style=style, no_wrap=False)
