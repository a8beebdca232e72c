#!/usr/bin/env python3
"""`netbox-tui mcp` and the official netboxlabs/netbox-mcp-server side by side (issue 12), in one run
against the real NetBox on 127.0.0.1:

    .venv/bin/python bench/mcp.py --peer-dir DIR [--peer-git SOURCE] [--url http://127.0.0.1:8000] [--write]

`--peer-dir` is where netbox-mcp-server 1.2.1 is installed from its source into a venv of its own
(bench/mcp_peer.py: cloned from GitHub, or from SOURCE, a local mirror, on a machine without
internet; reused on later runs). `--peer-src DIR --peer-python PATH` use a checkout and venv prepared
some other way instead. The peer is started from there over stdio, as an MCP client would.

For each task both servers are driven by a scripted agent that uses its tools the best way they
allow (fields selected, the largest page, filters in NetBox's terms, hop-by-hop walks where the
peer has no recipe), with the official SDK client (`mcp.client.stdio`). Each task gets a fresh
server process (cold: no names, no cache; ours runs with --no-cache), pointed at a counting
proxy in front of NetBox (bench/proxy.py). Measured per task and server: requests NetBox
received (the proxy's count), tool calls, tokens of tool output entering the context (the text
content of every result, o200k_base; the peer also sends each result a second time as
structuredContent, not counted here), and wall time of the tool calls (server start excluded,
given separately). Tool-definition tokens: the tools/list result's tools as JSON.

Both sides' answers are compared (the `same rows` column): the objects listed (ids), the free addresses, the
units used per rack (the peer's agent does that arithmetic itself), the trace's hops and far end.

Writes bench/results/mcp-latest.json and, with --write, the generated block of the MCP section of
bench/RESULTS.md (between its BEGIN/END MCP markers; nothing else in the file is touched). `--from-json FILE
[--write]` runs nothing: the table of a saved run. A run that fails (a server that does not start) is
retried once.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import platform
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
# This file is bench/mcp.py: its own folder must not shadow the `mcp` SDK.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

from mcp import StdioServerParameters  # noqa: E402
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402

from netbox_tui.core.budget import get_encoder  # noqa: E402

sys.path.insert(0, str(HERE))  # the SDK is imported: bench/ may come back for its sibling
import mcp_peer  # noqa: E402


def _bench_module(name: str) -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Proxy = _bench_module("run").Proxy  # bench/run.py's counting-proxy wrapper (bench/proxy.py in a subprocess)

TOKEN = "0123456789abcdef0123456789abcdef01234567"  # read-only token of the public demo dump
RESULTS_MD = HERE / "RESULTS.md"
BEGIN, END = "<!-- BEGIN MCP (bench/mcp.py) -->", "<!-- END MCP -->"
ENC = get_encoder("gpt-4o-mini")

SWITCH, TRACE_IFACE, SLASH24, SITE = "ncsu-coreswitch1", "xe-0/0/1", "172.16.0.0/24", "MDF"
TASKS = [
    ("vlans", "list all VLANs"),
    ("topology", "VLAN topology (VLAN → interfaces → devices)"),
    ("switch", f"a switch's interfaces and connections ({SWITCH})"),
    ("trace", f"a trace ({SWITCH} {TRACE_IFACE}, hop by hop)"),
    ("free", f"free IPs in a /24 ({SLASH24})"),
    ("noip", "devices with no primary IP"),
    ("racks", f"rack utilisation at a site ({SITE})"),
    ("interfaces", "all interfaces"),
]


@dataclass
class Call:
    tool: str
    args: dict[str, Any]
    tokens: int
    ms: float
    error: bool


@dataclass
class Agent:
    session: ClientSession
    calls: list[Call] = field(default_factory=list)

    async def call(self, tool: str, args: dict[str, Any]) -> str:
        t0 = time.perf_counter()
        res = await self.session.call_tool(tool, args)
        ms = (time.perf_counter() - t0) * 1000
        text = "\n".join(c.text for c in res.content if getattr(c, "type", "") == "text")
        self.calls.append(Call(tool, args, ENC.count(text), ms, bool(res.is_error)))
        if res.is_error:
            raise RuntimeError(f"{tool}{args}: {text[:300]}")
        return text


# -- ours: the tools as an agent uses them -------------------------------------------------------------------


async def ours_all(a: Agent, tool: str, args: dict[str, Any]) -> list[str]:
    """One call, then page() while the result says there is more."""
    out = [await a.call(tool, args)]
    while True:
        m = re.findall(r'^more: page\("(t\w+)", (\d+)\)$', out[-1], re.M)
        if not m:
            return out
        handle, offset = m[0]
        out.append(await a.call("page", {"handle": handle, "offset": int(offset)}))


OURS: dict[str, Callable[[Agent], Awaitable[Any]]] = {
    "vlans": lambda a: ours_all(
        a, "query", {"model": "ipam.vlan", "fields": ["id", "vid", "site", "group", "status"], "limit": 1000}
    ),
    "topology": lambda a: ours_all(a, "vlan_topology", {}),
    "switch": lambda a: ours_all(
        a,
        "query",
        {
            "model": "dcim.interface",
            "conditions": [{"field": "device", "value": SWITCH}],
            "fields": ["id", "type", "enabled", "cable", "link_peers"],
            "limit": 1000,
        },
    ),
    "trace": lambda a: ours_all(a, "trace", {"device": SWITCH, "interface": TRACE_IFACE}),
    "free": lambda a: ours_all(a, "free_ips", {"prefix": SLASH24}),
    "noip": lambda a: ours_all(
        a,
        "query",
        {
            "model": "dcim.device",
            "conditions": [{"field": "has_primary_ip", "value": False}],
            "fields": ["id", "site", "role"],
            "limit": 1000,
        },
    ),
    "racks": lambda a: ours_all(a, "rack_utilisation", {"site_or_rack": SITE}),
    "interfaces": lambda a: ours_all(
        a, "query", {"model": "dcim.interface", "fields": ["id", "device", "type", "enabled"], "limit": 1000}
    ),
}


# -- the peer: netbox_get_objects and friends, driven as well as they allow ----------------------------------


async def get(
    a: Agent, object_type: str, filters: dict[str, Any], fields: list[str], limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    text = await a.call(
        "netbox_get_objects",
        {"object_type": object_type, "filters": filters, "fields": fields, "limit": limit, "offset": offset},
    )
    return json.loads(text)


async def get_all(
    a: Agent, object_type: str, filters: dict[str, Any], fields: list[str]
) -> list[dict[str, Any]]:
    """Every object: pages of 100 (the tool's maximum) until `count` is reached."""
    first = await get(a, object_type, filters, fields)
    rows = list(first["results"])
    while len(rows) < first["count"]:
        page = await get(a, object_type, filters, fields, offset=len(rows))
        if not page["results"]:
            break
        rows += page["results"]
    return rows


async def by_id(a: Agent, object_type: str, object_id: int, fields: list[str]) -> dict[str, Any]:
    return json.loads(
        await a.call(
            "netbox_get_object_by_id", {"object_type": object_type, "object_id": object_id, "fields": fields}
        )
    )


async def peer_topology(a: Agent) -> Any:
    vlans = await get_all(a, "ipam.vlan", {}, ["id", "vid", "name", "site"])
    modes = ["access", "tagged", "tagged-all"]
    ifaces = await get_all(
        a,
        "dcim.interface",
        {"mode": modes},
        ["id", "name", "device", "mode", "untagged_vlan", "tagged_vlans"],
    )
    vmifaces = await get_all(
        a,
        "virtualization.vminterface",
        {"mode": modes},
        ["id", "name", "virtual_machine", "mode", "untagged_vlan", "tagged_vlans"],
    )
    return vlans, ifaces, vmifaces


async def peer_trace(a: Agent) -> list[str]:
    """Hop by hop: interface → cable → front port → its rear port → cable → … until an interface."""
    link = ["id", "name", "device", "cable", "link_peers", "link_peers_type"]
    start = (
        await get(
            a,
            "dcim.interface",
            {"device": SWITCH, "name": TRACE_IFACE},
            link + ["connected_endpoints"],
            limit=5,
        )
    )["results"][0]
    hops, cur, position = [], start, 1
    for _ in range(16):
        peers, kind = cur.get("link_peers") or [], cur.get("link_peers_type")
        if not peers:
            break
        peer = peers[0]
        hops.append(f"{cur.get('name')} -> {peer.get('display')} ({kind})")
        if kind == "dcim.interface":
            break
        if kind == "dcim.frontport":  # through the patch panel: the front port's rear port, at its position
            fp = await by_id(a, "dcim.frontport", peer["id"], ["id", "name", "rear_ports"])
            mapping = (fp.get("rear_ports") or [{}])[0]
            position = mapping.get("rear_port_position", 1)
            cur = await by_id(a, "dcim.rearport", mapping["rear_port"], link + ["positions"])
        elif (
            kind == "dcim.rearport"
        ):  # into a rear port: out of the front port mapped to the position carried
            fps = (await get(a, "dcim.frontport", {"rear_port_id": peer["id"]}, link + ["rear_ports"]))[
                "results"
            ]
            cur = next(
                (
                    f
                    for f in fps
                    if any(m.get("rear_port_position") == position for m in f.get("rear_ports") or [])
                ),
                fps[0] if fps else {},
            )
        elif kind == "circuits.circuittermination":  # across the circuit: its other termination
            other = "Z" if peer.get("term_side") == "A" else "A"
            cur = (
                await get(
                    a,
                    "circuits.circuittermination",
                    {"circuit_id": peer["circuit"]["id"], "term_side": other},
                    ["id", "circuit", "term_side", "cable", "link_peers", "link_peers_type"],
                    limit=5,
                )
            )["results"][0]
        else:
            break
    return hops


async def peer_free(a: Agent) -> list[str]:
    prefix = (await get(a, "ipam.prefix", {"prefix": SLASH24}, ["id", "prefix", "vrf", "status"], limit=5))[
        "results"
    ][0]
    vrf = (prefix.get("vrf") or {}).get("id")
    used = await get_all(
        a, "ipam.ipaddress", {"parent": SLASH24, "vrf_id": vrf if vrf else "null"}, ["address"]
    )
    taken = {ipaddress.ip_interface(u["address"]).ip for u in used}
    net = ipaddress.ip_network(SLASH24)
    return [str(h) for h in net.hosts() if h not in taken]  # the agent's own arithmetic: not a tool call


async def peer_racks(a: Agent) -> Any:
    site = (await get(a, "dcim.site", {"name": SITE}, ["id", "name"], limit=5))["results"][0]
    racks = await get_all(a, "dcim.rack", {"site_id": site["id"]}, ["id", "name", "u_height"])
    devices = await get_all(
        a,
        "dcim.device",
        {"site_id": site["id"], "rack_id__n": "null"},
        ["id", "rack", "position", "device_type", "parent_device"],
    )
    type_ids = sorted({d["device_type"]["id"] for d in devices if d.get("device_type")})
    types = await get_all(a, "dcim.devicetype", {"id": type_ids}, ["id", "u_height"]) if type_ids else []
    return racks, devices, types


PEER: dict[str, Callable[[Agent], Awaitable[Any]]] = {
    "vlans": lambda a: get_all(a, "ipam.vlan", {}, ["id", "vid", "name", "site", "group", "status"]),
    "topology": peer_topology,
    "switch": lambda a: get_all(
        a, "dcim.interface", {"device": SWITCH}, ["id", "name", "type", "enabled", "cable", "link_peers"]
    ),
    "trace": peer_trace,
    "free": peer_free,
    "noip": lambda a: get_all(a, "dcim.device", {"has_primary_ip": False}, ["id", "name", "site", "role"]),
    "racks": peer_racks,
    "interfaces": lambda a: get_all(a, "dcim.interface", {}, ["id", "name", "device", "type", "enabled"]),
}


# -- the same rows? ------------------------------------------------------------------------------------------
# Each side's answer reduced to what the task asks for (object ids, free addresses, used units per rack,
# the far end of the trace): ours read back from its text results, the peer's from the JSON its agent
# collected.

def our_rows(texts: list[str]) -> list[dict[str, str]]:
    """The rows of every table in our text results (pages included): `^` cells resolved, a one-object
    line (`id=80|status=Active`) read as one row."""
    rows: list[dict[str, str]] = []
    for text in texts:
        header: list[str] = []
        in_block = False  # the summary and notes above the first table are no rows
        for line in text.splitlines():
            if line.startswith("## "):
                header, in_block = [], True
            elif line.startswith(("more: ", "list them: ")):
                in_block = False
            elif not in_block or not line:
                continue
            elif not header and re.match(r"^id=\d+", line):
                rows.append(dict(kv.split("=", 1) for kv in line.split("|") if "=" in kv))
            elif not header:
                header = line.split("|")
            else:
                cells = line.split("|")
                above = rows[-1] if rows else {}
                rows.append({c: (above.get(c, "") if v == "^" else v) for c, v in zip(header, cells)})
    return rows


def _ids(rows: list[dict[str, Any]]) -> set[int]:
    return {int(r["id"]) for r in rows if str(r.get("id", "")).isdigit()}


def same_ids(ours: list[str], peer: Any) -> tuple[bool, str]:
    a, b = _ids(our_rows(ours)), _ids(peer)
    return a == b, f"{len(a):,} / {len(b):,} objects" + (
        "" if a == b else f"; only ours {len(a - b)}, only the peer's {len(b - a)}"
    )


def same_topology(ours: list[str], peer: Any) -> tuple[bool, str]:
    vlans, ifaces, vmifaces = peer
    carried: dict[int, int] = {}
    for i in ifaces + vmifaces:  # the VLANs an interface carries: its untagged one and its tagged ones
        for v in [i.get("untagged_vlan")] + list(i.get("tagged_vlans") or []):
            if isinstance(v, dict):
                carried[v["id"]] = carried.get(v["id"], 0) + 1
    mine = {
        int(r["id"]): int(r.get("interfaces") or 0) for r in our_rows(ours) if str(r.get("id", "")).isdigit()
    }
    theirs = {v["id"]: carried.get(v["id"], 0) for v in vlans}
    return (
        mine == theirs,
        f"{len(mine)} / {len(theirs)} VLANs, {sum(mine.values())} / {sum(theirs.values())} "
        "interface assignments",
    )


def same_trace(ours: list[str], peer: Any) -> tuple[bool, str]:
    rows = our_rows(ours)
    far = rows[-1].get("far", "") if rows else ""
    end = re.search(r"-> (.+) \(dcim\.interface\)$", peer[-1]) if peer else None
    same = len(rows) == len(peer) and end is not None and far.endswith(end.group(1))
    return same, f"{len(rows)} / {len(peer)} hops, far end {far or '-'} / {end.group(1) if end else '-'}"


def same_free(ours: list[str], peer: Any) -> tuple[bool, str]:
    mine: set[str] = set()
    for r in our_rows(ours):
        if r.get("first") and r.get("last"):
            lo, hi = int(ipaddress.ip_address(r["first"])), int(ipaddress.ip_address(r["last"]))
            mine.update(str(ipaddress.ip_address(n)) for n in range(lo, hi + 1))
    theirs = set(peer)
    return mine == theirs, f"{len(mine):,} / {len(theirs):,} free addresses"


def same_racks(ours: list[str], peer: Any) -> tuple[bool, str]:
    racks, devices, types = peer
    height = {t["id"]: float(t.get("u_height") or 0) for t in types}
    used: dict[int, float] = {r["id"]: 0.0 for r in racks}
    for d in devices:  # the agent's own arithmetic: racked, positioned, not a child device
        if d.get("rack") and d.get("position") is not None and not d.get("parent_device"):
            used[d["rack"]["id"]] = used.get(d["rack"]["id"], 0.0) + height.get(
                (d.get("device_type") or {}).get("id"), 0.0
            )
    mine = {
        int(r["id"]): float(r.get("used_u") or 0) for r in our_rows(ours) if str(r.get("id", "")).isdigit()
    }
    return (
        mine == used,
        f"{len(mine)} / {len(used)} racks, {sum(mine.values()):g} / {sum(used.values()):g} units used",
    )


SAME: dict[str, Callable[[list[str], Any], tuple[bool, str]]] = {
    "vlans": same_ids, "topology": same_topology, "switch": same_ids, "trace": same_trace,
    "free": same_free, "noip": same_ids, "racks": same_racks, "interfaces": same_ids,
}


# -- running a server ----------------------------------------------------------------------------------------


def ours_params(proxy_url: str, home: Path) -> StdioServerParameters:
    env = {
        "NETBOX_URL": proxy_url,
        "NETBOX_TOKEN": TOKEN,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return StdioServerParameters(
        command=sys.executable, args=["-m", "netbox_tui", "mcp", "--no-cache"], env=env, cwd=str(home)
    )


def peer_params(proxy_url: str, src: Path, python: str) -> StdioServerParameters:
    env = {
        "NETBOX_URL": proxy_url + "/",
        "NETBOX_TOKEN": TOKEN,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(src / "src"),
        "FASTMCP_SHOW_SERVER_BANNER": "false",
        "FASTMCP_CHECK_FOR_UPDATES": "off",
    }
    return StdioServerParameters(command=python, args=["-m", "netbox_mcp_server"], env=env, cwd=str(src))


async def run_task(
    params: StdioServerParameters, script: Callable[[Agent], Awaitable[Any]], proxy: Any, errlog: Any
) -> dict[str, Any]:
    t0 = time.perf_counter()
    async with stdio_client(params, errlog=errlog) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            tools = await session.list_tools()
            started = (time.perf_counter() - t0) * 1000
            defs = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools.tools]
            await asyncio.sleep(0.2)  # anything a server does at start is not the task's
            proxy.reset()
            agent = Agent(session)
            t1 = time.perf_counter()
            answer = await script(agent)
            wall = (time.perf_counter() - t1) * 1000
            seen = proxy.stats()
    # NetBox's version and plugins, read once per server session on its first call (which schema is in force):
    # a session's cost, not the task's, said apart in the table.
    status = sum(
        1 for e in seen.get("log", []) if e["target"].split("?")[0].rstrip("/").endswith("/api/status")
    )
    return {
        "netbox_requests": seen["requests"],
        "status_requests": status,
        "netbox_body_bytes": seen["response_body_bytes"],
        "tool_calls": len(agent.calls),
        "tokens": sum(c.tokens for c in agent.calls),
        "largest_result_tokens": max((c.tokens for c in agent.calls), default=0),
        "wall_ms": round(wall),
        "start_ms": round(started),
        "tool_ms": [round(c.ms) for c in agent.calls],
        "calls": [{"tool": c.tool, "args": c.args, "tokens": c.tokens} for c in agent.calls],
        "server": f"{init.server_info.name} {init.server_info.version}",
        "definitions": defs,
        "definition_tokens": ENC.count(json.dumps(defs, ensure_ascii=False)),
        "instructions_tokens": ENC.count(init.instructions or ""),
        "answer": answer,
    }


async def run_once_more(params: StdioServerParameters, script: Callable[[Agent], Awaitable[Any]], proxy: Any,
                        errlog: Any) -> dict[str, Any]:
    """run_task; a run that fails is run once more (a server that did not start is not a figure)."""
    try:
        return await run_task(params, script, proxy, errlog)
    except Exception as exc:  # noqa: BLE001 - said, then the second attempt's failure is final
        print(
            f"  failed ({exc.__class__.__name__}: {str(exc)[:200]}): once more", file=sys.stderr, flush=True
        )
        await asyncio.sleep(2)
        return await run_task(params, script, proxy, errlog)


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    src, python = Path(args.peer_src).resolve(), args.peer_python
    out: dict[str, Any] = {"tasks": {}, "url": args.url}
    home = Path(tempfile.mkdtemp(prefix="nbt-mcp-bench-"))
    errlog = open(home / "servers-stderr.log", "w", encoding="utf-8")  # noqa: SIM115
    try:
        with Proxy(args.url) as proxy:
            for key, words in TASKS:
                row: dict[str, Any] = {"task": words}
                runs: dict[str, list[dict[str, Any]]] = {"ours": [], "peer": []}
                for rep in range(
                    args.repeat
                ):  # the two sides interleaved, so load on the machine hits both alike
                    for side, params, scripts in (
                        ("ours", ours_params(proxy.url, home), OURS),
                        ("peer", peer_params(proxy.url, src, python), PEER),
                    ):
                        print(f"{key}: {side} run {rep + 1}/{args.repeat}", file=sys.stderr, flush=True)
                        runs[side].append(await run_once_more(params, scripts[key], proxy, errlog))
                same, detail = SAME[key](runs["ours"][0]["answer"], runs["peer"][0]["answer"])
                row["same_rows"] = {"same": same, "detail": detail}
                for side, got in runs.items():
                    walls = sorted(r["wall_ms"] for r in got)
                    row[side] = dict(
                        got[0],
                        wall_ms=walls[len(walls) // 2],
                        wall_ms_all=[r["wall_ms"] for r in got],
                        start_ms=sorted(r["start_ms"] for r in got)[len(got) // 2],
                    )
                    same = {(r["netbox_requests"], r["tool_calls"], r["tokens"]) for r in got}
                    row[side]["stable"] = (
                        len(same) == 1
                    )  # requests, calls and tokens do not vary between runs
                out["tasks"][key] = row
    finally:
        errlog.close()
    out["peer_version"] = _peer_version(src)
    out["repeat"] = args.repeat
    out["unstable"] = [k for k, row in out["tasks"].items() for s in ("ours", "peer") if not row[s]["stable"]]
    for row in out["tasks"].values():  # the peer's tool texts are its own: only their token counts are kept
        for side in ("ours", "peer"):
            row[side].pop("definitions", None)
            row[side].pop("answer", None)
    first = next(iter(out["tasks"].values()))
    out["definition_tokens"] = {s: first[s]["definition_tokens"] for s in ("ours", "peer")}
    out["instructions_tokens"] = {s: first[s]["instructions_tokens"] for s in ("ours", "peer")}
    out["servers"] = {s: first[s]["server"] for s in ("ours", "peer")}
    out["start_ms"] = {
        s: sorted(t[s]["start_ms"] for t in out["tasks"].values())[len(TASKS) // 2] for s in ("ours", "peer")
    }
    out["machine"] = (
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, load "
        f"{os.getloadavg()[0]:.1f}"
    )
    out["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out["git"] = _git()
    return out


def _git() -> str:
    import subprocess

    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "netbox_tui"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
        return rev + (" + uncommitted changes" if dirty.strip() else "")
    except OSError:
        return "?"


def _peer_version(src: Path) -> str:
    try:
        m = re.search(r'^version\s*=\s*"([^"]+)"', (src / "pyproject.toml").read_text(encoding="utf-8"), re.M)
        return m.group(1) if m else "?"
    except OSError:
        return "?"


# -- the table -----------------------------------------------------------------------------------------------


def table(res: dict[str, Any], command: str) -> str:
    d, i = res["definition_tokens"], res["instructions_tokens"]
    lines = [
        f"Made by `{command}` on {res['when']}, git {res['git']} ({res['machine']}); peer: "
        f"netbox-mcp-server {res['peer_version']} "
        f"(serverInfo \"{res['servers']['peer']}\"), ours: \"{res['servers']['ours']}\"; NetBox "
        f"at {res['url']} through the counting proxy.",
        "",
        f"Each cell: ours / peer. Wall time: median of {res['repeat']} cold runs per task and "
        "server, the tool calls only (server start excluded).",
        "",
        "| task | NetBox "
        f"requests{' (+ the session' + chr(39) + 's status read)' if _split(res) else ''} | tool "
        "calls | tokens of tool output | largest result (tokens) | wall ms of the calls | same "
        "rows |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    tot = {k: [0, 0] for k in ("netbox_requests", "status_requests", "tool_calls", "tokens", "wall_ms")}
    for row in res["tasks"].values():
        o, p = row["ours"], row["peer"]
        for k in tot:
            tot[k][0] += o.get(k, 0)
            tot[k][1] += p.get(k, 0)
        lines.append(
            f"| {row['task']} | {_requests(o)} / {_requests(p)} | {o['tool_calls']} / {p['tool_calls']} | "
            f"{o['tokens']:,} / {p['tokens']:,} | {o['largest_result_tokens']:,} / "
            f"{p['largest_result_tokens']:,} | {o['wall_ms']:,} / {p['wall_ms']:,} | "
            f"{_same(row)} |"
        )
    both = [
        {"netbox_requests": tot["netbox_requests"][i], "status_requests": tot["status_requests"][i]}
        for i in (0, 1)
    ]
    lines.append(
        f"| **all eight** | {_requests(both[0])} / {_requests(both[1])} | {tot['tool_calls'][0]} "
        f"/ {tot['tool_calls'][1]} | "
        f"{tot['tokens'][0]:,} / {tot['tokens'][1]:,} | | {tot['wall_ms'][0]:,} / {tot['wall_ms'][1]:,} | |"
    )
    if tot["status_requests"][0] or tot["status_requests"][1]:
        lines += [
            "",
            "`+1`: NetBox's `/api/status/` (its version and plugins: which schema is in force), "
            "read once per server "
            "session on its first tool call. Each task here runs on a fresh server, so each pays "
            "it; in a session of "
            "several calls only the first does. The task's own requests are the first figure.",
        ]
    lines += [
        "",
        f"Tool definitions (the tools/list result's tools as JSON, o200k_base), paid in every request: "
        f"**ours {d['ours']:,} tokens** (8 tools; server instructions {i['ours']} more), **peer "
        f"{d['peer']:,} tokens** (4 tools" + (f"; instructions {i['peer']}" if i["peer"] else "") + "). "
        "Server start to tools listed (median over the tasks' cold starts): ours "
        f"{res['start_ms']['ours']:,} ms, peer {res['start_ms']['peer']:,} ms."
        + (
            ""
            if not res["unstable"]
            else f" Requests, calls or tokens varied between runs for: {', '.join(res['unstable'])}."
        ),
    ]
    return "\n".join(lines)


def _split(res: dict[str, Any]) -> bool:
    """The run told the session's status read apart (runs before it did not)."""
    return all("status_requests" in row["ours"] for row in res["tasks"].values())


def _requests(side: dict[str, Any]) -> str:
    """The task's own requests, then the session's status read apart: `1 +1`."""
    status = side.get("status_requests", 0)
    return f"{side['netbox_requests'] - status}" + (f" +{status}" if status else "")


def _same(row: dict[str, Any]) -> str:
    got = row.get("same_rows")
    return "?" if got is None else ("yes" if got["same"] else "**no**") + f": {got['detail']}"


def write_results(block: str) -> None:
    text = RESULTS_MD.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{RESULTS_MD} has no {BEGIN} … {END} block: add the MCP section first")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    RESULTS_MD.write_text(head + BEGIN + "\n" + block + "\n" + END + tail, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--peer-dir",
        type=Path,
        help="install netbox-mcp-server from its source here (bench/mcp_peer.py), or reuse it",
    )
    ap.add_argument(
        "--peer-git", default=mcp_peer.GIT, help="where --peer-dir clones it from (a URL or a local mirror)"
    )
    ap.add_argument(
        "--peer-src",
        help="instead of --peer-dir: a checkout of netbox-mcp-server (1.2.x) prepared beforehand",
    )
    ap.add_argument("--peer-python", help="with --peer-src: the Python of a venv holding its dependencies")
    ap.add_argument(
        "--url", default="http://127.0.0.1:8000", help="the real NetBox (read-only token of the demo dump)"
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="cold runs per task and server; wall time is their median (default 3)",
    )
    ap.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md's MCP block")
    ap.add_argument(
        "--from-json", type=Path, help="run nothing: the table of a saved run (its mcp-latest.json)"
    )
    args = ap.parse_args()
    if args.from_json:  # the figures of a run already made, e.g. to write them into RESULTS.md afterwards
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        block = table(saved, saved.get("command", ".venv/bin/python bench/mcp.py --peer-dir PEER_DIR"))
        print(block)
        if args.write:
            write_results(block)
        return
    if args.peer_dir:
        src, python = mcp_peer.prepare(args.peer_dir.resolve(), args.peer_git)
        args.peer_src, args.peer_python = str(src), str(python)
    elif not (args.peer_src and args.peer_python):
        ap.error("give --peer-dir DIR (installs the peer there), or --peer-src and --peer-python")
    if not (Path(args.peer_src) / "src" / "netbox_mcp_server").is_dir():
        raise SystemExit(f"--peer-src {args.peer_src}: no src/netbox_mcp_server there")
    if not os.access(args.peer_python, os.X_OK):
        raise SystemExit(f"--peer-python {args.peer_python}: not an executable")
    res = asyncio.run(bench(args))
    command = (
        ".venv/bin/python bench/mcp.py "
        + (
            "--peer-dir PEER_DIR"
            if args.peer_dir
            else "--peer-src PEER_SRC --peer-python PEER_VENV/bin/python"
        )
        + (f" --url {args.url}" if args.url != "http://127.0.0.1:8000" else "")
        + (f" --repeat {args.repeat}" if args.repeat != 3 else "")
        + (" --write" if args.write else "")
    )
    res["command"] = command
    block = table(res, command)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "mcp-latest.json").write_text(
        json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(block)
    if args.write:
        write_results(block)


if __name__ == "__main__":
    main()
