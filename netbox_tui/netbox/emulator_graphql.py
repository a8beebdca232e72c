"""GraphQL for the snapshot emulator: a small, strict interpreter of what netbox-tui sends.

NetBox answers `POST /graphql/` with strawberry-django; netbox-tui sends three shapes of query
(the names of small tables, a name of unknown kind looked for in several models, and the
interfaces carrying some VLANs, for the VLAN topology):

    query { site_list { id name slug } device_type_list { id model slug } … }
    query ($t: String!) {
      device_list(filters: {name: {i_contains: $t}}, pagination: {limit: 50}) { id name site { name } }
      circuit_list(filters: {cid: {i_starts_with: $t}}, pagination: {limit: 50}) { id cid } … }
    query { vlan_list(filters: {id: {in_list: [1, 2]}}) {
      id interfaces_as_untagged { id device { id name } } interfaces_as_tagged { … } … } }

This module answers exactly that subset, as NetBox 4.7 answers it (checked by
tests/contract/test_contract_graphql.py):

- one operation, `query` (named or not, or the `{ … }` shorthand), with optional variable
  definitions of type String, Int or Boolean (`!` and defaults allowed);
- root fields `<model>_list`, mapped to models by the schema layer (`Model.graphql_list`), with
  the optional arguments `filters: {<text field>: {<lookup>: value | $var}, …}` (lookups exact,
  i_exact, contains, i_contains, starts_with, i_starts_with; several fields AND'ed), `id: {exact: N}`
  and `id: {in_list: [N, …]}` (ids as strings or numbers), and `pagination: {limit: N, offset: M}`;
- selections of scalar fields (text, whole numbers, booleans, choices) and of foreign keys with
  selections of their own, to any depth, and the reverse lists of REVERSE (a VLAN's interfaces);
- rows in the model's default ordering, ids as strings, at most 1000 rows per list, nested lists
  included (NetBox's MAX_PAGE_SIZE, applied silently; `limit` 0 or below means 1000).

Errors are answered as NetBox answers them: HTTP 200 with `{"data": null, "errors": [...]}` (an
unknown field or model, a syntax error, a missing variable, a negative offset). Anything else
(mutations and subscriptions, fragments, aliases, directives, other arguments, other lookups,
`AND`/`OR`/`NOT`, fields of other types) is also such an error, saying that the snapshot backend
does not implement it: never a silent partial answer. Nothing here can change the snapshot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from netbox_tui import schema as nbschema

MAX_PAGE_SIZE = 1000
LOOKUPS = ("exact", "i_exact", "contains", "i_contains", "starts_with", "i_starts_with")
SCALARS = (nbschema.STR, nbschema.INT, nbschema.BOOL, nbschema.CHOICE)
VARIABLE_TYPES = {"String": str, "Int": int, "Boolean": bool}
ID_LOOKUPS = ("exact", "in_list")
# Reverse lists the schema layer names (Model.graphql_fields) but cannot derive: (model, field) ->
# (the model pointing back, its foreign key). Written out: NetBox's related names are not its field names.
REVERSE: dict[tuple[str, str], tuple[str, str]] = {
    ("ipam.vlan", "interfaces_as_untagged"): ("dcim.interface", "untagged_vlan"),
    ("ipam.vlan", "interfaces_as_tagged"): ("dcim.interface", "tagged_vlans"),
    ("ipam.vlan", "vminterfaces_as_untagged"): ("virtualization.vminterface", "untagged_vlan"),
    ("ipam.vlan", "vminterfaces_as_tagged"): ("virtualization.vminterface", "tagged_vlans"),
}


class GraphQLError(Exception):
    def __init__(
        self, message: str, line: int = 0, column: int = 0, path: Optional[list[str]] = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.path = path

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message}
        if self.line:
            out["locations"] = [{"line": self.line, "column": self.column}]
        if self.path:
            out["path"] = self.path
        return out


def not_implemented(what: str, line: int = 0, column: int = 0) -> GraphQLError:
    return GraphQLError(f"snapshot backend does not implement {what} in GraphQL", line, column)


# -- reading the document ------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<skip>[\s,\ufeff]+|\#[^\n\r]*)
      | (?P<spread>\.\.\.)
      | (?P<punct>[{}()\[\]:!$=@|&])
      | (?P<string>"(?:[^"\\\n]|\\.)*")
      | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
    """,
    re.VERBOSE,
)


@dataclass
class Token:
    kind: str  # punct, spread, string, number, name, eof
    text: str
    line: int
    column: int


def tokenize(source: str) -> list[Token]:
    out: list[Token] = []
    pos, line, line_start = 0, 1, 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:
            raise GraphQLError(
                f"Syntax Error: Unexpected character: {source[pos]!r}.", line, pos - line_start + 1
            )
        kind = m.lastgroup or ""
        text = m.group(0)
        if kind != "skip":
            if kind == "string" and text.startswith('"""'):
                raise not_implemented("block strings", line, pos - line_start + 1)
            out.append(Token(kind, text, line, pos - line_start + 1))
        for nl in re.finditer(r"\r\n|\n|\r", text):
            line += 1
            line_start = pos + nl.end()
        pos = m.end()
    out.append(Token("eof", "", line, pos - line_start + 1))
    return out


@dataclass
class Var:
    name: str
    line: int
    column: int


@dataclass(frozen=True)
class Enum:
    name: str


@dataclass
class Selection:
    name: str
    line: int
    column: int
    args: dict[str, Any] = field(default_factory=dict)
    fields: Optional[list[Selection]] = None


@dataclass
class VarDef:
    name: str
    type: str  # String, Int, Boolean
    required: bool
    default: Any = None
    has_default: bool = False


@dataclass
class Operation:
    kind: str
    fields: list[Selection]
    variables: dict[str, VarDef]


class Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def unexpected(self, wanted: str) -> GraphQLError:
        t = self.tok
        found = "<EOF>" if t.kind == "eof" else (f"Name {t.text!r}" if t.kind == "name" else f'"{t.text}"')
        return GraphQLError(f"Syntax Error: Expected {wanted}, found {found}.", t.line, t.column)

    def expect(self, text: str) -> Token:
        if self.tok.kind not in ("punct", "spread") or self.tok.text != text:
            raise self.unexpected(f'"{text}"')
        return self.next()

    def peek(self, text: str) -> bool:
        return self.tok.kind == "punct" and self.tok.text == text

    def name(self) -> Token:
        if self.tok.kind != "name":
            raise self.unexpected("Name")
        return self.next()

    def document(self) -> Operation:
        t = self.tok
        if t.kind == "eof":
            raise GraphQLError("Syntax Error: Unexpected <EOF>.", t.line, t.column)
        op = self.operation()
        if self.tok.kind != "eof":
            t = self.tok
            if t.kind == "name" and t.text == "fragment":
                raise not_implemented("fragments", t.line, t.column)
            raise not_implemented("documents of several operations", t.line, t.column)
        return op

    def operation(self) -> Operation:
        t = self.tok
        if self.peek("{"):
            return Operation("query", self.selections(), {})
        if t.kind != "name":
            raise self.unexpected("Name")
        if t.text == "fragment":
            raise not_implemented("fragments", t.line, t.column)
        if t.text in ("mutation", "subscription"):
            raise GraphQLError(f"The {t.text} operation is not supported by the schema.", t.line, t.column)
        if t.text != "query":
            raise GraphQLError(f"Syntax Error: Unexpected Name {t.text!r}.", t.line, t.column)
        self.next()
        if self.tok.kind == "name":
            self.next()  # the operation's name
        variables = self.variable_definitions() if self.peek("(") else {}
        if self.peek("@"):
            raise not_implemented("directives", self.tok.line, self.tok.column)
        return Operation("query", self.selections(), variables)

    def variable_definitions(self) -> dict[str, VarDef]:
        self.expect("(")
        out: dict[str, VarDef] = {}
        while not self.peek(")"):
            self.expect("$")
            name = self.name().text
            self.expect(":")
            t = self.tok
            if self.peek("["):
                raise not_implemented("list variables", t.line, t.column)
            type_name = self.name().text
            if type_name not in VARIABLE_TYPES:
                raise not_implemented(f"variables of type {type_name}", t.line, t.column)
            required = False
            if self.peek("!"):
                self.next()
                required = True
            vd = VarDef(name, type_name, required)
            if self.peek("="):
                self.next()
                vd.default, vd.has_default = self.value(const=True), True
            if self.peek("@"):
                raise not_implemented("directives", self.tok.line, self.tok.column)
            out[name] = vd
        self.expect(")")
        return out

    def selections(self) -> list[Selection]:
        self.expect("{")
        out = []
        while not self.peek("}"):
            if self.tok.kind == "eof":
                raise self.unexpected("Name")
            out.append(self.selection())
        self.expect("}")
        if not out:
            raise self.unexpected("Name")
        return out

    def selection(self) -> Selection:
        t = self.tok
        if t.kind == "spread":
            raise not_implemented("fragments", t.line, t.column)
        name = self.name()
        if self.peek(":"):
            raise not_implemented("aliases", name.line, name.column)
        sel = Selection(name.text, name.line, name.column)
        if self.peek("("):
            self.next()
            while not self.peek(")"):
                arg = self.name()
                self.expect(":")
                if arg.text in sel.args:
                    raise GraphQLError(
                        f"There can be only one argument named '{arg.text}'.", arg.line, arg.column
                    )
                sel.args[arg.text] = (arg, self.value())
            self.expect(")")
        if self.peek("@"):
            raise not_implemented("directives", self.tok.line, self.tok.column)
        if self.peek("{"):
            sel.fields = self.selections()
        return sel

    def value(self, const: bool = False) -> Any:
        t = self.tok
        if self.peek("$"):
            if const:
                raise self.unexpected("constant value")
            self.next()
            name = self.name()
            return Var(name.text, t.line, t.column)
        if self.peek("{"):
            self.next()
            out: dict[str, Any] = {}
            while not self.peek("}"):
                key = self.name()
                self.expect(":")
                out[key.text] = (key, self.value(const))
            self.expect("}")
            return out
        if self.peek("["):
            self.next()
            items = []
            while not self.peek("]"):
                if self.tok.kind == "eof":
                    raise self.unexpected("value")
                items.append(self.value(const))
            self.expect("]")
            return items
        if t.kind == "string":
            self.next()
            return _unescape(t)
        if t.kind == "number":
            self.next()
            if re.fullmatch(r"-?\d+", t.text):
                return int(t.text)
            raise not_implemented("non-integer numbers", t.line, t.column)
        if t.kind == "name":
            self.next()
            if t.text in ("true", "false"):
                return t.text == "true"
            if t.text == "null":
                return None
            return Enum(t.text)
        raise self.unexpected("value")


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _unescape(t: Token) -> str:
    body = t.text[1:-1]

    def one(m: re.Match[str]) -> str:
        s = m.group(1)
        if s.startswith("u"):
            return chr(int(s[1:], 16))
        if s in _ESCAPES:
            return _ESCAPES[s]
        raise GraphQLError(f"Syntax Error: Invalid character escape sequence: '\\{s}'.", t.line, t.column)

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|.)", one, body)


# -- answering it ------------------------------------------------------------------------------------


def type_name(model: nbschema.Model) -> str:
    from netbox_tui.netbox.emulator_spec import object_name

    return object_name(model) + "Type"


@dataclass
class Context:
    store: Any
    variables: dict[str, Any]
    definitions: dict[str, VarDef]
    lists: Callable[[str], Optional[nbschema.Model]]  # a list field's model: Schema.by_graphql_list
    # REVERSE's indexes, built once a request: (model, foreign key) -> id pointed to -> rows
    reverse: dict[tuple[str, str], dict[int, list[dict[str, Any]]]] = field(default_factory=dict)


def execute(store: Any, body: Any) -> dict[str, Any]:
    """The GraphQL answer to one request body ({"query", "variables", "operationName"})."""
    try:
        return {"data": _execute(store, body)}
    except GraphQLError as exc:
        return {"data": None, "errors": [exc.as_json()]}


def _execute(store: Any, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        raise GraphQLError("No GraphQL query found in the request")
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        raise GraphQLError("Variables must be an object")
    op = Parser(body["query"]).document()
    schema = nbschema.load()
    ctx = Context(store, variables, op.variables, schema.by_graphql_list)  # builds 1 model, not all 128
    for vd in op.variables.values():  # NetBox checks every declared variable, used or not
        _variable(ctx, vd)
    out: dict[str, Any] = {}
    for sel in op.fields:
        if sel.name in out:
            raise not_implemented(f"the same field twice ({sel.name})", sel.line, sel.column)
        out[sel.name] = _root(ctx, sel)
    return out


def _variable(ctx: Context, vd: VarDef) -> Any:
    if vd.name in ctx.variables:
        value = ctx.variables[vd.name]
    elif vd.has_default:
        value = vd.default
    else:
        value = None
    shown = vd.type + ("!" if vd.required else "")
    if value is None:
        if vd.required:
            raise GraphQLError(
                f"Variable '${vd.name}' has invalid value: Expected a value of non-null type "
                f"'{shown}' to be provided."
            )
        return None
    want = VARIABLE_TYPES[vd.type]
    if type(value) is not want:  # bool is not an Int, nor 1 a Boolean
        raise GraphQLError(
            f"Variable '${vd.name}' has invalid value: {vd.type} cannot represent a non "
            f"{want.__name__} value."
        )
    return value


def _value(ctx: Context, raw: Any) -> Any:
    if isinstance(raw, Var):
        vd = ctx.definitions.get(raw.name)
        if vd is None:
            raise GraphQLError(f"Variable '${raw.name}' is not defined.", raw.line, raw.column)
        return _variable(ctx, vd)
    return raw


def _root(ctx: Context, sel: Selection) -> Any:
    model = ctx.lists(sel.name)
    if model is None:
        raise GraphQLError(f"Cannot query field '{sel.name}' on type 'Query'.", sel.line, sel.column)
    if not ctx.store.has(model.path):
        raise not_implemented(f"{sel.name} ({model.path} is not in this snapshot)", sel.line, sel.column)
    if sel.fields is None:
        raise GraphQLError(
            f"Field '{sel.name}' of type '[{type_name(model)}!]!' must have a selection of "
            f"subfields. Did you mean '{sel.name} {{ ... }}'?",
            sel.line,
            sel.column,
        )
    predicates = []
    limit, offset = MAX_PAGE_SIZE, 0
    for name, (tok, raw) in sel.args.items():
        if name == "filters":
            predicates = _filters(ctx, model, tok, _value(ctx, raw), sel.name)
        elif name == "pagination":
            limit, offset = _pagination(ctx, tok, _value(ctx, raw))
        else:
            raise not_implemented(f"the argument {name!r} of {sel.name}", tok.line, tok.column)
    rows = ctx.store.ordered(model.path)
    for pred in predicates:
        rows = [r for r in rows if pred(r)]
    if offset < 0:
        raise GraphQLError("Negative indexing is not supported.", sel.line, sel.column, [sel.name])
    rows = rows[offset : offset + limit]
    return [_object(ctx, model, row, sel.fields, [sel.name]) for row in rows]


def _filters(ctx: Context, model: nbschema.Model, tok: Token, raw: Any, sel_name: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise not_implemented("filters that are not an object", tok.line, tok.column)
    out = []
    for name, (key, spec) in raw.items():
        if name in ("AND", "OR", "NOT", "DISTINCT"):
            raise not_implemented(f"the filter {name}", key.line, key.column)
        if name not in model.graphql_fields:
            raise GraphQLError(
                f"Expected value of type '{type_name(model)[:-4]}Filter' not to include unknown "
                f"field '{name}'.",
                key.line,
                key.column,
            )
        if name == "id":
            out.append(_id_predicate(ctx, key, _value(ctx, spec), sel_name))
            continue
        own = model.fields.get(name)
        if own is None or own.type != nbschema.STR or own.many:
            raise not_implemented(
                f"filters on {type_name(model)}.{name} (only text fields are)", key.line, key.column
            )
        spec = _value(ctx, spec)
        if not isinstance(spec, dict) or not spec:
            raise not_implemented(f"the filter {name} without a lookup", key.line, key.column)
        for lookup, (ltok, lraw) in spec.items():
            if lookup not in LOOKUPS:
                raise not_implemented(
                    f"the lookup {lookup!r} (only {', '.join(LOOKUPS)} are)", ltok.line, ltok.column
                )
            value = _value(ctx, lraw)
            if not isinstance(value, str):
                raise not_implemented(
                    f"the lookup {lookup} with a value that is not a string", ltok.line, ltok.column
                )
            out.append(_text_predicate(ctx.store, name, lookup, value))
    return out


def _id_predicate(ctx: Context, key: Token, spec: Any, sel_name: str) -> Any:
    """`id: {exact: N}` and `id: {in_list: [N, …]}`, several lookups AND'ed; an id that is not a
    number is an error of the whole list, as NetBox says it."""
    if not isinstance(spec, dict) or not spec:
        raise not_implemented("the filter id without a lookup", key.line, key.column)
    wanted: list[set[int]] = []
    for lookup, (ltok, lraw) in spec.items():
        if lookup not in ID_LOOKUPS:
            raise not_implemented(f"the lookup {lookup!r} of id (only {', '.join(ID_LOOKUPS)} are)",
                                  ltok.line, ltok.column)
        value = _value(ctx, lraw)
        values = value if lookup == "in_list" else [value]
        if not isinstance(values, list):
            raise not_implemented("in_list with a value that is not a list", ltok.line, ltok.column)
        ids = set()
        for v in (_value(ctx, raw) for raw in values):
            if isinstance(v, bool) or not isinstance(v, (int, str)):
                raise not_implemented(f"the lookup {lookup} of id with a value that is not an id",
                                      ltok.line, ltok.column)
            if isinstance(v, str) and not re.fullmatch(r"-?\d+", v.strip()):
                raise GraphQLError(f"Field 'id' expected a number but got {v!r}.", key.line, key.column,
                                   [sel_name])
            ids.add(int(v))
        wanted.append(ids)
    return lambda row: all(row["id"] in ids for ids in wanted)


def _text_predicate(store: Any, name: str, lookup: str, wanted: str) -> Any:
    fold = lookup.startswith("i_")
    op = lookup[2:] if fold else lookup
    want = wanted.upper() if fold else wanted

    def pred(row: dict[str, Any]) -> bool:
        value = _field(store, row, name)
        if value is None:
            return False
        text = str(value).upper() if fold else str(value)
        if op == "exact":
            return text == want
        if op == "contains":
            return want in text
        return text.startswith(want)

    return pred


def _pagination(ctx: Context, tok: Token, raw: Any) -> tuple[int, int]:
    limit, offset = MAX_PAGE_SIZE, 0
    if raw is None:
        return limit, offset
    if not isinstance(raw, dict):
        raise not_implemented("pagination that is not an object", tok.line, tok.column)
    for name, (key, value) in raw.items():
        value = _value(ctx, value)
        if name not in ("limit", "offset"):
            raise not_implemented(f"pagination by {name!r} (only limit and offset are)", key.line, key.column)
        if value is None:
            continue
        if type(value) is not int:
            raise GraphQLError(f"Int cannot represent non-integer value: {value!r}", key.line, key.column)
        if name == "limit":
            limit = MAX_PAGE_SIZE if value <= 0 else min(value, MAX_PAGE_SIZE)
        else:
            offset = value
    return limit, offset


def _field(store: Any, row: dict[str, Any], name: str) -> Any:
    """A field of a saved row; a nested reference is completed from its full object."""
    if name in row:
        return row[name]
    full = store.full(row) if "url" in row else None
    if full is None:
        raise not_implemented(f"the field {name!r} of an object that is not in this snapshot")
    return full.get(name)


def _object(
    ctx: Context, model: nbschema.Model, row: dict[str, Any], fields: list[Selection], path: list[Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    tname = type_name(model)
    for sel in fields:
        if sel.name in out:
            raise not_implemented(f"the same field twice ({sel.name})", sel.line, sel.column)
        if sel.name not in model.graphql_fields:
            raise GraphQLError(f"Cannot query field '{sel.name}' on type '{tname}'.", sel.line, sel.column)
        if sel.args:
            raise not_implemented(f"arguments of {tname}.{sel.name}", sel.line, sel.column)
        own = model.fields.get(sel.name)
        back = REVERSE.get((model.name, sel.name))
        if back is not None:
            out[sel.name] = _reverse(ctx, model, row, back, sel, path)
            continue
        if sel.name == "id":
            if sel.fields is not None:
                raise GraphQLError(
                    "Field 'id' must not have a selection since type 'ID!' has no subfields.",
                    sel.line,
                    sel.column,
                )
            out["id"] = str(row["id"])
            continue
        if own is None or own.many:
            raise not_implemented(f"the field {tname}.{sel.name}", sel.line, sel.column)
        value = _field(ctx.store, row, sel.name)
        if own.type == nbschema.FK:
            target = nbschema.load().get(own.to or "")
            if target is None:
                raise not_implemented(f"the field {tname}.{sel.name}", sel.line, sel.column)
            if sel.fields is None:
                raise GraphQLError(
                    f"Field '{sel.name}' of type '{type_name(target)}' must have a selection of "
                    f"subfields. Did you mean '{sel.name} {{ ... }}'?",
                    sel.line,
                    sel.column,
                )
            if value is None:
                out[sel.name] = None
            elif isinstance(value, dict) and "id" in value:
                out[sel.name] = _object(ctx, target, value, sel.fields, path + [sel.name])
            else:
                raise not_implemented(f"the field {tname}.{sel.name}", sel.line, sel.column)
            continue
        if own.type not in SCALARS:
            raise not_implemented(f"the field {tname}.{sel.name} (of type {own.type})", sel.line, sel.column)
        if sel.fields is not None:
            raise GraphQLError(
                f"Field '{sel.name}' must not have a selection since its type has no subfields.",
                sel.line,
                sel.column,
            )
        if isinstance(value, dict) and "value" in value:  # a choice: {"value", "label"}
            value = value["value"]
        out[sel.name] = value
    return out


def _reverse(ctx: Context, model: nbschema.Model, row: dict[str, Any], back: tuple[str, str], sel: Selection,
             path: list[Any]) -> list[dict[str, Any]]:
    """The rows of another model whose foreign key (one, or one of many) is this row, in that
    model's default ordering, at most MAX_PAGE_SIZE (NetBox cuts nested lists there too)."""
    target = nbschema.load().get(back[0])
    if target is None or not ctx.store.has(target.path):
        raise not_implemented(f"the field {type_name(model)}.{sel.name}", sel.line, sel.column)
    if sel.fields is None:
        raise GraphQLError(f"Field '{sel.name}' of type '[{type_name(target)}!]!' must have a selection of "
                           f"subfields. Did you mean '{sel.name} {{ ... }}'?", sel.line, sel.column)
    index = ctx.reverse.get(back)
    if index is None:  # built once per request: every row of the other model, by the ids it points to
        index = {}
        for other in ctx.store.ordered(target.path):
            refs = other.get(back[1])
            for ref in refs if isinstance(refs, list) else [refs]:
                if isinstance(ref, dict) and "id" in ref:
                    index.setdefault(ref["id"], []).append(other)
        ctx.reverse[back] = index
    rows = index.get(row["id"], [])[:MAX_PAGE_SIZE]
    return [_object(ctx, target, r, sel.fields, path + [sel.name]) for r in rows]


__all__ = ["GraphQLError", "execute"]
