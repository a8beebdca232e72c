"""A number field of the target compared with a number, in the word orders `Assembler.comparisons` (the
field first, then a word of [compare]) does not read: "more than 4 vcpus", "at least 4 vcpus", "4 or more
vcpus", "exactly 4 vcpus", "vcpus between 2 and 8", "vid >= 100" (a symbol the tokens leave out).

The words are the vocabulary's: [compare] for "more than"/"at least"…, [custom_fields] more/less for
"or more" and the symbols of core/cfwords.py, read here, never copied. A comparison NetBox has no lookup
for on that filter is never sent: its number stays unread and is said.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

from netbox_tui.core import ops
from netbox_tui.core.cfwords import LESS, MORE, symbol_op
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.schema import Model
from netbox_tui.schema.vocab import load as load_vocab

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler
    from netbox_tui.core.readings import Cand

NUMBER_TYPES = ("int", "num")
Found = tuple[list[Condition], int, int]  # the conditions, the first token and one past the last read


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[tuple[str, ...], str], ...]:
    """[compare]'s word phrases ("more than" -> gt), longest first; its symbols are read from the gaps."""
    out = [
        (tuple(p.lower().split()), op)
        for op, words in load_vocab().compare.items()
        for p in words
        if re.search(r"[a-z]", p, re.I)
    ]
    return tuple(sorted(out, key=lambda x: -len(x[0])))


def read(asm: Assembler, intent: Intent) -> None:
    """Claims each number comparison on a number field of the target and adds its conditions."""
    tm = asm.schema.model(intent.target)
    for c in asm.items("field"):
        if asm.is_used(c):
            continue
        name = _number_filter(asm, tm, c, intent.target)
        if name is None:
            continue
        found = _after(asm, c) or _before(asm, c)
        if found is None:
            continue
        conds, a, b = found
        flt = tm.filters[name]
        if not conds or any(ops.OPS[x.op].lookup and ops.OPS[x.op].lookup not in flt.lookups for x in conds):
            asm.claim(c.a, c.b, f"field {name}")  # unread symbol, or no such lookup: the number stays said
            continue
        span = asm.claim(a, b, f"{name} compared")
        asm.mentions = [m for m in asm.mentions if m.b <= a or m.a >= b]  # its number names no object
        text = asm.surface(a, b)
        for x in conds:
            x.field, x.text, x.span = name, text, span
        intent.conditions += conds


def _number_filter(asm: Assembler, tm: Model, c: Cand, target: str) -> Optional[str]:
    meaning = next((m for m in c.of("field") if m.model == target and not m.path), None)
    if meaning is None:
        return None
    name = meaning.fields[0] if meaning.fields else meaning.name
    flt = tm.filters.get(name)
    return name if flt is not None and flt.type in NUMBER_TYPES else None


def _num(asm: Assembler, k: int, said: bool = False) -> Any:
    """The number token k holds (unread by anything else), or None. Once a comparison is `said` before it,
    a number that might name an object ("over 10000": a circuit ID too) is the field's value."""
    if not 0 <= k < len(asm.toks):
        return None
    t, c = asm.toks[k], asm.at(k)
    if k in asm.used or (c is not None and (c.has("noun") or asm.in_mention(c) and not said)):
        return None
    if t.number is not None:
        return t.number
    return float(t.text) if re.fullmatch(r"\d+\.\d+", t.text) else None


def _gap_op(asm: Assembler, k: int) -> Optional[str]:
    """A comparison symbol typed right before token k ("vid >= 100", "≥ 4 vcpus")."""
    start = asm.toks[k - 1].end if k > 0 else 0
    gap = asm.r.text[start : asm.toks[k].start]
    return symbol_op(gap)  # "vid ~ 100": "?", a symbol nothing reads, never a plain equality


def _phrase_at(asm: Assembler, j: int) -> Optional[tuple[str, int]]:
    """A [compare] phrase starting at token j: (op, one past it)."""
    lows = [t.low for t in asm.toks]
    for words, op in _phrases():
        end = j + len(words)
        if tuple(lows[j:end]) == words and not any(i in asm.used for i in range(j, end)):
            return op, end
    return None


def _phrase_before(asm: Assembler, k: int) -> Optional[tuple[str, int]]:
    """A [compare] phrase ending right before token k: (op, its first token)."""
    lows = [t.low for t in asm.toks]
    for words, op in _phrases():
        a = k - len(words)
        if a >= 0 and tuple(lows[a:k]) == words and not any(i in asm.used for i in range(a, k)):
            return op, a
    return None


def _or_more(asm: Assembler, k: int) -> Optional[str]:
    """"or more" / "or less" at token k: gte or lte."""
    toks = asm.toks
    if k + 1 < len(toks) and toks[k].low == "or" and toks[k + 1].low in MORE | LESS:
        return "gte" if toks[k + 1].low in MORE else "lte"
    return None


def _between(asm: Assembler, j: int) -> Optional[Found]:
    """"between 2 and 8" at token j: both ends in."""
    toks = asm.toks
    if j + 3 >= len(toks) or toks[j].low != "between" or toks[j + 2].low != "and":
        return None
    low, high = _num(asm, j + 1, True), _num(asm, j + 3, True)
    if low is None or high is None:
        return None
    return [Condition(field="", op="gte", value=low), Condition(field="", op="lte", value=high)], j, j + 4


def _after(asm: Assembler, c: Cand) -> Optional[Found]:
    """The field, then the comparison: "vcpus between 2 and 8", "vid >= 100", "vcpus of 4 or more"."""
    j = c.b
    while j < len(asm.toks) and asm.at(j) is None and asm.p.is_skip(asm.toks[j]) \
            and _phrase_at(asm, j) is None and asm.toks[j].low != "between":
        j += 1  # "vcpus of 4 or more", "memory is at least 4096"
    if j >= len(asm.toks):
        return None
    if (found := _between(asm, j)) is not None:
        return found[0], c.a, found[2]
    said = _phrase_at(asm, j)
    op, k = said if said is not None else (None, j)
    value = _num(asm, k, said is not None or _gap_op(asm, k) not in (None, "eq", "?"))
    if value is None:
        return None
    symbol = _gap_op(asm, k) if said is None else None
    more = _or_more(asm, k + 1)
    if symbol == "?":
        return [], c.a, c.b  # "vid ~ 100": never a plain equality, the number stays said
    if op is None and symbol in (None, "eq") and more is None:
        return None  # a plain "vid 100" is Assembler.comparisons' (lists too)
    op = op or (symbol if symbol not in (None, "eq") else more) or "eq"
    end = k + 3 if more is not None and said is None else k + 1
    return [Condition(field="", op=op, value=value)], c.a, end


def _before(asm: Assembler, c: Cand) -> Optional[Found]:
    """The comparison, then the field: "more than 4 vcpus", "4 or more vcpus", "exactly 4 vcpus"."""
    k = c.a - 1
    if k >= 3 and (found := _between(asm, k - 3)) is not None:
        return found[0], found[1], c.b
    plus = re.fullmatch(r"(\d{1,12})\+", asm.toks[k].text) if k >= 0 and k not in asm.used else None
    if plus is not None:  # "4+ vcpus"
        return [Condition(field="", op="gte", value=int(plus.group(1)))], k, c.b
    more = _or_more(asm, k - 1) if k >= 2 else None
    if more is not None and _num(asm, k - 2, True) is not None:
        return [Condition(field="", op=more, value=_num(asm, k - 2, True))], k - 2, c.b
    said, symbol = (_phrase_before(asm, k), _gap_op(asm, k)) if k >= 0 else (None, None)
    value = _num(asm, k, said is not None or symbol not in (None, "eq", "?"))
    if value is None:
        return None
    if symbol == "?":
        return [], c.a, c.b
    after = _or_more(asm, c.b) if said is None and symbol is None else None  # "2 vcpus or more"
    op = said[0] if said is not None else symbol or after or "eq"
    end = c.b + 2 if after is not None else c.b
    return [Condition(field="", op=op, value=value)], said[1] if said is not None else k, end
