"""Snapshot files: one gzip JSON document holding, read-only, what netbox-tui queries of a NetBox.

    {"format": "netbox-tui-snapshot", "version": 1, "url": …, "netbox_version": …, "taken_at": …,
     "status": {subset of /api/status/}, "endpoints": {"dcim/devices/": [full JSON rows…]},
     "brief_fields": {"dcim/devices/": [keys of a brief row]}, "traces": {"<interface id>": trace},
     "schema": {the schema layer's document of that NetBox: netbox_tui.schema.generate}}

This module reads, writes and describes the file. Exporting a NetBox lives in
`snapshot_save` (`run_save`), answering requests from a snapshot in `emulator`
(`SnapshotTransport`); both are re-exported here, imported lazily so that loading a snapshot
does not import the exporter and vice versa.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from netbox_tui.errors import ConfigError
from netbox_tui.terminal import strip as strip_terminal

FORMAT = "netbox-tui-snapshot"
DEMO_FILE = "demo-snapshot.json.gz"  # in netbox_tui/data/
VERSION = 1

# What `snapshot save` exports, read from the schema layer (`snapshot_endpoints`): every list
# endpoint of these apps whose model has a GraphQL list (so not the join tables
# dcim/cable-terminations/ and extras/tagged-objects/, whose content the cables' and objects' own
# rows hold), except device-type component templates (`…template`: definitions, not inventory),
# the token user's own tables and the server's script modules. An empty table is saved empty, so
# the snapshot answers "none" where NetBox does, not "not in this snapshot".
APPS = ("dcim", "ipam", "circuits", "virtualization", "tenancy", "extras", "vpn", "wireless")
NOT_SAVED = frozenset(
    {"extras.bookmark", "extras.notification", "extras.subscription", "extras.tableconfig", "extras.script"}
)


def snapshot_endpoints() -> tuple[str, ...]:
    from netbox_tui.schema import load as load_schema

    return tuple(
        m.path for m in load_schema().all()
        if m.app in APPS and m.graphql_list and not m.name.endswith("template") and m.name not in NOT_SAVED
    )


# Keys of /api/status/ worth keeping (the host name of the server is left out).
STATUS_KEYS = (
    "netbox-version",
    "netbox-full-version",
    "django-version",
    "python-version",
    "installed_apps",
    "plugins",
)


def _bad(path: Path, why: str) -> ConfigError:
    return ConfigError(
        f"snapshot {path}: {why}",
        "Pass a file written by `netbox-tui snapshot save`, or use --demo for the embedded demo data.",
    )


def load_snapshot(path: Path | str) -> dict[str, Any]:
    """The decoded snapshot document; ConfigError (one line, with a hint) if it is not one."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _bad(path, "no such file") from None
    except OSError as exc:
        raise _bad(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        data = _decode(path, raw)
    except (OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        raise _bad(path, f"not a gzip JSON snapshot ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _bad(path, "not a netbox-tui snapshot (no 'format' marker)")
    if data.get("version") != VERSION:
        raise _bad(
            path, f"snapshot format version {data.get('version')!r}; this netbox-tui reads version {VERSION}"
        )
    if not isinstance(data.get("endpoints"), dict):
        raise _bad(path, "has no 'endpoints'")
    for key in (
        "url",
        "netbox_version",
        "taken_at",
    ):  # printed as they are (labels, `snapshot info`): no terminal control
        if isinstance(data.get(key), str):
            data[key] = strip_terminal(data[key]).replace("\n", " ")
    return data


def _decode(path: Path, raw: bytes) -> Any:
    """The JSON document. The embedded demo's is kept decoded beside it (schema.compiled), so the
    next start skips gunzip and JSON, most of the demo's start-up; other snapshot files are parsed
    each time (a copy of each file met would pile up in the cache)."""
    def parse(blob: bytes) -> Any:
        return json.loads(gzip.decompress(blob) if blob[:2] == b"\x1f\x8b" else blob)

    data_dir = Path(str(resources.files("netbox_tui").joinpath("data"))).resolve()
    if path.name != DEMO_FILE or path.resolve().parent != data_dir:
        return parse(raw)
    from netbox_tui.schema import compiled

    return compiled("demo-snapshot", raw, parse, near=data_dir)


def encode_snapshot(data: dict[str, Any]) -> bytes:
    """Compact JSON, gzip'ed with no timestamp or file name: the same data gives the same bytes."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def write_snapshot(path: Path | str, data: dict[str, Any]) -> int:
    """Write atomically: a temp file in the same directory, fsync'ed, then renamed over `path`.

    An interrupted save leaves either the old file or none, never a half-written one.
    Returns the size in bytes.
    """
    path = Path(path)
    payload = encode_snapshot(data)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, _file_mode(path))  # mkstemp makes 0600; a snapshot is an ordinary file
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    return len(payload)


def _file_mode(path: Path) -> int:
    """The existing file's mode, else 0666 less the umask (what open() would have made)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def describe_snapshot(path: Path | str) -> str:
    """What `netbox-tui snapshot info FILE` prints."""
    path = Path(path)
    data = load_snapshot(path)
    size = path.stat().st_size
    lines = [
        f"{path}: netbox-tui snapshot (format version {data['version']}), {size / 1e6:.2f} MB",
        f"  NetBox {data.get('netbox_version') or '?'} at {data.get('url') or '?'}",
        f"  taken at {data.get('taken_at') or '?'}",
    ]
    schema = data.get("schema")
    if isinstance(schema, dict) and isinstance(schema.get("models"), dict):
        lines.append(f"  carries the schema of that NetBox: {len(schema['models'])} models")
    else:
        lines.append("  carries no schema: answered with the schema netbox-tui ships")
    endpoints = data["endpoints"]
    total = sum(len(rows) for rows in endpoints.values())
    lines.append(
        f"  {total} objects in {len(endpoints)} endpoints, {len(data.get('traces') or {})} cable traces"
    )
    width = max((len(p) for p in endpoints), default=0)
    for name in sorted(endpoints):
        lines.append(f"    {name:<{width}}  {len(endpoints[name]):>6}")
    return "\n".join(lines)


def __getattr__(name: str) -> Any:  # lazy re-exports (PEP 562)
    if name == "ENDPOINTS":
        return snapshot_endpoints()
    if name == "SnapshotTransport":
        from netbox_tui.netbox.emulator import SnapshotTransport

        return SnapshotTransport
    if name in ("run_save", "export_snapshot"):
        from netbox_tui.netbox import snapshot_save

        return getattr(snapshot_save, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
