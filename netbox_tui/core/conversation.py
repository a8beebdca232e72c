"""A conversation: the answers asked in one session, each with its intent, and which it refines.

Every front-end asks through one: the TUI keeps one per session, the MCP server hands out a handle
per answer, `ask --refine` saves the last turn beside the cache. A follow-up ("only the routers",
"and at DM-Camden?", "the second one") is read against the current answer (refine.py) and applied
to its intent, names already resolved, so it costs only the new query's requests; a cut or a drill
works on the rows in hand. `back()` returns to the previous answer without asking NetBox again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel

from netbox_tui.core.explain import explain
from netbox_tui.core.intent import OP_WORDS, Intent
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.planner import noun
from netbox_tui.core.progress import ProgressCallback
from netbox_tui.core.question import check_question
from netbox_tui.core.refine import FollowUp, Refinement, read_follow_up
from netbox_tui.core.results import Answer, Applied, Choice, Stats, Table, TableQuery
from netbox_tui.core.writes import refuse_writes
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.schema.vocab import load as load_vocab

SAVED_VERSION = 1
KEEP_TURNS = 200  # answers kept per conversation (each holds its first pages of rows)


@dataclass(frozen=True)
class Turn:
    index: int
    question: str
    answer: Answer
    intent: Optional[Intent]  # the intent answered, names resolved to ids
    refinement: Optional[Refinement] = None  # None: the question stood on its own
    parent: Optional[int] = None  # the turn it refines or drills from


class SavedTurn(BaseModel):
    """A turn as `ask --refine` keeps it between processes: the answer, its intent, and how its
    first table is fetched (a table's query is not part of the answer's JSON)."""

    version: int = SAVED_VERSION
    question: str
    answer: Answer
    query: Optional[TableQuery] = None


class Conversation:
    """The turns of one session, the oldest forgotten past `keep` (a long-running MCP server)."""

    def __init__(self, orch: Orchestrator, *, keep: int = KEEP_TURNS) -> None:
        self.orch = orch
        self.keep = max(keep, 1)
        self._turns: dict[int, Turn] = {}  # by index; indexes are never reused
        self._next = 0
        self._current: Optional[int] = None

    # -- reading it -------------------------------------------------------------------------------

    @property
    def turns(self) -> list[Turn]:
        """The turns kept, oldest first."""
        return list(self._turns.values())

    @property
    def current(self) -> Optional[Turn]:
        return self._turns.get(self._current) if self._current is not None else None

    def turn(self, index: int) -> Optional[Turn]:
        return self._turns.get(index)

    def chain(self) -> list[Turn]:
        """The turns that led to the current one, root first (as far as they are kept)."""
        out: list[Turn] = []
        turn = self.current
        while turn is not None:
            out.append(turn)
            turn = self._turns.get(turn.parent) if turn.parent is not None else None
        return out[::-1]

    def back(self) -> Optional[Turn]:
        """Make the previous answer current again (the one refined, else the one asked before)."""
        turn = self.current
        if turn is None:
            return None
        earlier = max((i for i in self._turns if i < turn.index), default=None)
        prev = turn.parent if turn.parent is not None else earlier
        self._current = prev if prev in self._turns else None
        return self.current

    def go(self, index: int) -> Turn:
        """Make a kept turn current (a history entry picked); KeyError when it was forgotten."""
        turn = self._turns.get(index)
        if turn is None:
            raise KeyError(f"turn {index} is not kept (the last {self.keep} are)")
        self._current = index
        return turn

    # -- asking -----------------------------------------------------------------------------------

    async def ask(
        self,
        question: str,
        *,
        on_progress: ProgressCallback = None,
        refresh: bool = False,
        fresh: bool = False,
        page_size: Optional[int] = None,
    ) -> Answer:
        """Answer `question`, as a follow-up of the current answer when it reads as one."""
        cur = self.current
        follow: Optional[FollowUp] = None
        if (
            not fresh
            and cur is not None
            and cur.intent is not None
            and cur.answer.status in ("ok", "partial")
        ):
            try:
                # A refused question is answered (refused) as a question of its own.
                refuse_writes(check_question(question))
                follow = await read_follow_up(question, cur.intent, _context(cur), self.orch.understand, noun)
            except NetBoxTUIError:
                follow = None
        if follow is None or cur is None:
            answer = await self.orch.ask(
                question, on_progress=on_progress, refresh=refresh, page_size=page_size
            )
            return self._add(question, answer, answer.intent, None, None)
        answer = await self._apply(follow, cur, question, on_progress, refresh, page_size)
        _said_refining(answer, follow)
        return self._add(question, answer, answer.intent or cur.intent, follow.refinement, cur.index)

    async def pick(self, choice: Choice, *, on_progress: ProgressCallback = None) -> Answer:
        """A choice of the current answer (a candidate, a suggestion, a drill): asked as is."""
        cur = self.current
        question = choice.question or choice.label
        answer = await self.orch.ask(question, on_progress=on_progress, intent=choice.intent)
        return self._add(question, answer, answer.intent, None, cur.index if cur is not None else None)

    async def drill(
        self, object_type: str, row: dict[str, Any], *, on_progress: ProgressCallback = None
    ) -> Answer:
        cur = self.current
        answer = await self.orch.drill(object_type, row, on_progress=on_progress)
        return self._add(answer.question, answer, answer.intent, None, cur.index if cur is not None else None)

    # -- kept between processes (ask --refine) ------------------------------------------------------

    def save(self, path: Path) -> None:
        """The current turn, written whole or not at all."""
        turn = self.current
        if turn is None:
            return
        first = turn.answer.tables[0] if turn.answer.tables else None
        saved = SavedTurn(
            question=turn.question, answer=turn.answer, query=first.query if first is not None else None
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(saved.model_dump_json(), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, orch: Orchestrator, path: Path) -> "Conversation":
        """A conversation whose current turn is the one saved (none if the file is missing or unreadable)."""
        conv = cls(orch)
        try:
            saved = SavedTurn.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return conv
        if saved.version != SAVED_VERSION:
            return conv
        answer = saved.answer
        if answer.tables and saved.query is not None:
            answer.tables[0].query = saved.query
        conv._add(saved.question, answer, answer.intent, None, None)
        return conv

    # -- applying a follow-up -----------------------------------------------------------------------

    async def _apply(
        self,
        follow: FollowUp,
        cur: Turn,
        question: str,
        on_progress: ProgressCallback,
        refresh: bool,
        page_size: Optional[int],
    ) -> Answer:
        kind = follow.refinement.kind
        try:
            if kind == "drill":
                return await self._drill_row(cur, follow)
            if kind == "cut":
                return await self._cut(cur, follow, question)
            if kind == "order":
                return await self._order(cur, follow, question)
        except NetBoxTUIError as exc:
            return Answer(
                question=question,
                status="error",
                answer=f"{exc.message}. {exc.hint}".strip(),
                error=explain(exc),
                intent=cur.intent,
            )
        assert follow.intent is not None
        in_hand = (
            None
            if refresh
            else (_narrowed_in_hand(cur, follow, question) or _counted_in_hand(cur, follow, question))
        )
        if in_hand is not None:
            return in_hand
        return await self.orch.ask(
            question, on_progress=on_progress, refresh=refresh, intent=follow.intent, page_size=page_size
        )

    async def _drill_row(self, cur: Turn, follow: FollowUp) -> Answer:
        table = _first(cur)
        n = follow.row if follow.row is not None else 0
        if n < 0 and table.total > len(table.rows) + table.offset:
            raise NetBoxTUIError(
                f"the last row is not loaded ({len(table.rows)} of {table.total:,} shown)",
                "Drill into a row shown, e.g. “the second one”, or page to the end first.",
            )
        row_at = n if n < 0 else n - table.offset
        if not -len(table.rows) <= row_at < len(table.rows):
            raise NetBoxTUIError(
                f"the last answer shows rows {table.offset + 1}–{table.offset + len(table.rows)}, "
                f"not row {n + 1}",
                "Pick a row shown, e.g. “the first one”.",
            )
        if follow.refinement.changes == ["the far end"] and (
            table.object_type != "dcim.interface" or len(table.rows) != 1
        ):
            raise NetBoxTUIError(
                "“that port” needs an answer of exactly one interface",
                "Ask for the port first, e.g. “interface xe-0/0/1 on <device>”, or say which row.",
            )
        return await self.orch.drill(table.object_type, table.rows[row_at])

    async def _cut(self, cur: Turn, follow: FollowUp, question: str) -> Answer:
        table = _first(cur)
        n = follow.limit or 1
        if table.offset == 0 and (len(table.rows) >= n or len(table.rows) >= table.total):
            cut = table.model_copy(
                update={"rows": table.rows[:n], "limit": n}
            )  # the rows in hand: no request
        else:
            cut = await self.orch.page(table, 0, limit=n)
        text = f"The first {len(cut.rows):,} of {cut.total:,} {noun(table.object_type, cut.total)}."
        return cur.answer.model_copy(
            update={"question": question, "answer": text, "tables": [cut], "choices": [], "stats": Stats()}
        )

    async def _order(self, cur: Turn, follow: FollowUp, question: str) -> Answer:
        table = _first(cur)
        by = follow.order or "name"
        q = table.query
        if q is not None and q.path and q.local_key is None:
            ordered_q = q.model_copy(
                update={"params": [p for p in q.params if p[0] != "ordering"] + [("ordering", by)]}
            )
            ordered = await self.orch.page(
                table.model_copy(update={"query": ordered_q}), 0, limit=table.limit
            )
        elif len(table.rows) >= table.total:  # every row in hand: sorted here
            key = by.lstrip("-")
            rows = sorted(table.rows, key=lambda r: _sort_key(r.get(key)), reverse=by.startswith("-"))
            ordered = table.model_copy(update={"rows": rows})
        else:
            raise NetBoxTUIError(
                "this table cannot be sorted: NetBox did not list it and not all its rows are in hand",
                "Ask the question again with fewer rows, or sort the export.",
            )
        field_words = by.lstrip("-").replace("_", " ")
        text = f"{ordered.total:,} {noun(table.object_type, ordered.total)}, sorted by {field_words}."
        return cur.answer.model_copy(
            update={
                "question": question,
                "answer": text,
                "tables": [ordered],
                "choices": [],
                "stats": Stats(),
            }
        )

    def _add(
        self,
        question: str,
        answer: Answer,
        intent: Optional[Intent],
        refinement: Optional[Refinement],
        parent: Optional[int],
    ) -> Answer:
        turn = Turn(
            index=self._next,
            question=question,
            answer=answer,
            intent=intent,
            refinement=refinement,
            parent=parent,
        )
        self._next += 1
        self._turns[turn.index] = turn
        while len(self._turns) > self.keep:
            self._turns.pop(next(iter(self._turns)))
        self._current = turn.index
        return answer


def _narrowed_in_hand(cur: Turn, follow: FollowUp, question: str) -> Optional[Answer]:
    """A narrowing of a list whose rows are all in hand, by objects named uniquely ("only the
    routers": role = Router), filtered here: no request. None when NetBox must be asked."""
    prev, new = cur.intent, follow.intent
    if (
        follow.refinement.kind not in ("narrow", "exclude")
        or prev is None
        or new is None
        or new.not_understood
    ):
        return None
    if (
        prev.aggregate
        or prev.pattern
        or prev.relations
        or new.attributes != prev.attributes
        or len(cur.answer.tables) != 1
    ):
        return None
    table = cur.answer.tables[0]
    if (
        table.offset != 0
        or len(table.rows) != table.total
        or table.query is None
        or table.query.local_key is not None
    ):
        return None
    added = [c for c in new.conditions if c not in prev.conditions]
    if len(new.conditions) != len(prev.conditions) + len(added) or not added:
        return None  # a condition was replaced: the rows in hand are not a superset
    for c in added:
        if (
            c.op not in ("eq", "ne")
            or c.model not in load_vocab().unique_names
            or not c.resolved
            or not any(c.field in r for r in table.rows)
        ):
            return None
    rows = [
        r
        for r in table.rows
        if all((str(r.get(c.field)) in {x.label for x in c.resolved}) == (c.op == "eq") for c in added)
    ]
    said = ", ".join(follow.refinement.changes)
    narrowed = table.model_copy(
        update={
            "rows": rows,
            "total": len(rows),
            "query": None,
            "title": f"{table.title} · {said.lstrip('+ ')}",
        }
    )
    interp = None
    if cur.answer.interpretation is not None:
        extra = [
            Applied(
                field=c.field.replace("_", " "),
                op=OP_WORDS[c.op],
                value=c.shown_value(),
                text=c.text,
                filter=f"applied here to the {table.total:,} rows in hand",
            )
            for c in added
        ]
        interp = cur.answer.interpretation.model_copy(
            update={"conditions": cur.answer.interpretation.conditions + extra}
        )
    what = noun(table.object_type, table.total)
    text = f"{len(rows):,} of the {table.total:,} {what} (filtered here: no request)."
    return cur.answer.model_copy(
        update={
            "question": question,
            "answer": text,
            "tables": [narrowed],
            "choices": [],
            "stats": Stats(),
            "intent": new,
            "interpretation": interp,
            "status": "ok",
        }
    )


def _counted_in_hand(cur: Turn, follow: FollowUp, question: str) -> Optional[Answer]:
    """ "How many of them" of a plain list: its total is in hand (NetBox counted it), no request."""
    prev = cur.intent
    if follow.refinement.kind != "count" or prev is None or prev.aggregate or prev.pattern or prev.relations:
        return None
    if len(cur.answer.tables) != 1 or cur.answer.status != "ok" or cur.answer.stale:
        return None
    table = cur.answer.tables[0]
    what = noun(table.object_type, table.total)
    return cur.answer.model_copy(
        update={
            "question": question,
            "answer": f"{table.total:,} {what}.",
            "choices": [],
            "stats": Stats(),
            "intent": follow.intent,
        }
    )


def _first(turn: Turn) -> Table:
    if not turn.answer.tables or not turn.answer.tables[0].rows:
        raise NetBoxTUIError(
            "the last answer has no rows to pick from", "Ask a question that lists something first."
        )
    return turn.answer.tables[0]


def _context(turn: Turn) -> str:
    interp = turn.answer.interpretation
    return interp.line() if interp is not None else turn.question


def _said_refining(answer: Answer, follow: FollowUp) -> None:
    """The answer opens with what it refines, so a wrong guess is seen at once; a follow-up that
    could not be applied exactly makes the answer partial and says why."""
    ref = follow.refinement
    head = f"Refining {ref.context}: {', '.join(ref.changes) or 'as before'}."
    answer.answer = f"{head} {answer.answer}".strip()
    if answer.interpretation is not None:
        answer.interpretation.refining = ref.line()
    if not ref.exact:
        answer.answer += f" Note: {ref.why}."
        if answer.status == "ok":
            answer.status = "partial"


def _sort_key(value: Any) -> tuple[int, Any]:
    text = str(value if value is not None else "")
    return (
        (0, float(text.replace(",", "")))
        if text.replace(",", "").replace(".", "", 1).isdigit()
        else (1, text.lower())
    )
