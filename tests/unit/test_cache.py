"""ResponseCache and its use by NetBoxClient: TTL per kind, token partitioning, modes, degradation."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import respx

from netbox_tui.config import DEFAULT_TTL, CacheSettings, NetBoxProfile
from netbox_tui.netbox.cache import MISS, CacheMode, ResponseCache, cache_key
from netbox_tui.netbox.client import NetBoxClient

URL = "http://netbox.test"
V1 = "0123456789abcdef0123456789abcdef01234567"
V2 = "nbt_Ez6TDRTyTxrV.demoreadonlytoken0123456789abcdefghijklmn"
OTHER_V1 = "ffffffffffffffffffffffffffffffffffffffff"
BODY = {"count": 1, "next": None, "previous": None, "results": [{"id": 2, "name": "DM-Akron"}]}


@pytest.fixture
def ttl():
    return CacheSettings().ttl_for


@pytest.fixture
def open_cache(tmp_path, ttl):
    opened: list[ResponseCache] = []

    def make(mode: CacheMode = CacheMode.NORMAL, directory=None, ttl_for=None) -> ResponseCache:
        cache = ResponseCache(directory or tmp_path / "cache", ttl_for or ttl, mode=mode)
        opened.append(cache)
        return cache

    yield make
    for cache in opened:
        cache.close()


@pytest.fixture
def router():
    with respx.mock(base_url=URL, assert_all_called=False) as r:
        yield r


@pytest.fixture
async def make_client():
    made: list[NetBoxClient] = []

    def make(cache: ResponseCache, token: str = V1) -> NetBoxClient:
        client = NetBoxClient(NetBoxProfile(url=URL, token=token), cache=cache)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the clock diskcache reads (time.time) forward."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


# -- TTL ----------------------------------------------------------------------------------------


def test_default_ttls_are_the_issues_table():
    settings = CacheSettings()
    assert settings.ttl_for("device") == 3600
    assert settings.ttl_for("interface") == 300
    assert settings.ttl_for("vlan") == 1800
    assert settings.ttl_for("cable") == 7200
    assert settings.ttl_for("utilisation") == 60
    assert settings.ttl_for("default") == 300
    assert settings.ttl_for("something-new") == 300  # unknown kinds get the default
    assert CacheSettings(ttl={"device": 10, "default": 5}).ttl_for("nope") == 5


@pytest.mark.parametrize("kind", sorted(DEFAULT_TTL))
async def test_entry_expires_after_its_kinds_ttl(open_cache, monkeypatch, kind):
    cache = open_cache()
    await cache.set("k", {"v": kind}, kind)
    assert await cache.get("k") == {"v": kind}
    with monkeypatch.context() as m:
        later(m, DEFAULT_TTL[kind] - 5)
        assert await cache.get("k") == {"v": kind}
    with monkeypatch.context() as m:
        later(m, DEFAULT_TTL[kind] + 5)
        assert await cache.get("k") is MISS


async def test_tiny_ttl_really_expires(open_cache):
    cache = open_cache(ttl_for=lambda kind: 1)
    await cache.set("k", [1, 2, 3], "default")
    assert await cache.get("k") == [1, 2, 3]
    time.sleep(1.1)
    assert await cache.get("k") is MISS


async def test_ttl_zero_is_not_stored(open_cache):
    cache = open_cache(ttl_for=CacheSettings(ttl={"utilisation": 0}).ttl_for)
    await cache.set("k", 1, "utilisation")
    assert await cache.get("k") is MISS
    await cache.set("k", 1, "device")
    assert await cache.get("k") == 1


async def test_client_refetches_after_expiry(router, open_cache, make_client, monkeypatch):
    route = router.get("/api/dcim/interfaces/").respond(200, json=BODY)
    client = make_client(open_cache())
    await client.get("dcim/interfaces/", kind="interface")
    await client.get("dcim/interfaces/", kind="interface")
    assert route.call_count == 1 and client.stats.cache_hits == 1
    later(monkeypatch, 301)
    await client.get("dcim/interfaces/", kind="interface")
    assert route.call_count == 2


# -- keys ---------------------------------------------------------------------------------------


def test_cache_key_parts():
    base = cache_key(URL, "id1", "dcim/sites/", [("a", "1"), ("b", "2")])
    assert base == cache_key(URL, "id1", "dcim/sites/", [("b", "2"), ("a", "1")])  # order-free
    assert base != cache_key(URL, "id2", "dcim/sites/", [("a", "1"), ("b", "2")])
    assert base != cache_key("http://other", "id1", "dcim/sites/", [("a", "1"), ("b", "2")])
    assert base != cache_key(URL, "id1", "dcim/devices/", [("a", "1"), ("b", "2")])
    assert base != cache_key(URL, "id1", "dcim/sites/", [("a", "1"), ("b", "3")])
    graphql = [cache_key(URL, "id1", "graphql/", [], {"query": q}) for q in ("a", "b")]
    assert graphql[0] != graphql[1]


async def test_two_tokens_never_share_entries(router, open_cache, make_client, tmp_path):
    route = router.get("/api/dcim/sites/").respond(200, json=BODY)
    cache = open_cache()
    alice, bob = make_client(cache, V1), make_client(cache, OTHER_V1)
    assert alice.token_id != bob.token_id
    await alice.get("dcim/sites/")
    await bob.get("dcim/sites/")  # same URL, other rights: must ask NetBox itself
    assert route.call_count == 2
    assert [c.request.headers["Authorization"][-4:] for c in route.calls] == [V1[-4:], OTHER_V1[-4:]]
    await alice.get("dcim/sites/")
    await bob.get("dcim/sites/")
    assert route.call_count == 2
    assert alice.stats.cache_hits == 1 and bob.stats.cache_hits == 1
    # Only a hash of the token identifies the entries: the tokens are nowhere on disk.
    on_disk = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert on_disk  # something was written
    for token in (V1, OTHER_V1, V2):
        assert token.encode() not in on_disk


async def test_v1_and_v2_tokens_are_partitioned(router, open_cache, make_client):
    route = router.get("/api/dcim/sites/").respond(200, json=BODY)
    cache = open_cache()
    await make_client(cache, V1).get("dcim/sites/")
    await make_client(cache, V2).get("dcim/sites/")
    assert route.call_count == 2


# -- modes --------------------------------------------------------------------------------------


async def test_off_neither_reads_nor_writes(open_cache, tmp_path):
    normal = open_cache()
    await normal.set("old", "stored before", "default")
    normal.close()
    off = open_cache(CacheMode.OFF)
    assert not off.active
    assert await off.get("old") is MISS  # does not read
    await off.set("new", "written while off", "default")
    off.close()
    again = open_cache()
    assert await again.get("new") is MISS  # did not write
    assert await again.get("old") == "stored before"


async def test_refresh_writes_but_does_not_read(open_cache):
    normal = open_cache()
    await normal.set("k", "stale", "default")
    normal.close()
    refresh = open_cache(CacheMode.REFRESH)
    assert await refresh.get("k") is MISS
    await refresh.set("k", "fresh", "default")
    refresh.close()
    assert await open_cache().get("k") == "fresh"


async def test_client_no_cache_asks_netbox_every_time(router, open_cache, make_client):
    route = router.get("/api/dcim/sites/").respond(200, json=BODY)
    client = make_client(open_cache(CacheMode.OFF))
    for _ in range(3):
        assert await client.get("dcim/sites/") == BODY
    assert route.call_count == 3 and client.stats.cache_hits == 0


async def test_client_refresh_replaces_stale_entry(router, open_cache, make_client):
    route = router.get("/api/dcim/sites/").mock(
        side_effect=[respx.MockResponse(200, json={"v": 1}), respx.MockResponse(200, json={"v": 2})]
    )
    first = make_client(open_cache())
    assert await first.get("dcim/sites/") == {"v": 1}
    first.cache.close()
    refreshed = make_client(open_cache(CacheMode.REFRESH))
    assert await refreshed.get("dcim/sites/") == {"v": 2}
    refreshed.cache.close()
    later_run = make_client(open_cache())
    assert await later_run.get("dcim/sites/") == {"v": 2}  # the refreshed answer was stored
    assert route.call_count == 2


# -- degradation --------------------------------------------------------------------------------


async def test_unwritable_cache_dir_degrades_with_a_warning(tmp_path, open_cache, caplog):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    with caplog.at_level(logging.INFO, logger="netbox_tui.netbox.cache"):
        cache = open_cache(directory=blocker / "cache")
    assert not cache.active
    assert cache.warning and "cache disabled" in cache.warning
    # Said at start-up through `warning` (the front-end prints it), so the log keeps it below WARNING.
    said = [r for r in caplog.records if "cache disabled" in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.INFO
    await cache.set("k", 1, "default")  # no crash
    assert await cache.get("k") is MISS
    assert await cache.clear() == 0
    assert blocker.read_text().startswith("a file where")  # not a cache file: never moved aside


async def test_cache_file_that_is_not_a_database_is_moved_aside(tmp_path, open_cache, caplog):
    directory = tmp_path / "v1"
    directory.mkdir()
    (directory / "cache.db").write_bytes(b"this is not an sqlite database" * 100)
    with caplog.at_level(logging.INFO, logger="netbox_tui.netbox.cache"):
        cache = open_cache(directory=directory)
    assert cache.active
    assert "moved aside" in (cache.warning or "") and "a fresh cache started" in cache.warning
    assert len([r for r in caplog.records if "moved aside" in r.getMessage()]) == 1
    aside = tmp_path / "v1.unreadable"
    assert (aside / "cache.db").read_bytes().startswith(b"this is not an sqlite database")
    await cache.set("k", {"fresh": True}, "default")
    assert await cache.get("k") == {"fresh": True}
    cache.close()
    again = open_cache(directory=directory)  # the next run finds a healthy cache and says nothing
    assert again.warning is None and await again.get("k") == {"fresh": True}


def _corrupt_pages(db: Path) -> None:
    """Keep SQLite's header, overwrite the pages after it: "database disk image is malformed"."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)
    db.write_bytes(bytes(data))


async def test_malformed_cache_file_is_moved_aside_once(tmp_path, open_cache, caplog):
    directory = tmp_path / "v1"
    writer = open_cache(directory=directory)
    for i in range(200):
        await writer.set(f"k{i}", {"row": "x" * 200, "i": i}, "default")
    writer.close()
    _corrupt_pages(directory / "cache.db")
    with caplog.at_level(logging.INFO, logger="netbox_tui.netbox.cache"):
        cache = open_cache(directory=directory)
        for i in range(5):  # each read meets the bad file, or the fresh one after it was moved
            assert await cache.get(f"k{i}") is MISS
        await cache.set("new", 1, "default")
        assert await cache.get("new") == 1
    assert cache.active and "moved aside" in (cache.warning or "")
    said = [r for r in caplog.records if "moved aside" in r.getMessage()]
    assert len(said) == 1, [r.getMessage() for r in caplog.records]
    assert (tmp_path / "v1.unreadable" / "cache.db").exists()


async def test_cache_going_bad_mid_run_is_moved_aside(tmp_path, open_cache, monkeypatch, caplog):
    directory = tmp_path / "v1"
    cache = open_cache(directory=directory)
    await cache.set("k", 1, "default")
    bad = cache._store._cache

    def malformed(*a, **k):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(bad, "get", malformed)
    with caplog.at_level(logging.WARNING, logger="netbox_tui.netbox.cache"):
        assert await cache.get("k") is MISS  # the fresh cache answers the same read
        assert await cache.get("k") is MISS
    assert cache.active and cache._store._cache is not bad
    said = [r for r in caplog.records if "moved aside" in r.getMessage()]
    assert len(said) == 1  # mid-run: the log says it once
    await cache.set("k", 2, "default")
    assert await cache.get("k") == 2


def test_only_the_latest_unreadable_copy_is_kept(tmp_path, open_cache):
    directory = tmp_path / "v1"
    for round_ in range(2):
        shutil.rmtree(directory, ignore_errors=True)  # the fresh cache of round 0 goes bad too
        directory.mkdir()
        (directory / "cache.db").write_bytes(f"garbage {round_}".encode() * 100)
        open_cache(directory=directory).close()
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["v1", "v1.unreadable"]
    assert (tmp_path / "v1.unreadable" / "cache.db").read_bytes().startswith(b"garbage 1")


async def test_client_answers_with_a_broken_cache(router, open_cache, make_client, tmp_path):
    route = router.get("/api/dcim/sites/").respond(200, json=BODY)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    client = make_client(open_cache(directory=blocker / "cache"))
    assert await client.get("dcim/sites/") == BODY
    assert await client.get("dcim/sites/") == BODY
    assert route.call_count == 2


async def test_write_error_after_open_degrades(open_cache, monkeypatch, caplog):
    cache = open_cache()

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache._store._cache, "set", boom)
    with caplog.at_level(logging.WARNING, logger="netbox_tui.netbox.cache"):
        await cache.set("k", 1, "default")
    assert not cache.active
    assert "write error" in (cache.warning or "")
    assert len([r for r in caplog.records if "write error" in r.getMessage()]) == 1  # mid-run: the log
    assert await cache.get("k") is MISS


@pytest.mark.parametrize("message", ["database or disk is full", "database is locked"])
async def test_a_full_disk_or_a_lock_is_not_moved_aside(open_cache, monkeypatch, tmp_path, message):
    cache = open_cache()
    await cache.set("kept", 1, "default")

    def busy(*a, **k):
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr(cache._store._cache, "set", busy)
    await cache.set("k", 2, "default")
    assert not cache.active and message in (cache.warning or "")
    assert not (tmp_path / "cache.unreadable").exists()
    cache.close()
    assert await open_cache().get("kept") == 1  # what was stored survives


def test_size_limit_is_passed_to_diskcache(tmp_path):
    cache = ResponseCache(tmp_path / "c", lambda kind: 60, size_limit_mb=3)
    try:
        assert cache._store._cache.size_limit == 3 * 1024 * 1024
    finally:
        cache.close()


def test_no_redis_import_without_a_redis_url(tmp_path):
    """The default path stays as fast as before: redis-py is imported only when cache.url is set."""
    code = (
        "import asyncio, sys, netbox_tui.cli, netbox_tui.netbox.client\n"
        "from netbox_tui.config import load_settings\n"
        "from netbox_tui.netbox.cache import CacheMode, cache_for\n"
        f"c = cache_for(load_settings(env={{'NETBOX_TUI_CACHE_DIR': {str(tmp_path)!r}}}), CacheMode.NORMAL)\n"
        "async def use():\n"
        "    await c.set('k', 1, 'default'); assert await c.get('k') == 1\n"
        "asyncio.run(use())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'redis' or m.endswith('cache_redis')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_cache_directory_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert CacheSettings().directory() == tmp_path / "xdg" / "netbox-tui" / "v1"
    assert CacheSettings(dir=tmp_path / "mine").directory() == tmp_path / "mine" / "v1"
