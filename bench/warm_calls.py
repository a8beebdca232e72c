#!/usr/bin/env python3
"""NetBox calls of `netbox-tui ask --json`, cold then warm, for two checkouts side by side (issue 17: a warm
question on a known NetBox costs no more calls than before).

    git worktree add --detach /tmp/base <commit>
    .venv/bin/python bench/warm_calls.py --base /tmp/base [--url http://127.0.0.1:8001]

Each checkout gets a fresh response cache; every question is asked twice in a row as its own process (the
CLI's path: the connected NetBox's schema learnt and kept, the cache warm the second time). The questions
run in the same order on both sides, so what one leaves in the cache (the NetBox's names) helps the next
alike. Prints a Markdown table; the figures are counts, so one run says it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token
QUESTIONS = [
    "devices at dm akron", "VLANs at DM-Akron", "disabled ports on dmi01-akron-sw01",
    "what platform is dmi01-akron-rtr01 running", "sites with no devices", "bgp sessions at DM-Akron",
    "devices tagged critical", "what changed on dmi01-nashua-rtr01 today", "gold support tier devices",
    "free IPs in 10.112.129.0/24",
]


def calls(tree: Path, url: str) -> dict[str, list[tuple[int, str]]]:
    home = Path(tempfile.mkdtemp(prefix="nbt-warm-calls-"))
    env = {**os.environ, "PYTHONPATH": str(tree), "NETBOX_URL": url, "NETBOX_TOKEN": TOKEN,
           "XDG_CACHE_HOME": str(home / "cache"), "XDG_CONFIG_HOME": str(home / "config")}
    out: dict[str, list[tuple[int, str]]] = {}
    for q in QUESTIONS:
        for _ in range(2):
            run = subprocess.run([sys.executable, "-m", "netbox_tui", "ask", q, "--json"], cwd=tree, env=env,
                                 capture_output=True, text=True, timeout=180)
            answer = json.loads(run.stdout)
            out.setdefault(q, []).append((int(answer["stats"]["api_calls"]), str(answer["status"])))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=Path, required=True, help="the other checkout (a git worktree)")
    ap.add_argument("--url", default="http://127.0.0.1:8001", help="the NetBox (default: the fixture NetBox)")
    args = ap.parse_args()
    base, now = calls(args.base.resolve(), args.url), calls(PROJECT, args.url)
    print(f"| question | {args.base.name}: cold / warm (status) | this tree: cold / warm (status) |")
    print("| --- | --- | --- |")
    for q in QUESTIONS:
        (bc, bs), (bw, _) = base[q]
        (nc, ns), (nw, _) = now[q]
        print(f"| {q} | {bc} / {bw} ({bs}) | {nc} / {nw} ({ns}) |")


if __name__ == "__main__":
    main()
