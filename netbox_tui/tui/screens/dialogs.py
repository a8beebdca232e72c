"""Small dialogs: what to export, what to copy, whether to quit. Each is a numbered list (1–9, or
arrows and enter) that esc closes; nothing happens until an option is picked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Optional, TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netbox_tui.tui.keymap import DIALOG_BINDINGS, QUIT_BINDINGS
from netbox_tui.tui.text import clean, literal

T = TypeVar("T")


@dataclass
class Pick(Generic[T]):
    label: str
    value: T
    note: str = ""


class PickScreen(ModalScreen[Optional[T]]):
    """A numbered list of picks; dismisses with the picked value, or None on esc."""

    BINDINGS = DIALOG_BINDINGS
    DEFAULT_CSS = """
    PickScreen { align: center middle; }
    PickScreen > #dialog { width: 90%; max-width: 84; height: auto; max-height: 90%; border: round $accent;
                           background: $surface; padding: 0 1; }
    PickScreen #dialog-note { color: $text-muted; height: auto; }
    PickScreen OptionList, PickScreen OptionList:focus { height: auto; max-height: 14; border: none;
                                                         padding: 0; background: $surface; text-wrap: nowrap;
                                                         text-overflow: ellipsis; }
    """

    def __init__(
        self, title: str, picks: list[Pick[T]], note: str = "", highlight: Optional[int] = 0
    ) -> None:
        super().__init__()
        self.title_text = title
        self.picks = picks[:9]
        self.note = note
        self.highlight = highlight

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as box:
            box.border_title = literal(self.title_text)
            box.border_subtitle = "1–9 or ↑↓ enter · esc cancels"
            options = []
            for i, p in enumerate(self.picks, 1):
                parts: list[Any] = [(f" {i} ", "bold $accent"), " ", clean(p.label)]
                if p.note:
                    parts += [("  " + clean(p.note), "$text-muted")]
                options.append(Option(Content.assemble(*parts), id=str(i)))
            yield OptionList(*options, id="picks")
            if self.note:
                yield Static(Text(clean(self.note)), id="dialog-note")

    def on_mount(self) -> None:
        picks = self.query_one("#picks", OptionList)
        picks.highlighted = self.highlight
        picks.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(int(event.option.id or "1"))

    def action_pick(self, n: int) -> None:
        if 1 <= n <= len(self.picks):
            self.dismiss(self.picks[n - 1].value)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(None)

    async def _on_key(self, event: events.Key) -> None:
        # Letters that pick nothing are swallowed: a word typed by mistake does nothing here.
        if event.is_printable and event.key not in self.active_bindings:
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)


class QuitScreen(ModalScreen[bool]):
    """`q` on a table asks first: a word typed into the wrong place never quits the app."""

    BINDINGS = QUIT_BINDINGS
    DEFAULT_CSS = """
    QuitScreen { align: center middle; }
    QuitScreen > Static { width: auto; height: auto; border: round $warning; background: $surface;
                          padding: 0 2; }
    """

    def compose(self) -> ComposeResult:
        t = Text()
        t.append("Quit netbox-tui?  ", style="bold")
        t.append("y", style="bold")
        t.append(" or ")
        t.append("q", style="bold")
        t.append(" quits · any other key stays")
        yield Static(t)

    def action_confirm_quit(self) -> None:
        self.dismiss(True)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(False)

    async def _on_key(self, event: events.Key) -> None:
        if event.key not in self.active_bindings:
            event.stop()
            event.prevent_default()
            self.dismiss(False)
            return
        await super()._on_key(event)
