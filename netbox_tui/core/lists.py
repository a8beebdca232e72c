"""Lists of values: "in Ohio and Pennsylvania", "offline or failed", "access vs trunk ports".

Conditions on one field, side by side in the question and joined only by "or", "and", "vs" or a
comma, are one condition with several values: NetBox ORs a repeated parameter
(`site_id=2&site_id=7`), so the list must reach the planner as ONE condition (two conditions on one
filter both hold, which the planner intersects). "X vs Y" (or "X or Y" counted) asks for a count
per value: a grouped count restricted to those values. NetBox ANDs the repeated values of a
many-valued field (tags: `tag=a&tag=b` is both), so no list is made there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from netbox_tui.core.intent import Aggregate, Condition, Intent
from netbox_tui.schema import Model

OR_WORDS = frozenset({"or", "nor", "and", "&", "vs", "versus", "v"})  # "and" in a list of places means either
PER_VALUE = frozenset({"vs", "versus", "v"})  # "access vs trunk ports": a count per value
_FILLER = frozenset({"the", "either", "a", "an"})
_GAP_WORD = re.compile(r"[\w&]+")


@dataclass
class Joined:
    """Conditions merged into one, and the character spans of the words that joined them."""

    cond: Condition
    joiners: list[tuple[int, int]]
    per_value: bool
    said_or: bool


def gap_words(text: str) -> Optional[list[str]]:
    """The joining words between two values, or None when the gap holds anything else."""
    if not re.fullmatch(r"[\s,/&\w.]*", text):
        return None
    words = [w.lower().rstrip(".") for w in _GAP_WORD.findall(text)]
    if any(w not in OR_WORDS and w not in _FILLER for w in words):
        return None
    if not any(w in OR_WORDS for w in words) and "," not in text and "/" not in text:
        return None  # "Ohio Pennsylvania": no sign of a list
    return words


def _mergeable(a: Condition, b: Condition, many: Optional[bool], words: list[str]) -> bool:
    """`many`: None for a one-valued field; for a many-valued one, whether NetBox has an `__any` OR."""
    if a.field != b.field or a.op != b.op or a.op not in ("eq", "ne") or a.model != b.model:
        return False
    if a.span is None or b.span is None or isinstance(a.value, bool) or isinstance(b.value, bool):
        return False
    if many is not None and not (many and a.op == "eq" and "and" not in words and "&" not in words):
        # NetBox ANDs repeated tags (`tag=a&tag=b`: both): only "a or b" is a list there, sent as `__any`;
        # "tagged a and b" stays two conditions, both asked.
        return False
    if a.model is not None and not (a.resolved and b.resolved):
        return False  # names still to resolve stay apart (the resolver takes one name a condition)
    return True


def many_valued(m: Model) -> dict[str, bool]:
    """The filters of a many-valued field (a device's tags: `tag`, `tag_id`), where NetBox ANDs repeated
    values, each with whether its id filter has an `__any` form (tags: `tag_id__any`, NetBox's OR)."""
    out: dict[str, bool] = {}
    for f in m.fields.values():
        if f.many:
            flt = m.ref_filter(f.to) if f.to else None
            any_form = flt is not None and m.accepts(f"{flt.name}__any")
            out[f.name] = any_form
            if flt is not None:
                out[flt.name] = out[flt.name[:-3] if flt.name.endswith("_id") else flt.name] = any_form
    return out


def _values(c: Condition) -> list:
    return list(c.value) if isinstance(c.value, list) else [c.value]


def merge(a: Condition, b: Condition, text: str) -> Condition:
    """One condition holding both values (an OR), its words the whole list."""
    assert a.span is not None and b.span is not None
    span = (a.span[0], b.span[1])
    values = list(dict.fromkeys(str(v) if isinstance(v, dict) else v for v in _values(a) + _values(b)))
    resolved = list(dict.fromkeys(a.resolved + b.resolved))
    guess = a.guess or b.guess
    if guess and resolved:  # "Akron and Camden sites" as DM-Akron or DM-Camden
        guess = " or ".join(r.label for r in resolved)
    return a.model_copy(update={"value": values, "resolved": resolved, "span": span,
                                "text": text[span[0]:span[1]], "guess": guess, "candidates": []})


def join_lists(conds: list[Condition], text: str,
               many_fields: Mapping[str, bool]) -> tuple[list[Condition], list[Joined]]:
    """The conditions with each list of values made one condition (in the place of its first value,
    the others' order kept); what was joined, to claim and say."""
    order = sorted((c for c in conds if c.span is not None), key=lambda c: c.span[0])  # type: ignore[index]
    # A span read as several conditions ("disabled" = enabled false) is no single value to list.
    per_span: dict[Any, int] = {}
    for c in order:
        per_span[c.span] = per_span.get(c.span, 0) + 1
    joined: list[Joined] = []
    first: dict[int, Condition] = {}  # id of a list's first condition -> the list as one condition
    dropped: set[int] = set()
    prev: Optional[Condition] = None
    head: Optional[Condition] = None  # the first condition of the list being read
    current: Optional[Joined] = None
    for c in order:
        words = gap_words(text[prev.span[1]:c.span[0]]) if prev is not None else None  # type: ignore[index]
        if prev is not None and head is not None and words is not None and per_span[prev.span] == 1 \
                and per_span[c.span] == 1 and _mergeable(prev, c, many_fields.get(c.field), words):
            merged = merge(prev, c, text)
            gap = (prev.span[1], c.span[0])  # type: ignore[index]
            if current is None:
                current = Joined(merged, [gap], False, False)
                joined.append(current)
            else:
                current.cond = merged
                current.joiners.append(gap)
            current.per_value |= any(w in PER_VALUE for w in words)
            current.said_or |= any(w in ("or", "nor") for w in words)
            first[id(head)] = merged
            dropped.add(id(c))
            per_span[merged.span] = 1
            prev = merged
            continue
        current, head, prev = None, c, c
    out = [first.get(id(c), c) for c in conds if id(c) not in dropped]
    return out, joined


def per_value_count(intent: Intent, joined: list[Joined], fields: set[str]) -> None:
    """"access vs trunk ports", "how many offline or failed devices": counted per value, when the
    value is a field of the rows (`fields`) to group by; otherwise the OR stays a plain list or count."""
    for j in joined:
        asked = j.per_value or (j.said_or and intent.aggregate is not None and intent.aggregate.op == "count")
        if asked and j.cond.op == "eq" and j.cond.field in fields \
                and (intent.aggregate is None or intent.aggregate.op == "count"):
            text = (intent.aggregate.text + " … " if intent.aggregate is not None else "") + j.cond.text
            intent.aggregate = Aggregate(op="group", by=j.cond.field, text=text, span=j.cond.span)
            return


def listed_groups(m: Model, intent: Intent, by: str) -> list[tuple[Any, dict[str, Any]]]:
    """The values a count per value was asked for, as (group key, group object), so a value no row
    has is counted 0 ("access vs trunk ports": trunk 0), never left out."""
    cond = next((c for c in intent.conditions if c.field == by and c.op == "eq"), None)
    if cond is None:
        return []
    if cond.resolved:
        return [(r.id, {"id": r.id, "display": r.label}) for r in cond.resolved]
    labels = {str(c.value): c.label for c in m.choices(by)}
    return [(v, {"value": v, "label": labels.get(str(v), str(v))}) for v in _values(cond) if v is not None]
