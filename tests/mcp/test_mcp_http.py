"""`netbox-tui mcp --http`: the token guard and the per-token pool in process (no NetBox), then real
server processes driven by the SDK's streamable HTTP client against the fixture NetBox: v1 and v2
tokens, a session bound to the token that opened it, and two processes sharing one cache where a user
limited to one site (akron-viewer, scripts/seed-fixture.py) never sees another token's rows."""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any, Optional

import httpx
import pytest
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcpproc import McpHttpProcess  # tests/ is on sys.path (rootdir conftest)

from netbox_tui.config import NetBoxProfile, Settings
from netbox_tui.errors import ConfigError, UsageError
from netbox_tui.mcp.http import TokenAuth, TokenPool, check_ca_bundle, parse_bind, startup_lines
from netbox_tui.netbox.cache import CacheMode, ResponseCache
from netbox_tui.secrets import token_identity

TOKEN_V1 = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only tokens
TOKEN_V2 = "nbt_Ez6TDRTyTxrV.demoreadonlytoken0123456789abcdefghijklmn"
INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "t", "version": "0"}}}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


# -- in process: the guard, the bind address, the pool -------------------------------------------------------

async def _through_guard(headers: dict[str, str], server_token: Optional[str] = None) -> tuple[int, Any, str]:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen["user"] = scope.get("user")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    transport = httpx.ASGITransport(app=TokenAuth(app, server_token))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        resp = await client.post("/mcp", headers=headers, content=b"{}")
    return resp.status_code, seen.get("user"), resp.text


@pytest.mark.parametrize("header", [f"Bearer {TOKEN_V1}", f"bearer {TOKEN_V2}", f"Token {TOKEN_V1}"])
async def test_the_guard_passes_a_v1_or_v2_token_as_the_users_identity(header):
    status, user, _ = await _through_guard({"Authorization": header})
    token = header.split(" ", 1)[1]
    assert status == 200 and user.access_token.token == token
    assert user.access_token.client_id == token_identity(token) and token not in user.access_token.client_id


@pytest.mark.parametrize("headers, said", [
    ({}, "send your NetBox API token"),
    ({"Authorization": "Basic dXNlcjpwdw=="}, "is not 'Bearer <NetBox token>'"),
    ({"Authorization": "Bearer short"}, "not a NetBox token")])
async def test_the_guard_refuses_a_request_without_a_netbox_token(headers, said):
    status, user, text = await _through_guard(headers)
    assert status == 401 and user is None and said in text


async def test_the_servers_own_token_answers_only_requests_without_one():
    status, user, _ = await _through_guard({}, server_token=TOKEN_V1)
    assert status == 200 and user.access_token.token == TOKEN_V1
    status, user, _ = await _through_guard({"Authorization": f"Bearer {TOKEN_V2}"}, server_token=TOKEN_V1)
    assert user.access_token.token == TOKEN_V2


@pytest.mark.parametrize("text, expected", [("127.0.0.1:8765", ("127.0.0.1", 8765)),
                                            ("[::1]:80", ("::1", 80)),
                                            ("0.0.0.0:1", ("0.0.0.0", 1))])
def test_parse_bind(text, expected):
    assert parse_bind(text) == expected


@pytest.mark.parametrize("text", ["8765", "host:", "host:99999", ":80"])
def test_parse_bind_refuses_what_is_not_host_port(text):
    with pytest.raises(UsageError, match="expected HOST:PORT"):
        parse_bind(text)


def _pool(max_tokens: int = 8, idle: float = 900.0) -> TokenPool:
    settings = Settings.model_validate({"netbox": {"default": {"url": "http://127.0.0.1:9"}}})
    cache = ResponseCache(None, lambda kind: 0, mode=CacheMode.OFF)
    return TokenPool(settings, cache, token_budget=2000, cache_mode=CacheMode.NORMAL, max_tokens=max_tokens,
                     idle=idle)


async def test_the_pool_keeps_one_client_per_token_keyed_by_its_hash():
    pool = _pool()
    a, again, b = await pool.tools(TOKEN_V1), await pool.tools(f" {TOKEN_V1} "), await pool.tools(TOKEN_V2)
    assert a is again and a is not b and len(pool) == 2
    assert set(pool._entries) == {token_identity(TOKEN_V1), token_identity(TOKEN_V2)}
    assert a.orch.client.token_id == token_identity(TOKEN_V1)
    assert b.orch.client.token_id == token_identity(TOKEN_V2)
    assert a.orch.client._http.headers["Authorization"] == f"Token {TOKEN_V1}"
    assert b.orch.client._http.headers["Authorization"] == f"Bearer {TOKEN_V2}"
    await pool.aclose()
    assert len(pool) == 0 and a.orch.client._http.is_closed


async def test_the_pool_is_bounded_and_closes_idle_clients():
    pool = _pool(max_tokens=2, idle=60)
    tokens = [f"{i:040d}" for i in range(3)]
    first = await pool.tools(tokens[0])
    await pool.tools(tokens[1])
    await pool.tools(tokens[2])  # over the bound: the least recently used goes, its client closed
    assert len(pool) == 2 and token_identity(tokens[0]) not in pool._entries
    assert first.orch.client._http.is_closed
    assert await pool.sweep(now=time.monotonic() + 30) == 0
    busy = await pool.tools(tokens[2])
    async with busy._lock:  # a token mid-call is never closed under it
        assert await pool.sweep(now=time.monotonic() + 61) == 1
    assert list(pool._entries) == [token_identity(tokens[2])]
    await pool.aclose()


# -- real server processes on the fixture NetBox -----------------------------------------------------------

def _fixture_url() -> str:
    url = os.environ.get("NETBOX_FIXTURE_URL", "http://127.0.0.1:8001").rstrip("/")
    try:
        resp = httpx.get(f"{url}/api/status/", headers={"Authorization": f"Token {TOKEN_V1}"}, timeout=10)
        resp.raise_for_status()
    except httpx.HTTPError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI: the fixture NetBox at {url} does not answer ({exc})", pytrace=False)
        pytest.skip(f"the fixture NetBox at {url} does not answer: scripts/netbox-fixture starts it")
    return url


def _limited_token() -> str:
    token = os.environ.get("NETBOX_FIXTURE_LIMITED_TOKEN", "")
    if not token:
        if os.environ.get("CI"):
            pytest.fail("CI: NETBOX_FIXTURE_LIMITED_TOKEN is not set (scripts/test exports it)",
                        pytrace=False)
        pytest.skip("NETBOX_FIXTURE_LIMITED_TOKEN not set: scripts/netbox-fixture prints it")
    return token


async def _session_calls(url: str, token: str, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """One MCP session with `token`: each tool call's result, in order."""
    async with create_mcp_http_client(headers={"Authorization": f"Bearer {token}"}) as http:
        async with streamable_http_client(url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return [await session.call_tool(name, args) for name, args in calls]


def ask(url: str, token: str, *questions: str, as_json: bool = False) -> list[Any]:
    calls = [("ask", {"question": q, **({"json": True} if as_json else {})}) for q in questions]
    return asyncio.run(_session_calls(url, token, calls))


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Two server processes on the fixture NetBox sharing one cache: one Redis (NETBOX_TUI_CACHE_URL)
    when redis-server is installed, and one cache directory in any case."""
    url = _fixture_url()
    home = tmp_path_factory.mktemp("mcp-http")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONUNBUFFERED": "1", "NETBOX_URL": url,
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache")}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    redis = None
    try:
        from redisproc import RedisProcess

        redis = RedisProcess().start()
        env["NETBOX_TUI_CACHE_URL"] = redis.url
    except (ImportError, FileNotFoundError):
        if os.environ.get("CI"):
            pytest.fail("CI: redis-server (tests/redisproc.py) is needed for the shared-cache test",
                        pytrace=False)
    first, second = McpHttpProcess(home, env), McpHttpProcess(home, env)
    yield first, second, home, redis
    first.stop()
    second.stop()
    if redis is not None:
        redis.stop()


@pytest.mark.integration
def test_v1_and_v2_tokens_from_the_bearer_header_both_answer(servers):
    first, _, _, _ = servers
    v1, = ask(first.url, TOKEN_V1, "devices at DM-Akron")
    v2, = ask(first.url, TOKEN_V2, "devices at DM-Akron")
    assert not v1.is_error and not v2.is_error, text_of(v1) + text_of(v2)
    assert text_of(v1).startswith("4 devices at DM-Akron") and text_of(v2).startswith("4 devices at DM-Akron")


@pytest.mark.integration
def test_a_token_netbox_rejects_is_an_auth_tool_error(servers):
    first, _, _, _ = servers
    result, = ask(first.url, "f" * 40, "devices at DM-Akron")
    assert result.is_error and "token" in text_of(result).lower() and "f" * 40 not in text_of(result)


@pytest.mark.integration
def test_no_token_is_401_and_a_session_answers_only_the_token_that_opened_it(servers):
    first, _, _, _ = servers
    with httpx.Client(timeout=30) as http:
        assert http.post(first.url, json=INIT, headers=MCP_HEADERS).status_code == 401
        mine_only = {**MCP_HEADERS, "Authorization": f"Bearer {TOKEN_V1}"}
        opened = http.post(first.url, json=INIT, headers=mine_only)
        assert opened.status_code == 200
        sid = opened.headers["mcp-session-id"]
        listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
        same = {**MCP_HEADERS, "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18"}
        other = http.post(first.url, json=listing, headers={**same, "Authorization": f"Bearer {TOKEN_V2}"})
        assert other.status_code == 404
        mine = http.post(first.url, json=listing, headers={**same, "Authorization": f"Bearer {TOKEN_V1}"})
        assert mine.status_code == 200 and '"ask"' in mine.text


def _rows(result: Any) -> list[dict[str, Any]]:
    import json

    data = json.loads(text_of(result))
    return [dict(zip(t["columns"], row)) for t in data.get("tables", []) for row in t.get("rows", [])]


@pytest.mark.integration
def test_a_limited_user_never_sees_another_tokens_rows_through_the_shared_cache(servers):
    limited = _limited_token()
    first, second, home, redis = servers
    questions = ["devices at DM-Scranton", "list all sites", "devices", "VLANs at DM-Scranton", "racks"]
    # The unrestricted token fills the shared cache first, through the other process.
    full = ask(second.url, TOKEN_V1, *questions, as_json=True)
    assert all(not r.is_error for r in full) and len(_rows(full[0])) > 0
    seen = ask(first.url, limited, *questions, as_json=True)
    assert all(not r.is_error for r in seen), [text_of(r) for r in seen]
    rows = [row for r in seen for row in _rows(r)]
    assert rows, "the limited user sees DM-Akron's rows"
    assert not any("Scranton" in str(row) for row in rows), rows
    listed = _rows(seen[1]) + _rows(seen[2]) + _rows(seen[4])  # sites, devices, racks
    sites = {str(row.get("site") or row.get("name")) for row in listed}
    assert sites == {"DM-Akron"}, sites
    # ... and the other way round: the limited answers, now cached, do not narrow the full token's.
    again = ask(first.url, TOKEN_V1, "list all sites", as_json=True)
    assert len(_rows(again[0])) > 1
    # No token is written to the logs, the cache directory or the shared cache's keys.
    for token in (TOKEN_V1, limited):
        for path in [first.log, second.log, *(p for p in (home / "cache").rglob("*") if p.is_file())]:
            assert token.encode() not in path.read_bytes(), path
    if redis is not None:
        import redis as redis_lib

        keys = redis_lib.Redis.from_url(redis.url).keys("*")
        assert keys, "the servers share the Redis cache"
        assert not any(limited.encode() in k or TOKEN_V1.encode() in k for k in keys)


@pytest.mark.parametrize("argv, said", [
    (["mcp", "--server-token"], "--server-token applies to mcp --http only"),
    (["mcp", "--http", "127.0.0.1:1", "--demo"], "--demo and --snapshot are for stdio"),
    (["mcp", "--http", "nope", "--url", "http://127.0.0.1:9"], "expected HOST:PORT")])
def test_mcp_http_argument_errors_are_one_line_and_exit_2(argv, said, capsys):
    from netbox_tui.cli import main

    assert main(argv) == 2
    assert said in capsys.readouterr().err


@pytest.mark.integration
def test_the_limited_users_v2_token_is_passed_on_as_bearer_and_limits_it_too(servers):
    token = os.environ.get("NETBOX_FIXTURE_LIMITED_TOKEN_V2", "")
    if not token:
        pytest.skip("NETBOX_FIXTURE_LIMITED_TOKEN_V2 not set (scripts/netbox-fixture prints it)")
    first, _, _, _ = servers
    sites, devices = ask(first.url, token, "list all sites", "devices at DM-Scranton", as_json=True)
    assert [r["name"] for r in _rows(sites)] == ["DM-Akron"], text_of(sites)
    assert not _rows(devices), text_of(devices)


def test_start_up_says_whose_token_answers_and_what_is_not_checked():
    quiet = startup_lines(NetBoxProfile(url="http://127.0.0.1:8001"), "127.0.0.1", 8765, server_token=False)
    assert quiet == ["serving http://127.0.0.1:8001 on http://127.0.0.1:8765/mcp (read-only)",
                     "each request must carry its user's NetBox token: Authorization: Bearer <token>"]
    unverified = NetBoxProfile(url="https://nb.example", verify_tls=False)
    loud = startup_lines(unverified, "0.0.0.0", 80, server_token=True)
    assert "this server's own NetBox token (--server-token)" in loud[1]
    assert any("verify_tls = false" in line for line in loud) and any("in clear" in line for line in loud)


def test_an_unreadable_ca_bundle_fails_at_start(tmp_path):
    check_ca_bundle(NetBoxProfile(url="http://127.0.0.1:8001", ca_bundle=tmp_path / "none.pem"))  # no TLS
    with pytest.raises(ConfigError, match="cannot read the CA bundle"):
        check_ca_bundle(NetBoxProfile(url="https://nb.example", ca_bundle=tmp_path / "none.pem"))
