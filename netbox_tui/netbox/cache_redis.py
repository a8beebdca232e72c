"""The shared response cache on Redis (`cache.url = "redis://host:6379/0"`, NETBOX_TUI_CACHE_URL).

Imported only when a Redis URL is configured: redis-py costs ~140 ms to import.

- Keys are "netbox-tui:" + the disk cache's key: a sha256 over the NetBox URL, the token's identity
  (itself a hash), the path, the parameters and the body. Two tokens never share an entry, and the
  token is in no key and no value.
- Values are the same entries as on disk ({"v", "at", "ttl"}) as zlib-compressed JSON; never pickle,
  so nothing read from a shared server can run code here.
- Size bound: an entry is fresh for its kind's TTL, then kept STALE_WINDOW_S more for a failing NetBox
  (the Redis expiry is TTL + stale window); an entry over MAX_ENTRY_BYTES compressed is not stored. The
  total is bounded by the server's `maxmemory` (with an LRU policy), which a shared server sets itself.
- Redis down or slow: each command has a short timeout and one immediate retry (a restarted server
  leaves dead connections in the pool), and the whole call a deadline over both; a failure hands over
  to the local disk cache, said once, and Redis is tried again RETRY_AFTER_S later.
- redis.asyncio throughout: a waiting Redis call yields the event loop that other users' questions share
  (`mcp --http`). Its connections belong to the loop that opened them, and a process may run several
  loops over one cache (`asyncio.run` more than once, the TUI, tests): each loop gets its own client.
- Redis down at start is said at start: opened outside any loop (the CLI, the TUI, `mcp --http` before
  serving), `probe_at_open` pings once on a loop of its own; opened inside a running loop, the first
  use (within the first question) finds out instead, said then.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
import zlib
from typing import Any, Awaitable, Callable, Optional

from netbox_tui.netbox.cache import CacheStore, Say, StoreDown, shown_url

log = logging.getLogger(__name__)

PREFIX = "netbox-tui:"
TIMEOUT_S = 0.25  # connect and per command: a cache slower than this is no help
RETRY_AFTER_S = 30.0  # after a failure, how long the disk cache stands in before Redis is tried again
STALE_WINDOW_S = 7 * 86400  # how long past its TTL an entry may still answer for a failing NetBox
MAX_ENTRY_BYTES = 8 * 1024 * 1024  # compressed; NetBox JSON compresses about tenfold


class RedisDown(Exception):
    """Redis did not answer (refused, timed out, reset, or an error reply)."""


class RedisStore:
    """Entries on one Redis database. Every failure of Redis itself is raised as RedisDown."""

    def __init__(
        self,
        url: str,
        *,
        timeout: Optional[float] = None,
        stale_window: Optional[int] = None,
        max_entry_bytes: Optional[int] = None,
    ) -> None:
        """None: the module's setting (read here, so a test may change it)."""
        import redis
        import redis.asyncio
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        self.url = shown_url(url)
        timeout = TIMEOUT_S if timeout is None else timeout
        self.deadline = 4 * timeout + 0.5  # connect + read, retried once; a backstop should those not fire
        self.stale_window = STALE_WINDOW_S if stale_window is None else stale_window
        self.max_entry_bytes = MAX_ENTRY_BYTES if max_entry_bytes is None else max_entry_bytes
        self._errors = (redis.RedisError, OSError, asyncio.TimeoutError)
        options: dict[str, Any] = dict(
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 1),
            health_check_interval=0,
        )
        self._new = lambda: redis.asyncio.Redis.from_url(url, **options)
        self._new()  # parses the URL (no connection yet): a bad one is said at open
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = weakref.WeakKeyDictionary()

    def _client(self) -> Any:
        """This loop's client: a pool's connections and locks are bound to the loop they were made on."""
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            for old in [lp for lp in self._clients if lp.is_closed()]:
                del self._clients[old]  # a closed loop cannot close them: the garbage collector does
            client = self._clients[loop] = self._new()
        return client

    async def _call(self, op: Callable[[Any], Awaitable[Any]]) -> Any:
        try:
            return await asyncio.wait_for(op(self._client()), self.deadline)
        except self._errors as exc:
            name = exc.__class__.__name__
            why = f"{name}: {exc}" if str(exc) else name  # a timeout has no text
            raise RedisDown(why) from exc

    async def ping(self) -> None:
        await self._call(lambda r: r.ping())

    async def get(self, key: str) -> Any:
        raw = await self._call(lambda r: r.get(PREFIX + key))
        if raw is None:
            return None
        try:
            return json.loads(zlib.decompress(raw))
        except (zlib.error, ValueError):  # not ours, or cut short: a miss, not a broken Redis
            return None

    async def set(self, key: str, entry: dict[str, Any]) -> None:
        try:
            data = zlib.compress(json.dumps(entry, separators=(",", ":")).encode(), 1)
        except (TypeError, ValueError) as exc:
            log.debug("not cached on Redis (not JSON: %s)", exc)
            return
        if len(data) > self.max_entry_bytes:
            log.debug("not cached on Redis: %d bytes compressed, over %d", len(data), self.max_entry_bytes)
            return
        expire = int(entry.get("ttl", 0)) + self.stale_window
        await self._call(lambda r: r.set(PREFIX + key, data, ex=expire))

    async def clear(self) -> int:
        """Delete every netbox-tui entry of this Redis database (all users': it is one shared cache)."""

        async def wipe(r: Any) -> int:
            n, batch = 0, []
            async for name in r.scan_iter(match=PREFIX + "*", count=1000):
                batch.append(name)
                if len(batch) >= 1000:
                    n += await r.unlink(*batch)
                    batch = []
            return n + (await r.unlink(*batch) if batch else 0)

        try:  # a wipe may take many round trips: the deadline is per batch (each command), not the whole
            return int(await wipe(self._client()))
        except self._errors as exc:
            raise RedisDown(f"{exc.__class__.__name__}: {exc}") from exc

    async def aclose(self) -> None:
        """Close the running loop's client; the others' loops are gone or not ours to run."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        self._clients.clear()
        if client is not None:
            try:
                await client.aclose()
            except Exception:
                pass

    def close(self) -> None:
        self._clients.clear()  # no loop runs here: what their connections hold goes with their loops


class SharedStore:
    """Redis first; while it fails, the local disk cache (opened on first need). Said once."""

    def __init__(
        self,
        redis_store: RedisStore,
        open_disk: Callable[[], Optional[CacheStore]],
        say: Say,
        *,
        retry_after: Optional[float] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = redis_store
        self._open_disk = open_disk
        self._say = say
        self._retry_after = RETRY_AFTER_S if retry_after is None else retry_after
        self._clock = clock
        self._disk: Optional[CacheStore] = None
        self._disk_tried = False
        self._down_until: Optional[float] = None
        self._told = False

    def probe_at_open(self) -> None:
        """Ping once now, on a loop of its own, when no loop runs (opened by a front-end before it
        starts one): a Redis down at start is then said at start. Inside a running loop nothing can
        wait here; the first use finds out instead."""
        try:
            asyncio.get_running_loop()
            return
        except RuntimeError:
            pass

        async def probe() -> None:
            try:
                await self.redis.ping()
            except RedisDown as exc:
                self._lost(exc)
            finally:
                await self.redis.aclose()  # this loop ends here

        asyncio.run(probe())

    @property
    def on_redis(self) -> bool:
        return self._down_until is None

    def _lost(self, exc: RedisDown) -> None:
        self._down_until = self._clock() + self._retry_after
        if not self._told:
            self._told = True
            self._say(f"shared cache {self.redis.url} not answering ({exc}): using the local disk cache")
        else:
            log.info("shared cache %s failed again (%s); still on the local disk cache", self.redis.url, exc)

    def _fallback(self) -> Optional[CacheStore]:
        if not self._disk_tried:
            self._disk_tried = True
            try:
                self._disk = self._open_disk()
            except StoreDown:  # already said
                self._disk = None
            except Exception as exc:
                self._say(f"local disk cache not usable either ({exc.__class__.__name__}: {exc})")
        return self._disk

    async def _run(self, op: Callable[[Any], Awaitable[Any]], default: Any) -> Any:
        if self._down_until is not None and self._clock() >= self._down_until:
            self._down_until = None  # time to try Redis again
            log.info("trying the shared cache %s again", self.redis.url)
        if self._down_until is None:
            try:
                return await op(self.redis)
            except RedisDown as exc:
                self._lost(exc)
        disk = self._fallback()
        if disk is None:
            return default
        try:
            return await op(disk)
        except StoreDown:
            self._disk = None
        except Exception as exc:
            self._say(f"local disk cache disabled after an error ({exc.__class__.__name__}: {exc})")
            self._disk = None
        return default

    async def get(self, key: str) -> Any:
        return await self._run(lambda s: s.get(key), None)

    async def set(self, key: str, entry: dict[str, Any]) -> None:
        await self._run(lambda s: s.set(key, entry), None)

    async def clear(self) -> int:
        n = await self._run(lambda s: s.clear(), 0)
        disk = self._fallback() if self.on_redis else None  # what was cached here while Redis was down, too
        if disk is not None:
            try:
                n += await disk.clear()
            except Exception as exc:
                log.info("local disk cache not cleared (%s)", exc)
        return int(n)

    async def aclose(self) -> None:
        await self.redis.aclose()
        if self._disk is not None:
            await self._disk.aclose()

    def close(self) -> None:
        self.redis.close()
        if self._disk is not None:
            self._disk.close()
