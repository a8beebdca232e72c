"""The tools, without the SDK: arguments in, a compact result (or a ToolError) out.

Every tool goes through the Session's orchestrator, so answers, names, filters, cache and
read-only guard are the app's own. Calls are served one at a time (a lock): the handle map and the
conversation (`ask`'s answers, refined by handle) are shared; `query`'s limit is its call's page size.
"""

from __future__ import annotations

import asyncio
import inspect
import ipaddress
import re
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Optional

from netbox_tui.core.budget import Encoder, get_encoder
from netbox_tui.core.conversation import Conversation
from netbox_tui.core.drill import free_ips_intent, trace_intent
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.results import Answer, Choice, Table
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.mcp.handles import HandleStore, HeldChoices, HeldTable
from netbox_tui.mcp.query import build_intent, check_limit, describe_lines
from netbox_tui.mcp.render import Block, Reply, render
from netbox_tui.session import Session

MAX_CHOICES = 12
FREE_FETCH = 1000  # free addresses read in one request (NetBox's page limit), shown as ranges
PICK = re.compile(r"^\s*pick\s+(c\d{8})\s+(\d+)\s*$", re.I)
# Where a scope name is looked for, in this order of preference when names tie.
SCOPES = ["dcim.site", "dcim.region", "dcim.sitegroup", "ipam.vlangroup"]
RACK_SCOPES = ["dcim.site", "dcim.location", "dcim.rack", "dcim.region", "dcim.sitegroup"]


class ToolError(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def text(self) -> str:
        return self.message + (f"\nhint: {self.hint}" if self.hint else "")


@dataclass
class Result:
    text: str
    is_error: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


class Tools:
    def __init__(self, session: Session, *, token_budget: int = 2000, tables: int = 64) -> None:
        self.session = session
        self.orch = session.orchestrator
        self.budget = token_budget
        self.handles = HandleStore(tables)
        self._lock = asyncio.Lock()
        # Answers `ask` can refine: a handle each ("a" and 8 digits), the oldest forgotten past `tables`.
        self.conversation = Conversation(self.orch, keep=tables)
        self._answers: OrderedDict[str, int] = OrderedDict()
        self._answers_kept = tables

    @cached_property
    def encoder(self) -> Encoder:
        """Built on first use, not with the server: building it is most of a cold start, and
        `initialize` does not need it (warm_up builds it in the background; get_encoder is locked)."""
        return get_encoder("gpt-4o-mini")

    def warm_up(self) -> None:
        warm_up()

    # -- dispatch ------------------------------------------------------------------------------------------

    async def call(self, name: str, args: Optional[dict[str, Any]]) -> Result:
        args = dict(args or {})
        as_json = bool(args.pop("json", False))
        method = getattr(self, f"tool_{name}", None)
        if method is None:
            return self._error(ToolError(f"unknown tool {name!r}", "List the tools again."), 0, 0)
        try:
            inspect.signature(method).bind(**args)
        except TypeError as exc:
            return self._error(
                ToolError(f"{name}: {_arg_problem(exc)}", "See the tool's input schema."), 0, 0
            )
        async with self._lock:
            schema_note = await self._learn_schema()
            stats = self.orch.client.stats
            calls0, hits0, t0 = stats.calls, stats.cache_hits, time.perf_counter()
            try:
                reply = await method(**args)
                if schema_note:
                    reply.notes.append(schema_note)
                if name == "ask":  # an answer names where it came from (NetBox URL, demo data, a snapshot)
                    reply.notes.append(f"source: {self.session.source_line}")
            except ToolError as exc:
                return self._error(exc, stats.calls - calls0, t0)
            except NetBoxTUIError as exc:
                return self._error(ToolError(exc.message, exc.hint), stats.calls - calls0, t0)
            text = render(reply, self.budget, self.encoder, as_json=as_json)
            for b in reply.blocks:
                if isinstance(b.held, HeldTable):
                    b.held.last_shown = b.shown
        meta = {
            "tokens": self.encoder.count(text),
            "netbox_calls": stats.calls - calls0,
            "cache_hits": stats.cache_hits - hits0,
            "elapsed_ms": int((time.perf_counter() - t0) * 1000),
            "source": self.session.source,
        }
        return Result(text, meta=meta)

    async def _learn_schema(self) -> Optional[str]:
        """Before the first call on a live NetBox: its own schema into force (read once, progress on
        stderr). Returns what the first reply says about it, if anything."""
        if self.session.offline or self.session.learnt is not None:
            return None
        import sys

        return await self.session.learn_schema(lambda line: print(f"netbox-tui mcp: {line}", file=sys.stderr))

    def _error(self, exc: ToolError, calls: int, t0: float) -> Result:
        text = self.encoder.truncate(exc.text(), self.budget)
        meta = {
            "tokens": self.encoder.count(text),
            "netbox_calls": calls,
            "elapsed_ms": int((time.perf_counter() - t0) * 1000) if t0 else 0,
        }
        return Result(text, is_error=True, meta=meta)

    # -- the tools -----------------------------------------------------------------------------------------

    async def tool_ask(self, question: str, refine: Optional[str] = None) -> Reply:
        if refine is not None:
            return await self._follow_up(question, str(refine))
        pick = PICK.match(question or "")
        if pick:
            held = self.handles.get(pick.group(1).lower())
            if not isinstance(held, HeldChoices):
                raise ToolError(
                    f"{pick.group(1)} is a table handle, not choices",
                    "Page a table with page(handle, offset).",
                )
            n = int(pick.group(2))
            if not 1 <= n <= len(held.options):
                raise ToolError(f"choose 1-{len(held.options)}, not {n}", "")
            label, intent, q = held.options[n - 1]
            choice = Choice(kind="candidate", label=label, question=q, intent=intent)
            return await self._converse(q, pick=choice)
        return await self._converse(question)

    async def _follow_up(self, question: str, handle: str) -> Reply:
        """`question` read as a follow-up of the answer `handle` names ("only the routers")."""
        key = handle.strip().strip("\"'").lower()
        index = self._answers.get(key)
        if index is None:
            raise ToolError(f"answer handle {key!r} is unknown or expired "
                            f"(the server keeps the last {self._answers_kept})",
                            "Ask the question again for a new answer handle.")
        try:
            self.conversation.go(index)
        except KeyError:
            raise ToolError(f"answer handle {key!r} expired "
                            f"(the server keeps the last {self.conversation.keep} answers)",
                            "Ask the question again for a new answer handle.") from None
        return await self._converse(question, follow_up=True)

    async def _converse(self, question: str, *, follow_up: bool = False,
                        pick: Optional[Choice] = None) -> Reply:
        """An answer of the conversation (asked afresh, as a follow-up or a choice), with its handle."""
        if pick is not None:
            answer = await self.conversation.pick(pick)
        else:
            answer = await self.conversation.ask(question, fresh=not follow_up)
        if answer.status == "error":
            err = answer.error
            raise ToolError(err.message if err else answer.answer, err.hint if err else "")
        reply = self._reply(answer, columns=None, count_only=False, limit=self.orch.page_size)
        self._keep_answer(reply)
        return reply

    def _keep_answer(self, reply: Reply) -> None:
        """The conversation's current answer gets a handle, said in the reply (`ask(…, refine=handle)`)."""
        turn = self.conversation.current
        if turn is None:
            return
        handle = f"a{10_000_000 + secrets.randbelow(90_000_000)}"
        self._answers[handle] = turn.index
        while len(self._answers) > self._answers_kept:
            self._answers.popitem(last=False)
        reply.notes.append(f"answer {handle}: ask(question, refine=\"{handle}\") for a follow-up")

    async def tool_query(self, model: str, conditions: Any = None, fields: Any = None, aggregate: Any = None,
                         limit: Any = None, offset: Any = None) -> Reply:
        intent = build_intent(model, conditions, fields, aggregate)
        lim, off = check_limit(limit, offset)
        columns = None
        if fields:
            from netbox_tui.core.columns import field_paths, key_of
            from netbox_tui.schema import load as load_schema

            shown = [key_of(p) for p in field_paths(intent.target)]
            m = load_schema().model(intent.target)
            label = m.label if m.label in shown else "display"
            wanted = [key_of(str(f)) for f in fields]
            columns = list(
                dict.fromkeys((["id"] if "id" in wanted else []) + [label] + [w for w in wanted if w != "id"])
            )
        return await self._answer(f"query {intent.target}", intent, offset=off, limit=lim, columns=columns,
                                  count_only=intent.aggregate is not None and intent.aggregate.op == "count")

    async def tool_describe(self, model: str, field: Optional[str] = None) -> Reply:
        summary, lines = describe_lines(model, field)
        text = "\n".join(lines)
        room = self.budget - self.encoder.count(summary) - 20
        if self.encoder.count(text) > room:  # the longest lists are cut, and say so
            text = (
                self.encoder.truncate(text, room).rsplit("\n", 1)[0]
                + "\n… (cut to fit; describe(model, field) gives one filter in full)"
            )
        return Reply(summary=summary, lines=text.split("\n"))

    async def tool_page(self, handle: str, offset: Any = 0, limit: Any = None) -> Reply:
        held = self.handles.get(str(handle))
        if not isinstance(held, HeldTable):
            raise ToolError(
                f"{handle} holds choices, not a table", f'Answer one with ask("pick {handle} N").'
            )
        lim, off = check_limit(limit if limit is not None else held.limit, offset)
        total = held.table.total
        if off >= total and total:
            raise ToolError(
                f"offset {off} is past the end: the table has {total:,} rows", f"Page from 0 to {total - 1}."
            )
        # Rows already read answer the page when there are about as many as fitted last time.
        want = min(lim, 2 * held.last_shown) if held.last_shown else lim
        stale: Optional[str] = None  # the rows read now came from expired cache entries (NetBox failing)
        if not held.complete and not (held.covers(off) and held.end >= min(total, off + want)):
            start = held.end if held.covers(off) else off
            more = await self.orch.page(held.table, start, limit=off + lim - start)
            stale = more.stale
            if held.covers(off):
                held.rows = held.rows[off - held.start:] + list(more.rows)
            else:
                held.rows = list(more.rows)
            held.start = off
            held.table = more.model_copy(update={"rows": []})
        rows = held.rows[off - held.start:] if held.covers(off) else []
        t = held.table
        block = Block(
            title=t.title,
            model=t.object_type,
            columns=held.columns or _columns(t, rows),
            rows=rows,
            offset=off,
            total=t.total,
            handle=str(handle).strip().strip("\"'"),
            pageable=held.complete or t.query is not None,
            limit=None if held.complete and limit is None else lim,
            held=held,
        )
        return Reply(
            summary=(f"{stale} " if stale else "") + f"{t.title}: page from row {off + 1}.", blocks=[block]
        )

    async def tool_trace(self, device: str, interface: str) -> Reply:
        intent = trace_intent(str(device), str(interface))  # the question a port's drill asks
        return await self._answer("trace the cable", intent)

    async def tool_free_ips(self, prefix: str) -> Reply:
        intent = free_ips_intent(str(prefix))  # the question a prefix's drill asks
        # One request brings up to FREE_FETCH free addresses; they are shown as ranges, not one per row.
        answer = await self._ask("free IPs", intent, limit=FREE_FETCH)
        reply = self._reply(answer, columns=None, count_only=False, limit=self.orch.page_size)
        free = (
            answer.tables[0]
            if answer.tables
            and answer.tables[0].query is not None
            and answer.tables[0].query.kind == "available"
            else None
        )
        if free is None or not reply.blocks:
            return reply
        addresses = reply.blocks.pop(0)
        ranges = free_ranges(free.rows)
        held = HeldTable(
            free.model_copy(update={"rows": [], "total": len(ranges)}),
            0,
            ranges,
            True,
            ["first", "last", "size"],
            self.orch.page_size,
        )
        shown_all = len(free.rows) >= free.total
        block = Block(
            title=f"{free.title}, as ranges"
            + ("" if shown_all else f" (the first {len(free.rows):,} of {free.total:,} free)"),
            model=free.object_type,
            columns=["first", "last", "size"],
            rows=ranges,
            offset=0,
            total=len(ranges),
            handle=self.handles.add(held),
            limit=None,
        )
        reply.blocks.insert(0, block)
        if not shown_all:  # the addresses past those read stay pageable one by one
            addresses.count_only, addresses.offset = True, 0
            reply.blocks.append(addresses)
        return reply

    async def tool_vlan_topology(self, scope: Optional[str] = None) -> Reply:
        conds = []
        if scope:
            conds.append(
                Condition(
                    field="site", model="dcim.site", value=str(scope), text=str(scope), candidates=SCOPES
                )
            )
        intent = Intent(target="ipam.vlan", pattern="vlan_topology", source="choice", conditions=conds)
        return await self._answer("VLAN topology", intent)

    async def tool_rack_utilisation(self, site_or_rack: str) -> Reply:
        cond = Condition(
            field="id",
            model="dcim.rack",
            value=str(site_or_rack),
            text=str(site_or_rack),
            candidates=RACK_SCOPES,
        )
        intent = Intent(target="dcim.rack", pattern="rack_utilisation", source="choice", conditions=[cond])
        return await self._answer("rack utilisation", intent)

    # -- an answer, compact ----------------------------------------------------------------------------------

    async def _answer(
        self,
        question: str,
        intent: Optional[Intent],
        *,
        offset: int = 0,
        limit: Optional[int] = None,
        columns: Optional[list[str]] = None,
        count_only: bool = False,
    ) -> Reply:
        answer = await self._ask(question, intent, offset=offset, limit=limit)
        return self._reply(
            answer,
            columns=columns,
            count_only=count_only,
            limit=limit or self.orch.page_size,
            limit_asked=limit is not None,
        )

    async def _ask(
        self, question: str, intent: Optional[Intent], *, offset: int = 0, limit: Optional[int] = None
    ) -> Answer:
        """The orchestrator's answer, `limit` rows a page for this call only; an error raises."""
        answer = await self.orch.ask(question, intent=intent, offset=offset, page_size=limit)
        if answer.status == "error":
            err = answer.error
            raise ToolError(err.message if err else answer.answer, err.hint if err else "")
        return answer

    def _reply(
        self,
        answer: Answer,
        *,
        columns: Optional[list[str]],
        count_only: bool,
        limit: int,
        limit_asked: bool = False,
    ) -> Reply:
        reply = Reply(summary=answer.answer, status=answer.status)
        interp = answer.interpretation
        if interp is not None:
            reply.read_as = interp.line()
            reply.sent = [c.filter for c in interp.conditions if c.filter]
            if interp.not_understood:
                reply.notes.append("not understood: " + ", ".join(interp.not_understood))
        for t in answer.tables:
            if t.total == 0 and not t.rows and answer.status in ("needs_choice", "not_found"):
                continue
            first = t is answer.tables[0]
            reply.blocks.append(
                self._hold(t, columns if first else None, count_only and first, limit, limit_asked and first)
            )
        options = [
            c for c in answer.choices if c.kind in ("candidate", "suggestion") and c.intent is not None
        ][:MAX_CHOICES]
        if options:
            held = [(c.label, c.intent, c.question or answer.question) for c in options]
            reply.choice_handle = self.handles.add(HeldChoices(held))  # type: ignore[arg-type]
            reply.choices = [c.label for c in options]
        return reply

    def _hold(
        self, t: Table, columns: Optional[list[str]], count_only: bool, limit: int, limit_asked: bool = False
    ) -> Block:
        q = t.query
        if q is not None and q.local_key is not None:
            rows = self.orch.local_rows(q.local_key) or list(t.rows)
            held = HeldTable(t, 0, rows, True, columns, max(t.limit, 1))
        else:
            held = HeldTable(t, t.offset, list(t.rows), q is None, columns, max(t.limit, 1))
        handle = self.handles.add(held) if t.total > 0 else None
        rows = held.rows[t.offset - held.start:] if held.covers(t.offset) else []
        # A table computed here is all in memory: as many rows as fit, unless a limit was asked for.
        shown_limit = limit if not held.complete or limit_asked else None
        return Block(
            title=t.title,
            model=t.object_type,
            columns=columns or _columns(t, rows),
            rows=rows,
            offset=t.offset,
            total=t.total,
            handle=handle,
            pageable=held.complete or q is not None,
            count_only=count_only,
            limit=shown_limit,
            held=held,
        )


def warm_up() -> None:
    """Load what the first answer needs (the schema, the vocabulary, the parser's lexicon, the token
    encoder) before the first call, so its latency is NetBox's, not ours."""
    from netbox_tui.core.lexicon import lexicon
    from netbox_tui.schema import load as load_schema
    from netbox_tui.schema.vocab import load as load_vocab

    load_schema().model("dcim.interface")
    load_vocab()
    lexicon()
    get_encoder("gpt-4o-mini").count("warm")


def free_ranges(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Free addresses (in NetBox's order) as runs of consecutive addresses: first, last, size."""
    out: list[dict[str, Any]] = []
    prev = None
    for r in rows:
        try:
            addr = ipaddress.ip_interface(str(r.get("address"))).ip
        except ValueError:
            continue
        if prev is not None and int(addr) == int(prev) + 1 and out:
            out[-1]["last"] = str(addr)
            out[-1]["size"] += 1
        else:
            out.append({"id": None, "first": str(addr), "last": str(addr), "size": 1})
        prev = addr
    for o in out:
        o["size"] = f"{o['size']:,}"
    return out


def _columns(t: Table, rows: list[dict[str, Any]]) -> list[str]:
    keys = [c.key for c in t.columns]
    if any(isinstance(r.get("id"), int) for r in rows[:50]) and "id" not in keys:
        keys = ["id"] + keys
    return keys


def _arg_problem(exc: TypeError) -> str:
    text = str(exc)
    m = re.search(r"unexpected keyword argument '(\w+)'", text)
    if m:
        return f"no argument {m.group(1)!r}"
    m = re.search(r"missing \d+ required positional arguments?: (.+)$", text)
    if m:
        return "missing " + m.group(1).replace("'", "")
    return text
