"""What netbox-tui knows of NetBox: models, fields, filters and choices, from NetBox's own schema.

`netbox.json.gz` is generated from a real NetBox's OpenAPI schema and GraphQL introspection by
`scripts/gen-schema.py`; nothing in it is written by hand. `vocab.toml` beside it holds what no
schema says (the words people use, the columns a table shows, where a row leads) and is read by
`netbox_tui.schema.vocab`. Every other module asks here instead of keeping its own table.

This package imports nothing else from netbox_tui: the client, the core and the front-ends all
build on it.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, Iterable, Optional

# Field and filter types, as the generator writes them.
FK = "fk"  # a field holding a nested object of another model (`to`)
CHOICE = "choice"  # a field or filter with a fixed list of values (`enum`)
REF = "ref"  # a filter taking objects of another model, by `key` (id, slug, name)
BOOL, NUM, INT, STR = "bool", "num", "int", "str"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # fk, choice, int, num, bool, str, date, object, any
    to: Optional[str] = None  # the model a foreign key points to
    many: bool = False
    enum: Optional[str] = None
    title: str = ""

    @property
    def words(self) -> str:
        """How NetBox's UI names it: its title ("Position (U)" -> "position"), else the name."""
        title = self.title.split("(")[0].strip() if self.title else ""
        return (title or self.name.replace("_", " ")).lower()


@dataclass(frozen=True)
class Filter:
    name: str  # base name, without lookup: "site_id", "enabled", "description"
    type: str  # ref, choice, num, bool, str
    multi: bool = True  # repeated values are OR'ed (False: NetBox keeps the last one)
    lookups: frozenset[str] = frozenset()  # repeatable lookups: "n", "ic", "lt"…
    lookups1: frozenset[str] = frozenset()  # one-value lookups: "empty"
    to: Optional[str] = None  # the model a ref filter takes
    key: Optional[str] = None  # what it takes of that model: "id", "slug", "name"
    enum: Optional[str] = None
    desc: str = ""

    def params(self) -> Iterable[tuple[str, bool]]:
        """Every query parameter this filter gives, with whether it takes repeated values."""
        yield self.name, self.multi
        for lk in self.lookups:
            yield f"{self.name}__{lk}", True
        for lk in self.lookups1:
            yield f"{self.name}__{lk}", False


@dataclass(frozen=True)
class Model:
    name: str  # "dcim.device", as NetBox's object_type fields spell it
    path: str  # "dcim/devices/"
    verbose: str  # "device", "power feed", "ASN"
    label: str  # the field people name objects by: name, model, cid, address, prefix…
    fields: dict[str, Field]
    filters: dict[str, Filter]
    brief: tuple[str, ...] = ()
    graphql_list: Optional[str] = None  # "site_list"
    graphql_fields: frozenset[str] = frozenset()
    schema: Any = field(default=None, compare=False, repr=False)

    @property
    def app(self) -> str:
        return self.name.split(".")[0]

    @cached_property
    def param_names(self) -> dict[str, bool]:
        """Every accepted query parameter -> takes repeated values."""
        return {name: multi for f in self.filters.values() for name, multi in f.params()}

    def accepts(self, param: str) -> bool:
        return param in self.param_names

    def ref_filter(self, target: str, key: str = "id") -> Optional[Filter]:
        """The filter of this endpoint that takes objects of model `target` by `key`.

        When several do ("site_id", "parent_id"…), the one named after one of this model's own
        fields wins (a device's `role_id`, not some other role), then the shortest name.
        """
        found = [f for f in self.filters.values() if f.type == REF and f.to == target and f.key == key]
        if not found:
            return None

        def rank(f: Filter) -> tuple[int, int, str]:
            stem = f.name[:-3] if f.name.endswith("_id") else f.name
            own = self.fields.get(stem)
            return (0 if own is not None and own.to == target else 1, len(f.name), f.name)

        return sorted(found, key=rank)[0]

    def field_to(self, target: str) -> Optional[Field]:
        """This model's own field that points to `target` (a device's `site`, an interface's `device`)."""
        found = [f for f in self.fields.values() if f.type == FK and f.to == target]
        return sorted(found, key=lambda f: (f.many, len(f.name)))[0] if found else None

    def choices(self, name: str) -> list[Choice]:
        """The values a choice field or filter takes (the filter's list when both exist)."""
        enum = (self.filters.get(name) or self.fields.get(name) or Field(name, "")).enum
        return self.schema.choices(enum) if enum and self.schema else []

    def count_field(self, other: str) -> Optional[str]:
        """The annotated count of another model's objects ("vlan_count" on sites), if NetBox has one."""
        name = other.split(".")[1] + "_count"
        return name if name in self.fields else None


class Schema:
    """Models are built from the generated data on first use: start-up reads only the JSON."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.netbox_version: str = data.get("netbox_version", "")
        self._raw: dict[str, Any] = data["models"]
        self._raw_choices: dict[str, list] = data.get("choices", {})
        self._models: dict[str, Model] = {}
        self._by_path = {m["path"]: name for name, m in self._raw.items()}

    @property
    def names(self) -> list[str]:
        return list(self._raw)

    def verbose(self, name: str) -> str:
        return self._raw[name]["verbose"]

    def model(self, name: str) -> Model:
        found = self._models.get(name)
        if found is None:
            found = self._models[name] = self._build(name, self._raw[name])
        return found

    def get(self, name: str) -> Optional[Model]:
        return self.model(name) if name in self._raw else None

    def all(self) -> list[Model]:
        return [self.model(n) for n in self._raw]

    def by_path(self, path: str) -> Optional[Model]:
        name = self._by_path.get(normalise_path(path))
        return self.model(name) if name else None

    def choices(self, enum: Optional[str]) -> list[Choice]:
        return [Choice(v, label) for v, label in self._raw_choices.get(enum or "", [])]

    def referencing(self, target: str) -> list[tuple[Model, Field]]:
        """Models with a field pointing to `target`, and that field: the reverse relations."""
        out = []
        for m in self.all():
            f = m.field_to(target)
            if f is not None and m.name != target:
                out.append((m, f))
        return out

    def _build(self, name: str, m: dict[str, Any]) -> Model:
        fields = {n: Field(n, f.get("t", "any"), f.get("to"), bool(f.get("many")), f.get("enum"), f.get("title", ""))
                  for n, f in m["fields"].items()}
        filters = {n: Filter(n, f["t"], bool(f.get("multi", True)), frozenset(f.get("lookups", ())), frozenset(f.get("lookups1", ())),
                             f.get("to"), f.get("key"), f.get("enum"), f.get("desc", ""))
                   for n, f in m.get("filters", {}).items()}
        gql = m.get("graphql") or {}
        return Model(name, m["path"], m["verbose"], m["label"], fields, filters, tuple(m.get("brief", ())),
                     gql.get("list"), frozenset(gql.get("fields", ())), self)


def normalise_path(path: str) -> str:
    """'/api/dcim/devices/?x=1' -> 'dcim/devices/'."""
    path = path.split("?", 1)[0].strip("/")
    if path.startswith("api/"):
        path = path[4:]
    return path + "/" if path else ""


@lru_cache(maxsize=1)
def load() -> Schema:
    raw = resources.files("netbox_tui.schema").joinpath("netbox.json.gz").read_bytes()
    return Schema(json.loads(gzip.decompress(raw)))
