"""The progress panel: live step i/N, spinner, elapsed time, API calls, cache hits, rows so far.

Hidden when idle. Elapsed time comes from an injectable clock and formatter, so snapshots are fixed.
"""

from __future__ import annotations

from typing import Callable, Optional

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from netbox_tui.core.progress import ProgressEvent
from netbox_tui.core.results import plural
from netbox_tui.tui.text import clean

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def default_elapsed(seconds: float) -> str:
    return f"{seconds:.1f} s"


class ProgressPanel(Static):
    def __init__(
        self,
        *,
        clock: Callable[[], float],
        format_elapsed: Callable[[float], str] = default_elapsed,
        spin: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.clock = clock
        self.format_elapsed = format_elapsed
        self.spin = spin
        self.running = False
        self.what = ""
        self.event: Optional[ProgressEvent] = None
        self.started = 0.0
        self.frame = 0
        self.max_calls = 0
        self.max_hits = 0
        self.rows = 0
        self._timer: Optional[Timer] = None

    def start(self, what: str) -> None:
        self.running = True
        self.what = what
        self.event = None
        self.started = self.clock()
        self.frame = 0
        self.max_calls = self.max_hits = self.rows = 0
        self.display = True
        if self.spin and self._timer is None:
            self._timer = self.set_interval(0.1, self._tick)
        self._render_now()

    def update_event(self, event: ProgressEvent) -> None:
        self.event = event
        self.max_calls = max(self.max_calls, event.api_calls)
        self.max_hits = max(self.max_hits, event.cache_hits)
        if event.partial_rows:
            self.rows += event.partial_rows if event.state == "done" else 0
        self._render_now()

    def stop(self) -> None:
        self.running = False
        self.display = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        self.frame = (self.frame + 1) % len(SPINNER)
        self._render_now()

    def _render_now(self) -> None:
        if not self.running:
            return
        ev = self.event
        line1 = Text()
        line1.append(SPINNER[self.frame] + " ", style="bold")
        if ev is not None and ev.total_steps:
            line1.append(f"step {ev.step}/{ev.total_steps} · ", style="bold")
        line1.append(clean(ev.description if ev is not None else "starting"))
        line2 = Text(style="dim")
        line2.append(clean(self.what), style="bold")
        line2.append(" · " + self.format_elapsed(max(0.0, self.clock() - self.started)))
        line2.append(
            f" · {self.max_calls} API call{'s' if self.max_calls != 1 else ''} · {self.max_hits} cached"
        )
        if self.rows:
            line2.append(f" · {plural(self.rows, 'row')} so far")
        line2.append(" · esc cancels")
        self.update(Text("\n").join([line1, line2]))
