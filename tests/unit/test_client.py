"""NetBoxClient against respx (no network): retries, errors, auth headers, filters, read-only, paging,
stats."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import httpx
import pytest
import respx

from netbox_tui.config import NetBoxProfile
from netbox_tui.errors import (
    AuthError,
    BadFilterError,
    ConfigError,
    InvalidResponseError,
    NetBoxError,
    NotFoundError,
    NoTokenError,
    RateLimitedError,
    ResponseTooLargeError,
    ServerError,
    TimeoutError,
    UnknownFilterError,
    UnreachableError,
    WriteRefusedError,
)
from netbox_tui.netbox.client import NetBoxClient

URL = "http://netbox.test"
V1 = "0123456789abcdef0123456789abcdef01234567"
V2 = "nbt_Ez6TDRTyTxrV.demoreadonlytoken0123456789abcdefghijklmn"
SITES = "/api/dcim/sites/"
OK = {"count": 1, "next": None, "previous": None, "results": [{"id": 1, "name": "DM-NYC"}]}


@pytest.fixture
def router():
    with respx.mock(base_url=URL, assert_all_called=False, assert_all_mocked=True) as r:
        yield r


@pytest.fixture
async def make_client(record_sleep):
    """NetBoxClient factory; `make_client.delays` lists the back-off sleeps it asked for."""
    delays, sleep = record_sleep
    made: list[NetBoxClient] = []

    def make(token: str | None = V1, cache: Any = None, **profile: Any) -> NetBoxClient:
        client = NetBoxClient(
            NetBoxProfile(url=URL, token=token, **profile), cache=cache, sleep=sleep, rng=random.Random(1)
        )
        made.append(client)
        return client

    make.delays = delays  # type: ignore[attr-defined]
    yield make
    for client in made:
        await client.aclose()
        client.cache.close()


async def test_ok_request_returns_json_and_counts(router, make_client):
    route = router.get(SITES).respond(200, json=OK)
    client = make_client()
    data = await client.get("dcim/sites/", {"slug": "dm-nyc"})
    assert data == OK
    assert route.call_count == 1
    assert route.calls.last.request.url.params.get_list("slug") == ["dm-nyc"]
    assert client.stats.calls == 1
    assert client.stats.bytes == len(route.calls.last.response.content)
    assert client.stats.elapsed > 0
    assert client.stats.retries == 0


# -- retries ------------------------------------------------------------------------------------


async def test_429_honours_retry_after_then_succeeds(router, make_client):
    route = router.get(SITES).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "7"}, json={"detail": "slow down"}),
            httpx.Response(200, json=OK),
        ]
    )
    client = make_client()
    assert await client.get("dcim/sites/") == OK
    assert route.call_count == 2
    assert make_client.delays == [7.0]  # the server's value, not the backoff
    assert client.stats.calls == 2 and client.stats.retries == 1


async def test_a_retry_after_longer_than_the_maximum_is_not_cut_short(router, make_client):
    """NetBox asks for an hour: retrying after retry_after_max would knock early; the question stops and says
    why."""
    route = router.get(SITES).mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200, json=OK)]
    )
    with pytest.raises(RateLimitedError) as info:
        await make_client(retry_after_max=12).get("dcim/sites/")
    assert make_client.delays == [] and route.call_count == 1
    assert "3600 s" in info.value.message and "retry_after_max" in info.value.message


async def test_503_twice_then_200_with_exponential_backoff(router, make_client):
    route = router.get(SITES).mock(
        side_effect=[httpx.Response(503), httpx.Response(503), httpx.Response(200, json=OK)]
    )
    client = make_client(backoff_base=1.0)
    assert await client.get("dcim/sites/") == OK
    assert route.call_count == 3
    first, second = make_client.delays
    # base * 2**(attempt-1), jittered into [50 %, 100 %]
    assert 0.5 <= first <= 1.0
    assert 1.0 <= second <= 2.0


async def test_503_three_times_is_server_error_after_exactly_three_attempts(router, make_client):
    route = router.get(SITES).mock(return_value=httpx.Response(503, json={"detail": "down"}))
    client = make_client()
    with pytest.raises(ServerError) as info:
        await client.get("dcim/sites/")
    assert route.call_count == 3
    assert len(make_client.delays) == 2  # no sleep after the last attempt
    assert "503" in info.value.message
    assert client.stats.calls == 3


@pytest.mark.parametrize("status", [500, 502, 504])
async def test_other_5xx_are_retried(router, make_client, status):
    route = router.get(SITES).mock(side_effect=[httpx.Response(status), httpx.Response(200, json=OK)])
    assert await make_client().get("dcim/sites/") == OK
    assert route.call_count == 2


async def test_max_attempts_is_configurable(router, make_client):
    route = router.get(SITES).mock(return_value=httpx.Response(502))
    with pytest.raises(ServerError):
        await make_client(max_attempts=1).get("dcim/sites/")
    assert route.call_count == 1
    assert make_client.delays == []


async def test_connect_error_is_retried(router, make_client):
    route = router.get(SITES).mock(
        side_effect=[httpx.ConnectError("connection refused"), httpx.Response(200, json=OK)]
    )
    assert await make_client().get("dcim/sites/") == OK
    assert route.call_count == 2
    assert len(make_client.delays) == 1


async def test_connect_errors_exhausted_is_unreachable(router, make_client):
    route = router.get(SITES).mock(side_effect=httpx.ConnectError("connection refused"))
    with pytest.raises(UnreachableError) as info:
        await make_client().get("dcim/sites/")
    assert route.call_count == 3
    assert URL in info.value.message
    assert info.value.hint  # says what to do next


async def test_connect_timeout_is_retried_then_unreachable(router, make_client):
    route = router.get(SITES).mock(side_effect=httpx.ConnectTimeout("timed out"))
    with pytest.raises(UnreachableError):
        await make_client().get("dcim/sites/")
    assert route.call_count == 3


async def test_read_timeout_is_a_timeout_error_not_retried(router, make_client):
    route = router.get(SITES).mock(side_effect=httpx.ReadTimeout("read timed out"))
    client = make_client(timeout_read=12)
    with pytest.raises(TimeoutError) as info:
        await client.get("dcim/sites/")
    assert route.call_count == 1  # a slow NetBox is not hammered again
    assert "12 s" in info.value.message
    assert client.stats.calls == 1


# -- error mapping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body,ctype",
    [
        (b"<html><body>Please log in</body></html>", "text/html"),
        (b'{"count": 3, "results": [', "application/json"),
        (b"", "application/json"),
    ],
)
async def test_garbage_body_is_invalid_response(router, make_client, body, ctype):
    router.get(SITES).respond(200, content=body, headers={"Content-Type": ctype})
    with pytest.raises(InvalidResponseError) as info:
        await make_client().get("dcim/sites/")
    assert "not JSON" in info.value.message


async def test_403_is_auth_error_and_never_shows_the_token(router, make_client):
    router.get(SITES).respond(403, json={"detail": "Invalid v1 token"})
    with pytest.raises(AuthError) as info:
        await make_client(V2).get("dcim/sites/")
    err = info.value
    assert "403" in err.message and "token rejected" in err.message
    assert V2 not in str(err) and "demoreadonlytoken" not in str(err)
    assert "\n" not in err.message


@pytest.mark.parametrize("status", [401, 403])
async def test_no_token_set_is_not_a_rejected_token(router, make_client, status, monkeypatch):
    monkeypatch.delenv("NETBOX_TOKEN", raising=False)
    router.get(SITES).respond(status, json={"detail": "Authentication credentials were not provided."})
    with pytest.raises(NoTokenError) as info:
        await make_client(None).get("dcim/sites/")
    assert (
        info.value.kind == "no_token"
        and "none is set" in info.value.message
        and "NETBOX_TOKEN" in info.value.hint
    )
    assert "rejected" not in info.value.message


async def test_400_is_bad_filter_with_netbox_message(router, make_client):
    body = {"region": ["Select a valid choice. connecticut is not one of the available choices."]}
    router.get(SITES).respond(400, json=body)
    with pytest.raises(BadFilterError) as info:
        await make_client().get("dcim/sites/", {"region": "connecticut"})
    assert info.value.detail == body
    assert "region: Select a valid choice. connecticut" in info.value.message
    assert "rephrase" in info.value.hint and "region" in info.value.message  # the filter NetBox named


async def test_400_list_body_is_bad_filter(router, make_client):
    router.get(SITES).respond(400, json=["Cursor paging cannot be combined with offset"])
    with pytest.raises(BadFilterError) as info:
        await make_client().get("dcim/sites/", {"start": 1, "offset": 5})
    assert "Cursor paging" in info.value.message


async def test_html_404_is_not_found_about_the_url(router, make_client):
    router.get(SITES).respond(
        404, content=b"<html><h1>Page not found</h1></html>", headers={"Content-Type": "text/html"}
    )
    with pytest.raises(NotFoundError) as info:
        await make_client().get("dcim/sites/")
    assert "does not exist on this NetBox" in info.value.message


async def test_json_404_is_not_found_with_detail(router, make_client):
    router.get("/api/dcim/sites/999/").respond(404, json={"detail": "No Site matches the given query."})
    with pytest.raises(NotFoundError) as info:
        await make_client().get("dcim/sites/999/")
    assert info.value.detail == {"detail": "No Site matches the given query."}


async def test_redirect_is_not_followed(router, make_client):
    router.get(SITES).respond(301, headers={"Location": "https://netbox.test/api/dcim/sites/"})
    with pytest.raises(InvalidResponseError) as info:
        await make_client().get("dcim/sites/")
    assert "redirects to https://netbox.test" in info.value.message


async def test_response_too_large_by_content_length(router, make_client):
    router.get(SITES).respond(
        200, content=b"[" + b"1," * 2000 + b"1]", headers={"Content-Type": "application/json"}
    )
    with pytest.raises(ResponseTooLargeError):
        await make_client(max_response_mb=0.001).get("dcim/sites/")  # ~1 kB limit


async def test_response_too_large_while_streaming(router, make_client):
    async def chunks():
        for _ in range(20):
            yield b" " * 200

    route = router.get(SITES).mock(return_value=httpx.Response(200, content=chunks()))
    with pytest.raises(ResponseTooLargeError) as info:
        await make_client(max_response_mb=0.001).get("dcim/sites/")
    assert "Content-Length" not in route.calls.last.response.headers
    assert "sent more than" in info.value.message


# -- auth headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token,header", [(V1, f"Token {V1}"), (V2, f"Bearer {V2}"), (f"Token {V1}", f"Token {V1}")]
)
async def test_auth_header_follows_token_kind(router, make_client, token, header):
    route = router.get(SITES).respond(200, json=OK)
    await make_client(token).get("dcim/sites/")
    assert route.calls.last.request.headers["Authorization"] == header


async def test_no_token_sends_no_auth_header(router, make_client):
    route = router.get(SITES).respond(200, json=OK)
    await make_client(None).get("dcim/sites/")
    assert "Authorization" not in route.calls.last.request.headers


@pytest.mark.parametrize("bad", ["0123456789abcdef", "nbt_missingdot", V1 + "x", "nbt_key.sec ret"])
def test_malformed_token_is_config_error(bad):
    with pytest.raises(ConfigError) as info:
        NetBoxClient(NetBoxProfile(url=URL, token=bad))
    assert bad not in str(info.value)
    assert "\n" not in info.value.message


def test_missing_url_is_refused():
    with pytest.raises(NetBoxError):
        NetBoxClient(NetBoxProfile(url=None, token=V1))


# -- filter names -------------------------------------------------------------------------------


async def test_unknown_filter_refused_before_any_request(router, make_client):
    route = router.route().respond(200, json=OK)
    client = make_client()
    with pytest.raises(UnknownFilterError) as info:
        await client.get("dcim/devices/", {"vlan_id": 1})  # NetBox would ignore it: every device
    assert route.call_count == 0
    assert client.stats.calls == 0
    assert "vlan_id" in info.value.message


async def test_typo_filter_suggests_close_names(router, make_client):
    route = router.route().respond(200, json=OK)
    with pytest.raises(UnknownFilterError) as info:
        await make_client().get("dcim/devices/", {"stie_id": 3})
    assert route.call_count == 0
    assert "site_id" in (info.value.hint or "")


async def test_unknown_endpoint_refused(router, make_client):
    route = router.route().respond(200, json=OK)
    with pytest.raises(UnknownFilterError):
        await make_client().get("dcim/widgets/")
    assert route.call_count == 0


async def test_known_filters_and_lookups_pass(router, make_client):
    route = router.get("/api/dcim/devices/").respond(200, json=OK)
    await make_client().get("dcim/devices/", {"site_id": [2, 3], "name__ic": "akron", "limit": 5})
    params = route.calls.last.request.url.params
    assert params.get_list("site_id") == ["2", "3"]  # repeated, not a comma list
    assert params["name__ic"] == "akron"


async def test_single_value_filter_refused_in_list_many(router, make_client):
    route = router.route().respond(200, json=OK)
    with pytest.raises(NetBoxError) as info:
        await make_client().list_many("dcim/interfaces/", None, "vlan_id", [1, 2, 3])
    assert "one value only" in info.value.message
    assert route.call_count == 0


# -- read-only by construction ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "PUT", "POST"])
async def test_write_refused_by_request_json(router, make_client, method):
    route = router.route().respond(200, json={})
    client = make_client()
    with pytest.raises(WriteRefusedError):
        await client.request_json(method, "dcim/sites/1/", body={"name": "x"}, validate=False)
    assert route.call_count == 0
    assert client.stats.calls == 0


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "PUT", "POST"])
async def test_write_refused_by_the_underlying_httpx_client(router, make_client, method):
    """Even code that bypasses request_json cannot write: the transport is the last gate."""
    route = router.route().respond(200, json={})
    client = make_client()
    with pytest.raises(WriteRefusedError):
        await client._http.request(method, "/api/dcim/sites/1/", json={"name": "x"})
    with pytest.raises(WriteRefusedError):
        await client._http.request(method, "/api/graphql-not/", json={})
    assert route.call_count == 0


@pytest.mark.parametrize("path", ["/api/dcim/graphql/", "/api/plugins/x/graphql/", "/api/graphql/"])
async def test_post_allowed_only_to_graphql_itself(router, make_client, path):
    """POST is only for GraphQL; a REST path that happens to end in graphql/ is still a write."""
    route = router.route().respond(200, json={})
    client = make_client()
    with pytest.raises(WriteRefusedError):
        await client._http.post(path, json={"name": "x"})
    assert route.call_count == 0


async def test_write_refused_before_anything_else(router, make_client):
    """The method is checked first: before filter validation, the cache and the request line."""
    route = router.route().respond(200, json={})
    client = make_client()
    with pytest.raises(WriteRefusedError) as info:
        await client.request_json("DELETE", "dcim/sites/", {"no_such_filter": 1})
    assert "DELETE" in info.value.message
    assert route.call_count == 0


async def test_graphql_post_is_allowed(router, make_client):
    route = router.post("/graphql/").respond(200, json={"data": {"site_list": [{"id": "1"}]}})
    data = await make_client().graphql("{ site_list { id } }")
    assert data == {"site_list": [{"id": "1"}]}
    assert route.call_count == 1
    assert json.loads(route.calls.last.request.content)["query"] == "{ site_list { id } }"


async def test_graphql_errors_in_200_are_typed(router, make_client):
    router.post("/graphql/").respond(
        200, json={"data": None, "errors": [{"message": "Cannot query field 'nope'"}]}
    )
    with pytest.raises(BadFilterError) as info:
        await make_client().graphql("{ nope }")
    assert "Cannot query field" in info.value.message


# -- request-line chunking ----------------------------------------------------------------------


async def test_list_many_splits_under_request_line_limit_and_merges(router, make_client):
    lines: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        lines.append(len(f"GET {request.url.raw_path.decode()} HTTP/1.1"))
        ids = [int(v) for v in request.url.params.get_list("id")]
        rows = [{"id": i, "name": f"dev{i}"} for i in ids]
        return httpx.Response(200, json={"count": len(rows), "next": None, "previous": None, "results": rows})

    route = router.get("/api/dcim/devices/").mock(side_effect=handler)
    client = make_client(max_request_line=1000)
    ids = list(range(100_000, 100_500))
    rows = await client.list_many(
        "dcim/devices/", {"status": "active"}, "id", ids + ids[:50]
    )  # duplicates too
    assert sorted(r["id"] for r in rows) == ids
    assert route.call_count >= 5  # 500 ids * ~10 bytes cannot fit in 1000-byte lines
    assert max(lines) <= 1000
    for call in route.calls:
        assert call.request.url.params.get_list("status") == ["active"]
    sent = [v for c in route.calls for v in c.request.url.params.get_list("id")]
    assert len(sent) == 500  # each id asked once


async def test_list_many_with_default_limit_matches_gunicorn(router, make_client):
    route = router.get("/api/dcim/interfaces/").mock(
        side_effect=lambda req: httpx.Response(200, json={"count": 0, "next": None, "results": []})
    )
    await make_client().list_many("dcim/interfaces/", None, "device_id", list(range(1000, 1500)))
    assert route.call_count >= 2
    assert all(len(f"GET {c.request.url.raw_path.decode()} HTTP/1.1") <= 4094 for c in route.calls)


async def test_request_line_over_limit_is_refused_before_sending(router, make_client):
    route = router.route().respond(200, json=OK)
    with pytest.raises(NetBoxError) as info:
        await make_client().get("dcim/devices/", {"id": list(range(100_000, 101_000))})
    assert "request line" in info.value.message
    assert route.call_count == 0


# -- pagination ---------------------------------------------------------------------------------


def paged(total: int):
    rows = [{"id": i + 1} for i in range(total)]

    def handler(request: httpx.Request) -> httpx.Response:
        limit = int(request.url.params.get("limit", 50))
        offset = int(request.url.params.get("offset", 0))
        chunk = rows[offset : offset + limit]
        nxt = (
            f"{URL}/api/dcim/interfaces/?limit={limit}&offset={offset + limit}"
            if offset + limit < total
            else None
        )
        return httpx.Response(200, json={"count": total, "next": nxt, "previous": None, "results": chunk})

    return handler


@pytest.mark.parametrize("total,size", [(7, 3), (6, 3), (3, 3), (0, 3), (1586, 500)])
async def test_iter_pages_never_requests_more_pages_than_needed(router, make_client, total, size):
    route = router.get("/api/dcim/interfaces/").mock(side_effect=paged(total))
    pages = [p async for p in make_client().iter_pages("dcim/interfaces/", page_size=size)]
    assert route.call_count == max(1, math.ceil(total / size))
    assert len(pages) == route.call_count
    ids = [r["id"] for p in pages for r in p.results]
    assert ids == list(range(1, total + 1))
    assert all(p.count == total for p in pages)


async def test_iter_pages_max_pages(router, make_client):
    route = router.get("/api/dcim/interfaces/").mock(side_effect=paged(100))
    pages = [p async for p in make_client().iter_pages("dcim/interfaces/", page_size=10, max_pages=2)]
    assert len(pages) == 2 and route.call_count == 2
    assert pages[1].offset == 10 and pages[1].has_next


async def test_list_all_fetches_exactly_the_pages(router, make_client):
    route = router.get("/api/dcim/interfaces/").mock(side_effect=paged(25))
    rows = await make_client().list_all("dcim/interfaces/", page_size=10)
    assert [r["id"] for r in rows] == list(range(1, 26))
    assert route.call_count == 3
    offsets = sorted(int(c.request.url.params["offset"]) for c in route.calls)
    assert offsets == [0, 10, 20]


async def test_page_shaping_params(router, make_client):
    route = router.get("/api/dcim/interfaces/").mock(side_effect=paged(5))
    client = make_client()
    await client.page("dcim/interfaces/", limit=2, fields=["id", "name"])
    assert route.calls.last.request.url.params["fields"] == "id,name"
    await client.page("dcim/interfaces/", limit=2, omit=["config_context"])
    assert route.calls.last.request.url.params["omit"] == "config_context"
    await client.page("dcim/interfaces/", limit=2, brief=True)
    params = route.calls.last.request.url.params
    assert params["brief"] == "1" and "exclude" not in params


async def test_page_of_a_non_list_is_invalid(router, make_client):
    router.get("/api/dcim/interfaces/").respond(200, json={"id": 1})
    with pytest.raises(InvalidResponseError):
        await make_client().page("dcim/interfaces/")


# -- stats and cache counting -------------------------------------------------------------------


async def test_stats_count_calls_bytes_and_cache_hits(router, make_client, tmp_path):
    from netbox_tui.netbox.cache import ResponseCache

    route = router.get(SITES).respond(200, json=OK)
    client = make_client(cache=ResponseCache(tmp_path / "c", lambda kind: 60))
    before = client.stats.copy()
    assert await client.get("dcim/sites/") == OK
    assert await client.get("dcim/sites/") == OK
    assert await client.get("dcim/sites/", use_cache=False) == OK
    delta = client.stats.since(before)
    assert route.call_count == 2
    assert delta.calls == 2 and delta.cache_hits == 1
    assert delta.bytes == 2 * len(route.calls.last.response.content)


async def test_concurrency_is_bounded_by_the_semaphore(router, make_client):
    import asyncio

    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json=OK)

    router.get(SITES).mock(side_effect=handler)
    client = make_client(concurrency=3)
    results = await client.gather([client.get("dcim/sites/", {"id": i}) for i in range(12)])
    assert len(results) == 12
    assert peak == 3
    assert client.stats.calls == 12


async def test_a_body_that_does_not_decode_is_an_invalid_response(router, make_client):
    router.get(SITES).mock(
        return_value=httpx.Response(
            200, stream=httpx.ByteStream(b"not gzip at all"), headers={"Content-Encoding": "gzip"}
        )
    )
    with pytest.raises(InvalidResponseError) as info:
        await make_client().get(SITES)
    assert "Content-Encoding" in info.value.message and "proxy" in info.value.message


def test_a_missing_ca_bundle_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError) as info:
        NetBoxClient(NetBoxProfile(url="https://netbox.test", token=V1, ca_bundle=tmp_path / "nope.pem"))
    assert "nope.pem" in info.value.message and "ca_bundle" in info.value.hint


async def test_a_password_in_the_url_is_never_said():
    client = NetBoxClient(
        NetBoxProfile(url="http://admin:s3cretpw@netbox.invalid", token=V1), sleep=_no_sleep
    )
    try:
        with respx.mock(assert_all_called=False) as r, pytest.raises(UnreachableError) as info:
            r.route(host="netbox.invalid").mock(side_effect=httpx.ConnectError("connection refused"))
            await client.get(SITES)
    finally:
        await client.aclose()
    assert "s3cretpw" not in str(info.value) and "netbox.invalid" in str(info.value)


async def _no_sleep(seconds: float) -> None:
    return None
