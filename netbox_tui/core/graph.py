"""The orchestrator's flow as one declared graph. The orchestrator walks it and refuses any
transition not declared here, so `netbox-tui graph` prints what really runs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    when: str


@dataclass(frozen=True)
class Flow:
    nodes: dict[str, str]
    edges: tuple[Edge, ...]

    def check(self, src: str, dst: str, hint: str = "") -> Edge:
        """The declared edge src -> dst (the one whose label starts with `hint` if several)."""
        found = [e for e in self.edges if e.src == src and e.dst == dst]
        if not found:
            raise RuntimeError(f"undeclared transition {src} -> {dst}")
        return next((e for e in found if hint and e.when.startswith(hint)), found[0])

    def to_text(self) -> str:
        lines = ["netbox-tui orchestrator flow", ""]
        for name, what in self.nodes.items():
            lines.append(f"[{name}] {what}")
            for e in self.edges:
                if e.src == name:
                    lines.append(f"    --{e.when}--> {e.dst}")
        return "\n".join(lines)

    def to_mermaid(self) -> str:
        lines = ["flowchart TD"]
        for e in self.edges:
            lines.append(f'    {e.src} -->|"{e.when}"| {e.dst}')
        return "\n".join(lines)


FLOW = Flow(
    nodes={
        "classify": "question -> typed intent (LLM if configured, else offline rules); bad input stops here",
        "route": "intent -> plan: direct, multi-step, orchestrated; or a known NetBox limitation",
        "execute": "run the plan's steps, independent ones concurrently, each with a timeout",
        "limitations": (
            "timeouts, failures and unsupported asks: simplified retry, partial answer or guidance"
        ),
        "format": "summary, first page of each table, choices (next page, filter, summary, candidates)",
        "done": "the answer",
    },
    edges=(
        Edge("classify", "route", "intent"),
        Edge("classify", "format", "bad question or refused write"),
        Edge("route", "execute", "simple: direct plan"),
        Edge("route", "execute", "complex: multi-step or orchestrated plan"),
        Edge("route", "limitations", "not answerable through NetBox's API"),
        Edge("execute", "format", "all steps done"),
        Edge("execute", "limitations", "step failed or timed out"),
        Edge("execute", "route", "a name turned out to be another kind of object: plan again"),
        Edge("limitations", "execute", "retry with a simplified plan"),
        Edge("limitations", "format", "partial answer or user guidance"),
        Edge("format", "done", "answer ready"),
    ),
)
