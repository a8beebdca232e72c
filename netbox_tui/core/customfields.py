"""A team's custom fields in questions: "devices with warranty end before 2027", "gold support tier
devices", "devices owned by Dwight Schrute", "warranty end of X", "devices per support tier".

Nothing here names a custom field: they are read from the connected NetBox (client.custom_fields(),
cached briefly) when the question has words nothing else reads, and their labels and names become
readings of the question like the schema's fields ("warranty end", a label word alone when no other
reading has it, "owned by" for the label "Owner"), their choices and boolean labels values ("gold",
"monitored"). A condition on one is `cf_<name>` with the lookup NetBox gives its type; the planner
asks `cf_filter` for it, and the client refuses any the connected NetBox lacks.

This module holds the custom fields of one NetBox, when to read them and the filters they become; the
readings of a question's words are core/cfwords.py, the conditions they make core/cfconditions.py, the
periods a date is compared with core/cfdates.py.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from netbox_tui.core import ops
from netbox_tui.core.cfdates import period as period  # re-exported: the periods of a date field
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.lexicon import fold
from netbox_tui.netbox.client import CustomField

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler, Mention
    from netbox_tui.core.readings import Cand, Readings

log = logging.getLogger(__name__)

PREFIX = "cf_"  # NetBox's filter of a custom field: cf_<name>[__lookup]
PATH = "custom_fields."  # where a row holds its value: custom_fields.<name>
CUSTOM_FIELD = "extras.customfield"  # NetBox's model of the custom fields themselves

# -- the custom fields of one NetBox -----------------------------------------------------------------------


@dataclass(frozen=True)
class CustomFields:
    """Model (`dcim.device`) -> its custom fields by name."""

    by_model: dict[str, dict[str, CustomField]] = field(default_factory=dict)
    choices: bool = True  # the choices of select fields are here (else read when a question may say one)

    def of(self, model: str) -> dict[str, CustomField]:
        return self.by_model.get(model, {})

    def get(self, model: str, name: str) -> Optional[CustomField]:
        """A field by its name, its filter (`cf_<name>`) or its path (`custom_fields.<name>`)."""
        return self.of(model).get(bare(name))

    def named(self, name: str) -> Optional[CustomField]:
        """A field by name on whichever model (NetBox's custom field names are unique)."""
        return next(
            (f for by_name in self.by_model.values() for n, f in by_name.items() if n == bare(name)), None
        )

    def __bool__(self) -> bool:
        return bool(self.by_model)


NONE = CustomFields()
# The custom fields of the NetBox the question in hand is asked of (set by the orchestrator), read by
# the planner and the columns, which have no client.
_CURRENT: ContextVar[CustomFields] = ContextVar("netbox_tui_custom_fields", default=NONE)


def current() -> CustomFields:
    return _CURRENT.get()


def use(fields: CustomFields) -> None:
    _CURRENT.set(fields)


async def load(client: Any, choices: bool = True) -> CustomFields:
    """The connected NetBox's custom fields (with the choices of select fields, or not yet); none when
    they cannot be read (a token without the right, a NetBox failing: the question is still answered)."""
    try:
        return CustomFields(await client.custom_fields(choices=choices), choices=choices)
    except Exception as exc:  # noqa: BLE001
        log.info("custom fields unavailable (%s)", exc)
        return NONE


def wants_choices(fields: CustomFields, intent: Intent) -> bool:
    """Whether the choices of select fields (a second request) may read what the question left: a word
    nothing read ("gold support tier devices"), or a plain name nothing resolved ("circuits on bronze")."""
    if fields.choices or not any(
        f.choice_set is not None for by in fields.by_model.values() for f in by.values()
    ):
        return False
    return bool(intent.not_understood) or any(
        c.candidates and not c.resolved and isinstance(c.value, str) and not re.search(r"\d", c.value)
        for c in intent.conditions
    )


def needed(parser: Any, text: str) -> bool:
    """Whether a question may name a custom field, so that they must be read (one or two requests, cached):
    a plain lower-case word nothing reads ("warranty", "monitored"), or a phrase the vocabulary gives for
    a field it does not name, when it is a model word or several words ("owner", "owned by": the tenant),
    which a label may mean instead. Names (the name index's, once read; a capitalised word after the first:
    "circuits from Sprint"), numbers and a field's own words ("serial number of X") need none."""
    from netbox_tui.core.readings import Readings
    from netbox_tui.core.timewords import find_span
    from netbox_tui.core.tokens import tokenize

    toks = tokenize(text, parser.lex)
    run = Readings(parser, text, toks, use_names=bool(parser.names.entries))  # a name is no field
    run.select()
    lows = [t.low for t in toks]
    timed: set[int] = set()
    while (span := find_span([w if i not in timed else "" for i, w in enumerate(lows)])) is not None:
        timed.update(range(span.start, span.end))  # "today", "this week": the change log's, never a field
    for t in toks:
        if t.i in timed:
            continue
        c = run.claimed[t.i]
        structural = c is not None and bool(c.kinds & {"pattern", "cue"})  # "connected to": a trace
        if c is not None and c.has("field") and (c.has("noun") or c.length > 1) and not structural \
                and _synonym(run, c):
            return True
        if c is None and t.kind == "word" and not parser.is_skip(t) and not t.host and t.number is None \
                and not (t.i > 0 and t.text[:1].isupper()):
            return True
    return _unknown_person(run, toks)


def _unknown_person(run: Readings, toks: list[Any]) -> bool:
    """Two capitalised words in a row that no name of this NetBox reads, once its names are read ("which
    prefixes does Pamela Halpert own"): a contact's name, which only an object custom field can read."""
    if not run.use_names:
        return False
    caps = [t.i for t in toks if run.claimed[t.i] is None and t.kind == "word" and t.i > 0
            and t.text[:1].isupper() and t.text[1:].islower() and t.number is None]
    return any(b == a + 1 for a, b in zip(caps, caps[1:]))


def _synonym(run: Readings, c: Cand) -> bool:
    """A phrase the vocabulary gives for a field and that holds no word of the field's name ("owner" for
    the tenant; not "serial number" for the serial)."""
    words = set(run._key(c.a, c.b))
    return any(not words & set(fold(m.name.replace("_", " "))) for m in c.of("field"))


def bare(name: str) -> str:
    """`cf_owner`, `custom_fields.owner`, `owner` -> `owner`."""
    if name.startswith(PATH):
        return name[len(PATH) :]
    return name[len(PREFIX) :] if name.startswith(PREFIX) else name


def is_custom(name: str) -> bool:
    return name.startswith(PREFIX) or name.startswith(PATH)


def label_of(model: str, name: str) -> str:
    """A custom field as a sentence says it ("warranty end", "SLA hours")."""
    cf = current().get(model, name) or current().named(name)
    label = cf.label if cf is not None else bare(name).replace("_", " ")
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def shown_value(cond: Condition) -> Optional[str]:
    """A selection's value as its label says it ("Gold" for gold); None for any other field."""
    cf = current().named(cond.field)
    labels = dict(cf.choices) if cf is not None else {}
    values = cond.value if isinstance(cond.value, list) else [cond.value]
    if not labels or cond.resolved or not all(str(v) in labels for v in values):
        return None
    return " or ".join(labels[str(v)] for v in values)


def title_of(model: str, name: str) -> str:
    cf = current().get(model, name)
    return cf.label if cf is not None else bare(name).replace("_", " ").capitalize()


# -- the filter a condition becomes ---------------------------------------------------------------------

def cf_filter(model: str, cond: Condition) -> Optional[tuple[str, Any]]:
    """The `cf_` parameter a condition on a custom field becomes, or None when this NetBox has no such
    field on the model, or no filter NetBox honours for it (a boolean's `__n`, `__empty`)."""
    from netbox_tui.netbox.client import CUSTOM_FIELD_LOOKUPS

    cf = current().get(model, cond.field)
    if cf is None or cf.filter_logic == "disabled":
        return None
    name = PREFIX + cf.name
    lookups = CUSTOM_FIELD_LOOKUPS.get(cf.type, CUSTOM_FIELD_LOOKUPS["text"])
    if cond.op in ("empty", "not_empty"):
        return (name + "__empty", "true" if cond.op == "empty" else "false") if "empty" in lookups else None
    if cf.type == "boolean":
        if cond.op not in ("eq", "ne") or isinstance(cond.value, list):
            return None
        return name, "true" if bool(cond.value) == (cond.op == "eq") else "false"
    operation = ops.OPS.get(cond.op)  # the lookup each op is sent as (core/ops.py): "" or "__gt"
    suffix = None if operation is None or operation.lookup is None else operation.param("")
    if cond.op == "eq" and cf.type in ("text", "longtext", "url") and cf.filter_logic == "exact":
        suffix = "__ie"  # typed in any case ("cc-1040"): NetBox's exact is case-sensitive
    if suffix is None or suffix and suffix[2:] not in lookups:
        return None
    if cf.type in ("object", "multiobject"):
        if not cond.resolved:
            return None
        return name + suffix, [r.id for r in cond.resolved]
    if cf.type in ("select", "multiselect") and cf.choices:
        valid = {v for v, _ in cf.choices}
        if any(str(v) not in valid for v in (cond.value if isinstance(cond.value, list) else [cond.value])):
            return None
    return name + suffix, cond.value


def prompt_lines() -> str:
    """The custom fields in use, for an LLM's prompt: their filters and paths, by model."""
    fields = current()
    if not fields:
        return ""
    lines = ["\nCustom fields (filter cf_<name> with the op of its type; attribute or group by "
             "custom_fields.<name>; an object one's value is the related object's name, model set to it):"]
    for model, by_name in sorted(fields.by_model.items()):
        parts = [f"{PREFIX}{f.name}:" + ("|".join(v for v, _ in f.choices[:8]) if f.choices
                                           else f.related_object_type or f.type) for f in by_name.values()]
        lines.append(f"{model} " + " ".join(parts))
    return "\n".join(lines)


def columns(intent: Intent) -> list[str]:
    """The custom fields a question's conditions use, as columns (`custom_fields.<name>`)."""
    return list(dict.fromkeys(PATH + bare(c.field) for c in intent.conditions if c.field.startswith(PREFIX)))


def wanted(intent: Intent) -> bool:
    """The intent uses a custom field (an LLM's, a choice's: the fields must be read before planning)."""
    by = intent.aggregate.by if intent.aggregate is not None else None
    return any(is_custom(x) for x in [c.field for c in intent.conditions] + intent.attributes + [by or ""])


# -- the readings and conditions of a question (cfwords.py, cfconditions.py), for the parser ----------------


def cands(run: Readings) -> list[Cand]:
    from netbox_tui.core.cfwords import cands as _cands

    return _cands(run)


def read(asm: Assembler, intent: Intent, pinned: Optional[Mention]) -> Optional[Mention]:
    from netbox_tui.core.cfconditions import read as _read

    return _read(asm, intent, pinned)


def sole_model(asm: Assembler) -> Optional[str]:
    from netbox_tui.core.cfconditions import sole_model as _sole_model

    return _sole_model(asm)


def notes(asm: Assembler, intent: Intent) -> list[str]:
    from netbox_tui.core.cfconditions import notes as _notes

    return _notes(asm, intent)
