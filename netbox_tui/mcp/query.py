"""`query` and `describe`: the structured intent, checked against the schema before any request.

A condition is `{field, op, value}` in NetBox's own terms: `field` a filter of the model's endpoint
(`site`, `role`, `enabled`, `name`; a lookup suffix such as `name__ic` is read as its op), `value`
a name as NetBox shows it (matched to the object, as in questions), an id for `*_id` filters, a
choice value, true/false or a number. Anything the schema does not know (a model, a filter, an op
the filter has no lookup for, a choice value, a field) is refused with the closest valid names,
and nothing is sent: NetBox silently ignores an unknown filter and returns the whole table.
"""

from __future__ import annotations

from typing import Any, Optional

from rapidfuzz import fuzz, process

from netbox_tui.core import ops, validate
from netbox_tui.core.intent import Aggregate, Condition, Intent, Ref
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.schema import BOOL, CHOICE, NUM, REF, Model
from netbox_tui.schema import load as load_schema

OPS = ops.LOOKUP_OPS  # the operations and their lookups: core/ops.py
SUFFIX_OP = ops.BY_LOOKUP  # `name__ic` read as op ic
HIDDEN_FILTERS = validate.HIDDEN_FILTERS  # not listed by describe, refused in conditions: core/validate.py
MAX_LIMIT = 1000  # NetBox's page limit


class Refused(NetBoxTUIError):
    """A request the schema cannot answer: refused before anything is sent."""

    kind = "refused"
    title = "Refused"


def closest(word: str, names: list[str], n: int = 5) -> list[str]:
    got = process.extract(word, names, scorer=fuzz.WRatio, limit=n)
    return [name for name, score, _ in got if score >= 50] or [name for name, _, _ in got[:3]]


def model_named(name: str) -> Model:
    schema = load_schema()
    key = (name or "").strip().lower()
    m = schema.get(key)
    if m is not None:
        return m
    # "interfaces", "dcim/interfaces", "interface": the verbose name or the path says it.
    for cand in schema.names:
        cm = schema.model(cand)
        if key in (
            cm.verbose.lower(),
            cm.path.strip("/"),
            cm.path.strip("/").split("/")[-1],
            cand.split(".")[1],
        ):
            return cm
    near = closest(key, schema.names)
    raise Refused(
        f"unknown model {name!r}; closest: {', '.join(near)}",
        "Give a model as app_label.model, e.g. dcim.device, dcim.interface, ipam.vlan, ipam.prefix.",
    )


_ops_of = validate.ops_of

# What to do about a problem of each kind (core/validate.py): where to look, and that nothing was sent.
NOTHING_SENT = "Nothing was sent to NetBox."
HINTS: dict[str, str] = {
    "model": "Give a model as app_label.model, e.g. dcim.device, dcim.interface, ipam.vlan, ipam.prefix.",
    "filter": 'describe("{model}") lists its filters. ' + NOTHING_SENT,
    "op": NOTHING_SENT,
    "value": 'Give a value, or op "empty".',
    "choice": 'describe("{model}", "{name}") lists its values. ' + NOTHING_SENT,
    "one_value": "Give one value per condition.",
    "field": 'describe("{model}") lists its fields.',
    "group": 'describe("{model}") lists its fields.',
}


def refused(p: validate.Problem) -> Refused:
    """A problem the schema found, said with the closest valid names (or the ops the filter takes)."""
    text = p.message
    if p.kind == "op":
        text += "; ops: " + ", ".join(o for o in p.allowed if o in OPS)
    elif p.allowed and p.kind in ("model", "filter", "choice", "field", "group"):
        text += "; closest: " + ", ".join(closest(p.value or p.name, list(p.allowed)))
    return Refused(text, HINTS[p.kind].format(model=p.model, name=p.name))


def check(*found: Optional[validate.Problem]) -> None:
    """Refused on the first problem found, if any."""
    first = next((p for p in found if p is not None), None)
    if first is not None:
        raise refused(first)


def _bool(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise Refused(f"{field} takes true or false, not {value!r}", "Give true or false.")


def _number(value: Any, field: str) -> Any:
    if isinstance(value, list):
        return [_number(v, field) for v in value]
    if isinstance(value, bool):
        raise Refused(f"{field} takes a number, not {value!r}", "Give a number.")
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise Refused(f"{field} takes a number, not {value!r}", "Give a number.") from None
    return int(f) if f.is_integer() else f


def condition(m: Model, raw: Any) -> Condition:
    """One `{field, op, value}` -> a Condition the planner turns into exactly one NetBox filter. The
    form is read here; what the schema says of it (filter, op, value, choice) is core/validate.py's."""
    if not isinstance(raw, dict) or "field" not in raw:
        raise Refused(
            f"a condition is an object {{field, op, value}}, not {raw!r}",
            'E.g. {"field": "site", "value": "DM-Akron"}.',
        )
    unknown = set(raw) - {"field", "op", "value"}
    if unknown:
        raise Refused(
            f"a condition has field, op and value, not {', '.join(sorted(unknown))}",
            'E.g. {"field": "enabled", "value": false}.',
        )
    field = str(raw["field"]).strip()
    op = str(raw.get("op") or "eq").strip().lower()
    value = raw.get("value")
    if op not in OPS:
        raise Refused(f"unknown op {op!r}; ops: {', '.join(OPS)}", "Leave op out for equality.")
    base = field
    if "__" in field:
        base, suffix = field.split("__", 1)
        if base in m.filters and suffix in SUFFIX_OP and op == "eq":
            op = SUFFIX_OP[suffix]
            if op == "empty" and value is not None and not _bool(value, field):
                op, value = "not_empty", None
        elif base in m.filters:
            raise Refused(
                f"{m.name} filter {base} has no lookup {suffix!r} here; ops: {', '.join(_ops_of(m, base))}",
                f'Use op instead, e.g. {{"field": "{base}", "op": "ic", "value": "…"}}.',
            )
    if base == "id":
        return _ids(m, op, value)
    check(validate.filter_named(m, base))
    f = m.filters[base]
    if op in ("empty", "not_empty"):
        value = None
    check(validate.value_problem(Condition(field=base, op=op, value=value)))  # type: ignore[arg-type]
    text = f"{base} {op} {value}" if value is not None else f"{base} {op}"
    if f.type == REF:
        cond = _named(m, base, op, value, text)
    elif f.type == BOOL:
        cond = _true_or_false(m, base, op, value, text)
    else:
        if f.type == CHOICE and value is not None:
            value = _choice_values(m, base, op, value)
        if f.type == NUM and value is not None:
            value = _number(value, base)
        cond = Condition(field=base, op=op, value=value, text=text)
    check(*validate.condition_problems(m, cond))
    return cond


def _ids(m: Model, op: str, value: Any) -> Condition:
    """The objects themselves, by id (`{"field": "id", "value": [1, 2]}`): found already."""
    values = value if isinstance(value, list) else [value]
    ids = _number(values, "id")
    cond = Condition(field="id", op=op, value=ids, text=f"id {ids}", model=m.name,
                     resolved=[Ref(model=m.name, id=i, label=str(i)) for i in ids if isinstance(i, int)])
    if validate.op_problem(m, cond) is not None or any(not isinstance(i, int) for i in ids):
        raise Refused(
            "id takes object ids (numbers) with op eq or ne", 'E.g. {"field": "id", "value": [1, 2]}.'
        )
    return cond


def _named(m: Model, base: str, op: str, value: Any, text: str) -> Condition:
    """A filter naming objects: by ids (`site_id`), found already, or by one name, matched as in questions."""
    f = m.filters[base]
    check(validate.op_problem(m, Condition(field=base, op=op, model=f.to)))  # type: ignore[arg-type]
    if f.key == "id" and value is not None:
        values = value if isinstance(value, list) else [value]
        ids = _number(values, base)
        if any(not isinstance(i, int) for i in ids):
            raise Refused(f"{base} takes ids of {f.to}", f'Give ids, or the filter {base[:-3]} with names.')
        refs = [Ref(model=f.to or "", id=i, label=f"#{i}") for i in ids]
        return Condition(field=base, op=op, value=ids, text=text, model=f.to, resolved=refs)
    if isinstance(value, list):
        raise Refused(f"{base} takes one name per condition", f"Give ids with {base}_id for several objects.")
    stem = base[:-3] if base.endswith("_id") else base
    return Condition(field=stem, op=op, value=None if value is None else str(value), text=str(value or base),
                     model=f.to)


def _true_or_false(m: Model, base: str, op: str, value: Any, text: str) -> Condition:
    check(validate.op_problem(m, Condition(field=base, op=op, value=value)))  # type: ignore[arg-type]
    if op in ("empty", "not_empty"):
        raise Refused(f"{base} is true or false: ops eq, ne", NOTHING_SENT)
    b = _bool(value, base)
    return Condition(field=base, op="eq", value=(not b) if op == "ne" else b, text=text)


def _choice_values(m: Model, base: str, op: str, value: Any) -> Any:
    """A label ("Active") for its value ("active"); any other value the filter lacks is refused."""
    problem = validate.choice_problem(m, Condition(field=base, op=op, value=value))
    if problem is None:
        return value
    labels = {c.label.lower(): c.value for c in m.choices(base)}
    fixed = [labels.get(str(v).lower()) for v in (value if isinstance(value, list) else [value])]
    if not all(fixed):
        raise refused(problem)
    return fixed if isinstance(value, list) else fixed[0]


def build_intent(model: str, conditions: Any, fields: Any = None, aggregate: Any = None) -> Intent:
    m = model_named(model)
    if conditions is None:
        conditions = []
    if isinstance(conditions, dict):  # {"site": "DM-Akron", "enabled": false}: the filters' own form
        conditions = [{"field": k, "value": v} for k, v in conditions.items()]
    if not isinstance(conditions, list):
        raise Refused(
            "conditions is a list of {field, op, value}", 'E.g. [{"field": "site", "value": "DM-Akron"}].'
        )
    conds = [condition(m, c) for c in conditions]
    attrs = [str(name) for name in fields or [] if str(name).split(".")[0] != "id"]
    agg = None
    if aggregate:
        word = str(aggregate).strip()
        if word == "count":
            agg = Aggregate(op="count", text="count")
        else:
            by = word.removeprefix("group:").removeprefix("by ").strip()
            agg = Aggregate(op="group", by=by, text=f"per {by}")
    intent = Intent(target=m.name, conditions=conds, attributes=attrs, aggregate=agg, source="choice")
    check(*validate.problems(intent))  # the one check, as for an LLM's intent and the planner's filters
    return intent


def check_limit(limit: Any, offset: Any) -> tuple[int, int]:
    try:
        lim = int(limit) if limit is not None else 25
        off = int(offset) if offset is not None else 0
    except (TypeError, ValueError):
        raise Refused("limit and offset are whole numbers", "E.g. limit 100, offset 0.") from None
    if not 1 <= lim <= MAX_LIMIT:
        raise Refused(f"limit is 1-{MAX_LIMIT}, not {lim}", "Page on with page(handle, offset).")
    if off < 0:
        raise Refused(f"offset is 0 or more, not {off}", "")
    return lim, off


# -- describe -----------------------------------------------------------------------------------------------

def _type_word(m: Model, name: str) -> str:
    f = m.filters[name]
    if f.type == REF:
        return f"{f.to} by {f.key}"
    return {"str": "text", "num": "number", "bool": "true/false", "choice": "choice"}.get(f.type, f.type)


def describe_lines(model: str, field: Optional[str] = None) -> tuple[str, list[str]]:
    """(summary, lines): the fields, filters (grouped by type, with their ops) and choice values."""
    m = model_named(model)
    if field:
        base = field.split("__")[0]
        if base not in m.filters and base not in m.fields:
            names = list(m.filters) + [f for f in m.fields if not f.startswith("_")]
            raise Refused(
                f"{m.name} has no field or filter {field!r}; closest: {', '.join(closest(base, names))}",
                f'describe("{m.name}") lists them.',
            )
        lines = []
        if base in m.filters:
            lines.append(f"filter {base}: {_type_word(m, base)}; ops: {', '.join(_ops_of(m, base))}")
        if base in m.fields:
            fl = m.fields[base]
            lines.append(
                f"field {base}: {fl.type}" + (f" → {fl.to}" if fl.to else "") + (" (many)" if fl.many else "")
            )
        values = m.choices(base)
        if values:
            lines.append(
                "values: "
                + ", ".join(
                    c.value if c.label.lower() == c.value.lower() else f"{c.value} ({c.label})"
                    for c in values
                )
            )
        return f"{m.name} {base}", lines
    groups: dict[str, list[str]] = {}
    for name, f in m.filters.items():
        if name in HIDDEN_FILTERS:
            continue
        if f.type == REF:
            key = "objects by id" if f.key == "id" else "objects by name (or slug)"
            groups.setdefault(f"{key} (ops eq ne empty not_empty)", []).append(f"{name}→{f.to}")
            continue
        ops = " ".join(o for o in _ops_of(m, name) if o != "eq")
        kind = {"str": "text", "num": "numbers", "bool": "true/false", "choice": "choices"}.get(
            f.type, f.type
        )
        groups.setdefault(f"{kind}" + (f" (ops eq {ops})" if ops else " (op eq)"), []).append(name)
    fields = [
        f
        for f in m.fields
        if not f.startswith("_")
        and f not in ("url", "display_url", "custom_fields", "tags", "created", "last_updated", "owner")
    ]
    lines = ["fields (for `fields`): " + ", ".join(fields)]
    lines += [
        f"filters, {kind}: {', '.join(names)}"
        for kind, names in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    ]
    choice_filters = [n for n, f in m.filters.items() if f.type == CHOICE]
    for name in choice_filters:
        values = [c.value for c in m.choices(name)]
        if values:
            shown = ", ".join(values[:12]) + (
                f" (+{len(values) - 12}: describe(\"{m.name}\", \"{name}\"))" if len(values) > 12 else ""
            )
            lines.append(f"values of {name}: {shown}")
    summary = (
        f"{m.name}: {m.verbose} objects at /api/{m.path}, named by {m.label}. Conditions: "
        "{field, op, value} on the filters "
        "below; a name is matched to its object, *_id filters take ids."
    )
    return summary, lines
