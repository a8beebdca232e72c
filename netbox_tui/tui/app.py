"""The netbox-tui app: a chat pane, a live progress panel and a result area with paged tables.

All NetBox work runs in async workers (`@work(exclusive=True, group=…, exit_on_error=False)`)
that call the headless orchestrator; results come back as typed messages (messages.py) and the
app updates its view stack (state.py). Widgets only render. The stack (backend, orchestrator,
cache) comes from one `Session`; the app never reaches into the cache itself.

Typing always reaches the question box: an answer never takes the focus from it, and on a table
a letter no key uses starts a question. Table keys are letters on the table (k9s style) and
ctrl+ chords everywhere; nothing that writes a file or quits happens on one letter.
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
from netbox_tui.core.conversation import Conversation
from netbox_tui.core.explain import explain
from netbox_tui.core.orchestrator import Orchestrator, ServerInfo
from netbox_tui.core.progress import ProgressEvent
from netbox_tui.core.results import Answer, Choice, ErrorInfo, Table, plural
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.session import CacheMode, Session
from netbox_tui.tui import clipboard
from netbox_tui.tui.examples import GENERIC, from_netbox
from netbox_tui.tui.export import export_dir, export_rows
from netbox_tui.tui.history import History, default_history_path
from netbox_tui.tui.keymap import APP_BINDINGS, RESULT_ACTIONS
from netbox_tui.tui.messages import (
    AnswerReady,
    ChoicePicked,
    ExamplesReady,
    ExportReady,
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
from netbox_tui.tui.widgets.results import (
    ChoiceList,
    ErrorPanel,
    ResultTable,
    ResultView,
    drills,
    error_text,
)

# Questions the embedded demo data answers well; the generic ones work on any NetBox.
DEMO_EXAMPLES = [
    "VLANs at DM-Akron",
    "interfaces on ncsu-coreswitch1",
    "all interfaces",
    "devices at dm akron",
    "free IPs in 10.112.129.0/24",
    "what is connected to dmi01-yonkers-rtr01 GigabitEthernet0/0/0",
]
GENERIC_EXAMPLES = GENERIC  # until the connected NetBox's own names are read (examples.py)
MAX_VIEWS = 30


class NetBoxApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "netbox-tui"
    BINDINGS = APP_BINDINGS
    # The history sits below the results (a few lines) unless the terminal is wide enough to give it
    # a column and still show a whole interface table: tables need the width more than the history.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]

    def __init__(
        self,
        session: "Session | Backend",
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
        if not isinstance(session, Session):  # a bare backend (tests, scripts/screenshots): wrap it
            from netbox_tui.config import Settings

            session = Session(
                settings or Settings(), session, orchestrator or Orchestrator(session.client), cache_mode
            )
        elif orchestrator is not None:
            session.orchestrator = orchestrator
        self.session = session
        # Follow-ups ("only the routers", "and at DM-Camden?") refine the answer on screen
        # (core/conversation.py).
        self.conv = Conversation(session.orchestrator)
        self.settings = settings
        self.history = History(history_path or default_history_path())
        self.export_dir = export_dir
        # The embedded demo has its curated examples; any other NetBox gets its own names (examples.py).
        self.examples_fixed = examples is not None or self._embedded_demo()
        self.examples = (
            examples
            if examples is not None
            else (DEMO_EXAMPLES if self._embedded_demo() else GENERIC_EXAMPLES)
        )
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
        self.history_hidden = False

    @property
    def backend(self) -> Backend:
        return self.session.backend

    @property
    def orchestrator(self) -> Orchestrator:
        return self.session.orchestrator

    def _embedded_demo(self) -> bool:
        from netbox_tui.backend import demo_snapshot_path

        snap = self.session.backend.snapshot
        return snap is not None and Path(snap) == demo_snapshot_path()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: Optional[float] = None,
        markup: bool = False,
    ) -> None:
        """Notifications quote NetBox text ("Copied “uplink [/24]”"): plain text unless a caller asks for
        markup."""
        super().notify(
            clean(message) if not markup else message,
            title=clean(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Container(id="body"):
            with Vertical(id="results"):
                yield Static(id="breadcrumb")
                yield ErrorPanel(id="error")
                yield Vertical(id="views")
            yield ChatLog(id="chat")
        yield ProgressPanel(
            id="progress", clock=self.clock, format_elapsed=self.format_elapsed, spin=self.spin
        )
        with Horizontal(id="ask-bar"):
            yield Static("ask ›", id="ask-label")
            question = QuestionInput(
                self.history, id="question", compact=True, placeholder=self._placeholder(80)
            )
            question.cursor_blink = self.cursor_blink
            yield question
        yield Footer(
            show_command_palette=False
        )  # ctrl+p still opens it; at 80 columns the room goes to the table keys

    def _placeholder(self, width: int) -> str:
        """The question box's hint, as long as fits: never cut at 80 columns."""
        example = self.examples[0] if self.examples else "list all sites"
        for text in (
            f"a question in plain words, e.g. {example}  (enter asks · ↓ rows · tab table · f1 keys)",
            f"a question, e.g. {example}  (↓ rows · f1 keys)",
            f"e.g. {example}  (f1 keys)",
            "a question (f1 keys)",
        ):
            if len(text) <= width - 1:
                return text
        return ""

    def _update_placeholder(self) -> None:
        try:
            box = self.query_one("#question", QuestionInput)
        except Exception:
            return
        width = box.size.width or max(20, self.size.width - 8)
        text = self._placeholder(width)
        if not self.typing_question() and isinstance(self.focused, (ResultTable, ChoiceList)):
            idle = "the keys below act on the table · type any other letter (or :) to ask"
            text = idle if len(idle) < width else "type to ask"
        if box.placeholder != text:
            box.placeholder = text

    def on_resize(self) -> None:
        self.call_after_refresh(self._update_placeholder)

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
        self.call_after_refresh(self._update_placeholder)
        self.chat.add(
            Text("Questions and answers are kept here (ctrl+l hides this). f1 lists every key.", style="dim")
        )
        for note in self.startup_notes:
            self.chat.add(plain(note, "yellow"))
        self._load_server_info()

    async def on_unmount(self) -> None:
        self.workers.cancel_all()
        if self.close_backend:
            await self.session.aclose()

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

    def typing_question(self) -> bool:
        return isinstance(self.focused, QuestionInput)

    def type_into_question(self, text: str) -> None:
        """A letter typed on a table: it starts a question (nothing else happens)."""
        box = self.query_one("#question", QuestionInput)
        self.action_focus_question()
        box.insert_text_at_cursor(text)

    def step_selection(self, delta: int) -> bool:
        """↓/↑ in the question box: move the selected row (or choice) below; the box keeps the focus.
        False when there is nothing to move to (↑ on the first row)."""
        widget = self.view_widget()
        pane = widget.pane() if widget else None
        if pane is not None and pane.ts.rows:
            table = pane.table
            row = table.cursor_row + delta
            if row < 0 or not table.row_count:
                return False
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)
            return True
        for choices in (widget.query(ChoiceList).results(ChoiceList) if widget else []):
            now = choices.highlighted
            if now is None:
                choices.highlighted = 0 if delta > 0 else None
                return delta > 0
            if now + delta < 0:
                return False
            choices.highlighted = min(now + delta, choices.option_count - 1)
            return True
        return False

    def action_enter_results(self) -> None:
        """tab: into the table (or the choices), where the keys are letters: the one explicit way in."""
        widget = self.view_widget()
        if widget is not None:
            widget.focus_main()

    def question_focus_changed(self) -> None:
        """The question box gained or lost the focus: hints show the keys that act now."""
        widget = self.view_widget()
        if widget is not None:
            widget.refresh_hints()
        bar = self.query_one("#ask-bar")
        bar.set_class(not self.typing_question(), "-idle")
        self._update_placeholder()

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
            t.append("● answering from: " if self.session.offline else "● connected: ", style="bold green")
            t.append(clean(self._source_label()) + "\n")
        elif self.server_error is not None:
            title, err = self.server_error
            t.append("● not connected: ", style="bold red")
            t.append(clean(self.session.label) + "\n")
            t.append_text(error_text(title, err))
            t.append(
                "\nThe app still works: fix the setting and press r here, or switch profile with ctrl+p.\n"
            )
        else:
            t.append("● connecting to ", style="bold yellow")
            t.append(clean(self.session.label) + " …\n")
        t.append("Type a question below and press enter, or an example's number and enter:")
        return t

    def _source_label(self) -> str:
        """Which NetBox, in full (the welcome view). Never the token."""
        if self.server is None or self.session.offline:
            return self.session.label
        return f"NetBox {self.server.version} at {self.session.label}"

    def _short_label(self) -> str:
        """Which NetBox, short enough for the header at 80 columns."""
        if self.session.offline:
            from netbox_tui.backend import demo_snapshot_path

            meta = self.backend.snapshot_meta or {}
            what = (
                "demo data"
                if self.backend.snapshot == demo_snapshot_path()
                else f"snapshot {self.backend.snapshot.name}"
            )
            return f"{what} · NetBox {meta.get('netbox_version', '?')} · offline"
        version = f"NetBox {self.server.version} · " if self.server else ""
        return f"{version}{self.session.label}"

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
        self.notify(
            "Cancelled. Nothing on screen changed; ask again when ready.", title="Cancelled", timeout=3
        )
        self.refresh_bindings()
        return True

    def _failed(self, run_id: int, exc: BaseException) -> None:
        if isinstance(exc, NetBoxTUIError):
            self.post_message(WorkFailed(run_id, exc.title, explain(exc)))
        else:
            info = ErrorInfo(
                kind="internal",
                message=f"{exc.__class__.__name__}: {exc}",
                hint="This is a bug in netbox-tui; what was on screen is kept.",
                next_steps=[
                    "retry with r",
                    "ask the question another way",
                    "report it with the question you asked",
                ],
            )
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
            self.post_message(
                ServerInfoFailed("Unexpected error", ErrorInfo(kind="internal", message=str(exc)))
            )
            return
        self.post_message(ServerInfoReady(info))
        if not self.examples_fixed:
            self._load_examples()
        # The connected NetBox's own schema: a stored one at once; one to read from it in the background,
        # answering with the shipped schema meanwhile (said in the chat).
        note = await self.session.learn_schema(read=False)
        if note:
            self.chat.add(plain(note, "yellow"))
        if self.session.learnt is not None and self.session.learnt.pending:
            note = await self.session.read_schema()
            self.chat.add(plain(note or f"schema of {self.session.source_line} read: answers use it now",
                                "yellow" if note else "green"))

    @work(exclusive=True, group="examples", exit_on_error=False, description="examples")
    async def _load_examples(self) -> None:
        try:
            examples = await from_netbox(self.orchestrator.client)
        except Exception:  # examples are a convenience: the generic ones stay
            return
        self.post_message(ExamplesReady(examples))

    @work(exclusive=True, group="netbox", exit_on_error=False, description="question")
    async def _ask_worker(
        self,
        run_id: int,
        question: str,
        placement: Placement,
        label: str,
        refresh: bool,
        intent: Any = None,
        choice: Optional[Choice] = None,
    ) -> None:
        progress = self._progress_callback(run_id)
        turn: Optional[int] = None
        try:
            if refresh:  # the same view again, fresh: not a new turn
                answer = await self.orchestrator.ask(
                    question, on_progress=progress, refresh=True, intent=intent
                )
            elif choice is not None:
                answer = await self.conv.pick(choice, on_progress=progress)
            else:
                answer = await self.conv.ask(question, on_progress=progress)
                current = self.conv.current
                if current is not None and current.refinement is not None and placement == "root":
                    placement = (
                        "push"  # a follow-up: the answer it refines stays below it, esc goes back to it
                    )
            turn = self.conv.current.index if self.conv.current is not None and not refresh else None
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(run_id, exc)
            return
        source = ("ask", question) if intent is None else ("intent", question, intent)
        self.post_message(AnswerReady(run_id, answer, placement, label=label, source=source, turn=turn))

    @work(exclusive=True, group="netbox", exit_on_error=False, description="drill down")
    async def _drill_worker(
        self, run_id: int, object_type: str, row: dict, label: str, placement: Placement, refresh: bool
    ) -> None:
        try:
            if refresh:
                answer = await self.orchestrator.drill(
                    object_type, row, on_progress=self._progress_callback(run_id), refresh=True
                )
            else:  # a turn of the conversation: "only the disabled ones" then refines the drill
                answer = await self.conv.drill(object_type, row, on_progress=self._progress_callback(run_id))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(run_id, exc)
            return
        turn = self.conv.current.index if self.conv.current is not None and not refresh else None
        self.post_message(
            AnswerReady(
                run_id,
                answer,
                placement,
                label=label,
                source=("drill", object_type, row),
                kind="drill",
                turn=turn,
            )
        )

    @work(exclusive=True, group="netbox", exit_on_error=False, description="rows")
    async def _page_worker(
        self,
        run_id: int,
        view_id: int,
        index: int,
        table: Table,
        offset: int,
        search: Optional[str],
        replace: bool,
    ) -> None:
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
        answer = Answer(
            question=f"summary of {ts.table.title}",
            answer=" ".join(filter(None, [table.stale, table.title + "."])),
            tables=[table],
            stale=table.stale is not None,
        )
        self.post_message(
            AnswerReady(run_id, answer, placement, label="summary", source=("summary", ts), kind="summary")
        )

    @work(exclusive=True, group="netbox", exit_on_error=False, description="summary line")
    async def _members_worker(
        self, run_id: int, summary: Table, row: dict, label: str, placement: Placement
    ) -> None:
        try:
            table = await self.orchestrator.summary_rows(summary, row)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(run_id, exc)
            return
        n = table.total
        answer = Answer(
            question=label,
            answer=" ".join(filter(None, [table.stale, f"{n:,} row{'s' if n != 1 else ''}: {table.title}."])),
            tables=[table],
            stale=table.stale is not None,
        )
        self.post_message(
            AnswerReady(run_id, answer, placement, label=label, source=("members", summary, row))
        )

    @work(exclusive=True, group="netbox", exit_on_error=False, description="export")
    async def _export_worker(self, run_id: int, ts: TableState, fmt: str) -> None:
        try:
            rows = await self.orchestrator.all_rows(ts.table, on_progress=self._progress_callback(run_id))
            path = export_rows(
                ts.table.title, ts.table.columns, rows, "json" if fmt == "json" else "csv", self.export_dir
            )
        except asyncio.CancelledError:
            raise
        except OSError as exc:
            self.post_message(
                WorkFailed(
                    run_id,
                    "Export failed",
                    ErrorInfo(
                        kind="export",
                        message=str(exc),
                        hint="Nothing was written; check the directory is writable.",
                    ),
                )
            )
            return
        except Exception as exc:
            self._failed(run_id, exc)
            return
        self.post_message(ExportReady(run_id, path, len(rows), ts.total))

    # -- starting work ---------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        placement: Placement = "root",
        label: str = "",
        refresh: bool = False,
        intent: Any = None,
        choice: Optional[Choice] = None,
    ) -> None:
        """Ask a question (a follow-up of the answer on screen when it reads as one); a `choice` is
        answered as is: its names are resolved already."""
        run_id = self._begin(f"asking: {question}")
        self._ask_worker(run_id, question, placement, label or question, refresh, intent, choice)

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
            self.error_panel.show_error(err.title or _title_for(err.kind), err)
            self._sync_conversation()  # the answer on screen stays the one a follow-up refines
            return
        self.error_panel.hide()
        view = ViewState.from_answer(answer, kind=message.kind, label=message.label, source=message.source)  # type: ignore[arg-type]
        refreshed = self.view.turn if message.placement == "replace" and self.view is not None else None
        view.turn = message.turn if message.turn is not None else refreshed
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
                self.chat.add(plain(f"NetBox search “{message.search}”: {plural(ts.total, 'row')}", "dim"))
            widget.rebuild_table(message.table_index)
            self.action_focus_question()  # the search's rows are shown: typing asks next, as after any answer
        else:
            new = ts.append(message.table)
            widget.append_rows(message.table_index, new)
            self.chat.add(
                plain(
                    f"loaded rows {ts.start + 1:,}–{ts.next_offset:,} of {ts.total:,} ({ts.table.title})",
                    "dim",
                )
            )
        if message.table.stale:  # NetBox failed and these rows are an expired cache entry's
            self.chat.add(plain(message.table.stale, "yellow"))
            self.notify(message.table.stale, title="Stale rows", severity="warning", timeout=6)
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

    def on_examples_ready(self, message: ExamplesReady) -> None:
        if not message.examples or message.examples == self.examples:
            return
        self.examples = message.examples
        self._update_placeholder()
        for v in self.stack:
            if v.kind == "welcome":
                v.answer = self._welcome_answer()
                w = self.view_widget(v)
                if w is not None:
                    w.set_choices()
                    w.refresh_hints()
        self.refresh_bindings()

    def on_export_ready(self, message: ExportReady) -> None:
        if not self._finish(message.run_id):
            return
        capped = f" (the first {message.rows:,} of {message.total:,})" if message.rows < message.total else ""
        self.notify(
            f"{plural(message.rows, 'row')}{capped} written to {message.path}", title="Exported", timeout=10
        )
        self.chat.add(plain(f"exported {plural(message.rows, 'row')}{capped} to {message.path}", "green"))

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
        self.query_one("#question", QuestionInput).browsing_rows = False  # ↑ walks the history again
        self.stack.append(view)
        intro = self._welcome_intro() if view.kind == "welcome" else None
        widget = ResultView(view, intro=intro)
        await views.mount(widget)
        self._update_breadcrumb()
        if focus:
            # Every answer (a question, a drill, a pick, a summary) leaves the focus in the question
            # box: whatever is typed next is asked, never taken for table keys. ↓ or tab enters the table.
            self.call_after_refresh(self._focus_view, widget, True)
        self.refresh_bindings()

    def _focus_view(self, widget: ResultView, to_question: bool) -> None:
        """The question box (after an answer, or going back from it), else the view's table."""
        if to_question:
            self.query_one("#question", QuestionInput).focus()
            widget.refresh_hints()
            return
        widget.focus_main()

    async def _drop_top(self) -> None:
        view = self.stack.pop()
        widget = self.view_widget(view)
        if widget is not None:
            await widget.remove()

    async def go_back(self) -> bool:
        if len(self.stack) <= 1:
            return False
        from_question = self.typing_question()
        self.query_one("#question", QuestionInput).browsing_rows = False
        await self._drop_top()
        self._sync_conversation()
        widget = self.view_widget()
        if widget is not None:
            widget.display = True
            self._focus_view(widget, from_question)
        self._update_breadcrumb()
        self.refresh_bindings()
        return True

    def _sync_conversation(self) -> None:
        """The answer a follow-up refines is the one on screen: going back makes its turn current."""
        shown = next((v.turn for v in reversed(self.stack) if v.turn is not None), None)
        if shown is not None:
            self.conv.go(shown)
            return
        while self.conv.current is not None:  # home: nothing to refine
            self.conv.back()

    def _update_breadcrumb(self) -> None:
        crumb = self.query_one("#breadcrumb", Static)
        width = max(20, (crumb.size.width or self.size.width) - 2)
        crumb.update(plain(breadcrumb(self.stack, width)))

    # -- chat ------------------------------------------------------------------------------------

    def _log_answer(self, answer: Answer) -> None:
        style = {"error": "red", "partial": "yellow", "needs_choice": "bold"}.get(answer.status, "")
        self.chat.add(plain(answer.error.message if answer.error else answer.answer, style))
        s = answer.stats
        self.chat.add(
            plain(
                f"{s.api_calls} API call{'s' if s.api_calls != 1 else ''} · {s.cache_hits} cached · "
                f"{self.format_elapsed(s.elapsed_ms / 1000)}",
                "dim",
            )
        )

    # -- keys ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in RESULT_ACTIONS and self._typing():
            return False  # letter-only keys (q ? : 1–9) are text while typing
        view = self.view
        ts = view.table if view else None
        has_rows = bool(ts and ts.rows)
        if ts is None and action in ("next_page", "summary", "export", "copy", "filter", "drill"):
            return False  # no table in this view (welcome, a choice): the key is not shown at all
        if action == "next_page":
            return True if ts is not None and ts.has_more else None
        if action == "summary":
            return True if has_rows and view is not None and view.kind != "summary" else None
        if action in ("export", "copy"):
            return True if has_rows else None
        if action == "filter":
            return True if has_rows or (ts is not None and (ts.search or ts.filter)) else None
        if action == "drill":
            if not has_rows or ts is None or view is None:
                return None
            if view.kind == "summary":
                return True if any(r.get("_members") for r in ts.rows) else None
            return True if drills(ts.table) else None
        if action == "choose":
            n = int(parameters[0]) if parameters else 1  # type: ignore[call-overload]
            count = len(view.numbered_choices()) if view else 0
            return True if n <= count else False
        if action in ("prev_table", "next_table"):
            return True if view is not None and len(view.tables) > 1 else False
        if action == "back":
            filtering = ts is not None and bool(ts.filter or ts.search)
            typed = self.typing_question() and bool(self.query_one("#question", QuestionInput).value)
            return (
                True
                if (self.running or self.error_panel.display or filtering or typed or len(self.stack) > 1)
                else None
            )
        if action == "refresh":
            return True if view is not None and view.source else None
        return True

    async def action_back(self) -> None:
        """esc: cancel what runs; else hide the error; else clear the typed question or the filter; else go
        back one view."""
        if self.cancel_running():
            return
        if self.error_panel.display:
            self.error_panel.hide()
            self.refresh_bindings()
            return
        box = self.query_one("#question", QuestionInput)
        if self.typing_question() and box.value:
            box.value = ""
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
            self.action_focus_question()
            self.refresh_bindings()
            return
        if await self.go_back():
            return
        if not self._typing():
            self.action_focus_question()

    def action_interrupt(self) -> None:
        """ctrl+c: cancel a running question; quit when nothing runs."""
        if not self.cancel_running():
            self.exit(0)

    def action_quit_key(self) -> None:
        """q (never while typing): asks first, so a word typed on a table never quits."""
        from netbox_tui.tui.screens.dialogs import QuitScreen

        def done(quit_: Optional[bool]) -> None:
            if quit_:
                self.exit(0)
            else:
                self._back_to_question()

        if not isinstance(self.screen, QuitScreen):
            self.push_screen(QuitScreen(), done)

    def action_help(self) -> None:
        from netbox_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.clear_notifications()  # a toast must not sit on top of the keys
            self.push_screen(HelpScreen(), self._back_to_question)

    def action_help_key(self) -> None:
        self.action_help()

    def action_focus_question(self) -> None:
        if self.screen.maximized is not None:
            self.screen.minimize()  # after the palette's "maximize", the question box is back
        box = self.query_one("#question", QuestionInput)
        # At once, not after a refresh (Widget.focus): keys already queued behind this one must reach
        # the box, not the table ("vlasn at dm akorn" ran as "vlaatdmao" when they did not).
        box.screen.set_focus(box)

    def _back_to_question(self, _result: object = None) -> None:
        """Closing a dialog or the help: the focus goes to the question box, whatever had it before."""
        self.call_after_refresh(self.action_focus_question)

    def action_toggle_history(self) -> None:
        self.history_hidden = not self.history_hidden
        self.chat.display = not self.history_hidden

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

    def _selected(self) -> Optional[dict]:
        widget = self.view_widget()
        pane = widget.pane() if widget else None
        return pane.table.selected_row() if pane else None

    def action_drill(self) -> None:
        view = self.view
        ts = view.table if view else None
        row = self._selected()
        if view is None or ts is None or row is None:
            return
        if view.kind == "summary":
            if not row.get("_members"):
                self.notify(
                    "That line stands for the rest of the values: it has no rows of its own.",
                    severity="warning",
                    timeout=4,
                )
                return
            label = clean(f"{row.get('dimension')} {row.get('value')}")
            run_id = self._begin(f"listing the rows of “{label}”")
            self._members_worker(run_id, ts.table, dict(row), label, "push")
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
        elif kind == "members":
            run_id = self._begin(f"refreshing {view.label}")
            self._members_worker(run_id, view.source[1], view.source[2], view.label, "replace")

    def action_export(self) -> None:
        """e / ctrl+s: pick what to write (loaded rows or all rows, CSV or JSON); nothing is written
        before."""
        from netbox_tui.tui.screens.dialogs import Pick, PickScreen

        ts = self.view.table if self.view else None
        if ts is None or not ts.rows:
            return
        loaded = len(ts.visible())
        where = export_dir(self.export_dir)
        picks: list[Pick[tuple[str, str]]] = []
        what = f"the {plural(loaded, 'row')} shown" + (f" (filtered: “{ts.filter}”)" if ts.filter else "")
        everything = ts.has_more and not ts.filter
        for fmt in ("csv", "json"):
            picks.append(Pick(f"{fmt.upper()}: {what}", ("loaded", fmt)))
            if everything:
                picks.append(
                    Pick(
                        f"{fmt.upper()}: all {ts.total:,} rows",
                        ("all", fmt),
                        "fetched from NetBox, 1,000 per request",
                    )
                )
        picks.sort(key=lambda p: p.value[1] != "csv")

        def done(choice: Optional[tuple[str, str]]) -> None:
            self._back_to_question()
            if choice is not None:
                self._export(ts, *choice)

        # No option is highlighted: enter alone writes nothing (only a number or an arrow picks).
        self.push_screen(
            PickScreen(f"Export {ts.table.title}", picks, note=f"Files go to {where}", highlight=None), done
        )

    def _export(self, ts: TableState, which: str, fmt: str) -> None:
        if which == "all":
            run_id = self._begin(f"exporting all {ts.total:,} rows of {ts.table.title}")
            self._export_worker(run_id, ts, fmt)
            return
        rows = [r for _, r in ts.visible()]
        try:
            path = export_rows(
                ts.table.title, ts.table.columns, rows, "json" if fmt == "json" else "csv", self.export_dir
            )
        except OSError as exc:
            self.notify(f"Export failed: {exc}", title="Export", severity="error")
            return
        more = f" — {ts.total:,} in all: e then “all rows” writes every one" if ts.has_more else ""
        self.notify(f"{plural(len(rows), 'row')} written to {path}{more}", title="Exported", timeout=10)
        self.chat.add(plain(f"exported {plural(len(rows), 'row')} to {path}", "green"))

    def action_copy(self) -> None:
        """y / ctrl+y: copy one cell of the selected row, or the whole row (tab-separated or JSON)."""
        from netbox_tui.tui.screens.dialogs import Pick, PickScreen

        ts = self.view.table if self.view else None
        row = self._selected()
        if ts is None or row is None:
            self.notify("Select a row first.", severity="warning")
            return
        cols = ts.table.columns
        picks: list[Pick[str]] = []
        for c in cols:
            value = str(row.get(c.key, "") or "")
            if value and value != "—" and len(picks) < 7:
                picks.append(Pick(f"{c.title}: {value}", value))
        picks.append(Pick("the row, tab-separated", "\t".join(str(row.get(c.key, "")) for c in cols)))
        picks.append(
            Pick(
                "the row as JSON",
                json.dumps({k: v for k, v in row.items() if not k.startswith("_")}, ensure_ascii=False),
            )
        )

        def done(text: Optional[str]) -> None:
            self._back_to_question()
            if text is not None:
                self.copy_text(text)

        self.push_screen(PickScreen("Copy", picks), done)

    def copy_text(self, text: str) -> None:
        result = clipboard.copy(text, self.copy_to_clipboard)
        short = text if len(text) <= 60 else text[:59] + "…"
        if result.ok:
            self.notify(f"Copied “{clean(short)}” ({result.how}).", title="Copied", timeout=3)
            return
        self.notify(
            f"Sent by OSC 52, but {result.warning}. The text is in the history panel (ctrl+l) to select.",
            title="Copy may not have arrived",
            severity="warning",
            timeout=10,
        )
        if self.history_hidden:
            self.action_toggle_history()
        self.chat.add(plain(f"copied: {text}"))

    def action_copy_row(self) -> None:
        """The palette's "copy row as JSON"."""
        row = self._selected()
        if row is None:
            self.notify("Select a row first.", severity="warning")
            return
        self.copy_text(
            json.dumps({k: v for k, v in row.items() if not k.startswith("_")}, ensure_ascii=False)
        )

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
            self.ask(
                words, "root", intent=choice.intent, choice=choice if choice.intent is not None else None
            )
            return
        placement: Placement = (
            "replace" if view.answer is not None and view.answer.status == "needs_choice" else "push"
        )
        self.chat.add(plain(f"› {words}", "bold"))
        self.ask(
            words,
            placement,
            choice.label if placement == "push" else words,
            intent=choice.intent,
            choice=choice,
        )

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
        view = self.view
        box = self.query_one("#question", QuestionInput)
        browsing, box.browsing_rows = box.browsing_rows, False
        if not question:
            widget = self.view_widget()
            if widget is None:
                return
            if browsing:  # ↓ selected a row or a choice from here: enter acts on it
                choices = list(widget.query(ChoiceList).results(ChoiceList))
                if widget.pane() is None and choices and choices[0].highlighted is not None:
                    self.action_choose(choices[0].highlighted + 1)
                else:
                    self.action_drill()
                return
            widget.focus_main()  # enter on an empty box: into the table (or the choices)
            return
        if question.isdigit() and view is not None and 1 <= int(question) <= len(view.numbered_choices()):
            event.input.value = ""
            self.action_choose(int(question))  # "2⏎": the second choice
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
            self.action_focus_question()
            self.refresh_bindings()
            return
        base = ts.before_search[0] if ts.before_search else ts.table
        if base.query is None:
            # A client-side table: the filter over loaded rows is the whole answer.
            self.action_focus_question()
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
            mark = " (current)" if name == current and not self.session.offline else ""
            yield SystemCommand(
                f"Switch profile: {name}{mark}",
                f"Use the NetBox at {url}",
                lambda n=name: self.switch_profile(n),
            )
        yield SystemCommand("Clear cache", "Forget every cached NetBox response", self.clear_cache)
        yield SystemCommand(
            "Copy row as JSON", "Copy the selected row to the clipboard (OSC 52)", self.action_copy_row
        )
        yield SystemCommand("Export table", "CSV or JSON, loaded rows or all rows", self.action_export)
        yield SystemCommand("Show or hide the history panel", "ctrl+l", self.action_toggle_history)
        yield SystemCommand(
            "Help: all keys", "Show every key, in sections, with the ids keymap.toml uses", self.action_help
        )

    async def clear_cache(self) -> None:
        n = await self.session.clear_cache()
        warning = self.session.cache_warning
        if warning:
            self.notify(warning, title="Cache", severity="warning")
        else:
            self.notify(f"Cache cleared ({n:,} entries).", title="Cache", timeout=3)

    async def switch_profile(self, name: str) -> None:

        if self.settings is None or name not in self.settings.netbox:
            return
        settings = self.settings.model_copy(update={"profile": name})
        try:
            session = self.session.reopen(settings)
        except NetBoxTUIError as exc:
            self.error_panel.show_error(exc.title, explain(exc))
            return
        self.cancel_running()
        self.workers.cancel_group(self, "server")
        self.workers.cancel_group(self, "examples")
        old, self.session = self.session, session
        self.conv = Conversation(session.orchestrator)  # another NetBox: nothing of the old one to refine
        backend = session.backend
        self.settings = settings
        if self.close_backend:
            await old.aclose()
        self.close_backend = True  # the app opened this one
        self.server, self.server_error = None, None
        self.sub_title = f"{clean(self._short_label())} · connecting…"
        self.examples = GENERIC_EXAMPLES
        self.examples_fixed = False
        self._update_placeholder()
        while len(self.stack) > 1:
            await self._drop_top()
        welcome = self.stack[0]
        welcome.answer = self._welcome_answer()
        w = self.view_widget(welcome)
        if w is not None:
            await w.remove()
        self.stack.clear()
        await self._place(
            ViewState(kind="welcome", label="home", answer=self._welcome_answer(), source=("welcome",)),
            "push",
            focus=False,
        )
        self.chat.add(plain(f"profile {name}: {backend.label}", "bold"))
        self._load_server_info()


def _title_for(kind: str) -> str:
    return {
        "unreachable": "NetBox unreachable",
        "auth": "Token rejected",
        "no_token": "No token set",
        "timeout": "NetBox timed out",
        "tls": "TLS verification failed",
        "not_found": "Not found",
        "bad_filter": "NetBox refused a filter",
        "unknown_filter": "Unknown filter",
        "server": "NetBox server error",
        "rate_limited": "NetBox is rate-limiting",
        "write_refused": "Read-only",
        "bad_question": "Not a question I can answer",
        "limitation": "Not possible with NetBox's API",
        "config": "Configuration error",
        "invalid_response": "Unexpected answer",
        "too_large": "Response too large",
        "bad_url": "Not a NetBox URL",
    }.get(kind, "Could not answer")


def run_app(
    settings: Any,
    *,
    demo: bool = False,
    snapshot: Optional[Path] = None,
    cache_mode: CacheMode = CacheMode.NORMAL,
) -> int:
    """`netbox-tui` with no subcommand."""
    from netbox_tui.session import Session
    from netbox_tui.tui.keymap import load_keymap

    session = Session.open(settings, demo=demo, snapshot=snapshot, cache_mode=cache_mode)
    keymap, notes = load_keymap()
    if session.cache_warning:
        notes.append(session.cache_warning)
    # examples: the demo's own on the embedded demo, else made of this NetBox's names (examples.py)
    app = NetBoxApp(
        session,
        settings=settings,
        keymap=keymap,
        close_backend=True,
        cache_mode=cache_mode,
        startup_notes=notes,
    )
    app.run()
    return app.return_code or 0
