#!/usr/bin/env python3
"""netbox-tui benchmarks against the real NetBox on 127.0.0.1 (issue 6). One command:

    .venv/bin/python bench/run.py                  # full run (about 8 min): every section but scale
    .venv/bin/python bench/run.py --scale          # and the scale sizes (1x :8001, 10x :8010, 100x :8100)
    .venv/bin/python bench/run.py --quick          # fewer repetitions (under 3 min)
    .venv/bin/python bench/run.py --only scale     # some sections: dev naive tokens startup memory scale
    .venv/bin/python bench/run.py --only scale --sizes 1=http://127.0.0.1:8002,10,100   # sizes, a URL each

Needs the demo NetBox (scripts/netbox-dev) on --url (default http://127.0.0.1:8000); the scale
sizes are NetBoxes filled by bench/scale_gen.py (sizes that do not answer are skipped and said so).
Writes bench/results/run-<stamp>.json, bench/results/latest.json and the generated block of
bench/RESULTS.md (between the BEGIN/END GENERATED markers; the notes around it are kept). `--only scale`
writes bench/results/scale-latest.json (and .md) instead, leaving the other sections' figures as they are.

Every load goes to 127.0.0.1 only and is bounded: fixed questions, fixed repetitions, timeouts.
Nothing here is a test: no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

import httpx
import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from baselines import FLOORS, NAIVE, Raw, replay_fn, timed, vlan_topology_graphql, waves  # noqa: E402

DEV_YAML = PROJECT / "tests" / "data" / "queries" / "dev.yaml"
TOKEN = "0123456789abcdef0123456789abcdef01234567"  # read-only token of the public demo dump
NBT = str(Path(sys.executable).parent / "netbox-tui")
RESULTS_DIR = HERE / "results"
RESULTS_MD = HERE / "RESULTS.md"
SCALE_SIZES = [(1, "http://127.0.0.1:8001"), (10, "http://127.0.0.1:8010"), (100, "http://127.0.0.1:8100")]
SECTIONS = ("dev", "naive", "tokens", "startup", "memory", "scale")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def med(xs: list[float]) -> Optional[float]:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def ms(x: Optional[float]) -> str:
    return "—" if x is None else f"{x * 1000:,.0f}"


def ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return None if a is None or not b else a / b


def rx(x: Optional[float], nd: int = 2) -> str:
    return "—" if x is None else f"{x:.{nd}f}×"


# -- machine -----------------------------------------------------------------------------------

def machine(url: str) -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, AttributeError):
        pass
    try:
        status = httpx.get(
            f"{url}/api/status/", headers={"Authorization": f"Token {TOKEN}"}, timeout=10
        ).json()
        nb = (
            f"{status.get('netbox-version')} (Django {status.get('django-version')}, Python "
            f"{status.get('python-version')})"
        )
        workers = "gunicorn, 3 workers x 2 threads (scripts/netbox-dev)"
    except Exception as exc:  # noqa: BLE001
        nb, workers = f"unreachable ({exc})", ""
    git = subprocess.run(
        ["git", "-C", str(PROJECT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(PROJECT), "status", "--porcelain", "--", "netbox_tui"],
        capture_output=True,
        text=True,
    ).stdout
    if dirty.strip():
        git += f" + uncommitted changes in {len(dirty.splitlines())} netbox_tui file(s)"
    from netbox_tui import __version__

    return {
        "date": subprocess.run(["date"], capture_output=True, text=True).stdout.strip(),
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "cpu": cpu, "ram": mem, "python": platform.python_version(), "platform": platform.platform(),
        "netbox": nb, "netbox_server": workers, "netbox_url": url, "netbox_tui": __version__, "git": git,
        "loadavg_start": Path("/proc/loadavg").read_text().split()[:3],
    }


# -- the counting proxy (a separate process) ----------------------------------------------------

class Proxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.proc: Optional[subprocess.Popen] = None
        self.url = ""

    def __enter__(self) -> "Proxy":
        fd, port_file = tempfile.mkstemp(prefix="nbt-proxy-port-")
        os.close(fd)
        os.unlink(port_file)
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "proxy.py"), "--upstream", self.upstream, "--port-file", port_file],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(100):
            if os.path.exists(port_file) and Path(port_file).read_text().strip():
                break
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{Path(port_file).read_text().strip()}"
        os.unlink(port_file)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()  # our own child, by its handle
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def reset(self) -> None:
        httpx.get(f"{self.url}/__proxy__/reset", timeout=5)

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.url}/__proxy__/stats", timeout=5).json()


# -- netbox-tui as a user runs it ----------------------------------------------------------------

class Env:
    """An environment for the CLI with no user config, no LLM key, and a cache dir per run."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="nbt-bench-"))
        (self.root / "config").mkdir()
        self.n = 0

    def cache_dir(self) -> Path:
        self.n += 1
        return self.root / f"cache-{self.n}"

    def env(self, url: str, cache_dir: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NETBOX_", "OPENAI_"))}
        env.update(
            NETBOX_URL=url,
            NETBOX_TOKEN=TOKEN,
            NETBOX_TUI_CACHE_DIR=str(cache_dir),
            XDG_CONFIG_HOME=str(self.root / "config"),
            COLUMNS="120",
        )
        return env

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def cli(args: list[str], env: dict[str, str], timeout: float = 180) -> tuple[float, str, int, str]:
    t = time.perf_counter()
    p = subprocess.run([NBT, *args], env=env, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - t, p.stdout, p.returncode, p.stderr


def answer_json(stdout: str) -> dict[str, Any]:
    try:
        return json.loads(stdout)
    except ValueError:
        return {"status": "unparsable", "answer": stdout[-300:], "stats": {}}


# -- netbox-tui in-process -------------------------------------------------------------------------

async def ours(url: str, question: str, cache_dir: Optional[Path], intent: Any = None, offset: int = 0,
               **orch_kw: Any) -> dict[str, Any]:
    from netbox_tui.config import CacheSettings, NetBoxProfile
    from netbox_tui.core.orchestrator import Orchestrator
    from netbox_tui.netbox.cache import CacheMode, ResponseCache
    from netbox_tui.netbox.client import NetBoxClient

    cache = (
        ResponseCache(cache_dir, CacheSettings().ttl_for)
        if cache_dir
        else ResponseCache(None, lambda k: 0, mode=CacheMode.OFF)
    )
    t = time.perf_counter()
    client = NetBoxClient(NetBoxProfile(url=url, token=TOKEN), cache=cache)
    try:
        a = await Orchestrator(client, **orch_kw).ask(question, intent=intent, offset=offset)
    finally:
        wall = time.perf_counter() - t
        await client.aclose()
        cache.close()
    t0 = a.tables[0] if a.tables else None
    return {
        "s": wall,
        "calls": a.stats.api_calls,
        "bytes": a.stats.bytes,
        "hits": a.stats.cache_hits,
        "status": a.status,
        "plan": a.plan.kind,
        "steps": a.plan.steps,
        "total": t0.total if t0 else None,
        "rows": len(t0.rows) if t0 else 0,
        "answer": a.answer,
    }


# -- section: dev.yaml questions ---------------------------------------------------------------------

async def section_dev(url: str, questions: list[str], reps: int, cli_reps: int, envs: Env) -> dict[str, Any]:
    out: dict[str, Any] = {"reps_inprocess": reps, "reps_cli": cli_reps, "questions": {}}
    log(f"dev: warm-up pass over {len(questions)} questions (NetBox and PostgreSQL caches; not timed)")
    for q in questions:
        await ours(url, q, None)
        if q in FLOORS:
            await timed(url, TOKEN, FLOORS[q][0])

    log("dev: counting pass, the CLI through the counting proxy (cold, then warm)")
    with Proxy(url) as proxy:
        for q in questions:
            cd = envs.cache_dir()
            proxy.reset()
            _, so, rc, se = cli(["ask", q, "--json", "--url", proxy.url], envs.env(url, cd))
            cold = answer_json(so)
            pc = proxy.stats()
            proxy.reset()
            _, so2, _, _ = cli(["ask", q, "--json", "--url", proxy.url], envs.env(url, cd))
            warm = answer_json(so2)
            pw = proxy.stats()
            s = cold.get("stats", {})
            t0 = (cold.get("tables") or [{}])[0]
            out["questions"][q] = {
                "status": cold.get("status"),
                "plan": (cold.get("plan") or {}).get("kind"),
                "answer": cold.get("answer", "")[:240],
                "total": t0.get("total"),
                "rows": len(t0.get("rows") or []),
                "client_calls": s.get("api_calls"),
                "client_bytes": s.get("bytes"),
                "proxy_requests": pc["requests"],
                "proxy_body_bytes": pc["response_body_bytes"],
                "proxy_wire_bytes": pc["response_wire_bytes"],
                "proxy_status": pc["status"],
                "waves": waves(pc["log"]),
                "log": pc["log"],
                "warm_client_calls": (warm.get("stats") or {}).get("api_calls"),
                "warm_cache_hits": (warm.get("stats") or {}).get("cache_hits"),
                "warm_proxy_requests": pw["requests"],
                "answer_json_chars": len(so),
                "cli_rc": rc,
                "cli_stderr": se[-300:],
                "warm_same_answer": (warm.get("answer") == cold.get("answer")),
            }

    log(f"dev: in-process cold/warm, floor and replay side by side, {reps} rounds")
    series: dict[str, dict[str, list]] = {
        q: {"cold": [], "warm": [], "floor": [], "replay": [], "warm_calls": [], "cold_calls": []}
        for q in questions
    }
    for r in range(reps):
        for q in questions:
            d = out["questions"][q]
            cd = envs.cache_dir()
            c = await ours(url, q, cd)
            w = await ours(url, q, cd)
            series[q]["cold"].append(c["s"])
            series[q]["cold_calls"].append(c["calls"])
            series[q]["warm"].append(w["s"])
            series[q]["warm_calls"].append(w["calls"])
            if q in FLOORS:
                f = await timed(url, TOKEN, FLOORS[q][0])
                series[q]["floor"].append(f["s"])
                d.update(
                    floor_calls=f["calls"],
                    floor_bytes=f["bytes"],
                    floor_errors=f["errors"],
                    floor_note=FLOORS[q][1],
                    floor_waves=waves(f["log"]),
                )
            rp = await timed(url, TOKEN, replay_fn(d["log"]))
            series[q]["replay"].append(rp["s"])
            shutil.rmtree(cd, ignore_errors=True)
        log(f"dev: round {r + 1}/{reps} done")
    for q in questions:
        s = series[q]
        d = out["questions"][q]
        d.update(
            inproc_cold_s=med(s["cold"]),
            inproc_warm_s=med(s["warm"]),
            floor_s=med(s["floor"]),
            replay_s=med(s["replay"]),
            inproc_cold_min=min(s["cold"]),
            floor_min=min(s["floor"]) if s["floor"] else None,
            inproc_cold_all=s["cold"],
            floor_all=s["floor"],
            inproc_cold_calls=s["cold_calls"],
            inproc_warm_calls=s["warm_calls"],
            ours_over_floor=ratio(med(s["cold"]), med(s["floor"])),
            ours_over_replay=ratio(med(s["cold"]), med(s["replay"])),
            # Best of N: free of the server's occasional ~0.5 s stalls (see RESULTS.md), the intrinsic cost.
            ours_over_floor_min=ratio(min(s["cold"]), min(s["floor"]) if s["floor"] else None),
            ours_over_replay_min=ratio(min(s["cold"]), min(s["replay"])),
        )

    log(f"dev: CLI (netbox-tui ask --json, process start included) cold and warm, {cli_reps} rounds")
    cs: dict[str, dict[str, list]] = {q: {"cold": [], "warm": [], "warm_calls": []} for q in questions}
    for r in range(cli_reps):
        for q in questions:
            cd = envs.cache_dir()
            tc, _, _, _ = cli(["ask", q, "--json"], envs.env(url, cd))
            tw, so, _, _ = cli(["ask", q, "--json"], envs.env(url, cd))
            cs[q]["cold"].append(tc)
            cs[q]["warm"].append(tw)
            cs[q]["warm_calls"].append((answer_json(so).get("stats") or {}).get("api_calls"))
            shutil.rmtree(cd, ignore_errors=True)
    for q in questions:
        out["questions"][q].update(
            cli_cold_s=med(cs[q]["cold"]),
            cli_warm_s=med(cs[q]["warm"]),
            cli_cold_min=min(cs[q]["cold"]),
            cli_warm_min=min(cs[q]["warm"]),
            cli_cold_all=cs[q]["cold"],
            cli_warm_all=cs[q]["warm"],
            cli_warm_calls=cs[q]["warm_calls"],
        )
    return out


# -- section: naive baselines ------------------------------------------------------------------------

async def section_naive(url: str, reps: int, envs: Env, slow_reps: int = 1) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q, variants in NAIVE.items():
        for label, fn, note in variants:
            n = slow_reps if "127" in label else reps
            runs, mine = [], []
            for _ in range(n):
                runs.append(await timed(url, TOKEN, fn))
                await asyncio.sleep(0.5)  # let the server finish with the previous pattern's work
                mine.append(await ours(url, q, None))
                await asyncio.sleep(0.5)
            key = f"{q} | {label}"
            out[key] = {
                "question": q,
                "pattern": label,
                "note": note,
                "reps": n,
                "naive_calls": runs[0]["calls"],
                "naive_bytes": runs[0]["bytes"],
                "naive_s": med([x["s"] for x in runs]),
                "naive_errors": runs[0]["errors"][:3],
                "ours_calls": mine[0]["calls"],
                "ours_bytes": mine[0]["bytes"],
                "ours_s": med([x["s"] for x in mine]),
            }
            o = out[key]
            o["calls_ratio"] = ratio(o["ours_calls"], o["naive_calls"])
            o["bytes_ratio"] = ratio(o["ours_bytes"], o["naive_bytes"])
            o["time_ratio"] = ratio(o["ours_s"], o["naive_s"])
            if "127" in label:
                res = runs[0]["result"] or {}
                o["naive_answer"] = (
                    f"every VLAN 'has' {sorted({d for d, _ in res.values()})} devices (ignored "
                    f"filter), interfaces {sorted({i for _, i in res.values()})[:5]}"
                )
            log(
                f"naive: {key}: {o['naive_calls']} calls {ms(o['naive_s'])} ms vs ours "
                f"{o['ours_calls']} calls {ms(o['ours_s'])} ms"
            )
    g = [await timed(url, TOKEN, vlan_topology_graphql) for _ in range(reps)]
    out["VLANs with their devices and interfaces | GraphQL, one query (reference)"] = {
        "question": "VLANs with their devices and interfaces",
        "pattern": "GraphQL, one query (reference, not naive)",
        "note": "vlan_list with interfaces_as_untagged/tagged { device { name } }",
        "reps": reps,
        "naive_calls": g[0]["calls"],
        "naive_bytes": g[0]["bytes"],
        "naive_s": med([x["s"] for x in g]),
        "naive_errors": g[0]["errors"],
    }
    return out


# -- section: tokens -------------------------------------------------------------------------------------

async def section_tokens(url: str, questions: list[str], dev: Optional[dict[str, Any]]) -> dict[str, Any]:
    from netbox_tui.config import LLMSettings
    from netbox_tui.core.budget import Budget, get_encoder
    from netbox_tui.core.llm import LLMClassifier

    settings = LLMSettings()
    clf = LLMClassifier(settings)
    enc = get_encoder(settings.model)
    out: dict[str, Any] = {
        "model": settings.model,
        "encoding": enc.name,
        "exact": enc.exact,
        "budget": settings.token_budget,
        "questions": {},
    }
    for q in questions:
        msgs = clf.messages(q)
        n = clf.prompt_tokens(msgs)
        row = {
            "prompt_tokens": n,
            "system_tokens": enc.count(msgs[0]["content"]),
            "question_tokens": enc.count(msgs[1]["content"]),
            "fits": n <= settings.token_budget,
        }
        if dev and q in dev.get("questions", {}):
            row["answer_json_chars"] = dev["questions"][q].get("answer_json_chars")
        out["questions"][q] = row
    # What an answer costs if an agent reads it: the CLI's JSON answer, counted with the same encoder.
    env = Env()
    try:
        for q in questions:
            _, so, _, _ = cli(["ask", q, "--json", "--no-cache"], env.env(url, env.cache_dir()))
            out["questions"][q]["answer_json_tokens"] = enc.count(so)
    finally:
        env.cleanup()
    # A long question is cut to the budget, never sent whole.
    long_q = "show device " + "dmi01-akron-rtr01 " * 3000
    msgs = clf.messages(long_q)
    out["long_question"] = {
        "chars": len(long_q),
        "tokens_whole": enc.count(long_q),
        "prompt_tokens_sent": clf.prompt_tokens(msgs),
    }

    log("tokens: the largest raw response: every interface, full JSON")
    raw = Raw(url, TOKEN)
    t = time.perf_counter()
    pages, rows, offset = [], [], 0
    try:
        while True:
            r = await raw.http.get("/api/dcim/interfaces/", params={"limit": 1000, "offset": offset})
            pages.append(r.text)
            data = r.json()
            rows.extend(data["results"])
            offset += len(data["results"])
            if not data.get("next"):
                break
    finally:
        await raw.aclose()
    fetch_s = time.perf_counter() - t
    text = "".join(pages)  # the bodies as NetBox sent them (compact JSON)
    t = time.perf_counter()
    full_tokens = enc.count(text)
    count_s = time.perf_counter() - t
    budget = Budget(settings.token_budget, enc)
    t = time.perf_counter()
    kept_text, kept = budget.fit_rows(rows)
    fit_s = time.perf_counter() - t
    first = pages[0]
    out["largest_single"] = {"what": "GET /api/dcim/interfaces/?limit=1000 (one page, 1,000 rows), full JSON",
                             "bytes": len(first.encode()), "tokens": enc.count(first)}
    out["largest"] = {
        "what": "GET /api/dcim/interfaces/?limit=1000 (all pages), full JSON",
        "pages": len(pages),
        "rows": len(rows),
        "bytes_wire": sum(len(p.encode()) for p in pages),
        "json_chars": len(text),
        "tokens": full_tokens,
        "times_budget": round(full_tokens / settings.token_budget, 1),
        "fetch_s": fetch_s,
        "count_s": count_s,
        "fit_rows_kept": kept,
        "fit_rows_tokens": enc.count(kept_text),
        "fit_rows_s": fit_s,
        "fit_rows_note": kept_text.splitlines()[-1][:80] if kept_text else "",
    }
    return out


# -- section: start-up -------------------------------------------------------------------------------------

def section_startup(url: str, reps: int) -> dict[str, Any]:
    env = Env()
    out: dict[str, Any] = {"reps": reps}
    try:
        e = env.env(url, env.cache_dir())
        out["python_pass_s"] = med([_run([sys.executable, "-c", "pass"], e) for _ in range(reps)])
        out["version_s"] = med([_run([NBT, "--version"], e) for _ in range(reps)])
        out["import_ask_s"] = med(
            [_run([sys.executable, "-c", "import netbox_tui.ask"], e) for _ in range(reps)]
        )
        p = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import netbox_tui.ask"],
            capture_output=True,
            text=True,
            env=e,
        )
        cum = []
        for line in p.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
            if m and len(m.group(3)) <= 3:  # top-level and first-level imports
                cum.append((int(m.group(2)) / 1e6, m.group(4)))
        out["import_top"] = sorted(cum, reverse=True)[:8]
        snap = PROJECT / "netbox_tui" / "data" / "demo-snapshot.json.gz"
        if snap.exists():
            runs = []
            for _ in range(reps):
                t, so, rc, _ = cli(["ask", "devices at dm akron", "--demo", "--json"], e)
                a = answer_json(so)
                runs.append(t)
                out["demo_answer"] = a.get("answer", "")[:160]
                out["demo_rc"] = rc
            out["ask_demo_s"] = med(runs)
        else:
            out["ask_demo_s"] = None
            out["ask_demo_note"] = f"pending: {snap.relative_to(PROJECT)} does not exist yet"
        fp = HERE / "first_paint.py"
        if fp.exists():
            try:
                p = subprocess.run(
                    [sys.executable, str(fp)],
                    capture_output=True,
                    text=True,
                    timeout=300,
                    env={**e, "NETBOX_URL": url},
                    cwd=str(PROJECT),
                )
                out["first_paint_rc"] = p.returncode
                out["first_paint_stdout"] = p.stdout[-1500:]
                out["first_paint_stderr"] = p.stderr[-500:]
                out["first_paint"] = _parse_first_paint(p.stdout)
            except subprocess.TimeoutExpired:
                out["first_paint_note"] = "bench/first_paint.py did not finish in 300 s"
        else:
            out["first_paint_note"] = (
                "pending: bench/first_paint.py does not exist yet (another engineer writes it)"
            )
    finally:
        env.cleanup()
    return out


def _parse_first_paint(stdout: str) -> Any:
    m = re.search(r"^(first paint .*?):\s*([\d,]+) ms(.*)$", stdout, re.M)
    if m:
        return {"median_ms": int(m.group(2).replace(",", "")), "line": m.group(0).strip()}
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    try:
        return json.loads(stdout)
    except ValueError:
        return None


def _run(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, timeout=60)
    return time.perf_counter() - t


# -- section: memory ----------------------------------------------------------------------------------------

def section_memory(url: str, rows: int) -> dict[str, Any]:
    out: dict[str, Any] = {"url": url, "rows": rows}
    for label, extra in (("orchestrator", []), ("orchestrator+datatable", ["--datatable"])):
        p = subprocess.run(
            [sys.executable, str(HERE / "mem_rows.py"), "--url", url, "--rows", str(rows), *extra],
            capture_output=True,
            text=True,
            timeout=600,
        )
        try:
            out[label] = json.loads(p.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            out[label] = {"error": (p.stderr or p.stdout)[-500:]}
    return out


# -- section: scale ------------------------------------------------------------------------------------------


async def _counts(url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Token {TOKEN}"}, timeout=60) as c:
        async def n(path: str, **p: Any) -> int:
            r = await c.get("/api/" + path, params={**p, "limit": 1, "brief": 1})
            return int(r.json()["count"])
        return {
            "sites": await n("dcim/sites/"),
            "devices": await n("dcim/devices/"),
            "interfaces": await n("dcim/interfaces/"),
            "vlan_interfaces": await n("dcim/interfaces/", mode=["access", "tagged", "tagged-all"]),
            "vlans": await n("ipam/vlans/"),
        }


async def _scale_once(url: str) -> dict[str, Any]:
    from netbox_tui.config import NetBoxProfile
    from netbox_tui.core.orchestrator import Orchestrator
    from netbox_tui.netbox.client import NetBoxClient

    m: dict[str, Any] = {}

    async def q(key: str, question: str, pre: Any = None, offset: int = 0) -> None:
        r = await ours(url, question, None, intent=pre, offset=offset)
        m[key] = {k: r[k] for k in ("s", "calls", "bytes", "status", "plan", "total", "answer")}

    from netbox_tui.core.intent import Condition, Intent, Ref

    def at_site(target: str, sid: int, name: str, pattern: Optional[str] = None) -> Intent:
        """A drill-down's intent: the site already resolved (no name look-up)."""
        field = "id" if target == "dcim.site" else "site"
        return Intent(
            target=target,
            pattern=pattern,
            source="choice",
            conditions=[
                Condition(
                    field=field,
                    model="dcim.site",
                    value=name,
                    text=name,
                    resolved=[Ref(model="dcim.site", id=sid, label=name)],
                )
            ],
        )

    await q("first_page_device", "interfaces on ncsu-coreswitch1")
    client = NetBoxClient(NetBoxProfile(url=url, token=TOKEN))
    try:
        orch = Orchestrator(client)
        t = time.perf_counter()
        a = await orch.ask("list all interfaces")
        m["first_page_all"] = {
            "s": time.perf_counter() - t,
            "calls": a.stats.api_calls,
            "bytes": a.stats.bytes,
            "status": a.status,
            "total": a.tables[0].total,
            "plan": a.plan.kind,
            "answer": a.answer,
        }
        table = a.tables[0]
        for key, off in (("next_page", 25), ("last_page", max(table.total - 25, 0))):
            c0, b0, t = client.stats.calls, client.stats.bytes, time.perf_counter()
            p = await orch.page(table, off)
            m[key] = {
                "s": time.perf_counter() - t,
                "calls": client.stats.calls - c0,
                "bytes": client.stats.bytes - b0,
                "rows": len(p.rows),
                "offset": off,
            }
        c0, b0, t = client.stats.calls, client.stats.bytes, time.perf_counter()
        s = await orch.summary(table)
        m["summary"] = {
            "s": time.perf_counter() - t,
            "calls": client.stats.calls - c0,
            "bytes": client.stats.bytes - b0,
            "partial": s.partial,
            "title": s.title,
        }
    finally:
        await client.aclose()
    await q("vlan_topology", "VLANs with their devices and interfaces")
    # The last page of VLANs (offset paging to the end, then that page's interfaces) and one site's VLANs.
    last = max(m["vlan_topology"]["total"] - 25, 0)
    await q("vlan_topology_last", "VLANs with their devices and interfaces", offset=last)
    await q("vlan_topology_site", "VLAN topology at DM-Akron")
    await q("site_summary", "summarize site DM-Nashua")
    await q("site_devices", "devices at site MDF")
    # The same two with the site already resolved (Orchestrator.ask(intent=...), as a choice or
    # drill-down does):
    # what a site question costs once the name is known, whatever the resolver decides about the name.
    # The demo's original objects keep their ids in every scale database (DM-Nashua 7, MDF 21).
    await q(
        "site_summary_resolved",
        "summarize site DM-Nashua",
        at_site("dcim.site", 7, "DM-Nashua", "site_summary"),
    )
    await q("site_devices_resolved", "devices at site MDF", at_site("dcim.device", 21, "MDF"))
    await q("typo_lookup", "show device dmi01-akorn-rtr01")
    return m


async def section_scale(reps: int, sizes: list[tuple[int, str]], naive_upto: int) -> dict[str, Any]:
    out: dict[str, Any] = {"reps": reps, "sizes": {}}
    for n, url in sizes:
        try:
            httpx.get(
                f"{url}/api/status/", headers={"Authorization": f"Token {TOKEN}"}, timeout=5
            ).raise_for_status()
        except Exception as exc:  # noqa: BLE001
            out["sizes"][str(n)] = {
                "url": url,
                "skipped": f"not answering ({exc.__class__.__name__}); run bench/scale_gen.py {n}",
            }
            log(f"scale: {n}x at {url} skipped: not answering")
            continue
        gen = RESULTS_DIR / f"scale-netbox_x{n}.json"
        d: dict[str, Any] = {"url": url, "counts": await _counts(url),
                             "generation": json.loads(gen.read_text()) if gen.exists() else None}
        log(f"scale: {n}x {d['counts']}: warm-up")
        await _scale_once(url)  # warm-up: PostgreSQL buffers, gunicorn workers
        runs = []
        for r in range(reps):
            runs.append(await _scale_once(url))
            log(f"scale: {n}x round {r + 1}/{reps}")
        agg: dict[str, Any] = {}
        for key in runs[0]:
            agg[key] = dict(runs[-1][key])
            agg[key]["s"] = med([x[key]["s"] for x in runs])
            agg[key]["s_all"] = [x[key]["s"] for x in runs]
        d["measures"] = agg
        if agg["vlan_topology"]["plan"] == "fallback" or agg["vlan_topology"]["status"] != "ok":
            log(f"scale: {n}x VLAN topology fell back; once more with step_timeout=600 s for the full figure")
            r = await ours(url, "VLANs with their devices and interfaces", None, step_timeout=600.0)
            d["vlan_topology_no_timeout"] = {
                k: r[k] for k in ("s", "calls", "bytes", "status", "plan", "answer")
            }
        if n <= naive_upto:
            nv = await timed(url, TOKEN, NAIVE["VLANs with their devices and interfaces"][1][1])
            d["naive_vlan_topology_correct"] = {"s": nv["s"], "calls": nv["calls"], "bytes": nv["bytes"]}
            log(f"scale: {n}x naive VLAN topology: {nv['calls']} calls {ms(nv['s'])} ms")
        out["sizes"][str(n)] = d
    return out


# -- targets -------------------------------------------------------------------------------------------------


def targets(res: dict[str, Any]) -> list[dict[str, Any]]:
    t: list[dict[str, Any]] = []
    dev = res.get("dev", {}).get("questions", {})
    topo = dev.get("VLANs with their devices and interfaces")
    if topo:
        calls = topo["client_calls"]
        t.append(
            {
                "target": "63-VLAN topology <= 6 calls (>= 95 % fewer than 127)",
                "figure": f"{calls} calls (proxy: {topo['proxy_requests']}), {100 * (1 - calls / 127):.1f} "
                "% fewer",
                "met": calls <= 6 and calls <= 127 * 0.05 + 1e-9,
            }
        )
    simple = {q: d for q, d in dev.items() if d.get("plan") == "direct"}
    multi = {q: d for q, d in dev.items() if d.get("plan") not in ("direct", None)}
    if simple:
        worst = max(d["cli_cold_s"] for d in simple.values())
        t.append(
            {
                "target": "simple question, cold cache, < 0.6 s end to end incl. process start",
                "figure": "direct-plan questions: CLI cold median "
                f"{ms(min(d['cli_cold_s'] for d in simple.values()))}–{ms(worst)} ms "
                f"({len(simple)} questions); all {len(dev)} questions: "
                f"{sum(1 for d in dev.values() if d['cli_cold_s'] < 0.6)} under 0.6 s",
                "met": worst < 0.6,
            }
        )
    if dev:
        worst_w = max(d["cli_warm_s"] for d in dev.values())
        zero = all(d["warm_proxy_requests"] == 0 for d in dev.values())
        t.append(
            {
                "target": "warm cache < 0.35 s with 0 calls",
                "figure": f"CLI warm median {ms(min(d['cli_warm_s'] for d in dev.values()))}–{ms(worst_w)} "
                "ms; "
                f"{sum(1 for d in dev.values() if d['cli_warm_s'] < 0.35)}/{len(dev)} under 0.35 s; "
                "requests seen by the proxy on warm runs: "
                f"{sum(d['warm_proxy_requests'] for d in dev.values())}",
                "met": worst_w < 0.35 and zero,
            }
        )
    if multi:
        worst_m = max(d["cli_cold_s"] for d in multi.values())
        t.append(
            {
                "target": "multi-step < 2 s (cold, end to end)",
                "figure": f"{len(multi)} multi-step/orchestrated questions: CLI cold worst {ms(worst_m)} ms",
                "met": worst_m < 2.0,
            }
        )
    ratios = [d["ours_over_floor_min"] for d in dev.values() if d.get("ours_over_floor_min")]
    if ratios:
        n_ok = sum(1 for r in ratios if r <= 1.3)
        same = [
            d["ours_over_floor_min"]
            for d in dev.values()
            if d.get("ours_over_floor_min") and d.get("floor_waves") == d.get("waves")
        ]
        more = [
            d["ours_over_floor_min"]
            for d in dev.values()
            if d.get("ours_over_floor_min") and (d.get("floor_waves") or 0) < d.get("waves", 0)
        ]
        med_r = [d["ours_over_floor"] for d in dev.values() if d.get("ours_over_floor")]
        replay = [d["ours_over_replay_min"] for d in dev.values() if d.get("ours_over_replay_min")]
        t.append(
            {
                "target": "overhead over the floor <= 1.3x (in-process cold / plain-httpx floor, best of N)",
                "figure": f"per question: median {statistics.median(ratios):.2f}×, worst "
                f"{max(ratios):.2f}×, {n_ok}/{len(ratios)} <= 1.3×; "
                f"same round trips as the floor: {len(same)} questions, median "
                f"{statistics.median(same) if same else 0:.2f}×, worst "
                f"{max(same) if same else 0:.2f}×; "
                f"extra round trips (name resolution): {len(more)} questions, median "
                f"{statistics.median(more) if more else 0:.2f}×; "
                "ours / replay of our own requests: median "
                f"{statistics.median(replay):.2f}×; "
                f"(on medians instead of best: {statistics.median(med_r):.2f}×, worst {max(med_r):.2f}×)",
                "met": n_ok == len(ratios),
            }
        )
    tok = res.get("tokens")
    if tok:
        over = [q for q, d in tok["questions"].items() if not d["fits"]]
        t.append(
            {
                "target": "zero token overflow",
                "figure": f"max prompt {max(d['prompt_tokens'] for d in tok['questions'].values())} of "
                f"{tok['budget']} tokens; "
                f"largest response {tok['largest']['tokens']:,} tokens cut to "
                f"{tok['largest']['fit_rows_tokens']:,}",
                "met": not over and tok["largest"]["fit_rows_tokens"] <= tok["budget"],
            }
        )
    sc = res.get("scale", {}).get("sizes", {})
    live = {n: d for n, d in sc.items() if "measures" in d}
    if len(live) >= 2:
        keys = ["first_page_device", "first_page_all", "next_page"]
        calls_flat = all(len({d["measures"][k]["calls"] for d in live.values()}) == 1 for k in keys)
        times = {k: [d["measures"][k]["s"] for d in live.values()] for k in keys}
        worst_growth = max(max(v) / min(v) for v in times.values())
        t.append(
            {
                "target": "flat calls and first-page time from 1x to 100x",
                "figure": f"sizes {', '.join(n + '×' for n in live)}: first/next-page calls "
                f"{'identical' if calls_flat else 'differ'}; first-page time grows at most "
                f"{worst_growth:.1f}× "
                f"(summary, VLAN topology, site: see the scale table)",
                "met": calls_flat and worst_growth <= 1.5,
            }
        )
    st = res.get("startup", {})
    if st:
        fp = st.get("first_paint")
        if fp and "median_ms" in fp:
            t.append({"target": "first paint < 1 s", "figure": fp["line"], "met": fp["median_ms"] < 1000})
        else:
            t.append(
                {
                    "target": "first paint < 1 s",
                    "figure": st.get("first_paint_note") or "see first_paint_stdout",
                    "met": None,
                }
            )
    mem = res.get("memory", {})
    both = mem.get("orchestrator+datatable", {})
    if "peak_rss_mb" in both:
        t.append(
            {
                "target": "< 200 MB with 10 000 rows",
                "figure": f"peak RSS {both['peak_rss_mb']} MB with {both.get('datatable_rows')} rows in a "
                "DataTable "
                f"(orchestrator only: {mem['orchestrator'].get('peak_rss_mb')} MB)",
                "met": both["peak_rss_mb"] < 200 and both.get("datatable_rows", 0) >= 10000,
            }
        )
    return t


# -- markdown ------------------------------------------------------------------------------------------------


def render(res: dict[str, Any]) -> str:
    L: list[str] = []
    m = res["machine"]
    L += [
        f"Run: `{res['command']}` — {m['date']}, {res['elapsed_s'] / 60:.1f} min, git {m['git']}.",
        "",
        "| machine | |",
        "| --- | --- |",
        f"| CPU | {m['cpu']}, nproc {m['nproc']} |",
        f"| RAM | {m['ram']} |",
        f"| Python | {m['python']} ({m['platform']}) |",
        f"| NetBox | {m['netbox']} at {m['netbox_url']}, {m['netbox_server']} |",
        f"| netbox-tui | {m['netbox_tui']} |",
        f"| load average at start / end | {' '.join(m['loadavg_start'])} / "
        f"{' '.join(res.get('loadavg_end', []))} |",
        "",
    ]
    tg = res.get("targets", [])
    if tg:
        L += ["### Targets", "", "| target | figure | met |", "| --- | --- | --- |"]
        for x in tg:
            L.append(
                f"| {x['target']} | {x['figure']} | "
                f"{'met' if x['met'] else ('missed' if x['met'] is False else 'see note')} |"
            )
        L.append("")
    dev = res.get("dev", {}).get("questions")
    if dev:
        L += [
            "### Calls and bytes per dev.yaml question (cold cache), cross-checked by the counting proxy",
            "",
            "Client = what netbox-tui reports (`stats.api_calls`, `stats.bytes`); proxy = what "
            "the counting proxy saw when the "
            "CLI ran through it. Round trips = requests on the critical path. Warm = the same "
            "question again on the same cache.",
            "",
            "| question | plan | total | calls client / proxy | bytes client / proxy | round "
            "trips | floor calls / round trips | warm calls client / proxy |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for q, d in dev.items():
            L.append(
                f"| {q} | {d['plan']} | {d['total']} | {d['client_calls']} / {d['proxy_requests']} | "
                f"{d['client_bytes']:,} / {d['proxy_body_bytes']:,} | {d['waves']} | "
                f"{d.get('floor_calls', '—')} / {d.get('floor_waves', '—')} | "
                f"{d['warm_client_calls']} / {d['warm_proxy_requests']} |"
            )
        L += [
            "",
            f"### Wall time per question (median of {res['dev']['reps_inprocess']} in-process, "
            f"{res['dev']['reps_cli']} CLI runs; ms)",
            "",
            "In-process = `Orchestrator.ask` with a fresh client and cache; floor = the minimal "
            "plain-httpx requests (bench/baselines.py); "
            "replay = our own logged requests re-sent with plain httpx in the same order. CLI = "
            "`netbox-tui ask --json` as a subprocess, "
            "process start included.",
            "",
            "Cells are median (min).",
            "",
            "Ratios: on medians, then on the best run of each (the latter free of the server's "
            "occasional stalls).",
            "",
            "| question | in-proc cold | in-proc warm | floor | replay | ours / floor | ours / "
            "replay | CLI cold | CLI warm |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for q, d in dev.items():
            L.append(
                f"| {q} | {ms(d['inproc_cold_s'])} ({ms(d['inproc_cold_min'])}) | {ms(d['inproc_warm_s'])} | "
                f"{ms(d['floor_s'])} ({ms(d['floor_min'])}) | {ms(d['replay_s'])} | "
                f"{rx(d['ours_over_floor'])}, {rx(d.get('ours_over_floor_min'))} | "
                f"{rx(d['ours_over_replay'])}, {rx(d.get('ours_over_replay_min'))} | "
                f"{ms(d['cli_cold_s'])} ({ms(d['cli_cold_min'])}) | "
                f"{ms(d['cli_warm_s'])} ({ms(d['cli_warm_min'])}) |"
            )
        L.append("")
    nv = res.get("naive")
    if nv:
        L += [
            "### Naive patterns vs netbox-tui, side by side in this run (cold, in-process)",
            "",
            "| question | pattern | calls naive / ours | bytes naive / ours | time naive / ours "
            "(ms) | ours / naive: calls, bytes, time |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for d in nv.values():
            if "ours_calls" not in d:
                L.append(
                    f"| {d['question']} | {d['pattern']} | {d['naive_calls']} / — | "
                    f"{d['naive_bytes']:,} / — | {ms(d['naive_s'])} / — | — |"
                )
                continue
            L.append(
                f"| {d['question']} | {d['pattern']} | {d['naive_calls']} / {d['ours_calls']} | "
                f"{d['naive_bytes']:,} / {d['ours_bytes']:,} | "
                f"{ms(d['naive_s'])} / {ms(d['ours_s'])} | {rx(d['calls_ratio'], 3)}, "
                f"{rx(d['bytes_ratio'], 3)}, {rx(d['time_ratio'], 3)} |"
            )
        L.append("")
    tok = res.get("tokens")
    if tok:
        L += [
            f"### Tokens ({tok['encoding']}{'' if tok['exact'] else ', upper bound'}; budget "
            f"{tok['budget']} per LLM request, model {tok['model']})",
            "",
            "Prompt = `LLMClassifier.messages(question)` counted with `prompt_tokens` (no LLM is called). "
            "Answer JSON = the `ask --json` output, if an agent read it.",
            "",
            "| question | prompt tokens (system + question) | within budget | answer JSON tokens |",
            "| --- | ---: | --- | ---: |",
        ]
        for q, d in tok["questions"].items():
            L.append(
                f"| {q} | {d['prompt_tokens']} ({d['system_tokens']} + {d['question_tokens']}) | "
                f"{'yes' if d['fits'] else 'NO'} | {d.get('answer_json_tokens', '—'):,} |"
            )
        lg = tok["largest"]
        lq = tok["long_question"]
        one = tok.get("largest_single")
        if one:
            L += [
                "",
                f"Largest single response: {one['what']}: {one['bytes']:,} bytes, "
                f"**{one['tokens']:,} tokens** "
                f"({one['tokens'] / tok['budget']:.0f}× the budget).",
            ]
        L += [
            "",
            f"All interfaces: {lg['what']}: {lg['rows']:,} rows in {lg['pages']} pages, "
            f"{lg['bytes_wire']:,} bytes, "
            f"**{lg['tokens']:,} tokens** ({lg['times_budget']}× the budget; fetched in "
            f"{lg['fetch_s']:.1f} s, counted in {lg['count_s']:.1f} s). "
            f"`Budget.fit_rows` keeps {lg['fit_rows_kept']} rows = {lg['fit_rows_tokens']:,} "
            f"tokens and says “{lg['fit_rows_note']}”. "
            f"A {lq['chars']:,}-character question ({lq['tokens_whole']:,} tokens) is sent as "
            f"{lq['prompt_tokens_sent']:,} tokens.",
            "",
        ]
    st = res.get("startup")
    mem = res.get("memory")
    if st or mem:
        L += ["### Start-up and memory", "", "| measure | figure |", "| --- | --- |"]
        if st:
            paint = (
                (st["first_paint"].get("line") or json.dumps(st["first_paint"]))
                if st.get("first_paint")
                else st.get("first_paint_note")
                or (st.get("first_paint_stdout") or "")[-200:].replace(chr(10), " ")
            )
            L += [
                f"| `python -c pass` (interpreter alone) | {ms(st['python_pass_s'])} ms |",
                f"| `netbox-tui --version` | {ms(st['version_s'])} ms |",
                f"| `python -c 'import netbox_tui.ask'` | {ms(st['import_ask_s'])} ms |",
                "| heaviest imports (cumulative) | "
                f"{', '.join(f'{n} {s * 1000:.0f} ms' for s, n in st['import_top'][:5])} |",
                "| `ask --demo` end to end | "
                f"{ms(st['ask_demo_s']) + ' ms' if st.get('ask_demo_s') else st.get('ask_demo_note', '')} |",
                "| TUI first paint (bench/first_paint.py) | "
                f"{paint} |",
            ]
        if mem:
            for label in ("orchestrator", "orchestrator+datatable"):
                d = mem.get(label, {})
                if "peak_rss_mb" in d:
                    extra = (
                        f", DataTable {d['datatable_rows']:,} rows added in {d['datatable_s']} s"
                        if "datatable_rows" in d
                        else ""
                    )
                    L.append(
                        f"| peak RSS, {d['rows_loaded']:,} rows, {label} ({mem['url']}) | "
                        f"{d['peak_rss_mb']} MB (after imports {d['rss_after_imports_mb']} MB; "
                        f"rows loaded in {d['load_s']} s with {d['api_calls']} calls; tracemalloc "
                        f"peak {d['tracemalloc_peak_mb']} MB{extra}) |"
                    )
                else:
                    L.append(f"| peak RSS, {label} | error: {d.get('error', '?')[:200]} |")
        L.append("")
    sc = res.get("scale")
    if sc:
        sizes = sc["sizes"]
        live = {n: d for n, d in sizes.items() if "measures" in d}
        L += [f"### Scale (cold, in-process; calls / median ms of {sc['reps']} (best))", ""]
        for n, d in sizes.items():
            if "skipped" in d:
                L.append(f"- {n}×: {d['skipped']}")
        if live:
            hdr = " | ".join(f"{n}× ({d['counts']['interfaces']:,} ifaces)" for n, d in live.items())
            L += ["", f"| measure | {hdr} |", "| --- |" + " ---: |" * len(live)]
            L.append(
                "| inventory: sites / devices / VLANs / VLAN-carrying interfaces | "
                + " | ".join(
                    f"{d['counts']['sites']:,} / {d['counts']['devices']:,} / "
                    f"{d['counts']['vlans']:,} / {d['counts']['vlan_interfaces']:,}"
                    for d in live.values()
                )
                + " |"
            )
            rows = [
                ("first page: interfaces on ncsu-coreswitch1", "first_page_device"),
                ("first page: list all interfaces", "first_page_all"),
                ("next page (Orchestrator.page, offset 25)", "next_page"),
                ("last page (offset total-25)", "last_page"),
                ("summary view (Orchestrator.summary)", "summary"),
                ("VLANs with their devices and interfaces", "vlan_topology"),
                ("the same, last page (offset VLANs-25)", "vlan_topology_last"),
                ("VLAN topology at DM-Akron", "vlan_topology_site"),
                ("site: summarize site DM-Nashua", "site_summary"),
                ("site: devices at site MDF", "site_devices"),
                ("site: summarize site DM-Nashua, site given", "site_summary_resolved"),
                ("site: devices at site MDF, site given", "site_devices_resolved"),
                ("typo: show device dmi01-akorn-rtr01", "typo_lookup"),
            ]
            for label, key in rows:
                cells = []
                for d in live.values():
                    x = d["measures"].get(key)
                    if x is None:  # a measure added after that run
                        cells.append("—")
                        continue
                    extra = ""
                    if key.startswith("vlan_topology") and (x.get("plan") == "fallback"
                                                             or x.get("status") != "ok"):
                        extra = f" ({x.get('plan')}, {x.get('status')})"
                    if key == "summary" and x.get("partial"):
                        extra = " (partial)"
                    if key.startswith(("typo", "site")) and x.get("status") not in ("ok", None):
                        extra = f" ({x.get('status')})"
                    best = f" ({ms(min(x['s_all']))})" if x.get("s_all") and len(x["s_all"]) > 1 else ""
                    cells.append(f"{x['calls']} / {ms(x['s'])}{best}{extra}")
                L.append(f"| {label} | " + " | ".join(cells) + " |")
            L.append(
                "| VLAN topology without the 30 s step timeout | "
                + " | ".join(
                    (
                        f"{d['vlan_topology_no_timeout']['calls']} / "
                        f"{ms(d['vlan_topology_no_timeout']['s'])} "
                        f"({d['vlan_topology_no_timeout']['status']})"
                        if d.get("vlan_topology_no_timeout")
                        else "same"
                    )
                    for d in live.values()
                )
                + " |"
            )
            L.append("| naive VLAN topology, correct per-object version | " + " | ".join(
                (f"{d['naive_vlan_topology_correct']['calls']} / {ms(d['naive_vlan_topology_correct']['s'])}"
                 if d.get("naive_vlan_topology_correct") else "not run") for d in live.values()) + " |")
            L.append(
                "| generation (bench/scale_gen.py): total / ORM copies | "
                + " | ".join(
                    (
                        f"{d['generation']['total_s']:.0f} s / {d['generation']['phases']['copies_s']:.0f} s"
                        if d.get("generation")
                        else "—"
                    )
                    for d in live.values()
                )
                + " |"
            )
            L.append("")
    return "\n".join(L)


def write_md(res: dict[str, Any]) -> None:
    gen = render(res)
    begin, end = "<!-- BEGIN GENERATED (bench/run.py) -->", "<!-- END GENERATED -->"
    block = f"{begin}\n{gen}\n{end}"
    if RESULTS_MD.exists() and begin in RESULTS_MD.read_text():
        text = RESULTS_MD.read_text()
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = f"# netbox-tui benchmark results\n\n{block}\n"
    RESULTS_MD.write_text(text)
    (RESULTS_DIR / "latest.md").write_text(gen + "\n")


# -- main ----------------------------------------------------------------------------------------------------


async def amain(args: argparse.Namespace) -> dict[str, Any]:
    sections = (
        set(args.only.split(",")) if args.only else set(SECTIONS) - ({"scale"} if not args.scale else set())
    )
    unknown = sections - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(sorted(unknown))}; known: {', '.join(SECTIONS)}")
    questions = [q["question"] for q in yaml.safe_load(DEV_YAML.read_text())["queries"]]
    reps = 3 if args.quick else args.reps
    cli_reps = 2 if args.quick else args.cli_reps
    res: dict[str, Any] = {"command": " ".join(["bench/run.py", *sys.argv[1:]]), "machine": machine(args.url)}
    started = time.perf_counter()
    envs = Env()
    try:
        if "dev" in sections:
            res["dev"] = await section_dev(args.url, questions, reps, cli_reps, envs)
        if "naive" in sections:
            res["naive"] = await section_naive(args.url, 1 if args.quick else 3, envs)
        if "tokens" in sections:
            res["tokens"] = await section_tokens(args.url, questions, res.get("dev"))
        if "startup" in sections:
            log("startup")
            res["startup"] = section_startup(args.url, 3 if args.quick else 7)
        if "memory" in sections:
            big = next((u for n, u in SCALE_SIZES if n >= 10 and _answers(u)), None)
            log(f"memory: 10 000 rows from {big or args.url}")
            res["memory"] = section_memory(big or args.url, 10000 if big else 1586)
        if "scale" in sections:
            sizes = scale_sizes(args.sizes) if args.sizes else SCALE_SIZES
            naive_upto = 1 if args.quick else args.naive_upto
            scale_reps = 1 if args.quick else args.scale_reps
            res["scale"] = await section_scale(scale_reps, sizes, naive_upto=naive_upto)
    finally:
        envs.cleanup()
    res["elapsed_s"] = time.perf_counter() - started
    res["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    res["targets"] = targets(res)
    return res


def scale_sizes(spec: str) -> list[tuple[int, str]]:
    """`1=http://127.0.0.1:8002,10,100`: each size with its URL, SCALE_SIZES' URL when none is given."""
    default = dict(SCALE_SIZES)
    out = []
    for item in spec.split(","):
        n, _, url = item.strip().partition("=")
        if not url and int(n) not in default:
            raise SystemExit(f"--sizes: no default URL for {n}x: write {n}=http://127.0.0.1:PORT")
        out.append((int(n), url or default[int(n)]))
    return out


def _answers(url: str) -> bool:
    try:
        return (
            httpx.get(
                f"{url}/api/status/", headers={"Authorization": f"Token {TOKEN}"}, timeout=3
            ).status_code
            == 200
        )
    except Exception:  # noqa: BLE001
        return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--url", default=os.environ.get("NETBOX_BENCH_URL", "http://127.0.0.1:8000"), help="the demo NetBox"
    )
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument(
        "--scale", action="store_true", help="also the scale section (NetBoxes from bench/scale_gen.py)"
    )
    ap.add_argument("--only", help=f"comma-separated sections: {','.join(SECTIONS)}")
    ap.add_argument("--reps", type=int, default=7, help="in-process rounds per question (default 7)")
    ap.add_argument("--cli-reps", type=int, default=5, help="CLI rounds per question (default 5)")
    ap.add_argument("--scale-reps", type=int, default=5)
    ap.add_argument("--sizes", help="scale sizes, each N or N=URL (default 1=:8001, 10=:8010, 100=:8100)")
    ap.add_argument("--naive-upto", type=int, default=10,
                    help="the naive per-object VLAN topology up to this size (0: none)")
    ap.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    args = ap.parse_args()
    if not args.url.startswith("http://127.0.0.1"):
        ap.error("benchmarks target 127.0.0.1 only")
    if not _answers(args.url):
        print(f"NetBox does not answer at {args.url}: start it with scripts/netbox-dev", file=sys.stderr)
        return 2
    res = asyncio.run(amain(args))
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    text = json.dumps(res, indent=1, default=str)
    if not args.no_write and args.only == "scale":  # the scale figures alone: the other sections' stay
        (RESULTS_DIR / "scale-latest.json").write_text(text)
        (RESULTS_DIR / "scale-latest.md").write_text(render(res) + "\n")
    elif not args.no_write:
        (RESULTS_DIR / f"run-{stamp}.json").write_text(text)
        (RESULTS_DIR / "latest.json").write_text(text)
        write_md(res)
    print(render(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
