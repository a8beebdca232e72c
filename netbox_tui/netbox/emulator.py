"""`SnapshotTransport`: an httpx transport that answers NetBox REST requests from a snapshot.

It runs in-process under the normal `NetBoxClient`, so `--demo` and `--snapshot FILE` go through
the same client stack as a live NetBox. It reproduces NetBox 4.7's REST semantics for what
netbox-tui uses, checked against a real NetBox by tests/contract:

- list endpoints: filters (per-model tables in `emulator_spec`; repeated values OR'ed, lookups
  `__n __ic __nic __isw __nisw __iew __niew __ie __nie __empty __regex __iregex` on text,
  `__n __lt __lte __gt __gte __empty` on numbers, `__n` on foreign keys, `q`), NetBox's default
  ordering per model and `ordering=`, limit/offset paging (default 50, max 1000, `limit=0` ->
  1000) with `count`/`next`/`previous` built as NetBox builds them, cursor paging (`start`),
  `brief`, `fields=`, `omit=`;
- detail GET, `/api/status/`, `/api/dcim/interfaces/{id}/trace/` (saved traces),
  `/api/ipam/prefixes/{id}/available-ips/` and `available-prefixes/` (computed);
- NetBox's errors: 400 `{"filter": ["message"]}` for bad values, 404 `{"detail": …}` for an
  unknown id, an HTML 404 for an unknown URL, a 301 for a missing trailing slash.

- `POST /graphql/`: the subset of GraphQL netbox-tui sends (`emulator_graphql`).

A filter that NetBox accepts but this emulator does not implement is a 400 naming it, never
silently ignored (NetBox ignores only names it does not know); GraphQL outside the subset is a
GraphQL error saying so.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from netbox_tui.netbox.collation import c_key, inet_key, natural_key
from netbox_tui.netbox.emulator_graphql import execute as execute_graphql
from netbox_tui.netbox.emulator_spec import (
    BOOL,
    CHOICE,
    CUSTOM,
    DEC,
    FK,
    ISNULL,
    ITEXT,
    NUM,
    TAG,
    TEXT,
    TREE,
    Filter,
    Invalid,
    ModelSpec,
    Term,
    parse_bool,
    ref_id,
    scalar,
    spec_for,
    walk,
)
from netbox_tui.netbox.endpoints import EndpointRegistry

PAGINATE_COUNT = 50
MAX_PAGE_SIZE = 1000

TEXT_LOOKUPS = frozenset(
    {"n", "ic", "nic", "iew", "niew", "isw", "nisw", "ie", "nie", "empty", "regex", "iregex"}
)
NUM_LOOKUPS = frozenset({"n", "lt", "lte", "gt", "gte", "empty"})
LOOKUPS = {
    NUM: NUM_LOOKUPS,
    DEC: NUM_LOOKUPS,
    TEXT: TEXT_LOOKUPS,
    ITEXT: TEXT_LOOKUPS,
    CHOICE: TEXT_LOOKUPS,
    FK: frozenset({"n"}),
    TREE: frozenset({"n"}),
    TAG: frozenset({"n", "any"}),
}
CONTROL = frozenset({"limit", "offset", "brief", "fields", "omit", "ordering", "start", "format"})

_HTML_404 = (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\" /><title>Page Not Found | "
    "NetBox</title></head>"
    "<body><h1>Page Not Found</h1><p>The requested page does not exist (netbox-tui "
    "snapshot).</p></body></html>\n"
)


class _Reply(Exception):
    """Raised anywhere in request handling to answer at once."""

    def __init__(
        self, status: int, body: Any, *, html: bool = False, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.html = html
        self.headers = headers or {}


def _not_implemented(what: str) -> _Reply:
    return _Reply(400, {"detail": f"snapshot backend does not implement {what}"})


# -- the data --------------------------------------------------------------------------------------


class Store:
    """The snapshot's tables, with the lookups filters and orderings need. Indexes are built lazily."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.endpoints: dict[str, list[dict[str, Any]]] = data["endpoints"]
        self.traces: dict[str, Any] = data.get("traces") or {}
        self.brief_fields: dict[str, list[str]] = data.get("brief_fields") or {}
        self.status: dict[str, Any] = data.get("status") or {}
        self._by_id: dict[str, dict[int, dict[str, Any]]] = {}
        self._ordered: dict[str, list[dict[str, Any]]] = {}
        self._rank: dict[str, dict[int, int]] = {}
        self._children: dict[str, dict[int | None, list[int]]] = {}
        self._url_cache: dict[str, dict[str, Any] | None] = {}
        self._reverse: dict[tuple[str, str], dict[int, list[dict[str, Any]]]] = {}
        self._natural: dict[str, tuple] = {}

    def has(self, path: str) -> bool:
        return path in self.endpoints

    def rows(self, path: str) -> list[dict[str, Any]]:
        return self.endpoints.get(path, [])

    def get(self, path: str, pk: Any) -> dict[str, Any] | None:
        index = self._by_id.get(path)
        if index is None:
            index = self._by_id[path] = {r["id"]: r for r in self.rows(path)}
        return index.get(pk)

    def full(self, ref: Any) -> dict[str, Any] | None:
        """The full object behind a nested reference ({"id", "url", …}), if the snapshot holds it."""
        if not isinstance(ref, dict):
            return None
        url = ref.get("url")
        if not isinstance(url, str):
            return None
        if url in self._url_cache:
            return self._url_cache[url]
        found = None
        tail = url.split("/api/", 1)[-1].strip("/").split("/")
        if len(tail) == 3 and tail[2].isdigit():
            found = self.get(f"{tail[0]}/{tail[1]}/", int(tail[2]))
        self._url_cache[url] = found
        return found

    def ordered(self, path: str) -> list[dict[str, Any]]:
        """All rows of `path` in NetBox's default ordering of the model."""
        rows = self._ordered.get(path)
        if rows is None:
            spec = spec_for(path)
            rows = self.rows(path)
            if spec is not None:
                rows = sort_rows(self, spec, rows, [(t, False) for t in spec.order])
            else:
                rows = sorted(rows, key=lambda r: r["id"])
            self._ordered[path] = rows
        return rows

    def rank(self, path: str, pk: int) -> int:
        index = self._rank.get(path)
        if index is None:
            index = self._rank[path] = {r["id"]: i for i, r in enumerate(self.ordered(path))}
        return index.get(pk, len(index))

    def descendants(self, path: str, ids: Iterable[int]) -> set[int]:
        """`ids` and every node below them in the `parent` tree of `path` (regions, locations…)."""
        children = self._children.get(path)
        if children is None:
            children = {}
            for r in self.rows(path):
                parent = r.get("parent")
                children.setdefault(parent["id"] if isinstance(parent, dict) else None, []).append(r["id"])
            self._children[path] = children
        out: set[int] = set()
        stack = list(ids)
        while stack:
            node = stack.pop()
            if node in out:
                continue
            out.add(node)
            stack.extend(children.get(node, ()))
        return out

    def ancestors_names(self, path: str, row: dict[str, Any]) -> list[str]:
        chain = [row.get("name") or ""]
        seen = {row["id"]}
        parent = row.get("parent")
        while isinstance(parent, dict) and parent.get("id") not in seen:
            seen.add(parent["id"])
            node = self.get(path, parent["id"])
            if node is None:
                break
            chain.append(node.get("name") or "")
            parent = node.get("parent")
        return chain[::-1]

    def referencing(self, path: str, field: str, pk: int) -> list[dict[str, Any]]:
        """Rows of `path` whose `field` (a nested reference) points at `pk`: a reverse relation."""
        index = self._reverse.get((path, field))
        if index is None:
            index = {}
            for r in self.rows(path):
                ref = r.get(field)
                if isinstance(ref, dict) and "id" in ref:
                    index.setdefault(ref["id"], []).append(r)
            self._reverse[(path, field)] = index
        return index.get(pk, [])

    def natural(self, value: str) -> tuple:
        key = self._natural.get(value)
        if key is None:
            key = self._natural[value] = natural_key(value)
        return key


# -- ordering ----------------------------------------------------------------------------------------


def _term_key(store: Store, spec: ModelSpec, term: Term) -> Callable[[dict[str, Any]], Any]:
    kind = term.kind
    path = term.path

    def first(row: dict[str, Any]) -> Any:
        if term.fn is not None:
            return term.fn(store, row)
        vals = walk(store, spec, row, path)
        return vals[0] if vals else None

    def wrap(inner: Callable[[Any], Any]) -> Callable[[dict[str, Any]], Any]:
        nulls = 0 if term.nulls_first else 2

        def key(row: dict[str, Any]) -> Any:
            v = first(row)
            if v is None:
                return (nulls,)
            return (1, inner(v))

        return key

    if kind == "nat":
        return wrap(lambda v: store.natural(str(v)))
    if kind == "c":
        return wrap(lambda v: c_key(str(scalar(v))))
    if kind == "num":
        return wrap(lambda v: scalar(v))
    if kind == "bool":
        return wrap(lambda v: bool(v))
    if kind == "inet":
        return wrap(lambda v: inet_key(str(v)))
    if kind == "raw":
        return wrap(lambda v: v)
    if kind == "ref":  # a foreign key: the related model's own default ordering
        return wrap(lambda v: store.rank(term.target, ref_id(v)) if term.target else ref_id(v))
    if kind == "refid":  # F('vrf'): the raw foreign key value
        return wrap(ref_id)
    raise ValueError(f"unknown ordering kind {kind!r}")


def sort_rows(
    store: Store, spec: ModelSpec, rows: list[dict[str, Any]], terms: list[tuple[Term, bool]]
) -> list[dict[str, Any]]:
    """Stable multi-key sort, last term first (each term ascending or descending)."""
    out = list(rows)
    for term, desc in reversed(terms):
        key = _term_key(store, spec, term)
        out.sort(key=key, reverse=desc)
    return out


def ordering_terms(store: Store, spec: ModelSpec, raw: str) -> list[tuple[Term, bool]]:
    """`?ordering=a,-b`: DRF's OrderingFilter over serializer fields; unknown names are dropped."""
    terms: list[tuple[Term, bool]] = []
    rows = store.rows(spec.path)
    sample = rows[0] if rows else {}
    for part in raw.split(","):
        part = part.strip()
        desc = part.startswith("-")
        name = part.lstrip("-")
        if not name or not re.match(r"^[\w]+$", name):
            continue
        if name in spec.order_fields:
            term = spec.order_fields[name]
        elif name in ("id", "pk"):
            term = Term(("id",), "num")
        elif name in sample and name not in ("url", "display", "display_url"):
            guessed = _guess_term(store, name, rows)
            if guessed is None:
                continue
            term = guessed
        else:
            continue
        if term.expand:
            terms.extend((t, desc) for t in term.expand)
        else:
            terms.append((term, desc))
    return terms


def _guess_term(store: Store, name: str, rows: list[dict[str, Any]]) -> Term | None:
    for r in rows:
        v = r.get(name)
        if v is None:
            continue
        if isinstance(v, dict) and "url" in v:
            url = v["url"].split("/api/", 1)[-1].strip("/").split("/")
            return Term((name,), "ref", target=f"{url[0]}/{url[1]}/")
        if isinstance(v, dict) and "value" in v:
            return Term((name,), "num" if isinstance(v["value"], (int, float)) else "c")
        if isinstance(v, bool):
            return Term((name,), "bool")
        if isinstance(v, (int, float)):
            return Term((name,), "num")
        if isinstance(v, str):
            return Term((name,), "c")
        return None
    return Term((name,), "c")


# -- filtering ---------------------------------------------------------------------------------------


def _resolve(spec: ModelSpec, name: str) -> tuple[Filter, str] | None:
    f = spec.filters.get(name)
    if f is not None:
        return f, "exact"
    if "__" in name:
        base, lookup = name.rsplit("__", 1)
        f = spec.filters.get(base)
        if f is not None and lookup in LOOKUPS.get(f.kind, ()):
            return f, lookup
    return None


def _parse_int(v: str) -> int:
    s = v.strip()
    s = re.sub(r"\.0*$", "", s)  # Django's IntegerField accepts "5.0"
    try:
        return int(s)
    except ValueError:
        raise Invalid("Enter a whole number.") from None


def _parse_dec(v: str) -> float:
    try:
        out = float(v.strip())
    except ValueError:
        raise Invalid("Enter a number.") from None
    if math.isnan(out) or math.isinf(out):
        raise Invalid("Enter a number.")
    return out


def _invalid_choice(v: str) -> Invalid:
    return Invalid(f"Select a valid choice. {v} is not one of the available choices.")


def _text_op(lookup: str, kind: str, values: list[str]) -> Callable[[Any], bool]:
    """Match one stored value against any of `values` with a char lookup (negations handled by caller)."""
    if lookup in ("exact", "n"):
        if kind == ITEXT and lookup == "exact":
            wanted = {v.upper() for v in values}
            return lambda x: x is not None and str(x).upper() in wanted
        exact = set(values)
        return lambda x: x is not None and str(x) in exact
    ups = [v.upper() for v in values]
    if lookup in ("ic", "nic"):
        return lambda x: x is not None and any(u in str(x).upper() for u in ups)
    if lookup in ("ie", "nie"):
        return lambda x: x is not None and str(x).upper() in ups
    if lookup in ("isw", "nisw"):
        return lambda x: x is not None and any(str(x).upper().startswith(u) for u in ups)
    if lookup in ("iew", "niew"):
        return lambda x: x is not None and any(str(x).upper().endswith(u) for u in ups)
    if lookup in ("regex", "iregex"):
        flags = re.IGNORECASE if lookup == "iregex" else 0
        try:
            patterns = [re.compile(v, flags) for v in values]
        except re.error:
            raise Invalid("Invalid regular expression.") from None
        return lambda x: x is not None and any(p.search(str(x)) for p in patterns)
    raise AssertionError(lookup)


def build_predicate(
    store: Store, spec: ModelSpec, f: Filter, lookup: str, values: list[str]
) -> Callable[[dict[str, Any]], bool] | None:
    """The row predicate of one filter, or None when NetBox would not filter at all."""
    kind = f.kind

    def vals(row: dict[str, Any]) -> list[Any]:
        return walk(store, spec, row, f.path)

    if kind == CUSTOM:
        assert f.fn is not None
        return f.fn(store, spec, values)

    if kind in (FK, TREE, TAG) and f.target and not store.has(f.target):
        # Values are checked against the referenced table: without it, no honest answer.
        raise _not_implemented(f"filter on {f.target} objects (not in this snapshot)")

    if lookup == "empty" or kind in (BOOL, ISNULL):
        b = parse_bool(values[-1]) if values else None
        if b is None:
            return None
        if lookup == "empty":
            if kind in (NUM, DEC):
                return lambda r: all(scalar(x) is None for x in vals(r)) == b
            return lambda r: all(scalar(x) is None or scalar(x) == "" for x in vals(r)) == b
        if kind == ISNULL:  # `cabled`: exclude(cable__isnull=value)
            return lambda r: any(x is not None for x in vals(r)) == b
        return lambda r: any(scalar(x) is b for x in vals(r))

    negate = lookup in ("n", "nic", "nie", "nisw", "niew")

    if kind in (NUM, DEC):
        parse = _parse_int if kind == NUM else _parse_dec
        nums = [parse(v) for v in values if v != ""]
        if not nums:
            return None
        if lookup in ("exact", "n"):
            wanted = set(nums)

            def match(x: Any) -> bool:
                return x is not None and x in wanted
        elif lookup == "lt":
            def match(x: Any) -> bool:
                return x is not None and any(x < n for n in nums)
        elif lookup == "lte":
            def match(x: Any) -> bool:
                return x is not None and any(x <= n for n in nums)
        elif lookup == "gt":
            def match(x: Any) -> bool:
                return x is not None and any(x > n for n in nums)
        else:
            def match(x: Any) -> bool:
                return x is not None and any(x >= n for n in nums)
    elif kind in (TEXT, ITEXT, CHOICE):
        values = [v for v in values if v != ""]
        if not values:
            return None
        if kind == CHOICE and f.choices is not None:
            for v in values:
                if v not in f.choices:
                    raise _invalid_choice(v)
        op = _text_op(lookup, kind, values)
        def match(x: Any) -> bool:
            return op(scalar(x))
    elif kind == TAG:
        ids, _ = _fk_ids(store, f, values)
        if not ids:
            return None

        def tagged(r: dict[str, Any]) -> set[Any]:
            return {ref_id(x) for x in vals(r)}

        if lookup == "exact":  # conjoined: every tag
            return lambda r: ids <= tagged(r)
        if lookup == "any":
            return lambda r: bool(ids & tagged(r))
        return lambda r: not (ids & tagged(r))
    elif kind in (FK, TREE):
        ids, want_null = _fk_ids(store, f, values)
        if kind == TREE and f.target:
            ids = store.descendants(f.target, ids)
        def match(x: Any) -> bool:
            return (ref_id(x) in ids) if x is not None else want_null
    else:  # pragma: no cover - the spec only uses the kinds above
        raise AssertionError(kind)

    if negate:
        return lambda r: not any(match(x) for x in vals(r))
    return lambda r: any(match(x) for x in vals(r))


def _custom_field_predicate(store: Store, model: str, name: str,
                            values: list[str]) -> Callable[[dict[str, Any]], bool] | None:
    """`cf_<name>[__lookup]` as NetBox 4.7 filters it by the field's type (None: NetBox ignores it, as it
    does a custom field the model lacks, a boolean's lookups, or no value)."""
    base, _, lookup = name[3:].partition("__")
    cf = next((r for r in store.rows("extras/custom-fields/")
               if r.get("name") == base and model in (r.get("object_types") or ())), None)
    kind = scalar(cf.get("type")) if cf is not None else None
    values = [v for v in values if v != ""]
    if kind is None or not values or kind == "boolean" and lookup:
        return None

    def of(row: dict[str, Any]) -> Any:
        return scalar((row.get("custom_fields") or {}).get(base))

    if lookup == "empty":
        b = parse_bool(values[-1])
        return None if b is None else (lambda r: (of(r) in (None, "", [])) == b)
    negate = lookup in ("n", "nic", "nie", "nisw", "niew")
    if kind == "boolean":
        b = parse_bool(values[-1])
        return None if b is None else (lambda r: of(r) is b)
    if kind in ("integer", "decimal", "date", "datetime"):
        parse: Callable[[str], Any] = (_parse_int if kind == "integer" else _parse_dec if kind == "decimal"
                                       else str)  # dates compare as ISO text
        nums = [parse(v) for v in values]
        ops: dict[str, Callable[[Any, Any], bool]] = {
            "": lambda x, n: x == n, "n": lambda x, n: x == n, "lt": lambda x, n: x < n,
            "lte": lambda x, n: x <= n, "gt": lambda x, n: x > n, "gte": lambda x, n: x >= n}
        cmp = ops.get(lookup)
        if cmp is None:
            raise _not_implemented(f"filter {name!r} (a {kind} custom field)")
        def match(x: Any) -> bool:
            return x is not None and any(cmp(x, n) for n in nums)
    elif kind in ("object", "multiobject"):
        ids = {_parse_int(v) for v in values}
        def match(x: Any) -> bool:
            return any(ref_id(o) in ids for o in (x if isinstance(x, list) else [x]) if o is not None)
    else:
        loose = scalar(cf.get("filter_logic")) == "loose" and lookup in ("", "n")  # type: ignore[union-attr]
        op = _text_op("ic" if loose else lookup or "exact", TEXT, values)
        def match(x: Any) -> bool:
            return op(x)
    return (lambda r: not match(of(r))) if negate else (lambda r: match(of(r)))


def _fk_ids(store: Store, f: Filter, values: list[str]) -> tuple[set[int], bool]:
    """Validate foreign-key filter values as Django's ModelMultipleChoiceField does; their ids."""
    target = f.target or ""
    want_null = "null" in values
    values = [v for v in values if v != "null"]
    if f.to is None:
        pks = []
        for v in values:
            try:
                pks.append(int(v.strip()))
            except ValueError:
                raise Invalid(f"\u201c{v}\u201d is not a valid value.") from None
        for v, pk in zip(values, pks):
            if store.get(target, pk) is None:
                raise _invalid_choice(v)
        return set(pks), want_null
    ids: set[int] = set()
    index: dict[str, list[int]] = {}
    for r in store.rows(target):
        key = r.get(f.to)
        if key is not None:
            index.setdefault(str(key), []).append(r["id"])
    for v in values:
        found = index.get(v)
        if not found:
            raise _invalid_choice(v)
        ids.update(found)
    return ids, want_null


# -- the transport -----------------------------------------------------------------------------------


class SnapshotTransport(httpx.AsyncBaseTransport):
    """Answers NetBox REST requests in-process from a snapshot document (see snapshot.py)."""

    def __init__(self, data: dict[str, Any], *, registry: EndpointRegistry | None = None) -> None:
        self.meta = {
            "url": data.get("url"),
            "netbox_version": data.get("netbox_version"),
            "taken_at": data.get("taken_at"),
        }
        self.store = Store(data)
        self.registry = registry or EndpointRegistry.load()
        self.saved_base = (data.get("url") or "").rstrip("/")
        self.requests = 0

    @classmethod
    def from_file(cls, path: Path | str) -> SnapshotTransport:
        from netbox_tui.netbox.snapshot import load_snapshot

        return cls(load_snapshot(path))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.handle(request)

    # The whole request is answered synchronously: the data is in memory.
    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        base = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
        try:
            try:
                status, body = self._route(request, base)
            except (_Reply, httpx.HTTPError):
                raise
            except Exception as exc:  # a bug here must read as a server error, not crash the app
                raise _Reply(
                    500, {"detail": f"snapshot backend error: {exc.__class__.__name__}: {exc}"}
                ) from exc
        except _Reply as reply:
            if reply.html:
                return httpx.Response(
                    reply.status,
                    headers={"Content-Type": "text/html; charset=utf-8", **reply.headers},
                    content=reply.body.encode(),
                )
            status, body = reply.status, reply.body
            if reply.headers:
                return httpx.Response(status, headers=reply.headers, content=b"")
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        if self.saved_base and self.saved_base != base:
            text = text.replace(self.saved_base + "/", base + "/")
        return httpx.Response(
            status, headers={"Content-Type": "application/json"}, content=text.encode("utf-8")
        )

    def _route(self, request: httpx.Request, base: str) -> tuple[int, Any]:
        path = request.url.path
        method = request.method.upper()
        if path.rstrip("/") == "/graphql":
            if method != "POST":
                raise _not_implemented(f"GraphQL over {method} (netbox-tui POSTs its queries)")
            try:
                body = json.loads(request.content or b"null")
            except ValueError:
                raise _Reply(400, {"detail": "Unable to parse request body as JSON"}) from None
            return 200, execute_graphql(self.store, body)
        if not path.startswith("/api/"):
            raise _Reply(404, _HTML_404, html=True)
        if method not in ("GET", "HEAD"):
            raise _Reply(405, {"detail": f'Method "{method}" not allowed.'})
        rest = path[len("/api/"):]
        if not rest.endswith("/"):
            if self._routable(rest + "/"):
                location = f"{base}{path}/" + (f"?{request.url.query.decode()}" if request.url.query else "")
                raise _Reply(301, "", headers={"Location": location})
            raise _Reply(404, _HTML_404, html=True)
        pairs = parse_qsl(request.url.query.decode("ascii", "replace"), keep_blank_values=True)
        url = str(request.url)
        if rest == "status/":
            return 200, dict(self.store.status)
        parts = rest.strip("/").split("/")
        if len(parts) == 2:
            return 200, self.list_view(f"{parts[0]}/{parts[1]}/", pairs, url)
        if len(parts) in (3, 4) and parts[2].isdigit():
            endpoint = f"{parts[0]}/{parts[1]}/"
            pk = int(parts[2])
            if len(parts) == 3:
                return 200, self.detail_view(endpoint, pk, pairs)
            return 200, self.special_view(endpoint, pk, parts[3], pairs)
        raise _Reply(404, _HTML_404, html=True)

    def _routable(self, rest: str) -> bool:
        parts = rest.strip("/").split("/")
        if rest == "status/":
            return True
        if len(parts) in (2, 3, 4):
            return (
                self.store.has(f"{parts[0]}/{parts[1]}/")
                or self.registry.get(f"{parts[0]}/{parts[1]}/") is not None
            )
        return False

    # -- views ---------------------------------------------------------------------------------

    def _spec(self, endpoint: str) -> ModelSpec:
        spec = spec_for(endpoint)
        if spec is None or not self.store.has(endpoint):
            if self.registry.get(endpoint) is not None or spec is not None:
                raise _not_implemented(f"endpoint {endpoint} (not in this snapshot)")
            raise _Reply(404, _HTML_404, html=True)
        return spec

    def list_view(self, endpoint: str, pairs: list[tuple[str, str]], url: str) -> dict[str, Any]:
        spec = self._spec(endpoint)
        params = _multi(pairs)
        rows = self.filter_rows(spec, params)
        if "ordering" in params and "start" not in params:
            terms = ordering_terms(self.store, spec, params["ordering"][-1])
            if terms:
                rows = sort_rows(self.store, spec, rows, terms)
        limit = _limit(params)
        if "start" in params:
            return self._cursor_page(spec, rows, params, limit, url)
        offset = _offset(params)
        count = len(rows)
        page = [] if count == 0 or offset > count else rows[offset : offset + limit]
        nxt = None
        if offset + limit < count:
            nxt = _replace_param(_replace_param(url, "limit", str(limit)), "offset", str(offset + limit))
        prev = None
        if offset > 0:
            prev = _replace_param(url, "limit", str(limit))
            prev = (
                _remove_param(prev, "offset")
                if offset - limit <= 0
                else _replace_param(prev, "offset", str(offset - limit))
            )
        return {"count": count, "next": nxt, "previous": prev, "results": self.shape(spec, page, params)}

    def _cursor_page(
        self, spec: ModelSpec, rows: list[dict[str, Any]], params: dict[str, list[str]], limit: int, url: str
    ) -> dict[str, Any]:
        raw = params["start"][-1]
        try:
            start = int(raw)
            if start < 0:
                raise ValueError
        except ValueError:
            raise _Reply(400, ["Invalid 'start' parameter: must be a non-negative integer."]) from None
        if "offset" in params:
            raise _Reply(400, ["'start' and 'offset' are mutually exclusive."])
        if "ordering" in params:
            raise _Reply(400, ["Ordering cannot be specified in conjunction with cursor-based pagination."])
        chosen = sorted((r for r in rows if r["id"] >= start), key=lambda r: r["id"])[:limit]
        nxt = None
        if len(chosen) >= limit and chosen:
            nxt = _replace_param(url, "start", str(chosen[-1]["id"] + 1))
            nxt = _remove_param(_replace_param(nxt, "limit", str(limit)), "offset")
        return {"count": None, "next": nxt, "previous": None, "results": self.shape(spec, chosen, params)}

    def detail_view(self, endpoint: str, pk: int, pairs: list[tuple[str, str]]) -> dict[str, Any]:
        spec = self._spec(endpoint)
        row = self.store.get(endpoint, pk)
        if row is None:
            raise _Reply(404, {"detail": f"No {spec.object_name} matches the given query."})
        return self.shape(spec, [row], _multi(pairs))[0]

    def special_view(self, endpoint: str, pk: int, action: str, pairs: list[tuple[str, str]]) -> Any:
        spec = self._spec(endpoint)
        handler = SPECIAL.get((endpoint, action))
        if handler is None:
            raise _not_implemented(f"/api/{endpoint}{{id}}/{action}/")
        row = self.store.get(endpoint, pk)
        if row is None:
            raise _Reply(404, {"detail": f"No {spec.object_name} matches the given query."})
        return handler(self, row, _multi(pairs))

    # -- shaping -------------------------------------------------------------------------------

    def shape(
        self, spec: ModelSpec, rows: list[dict[str, Any]], params: dict[str, list[str]]
    ) -> list[dict[str, Any]]:
        """`fields=` wins over `omit=`, which wins over `brief` (NetBox's precedence)."""
        fields = params.get("fields", [""])[-1]
        if fields:
            keep = set(fields.split(","))
            return [{k: v for k, v in r.items() if k in keep} for r in rows]
        omit = params.get("omit", [""])[-1]
        if omit:
            drop = set(omit.split(","))
            return [{k: v for k, v in r.items() if k not in drop} for r in rows]
        if params.get("brief", [""])[-1]:
            keep = set(self.store.brief_fields.get(spec.path) or spec.brief)
            return [{k: v for k, v in r.items() if k in keep} for r in rows]
        return rows

    # -- filtering -----------------------------------------------------------------------------

    def filter_rows(self, spec: ModelSpec, params: dict[str, list[str]]) -> list[dict[str, Any]]:
        ep = self.registry.get(spec.path)
        predicates = []
        errors: dict[str, list[str]] = {}
        for name, values in params.items():
            if name in CONTROL:
                continue
            if name.startswith("cf_"):  # a custom field's filter: by its type, from the snapshot's fields
                try:
                    model = self.registry.model_of(spec.path) or ""
                    pred = _custom_field_predicate(self.store, model, name, values)
                except Invalid as exc:
                    errors[name] = [exc.message]
                    continue
                if pred is not None:
                    predicates.append(pred)
                continue
            if ep is not None and not ep.accepts(name):
                continue  # NetBox ignores names it does not know
            resolved = _resolve(spec, name)
            if resolved is None:
                if ep is None:
                    continue
                raise _not_implemented(f"filter {name!r} on {spec.path}")
            f, lookup = resolved
            if ep is not None and name in ep.single:
                values = values[-1:]  # a single-value filter: Django's QueryDict.get keeps the last
            try:
                pred = build_predicate(self.store, spec, f, lookup, values)
            except Invalid as exc:
                errors[name] = [exc.message]
                continue
            if pred is not None:
                predicates.append(pred)
        if errors:
            raise _Reply(400, errors)
        rows = self.store.ordered(spec.path)
        for pred in predicates:
            rows = [r for r in rows if pred(r)]
        return rows


# -- special endpoints -----------------------------------------------------------------------------


def _trace(transport: SnapshotTransport, row: dict[str, Any], params: dict[str, list[str]]) -> Any:
    saved = transport.store.traces.get(str(row["id"]))
    if saved is not None:
        return saved
    if row.get("cable"):
        raise _not_implemented(f"the trace of interface {row['id']} (not saved in this snapshot)")
    return []


def _results_limit(params: dict[str, list[str]]) -> int:
    """ipam.api.views.get_results_limit: `limit` or 50, 0 -> 1000, capped at 1000."""
    try:
        limit = int(params.get("limit", [str(PAGINATE_COUNT)])[-1]) or MAX_PAGE_SIZE
    except ValueError:
        limit = PAGINATE_COUNT
    return min(limit, MAX_PAGE_SIZE)


def _vrf_brief(store: Store, ref: Any) -> Any:
    if not isinstance(ref, dict):
        return None
    return {k: ref[k] for k in ("id", "url", "display", "name", "rd", "description") if k in ref}


def _same_vrf(a: Any, b: Any) -> bool:
    return ref_id(a) == ref_id(b)


def _available_ips(transport: SnapshotTransport, prefix: dict[str, Any], params: dict[str, list[str]]) -> Any:
    store = transport.store
    net = ipaddress.ip_network(prefix["prefix"], strict=False)
    status = scalar(prefix.get("status"))
    family = net.version
    first, last = int(net.network_address), int(net.broadcast_address)
    if not (
        prefix.get("is_pool")
        or (family == 4 and net.prefixlen >= 31)
        or (family == 6 and net.prefixlen >= 127)
    ):
        first += 1
        if family == 4:
            last -= 1
    any_vrf = prefix.get("vrf") is None and status == "container"
    taken: set[int] = set()
    for ip in store.rows("ipam/ip-addresses/"):
        if not any_vrf and not _same_vrf(ip.get("vrf"), prefix.get("vrf")):
            continue
        iface = ipaddress.ip_interface(ip["address"])
        if iface.version == family and first <= int(iface.ip) <= last:
            taken.add(int(iface.ip))
    for rng in store.rows("ipam/ip-ranges/"):
        if not rng.get("mark_populated") or not _same_vrf(rng.get("vrf"), prefix.get("vrf")):
            continue
        lo = ipaddress.ip_interface(rng["start_address"])
        hi = ipaddress.ip_interface(rng["end_address"])
        if lo.version != family:
            continue
        a, b = int(lo.ip), int(hi.ip)
        if a < int(net.network_address) or b > int(net.broadcast_address):
            continue
        taken.update(range(max(a, first), min(b, last) + 1))
    limit = _results_limit(params)
    vrf = _vrf_brief(store, prefix.get("vrf"))
    out = []
    cls = ipaddress.IPv4Address if family == 4 else ipaddress.IPv6Address
    host = first
    while host <= last:
        if host not in taken:
            out.append({"family": family, "address": f"{cls(host)}/{net.prefixlen}", "vrf": vrf})
            if len(out) == limit:
                break
        host += 1
    return out


def _available_prefixes(
    transport: SnapshotTransport, prefix: dict[str, Any], params: dict[str, list[str]]
) -> Any:
    store = transport.store
    net = ipaddress.ip_network(prefix["prefix"], strict=False)
    children = []
    for p in store.rows("ipam/prefixes/"):
        if not _same_vrf(p.get("vrf"), prefix.get("vrf")):
            continue
        child = ipaddress.ip_network(p["prefix"], strict=False)
        if child.version == net.version and child != net and child.subnet_of(net):  # type: ignore[arg-type]
            children.append(child)
    free = [net]
    for child in sorted(children):
        nxt: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for block in free:
            if child.subnet_of(block):  # type: ignore[arg-type]
                nxt.extend(block.address_exclude(child))  # type: ignore[arg-type]
            else:
                nxt.append(block)
        free = nxt
    vrf = _vrf_brief(store, prefix.get("vrf"))
    return [
        {"family": b.version, "prefix": str(b), "vrf": vrf}
        # one version throughout (the parent's), which typeshed's IPv4|IPv6 union cannot say
        for b in ipaddress.collapse_addresses(sorted(free))  # type: ignore[type-var]
    ]


SPECIAL: dict[tuple[str, str], Callable[[SnapshotTransport, dict[str, Any], dict[str, list[str]]], Any]] = {
    ("dcim/interfaces/", "trace"): _trace,
    ("ipam/prefixes/", "available-ips"): _available_ips,
    ("ipam/prefixes/", "available-prefixes"): _available_prefixes,
}


# -- query-string helpers (as Django REST framework builds next/previous links) -----------------------


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _limit(params: dict[str, list[str]]) -> int:
    """NetBoxPagination.get_limit: default 50; 0 -> MAX_PAGE_SIZE; capped; invalid -> default."""
    try:
        limit = int(params["limit"][-1])
        if limit < 0:
            raise ValueError
    except (KeyError, ValueError):
        return PAGINATE_COUNT
    return MAX_PAGE_SIZE if limit == 0 else min(MAX_PAGE_SIZE, limit)


def _offset(params: dict[str, list[str]]) -> int:
    try:
        offset = int(params["offset"][-1])
    except (KeyError, ValueError):
        return 0
    return max(offset, 0)


def _replace_param(url: str, key: str, val: str) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    qd = parse_qs(query, keep_blank_values=True)
    qd[key] = [val]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(qd.items()), doseq=True), fragment))


def _remove_param(url: str, key: str) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    qd = parse_qs(query, keep_blank_values=True)
    qd.pop(key, None)
    return urlunsplit((scheme, netloc, path, urlencode(sorted(qd.items()), doseq=True), fragment))


__all__ = ["SnapshotTransport", "Store"]
