#!/usr/bin/env python3
"""Start-up of `ask --json`, `mcp` and the TUI beside the interpreter's floor, in one run (issue 19).

Each measured side by side with `python -c "import httpx, pydantic"`: `ask --json`, the MCP server
ready for `initialize`, and the TUI's first paint. A benchmark, not a test.

    .venv/bin/python bench/startup.py                      # 15 rounds
    .venv/bin/python bench/startup.py --runs 21 --base /tmp/base --write

Every round runs each command once, in the same order (interleaved, so a busy moment of the machine
falls on all of them alike); the figures are medians. Measured, each in a fresh process:
  - `python -c pass` and `python -c "import httpx, pydantic"` (the floor the issue compares with);
  - `netbox-tui ask "devices at dm akron" --json --demo`, and the same question against the NetBox at
    --url (default http://127.0.0.1:8000, with NETBOX_TOKEN or the demo dump's read-only token) when it
    answers, with a warm response cache (the warm-up runs fill it);
  - `netbox-tui mcp --demo`: process start -> the `initialize` response on stdout;
  - `netbox-tui --demo`: process start -> the first frame (bench/first_paint.py's measure).
Wall time is what the targets are about; the CPU time (user+sys) of the runs that exit by themselves
is given beside it, because it moves much less when other work shares the machine (`--nice -15`, as
root, steadies the wall times too). "Warm" means the file cache, the byte-code and the compiled data
(netbox_tui.schema.compiled) are warm: PYTHONDONTWRITEBYTECODE is dropped, byte-code goes to a
folder of this run (PYTHONPYCACHEPREFIX), and a warm-up round runs everything once first.

`--base DIR` (and `--tree NAME=DIR`, repeatable) measures other checkouts too (e.g. `git worktree
add --detach /tmp/base <commit>`) with the same interpreter and packages, their sources first on
sys.path. Config and cache go to temporary XDG folders: neither the user's config nor NETBOX_URL in
the environment changes what is measured.
Writes bench/results/startup-latest.json; --write also replaces the generated block of the
Start-up section of bench/RESULTS.md (between its BEGIN/END STARTUP markers).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import selectors
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS_MD = HERE / "RESULTS.md"
BEGIN, END = "<!-- BEGIN STARTUP (bench/startup.py) -->", "<!-- END STARTUP -->"
QUESTION = "devices at dm akron"
DEMO_TOKEN = "0123456789abcdef0123456789abcdef01234567"  # read-only token of the public demo dump
# The console script's body, with the tree under test first on sys.path: `netbox-tui ARGS` exactly.
LAUNCH = "import sys; sys.path.insert(0, {root!r}); from netbox_tui.cli import main; sys.exit(main())"
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "bench-startup", "version": "0"}}}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
TOOLS_LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
# Issue 19's targets: ask <= 1.3x the floor, first paint <= 1 s, MCP ready <= 0.5 s.
ASK_RATIO, PAINT_S, MCP_S = 1.3, 1.0, 0.5


def _first_paint() -> Callable[[list[str], int, int, float], float]:
    spec = importlib.util.spec_from_file_location("bench_first_paint", HERE / "first_paint.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.one_run


@dataclass
class Measure:
    key: str
    label: str
    run: Callable[[], float]  # seconds
    times: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000


CPU: dict[str, list[float]] = {}  # user+sys seconds of each run that exits by itself, by command


def _timed(cmd: list[str], env: dict[str, str], key: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(key, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"startup: {cmd[-4:]} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def _mcp_ready(cmd: list[str], env: dict[str, str], timeout: float = 30.0, tools: bool = False) -> float:
    """Process start -> the response to `initialize` read from its stdout; with `tools`, -> the response
    to the `tools/list` sent once `initialize` is answered (the server's tools usable, not only its
    handshake)."""
    want = 1
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write((json.dumps(INITIALIZE) + "\n").encode())
        proc.stdin.flush()
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        buf = b""
        while time.perf_counter() - started < timeout:
            if not sel.select(0.05):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            lines, buf = buf.split(b"\n")[:-1], buf.split(b"\n")[-1]
            for line in lines:
                if json.loads(line).get("id") == want:
                    elapsed = time.perf_counter() - started
                    if "result" not in json.loads(line):
                        raise SystemExit(f"startup: request {want} failed: {line[:300]!r}")
                    if want == 2 or not tools:
                        return elapsed
                    then = json.dumps(INITIALIZED) + "\n" + json.dumps(TOOLS_LIST) + "\n"
                    proc.stdin.write(then.encode())
                    proc.stdin.flush()
                    want = 2
        raise SystemExit(f"startup: no response {want} within {timeout:g} s ({buf[-300:]!r})")
    finally:
        proc.stdin.close()  # end of input: the server exits
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()  # the server this run started
            proc.wait()


def _reachable(url: str, token: str) -> bool:
    req = urllib.request.Request(url.rstrip("/") + "/api/status/",
                                 headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=3) as resp:
            return resp.status == 200
    except OSError:
        return False


def measures(python: str, trees: dict[str, Path], env: dict[str, str], live: Optional[tuple[str, str]],
             tui: bool) -> list[Measure]:
    paint = _first_paint()
    out = [
        Measure("pass", "`python -c pass`", lambda: _timed([python, "-c", "pass"], env, "pass")),
        Measure("floor", '`python -c "import httpx, pydantic"` (the floor)',
                lambda: _timed([python, "-c", "import httpx, pydantic"], env, "floor")),
    ]
    # What the MCP server and the TUI cannot start without, whatever we do: their libraries' import.
    sdk = "import mcp.server.lowlevel, mcp.server.stdio"
    for key, label, code in (("sdk", f"reference: `{sdk}` (the MCP SDK)", sdk),
                             ("textual", "reference: `import textual.app`", "import textual.app")):
        out.append(Measure(key, label, lambda code=code, key=key: _timed([python, "-c", code], env, key)))
    for name, root in trees.items():
        launch = [python, "-c", LAUNCH.format(root=str(root))]
        out.append(Measure(f"ask-demo@{name}", f"`ask --json --demo` ({name})",
                           lambda argv=launch + ["ask", QUESTION, "--json", "--demo"], k=f"ask-demo@{name}":
                           _timed(argv, env, k)))
        if live:
            live_env = {**env, "NETBOX_URL": live[0], "NETBOX_TOKEN": live[1]}
            out.append(Measure(f"ask-live@{name}", f"`ask --json`, NetBox at {live[0]}, cache warm ({name})",
                               lambda argv=launch + ["ask", QUESTION, "--json"], e=live_env,
                               k=f"ask-live@{name}": _timed(argv, e, k)))
        out.append(Measure(f"mcp@{name}", f"`mcp --demo` until `initialize` answered ({name})",
                           lambda launch=launch: _mcp_ready(launch + ["mcp", "--demo"], env)))
        out.append(Measure(f"mcp-tools@{name}", f"`mcp --demo` until `tools/list` answered ({name})",
                           lambda launch=launch: _mcp_ready(launch + ["mcp", "--demo"], env, tools=True)))
        if tui:
            out.append(Measure(f"tui@{name}", f"TUI first paint, `--demo`, 120x40 ({name})",
                               lambda launch=launch: paint(launch + ["--demo"], 120, 40, 30.0)))
    return out


def _verdict(ms: float, limit: float) -> str:
    return "met" if ms <= limit else f"missed by {ms - limit:.0f} ms"


def verdicts(ms: dict[str, Measure], name: str) -> list[str]:
    floor = ms["floor"].median_ms
    lines = []
    for key, what in (("ask-demo", "`ask --json --demo`"), ("ask-live", "`ask --json` (live NetBox)")):
        m = ms.get(f"{key}@{name}")
        if m:
            ratio = m.median_ms / floor
            lines.append(f"{what}: {m.median_ms:.0f} ms = {ratio:.2f}x the floor (target <= {ASK_RATIO}x): "
                         + _verdict(m.median_ms, ASK_RATIO * floor))
    for key, what, limit in (("mcp", "`mcp` ready for `initialize`", MCP_S),
                             ("tui", "TUI first paint", PAINT_S)):
        m = ms.get(f"{key}@{name}")
        if m:
            lines.append(f"{what}: {m.median_ms:.0f} ms (target <= {limit * 1000:.0f} ms): "
                         + _verdict(m.median_ms, limit * 1000))
    m = ms.get(f"mcp-tools@{name}")
    if m:  # no target of its own: said beside the handshake
        lines.append(f"`mcp` tools listed (`tools/list` answered): {m.median_ms:.0f} ms (no target)")
    return lines


def report(ms: list[Measure], trees: dict[str, Path], runs: int, command: str, load: str) -> str:
    by_key = {m.key: m for m in ms}
    floor = by_key["floor"].median_ms
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; median of {runs} interleaved rounds "
        "after a warm-up round; "
        f"load average {load}.",
        f"Command: `{command}`",
        "",
        "| measure | median ms | min ms | x floor | CPU ms (x floor) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    floor_cpu = statistics.median(CPU["floor"]) * 1000 if CPU.get("floor") else None
    for m in ms:
        cpu = statistics.median(CPU[m.key]) * 1000 if CPU.get(m.key) and floor_cpu else None
        cpu_cell = f"{cpu:.0f} ({cpu / floor_cpu:.2f})" if cpu is not None and floor_cpu else "—"
        lines.append(f"| {m.label} | {m.median_ms:.0f} | {min(m.times) * 1000:.0f} "
                     f"| {m.median_ms / floor:.2f} | {cpu_cell} |")
    for name in trees:
        lines += ["", f"Targets ({name}, {trees[name]}):"] + [f"- {v}" for v in verdicts(by_key, name)]
    return "\n".join(lines)


def write_block(text: str) -> None:
    doc = RESULTS_MD.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"startup: {RESULTS_MD} has no {BEGIN} … {END} block to replace")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    RESULTS_MD.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="interleaved rounds (default 15)")
    parser.add_argument("--base", type=Path, help="another checkout to measure alongside (its sources)")
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=DIR",
                        help="one more checkout, named (repeatable)")
    parser.add_argument("--not-this", action="store_true", help="only the checkouts given, not this one")
    parser.add_argument("--url", default="http://127.0.0.1:8000",
                        help="a live NetBox for `ask` (skipped if unreachable)")
    parser.add_argument("--no-tui", action="store_true", help="leave out the TUI's first paint")
    parser.add_argument("--nice", type=int, default=0, metavar="N",
                        help="run at this niceness (negative needs root): less noise from other work")
    parser.add_argument("--write", action="store_true",
                        help="replace the generated block of RESULTS.md's Start-up section")
    args = parser.parse_args()
    venv_py = ROOT / ".venv" / "bin" / "python"
    python = str(venv_py if venv_py.exists() else Path(sys.executable))
    trees: dict[str, Path] = {"base": args.base.resolve()} if args.base else {}
    for spec in args.tree:
        name, _, folder = spec.partition("=")
        if not folder:
            parser.error(f"--tree {spec!r}: expected NAME=DIR")
        trees[name] = Path(folder).resolve()
    if not args.not_this or not trees:
        trees["this tree"] = ROOT
    token = os.environ.get("NETBOX_TOKEN") or DEMO_TOKEN
    live = (args.url, token) if args.url and _reachable(args.url, token) else None
    if args.nice:
        os.nice(args.nice)  # this process and the ones it starts
    load0 = os.getloadavg()[0]  # other work on the machine: the figures are only comparable within a run
    with tempfile.TemporaryDirectory(prefix="nbt-startup-") as tmp:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("NETBOX_", "OPENAI_", "PYTHON", "XDG_"))}
        env.update(XDG_CONFIG_HOME=f"{tmp}/config", XDG_CACHE_HOME=f"{tmp}/cache",
                   PYTHONPYCACHEPREFIX=f"{tmp}/pyc")
        os.environ.clear()  # the TUI runs are forked by first_paint.py with this process's environment
        os.environ.update(env)
        ms = measures(python, trees, env, live, tui=not args.no_tui)
        for m in ms:  # warm-up: byte-code, file cache, the live run's response cache
            m.run()
        for i in range(args.runs):
            for m in ms:
                m.times.append(m.run())
            done = ", ".join(f"{m.key} {m.times[-1] * 1000:.0f}" for m in ms)
            print(f"round {i + 1}/{args.runs}: {done}", file=sys.stderr)
    command = "python bench/startup.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    load = f"{load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    text = report(ms, trees, args.runs, command.strip(), load)
    print(text)
    out = HERE / "results" / "startup-latest.json"
    out.write_text(json.dumps({"runs": args.runs, "trees": {k: str(v) for k, v in trees.items()},
                               "live": live[0] if live else None,
                               "medians_ms": {m.key: round(m.median_ms, 1) for m in ms},
                               "cpu_ms": {k: [round(t * 1000, 1) for t in v] for k, v in CPU.items()},
                               "times_ms": {m.key: [round(t * 1000, 1) for t in m.times] for m in ms}},
                              indent=1) + "\n")
    if args.write:
        write_block(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
