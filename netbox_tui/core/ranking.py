"""Superlatives over a grouped count: "which rack has the most devices", "top 5 sites by device count",
"the site with the fewest circuits", "tenant with the most prefixes".

Read as the grouped count the question implies ("devices per rack", asked of the same parser, so the
group-by machinery and the NetBox's names read it), plus a `Rank`: sorted by count (most/top: largest
first; fewest/bottom: smallest first) and cut to N ("top 5"; none said: the first, with ties). The words
are the vocabulary's [ranking]. A superlative whose counted or grouping model the words do not say, or
whose grouped count the parser cannot read, is not read here: its words stay said as not understood.

`apply` ranks a grouped count's answer: every group in hand (all pages read), sorted here like a
follow-up's "sorted by" (core/conversation.py), cut like its "the first N", and the winner(s) named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler
    from netbox_tui.core.intent import Intent
    from netbox_tui.core.readings import Cand
    from netbox_tui.core.results import Answer, Table

SHOWN = 10  # winners named in the answer's sentence; the table holds them all


class Rank(BaseModel):
    """How a grouped count is ranked: its order and cut."""

    model_config = ConfigDict(extra="forbid")

    order: Literal["desc", "asc"] = Field("desc", description="desc: most first (most, top); asc: fewest")
    limit: Optional[int] = Field(None, description="top N; none: the first group, ties included")
    by: Optional[str] = Field(None, description="a field of the target to order its rows by (memory, "
                              "created); none: a grouped count ordered by its count")
    text: str = ""


def words() -> dict[str, Any]:
    """vocab.toml's [ranking]."""
    from netbox_tui.schema.vocab import load as load_vocab

    return load_vocab().ranking


@lru_cache(maxsize=None)
def _phrases(key: str) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(str(p).lower().split()) for p in words().get(key, ())}, key=len, reverse=True))


# -- reading ----------------------------------------------------------------------------------------------


@dataclass
class _Shape:
    rank: Rank
    group: Cand  # the model word of the groups ("rack")
    counted: Cand  # the model word of what is counted ("devices")
    used: set[int]  # the tokens the superlative's words take


def read(asm: Assembler) -> Optional[Intent]:
    """The question as a ranked grouped count or ordered rows, else None (its words left to the rest)."""
    found = reading(asm)
    if found is None:
        return None
    intent, rank = found
    intent.rank = rank
    return intent


def reading(asm: Assembler) -> Optional[tuple[Intent, Rank]]:
    ordered = _by_field(asm)
    if ordered is not None:
        return ordered
    shape = _superlative(asm) or _top(asm)
    if shape is None:
        return None
    rest = [t for t in asm.toks if t.i not in shape.used and not asm.p.is_skip(t)]
    if rest and shape.rank.order == "asc":
        return None  # "fewest" with conditions: groups with none of the matching objects are not listed
    counted, group = asm.surface(shape.counted.a, shape.counted.b), asm.surface(shape.group.a, shape.group.b)
    target = shape.counted.of("noun")[0].model or ""
    question = " ".join([counted, *(t.text for t in rest), "per", group])
    try:
        intent = asm.p.parse(question)
    except Exception:  # noqa: BLE001 - the parser refused the grouped count: the superlative is not read
        return None
    agg = intent.aggregate
    if intent.target != target or agg is None or agg.op != "group" or intent.pattern is not None:
        return None
    if agg.by != asm.group_field(target, shape.group):
        return None  # the grouping word was read as something else
    for i in sorted(shape.used):
        asm.claim(i, i + 1, f"rank {shape.rank.order}")
    intent.claims = sorted(asm.claims, key=lambda c: c.start)
    for c in intent.conditions:
        c.span = None  # spans of the grouped count's words, not of the question's
    agg.span = None
    agg.text = shape.rank.text
    return intent, shape.rank


def _by_field(asm: Assembler) -> Optional[tuple[Intent, Rank]]:
    """"the biggest VM by memory", "the 3 largest VMs by memory", "newest devices", "devices most recently
    added": the target's rows ordered by one of its fields (NetBox's `ordering`)."""
    for j in range(len(asm.toks)):
        for key, order, field in (("largest", "desc", None), ("smallest", "asc", None),
                                  ("newest", "desc", "created"), ("oldest", "asc", "created")):
            end = _match(asm, key, j)
            if end is None:
                continue
            n = asm.toks[end].number if end < len(asm.toks) else None
            noun = _noun(asm.at(end + 1 if n is not None else end))
            last = noun.b if noun is not None else end
            first = j
            if n is None and j > 0 and asm.toks[j - 1].number is not None and j - 1 not in asm.used:
                n, first = asm.toks[j - 1].number, j - 1  # "the 3 largest VMs by memory"
            if noun is None and field is not None:  # "devices most recently added"
                noun, last = _noun(asm.prev_content(j)), end
            if noun is None:
                continue
            if field is None:  # "by memory": a field of the target after "by"
                by = _match(asm, "by_count", noun.b)
                fc = asm.at(by) if by is not None else None
                target = noun.of("noun")[0].model or ""
                field = next((m.fields[0] if m.fields else m.name for m in (fc.of("field") if fc else [])
                              if m.model == target and not m.path), None)
                last = fc.b if fc is not None else last
            if field is None or not _orderable(asm, noun, field):
                continue  # "top 5 sites by device count": a grouped count, read below
            return _ordered(asm, noun, field, order, n, min(first, noun.a), max(last, noun.b))
        for key, order in (("most", "desc"), ("fewest", "asc")):  # "the VM with the most memory"
            end = _match(asm, key, j)
            fc = asm.next_content(end) if end is not None else None
            noun = next((c for c in reversed(asm.items("noun")) if c.b <= j and _noun(c)), None)
            model = noun.of("noun")[0].model if noun is not None else None
            named = next((m.fields[0] if m.fields else m.name for m in (fc.of("field") if fc else [])
                          if m.model == model and not m.path), None)
            if noun is not None and fc is not None and named is not None and _orderable(asm, noun, named):
                return _ordered(asm, noun, named, order, None, j, fc.b, {*range(noun.a, noun.b)})
    return None


def _ordered(asm: Assembler, noun: Cand, field: str, order: str, n: Optional[int], a: int, b: int,
             more: frozenset[int] | set[int] = frozenset()) -> Optional[tuple[Intent, Rank]]:
    limit = max(n, 1) if n is not None else (1 if asm._singular(noun) else None)
    rank = Rank(order=order, limit=limit, by=field, text=asm.surface(a, b))
    return _ordered_intent(asm, noun, {*range(a, b), *more}, rank)


def _orderable(asm: Assembler, noun: Cand, field: str) -> bool:
    """A field NetBox orders by: a column of the model (it has the field and a filter comparing it), never
    a computed one it would silently ignore (`ordering=mask_length` is answered in its default order)."""
    m = asm.schema.get(noun.of("noun")[0].model or "")
    flt = m.filters.get(field) if m is not None else None
    return m is not None and field in m.fields and flt is not None and "gt" in flt.lookups


def _ordered_intent(asm: Assembler, noun: Cand, used: set[int], rank: Rank) -> Optional[tuple[Intent, Rank]]:
    rest = [t.text for t in asm.toks if t.i not in used and not asm.p.is_skip(t)]
    try:
        intent = asm.p.parse(" ".join([asm.surface(noun.a, noun.b), *rest]))
    except Exception:  # noqa: BLE001 - the parser refused the rest: the superlative is not read
        return None
    if intent.target != noun.of("noun")[0].model or intent.aggregate is not None or intent.pattern:
        return None
    for i in sorted(used):
        asm.claim(i, i + 1, f"order by {rank.by}")
    intent.claims = sorted(asm.claims, key=lambda c: c.start)
    for c in intent.conditions:
        c.span = None
    if rank.by and rank.by not in intent.attributes:
        intent.attributes.append(rank.by)  # the value ranked on, shown
    return intent, rank


def _noun(c: Optional[Cand]) -> Optional[Cand]:
    return c if c is not None and c.has("noun") and c.of("noun")[0].model else None


def _match(asm: Assembler, key: str, j: int) -> Optional[int]:
    """One past a [ranking] `key` phrase starting at token j, or None."""
    lows = [t.low for t in asm.toks]
    for p in _phrases(key):
        if tuple(lows[j : j + len(p)]) == p and not any(i in asm.used for i in range(j, j + len(p))):
            return j + len(p)
    return None


def _superlative(asm: Assembler) -> Optional[_Shape]:
    """"which rack has the most devices": the groups' model word first, the counted one after the cue."""
    for j in range(len(asm.toks)):
        for key, order in (("most", "desc"), ("fewest", "asc")):
            end = _match(asm, key, j)
            counted = _noun(asm.next_content(end)) if end is not None else None
            if end is None or counted is None:
                continue
            group = next(
                (c for c in reversed(asm.items("noun")) if c.b <= j and not asm.in_mention(c) and _noun(c)),
                None,
            )
            if group is None:
                return None
            used = {*range(j, end), *range(counted.a, counted.b), *range(group.a, group.b)}
            return _Shape(Rank(order=order, text=asm.surface(j, counted.b)), group, counted, used)
    return None


def _top(asm: Assembler) -> Optional[_Shape]:
    """"top 5 sites by device count", "bottom 3 tenants by number of prefixes"."""
    for j in range(len(asm.toks)):
        for key, order in (("top", "desc"), ("bottom", "asc")):
            end = _match(asm, key, j)
            if end is None:
                continue
            n = asm.toks[end].number if end < len(asm.toks) else None
            k = end + 1 if n is not None else end
            group = _noun(asm.at(k))
            by = _match(asm, "by_count", group.b) if group is not None else None
            counted = _noun(asm.at(by)) if by is not None else None
            if group is None or by is None or counted is None:
                return None
            last = counted.b
            if last < len(asm.toks) and (asm.toks[last].low,) in _phrases("count_after"):
                last += 1  # "by device count"
            used = {*range(j, last), *range(group.a, group.b)}
            rank = Rank(order=order, limit=max(n, 1) if n is not None else None, text=asm.surface(j, last))
            return _Shape(rank, group, counted, used)
    return None


# -- answering ----------------------------------------------------------------------------------------------


async def apply(orch: Any, answer: Answer, rank: Rank) -> Answer:
    """A grouped count's answer ranked: sorted by count, cut, the winner(s) named. Anything else (an
    error, a choice, a table that is no grouped count) is returned as is, said as not ranked."""
    table = answer.tables[0] if answer.tables else None
    if rank.by is not None and answer.status in ("ok", "partial") and table is not None:
        return await _apply_order(orch, answer, table, rank)
    if answer.status not in ("ok", "partial") or table is None or not _is_grouped(table):
        return _not_ranked(answer, rank)
    rows = list(table.rows)
    if table.offset or len(rows) < table.total:
        rows = await orch.all_rows(table)  # every group, not one page of NetBox's order
    if len(rows) < table.total:
        return _not_ranked(answer, rank)
    unset = [r for r in rows if r.get("_value") is None]  # "(none)": objects with no group, not a group
    ordered, winners = rank_rows([r for r in rows if r.get("_value") is not None], rank)
    ranked = winners if rank.limit is not None else ordered
    out = table.model_copy(update={"rows": ranked, "total": len(ranked), "offset": 0,
                                   "limit": max(len(ranked), 1), "query": None,
                                   "title": f"{table.title}, {_order_words(rank)}"})
    said = sentence(table, winners, rank, len(ordered))
    tied = [r for r in ordered[len(winners):] if winners and _count(r) == _count(winners[-1])]
    if rank.limit is not None and tied:
        names = ", ".join(_label(r) for r in tied[:SHOWN]) + _more(tied)
        said += f" {len(tied):,} more tie with {_count(tied[0]):,}: {names}."
    if unset:
        counted, by = _column_title(table).lower(), _column_title(table, "group").lower()
        said += f" Not ranked: {_count(unset[0]):,} {counted} with no {by}."
    text = f"{said} {_notes(answer.answer)}".strip()
    return answer.model_copy(update={"tables": [out], "answer": text, "choices": []})


def _notes(text: str) -> str:
    """What the orchestrator added to an answer's sentence (typos read, words not understood, notes)."""
    at = [i for m in (" Read ", " Not understood: ", " Note: ") if (i := text.find(m)) >= 0]
    return text[min(at):].strip() if at else ""


async def _apply_order(orch: Any, answer: Answer, table: Table, rank: Rank) -> Answer:
    """Rows ordered by a field, as a follow-up's "sorted by" asks NetBox (`ordering`), cut to N. Rows with
    no value are left out by NetBox's `__empty=false` (PostgreSQL puts them first in a descending order)."""
    from netbox_tui.core.planner import noun
    from netbox_tui.errors import BadFilterError
    from netbox_tui.schema import load as load_schema

    q, by = table.query, rank.by or ""
    m = load_schema().get(table.object_type)
    flt = m.filters.get(by) if m is not None else None
    if q is None or not q.path or q.local_key is not None or flt is None or "empty" not in flt.lookups1:
        return _not_ranked(answer, rank)  # rows NetBox did not list, or cannot leave the unset out of
    ordering = ("-" if rank.order == "desc" else "") + by
    params = [p for p in q.params if p[0] not in ("ordering", f"{by}__empty")]
    ordered_q = q.model_copy(update={"params": params + [(f"{by}__empty", "false"), ("ordering", ordering)]})
    n = rank.limit + SHOWN if rank.limit else table.limit  # past the cut: the ties, up to SHOWN of them
    try:
        out = await orch.page(table.model_copy(update={"query": ordered_q}), 0, limit=n)
    except BadFilterError:  # a NetBox (or a snapshot) without `__empty` on it: the unset are dropped here
        if rank.limit is None:
            return _not_ranked(answer, rank)
        ordered_q = q.model_copy(update={"params": params + [("ordering", ordering)]})
        out = await orch.page(table.model_copy(update={"query": ordered_q}), 0, limit=10 * n)
        out = out.model_copy(update={"rows": [r for r in out.rows if r.get(by) not in (None, "", "—")]})
    word = _column_title(table, by) if any(c.key == by for c in table.columns) else by.replace("_", " ")
    word = word.lower()
    what = ("newest" if rank.order == "desc" else "oldest") if by == "created" else (
        "largest" if rank.order == "desc" else "smallest")
    if not out.rows:
        said = f"No {noun(table.object_type)} with a {word} to order by."
    elif rank.limit is None:
        said = f"{out.total:,} {noun(table.object_type, out.total)} with a {word}, {what} first."
    else:
        first = out.rows[: rank.limit]
        tied = [r for r in out.rows[len(first):] if r.get(by) == first[-1].get(by)]
        names = ", ".join(f"{_label(r)} ({r.get(by)})" for r in first[:SHOWN]) + _more(first)
        said = f"The {what} by {word}: {names}."
        if tied:
            many = f"{len(tied):,}" + (" or more" if len(tied) == SHOWN else "")
            said += f" {many} more tie with {tied[0].get(by)}: {', '.join(_label(r) for r in tied)}."
        out = out.model_copy(update={"rows": first, "total": len(first), "limit": len(first), "query": None})
    out = out.model_copy(update={"title": f"{table.title}, by {word}"})
    text = f"{said} {_notes(answer.answer)}".strip()
    return answer.model_copy(update={"tables": [out], "answer": text, "choices": []})


def rank_rows(rows: list[dict[str, Any]], rank: Rank) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows sorted by count (ties by name), and the winners: the first N, or every row tied with the
    first when no N was said."""
    desc = rank.order == "desc"
    ordered = sorted(rows, key=lambda r: (-_count(r) if desc else _count(r), _label(r).lower()))
    if not ordered:
        return [], []
    if rank.limit is not None:
        return ordered, ordered[: rank.limit]
    best = _count(ordered[0])
    winners = [r for r in ordered if _count(r) == best]
    return ordered, winners


def sentence(table: Table, winners: list[dict[str, Any]], rank: Rank, groups: int) -> str:
    """"IDF117 has the most devices: 4 (of 42 racks).", "3 racks tie for the fewest devices, 0 each: …"."""
    from netbox_tui.core.planner import noun

    counted = _column_title(table).lower()
    kind = noun(table.object_type, groups)
    if not winners:
        return f"No {kind} to rank."
    if rank.limit is not None:
        end = "Top" if rank.order == "desc" else "Bottom"
        lead = f"{end} {len(winners)} of {groups:,} {kind} by {counted}: "
        return lead + ", ".join(f"{_label(r)} {_count(r):,}" for r in winners[:SHOWN]) + _more(winners) + "."
    most = "the most" if rank.order == "desc" else "the fewest"
    n = _count(winners[0])
    if len(winners) == 1:
        return f"{_label(winners[0])} has {most} {counted}: {n:,} (of {groups:,} {kind})."
    names = ", ".join(_label(r) for r in winners[:SHOWN]) + _more(winners)
    return f"{len(winners):,} tie for {most} {counted}, {n:,} each (of {groups:,} {kind}): {names}."


def _is_grouped(table: Table) -> bool:
    keys = {c.key for c in table.columns}
    return {"group", "count"} <= keys


def _not_ranked(answer: Answer, rank: Rank) -> Answer:
    """The answer as it is, said not ranked: never passed off as the superlative asked."""
    note = f"Not understood: “{rank.text}” (could not rank these rows; left out of this answer)."
    status = "partial" if answer.status == "ok" else answer.status
    return answer.model_copy(update={"answer": f"{answer.answer} {note}".strip(), "status": status})


def _count(row: dict[str, Any]) -> int:
    text = re.sub(r"[^\d]", "", str(row.get("count", "")))
    return int(text) if text else 0


def _label(row: dict[str, Any]) -> str:
    return str(row.get("display") or row.get("group") or row.get("id"))


def _more(rows: list[dict[str, Any]]) -> str:
    return f" and {len(rows) - SHOWN:,} more" if len(rows) > SHOWN else ""


def _column_title(table: Table, key: str = "count") -> str:
    return next((c.title for c in table.columns if c.key == key), key)


def _order_words(rank: Rank) -> str:
    most = "most first" if rank.order == "desc" else "fewest first"
    return f"{most}, the first {rank.limit}" if rank.limit is not None else most
