"""ResponseCache and its use by NetBoxClient: TTL per kind, token partitioning, modes, degradation."""

from __future__ import annotations

import logging
import time

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
def test_entry_expires_after_its_kinds_ttl(open_cache, monkeypatch, kind):
    cache = open_cache()
    cache.set("k", {"v": kind}, kind)
    assert cache.get("k") == {"v": kind}
    with monkeypatch.context() as m:
        later(m, DEFAULT_TTL[kind] - 5)
        assert cache.get("k") == {"v": kind}
    with monkeypatch.context() as m:
        later(m, DEFAULT_TTL[kind] + 5)
        assert cache.get("k") is MISS


def test_tiny_ttl_really_expires(open_cache):
    cache = open_cache(ttl_for=lambda kind: 1)
    cache.set("k", [1, 2, 3], "default")
    assert cache.get("k") == [1, 2, 3]
    time.sleep(1.1)
    assert cache.get("k") is MISS


def test_ttl_zero_is_not_stored(open_cache):
    cache = open_cache(ttl_for=CacheSettings(ttl={"utilisation": 0}).ttl_for)
    cache.set("k", 1, "utilisation")
    assert cache.get("k") is MISS
    cache.set("k", 1, "device")
    assert cache.get("k") == 1


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
    assert cache_key(URL, "id1", "graphql/", [], {"query": "a"}) != cache_key(URL, "id1", "graphql/", [], {"query": "b"})


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


def test_off_neither_reads_nor_writes(open_cache, tmp_path):
    normal = open_cache()
    normal.set("old", "stored before", "default")
    normal.close()
    off = open_cache(CacheMode.OFF)
    assert not off.active
    assert off.get("old") is MISS  # does not read
    off.set("new", "written while off", "default")
    off.close()
    again = open_cache()
    assert again.get("new") is MISS  # did not write
    assert again.get("old") == "stored before"


def test_refresh_writes_but_does_not_read(open_cache):
    normal = open_cache()
    normal.set("k", "stale", "default")
    normal.close()
    refresh = open_cache(CacheMode.REFRESH)
    assert refresh.get("k") is MISS
    refresh.set("k", "fresh", "default")
    refresh.close()
    assert open_cache().get("k") == "fresh"


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


def test_unwritable_cache_dir_degrades_with_a_warning(tmp_path, open_cache, caplog):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    with caplog.at_level(logging.WARNING, logger="netbox_tui.netbox.cache"):
        cache = open_cache(directory=blocker / "cache")
    assert not cache.active
    assert cache.warning and "cache disabled" in cache.warning
    assert any("cache disabled" in r.getMessage() for r in caplog.records)
    cache.set("k", 1, "default")  # no crash
    assert cache.get("k") is MISS
    assert cache.clear() == 0


def test_corrupt_cache_db_degrades_with_a_warning(tmp_path, open_cache):
    directory = tmp_path / "corrupt"
    directory.mkdir()
    (directory / "cache.db").write_bytes(b"this is not an sqlite database" * 100)
    cache = open_cache(directory=directory)
    assert not cache.active
    assert cache.warning
    assert cache.get("k") is MISS


async def test_client_answers_with_a_broken_cache(router, open_cache, make_client, tmp_path):
    route = router.get("/api/dcim/sites/").respond(200, json=BODY)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    client = make_client(open_cache(directory=blocker / "cache"))
    assert await client.get("dcim/sites/") == BODY
    assert await client.get("dcim/sites/") == BODY
    assert route.call_count == 2


def test_write_error_after_open_degrades(open_cache, monkeypatch, caplog):
    cache = open_cache()

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache._cache, "set", boom)
    with caplog.at_level(logging.WARNING, logger="netbox_tui.netbox.cache"):
        cache.set("k", 1, "default")
    assert not cache.active
    assert "write error" in (cache.warning or "")
    assert cache.get("k") is MISS


def test_size_limit_is_passed_to_diskcache(tmp_path):
    cache = ResponseCache(tmp_path / "c", lambda kind: 60, size_limit_mb=3)
    try:
        assert cache._cache.size_limit == 3 * 1024 * 1024
    finally:
        cache.close()


def test_cache_directory_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert CacheSettings().directory() == tmp_path / "xdg" / "netbox-tui" / "v1"
    assert CacheSettings(dir=tmp_path / "mine").directory() == tmp_path / "mine" / "v1"
