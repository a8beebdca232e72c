"""Where the schemas read from connected NetBoxes are kept: one gzip JSON file per NetBox URL,
version and plugin set, in the user's cache directory.

A NetBox's OpenAPI schema changes only with its version and its plugins (custom fields are not in
it), so that triple is the key: an upgrade or a new plugin is a new file, read once. A pointer per
URL names the last one read, for when /api/status/ cannot be read (NetBox down, a stale answer).
No network here (`netbox_tui.netbox.live_schema` reads NetBox); this module imports only the
schema layer.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

from netbox_tui.schema import Schema

FORMAT = "netbox-tui-schema"


@lru_cache(maxsize=1)
def _generator() -> str:
    """The generator's own identity: a schema made by an older generate.py (before a model was added to
    what it keeps, say) is made again, not served from disk."""
    return hashlib.sha256(Path(__file__).with_name("generate.py").read_bytes()).hexdigest()[:16]


def schema_key(url: str, version: str, plugins: Mapping[str, Any]) -> str:
    """A file name for (URL, version, plugins and their versions, the generator): stable, no URL in clear."""
    ident = json.dumps([url.rstrip("/"), version, sorted((str(k), str(v)) for k, v in plugins.items()),
                        _generator()])
    return hashlib.sha256(ident.encode()).hexdigest()[:24]


def _url_key(url: str) -> str:
    return hashlib.sha256(url.rstrip("/").encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Stored:
    schema: Schema
    path: Path
    version: str
    plugins: dict[str, str]
    read_at: str  # ISO UTC: when it was read from NetBox


class SchemaStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, url: str, version: str, plugins: Mapping[str, Any]) -> Path:
        return self.directory / f"{schema_key(url, version, plugins)}.json.gz"

    def get(self, url: str, version: str, plugins: Mapping[str, Any]) -> Optional[Stored]:
        return self._read(self.path_for(url, version, plugins))

    def last(self, url: str) -> Optional[Stored]:
        """The schema last read from `url`, whatever its version."""
        try:
            name = (self.directory / f"{_url_key(url)}.last").read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return self._read(self.directory / name) if name.endswith(".json.gz") and "/" not in name else None

    def put(self, url: str, version: str, plugins: Mapping[str, Any], document: dict[str, Any]) -> Stored:
        path = self.path_for(url, version, plugins)
        read_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        said = {str(k): str(v) for k, v in plugins.items()}
        body = {"format": FORMAT, "version": version, "plugins": said, "read_at": read_at, "schema": document}
        self.directory.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, gzip.compress(json.dumps(body, separators=(",", ":")).encode(), mtime=0))
        _atomic_write(self.directory / f"{_url_key(url)}.last", path.name.encode())
        return Stored(Schema(document), path, version, said, read_at)

    def _read(self, path: Path) -> Optional[Stored]:
        """The stored schema, or None when absent or unreadable (then it is read again from NetBox)."""
        try:
            body = json.loads(gzip.decompress(path.read_bytes()))
            if body.get("format") != FORMAT or not isinstance(body["schema"].get("models"), dict):
                return None
            return Stored(Schema(body["schema"]), path, str(body.get("version", "")),
                          dict(body.get("plugins") or {}), str(body.get("read_at", "")))
        except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
            return None


def _atomic_write(path: Path, payload: bytes) -> None:
    """A temp file renamed over `path`: two processes reading the same NetBox never see half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
