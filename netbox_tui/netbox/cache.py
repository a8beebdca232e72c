"""The response cache: a TTL per kind of data, on local disk (diskcache) or shared on Redis.

Keys hash the base URL, the token's identity (a hash, never the token), the path and the sorted
parameters, so users with different rights never share entries. `ResponseCache` holds the policy
(modes, freshness, the entry format, what is said); a store holds the bytes: `DiskStore` here, or
`RedisStore` (cache_redis.py, imported only when `cache.url` is set) backed by a `DiskStore` while
Redis fails. A broken cache never breaks an answer: it is said once and the question goes on.

Entries outlive their TTL (like HTTP's stale-if-error): an expired entry is never served as fresh,
but when NetBox is unreachable or failing the client may serve it, said as stale with its age
(`get_stale`). Each entry keeps when it was stored. On disk, entries live until the size bound
culls them; on Redis, until their stale window ends (cache_redis.py).

The reads and writes are coroutines, so a slow shared Redis (redis.asyncio) never stalls the event loop
that other questions share (`mcp --http`); the disk store's calls are local and fast, made directly.
`close` is for when no loop runs any more; inside one, `aclose` also closes that loop's Redis connections.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import sqlite3
import time
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Optional, Protocol, Sequence

log = logging.getLogger(__name__)

MISS = object()
FORMAT = 2  # entries are {"v": value, "at": stored (epoch s), "ttl": s}; older formats never match a key


class CacheMode(str, Enum):
    NORMAL = "normal"  # read and write
    REFRESH = "refresh"  # write only: bypass what is stored (--refresh, the TUI's `r`)
    OFF = "off"  # neither read nor write (--no-cache)


def cache_key(base_url: str, token_id: str, path: str, params: Sequence[tuple[str, str]],
              body: Any = None) -> str:
    material = json.dumps([FORMAT, base_url, token_id, path, sorted(params), body],
                          sort_keys=True, default=str)
    return hashlib.sha256(material.encode()).hexdigest()


Say = Callable[[str], None]


def shown_url(url: str) -> str:
    """A cache URL as messages show it: without the password it may carry."""
    return re.sub(r"//[^/@]*@", "//", url)


class CacheStore(Protocol):
    """Where entries live. A store raises on failure; `ResponseCache` decides what that means."""

    async def get(self, key: str) -> Any: ...

    async def set(self, key: str, entry: dict[str, Any]) -> None: ...

    async def clear(self) -> int: ...

    async def aclose(self) -> None: ...

    def close(self) -> None: ...


class StoreDown(Exception):
    """A store cannot be used any more this run (already said)."""


def _unreadable(exc: sqlite3.DatabaseError) -> bool:
    """A corrupt file or not a database at all; not a lock, a full disk or an I/O error (OperationalError),
    which moving the file aside would not cure."""
    code = getattr(exc, "sqlite_errorcode", None)  # Python >= 3.11
    if code is not None:
        return code & 0xFF in (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB
    return not isinstance(exc, sqlite3.OperationalError)


class DiskStore:
    """diskcache in `directory`. A database that cannot be read (killed mid-write, a full disk) is
    moved aside, with the directory it indexes, and a fresh one started: said once through `say`."""

    def __init__(self, directory: Path, size_limit_mb: int, say: Say) -> None:
        self.directory = directory
        self.size_limit = size_limit_mb * 1024 * 1024
        self._say = say
        self._cache: Any = None
        try:
            self._cache = self._open()
        except sqlite3.DatabaseError as exc:
            if not _unreadable(exc):
                raise
            self._heal(exc)  # raises StoreDown if a fresh cache cannot be started either

    def _open(self) -> Any:
        import diskcache  # ~20 ms: only when a disk cache is used

        self.directory.mkdir(parents=True, exist_ok=True)
        return diskcache.Cache(str(self.directory), size_limit=self.size_limit)

    def _heal(self, exc: BaseException) -> None:
        """Move the unreadable cache aside (keeping only the latest such copy) and start a fresh one."""
        if self._cache is not None:
            try:
                self._cache.close()
            except Exception:
                pass
            self._cache = None
        aside = self.directory.with_name(f"{self.directory.name}.unreadable")
        why = f"{exc.__class__.__name__}: {exc}"
        try:
            shutil.rmtree(aside, ignore_errors=True)
            self.directory.rename(aside)
            self._cache = self._open()
        except Exception as again:
            then = f"{again.__class__.__name__}: {again}"
            self._say(f"cache disabled: {self.directory} is not usable ({why}; then {then})")
            raise StoreDown() from again
        self._say(f"cache file in {self.directory} could not be read ({why}): moved aside to {aside}, "
                  "a fresh cache started")

    def _run(self, op: Callable[[Any], Any]) -> Any:
        try:
            return op(self._cache)
        except sqlite3.DatabaseError as exc:
            if not _unreadable(exc):
                raise
            self._heal(exc)
            return op(self._cache)

    # Coroutines for the one store interface; diskcache itself is called directly (local, well under 1 ms).
    async def get(self, key: str) -> Any:
        return self._run(lambda c: c.get(key, default=None))

    async def set(self, key: str, entry: dict[str, Any]) -> None:
        # No expiry: past its TTL an entry is stale, kept for a failing NetBox; the size bound culls it.
        self._run(lambda c: c.set(key, entry))

    async def clear(self) -> int:
        return int(self._run(lambda c: c.clear()))

    async def aclose(self) -> None:
        self.close()

    def close(self) -> None:
        if self._cache is not None:
            try:
                self._cache.close()
            except Exception:
                pass


class ResponseCache:
    def __init__(
        self,
        directory: Path | None,
        ttl_for: Callable[[str], int],
        *,
        size_limit_mb: int = 256,
        mode: CacheMode = CacheMode.NORMAL,
        url: Optional[str] = None,
    ) -> None:
        """On disk in `directory`; with `url` (redis://…) on that Redis, `directory` taking over
        while Redis fails. No directory and no url (or mode OFF): no cache."""
        self.ttl_for = ttl_for
        self.mode = mode
        self.warning: str | None = None  # the last thing said; the front-ends show it
        self._said: set[str] = set()
        self._started = False  # said while opening: the front-ends show it, not the log
        self._store: CacheStore | None = None
        if mode is not CacheMode.OFF:
            try:
                self._store = self._open(directory, size_limit_mb, url)
            except StoreDown:
                self._store = None
            except Exception as exc:  # unwritable, full disk…
                self._degrade(f"cache disabled: {directory} is not usable ({exc.__class__.__name__}: {exc})")
        self._started = True

    def _open(self, directory: Path | None, size_limit_mb: int, url: Optional[str]) -> CacheStore | None:
        def disk() -> CacheStore | None:
            return DiskStore(directory, size_limit_mb, self._say) if directory is not None else None

        if not url:
            return disk()
        try:
            from netbox_tui.netbox.cache_redis import RedisStore, SharedStore  # redis only when configured

            redis_store = RedisStore(url)
        except Exception as exc:  # redis-py missing, a URL it cannot parse
            why = f"{exc.__class__.__name__}: {exc}"
            self._say(f"shared cache {shown_url(url)} not usable ({why}): using the local disk cache")
            return disk()
        shared = SharedStore(redis_store, disk, self._say)
        shared.probe_at_open()  # a Redis down at start is said at start, where the front-ends show it
        return shared

    @property
    def active(self) -> bool:
        return self._store is not None

    def _say(self, message: str) -> None:
        """Once per message and cache. The front-ends show `warning` (at start-up, and `ask` after its
        answer); a later one is logged as a warning too, but only where logging is set up (the MCP
        server): Python's last-resort handler would print it a second time beside `ask`'s line."""
        self.warning = message
        if message in self._said:
            return
        self._said.add(message)
        (log.warning if self._started and log.hasHandlers() else log.info)(message)

    def _degrade(self, message: str) -> None:
        self._say(message)
        store, self._store = self._store, None
        if store is not None:
            store.close()

    async def _entry(self, key: str) -> Any:
        if self._store is None:
            return None
        try:
            entry = await self._store.get(key)
        except StoreDown:
            self._store = None
            return None
        except Exception as exc:
            self._degrade(f"cache disabled after a read error ({exc.__class__.__name__}: {exc})")
            return None
        if not (isinstance(entry, dict) and "v" in entry and isinstance(entry.get("at"), (int, float))):
            return None
        return entry

    async def get_entry(self, key: str) -> "tuple[Any, float] | None":
        """(value, stored_at) of a fresh entry; None when missing, expired, or the mode does not read."""
        if self.mode is not CacheMode.NORMAL:
            return None
        entry = await self._entry(key)
        if entry is None or time.time() - entry["at"] >= entry.get("ttl", 0):
            return None
        return entry["v"], float(entry["at"])

    async def get(self, key: str) -> Any:
        hit = await self.get_entry(key)
        return MISS if hit is None else hit[0]

    async def get_stale(self, key: str) -> "tuple[Any, float] | None":
        """(value, stored_at) of an entry whatever its age, for when NetBox cannot answer. Read in
        NORMAL and REFRESH modes (--refresh falls back the same way); never when the cache is off."""
        if self.mode is CacheMode.OFF:
            return None
        entry = await self._entry(key)
        return None if entry is None else (entry["v"], float(entry["at"]))

    async def set(self, key: str, value: Any, kind: str) -> None:
        if self._store is None:
            return
        ttl = self.ttl_for(kind)
        if ttl <= 0:
            return
        try:
            await self._store.set(key, {"v": value, "at": time.time(), "ttl": ttl})
        except StoreDown:
            self._store = None
        except Exception as exc:
            self._degrade(f"cache disabled after a write error ({exc.__class__.__name__}: {exc})")

    async def clear(self) -> int:
        if self._store is None:
            return 0
        try:
            return await self._store.clear()
        except StoreDown:
            self._store = None
            return 0
        except Exception as exc:
            self._degrade(f"cache could not be cleared ({exc})")
            return 0

    async def aclose(self) -> None:
        """Close the store from inside the loop that used it (its Redis connections too)."""
        if self._store is not None:
            await self._store.aclose()

    def close(self) -> None:
        """Close the store when no loop runs any more (a Redis connection left is dropped, not closed)."""
        if self._store is not None:
            self._store.close()


def cache_for(settings: Any, mode: CacheMode) -> ResponseCache:
    """The response cache a run's settings (netbox_tui.config.Settings) ask for, in `mode`."""
    if not settings.cache.enabled:
        mode = CacheMode.OFF
    return ResponseCache(
        settings.cache.directory(),
        settings.cache.ttl_for,
        size_limit_mb=settings.cache.size_limit_mb,
        mode=mode,
        url=settings.cache.url,
    )
