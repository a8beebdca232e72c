#!/usr/bin/env python3
"""How netbox-tui does on questions written by someone who never saw its code, against the real NetBox:

    .venv/bin/python bench/heldout.py [--url http://127.0.0.1:8000] [--git REF]
                                      [--corpus tests/data/heldout/heldout.yaml]
    .venv/bin/python bench/heldout.py --session --url http://127.0.0.1:8001
                                      --corpus tests/data/heldout17/heldout17.yaml

The corpus (tests/data/heldout/: 60 questions, answers from hand-written REST queries by
make_heldout.py) was written by a helper session that read no code, test or vocabulary of this
project. Each question is asked cold (no cache) and checked with tests/acceptance.py, the checker
of the acceptance tests. Every answer falls in one class:
- right: everything the corpus expects;
- honest: the answer says it is not exact (partial, a choice, not found) where more was expected;
- ok but wrong: `ok`, and something differs (the defect that matters most);
- over budget: `ok` and right but more NetBox calls than the corpus's `max_api_calls_cold`;
- refused / error: status error (right when the corpus expects a refusal).
With --git REF the same run is made on that commit's netbox_tui (a `git worktree`), for a before/after.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's read-only token


async def score(
    url: str, cases: list[dict[str, Any]], session_path: bool = False
) -> tuple[collections.Counter, list[str]]:
    from acceptance import check

    from netbox_tui.config import NetBoxProfile
    from netbox_tui.core.orchestrator import Orchestrator
    from netbox_tui.netbox.client import NetBoxClient

    tally: collections.Counter = collections.Counter()
    lines = []
    for case in cases:
        if (
            session_path
        ):  # as `netbox-tui ask` does: that NetBox's own schema (plugins) learnt first, no cache
            from netbox_tui.config import Settings
            from netbox_tui.netbox.cache import CacheMode
            from netbox_tui.session import Session

            session = Session.open(Settings(netbox={"default": NetBoxProfile(url=url, token=TOKEN)}),
                                   cache_mode=CacheMode.OFF)
            await session.learn_schema()
            client, orch = session.backend.client, session.orchestrator
        else:
            client = NetBoxClient(NetBoxProfile(url=url, token=TOKEN))
            orch = Orchestrator(client)
        try:
            answer = await orch.ask(case["question"])
            want = case["expect"].get("status", "ok")
            if want == "error":
                problems = [] if answer.status == "error" else [f"status {answer.status}, a refusal expected"]
            else:
                problems = await check(orch, case, answer)
        finally:
            await client.aclose()
        budget = [p for p in problems if "NetBox calls, expected at most" in p]
        if not problems:
            kind = "right"
        elif answer.status == "ok" and problems == budget:
            kind = "over budget"
        elif answer.status == "ok":
            kind = "ok but wrong"
        elif answer.status == "error":
            kind = "error"
        else:
            kind = "honest"
        tally[kind] += 1
        tally[(case.get("capability") or "-", kind)] += 1  # per kind of question, for the summary by kind
        lines.append(f"{kind:12} [{answer.status}] ({case.get('capability') or '-'}) {case['question']!r}: "
                     f"{'; '.join(problems)[:200]}")
    return tally, sorted(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--corpus", type=Path, default=PROJECT / "tests" / "data" / "heldout" / "heldout.yaml")
    ap.add_argument("--git", help="score that commit's netbox_tui instead of the working tree's")
    ap.add_argument(
        "--session",
        action="store_true",
        help="ask through a Session as `netbox-tui ask` does (the NetBox's own schema learnt first)",
    )
    args = ap.parse_args()
    import yaml

    cases = yaml.safe_load(args.corpus.read_text(encoding="utf-8"))
    if isinstance(cases, dict):  # the shared sets' shape: {queries: [...]}
        cases = cases["queries"]
    root = PROJECT
    if args.git:
        root = Path(tempfile.mkdtemp(prefix="nbt-heldout-")) / "tree"
        subprocess.run(
            ["git", "-C", str(PROJECT), "worktree", "add", "-q", "--detach", str(root), args.git], check=True
        )
    sys.path[:0] = [str(root), str(PROJECT / "tests")]
    try:
        tally, lines = asyncio.run(score(args.url, cases, args.session))
    finally:
        if args.git:
            subprocess.run(
                ["git", "-C", str(PROJECT), "worktree", "remove", "--force", str(root)], check=False
            )
    print("\n".join(lines))
    order = ["right", "honest", "over budget", "ok but wrong", "error"]
    print(
        f"{len(cases)} questions ({args.git or 'working tree'}): "
        + ", ".join(f"{k} {tally[k]}" for k in order)
    )
    kinds = sorted({c.get("capability") or "-" for c in cases})
    if len(kinds) > 1:
        for cap in kinds:
            n = sum(1 for c in cases if (c.get("capability") or "-") == cap)
            print(f"  {cap}: {tally[(cap, 'right')]}/{n} right; "
                  + ", ".join(f"{k} {tally[(cap, k)]}" for k in order[1:] if tally[(cap, k)]))


if __name__ == "__main__":
    main()
