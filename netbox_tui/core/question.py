"""A question as text: cleaned of control characters and escapes, bounded, refused when it asks
to change NetBox. Nothing here knows NetBox; every question passes here before anything else."""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from netbox_tui.errors import NetBoxTUIError

MAX_QUESTION_CHARS = 500


class BadQuestionError(NetBoxTUIError):
    kind = "bad_question"
    title = "Question not understood"
    default_hint = (
        'Ask about NetBox objects, e.g. "VLANs at <site>", "interfaces on <device>", "free IPs in <prefix>".'
    )


# -- the question as text ---------------------------------------------------------------------------

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]|\x1b[@-_]"
)


def clean_question(raw: str) -> str:
    """Drop control and format characters (terminal escapes included), collapse whitespace."""
    text = _ESCAPES.sub(" ", raw)
    text = "".join(
        "" if unicodedata.category(c) == "Cf" else " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in text
    )
    return re.sub(r"\s+", " ", text).strip()


def check_question(raw: Optional[str]) -> str:
    if raw is None or not raw.strip():
        raise BadQuestionError("the question is empty")
    if len(raw) > MAX_QUESTION_CHARS * 4:
        raise BadQuestionError(
            f"the question is {len(raw):,} characters long; netbox-tui takes up to {MAX_QUESTION_CHARS}",
            "Ask one thing at a time in a sentence or two; paste names, not whole configs or tables.",
        )
    text = clean_question(raw)
    if not text:
        raise BadQuestionError("the question holds only control characters")
    if len(text) > MAX_QUESTION_CHARS:
        raise BadQuestionError(
            f"the question is {len(text):,} characters long; netbox-tui takes up to {MAX_QUESTION_CHARS}",
            "Ask one thing at a time in a sentence or two.",
        )
    return text  # words that ask to write are refused by core/writes.py, in the vocabulary's words
