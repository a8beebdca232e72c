"""Progress events streamed while a question runs (the TUI's progress panel, `ask` on stderr)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal, Optional

Phase = Literal["classify", "route", "execute", "limitations", "format", "done"]
State = Literal["start", "done", "failed", "fallback", "info"]


@dataclass(frozen=True)
class ProgressEvent:
    phase: Phase
    state: State
    description: str
    step: int = 0  # i of N within the plan (0 outside execute)
    total_steps: int = 0
    elapsed: float = 0.0  # seconds since the question started
    api_calls: int = 0  # so far, for this question
    cache_hits: int = 0
    partial_rows: int = 0

    def line(self) -> str:
        where = f"step {self.step}/{self.total_steps} " if self.total_steps else ""
        extra = f" · {self.partial_rows} rows" if self.partial_rows else ""
        return (
            f"[{self.elapsed:5.2f}s] {self.phase}: {where}{self.description} ({self.state}) · "
            f"{self.api_calls} calls · {self.cache_hits} cached{extra}"
        )


ProgressCallback = Optional[Callable[[ProgressEvent], None]]
