"""The orchestrator: question -> answer, walking the declared flow (graph.py).

Headless: no Textual here. The TUI, `netbox-tui ask` and the MCP server all call `ask`, `page`,
`summary` and `drill`, and receive typed results (results.py) and progress events (progress.py).
Paging, summaries, drills and exports are modules of their own (paging.py, summary.py, drill.py,
export.py): the methods here only wrap them in a question (cache mode, deadline). Follow-ups that
refine an answer go through conversation.py, which calls `ask` with the refined intent.
An answer is `ok` only when every word of the question was used; words nobody read make it
`partial`, said in the answer and in its interpretation.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional, cast

from netbox_tui.core import customfields, export, paging, ranking
from netbox_tui.core.columns import cell, table_columns
from netbox_tui.core.drill import drill_question, drill_tables, drill_target
from netbox_tui.core.executor import Executor
from netbox_tui.core.explain import explain, explain_limitation, with_names
from netbox_tui.core.graph import FLOW
from netbox_tui.core.intent import Intent, Ref
from netbox_tui.core.parser import Parser, check_question
from netbox_tui.core.plan import Context, Limitation, NeedsChoice, NotFound, Outcome, Plan, Reroute
from netbox_tui.core.planner import cap, found_as, make_plan, noun, plan_list
from netbox_tui.core.progress import Phase, ProgressCallback, ProgressEvent, State
from netbox_tui.core.resolve import Resolver
from netbox_tui.core.results import Answer, Choice, Interpretation, PlanInfo, Stats, Table
from netbox_tui.core.summary import Summaries
from netbox_tui.core.tables import LOCAL_TABLES, LocalTables  # noqa: F401 - LOCAL_TABLES re-exported
from netbox_tui.core.writes import refuse_writes
from netbox_tui.errors import DeadlineError, NetBoxTUIError
from netbox_tui.netbox.cache import CacheMode
from netbox_tui.netbox.client import CUSTOM_FIELDS_MEMO
from netbox_tui.netbox.stats import current_question

_now = time.monotonic  # the clock the custom fields' age is read on (a test moves it)
log = logging.getLogger(__name__)

MAX_CHOICES = 12  # a longer choice list says how many there are and asks for more of the name


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
    reroutes: int = 0
    page_size: int = 25  # rows per page for this question (a front-end may ask for its own)
    extra: dict[str, Any] = field(default_factory=dict)


class Orchestrator:
    def __init__(
        self,
        client: Any,
        *,
        page_size: int = 25,
        step_timeout: float = 30.0,
        llm: Any = None,  # an LLMClassifier (llm.py) or None for offline rules only
        # seconds per question, fallbacks included; None: the profile's `deadline`
        deadline: Optional[float] = None,
    ) -> None:
        self.client = client
        self.page_size = page_size
        self.step_timeout = step_timeout
        self.llm = llm
        self.deadline = deadline
        self.resolver = Resolver(client)
        self.custom: Optional[customfields.CustomFields] = None  # read with the names, when a question needs
        self._custom_at = 0.0  # when `custom` was read: kept as long as the client keeps it, then read again
        self._local = LocalTables(LOCAL_TABLES)  # client-side tables, paged from memory
        self._summaries = Summaries(client, self._local)

    # -- public API ------------------------------------------------------------------------------

    async def ask(self, question: str, *, on_progress: ProgressCallback = None, offset: int = 0,
                  refresh: bool = False, intent: Optional[Intent] = None,
                  page_size: Optional[int] = None) -> Answer:
        """Answer a question; with `intent` (a choice's), that intent is answered as is, never re-read.
        `page_size` sets this question's rows per page (the orchestrator's own otherwise)."""
        started = time.perf_counter()
        calls0, hits0, bytes0 = self.client.stats.calls, self.client.stats.cache_hits, self.client.stats.bytes
        emit = on_progress or (lambda e: None)
        run = _Run(question=question, started=started, emit=emit, answer=Answer(question=question),
                   intent=intent.model_copy(deep=True) if intent is not None else None,
                   calls0=calls0, hits0=hits0, page_size=page_size or self.page_size)
        if refresh:
            self.resolver.forget()
        if refresh or self.custom is not None and _now() - self._custom_at >= CUSTOM_FIELDS_MEMO:
            self.custom = None  # a long session sees a custom field added since (the response cache's TTL)
        customfields.use(self.custom or customfields.NONE)  # what the planner checks cf_ filters against
        with self._cache_mode(CacheMode.REFRESH if refresh else None) as q:
            state = "classify"
            while state != "done":
                nxt = await getattr(self, f"_node_{state}")(run, offset)
                edge = FLOW.check(state, nxt, run.edge_hint)
                run.edge_hint = ""
                self._emit(run, state, "done", f"→ {nxt}: {edge.when}")
                state = nxt
        _say_data(run.answer, q)
        s = self.client.stats
        llm_tokens = run.answer.stats.llm_tokens
        run.answer.stats = Stats(
            api_calls=s.calls - calls0,
            cache_hits=s.cache_hits - hits0,
            bytes=s.bytes - bytes0,
            elapsed_ms=int((time.perf_counter() - started) * 1000),
            llm_tokens=llm_tokens,
        )
        n = run.answer.stats.api_calls
        self._emit(run, "done", "done", f"{run.answer.status}: {n} API call{'s' if n != 1 else ''}")
        return run.answer

    async def understand(self, question: str) -> Intent:
        """The intent a question is read as, by the offline rules, with the NetBox's names if needed."""
        text = check_question(question)
        parser = Parser(self.resolver.loaded, custom=self.custom)
        if self.resolver.loaded is None and parser.needs_names(text):
            parser = Parser(await self.resolver.names(), custom=self.custom)
        # The custom fields, like the names, only for words nothing else reads (the names read first: a
        # provider's name is no custom field).
        if self.custom is None and customfields.needed(parser, text):
            parser = Parser(parser.names, custom=await self._custom_fields())
        intent = parser.parse(text)
        if self.custom is not None and customfields.wants_choices(self.custom, intent):
            parser = Parser(parser.names, custom=await self._custom_fields(choices=True))
            intent = parser.parse(text)
        return intent

    async def _custom_fields(self, choices: bool = False) -> customfields.CustomFields:
        """The NetBox's custom fields, read once (their choices only when a question may say one)."""
        if self.custom is None or choices and not self.custom.choices:
            self.custom = await customfields.load(self.client, choices=choices)
            self._custom_at = _now()
        customfields.use(self.custom)
        return self.custom

    async def page(
        self,
        table: Table,
        offset: int,
        *,
        limit: Optional[int] = None,
        search: Optional[str] = None,
        refresh: bool = False,
    ) -> Table:
        """Rows [offset, offset+limit) of a table (paging.py); `search` filters server-side with NetBox's `q`
        (None keeps the table's own filters, including a `q` its question used)."""
        with self._cache_mode(CacheMode.REFRESH if refresh else None) as q:
            rows = await paging.page(self.client, self._local, table, offset, limit or self.page_size, search)
            return _said_stale(rows, q)

    async def summary(self, table: Table, *, refresh: bool = False) -> Table:
        """Aggregates of the whole result (not only loaded rows): counts by status, site, role…"""
        with self._cache_mode(CacheMode.REFRESH if refresh else None) as q:
            return _said_stale(await self._summaries.summary(table), q)

    async def summary_rows(self, summary: Table, row: dict[str, Any], *, refresh: bool = False) -> Table:
        """The rows a summary line counts ("enabled no 16" -> those 16), as a table of the source model."""
        with self._cache_mode(CacheMode.REFRESH if refresh else None) as q:
            return _said_stale(await self._summaries.members(summary, row, self.page_size), q)

    async def all_rows(
        self, table: Table, *, on_progress: ProgressCallback = None, cap: int = 50_000
    ) -> list[dict[str, Any]]:
        """Every row of a table (for an export), in bounded pages of 1,000, with progress; at most `cap`."""
        return await export.all_rows(self.client, self._local, table, on_progress=on_progress, cap=cap)

    async def drill(
        self,
        object_type: str,
        row: dict[str, Any],
        *,
        on_progress: ProgressCallback = None,
        refresh: bool = False,
    ) -> Answer:
        """Drill down on one row: a device's interfaces, IPs and cables; a VLAN's interfaces; a site's
        contents…"""
        follow = drill_question(object_type, row)
        if follow is not None:  # a port's trace, a prefix's free IPs: questions of their own
            return await self.ask(follow[0], on_progress=on_progress, intent=follow[1], refresh=refresh)
        ent, related = drill_target(object_type, row)
        with self._cache_mode(CacheMode.REFRESH if refresh else None) as q:
            answer = await drill_tables(self.client, object_type, ent, related, self.page_size, on_progress)
        _say_data(answer, q)
        return answer

    async def server_info(self) -> ServerInfo:
        status = await self.client.status()
        version = str(status.get("netbox-version", "?"))
        return ServerInfo(
            url=self.client.base_url, version=version, label=f"NetBox {version} at {self.client.base_url}"
        )

    def _keep_local(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Client-side tables stay pageable; the oldest go first past LOCAL_TABLES (long TUI sessions)."""
        self._local.keep(tables)

    def _a_site(self) -> Optional[str]:
        """A site of this NetBox for the examples of an error, if its names are loaded (no request)."""
        names = self.resolver.loaded
        sites = names.by_model.get("dcim.site", []) if names is not None else []
        return sites[0].name if sites else None

    def local_rows(self, key: str) -> list[dict[str, Any]]:
        return self._local.rows(key)

    # -- the flow's nodes ------------------------------------------------------------------------

    async def _node_classify(self, run: _Run, offset: int) -> str:
        self._emit(run, "classify", "start", "understanding the question")
        try:
            if run.intent is None:
                run.intent = await self._classify(run)
            else:
                # A typed intent only reads: its question is a label, checked for size, never for write
                # words (a drill into a port of "remove-me-sw01" is no write).
                check_question(run.question)
        except NetBoxTUIError as exc:
            q = current_question()
            failed = (q.down or q.last_error) if q is not None and not q.successes else None
            # Reading the question needed NetBox's names and NetBox failed: that failure is the answer,
            # not the wording.
            run.failure = failed if exc.kind == "bad_question" and isinstance(failed, NetBoxTUIError) else exc
            return "format"
        run.answer.intent = run.intent
        self._emit(
            run,
            "classify",
            "info",
            f"{noun(run.intent.target)} ({run.intent.source})"
            + (
                f"; not understood: {', '.join(run.intent.not_understood)}"
                if run.intent.not_understood
                else ""
            ),
        )
        return "route"

    async def _classify(self, run: _Run) -> Intent:
        text = check_question(run.question)  # empty or too long: refused before anything else
        refuse_writes(text)  # in the vocabulary's words, before an LLM could read "add VLAN 400" as a search
        if self.llm is None:
            return await self.understand(text)
        if self.custom is None and customfields.needed(Parser(self.resolver.loaded), text):
            await self._custom_fields(choices=True)  # the LLM prompt lists them, its reply is checked on them
        # The question's deadline is NetBox's: the LLM has its own (two rounds of llm.timeout: a format
        # or context refit is one more request), and its time leaves the requests, and the rules'
        # fallback with its names request, all of theirs.
        try:
            intent, tokens = await asyncio.wait_for(self.llm.classify(text), 2 * self.llm.settings.timeout)
        except Exception as exc:  # invalid, slow or failed: the offline rules answer
            _restart_clock()
            run.answer.stats.llm_tokens += getattr(exc, "tokens", 0)
            self._emit(
                run,
                "classify",
                "fallback",
                f"LLM unavailable ({exc.__class__.__name__}: {str(exc)[:80]}); using offline rules",
            )
            return await self.understand(text)
        _restart_clock()
        run.answer.stats.llm_tokens += tokens
        self._emit(run, "classify", "info", f"LLM ({self.llm.model}) read the question")
        return intent

    async def _node_route(self, run: _Run, offset: int) -> str:
        assert run.intent is not None
        if self.custom is None and customfields.wanted(run.intent):  # an LLM's or a choice's intent
            await self._custom_fields()
        try:
            run.plan = make_plan(run.intent)
        except Limitation as exc:
            run.failure = exc
            return "limitations"
        run.ctx = Context(self.client, self.resolver, run.intent, run.question, page_size=run.page_size,
                          offset=offset)
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
            run.reroutes += 1
            if run.reroutes > 2:
                run.failure = NetBoxTUIError(
                    "the question kept changing what it is about",
                    "Say what kind of object you mean, e.g. “device X”.",
                )
                return "format"
            run.intent = run.answer.intent = exc.intent
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
                "Rephrase the question; if it persists, report it with the question (the log has "
                "the details).",
            )
            run.failure.kind = "internal"
            return "format"
        return "format"

    async def _node_limitations(self, run: _Run, offset: int) -> str:
        exc = run.failure
        self._emit(run, "limitations", "start", f"handling: {getattr(exc, 'message', exc)}")
        # A plain list is the simplified plan for anything orchestrated that timed out or failed server-side.
        simplifiable = isinstance(exc, asyncio.TimeoutError) or getattr(exc, "kind", "") in (
            "timeout",
            "server",
            "too_large",
        )
        q = current_question()
        left = q.remaining() if q is not None else None
        if left is not None and left < 1.0:
            simplifiable = False  # the question's deadline leaves no time for a second plan
        if (
            simplifiable
            and not run.retried
            and run.plan is not None
            and run.plan.kind != "direct"
            and run.intent is not None
        ):
            run.retried = True
            simple = run.intent.model_copy(update={"pattern": None, "relations": [], "aggregate": None})
            try:
                run.plan = plan_list(simple)
            except Limitation:
                return "format"
            run.plan.kind = "fallback"
            # The simplified plan runs on the intent it was made from; the answer says what it left out.
            run.ctx = Context(self.client, self.resolver, simple, run.question, page_size=run.page_size,
                              offset=offset)
            run.answer.plan = PlanInfo(kind="fallback", steps=run.plan.describe())
            run.failure = None
            run.extra["fallback_reason"] = getattr(exc, "message", str(exc)) or exc.__class__.__name__
            run.extra["fallback_instead"] = _instead(run.intent)
            self._emit(run, "limitations", "fallback", "retrying with a simplified plan")
            return "execute"
        return "format"

    async def _node_format(self, run: _Run, offset: int) -> str:
        ans = run.answer
        exc = run.failure
        if run.intent is not None:
            ans.interpretation = self._interpretation(run)
        if isinstance(exc, NeedsChoice):
            self._format_choice(run, exc)
        elif isinstance(exc, NotFound):
            self._format_not_found(run, exc)
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
            q = current_question()
            took = q.elapsed() if q is not None else self.step_timeout
            ans.error = explain(DeadlineError(f"NetBox did not answer within {took:.3g} s"))
            ans.answer = f"{ans.error.message}. {ans.error.hint}"
        elif run.outcome is not None:
            self._format_outcome(run)
            if run.intent is not None and run.intent.rank is not None:  # "the most", "top 5": ranked here
                run.answer = ans = await ranking.apply(self, ans, run.intent.rank)
        if ans.error is not None:
            site = self._a_site()
            ans.error.alternatives = with_names(ans.error.alternatives, site)
            ans.error.hint, ans.answer = with_names([ans.error.hint, ans.answer], site)
        # Refused or malformed questions keep the template: their text is not worth sending anywhere.
        if (
            ans.error is not None
            and self.llm is not None
            and ans.error.kind not in ("bad_question", "write_refused")
        ):
            await self._llm_explain(run)
        return "done"

    def _format_outcome(self, run: _Run) -> None:
        ans, ctx, intent = run.answer, run.ctx, run.intent
        assert run.outcome is not None and ctx is not None and intent is not None
        ans.answer = run.outcome.answer
        ans.tables = run.outcome.tables
        ans.choices = run.outcome.choices
        # Each answer's client-side tables get keys of their own: a later answer of the same recipe
        # ("VLAN topology" twice) must not replace the rows an older table (the back stack) pages.
        renamed = {key: self._local.fresh_key(key) for key in ctx.local_rows}
        self._keep_local({renamed[k]: rows for k, rows in ctx.local_rows.items()})
        for t in ans.tables:
            if t.query is not None and t.query.local_key in renamed:
                t.query = t.query.model_copy(update={"local_key": renamed[t.query.local_key]})
        said: list[str] = []
        guesses = intent.guesses()
        if guesses:
            said.append("Read " + "; ".join(guesses) + ".")
        if intent.not_understood:
            said.append(
                "Not understood: "
                + ", ".join(f"“{w}”" for w in intent.not_understood)
                + " (left out of this answer)."
            )
        if ctx.notes:
            said.append("Note: " + " ".join(n.rstrip(".") + "." for n in ctx.notes))
        if run.plan is not None and run.plan.kind == "fallback":
            said.append(f"Simplified answer ({run.extra.get('fallback_reason', 'the full answer failed')}): "
                        f"{run.extra.get('fallback_instead') or 'the same question as a plain list'}.")
        if said:
            ans.answer = ans.answer.rstrip() + " " + " ".join(said)
        partial = (
            ctx.partial
            or bool(intent.not_understood)
            or (run.plan is not None and run.plan.kind == "fallback")
        )
        ans.status = "partial" if partial else "ok"
        if ans.interpretation is not None:
            ans.interpretation = self._interpretation(run)

    def _format_choice(self, run: _Run, exc: NeedsChoice) -> None:
        """Several objects match a name: one choice each, carrying the question's intent with that
        object resolved, so picking one asks exactly that (nothing is read again)."""
        ans, res, cond = run.answer, exc.resolution, exc.cond
        ans.status = "needs_choice"
        shown = res.candidates[:MAX_CHOICES]
        total = max(res.total, len(res.candidates))
        models = {f.ref.model for f in shown}
        what = noun(next(iter(models))) if len(models) == 1 else "objects"
        more = f" ({len(shown)} of {total}: type more of the name to narrow it)" if total > len(shown) else ""
        ans.answer = f"“{res.text}” matches {total} {what}: which one?{more}"
        for f in shown:
            label = _choice_label(f)
            follow = _with_resolved(run.intent, cond, f.ref) if run.intent is not None else None
            ans.choices.append(
                Choice(
                    kind="candidate",
                    label=label,
                    question=_replace(run.question, res.text, f.ref.label),
                    intent=follow,
                )
            )

    def _format_not_found(self, run: _Run, exc: NotFound) -> None:
        ans, res, cond = run.answer, exc.resolution, exc.cond
        closest = res.candidates[:3]
        ans.status = "not_found"
        model = (
            closest[0].ref.model
            if closest and cond.candidates
            else (cond.model or (run.intent.target if run.intent else "dcim.device"))
        )
        ans.answer = f"No {exc.noun} matches “{res.text}”." + (
            f" Closest: {', '.join(f.ref.label for f in closest)}." if closest else ""
        )
        # The table is of what was asked for, unless the missing name was the object itself, of no known kind.
        target = (
            run.intent.target
            if run.intent is not None and not (cond.candidates and cond.field == "id")
            else model
        )
        ans.tables = [
            Table(
                title=cap(f"{noun(target)} matching “{res.text}”"),
                object_type=target,
                columns=table_columns(target),
                rows=[],
                total=0,
                limit=run.page_size,
            )
        ]
        for f in closest:
            follow = _with_resolved(run.intent, cond, f.ref) if run.intent is not None else None
            ans.choices.append(
                Choice(
                    kind="suggestion",
                    label=f.ref.label,
                    question=_replace(run.question, res.text, f.ref.label),
                    intent=follow,
                )
            )

    def _interpretation(self, run: _Run) -> Interpretation:
        intent = run.intent
        assert intent is not None
        applied = list(run.ctx.applied) if run.ctx is not None else []
        if not applied:
            from netbox_tui.core.planner import shown

            applied = [shown(c) for c in intent.conditions]
        agg = None
        if intent.aggregate is not None:
            from netbox_tui.core.planner import word_of as _word

            agg = (
                "count"
                if intent.aggregate.op == "count"
                else f"per {_word(intent.target, intent.aggregate.by or '')}"
            )
        limits = [
            n for n in (run.ctx.notes if run.ctx is not None else []) if "not applied" in n or "cannot" in n
        ]
        from netbox_tui.core.planner import word_of

        return Interpretation(
            model=intent.target,
            noun=noun(intent.target),
            conditions=applied,
            asked=[word_of(intent.target, a) for a in intent.attributes],
            aggregate=agg,
            not_understood=list(intent.not_understood),
            guesses=intent.guesses(),
            limits=limits,
        )

    async def _llm_explain(self, run: _Run) -> None:
        """Reword the template explanation with the LLM; on any failure the template stands."""
        ans = run.answer
        assert ans.error is not None
        try:
            text, tokens = await asyncio.wait_for(
                self.llm.explain(run.question, ans.error.model_dump()), self.llm.settings.timeout
            )
        except Exception as exc:
            self._emit(
                run,
                "format",
                "fallback",
                f"LLM explanation unavailable ({exc.__class__.__name__}); using the template",
            )
            return
        # Added to the exact message, never in its place: the error's facts (which may quote NetBox's
        # words) went into the prompt, so the model's wording is not to be taken on its own.
        ans.answer = f"{ans.answer.rstrip()} (LLM: {text})"
        ans.stats.llm_tokens += tokens

    # -- helpers ---------------------------------------------------------------------------------

    def _emit(self, run: _Run, phase: str, state: str, description: str) -> None:
        s = self.client.stats
        run.emit(
            ProgressEvent(
                # The flow's node names are the phases: checked by FLOW, not by the type.
                phase=cast(Phase, phase),
                state=cast(State, state),
                description=description,
                elapsed=time.perf_counter() - run.started,
                api_calls=s.calls - run.calls0,
                cache_hits=s.cache_hits - run.hits0,
            )
        )

    @contextmanager
    def _cache_mode(self, mode: Optional[CacheMode]) -> Iterator[Any]:
        """One question for the client (netbox.stats.Question): its deadline, one retry budget, and
        REFRESH to bypass fresh cache entries. Per question, not by switching the shared cache's
        mode, so questions running at once (the TUI) never change each other's."""
        question = getattr(self.client, "question", None)
        if question is None:  # a client without questions (a test double)
            yield None
            return
        with question(deadline=self.deadline, refresh=mode is CacheMode.REFRESH) as q:
            yield q


_PATTERN_WORDS = {
    "vlan_topology": "their interfaces and devices",
    "rack_utilisation": "the rack units used",
    "trace": "the cable path",
    "free_ips": "the free IP addresses",
    "prefix_utilisation": "the utilisation",
    "site_summary": "the counts of what the site holds",
}


def _instead(intent: Intent) -> str:
    """What a simplified plan answers instead of the question: "the VLANs only, without their
    interfaces and devices"."""
    dropped = []
    if intent.pattern:
        dropped.append(_PATTERN_WORDS.get(intent.pattern, intent.pattern.replace("_", " ")))
    for r in intent.relations:
        dropped.append(f"the condition “{r.text or r.words(noun(r.model))}”")
    if intent.aggregate is not None:
        dropped.append(
            f"the count per {intent.aggregate.by.replace('_', ' ')}"
            if intent.aggregate.op == "group" and intent.aggregate.by
            else "the count"
        )
    return f"the {noun(intent.target)} only, without " + " and ".join(dropped) if dropped else ""


def _restart_clock() -> None:
    q = current_question()
    if q is not None:
        q.restart_clock()


def _said_stale(table: Table, q: Any) -> Table:
    """A table read (in part) from expired cache entries while NetBox failed says so, like an answer."""
    if q is None or not getattr(q, "stale", False):
        return table
    return table.model_copy(update={"stale": q.cache_sentence()})


def _say_data(ans: Answer, q: Any) -> None:
    """What the client learnt of NetBox's data while answering, said in the answer: served from the
    cache (and stale, with its age and why), objects skipped as unreadable, counts not believed.
    Skipped objects and disbelieved counts make an ok answer partial."""
    if q is None or getattr(q, "reported", True):
        return
    q.reported = True
    if q.cached_at is not None:
        from datetime import datetime, timezone

        ans.cached_at = datetime.fromtimestamp(q.cached_at, timezone.utc).isoformat(timespec="seconds")
    ans.stale = q.stale
    if ans.status == "error":
        return
    said = []
    if q.unreadable:
        said.append(
            f"{q.unreadable:,} object{'s' if q.unreadable != 1 else ''} unreadable (malformed "
            "data from NetBox, left out)."
        )
    said += [n[:1].upper() + n[1:].rstrip(".") + "." for n in q.notes]
    if said and ans.status == "ok":
        ans.status = "partial"
    cache = q.cache_sentence()
    if cache and q.stale:
        ans.answer = f"{cache} {ans.answer}"
    elif cache:
        said.append(cache)
    if said:
        ans.answer = ans.answer.rstrip() + " " + " ".join(said)


def _choice_label(f: Any) -> str:
    """A candidate with what tells it apart: 'PP:MDF (site Butler Communications)'; a part of a device by
    its device first ('Port 2 (PP:B128)'): every patch panel has a "Port 2"."""
    from netbox_tui.schema.vocab import load as load_vocab

    row = f.row or {}
    owners = load_vocab().scoped_names.get(f.ref.model, ())
    keys = ("device", "virtual_machine", "site", "location", "group", "vrf", "cluster", "provider")
    where = [cell(row.get(k)) for k in dict.fromkeys((*owners, *keys)) if row.get(k)]
    return f.ref.label + (f" ({', '.join(where[:2])})" if where else "")


def _with_resolved(intent: Optional[Intent], cond: Any, ref: Ref) -> Optional[Intent]:
    """The same intent with one condition's name resolved to the chosen object."""
    if intent is None:
        return None
    out = intent.model_copy(deep=True)
    out.source = "choice"
    for group in [out.conditions] + [r.conditions for r in out.relations]:
        for c in group:
            if c.text == cond.text and c.field == cond.field and c.value == cond.value:
                c.resolved = [ref]
                if c.model != ref.model and c.field != "id" and group is out.conditions:
                    found_as(c, out.target, ref.model)
                c.model = ref.model
                c.candidates = []
                c.guess = None
    if ref.model != out.target and cond.candidates and cond.field == "id":
        out.target = ref.model  # the object asked about was of another kind ("show X": a VM, not a device)
    return out


def _replace(question: str, typed: str, exact: str) -> str:
    """The question with the loosely typed name replaced by an exact one (for the choice's words).

    Words right after the typed name that the exact name also holds are replaced too:
    "VLANs at JBB Branch" with "JBB" typed becomes "VLANs at JBB Branch 104", not "… 104 Branch".
    """
    import re

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
