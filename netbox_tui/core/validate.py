"""One validator: an intent checked against the schema in force, with typed problems.

The LLM's reply (`core/llm.py`), the MCP `query` tool (`mcp/query.py`) and the planner (`core/planner.py`)
all ask here whether a model exists, a condition names a filter the endpoint has, its operation is one
that filter takes, its value is given and, for a choice, one NetBox has, and whether a list is sent to a
parameter that keeps one value. Each caller decides what a problem costs: the LLM's reply and the MCP
call are refused with its message (the MCP adds the closest valid names), the planner says the
condition is not applied, in the interpretation's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Optional

from netbox_tui.core import ops
from netbox_tui.core.customfields import PREFIX as CF_PREFIX
from netbox_tui.core.customfields import current as custom_fields
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.schema import BOOL, CHOICE, REF, Model
from netbox_tui.schema import load as load_schema

# Filters an intent never names: free-text search and request ids (the MCP `describe` does not list them).
HIDDEN_FILTERS = frozenset({
    "q",
    "created_by_request",
    "modified_by_request",
    "updated_by_request",
    "tag__any",
    "tag_id__any",
})
# A named object is compared, never searched: these are the operations a condition naming one takes.
REF_OPS = ("eq", "ne", "empty", "not_empty")
ID_OPS = ("eq", "ne")  # the object a question is about itself, by id
# Operations that send the value to a filter of their own (a prefix's `within`), whatever its lookups.
OWN_FILTER_OPS = tuple(o.name for o in ops.OPS.values() if o.lookup is None)
EXACT_OPS = ("eq", "ne")  # the operations whose lists go to the filter itself or its `__n`

Kind = Literal["model", "filter", "op", "value", "choice", "one_value", "field", "group"]


@dataclass(frozen=True)
class Problem:
    """What the schema says no to, and what it would take instead."""

    kind: Kind
    message: str
    model: str = ""  # the model whose schema or endpoint says no
    name: str = ""  # the model, filter, field or operation at fault
    value: str = ""  # the value at fault
    allowed: tuple[str, ...] = ()  # what would be valid there: closest names, ops, choice values

    @property
    def blocking(self) -> bool:
        """Whether nothing honest can be made of it. A list to a one-value filter can: the planner
        applies it here over a bounded set, or says it is not applied."""
        return self.kind != "one_value"


def problems(intent: Intent) -> list[Problem]:
    """Every problem of an intent: its target, conditions (those of relations on their model),
    attributes and group-by field. Empty when the schema can answer it as asked."""
    schema = load_schema()
    m = schema.get(intent.target)
    if m is None:
        return [model_problem(intent.target)]
    out = [p for c in intent.conditions for p in condition_problems(m, c)]
    for r in intent.relations:
        rm = schema.get(r.model)
        if rm is None:
            out.append(model_problem(r.model))
            continue
        out += [p for c in r.conditions for p in condition_problems(rm, c)]
    out += [p for a in intent.attributes if (p := field_problem(m, a)) is not None]
    by = intent.aggregate.by if intent.aggregate is not None else None
    if by and (p := field_problem(m, by)) is not None:
        out.append(Problem("group", f"{m.name} has no field {by!r} to group by", m.name, by,
                           allowed=p.allowed))
    return out


def condition_problems(m: Model, cond: Condition) -> list[Problem]:
    """A condition's problems on model `m`'s endpoint, the first one first."""
    schema = load_schema()
    found = [value_problem(cond)]
    found += [model_problem(name) for name in [*cond.candidates, cond.model or ""] if name
              and schema.get(name) is None]
    if cond.field == "id" and cond.model == m.name:
        found.append(op_problem(m, cond))
    elif cond.field.startswith(CF_PREFIX):  # a custom field of the connected NetBox, not of the schema
        if custom_fields().get(m.name, cond.field) is None:
            found.append(Problem("filter", f"{m.name} has no custom field {cond.field!r}", m.name,
                                 cond.field))
    elif (no_filter := filter_problem(m, cond)) is not None:
        found.append(no_filter)
    else:
        found += [op_problem(m, cond), choice_problem(m, cond), one_value_problem(m, cond)]
    return [p for p in found if p is not None]


def model_problem(name: str) -> Problem:
    return Problem("model", f"unknown model {name!r}", name=name, allowed=tuple(load_schema().names))


def filter_named(m: Model, name: str) -> Optional[Problem]:
    """`name` is not a filter of the endpoint an intent may name (exactly: the MCP's filters' own form)."""
    if name in m.filters and name not in HIDDEN_FILTERS:
        return None
    names = tuple(n for n in m.filters if n not in HIDDEN_FILTERS)
    return Problem("filter", f"{m.name} has no filter {name!r}", m.name, name, allowed=names)


def filter_problem(m: Model, cond: Condition) -> Optional[Problem]:
    """The condition's field is no filter of the endpoint: neither itself nor its `_id` form, nor, for a
    named object, a filter taking that model by id."""
    name = cond.field if cond.field in m.filters else f"{cond.field}_id"
    if cond.field not in HIDDEN_FILTERS and (
        name in m.filters or (cond.model is not None and m.ref_filter(cond.model) is not None)
    ):
        return None
    return filter_named(m, cond.field)


def ops_of(m: Model, base: str) -> list[str]:
    """The operations filter `base` takes with a lookup of its own: eq, then its lookups' operations; a
    filter that names objects is also empty or not, a true/false one also negated."""
    f = m.filters[base]
    found = ["eq"]
    found += [ops.BY_LOOKUP[lk] for lk in sorted(f.lookups | f.lookups1)
              if lk in ops.BY_LOOKUP and ops.BY_LOOKUP[lk] not in found]
    if "empty" in found:
        found.append("not_empty")
    if f.type == REF and "empty" not in found:
        found += ["empty", "not_empty"]
    if f.type == BOOL and "ne" not in found:
        found.append("ne")
    return found


def op_problem(m: Model, cond: Condition) -> Optional[Problem]:
    """The condition's operation is not one its filter takes."""
    base = cond.field if cond.field in m.filters or cond.field == "id" else f"{cond.field}_id"
    if cond.field == "id" and cond.model == m.name:
        allowed: tuple[str, ...] = ID_OPS
    elif cond.model is not None or m.filters[base].type == REF:
        allowed = REF_OPS + OWN_FILTER_OPS  # a prefix named by its CIDR: `within`
    else:
        allowed = tuple(ops_of(m, base)) + OWN_FILTER_OPS
    if cond.op in allowed:
        return None
    return Problem("op", f"{m.name} filter {base} does not take op {cond.op}", m.name, cond.op,
                   allowed=allowed)


def value_problem(cond: Condition) -> Optional[Problem]:
    """A condition with no value ("status =", answered "no devices" as if exact), unless it asks
    whether the field is set."""
    if not ops.OPS[cond.op].takes_value or cond.value not in (None, "", []):
        return None
    return Problem("value", f"the condition on {cond.field!r} has no value", name=cond.field)


def choice_problem(m: Model, cond: Condition) -> Optional[Problem]:
    """A choice filter given a value it does not have: NetBox answers 400, under any lookup
    (`status__ic=act` too: "Select a valid choice")."""
    base = m.filters.get(cond.field)
    if base is None or base.type != CHOICE or cond.model or not ops.OPS[cond.op].takes_value:
        return None
    valid = tuple(str(c.value) for c in m.choices(cond.field))
    wrong = [str(v) for v in _values(cond.value) if valid and str(v) not in valid]
    if not wrong:
        return None
    return Problem("choice", f"{cond.field} has no value {wrong[0]!r}", m.name, cond.field, wrong[0], valid)


def one_value_param(m: Model, cond: Condition) -> Optional[str]:
    """The parameter a condition of several values goes to when that parameter takes one value only
    (interfaces' `vlan_id`, netbox-bgp's `status`): NetBox would keep the last."""
    values = cond.resolved if cond.resolved else _values(cond.value) if isinstance(cond.value, list) else []
    if len(values) < 2:
        return None
    if cond.model is None and cond.op not in EXACT_OPS:
        name: Optional[str] = ops.OPS[cond.op].param(cond.field)
    else:
        names = [cond.field, f"{cond.field}_id"] if cond.model is None else [f"{cond.field}_id", cond.field]
        if cond.model is not None and (alt := m.ref_filter(cond.model)) is not None:
            names.insert(0, alt.name)
        suffix = "__n" if cond.op == "ne" else ""
        name = next((n + suffix for n in names if m.accepts(n + suffix)), None)
    return name if name is not None and not m.param_names.get(name, True) else None


def one_value_problem(m: Model, cond: Condition) -> Optional[Problem]:
    name = one_value_param(m, cond)
    if name is None:
        return None
    return Problem("one_value", f"{name} takes one value", m.name, name)


def field_problem(m: Model, path: str) -> Optional[Problem]:
    """`path` (`platform`, `device_type.manufacturer`, a custom field) is no field of the model's rows."""
    if path.split(".")[0] in m.fields or custom_fields().get(m.name, path) is not None:
        return None
    names = tuple(f for f in m.fields if not f.startswith("_"))
    return Problem("field", f"{m.name} has no field {path!r}", m.name, path, allowed=names)


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
