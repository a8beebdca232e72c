"""Runs a plan: independent steps concurrently, a timeout per step, fallbacks, progress events.

Every step and every fallback draws on the question's one deadline (netbox.stats.Question, opened
by the orchestrator): a step that has a fallback, or belongs to a plan the orchestrator can still
simplify, may use two thirds of the time left, so the simplified view still has time to come; a
fallback gets what is left. The client ends its own
requests at the deadline (with a clean timeout, or a stale answer from the cache); the executor's
own limit, a little later, only catches work that is not a request.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Optional

from netbox_tui.core.plan import Context, Plan, Step
from netbox_tui.core.progress import ProgressEvent
from netbox_tui.errors import DeadlineError, ResponseTooLargeError, ServerError, TimeoutError
from netbox_tui.netbox.client import gather_all
from netbox_tui.netbox.stats import current_question

# Failures a simpler request may survive; auth, reachability and bad filters will not improve.
RECOVERABLE = (TimeoutError, ServerError, ResponseTooLargeError, asyncio.TimeoutError)
FALLBACK_SHARE = 2 / 3  # of the time left, for a step that has a simplified view to fall back to
MIN_FALLBACK = 0.5  # seconds: with less left, a fallback is not tried (it could not answer in time)
GRACE = 0.5  # seconds past the deadline before the executor cancels a step itself


class Executor:
    def __init__(self, step_timeout: float, emit: Callable[[ProgressEvent], None], started: float) -> None:
        self.step_timeout = step_timeout
        self.emit = emit
        self.started = started
        self._plan_share = 1.0

    def _event(
        self, ctx: Context, state: str, description: str, step: int, total: int, rows: int = 0
    ) -> None:
        s = ctx.client.stats
        self.emit(ProgressEvent(
            phase="execute", state=state, description=description, step=step, total_steps=total,  # type: ignore[arg-type]
            elapsed=time.perf_counter() - self.started, api_calls=s.calls - ctx.results.get("_calls0", 0),
            cache_hits=s.cache_hits - ctx.results.get("_hits0", 0), partial_rows=rows,
        ))

    async def run(self, plan: Plan, ctx: Context) -> None:
        # A plan the orchestrator can still simplify (multi-step, orchestrated) keeps time for that.
        self._plan_share = FALLBACK_SHARE if plan.kind in ("multi_step", "orchestrated") else 1.0
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
            await gather_all(self._run_step(s, ctx, index[s.name], total) for s in wave)
            done.update(s.name for s in wave)
            pending = [s for s in pending if s.name not in done]

    def _limit(self, share: float = 1.0) -> tuple[float, Optional[float]]:
        """(seconds this step may take, seconds left of the question's deadline or None)."""
        q = current_question()
        left = q.remaining() if q is not None else None
        if left is None:
            return self.step_timeout, None
        if share < 1.0:
            return max(0.0, min(self.step_timeout, left * share)), left
        return max(0.0, min(self.step_timeout, left + GRACE)), left

    async def _run_step(self, step: Step, ctx: Context, i: int, total: int) -> None:
        self._event(ctx, "start", step.description, i, total)
        limit, left = self._limit(FALLBACK_SHARE if step.fallback is not None else self._plan_share)
        q = current_question()
        if left is not None and left <= 0 and q is not None:
            raise DeadlineError(
                f"no time left for “{step.description}”: the question's {q.deadline:g} s deadline passed"
            )
        try:
            result = await asyncio.wait_for(step.run(ctx), limit)
        except RECOVERABLE as exc:
            reason = _why(exc, limit)
            fallback_limit, left = self._limit()
            if (
                step.fallback is not None
                and not isinstance(exc, DeadlineError)
                and (left is None or left >= MIN_FALLBACK)
            ):
                self._event(
                    ctx, "fallback", f"{step.description}: {reason}; trying a simplified view", i, total
                )
                result = await asyncio.wait_for(step.fallback(ctx), fallback_limit)
                ctx.partial = True
                ctx.notes.append(f"{step.description}: {reason}; showing a simplified view.")
            elif step.optional:
                self._event(ctx, "failed", f"{step.description}: {reason}", i, total)
                ctx.partial = True
                ctx.notes.append(f"{step.description}: {reason}; left out.")
                result = None
            elif isinstance(exc, asyncio.TimeoutError) and not isinstance(exc, TimeoutError):
                q = current_question()
                if q is not None and q.last_error is not None and not q.successes:
                    # What NetBox did meanwhile (resets, 429, 500) is the cause, not the clock.
                    raise q.last_error from None
                if q is not None and q.deadline is not None and limit < self.step_timeout:
                    raise DeadlineError(
                        f"NetBox did not answer “{step.description}” in {limit:.2g} s (of the "
                        f"question's {q.deadline:g} s)"
                    ) from None
                raise TimeoutError(
                    f"NetBox did not answer “{step.description}” within {limit:.3g} s"
                ) from None
            else:
                raise
        ctx.results[step.name] = result
        self._event(ctx, "done", step.description, i, total, rows=_rows(result))


def _why(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, asyncio.TimeoutError) and not isinstance(exc, TimeoutError):
        return f"no answer within {timeout:.3g} s"
    return getattr(exc, "message", str(exc)) or exc.__class__.__name__


def _rows(result: Any) -> int:
    if isinstance(result, list):
        return len(result)
    rows = getattr(result, "results", None) or getattr(result, "rows", None)
    return len(rows) if isinstance(rows, list) else 0
