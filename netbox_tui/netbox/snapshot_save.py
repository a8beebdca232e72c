"""`netbox-tui snapshot save FILE`: export, read-only, what netbox-tui queries of a NetBox.

Every object of each endpoint of `snapshot.snapshot_endpoints()` (full JSON, so the emulator can serve any
field), the keys of a brief row per endpoint, the cable trace of every cabled interface and a
subset of /api/status/. Goes through the normal client (read-only by construction), fetching
endpoints concurrently within the client's limits. Progress goes to stderr; the file is written
only at the end, atomically, so an interrupted save leaves no partial file.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from netbox_tui.errors import AuthError, NetBoxTUIError, NotFoundError, UsageError
from netbox_tui.netbox.cache import CacheMode
from netbox_tui.netbox.client import NetBoxClient, live_client
from netbox_tui.netbox.live_schema import learn
from netbox_tui.netbox.snapshot import (
    FORMAT,
    STATUS_KEYS,
    VERSION,
    snapshot_endpoints,
    write_snapshot,
)
from netbox_tui.schema import load as load_schema
from netbox_tui.schema import shipped as shipped_schema
from netbox_tui.schema import use as use_schema
from netbox_tui.schema.live import SchemaStore

Report = Callable[[str], None]


def _printer(stream: TextIO) -> Report:
    def report(line: str) -> None:
        print(f"snapshot: {line}", file=stream, flush=True)

    return report


async def export_snapshot(
    client: NetBoxClient,
    *,
    endpoints: tuple[str, ...] | None = None,
    report: Report | None = None,
) -> dict[str, Any]:
    """The snapshot document of the NetBox behind `client` (nothing is written). An endpoint this
    NetBox does not have (404) or does not let the token read (403) is left out, and said."""
    say = report or (lambda line: None)
    if endpoints is None:
        endpoints = snapshot_endpoints()
    started = time.perf_counter()
    status = await client.status()
    version = str(status.get("netbox-version") or "")
    say(f"NetBox {version or '?'} at {client.base_url}")

    total = len(endpoints)
    done = 0
    rows: dict[str, list[dict[str, Any]]] = {}
    brief: dict[str, list[str]] = {}

    async def one(path: str) -> None:
        nonlocal done
        t0 = time.perf_counter()
        try:
            data = await client.list_all(path, use_cache=False)
            sample = await client.page(path, limit=1, brief=True, use_cache=False) if data else None
        except (AuthError, NotFoundError) as exc:
            done += 1
            say(f"[{done:>2}/{total}] {path:<34} left out: {exc.message}")
            return
        rows[path] = data
        if sample is not None and sample.results:
            brief[path] = list(sample.results[0].keys())
        done += 1
        say(f"[{done:>2}/{total}] {path:<34} {len(data):>6} rows  ({time.perf_counter() - t0:.1f} s)")

    await asyncio.gather(*(one(p) for p in endpoints))

    traces: dict[str, Any] = {}
    cabled = [r["id"] for r in rows.get("dcim/interfaces/", []) if r.get("cable")]
    if cabled:
        say(f"tracing {len(cabled)} cabled interfaces")
        step = max(1, len(cabled) // 10)
        finished = 0

        async def trace(iid: int) -> None:
            nonlocal finished
            traces[str(iid)] = await client.get(f"dcim/interfaces/{iid}/trace/", use_cache=False)
            finished += 1
            if finished % step == 0 or finished == len(cabled):
                say(f"  traces {finished}/{len(cabled)}")

        await asyncio.gather(*(trace(i) for i in cabled))

    objects = sum(len(v) for v in rows.values())
    say(
        f"{objects} objects, {len(traces)} traces in {time.perf_counter() - started:.1f} s "
        f"({client.stats.calls} requests)"
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "url": client.base_url,
        "netbox_version": version,
        "taken_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "status": {k: status[k] for k in STATUS_KEYS if k in status},
        "endpoints": {p: rows[p] for p in endpoints if p in rows},
        "brief_fields": {p: brief[p] for p in endpoints if p in brief},
        "traces": {k: traces[k] for k in sorted(traces, key=int)},
        # The schema in force (`run_save` puts this NetBox's own there): a snapshot answers with it.
        "schema": load_schema().document(),
    }


async def run_save(
    settings: Any, path: Path | str, *, stream: TextIO | None = None, client: NetBoxClient | None = None
) -> int:
    """Export the active profile's NetBox into `path`. Returns the process exit code.

    `client`: the NetBox to export instead (closed at the end); by default a client for the
    active profile, with no response cache (an export must read what NetBox holds now).
    """
    path = Path(path)
    report = _printer(stream or sys.stderr)
    where = path.expanduser().resolve().parent
    if not where.is_dir() or not os.access(where, os.W_OK):  # said before NetBox is read, not after
        raise UsageError(
            f"cannot write {path}: {where} is not a writable directory",
            "Give a path in a directory you can write to.",
        )
    if client is None:
        client = live_client(settings, cache_mode=CacheMode.OFF)
    before = load_schema()  # in force again after: a session in this process keeps its own NetBox's
    try:
        # This NetBox's own schema first: what is saved, and the schema the snapshot carries.
        store = SchemaStore(settings.cache.directory().parent / "schemas")  # = session.schema_dir
        learnt = await learn(client, store, report=report)
        if learnt.note:
            report(learnt.note)
        use_schema(learnt.schema)
        data = await export_snapshot(client, report=report)
    finally:
        use_schema(None if before is shipped_schema() else before)
        await client.aclose()
        await client.cache.aclose()
    try:
        size = write_snapshot(path, data)
    except OSError as exc:
        raise NetBoxTUIError(
            f"cannot write {path}: {exc.strerror or exc}", "Free some space or give another path."
        ) from exc
    report(f"wrote {path} ({size / 1e6:.2f} MB)")
    return 0
