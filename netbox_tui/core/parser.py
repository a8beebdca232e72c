"""Offline understanding: a question -> readings of its words -> an Intent of conditions.

Every word is either claimed by a reading (a model, a field, a value, a name of the connected
NetBox, an address, a cue such as "no" or "per") or is a skip word; anything else is returned in
`Intent.not_understood`, so an answer never drops a word in silence (hassil's rule: text left over
means no full match). What a word can mean comes from the lexicon (schema + vocabulary) and the
name index (the NetBox's own names): readings.py lists the readings, assemble.py decides among them.
"""

from __future__ import annotations

from typing import Optional

from netbox_tui.core.assemble import Assembler
from netbox_tui.core.customfields import NONE as NO_CUSTOM_FIELDS
from netbox_tui.core.customfields import CustomFields
from netbox_tui.core.intent import Intent
from netbox_tui.core.lexicon import lexicon
from netbox_tui.core.names import NameIndex
from netbox_tui.core.question import MAX_QUESTION_CHARS, BadQuestionError, check_question, clean_question
from netbox_tui.core.readings import Readings
from netbox_tui.core.tokens import Tok, tokenize
from netbox_tui.schema import Schema
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import Vocab
from netbox_tui.schema.vocab import load as load_vocab

__all__ = [
    "MAX_QUESTION_CHARS",
    "BadQuestionError",
    "Parser",
    "check_question",
    "clean_question",
    "parse",
    "tokenize",
]


class Parser:
    def __init__(self, names: Optional[NameIndex] = None, schema: Optional[Schema] = None,
                 vocab: Optional[Vocab] = None, custom: Optional[CustomFields] = None) -> None:
        self.schema = schema or load_schema()
        self.vocab = vocab or load_vocab()
        self.lex = lexicon()
        self.names = names or NameIndex()
        self.custom = custom or NO_CUSTOM_FIELDS  # the NetBox's custom fields, read with its names

    # -- the whole way ------------------------------------------------------------------------------

    def parse(self, question: str) -> Intent:
        text = check_question(question)
        toks = tokenize(text, self.lex)
        if not toks:
            raise BadQuestionError("the question holds no words")
        run = Readings(self, text, toks)
        run.find()
        run.select()
        run.fuzzy()
        return Assembler(run).build()

    def needs_names(self, question: str) -> bool:
        """Whether reading the question needs the NetBox's names (words that no model, field, value,
        cue or address reading covers). A question of known words only costs no request."""
        text = check_question(question)
        toks = tokenize(text, self.lex)
        run = Readings(self, text, toks, use_names=False)
        run.select()
        # A hostname-like word may be a site or a cluster ("DM-Akron", "DO-NYC1") unless a model
        # word says what it names ("device dmi01-akron-rtr01", "rack R105").
        after_searched = {
            c.b
            for c in run.chosen
            if c.has("noun") and any(load_vocab().model(m.model or "").searched for m in c.of("noun"))
        }
        # "dmi01-akron-sw01 Gi1/0/1": a device
        beside_port = {c.a + d for c in run.chosen if c.has("iface") for d in (-1, 1)}
        after_searched |= beside_port
        for t in toks:
            if self.is_skip(t) or t.i in after_searched:
                continue
            c = run.claimed[t.i]
            if c is None or c.kinds <= {"host", "num"}:
                return True
        return False

    def is_skip(self, t: Tok) -> bool:
        return t.kind == "word" and (t.idle or all(k in self.lex.skip for k in t.keys))


def parse(question: str, names: Optional[NameIndex] = None) -> Intent:
    return Parser(names).parse(question)
