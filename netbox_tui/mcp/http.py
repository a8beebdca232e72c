"""`netbox-tui mcp --http HOST:PORT`: the same tools over the SDK's streamable HTTP transport (path /mcp),
for a team behind one server. Each request's `Authorization: Bearer <NetBox token>` (v1 or v2) picks
that user's own NetBox client, so NetBox's permissions apply per user; the server's own token answers a
request without one only when started with `--server-token` (said at start).

Tokens live in memory only: a client is keyed by the token's hash (`secrets.token_identity`, the same
hash the cache keys carry), the pool is bounded and closes clients left idle, and nothing here logs,
stores or echoes a token. The SDK binds each MCP session to the identity that opened it: a request
naming that session with another token is answered 404, as if the session did not exist.

Imported only on the --http path: starlette and uvicorn stay out of the stdio server's start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
import sys
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Optional

from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from netbox_tui.config import NetBoxProfile, Settings
from netbox_tui.errors import ConfigError, UsageError
from netbox_tui.mcp.service import Tools, warm_up
from netbox_tui.netbox.cache import CacheMode, ResponseCache
from netbox_tui.secrets import auth_header, normalise_token, token_identity
from netbox_tui.session import Session

log = logging.getLogger(__name__)

PATH = "/mcp"  # the SDK's default streamable HTTP path
MAX_TOKENS = 256  # distinct tokens with a live client; the least recently used idle one is closed past it
IDLE_CLOSE = 900.0  # seconds without a call after which a token's client is closed
SWEEP_EVERY = 60.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def parse_bind(text: str) -> tuple[str, int]:
    """`HOST:PORT` (`[::1]:PORT` for IPv6) -> (host, port); UsageError naming the expected form."""
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--http {text!r}: expected HOST:PORT, e.g. 127.0.0.1:8765")
    return host, int(port)


@dataclass
class _Entry:
    session: Session
    tools: Tools
    used: float


class TokenPool:
    """One Session (client, orchestrator) and one Tools per distinct NetBox token, all sharing the
    process's response cache; cache keys carry the token's hash, so users never share entries.

    A token's calls are served one at a time (Tools' lock), as over stdio: its paging handles and
    the NetBox call counts each result reports stay that user's own and exact."""

    def __init__(self, settings: Settings, cache: ResponseCache, *, token_budget: int, cache_mode: CacheMode,
                 max_tokens: int = MAX_TOKENS, idle: float = IDLE_CLOSE) -> None:
        self.settings = settings
        self.cache = cache
        self.token_budget = token_budget
        self.cache_mode = cache_mode
        self.max_tokens = max_tokens
        self.idle = idle
        self._entries: dict[str, _Entry] = {}
        self._lock = asyncio.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    async def tools(self, token: str) -> Tools:
        key = token_identity(token)
        async with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                await self._make_room()
                entry = self._entries[key] = _Entry(*self._open(token), used=time.monotonic())
            entry.used = time.monotonic()
            return entry.tools

    def _open(self, token: str) -> tuple[Session, Tools]:
        session = Session.for_token(self.settings, normalise_token(token), self.cache,
                                    cache_mode=self.cache_mode)
        return session, Tools(session, token_budget=self.token_budget, tables=self.settings.mcp.tables)

    async def _make_room(self) -> None:
        idle = sorted((e.used, k) for k, e in self._entries.items() if not _busy(e))
        for _, key in idle[: max(0, len(self._entries) - self.max_tokens + 1)]:
            await self._close(key)

    async def sweep(self, now: Optional[float] = None) -> int:
        """Close the clients of tokens unused for `idle` seconds (none mid-call); how many were closed."""
        now = time.monotonic() if now is None else now
        async with self._lock:
            stale = [k for k, e in self._entries.items() if now - e.used >= self.idle and not _busy(e)]
            for key in stale:
                await self._close(key)
        return len(stale)

    async def sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_EVERY)
            await self.sweep()

    async def _close(self, key: str) -> None:
        entry = self._entries.pop(key)
        await entry.session.aclose_client()  # the cache is the process's, shared by every token

    async def aclose(self) -> None:
        async with self._lock:
            for key in list(self._entries):
                await self._close(key)


def _busy(entry: _Entry) -> bool:
    return entry.tools._lock.locked()


def request_token(ctx: Any) -> str:
    """The NetBox token TokenAuth put on this tool call's HTTP request."""
    request = getattr(ctx, "request", None)
    user = request.scope.get("user") if request is not None else None
    if not isinstance(user, AuthenticatedUser):  # TokenAuth guards the route: only a wiring bug gets here
        raise RuntimeError("no NetBox token on this request")
    return user.access_token.token


class TokenAuth:
    """ASGI guard in front of the MCP endpoint: a request carries `Authorization: Bearer <token>` (or
    `Token <token>`) holding a NetBox v1 or v2 token, or gets the server's token when one is allowed,
    or is answered 401. The token's form is checked here; NetBox itself judges what it may read."""

    def __init__(self, app: ASGIApp, server_token: Optional[str] = None) -> None:
        self.app = app
        self.server_token = server_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"authorization"), None)
        token = self.server_token
        if raw is not None:
            scheme, _, value = raw.strip().partition(" ")
            token = value.strip() if scheme.lower() in ("bearer", "token") and value.strip() else None
            if token is None:
                await _unauthorized(send, "the Authorization header is not 'Bearer <NetBox token>'")
                return
        if token is None:
            await _unauthorized(send, "send your NetBox API token as 'Authorization: Bearer <token>'")
            return
        try:
            auth_header(token)
        except ConfigError:
            await _unauthorized(send, "not a NetBox token: a v1 token is 40 characters, "
                                      "a v2 token nbt_<key>.<secret>")
            return
        token = normalise_token(token)
        # The SDK compares this identity (client_id: the token's hash) on every request of a session.
        access = AccessToken(token=token, client_id=token_identity(token), scopes=[])
        scope["user"] = AuthenticatedUser(access)
        await self.app(scope, receive, send)


async def _unauthorized(send: Send, message: str) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": None, "error": {"code": -32001, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"www-authenticate", b'Bearer realm="netbox"'),
               (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def security_for(host: str) -> Optional[TransportSecuritySettings]:
    """DNS-rebinding protection on loopback, as the SDK's own app sets it; elsewhere the operator's
    proxy decides."""
    if host not in LOOPBACK:
        return None
    hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*"]
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts,
                                     allowed_origins=[f"http://{h}" for h in hosts])


def build_app(pool: TokenPool, *, host: str, server_token: Optional[str] = None) -> Starlette:
    from netbox_tui.mcp.server import build_server

    async def tools_for(ctx: Any) -> Tools:
        return await pool.tools(request_token(ctx))

    manager = StreamableHTTPSessionManager(app=build_server(tools_for), security_settings=security_for(host))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(pool.sweep_forever())
        try:
            async with manager.run():
                yield
        finally:
            sweeper.cancel()
            await pool.aclose()
            await pool.cache.aclose()

    endpoint = TokenAuth(StreamableHTTPASGIApp(manager), server_token)
    return Starlette(routes=[Route(PATH, endpoint=endpoint)], lifespan=lifespan)


def startup_lines(profile: NetBoxProfile, host: str, port: int, *, server_token: bool,
                  cache_warning: Optional[str] = None) -> list[str]:
    """What the server says on stderr as it starts: where, whose token, and what is not checked."""
    shown = f"[{host}]" if ":" in host else host
    lines = [f"serving {profile.url} on http://{shown}:{port}{PATH} (read-only)",
             "requests without a token use this server's own NetBox token (--server-token)" if server_token
             else "each request must carry its user's NetBox token: Authorization: Bearer <token>"]
    if profile.url and profile.url.startswith("https://"):
        if not profile.verify_tls:
            lines.append("WARNING: verify_tls = false: NetBox's TLS certificate is not checked")
        elif profile.ca_bundle:
            lines.append(f"NetBox's TLS certificate is checked against {profile.ca_bundle}")
    if host not in LOOPBACK:
        lines.append(f"WARNING: listening on {host}: tokens cross the network in clear unless a TLS proxy "
                     "is in front")
    if cache_warning:
        lines.append(cache_warning)
    return lines


def check_ca_bundle(profile: NetBoxProfile) -> None:
    """A CA bundle that cannot be read is said at start (a ConfigError), not at each user's first call."""
    if not (profile.url or "").startswith("https://") or not profile.verify_tls or not profile.ca_bundle:
        return
    bundle = profile.ca_bundle.expanduser()
    try:
        ssl.create_default_context(cafile=str(bundle))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot read the CA bundle {bundle}: {getattr(exc, 'strerror', None) or exc}",
                          "Point ca_bundle (NETBOX_CA_BUNDLE) at a readable PEM file.") from None


def serve_http(settings: Settings, bind: str, *, cache_mode: CacheMode, token_budget: Optional[int] = None,
               use_server_token: bool = False) -> int:
    import uvicorn

    from netbox_tui.netbox.cache import cache_for

    host, port = parse_bind(bind)
    profile = settings.active()
    if not profile.url:
        raise ConfigError("mcp --http serves a live NetBox: no NetBox URL configured",
                          "Set NETBOX_URL, --url or a profile's url (--demo and --snapshot are for stdio).")
    server_token = profile.resolved_token() if use_server_token else None
    if use_server_token and not server_token:
        raise ConfigError("--server-token: the profile has no token",
                          "Set NETBOX_TOKEN, --token or the profile's token_file.")
    check_ca_bundle(profile)
    cache = cache_for(settings, cache_mode)
    budget = token_budget or settings.mcp.token_budget
    pool = TokenPool(settings, cache, token_budget=budget, cache_mode=cache_mode)
    warm_up()
    said = startup_lines(profile, host, port, server_token=bool(server_token), cache_warning=cache.warning)
    for line in said:
        print(f"netbox-tui mcp: {line}", file=sys.stderr)
    app = build_app(pool, host=host, server_token=server_token)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="on")
    try:
        asyncio.run(uvicorn.Server(config).serve())
    except KeyboardInterrupt:
        pass
    return 0
