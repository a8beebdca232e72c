#!/usr/bin/env python3
"""Cold and warm p50 of bench/run.py's in-process path (dev.yaml's questions) for two checkouts, measured
side by side in one run (issue 16: "cold and warm p50 of bench/run.py no worse than at the start"):

    git worktree add --detach /tmp/base <commit>
    .venv/bin/python bench/side_by_side.py --base /tmp/base [--url http://127.0.0.1:8000] [--rounds 5]

Each checkout runs in its own worker process (its own `netbox_tui` on PYTHONPATH) that times bench/run.py's
`ours()` (a fresh client and cache directory: cold, then warm on that cache). The driver alternates the two
workers question by question and round by round, so both see the same server and the same load. Prints a
Markdown table: per question the p50 cold and warm of each side and the calls; then the totals' medians.
Nothing is asserted: figures to read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DEV_YAML = PROJECT / "tests" / "data" / "queries" / "dev.yaml"


def worker(url: str) -> None:
    """One line in (a question), one JSON line out (cold and warm seconds, calls, status)."""
    sys.path.insert(0, str(HERE))
    # The timing code is this tree's bench/run.py on both sides; `netbox_tui` the worker's (PYTHONPATH).
    from run import ours

    for line in sys.stdin:
        q = line.rstrip("\n")
        cd = Path(tempfile.mkdtemp(prefix="nbt-sbs-"))
        try:
            cold = asyncio.run(ours(url, q, cd))
            warm = asyncio.run(ours(url, q, cd))
        finally:
            shutil.rmtree(cd, ignore_errors=True)
        print(json.dumps({"cold": cold["s"], "warm": warm["s"], "cold_calls": cold["calls"],
                          "warm_calls": warm["calls"], "status": cold["status"]}), flush=True)


def start(tree: Path, url: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--url", url]
    return subprocess.Popen(cmd, cwd=tree, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def ask(proc: subprocess.Popen, q: str) -> dict[str, Any]:
    assert proc.stdin and proc.stdout
    proc.stdin.write(q + "\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=Path, help="the other checkout (a git worktree)")
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.url)
    if args.base is None:
        ap.error("--base is required")
    questions = [c["question"] for c in yaml.safe_load(DEV_YAML.read_text())["queries"]]
    sides = {"base": start(args.base.resolve(), args.url), "this": start(PROJECT, args.url)}
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {s: {q: [] for q in questions} for s in sides}
    for r in range(args.rounds + 1):  # round 0 warms NetBox and PostgreSQL, not counted
        order = list(sides) if r % 2 else list(reversed(sides))
        for q in questions:
            for s in order:
                got = ask(sides[s], q)
                if r:
                    runs[s][q].append(got)
        print(f"round {r}/{args.rounds} done", file=sys.stderr)
    for p in sides.values():
        assert p.stdin
        p.stdin.close()
        p.wait()

    def p50(s: str, q: str, k: str) -> float:
        return statistics.median(x[k] for x in runs[s][q])

    print(f"| question | {args.base.name}: cold / warm p50 ms (calls) | this tree: the same |")
    print("| --- | --- | --- |")
    for q in questions:
        cells = [f"{p50(s, q, 'cold') * 1000:.0f} / {p50(s, q, 'warm') * 1000:.0f} "
                 f"({runs[s][q][0]['cold_calls']}/{runs[s][q][0]['warm_calls']}, {runs[s][q][0]['status']})"
                 for s in sides]
        print(f"| {q} | {cells[0]} | {cells[1]} |")
    for k in ("cold", "warm"):
        tot = {s: statistics.median(p50(s, q, k) for q in questions) * 1000 for s in sides}
        print(f"\nmedian over questions of the p50 {k}: base {tot['base']:.0f} ms, "
              f"this tree {tot['this']:.0f} ms "
              f"({tot['this'] / tot['base']:.2f}x)")


if __name__ == "__main__":
    main()
