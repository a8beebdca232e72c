"""Counters of what the client did, for the stats every answer reports; and one question's shared state.

A `Question` lives in a context variable for as long as one question (or one page, summary or
drill) is being answered. Every request made for it, in whichever task (`gather` copies the
context, so concurrent requests share the same object), reads its deadline and spends its retry
budget, and writes down what the answer must say: expired cache entries served because NetBox
failed, cached answers used, objects skipped as unreadable, counts that contradict the rows.
"""

from __future__ import annotations

import time
from contextvars import ContextVar, Token
from dataclasses import dataclass, field, fields, replace
from typing import Optional


@dataclass
class RequestStats:
    calls: int = 0  # HTTP requests that left the client (retries included: the server saw them)
    bytes: int = 0  # response bytes received
    elapsed: float = 0.0  # seconds spent in requests (summed: concurrent requests overlap)
    cache_hits: int = 0
    retries: int = 0
    stale_hits: int = 0  # expired cache entries served because NetBox was unreachable or failing

    def copy(self) -> "RequestStats":
        return replace(self)

    def since(self, earlier: "RequestStats") -> "RequestStats":
        return RequestStats(
            **{f.name: getattr(self, f.name) - getattr(earlier, f.name) for f in fields(self)}
        )


def age_words(seconds: float) -> str:
    """'40 s', '12 min', '3 h', '2 d': how old a cached answer is, in the largest whole unit."""
    s = max(0, int(seconds))
    if s < 90:
        return f"{s} s"
    if s < 90 * 60:
        return f"{round(s / 60)} min"
    if s < 36 * 3600:
        return f"{round(s / 3600)} h"
    return f"{round(s / 86400)} d"


@dataclass
class Question:
    """What the requests of one question share: a deadline, a retry budget, and what to say."""

    deadline: Optional[float] = None  # seconds for the whole question, every retry and fallback included
    refresh: bool = (
        False  # bypass fresh cache entries (--refresh, the TUI's r); stale ones still serve a failure
    )
    max_attempts: int = 3  # per request, while NetBox has not answered this question once
    started: float = field(default_factory=time.monotonic)
    retry_tokens: float = 6.0  # retries left for the whole question; each success earns half a retry back
    successes: int = 0
    consecutive_failures: int = 0  # across all its requests: a run of these means NetBox is down, not flaky
    down: Optional[BaseException] = (
        None  # once set, later requests fail fast (or are answered from the cache)
    )
    last_error: Optional[BaseException] = None  # what the last failed attempt met (a reset, a 429, a 500)
    notes: list[str] = field(default_factory=list)
    unreadable: int = 0  # objects skipped: missing what the tool reads, or holding an unparsable address
    cached_at: Optional[float] = None  # wall-clock time of the oldest cached response used (fresh or stale)
    stale_at: Optional[float] = None  # wall-clock time of the oldest expired response served
    stale_reason: str = ""  # "NetBox unreachable", "NetBox failing (503)", "NetBox timed out"
    from_cache: int = 0
    from_netbox: int = 0
    reported: bool = False  # the orchestrator has put the above in an answer (a drill's inner ask)

    # -- time ------------------------------------------------------------------------------------

    def remaining(self) -> Optional[float]:
        if self.deadline is None:
            return None
        return self.deadline - (time.monotonic() - self.started)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def restart_clock(self) -> None:
        """The deadline counts from now (after work that has its own bound: an LLM's reading)."""
        self.started = time.monotonic()

    # -- the retry budget ------------------------------------------------------------------------

    def success(self) -> None:
        self.successes += 1
        self.from_netbox += 1
        self.consecutive_failures = 0
        self.retry_tokens = min(self.retry_tokens + 0.5, 4.0 * self.max_attempts)

    def failure(self, error: Optional[BaseException] = None) -> None:
        self.consecutive_failures += 1
        if error is not None:
            self.last_error = error

    def may_retry(self, attempt: int) -> bool:
        """Whether a request that failed `attempt` times may try again. A NetBox that answered this
        question before is flaky, and gets twice the patience; one that never did gets max_attempts;
        either way the whole question spends one budget, and a run of failures stops it."""
        if self.down is not None or self.retry_tokens < 1:
            return False
        if self.failing():
            return False
        limit = 2 * self.max_attempts if self.successes else self.max_attempts
        return attempt < limit

    def spend_retry(self) -> None:
        self.retry_tokens -= 1

    def failing(self) -> bool:
        """A run of failures with no success between them (more than one request's attempts): NetBox
        is not answering this question. A flaky NetBox (every third request reset) never gets here."""
        return self.consecutive_failures > self.max_attempts

    # -- what the answer must say ----------------------------------------------------------------

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def used_cache(self, stored_at: float) -> None:
        self.from_cache += 1
        self.cached_at = stored_at if self.cached_at is None else min(self.cached_at, stored_at)

    def served_stale(self, stored_at: float, reason: BaseException) -> None:
        self.used_cache(stored_at)
        self.stale_at = stored_at if self.stale_at is None else min(self.stale_at, stored_at)
        if not self.stale_reason:
            self.stale_reason = stale_words(reason)

    @property
    def stale(self) -> bool:
        return self.stale_at is not None

    def cache_sentence(self, now: Optional[float] = None) -> str:
        """'From cache, 3 h old — NetBox unreachable.' / 'From cache, 2 min old.' / ''."""
        now = time.time() if now is None else now
        if self.stale_at is not None:
            return f"From cache, {age_words(now - self.stale_at)} old — {self.stale_reason}."
        if self.cached_at is not None and self.from_netbox == 0:
            return f"From cache, {age_words(now - self.cached_at)} old."
        return ""


def stale_words(exc: BaseException) -> str:
    kind = getattr(exc, "kind", "")
    if kind == "unreachable":
        return "NetBox unreachable"
    if kind == "timeout":
        return "NetBox did not answer in time"
    if kind == "rate_limited":
        return "NetBox is rate-limiting"
    if kind == "server":
        status = getattr(exc, "status", None)
        return f"NetBox failing ({status})" if status else "NetBox failing"
    return "NetBox failing"


_CURRENT: ContextVar[Optional[Question]] = ContextVar("netbox_tui_question", default=None)


def current_question() -> Optional[Question]:
    return _CURRENT.get()


def set_question(q: Optional[Question]) -> Token[Optional[Question]]:
    return _CURRENT.set(q)


def reset_question(token: Token[Optional[Question]]) -> None:
    _CURRENT.reset(token)
