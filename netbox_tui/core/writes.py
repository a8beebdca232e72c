"""Questions that ask to change NetBox, refused in words whatever the verb.

The words are the vocabulary's (`[writes]` in schema/vocab.toml), not a list kept here: a word of
`anywhere` outside quotes (not a few words after a `past` one: "what did dwight delete"), or a
`commands` word opening the question after a polite lead ("please add VLAN 400 to X"), unless a
`reads` phrase makes it describe ("change log of X", "shutdown ports"). A typed intent (a choice, a
drill, a follow-up, an MCP tool) is never checked: its words are a label, and an intent can only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from netbox_tui.errors import WriteRefusedError
from netbox_tui.schema import vocab

_WORD = re.compile(r"[a-z0-9][a-z0-9'’\-]*", re.I)
_QUOTED = re.compile(r"\"[^\"]*\"|(?<!\w)'[^']*'(?!\w)|“[^”]*”")


@dataclass(frozen=True)
class WriteWords:
    anywhere: tuple[tuple[str, ...], ...]
    commands: tuple[tuple[str, ...], ...]
    lead: tuple[tuple[str, ...], ...]
    reads: tuple[tuple[str, ...], ...]
    past: frozenset[str]


@lru_cache(maxsize=1)
def write_words() -> WriteWords:
    section = vocab.load().writes

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        # Longest first, so "go ahead and" is taken before "go".
        return tuple(sorted((tuple(_words(p)) for p in section.get(key, ())), key=len, reverse=True))

    past = frozenset(w for p in section.get("past", ()) for w in _words(p))
    return WriteWords(phrases("anywhere"), phrases("commands"), phrases("lead"), phrases("reads"), past)


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _at(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i : i + len(phrase)]) == phrase


def asks_to_write(text: str) -> bool:
    """Whether the question asks to change NetBox (quoted values are data, never read as verbs)."""
    ww = write_words()
    words = _words(_QUOTED.sub(" ", text))
    for i in range(len(words)):
        if any(_at(words, i, p) for p in ww.anywhere) and not any(_at(words, i, r) for r in ww.reads) \
                and not ww.past & set(words[max(0, i - 3) : i]):  # "what did dwight delete": what was done
            return True
    i = 0
    while i < len(words):  # polite lead-ins: "please", "can you", "go ahead and"
        lead = next((p for p in ww.lead if _at(words, i, p)), None)
        if lead is None:
            break
        i += len(lead)
    if any(_at(words, i, r) for r in ww.reads):
        return False
    return any(_at(words, i, c) for c in ww.commands)


def refuse_writes(text: str) -> None:
    if asks_to_write(text):
        raise WriteRefusedError(
            "netbox-tui is read-only: it will not create, change or delete anything in NetBox",
            'Make changes in NetBox itself. I can show what would be affected, e.g. "devices at <site>" or '
            '"interfaces on <device>".',
        )
