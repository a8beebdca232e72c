"""Typed messages: workers post them, the app updates its state and widgets from them."""

from __future__ import annotations

from typing import Any, Literal, Optional

from textual.message import Message

from netbox_tui.core.orchestrator import ServerInfo
from netbox_tui.core.progress import ProgressEvent
from netbox_tui.core.results import Answer, ErrorInfo, Table

# How an answer enters the view stack: a typed question starts over, a drill or follow-up is pushed,
# a candidate pick replaces the question it answers, a refresh replaces the view it refreshes.
Placement = Literal["root", "push", "replace"]


class RunMessage(Message):
    """A message from one run of a worker; stale runs (cancelled, superseded) are ignored."""

    def __init__(self, run_id: int) -> None:
        super().__init__()
        self.run_id = run_id


class Progress(RunMessage):
    def __init__(self, run_id: int, event: ProgressEvent) -> None:
        super().__init__(run_id)
        self.event = event

    def can_replace(self, message: Message) -> bool:
        # A flood of events collapses into the newest one: the panel only shows the latest state.
        return isinstance(message, Progress) and message.run_id == self.run_id


class AnswerReady(RunMessage):
    def __init__(
        self,
        run_id: int,
        answer: Answer,
        placement: Placement,
        label: str = "",
        source: tuple[Any, ...] = (),
        kind: str = "answer",
        turn: Optional[int] = None,
    ) -> None:
        super().__init__(run_id)
        self.answer = answer
        self.placement = placement
        self.label = label
        self.source = source
        self.kind = kind
        self.turn = turn  # the conversation's turn this answer is (None: a summary, a refresh)


class PageReady(RunMessage):
    def __init__(
        self, run_id: int, view_id: int, table_index: int, table: Table, search: Optional[str] = None
    ) -> None:
        super().__init__(run_id)
        self.view_id = view_id
        self.table_index = table_index
        self.table = table
        self.search = search  # set: the rows of a server-side search replace the loaded rows


class WorkFailed(RunMessage):
    def __init__(self, run_id: int, title: str, error: ErrorInfo) -> None:
        super().__init__(run_id)
        self.title = title
        self.error = error


class ServerInfoReady(Message):
    def __init__(self, info: ServerInfo) -> None:
        super().__init__()
        self.info = info


class ServerInfoFailed(Message):
    def __init__(self, title: str, error: ErrorInfo) -> None:
        super().__init__()
        self.title = title
        self.error = error


class ChoicePicked(Message):
    """A numbered choice (candidate, suggestion, follow-up) picked with a key or the mouse."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class ExamplesReady(Message):
    """Example questions made of the connected NetBox's names (examples.py)."""

    def __init__(self, examples: list[str]) -> None:
        super().__init__()
        self.examples = examples


class ExportReady(RunMessage):
    """All rows fetched and written: where the file went."""

    def __init__(self, run_id: int, path: Any, rows: int, total: int) -> None:
        super().__init__(run_id)
        self.path = path
        self.rows = rows
        self.total = total
