"""Fault injection in front of the real NetBox (issue 11): one fault model, two front doors.

- `FaultTransport`: an in-process httpx transport. It answers from the real NetBox (`RealNetBox`:
  each distinct request is asked once per process, the faults are applied to copies) and applies
  one fault `Mode` per run: delay, stall, slow trickle, reset (always, every Nth), 429 and 5xx
  (first k, always), a truncated body, invalid JSON, an HTML login page, a 20 MB body, escape
  sequences in every string (keys too), wrong counts (high, low, 10^9), malformed objects.
- `FaultProxy`: a small asyncio HTTP/1.1 server on 127.0.0.1 that puts the same transport on the
  wire, for the real CLI in a subprocess (resets close the socket, truncation cuts the body).

`run_question()` asks one question through the orchestrator under one fault and keeps every
output (the Answer, `--json`, plain `ask` piped and on a tty, the log); `problems()` says what
is wrong with a run: a traceback, a hang, invalid JSON, a message or hint that does not fit the
fault, terminal control from NetBox in any output, anything but reads sent, the token anywhere.

Self-contained (imports only netbox_tui, httpx, h11): bench/faults.py loads it by path.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Callable, Optional

import h11
import httpx

from netbox_tui.config import NetBoxProfile
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.results import Answer
from netbox_tui.netbox.cache import ResponseCache
from netbox_tui.netbox.client import NetBoxClient

TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the public read-only token of the NetBox demo dump
REAL_URL = os.environ.get("NETBOX_TEST_URL", "http://127.0.0.1:8000").rstrip("/")
DEADLINE = 5.0  # seconds per question in the fault runs (the default is 30)
HARD_BOUND = DEADLINE + 3.0  # a run longer than this is a hang
# Seconds the event loop may go without running a ready task. Large bodies are parsed in a thread, but
# json.loads of 20 MB holds the GIL for a few hundred ms, stretched on a loaded 2-core CI machine.
MAX_LAG = 1.5

# What a hostile NetBox puts around every string: clear screen, a window title (OSC, BEL-terminated),
# a bare BEL, an 8-bit CSI (C1), a right-to-left override; each is removed whole by the client.
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x07\x9b31m\u202e"
HOSTILE_END = "\u202c\x1b[0m"
# Nothing of these may reach any output: controls but tab/newline, DEL, C1, bidi overrides and isolates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# On a tty rich adds its own styles (ESC[...m): what must never appear is NetBox's.
TTY_FORBIDDEN = re.compile("\x1b\\[2J|\x1b\\]|\x07|[\x80-\x9f]|[\u202a-\u202e\u2066-\u2069]|pwned")

QUESTIONS = [
    "show device dmi01-akron-rtr01",
    "list all VLANs",
    "interfaces on ncsu-coreswitch1",
    "devices at dm akron",
    "where is 172.16.0.5",
    "which devices have no primary IP",
    "what is connected to dmi01-yonkers-rtr01 GigabitEthernet0/0/0",
    "VLANs with their devices and interfaces",
    "rack utilization at MDF",
    "how full is prefix 10.112.129.0/24",
    "summarize site DM-Nashua",
    "devices per role",
    "show device dmi01-akorn-rtr01",
    "which sites have no VLANs",
    "show me PP:MDF",
    "show device core-router-99",
    "active rtrs in NJ",  # read with NetBox's own names: "rtrs" is a role, "NJ" a region
]


# -- the real NetBox, asked once per distinct request ------------------------------------------------

_MEMO: dict[tuple[str, str, bytes], tuple[int, str, bytes]] = {}


class RealNetBox:
    """Forwards to the real NetBox; each distinct (method, path and query, body) is asked once per
    process: the fault suite asks the same questions under many faults, the server answers once."""

    def __init__(self, url: str = REAL_URL) -> None:
        self.url = url
        self._client: Optional[httpx.AsyncClient] = None
        self._locks: dict[tuple[str, str, bytes], asyncio.Lock] = {}
        self.asked = 0

    async def fetch(
        self, method: str, target: str, body: bytes, headers: list[tuple[str, str]]
    ) -> tuple[int, str, bytes]:
        key = (method, target, body)
        if key in _MEMO:
            return _MEMO[key]
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key in _MEMO:
                return _MEMO[key]
            if self._client is None:
                self._client = httpx.AsyncClient(timeout=60)
            keep = [
                (k, v)
                for k, v in headers
                if k.lower() in ("authorization", "accept", "content-type", "user-agent")
            ]
            resp = await self._client.request(method, self.url + target, content=body, headers=keep)
            self.asked += 1
            got = (resp.status_code, resp.headers.get("content-type", "application/json"), resp.content)
            if resp.status_code < 500:
                _MEMO[key] = got
            return got

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


# -- fault modes -------------------------------------------------------------------------------------

def _walk(value: Any, fn: Callable[[str], str], keys: bool) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_walk(v, fn, keys) for v in value]
    if isinstance(value, dict):
        return {(fn(k) if keys else k): _walk(v, fn, keys) for k, v in value.items()}
    return value


def _escapes(data: Any, path: str) -> tuple[Any, int]:
    return _walk(data, lambda s: HOSTILE + s + HOSTILE_END, keys=True), 0


def _counts(fn: Callable[[int], int]) -> Callable[[Any, str], tuple[Any, int]]:
    def apply(data: Any, path: str) -> tuple[Any, int]:
        if isinstance(data, dict) and isinstance(data.get("count"), int):
            data = dict(data, count=fn(data["count"]))
        return data, 0

    return apply


def _malformed(data: Any, path: str) -> tuple[Any, int]:
    """In every list, the second object loses its id and label; the third holds an unparsable
    address or prefix, or a nested object (a foreign key, by the schema) without an id.
    Returns the data and how many objects were spoiled."""
    from netbox_tui.schema import FK
    from netbox_tui.schema import load as load_schema

    model = load_schema().by_path(path)
    spoiled = 0

    def spoil(rows: list[Any]) -> list[Any]:
        nonlocal spoiled
        rows = [dict(r) if isinstance(r, dict) else r for r in rows]
        if len(rows) > 1 and isinstance(rows[1], dict):
            for k in ("id", "name", "prefix", "address"):
                rows[1].pop(k, None)
            spoiled += 1
        if len(rows) > 2 and isinstance(rows[2], dict):
            r = rows[2]
            fks = [k for k, v in r.items() if isinstance(v, dict) and "id" in v and model is not None
                   and model.fields.get(k) is not None and model.fields[k].type == FK]
            if "address" in r:
                r["address"] = "not-an-address"
            elif "prefix" in r:
                r["prefix"] = "10.300.0.0/99"
            elif fks:
                r[fks[0]] = {k: v for k, v in r[fks[0]].items() if k != "id"}
            else:
                r["id"] = "seven"
            spoiled += 1
        return rows

    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return dict(data, results=spoil(data["results"])), spoiled
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        return dict(
            data, data={k: spoil(v) if isinstance(v, list) else v for k, v in data["data"].items()}
        ), spoiled
    return data, spoiled


PADDING = b'"_padding":"' + b"x" * (20 * 1024 * 1024) + b'",'  # 20 MB more in the first answer of a run


@dataclass(frozen=True)
class Expect:
    """What a run under a mode must end as. `same`: the fault-free answer; `kinds`: an error of
    one of these kinds, its message matching `message` (and hint `hint`); `bounded`: any answer
    that is not a crash; `says`: the answer text must match it (ok or partial answers)."""

    same: bool = False
    kinds: tuple[str, ...] = ()
    message: str = ""
    hint: str = ""
    also_answers: bool = False  # an answer (ok/partial) is fine too, e.g. small bodies that beat a trickle
    says: str = ""
    counts: bool = False


@dataclass(frozen=True)
class Mode:
    name: str
    what: str
    delay: float = 0.0
    stall: bool = False
    trickle: Optional[tuple[int, float]] = None  # (bytes, seconds between chunks)
    reset_every: int = 0  # 1: every request
    status: int = 0
    first: int = 0  # 0: always; k: the first k requests of the run only
    truncate: bool = False
    invalid_json: bool = False
    html: bool = False
    transform: Optional[Callable[[Any, str], tuple[Any, int]]] = None
    pad: bool = False  # the first JSON answer of the run grows by 20 MB
    only: str = ""  # the fault hits only requests whose path holds this ("/api/dcim/interfaces/")
    expect: Expect = Expect()


TIMEOUT = Expect(
    kinds=("timeout",), message=r"did not answer|deadline|no time left", hint=r"slow|not answering|deadline"
)
MODES: list[Mode] = [
    Mode("none", "no fault (the baseline)", expect=Expect(same=True)),
    Mode("delay", "every answer 0.3 s late", delay=0.3, expect=Expect(same=True)),
    Mode("stall", "accepts the request, never answers", stall=True, expect=TIMEOUT),
    Mode(
        "trickle",
        "the body at 64 bytes per 0.25 s",
        trickle=(64, 0.25),
        expect=Expect(kinds=("timeout",), message=TIMEOUT.message, hint=TIMEOUT.hint, also_answers=True),
    ),
    Mode(
        "reset",
        "every connection reset",
        reset_every=1,
        expect=Expect(kinds=("unreachable",), message=r"dropped|reset", hint=r"reachable|running"),
    ),
    Mode("reset_every_3", "every third request reset", reset_every=3, expect=Expect(same=True)),
    Mode("429_first_2", "429 to the first 2 requests", status=429, first=2, expect=Expect(same=True)),
    Mode(
        "429",
        "429 to every request",
        status=429,
        expect=Expect(kinds=("rate_limited",), message=r"rate-limiting \(429\)", hint=r"slow down|wait"),
    ),
    Mode("503_first_2", "503 to the first 2 requests", status=503, first=2, expect=Expect(same=True)),
    Mode(
        "500",
        "500 to every request",
        status=500,
        expect=Expect(kinds=("server",), message=r"answered 500", hint=r"5xx|server"),
    ),
    Mode(
        "truncated",
        "the body cut in half, connection closed",
        truncate=True,
        expect=Expect(kinds=("unreachable",), message=r"cut short", hint=r"closed the connection"),
    ),
    Mode(
        "invalid_json",
        "half a JSON body, complete",
        invalid_json=True,
        expect=Expect(kinds=("invalid_response",), message=r"not JSON", hint=r"not valid JSON"),
    ),
    Mode(
        "html_login",
        "an HTML login page",
        html=True,
        expect=Expect(kinds=("invalid_response",), message=r"text/html, not JSON", hint=r"login page"),
    ),
    Mode("big_20mb", "a 20 MB body", pad=True, expect=Expect(same=True)),
    Mode(
        "escapes", "escape sequences in every string, keys too", transform=_escapes, expect=Expect(same=True)
    ),
    Mode("count_high", "count + 1,000", transform=_counts(lambda c: c + 1000), expect=Expect(counts=True)),
    Mode("count_low", "count / 10", transform=_counts(lambda c: c // 10), expect=Expect(counts=True)),
    Mode("count_huge", "count = 10^9", transform=_counts(lambda c: 10**9), expect=Expect(counts=True)),
    Mode(
        "malformed",
        "objects without id or label, unparsable addresses",
        transform=_malformed,
        expect=Expect(says=r"\d+ objects? unreadable"),
    ),
]
BY_NAME = {m.name: m for m in MODES}


class _Stream(httpx.AsyncByteStream):
    def __init__(self, gen: AsyncIterator[bytes]) -> None:
        self._gen = gen

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._gen:
            yield chunk

    async def aclose(self) -> None:
        pass


def _transform(fn: Callable[[Any, str], tuple[Any, int]], body: bytes, path: str) -> tuple[bytes, int]:
    try:
        data = json.loads(body)
    except ValueError:
        return body, 0
    data, spoiled = fn(data, path)
    return json.dumps(data, ensure_ascii=False).encode(), spoiled


def _login_page() -> bytes:
    return (
        f"<!doctype html><html><head><title>Sign in{HOSTILE}</title></head><body><form "
        "method=post action=/login/>"
        f"<input name=username><input name=password type=password><!-- Authorization: Token {TOKEN} -->"
        "</form></body></html>"
    ).encode()


class FaultTransport(httpx.AsyncBaseTransport):
    """The real NetBox with one fault. `sent` records (method, path) of every request it saw."""

    def __init__(self, mode: Mode, real: RealNetBox) -> None:
        self.mode = mode
        self.real = real
        self.count = 0
        self.sent: list[tuple[str, str]] = []
        self.spoiled = 0  # objects the fault made malformed

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        n = self.count
        self.sent.append((request.method, request.url.path))
        m = self.mode
        if m.only and m.only not in request.url.path:
            m = MODES[0]  # this request passes unharmed
        if m.stall:
            await asyncio.sleep(3600)
        if m.delay:
            await asyncio.sleep(m.delay)
        if m.reset_every and n % m.reset_every == 0:
            raise httpx.ReadError("[Errno 104] Connection reset by peer")
        if m.status and (not m.first or n <= m.first):
            body = json.dumps(
                {"detail": f"{HOSTILE}upstream failed{HOSTILE_END}; Authorization: Token {TOKEN}"}
            ).encode()
            headers = {"content-type": "application/json"}
            if m.status in (429, 503):
                headers["retry-after"] = "1"
            return httpx.Response(m.status, headers=headers, content=body, request=request)
        if m.html:
            return httpx.Response(
                200,
                headers={"content-type": "text/html; charset=utf-8"},
                content=_login_page(),
                request=request,
            )
        target = request.url.raw_path.decode()
        status, ctype, body = await self.real.fetch(
            request.method, target, await request.aread(), list(request.headers.items())
        )
        if m.transform is not None and ctype.startswith("application/json"):
            body, spoiled = await asyncio.to_thread(_transform, m.transform, body, request.url.path)
            self.spoiled += spoiled
        if m.pad and n == 1 and body.startswith(b"{"):
            body = b"{" + PADDING + body[1:]
        if m.invalid_json:
            body = body[: max(1, len(body) // 2)]
        headers = {"content-type": ctype}
        if m.truncate:
            half = body[: len(body) // 2]

            async def cut() -> AsyncIterator[bytes]:
                yield half
                raise httpx.RemoteProtocolError(
                    "peer closed connection without sending complete message body"
                )

            headers["content-length"] = str(len(body))
            return httpx.Response(status, headers=headers, stream=_Stream(cut()), request=request)
        if m.trickle:
            size, pause = m.trickle

            async def slow() -> AsyncIterator[bytes]:
                for i in range(0, len(body), size):
                    if i:
                        await asyncio.sleep(pause)
                    yield body[i: i + size]

            headers["content-length"] = str(len(body))
            return httpx.Response(status, headers=headers, stream=_Stream(slow()), request=request)
        return httpx.Response(status, headers=headers, content=body, request=request)

    async def aclose(self) -> None:
        pass


# -- one question under one fault --------------------------------------------------------------------

class LogTrap(logging.Handler):
    """Every record netbox_tui logs during a run: a traceback is a record with exc_info."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        fmt = logging.Formatter("%(levelname)s %(name)s %(message)s")
        return "\n".join(fmt.format(r) for r in self.records)

    def tracebacks(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.exc_info]


@contextlib.contextmanager
def trap_logs() -> Any:
    trap = LogTrap()
    logger = logging.getLogger("netbox_tui")
    before = logger.level
    logger.addHandler(trap)
    logger.setLevel(logging.DEBUG)
    try:
        yield trap
    finally:
        logger.removeHandler(trap)
        logger.setLevel(before)


@dataclass
class Run:
    mode: str
    question: str
    answer: Optional[Answer] = None
    json_text: str = ""
    plain: str = ""
    tty: str = ""
    wall: float = 0.0
    hung: bool = False
    crash: str = ""  # an exception that escaped the orchestrator
    sent: list[tuple[str, str]] = field(default_factory=list)
    spoiled: int = 0  # objects the fault made malformed
    lag: float = 0.0  # longest the event loop was blocked during the run's mode


def render_plain(answer: Answer, tty: bool) -> str:
    """What `netbox-tui ask` prints (without --json), piped or on a terminal."""
    from netbox_tui.ask import render

    buf = io.StringIO()
    env = {"FORCE_COLOR": "1", "COLUMNS": "120"} if tty else {"COLUMNS": "120"}
    saved = {k: os.environ.get(k) for k in ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "TERM")}
    try:
        os.environ.pop("NO_COLOR", None)
        os.environ.pop("FORCE_COLOR", None)
        os.environ.update(env)
        if tty:
            os.environ["TERM"] = "xterm-256color"
        with contextlib.redirect_stdout(buf):
            render(answer, "fault-test")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return buf.getvalue()


def make_client(
    transport: httpx.AsyncBaseTransport, cache: Optional[ResponseCache] = None, **profile: Any
) -> NetBoxClient:
    settings = dict(url=REAL_URL, token=TOKEN, deadline=DEADLINE)
    settings.update(profile)
    return NetBoxClient(NetBoxProfile(**settings), cache=cache, transport=transport)


async def run_question(
    mode: Mode,
    question: str,
    real: RealNetBox,
    *,
    cache: Optional[ResponseCache] = None,
    deadline: float = DEADLINE,
    refresh: bool = False,
    transport: Optional[FaultTransport] = None,
    render: bool = True,
) -> Run:
    run = Run(mode.name, question)
    transport = transport or FaultTransport(mode, real)
    client = make_client(transport, cache, deadline=deadline)
    orch = Orchestrator(client, step_timeout=30.0)
    started = time.perf_counter()
    try:
        run.answer = await asyncio.wait_for(orch.ask(question, refresh=refresh), HARD_BOUND + 5)
    except asyncio.TimeoutError:
        run.hung = True
    except Exception as exc:  # a crash: what the suite is for
        import traceback

        run.crash = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    finally:
        run.wall = time.perf_counter() - started
        await client.aclose()
    run.hung = run.hung or run.wall > HARD_BOUND
    run.sent = list(transport.sent)
    run.spoiled = transport.spoiled
    if render:
        render_outputs(run)
    return run


def render_outputs(run: Run) -> None:
    """--json, and plain `ask` piped and on a tty (after the runs: rendering is not the client's time)."""
    if run.answer is not None:
        run.json_text = run.answer.to_json()
        run.plain = render_plain(run.answer, tty=False)
        run.tty = render_plain(run.answer, tty=True)


class LagMeter:
    """The longest gap between ticks of a 10 ms timer: how long the event loop was blocked."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: Optional[asyncio.Task] = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            self.worst = max(self.worst, now - last - 0.01)
            last = now

    def __enter__(self) -> "LagMeter":
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._task is not None:
            self._task.cancel()


async def run_mode(
    mode: Mode, questions: list[str], real: RealNetBox, *, parallel: int = 8, **kw: Any
) -> list[Run]:
    """Every question under one mode, `parallel` at a time, each with its own client (cold)."""
    gate = asyncio.Semaphore(min(2, parallel) if mode.pad else parallel)  # 20 MB bodies: two at a time

    async def one(q: str) -> Run:
        async with gate:
            return await run_question(mode, q, real, render=False, **kw)

    with LagMeter() as lag:
        runs = await asyncio.gather(*(one(q) for q in questions))
    for r in runs:
        r.lag = lag.worst
        render_outputs(r)
    return list(runs)


# -- what is wrong with a run ---------------------------------------------------------------------------

def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k)] + _strings(v)]
    return []


def _tables_text(a: Answer) -> list[Any]:
    return [
        (t.title, t.total, t.offset, [{k: v for k, v in r.items() if not k.startswith("_")} for r in t.rows])
        for t in a.tables
    ]


def problems(run: Run, baseline: Optional[Run] = None, *, logs: Optional[LogTrap] = None) -> list[str]:
    """Everything wrong with one run; [] when it passed every check."""
    m = BY_NAME[run.mode]
    out: list[str] = []
    if run.crash:
        out.append(f"crash: {run.crash.strip().splitlines()[-1]}")
    if run.hung:
        out.append(f"hang: {run.wall:.1f} s (bound {HARD_BOUND:g} s)")
    a = run.answer
    outputs = [run.json_text, run.plain, run.tty] + ([logs.text()] if logs else [])
    for text in outputs:
        if TOKEN in text:
            out.append("the token appears in an output")
            break
    for name, text in (("json", run.json_text), ("plain", run.plain)):
        bad = FORBIDDEN.search(text)
        if bad:
            out.append(f"control character {bad.group(0)!r} in {name} output")
    bad = TTY_FORBIDDEN.search(run.tty)
    if bad:
        out.append(f"NetBox's control sequence {bad.group(0)!r} on the tty")
    if "Traceback" in run.plain + run.json_text:
        out.append("a traceback in the output")
    writes = [
        (meth, p)
        for meth, p in run.sent
        if not (meth in ("GET", "HEAD") or (meth == "POST" and p.rstrip("/").endswith("/graphql")))
    ]
    if writes:
        out.append(f"not a read: {writes[0]}")
    if a is None:
        return out
    try:
        data = json.loads(run.json_text)
        Answer.model_validate(data)
    except Exception as exc:
        out.append(f"invalid JSON: {exc}")
        data = {}
    for s in _strings(data):
        if FORBIDDEN.search(s) or "pwned" in s:
            out.append(f"control sequence in a JSON string: {s[:60]!r}")
            break
    err = a.error
    if err is not None and err.kind == "internal":
        out.append(f"internal error: {err.message}")
    ex = m.expect
    answered = a.status in ("ok", "partial", "needs_choice", "not_found")
    if ex.same and baseline is not None and baseline.answer is not None:
        b = baseline.answer
        if (a.status, a.answer) != (b.status, b.answer):
            out.append(
                f"answer differs from the fault-free one: {a.status}: {a.answer[:140]!r} vs "
                f"{b.status}: {b.answer[:140]!r}"
            )
        elif _tables_text(a) != _tables_text(b):
            out.append("tables differ from the fault-free ones")
    if ex.kinds:
        if a.status == "error":
            if err is None or err.kind not in ex.kinds:
                out.append(
                    f"error kind {err.kind if err else None!r}, expected {ex.kinds}: {a.answer[:140]!r}"
                )
            else:
                if ex.message and not re.search(ex.message, err.message):
                    out.append(f"message does not fit {m.name}: {err.message!r}")
                if ex.hint and not re.search(ex.hint, err.hint):
                    out.append(f"hint does not fit {m.name}: {err.hint!r}")
                if re.search(r"no filter or endpoint", " ".join(err.causes + [err.hint])):
                    out.append(f"{m.name} explained as a missing filter")
        elif not ex.also_answers:
            out.append(f"expected an error ({', '.join(ex.kinds)}), got {a.status}: {a.answer[:140]!r}")
    if ex.says and run.spoiled and a.status in ("ok", "partial"):
        if not re.search(ex.says, a.answer):
            out.append(f"answer does not say {ex.says!r}: {a.answer[:160]!r}")
        elif a.status != "partial":
            out.append("an answer with unreadable objects left out is not partial")
    if ex.counts:
        out += _count_problems(run, baseline)
    if (
        run.lag > MAX_LAG and baseline is not None
    ):  # under a fault (the fault-free runs pay the first-use costs)
        out.append(f"event loop blocked {run.lag:.2f} s")
    if not answered and a.status != "error":
        out.append(f"status {a.status!r}")
    return out


def _count_problems(run: Run, baseline: Optional[Run]) -> list[str]:
    """Counts from NetBox never size the work, nor stand against the rows."""
    a = run.answer
    assert a is not None
    out = []
    if a.status == "error":
        out.append(f"error under wrong counts: {a.answer[:140]!r}")
    for t in a.tables:
        if t.total > 100_000_000:
            out.append(f"table {t.title!r} believes a total of {t.total:,}")
        if t.total < t.offset + len(t.rows):
            out.append(f"table {t.title!r}: total {t.total:,} below its {t.offset + len(t.rows)} rows")
    if baseline is not None and baseline.answer is not None:
        calls, base = a.stats.api_calls, baseline.answer.stats.api_calls
        if calls > base + 4:
            out.append(f"{calls} API calls (fault-free: {base}): the count sized the work")
    return out


# -- the same faults on the wire, for the real CLI ------------------------------------------------------

_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-encoding"}


class FaultProxy:
    """An HTTP/1.1 server on 127.0.0.1 answering through a FaultTransport: what a subprocess sees is
    the fault on a real socket (a reset closes the connection, a truncated body stops mid-way)."""

    def __init__(self, transport: FaultTransport) -> None:
        self.transport = transport
        self._server: Optional[asyncio.AbstractServer] = None
        self._tasks: set[asyncio.Task] = set()
        self.url = ""

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for t in list(self._tasks):
                t.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None

    async def _event(self, conn: h11.Connection, reader: asyncio.StreamReader) -> Any:
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(await reader.read(65536))
                continue
            return event

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        conn = h11.Connection(h11.SERVER)
        try:
            while True:
                event = await self._event(conn, reader)
                if not isinstance(event, h11.Request):
                    break
                body = b""
                while True:
                    e = await self._event(conn, reader)
                    if isinstance(e, h11.Data):
                        body += bytes(e.data)
                    elif isinstance(e, h11.EndOfMessage):
                        break
                    else:
                        return
                headers = [(k.decode(), v.decode()) for k, v in event.headers if k.lower() != b"host"]
                req = httpx.Request(
                    event.method.decode(), REAL_URL + event.target.decode(), headers=headers, content=body
                )
                try:
                    resp = await self.transport.handle_async_request(req)
                except httpx.ReadError:
                    writer.transport.abort()  # a reset: the connection goes away
                    return
                out = [(k, v) for k, v in resp.headers.items() if k.lower() not in _HOP]
                writer.write(conn.send(h11.Response(status_code=resp.status_code, headers=out)))
                try:
                    async for chunk in resp.stream:  # type: ignore[union-attr]
                        writer.write(conn.send(h11.Data(data=chunk)))
                        await writer.drain()
                except httpx.RemoteProtocolError:
                    writer.transport.abort()  # the body stops mid-way
                    return
                writer.write(conn.send(h11.EndOfMessage()))
                await writer.drain()
                conn.start_next_cycle()
        except (ConnectionError, h11.ProtocolError, asyncio.CancelledError):
            pass
        finally:
            if task is not None:
                self._tasks.discard(task)
            writer.close()
