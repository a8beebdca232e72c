"""The client as the one boundary NetBox's data crosses (issue 11), without a NetBox (respx).

Scrubbing every string (keys, GraphQL, error bodies, headers), counts that contradict the rows,
pages planned from what was asked, malformed objects skipped and counted, 429 as rate limiting,
one deadline per question, one retry budget per question, expired entries kept for a failing
NetBox within the cache's size bound.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from typing import Any

import httpx
import pytest
import respx

from netbox_tui.config import NetBoxProfile
from netbox_tui.core.executor import Executor
from netbox_tui.core.explain import explain
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.plan import Context, Outcome, Plan, Step
from netbox_tui.errors import (
    BadFilterError,
    DeadlineError,
    InvalidResponseError,
    RateLimitedError,
    UnreachableError,
)
from netbox_tui.netbox.cache import CacheMode, ResponseCache
from netbox_tui.netbox.client import (
    LIST_CAP,
    PAGE_WINDOW,
    NetBoxClient,
    believed_count,
    readable,
    scrub,
    scrub_text,
)

URL = "http://netbox.test"
TOKEN = "0123456789abcdef0123456789abcdef01234567"
EVIL = "\x1b[2J\x1b]0;pwned\x07\x07\x9b31m\u202e\u2066"


def client(**profile: Any) -> NetBoxClient:
    async def no_sleep(_: float) -> None:
        return None

    profile.setdefault("backoff_base", 0.0)
    return NetBoxClient(NetBoxProfile(url=URL, token=TOKEN, **profile), sleep=no_sleep, rng=random.Random(1))


def listing(rows: list[dict[str, Any]], count: Any = None, nxt: Any = None) -> dict[str, Any]:
    return {"count": len(rows) if count is None else count, "next": nxt, "previous": None, "results": rows}


# -- NetBox text never drives the terminal -----------------------------------------------------------

@pytest.mark.parametrize("raw,clean", [
    ("\x1b[2JDM-Akron", "DM-Akron"),  # clear screen (CSI)
    ("\x1b]0;pwned\x07DM-Akron", "DM-Akron"),  # window title (OSC ... BEL)
    ("\x1b]0;pwned\x1b\\DM-Akron", "DM-Akron"),  # OSC ... ST
    ("\x1b]0;DM-Akron", "0;DM-Akron"),  # unterminated OSC: only the introducer goes, the text stays visible
    ("DM\x07-Ak\x08ron", "DM-Akron"),  # BEL, backspace
    ("\x9b2JDM-Akron\x9dx\x9c", "DM-Akron"),  # C1: 8-bit CSI and OSC ... ST
    ("\u202eDM-Akron\u202c", "DM-Akron"),  # bidi override and pop
    ("\u2066DM-Akron\u2069", "DM-Akron"),  # bidi isolates
    ("line 1\r\nline 2\ttab", "line 1\nline 2\ttab"),  # newline and tab are text; CR goes
    ("\x1b7\x1bcDM-Akron\x1b(B", "DM-Akron"),  # save cursor, reset terminal, charset
    ("Zürich – 東京 ✓", "Zürich – 東京 ✓"),  # ordinary text is left alone
])
def test_scrub_text(raw: str, clean: str) -> None:
    assert scrub_text(raw) == clean


def test_scrub_walks_keys_and_values_and_masks_the_token() -> None:
    data = {EVIL + "results": [{EVIL + "name": EVIL + "x" + EVIL, "n": 5, "t": f"Token {TOKEN}"}], "count": 1}
    assert scrub(data, [TOKEN]) == {"results": [{"name": "x", "n": 5, "t": "Token ****"}], "count": 1}


async def test_every_string_is_scrubbed_where_responses_are_parsed() -> None:
    c = client()
    hostile = {
        EVIL + "count": 1,
        "next": None,
        EVIL + "results": [
            {"id": 1, EVIL + "name": EVIL + "DM-Akron" + EVIL, "tags": [{"id": 2, "name": EVIL + "core"}]}
        ],
    }
    with respx.mock(base_url=URL) as mock:
        mock.get("/api/dcim/sites/").respond(200, json=hostile)
        mock.post("/graphql/").respond(
            200, json={"data": {EVIL + "site_list": [{"id": "1", "name": EVIL + "DM-Akron"}]}}
        )
        mock.get("/api/dcim/devices/").respond(
            400, json={EVIL + "site": [EVIL + f"bad value; Authorization: Token {TOKEN}"]}
        )
        mock.get("/api/dcim/racks/").respond(302, headers={"Location": b"\x1b[2J\x1b]0;pwned\x07https://sso.example/login"})
        page = await c.page("dcim/sites/")
        assert (
            page.results == [{"id": 1, "name": "DM-Akron", "tags": [{"id": 2, "name": "core"}]}]
            and page.count == 1
        )
        assert await c.graphql("{ site_list { id name } }") == {
            "site_list": [{"id": "1", "name": "DM-Akron"}]
        }
        with pytest.raises(BadFilterError) as bad:
            await c.get("dcim/devices/")
        assert bad.value.message == "NetBox refused the query: site: bad value; Authorization: Token ****"
        with pytest.raises(
            (InvalidResponseError, UnreachableError)
        ) as moved:  # httpx itself refuses such a header
            await c.get("dcim/racks/")
        assert "\x1b" not in str(moved.value) and "\x07" not in str(moved.value)
    await c.aclose()


# -- a count from NetBox never sizes the work -----------------------------------------------------------

@pytest.mark.parametrize("count,offset,sent,limit,has_next,believed,noted", [
    (63, 0, 25, 25, True, 63, False),  # the truth
    (4, 0, 4, 25, False, 4, False),
    (0, 0, 0, 25, False, 0, False),
    (26, 25, 0, 25, False, 26, False),  # a page past the end
    (1040, 0, 4, 25, False, 4, True),  # "1,040 devices; rows 1–4 of 1,040" with no next page
    (1, 0, 4, 25, False, 4, True),  # "1 device; rows 1–4 of 1"
    (6, 0, 25, 25, True, 26, True),  # lower than the rows sent
    (10**9, 0, 25, 25, True, 26, True),  # more than any NetBox holds
    ("many", 0, 3, 25, False, 3, True),
    (None, 0, 3, 25, True, 4, False),  # cursor paging: no count at all
])
def test_believed_count(
    count: Any, offset: int, sent: int, limit: int, has_next: bool, believed: int, noted: bool
) -> None:
    got, note = believed_count(count, offset, sent, limit, has_next)
    assert got == believed and bool(note) == noted


async def test_a_count_of_a_billion_plans_no_more_work_than_asked() -> None:
    """The bug: count = 10^9 scheduled ~10^6 page tasks and blocked the loop. Now pages are planned
    from the cap, in windows; a NetBox that keeps linking a next page is read up to the cap only."""
    asked: list[int] = []

    def endless(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        limit = int(request.url.params.get("limit", 1000))
        asked.append(offset)
        rows = [{"id": offset + i + 1} for i in range(limit)]
        return httpx.Response(
            200, json=listing(rows, count=10**9, nxt=f"{URL}/api/dcim/interfaces/?offset={offset + limit}")
        )

    c = client()
    started = time.perf_counter()
    with respx.mock(base_url=URL) as mock:
        mock.get("/api/dcim/interfaces/").mock(side_effect=endless)
        rows = await c.list_all("dcim/interfaces/", cap=5000)
        many = await c.list_many("dcim/interfaces/", None, "device_id", [1, 2])  # the default cap
    assert len(rows) == 5000 and not rows.complete
    assert len(many) == LIST_CAP
    assert len(asked) == 5 + LIST_CAP // 1000
    assert time.perf_counter() - started < 10
    await c.aclose()


async def test_list_all_follows_next_links_when_the_count_is_too_low() -> None:
    rows = [{"id": i + 1} for i in range(2500)]

    def low(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params.get("offset", 0)), int(request.url.params.get("limit", 1000))
        chunk = rows[offset: offset + limit]
        nxt = f"{URL}/api/dcim/devices/?offset={offset + limit}" if offset + limit < len(rows) else None
        return httpx.Response(200, json=listing(chunk, count=7, nxt=nxt))

    c = client()
    with c.question() as q, respx.mock(base_url=URL) as mock:
        mock.get("/api/dcim/devices/").mock(side_effect=low)
        got = await c.list_all("dcim/devices/")
    assert [r["id"] for r in got] == list(range(1, 2501)) and got.complete
    assert any("lower than the 1,000 rows it sent" in n for n in q.notes)
    assert mock.calls.call_count <= 1 + PAGE_WINDOW
    await c.aclose()


async def test_orchestrator_answers_from_the_rows_and_says_so() -> None:
    c = client()
    orch = Orchestrator(c)
    rows = [{"id": i, "display": f"VLAN {i}", "name": f"VLAN {i}", "vid": i} for i in range(1, 5)]
    with respx.mock(base_url=URL) as mock:
        mock.get("/api/ipam/vlans/").respond(200, json=listing(rows, count=1040))
        answer = await orch.ask("list all VLANs")
    assert answer.status == "partial" and answer.tables[0].total == 4
    assert answer.answer.startswith("4 VLANs") and "(1,040) is more than the 4 rows it sent" in answer.answer
    await c.aclose()


# -- malformed objects are skipped and counted -------------------------------------------------------------

def test_readable_checks_what_the_tool_reads() -> None:
    rows = [
        {"id": 1, "prefix": "10.0.0.0/24", "vrf": {"id": 3, "name": "A"}},
        {"prefix": "10.0.1.0/24"},  # no id
        {"id": "3", "prefix": "10.0.2.0/24"},  # an id that is not a number
        {"id": 4, "prefix": "10.300.0.0/99"},  # not a prefix
        {"id": 5},  # the label asked for is missing
        {"id": 6, "prefix": "10.0.6.0/24", "vrf": {"name": "no id"}},  # a nested object without an id
        {
            "id": 7,
            "prefix": "10.0.7.0/24",
            "vrf": None,
            "tags": [{"id": 1}, "core"],
        },  # a list of objects holding a string
        "not an object",
        {"id": 9, "prefix": "2001:db8::/48", "vrf": None},
    ]
    ok, bad = readable("ipam/prefixes/", rows, ["id", "prefix", "vrf", "tags"])
    assert [r["id"] for r in ok] == [1, 9] and bad == 7


async def test_malformed_objects_are_left_out_and_said() -> None:
    c = client()
    orch = Orchestrator(c)
    rows = [
        {"id": 1, "name": "VLAN 1", "vid": 1, "display": "VLAN 1"},
        {"name": "no id"},
        {"id": 3, "name": "VLAN 3", "vid": 3, "display": "VLAN 3", "group": {"name": "no id"}},
    ]
    with respx.mock(base_url=URL) as mock:
        mock.get("/api/ipam/vlans/").respond(200, json=listing(rows, count=3))
        answer = await orch.ask("list all VLANs")
    assert answer.status == "partial" and [r["id"] for r in answer.tables[0].rows] == [1]
    assert "2 objects unreadable" in answer.answer
    await c.aclose()


# -- timeouts, 429, one deadline, one retry budget -----------------------------------------------------------


def test_429_is_rate_limiting_not_a_server_failure() -> None:
    info = explain(RateLimitedError("NetBox is rate-limiting (429) /api/dcim/sites/"))
    assert info.kind == "rate_limited" and "5xx" not in " ".join(info.causes + [info.hint])
    assert "slow down" in info.hint and any("429" in c for c in info.causes)


async def test_429_raises_rate_limited() -> None:
    c = client(max_attempts=2)
    with respx.mock(base_url=URL) as mock:
        mock.get("/api/dcim/sites/").respond(429, headers={"Retry-After": "0"})
        with pytest.raises(RateLimitedError) as info:
            await c.get("dcim/sites/")
    assert info.value.kind == "rate_limited"
    await c.aclose()


class Stall(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(3600)
        raise AssertionError


async def test_one_deadline_bounds_a_stalled_netbox() -> None:
    c = NetBoxClient(NetBoxProfile(url=URL, token=TOKEN, deadline=0.5), transport=Stall())
    started = time.perf_counter()
    with c.question():
        with pytest.raises(DeadlineError) as info:
            await c.get("dcim/sites/")
        with pytest.raises(DeadlineError):  # later requests of the question fail at once
            await c.get("dcim/devices/")
    assert time.perf_counter() - started < 1.0
    assert info.value.kind == "timeout" and "deadline" in info.value.message
    await c.aclose()


async def test_executor_fallback_shares_the_deadline() -> None:
    async def hang(ctx: Context) -> None:
        await asyncio.Event().wait()

    c = NetBoxClient(NetBoxProfile(url=URL, token=TOKEN, deadline=0.6))
    ctx = Context(c, None, None, "q")  # type: ignore[arg-type]
    plan = Plan("direct", [Step("fetch", "fetch", hang, fallback=hang)], lambda ctx: Outcome(""))
    started = time.perf_counter()
    with c.question():
        with pytest.raises((asyncio.TimeoutError, DeadlineError)):
            await Executor(30.0, lambda e: None, started).run(plan, ctx)
    assert time.perf_counter() - started < 0.6 + 0.6  # one deadline (plus grace), not 30 s + 30 s
    await c.aclose()


async def test_failing_question_stops_early_and_shares_one_retry_budget() -> None:
    """Always reset: 8 concurrent requests do not make 8 x max_attempts attempts."""
    c = client(max_attempts=3)
    with c.question(deadline=10) as q, respx.mock(base_url=URL) as mock:
        route = mock.get("/api/dcim/sites/").mock(side_effect=httpx.ReadError("connection reset by peer"))
        results = await asyncio.gather(
            *(c.get("dcim/sites/", {"id": i}) for i in range(8)), return_exceptions=True
        )
        assert all(isinstance(r, UnreachableError) for r in results)
        before = route.call_count
        with pytest.raises(UnreachableError):
            await c.get("dcim/sites/", {"id": 99})  # the question already knows NetBox is down
    assert before < 8 * 3 and route.call_count == before and q.down is not None
    await c.aclose()


async def test_flaky_netbox_every_third_request_reset_answers_every_request() -> None:
    seen = 0

    def flaky(request: httpx.Request) -> httpx.Response:
        nonlocal seen
        seen += 1
        if seen % 3 == 0:
            raise httpx.ReadError("connection reset by peer")
        return httpx.Response(200, json=listing([{"id": 1}]))

    c = client(max_attempts=3)
    with c.question(deadline=10), respx.mock(base_url=URL) as mock:
        mock.get("/api/dcim/sites/").mock(side_effect=flaky)
        for _ in range(3):
            results = await asyncio.gather(
                *(c.get("dcim/sites/", {"id": i}) for i in range(8)), return_exceptions=True
            )
            assert not [r for r in results if isinstance(r, Exception)]
    await c.aclose()


# -- expired entries kept for a failing NetBox, within the size bound ----------------------------------------


async def test_expired_entries_stay_for_stale_use(tmp_path, monkeypatch) -> None:
    cache = ResponseCache(tmp_path / "c", lambda kind: 60)
    await cache.set("k", {"v": 1}, "default")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3 * 3600)
    assert await cache.get_entry("k") is None  # expired: never fresh
    value, stored = await cache.get_stale("k")  # type: ignore[misc]
    assert value == {"v": 1} and real() - 5 < stored <= real()
    cache.mode = CacheMode.REFRESH
    assert await cache.get_stale("k") is not None  # --refresh falls back the same way
    cache.mode = CacheMode.OFF
    assert await cache.get_stale("k") is None
    cache.close()


async def test_stale_entries_are_bounded_by_the_cache_size(tmp_path) -> None:
    cache = ResponseCache(tmp_path / "c", lambda kind: 60, size_limit_mb=1)
    blob = "x" * 100_000
    for i in range(60):  # 6 MB into a 1 MB cache
        await cache.set(f"k{i}", blob, "default")
    disk = cache._store._cache  # type: ignore[union-attr]
    assert disk is not None and disk.volume() < 3 * 1024 * 1024
    assert await cache.get_stale("k59") is not None
    assert await cache.get_stale("k0") is None  # the oldest went first
    cache.close()


async def test_unreachable_netbox_is_answered_from_an_expired_entry(tmp_path, monkeypatch) -> None:
    cache = ResponseCache(tmp_path / "c", lambda kind: 60)
    c = NetBoxClient(NetBoxProfile(url=URL, token=TOKEN, backoff_base=0.0), cache=cache)
    with respx.mock(base_url=URL) as mock:
        route = mock.get("/api/dcim/sites/").respond(200, json=listing([{"id": 1, "name": "DM-Akron"}]))
        await c.get("dcim/sites/")
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + 3 * 3600)
        route.mock(side_effect=httpx.ConnectError("connection refused"))
        with c.question() as q:
            data = await c.get("dcim/sites/")
    assert data["results"][0]["name"] == "DM-Akron"
    assert q.stale and q.cache_sentence() == "From cache, 3 h old — NetBox unreachable."
    assert c.stats.stale_hits == 1
    await c.aclose()
    cache.close()


def test_json_keeps_the_stale_fields() -> None:
    from netbox_tui.core.results import Answer

    data = json.loads(
        Answer(question="q", answer="a", stale=True, cached_at="2026-01-01T00:00:00+00:00").to_json()
    )
    assert data["stale"] is True and data["cached_at"] == "2026-01-01T00:00:00+00:00"
    assert json.loads(Answer(question="q").to_json())["stale"] is False


async def test_listing_everything_is_still_bounded_by_the_question_deadline() -> None:
    """`list_all` without a cap (snapshot save reads every row) against a NetBox that always links a
    next page: inside a question the deadline ends it."""
    def endless(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        return httpx.Response(200, json=listing([{"id": offset + i + 1} for i in range(100)], count=10**9,
                                                nxt=f"{URL}/api/dcim/interfaces/?offset={offset + 100}"))

    c = client()
    started = time.perf_counter()
    with c.question(deadline=0.3), respx.mock(base_url=URL) as mock:
        mock.get("/api/dcim/interfaces/").mock(side_effect=endless)
        with pytest.raises(DeadlineError):
            await c.list_all("dcim/interfaces/", page_size=100)
    assert time.perf_counter() - started < 2.0
    await c.aclose()
