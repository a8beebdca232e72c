#!/usr/bin/env python3
"""Peak memory with 10 000 rows loaded, in a fresh process (run by bench/run.py; prints one JSON line).

    .venv/bin/python bench/mem_rows.py --url http://127.0.0.1:8010 [--rows 10000] [--datatable]

Asks "list all interfaces" (needs a NetBox with >= --rows interfaces: the 10x scale database),
then loads rows with Orchestrator.page in pages of 1000 into one list, as the TUI keeps a table's
loaded rows. With --datatable, the rows also go into a Textual DataTable inside a headless app
(App.run_test), one add_row per row with the TUI's cell type (rich Text), as the TUI renders them.
Reports VmHWM (peak resident set of the whole process, MB) after imports, after loading and
after the DataTable, and tracemalloc's peak of Python allocations while loading.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
import tracemalloc


def rss_mb() -> float:
    """Peak resident set of this process since exec (VmHWM). Not ru_maxrss: on Linux that keeps the
    high-water mark of the parent's memory image inherited at fork, before exec."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KB


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", default="0123456789abcdef0123456789abcdef01234567")
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--datatable", action="store_true")
    args = ap.parse_args()

    from netbox_tui.config import NetBoxProfile
    from netbox_tui.core.orchestrator import Orchestrator
    from netbox_tui.netbox.client import NetBoxClient

    if args.datatable:
        from rich.text import Text
        from textual.app import App, ComposeResult
        from textual.widgets import DataTable
    out: dict = {
        "rows_wanted": args.rows,
        "datatable": args.datatable,
        "rss_after_imports_mb": round(rss_mb(), 1),
    }

    client = NetBoxClient(NetBoxProfile(url=args.url, token=args.token))
    orch = Orchestrator(client)
    tracemalloc.start()
    t = time.perf_counter()
    answer = await orch.ask("list all interfaces")
    table = answer.tables[0]
    rows = list(table.rows)
    while len(rows) < min(args.rows, table.total):
        page = await orch.page(table, len(rows), limit=min(1000, args.rows - len(rows)))
        if not page.rows:
            break
        rows.extend(page.rows)
    out["load_s"] = round(time.perf_counter() - t, 2)
    out["rows_loaded"] = len(rows)
    out["total"] = table.total
    out["api_calls"] = client.stats.calls
    cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out["tracemalloc_current_mb"] = round(cur / 2**20, 1)
    out["tracemalloc_peak_mb"] = round(peak / 2**20, 1)
    out["rss_after_rows_mb"] = round(rss_mb(), 1)
    await client.aclose()

    if args.datatable:
        columns = table.columns

        class Bench(App):
            def compose(self) -> ComposeResult:
                yield DataTable()

        app = Bench()
        t = time.perf_counter()
        async with app.run_test(size=(160, 50)) as pilot:
            dt = app.query_one(DataTable)
            for c in columns:
                dt.add_column(c.title, key=c.key)
            for i, r in enumerate(rows):
                dt.add_row(*(Text(str(r.get(c.key, ""))) for c in columns), key=str(r.get("id", i)))
            await pilot.pause()
            dt.move_cursor(row=len(rows) - 1)  # scroll to the end: renders the last rows too
            await pilot.pause()
            out["datatable_rows"] = dt.row_count
        out["datatable_s"] = round(time.perf_counter() - t, 2)
        out["rss_after_datatable_mb"] = round(rss_mb(), 1)
    out["peak_rss_mb"] = round(rss_mb(), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
