"""What the client knows of each NetBox list endpoint: its model and its filter names.

Read from the schema layer (netbox_tui/schema, generated from NetBox's own OpenAPI schema by
scripts/gen-schema.py). NetBox ignores unknown filters and returns the whole table, so names are
checked here before a request is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from netbox_tui.errors import UnknownFilterError
from netbox_tui.schema import load as load_schema
from netbox_tui.schema import normalise_path

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
    def __init__(
        self, endpoints: dict[str, Endpoint], netbox_version: str = "", *, lazy: bool = False
    ) -> None:
        self._by_path = endpoints
        self._by_model = {e.model: e for e in endpoints.values()}
        self.netbox_version = netbox_version
        self._lazy = lazy  # endpoints read from the schema layer on first use

    @classmethod
    def load(cls) -> "EndpointRegistry":
        return _load_default()

    @staticmethod
    def normalise(path: str) -> str:
        return normalise_path(path)

    def get(self, path: str) -> Endpoint | None:
        norm = self.normalise(path)
        found = self._by_path.get(norm)
        if found is None and self._lazy:
            m = load_schema().by_path(norm)
            if m is not None:
                found = self._by_path[norm] = _endpoint(m)
                self._by_model[m.name] = found
        return found

    def for_model(self, model: str) -> Endpoint:
        if model not in self._by_model and self._lazy:
            self.get(load_schema().model(model).path)
        return self._by_model[model]

    def model_of(self, path: str) -> str | None:
        ep = self.get(path)
        return ep.model if ep else None

    def check(self, path: str, names: Iterable[str]) -> None:
        """Raise UnknownFilterError for a name the endpoint does not know (NetBox would ignore it)."""
        norm = self.normalise(path)
        ep = self.get(norm)
        names = set(names)
        if ep is None:
            if norm == "graphql/" or norm == "status/" or norm == "authentication-check/":
                allowed: frozenset[str] = frozenset()
            elif _is_detail(norm, self):
                allowed = DETAIL_PARAMS
            else:
                raise UnknownFilterError(
                    f"unknown endpoint /api/{norm}",
                    "netbox-tui only queries the endpoints it knows (dcim, ipam, circuits, "
                    "virtualization, tenancy, extras).",
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


def _is_detail(norm: str, registry: "EndpointRegistry") -> bool:
    """`dcim/interfaces/12/`, `dcim/interfaces/12/trace/`, `ipam/prefixes/3/available-ips/`."""
    parts = norm.strip("/").split("/")
    return len(parts) >= 3 and parts[2].isdigit() and registry.get(f"{parts[0]}/{parts[1]}/") is not None


def _endpoint(m: object) -> Endpoint:
    multi = frozenset(n for n, many in m.param_names.items() if many)  # type: ignore[attr-defined]
    single = frozenset(n for n, many in m.param_names.items() if not many)  # type: ignore[attr-defined]
    return Endpoint(m.path, m.name, multi, single)  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _load_default() -> EndpointRegistry:
    return EndpointRegistry({}, load_schema().netbox_version, lazy=True)
