"""Learn the schema of the connected NetBox: its /api/status/ says version and plugins; a schema
the tool does not have yet for that triple (URL, version, plugins) is read from the NetBox's own
/api/schema/ once (14.6 MB, about 10 s on 4.7.3), generated into the schema layer's form and kept
on disk (`netbox_tui.schema.live.SchemaStore`).

A stock NetBox of the version the tool ships a schema for uses the shipped one (it is generated
from exactly that). When the status or the schema cannot be read, the schema last read from that
URL answers, else the shipped one, and the `note` says so (once, by the front-end).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from netbox_tui.errors import NetBoxTUIError
from netbox_tui.schema import Schema, shipped
from netbox_tui.schema.generate import GRAPHQL_INTROSPECTION, generate
from netbox_tui.schema.live import SchemaStore

log = logging.getLogger(__name__)

Report = Callable[[str], None]
# Seconds /api/status/ may take before the session goes on without it (a quarter of the question's
# deadline at most: a failing NetBox must not make a question take much longer than its deadline).
STATUS_DEADLINE = 3.0
TICK = 2.0  # seconds between progress lines while /api/schema/ is read


@dataclass(frozen=True)
class Learnt:
    schema: Schema
    # "own" (read from this NetBox, now or before), "shipped" (a fallback), "shipped-same" (stock 4.7.3)
    origin: str
    version: str = ""  # the NetBox's version, "" when its status could not be read
    plugins: tuple[str, ...] = ()
    note: Optional[str] = None  # what the front-end says once: why the shipped schema answers
    pending: bool = False  # its own schema is still to be read (`read_own`)


async def read_status(client: Any) -> dict[str, Any]:
    """/api/status/, through the response cache (the `default` TTL, 5 min): an answer served from the
    cache sends nothing to NetBox, and an upgrade is noticed within that time (--refresh: at once)."""
    with client.question(deadline=min(STATUS_DEADLINE, client.profile.deadline / 4)):
        data = await client.request_json("GET", "status/", kind="default")
    if not isinstance(data, dict):
        raise NetBoxTUIError("/api/status/ did not answer an object")
    return data


def _is_stock(version: str, plugins: dict[str, Any]) -> bool:
    return not plugins and version == shipped().netbox_version


async def learn(client: Any, store: SchemaStore, *, report: Optional[Report] = None, read: bool = True,
                force: bool = False) -> Learnt:
    """The schema to answer with for the NetBox behind `client`.

    `read`: read /api/schema/ now when needed (else `pending` is set and the shipped one answers);
    `force`: read it even when a stored or shipped one fits."""
    url = client.base_url
    try:
        status = await read_status(client)
    except Exception as exc:  # unreachable, no token, a fault: the questions will say it; go on without it
        log.info("status of %s unreadable: %s", client.shown_url, exc)
        last = store.last(url)
        if last is not None:
            return Learnt(last.schema, "own", last.version, tuple(last.plugins))
        return Learnt(shipped(), "shipped", note=f"NetBox's version could not be read: answering with the "
                      f"schema of NetBox {shipped().netbox_version} the tool ships")
    version = str(status.get("netbox-version") or "")
    plugins = {str(k): str(v) for k, v in (status.get("plugins") or {}).items()} if isinstance(
        status.get("plugins"), dict) else {}
    names = tuple(sorted(plugins))
    if not force:
        stored = store.get(url, version, plugins)
        if stored is not None:
            return Learnt(stored.schema, "own", version, names)
        if _is_stock(version, plugins):
            return Learnt(shipped(), "shipped-same", version, names)
    if not read:
        note = (f"reading the schema of NetBox {version or '?'} at {client.shown_url} in the background; "
                f"answering with the shipped {shipped().netbox_version} schema meanwhile")
        return Learnt(shipped(), "shipped", version, names, pending=True, note=note)
    try:
        return await read_own(client, store, version, plugins, report=report)
    except Exception as exc:  # a NetBox whose schema cannot be read (403, timeout, not OpenAPI): say it once
        why = exc.message if isinstance(exc, NetBoxTUIError) else f"{exc.__class__.__name__}: {exc}"
        log.info("schema of %s unreadable: %s", client.shown_url, why)
        return Learnt(shipped(), "shipped", version, names,
                      note=f"the schema of NetBox {version or '?'} at {client.shown_url} could not be read "
                           f"({why}): answering with the shipped {shipped().netbox_version} schema")


async def read_own(client: Any, store: SchemaStore, version: str, plugins: dict[str, str], *,
                   report: Optional[Report] = None) -> Learnt:
    """Read /api/schema/ (and GraphQL introspection), generate, keep on disk. Raises on failure."""
    say = report or (lambda line: None)
    extra = f", plugins {', '.join(sorted(plugins))}" if plugins else ""
    say(f"reading the schema of NetBox {version or '?'}{extra} at {client.shown_url} (once; about 10 s)")
    started = time.perf_counter()

    async def tick() -> None:
        while True:
            await asyncio.sleep(TICK)
            say(f"  … {time.perf_counter() - started:.0f} s")

    ticker = asyncio.create_task(tick())
    try:
        openapi = await client.request_json("GET", "schema/", {"format": "json"}, use_cache=False,
                                            validate=False)
    finally:
        ticker.cancel()
    if not isinstance(openapi, dict) or not isinstance(openapi.get("paths"), dict):
        raise NetBoxTUIError("/api/schema/ did not answer an OpenAPI schema")
    try:
        gql = (await client.graphql(GRAPHQL_INTROSPECTION, use_cache=False)).get("__schema")
    except Exception as exc:  # GraphQL disabled: names are then read over REST
        log.info("GraphQL introspection of %s failed: %s", client.shown_url, exc)
        gql = None
    gql = gql if isinstance(gql, dict) else None
    document = generate(openapi, gql, netbox_version=version, plugins=plugins)
    stored = store.put(client.base_url, version, plugins, document)
    say(f"schema read in {time.perf_counter() - started:.1f} s: {len(document['models'])} models"
        f"{'' if gql else ' (no GraphQL: names are read over REST)'}; kept in {stored.path}")
    return Learnt(stored.schema, "own", version, tuple(sorted(plugins)))
