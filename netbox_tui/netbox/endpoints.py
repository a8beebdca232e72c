"""What the client knows of each NetBox list endpoint: its model and its filter names.

Generated from NetBox 4.7's OpenAPI schema by scripts/gen-endpoints.py. NetBox ignores unknown
filters and returns the whole table, so names are checked here before a request is built.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

from netbox_tui.errors import UnknownFilterError

# Paging and shaping parameters: valid on every endpoint.
CONTROL_PARAMS = frozenset({"limit", "offset", "brief", "fields", "omit", "ordering", "start", "format"})
# Detail and special endpoints (…/{id}/, …/{id}/trace/, available-ips…) take only these.
DETAIL_PARAMS = frozenset({"limit", "offset", "brief", "fields", "omit", "format"})


@dataclass(frozen=True)
class Endpoint:
    path: str  # "dcim/devices/"
    model: str  # "dcim.device"
    multi: frozenset[str]  # filters that OR repeated values
    single: frozenset[str]  # filters that take one value (NetBox keeps the last)

    def accepts(self, name: str) -> bool:
        return name in CONTROL_PARAMS or name in self.multi or name in self.single

    def close_names(self, name: str, n: int = 3) -> list[str]:
        from rapidfuzz import process

        names = sorted(self.multi | self.single)
        return [m for m, _, _ in process.extract(name, names, limit=n)]


class EndpointRegistry:
    def __init__(self, endpoints: dict[str, Endpoint], netbox_version: str = "") -> None:
        self._by_path = endpoints
        self._by_model = {e.model: e for e in endpoints.values()}
        self.netbox_version = netbox_version

    @classmethod
    def load(cls) -> "EndpointRegistry":
        return _load_default()

    @staticmethod
    def normalise(path: str) -> str:
        path = path.split("?", 1)[0].strip("/")
        if path.startswith("api/"):
            path = path[4:]
        return path + "/" if path else ""

    def get(self, path: str) -> Endpoint | None:
        return self._by_path.get(self.normalise(path))

    def for_model(self, model: str) -> Endpoint:
        return self._by_model[model]

    def model_of(self, path: str) -> str | None:
        ep = self.get(path)
        return ep.model if ep else None

    def check(self, path: str, names: Iterable[str]) -> None:
        """Raise UnknownFilterError for a name the endpoint does not know (NetBox would ignore it)."""
        norm = self.normalise(path)
        ep = self._by_path.get(norm)
        names = set(names)
        if ep is None:
            if norm == "graphql/" or norm == "status/" or norm == "authentication-check/":
                allowed: frozenset[str] = frozenset()
            elif _is_detail(norm, self._by_path):
                allowed = DETAIL_PARAMS
            else:
                raise UnknownFilterError(
                    f"unknown endpoint /api/{norm}",
                    "netbox-tui only queries the endpoints it knows (dcim, ipam, circuits, virtualization, tenancy, extras).",
                )
            bad = sorted(names - allowed)
            if bad:
                raise UnknownFilterError(f"/api/{norm} takes no parameter {bad[0]!r}")
            return
        for name in sorted(names):
            if not ep.accepts(name):
                close = ", ".join(ep.close_names(name))
                raise UnknownFilterError(
                    f"/api/{norm} has no filter {name!r} (NetBox would ignore it and return the whole table)",
                    f"Did you mean one of: {close}?" if close else None,
                )


def _is_detail(norm: str, known: dict[str, Endpoint]) -> bool:
    """`dcim/interfaces/12/`, `dcim/interfaces/12/trace/`, `ipam/prefixes/3/available-ips/`."""
    parts = norm.strip("/").split("/")
    return len(parts) >= 3 and parts[2].isdigit() and f"{parts[0]}/{parts[1]}/" in known


@lru_cache(maxsize=1)
def _load_default() -> EndpointRegistry:
    raw = resources.files("netbox_tui").joinpath("data/endpoints.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw))
    eps = {
        path: Endpoint(path, e["model"], frozenset(e["multi"]), frozenset(e["single"]))
        for path, e in data["endpoints"].items()
    }
    return EndpointRegistry(eps, data.get("netbox_version", ""))
