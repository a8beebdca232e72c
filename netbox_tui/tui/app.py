"""The netbox-tui app: a chat pane, a live progress panel and a result area with paged tables.

All NetBox work runs in async workers (`@work(exclusive=True, group=…, exit_on_error=False)`)
that call the headless orchestrator; results come back as typed messages (messages.py) and the
app updates its view stack (state.py). Widgets only render.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from netbox_tui.backend import Backend
from netbox_tui.core.explain import explain
from netbox_tui.core.orchestrator import Orchestrator, ServerInfo
from netbox_tui.core.progress import ProgressEvent
from netbox_tui.core.results import Answer, Choice, ErrorInfo, Table
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.session import CacheMode
from netbox_tui.tui.export import export_rows
from netbox_tui.tui.history import History, default_history_path
from netbox_tui.tui.keymap import APP_BINDINGS, RESULT_ACTIONS
from netbox_tui.tui.messages import (
    AnswerReady,
    ChoicePicked,
    PageReady,
    Placement,
    Progress,
    ServerInfoFailed,
    ServerInfoReady,
    WorkFailed,
)
from netbox_tui.tui.state import TableState, ViewState, breadcrumb
from netbox_tui.tui.text import clean, plain
from netbox_tui.tui.widgets.chat import ChatLog, QuestionInput
from netbox_tui.tui.widgets.progress import ProgressPanel, default_elapsed
from netbox_tui.tui.widgets.results import ErrorPanel, ResultView, error_text

# Questions the embedded demo data answers well; the generic ones work on any NetBox.
DEMO_EXAMPLES = [
    "VLANs at DM-Akron",
    "interfaces on ncsu-coreswitch1",
    "all interfaces",
    "devices at dm akron",
    "free IPs in 10.112.129.0/24",
    "what is connected to dmi01-yonkers-rtr01 GigabitEthernet0/0/0",
]
GENERIC_EXAMPLES = ["list all sites", "all devices", "list all VLANs", "all interfaces", "all prefixes", "all circuits"]

# Object types the orchestrator can drill into (Orchestrator.drill).
DRILLABLE = {"dcim.device", "dcim.site", "dcim.rack", "ipam.vlan", "virtualization.cluster", "circuits.provider",
             "dcim.region", "tenancy.tenant", "dcim.interface", "ipam.prefix", "virtualization.virtualmachine",
             "circuits.circuit"}
MAX_VIEWS = 30


class NetBoxApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "netbox-tui"
    BINDINGS = APP_BINDINGS
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self,
        backend: Backend,
        orchestrator: Optional[Orchestrator] = None,
        *,
        settings: Any = None,
        history_path: Optional[Path] = None,
        export_dir: Optional[Path] = None,
        examples: Optional[list[str]] = None,
        clock: Callable[[], float] = time.monotonic,
        format_elapsed: Callable[[float], str] = default_elapsed,
        spin: bool = True,
        cursor_blink: bool = True,
        close_backend: bool = False,
        cache_mode: CacheMode = CacheMode.NORMAL,
        keymap: Optional[dict[str, str]] = None,
        startup_notes: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.backend = backend
        self.settings = settings
        self.orchestrator = orchestrator or Orchestrator(backend.client)
        self.history = History(history_path or default_history_path())
        self.export_dir = export_dir
        self.examples = examples if examples is not None else (DEMO_EXAMPLES if backend.snapshot else GENERIC_EXAMPLES)
        self.clock = clock
        self.format_elapsed = format_elapsed
        self.spin = spin
        self.cursor_blink = cursor_blink  # off in snapshot tests: a blinking cursor is not deterministic
        self.close_backend = close_backend
        self.cache_mode = cache_mode
        self.startup_keymap = keymap or {}
        self.startup_notes = list(startup_notes)
        self.stack: list[ViewState] = []
        self.server: Optional[ServerInfo] = None
        self.server_error: Optional[tuple[str, ErrorInfo]] = None
        self._run_id = 0
        self._active_run: Optional[int] = None
        self._active_what = ""

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Container(id="body"):
            with Vertical(id="results"):
                yield Static(id="breadcrumb")
                yield ErrorPanel(id="error")
                yield Vertical(id="views")
            yield ChatLog(id="chat")
        yield ProgressPanel(id="progress", clock=self.clock, format_elapsed=self.format_elapsed, spin=self.spin)
        with Horizontal(id="ask-bar"):
            yield Static("ask ›", id="ask-label")
            question = QuestionInput(self.history, id="question", compact=True,
                                     placeholder="a question in plain words, e.g. VLANs at DM-Akron   (enter asks · ↑↓ history · tab to results)")
            question.cursor_blink = self.cursor_blink
            yield question
        yield Footer()

    async def on_mount(self) -> None:
        if self.settings is not None:
            theme = getattr(getattr(self.settings, "ui", None), "theme", None)
            if theme and theme in self.available_themes:
                self.theme = theme
        if self.startup_keymap:
            self.set_keymap(self.startup_keymap)
        self.query_one("#error", ErrorPanel).display = False
        self.query_one("#progress", ProgressPanel).display = False
        self.sub_title = f"{clean(self._short_label())} · connecting…"
        welcome = ViewState(kind="welcome", label="home", answer=self._welcome_answer(), source=("welcome",))
        await self._place(welcome, "push", focus=False)
        self.query_one("#question", QuestionInput).focus()
        self.chat.add(Text("Questions and answers are kept here. ? or f1 lists every key.", style="dim"))
        for note in self.startup_notes:
            self.chat.add(plain(note, "yellow"))
        self._load_server_info()

    async def on_unmount(self) -> None:
        self.workers.cancel_all()
        if self.close_backend:
            await self.backend.aclose()

    # -- accessors -------------------------------------------------------------------------------

    @property
    def chat(self) -> ChatLog:
        return self.query_one("#chat", ChatLog)

    @property
    def progress(self) -> ProgressPanel:
        return self.query_one("#progress", ProgressPanel)

    @property
    def error_panel(self) -> ErrorPanel:
        return self.query_one("#error", ErrorPanel)

    @property
    def view(self) -> Optional[ViewState]:
        return self.stack[-1] if self.stack else None

    def view_widget(self, view: Optional[ViewState] = None) -> Optional[ResultView]:
        view = view or self.view
        if view is None:
            return None
        for w in self.query(ResultView).results(ResultView):
            if w.view is view:
                return w
        return None

    def _typing(self) -> bool:
        return isinstance(self.focused, Input)

    @property
    def running(self) -> bool:
        return self._active_run is not None

    # -- the welcome view ------------------------------------------------------------------------

    def _welcome_answer(self) -> Answer:
        choices = [Choice(kind="suggestion", label=q, question=q) for q in self.examples[:9]]
        return Answer(question="home", answer="", choices=choices)

    def _welcome_intro(self) -> Text:
        t = Text()
        t.append("netbox-tui", style="bold")
        t.append(" — ask NetBox in plain words; answers come back as tables you can page, filter, summarise, "
                 "export and drill into. Read-only.\n")
        if self.server is not None:
            t.append("● answering from: " if self.backend.snapshot is not None else "● connected: ", style="bold green")
            t.append(clean(self._source_label()) + "\n")
        elif self.server_error is not None:
            title, err = self.server_error
            t.append("● not connected: ", style="bold red")
            t.append(clean(self.backend.label) + "\n")
            t.append_text(error_text(title, err))
            t.append("\nThe app still works: fix the setting and press r here, or switch profile with ctrl+p.\n")
        else:
            t.append("● connecting to ", style="bold yellow")
            t.append(clean(self.backend.label) + " …\n")
        t.append("Type a question below and press enter, or pick an example (tab, then its number):")
        return t

    def _source_label(self) -> str:
        """Which NetBox, in full (the welcome view). Never the token."""
        if self.server is None or self.backend.snapshot is not None:
            return self.backend.label
        return f"NetBox {self.server.version} at {self.backend.label}"

    def _short_label(self) -> str:
        """Which NetBox, short enough for the header at 80 columns."""
        if self.backend.snapshot is not None:
            from netbox_tui.backend import demo_snapshot_path

            meta = self.backend.snapshot_meta or {}
            what = "demo data" if self.backend.snapshot == demo_snapshot_path() else f"snapshot {self.backend.snapshot.name}"
            return f"{what} · NetBox {meta.get('netbox_version', '?')} · offline"
        version = f"NetBox {self.server.version} · " if self.server else ""
        return f"{version}{self.backend.label}"

    def _refresh_welcome(self) -> None:
        for w in self.query(ResultView).results(ResultView):
            if w.view.kind == "welcome":
                w.set_intro(self._welcome_intro())

    # -- runs: progress, cancel, stale results -----------------------------------------------------

    def _begin(self, what: str) -> int:
        self._run_id += 1
        self._active_run = self._run_id
        self._active_what = what
        self.progress.start(what)
        self.refresh_bindings()
        return self._run_id

    def _finish(self, run_id: int) -> bool:
        """True if `run_id` is the current run (which now ends); False for a stale, cancelled run."""
        if self._active_run != run_id:
            return False
        self._active_run = None
        self.progress.stop()
        self.refresh_bindings()
        return True

    def _progress_callback(self, run_id: int) -> Callable[[ProgressEvent], None]:
        def emit(event: ProgressEvent) -> None:
            self.post_message(Progress(run_id, event))

        return emit

    def cancel_running(self) -> bool:
        if self._active_run is None:
            return False
        what = self._active_what
        self.workers.cancel_group(self, "netbox")
        self._active_run = None
        self.progress.stop()
        self.chat.add(plain(f"cancelled: {what}", "yellow"))
        self.notify("Cancelled. Nothing on screen changed; ask again when ready.", title="Cancelled", timeout=3)
        self.refresh_bindings()
        return True

    def _failed(self, run_id: int, exc: BaseException) -> None:
        if isinstance(exc, NetBoxTUIError):
            self.post_message(WorkFailed(run_id, exc.title, explain(exc)))
        else:
            info = ErrorInfo(kind="internal", message=f"{exc.__class__.__name__}: {exc}",
                             hint="This is a bug in netbox-tui; what was on screen is kept.",
                             next_steps=["retry with r", "ask the question another way", "report it with the question you asked"])
            self.post_message(WorkFailed(run_id, "Unexpected error", info))

    # -- workers (all NetBox work happens here) ----------------------------------------------------

    @work(exclusive=True, group="server", exit_on_error=False, description="server info")
    async def _load_server_info(self) -> None:
        try:
            info = await self.orchestrator.server_info()
        except NetBoxTUIError as exc:
            self.post_message(ServerInfoFailed(exc.title, explain(exc)))
            return
        except Exception as exc:  # pragma: no cover - defensive
            self.post_message(ServerInfoFailed("Unexpected error", ErrorInfo(kind="internal", message=str(exc))))
            return
        self.post_message(ServerInfoReady(info))

    @work(exclusive=True, group="netbox", exit_on_error=False, description="question")
    async def _ask_worker(self, run_id: int, question: str, placement: Placement, label: str, refresh: bool, intent: Any = None) -> None:
        try:
            answer = await self.orchestrator.ask(question, on_progress=self._progress_callback(run_id), refresh=refresh, intent=intent)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(run_id, exc)
            return
        self.post_message(AnswerReady(run_id, answer, placement, label=label, source=("ask", question) if intent is None else ("intent", question, intent)))

    @work(exclusive=True, group="netbox", exit_on_error=False, description="drill down")
    async def _drill_worker(self, run_id: int, object_type: str, row: dict, label: str, placement: Placement, refresh: bool) -> None:
        try:
            answer = await self.orchestrator.drill(object_type, row, on_progress=self._progress_callback(run_id), refresh=refresh)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(run_id, exc)
            return
        self.post_message(AnswerReady(run_id, answer, placement, label=label, source=("drill", object_type, row), kind="drill"))

    @work(exclusive=True, group="netbox", exit_on_error=False, description="rows")
    async def _page_worker(self, run_id: int, view_id: int, index: int, table: Table, offset: int, search: Optional[str],
                           replace: bool) -> None:
        try:
            page = await self.orchestrator.page(table, offset, search=search)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(run_id, exc)
            return
        self.post_message(PageReady(run_id, view_id, index, page, search=(search or "") if replace else None))

    @work(exclusive=True, group="netbox", exit_on_error=False, description="summary")
    async def _summary_worker(self, run_id: int, ts: TableState, placement: Placement, refresh: bool) -> None:
        try:
            table = await self.orchestrator.summary(ts.table, refresh=refresh)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(run_id, exc)
            return
        answer = Answer(question=f"summary of {ts.table.title}", answer=table.title + ".", tables=[table])
        self.post_message(AnswerReady(run_id, answer, placement, label="summary", source=("summary", ts), kind="summary"))

    # -- starting work ---------------------------------------------------------------------------

    def ask(self, question: str, placement: Placement = "root", label: str = "", refresh: bool = False, intent: Any = None) -> None:
        """Ask a question; `intent` (a choice's) is answered as is: the choice's names are resolved already."""
        run_id = self._begin(f"asking: {question}")
        self._ask_worker(run_id, question, placement, label or question, refresh, intent)

    # -- messages from workers -------------------------------------------------------------------

    def on_progress(self, message: Progress) -> None:
        if message.run_id == self._active_run:
            self.progress.update_event(message.event)

    async def on_answer_ready(self, message: AnswerReady) -> None:
        if not self._finish(message.run_id):
            return
        answer = message.answer
        self._log_answer(answer)
        if answer.status == "error":
            err = answer.error or ErrorInfo(kind="error", message=answer.answer)
            self.error_panel.show_error(_title_for(err.kind), err)
            return
        self.error_panel.hide()
        view = ViewState.from_answer(answer, kind=message.kind, label=message.label, source=message.source)  # type: ignore[arg-type]
        await self._place(view, message.placement)

    def on_page_ready(self, message: PageReady) -> None:
        if not self._finish(message.run_id):
            return
        view = next((v for v in self.stack if v.id == message.view_id), None)
        widget = self.view_widget(view) if view else None
        if view is None or widget is None:
            return
        ts = view.tables[message.table_index]
        if message.search is not None:
            if message.search:
                ts.apply_search(message.table, message.search)
                self.chat.add(plain(f"NetBox search “{message.search}”: {ts.total:,} rows", "dim"))
            widget.rebuild_table(message.table_index)
            pane = widget.pane(message.table_index)
            if pane is not None:
                pane.table.focus()
        else:
            new = ts.append(message.table)
            widget.append_rows(message.table_index, new)
            self.chat.add(plain(f"loaded rows {ts.start + 1:,}–{ts.next_offset:,} of {ts.total:,} ({ts.table.title})", "dim"))
        self.error_panel.hide()
        self.refresh_bindings()

    def on_work_failed(self, message: WorkFailed) -> None:
        if not self._finish(message.run_id):
            return
        self.chat.add(plain(f"{message.title}: {message.error.message}", "red"))
        self.error_panel.show_error(message.title, message.error)

    def on_server_info_ready(self, message: ServerInfoReady) -> None:
        self.server = message.info
        self.server_error = None
        self.sub_title = clean(self._short_label())
        self._refresh_welcome()

    def on_server_info_failed(self, message: ServerInfoFailed) -> None:
        self.server = None
        self.server_error = (message.title, message.error)
        self.sub_title = f"{clean(self._short_label())} · {clean(message.title)}"
        self.chat.add(plain(f"{message.title}: {message.error.message}", "red"))
        self._refresh_welcome()

    def on_choice_picked(self, message: ChoicePicked) -> None:
        self.action_choose(message.index)

    # -- the view stack --------------------------------------------------------------------------

    async def _place(self, view: ViewState, placement: Placement, focus: bool = True) -> None:
        views = self.query_one("#views", Vertical)
        if placement == "root":
            while len(self.stack) > 1:
                await self._drop_top()
        elif placement == "replace" and len(self.stack) > 1:
            await self._drop_top()
        while len(self.stack) >= MAX_VIEWS:
            old = self.stack.pop(1)
            w = self.view_widget(old)
            if w is not None:
                await w.remove()
        for w in self.query(ResultView).results(ResultView):
            w.display = False
        self.stack.append(view)
        intro = self._welcome_intro() if view.kind == "welcome" else None
        widget = ResultView(view, intro=intro)
        await views.mount(widget)
        self._update_breadcrumb()
        if focus:
            self.call_after_refresh(widget.focus_main)
        self.refresh_bindings()

    async def _drop_top(self) -> None:
        view = self.stack.pop()
        widget = self.view_widget(view)
        if widget is not None:
            await widget.remove()

    async def go_back(self) -> bool:
        if len(self.stack) <= 1:
            return False
        await self._drop_top()
        widget = self.view_widget()
        if widget is not None:
            widget.display = True
            widget.focus_main()
        self._update_breadcrumb()
        self.refresh_bindings()
        return True

    def _update_breadcrumb(self) -> None:
        crumb = self.query_one("#breadcrumb", Static)
        width = max(20, (crumb.size.width or self.size.width) - 2)
        crumb.update(plain(breadcrumb(self.stack, width)))

    # -- chat ------------------------------------------------------------------------------------

    def _log_answer(self, answer: Answer) -> None:
        style = {"error": "red", "partial": "yellow", "needs_choice": "bold"}.get(answer.status, "")
        self.chat.add(plain(answer.error.message if answer.error else answer.answer, style))
        s = answer.stats
        self.chat.add(plain(f"{s.api_calls} API call{'s' if s.api_calls != 1 else ''} · {s.cache_hits} cached · "
                            f"{self.format_elapsed(s.elapsed_ms / 1000)}", "dim"))

    # -- keys ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in RESULT_ACTIONS and self._typing():
            return False  # the question or filter box is being typed in: letters are text
        view = self.view
        ts = view.table if view else None
        has_rows = bool(ts and ts.rows)
        if ts is None and action in ("next_page", "summary", "export", "copy_row", "filter", "drill"):
            return False  # no table in this view (welcome, a choice): the key is not shown at all
        if action == "next_page":
            return True if ts is not None and ts.has_more else None
        if action == "summary":
            return True if has_rows and view is not None and view.kind != "summary" else None
        if action in ("export", "copy_row"):
            return True if has_rows else None
        if action == "filter":
            return True if has_rows or (ts is not None and (ts.search or ts.filter)) else None
        if action == "drill":
            return True if has_rows and ts is not None and view is not None and view.kind != "summary" \
                and ts.table.object_type in DRILLABLE else None
        if action == "choose":
            n = int(parameters[0]) if parameters else 1  # type: ignore[call-overload]
            count = len(view.numbered_choices()) if view else 0
            return True if n <= count else False
        if action in ("prev_table", "next_table"):
            return True if view is not None and len(view.tables) > 1 else False
        if action == "back":
            filtering = ts is not None and bool(ts.filter or ts.search)
            return True if (self.running or self.error_panel.display or filtering or len(self.stack) > 1) else None
        if action == "refresh":
            return True if view is not None and view.source else None
        return True

    async def action_back(self) -> None:
        """esc: cancel what runs; else hide the error; else clear the filter; else go back one view."""
        if self.cancel_running():
            return
        if self.error_panel.display:
            self.error_panel.hide()
            self.refresh_bindings()
            return
        view, widget = self.view, self.view_widget()
        ts = view.table if view else None
        if widget is not None and ts is not None and (ts.filter or ts.search or widget.filter_input.display):
            ts.filter = ""
            ts.clear_search()
            widget.filter_input.value = ""
            widget.filter_input.display = False
            widget.rebuild_table()
            widget.focus_main()
            self.refresh_bindings()
            return
        if await self.go_back():
            return
        if not self._typing():
            self.query_one("#question", QuestionInput).focus()

    def action_interrupt(self) -> None:
        """ctrl+c: cancel a running question; quit when nothing runs."""
        if not self.cancel_running():
            self.exit(0)

    def action_quit_key(self) -> None:
        self.exit(0)

    def action_help(self) -> None:
        from netbox_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_help_key(self) -> None:
        self.action_help()

    def action_focus_question(self) -> None:
        self.query_one("#question", QuestionInput).focus()

    def action_next_page(self) -> None:
        view, ts = self.view, self.view.table if self.view else None
        if view is None or ts is None or not ts.has_more:
            return
        search = ts.search  # None keeps the table's own filters (a q its question used)
        end = min(ts.next_offset + self.orchestrator.page_size, ts.total)
        run_id = self._begin(f"loading rows {ts.next_offset + 1:,}–{end:,} of {ts.total:,}")
        self._page_worker(run_id, view.id, view.active, ts.table, ts.next_offset, search, False)

    def action_filter(self) -> None:
        widget, ts = self.view_widget(), self.view.table if self.view else None
        if widget is None or ts is None:
            return
        box = widget.filter_input
        box.display = True
        box.focus()

    def action_summary(self) -> None:
        view, ts = self.view, self.view.table if self.view else None
        if view is None or ts is None:
            return
        run_id = self._begin(f"summarising {ts.table.title}")
        self._summary_worker(run_id, ts, "push", False)

    def action_drill(self) -> None:
        view, widget = self.view, self.view_widget()
        ts = view.table if view else None
        pane = widget.pane() if widget else None
        row = pane.table.selected_row() if pane else None
        if view is None or ts is None or row is None:
            return
        label = clean(row.get("display") or row.get("name") or "row")
        run_id = self._begin(f"drilling into {label}")
        self._drill_worker(run_id, ts.table.object_type, dict(row), label, "push", False)

    def action_refresh(self) -> None:
        view = self.view
        if view is None or not view.source:
            return
        kind = view.source[0]
        if kind == "welcome":
            self.sub_title = f"{clean(self._short_label())} · connecting…"
            self.server, self.server_error = None, None
            self._refresh_welcome()
            self._load_server_info()
        elif kind == "ask":
            self.ask(view.source[1], "replace", view.label, refresh=True)
        elif kind == "intent":
            self.ask(view.source[1], "replace", view.label, refresh=True, intent=view.source[2])
        elif kind == "drill":
            run_id = self._begin(f"refreshing {view.label}")
            self._drill_worker(run_id, view.source[1], view.source[2], view.label, "replace", True)
        elif kind == "summary":
            run_id = self._begin("refreshing the summary")
            self._summary_worker(run_id, view.source[1], "replace", True)

    def action_export(self, fmt: str = "csv") -> None:
        ts = self.view.table if self.view else None
        if ts is None or not ts.rows:
            return
        rows = [r for _, r in ts.visible()]
        try:
            path = export_rows(ts.table.title, ts.table.columns, rows, "json" if fmt == "json" else "csv", self.export_dir)
        except OSError as exc:
            self.notify(f"Export failed: {exc}", title="Export", severity="error")
            return
        more = f" — {ts.total:,} in all: press n to load more first" if ts.has_more else ""
        self.notify(f"{len(rows):,} rows written to {path}{more}", title="Exported", timeout=8)
        self.chat.add(plain(f"exported {len(rows):,} rows to {path}", "green"))

    def action_copy_row(self) -> None:
        widget = self.view_widget()
        pane = widget.pane() if widget else None
        row = pane.table.selected_row() if pane else None
        if row is None:
            self.notify("Select a row first.", severity="warning")
            return
        self.copy_to_clipboard(json.dumps(row, ensure_ascii=False))
        self.notify("Row copied as JSON.", title="Copied", timeout=3)

    def action_choose(self, n: int) -> None:
        view = self.view
        choices = view.numbered_choices() if view else []
        if view is None or not 1 <= n <= len(choices):
            return
        choice = choices[n - 1]
        words = choice.question or choice.label
        if view.kind == "welcome":
            self.history.add(words)
            self.chat.add(plain(f"› {words}", "bold"))
            self.ask(words, "root", intent=choice.intent)
            return
        placement: Placement = "replace" if view.answer is not None and view.answer.status == "needs_choice" else "push"
        self.chat.add(plain(f"› {words}", "bold"))
        self.ask(words, placement, choice.label if placement == "push" else words, intent=choice.intent)

    def _switch_table(self, delta: int) -> None:
        view, widget = self.view, self.view_widget()
        if view is None or widget is None or len(view.tables) < 2:
            return
        widget.show_table((view.active + delta) % len(view.tables))
        widget.focus_main()
        self.refresh_bindings()

    def action_prev_table(self) -> None:
        self._switch_table(-1)

    def action_next_table(self) -> None:
        self._switch_table(1)

    # -- inputs ----------------------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    def _question_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        question = event.value.strip()
        if not question:
            return
        self.history.add(question)
        event.input.value = ""
        self.chat.add(plain(f"› {question}", "bold"))
        self.ask(question, "root")

    @on(Input.Changed, ".filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        view, widget = self.view, self.view_widget()
        ts = view.table if view else None
        if ts is None or widget is None or ts.filter == event.value:
            return
        ts.filter = event.value
        widget.rebuild_table()
        self.refresh_bindings()

    @on(Input.Submitted, ".filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        view, widget = self.view, self.view_widget()
        ts = view.table if view else None
        if view is None or ts is None or widget is None:
            return
        text = event.value.strip()
        if not text:
            ts.filter = ""
            ts.clear_search()
            widget.filter_input.display = False
            widget.rebuild_table()
            widget.focus_main()
            self.refresh_bindings()
            return
        base = ts.before_search[0] if ts.before_search else ts.table
        if base.query is None:
            widget.focus_main()  # a client-side table: the filter over loaded rows is the whole answer
            return
        widget.filter_input.value = ""
        widget.filter_input.display = False
        run_id = self._begin(f"searching NetBox for “{text}”")
        self._page_worker(run_id, view.id, view.active, base, 0, text, True)

    # -- command palette -------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        profiles = sorted(getattr(self.settings, "netbox", {}) or {})
        current = getattr(self.settings, "profile", None)
        for name in profiles:
            url = self.settings.netbox[name].url or "no URL"
            mark = " (current)" if name == current and self.backend.snapshot is None else ""
            yield SystemCommand(f"Switch profile: {name}{mark}", f"Use the NetBox at {url}", lambda n=name: self.switch_profile(n))
        yield SystemCommand("Clear cache", "Forget every cached NetBox response", self.clear_cache)
        yield SystemCommand("Copy row as JSON", "Copy the selected row to the clipboard", self.action_copy_row)
        yield SystemCommand("Export table as CSV", "Write the loaded rows to a CSV file", lambda: self.action_export("csv"))
        yield SystemCommand("Export table as JSON", "Write the loaded rows to a JSON file", lambda: self.action_export("json"))
        yield SystemCommand("Help: all keys", "Show every key, in sections", self.action_help)

    def clear_cache(self) -> None:
        n = self.backend.client.cache.clear()
        self.orchestrator.resolver.forget()
        warning = self.backend.client.cache.warning
        if warning:
            self.notify(warning, title="Cache", severity="warning")
        else:
            self.notify(f"Cache cleared ({n:,} entries).", title="Cache", timeout=3)

    async def switch_profile(self, name: str) -> None:
        from netbox_tui.session import Session

        if self.settings is None or name not in self.settings.netbox:
            return
        settings = self.settings.model_copy(update={"profile": name})
        try:
            session = Session.open(settings, cache_mode=self.cache_mode)
        except NetBoxTUIError as exc:
            self.error_panel.show_error(exc.title, explain(exc))
            return
        self.cancel_running()
        self.workers.cancel_group(self, "server")
        old, self.backend = self.backend, session.backend
        backend = session.backend
        self.settings = settings
        self.orchestrator = session.orchestrator
        if self.close_backend:
            await old.aclose()
        self.close_backend = True  # the app opened this one
        self.server, self.server_error = None, None
        self.sub_title = f"{clean(self._short_label())} · connecting…"
        self.examples = GENERIC_EXAMPLES
        while len(self.stack) > 1:
            await self._drop_top()
        welcome = self.stack[0]
        welcome.answer = self._welcome_answer()
        w = self.view_widget(welcome)
        if w is not None:
            await w.remove()
        self.stack.clear()
        await self._place(ViewState(kind="welcome", label="home", answer=self._welcome_answer(), source=("welcome",)), "push", focus=False)
        self.chat.add(plain(f"profile {name}: {backend.label}", "bold"))
        self._load_server_info()


def _title_for(kind: str) -> str:
    return {
        "unreachable": "NetBox unreachable", "auth": "Token rejected", "timeout": "NetBox timed out", "tls": "TLS verification failed",
        "not_found": "Not found", "bad_filter": "NetBox refused a filter", "unknown_filter": "Unknown filter",
        "server": "NetBox server error", "write_refused": "Read-only", "bad_question": "Not a question I can answer",
        "limitation": "Not possible with NetBox's API", "config": "Configuration error",
    }.get(kind, "Could not answer")


def run_app(settings: Any, *, demo: bool = False, snapshot: Optional[Path] = None, cache_mode: CacheMode = CacheMode.NORMAL) -> int:
    """`netbox-tui` with no subcommand."""
    from netbox_tui.session import Session
    from netbox_tui.tui.keymap import load_keymap

    session = Session.open(settings, demo=demo, snapshot=snapshot, cache_mode=cache_mode)
    backend, orchestrator = session.backend, session.orchestrator
    keymap, notes = load_keymap()
    if session.cache_warning:
        notes.append(session.cache_warning)
    app = NetBoxApp(backend, orchestrator, settings=settings, keymap=keymap, close_backend=True, cache_mode=cache_mode,
                    examples=DEMO_EXAMPLES if (demo or snapshot) else GENERIC_EXAMPLES, startup_notes=notes)
    app.run()
    return app.return_code or 0
