"""Counters of what the client did, for the stats every answer reports."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass
class RequestStats:
    calls: int = 0  # HTTP requests that left the client (retries included: the server saw them)
    bytes: int = 0  # response bytes received
    elapsed: float = 0.0  # seconds spent in requests (summed: concurrent requests overlap)
    cache_hits: int = 0
    retries: int = 0

    def copy(self) -> "RequestStats":
        return replace(self)

    def since(self, earlier: "RequestStats") -> "RequestStats":
        return RequestStats(**{f.name: getattr(self, f.name) - getattr(earlier, f.name) for f in fields(self)})
