"""The shared cache on a real redis-server (tests/redisproc.py, the `redis_server` fixture).

Same TTL per kind, same partition by NetBox URL and token identity (no token in Redis), stale answers
with their age read back from Redis, and Redis down at start, stopped, hung or restarted mid-session:
the question goes on with the local disk cache, said once, never an error and never a hang.
The tests that ask questions do so against the real NetBox (scripts/netbox-dev).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import httpx
import pytest
import redis
import respx

from netbox_tui.config import DEFAULT_TTL, CacheSettings, NetBoxProfile
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox import cache_redis
from netbox_tui.netbox.cache import MISS, CacheMode, ResponseCache
from netbox_tui.netbox.client import NetBoxClient

# Public read-only tokens of the demo dump (tests/conftest.py): not secrets.
TOKEN_V1 = "0123456789abcdef0123456789abcdef01234567"
TOKEN_V2 = "nbt_Ez6TDRTyTxrV.demoreadonlytoken0123456789abcdefghijklmn"
OTHER_V1 = "ffffffffffffffffffffffffffffffffffffffff"
FAKE_URL = "http://netbox.test"
BODY = {"count": 1, "next": None, "previous": None, "results": [{"id": 2, "name": "DM-Akron"}]}
QUESTION = "devices at dm akron"
SAID = "not answering"  # the words of the one warning when Redis fails


@pytest.fixture
def rdb(redis_server: Any) -> Iterator[redis.Redis]:
    """A plain client on the test's Redis, to look at what the cache wrote."""
    r = redis.Redis.from_url(redis_server.url)
    yield r
    r.close()


@pytest.fixture
async def open_cache(tmp_path: Path, redis_server: Any) -> AsyncIterator[Any]:
    opened: list[ResponseCache] = []

    def make(url: str | None = None, *, mode: CacheMode = CacheMode.NORMAL, ttl_for: Any = None
             ) -> ResponseCache:
        cache = ResponseCache(tmp_path / "disk", ttl_for or CacheSettings().ttl_for, mode=mode,
                              url=url or redis_server.url)
        opened.append(cache)
        return cache

    yield make
    for cache in opened:  # on the test's loop: its Redis connections are closed, not dropped
        await cache.aclose()


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def entries(r: redis.Redis) -> dict[bytes, dict]:
    return {k: json.loads(zlib.decompress(r.get(k))) for k in r.scan_iter(match=b"netbox-tui:*")}


def said(caplog: pytest.LogCaptureFixture, words: str = SAID) -> int:
    return sum(words in r.getMessage() for r in caplog.records)


def levels(caplog: pytest.LogCaptureFixture) -> list[int]:
    return [r.levelno for r in caplog.records if SAID in r.getMessage()]


# -- the same cache, on Redis ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(DEFAULT_TTL))
async def test_entry_is_fresh_for_its_kinds_ttl(open_cache: Any, rdb: redis.Redis,
                                                monkeypatch: pytest.MonkeyPatch, kind: str,
                                                tmp_path: Path) -> None:
    cache = open_cache()
    assert await cache.get("k") is MISS
    await cache.set("k", {"v": kind}, kind)
    assert await cache.get("k") == {"v": kind}
    assert cache.warning is None and not (tmp_path / "disk").exists()  # Redis alone: the disk is never opened
    # The size bound: Redis drops the entry when its stale window ends, TTL + 7 days after it was stored.
    assert abs(rdb.ttl(b"netbox-tui:k") - (DEFAULT_TTL[kind] + cache_redis.STALE_WINDOW_S)) <= 2
    with monkeypatch.context() as m:
        later(m, DEFAULT_TTL[kind] - 5)
        assert await cache.get("k") == {"v": kind}
    with monkeypatch.context() as m:
        later(m, DEFAULT_TTL[kind] + 5)
        assert await cache.get("k") is MISS
        assert (await cache.get_stale("k"))[0] == {"v": kind}  # expired, still there for a failing NetBox


async def test_ttl_zero_is_not_stored_and_modes_hold(open_cache: Any, rdb: redis.Redis) -> None:
    cache = open_cache(ttl_for=CacheSettings(ttl={"utilisation": 0}).ttl_for)
    await cache.set("u", 1, "utilisation")
    assert await cache.get("u") is MISS and rdb.dbsize() == 0
    await cache.set("k", "stored", "device")
    refresh = open_cache(mode=CacheMode.REFRESH)
    assert await refresh.get("k") is MISS
    await refresh.set("k", "refreshed", "device")
    off = open_cache(mode=CacheMode.OFF)
    assert not off.active and await off.get("k") is MISS
    assert await open_cache().get("k") == "refreshed"


async def test_two_processes_share_one_redis(open_cache: Any) -> None:
    writer, reader = open_cache(), open_cache()
    await writer.set("k", [1, 2, 3], "default")
    assert await reader.get("k") == [1, 2, 3]


async def test_oversized_entry_is_not_stored(open_cache: Any, rdb: redis.Redis,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_redis, "MAX_ENTRY_BYTES", 2048)
    cache = open_cache()
    await cache.set("big", os.urandom(8192).hex(), "default")  # random hex: does not compress under the cap
    await cache.set("small", "x" * 8192, "default")  # compresses far under it
    assert await cache.get("big") is MISS and await cache.get("small") == "x" * 8192
    assert set(entries(rdb)) == {b"netbox-tui:small"} and cache.warning is None


async def test_clear_removes_only_our_entries(open_cache: Any, rdb: redis.Redis) -> None:
    rdb.set("someone-else", "kept")
    cache = open_cache()
    for i in range(2500):  # more than one SCAN batch
        await cache.set(f"k{i}", i, "default")
    assert await cache.clear() == 2500
    assert rdb.keys("*") == [b"someone-else"]


async def test_clear_forgets_what_the_disk_kept_while_redis_was_down(open_cache: Any, redis_server: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_redis, "RETRY_AFTER_S", 0.0)  # Redis is tried again at every call
    redis_server.stop()
    cache = open_cache()
    await cache.set("local", 1, "default")
    redis_server.start()
    await cache.set("shared", 2, "default")
    assert await cache.clear() == 2
    redis_server.stop()
    assert await cache.get("local") is MISS


async def test_unreadable_value_is_a_miss(open_cache: Any, rdb: redis.Redis) -> None:
    cache = open_cache()
    rdb.set("netbox-tui:k", b"not zlib")
    assert await cache.get("k") is MISS and cache.active and cache.warning is None


# -- the partition: NetBox URL and token identity, never the token ---------------------------------


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=FAKE_URL, assert_all_called=False) as r:
        yield r


async def test_two_tokens_never_share_and_no_token_in_redis(router: respx.MockRouter, open_cache: Any,
                                                            rdb: redis.Redis) -> None:
    route = router.get("/api/dcim/sites/").respond(200, json=BODY)
    cache = open_cache()
    tokens = (TOKEN_V1, OTHER_V1, TOKEN_V2)
    clients = [NetBoxClient(NetBoxProfile(url=FAKE_URL, token=t), cache=cache) for t in tokens]
    try:
        for client in clients * 2:
            await client.get("dcim/sites/")
    finally:
        for client in clients:
            await client.aclose()
    assert route.call_count == 3  # each token asked NetBox once, then read its own entry
    assert [c.stats.cache_hits for c in clients] == [1, 1, 1]
    stored = entries(rdb)
    assert len(stored) == 3
    raw = b"".join(list(stored) + [rdb.get(k) for k in stored]) + json.dumps(list(stored.values())).encode()
    for token in (TOKEN_V1, OTHER_V1, TOKEN_V2, TOKEN_V2.split(".", 1)[1]):
        assert token.encode() not in raw


async def test_other_netbox_url_never_shares(router: respx.MockRouter, open_cache: Any) -> None:
    router.get("/api/dcim/sites/").respond(200, json=BODY)
    other = router.get("http://other.test/api/dcim/sites/").respond(200, json={**BODY, "count": 9})
    cache = open_cache()
    a = NetBoxClient(NetBoxProfile(url=FAKE_URL, token=TOKEN_V1), cache=cache)
    b = NetBoxClient(NetBoxProfile(url="http://other.test", token=TOKEN_V1), cache=cache)
    try:
        assert (await a.get("dcim/sites/"))["count"] == 1
        assert (await b.get("dcim/sites/"))["count"] == 9
        assert other.call_count == 1
    finally:
        await a.aclose()
        await b.aclose()


# -- Redis failing: the disk cache stands in, said once, no hang -------------------------------------


def test_redis_down_at_start(open_cache: Any, redis_server: Any, caplog: pytest.LogCaptureFixture) -> None:
    """Opened before any loop runs (as the front-ends do): the probe at open says it, at start."""
    redis_server.stop()
    started = time.perf_counter()
    with caplog.at_level(logging.INFO):
        cache = open_cache()
        assert SAID in (cache.warning or "")  # said at open, before any question

        async def use() -> None:
            await cache.set("k", 1, "default")
            for _ in range(20):
                assert await cache.get("k") == 1  # from the local disk cache

        asyncio.run(use())
        asyncio.run(use())  # a second loop over the same cache (the CLI and the TUI run several)
    assert time.perf_counter() - started < 3.0
    assert cache.active and SAID in (cache.warning or "") and "local disk cache" in cache.warning
    assert said(caplog) == 1
    assert levels(caplog) == [logging.INFO]  # at start-up the front-end says it, not the log


async def test_redis_down_when_opened_inside_a_loop_is_said_on_first_use(
        open_cache: Any, redis_server: Any, caplog: pytest.LogCaptureFixture) -> None:
    redis_server.stop()
    with caplog.at_level(logging.INFO):
        cache = open_cache()
        assert cache.warning is None  # nothing can wait inside a running loop: the first use finds out
        assert await cache.get("k") is MISS
        await cache.set("k", 1, "default")
        assert await cache.get("k") == 1
    assert SAID in (cache.warning or "") and said(caplog) == 1


def test_one_cache_across_several_event_loops(open_cache: Any, rdb: redis.Redis) -> None:
    """Each `asyncio.run` gets its own Redis client: a pool left on a closed loop breaks nothing."""
    cache = open_cache()
    for i in range(3):
        async def round_trip() -> Any:
            await cache.set(f"k{i}", i, "default")
            return await cache.get(f"k{i}")

        assert asyncio.run(round_trip()) == i
    assert rdb.exists("netbox-tui:k0", "netbox-tui:k1", "netbox-tui:k2") == 3 and cache.warning is None


async def test_redis_url_with_nothing_listening(open_cache: Any, tmp_path: Path) -> None:
    from redisproc import _free_port

    cache = open_cache(f"redis://127.0.0.1:{_free_port()}/0")
    await cache.set("k", 1, "default")
    assert await cache.get("k") == 1 and SAID in (cache.warning or "")


async def test_redis_url_redis_cannot_parse(open_cache: Any) -> None:
    cache = open_cache("redis://:secret@127.0.0.1:notaport/0")
    await cache.set("k", 1, "default")
    assert await cache.get("k") == 1 and "not usable" in (cache.warning or "")
    assert "secret" not in cache.warning


async def test_redis_stopped_then_back_mid_session(open_cache: Any, redis_server: Any, rdb: redis.Redis,
                                             monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(cache_redis, "RETRY_AFTER_S", 0.5)
    cache = open_cache()
    await cache.set("before", 1, "default")
    assert await cache.get("before") == 1 and cache.warning is None
    redis_server.stop()
    started = time.perf_counter()
    with caplog.at_level(logging.INFO):
        assert await cache.get("before") is MISS  # the disk cache never saw it
        await cache.set("during", 2, "default")
        for _ in range(20):
            assert await cache.get("during") == 2
    assert time.perf_counter() - started < 3.0
    assert levels(caplog) == [logging.WARNING]  # mid-session: the log says it, once
    redis_server.start()  # same port, empty (no persistence)
    await asyncio.sleep(0.6)
    await cache.set("after", 3, "default")
    assert await cache.get("after") == 3
    assert rdb.exists("netbox-tui:after")  # back on Redis
    redis_server.stop()
    with caplog.at_level(logging.INFO):
        assert await cache.get("during") == 2  # the disk again, said no more
    assert said(caplog) == 1


def test_lost_mid_run_with_no_logging_set_up_is_said_by_the_front_end_alone(redis_server: Any,
                                                                            tmp_path: Path) -> None:
    """`ask` sets up no logging: the last-resort handler must not print what `ask` prints after."""
    code = (
        "import asyncio, sys, pathlib\n"
        "from netbox_tui.netbox.cache import ResponseCache\n"
        f"c = ResponseCache(pathlib.Path({str(tmp_path / 'd')!r}), lambda k: 60, url={redis_server.url!r})\n"
        "asyncio.run(c.set('k', 1, 'default')); assert c.warning is None\n"
        "print('ready', flush=True); sys.stdin.readline()  # the test stops Redis here\n"
        "asyncio.run(c.set('k', 2, 'default')); assert asyncio.run(c.get('k')) == 2\n"
        "print(c.warning)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    redis_server.stop()
    out, err = proc.communicate("go\n", timeout=60)
    assert proc.returncode == 0, err
    assert SAID in out and err == ""


async def test_redis_restarted_between_requests_is_seamless(open_cache: Any, redis_server: Any) -> None:
    cache = open_cache()
    await cache.set("k", 1, "default")
    redis_server.restart()  # the pooled connection is dead; one immediate retry reconnects
    assert await cache.get("k") is MISS  # its data is gone, Redis itself answers
    await cache.set("k", 2, "default")
    assert await cache.get("k") == 2 and cache.warning is None


async def test_redis_hung_costs_a_short_timeout(open_cache: Any, redis_server: Any,
                                          caplog: pytest.LogCaptureFixture) -> None:
    cache = open_cache()
    await cache.set("k", 1, "default")
    os.kill(redis_server._proc.pid, signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        started = time.perf_counter()
        with caplog.at_level(logging.INFO):
            for i in range(50):
                await cache.set(f"k{i}", i, "default")
                assert await cache.get(f"k{i}") == i
        wall = time.perf_counter() - started
    finally:
        os.kill(redis_server._proc.pid, signal.SIGCONT)
    assert wall < 2.0, wall  # one timeout (and its retry), then the disk until RETRY_AFTER_S
    assert said(caplog) == 1


async def test_redis_hung_never_blocks_the_event_loop(open_cache: Any, redis_server: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """While a frozen Redis times out, other coroutines (other users' questions) keep running."""
    monkeypatch.setattr(cache_redis, "RETRY_AFTER_S", 0.0)  # every call waits on Redis again
    cache = open_cache()
    await cache.set("k", 1, "default")
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.01)

    os.kill(redis_server._proc.pid, signal.SIGSTOP)
    task = asyncio.create_task(ticker())
    try:
        started = time.perf_counter()
        for i in range(3):
            await cache.set(f"k{i}", i, "default")
            assert await cache.get(f"k{i}") == i  # from the disk, after each Redis call timed out
        wall = time.perf_counter() - started
    finally:
        task.cancel()
        os.kill(redis_server._proc.pid, signal.SIGCONT)
    assert wall >= 6 * cache_redis.TIMEOUT_S, wall  # Redis really was waited on, six times
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) > wall / 0.01 / 2 and max(gaps) < 0.1, (len(ticks), max(gaps))


# -- questions against the real NetBox -------------------------------------------------------------


def _ask(netbox_url: str, cache_dir: Path, cache_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NETBOX_URL": netbox_url, "NETBOX_TOKEN": TOKEN_V1,
           "NETBOX_TUI_CACHE_DIR": str(cache_dir), "NETBOX_TUI_CACHE_URL": cache_url}
    return subprocess.run([sys.executable, "-m", "netbox_tui", "ask", QUESTION, "--json", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_ask_shares_redis_and_survives_it_going_down(netbox_url: str, redis_server: Any, rdb: redis.Redis,
                                                      tmp_path: Path) -> None:
    first = _ask(netbox_url, tmp_path / "a", redis_server.url)
    assert first.returncode == 0 and first.stderr == "", first.stderr
    assert rdb.dbsize() > 0 and json.loads(first.stdout)["stats"]["cache_hits"] == 0
    # Another user's machine (its own disk cache), same token: answered from the shared cache.
    second = _ask(netbox_url, tmp_path / "b", redis_server.url)
    data = json.loads(second.stdout)
    assert data["stats"]["api_calls"] == 0 and data["stats"]["cache_hits"] > 0
    assert data["tables"][0]["rows"] == json.loads(first.stdout)["tables"][0]["rows"]
    redis_server.stop()
    started = time.perf_counter()
    third = _ask(netbox_url, tmp_path / "b", redis_server.url)
    assert time.perf_counter() - started < 30
    data = json.loads(third.stdout)
    assert third.returncode == 0 and data["status"] == "ok" and data["stats"]["api_calls"] > 0
    assert third.stderr.count(SAID) == 1 and len(third.stderr.strip().splitlines()) == 1, third.stderr
    assert TOKEN_V1 not in third.stdout + third.stderr


def test_ask_with_a_corrupt_disk_cache_heals_it(netbox_url: str, tmp_path: Path) -> None:
    cache_dir = tmp_path / "c"
    (cache_dir / "v1").mkdir(parents=True)
    (cache_dir / "v1" / "cache.db").write_bytes(b"killed mid-write" * 512)
    env = {**os.environ, "NETBOX_URL": netbox_url, "NETBOX_TOKEN": TOKEN_V1,
           "NETBOX_TUI_CACHE_DIR": str(cache_dir)}
    runs = [subprocess.run([sys.executable, "-m", "netbox_tui", "ask", QUESTION, "--json"],
                           capture_output=True, text=True, env=env, timeout=120) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0]
    told = runs[0].stderr
    assert told.count("moved aside") == 1 and len(told.strip().splitlines()) == 1, told
    assert runs[1].stderr == ""  # healed: the next run says nothing, and answers from the fresh cache
    assert json.loads(runs[1].stdout)["stats"]["cache_hits"] > 0
    assert (cache_dir / "v1.unreadable" / "cache.db").exists()


async def test_session_goes_on_through_a_redis_restart(netbox_url: str, redis_server: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(cache_redis, "RETRY_AFTER_S", 0.5)
    cache = ResponseCache(tmp_path / "disk", CacheSettings().ttl_for, url=redis_server.url)
    client = NetBoxClient(NetBoxProfile(url=netbox_url, token=TOKEN_V1, deadline=20), cache=cache)
    orch = Orchestrator(client, step_timeout=30.0)
    try:
        warm = await orch.ask(QUESTION)
        hit = await orch.ask(QUESTION)
        assert hit.stats.cache_hits > 0 and hit.stats.api_calls == 0
        redis_server.restart()  # data gone, Redis back at once: no fallback, nothing said
        again = await orch.ask(QUESTION)
        assert again.status == warm.status and again.stats.api_calls > 0 and cache.warning is None
        redis_server.stop()
        with caplog.at_level(logging.INFO):
            started = time.perf_counter()
            down = [await orch.ask(QUESTION) for _ in range(3)]
            wall = time.perf_counter() - started
        assert wall < 20, wall
        assert [a.status for a in down] == [warm.status] * 3
        assert [t.rows for t in down[0].tables] == [t.rows for t in warm.tables]
        assert down[1].stats.api_calls == 0  # the disk cache kept what the first asked
        assert said(caplog) == 1 and SAID in (cache.warning or "")
        redis_server.start()
        await asyncio.sleep(0.6)
        back = await orch.ask(QUESTION)
        assert back.status == warm.status and back.stats.api_calls > 0  # Redis again: empty after its restart
        assert said(caplog) == 1
    finally:
        await client.aclose()
        await cache.aclose()


async def test_stale_answer_from_redis_says_its_age(netbox_url: str, redis_server: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ResponseCache(tmp_path / "disk", CacheSettings().ttl_for, url=redis_server.url)
    live = NetBoxClient(NetBoxProfile(url=netbox_url, token=TOKEN_V1, deadline=20), cache=cache)
    try:
        warm = await Orchestrator(live, step_timeout=30.0).ask(QUESTION)
    finally:
        await live.aclose()
    await cache.aclose()
    later(monkeypatch, 3 * 3600)

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    # Another process, later, on the same Redis (its own empty disk), with NetBox down.
    other = ResponseCache(tmp_path / "disk2", CacheSettings().ttl_for, url=redis_server.url)
    down = NetBoxClient(NetBoxProfile(url=netbox_url, token=TOKEN_V1, deadline=5), cache=other,
                        transport=httpx.MockTransport(unreachable))
    try:
        started = time.perf_counter()
        stale = await Orchestrator(down, step_timeout=30.0).ask(QUESTION)
        assert time.perf_counter() - started < 5.0
    finally:
        await down.aclose()
        await other.aclose()
    assert stale.stale is True and stale.cached_at is not None
    assert stale.answer == f"From cache, 3 h old — NetBox unreachable. {warm.answer}"
    assert [t.rows for t in stale.tables] == [t.rows for t in warm.tables]
