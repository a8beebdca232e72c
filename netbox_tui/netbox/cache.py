"""On-disk response cache (diskcache) with a TTL per kind of data.

Keys hash the base URL, the token's identity (a hash, never the token), the path and the sorted
parameters, so users with different rights never share entries. Any cache failure degrades to
"no cache" with a warning: a broken cache must never break an answer.

Entries outlive their TTL (like HTTP's stale-if-error), bounded only by the cache's size: an
expired entry is never served as fresh, but when NetBox is unreachable or failing the client may
serve it, said as stale with its age (`get_stale`). Each entry keeps when it was stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Sequence

log = logging.getLogger(__name__)

MISS = object()
FORMAT = 2  # entries are {"v": value, "at": stored (epoch s), "ttl": s}; older formats never match a key


class CacheMode(str, Enum):
    NORMAL = "normal"  # read and write
    REFRESH = "refresh"  # write only: bypass what is stored (--refresh, the TUI's `r`)
    OFF = "off"  # neither read nor write (--no-cache)


def cache_key(base_url: str, token_id: str, path: str, params: Sequence[tuple[str, str]], body: Any = None) -> str:
    material = json.dumps([FORMAT, base_url, token_id, path, sorted(params), body], sort_keys=True, default=str)
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

    def _entry(self, key: str) -> Any:
        if self._cache is None:
            return None
        try:
            entry = self._cache.get(key, default=None)
        except Exception as exc:
            self._degrade(f"cache disabled after a read error ({exc.__class__.__name__}: {exc})")
            return None
        if not (isinstance(entry, dict) and "v" in entry and isinstance(entry.get("at"), (int, float))):
            return None
        return entry

    def get_entry(self, key: str) -> "tuple[Any, float] | None":
        """(value, stored_at) of a fresh entry; None when missing, expired, or the mode does not read."""
        if self.mode is not CacheMode.NORMAL:
            return None
        entry = self._entry(key)
        if entry is None or time.time() - entry["at"] >= entry.get("ttl", 0):
            return None
        return entry["v"], float(entry["at"])

    def get(self, key: str) -> Any:
        hit = self.get_entry(key)
        return MISS if hit is None else hit[0]

    def get_stale(self, key: str) -> "tuple[Any, float] | None":
        """(value, stored_at) of an entry whatever its age, for when NetBox cannot answer. Read in
        NORMAL and REFRESH modes (--refresh falls back the same way); never when the cache is off."""
        if self.mode is CacheMode.OFF:
            return None
        entry = self._entry(key)
        return None if entry is None else (entry["v"], float(entry["at"]))

    def set(self, key: str, value: Any, kind: str) -> None:
        if self._cache is None:
            return
        ttl = self.ttl_for(kind)
        if ttl <= 0:
            return
        try:
            # No expiry: past its TTL an entry is stale, kept for a failing NetBox; the size bound culls it.
            self._cache.set(key, {"v": value, "at": time.time(), "ttl": ttl})
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
