"""Contract tests: the real NetBox (NETBOX_TEST_URL, default http://127.0.0.1:8000, started by
scripts/netbox-dev) against a snapshot of it taken at the start of the session with
`run_save`, the code behind `netbox-tui snapshot save`.

Skipped with a reason when the real NetBox does not answer; under CI that is a failure instead.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from netbox_tui.config import NetBoxProfile, Settings
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.netbox.emulator import SnapshotTransport
from netbox_tui.netbox.snapshot import load_snapshot
from netbox_tui.netbox.snapshot_save import run_save

TOKEN_V1 = "0123456789abcdef0123456789abcdef01234567"  # public read-only token of the demo dump
SNAPSHOT_URL = "http://snapshot.invalid"  # never resolved: the transport answers in-process





@pytest.fixture(scope="session")
def saved_snapshot(netbox_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh snapshot of the real NetBox, written by run_save (what `snapshot save` runs)."""
    path = tmp_path_factory.mktemp("snapshot") / "contract.json.gz"
    settings = Settings(netbox={"default": NetBoxProfile(url=netbox_url, token=TOKEN_V1, timeout_read=120)})
    progress = io.StringIO()
    assert asyncio.run(run_save(settings, path, stream=progress)) == 0, progress.getvalue()
    assert "wrote" in progress.getvalue()
    return path


@pytest.fixture(scope="session")
def snapshot_data(saved_snapshot: Path) -> dict[str, Any]:
    return load_snapshot(saved_snapshot)


@pytest.fixture(scope="session")
def snapshot_transport(saved_snapshot: Path) -> SnapshotTransport:
    return SnapshotTransport.from_file(saved_snapshot)


@pytest.fixture
async def real_client(netbox_url: str) -> AsyncIterator[NetBoxClient]:
    client = NetBoxClient(NetBoxProfile(url=netbox_url, token=TOKEN_V1, timeout_read=120))
    yield client
    await client.aclose()


@pytest.fixture
async def snap_client(snapshot_transport: SnapshotTransport) -> AsyncIterator[NetBoxClient]:
    client = NetBoxClient(NetBoxProfile(url=SNAPSHOT_URL), transport=snapshot_transport)
    yield client
    await client.aclose()


def normalise(data: Any, *bases: str) -> Any:
    """The same JSON with each backend's base URL replaced by BASE, so links compare equal."""
    text = json.dumps(data, sort_keys=False)
    for base in bases:
        text = text.replace(base.rstrip("/") + "/", "BASE/")
    return json.loads(text)
