"""A text field's value in the question: "interfaces whose description contains uplink", "the port
described as printer", "ports with description badge reader lobby", "description 'badge reader lobby'".

After a word naming one of the target's text fields that NetBox filters, the words up to the end of the
question (or a quoted value) are that field's value, matched with the operation the word between says
(vocab.toml [text_ops]: "contains", "starts with", "is"). With such a word the value is taken whatever
else its words could name ("uplink" is a tag too); with none, only words nothing else reads are taken,
so "devices with serial" stays a question about serials being set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from netbox_tui.core import ops
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.schema.vocab import load as load_vocab

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler
    from netbox_tui.core.readings import Cand

MAX_VALUE_WORDS = 8  # a description typed without quotes is short
_NAMING = {"noun", "cue", "field", "name", "host", "iface", "cidr", "ip", "asn"}  # readings that end a value


def text_values(asm: Assembler, intent: Intent) -> None:
    tm = asm.schema.model(intent.target)
    for c in asm.items("field"):
        if asm.is_used(c):
            continue
        name = _text_field(asm, intent.target, c)
        if name is None:
            continue
        op, start = _operation(asm, c.b)
        if op is not None:
            _release(asm, start, intent.target)
        span = _value(asm, start, explicit=op is not None)
        if span is None:
            continue
        a, b = span
        op = op or str(load_vocab().text_ops.get("default", "ic"))
        if not tm.accepts(ops.OPS[op].param(name)):
            continue
        value = asm.toks[a].text if asm.toks[a].kind == "quoted" else asm.surface(a, b)
        # The operation's and the value's words name nothing else ("starts" is no misspelt "states").
        asm.mentions = [m for m in asm.mentions if m.b <= c.b or m.a >= b]
        for i in range(c.b, b):
            other = asm.r.claimed[i]
            if other is not None:
                asm.r.unclaim(other)
        claimed = asm.claim(c.a, b, f"{name} value")
        text = asm.surface(c.a, b)
        intent.conditions.append(Condition(field=name, op=op, value=value, text=text, span=claimed))


def _release(asm: Assembler, i: int, target: str) -> None:
    """A value's first word that was taken for the target's model word again ("interfaces whose description
    contains downlink": "downlink" is an interface word too) is given back: the operation word says it is a
    value. Any other reading of it stands."""
    if i >= len(asm.toks) or i not in asm.used:
        return
    start = asm.toks[i].start
    for claim in list(asm.claims):
        if claim.start <= start < claim.end and claim.means == f"model {target}":
            asm.claims.remove(claim)
            asm.used -= {t.i for t in asm.toks if claim.start <= t.start < claim.end}


def _text_field(asm: Assembler, target: str, c: Cand) -> Optional[str]:
    """The text field of the target the field word names, if NetBox filters it."""
    tm = asm.schema.model(target)
    for m in c.of("field"):
        if m.model != target or m.path or len(m.fields or (m.name,)) != 1:
            continue
        name = (m.fields or (m.name,))[0]
        f, flt = tm.fields.get(name), tm.filters.get(name)
        if f is not None and flt is not None and f.type == "str" and flt.type == "str":
            return name
    return None


def _operation(asm: Assembler, i: int) -> tuple[Optional[str], int]:
    """The operation the words from token i say ("contains" -> ic), and where the value starts."""
    toks = asm.toks
    best: tuple[Optional[str], int] = (None, i)
    for op, words in load_vocab().text_ops.items():
        if op == "default" or op not in ops.OPS:
            continue
        for phrase in words:
            parts = str(phrase).lower().split()
            j = i + len(parts)
            if j <= len(toks) and [t.low for t in toks[i:j]] == parts and j > best[1]:
                best = (op, j)
    return best


def _value(asm: Assembler, a: int, *, explicit: bool) -> Optional[tuple[int, int]]:
    """Tokens [a, b) of the value: one quoted token; after an explicit operation word, the words up to one
    that is a model, field or cue word ("... contains uplink at DM-Stamford"), whatever else they could
    name; with none, words to the end of the question that nothing reads, no skip word among them."""
    toks = asm.toks
    if a >= len(toks) or a in asm.used:
        return None
    if toks[a].kind == "quoted":
        return a, a + 1
    b = a
    while b < len(toks) and b - a < MAX_VALUE_WORDS and toks[b].kind == "word" and b not in asm.used:
        c = asm.r.claimed[b]
        if not explicit and (c is not None or asm.p.is_skip(toks[b])):
            return None
        if explicit and b > a and (toks[b].low in asm.vocab.place or c is not None and c.kinds & _NAMING):
            break  # the first word is the value whatever else it names ("contains uplink"); "at X" is not
        b += 1
    return (a, b) if b > a and (explicit or b == len(toks)) else None
