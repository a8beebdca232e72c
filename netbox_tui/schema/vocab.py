"""The hand-written vocabulary beside the generated schema (vocab.toml), as typed data."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@dataclass(frozen=True)
class ModelWords:
    words: tuple[str, ...] = ()
    searched: bool = False
    columns: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    contents: Optional[str] = None
    stands_for: Optional[str] = None
    noun: Optional[str] = None  # how answers name it, where NetBox's own name is shared ("VM interface")


@dataclass(frozen=True)
class FieldWords:
    """A word for one field, a field reached through another object (`path`), or several fields."""

    name: str
    words: tuple[str, ...]
    path: Optional[str] = None  # "device_type.manufacturer"
    filter: Optional[str] = None  # the filter that takes it ("manufacturer")
    fields: tuple[str, ...] = ()  # several fields one word asks for ("mounted")
    # When every one of `fields` is unset: the addresses on the object's components that match this
    # ({"model": "dcim.interface", "where": {"mgmt_only": true}}: a management IP on a mgmt-only port).
    unset_then_ips_on: Optional[dict[str, Any]] = None


@dataclass(frozen=True)
class RelationWords:
    via: tuple[str, ...] = ()
    where: dict[str, Any] = field(default_factory=dict)
    filter: Optional[str] = None
    contains: Optional[str] = None
    through: Optional[str] = None  # the model both meet on (devices and VLANs: interfaces)


@dataclass(frozen=True)
class DrillRule:
    """Where a row of one model leads ([drill.models]): a recipe of its own, or related tables."""

    ask: Optional[str] = None  # the pattern the row's drill asks ("trace": a port's cable path)
    tables: tuple[str, ...] = ()  # related models, one table each, by their filter taking the row's id
    named: Optional[tuple[str, ...]] = None  # what a named object's answer offers, when fewer than tables
    says: Optional[str] = None  # what enter opens, as the TUI's hint says it

    @property
    def offered(self) -> tuple[str, ...]:
        return self.tables if self.named is None else self.named


@dataclass(frozen=True)
class Vocab:
    skip: frozenset[str]
    absence: tuple[str, ...]
    presence: tuple[str, ...]
    count: tuple[str, ...]
    group: tuple[str, ...]
    within: tuple[str, ...]
    place: frozenset[str]
    alternatives: frozenset[str]
    also: tuple[str, ...]
    greeting: tuple[str, ...]  # words that carry nothing where a question opens ("hi, …")
    negation: tuple[str, ...]
    patterns: dict[str, tuple[str, ...]]
    abbreviations: dict[str, str]
    models: dict[str, ModelWords]
    fields: dict[str, tuple[str, ...]]  # generic: field name -> words
    model_fields: dict[str, dict[str, FieldWords]]  # per model
    values: dict[str, dict[str, dict[str, Any]]]  # model -> phrase -> {field: value}
    presence_filters: dict[str, str]  # "dcim.device.primary_ip" -> "has_primary_ip"
    relations: dict[tuple[str, str], RelationWords]  # (target, related) -> how
    scoped_names: dict[str, tuple[str, ...]]
    name_models: tuple[str, ...]  # names read once into the vocabulary (the rest are searched)
    cidr_filters: dict[str, str]  # model -> the filter that takes a network ("parent")
    find_models: tuple[str, ...]  # where a name of unknown kind is looked for
    unique_names: frozenset[str]  # models NetBox names uniquely: a name cell tells which object
    address_filters: dict[str, str]  # model -> the filter that takes one address ("contains")
    compare: dict[str, tuple[str, ...]]  # op -> words ("gt": above, over…)
    titles: dict[str, str]  # field -> column title
    words: dict[str, str]  # field -> how a sentence says it
    prepositions: dict[str, str]  # a condition's field words -> "at", "in rack"…
    writes: dict[
        str, tuple[str, ...]
    ]  # "anywhere", "commands", "lead", "reads": words that ask to change NetBox
    history: dict[str, Any]  # the change log's words: "actions" (NetBox's action -> words), "users" (cues)
    followups: dict[str, Any]  # words that open a follow-up of each kind (core/refine.py)
    text_ops: dict[str, Any]  # words between a text field and its value -> the operation (core/textvalues.py)
    custom_field_words: dict[str, Any]  # how a custom field's value is said (core/customfields.py)
    ranking: dict[str, Any]  # superlatives and orderings (core/ranking.py)
    drill: dict[str, DrillRule]  # model -> where its rows lead
    hop_columns: frozenset[str]  # a table with all of these lists a trace's hops, not objects

    def drill_rule(self, model: str) -> DrillRule:
        return self.drill.get(model, DrillRule())

    def model(self, name: str) -> ModelWords:
        return self.models.get(name, ModelWords())

    def relation(self, target: str, related: str) -> Optional[RelationWords]:
        return self.relations.get((target, related))


def parse(data: dict[str, Any]) -> Vocab:
    cues = data.get("cues", {})
    models = {
        name: ModelWords(
            words=tuple(m.get("words", ())),
            searched=bool(m.get("searched", False)),
            columns=tuple(m.get("columns", ())),
            summary=tuple(m.get("summary", ())),
            contents=m.get("contents"),
            stands_for=m.get("stands_for"),
            noun=m.get("noun"),
        )
        for name, m in data.get("models", {}).items()
    }
    generic: dict[str, tuple[str, ...]] = {}
    per_model: dict[str, dict[str, FieldWords]] = {}
    for key, value in data.get("fields", {}).items():
        if isinstance(value, list):
            generic[key] = tuple(value)
            continue
        per_model[key] = {
            name: FieldWords(
                name,
                tuple(spec.get("words", ())),
                spec.get("path"),
                spec.get("filter"),
                tuple(spec.get("fields", ())),
                spec.get("unset_then_ips_on"),
            )
            for name, spec in value.items()
        }
    relations = {
        (target, related): RelationWords(
            tuple(spec.get("via", ())),
            dict(spec.get("where", {})),
            spec.get("filter"),
            spec.get("contains"),
            spec.get("through"),
        )
        for target, rels in data.get("relations", {}).items()
        for related, spec in rels.items()
    }
    return Vocab(
        skip=frozenset(w.lower() for w in data.get("skip", ())),
        absence=tuple(cues.get("absence", ())),
        presence=tuple(cues.get("presence", ())),
        count=tuple(cues.get("count", ())),
        group=tuple(cues.get("group", ())),
        within=tuple(cues.get("within", ())),
        place=frozenset(cues.get("place", ())),
        alternatives=frozenset(cues.get("alternatives", ())),
        also=tuple(cues.get("also", ())),
        greeting=tuple(cues.get("greeting", ())),
        negation=tuple(cues.get("negation", ())),
        patterns={k: tuple(v) for k, v in data.get("patterns", {}).items()},
        abbreviations={k.lower(): v for k, v in data.get("abbreviations", {}).items()},
        models=models,
        fields=generic,
        model_fields=per_model,
        values={m: dict(v) for m, v in data.get("values", {}).items()},
        presence_filters=dict(data.get("presence", {})),
        relations=relations,
        scoped_names={k: tuple(v) for k, v in data.get("scoped_names", {}).items()},
        name_models=tuple(data.get("names", {}).get("models", ())),
        cidr_filters=dict(data.get("cidr", {})),
        find_models=tuple(data.get("names", {}).get("find", ())),
        unique_names=frozenset(data.get("names", {}).get("unique", ())),
        address_filters=dict(data.get("address", {})),
        compare={k: tuple(v) for k, v in data.get("compare", {}).items()},
        titles=dict(data.get("say", {}).get("titles", {})),
        words=dict(data.get("say", {}).get("words", {})),
        prepositions=dict(data.get("say", {}).get("prepositions", {})),
        writes={k: tuple(v) for k, v in data.get("writes", {}).items()},
        history=dict(data.get("history", {})),
        followups=dict(data.get("followups", {})),
        text_ops=dict(data.get("text_ops", {})),
        custom_field_words=dict(data.get("custom_fields", {})),
        ranking=dict(data.get("ranking", {})),
        drill={
            name: DrillRule(
                ask=spec.get("ask"),
                tables=tuple(spec.get("tables", ())),
                named=tuple(spec["named"]) if "named" in spec else None,
                says=spec.get("says"),
            )
            for name, spec in data.get("drill", {}).get("models", {}).items()
        },
        hop_columns=frozenset(data.get("drill", {}).get("hop_columns", ())),
    )


@lru_cache(maxsize=1)
def load() -> Vocab:
    from netbox_tui.schema import _here, compiled

    raw = resources.files("netbox_tui.schema").joinpath("vocab.toml").read_bytes()
    return parse(compiled("vocab", raw, lambda text: tomllib.loads(text.decode("utf-8")), near=_here()))
