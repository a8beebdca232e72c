"""Snapshot files (format, atomic writes, errors), the exporter and the collation keys, without a server."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from netbox_tui.backend import demo_snapshot_path
from netbox_tui.config import NetBoxProfile
from netbox_tui.errors import ConfigError
from netbox_tui.netbox import snapshot as snapshot_module
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.netbox.collation import inet_key, interface_key, natural_key
from netbox_tui.netbox.emulator import SnapshotTransport
from netbox_tui.netbox.snapshot import (
    ENDPOINTS,
    describe_snapshot,
    encode_snapshot,
    load_snapshot,
    write_snapshot,
)
from netbox_tui.netbox.snapshot_save import export_snapshot


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return load_snapshot(demo_snapshot_path())


def _doc(**extra: Any) -> dict[str, Any]:
    return {"format": "netbox-tui-snapshot", "version": 1, "url": "http://x", "netbox_version": "4.7.3",
            "taken_at": "2026-01-01T00:00:00Z", "endpoints": {"dcim/sites/": []}, "traces": {}, **extra}


def test_write_then_load(tmp_path: Path) -> None:
    target = tmp_path / "a.nbsnap"
    size = write_snapshot(target, _doc())
    assert size == target.stat().st_size
    assert load_snapshot(target)["netbox_version"] == "4.7.3"
    assert gzip.decompress(target.read_bytes())  # gzip
    assert encode_snapshot(_doc()) == encode_snapshot(_doc())  # no timestamp in the gzip header
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()  # not mkstemp's 0600


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.nbsnap"
    write_snapshot(target, _doc(netbox_version="old"))

    def boom(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(snapshot_module.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_snapshot(target, _doc(netbox_version="new"))
    assert load_snapshot(target)["netbox_version"] == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.nbsnap"]  # the temp file is gone


@pytest.mark.parametrize(
    "content, why",
    [
        (b"not gzip and not json", "not a gzip JSON snapshot"),
        (gzip.compress(b"{\"format\": \"other\"}"), "not a netbox-tui snapshot"),
        (
            gzip.compress(json.dumps({"format": "netbox-tui-snapshot", "version": 99}).encode()),
            "format version 99",
        ),
    ],
)
def test_bad_files_are_config_errors(tmp_path: Path, content: bytes, why: str) -> None:
    target = tmp_path / "bad"
    target.write_bytes(content)
    with pytest.raises(ConfigError) as info:
        load_snapshot(target)
    assert why in info.value.message and info.value.hint
    with pytest.raises(ConfigError, match="no such file"):
        SnapshotTransport.from_file(tmp_path / "missing")


def test_describe(demo: dict[str, Any]) -> None:
    text = describe_snapshot(demo_snapshot_path())
    assert "NetBox 4.7" in text and demo["taken_at"] in text
    assert "dcim/interfaces/" in text and "1586" in text


async def test_export_of_a_snapshot_round_trips(demo: dict[str, Any]) -> None:
    """export_snapshot through a client on the emulator gives back the same data, with GETs only."""
    transport = SnapshotTransport(demo)
    client = NetBoxClient(NetBoxProfile(url=demo["url"]), transport=transport)
    methods: list[str] = []

    async def hook(request: Any) -> None:
        methods.append(request.method)

    client._http.event_hooks["request"].append(hook)
    lines: list[str] = []
    try:
        again = await export_snapshot(client, report=lines.append)
    finally:
        await client.aclose()
    assert set(methods) == {"GET"}
    for path in ENDPOINTS:
        assert again["endpoints"][path] == demo["endpoints"][path], path
    assert again["traces"] == demo["traces"]
    assert again["brief_fields"] == demo["brief_fields"]
    assert again["netbox_version"] == demo["netbox_version"]
    assert any(
        line.startswith(f"[{len(ENDPOINTS)}/{len(ENDPOINTS)}]") for line in lines
    )  # progress: endpoint i/N
    assert any("traces" in line for line in lines)


async def test_run_save_writes_atomically(demo: dict[str, Any], tmp_path: Path) -> None:
    """run_save exports through the normal client stack; here a client on the demo data."""
    from netbox_tui.backend import open_backend
    from netbox_tui.config import Settings
    from netbox_tui.netbox.snapshot_save import run_save

    stream = io.StringIO()
    target = tmp_path / "copy.nbsnap"
    client = open_backend(Settings(), demo=True).client
    assert await run_save(Settings(), target, stream=stream, client=client) == 0
    copy = load_snapshot(target)
    for path in ENDPOINTS:
        assert [(r["id"], r["display"]) for r in copy["endpoints"][path]] == [
            (r["id"], r["display"]) for r in demo["endpoints"][path]
        ]
    assert "wrote" in stream.getvalue() and "snapshot: [" in stream.getvalue()


def test_netbox_package_imports_no_front_end() -> None:
    """netbox_tui.netbox is below the core, the TUI and backend.py: importing all of it loads none of them."""
    import subprocess
    import sys

    code = (
        "import json, sys, netbox_tui.netbox.snapshot_save, netbox_tui.netbox.snapshot, "
        "netbox_tui.netbox.emulator; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('netbox_tui'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    bad = [
        m for m in loaded if m == "netbox_tui.backend" or m.startswith(("netbox_tui.core", "netbox_tui.tui"))
    ]
    assert not bad, bad


# -- collation -----------------------------------------------------------------------------------------


def test_natural_key_is_icu_numeric() -> None:
    names = [
        "PP:B117",
        "ncsu128-distswitch1",
        "ncsu-coreswitch1",
        "ncsu117-distswitch1",
        "dmi01-akron-rtr01",
        "D. S. Weaver Labs",
        "DM-Akron",
        "a10",
        "a9",
        "A9",
    ]
    assert sorted(names, key=natural_key) == [
        "a9", "A9", "a10", "D. S. Weaver Labs", "DM-Akron", "dmi01-akron-rtr01",
        "ncsu-coreswitch1", "ncsu117-distswitch1", "ncsu128-distswitch1", "PP:B117",
    ]


def test_interface_key_is_netbox_naturalize_interface() -> None:
    names = [
        "GigabitEthernet0/1/0",
        "GigabitEthernet0/0/10",
        "GigabitEthernet0/0/2",
        "xe-0/0/1",
        "Po1",
        "vme",
    ]
    ordered = sorted(names, key=interface_key)
    assert (
        ordered.index("GigabitEthernet0/0/2")
        < ordered.index("GigabitEthernet0/0/10")
        < ordered.index("GigabitEthernet0/1/0")
    )
    # slot 0, subslot 0, no position/subposition (9999), type, id 0, no channel/vc
    assert interface_key("GigabitEthernet0/0/0") == "0000000099999999GigabitEthernet000000............"


def test_inet_key_is_postgres_network_cmp() -> None:
    # a shorter mask first when one contains the other; IPv4 before IPv6; host bits last
    values = [
        "10.112.128.0/22",
        "10.112.0.0/15",
        "2001:db8::/32",
        "10.112.0.0/17",
        "9.0.0.0/8",
        "10.0.0.5/8",
        "10.0.0.1/24",
    ]
    assert sorted(values, key=inet_key) == [
        "9.0.0.0/8",
        "10.0.0.5/8",
        "10.0.0.1/24",
        "10.112.0.0/15",
        "10.112.0.0/17",
        "10.112.128.0/22",
        "2001:db8::/32",
    ]
