#!/usr/bin/env python3
"""The fault matrix of issue 11, in full, with figures: every fault mode x every question, cold.

    .venv/bin/python bench/faults.py [--url http://127.0.0.1:8000] [--repeat N] [--quick] [--parallel N]
                                     [--no-write]

Uses the fault suite's harness (tests/faults/harness.py: an in-process httpx transport in front of
the real NetBox, one fault per run; each distinct request reaches NetBox once, the faults are
applied to copies). For every run it applies the suite's checks (no traceback, no hang, valid
JSON, message and hint fit the fault, no control sequence from NetBox in --json / plain / tty /
log, reads only, no token) and counts crashes, hangs and failed checks per mode; then, with a warm
cache three hours old, the stale answers under a failing NetBox. The table goes into
bench/RESULTS.md under "## Fault injection (issue 11)", between its GENERATED markers (replaced on
every run; nothing else in the file is touched).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Fault injection (issue 11)"
BEGIN, END = "<!-- BEGIN GENERATED (bench/faults.py) -->", "<!-- END GENERATED (bench/faults.py) -->"


def _harness() -> Any:
    spec = importlib.util.spec_from_file_location("faults_harness", ROOT / "tests" / "faults" / "harness.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["faults_harness"] = module
    spec.loader.exec_module(module)
    return module


def _questions(quick: bool, H: Any) -> list[str]:
    if quick:
        return list(H.QUESTIONS)
    import yaml

    out: list[str] = []
    for name in ("dev.yaml", "dev2.yaml"):
        data = yaml.safe_load((ROOT / "tests" / "data" / "queries" / name).read_text())
        out += [q["question"] for q in data["queries"]]
    return list(dict.fromkeys(out))


async def _matrix(
    H: Any, questions: list[str], repeat: int, parallel: int
) -> tuple[list[dict[str, Any]], list[str]]:
    real = H.RealNetBox(H.REAL_URL)
    baseline = {
        r.question: r
        for r in await H.run_mode(H.BY_NAME["none"], questions, real, deadline=30.0, parallel=parallel)
    }
    rows, examples = [], []
    for mode in H.MODES:
        runs: list[Any] = []
        started = time.perf_counter()
        with H.trap_logs() as logs:
            for _ in range(repeat):
                runs += await H.run_mode(mode, questions, real, parallel=parallel)
        tracebacks = len(logs.tracebacks())
        failed = 0
        for r in runs:
            found = H.problems(r, baseline.get(r.question), logs=logs)
            if found:
                failed += 1
                if len(examples) < 40:
                    examples.append(f"{mode.name} · {r.question!r}: {found[0]}")
        statuses: dict[str, int] = {}
        for r in runs:
            key = r.answer.status if r.answer else "none"
            statuses[key] = statuses.get(key, 0) + 1
        rows.append(
            {
                "mode": mode.name,
                "what": mode.what,
                "runs": len(runs),
                "crashes": sum(
                    1
                    for r in runs
                    if r.crash
                    or (
                        r.answer is not None
                        and r.answer.error is not None
                        and r.answer.error.kind == "internal"
                    )
                )
                + tracebacks,
                "hangs": sum(1 for r in runs if r.hung),
                "failed": failed,
                "max_wall": max(r.wall for r in runs),
                "lag": max(r.lag for r in runs),
                "calls": max((r.answer.stats.api_calls for r in runs if r.answer), default=0),
                "statuses": statuses,
                "elapsed": time.perf_counter() - started,
            }
        )
        print(
            f"{mode.name:14} {len(runs):4} runs  crashes {rows[-1]['crashes']}  hangs {rows[-1]['hangs']}  "
            f"failed checks {failed}  max wall {rows[-1]['max_wall']:.2f} s  loop lag "
            f"{rows[-1]['lag']:.2f} s",
            flush=True,
        )
    rows += await _stale(H, real, questions, parallel)
    await real.aclose()
    return rows, examples


async def _stale(H: Any, real: Any, questions: list[str], parallel: int) -> list[dict[str, Any]]:
    """A warm cache, three hours later, NetBox failing: how many answers come from the cache, marked stale."""
    from netbox_tui.netbox.cache import ResponseCache

    out = []
    folder = Path(tempfile.mkdtemp(prefix="nbt-faults-"))
    caches = {q: ResponseCache(folder / f"c{i}", lambda kind: 60) for i, q in enumerate(questions)}
    gate = asyncio.Semaphore(parallel)

    async def one(mode: Any, q: str, **kw: Any) -> Any:
        async with gate:
            return await H.run_question(mode, q, real, cache=caches[q], **kw)

    warm = await asyncio.gather(*(one(H.BY_NAME["none"], q, deadline=30.0, render=False) for q in questions))
    base = {r.question: r for r in warm}
    real_time = time.time
    time.time = lambda: real_time() + 3 * 3600  # type: ignore[assignment]
    try:
        for name in ("reset", "500", "stall", "429"):
            runs = await asyncio.gather(*(one(H.BY_NAME[name], q) for q in questions))
            served = sum(
                1
                for r in runs
                if r.answer is not None
                and r.answer.stale
                and base[r.question].answer is not None
                and r.answer.answer.endswith(base[r.question].answer.answer)
            )
            out.append(
                {
                    "mode": f"stale: {name}",
                    "what": f"warm cache 3 h old, then {H.BY_NAME[name].what}",
                    "runs": len(runs),
                    "crashes": sum(1 for r in runs if r.crash),
                    "hangs": sum(1 for r in runs if r.hung),
                    "failed": len(runs) - served,
                    "max_wall": max(r.wall for r in runs),
                    "lag": 0.0,
                    "calls": max((r.answer.stats.api_calls for r in runs if r.answer), default=0),
                    "statuses": {"stale answers": served},
                    "elapsed": 0.0,
                }
            )
            print(
                f"stale {name:8} {len(runs):4} runs  stale answers {served}  max wall "
                f"{out[-1]['max_wall']:.2f} s",
                flush=True,
            )
    finally:
        time.time = real_time  # type: ignore[assignment]
        for c in caches.values():
            c.close()
    return out


def _git() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "netbox_tui"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
        n = len([line for line in dirty.splitlines() if line.strip()])
        return rev + (f" + uncommitted changes in {n} netbox_tui file(s)" if n else "")
    except Exception:
        return "?"


def _table(
    H: Any,
    rows: list[dict[str, Any]],
    examples: list[str],
    questions: list[str],
    repeat: int,
    parallel: int,
    took: float,
    load: tuple[str, str],
) -> str:
    total = sum(r["runs"] for r in rows)
    which = (
        "every question of dev.yaml and dev2.yaml"
        if len(questions) > len(H.QUESTIONS)
        else "tests/faults/harness.py QUESTIONS, from dev.yaml and dev2.yaml"
    )
    lines = [
        "Run: "
        f"`bench/faults.py{' --quick' if len(questions) == len(H.QUESTIONS) else ''}"
        f"{' --repeat ' + str(repeat) if repeat > 1 else ''}` — "
        f"{time.strftime('%a %b %d %H:%M:%S UTC %Y', time.gmtime())}, "
        f"{took / 60:.1f} min, git {_git()}; NetBox at {H.REAL_URL}; {len(questions)} questions "
        f"({which}), "
        f"cold (a new client per run), {parallel} at a time; deadline {H.DEADLINE:g} s, hang = "
        f"over {H.HARD_BOUND:g} s. "
        f"Python {platform.python_version()}, nproc {os.cpu_count()}, load average at start / end "
        f"{load[0]} / {load[1]}.",
        "",
        "| mode | fault | runs | crashes | hangs | failed checks | max wall (s) | loop lag (s) | "
        "max calls | outcomes |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r["statuses"].items()))
        lines.append(
            f"| {r['mode']} | {r['what']} | {r['runs']} | {r['crashes']} | {r['hangs']} | {r['failed']} | "
            f"{r['max_wall']:.2f} | {r['lag']:.2f} | {r['calls']} | {outcomes} |"
        )
    lines += [
        "",
        f"{total} runs in all; crashes {sum(r['crashes'] for r in rows)}, hangs "
        f"{sum(r['hangs'] for r in rows)}, "
        f"runs failing a check {sum(r['failed'] for r in rows)}. \"failed checks\" counts runs "
        "with any problem "
        "(tests/faults/harness.py `problems`); for the stale rows, runs whose answer was not the "
        "cached one marked stale. "
        "Loop lag: the longest the event loop went without running a ready task while the mode ran.",
    ]
    if examples:
        lines += ["", "Failed checks (first ones):", ""] + [f"- {e}" for e in examples]
    return "\n".join(lines)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def _write(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    elif HEADING in text:
        text = text.replace(HEADING, f"{HEADING}\n\n{block}", 1)
    else:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{block}\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=os.environ.get("NETBOX_TEST_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--repeat", type=int, default=1, help="runs of each question per mode")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only the fault suite's questions (tests/faults/harness.py), not all of dev.yaml and dev2.yaml",
    )
    parser.add_argument(
        "--parallel", type=int, default=16, help="questions answered at once (each with its own client)"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the table, leave bench/RESULTS.md alone"
    )
    args = parser.parse_args()
    os.environ["NETBOX_TEST_URL"] = args.url
    sys.path.insert(0, str(ROOT))
    H = _harness()
    questions = _questions(args.quick, H)
    load0 = _load()
    started = time.perf_counter()
    rows, examples = asyncio.run(_matrix(H, questions, max(1, args.repeat), max(1, args.parallel)))
    load1 = _load()
    section = _table(
        H,
        rows,
        examples,
        questions,
        args.repeat,
        args.parallel,
        time.perf_counter() - started,
        (load0, load1),
    )
    print()
    print(section)
    if not args.no_write:
        _write(section)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)} under {HEADING!r}")
    return 0 if not any(r["crashes"] or r["hangs"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
