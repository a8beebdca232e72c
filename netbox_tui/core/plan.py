"""Plans: steps with dependencies, run by the executor; the context they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Literal, Optional

from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.resolve import Resolution, Resolver
from netbox_tui.core.results import Applied, Choice, Table

PlanKind = Literal["direct", "multi_step", "orchestrated", "fallback"]


class NeedsChoice(Exception):
    """A name matched several objects: the user chooses, nothing is guessed."""

    def __init__(self, cond: Condition, resolution: Resolution) -> None:
        super().__init__(f"{cond.text!r} is ambiguous")
        self.cond = cond
        self.resolution = resolution


class NotFound(Exception):
    """A named object does not exist; carries the closest names."""

    def __init__(self, cond: Condition, resolution: Resolution, noun: str) -> None:
        super().__init__(f"no {noun} matches {resolution.text!r}")
        self.cond = cond
        self.resolution = resolution
        self.noun = noun


class Reroute(Exception):
    """A step learnt what the question is really about (a bare name turned out to be a VM): plan again."""

    def __init__(self, intent: Intent) -> None:
        super().__init__("reroute")
        self.intent = intent


class Limitation(Exception):
    """The question cannot be answered through NetBox's API as asked; carries guidance."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class Context:
    client: Any  # NetBoxClient
    resolver: Resolver
    intent: Intent
    question: str
    page_size: int = 25
    offset: int = 0
    results: dict[str, Any] = field(default_factory=dict)
    partial: bool = False
    notes: list[str] = field(default_factory=list)
    applied: list[Applied] = field(default_factory=list)  # each condition and the filter it became
    local_rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # tables paged from memory

    def note(self, text: str, *, partial: bool = True) -> None:
        if text not in self.notes:
            self.notes.append(text)
        self.partial = self.partial or partial


@dataclass
class Step:
    name: str
    description: str
    run: Callable[[Context], Awaitable[Any]]
    deps: tuple[str, ...] = ()
    fallback: Optional[Callable[[Context], Awaitable[Any]]] = None  # simplified view on timeout or failure
    optional: bool = False  # on failure the answer is partial instead of failing


@dataclass
class Outcome:
    """What a plan's finish() makes of the step results."""

    answer: str
    tables: list[Table] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)


@dataclass
class Plan:
    kind: PlanKind
    steps: list[Step]
    finish: Callable[[Context], Outcome]

    def describe(self) -> list[str]:
        return [s.description for s in self.steps]
