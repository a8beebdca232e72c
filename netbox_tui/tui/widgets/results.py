"""The result area: one view per stack entry; each view shows the answer's summary, its choices as
keys, and one DataTable per result table. Widgets render a `ViewState`; the app owns the state."""

from __future__ import annotations

import re
from typing import Any, Optional

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from netbox_tui.core.fit import FitColumn, fit_widths
from netbox_tui.core.results import ErrorInfo
from netbox_tui.tui.keymap import TABLE_BINDINGS
from netbox_tui.tui.messages import ChoicePicked
from netbox_tui.tui.state import TableState, ViewState
from netbox_tui.tui.text import clean, literal, plain
from netbox_tui.tui.widgets.chat import TextInput


def _keys_line(prefix: str, pairs: list[tuple[str, str]]) -> Content:
    parts: list[Any] = [prefix]
    for n, (k, what) in enumerate(pairs):
        parts += [(k + " ", "bold $accent"), what + (" · " if n < len(pairs) - 1 else "")]
    return Content.assemble(*parts)


WELCOME_KEYS = _keys_line(
    "Typing always asks. On an answer: ",
    [
        ("ctrl+o", "drill"),
        ("ctrl+n", "next 25"),
        ("ctrl+f", "filter"),
        ("ctrl+g", "summary"),
        ("ctrl+s", "export"),
        ("esc", "back"),
        ("↓", "selects a row"),
        ("tab", "into the table (keys are letters there)"),
        ("f1", "every key"),
        ("ctrl+p", "profile, cache, theme"),
    ],
)

# The range the core's answer states ("63 VLANs; rows 1–25 of 63."): restated as more rows load.
_SPAN = re.compile(r"rows [\d,]+–[\d,]+ of [\d,]+")


def summary_line(view: ViewState) -> str:
    """The answer's sentence, its range agreeing with the main table's loaded rows (after n, 1–50)."""
    text = view.answer.answer if view.answer is not None else ""
    ts = view.tables[0] if view.tables else None
    if ts is None or not ts.rows or ts.search is not None:
        return text  # a NetBox search replaced the rows: the sentence is about the question's answer
    return _SPAN.sub(ts.span(), text, count=1)


STATUS_STYLE = {"ok": "", "partial": "yellow", "needs_choice": "bold", "not_found": "yellow", "error": "red"}
WIDTH_CAPS = {
    "description": 32,
    "comments": 32,
    "tagged_vlans": 28,
}  # free text: cut in the table, whole in exports and copies


def cell(value: Any) -> Text:
    """A table cell: one line, cut with "…" when its column is narrower (never wrapped, never cut mid-letter
    unsaid)."""
    return Text(clean(value), no_wrap=True, overflow="ellipsis")


def type_to_ask(widget, event: events.Key) -> bool:
    """A printable key no binding takes starts a question (the letter goes to the question box).
    Keys of a burst were queued here before the first one moved the focus: once the question box
    has it, every printable key (spaces too) goes on to it."""
    if not event.is_printable or not event.character:
        return False
    burst = bool(getattr(widget.app, "typing_question", lambda: False)())
    if not burst and (event.character.isspace() or event.key in widget.screen.active_bindings):
        return False
    ask = getattr(widget.app, "type_into_question", None)
    if ask is None:
        return False
    event.stop()
    event.prevent_default()
    ask(event.character)
    return True


class ResultTable(DataTable):
    """A DataTable whose enter drills down (the binding has the id `drill`). Columns that hold one
    value on every loaded row are left out (the header says them); the name column is pinned."""

    BINDINGS = TABLE_BINDINGS

    def __init__(self, index: int, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.index = index
        self.rows_by_key: dict[str, dict] = {}
        self.shown: list[str] = []
        self.widths: list[int] = []
        self.ts: Optional[TableState] = None

    def on_resize(self) -> None:
        if self.ts is not None and self._widths(self.ts, self.ts.shown_columns()) != self.widths:
            self.show(self.ts)  # a wider or narrower terminal: fit again
    def _room(self) -> int:
        """Cells the columns may take: the table's width (before layout: the screen's, less the
        history column of a wide terminal), less the vertical scrollbar."""
        width = self.size.width or self.app.size.width - (30 if self.app.size.width >= 140 else 0) - 2
        return max(20, width - 2)

    def _widths(self, ts: TableState, cols: list) -> list[int]:
        keys = ts.key_columns()
        fit = []
        for c in cols:
            longest = max([len(c.title)] + [len(clean(r.get(c.key, ""))) for r in ts.rows])
            cap = WIDTH_CAPS.get(c.key)
            fit.append(FitColumn(min(longest, cap) if cap else longest, key=c.key in keys))
        return fit_widths(fit, self._room())

    def show(self, ts: TableState) -> None:
        """(Re)build from the state: columns fitted to the width, then the visible rows keyed by NetBox id."""
        cols = ts.shown_columns()
        keys = [c.key for c in cols]
        widths = self._widths(ts, cols)
        row = self.cursor_row
        if keys != self.shown or widths != self.widths:
            self.clear(columns=True)
            for c, w in zip(cols, widths):
                self.add_column(plain(c.title), key=c.key, width=w)
            self.shown, self.widths = keys, widths
            self.fixed_columns = ts.pinned()
            self.ts = ts
        else:
            self.clear()
        self.rows_by_key = {}
        self.add(ts.visible(), ts)
        if self.row_count and row:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def add(self, keyed: list[tuple[str, dict]], ts: TableState) -> None:
        for key, row in keyed:
            if key in self.rows_by_key:
                continue
            self.rows_by_key[key] = row
            self.add_row(*(cell(row.get(k, "")) for k in self.shown), key=key)

    def needs_rebuild(self, ts: TableState) -> bool:
        """More rows loaded: a column that was the same everywhere may differ now."""
        return [c.key for c in ts.shown_columns()] != self.shown

    async def _on_key(self, event: events.Key) -> None:
        if type_to_ask(self, event):
            return
        await super()._on_key(event)

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0 and hasattr(self.app, "action_focus_question"):
            self.app.action_focus_question()  # up from the first row: back to the question box
            return
        super().action_cursor_up()

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
        yield Static(self._header(), classes="table-header")
        yield ResultTable(self.index)

    def _header(self) -> Text:
        t = plain(self.ts.header())
        note = self.ts.constants_note()
        if note:
            t.append(" · ")
            t.append(clean(note), style="not bold")
        return t

    def on_mount(self) -> None:
        self.query_one(ResultTable).show(self.ts)

    @property
    def table(self) -> ResultTable:
        return self.query_one(ResultTable)

    def refresh_header(self) -> None:
        self.query_one(".table-header", Static).update(self._header())


def hints(view: ViewState, typing: bool = False) -> Content:
    """What this view offers beyond the footer's keys: where a drill leads, follow-ups, other tables.
    Keys as they act where the focus is: chords while typing, letters on the table."""
    parts: list[Any] = []

    def key(k: str, label: str) -> None:
        if parts:
            parts.append("   ")
        parts.append((k + " ", "bold $accent"))
        parts.append(clean(label))  # a plain str in Content.assemble is literal text, never markup

    ts = view.table
    if ts is not None and ts.rows:
        enter = "ctrl+o" if typing else "enter"
        if view.kind == "summary":
            if any(r.get("_members") for r in ts.rows):
                key(enter, "lists the rows a line counts")
        else:
            leads = drill_words(ts.table.object_type) if drills(ts.table) else ""
            if leads:
                key(enter, leads)
    if len(view.tables) > 1:
        key("tab then [ ]" if typing else "[ ]", "switch table")
    numbered = view.numbered_choices()
    if numbered and any(t.rows for t in view.tables):
        for i, c in enumerate(numbered, 1):
            key(f"{i}⏎" if typing else str(i), c.label)
    elif numbered and view.kind != "welcome":
        n = len(numbered)
        span = "1" if n == 1 else f"1–{n}"
        key(f"{span} enter" if typing else span, "picks one" + (" (or ↓ and enter)" if typing else ""))
    return Content.assemble(*parts)


def drills(table: Any) -> bool:
    """Rows of this table are objects that lead somewhere (a trace's hops are not): vocab.toml [drill]."""
    from netbox_tui.core.drill import rows_drill  # lazy, as the planner it imports: first paint

    return rows_drill(table.object_type, (c.key for c in table.columns))


def drill_words(model: str) -> str:
    """What enter on a row of `model` opens: "device → its interfaces, IP addresses, cables"."""
    from netbox_tui.core.drill import leads_to

    return leads_to(model)


def choice_options(view: ViewState) -> list[Option]:
    return [Option(Content.assemble((f" {i} ", "bold $accent"), " ", clean(c.label)), id=str(i))
            for i, c in enumerate(view.numbered_choices(), 1)]


class ChoiceList(OptionList):
    """Numbered choices (candidates, suggestions, examples): 1–9, arrows + enter, or the mouse."""

    def __init__(self, view: ViewState) -> None:
        super().__init__(*choice_options(view), classes="choices-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(ChoicePicked(int(event.option.id or "1")))

    async def _on_key(self, event: events.Key) -> None:
        if type_to_ask(self, event):
            return
        await super()._on_key(event)

    def action_cursor_up(self) -> None:
        if (self.highlighted or 0) <= 0 and hasattr(self.app, "action_focus_question"):
            self.app.action_focus_question()
            return
        super().action_cursor_up()


def interpretation_text(view: ViewState) -> Optional[Text]:
    """How the question was read, above the table: "read as: interfaces · device = X", and the
    words nobody read ("not understood: …"), so a misreading shows at a glance."""
    ans = view.answer
    it = ans.interpretation if ans is not None else None
    if it is None:
        return None
    t = Text()
    t.append("read as: ", style="bold")
    t.append(clean(it.line()))
    if it.not_understood:
        t.append(" · not understood: ", style="bold yellow")
        t.append(", ".join(f"“{clean(w)}”" for w in it.not_understood), style="yellow")
    if it.limits:
        t.append(" · not applied: ", style="bold yellow")
        t.append("; ".join(clean(x) for x in it.limits), style="yellow")
    return t


def error_text(title: str, error: ErrorInfo, *, with_title: bool = True) -> Text:
    """An error in plain words, compact enough for 80x24: one line per kind of advice."""
    t = Text()
    if with_title:
        t.append(clean(title) + ": ", style="bold red")
    t.append(clean(error.message), style="bold")
    if error.hint:
        t.append("\n" + clean(error.hint), style="italic")
    for label, items in (
        ("Likely causes", error.causes),
        ("Next steps", error.next_steps),
        ("Try instead", error.alternatives),
    ):
        if items:
            t.append(f"\n{label}: ", style="bold")
            t.append(" · ".join(clean(i) for i in items))
    return t


class ErrorPanel(Static):
    """A readable error: message, likely causes, next steps, alternatives. Shown above the view; esc hides
    it."""

    def show_error(self, title: str, error: ErrorInfo) -> None:
        self.border_title = literal(title)
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
            yield Static(plain(summary_line(v), style), classes="summary")
            read = interpretation_text(v)
            if read is not None:
                yield Static(read, classes="interpretation")
        yield Static(hints(v), classes="hints")
        if v.numbered_choices() and not any(t.rows for t in v.tables):
            yield ChoiceList(v)
        if v.kind == "welcome":
            yield Static(WELCOME_KEYS, classes="welcome-keys")
        box = TextInput(
            placeholder="filter loaded rows · enter: search NetBox · esc: clear",
            classes="filter",
            compact=True,
        )
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
        text = hints(self.view, typing=bool(getattr(self.app, "typing_question", lambda: False)()))
        hint.update(text)
        hint.display = bool(text.plain)

    def set_intro(self, text: Text) -> None:
        self.intro = text
        for w in self.query(".welcome").results(Static):
            w.update(text)

    def set_choices(self) -> None:
        """The view's choices changed (examples from the connected NetBox): show the new ones."""
        for w in self.query(ChoiceList).results(ChoiceList):
            w.clear_options()
            w.add_options(choice_options(self.view))

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
        self.refresh_summary()
        self.refresh_hints()

    def append_rows(self, index: int, new_rows: int) -> None:
        """The next page arrived: the view moves to its first row (cursor and scroll), and the
        summary, header and tab all state the new range."""
        pane = self.pane(index)
        if pane is None:
            return
        first_new = len(pane.ts.visible()) - new_rows
        if pane.ts.filter or pane.table.needs_rebuild(pane.ts):
            pane.table.show(pane.ts)
        else:
            pane.table.add(pane.ts.keyed_rows(), pane.ts)
        if new_rows and 0 <= first_new < pane.table.row_count:
            pane.table.move_cursor(row=first_new, animate=False, scroll=False)
            # the new page at the top, once the table knows its new height (scrolls are clamped to it)
            pane.table.call_after_refresh(pane.table.scroll_to, y=first_new, animate=False)
        pane.refresh_header()
        self._retitle(pane)
        self.refresh_summary()
        self.refresh_hints()

    def refresh_summary(self) -> None:
        if self.view.answer is None:
            return
        for w in self.query(".summary").results(Static):
            w.update(plain(summary_line(self.view), STATUS_STYLE.get(self.view.answer.status, "")))

    def _retitle(self, pane: TablePane) -> None:
        for tc in self.query(TabbedContent).results(TabbedContent):
            try:
                tc.get_tab(f"t{pane.index}").label = Content(clean(pane.ts.tab_label()))
            except Exception:
                pass

    @property
    def filter_input(self) -> Input:
        return self.query_one(".filter", Input)
