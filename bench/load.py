#!/usr/bin/env python3
"""Load on `netbox-tui mcp --http` (issue 19): server processes sharing one Redis, concurrent MCP clients
with two tokens of different rights, on loopback only, bounded in time and count:

    .venv/bin/python bench/load.py [--url http://127.0.0.1:8001] [--limited-token T] [--clients 20]
                                   [--processes 2] [--seconds 120] [--modes shared,none] [--write]

Against the fixture NetBox (scripts/netbox-fixture: a real NetBox 4.7.3 with the demo data), whose
user akron-viewer sees only site DM-Akron (its token: --limited-token or NETBOX_FIXTURE_LIMITED_TOKEN).
Half the clients use the demo's unrestricted read-only token, half the limited one (odd i); client i talks to
server (i // 2) % processes, so each process serves both tokens. Each client opens one MCP session (the SDK's
streamable HTTP client) and asks the 50 QUESTIONS in turn from its own starting point until the time
is up (at most --max-per-client). Modes: `shared`, the servers on one throwaway redis-server
(tests/redisproc.py) as `cache.url`; `none`, the same servers with --no-cache.

Measured per mode: questions per second (all clients), p50/p99 latency of a tool call as the client
sees it, NetBox calls per question (the servers' own count, in each result's meta), errors (a tool
error or a failed call), cross-token rows, and each server's peak RSS (VmHWM). A cross-token row is a
row answered to the limited token that the limited token cannot read itself: every (model, id) it was
shown is looked up afterwards with that token straight from NetBox's REST API, and any not returned is
counted (a row naming a site other than DM-Akron is counted too).

Writes bench/results/load-latest.json and, with --write, the table of RESULTS.md's Load section
(between its BEGIN/END LOAD markers).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
# bench/mcp.py must not shadow the SDK.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import httpx  # noqa: E402
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402
from mcp.shared._httpx_utils import create_mcp_http_client  # noqa: E402

sys.path.insert(0, str(PROJECT / "tests"))
from mcpproc import McpHttpProcess  # noqa: E402  (shared with tests/mcp/test_mcp_http.py)
from redisproc import RedisProcess  # noqa: E402

FULL_TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token
LIMITED_SITE = "DM-Akron"

QUESTIONS = [
    "list all sites", "devices at DM-Akron", "VLANs at DM-Akron", "racks at DM-Akron", "prefixes at DM-Akron",
    "devices at DM-Scranton", "VLANs at DM-Scranton", "racks", "devices", "list all VLANs",
    "prefixes", "IP addresses", "devices per role", "racks in each status", "how many devices at DM-Akron",
    "how many VLANs", "sites with no VLANs", "routers at DM-Akron", "switches", "active devices",
    "devices at DM-Nashua", "interfaces on dmi01-akron-sw01", "disabled ports on dmi01-akron-sw01",
    "what platform is dmi01-akron-rtr01 running", "dmi01-akron-rtr01", "DM-Akron", "summarize site DM-Akron",
    "rack utilization at DM-Akron", "devices per site", "VLANs per site", "free IPs in 10.112.129.0/24",
    "where is 172.16.0.5", "circuits", "tenants", "platforms", "manufacturers", "device types", "regions",
    "VLAN groups", "VRFs", "cables at DM-Akron", "power panels", "devices at DM-Akron except routers",
    "sites in New York", "Cisco devices", "devices with no primary IP", "planned devices",
    "devices at DM-Stamford", "who makes dmi01-akron-sw01", "S/N and asset tag of dmi01-akron-rtr01",
]
assert len(QUESTIONS) == 50, len(QUESTIONS)


@dataclass
class Call:
    client: int
    limited: bool
    question: str
    seconds: float
    netbox_calls: int
    error: str = ""
    refused: bool = False  # NetBox answered 403: this user may not read that model (said, not an error)
    rows: list[tuple[str, Any, dict[str, Any]]] = field(default_factory=list)  # (model, id, row)


def server(url: str, home: Path, cache_url: Optional[str], no_cache: bool) -> McpHttpProcess:
    """One `mcp --http` process on the NetBox at `url`, its own cache folder, the shared Redis if any."""
    env = {**os.environ, "NETBOX_URL": url, "XDG_CONFIG_HOME": str(home / "config"), "PYTHONUNBUFFERED": "1"}
    env.pop("NETBOX_TOKEN", None)  # each session's token comes from its Authorization header
    env.pop("NETBOX_TUI_CACHE_URL", None)
    if cache_url:
        env["NETBOX_TUI_CACHE_URL"] = cache_url
    env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="cache-", dir=home)  # a disk cache of its own
    try:
        return McpHttpProcess(home, env, *(["--no-cache"] if no_cache else []), cwd=PROJECT)
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None


def _rows(text: str) -> list[tuple[str, Any, dict[str, Any]]]:
    data = json.loads(text)
    out = []
    for t in data.get("tables", []):
        for row in t.get("rows", []):
            r = dict(zip(t.get("columns", []), row))
            rid = str(r.get("id", ""))  # cells are strings; a computed row (a count, a range) has no id
            out.append((t.get("model") or "", int(rid) if rid.isdigit() else None, r))
    return out


class Window:
    """The timed window opens once every client has its session and one untimed answer (the server's
    first call on a token reads NetBox's schema and names: start-up, not load)."""

    def __init__(self, clients: int, seconds: float) -> None:
        self.barrier = asyncio.Barrier(clients)
        self.seconds = seconds
        self.started: Optional[float] = None

    async def open(self) -> float:
        await self.barrier.wait()
        if self.started is None:
            self.started = time.monotonic()
        return self.started + self.seconds


async def client(i: int, endpoint: str, token: str, limited: bool, window: Window, cap: int,
                 out: list[Call]) -> None:
    async with create_mcp_http_client(headers={"Authorization": f"Bearer {token}"}) as http:
        async with streamable_http_client(endpoint, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                try:
                    await session.initialize()
                    await session.call_tool("ask", {"question": LIMITED_SITE})
                finally:
                    until = await window.open()
                n = 0
                while time.monotonic() < until and n < cap:
                    q = QUESTIONS[(i * 7 + n) % len(QUESTIONS)]
                    n += 1
                    t0 = time.perf_counter()
                    try:
                        res = await session.call_tool("ask", {"question": q, "json": True})
                    except Exception as exc:  # noqa: BLE001 - counted as an error
                        failure = f"{exc.__class__.__name__}: {exc}"
                        out.append(Call(i, limited, q, time.perf_counter() - t0, 0, failure))
                        continue
                    seconds = time.perf_counter() - t0
                    text = "\n".join(c.text for c in res.content if getattr(c, "type", "") == "text")
                    meta = (res.meta or {}).get("netbox-tui", {})
                    call = Call(i, limited, q, seconds, int(meta.get("netbox_calls", 0)))
                    if res.is_error and limited and "(403)" in text.split("\n", 1)[0]:
                        call.refused = True
                    elif res.is_error:
                        call.error = text[:200]
                    else:
                        call.rows = _rows(text)
                    out.append(call)


def cross_token_rows(url: str, token: str, calls: list[Call]) -> tuple[int, int, list[str]]:
    """(rows checked, rows the limited token cannot read itself, examples)."""
    from netbox_tui.schema import load as load_schema

    schema = load_schema()
    shown: dict[str, set[int]] = defaultdict(set)
    bad: list[str] = []
    checked = 0
    for c in calls:
        if not c.limited:
            continue
        for model, rid, row in c.rows:
            checked += 1
            site = row.get("site")
            if site not in (None, "", "—", "^", LIMITED_SITE):
                bad.append(f"{model} {rid} at {site} ({c.question})")
            if isinstance(rid, int) and model:
                shown[model].add(rid)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        for model, ids in shown.items():
            path = schema.model(model).path
            wanted = sorted(ids)
            for k in range(0, len(wanted), 100):
                batch = wanted[k:k + 100]
                params = [("id", i) for i in batch] + [("brief", "1"), ("limit", "1000")]
                resp = http.get(f"/api/{path}", params=params)
                resp.raise_for_status()
                seen = {r["id"] for r in resp.json()["results"]}
                bad += [f"{model} {i} (not readable by the limited token)" for i in batch if i not in seen]
    return checked, len(bad), bad[:10]


def preflight(url: str, tokens: list[str]) -> None:
    """Both tokens read NetBox before a run starts (the fixture may be re-seeding)."""
    for token in tokens:
        scheme = "Bearer" if token.startswith("nbt_") else "Token"
        headers = {"Authorization": f"{scheme} {token}"}
        resp = httpx.get(f"{url}/api/dcim/sites/?brief=1&limit=1", headers=headers, timeout=30)
        if resp.status_code != 200:
            raise SystemExit(f"NetBox at {url} answers {resp.status_code} to a token: not ready for a run")


def run_mode(mode: str, args: argparse.Namespace, limited_token: str) -> dict[str, Any]:
    preflight(args.url, [args.full_token, limited_token])
    home = Path(tempfile.mkdtemp(prefix=f"nbtui-load-{mode}-"))
    redis = None
    cache_url = None
    if mode == "shared":
        redis = RedisProcess().start()
        cache_url = redis.url
    servers = [server(args.url, home, cache_url, no_cache=mode == "none") for _ in range(args.processes)]
    calls: list[Call] = []
    window: Optional[Window] = None
    try:

        async def main() -> None:
            nonlocal window
            window = Window(args.clients, args.seconds)
            tasks = []
            for i in range(args.clients):
                limited = i % 2 == 1
                token = limited_token if limited else args.full_token
                server = servers[(i // 2) % len(servers)]  # each process gets both tokens
                tasks.append(client(i, server.url, token, limited, window, args.max_per_client, calls))
            results = await asyncio.gather(*tasks, return_exceptions=True)
            for r in results:
                if isinstance(r, BaseException):
                    calls.append(Call(-1, False, "(session)", 0.0, 0, f"{r.__class__.__name__}: {r}"))

        asyncio.run(main())
        assert window is not None and window.started is not None
        wall = time.monotonic() - window.started
        peaks = [round(s.peak_rss_mb(), 1) for s in servers]
    finally:
        for s in servers:
            s.stop()
        if redis is not None:
            redis.stop()
    logs = "".join(s.log.read_text() for s in servers)
    for token in (args.full_token, limited_token):
        if token in logs:
            raise SystemExit("a token appeared in a server log")
    checked, cross, examples = cross_token_rows(args.url, limited_token, calls)
    answered = [c for c in calls if c.question != "(session)"]
    lat = sorted(c.seconds for c in answered)
    errors = [c for c in calls if c.error]
    return {
        "mode": mode, "processes": args.processes, "clients": args.clients, "seconds": round(wall, 1),
        "questions": len(answered), "qps": round(len(answered) / wall, 2),
        "p50_ms": round(statistics.median(lat) * 1000) if lat else None,
        "p99_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000) if lat else None,
        "netbox_calls_per_question": round(sum(c.netbox_calls for c in answered) / max(1, len(answered)), 2),
        "refused_403": sum(c.refused for c in calls),
        "refused_questions": sorted({c.question for c in calls if c.refused}),
        "errors": len(errors), "error_examples": sorted({f"{c.question}: {c.error}" for c in errors})[:10],
        "limited_rows_checked": checked, "cross_token_rows": cross, "cross_examples": examples,
        "peak_rss_mb": peaks, "load_average_1m_after": round(os.getloadavg()[0], 1),
        "per_question": per_question(answered),
    }


def per_question(calls: list[Call]) -> dict[str, dict[str, Any]]:
    """Median latency and mean NetBox calls of each question, slowest first."""
    by: dict[str, list[Call]] = defaultdict(list)
    for c in calls:
        by[c.question].append(c)
    rows = {q: {"n": len(cs), "p50_ms": round(statistics.median(c.seconds for c in cs) * 1000),
                "netbox_calls": round(sum(c.netbox_calls for c in cs) / len(cs), 2)} for q, cs in by.items()}
    return dict(sorted(rows.items(), key=lambda kv: -kv[1]["p50_ms"]))


def table(results: list[dict[str, Any]]) -> str:
    label = {"shared": "one shared Redis", "none": "no cache (--no-cache)"}
    lines = ["| cache | questions | q/s | p50 | p99 | NetBox calls / question | errors "
             "| refused by NetBox (403, limited token) | cross-token rows (of checked) "
             "| peak RSS per process |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in results:
        cells = [label.get(r["mode"], r["mode"]), f"{r['questions']:,}", str(r["qps"]), f"{r['p50_ms']} ms",
                 f"{r['p99_ms']} ms", str(r["netbox_calls_per_question"]), str(r["errors"]),
                 str(r["refused_403"]),
                 f"{r['cross_token_rows']} (of {r['limited_rows_checked']:,})",
                 ", ".join(f"{m:.0f} MB" for m in r["peak_rss_mb"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_results(block: str) -> None:
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8")
    begin, end = "<!-- BEGIN LOAD -->", "<!-- END LOAD -->"
    if begin not in text:
        raise SystemExit("RESULTS.md has no Load section markers")
    head, rest = text.split(begin, 1)
    path.write_text(head + begin + "\n" + block + "\n" + end + rest.split(end, 1)[1], encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default=os.environ.get("NETBOX_FIXTURE_URL", "http://127.0.0.1:8001"))
    ap.add_argument("--full-token", default=FULL_TOKEN)
    ap.add_argument("--limited-token", default=os.environ.get("NETBOX_FIXTURE_LIMITED_TOKEN", ""))
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--max-per-client", type=int, default=5000)
    ap.add_argument("--modes", default="shared,none")
    ap.add_argument("--write", action="store_true", help="update the table in bench/RESULTS.md")
    args = ap.parse_args()
    if not args.limited_token:
        raise SystemExit("no limited token: --limited-token or NETBOX_FIXTURE_LIMITED_TOKEN "
                         "(scripts/netbox-fixture prints it)")
    loopback = args.url.startswith(("http://127.0.0.1", "http://localhost"))
    if not loopback or not 0 < args.seconds <= 600 or not 0 < args.clients <= 100:
        raise SystemExit("loopback NetBox only, at most 600 s and 100 clients")
    results = []
    load_before = os.getloadavg()[0]  # the machine is shared: say how busy it was
    for mode in args.modes.split(","):
        print(f"load: {mode}: {args.processes} servers, {args.clients} clients, {args.seconds:.0f} s ...",
              file=sys.stderr)
        results.append(run_mode(mode, args, args.limited_token))
        shown = {k: v for k, v in results[-1].items() if k != "per_question"}
        print(json.dumps(shown, indent=1), file=sys.stderr)
    out = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
           "load_average_1m_before": round(load_before, 1),
           "url": args.url, "questions": QUESTIONS, "results": results}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "load-latest.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(table(results))
    if args.write:
        write_results(table(results))
    return 1 if any(r["errors"] or r["cross_token_rows"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
