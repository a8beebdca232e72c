"""The async NetBox REST client: one httpx pool per profile, read-only by construction.

Retries 429/5xx and connection errors with exponential backoff and jitter (honouring
Retry-After), pages with limit/offset, splits long repeated-value filters under gunicorn's
request-line limit, checks filter names before sending, caches by token identity and counts
every request.

It is also the one boundary NetBox's data crosses, so what NetBox sends is made safe here,
before anything else reads it:
- every string of every answer (keys included, GraphQL and error bodies too) loses terminal
  control sequences, C0/C1 controls and bidi overrides (`scrub`), and any echo of the token;
- list pages keep only the objects whose fields the tool reads are readable (an int id, nested
  objects with ids, parsable addresses); the others are skipped and counted;
- a count that contradicts the rows is not believed: the rows are, and the question says so;
- how many pages are fetched is bounded by what was asked (`cap`), never by NetBox's count.
Requests made for a question (`question()`) share its deadline and one retry budget, and an
expired cache entry answers for a NetBox that is unreachable or failing, said as stale.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import ipaddress
import json
import logging
import math
import random
import re
import ssl
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Optional,
    Sequence,
    TypeVar,
    Union,
)
from urllib.parse import quote, urlencode

import httpx

from netbox_tui import __version__
from netbox_tui.config import NetBoxProfile, Settings
from netbox_tui.errors import (
    AuthError,
    BadFilterError,
    ConfigError,
    DeadlineError,
    InvalidResponseError,
    NetBoxError,
    NotFoundError,
    NoTokenError,
    PermissionDeniedError,
    RateLimitedError,
    ResponseTooLargeError,
    ServerError,
    TimeoutError,
    TLSError,
    TokenRejectedError,
    UnknownFilterError,
    UnreachableError,
    WriteRefusedError,
    WrongURLError,
)
from netbox_tui.netbox.cache import CacheMode, ResponseCache, cache_for, cache_key
from netbox_tui.netbox.endpoints import EndpointRegistry
from netbox_tui.netbox.stats import Question, RequestStats, current_question, reset_question, set_question
from netbox_tui.schema import FK
from netbox_tui.schema import load as load_schema
from netbox_tui.secrets import auth_header, normalise_token, token_identity
from netbox_tui.terminal import strip as strip_terminal

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
GRAPHQL_PATH = "graphql/"
# NetBox failing rather than refusing: an expired cache entry may answer instead (stale-if-error).
STALE_OK = (UnreachableError, ServerError, TimeoutError)
PARSE_OFF_LOOP = 512 * 1024  # bodies larger than this are parsed and scrubbed in a thread
MAX_PLAUSIBLE_COUNT = 100_000_000  # no NetBox table holds more: a larger count is not believed
PAGE_WINDOW = 8  # pages fetched at once when listing many (the semaphore bounds requests in flight)
LIST_CAP = 50_000  # rows list_all reads unless told otherwise
ADDRESS_FIELDS = frozenset({"address", "prefix", "start_address", "end_address"})
# The lookups NetBox gives a custom field's filter (`cf_<name>__<lookup>`), by the field's type.
_TEXT_LOOKUPS = frozenset({"n", "ic", "nic", "isw", "nisw", "iew", "niew", "ie", "nie", "empty", "regex",
                           "iregex"})
_NUM_LOOKUPS = frozenset({"n", "lt", "lte", "gt", "gte", "empty"})
CUSTOM_FIELDS_MEMO = 60.0  # seconds a client keeps the custom fields it read, whatever the cache
CUSTOM_FIELD_LOOKUPS = {
    "text": _TEXT_LOOKUPS, "longtext": _TEXT_LOOKUPS, "url": _TEXT_LOOKUPS, "select": _TEXT_LOOKUPS,
    "integer": _NUM_LOOKUPS, "decimal": _NUM_LOOKUPS, "date": _NUM_LOOKUPS, "datetime": _NUM_LOOKUPS,
    # Measured on 4.7.3: a boolean's `__n` and `__empty` are ignored (all rows come back), an object's work.
    "boolean": frozenset(), "object": frozenset({"n", "empty"}), "multiobject": frozenset({"n", "empty"}),
    "multiselect": frozenset({"n", "empty"}), "json": frozenset({"empty"}),
}
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


# -- NetBox text never drives the terminal ------------------------------------------------------------

# Whole sequences first (CSI, and OSC/DCS/APC/PM/SOS strings with their terminator), then what is left
# of any other escape, C0 controls but tab and newline, DEL, C1 controls, and the bidi overrides and
# isolates that reorder what is shown. An unterminated OSC loses only its introducer: its text stays visible.
# In raw JSON: such a character as a \u escape, or itself (C0 raw, C1 and bidi as UTF-8). When none is
# there the body holds nothing to scrub and is not walked. Cheap scans first (bytes.translate, `in`):
# a regex over a 20 MB body costs a second, and no regex releases the GIL.
_C0_BYTES = bytes([*range(0, 9), *range(11, 32), 127])
_ESCAPED = re.compile(rb"\\u(?:00[0-1][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|202[a-eA-E]|206[6-9])")
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_BIDI_UTF8 = re.compile(rb"\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def scrub_text(text: str, secrets: Sequence[str] = ()) -> str:
    """One string from NetBox made safe to print: no terminal control, no reordering, no token."""
    text = strip_terminal(text)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "****")
    return text


def scrub(value: Any, secrets: Sequence[str] = ()) -> Any:
    """Every string of a parsed JSON value, keys included, through scrub_text (a new value)."""
    if isinstance(value, str):
        return scrub_text(value, secrets)
    if isinstance(value, list):
        return [scrub(v, secrets) for v in value]
    if isinstance(value, dict):
        return {
            (scrub_text(k, secrets) if isinstance(k, str) else k): scrub(v, secrets) for k, v in value.items()
        }
    return value


def needs_scrub(raw: bytes, secrets: Sequence[bytes] = ()) -> bool:
    """Whether a raw JSON body may hold something `scrub` removes (false positives are only slower)."""
    if len(raw.translate(None, _C0_BYTES)) != len(raw):
        return True
    if b"\\u" in raw and _ESCAPED.search(raw):
        return True
    if b"\xc2" in raw and _C1_UTF8.search(raw):
        return True
    if (b"\xe2\x80" in raw or b"\xe2\x81" in raw) and _BIDI_UTF8.search(raw):
        return True
    return any(s in raw for s in secrets)


class Rows(list):
    """Rows of a listing, with what is known of the whole: NetBox's count (as believed) and whether
    every matching row was read (`complete` is False when the cap stopped the reading)."""

    def __init__(self, rows: Iterable[Any] = (), total: int = 0, complete: bool = True) -> None:
        super().__init__(rows)
        self.total = total
        self.complete = complete


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


def _undecodable(url: str) -> InvalidResponseError:
    return InvalidResponseError(
        f"{url.split('?')[0]} sent a body that does not decode as its Content-Encoding says: "
        "a proxy in between may be rewriting it"
    )


MAX_PAGE = 1000  # NetBox's MAX_PAGE_SIZE: it returns no more rows a request than this, whatever is asked


async def gather_all(aws: Iterable[Awaitable[T]]) -> list[T]:
    """asyncio.gather, but the first failure cancels the others: no request of a failed question
    keeps going, spending its retry budget and landing in the next question's counts."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


@dataclass(frozen=True)
class CustomField:
    """One custom field of the connected NetBox (/api/extras/custom-fields/), as questions need it."""

    name: str
    label: str
    type: str  # text, longtext, integer, decimal, boolean, date, datetime, url, json, select, object…
    object_types: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) of its choice set's own choices
    filter_logic: str = "exact"  # exact, loose (text filters contain), disabled (no filter at all)
    related_object_type: Optional[str] = None  # object fields: the model they point to (tenancy.contact)
    choice_set: Optional[int] = None  # the id of its choice set, whose choices are read only when asked for


def _value(v: Any) -> str:
    """A NetBox choice (`{"value": "date", "label": "Date"}`) or a plain value -> the value."""
    return str(v.get("value") if isinstance(v, dict) else v or "")


@dataclass
class Page:
    """One page of a list endpoint. `count` is NetBox's total of matching objects."""

    results: list[dict[str, Any]]
    count: int
    offset: int
    limit: int
    has_next: bool = False
    unreadable: int = 0  # objects NetBox sent that were skipped (malformed)
    count_note: str = ""  # why NetBox's own count was not believed, if it was not

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
            raise NetBoxError(
                "no NetBox URL configured", "Set NETBOX_URL, --url or a profile's url, or run with --demo."
            )
        self.profile = profile
        self.base_url = profile.url
        # What messages say: the URL without any user:password it may carry.
        self.shown_url = re.sub(r"//[^/@]*@", "//", self.base_url)
        # Set by the back-end when the client answers from a snapshot file (the embedded demo's too): its url,
        # netbox_version and taken_at, for whatever must say the data is not the NetBox's as it is now.
        self.snapshot_meta: Optional[dict[str, Any]] = None
        token = profile.resolved_token()
        self._token_id = token_identity(token)
        # What an answer must never echo: the token (a proxy or error page may reflect request headers).
        secret = normalise_token(token) if token else ""
        self._secrets = tuple(x for x in {secret, secret.split(".", 1)[-1]} if len(x) >= 16)
        self._secrets_b = tuple(x.encode() for x in self._secrets)
        headers = {"Accept": "application/json", "User-Agent": f"netbox-tui/{__version__}"}
        self._has_token = bool(token)
        if token:
            headers["Authorization"] = auth_header(token)
        self.cache = cache or ResponseCache(None, lambda kind: 0, mode=CacheMode.OFF)
        self.registry = registry or EndpointRegistry.load()
        # (when read, model -> name -> field, whether the choices of select fields were read too)
        self._custom_fields_kept: Optional[tuple[float, dict[str, dict[str, CustomField]], bool]] = None
        self.stats = RequestStats()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._max_bytes = int(profile.max_response_mb * 1024 * 1024)
        self._semaphore = asyncio.Semaphore(profile.concurrency)
        limits = httpx.Limits(
            max_connections=profile.max_connections, max_keepalive_connections=profile.max_keepalive
        )
        timeout = httpx.Timeout(profile.timeout_read, connect=profile.timeout_connect)
        verify: Any = profile.verify_tls
        if self.base_url.startswith("http://"):
            verify = False  # no TLS to verify; building an SSL context costs ~16 ms of start-up
        elif profile.verify_tls and profile.ca_bundle:
            bundle = profile.ca_bundle.expanduser()
            try:
                verify = ssl.create_default_context(cafile=str(bundle))
            except (OSError, ssl.SSLError) as exc:
                raise ConfigError(
                    f"cannot read the CA bundle {bundle}: {exc.strerror or exc}",
                    "Point ca_bundle (NETBOX_CA_BUNDLE) at a readable PEM file, or remove it to "
                    "use the system's CAs.",
                ) from exc
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

    # -- one question: its deadline, its retry budget, what its answer must say ----------------------

    @contextmanager
    def question(self, *, deadline: Optional[float] = None, refresh: bool = False) -> Iterator[Question]:
        """Requests made inside share one `Question` (every task `gather` starts inherits it): the
        profile's `deadline` unless told otherwise. Nested use joins the question already open (a
        drill that asks a question is one question)."""
        outer = current_question()
        if outer is not None:
            if refresh:
                outer.refresh = True
            yield outer
            return
        attempts = self.profile.max_attempts
        q = Question(deadline=self.profile.deadline if deadline is None else deadline, refresh=refresh,
                     max_attempts=attempts, retry_tokens=2.0 * attempts)
        token = set_question(q)
        try:
            yield q
        finally:
            reset_question(token)

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
        """Send one request (with retries) and return the parsed, scrubbed JSON, from the cache if
        fresh; if NetBox is unreachable or failing, from an expired cache entry, said as stale."""
        norm = EndpointRegistry.normalise(path)
        check_read_only(method, "/" + norm)
        pairs = normalise_params(params)
        if validate:
            names = {k for k, _ in pairs}
            custom = {k for k in names if k.startswith("cf_")}
            if custom:  # NetBox ignores an unknown custom-field filter too: only the connected NetBox's pass
                await self._check_custom_fields(norm, custom)
            self.registry.check(norm, names - custom)
        url = "/" + norm if norm == GRAPHQL_PATH else "/api/" + norm  # GraphQL lives outside /api/
        if pairs:
            url += "?" + urlencode(pairs, quote_via=quote, safe=",/:")
        line = len(f"{method} {url} HTTP/1.1")
        if line > self.profile.max_request_line:
            raise NetBoxError(
                f"request line of {line} bytes exceeds the server limit ({self.profile.max_request_line})",
                "Split repeated filters with list_many().",
            )
        q = current_question()
        key = cache_key(self.base_url, self._token_id, norm, pairs, body) if use_cache else None
        if key is not None and not (q is not None and q.refresh):
            hit = await self.cache.get_entry(key)
            if hit is not None:
                self.stats.cache_hits += 1
                if q is not None:
                    q.used_cache(hit[1])
                return hit[0]
        # An expired entry in hand: NetBox gets half of the time left, then the entry answers
        # (stale-if-error).
        stale = await self.cache.get_stale(key) if key is not None and q is not None else None
        left = q.remaining() if q is not None else None
        until = time.monotonic() + max(left, 0.0) / 2 if stale is not None and left is not None else None
        try:
            if q is not None and q.down is not None:
                raise q.down  # NetBox already failed this question: do not knock again
            data = await self._send_with_retries(method, url, body, until)
        except STALE_OK as exc:
            if stale is None:
                stale = await self.cache.get_stale(key) if key is not None else None
            if stale is None:
                raise
            self.stats.stale_hits += 1
            if q is not None:
                q.served_stale(stale[1], exc)
            log.info("serving %s from an expired cache entry: %s", url.split("?")[0], exc.message)
            return stale[0]
        if key is not None:
            await self.cache.set(key, data, kind)
        return data

    async def _send_with_retries(
        self, method: str, url: str, body: Any, until: Optional[float] = None
    ) -> Any:
        """`until` (monotonic): when a stale cache entry stands ready, give up on NetBox then."""
        q = current_question()
        attempt = 0
        while True:
            attempt += 1
            try:
                data = await self._send_once(method, url, body, q, until)
            except _Retryable as exc:
                final = exc.final
                if q is None:
                    if attempt >= self.profile.max_attempts:
                        raise final from None
                else:
                    q.failure(final)
                    if not q.may_retry(attempt):
                        if q.failing() or isinstance(final, UnreachableError) and not q.successes:
                            q.down = q.down or final  # NetBox is not answering this question: stop it early
                        raise final from None
                delay = exc.retry_after
                # asking sooner than NetBox said is no retry
                if delay is not None and delay > self.profile.retry_after_max:
                    raise type(final)(
                        f"{final.message}; it asks to wait {delay:g} s, more than retry_after_max "
                        f"({self.profile.retry_after_max:g} s)",
                        final.hint,
                    ) from None
                if delay is None:
                    base = self.profile.backoff_base * (2 ** (attempt - 1))
                    delay = base * (0.5 + self._rng.random() / 2)  # jitter: spread retrying clients
                delay = min(delay, self.profile.retry_after_max)
                if q is not None:
                    left = q.remaining()
                    if until is not None:
                        left = min(left if left is not None else math.inf, until - time.monotonic())
                    if left is not None and delay >= left:
                        raise final from None  # the wait alone would pass the question's deadline
                    q.spend_retry()
                self.stats.retries += 1
                log.info(
                    "retrying %s %s in %.2fs (attempt %d): %s",
                    method,
                    url.split("?")[0],
                    delay,
                    attempt + 1,
                    final.message,
                )
                await self._sleep(delay)
                continue
            except (DeadlineError, _Impatient) as exc:
                error = exc.error if isinstance(exc, _Impatient) else exc
                if q is not None:
                    # no time left (or a cached answer waits): later requests need not try
                    q.down = q.down or error
                raise error from None
            except InvalidResponseError as exc:
                if q is not None and not q.successes:
                    # not NetBox's API (a login page, garbage): asking again will not help
                    q.down = q.down or exc
                raise
            except AuthError as exc:
                if q is not None and not isinstance(exc, PermissionDeniedError):
                    q.down = q.down or exc  # no token, or one NetBox rejects: every other request fails alike
                raise
            except NotFoundError as exc:
                if q is None or not exc.page:  # the probe is for a question's answer, which it also stops
                    raise
                error = await self._url_or_endpoint(exc, url)
                if isinstance(error, WrongURLError):
                    q.down = q.down or error
                raise error from None
            if q is not None:
                q.success()
            return data

    async def _send_once(
        self, method: str, url: str, body: Any, q: Optional[Question] = None, until: Optional[float] = None
    ) -> Any:
        left = q.remaining() if q is not None else None
        patience = until - time.monotonic() if until is not None else None
        if left is None and patience is None:
            return await self._exchange(method, url, body)
        where = url.split("?")[0]
        if q is not None and left is not None and left <= 0:  # (left is None without a question)
            raise DeadlineError(
                f"no time left to ask NetBox for {where}: the question's {q.deadline:g} s deadline passed"
            )
        impatient = patience is not None and (left is None or patience < left)
        wait = max(patience, 0.0) if impatient and patience is not None else left  # impatient has a patience
        started = time.monotonic()
        try:
            # The deadline bounds the whole exchange: connecting, waiting, and a body that trickles in.
            return await asyncio.wait_for(self._exchange(method, url, body), wait)
        except asyncio.TimeoutError:
            self._count_timeout()
            if impatient or q is None:  # no question: no deadline, so only impatience
                raise _Impatient(
                    TimeoutError(f"NetBox did not answer {where} in {time.monotonic() - started:.3g} s")
                ) from None
            raise DeadlineError(
                f"NetBox did not answer {where} within the question's {q.deadline:g} s deadline"
            ) from None

    async def _url_or_endpoint(self, exc: NotFoundError, url: str) -> NetBoxError:
        """An HTML 404: NetBox answers so for an endpoint it lacks, but so does any web server for a
        base URL that is not NetBox's. One request to /api/status/ tells which: any JSON answer
        (a refusal too) is NetBox's."""
        base = self.shown_url.rstrip("/")
        wrong = WrongURLError(
            f"{base} is not a NetBox API root: {base}/api/status/ answers an HTML 404 page, not NetBox's API"
        )
        if url.split("?")[0] == "/api/status/":
            return wrong
        try:
            await self._exchange("GET", "/api/status/", None)
        except NotFoundError as probe:
            return wrong if probe.page else exc
        except InvalidResponseError:
            return wrong
        except (NetBoxError, _Retryable):
            return exc
        return exc

    def _count_timeout(self) -> None:
        self.stats.calls += 1

    async def _exchange(self, method: str, url: str, body: Any) -> Any:
        started = time.perf_counter()
        where = url.split("?")[0]
        async with self._semaphore:
            try:
                request = self._http.build_request(method, url, json=body)
                response = await self._http.send(request, stream=True)
            except httpx.ConnectTimeout as exc:
                raise _Retryable(
                    UnreachableError(
                        f"could not connect to {self.shown_url} in {self.profile.timeout_connect:g} s"
                    )
                ) from exc
            except httpx.TimeoutException as exc:
                self._count(started, 0)
                raise TimeoutError(
                    f"NetBox did not answer {where} within {self.profile.timeout_read:g} s"
                ) from exc
            except httpx.ConnectError as exc:
                if _is_tls(exc):
                    raise TLSError(
                        f"TLS verification of {self.shown_url} failed: {self._reason(exc)}"
                    ) from exc
                raise _Retryable(
                    UnreachableError(f"cannot reach {self.shown_url}: {self._reason(exc)}")
                ) from exc
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                self._count(started, 0)
                raise _Retryable(
                    UnreachableError(f"connection to {self.shown_url} dropped: {self._reason(exc)}")
                ) from exc
            except httpx.DecodingError as exc:
                self._count(started, 0)
                raise _undecodable(url) from exc
            except httpx.HTTPError as exc:  # a proxy refusing, a scheme httpx cannot speak: no retry helps
                self._count(started, 0)
                raise UnreachableError(
                    f"cannot talk to {self.shown_url}: {self._reason(exc) or exc.__class__.__name__}"
                ) from exc
            got = 0
            try:
                raw = await self._read_capped(response, url)
            except httpx.TimeoutException as exc:
                self._count(started, 0)
                raise TimeoutError(
                    f"NetBox stopped sending {where} (read timeout {self.profile.timeout_read:g} s)"
                ) from exc
            except _CutShort as exc:
                got = exc.size
                self._count(started, got)
                raise _Retryable(
                    UnreachableError(
                        f"connection to {self.shown_url} dropped mid-answer: {where} was cut "
                        f"short after {got:,} bytes ({self._reason(exc.cause)})",
                        "NetBox or a proxy in front of it closed the connection before the "
                        "answer was complete: retry; if it persists, check the proxy's timeouts "
                        "and size limits.",
                    )
                ) from exc.cause
            finally:
                await response.aclose()
        self._count(started, len(raw))
        body_json = await self._parse(raw)
        return self._decode(response, body_json, raw, url)

    def _count(self, started: float, nbytes: int) -> None:
        self.stats.calls += 1
        self.stats.bytes += nbytes
        self.stats.elapsed += time.perf_counter() - started

    async def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self._max_bytes:
            raise ResponseTooLargeError(
                f"{url.split('?')[0]} would send {int(declared) / 1e6:.1f} MB (limit "
                f"{self._max_bytes / 1e6:.0f} MB)"
            )
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self._max_bytes:
                    raise ResponseTooLargeError(
                        f"{url.split('?')[0]} sent more than {self._max_bytes / 1e6:.0f} MB"
                    )
                chunks.append(chunk)
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _CutShort(size, exc) from exc
        except httpx.DecodingError as exc:
            raise _undecodable(url) from exc
        return b"".join(chunks)

    async def _parse(self, raw: bytes) -> Any:
        """JSON, scrubbed; a large body off the event loop (the UI keeps drawing meanwhile)."""
        if len(raw) > PARSE_OFF_LOOP:
            return await asyncio.to_thread(self._parse_now, raw)
        return self._parse_now(raw)

    def _parse_now(self, raw: bytes) -> Any:
        body = _json_or_none(raw)
        if body is not _NOT_JSON and needs_scrub(raw, self._secrets_b):
            body = scrub(body, self._secrets)
        return body

    def _text(self, value: Any) -> str:
        """Text from a response's headers or an exception, made safe like the body."""
        return scrub_text(str(value), self._secrets)

    def _reason(self, exc: BaseException) -> str:
        return self._text(_reason(exc))

    def _decode(self, response: httpx.Response, body: Any, raw: bytes, url: str) -> Any:
        status = response.status_code
        where = url.split("?")[0]
        if status == 200:
            if body is _NOT_JSON:
                kind = self._text(response.headers.get("Content-Type", "?").split(";")[0])[:60]
                hint = None
                if kind.startswith("text/html"):
                    hint = (
                        "An HTML page (a login page, a proxy's or SSO portal's) answered instead "
                        "of NetBox's API: "
                        "check NETBOX_URL, and that this host reaches NetBox without signing in "
                        "through a browser."
                    )
                elif raw and raw.lstrip()[:1] in (b"{", b"["):
                    hint = (
                        "The answer started as JSON but is not valid JSON (cut short, or corrupted "
                        "by a proxy): retry; if it persists, check the proxy."
                    )
                raise InvalidResponseError(f"{where} answered {kind}, not JSON ({len(raw):,} bytes)", hint)
            if url.rstrip("/").endswith("graphql") and isinstance(body, dict) and body.get("errors"):
                errors = body["errors"] if isinstance(body["errors"], list) else [body["errors"]]
                first = (
                    errors[0].get("message", "unknown error") if isinstance(errors[0], dict) else errors[0]
                )
                raise BadFilterError(
                    f"GraphQL error: {str(first)[:300]}",
                    "The query does not fit this NetBox's GraphQL schema.",
                    detail=errors,
                )
            return body
        if status in RETRY_STATUS:
            if status == 429:
                final: NetBoxError = RateLimitedError(f"NetBox is rate-limiting (429) {where}")
            else:
                final = ServerError(
                    f"NetBox answered {status} for {where}", detail=body if body is not _NOT_JSON else None
                )
            final.status = status  # type: ignore[attr-defined]
            raise _Retryable(final, _retry_after(response))
        if status in (401, 403):
            if not self._has_token:
                raise NoTokenError(f"NetBox needs an API token for {where} ({status}), and none is set")
            detail = body.get("detail") if isinstance(body, dict) else raw[:200].decode("utf-8", "replace")
            said = self._text(strip_terminal(str(detail or ""))).strip()[:120]
            if status == 401 or _TOKEN_REJECTED.search(said):
                raise TokenRejectedError(
                    f"token rejected by NetBox ({status}" + (f": “{said}”)" if said else ")")
                )
            raise PermissionDeniedError(f"NetBox refused {where} ({status}): the token's user may not read it"
                                        + (f" (“{said}”)" if said else ""))
        if status == 404:
            if body is _NOT_JSON:
                raise NotFoundError(
                    f"{where} does not exist on this NetBox",
                    "Check NETBOX_URL and the NetBox version (>= 4.0 is supported).",
                    page=True,
                )
            raise NotFoundError(f"not found: {where}", detail=body)
        if status == 400:
            raise BadFilterError(
                f"NetBox refused the query: {_summarise_400(body)}",
                detail=body if body is not _NOT_JSON else None,
            )
        if status in (301, 302, 307, 308):
            location = self._text(response.headers.get("Location", "?"))[:200]
            raise InvalidResponseError(
                f"{where} redirects to {location}", "Use the final URL (https? a path prefix?) as NETBOX_URL."
            )
        if 500 <= status < 600:
            error = ServerError(f"NetBox answered {status} for {where}")
            error.status = status  # type: ignore[attr-defined]
            raise error
        raise InvalidResponseError(f"NetBox answered {status} for {where}")

    # -- conveniences ----------------------------------------------------------------------------

    async def get(
        self, path: str, params: Params = None, *, kind: str = "default", use_cache: bool = True
    ) -> Any:
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
        """One page of a list endpoint, shaped with brief/fields/omit (fields wins in NetBox).

        Only readable objects are kept (see `readable`); NetBox's count is checked against the rows
        (and the question told when it is not believed)."""
        fields = list(fields) if fields else None
        pairs = normalise_params(params)
        pairs += [("limit", str(limit)), ("offset", str(offset))]
        if fields:
            pairs.append(("fields", ",".join(fields)))
        elif omit:
            pairs.append(("omit", ",".join(omit)))
        elif brief:
            pairs.append(("brief", "1"))
        data = await self.request_json("GET", path, pairs, kind=kind, use_cache=use_cache)
        where = "/api/" + EndpointRegistry.normalise(path)
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise InvalidResponseError(f"{where} did not answer a NetBox list")
        sent: list[Any] = data["results"]
        has_next = bool(data.get("next"))
        results, bad = readable(path, sent, fields, brief)
        q = current_question()
        if bad:
            if q is not None:
                q.unreadable += bad
            log.info("%s: %d unreadable object(s) skipped", where, bad)
        if len(results) > limit:  # more than asked for: keep what was asked
            results = results[:limit]
        count, note = believed_count(data.get("count"), offset, len(sent), limit, has_next)
        if note:
            note = f"NetBox's count for {where} {note}; the answer goes by the rows"
            if q is not None:
                q.note(note)
            log.info(note)
        return Page(
            results=results,
            count=count,
            offset=offset,
            limit=limit,
            has_next=has_next,
            unreadable=bad,
            count_note=note,
        )

    async def iter_pages(
        self,
        path: str,
        params: Params = None,
        *,
        page_size: int = 1000,
        max_pages: int | None = None,
        **shape: Any,
    ) -> AsyncIterator[Page]:
        """Pages in order, while NetBox says there is a next one (and the count agrees)."""
        offset = 0
        pages = 0
        while True:
            page = await self.page(path, params, limit=page_size, offset=offset, **shape)
            yield page
            pages += 1
            offset = page.offset + len(page.results) + page.unreadable
            if (
                not (page.results or page.unreadable)
                or not page.has_next
                or offset >= page.count
                or (max_pages is not None and pages >= max_pages)
            ):
                return

    async def list_all(
        self,
        path: str,
        params: Params = None,
        *,
        page_size: int = 1000,
        cap: Optional[int] = None,
        **shape: Any,
    ) -> Rows:
        """Every matching object, up to `cap` rows (None: every row there is, as `snapshot save` wants;
        inside a question its deadline still bounds the reading).

        How many pages are asked for is decided by the cap and NetBox's `next` links; the count may
        only lower it. Pages go in windows of at most PAGE_WINDOW at once, so a count of 10^9 plans
        no more work than a count of 10^3."""
        size = page_size if cap is None else max(1, min(page_size, cap))
        first = await self.page(path, params, limit=size, offset=0, **shape)
        rows = Rows(first.results, total=first.count)
        seen = {r.get("id") for r in rows}
        # what NetBox really puts on a page (its MAX_PAGE_SIZE)
        step = len(first.results) + first.unreadable or size
        last, nxt = first, step
        while last.has_next and (last.results or last.unreadable) and (cap is None or len(rows) < cap):
            want = (cap - len(rows)) if cap is not None else step * PAGE_WINDOW
            if first.count > nxt:
                want = min(want, first.count - nxt)  # the count may lower the plan, never raise it
            n = max(1, min(PAGE_WINDOW, math.ceil(want / step)))
            pages = await self.gather(
                [self.page(path, params, limit=size, offset=nxt + i * step, **shape) for i in range(n)]
            )
            for p in pages:
                for r in p.results:
                    if r.get("id") not in seen:  # offsets can shift if data changes between pages
                        seen.add(r.get("id"))
                        rows.append(r)
            nxt += n * step
            last = pages[-1]
            if any(not p.has_next for p in pages[:-1]):
                break  # a page before the last said it was the end
        more = len(rows) > cap if cap is not None else False
        if cap is not None and len(rows) > cap:
            del rows[cap:]
        rows.complete = not (more or (last.has_next and cap is not None and len(rows) >= cap))
        rows.total = len(rows) if rows.complete else max(first.count, len(rows) + 1)
        return rows

    def split_values(
        self, path: str, params: Params, name: str, values: Sequence[Any], reserve: int = 80
    ) -> list[list[str]]:
        """Chunks of values such that each request line stays under the server's limit."""
        ep = self.registry.get(path)
        if ep is not None and name in ep.single:
            raise NetBoxError(
                f"/api/{ep.path} filter {name!r} takes one value only (NetBox would keep the last "
                "of repeated values)",
                "Batch this look-up another way (GraphQL, or one query grouped on the client).",
            )
        base = (
            "/api/"
            + EndpointRegistry.normalise(path)
            + "?"
            + urlencode(normalise_params(params), quote_via=quote, safe=",/:")
        )
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
        self, path: str, params: Params, name: str, values: Sequence[Any], *, page_size: int = 1000,
        cap: Optional[int] = LIST_CAP, **shape: Any
    ) -> Rows:
        """All objects matching any of `values` for filter `name`: repeated values OR'ed, chunked, concurrent
        (each chunk read up to `cap` rows; `complete` is False when a chunk was cut there)."""
        if not values:
            return Rows()
        base = normalise_params(params)
        chunks = self.split_values(path, base, name, values)
        parts = await self.gather(
            [
                self.list_all(path, base + [(name, v) for v in chunk], page_size=page_size, cap=cap, **shape)
                for chunk in chunks
            ]
        )
        seen: set[Any] = set()
        rows: list[dict[str, Any]] = []
        for part in parts:
            for r in part:
                if r.get("id") not in seen:
                    seen.add(r.get("id"))
                    rows.append(r)
        return Rows(rows, total=len(rows), complete=all(getattr(p, "complete", True) for p in parts))

    async def gather(self, aws: Iterable[Awaitable[T]]) -> list[T]:
        """Run awaitables concurrently; the client's semaphore bounds requests in flight."""
        return await gather_all(aws)

    async def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        kind: str = "default",
        use_cache: bool = True,
    ) -> dict[str, Any]:
        body = {"query": query, "variables": variables or {}}
        data = await self.request_json("POST", GRAPHQL_PATH, None, body=body, kind=kind, use_cache=use_cache)
        if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
            raise InvalidResponseError("/graphql/ did not answer a GraphQL result")
        out: dict[str, Any] = {}
        bad = 0
        for key, value in data["data"].items():
            # a <model>_list: only objects with an id (GraphQL sends it as a string)
            if isinstance(value, list):
                kept = [
                    r
                    for r in value
                    if isinstance(r, dict)
                    and (_is_id(r.get("id")) or isinstance(r.get("id"), str) and r["id"].isdigit())
                ]
                bad += len(value) - len(kept)
                value = kept
            out[key] = value
        q = current_question()
        if bad and q is not None:
            q.unreadable += bad
        return out

    async def custom_fields(self, choices: bool = True) -> dict[str, dict[str, CustomField]]:
        """Model (`dcim.device`) -> its custom fields by name, from /api/extras/custom-fields/, with the
        choices of select fields from their choice sets if `choices` (a second request, made only when a
        select field has one); cached briefly: the `default` TTL, and a minute in memory."""
        kept = self._custom_fields_kept
        if kept is None or time.monotonic() - kept[0] >= CUSTOM_FIELDS_MEMO:
            fields = await self._read_custom_fields()
            sets = any(f.choice_set is not None for by_name in fields.values() for f in by_name.values())
            kept = (time.monotonic(), fields, not sets)
        if choices and not kept[2]:
            kept = (kept[0], await self._read_choices(kept[1]), True)
        self._custom_fields_kept = kept
        return kept[1]

    async def _read_custom_fields(self) -> dict[str, dict[str, CustomField]]:
        # Not checked against the schema: every NetBox has it, a schema trimmed to what is asked may not.
        shape: dict[str, int | str] = {"limit": 1000,
                 "fields": "name,label,type,object_types,choice_set,filter_logic,related_object_type"}
        data = await self.request_json("GET", "extras/custom-fields/", shape, validate=False)
        out: dict[str, dict[str, CustomField]] = {}
        for r in (data.get("results") if isinstance(data, dict) else None) or []:
            if not isinstance(r, dict):
                continue
            cs, related = r.get("choice_set"), r.get("related_object_type")
            field = CustomField(name=str(r.get("name")), label=str(r.get("label") or r.get("name")),
                                type=_value(r.get("type")),
                                object_types=tuple(str(m) for m in r.get("object_types") or ()),
                                filter_logic=_value(r.get("filter_logic")) or "exact",
                                related_object_type=str(related) if related else None,
                                choice_set=int(cs["id"]) if isinstance(cs, dict) and cs.get("id") is not None
                                else None)
            for model in field.object_types:
                out.setdefault(model, {})[field.name] = field
        return out

    async def _read_choices(self, fields: dict[str, dict[str, CustomField]]
                            ) -> dict[str, dict[str, CustomField]]:
        """The fields with their choice sets' own choices ((value, label) pairs); without them when the
        choice sets cannot be read (a token without that right: the fields still answer)."""
        try:
            sets = await self.request_json("GET", "extras/custom-field-choice-sets/",
                                           {"limit": 1000, "fields": "id,extra_choices"}, validate=False)
        except AuthError as exc:
            log.info("custom field choice sets unreadable (%s)", exc)
            return fields
        choices: dict[int, tuple[tuple[str, str], ...]] = {}
        for cs in (sets.get("results") if isinstance(sets, dict) else None) or []:
            if not isinstance(cs, dict):
                continue
            pairs = cs.get("extra_choices")
            choices[int(cs.get("id") or 0)] = tuple((str(p[0]), str(p[1])) for p in pairs or ()
                                                   if isinstance(p, (list, tuple)) and len(p) == 2)
        return {m: {n: dataclasses.replace(f, choices=choices.get(f.choice_set or 0, ()))
                    for n, f in by_name.items()} for m, by_name in fields.items()}

    async def _check_custom_fields(self, norm: str, names: set[str]) -> None:
        """UnknownFilterError for a `cf_<name>[__lookup]` the endpoint's model has no custom field for,
        or a lookup NetBox does not give that field's type."""
        model = self.registry.model_of(norm)
        fields = (await self.custom_fields(choices=False)).get(model or "", {}) if model else {}
        for name in sorted(names):
            base, _, lookup = name[3:].partition("__")
            cf = fields.get(base)
            kind = cf.type if cf is not None and cf.filter_logic != "disabled" else None
            if kind is None:
                have = ", ".join(f"cf_{n}" for n in sorted(fields)) or "none"
                raise UnknownFilterError(
                    f"/api/{norm} has no custom field {base!r} on this NetBox (NetBox would "
                    "ignore the filter "
                    "and return the whole table)",
                    f"Its custom fields: {have}.",
                )
            if lookup and lookup not in CUSTOM_FIELD_LOOKUPS.get(kind, CUSTOM_FIELD_LOOKUPS["text"]):
                raise UnknownFilterError(
                    f"/api/{norm}: custom field {base!r} ({kind}) has no lookup {lookup!r}")

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


class _CutShort(Exception):
    """The body stopped before its end (the connection closed mid-answer)."""

    def __init__(self, size: int, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.size = size
        self.cause = cause


def believed_count(count: Any, offset: int, sent: int, limit: int, has_next: bool) -> tuple[int, str]:
    """The count to go by, and why NetBox's own was not believed ('' when it was).

    A count is not believed when it contradicts the rows: lower than the rows sent, higher with no
    next page, not a number, or larger than any NetBox holds. The rows are believed instead: what was
    sent, plus one when NetBox links a next page (there is at least one more)."""
    end = offset + sent
    floor = end + (1 if has_next else 0)
    if count is None:  # cursor paging or a bare list
        return floor, ""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return floor, f"({str(count)[:20]!r}) is not a count"
    if sent and count < end:
        return floor, f"({count:,}) is lower than the {end:,} row{'s' if end != 1 else ''} it sent"
    if not has_next and count > end and (sent or offset == 0):
        return (
            end,
            f"({count:,}) is more than the {end:,} row{'s' if end != 1 else ''} it sent, with no next page",
        )
    if count > MAX_PLAUSIBLE_COUNT:
        return floor, f"({count:,}) is more than any NetBox holds"
    return count, ""


def readable(
    path: str, rows: list[Any], fields: Optional[list[str]], brief: bool = False
) -> tuple[list[dict[str, Any]], int]:
    """The objects of a list page whose fields the tool reads are readable, and how many were not.

    Checked against the schema layer's typed fields: an int `id`; nested objects (foreign keys)
    that are objects with int ids, or null; the label, when asked for by name; IP addresses and prefixes
    that parse. A malformed object is skipped and counted, never passed on to fail later."""
    m = load_schema().by_path(path)
    wanted = set(fields) if fields else None
    need_label = m is not None and wanted is not None and m.label in wanted and m.label in m.fields
    out: list[dict[str, Any]] = []
    for r in rows:
        if _row_ok(r, m, need_label):
            out.append(r)
    return out, len(rows) - len(out)


def _is_id(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _row_ok(r: Any, m: Any, need_label: bool) -> bool:
    if not isinstance(r, dict) or not _is_id(r.get("id")):
        return False
    if m is None:
        return True
    if need_label and m.label not in r:
        return False
    for name, value in r.items():
        f = m.fields.get(name)
        if f is None:
            continue
        if f.type == FK:
            if value is None:
                continue
            items = value if f.many else [value]
            if f.many and not isinstance(value, list):
                return False
            if not all(isinstance(v, dict) and _is_id(v.get("id")) for v in items):
                return False
        elif (
            name in ADDRESS_FIELDS
            and m.app == "ipam"
            and (name == m.label or name in ("start_address", "end_address"))
        ):
            if not isinstance(value, str):
                return False
            try:
                ipaddress.ip_interface(value)
            except ValueError:
                return False
    return True


class _Impatient(Exception):
    """NetBox took longer than a stale cache entry waits for: `error` says so, the entry answers."""

    def __init__(self, error: NetBoxError) -> None:
        super().__init__(error.message)
        self.error = error


class _Retryable(Exception):
    def __init__(self, final: NetBoxError, retry_after: float | None = None) -> None:
        super().__init__(final.message)
        self.final = final
        self.retry_after = retry_after


_NOT_JSON = object()
# A 403's detail that blames the token itself ("Invalid v1 token", "Token expired"), not a permission.
_TOKEN_REJECTED = re.compile(r"\btoken\b|credentials", re.IGNORECASE)


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


def _reason(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return text.splitlines()[0][:200]
