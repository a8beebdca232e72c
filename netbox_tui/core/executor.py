"""Runs a plan: independent steps concurrently, a timeout per step, fallbacks, progress events."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

from netbox_tui.core.plan import Context, Plan, Step
from netbox_tui.core.progress import ProgressEvent
from netbox_tui.errors import ResponseTooLargeError, ServerError, TimeoutError

# Failures a simpler request may survive; auth, reachability and bad filters will not improve.
RECOVERABLE = (TimeoutError, ServerError, ResponseTooLargeError, asyncio.TimeoutError)


class Executor:
    def __init__(self, step_timeout: float, emit: Callable[[ProgressEvent], None], started: float) -> None:
        self.step_timeout = step_timeout
        self.emit = emit
        self.started = started

    def _event(self, ctx: Context, state: str, description: str, step: int, total: int, rows: int = 0) -> None:
        s = ctx.client.stats
        self.emit(ProgressEvent(
            phase="execute", state=state, description=description, step=step, total_steps=total,  # type: ignore[arg-type]
            elapsed=time.perf_counter() - self.started, api_calls=s.calls - ctx.results.get("_calls0", 0),
            cache_hits=s.cache_hits - ctx.results.get("_hits0", 0), partial_rows=rows,
        ))

    async def run(self, plan: Plan, ctx: Context) -> None:
        ctx.results.setdefault("_calls0", ctx.client.stats.calls)
        ctx.results.setdefault("_hits0", ctx.client.stats.cache_hits)
        index = {s.name: i + 1 for i, s in enumerate(plan.steps)}
        total = len(plan.steps)
        done: set[str] = set()
        pending = list(plan.steps)
        while pending:
            wave = [s for s in pending if all(d in done for d in s.deps)]
            if not wave:
                raise RuntimeError(f"plan has a cycle or a missing step among {[s.name for s in pending]}")
            await asyncio.gather(*(self._run_step(s, ctx, index[s.name], total) for s in wave))
            done.update(s.name for s in wave)
            pending = [s for s in pending if s.name not in done]

    async def _run_step(self, step: Step, ctx: Context, i: int, total: int) -> None:
        self._event(ctx, "start", step.description, i, total)
        try:
            result = await asyncio.wait_for(step.run(ctx), self.step_timeout)
        except RECOVERABLE as exc:
            reason = _why(exc, self.step_timeout)
            if step.fallback is not None:
                self._event(ctx, "fallback", f"{step.description}: {reason}; trying a simplified view", i, total)
                result = await asyncio.wait_for(step.fallback(ctx), self.step_timeout)
                ctx.partial = True
                ctx.notes.append(f"{step.description}: {reason}; showing a simplified view.")
            elif step.optional:
                self._event(ctx, "failed", f"{step.description}: {reason}", i, total)
                ctx.partial = True
                ctx.notes.append(f"{step.description}: {reason}; left out.")
                result = None
            else:
                raise
        ctx.results[step.name] = result
        self._event(ctx, "done", step.description, i, total, rows=_rows(result))


def _why(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, asyncio.TimeoutError) and not isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g} s"
    return getattr(exc, "message", str(exc)) or exc.__class__.__name__


def _rows(result: Any) -> int:
    if isinstance(result, list):
        return len(result)
    rows = getattr(result, "results", None) or getattr(result, "rows", None)
    return len(rows) if isinstance(rows, list) else 0
