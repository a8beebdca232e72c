"""The async NetBox REST client: one httpx pool per profile, read-only by construction.

Retries 429/5xx and connection errors with exponential backoff and jitter (honouring
Retry-After), pages with limit/offset, splits long repeated-value filters under gunicorn's
request-line limit, checks filter names before sending, caches by token identity and counts
every request.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import ssl
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence, TypeVar, Union
from urllib.parse import quote, urlencode

import httpx

from netbox_tui import __version__
from netbox_tui.config import NetBoxProfile, Settings
from netbox_tui.errors import (
    AuthError,
    BadFilterError,
    ConfigError,
    InvalidResponseError,
    NetBoxError,
    NotFoundError,
    ResponseTooLargeError,
    ServerError,
    TimeoutError,
    TLSError,
    UnreachableError,
    WriteRefusedError,
)
from netbox_tui.netbox.cache import MISS, CacheMode, ResponseCache, cache_for, cache_key
from netbox_tui.netbox.endpoints import EndpointRegistry
from netbox_tui.netbox.stats import RequestStats
from netbox_tui.secrets import auth_header, token_identity

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
GRAPHQL_PATH = "graphql/"
ParamValue = Union[str, int, float, bool, None, Sequence[Union[str, int]]]
Params = Union[Mapping[str, ParamValue], Sequence[tuple[str, Any]], None]
T = TypeVar("T")


def normalise_params(params: Params) -> list[tuple[str, str]]:
    """Mapping or pairs -> sorted (name, value) pairs; a list value becomes repeated pairs (OR in NetBox)."""
    if not params:
        return []
    items = params.items() if isinstance(params, Mapping) else params
    out: list[tuple[str, str]] = []
    for name, value in items:
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        for v in values:
            if isinstance(v, bool):
                v = "true" if v else "false"
            out.append((name, str(v)))
    return sorted(out)


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class ReadOnlyTransport(httpx.AsyncBaseTransport):
    """Wraps the real transport; refuses anything but GET (and POST to /graphql/) at the last gate."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        check_read_only(request.method, request.url.path)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def check_read_only(method: str, path: str) -> None:
    method = method.upper()
    if method in ("GET", "HEAD"):
        return
    # GraphQL lives at <prefix>/graphql/, outside the REST API: a REST path ending in graphql/ is not it.
    if method == "POST" and path.rstrip("/").endswith("/graphql") and "/api/" not in path + "/":
        return
    raise WriteRefusedError(f"refused {method} {path}: netbox-tui never writes to NetBox")


@dataclass
class Page:
    """One page of a list endpoint. `count` is NetBox's total of matching objects."""

    results: list[dict[str, Any]]
    count: int
    offset: int
    limit: int
    has_next: bool = False

    @property
    def end(self) -> int:
        return self.offset + len(self.results)


class NetBoxClient:
    def __init__(
        self,
        profile: NetBoxProfile,
        *,
        cache: ResponseCache | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        registry: EndpointRegistry | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if not profile.url:
            raise NetBoxError("no NetBox URL configured", "Set NETBOX_URL, --url or a profile's url, or run with --demo.")
        self.profile = profile
        self.base_url = profile.url
        token = profile.resolved_token()
        self._token_id = token_identity(token)
        headers = {"Accept": "application/json", "User-Agent": f"netbox-tui/{__version__}"}
        if token:
            headers["Authorization"] = auth_header(token)
        self.cache = cache or ResponseCache(None, lambda kind: 0, mode=CacheMode.OFF)
        self.registry = registry or EndpointRegistry.load()
        self.stats = RequestStats()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._max_bytes = int(profile.max_response_mb * 1024 * 1024)
        self._semaphore = asyncio.Semaphore(profile.concurrency)
        limits = httpx.Limits(max_connections=profile.max_connections, max_keepalive_connections=profile.max_keepalive)
        timeout = httpx.Timeout(profile.timeout_read, connect=profile.timeout_connect)
        verify: Any = profile.verify_tls
        if self.base_url.startswith("http://"):
            verify = False  # no TLS to verify; building an SSL context costs ~16 ms of start-up
        elif profile.verify_tls and profile.ca_bundle:
            verify = ssl.create_default_context(cafile=str(profile.ca_bundle.expanduser()))
        inner = transport or httpx.AsyncHTTPTransport(verify=verify, limits=limits, retries=0)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=timeout,
            limits=limits,
            transport=ReadOnlyTransport(inner),
            follow_redirects=False,
        )

    # -- lifecycle -----------------------------------------------------------------------------

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "NetBoxClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    @property
    def token_id(self) -> str:
        return self._token_id

    # -- the one place requests are made -----------------------------------------------------------

    async def request_json(
        self,
        method: str,
        path: str,
        params: Params = None,
        *,
        body: Any = None,
        kind: str = "default",
        use_cache: bool = True,
        validate: bool = True,
    ) -> Any:
        """Send one request (with retries) and return the parsed JSON, from the cache if fresh."""
        norm = EndpointRegistry.normalise(path)
        check_read_only(method, "/" + norm)
        pairs = normalise_params(params)
        if validate:
            self.registry.check(norm, {k for k, _ in pairs})
        url = "/" + norm if norm == GRAPHQL_PATH else "/api/" + norm  # GraphQL lives outside /api/
        if pairs:
            url += "?" + urlencode(pairs, quote_via=quote, safe=",/:")
        line = len(f"{method} {url} HTTP/1.1")
        if line > self.profile.max_request_line:
            raise NetBoxError(
                f"request line of {line} bytes exceeds the server limit ({self.profile.max_request_line})",
                "Split repeated filters with list_many().",
            )
        key = cache_key(self.base_url, self._token_id, norm, pairs, body) if use_cache else None
        if key is not None:
            hit = self.cache.get(key)
            if hit is not MISS:
                self.stats.cache_hits += 1
                return hit
        data = await self._send_with_retries(method, url, body)
        if key is not None:
            self.cache.set(key, data, kind)
        return data

    async def _send_with_retries(self, method: str, url: str, body: Any) -> Any:
        attempts = self.profile.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                return await self._send_once(method, url, body)
            except _Retryable as exc:
                if attempt >= attempts:
                    raise exc.final from None
                delay = exc.retry_after
                if delay is None:
                    base = self.profile.backoff_base * (2 ** (attempt - 1))
                    delay = base * (0.5 + self._rng.random() / 2)  # jitter: spread retrying clients
                delay = min(delay, self.profile.retry_after_max)
                self.stats.retries += 1
                log.info("retrying %s %s in %.2fs (attempt %d/%d): %s", method, url.split("?")[0], delay, attempt + 1, attempts, exc.final.message)
                await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send_once(self, method: str, url: str, body: Any) -> Any:
        started = time.perf_counter()
        async with self._semaphore:
            try:
                request = self._http.build_request(method, url, json=body)
                response = await self._http.send(request, stream=True)
            except httpx.ConnectTimeout as exc:
                raise _Retryable(UnreachableError(f"could not connect to {self.base_url} in {self.profile.timeout_connect:g} s")) from exc
            except httpx.TimeoutException as exc:
                self._count(started, 0)
                raise TimeoutError(f"NetBox did not answer {url.split('?')[0]} within {self.profile.timeout_read:g} s") from exc
            except httpx.ConnectError as exc:
                if _is_tls(exc):
                    raise TLSError(f"TLS verification of {self.base_url} failed: {_reason(exc)}") from exc
                raise _Retryable(UnreachableError(f"cannot reach {self.base_url}: {_reason(exc)}")) from exc
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                raise _Retryable(UnreachableError(f"connection to {self.base_url} dropped: {_reason(exc)}")) from exc
            try:
                raw = await self._read_capped(response, url)
            except httpx.TimeoutException as exc:
                self._count(started, 0)
                raise TimeoutError(f"NetBox stopped sending {url.split('?')[0]} (read timeout {self.profile.timeout_read:g} s)") from exc
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                self._count(started, 0)
                raise _Retryable(UnreachableError(f"connection to {self.base_url} dropped mid-answer: {_reason(exc)}")) from exc
            finally:
                await response.aclose()
        self._count(started, len(raw))
        return self._decode(response, raw, url)

    def _count(self, started: float, nbytes: int) -> None:
        self.stats.calls += 1
        self.stats.bytes += nbytes
        self.stats.elapsed += time.perf_counter() - started

    async def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self._max_bytes:
            raise ResponseTooLargeError(f"{url.split('?')[0]} would send {int(declared) / 1e6:.1f} MB (limit {self._max_bytes / 1e6:.0f} MB)")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_bytes:
                raise ResponseTooLargeError(f"{url.split('?')[0]} sent more than {self._max_bytes / 1e6:.0f} MB")
            chunks.append(chunk)
        return b"".join(chunks)

    def _decode(self, response: httpx.Response, raw: bytes, url: str) -> Any:
        status = response.status_code
        where = url.split("?")[0]
        body = _json_or_none(raw)
        if status == 200:
            if body is _NOT_JSON:
                kind = response.headers.get("Content-Type", "?").split(";")[0]
                raise InvalidResponseError(f"{where} answered {kind}, not JSON ({len(raw)} bytes)")
            if url.rstrip("/").endswith("graphql") and isinstance(body, dict) and body.get("errors"):
                first = body["errors"][0].get("message", "unknown error") if isinstance(body["errors"][0], dict) else body["errors"][0]
                raise BadFilterError(f"GraphQL error: {first}", "The query does not fit this NetBox's GraphQL schema.", detail=body["errors"])
            return body
        if status in RETRY_STATUS:
            final = ServerError(f"NetBox answered {status} for {where}", detail=body if body is not _NOT_JSON else None)
            if status == 429:
                final = ServerError(f"NetBox is rate-limiting (429) {where}", "Wait a moment and retry; lower concurrency in the profile.")
            raise _Retryable(final, _retry_after(response))
        if status in (401, 403):
            raise AuthError(f"NetBox refused the request ({status}): token rejected or lacks permission for {where}")
        if status == 404:
            if body is _NOT_JSON:
                raise NotFoundError(f"{where} does not exist on this NetBox", "Check NETBOX_URL and the NetBox version (>= 4.0 is supported).")
            raise NotFoundError(f"not found: {where}", detail=body)
        if status == 400:
            raise BadFilterError(f"NetBox refused the query: {_summarise_400(body)}", detail=body if body is not _NOT_JSON else None)
        if status in (301, 302, 307, 308):
            raise InvalidResponseError(f"{where} redirects to {response.headers.get('Location', '?')}", "Use the final URL (https? a path prefix?) as NETBOX_URL.")
        if 500 <= status < 600:
            raise ServerError(f"NetBox answered {status} for {where}")
        raise InvalidResponseError(f"NetBox answered {status} for {where}")

    # -- conveniences ----------------------------------------------------------------------------

    async def get(self, path: str, params: Params = None, *, kind: str = "default", use_cache: bool = True) -> Any:
        return await self.request_json("GET", path, params, kind=kind, use_cache=use_cache)

    async def page(
        self,
        path: str,
        params: Params = None,
        *,
        limit: int = 25,
        offset: int = 0,
        brief: bool = False,
        fields: Iterable[str] | None = None,
        omit: Iterable[str] | None = None,
        kind: str = "default",
        use_cache: bool = True,
    ) -> Page:
        """One page of a list endpoint, shaped with brief/fields/omit (fields wins in NetBox)."""
        pairs = normalise_params(params)
        pairs += [("limit", str(limit)), ("offset", str(offset))]
        if fields:
            pairs.append(("fields", ",".join(fields)))
        elif omit:
            pairs.append(("omit", ",".join(omit)))
        elif brief:
            pairs.append(("brief", "1"))
        data = await self.request_json("GET", path, pairs, kind=kind, use_cache=use_cache)
        if not isinstance(data, dict) or "results" not in data:
            raise InvalidResponseError(f"/api/{EndpointRegistry.normalise(path)} did not answer a NetBox list")
        results = data["results"]
        count = data.get("count")
        if count is None:  # cursor paging or a bare list
            count = offset + len(results) + (1 if data.get("next") else 0)
        return Page(results=results, count=int(count), offset=offset, limit=limit, has_next=bool(data.get("next")))

    async def iter_pages(
        self,
        path: str,
        params: Params = None,
        *,
        page_size: int = 1000,
        max_pages: int | None = None,
        **shape: Any,
    ) -> AsyncIterator[Page]:
        """Pages in order; the first page's count bounds the rest, so no extra empty request is made."""
        offset = 0
        pages = 0
        while True:
            page = await self.page(path, params, limit=page_size, offset=offset, **shape)
            yield page
            pages += 1
            offset = page.end
            if not page.results or offset >= page.count or (max_pages is not None and pages >= max_pages):
                return

    async def list_all(self, path: str, params: Params = None, *, page_size: int = 1000, **shape: Any) -> list[dict[str, Any]]:
        """Every matching object. After the first page, the remaining pages are fetched concurrently."""
        first = await self.page(path, params, limit=page_size, offset=0, **shape)
        if first.end >= first.count or not first.results:
            return list(first.results)
        offsets = range(first.end, first.count, page_size)
        rest = await self.gather([self.page(path, params, limit=page_size, offset=o, **shape) for o in offsets])
        rows = list(first.results)
        seen = {r.get("id") for r in rows}
        for p in rest:
            for r in p.results:
                if r.get("id") not in seen:  # offsets can shift if data changes between pages
                    seen.add(r.get("id"))
                    rows.append(r)
        return rows

    def split_values(self, path: str, params: Params, name: str, values: Sequence[Any], reserve: int = 80) -> list[list[str]]:
        """Chunks of values such that each request line stays under the server's limit."""
        ep = self.registry.get(path)
        if ep is not None and name in ep.single:
            raise NetBoxError(
                f"/api/{ep.path} filter {name!r} takes one value only (NetBox would keep the last of repeated values)",
                "Batch this look-up another way (GraphQL, or one query grouped on the client).",
            )
        base = "/api/" + EndpointRegistry.normalise(path) + "?" + urlencode(normalise_params(params), quote_via=quote, safe=",/:")
        budget = self.profile.max_request_line - len(base) - reserve
        chunks: list[list[str]] = []
        current: list[str] = []
        used = 0
        for v in dict.fromkeys(str(v) for v in values):  # de-duplicate, keep order
            cost = len(name) + len(quote(v, safe=",/:")) + 2
            if current and used + cost > budget:
                chunks.append(current)
                current, used = [], 0
            current.append(v)
            used += cost
        if current:
            chunks.append(current)
        return chunks

    async def list_many(
        self, path: str, params: Params, name: str, values: Sequence[Any], *, page_size: int = 1000, **shape: Any
    ) -> list[dict[str, Any]]:
        """All objects matching any of `values` for filter `name`: repeated values OR'ed, chunked, concurrent."""
        if not values:
            return []
        base = normalise_params(params)
        chunks = self.split_values(path, base, name, values)
        parts = await self.gather(
            [self.list_all(path, base + [(name, v) for v in chunk], page_size=page_size, **shape) for chunk in chunks]
        )
        seen: set[Any] = set()
        rows: list[dict[str, Any]] = []
        for part in parts:
            for r in part:
                if r.get("id") not in seen:
                    seen.add(r.get("id"))
                    rows.append(r)
        return rows

    async def gather(self, aws: Iterable[Awaitable[T]]) -> list[T]:
        """Run awaitables concurrently; the client's semaphore bounds requests in flight."""
        return list(await asyncio.gather(*aws))

    async def graphql(self, query: str, variables: dict[str, Any] | None = None, *, kind: str = "default", use_cache: bool = True) -> dict[str, Any]:
        body = {"query": query, "variables": variables or {}}
        data = await self.request_json("POST", GRAPHQL_PATH, None, body=body, kind=kind, use_cache=use_cache)
        if not isinstance(data, dict) or "data" not in data:
            raise InvalidResponseError("/graphql/ did not answer a GraphQL result")
        return data["data"]

    async def status(self) -> dict[str, Any]:
        """`/api/status/` (needs a token): version and installed apps. Never cached."""
        data = await self.request_json("GET", "status/", use_cache=False)
        if not isinstance(data, dict):
            raise InvalidResponseError("/api/status/ did not answer an object")
        return data


def live_client(settings: Settings, *, cache_mode: CacheMode = CacheMode.NORMAL) -> NetBoxClient:
    """A client for the active profile's NetBox, with the response cache the settings ask for.

    ConfigError (one line, with a hint) when no NetBox URL is configured."""
    profile = settings.active()
    if not profile.url:
        raise ConfigError(
            "no NetBox URL configured",
            "Set NETBOX_URL and NETBOX_TOKEN, pass --url/--token, use a profile (--profile), or try --demo.",
        )
    return NetBoxClient(profile, cache=cache_for(settings, cache_mode))


class _Retryable(Exception):
    def __init__(self, final: NetBoxError, retry_after: float | None = None) -> None:
        super().__init__(final.message)
        self.final = final
        self.retry_after = retry_after


_NOT_JSON = object()


def _json_or_none(raw: bytes) -> Any:
    if not raw:
        return _NOT_JSON
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return _NOT_JSON


def _summarise_400(body: Any) -> str:
    """NetBox's 400 body: {"field": ["message"]}, or a JSON list for some errors."""
    if isinstance(body, dict):
        parts = []
        for k, v in body.items():
            msg = v[0] if isinstance(v, list) and v else v
            parts.append(f"{k}: {msg}")
        return "; ".join(parts)[:300] or "bad request"
    if isinstance(body, list) and body:
        return str(body[0])[:300]
    return "bad request"


def _is_tls(exc: Exception) -> bool:
    text = repr(exc) + repr(exc.__cause__) + repr(exc.__context__)
    return "SSL" in text or "CERTIFICATE" in text.upper()


def _reason(exc: Exception) -> str:
    text = str(exc) or exc.__class__.__name__
    return text.splitlines()[0][:200]
