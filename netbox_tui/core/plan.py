"""Plans: steps with dependencies, run by the executor; the context they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Literal, Optional

from netbox_tui.core.entities import Entity, EntityResolver, Resolution
from netbox_tui.core.intent import Intent
from netbox_tui.core.results import Choice, Table
from netbox_tui.netbox.client import NetBoxClient

PlanKind = Literal["direct", "multi_step", "orchestrated", "fallback"]


class NeedsChoice(Exception):
    """A name matched several objects: the user chooses, nothing is guessed."""

    def __init__(self, slot: str, resolution: Resolution) -> None:
        super().__init__(f"{slot} {resolution.text!r} is ambiguous")
        self.slot = slot
        self.resolution = resolution


class NotFound(Exception):
    """A named object does not exist; carries the closest names."""

    def __init__(self, slot: str, resolution: Resolution, noun: str) -> None:
        super().__init__(f"no {noun} matches {resolution.text!r}")
        self.slot = slot
        self.resolution = resolution
        self.noun = noun


class Reroute(Exception):
    """A step learnt what the question is really about (a bare name turned out to be a site): plan again."""

    def __init__(self, intent: "Intent", resolved: dict[str, list[Entity]]) -> None:
        super().__init__("reroute")
        self.intent = intent
        self.resolved = resolved


@dataclass
class Context:
    client: NetBoxClient
    resolver: EntityResolver
    intent: Intent
    question: str
    page_size: int = 25
    offset: int = 0
    results: dict[str, Any] = field(default_factory=dict)
    resolved: dict[str, list[Entity]] = field(default_factory=dict)  # slot -> matched objects
    partial: bool = False
    notes: list[str] = field(default_factory=list)
    local_rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # tables paged from memory

    def one(self, slot: str) -> Optional[Entity]:
        found = self.resolved.get(slot)
        return found[0] if found else None

    def must(self, slot: str) -> Entity:
        """The resolved object a later step depends on (its resolve step ran first, or raised)."""
        found = self.one(slot)
        if found is None:
            raise RuntimeError(f"{slot} was not resolved before it was needed")
        return found


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
