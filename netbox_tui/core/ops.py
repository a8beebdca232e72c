"""The operations a condition can have, defined once.

Each is a name (what an intent, the MCP `query` tool and the LLM say), the symbol an interpretation
shows, and how NetBox is asked: the lookup suffix added to the filter's name (`name__ic`), none for
equality, or no lookup at all where the condition's field is a filter of its own (a prefix's
`within` and `contains` take an address as their value). The intent's pydantic type, the
planner's parameters, the MCP tool's enum and lookup map, and the LLM prompt are all read from
this table (tests/unit/test_ops.py checks each of them against it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional, get_args

# The type pydantic and mypy check an intent's `op` against; it must list OPS in order (checked below).
Name = Literal["eq", "ne", "ic", "isw", "gt", "gte", "lt", "lte", "empty", "not_empty", "within", "contains"]


@dataclass(frozen=True)
class Operation:
    name: str
    symbol: str  # in interpretations: "description contains uplink", "vid ≥ 100"
    # NetBox's lookup: the filter is sent as `field__<lookup>`; "" the bare filter; None when the
    # condition's field is a filter of its own that takes the value as is (`within=10.0.0.0/8`).
    lookup: Optional[str]
    takes_value: bool = True  # empty / not_empty send `__empty=true|false` (or `=null`), never a value
    hint: str = ""  # what the name alone does not say, for the LLM prompt

    def param(self, field: str) -> str:
        """The query parameter this operation on `field` is sent as: `name__isw`, `vid__gte`, `within`."""
        return f"{field}__{self.lookup}" if self.lookup else field


OPS: dict[str, Operation] = {
    o.name: o
    for o in (
        Operation("eq", "=", ""),
        Operation("ne", "≠", "n"),
        Operation("ic", "contains", "ic", hint="text contains"),
        Operation("isw", "starts with", "isw", hint="text starts with"),
        Operation("gt", ">", "gt"),
        Operation("gte", "≥", "gte"),
        Operation("lt", "<", "lt"),
        Operation("lte", "≤", "lte"),
        Operation("empty", "is empty", "empty", takes_value=False),
        Operation("not_empty", "is set", "empty", takes_value=False),
        Operation("within", "within", None, hint="inside a prefix"),
        Operation("contains", "contains", None, hint="a prefix holding an address"),
    )
}

if tuple(OPS) != get_args(Name):  # a new operation goes in both, in the same order
    raise RuntimeError(f"ops.Name {get_args(Name)} and ops.OPS {tuple(OPS)} differ")

# Operations on a filter's own lookups: what the MCP `query` tool offers (`within`/`contains` are
# filters there, `{"field": "within", "value": "10.0.0.0/8"}`).
LOOKUP_OPS: tuple[str, ...] = tuple(o.name for o in OPS.values() if o.lookup is not None)

# A filter's lookup read back as an operation (`name__ic` -> ic; `__empty` -> empty, its value says
# which): the first operation of each lookup.
BY_LOOKUP: dict[str, str] = {
    lk: next(o.name for o in OPS.values() if o.lookup == lk)
    for lk in dict.fromkeys(o.lookup for o in OPS.values() if o.lookup)
}

WORDS: dict[str, str] = {o.name: o.symbol for o in OPS.values()}


def op(name: str) -> Operation:
    return OPS[name]


def prompt_words() -> str:
    """The operations as the LLM prompt lists them: "eq, ne, ic (text contains), …, contains (…)"."""
    return ", ".join(f"{o.name} ({o.hint})" if o.hint else o.name for o in OPS.values())
