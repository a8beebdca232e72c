"""The result area: one view per stack entry; each view shows the answer's summary, its choices as
keys, and one DataTable per result table. Widgets render a `ViewState`; the app owns the state."""

from __future__ import annotations

from typing import Any, Optional

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from netbox_tui.core.results import ErrorInfo
from netbox_tui.tui.keymap import TABLE_BINDINGS
from netbox_tui.tui.messages import ChoicePicked
from netbox_tui.tui.state import TableState, ViewState
from netbox_tui.tui.text import clean, plain


def _keys_line(prefix: str, pairs: list[tuple[str, str]]) -> Content:
    parts: list[Any] = [prefix]
    for n, (k, what) in enumerate(pairs):
        parts += [(k + " ", "bold $accent"), what + (" · " if n < len(pairs) - 1 else "")]
    return Content.assemble(*parts)


WELCOME_KEYS = _keys_line("On a table: ", [("enter", "drill down"), ("esc", "back"), ("n", "next 25"), ("/", "filter"),
                                           ("s", "summary"), ("e", "export"), ("r", "refresh"), (":", "new question"),
                                           ("?", "every key"), ("ctrl+p", "profile, cache, theme")])

STATUS_STYLE = {"ok": "", "partial": "yellow", "needs_choice": "bold", "error": "red"}


class ResultTable(DataTable):
    """A DataTable whose enter drills down (the binding has the id `drill`)."""

    BINDINGS = TABLE_BINDINGS

    def __init__(self, index: int, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.index = index
        self.rows_by_key: dict[str, dict] = {}

    def show(self, ts: TableState) -> None:
        """(Re)build from the state: columns, then the visible rows keyed by NetBox id."""
        if not self.columns:
            for c in ts.table.columns:
                self.add_column(plain(c.title), key=c.key)
        self.clear()
        self.rows_by_key = {}
        self.add(ts.visible(), ts)

    def add(self, keyed: list[tuple[str, dict]], ts: TableState) -> None:
        keys = [c.key for c in ts.table.columns]
        for key, row in keyed:
            if key in self.rows_by_key:
                continue
            self.rows_by_key[key] = row
            self.add_row(*(plain(row.get(k, "")) for k in keys), key=key)

    def selected_row(self) -> Optional[dict]:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None
        return self.rows_by_key.get(key or "")


class TablePane(Vertical):
    """The table's header ("Devices at DM-Akron — rows 1–25 of 1,586") above its DataTable."""

    def __init__(self, ts: TableState, index: int) -> None:
        super().__init__(classes="table-pane")
        self.ts = ts
        self.index = index

    def compose(self) -> ComposeResult:
        yield Static(plain(self.ts.header()), classes="table-header")
        yield ResultTable(self.index)

    def on_mount(self) -> None:
        self.query_one(ResultTable).show(self.ts)

    @property
    def table(self) -> ResultTable:
        return self.query_one(ResultTable)

    def refresh_header(self) -> None:
        self.query_one(".table-header", Static).update(plain(self.ts.header()))


def hints(view: ViewState) -> Content:
    """The choices the orchestrator offers, as keys (computed from the current state, never stale)."""
    parts: list[Any] = []

    def key(k: str, label: str) -> None:
        if parts:
            parts.append("   ")
        parts.append((k + " ", "bold $accent"))
        parts.append(clean(label))  # a plain str in Content.assemble is literal text, never markup

    ts = view.table
    if ts is not None and ts.rows:
        if ts.has_more:
            end = min(ts.next_offset + ts.table.limit, ts.total)
            key("n", f"next 25 ({ts.next_offset + 1:,}–{end:,} of {ts.total:,})")
        if view.kind != "summary":
            key("s", "summary")
        key("/", "filter")
        drill = next((c for c in view.answer.choices if c.kind == "drill_down" and not c.question), None) if view.answer else None
        if drill is not None:
            # "drill into a device: interfaces, IPs, cables" -> "enter interfaces, IPs, cables"
            key("enter", drill.label.split(":", 1)[1].strip() if ":" in drill.label else drill.label)
        key("e", "export")
    if len(view.tables) > 1:
        key("[ ]", "switch table")
    numbered = view.numbered_choices()
    if numbered and any(t.rows for t in view.tables):
        for i, c in enumerate(numbered, 1):
            key(str(i), c.label)
    return Content.assemble(*parts)


class ChoiceList(OptionList):
    """Numbered choices (candidates, suggestions, examples): 1–9, arrows + enter, or the mouse."""

    def __init__(self, view: ViewState) -> None:
        options = [Option(Content.assemble((f" {i} ", "bold $accent"), " ", clean(c.label)), id=str(i))
                   for i, c in enumerate(view.numbered_choices(), 1)]
        super().__init__(*options, classes="choices-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(ChoicePicked(int(event.option.id or "1")))


def error_text(title: str, error: ErrorInfo, *, with_title: bool = True) -> Text:
    """An error in plain words, compact enough for 80x24: one line per kind of advice."""
    t = Text()
    if with_title:
        t.append(clean(title) + ": ", style="bold red")
    t.append(clean(error.message), style="bold")
    if error.hint:
        t.append("\n" + clean(error.hint), style="italic")
    for label, items in (("Likely causes", error.causes), ("Next steps", error.next_steps), ("Try instead", error.alternatives)):
        if items:
            t.append(f"\n{label}: ", style="bold")
            t.append(" · ".join(clean(i) for i in items))
    return t


class ErrorPanel(Static):
    """A readable error: message, likely causes, next steps, alternatives. Shown above the view; esc hides it."""

    def show_error(self, title: str, error: ErrorInfo) -> None:
        self.border_title = clean(title)
        self.border_subtitle = "esc hides this · what was on screen stays"
        self.update(error_text(title, error, with_title=False))
        self.display = True
        self.scroll_home(animate=False)

    def hide(self) -> None:
        self.display = False


class ResultView(Vertical):
    """One entry of the view stack."""

    def __init__(self, view: ViewState, intro: Optional[Text] = None) -> None:
        super().__init__(classes=f"result-view -{view.kind}")
        self.view = view
        self.intro = intro

    def compose(self) -> ComposeResult:
        v = self.view
        if v.kind == "welcome":
            yield Static(self.intro or Text(""), classes="welcome")
        elif v.answer is not None:
            style = STATUS_STYLE.get(v.answer.status, "")
            yield Static(plain(v.answer.answer, style), classes="summary")
        yield Static(hints(v), classes="hints")
        if v.numbered_choices() and not any(t.rows for t in v.tables):
            yield ChoiceList(v)
        if v.kind == "welcome":
            yield Static(WELCOME_KEYS, classes="welcome-keys")
        box = Input(placeholder="filter loaded rows · enter: search NetBox · esc: clear", classes="filter", compact=True)
        box.cursor_blink = getattr(self.app, "cursor_blink", True)
        yield box
        if len(v.tables) == 1:
            yield TablePane(v.tables[0], 0)
        elif len(v.tables) > 1:
            with TabbedContent():
                for i, ts in enumerate(v.tables):
                    with TabPane(Content(clean(ts.tab_label())), id=f"t{i}"):
                        yield TablePane(ts, i)

    def on_mount(self) -> None:
        self.query_one(".filter", Input).display = False
        self.refresh_hints()

    def refresh_hints(self) -> None:
        hint = self.query_one(".hints", Static)
        text = hints(self.view)
        hint.update(text)
        hint.display = bool(text.plain)

    def set_intro(self, text: Text) -> None:
        self.intro = text
        for w in self.query(".welcome").results(Static):
            w.update(text)

    # -- what the app acts on --------------------------------------------------------------------

    def pane(self, index: Optional[int] = None) -> Optional[TablePane]:
        index = self.view.active if index is None else index
        for p in self.query(TablePane).results(TablePane):
            if p.index == index:
                return p
        return None

    def focus_main(self) -> None:
        """Focus what keys act on: the active table, else the choice list."""
        pane = self.pane()
        if pane is not None and pane.ts.rows:
            pane.table.focus()
            return
        for w in self.query(ChoiceList).results(ChoiceList):
            w.focus()
            return
        if pane is not None:
            pane.table.focus()

    def show_table(self, index: int) -> None:
        self.view.active = index
        for tc in self.query(TabbedContent).results(TabbedContent):
            tc.active = f"t{index}"
        self.refresh_hints()

    def on_descendant_focus(self, event) -> None:
        pane = next((a for a in event.widget.ancestors_with_self if isinstance(a, TablePane)), None)
        if pane is not None and pane.index != self.view.active:
            self.view.active = pane.index
            self.refresh_hints()
            self.app.refresh_bindings()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        index = int((event.pane.id or "t0")[1:])
        if index != self.view.active:
            self.view.active = index
            self.refresh_hints()
            self.app.refresh_bindings()

    def rebuild_table(self, index: Optional[int] = None) -> None:
        pane = self.pane(index)
        if pane is not None:
            pane.table.show(pane.ts)
            pane.refresh_header()
            self._retitle(pane)
        self.refresh_hints()

    def append_rows(self, index: int, new_rows: int) -> None:
        pane = self.pane(index)
        if pane is None:
            return
        if pane.ts.filter:
            pane.table.show(pane.ts)
        else:
            pane.table.add(pane.ts.keyed_rows(), pane.ts)
        pane.refresh_header()
        self._retitle(pane)
        self.refresh_hints()

    def _retitle(self, pane: TablePane) -> None:
        for tc in self.query(TabbedContent).results(TabbedContent):
            try:
                tc.get_tab(f"t{pane.index}").label = Content(clean(pane.ts.tab_label()))
            except Exception:
                pass

    @property
    def filter_input(self) -> Input:
        return self.query_one(".filter", Input)
