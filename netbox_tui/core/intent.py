"""The typed intent a question is understood as (offline rules or an LLM fill the same model).

An intent is a target model and conditions on it, each `(field, op, value)` in NetBox's own terms
(the field is a filter of the target's endpoint, as the schema layer knows it) and each with the
words of the question it came from. Names stay as typed until they are resolved to objects; a
choice the user picks carries the resolved objects, so nothing is classified twice. Words no
reading covers are kept in `not_understood`: an answer is exact only when that list is empty.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from netbox_tui.core import ops
from netbox_tui.core.ranking import Rank

Op = ops.Name  # the operations, their symbols and NetBox lookups: core/ops.py
Pattern = Literal[
    "trace",
    "vlan_topology",
    "rack_utilisation",
    "free_ips",
    "prefix_utilisation",
    "site_summary",
    "find",
    "changes",
    "journal",
    "about",
]

OP_WORDS: dict[str, str] = ops.WORDS  # "=", "≠", "starts with", …


class Ref(BaseModel):
    """An object a name was resolved to."""

    model_config = ConfigDict(frozen=True)

    model: str  # "dcim.site"
    id: int
    label: str  # what NetBox displays


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str = Field(
        description="a filter name of the target's endpoint, without lookup: enabled, mode, type, site, "
        "role, device, status, description, vid, id"
    )
    op: Op = "eq"
    value: Any = Field(
        None,
        description="true/false, a number, a choice value or list of them, or a name as the user typed it",
    )
    text: str = Field("", description="the words of the question this condition came from")
    model: Optional[str] = Field(
        None, description="for a reference: the model the named object is (dcim.site)"
    )
    candidates: list[str] = Field(
        default_factory=list,
        description="models the name may be when the words do not say (a bare hostname: device or VM)",
    )
    resolved: list[Ref] = Field(
        default_factory=list, description="filled by the resolver or a choice; the LLM leaves it empty"
    )
    guess: Optional[str] = Field(None, description="a fuzzy correction the user must be told about")
    span: Optional[tuple[int, int]] = Field(None, exclude=True)

    @property
    def is_ref(self) -> bool:
        return self.model is not None

    def shown_value(self) -> str:
        if self.resolved:
            labels = [r.label for r in self.resolved]
            return " or ".join(labels[:3]) + (
                f" +{len(labels) - 3}" if len(labels) > 3 else ""
            )  # NetBox ORs them
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        if isinstance(self.value, list):
            return " or ".join(str(v) for v in self.value[:4]) + (
                f" +{len(self.value) - 4}" if len(self.value) > 4 else ""
            )
        return "" if self.value is None else str(self.value)

    def words(self) -> str:
        """"enabled = false", "site = DM-Akron", "description is empty"."""
        field = self.field.replace("_", " ")
        if not ops.OPS[self.op].takes_value:
            return f"{field} {OP_WORDS[self.op]}"
        return f"{field} {OP_WORDS[self.op]} {self.shown_value()}"


class Relation(BaseModel):
    """Objects of the target that have (or have none of) related objects: "sites with no VLANs"."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(description="the related model: ipam.vlan for 'sites with no VLANs'")
    negate: bool = Field(True, description="true: with none of them; false: with at least one")
    conditions: list[Condition] = Field(
        default_factory=list,
        description="conditions on the related objects ('with nothing plugged in': cabled = true)",
    )
    text: str = ""
    span: Optional[tuple[int, int]] = Field(None, exclude=True)

    def words(self, noun: str) -> str:
        cond = " where " + ", ".join(c.words() for c in self.conditions) if self.conditions else ""
        return f"{'no' if self.negate else 'some'} {noun}{cond}"


class Aggregate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    op: Literal["count", "group"] = "count"
    by: Optional[str] = Field(
        None, description="for group: the field of the target to group by (role, status, provider)"
    )
    text: str = ""
    span: Optional[tuple[int, int]] = Field(None, exclude=True)


class Claim(BaseModel):
    """A span of the question and what it was read as (for the account of every word)."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    means: str


class Intent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(
        description="the NetBox model of the main result table, app_label.model (dcim.interface)"
    )
    conditions: list[Condition] = Field(default_factory=list)
    attributes: list[str] = Field(
        default_factory=list, description="fields of the target asked for (platform, serial, rack, position)"
    )
    aggregate: Optional[Aggregate] = None
    relations: list[Relation] = Field(default_factory=list)
    pattern: Optional[Pattern] = Field(
        None,
        description="a recipe beyond listing: trace, vlan_topology, rack_utilisation, free_ips, "
        "prefix_utilisation, site_summary; find = a bare name of unknown kind",
    )
    search: Optional[str] = Field(
        None, description="words left for NetBox's own q= search (only when the user asked to search)"
    )
    rank: Optional[Rank] = Field(
        None, description="most/fewest/top N of a grouped count, or rows ordered by a field (core/ranking.py)"
    )
    not_understood: list[str] = Field(default_factory=list, description="content words no reading covers")
    corrected: list[str] = Field(
        default_factory=list, exclude=True
    )  # words of the vocabulary read from a typo, said
    claims: list[Claim] = Field(default_factory=list, exclude=True)
    source: Literal["rules", "llm", "choice"] = "rules"

    # -- reading it ------------------------------------------------------------------------------

    def named(self) -> Optional[Condition]:
        """The condition that names the target object itself ("device X", "prefix 10.1.0.0/24",
        "VLAN 202", "IP 10.0.0.1")."""
        return next((c for c in self.conditions if c.model == self.target and c.op == "eq"), None)

    def condition(self, field: str) -> Optional[Condition]:
        return next((c for c in self.conditions if c.field == field), None)

    def refs_to(self, model: str) -> list[Condition]:
        return [c for c in self.conditions if c.model == model]

    def guesses(self) -> list[str]:
        out = list(self.corrected) + [f"“{c.text}” as {c.shown_value()}" for c in self.conditions if c.guess]
        for r in self.relations:
            out += [f"“{c.text}” as {c.shown_value()}" for c in r.conditions if c.guess]
        return out

    @property
    def kind(self) -> str:
        """The coarse label of older answers and dev.yaml's `intent` key."""
        if self.pattern in ("trace", "vlan_topology"):
            return "relationship_analysis"
        if self.pattern in ("rack_utilisation", "prefix_utilisation", "free_ips", "site_summary"):
            return "performance_query"
        if self.relations or any(c.op in ("empty", "not_empty") for c in self.conditions):
            return "configuration_audit"
        if self.named() is not None or self.pattern == "find":
            return "device_lookup"
        if self.target in ("dcim.interface", "ipam.ipaddress", "dcim.cable") and any(
            c.model == "dcim.device" for c in self.conditions
        ):
            return "relationship_analysis"
        return "bulk_discovery"
