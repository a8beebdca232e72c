"""`?` / f1: every key, in sections (k9s style), as currently mapped, with the id that remaps it
in keymap.toml (the file's path is said at the top)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table as RichTable
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from netbox_tui.tui.keymap import (
    HELP_BINDINGS,
    HELP_SECTIONS,
    all_bindings,
    default_keymap_path,
)


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


def keymap_intro(path=None) -> Text:
    path = path or default_keymap_path()
    t = Text()
    t.append("Remap any key by its id in ", style="dim")
    t.append(str(path), style="bold")
    t.append(", one line each: ", style="dim")
    t.append('next_page = "ctrl+n"', style="bold")
    t.append(" (ids in the right-hand column; a comma gives several keys).", style="dim")
    t.append("\nOn a table the keys are letters; ctrl+ chords act everywhere, also while typing a question, "
             "where letters are always text.")
    return t


def help_table(app) -> Group:
    """One block per section (k9s style): a heading, then key → what it does → its id."""
    blocks: list = [keymap_intro(), Text("")]
    sections = HELP_SECTIONS + [("Mouse", [])]
    for title, entries in sections:
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(justify="right", style="bold", no_wrap=True, min_width=7)
        grid.add_column(ratio=1)
        grid.add_column(style="dim", no_wrap=True)
        for binding_id, description in entries:
            grid.add_row(Text(key_for(app, binding_id)), Text(description), Text(binding_id))
        if title == "Mouse":
            grid.add_row(
                Text("click"),
                Text("select a row, a tab, a choice or a footer key; the wheel scrolls"),
                Text(""),
            )
        blocks += [Text(title.upper(), style="bold underline"), grid, Text("")]
    return Group(*blocks[:-1])


class HelpScreen(ModalScreen[None]):
    BINDINGS = HELP_BINDINGS

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys · remap by id in keymap.toml"
            body.border_subtitle = "esc closes"
            yield Static(help_table(self.app), id="help-text")
