"""Builds the client stack for a run: a live NetBox, a snapshot file, or the embedded demo.

All three go through the same NetBoxClient; a snapshot is only another httpx transport.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

from netbox_tui.config import NetBoxProfile, Settings
from netbox_tui.netbox.cache import CacheMode, ResponseCache
from netbox_tui.netbox.client import NetBoxClient, live_client

DEMO_URL = "http://demo.snapshot.invalid"  # never resolved: the snapshot transport answers in-process


@dataclass
class Backend:
    client: NetBoxClient
    label: str  # what the UI shows: the URL, or "snapshot of <url> taken <when>"
    snapshot: Optional[Path] = None
    snapshot_meta: Optional[dict] = None

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.client.cache.aclose()


def demo_snapshot_path() -> Path:
    return Path(str(resources.files("netbox_tui").joinpath("data/demo-snapshot.json.gz")))


def open_backend(
    settings: Settings,
    *,
    demo: bool = False,
    snapshot: Optional[Path] = None,
    cache_mode: CacheMode = CacheMode.NORMAL,
) -> Backend:
    if demo:
        snapshot = demo_snapshot_path()
    if snapshot is not None:
        from netbox_tui.netbox.snapshot import SnapshotTransport, load_snapshot

        data = load_snapshot(Path(snapshot))
        transport = SnapshotTransport(data)
        meta = {**transport.meta, "schema": data.get("schema")}  # the schema of the NetBox it was saved from
        profile = NetBoxProfile(url=DEMO_URL if demo else meta.get("url") or DEMO_URL)
        # A snapshot answers from memory: caching it on disk would only cost time.
        cache = ResponseCache(None, settings.cache.ttl_for, mode=CacheMode.OFF)
        client = NetBoxClient(profile, cache=cache, transport=transport)
        client.snapshot_meta = meta
        taken = str(meta.get("taken_at", "?"))[:16].replace("T", " ")
        if demo:
            label = (
                f"embedded demo data (NetBox {meta.get('netbox_version', '?')} demo set, snapshot of "
                f"{taken} UTC) · offline"
            )
        else:
            label = (
                f"snapshot {Path(snapshot).name} of {meta.get('url', '?')} (NetBox "
                f"{meta.get('netbox_version', '?')}, {taken} UTC) · offline"
            )
        return Backend(client, label, Path(snapshot), meta)
    client = live_client(settings, cache_mode=cache_mode)
    return Backend(client, client.base_url)
