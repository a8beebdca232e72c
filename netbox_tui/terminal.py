"""What of a string may reach a terminal: no control characters (ESC starts sequences that clear the
screen or retitle the window), no bidi overrides (they reorder what is shown). One definition for
the client's scrub of NetBox's answers, the tables' cells and the TUI's text."""

from __future__ import annotations

import re

# A whole sequence (CSI, OSC/DCS/… with their payload, two-byte escapes) or one unsafe character.
SEQUENCES = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]"
    "|\x9b[0-?]*[ -/]*[@-~]"
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)"
    "|\x1b[ -/]*[0-~]?"
    "|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
# C0 (but tab and newline), DEL, C1, bidi embeddings, overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip(text: str) -> str:
    """`text` with every terminal sequence and unsafe character removed (tab and newline kept)."""
    return SEQUENCES.sub("", text) if UNSAFE.search(text) else text
