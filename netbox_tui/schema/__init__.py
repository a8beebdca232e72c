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
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

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

    def ambiguous_ref(self, target: str) -> bool:
        """Several of this model's own fields take `target` by id through filters of their own (a BGP
        session's import and export policies): which one a name means, only words can say."""
        own = {f.name for f in self.fields.values() if f.to == target}
        taking = [f for f in self.filters.values() if f.type == REF and f.to == target and f.key == "id"
                  and (f.name[:-3] if f.name.endswith("_id") else f.name) in own]
        return target != self.name and len(taking) > 1

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

    @property
    def nested(self) -> bool:
        """A tree (regions, site groups, locations…: a `parent` of its own kind): NetBox's counts on its
        rows are cumulative (North America's site_count holds every state's sites), so summed over a
        grouping they count an object once per ancestor."""
        parent = self.fields.get("parent")
        return parent is not None and parent.to == self.name


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

    def document(self) -> dict[str, Any]:
        """The generated data this schema was built from (what a snapshot carries)."""
        return {"netbox_version": self.netbox_version, "models": self._raw, "choices": self._raw_choices}

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

    @cached_property
    def _by_graphql_list(self) -> dict[str, str]:
        lists = ((name, (m.get("graphql") or {}).get("list")) for name, m in self._raw.items())
        return {field_name: name for name, field_name in lists if field_name}

    def by_graphql_list(self, field_name: str) -> Optional[Model]:
        """The model whose GraphQL list is `field_name` ("site_list"), building only that one."""
        name = self._by_graphql_list.get(field_name)
        return self.model(name) if name else None

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
        fields = {
            n: Field(
                n, f.get("t", "any"), f.get("to"), bool(f.get("many")), f.get("enum"), f.get("title", "")
            )
            for n, f in m["fields"].items()
        }
        filters = {
            n: Filter(
                n,
                f["t"],
                bool(f.get("multi", True)),
                frozenset(f.get("lookups", ())),
                frozenset(f.get("lookups1", ())),
                f.get("to"),
                f.get("key"),
                f.get("enum"),
                f.get("desc", ""),
            )
            for n, f in m.get("filters", {}).items()
        }
        gql = m.get("graphql") or {}
        return Model(name, m["path"], m["verbose"], m["label"], fields, filters, tuple(m.get("brief", ())),
                     gql.get("list"), frozenset(gql.get("fields", ())), self)


def _here() -> Optional[Path]:
    """This package's folder, if it is one (not inside a zip)."""
    here = Path(str(resources.files("netbox_tui.schema")))
    return here if here.is_dir() else None


def normalise_path(path: str) -> str:
    """'/api/dcim/devices/?x=1' -> 'dcim/devices/'."""
    path = path.split("?", 1)[0].strip("/")
    if path.startswith("api/"):
        path = path[4:]
    return path + "/" if path else ""


def compiled(slot: str, source: bytes, decode: Callable[[bytes], Any], near: Optional[Path] = None) -> Any:
    """`decode(source)` (a dict), kept as marshal keyed by the source's hash and this Python's
    version: a later start reads it back several times faster than JSON or TOML is parsed (start-up,
    issue 19). Kept like byte-code, in `near`'s __pycache__ (beside the shipped file), else in the
    user cache directory. Only plain data goes through it (dicts, lists, strings, numbers): marshal,
    unlike pickle, runs nothing while loading. Any read error is a miss and any write error is
    ignored; one file per `slot` and folder, so an older version of the source does not pile up."""
    import hashlib
    import marshal
    import os
    import sys
    import threading

    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    name = f"{slot}.{hashlib.sha256(source).hexdigest()[:24]}.{version}.marshal"
    folders = ([near / "__pycache__"] if near is not None else []) + [_user_cache()]
    for folder in folders:
        try:
            kept = marshal.loads((folder / name).read_bytes())
            if isinstance(kept, dict):
                return kept
        except (OSError, ValueError, EOFError, TypeError):
            pass
    data = decode(source)
    try:
        blob = marshal.dumps(data)
    except ValueError:  # a value marshal does not take (a TOML date): parsed each time
        return data
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
            tmp.write_bytes(blob)
            os.replace(tmp, folder / name)  # readers see the whole file or none
            for old in folder.glob(f"{slot}.*.marshal"):
                if old.name != name:
                    old.unlink(missing_ok=True)
            break
        except OSError:  # a read-only folder: the next one
            continue
    return data


def _user_cache() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("netbox-tui")) / "compiled"


@lru_cache(maxsize=1)
def shipped() -> Schema:
    """The schema shipped with the tool (NetBox 4.7.3 stock): the demo's, and the fallback."""
    raw = resources.files("netbox_tui.schema").joinpath("netbox.json.gz").read_bytes()
    return Schema(compiled("schema", raw, lambda gz: json.loads(gzip.decompress(gz)), near=_here()))


# The schema in force: the connected NetBox's own, once a session has learnt it (`use`); the shipped
# one until then. A process-wide slot rather than a per-session object, because the parser, planner,
# emulator and MCP tools all reach the schema through `load()`; a session sets it when it opens,
# before any question is classified.
_in_force: Optional[Schema] = None
_listeners: list[Callable[[], None]] = []


def load() -> Schema:
    return _in_force if _in_force is not None else shipped()


def use(schema: Optional[Schema]) -> Schema:
    """Make `schema` the one in force (None: the shipped one) and tell the caches derived from it."""
    global _in_force
    changed = (schema or shipped()) is not load()
    _in_force = schema
    if changed:
        for forget in list(_listeners):
            forget()
    return load()


def on_change(forget: Callable[[], None]) -> None:
    """Register what to forget when another schema comes into force (a cache built from it)."""
    if forget not in _listeners:
        _listeners.append(forget)
