"""Every row of a table, for an export: bounded pages of 1,000 with progress, at most `cap` rows.
(Writing the file is the front-end's: tui/export.py.)"""

from __future__ import annotations

import time
from typing import Any

from netbox_tui.core.paging import page
from netbox_tui.core.progress import ProgressCallback, ProgressEvent
from netbox_tui.core.results import Table
from netbox_tui.core.tables import LocalTables


async def all_rows(
    client: Any, local: LocalTables, table: Table, *, on_progress: ProgressCallback = None, cap: int = 50_000
) -> list[dict[str, Any]]:
    q = table.query
    if q is None:
        return list(table.rows)
    if q.local_key is not None:
        return list(local.get(q.local_key))[:cap]
    rows: list[dict[str, Any]] = []
    total = min(table.total, cap)
    s = client.stats
    calls0, hits0, started = s.calls, s.cache_hits, time.perf_counter()
    while len(rows) < total:
        got = await page(client, local, table, len(rows), min(1000, total - len(rows)), None)
        if not got.rows:
            break
        rows += got.rows
        total = min(got.total, cap)  # as believed page by page: a count NetBox contradicts never sizes this
        if on_progress:
            on_progress(
                ProgressEvent(
                    phase="execute",
                    state="info",
                    description=f"fetched {len(rows):,} of {total:,} rows",
                    partial_rows=len(rows),
                    elapsed=time.perf_counter() - started,
                    api_calls=s.calls - calls0,
                    cache_hits=s.cache_hits - hits0,
                )
            )
    return rows
