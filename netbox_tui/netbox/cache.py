"""On-disk response cache (diskcache) with a TTL per kind of data.

Keys hash the base URL, the token's identity (a hash, never the token), the path and the sorted
parameters, so users with different rights never share entries. Any cache failure degrades to
"no cache" with a warning: a broken cache must never break an answer.
"""

from __future__ import annotations

import hashlib
import json
import logging
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Sequence

log = logging.getLogger(__name__)

MISS = object()


class CacheMode(str, Enum):
    NORMAL = "normal"  # read and write
    REFRESH = "refresh"  # write only: bypass what is stored (--refresh, the TUI's `r`)
    OFF = "off"  # neither read nor write (--no-cache)


def cache_key(base_url: str, token_id: str, path: str, params: Sequence[tuple[str, str]], body: Any = None) -> str:
    material = json.dumps([base_url, token_id, path, sorted(params), body], sort_keys=True, default=str)
    return hashlib.sha256(material.encode()).hexdigest()


class ResponseCache:
    def __init__(
        self,
        directory: Path | None,
        ttl_for: Callable[[str], int],
        *,
        size_limit_mb: int = 256,
        mode: CacheMode = CacheMode.NORMAL,
    ) -> None:
        self.ttl_for = ttl_for
        self.mode = mode
        self.warning: str | None = None
        self._cache = None
        if directory is not None and mode is not CacheMode.OFF:
            try:
                import diskcache

                directory.mkdir(parents=True, exist_ok=True)
                self._cache = diskcache.Cache(str(directory), size_limit=size_limit_mb * 1024 * 1024)
            except Exception as exc:  # unwritable, corrupt, full disk…
                self._degrade(f"cache disabled: {directory} is not usable ({exc.__class__.__name__}: {exc})")

    @property
    def active(self) -> bool:
        return self._cache is not None

    def _degrade(self, message: str) -> None:
        self.warning = message
        log.warning(message)
        self._cache = None

    def get(self, key: str) -> Any:
        if self._cache is None or self.mode is not CacheMode.NORMAL:
            return MISS
        try:
            return self._cache.get(key, default=MISS)
        except Exception as exc:
            self._degrade(f"cache disabled after a read error ({exc.__class__.__name__}: {exc})")
            return MISS

    def set(self, key: str, value: Any, kind: str) -> None:
        if self._cache is None:
            return
        ttl = self.ttl_for(kind)
        if ttl <= 0:
            return
        try:
            self._cache.set(key, value, expire=ttl)
        except Exception as exc:
            self._degrade(f"cache disabled after a write error ({exc.__class__.__name__}: {exc})")

    def clear(self) -> int:
        if self._cache is None:
            return 0
        try:
            return int(self._cache.clear())
        except Exception as exc:
            self._degrade(f"cache could not be cleared ({exc})")
            return 0

    def close(self) -> None:
        if self._cache is not None:
            try:
                self._cache.close()
            except Exception:
                pass


def cache_for(settings: Any, mode: CacheMode) -> ResponseCache:
    """The response cache a run's settings (netbox_tui.config.Settings) ask for, in `mode`."""
    if not settings.cache.enabled:
        mode = CacheMode.OFF
    return ResponseCache(
        settings.cache.directory(),
        settings.cache.ttl_for,
        size_limit_mb=settings.cache.size_limit_mb,
        mode=mode,
    )
