"""Intent -> Plan, for any model the schema knows.

One generic recipe lists, counts, groups or looks up objects of any model under any conditions,
each condition turned into the filter NetBox has for it (checked against the schema before a
request exists) or, where NetBox has none, applied here over a bounded set, or stated as a limit
of the answer: never dropped. Recipes beyond listing (trace, VLAN topology, rack utilisation,
free IPs, prefix utilisation, site summary) live in recipes.py.

Relationship look-ups are batched: repeated-value filters (OR'ed by NetBox, chunked under the
request-line limit) or one grouped query, never one request per object.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Union

from netbox_tui.core import customfields, ops, validate
from netbox_tui.core.columns import EMPTY, cell, fetch_fields, key_of, read, shape_row, table_columns
from netbox_tui.core.intent import Condition, Intent, Ref, Relation
from netbox_tui.core.plan import Context, Limitation, NeedsChoice, NotFound, Outcome, Plan, Reroute, Step
from netbox_tui.core.resolve import kind_of
from netbox_tui.core.results import Applied, Choice, Column, Table, TableQuery
from netbox_tui.core.tags import tag_filter, used_elsewhere
from netbox_tui.schema import BOOL, FK, Field, Model
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import load as load_vocab

if TYPE_CHECKING:
    from netbox_tui.netbox.client import Page

LOCAL_CAP = 5000  # rows read to filter, group or relate client-side; beyond it the answer says so
PAGE = 1000  # NetBox's page limit
ID_BATCH = 100  # ids per request when objects are read by id (a query string stays short)


def schema() -> Any:
    return load_schema()


def model_of(name: str) -> Model:
    return load_schema().model(name)


# -- words ----------------------------------------------------------------------------------------------

_PLURAL_IRREGULAR = {
    "address": "addresses",
    "prefix": "prefixes",
    "switch": "switches",
    "chassis": "chassis",
    "status": "statuses",
    "entry": "entries",
    "policy": "policies",
    "property": "properties",
}


def noun(model: str, n: int = 2) -> str:
    """'device'/'devices', 'IP address'/'IP addresses', 'ASN'/'ASNs' from the schema's verbose name."""
    m = load_schema().get(model)
    one = load_vocab().model(model).noun or (m.verbose if m is not None else model.split(".")[-1])
    one = {
        "ip address": "IP address",
        "vlan": "VLAN",
        "vrf": "VRF",
        "vlan group": "VLAN group",
        "ip range": "IP range",
        "mac address": "MAC address",
        "fhrp group": "FHRP group",
        "rir": "RIR",
    }.get(one, one)
    if n == 1:
        return one
    last = one.split(" ")[-1]
    if last.lower() in _PLURAL_IRREGULAR:
        return one[: -len(last)] + _PLURAL_IRREGULAR[last.lower()]
    if last.isupper() or last[-1:].isdigit():
        return one + "s"
    if last.endswith(("s", "x", "ch", "sh")):
        return one + "es"
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        return one[:-1] + "ies"
    return one + "s"


def counted(n: int, model_or_label: str) -> str:
    """'1 rack', '2 racks', '1 IP address', '5 prefixes'."""
    if "." in model_or_label:
        return f"{n:,} {noun(model_or_label, n)}"
    label = model_or_label
    if n == 1:
        for plural, one in (
            ("addresses", "address"),
            ("prefixes", "prefix"),
            ("switches", "switch"),
            ("ies", "y"),
        ):
            if label.endswith(plural):
                return f"1 {label[: -len(plural)]}{one}"
        return f"1 {label[:-1]}" if label.endswith("s") else f"1 {label}"
    return f"{n:,} {label}"


def cap(text: str) -> str:
    """Capitalise the first letter only: "VLANs at…" stays "VLANs", not "Vlans"."""
    return text[:1].upper() + text[1:]


def page_text(table: Table) -> str:
    if table.total == 0 or not table.rows:
        return ""
    a, b = table.offset + 1, table.offset + len(table.rows)
    return f"row {a} of {table.total:,}" if a == b else f"rows {a}–{b} of {table.total:,}"


# -- conditions -> NetBox filters ---------------------------------------------------------------------------

@dataclass
class Query:
    """What a set of conditions becomes on one endpoint."""

    model: Model
    params: dict[str, Any] = field(default_factory=dict)
    local: list[Condition] = field(default_factory=list)  # applied here, over rows read in full
    applied: list[Applied] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)  # conditions that could not be applied at all


# -- what a list or group step found: one type per kind of result ------------------------------------------

@dataclass
class Paged:
    """A list as NetBox pages it: the page asked for, and NetBox's count of every match."""

    page: Page
    query: Query

    @property
    def rows(self) -> list[dict[str, Any]]:
        return list(self.page.results)

    @property
    def found(self) -> int:
        return int(self.page.count or 0)


@dataclass
class Kept:
    """A list filtered or related here: every row kept, paged from memory."""

    kept: list[dict[str, Any]]
    query: Query

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.kept

    @property
    def found(self) -> int:
        return len(self.kept)


Listed = Union[Paged, Kept]


@dataclass
class Counted:
    """Groups NetBox counted ("devices per role": each role's `device_count`); a group of None holds
    the objects in no group."""

    groups: list[tuple[Optional[dict[str, Any]], int]]
    query: Query
    count_field: str

    @property
    def total(self) -> int:
        return sum(n for _, n in self.groups)


@dataclass
class Tallied:
    """Groups counted here over the rows read (a path, a list field, conditions NetBox cannot count)."""

    groups: list[tuple[Any, int]]
    query: Query
    read: int  # the rows tallied: a row of a list field counts once per value

    @property
    def total(self) -> int:
        return self.read


Grouped = Union[Counted, Tallied]


ADDRESSES = "ipam.ipaddress"  # where an object's IP addresses are, whatever holds them


def _fmt(v: Any) -> str:
    return "true" if v is True else "false" if v is False else str(v)


def filter_for(m: Model, cond: Condition) -> Optional[tuple[str, Any]]:
    """The one query parameter a condition becomes on this endpoint, or None if NetBox has none."""
    op = cond.op
    # checked against the NetBox's custom fields, not the schema
    if cond.field.startswith(customfields.PREFIX):
        return customfields.cf_filter(m.name, cond)
    if cond.field == "id" and cond.model == m.name:
        if not cond.resolved:
            return ("id", [cond.value]) if str(cond.value).isdigit() else None
        return ("id__n" if op == "ne" else "id", [r.id for r in cond.resolved])
    if cond.model is not None and (cond.resolved or op in ("empty", "not_empty")):
        # The field's own filter that takes ids (`import_policies`, `site_id`); another filter to the same
        # model only when the field has none of its own (never `export_policies` for import policies).
        names = [cond.field] if cond.field.endswith("_id") else [f"{cond.field}_id", cond.field]
        own = [m.filters[n] for n in names if n in m.filters and m.filters[n].to == cond.model]
        flt = next((f for f in own if f.key == "id"), None)
        if flt is not None:
            name = flt.name
        elif own or m.ambiguous_ref(cond.model):
            return None  # never another field's filter: `export_policies` for import policies
        else:
            alt = m.ref_filter(cond.model)
            if alt is None:
                return None
            name = alt.name
        if op == "empty":
            return name, "null"
        if op == "not_empty":
            return (f"{name}__n", "null") if m.accepts(f"{name}__n") else None
        ids = [r.id for r in cond.resolved]
        name = f"{name}__n" if op == "ne" else name
        if len(ids) > 1 and op == "eq" and m.accepts(f"{name}__any"):
            name = (
                f"{name}__any"  # tags: several values of `tag_id` must all be set; `__any` is NetBox's "or"
            )
        if len(ids) > 1 and not m.param_names.get(name, True):
            return None  # one value only (interfaces' vlan_id): NetBox would keep the last
        return name, ids
    base = m.filters.get(cond.field)
    if base is None:
        return None
    value = cond.value
    operation = ops.OPS[op]  # the lookup each op is sent as: core/ops.py
    if not operation.takes_value:
        if m.accepts(operation.param(cond.field)):
            return operation.param(cond.field), "true" if op == "empty" else "false"
        if base.type == BOOL:
            return None
        return (cond.field, "null") if op == "empty" else None
    if operation.lookup is None:  # a filter of its own (a prefix's `within`): the value as is
        return cond.field, value
    name = operation.param(cond.field)
    if not m.accepts(name):
        return None
    if base.type == BOOL:
        return name, _fmt(bool(value))
    if isinstance(value, list) and not m.param_names.get(name, True):
        return None  # one value only: NetBox would keep the last
    if validate.choice_problem(m, cond) is not None:
        return None  # NetBox would answer 400: said by _bad_choice
    return name, value


def one_value_only(m: Model, cond: Condition) -> Optional[str]:
    """'NetBox's vlan_id filter of interfaces takes one value': a list sent where NetBox keeps the last."""
    name = validate.one_value_param(m, cond)
    return f"NetBox's {name} filter of {noun(m.name)} takes one value" if name is not None else None


def shown(cond: Condition) -> Applied:
    from netbox_tui.core.intent import OP_WORDS

    op = OP_WORDS.get(cond.op, cond.op)
    value = "" if cond.op in ("empty", "not_empty") else cond.shown_value()
    name = noun(cond.model, 1) if cond.field == "id" and cond.model else cond.field.replace("_", " ")
    if cond.field.startswith(customfields.PREFIX):  # "warranty end (custom field) < 2027-01-01"
        name = f"{customfields.label_of(cond.model or '', cond.field)} (custom field)"
        value = customfields.shown_value(cond) or value
    return Applied(field=name, op=op, value=value, text=cond.text)


def build_query(m: Model, conds: list[Condition]) -> Query:
    q = Query(m)
    for cond in conds:
        a = shown(cond)
        got = filter_for(m, cond)
        name, value = got if got is not None else ("", None)
        merged = _merge(name, q.params[name], value) if name in q.params else None
        if got is not None and (name not in q.params or merged is not None):
            value = value if merged is None else merged
            q.params[name] = value
            vals = value if isinstance(value, list) else [value]
            a.filter = "&".join(f"{name}={_fmt(v)}" for v in vals[:4]) + (
                f" (+{len(vals) - 4})" if len(vals) > 4 else ""
            )
        # NetBox ORs a repeated parameter: the second one is checked here
        elif got is not None and _locally(m, cond):
            q.local.append(cond)
            a.filter = f"applied by netbox-tui (a second {name} would widen NetBox's answer)"
        elif got is not None:
            why = (
                f"“{cond.text or cond.shown_value()}” and the condition before it on "
                f"{cond.field.replace('_', ' ')} cannot both be sent to NetBox"
            )
            q.limits.append(f"{why} (only the first applied)")
            a.filter = "not applied: " + why
        elif (bad := _bad_choice(m, cond)) is not None:
            q.limits.append(bad)
            a.filter = "not applied: " + bad
        elif _locally(m, cond) or _locally_ref(m, cond):
            q.local.append(cond)
            one = one_value_only(m, cond)  # netbox-bgp's status takes one value: the list is checked here
            none = "no NetBox filter takes it by id" if cond.model else "NetBox has no filter for it"
            a.filter = f"applied by netbox-tui ({one or none})"
        elif (one := one_value_only(m, cond)) is not None:  # never one of the values in silence
            q.limits.append(f"{one} (“{cond.text}” not applied: ask for one value at a time)")
            a.filter = "not applied: " + one
        else:
            why = f"NetBox cannot filter {noun(m.name)} by {cond.field.replace('_', ' ')}"
            q.limits.append(f"{why} (“{cond.text}” not applied)")
            a.filter = "not applied: " + why
        q.applied.append(a)
    return q


def start_query(ctx: Context, m: Model, conds: list[Condition]) -> Query:
    """The conditions as one endpoint's query, each shown in the interpretation, each limit said."""
    q = build_query(m, conds)
    ctx.applied.extend(q.applied)
    for why in q.limits:
        ctx.note(why)
    return q


def local_fields(q: Query) -> list[str]:
    """The fields the conditions checked here read."""
    return [c.field.split(".")[0] for c in q.local]


def local_rows(rows: Any, q: Query) -> list[dict[str, Any]]:
    """The rows every condition checked here keeps."""
    return [r for r in rows or [] if all(matches_locally(r, c) for c in q.local)]


def keep_local(page: Any, q: Query) -> Any:
    """A page of one looked-up object, with the rows the conditions checked here reject left out."""
    if not q.local:
        return page
    rows = local_rows(page.results, q)
    return dataclasses.replace(page, results=rows, count=page.count - (len(page.results) - len(rows)))


def _merge(name: str, a: Any, b: Any) -> Any:
    """Two conditions on one parameter, both to hold, as one parameter NetBox ANDs — or None.
    NetBox ORs repeated values: exact values merge to those in both lists (empty: nothing can match,
    which NetBox cannot be asked, so None), exclusions (`__n`) to all of them; lookups do not merge."""
    left = a if isinstance(a, list) else [a]
    right = b if isinstance(b, list) else [b]
    if name.endswith("__n"):
        return list(dict.fromkeys(left + right))
    if "__" in name:
        return None
    both = [x for x in left if x in right]
    return (both if isinstance(a, list) or isinstance(b, list) else both[0]) if both else None


def _bad_choice(m: Model, cond: Condition) -> Optional[str]:
    """'“activ” is not a status NetBox has for devices (active, planned, …)': a choice filter given a
    value it lacks (core/validate.py)."""
    p = validate.choice_problem(m, cond)
    if p is None:
        return None
    more = ", …" if len(p.allowed) > 8 else ""
    return (
        f"“{p.value}” is not a {cond.field.replace('_', ' ')} NetBox has for {noun(m.name)} "
        f"({', '.join(p.allowed[:8])}{more})"
    )


def _locally(m: Model, cond: Condition) -> bool:
    """A condition on one of the model's own fields that NetBox cannot filter: checked on each row."""
    root = cond.field.split(".")[0]
    return root in m.fields and cond.op in ("eq", "ne", "empty", "not_empty", "ic") and not cond.model


def _locally_ref(m: Model, cond: Condition) -> bool:
    """An object no filter of the schema takes by id (netbox-bgp's `peer_group`, described by no key):
    the model's own field pointing to it is compared on each row."""
    own = m.fields.get(cond.field.split(".")[0])
    return bool(cond.model and cond.resolved) and cond.op in ("eq", "ne") and own is not None \
        and own.to == cond.model


def matches_locally(row: dict[str, Any], cond: Condition) -> bool:
    value = read(row, cond.field)
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    if cond.op == "empty":
        return value in (None, "", [])
    if cond.op == "not_empty":
        return value not in (None, "", [])
    if cond.op == "ic":
        return str(cond.value).lower() in str(value or "").lower()
    if cond.model and cond.resolved:  # the row's object (or objects: import policies) by id
        ids = {r.id for r in cond.resolved}
        held = {v.get("id") for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)}
        return bool(ids & held) == (cond.op == "eq")
    wanted = cond.value if isinstance(cond.value, list) else [cond.value]
    hit = any(str(value).lower() == str(w).lower() for w in wanted)
    return hit if cond.op == "eq" else not hit


# -- resolving names ---------------------------------------------------------------------------------------

def ref_conditions(intent: Intent) -> list[Condition]:
    out = [
        c
        for c in intent.conditions
        if (c.model or c.candidates)
        and not c.resolved
        and c.op not in ("empty", "not_empty")
        and not (c.model == intent.target and c.field != "id")
    ]
    for r in intent.relations:
        out += [c for c in r.conditions if c.model and not c.resolved and c.op not in ("empty", "not_empty")]
    return [c for c in out if c.field != "name" or c.model != "dcim.interface"]


def resolve_steps(intent: Intent) -> list[Step]:
    """One step per name to find; names scoped by others (a VLAN at a site, a port of a device) wait for
    every unscoped name, said before or after them: their look-up is scoped by what those found."""
    scoped_names = load_vocab().scoped_names
    conds = ref_conditions(intent)
    scoped = [c.model in scoped_names for c in conds]
    first = tuple(f"resolve:{i}" for i, s in enumerate(scoped) if not s)
    return [
        _resolve_step(f"resolve:{i}", c, intent, deps=first if s else ())
        for i, (c, s) in enumerate(zip(conds, scoped))
    ]


HOP_CAP = 100  # objects of the hop's model sent back as ids; more would be a URL NetBox may refuse


def hop_steps(intent: Intent, m: Model, resolves: list[Step]) -> list[Step]:
    """'devices in IDF racks': NetBox has no filter of devices taking a rack role, but a device's own `rack`
    points to racks, which it filters by role. One step per such condition (exactly one such field, else it
    stays a said limit) reads those racks first and turns the condition into one on the device's rack."""
    steps = []
    for i, cond in enumerate(intent.conditions):
        hop = _hop_field(m, cond)
        if hop is not None:
            steps.append(Step(f"hop:{i}", f"find {noun(hop.to or '')} with {cond.text or cond.shown_value()}",
                              _hop(cond, hop), deps=tuple(s.name for s in resolves)))
    return steps


def _hop_field(m: Model, cond: Condition) -> Optional[Field]:
    """The one field of `m` pointing to a model whose endpoint takes the condition's object, when `m`'s own
    endpoint takes it not at all."""
    if not cond.model or cond.model == m.name or cond.op != "eq" or cond.field == "id":
        return None
    probe = cond.model_copy(update={"resolved": [Ref(model=cond.model, id=1, label="")]})
    if filter_for(m, probe) is not None or _locally_ref(m, probe) or m.ref_filter(cond.model) is not None:
        return None
    schema_names = set(schema().names)
    found = [
        f for f in m.fields.values()
        if f.type == FK and not f.many and f.to and f.to in schema_names and f.to != m.name
        and filter_for(model_of(f.to), probe) is not None and m.ref_filter(f.to) is not None
    ]
    return found[0] if len(found) == 1 else None


def _hop(cond: Condition, hop: Field) -> Any:
    async def run(ctx: Context) -> Any:
        if not cond.resolved:  # the name found nothing: its own step said so
            return None
        hm = model_of(hop.to or "")
        name, value = filter_for(hm, cond) or ("", None)
        rows = await read_rows(ctx, hm, {name: value}, ["id", "display", hm.label], cap=HOP_CAP + 1)
        if not rows:
            raise Limitation(f"No {noun(hm.name)} have “{cond.text or cond.shown_value()}”",
                             f"Ask for {noun(hm.name)} to see which there are.")
        if len(rows) > HOP_CAP:
            return None  # left to the fetch, which says NetBox cannot filter by it
        said = cond.text or cond.shown_value()
        cond.field, cond.model = hop.name, hm.name
        cond.resolved = [Ref(model=hm.name, id=int(r["id"]), label=cell(r)) for r in rows]
        ctx.note(f"“{said}”: the {noun(hm.name)} with it, {len(rows)}, read first", partial=False)
        return cond.resolved

    return run


def _resolve_step(name: str, cond: Condition, intent: Intent, deps: tuple[str, ...] = ()) -> Step:
    models = cond.candidates or [cond.model or ""]
    words = [noun(m, 1) for m in models[:3]] + (["other object"] if len(models) > 3 else [])
    what = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    # The object the question is about: fetch what the answer shows of it with the name look-up.
    fields = (
        list(intent.attributes) if cond.model == intent.target or intent.target in cond.candidates else []
    )

    async def run(ctx: Context) -> Any:
        if cond.resolved:  # a choice or an earlier step answered it
            return cond.resolved
        scope = [c for c in ctx.intent.conditions if c is not cond and c.resolved]
        res = await ctx.resolver.resolve(cond, scope, fields)
        for f in res.matches:
            if f.row:
                ctx.results[f"row:{f.ref.model}:{f.ref.id}"] = f.row
        if res.status == "ambiguous":
            raise NeedsChoice(cond, res)
        if res.status == "not_found":
            raise NotFound(cond, res, what)
        cond.resolved = res.refs
        if res.model != cond.model:
            found_as(cond, ctx.intent.target, res.model)
        if res.guessed and not cond.guess:
            cond.guess = res.matches[0].ref.label
        return cond.resolved

    return Step(name, f"find {what} “{cond.text or cond.value}”", run, deps=deps)


def found_as(cond: Condition, target: str, model: str) -> None:
    """A name looked for among several kinds was found as `model`: the condition says so."""
    tm = load_schema().get(target)  # the change log is no model of the schema layer (core/changes.py)
    flt = tm.ref_filter(model) if tm is not None and cond.field != "id" else None
    if model == target and cond.candidates:
        cond.field = "id"  # "racks in IDF117" named a rack, not a place: that rack itself
    elif flt is not None:
        # said as what it is: rack, not site
        cond.field = flt.name[:-3] if flt.name.endswith("_id") else flt.name
    cond.model = model


# -- the generic recipe: list, count, look up, ask about -----------------------------------------------------

def plan_list(intent: Intent) -> Plan:
    m = model_of(intent.target)
    by_name = _named_exactly(intent, m)
    resolves = resolve_steps(intent.model_copy(update={"conditions": [c for c in intent.conditions
                                                                      if c is not by_name]}))
    attrs = [a for a in intent.attributes if a]
    named = intent.named()
    # One object: how many of each related kind it has, when NetBox counts them on the row itself.
    counts = (
        [c for c in (m.count_field(rel) for rel, _ in drill_relations(m.name)) if c]
        if named is not None and not attrs
        else []
    )
    # a custom field filtered on: shown
    shown_cf = [c for c in customfields.columns(intent) if c not in attrs]
    fields = fetch_fields(m.name, attrs + counts + shown_cf)

    async def fetch(ctx: Context) -> Listed:
        if by_name is not None and not by_name.resolved:
            look_up = _resolve_step("resolve:name", by_name, intent)
            page = await _page_by_name(ctx, m, by_name, fields, look_up)
            if page is not None:
                q = start_query(ctx, m, ctx.intent.conditions)
                for a, c in zip(q.applied, ctx.intent.conditions):  # what was sent: the name, not the id
                    if c is by_name:
                        a.filter = f"{c.field}={c.value}"
                return Paged(page, q)
        q = start_query(ctx, m, ctx.intent.conditions)
        if (
            named is not None
            and any(c.model == named.model and c.field == "id" for c in ctx.intent.conditions)
            and named.resolved
            and all(r.model != m.name for r in named.resolved)
        ):
            raise Reroute(_retarget(ctx.intent, named))
        if ctx.intent.relations:
            return Kept(await related_rows(ctx, m, q, ctx.intent.relations), q)
        known = _rows_in_hand(ctx, m, fields)
        if known is not None and not q.local:
            from netbox_tui.netbox.client import Page

            return Paged(Page(results=known, count=len(known), offset=0, limit=ctx.page_size), q)
        if q.local:
            return Kept(local_rows(await read_rows(ctx, m, q.params, fields + local_fields(q)), q), q)
        page = await ctx.client.page(
            m.path, q.params, limit=ctx.page_size, offset=ctx.offset, fields=fields, kind=kind_of(m.name)
        )
        return Paged(page, q)

    async def fetch_brief(ctx: Context) -> Listed:  # simplified view: brief rows, the cheap serializer
        q = build_query(m, ctx.intent.conditions)
        page = await ctx.client.page(
            m.path, q.params, limit=ctx.page_size, offset=ctx.offset, brief=True, kind=kind_of(m.name)
        )
        if q.local:  # brief rows are not filtered here: this view answers a wider question, and says so
            ctx.note(f"the simplified view lists {noun(m.name)} without the condition "
                     + ", ".join(f"“{c.text or c.field}”" for c in q.local) + ": it is not filtered by "
                     + ("it" if len(q.local) == 1 else "them"))
        return Paged(page, q)

    resolves = resolves + hop_steps(intent, m, resolves)
    main = Step(
        "fetch",
        _fetch_words(intent, m),
        fetch,
        deps=tuple(s.name for s in resolves),
        fallback=None if intent.relations else fetch_brief,
    )
    steps = resolves + [main]
    tagged = tag_filter(intent) if named is None and intent.aggregate is None else None
    if tagged is not None:  # "devices tagged uplink" and none: where the tag is (one request, only then)
        steps.append(Step("tag_use", "if none carries the tag, what does", optional=True, deps=("fetch",),
                          run=lambda ctx: used_elsewhere(ctx, tagged, ctx.results["fetch"].found)))
    unset = _unset_fallback(m, attrs) if named is not None else None
    if unset is not None:
        steps.append(
            Step(
                "unset",
                f"if {' and '.join(word_of(m.name, f) for f in unset.fields)} are not set, the "
                "addresses on its "
                f"{noun(unset.unset_then_ips_on['model'])} that say so",
                _ips_on_components(m, unset),
                deps=("fetch",),
                optional=True,
            )
        )

    def finish(ctx: Context) -> Outcome:
        got: Listed = ctx.results["fetch"]
        q = got.query
        if isinstance(got, Paged) and len(got.rows) == 1:
            ctx.results["one"] = got.rows[0]
        extra = [a for a in attrs] + [
            c.field
            for c in ctx.intent.conditions
            if c.field in m.fields and c.field not in attrs and not c.model
        ]
        extra += [c for c in customfields.columns(ctx.intent) if c not in extra]
        if isinstance(got, Kept):
            rows = [shape_row(m.name, r, extra) for r in got.kept]
            table = local_table(
                ctx, f"list:{id(ctx)}", m.name, title_for(ctx), rows, table_columns(m.name, extra)
            )
            table.query = TableQuery(
                local_key=table.query.local_key if table.query else None,
                path=m.path,
                params=_pairs(q.params),
                fields=fields,
                kind=kind_of(m.name),
            )
        else:
            table = server_table(m.name, title_for(ctx), m.path, q.params, fields, got.page, ctx, extra)
        if ctx.intent.aggregate is not None and ctx.intent.aggregate.op == "group":
            raise AssertionError("grouped questions use plan_group")
        out = list_outcome(ctx, m, table, attrs)
        if ctx.results.get("tag_use"):
            out.answer += " " + ctx.results["tag_use"]
        found = ctx.results.get("unset")
        if unset is not None and found is not None:
            said = (
                ", ".join(f"{cell(ip.get('address'))} ({cell(ip.get('assigned_object'))})" for ip in found)
                or "none"
            )
            where = " and ".join(
                f"{word_of(unset.unset_then_ips_on['model'], k)} = {_fmt(v)}"
                for k, v in unset.unset_then_ips_on.get("where", {}).items()
            )
            out.answer += f" Addresses on its {noun(unset.unset_then_ips_on['model'])} where {where}: {said}."
        return out

    return Plan("direct" if not resolves else "multi_step", steps, finish)


def _named_exactly(intent: Intent, m: Model) -> Optional[Condition]:
    """A structured query's (an MCP tool's, a choice's) condition naming one object by the name
    NetBox's own filter takes, on rows that carry that object: `interfaces?device=<name>` answers
    with no look-up first."""
    from netbox_tui.schema import REF

    if intent.source != "choice" or intent.relations or intent.aggregate is not None:
        return None
    for c in intent.conditions:
        f, own = m.filters.get(c.field), m.fields.get(c.field)
        if c.resolved or c.candidates or c.op != "eq" or not c.model or not isinstance(c.value, str):
            continue
        if f is not None and f.type == REF and f.key == "name" and f.to == c.model and own is not None \
                and own.to == c.model and not own.many:
            return c
    return None


async def _page_by_name(ctx: Context, m: Model, cond: Condition, fields: list[str], resolve: Step) -> Any:
    """The first page under `cond` sent as NetBox's name filter, `cond` resolved from the rows' own
    object. The look-up runs only when the rows cannot say: NetBox refused the name (400: not exact),
    or the rows show no object, several (a name two objects share), or not all of them. Returns None
    when the page cannot be kept: the caller then fetches by the id the look-up found."""
    from netbox_tui.core.intent import Ref
    from netbox_tui.errors import NetBoxError

    others = build_query(m, [c for c in ctx.intent.conditions if c is not cond])
    page = None
    if not others.local and not others.limits and not ctx.offset:
        try:
            page = await ctx.client.page(
                m.path,
                {**others.params, cond.field: cond.value},
                limit=ctx.page_size,
                fields=list(dict.fromkeys(fields + [cond.field])),
                kind=kind_of(m.name),
            )
        except NetBoxError as exc:
            if exc.kind != "bad_filter":
                raise
    owners = {r[cond.field]["id"]: r[cond.field] for r in (page.results if page is not None else [])
              if isinstance(r.get(cond.field), dict) and "id" in r[cond.field]}
    if page is not None and len(owners) == 1 and page.count <= len(page.results):
        (oid, obj), = owners.items()
        label = str(obj.get("name") or obj.get("display") or oid)
        cond.resolved = [Ref(model=cond.model or "", id=int(oid), label=label)]
        return page
    await resolve.run(ctx)  # one object, or a choice / not found raised
    return page if page is not None and set(owners) <= {r.id for r in cond.resolved} else None


def _unset_fallback(m: Model, attrs: list[str]) -> Any:
    """The vocabulary's 'when these fields are unset, look here' for the fields asked ("mgmt ip")."""
    return next((fw for fw in load_vocab().model_fields.get(m.name, {}).values()
                 if fw.unset_then_ips_on and fw.fields and set(fw.fields) <= set(attrs)), None)


def _ips_on_components(m: Model, fw: Any) -> Any:
    """The one object's addresses on its components of a kind (its mgmt-only interfaces): two
    requests, made only when none of the fields asked for is set."""
    spec = fw.unset_then_ips_on
    cm, ipm = model_of(spec["model"]), model_of(ADDRESSES)
    to_owner, to_component = cm.ref_filter(m.name), ipm.ref_filter(cm.name)

    async def run(ctx: Context) -> Any:
        rows = ctx.results["fetch"].rows
        if (
            len(rows) != 1
            or to_owner is None
            or to_component is None
            or any(rows[0].get(f) not in (None, "", []) for f in fw.fields)
        ):
            return None
        comps = await ctx.client.page(
            cm.path,
            {to_owner.name: rows[0]["id"], **spec.get("where", {})},
            limit=100,
            fields=["id"],
            kind=kind_of(cm.name),
        )
        if not comps.results:
            return []
        return list(
            await ctx.client.list_many(
                ipm.path,
                None,
                to_component.name,
                [c["id"] for c in comps.results],
                fields=["id", "address", "assigned_object"],
                kind=kind_of(ipm.name),
            )
        )

    return run


def _rows_in_hand(ctx: Context, m: Model, fields: list[str]) -> Optional[list[dict[str, Any]]]:
    """The named object's rows when its look-up brought every field shown and nothing else filters."""
    named = ctx.intent.named()
    if named is None or not named.resolved or any(c is not named for c in ctx.intent.conditions):
        return None
    rows = [ctx.results.get(f"row:{r.model}:{r.id}") for r in named.resolved]
    if any(r is None or any(f not in r for f in fields) for r in rows):
        return None
    return rows  # type: ignore[return-value]


def _retarget(intent: Intent, named: Condition) -> Intent:
    ref = named.resolved[0]
    conds = [
        c.model_copy(update={"model": ref.model, "candidates": []}) if c is named else c
        for c in intent.conditions
    ]
    return intent.model_copy(update={"target": ref.model, "conditions": conds})


def _pairs(params: dict[str, Any]) -> list[tuple[str, str]]:
    from netbox_tui.netbox.client import normalise_params

    return normalise_params(params)


def _fetch_words(intent: Intent, m: Model) -> str:
    if intent.named() is not None:
        return f"fetch the {noun(m.name, 1)}"
    if intent.aggregate is not None and intent.aggregate.op == "count":
        return f"count {noun(m.name)}"
    return f"count {noun(m.name)} and fetch the first page"


def title_for(ctx: Context) -> str:
    intent = ctx.intent
    m = intent.target
    named = intent.named()
    if named is not None and named.resolved and len(named.resolved) == 1:
        return cap(f"{noun(m, 1)} {named.resolved[0].label}")
    parts = [a.words() for a in ctx.applied if a.field != "id" and not a.filter.startswith("not applied")]
    rel = [r.words(noun(r.model)) for r in intent.relations]
    return cap(noun(m) + (": " + ", ".join(parts + rel) if parts or rel else ""))


def list_outcome(ctx: Context, m: Model, table: Table, attrs: list[str]) -> Outcome:
    intent = ctx.intent
    named = intent.named()
    if named is not None and len(table.rows) == 1 and table.total == 1:
        text = describe(m.name, table.rows[0], attrs)
        raw = ctx.results.get("one") or {}
        found = {rel: raw.get(m.count_field(rel) or "") for rel, _ in drill_relations(m.name)}
        said = [counted(int(n), rel) for rel, n in found.items() if isinstance(n, int)]
        if said and not attrs:
            text += " " + ", ".join(said) + "."
        label = str(table.rows[0].get("display"))
        choices = [
            Choice(
                kind="drill_down",
                label=f"{noun(rel)} of {label}",
                question=f"{noun(rel)} of {label}",
                intent=Intent(
                    target=rel,
                    source="choice",
                    conditions=[
                        Condition(
                            field=_stem(flt),
                            model=m.name,
                            value=label,
                            text=label,
                            resolved=[named.resolved[0]],
                        )
                    ],
                ),
            )
            for rel, flt in drill_relations(m.name)
            if named.resolved and found.get(rel) != 0
        ]
        return Outcome(text, [table], choices)
    if intent.aggregate is not None and intent.aggregate.op == "count":
        text = f"{counted(table.total, m.name)}{where_words(ctx)}."
        if table.total:
            text += f" Listed: {page_text(table)}."
        return Outcome(text, [table], list_choices(table, ctx.page_size))
    if table.total == 0:
        return Outcome(f"No {noun(m.name)}{where_words(ctx)}.", [table], [])
    text = f"{counted(table.total, m.name)}{where_words(ctx)}; {page_text(table)}."
    if attrs and table.rows:
        text += " Showing " + ", ".join(word_of(m.name, a) for a in attrs) + "."
    return Outcome(text, [table], list_choices(table, ctx.page_size))


def _stem(flt: str) -> str:
    return flt[:-3] if flt.endswith("_id") else flt


def where_words(ctx: Context) -> str:
    """The conditions as a sentence says them: named objects with a preposition, the rest as "where x = y"."""
    places, wheres = [], []
    for a in ctx.applied:
        if a.field == "id" and a.op == "=" or a.filter.startswith("not applied") or a.op in ("none", "some"):
            continue
        prep = load_vocab().prepositions.get(a.field)
        if prep and a.op == "=":
            places.append(f"{prep} {a.value}")
        else:
            wheres.append(a.words())
    having = [f"with {r.words(noun(r.model))}" for r in ctx.intent.relations]
    return (
        (" " + " ".join(places) if places else "")
        + (" " + " and ".join(having) if having else "")
        + (" where " + ", ".join(wheres) if wheres else "")
    )


def describe(model: str, row: dict[str, Any], attrs: list[str]) -> str:
    """'dmi01-akron-rtr01: platform Cisco IOS.' — every field asked for, said even when it is not set."""
    name = row.get("display") or row.get("name")
    if attrs:
        bits = []
        for a in attrs:
            key = key_of(a)
            value = row.get(key, EMPTY)
            bits.append(f"{word_of(model, a)} {value if value != EMPTY else 'not set'}")
        return f"{name}: " + ", ".join(bits).rstrip(".") + "."
    keys = [
        k
        for k in (
            "status",
            "role",
            "device_type",
            "type",
            "site",
            "rack",
            "position",
            "region",
            "cluster",
            "provider",
            "primary_ip",
            "vrf",
            "scope",
            "tenant",
            "title",
            "phone",
            "email",
        )
        if row.get(k) not in (None, EMPTY)
    ]
    bits = [f"{word_of(model, k)} {row[k]}" for k in keys]
    return (f"{name}: " + ", ".join(bits).rstrip(".") + ".") if bits else f"{str(name).rstrip('.')}."


def word_of(model: str, path: str) -> str:
    """A field as a sentence says it: 'position', 'primary IP', 'asset tag'."""
    if path.startswith(customfields.PATH):
        return customfields.label_of(model, path)
    key = path.split(".")[-1]
    said = load_vocab().words.get(key)
    if said is not None:
        return said
    m = load_schema().get(model)
    f = m.fields.get(key) if m is not None else None
    return f.words if f is not None else key.replace("_", " ")


def drill_relations(model: str) -> list[tuple[str, str]]:
    """(related model, its filter taking this model's id) for the models a named `model` offers."""
    from netbox_tui.core.drill import related  # vocab.toml [drill]; drill.py imports this module

    return related(model, named=True)


# -- tables --------------------------------------------------------------------------------------------

def list_choices(table: Table, page_size: int) -> list[Choice]:
    out: list[Choice] = []
    if table.has_more:
        nxt = min(page_size, table.total - table.offset - len(table.rows))
        start = table.offset + len(table.rows)
        out.append(
            Choice(kind="next_page", label=f"load next {nxt} ({start + 1}–{start + nxt} of {table.total:,})")
        )
    if table.total > page_size:
        out.append(Choice(kind="summary", label="summary view: counts by status, site, role, type…"))
    if table.total > 1:
        out.append(Choice(kind="filter", label="filter these rows"))
    if table.rows and drill_relations(table.object_type) or load_vocab().drill_rule(table.object_type).ask:
        one = noun(table.object_type, 1)
        article = "an" if one[:1].lower() in "aeio" else "a"
        out.append(Choice(kind="drill_down", label=f"drill into {article} {one}"))
    return out


def server_table(
    model: str,
    title: str,
    path: str,
    params: dict[str, Any],
    fields: list[str],
    page: Any,
    ctx: Context,
    extra: Optional[list[str]] = None,
    columns: Optional[list[Column]] = None,
) -> Table:
    return Table(
        title=title,
        object_type=model,
        columns=table_columns(model, extra, columns),
        rows=[shape_row(model, r, extra) for r in page.results],
        total=page.count,
        offset=page.offset,
        limit=page.limit,
        partial=ctx.partial,
        query=TableQuery(
            path=path, params=_pairs(params), fields=fields, kind=kind_of(model), extra=list(extra or [])
        ),
    )


def local_table(
    ctx: Context, key: str, model: str, title: str, rows: list[dict[str, Any]], columns: list[Column]
) -> Table:
    """A table computed client-side: all rows kept by the orchestrator, paged from memory."""
    ctx.local_rows[key] = rows
    page = rows[ctx.offset: ctx.offset + ctx.page_size]
    return Table(
        title=title,
        object_type=model,
        columns=columns,
        rows=page,
        total=len(rows),
        offset=ctx.offset,
        limit=ctx.page_size,
        partial=ctx.partial,
        query=TableQuery(local_key=key),
    )


async def read_rows(
    ctx: Context, m: Model, params: dict[str, Any], fields: list[str], cap: int = LOCAL_CAP
) -> list[dict[str, Any]]:
    """Every row matching `params`, up to `cap` (then the answer says it read only part). The pages
    read are planned from the cap and NetBox's next links; its count can only lower them."""
    rows = await ctx.client.list_all(
        m.path, params, page_size=PAGE, cap=cap, fields=list(dict.fromkeys(fields)), kind=kind_of(m.name)
    )
    if not rows.complete:
        ctx.note(f"only the first {len(rows):,} of {rows.total:,} {noun(m.name)} were read to answer this")
    return list(rows)


async def fill_nested(ctx: Context, m: Model, rows: list[dict[str, Any]], root: str, leaf: str) -> None:
    """Each row's nested `root` object given its `leaf` where NetBox's brief form leaves it out (a device's
    site holds no region): the objects read once, by id, in bounded batches, and put in place."""
    ids = sorted({r[root]["id"] for r in rows if isinstance(r.get(root), dict) and "id" in r[root]
                  and leaf not in r[root]})
    if not ids:
        return
    batches = [ids[i:i + ID_BATCH] for i in range(0, len(ids), ID_BATCH)]
    read_ = await ctx.client.gather([read_rows(ctx, m, {"id": batch}, ["id", "display", m.label, leaf])
                                     for batch in batches])
    full = {o["id"]: o for got in read_ for o in got}
    for r in rows:
        nested = r.get(root)
        if isinstance(nested, dict) and nested.get("id") in full:
            r[root] = {**nested, **full[nested["id"]]}


# -- relations: "sites with no VLANs", "devices with IPs in 10.0.0.0/28" -------------------------------------


async def related_rows(ctx: Context, m: Model, q: Query, relations: list[Relation],
                       fields: Optional[list[str]] = None) -> list[dict[str, Any]]:
    """The target's rows (under its own conditions, those checked here included) that have, or have
    none of, the related objects."""
    fields = list(dict.fromkeys((fields or fetch_fields(m.name)) + local_fields(q)))
    rows: Optional[list[dict[str, Any]]] = None
    for rel in relations:
        rm = model_of(rel.model)
        count = m.count_field(rel.model)
        rq = build_query(rm, rel.conditions)
        for why in rq.limits:
            ctx.note(why)
        ctx.applied.append(Applied(field=noun(rel.model), op="none" if rel.negate else "some", text=rel.text,
                                   filter=_relation_words(m, rm, rel, count, rq)))
        if count and not rel.conditions:
            got = rows if rows is not None else await read_rows(ctx, m, q.params, fields + [count])
            if rows is not None and got and count not in got[0]:
                got = [
                    r
                    for r in await read_rows(ctx, m, q.params, fields + [count])
                    if r.get("id") in {x.get("id") for x in rows}
                ]
            rows = [r for r in got if (int(r.get(count) or 0) == 0) == rel.negate]
            continue
        owners = await _owners(ctx, m, rm, rel, rq)
        if owners is None:  # by address containment: prefixes and their IPs
            base = rows if rows is not None else await read_rows(ctx, m, q.params, fields + ["vrf"])
            rows = await _contained(ctx, m, rm, rel, rq, base)
            continue
        if rel.negate or rows is not None:
            base = rows if rows is not None else await read_rows(ctx, m, q.params, fields)
            rows = [r for r in base if (r.get("id") in owners) != rel.negate]
        else:
            if not owners:
                rows = []
                continue
            listed = await ctx.client.list_many(
                m.path, q.params, "id", sorted(owners), fields=fields, kind=kind_of(m.name)
            )
            if not listed.complete:
                ctx.note(f"only the first {len(listed):,} {noun(m.name)} were read to answer this")
            rows = listed
    return local_rows(rows, q)


def _relation_words(m: Model, rm: Model, rel: Relation, count: Optional[str], rq: Query) -> str:
    if count and not rel.conditions:
        return f"{count} {'= 0' if rel.negate else '> 0'} (counted by NetBox)"
    how = load_vocab().relation(m.name, rm.name)
    if how is not None and how.through:
        t = model_of(how.through)
        return f"{t.path} read, the {noun(rm.name)} they carry matched to {noun(m.name)} by netbox-tui"
    where = "&".join(
        f"{k}={_fmt(v) if not isinstance(v, list) else ','.join(map(str, v[:3]))}"
        for k, v in rq.params.items()
    )
    return (
        f"{rm.path}?{where} read, matched to {noun(m.name)} by netbox-tui"
        if where
        else f"{rm.path} read, matched to {noun(m.name)} by netbox-tui"
    )


async def _owners(ctx: Context, m: Model, rm: Model, rel: Relation, rq: Query) -> Optional[set[int]]:
    """Ids of target objects that at least one related object (under its conditions) points to."""
    how = load_vocab().relation(m.name, rm.name)
    if how is not None and how.contains:
        return None
    if how is not None and how.through:
        return await _owners_through(ctx, m, rm, model_of(how.through), rq)
    via = list(how.via) if how is not None and how.via else []
    if not via:
        f = rm.field_to(m.name)
        if f is None:
            raise Limitation(
                f"NetBox has no link from {noun(rm.name)} to {noun(m.name)}",
                f"Ask for the {noun(rm.name)} of one {noun(m.name, 1)}, e.g. “{noun(rm.name)} at <site>”.",
            )
        via = [f.name]
    params = dict(rq.params)
    if how is not None:
        for k, v in how.where.items():
            params.setdefault(k, v)
    # The target's own conditions are not sent to the related endpoint: a filter of the same name
    # there means something else (an IP's status or tenant is not its device's).
    roots = list(dict.fromkeys(p.split(".")[0] for p in via))
    related = await read_rows(ctx, rm, params, ["id"] + roots)
    owners: set[int] = set()
    for r in related:
        for p in via:
            value = read(r, p)
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, dict) and v.get("id") is not None:
                    owners.add(int(v["id"]))
    return owners


async def _owners_through(ctx: Context, m: Model, rm: Model, t: Model, rq: Query) -> set[int]:
    """Ids of target objects that meet a related object on a third: devices with a VLAN are the devices
    of the interfaces carrying one (under the related objects' conditions: that VLAN, those VLANs), and
    VLANs with a device the VLANs carried by a device's interfaces."""
    to_related, to_target = _meets(t, rm.name), _meets(t, m.name)
    if to_related is None or to_target is None:
        raise Limitation(
            f"NetBox has no link from {noun(rm.name)} to {noun(m.name)}",
            f"Ask for the {noun(rm.name)} of one {noun(m.name, 1)}, e.g. “{noun(rm.name)} at <site>”.",
        )
    wanted = {r.get("id") for r in await read_rows(ctx, rm, rq.params, ["id"])} if rq.params else None
    params = {**to_target[1], **to_related[1]}
    roots = list(dict.fromkeys(p.split(".")[0] for p in to_related[0] + to_target[0]))
    owners: set[int] = set()
    for r in await read_rows(ctx, t, params, ["id"] + roots):
        carried = _objects(r, to_related[0])
        if any(wanted is None or v.get("id") in wanted for v in carried):
            owners.update(int(v["id"]) for v in _objects(r, to_target[0]) if v.get("id") is not None)
    return owners


def _meets(t: Model, other: str) -> Optional[tuple[list[str], dict[str, Any]]]:
    """How rows of `t` point at `other`: the vocabulary's paths (an interface's VLANs, on interfaces of
    those modes), else the schema's own foreign key (an interface's device)."""
    how = load_vocab().relation(other, t.name)
    if how is not None and how.via:
        return list(how.via), dict(how.where)
    f = t.field_to(other)
    return ([f.name], {}) if f is not None else None


def _objects(row: dict[str, Any], paths: list[str]) -> list[dict[str, Any]]:
    """The objects a row points to along each path (a list field gives each of its items)."""
    got = [read(row, p) for p in paths]
    return [v for g in got for v in (g if isinstance(g, list) else [g]) if isinstance(v, dict)]


async def _contained(
    ctx: Context, m: Model, rm: Model, rel: Relation, rq: Query, base: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Prefixes that hold (or hold none of) the related addresses, VRF by VRF as NetBox counts them."""
    import ipaddress

    params = dict(rq.params)
    vrfs = {(r.get("vrf") or {}).get("id") for r in base}
    if len(vrfs) == 1 and rm.accepts("vrf_id"):
        only = next(iter(vrfs))
        params.setdefault("vrf_id", only if only is not None else "null")
    related = await read_rows(ctx, rm, params, ["id", "address", "vrf"])
    addrs: dict[Any, list[Any]] = {}
    for r in related:
        try:
            addrs.setdefault((r.get("vrf") or {}).get("id"), []).append(
                ipaddress.ip_interface(str(r.get("address"))).ip
            )
        except ValueError:
            continue
    out = []
    for p in base:
        try:
            net = ipaddress.ip_network(str(p.get(m.label)), strict=False)
        except ValueError:
            continue
        held = any(a in net for a in addrs.get((p.get("vrf") or {}).get("id"), []))
        if held != rel.negate:
            out.append(p)
    return out


# -- grouped counts: "devices per role", "racks in each status" ----------------------------------------------


def plan_group(intent: Intent) -> Plan:
    from netbox_tui.core.lists import listed_groups

    m = model_of(intent.target)
    by = intent.aggregate.by if intent.aggregate else None
    root = (by or "").split(".")[0]
    # "devices per support tier": a custom field's path, custom_fields.<name>, read from each row
    custom = bool(by) and customfields.current().get(m.name, by or "") is not None
    if not by or root not in m.fields and not custom:
        raise Limitation(
            f"{noun(m.name)} cannot be grouped by {by}",
            f"Ask e.g. “{noun(m.name)} per site” or “{noun(m.name)} in each status”.",
        )
    f = m.fields[root] if not custom else Field(name=root, type="any")
    target_model = f.to
    if "." in by and f.to:  # "devices per manufacturer": device_type.manufacturer
        leaf = model_of(f.to).fields.get(by.split(".", 1)[1])
        target_model = leaf.to if leaf is not None else None
    resolves = resolve_steps(intent)
    resolves += hop_steps(intent, m, resolves)

    async def fetch(ctx: Context) -> Grouped:
        q = start_query(ctx, m, ctx.intent.conditions)
        gm = model_of(target_model) if target_model else None
        count = gm.count_field(m.name) if gm is not None else None
        single = not f.many
        if (
            gm is not None
            and count
            and single
            and "." not in by
            and not q.params
            and not q.local
            and not ctx.intent.relations
        ):
            # NetBox counts for us: one request for every group ("devices per role": roles with
            # device_count), and one count of all, whose rest is the objects in no group ("(none)": devices
            # without a tenant).
            tree = ["parent"] if gm.nested else []
            groups, every = await ctx.client.gather(
                [
                    read_rows(ctx, gm, {}, ["id", "display", gm.label, count] + tree),
                    ctx.client.page(m.path, {}, limit=1, fields=["id"], kind=kind_of(m.name)),
                ]
            )
            pairs: list[tuple[Optional[dict[str, Any]], int]] = list(own_counts(groups, count, gm.nested))
            rest = every.count - sum(n for _, n in pairs)
            return Counted(pairs + ([(None, rest)] if rest > 0 else []), q, count)
        keep = ["id", root] + local_fields(q)
        if ctx.intent.relations:
            rows = await related_rows(ctx, m, q, ctx.intent.relations, keep)
        else:
            rows = local_rows(await read_rows(ctx, m, q.params, keep), q)
        if "." in by and f.to:
            await fill_nested(ctx, model_of(f.to), rows, root, by.split(".", 1)[1])
        tally: Counter[Any] = Counter()
        objs: dict[Any, Any] = {}
        for r in rows:
            v = read(r, by)
            # a list field (tags): one count per value
            for one in (v or [None]) if isinstance(v, list) else [v]:
                key = (one.get("id") if "id" in one else one.get("value")) if isinstance(one, dict) else one
                tally[key] += 1
                objs[key] = one
        for key, obj in listed_groups(m, ctx.intent, by):  # "access vs trunk ports": each value asked, 0 too
            tally[key] += 0
            objs.setdefault(key, obj)
        return Tallied([(objs[k], n) for k, n in tally.most_common()], q, len(rows))

    def finish(ctx: Context) -> Outcome:
        got: Grouped = ctx.results["fetch"]
        groups = got.groups
        gmodel = target_model or m.name
        rows: list[dict[str, Any]] = []
        for g, n in sorted(groups, key=lambda p: (-p[1], cell(p[0]))):
            label = cell(g) if g is not None else "(none)"
            # a custom object field: its id
            by_id = isinstance(g, dict) and (target_model or "value" not in g)
            value = g.get("id") if by_id else (g.get("value") if isinstance(g, dict) else g)
            rows.append(
                {
                    "id": g.get("id") if isinstance(g, dict) and target_model else None,
                    "display": label,
                    "group": label,
                    "count": f"{n:,}",
                    "_by": by,
                    "_value": value,
                }
            )
        words = word_of(m.name, by)
        title = cap(f"{noun(m.name)} per {words}") + (where_words(ctx) if ctx.applied else "")
        cols = [Column(key="group", title=cap(words)), Column(key="count", title=cap(noun(m.name)))]
        table = local_table(ctx, f"group:{m.name}:{by}:{id(ctx)}", gmodel, title, rows, cols)
        total = got.total
        said = [r for r in rows if r["count"] != "0"]  # groups with none are said apart, never as "more"
        top = ", ".join(f"{r['group']} {r['count']}" for r in said[:6])
        top += f" and {len(said) - 6} more" if len(said) > 6 else ""
        n_groups = len(
            [
                r
                for r in rows
                if r["count"] != "0" and r["id"] is not None or not target_model and r["_value"] is not None
            ]
        )
        groups_word = noun(gmodel, n_groups) if target_model else ("group" if n_groups == 1 else "groups")
        text = f"{counted(total, m.name)} in {n_groups} {groups_word} by {words}{where_words(ctx)}" + (
            f": {top}." if top else "."
        )
        if len(said) < len(rows):
            text += f" {counted(len(rows) - len(said), gmodel if target_model else 'groups')} with none."
        if any(r["_value"] is None for r in rows):
            text += f" (none): {noun(m.name)} with no {words}."
        if isinstance(got, Counted):
            text += f" (counted by NetBox: {got.count_field})"
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    return Plan(
        "multi_step" if resolves else "direct",
        resolves
        + [
            Step(
                "fetch",
                f"count {noun(m.name)} by {word_of(m.name, by)}",
                fetch,
                deps=tuple(s.name for s in resolves),
            )
        ],
        finish,
    )


def own_counts(groups: list[dict[str, Any]], count: str, tree: bool) -> list[tuple[dict[str, Any], int]]:
    """Each group's count of its own objects. In a tree NetBox's count is cumulative (a site counts for
    its region and every ancestor), so a group's own is its count less its children's (each child's count
    already holds its whole subtree): summed, every object counts once."""
    total = {id(g): int(g.get(count) or 0) for g in groups}
    below: Counter[Any] = Counter()
    for g in groups if tree else []:
        parent = g.get("parent")
        if isinstance(parent, dict) and parent.get("id") is not None:
            below[parent["id"]] += total[id(g)]
    return [(g, total[id(g)] - below[g.get("id")]) for g in groups]


# -- routing --------------------------------------------------------------------------------------------

def make_plan(intent: Intent) -> Plan:
    from netbox_tui.core import recipes

    if intent.pattern is not None and intent.pattern != "find":
        return recipes.PATTERNS[intent.pattern](intent)
    if intent.target == "ipam.ipaddress" and (nm := intent.named()) is not None and nm.field == "address":
        return recipes.plan_ip(intent)
    if (
        intent.target == "ipam.prefix"
        and (nm := intent.named()) is not None
        and nm.field == "prefix"
        and not intent.attributes
    ):
        return recipes.plan_prefix(intent)
    if intent.target == "dcim.interface" and any(
        c.field == "name" and c.model == "dcim.interface" for c in intent.conditions
    ):
        return recipes.plan_interface(intent)
    if intent.aggregate is not None and intent.aggregate.op == "group":
        return plan_group(intent)
    if recipes.assignment_through(intent) is not None:  # "contacts for DM-Akron": through their assignments
        return recipes.plan_assigned(intent)
    return plan_list(intent)
