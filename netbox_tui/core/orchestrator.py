"""The orchestrator: question -> answer, walking the declared flow (graph.py).

Headless: no Textual here. The TUI and `netbox-tui ask` both call `ask`, `page`, `summary`
and `drill`, and receive typed results (results.py) and progress events (progress.py).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

from netbox_tui.core.classifier import RuleClassifier
from netbox_tui.core.columns import cell, fields_for, shape_row, table_columns
from netbox_tui.core.entities import Entity, EntityResolver
from netbox_tui.core.executor import Executor
from netbox_tui.core.explain import explain, explain_limitation
from netbox_tui.core.graph import FLOW
from netbox_tui.core.intent import Intent
from netbox_tui.core.plan import Context, NeedsChoice, NotFound, Outcome, Plan, Reroute
from netbox_tui.core.planner import (
    CACHE_KIND,
    DRILL_QUESTION,
    RELATED_COUNTS,
    Limitation,
    cap,
    counted,
    free_ip_rows,
    make_plan,
    noun,
    path_of,
    plan_list,
)
from netbox_tui.core.progress import ProgressCallback, ProgressEvent
from netbox_tui.core.results import (
    Answer,
    Choice,
    Column,
    PlanInfo,
    Stats,
    Table,
    TableQuery,
)
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.netbox.cache import CacheMode
from netbox_tui.netbox.client import NetBoxClient, normalise_params

log = logging.getLogger(__name__)


@dataclass
class ServerInfo:
    url: str
    version: str
    label: str


@dataclass
class _Run:
    """One question's journey through the flow."""

    question: str
    started: float
    emit: Callable[[ProgressEvent], None]
    answer: Answer
    intent: Optional[Intent] = None
    plan: Optional[Plan] = None
    ctx: Optional[Context] = None
    failure: Optional[BaseException] = None
    outcome: Optional[Outcome] = None
    retried: bool = False
    edge_hint: str = ""  # picks among edges with the same ends (simple / complex plan)
    calls0: int = 0
    hits0: int = 0
    preresolved: dict[str, list[Entity]] = field(default_factory=dict)


# Aggregation dimensions for the summary view, per model.
SUMMARY_DIMENSIONS: dict[str, list[str]] = {
    "dcim.device": ["status", "site", "role", "device_type", "platform"],
    "dcim.interface": ["type", "enabled", "mode", "device"],
    "ipam.vlan": ["status", "site", "group", "tenant"],
    "ipam.prefix": ["status", "vrf", "scope", "role"],
    "ipam.ipaddress": ["status", "vrf", "role", "tenant"],
    "dcim.site": ["status", "region", "tenant"],
    "dcim.rack": ["site", "status", "role"],
    "dcim.cable": ["status", "type"],
    "circuits.circuit": ["provider", "type", "status"],
    "virtualization.virtualmachine": ["cluster", "status", "site", "role"],
    "virtualization.cluster": ["type", "group", "status"],
}
LOCAL_TABLES = 64  # client-side tables kept for paging (the TUI's back stack holds at most 30 views)
SUMMARY_ROW_CAP = 5000  # rows fetched (few fields) to aggregate; above it the summary is marked partial


class Orchestrator:
    def __init__(
        self,
        client: NetBoxClient,
        *,
        page_size: int = 25,
        step_timeout: float = 30.0,
        llm: Any = None,  # an LLMClassifier (llm.py) or None for offline rules only
    ) -> None:
        self.client = client
        self.page_size = page_size
        self.step_timeout = step_timeout
        self.llm = llm
        self.rules = RuleClassifier()
        self.resolver = EntityResolver(client)
        self._local: dict[str, list[dict[str, Any]]] = {}

    # -- public API ------------------------------------------------------------------------------

    async def ask(self, question: str, *, on_progress: ProgressCallback = None, offset: int = 0,
                  refresh: bool = False, intent: Optional[Intent] = None,
                  preresolved: Optional[dict[str, list[Entity]]] = None) -> Answer:
        started = time.perf_counter()
        calls0, hits0, bytes0 = self.client.stats.calls, self.client.stats.cache_hits, self.client.stats.bytes
        emit = on_progress or (lambda e: None)
        run = _Run(question=question, started=started, emit=emit, answer=Answer(question=question), intent=intent,
                   calls0=calls0, hits0=hits0, preresolved=dict(preresolved or {}))
        with self._cache_mode(CacheMode.REFRESH if refresh else None):
            state = "classify"
            while state != "done":
                nxt = await getattr(self, f"_node_{state}")(run, offset)
                edge = FLOW.check(state, nxt, run.edge_hint)
                run.edge_hint = ""
                self._emit(run, state, "done", f"→ {nxt}: {edge.when}")
                state = nxt
        s = self.client.stats
        llm_tokens = run.answer.stats.llm_tokens
        run.answer.stats = Stats(api_calls=s.calls - calls0, cache_hits=s.cache_hits - hits0, bytes=s.bytes - bytes0,
                                 elapsed_ms=int((time.perf_counter() - started) * 1000), llm_tokens=llm_tokens)
        self._emit(run, "done", "done", f"{run.answer.status}: {run.answer.stats.api_calls} API calls")
        return run.answer

    async def page(self, table: Table, offset: int, *, limit: Optional[int] = None, search: Optional[str] = None,
                   refresh: bool = False) -> Table:
        """Rows [offset, offset+limit) of a table; `search` filters server-side with NetBox's `q`
        (None keeps the table's own filters, including a `q` its question used)."""
        with self._cache_mode(CacheMode.REFRESH if refresh else None):
            return await self._page(table, offset, limit or self.page_size, search)

    async def _page(self, table: Table, offset: int, limit: int, search: Optional[str]) -> Table:
        q = table.query
        if q is None:
            raise NetBoxTUIError("this table cannot be paged", "Ask the question again.")
        if q.local_key is not None:
            rows = self._local.get(q.local_key, [])
            if search:
                needle = search.lower()
                rows = [r for r in rows if any(needle in str(v).lower() for v in r.values())]
            return table.model_copy(update={"rows": rows[offset: offset + limit], "offset": offset, "limit": limit, "total": len(rows)})
        if q.kind == "available":
            free = await self.client.get(q.path or "", {"limit": offset + limit}, kind="utilisation")
            rows = free_ip_rows(free)
            return table.model_copy(update={"rows": rows[offset: offset + limit], "offset": offset, "limit": limit})
        params = list(q.params)
        if search is not None:
            params = [p for p in params if p[0] != "q"] + ([("q", search)] if search else [])
        page = await self.client.page(q.path or "", params, limit=limit, offset=offset, fields=q.fields or None, kind=q.kind)
        rows = [shape_row(table.object_type, r) for r in page.results]
        new_q = q.model_copy(update={"params": params})
        return table.model_copy(update={"rows": rows, "offset": offset, "limit": limit, "total": page.count, "query": new_q})

    async def summary(self, table: Table, *, refresh: bool = False) -> Table:
        """Aggregates of the whole result (not only loaded rows): counts by status, site, role…"""
        with self._cache_mode(CacheMode.REFRESH if refresh else None):
            return await self._summary(table)

    async def _summary(self, table: Table) -> Table:
        dims = SUMMARY_DIMENSIONS.get(table.object_type, ["status"])
        q = table.query
        partial = False
        if q is not None and q.local_key is not None:
            raw_rows = self._local.get(q.local_key, [])
            dims = [d for d in dims if raw_rows and d in raw_rows[0]] or [c.key for c in table.columns[1:3]]
            values = [{d: r.get(d, "—") for d in dims} for r in raw_rows]
        elif q is not None and q.path:
            fields = ["id"] + dims
            params = [p for p in q.params]
            first = await self.client.page(q.path, params, limit=1000, fields=fields, kind=q.kind)
            rows = list(first.results)
            if first.count > len(rows):
                offsets = list(range(1000, min(first.count, SUMMARY_ROW_CAP), 1000))
                pages = await self.client.gather(self.client.page(q.path, params, limit=1000, offset=o, fields=fields, kind=q.kind) for o in offsets)
                for p in pages:
                    rows.extend(p.results)
                partial = first.count > SUMMARY_ROW_CAP
            values = [{d: cell(r.get(d)) for d in dims} for r in rows]
        else:
            values = [{d: r.get(d, "—") for d in dims} for r in table.rows]
        out = []
        for d in dims:
            counts = Counter(v[d] for v in values)
            for value, n in counts.most_common(12):
                out.append({"id": None, "display": f"{d}: {value}", "dimension": d.replace("_", " "), "value": value, "count": f"{n:,}"})
            if len(counts) > 12:
                rest = sum(n for _, n in counts.most_common()[12:])
                out.append({"id": None, "display": f"{d}: other", "dimension": d.replace("_", " "), "value": f"({len(counts) - 12} more)", "count": f"{rest:,}"})
        key = f"summary:{table.title}"
        self._keep_local({key: out})
        title = f"Summary of {table.title} ({len(values):,}{' of ' + format(table.total, ',') if partial else ''} rows)"
        return Table(title=title, object_type=table.object_type, columns=[Column(key="dimension", title="By"), Column(key="value", title="Value"), Column(key="count", title="Count")],
                     rows=out[: max(len(out), 1)], total=len(out), offset=0, limit=len(out) or 1, partial=partial, query=TableQuery(local_key=key))

    async def drill(self, object_type: str, row: dict[str, Any], *, on_progress: ProgressCallback = None, refresh: bool = False) -> Answer:
        """Drill down on one row: a device's interfaces, IPs and cables; a VLAN's interfaces; a site's contents…"""
        with self._cache_mode(CacheMode.REFRESH if refresh else None):
            return await self._drill(object_type, row, on_progress)

    async def _drill(self, object_type: str, row: dict[str, Any], on_progress: ProgressCallback) -> Answer:
        obj_id, name = row.get("id"), str(row.get("name") or row.get("display") or "")
        kind_of = {"dcim.device": "device", "dcim.site": "site", "dcim.rack": "rack", "ipam.vlan": "vlan", "virtualization.cluster": "cluster",
                   "circuits.provider": "provider", "dcim.region": "region", "tenancy.tenant": "tenant",
                   "virtualization.virtualmachine": "virtual_machine", "circuits.circuit": "circuit"}
        if object_type == "dcim.interface" and obj_id is not None:
            dev = str(row.get("device") or "")
            return await self.ask(f"what is connected to {dev} {row.get('name')}", on_progress=on_progress)
        if object_type == "ipam.prefix" and row.get("prefix"):
            return await self.ask(f"free IPs in {row['prefix']}", on_progress=on_progress)
        kind = kind_of.get(object_type)
        if kind is None or obj_id is None:
            raise NetBoxTUIError(f"nothing to drill into for a {noun(object_type, 1)}", "Select a device, interface, site, rack, VLAN, prefix, VM, circuit, cluster, provider, region or tenant.")
        ent = Entity(kind, int(obj_id), name, display=str(row.get("display") or name))
        return await self._drill_tables(object_type, ent, on_progress)

    async def server_info(self) -> ServerInfo:
        status = await self.client.status()
        version = str(status.get("netbox-version", "?"))
        return ServerInfo(url=self.client.base_url, version=version, label=f"NetBox {version} at {self.client.base_url}")

    def _keep_local(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Client-side tables stay pageable; the oldest go first past LOCAL_TABLES (long TUI sessions)."""
        for key, rows in tables.items():
            self._local.pop(key, None)
            self._local[key] = rows
        while len(self._local) > LOCAL_TABLES:
            self._local.pop(next(iter(self._local)))

    def local_rows(self, key: str) -> list[dict[str, Any]]:
        return list(self._local.get(key, []))

    # -- the flow's nodes ------------------------------------------------------------------------

    async def _node_classify(self, run: _Run, offset: int) -> str:
        self._emit(run, "classify", "start", "understanding the question")
        try:
            if run.intent is None:
                run.intent = await self._classify(run)
        except NetBoxTUIError as exc:
            run.failure = exc
            return "format"
        run.answer.intent = run.intent
        self._emit(run, "classify", "info", f"{run.intent.kind.value}: {noun(run.intent.target.value)} ({run.intent.source})")
        return "route"

    async def _classify(self, run: _Run) -> Intent:
        rules = self.rules.classify(run.question)  # validates the question (empty, too long, writes) first
        if self.llm is None:
            return rules
        try:
            intent, tokens = await self.llm.classify(run.question)
            run.answer.stats.llm_tokens += tokens
            self._emit(run, "classify", "info", f"LLM ({self.llm.model}) classified the question")
            return intent
        except Exception as exc:  # invalid, slow or failed: the offline rules answer
            self._emit(run, "classify", "fallback", f"LLM unavailable ({exc.__class__.__name__}: {str(exc)[:80]}); using offline rules")
            return rules

    async def _node_route(self, run: _Run, offset: int) -> str:
        assert run.intent is not None
        try:
            run.plan = make_plan(run.intent)
        except Limitation as exc:
            run.failure = exc
            return "limitations"
        run.ctx = Context(self.client, self.resolver, run.intent, run.question, page_size=self.page_size, offset=offset)
        run.ctx.resolved.update(run.preresolved)
        run.answer.plan = PlanInfo(kind=run.plan.kind, steps=run.plan.describe())
        run.edge_hint = "simple" if run.plan.kind == "direct" else "complex"
        self._emit(run, "route", "info", f"{run.plan.kind} plan, {len(run.plan.steps)} steps")
        return "execute"

    async def _node_execute(self, run: _Run, offset: int) -> str:
        assert run.plan is not None and run.ctx is not None
        executor = Executor(self.step_timeout, run.emit, run.started)
        try:
            await executor.run(run.plan, run.ctx)
            run.outcome = run.plan.finish(run.ctx)
        except Reroute as exc:
            run.intent = run.answer.intent = exc.intent
            run.preresolved.update(exc.resolved)
            run.edge_hint = ""
            return "route"
        except (NeedsChoice, NotFound) as exc:
            run.failure = exc
            return "format"
        except (NetBoxTUIError, Limitation, asyncio.TimeoutError) as exc:
            run.failure = exc
            return "limitations"
        except Exception as exc:  # a bug of ours must not take the app down: say it, keep going
            log.exception("internal error answering %r", run.question)
            run.failure = NetBoxTUIError(
                f"internal error while answering ({exc.__class__.__name__}: {str(exc)[:120]})",
                "Rephrase the question; if it persists, report it with the question (the log has the details).",
            )
            run.failure.kind = "internal"
            return "format"
        return "format"

    async def _node_limitations(self, run: _Run, offset: int) -> str:
        exc = run.failure
        self._emit(run, "limitations", "start", f"handling: {getattr(exc, 'message', exc)}")
        # A plain list is the simplified plan for anything orchestrated that timed out or failed server-side.
        simplifiable = isinstance(exc, asyncio.TimeoutError) or getattr(exc, "kind", "") in ("timeout", "server", "too_large")
        if simplifiable and not run.retried and run.plan is not None and run.plan.kind != "direct" and run.intent is not None:
            run.retried = True
            run.plan = plan_list(run.intent.model_copy(update={"metric": None}))
            run.plan.kind = "fallback"
            run.ctx = Context(self.client, self.resolver, run.intent, run.question, page_size=self.page_size, offset=offset)
            run.answer.plan = PlanInfo(kind="fallback", steps=run.plan.describe())
            run.failure = None
            self._emit(run, "limitations", "fallback", "retrying with a simplified plan")
            return "execute"
        return "format"

    async def _node_format(self, run: _Run, offset: int) -> str:
        ans = run.answer
        exc = run.failure
        if isinstance(exc, NeedsChoice):
            ans.status = "needs_choice"
            res = exc.resolution
            what = {"scope": "places", "object": "objects", "name": "objects"}.get(exc.slot, f"{exc.slot}s")
            ans.answer = f"“{res.text}” matches several {what}: which one?"
            ans.choices = [Choice(kind="candidate", label=e.label, question=_replace(run.question, res.text, e.name)) for e, _ in res.candidates[:8]]
        elif isinstance(exc, NotFound):
            res = exc.resolution
            model = run.intent.target.value if run.intent else "dcim.device"
            closest = [e.label for e, _ in res.candidates[:3]]
            ans.status = "ok"
            ans.answer = f"No {exc.noun} matches “{res.text}”." + (f" Closest: {', '.join(closest)}." if closest else "")
            ans.tables = [Table(title=cap(f"{noun(model)} matching “{res.text}”"), object_type=model, columns=table_columns(model), rows=[], total=0, limit=self.page_size)]
            ans.choices = [Choice(kind="suggestion", label=e.label, question=_replace(run.question, res.text, e.name)) for e, _ in res.candidates[:3]]
        elif isinstance(exc, Limitation):
            ans.status = "error"
            ans.error = explain_limitation(exc.message, exc.hint)
            ans.answer = f"{exc.message}. {exc.hint}"
        elif isinstance(exc, NetBoxTUIError):
            ans.status = "error"
            ans.error = explain(exc)
            ans.answer = f"{exc.message}. {exc.hint}".strip()
        elif isinstance(exc, asyncio.TimeoutError):
            ans.status = "error"
            ans.error = explain_limitation(f"NetBox did not answer within {self.step_timeout:g} s", "Narrow the question or retry.")
            ans.answer = ans.error.message
        elif run.outcome is not None:
            ans.answer = run.outcome.answer
            ans.tables = run.outcome.tables
            ans.choices = run.outcome.choices
            partial = bool(run.ctx and run.ctx.partial)
            ans.status = "partial" if partial else "ok"
            if run.ctx:
                self._keep_local(run.ctx.local_rows)
                if run.ctx.notes:
                    ans.answer += " Note: " + " ".join(run.ctx.notes)
        # Refused or malformed questions keep the template: their text is not worth sending anywhere.
        if ans.error is not None and self.llm is not None and ans.error.kind not in ("bad_question", "write_refused"):
            await self._llm_explain(run)
        return "done"

    async def _llm_explain(self, run: _Run) -> None:
        """Reword the template explanation with the LLM; on any failure the template stands."""
        ans = run.answer
        assert ans.error is not None
        try:
            text, tokens = await asyncio.wait_for(self.llm.explain(run.question, ans.error.model_dump()), self.llm.settings.timeout)
        except Exception as exc:
            self._emit(run, "format", "fallback", f"LLM explanation unavailable ({exc.__class__.__name__}); using the template")
            return
        ans.answer = text
        ans.stats.llm_tokens += tokens

    # -- helpers ---------------------------------------------------------------------------------

    async def _drill_tables(self, object_type: str, ent: Entity, on_progress: ProgressCallback) -> Answer:
        """One table per related kind, fetched concurrently: one request each, whatever the row."""
        if object_type == "ipam.vlan":  # interfaces' vlan_id takes one value: fine for one VLAN
            related = [("interfaces", "dcim.interface", "vlan_id"), ("VM interfaces", "virtualization.vminterface", "vlan_id")]
        else:
            related = RELATED_COUNTS.get(object_type, [])
        started = time.perf_counter()
        calls0 = self.client.stats.calls
        if on_progress:
            on_progress(ProgressEvent(phase="execute", state="start", description=f"fetch {', '.join(r[0] for r in related)} of {ent.label}", step=1, total_steps=1))
        pages = await self.client.gather(
            self.client.page(path_of(rel), {flt: ent.id}, limit=self.page_size, fields=fields_for(rel), kind=CACHE_KIND.get(rel, "default"))
            for _, rel, flt in related
        )
        tables = [
            Table(title=cap(f"{label} of {ent.label}"), object_type=rel, columns=table_columns(rel), rows=[shape_row(rel, r) for r in page.results],
                  total=page.count, offset=0, limit=self.page_size,
                  query=TableQuery(path=path_of(rel), params=normalise_params({flt: ent.id}), fields=fields_for(rel), kind=CACHE_KIND.get(rel, "default")))
            for (label, rel, flt), page in zip(related, pages, strict=True)
        ]
        summary = ", ".join(counted(t.total, label) for (label, _, _), t in zip(related, tables, strict=True))
        ans = Answer(question=f"drill into {ent.label}", status="ok", answer=f"{ent.label}: {summary}.", tables=tables,
                     plan=PlanInfo(kind="orchestrated", steps=[f"fetch {label} of {ent.label}" for label, _, _ in related]))
        ans.choices = [Choice(kind="drill_down", label=f"{label} of {ent.label}", question=q.format(name=ent.name))
                       for label, _, _ in related if (q := DRILL_QUESTION.get((object_type, label)))]
        ans.stats = Stats(api_calls=self.client.stats.calls - calls0, elapsed_ms=int((time.perf_counter() - started) * 1000))
        if on_progress:
            on_progress(ProgressEvent(phase="done", state="done", description=ans.answer, step=1, total_steps=1, elapsed=time.perf_counter() - started, api_calls=ans.stats.api_calls))
        return ans

    def _emit(self, run: _Run, phase: str, state: str, description: str) -> None:
        s = self.client.stats
        run.emit(ProgressEvent(phase=phase, state=state, description=description, elapsed=time.perf_counter() - run.started,  # type: ignore[arg-type]
                               api_calls=s.calls - run.calls0, cache_hits=s.cache_hits - run.hits0))

    @contextmanager
    def _cache_mode(self, mode: Optional[CacheMode]) -> Iterator[None]:
        cache = self.client.cache
        if mode is None or cache.mode is CacheMode.OFF:
            yield
            return
        before = cache.mode
        cache.mode = mode
        try:
            yield
        finally:
            cache.mode = before


def _replace(question: str, typed: str, exact: str) -> str:
    """The question with the loosely typed name replaced by an exact one, for a one-key choice.

    Words right after the typed name that the exact name also holds are replaced too:
    "VLANs at JBB Branch" with "JBB" typed becomes "VLANs at JBB Branch 104", not "… 104 Branch".
    """
    m = re.search(re.escape(typed), question, flags=re.I)
    if not m:
        return f"{question} {exact}"
    end = m.end()
    words = {w.lower() for w in exact.split()}
    for word in re.finditer(r"\s+(\S+)", question[end:]):
        if word.start() != end - m.end() or word.group(1).lower() not in words:
            break
        end = m.end() + word.end()
    return question[: m.start()] + exact + question[end:]
