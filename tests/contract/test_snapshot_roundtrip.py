"""A fresh `snapshot save` of the real NetBox round-trips, and the shipped demo file is of it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from netbox_tui.backend import demo_snapshot_path
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.netbox.snapshot import (
    ENDPOINTS,
    FORMAT,
    VERSION,
    describe_snapshot,
    load_snapshot,
)

from .conftest import TOKEN_V1


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_saved_then_loaded_same_counts(
    path: str, snapshot_data: dict[str, Any], real_client: NetBoxClient, snap_client: NetBoxClient
) -> None:
    real = await real_client.page(path, limit=1, brief=True, use_cache=False)
    snap = await snap_client.page(path, limit=1, brief=True)
    saved = snapshot_data["endpoints"][path]
    assert len(saved) == real.count == snap.count
    assert len({r["id"] for r in saved}) == len(saved)  # no row twice (parallel pages did not overlap)


async def test_saved_metadata_and_traces(
    snapshot_data: dict[str, Any], real_client: NetBoxClient, netbox_url: str
) -> None:
    status = await real_client.status()
    assert snapshot_data["format"] == FORMAT and snapshot_data["version"] == VERSION
    assert snapshot_data["url"] == netbox_url
    assert snapshot_data["netbox_version"] == status["netbox-version"]
    assert snapshot_data["status"]["netbox-version"] == status["netbox-version"]
    assert "hostname" not in snapshot_data["status"]
    taken = datetime.fromisoformat(snapshot_data["taken_at"].replace("Z", "+00:00"))
    assert timedelta(0) <= datetime.now(timezone.utc) - taken < timedelta(hours=2)
    cabled = await real_client.page(
        "dcim/interfaces/", {"cabled": "true"}, limit=1, brief=True, use_cache=False
    )
    assert len(snapshot_data["traces"]) == cabled.count > 0
    assert set(snapshot_data["brief_fields"]) == {p for p in ENDPOINTS if snapshot_data["endpoints"][p]}


def test_snapshot_info_describes_the_file(saved_snapshot: Path, snapshot_data: dict[str, Any]) -> None:
    text = describe_snapshot(saved_snapshot)
    assert f"NetBox {snapshot_data['netbox_version']}" in text
    assert f"{len(snapshot_data['endpoints']['dcim/interfaces/'])}" in text
    assert snapshot_data["taken_at"] in text


def test_cli_snapshot_save_and_ask_on_it(netbox_url: str, tmp_path: Path) -> None:
    """`netbox-tui snapshot save FILE` as a user runs it, then `ask --snapshot FILE --json`."""
    target = tmp_path / "lab.nbsnap"
    save = subprocess.run(
        [
            sys.executable,
            "-m",
            "netbox_tui",
            "snapshot",
            "save",
            str(target),
            "--url",
            netbox_url,
            "--token",
            TOKEN_V1,
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert save.returncode == 0, save.stderr
    assert "[ 1/" in save.stderr and "wrote" in save.stderr  # progress on stderr
    assert save.stdout == ""
    assert not list(tmp_path.glob(".lab.nbsnap.*"))  # no temp file left behind
    assert load_snapshot(target)["endpoints"]["dcim/devices/"]
    info = subprocess.run(
        [sys.executable, "-m", "netbox_tui", "snapshot", "info", str(target)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert info.returncode == 0 and "dcim/devices/" in info.stdout
    ask = subprocess.run(
        [
            sys.executable,
            "-m",
            "netbox_tui",
            "ask",
            "list all VLANs",
            "--snapshot",
            str(target),
            "--json",
            "--no-cache",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert answer["status"] == "ok" and answer["tables"][0]["total"] == len(
        load_snapshot(target)["endpoints"]["ipam/vlans/"]
    )


def test_shipped_demo_snapshot_is_this_data(snapshot_data: dict[str, Any]) -> None:
    """The demo file in the package holds the same objects as the real demo NetBox (else rerun
    scripts/make-demo-snapshot)."""
    demo = load_snapshot(demo_snapshot_path())
    assert demo["netbox_version"] == snapshot_data["netbox_version"]
    for path in ENDPOINTS:
        fresh = snapshot_data["endpoints"][path]
        shipped = demo["endpoints"][path]
        assert [(r["id"], r.get("display")) for r in shipped] == [
            (r["id"], r.get("display")) for r in fresh
        ], path
    assert sorted(demo["traces"]) == sorted(snapshot_data["traces"])
