"""`?`: every key, in sections (k9s style), showing the keys as currently mapped."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table as RichTable
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from netbox_tui.tui.keymap import HELP_SECTIONS, all_bindings


def _display(app, key: str, action: str) -> str:
    key = key.strip()
    if key == "enter":
        return "enter"  # clearer than a glyph in a list of keys
    return app.get_key_display(Binding(key, action))


def key_for(app, binding_id: str) -> str:
    """The key(s) now bound to an id, after any keymap, formatted for display."""
    binding = all_bindings().get(binding_id)
    if binding is None:
        return "?"
    keys = app._keymap.get(binding_id) if hasattr(app, "_keymap") else None
    if not keys and binding_id == "choose_1":
        return "1–9"
    return ", ".join(_display(app, k, binding.action) for k in (keys or binding.key).split(","))


def help_table(app) -> Group:
    """One block per section (k9s style): a heading, then key → what it does."""
    blocks: list = []
    sections = HELP_SECTIONS + [("Mouse", [])]
    for title, entries in sections:
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(justify="right", style="bold", no_wrap=True, min_width=7)
        grid.add_column()
        for binding_id, description in entries:
            grid.add_row(Text(key_for(app, binding_id)), Text(description))
        if title == "Mouse":
            grid.add_row(Text("click"), Text("select a row, a tab, a choice or a footer key; the wheel scrolls"))
        blocks += [Text(title.upper(), style="bold underline"), grid, Text("")]
    return Group(*blocks[:-1])


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help_close"),
        Binding("question_mark", "dismiss", "Close", show=False, id="help_close_q"),
        Binding("q", "dismiss", "Close", show=False, id="help_close_quit"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys — remap them by id in keymap.toml"
            body.border_subtitle = "esc closes"
            yield Static(help_table(self.app), id="help-text")
