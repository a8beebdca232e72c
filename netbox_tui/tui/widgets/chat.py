"""The chat pane: questions, answers, notes; and the question box with history on ↑/↓."""

from __future__ import annotations

from typing import Optional

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from netbox_tui.tui.history import History
from netbox_tui.tui.keymap import INPUT_BINDINGS

MAX_ENTRIES = 200


class ChatLog(VerticalScroll, can_focus=False):
    """Scrollable log of the conversation. Entries are `Text`, never markup."""

    def add(self, text: Text, classes: str = "") -> None:
        entry = Static(text, classes=f"entry {classes}".strip())
        self.mount(entry)
        extra = len(self.children) - MAX_ENTRIES
        if extra > 0:
            for child in list(self.children)[:extra]:
                child.remove()
        self.call_after_refresh(self.scroll_end, animate=False)


class QuestionInput(Input):
    """The question box. ↑/↓ walk the history, kept across runs."""

    BINDINGS = INPUT_BINDINGS

    def __init__(self, history: History, **kwargs) -> None:
        super().__init__(**kwargs)
        self.history = history

    def _set(self, value: Optional[str]) -> None:
        if value is not None:
            self.value = value
            self.cursor_position = len(value)

    def action_history_prev(self) -> None:
        self._set(self.history.prev(self.value))

    def action_history_next(self) -> None:
        self._set(self.history.next())
