"""A team's custom fields in questions: "devices with warranty end before 2027", "gold support tier
devices", "devices owned by Dwight Schrute", "warranty end of X", "devices per support tier".

Nothing here names a custom field: they are read from the connected NetBox (client.custom_fields(),
cached briefly) when the question has words nothing else reads, and their labels and names become
readings of the question like the schema's fields ("warranty end", a label word alone when no other
reading has it, "owned by" for the label "Owner"), their choices and boolean labels values ("gold",
"monitored"). A condition on one is `cf_<name>` with the lookup NetBox gives its type; the planner
asks `cf_filter` for it, and the client refuses any the connected NetBox lacks.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

from netbox_tui.core import ops
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.lexicon import Lexicon, Meaning, fold
from netbox_tui.core.timewords import MONTH_OF
from netbox_tui.netbox.client import CustomField
from netbox_tui.schema.vocab import load as load_vocab

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler, Mention
    from netbox_tui.core.readings import Cand, Readings

log = logging.getLogger(__name__)

PREFIX = "cf_"  # NetBox's filter of a custom field: cf_<name>[__lookup]
PATH = "custom_fields."  # where a row holds its value: custom_fields.<name>
FULL, PART = 40, 25  # weights: a whole label wins over the vocabulary's synonyms (15); a word of one not

# Words of English, not of any NetBox, are the vocabulary's ([custom_fields]); symbols and the bounds a
# comparison sets on a date period stay here.
_WORDS = load_vocab().custom_field_words
IS, CONTAINS = frozenset(_WORDS.get("is", ())), frozenset(_WORDS.get("contains", ()))
TRUE, FALSE = frozenset(_WORDS.get("true", ())), frozenset(_WORDS.get("false", ()))
UNSET = frozenset(_WORDS.get("unset", ()))
MORE, LESS = frozenset(_WORDS.get("more", ())), frozenset(_WORDS.get("less", ()))
# A date field's verbs ("warranty ending before", "expiring in", "running past") carry nothing but the date.
DATE_VERBS = frozenset(_WORDS.get("date_verbs", ()))
# Date words -> how the period they name bounds the field: start/end of that day, month or year.
DATE_CMP: dict[str, str] = dict(_WORDS.get("date_bounds", {}))
CMP_DATE = {"lt": "lt:start", "lte": "lt:end", "gt": "gte:end", "gte": "gte:start"}
SYMBOLS = (("<=", "lte"), (">=", "gte"), ("≤", "lte"), ("≥", "gte"), ("<", "lt"), (">", "gt"), ("=", "eq"))


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
    return False


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


# -- readings: spans of the question that name a custom field or one of its values ---------------------------


def _forms(word: str) -> set[str]:
    """A label word as verbs say it: end -> ends, ending, ended."""
    out = {word, word + "s", word + "ed", word + "ing"}
    if word.endswith("e"):
        out |= {word + "d", word[:-1] + "ing"}
    return out


def _agent(word: str) -> set[str]:
    """An agent noun's verb: owner -> own, owns, owned, owning (a one-word label only)."""
    if len(word) < 5 or not word.endswith("er"):
        return set()
    stem = word[:-2]
    return {stem, stem + "s", stem + "ed", stem + "ing"}


def _abbreviates(short: str, word: str) -> bool:
    """'hrs' of 'hours': the same first letter, fewer letters, in order."""
    if len(short) < 2 or len(short) >= len(word) or short[0] != word[0]:
        return False
    it = iter(word)
    return all(ch in it for ch in short)


@dataclass(frozen=True)
class _Label:
    cf: CustomField
    raw: tuple[str, ...]  # the label's words, lower case ("sla", "hours")
    key: tuple[str, ...]  # folded ("sla", "hour")


def _labels(cf: CustomField) -> list[_Label]:
    out = []
    for text in dict.fromkeys([cf.label.lower(), cf.name.replace("_", " ").lower()]):
        raw = tuple(re.findall(r"[a-z0-9]+", text.lower()))
        if raw:
            out.append(_Label(cf, raw, fold(" ".join(raw))))
    return out


def _match(tok_low: str, tok_key: str, raw: str, key: str, verb: bool) -> str:
    """How a word of the question says a word of a label: '' not at all, 'same', 'form', 'abbr'."""
    if tok_key == key or tok_low == raw:
        return "same"
    if tok_low in _forms(raw) or verb and tok_low in _agent(raw):
        return "form"
    return "abbr" if tok_low.isalpha() and len(tok_low) >= 3 and _abbreviates(tok_low, raw) else ""


@lru_cache(maxsize=64)
def _known(lex: Lexicon, model: str) -> frozenset[str]:
    """Every word the lexicon reads about `model`: a label word among them is no reading alone."""
    keys = list(lex.base.phrases) + list(lex.of_model(model).phrases)
    return frozenset(w for k in keys for w in k)


def cands(run: Readings) -> list[Cand]:
    """Readings of the question's words as the custom fields (of any model) of the connected NetBox."""
    fields: CustomFields = getattr(run.p, "custom", NONE)
    unique = {
        cf.name: cf
        for by_name in fields.by_model.values()
        for cf in by_name.values()
        if any(m in run.p.schema.names for m in cf.object_types)
    }
    if not unique:
        return []
    toks, out = run.toks, []
    words = [(t.low, t.keys[0] if t.kind == "word" and len(t.keys) == 1 else t.low) for t in toks]
    labels = [lb for cf in unique.values() for lb in _labels(cf)]
    counts: dict[str, int] = {}  # how many custom fields have a word in their label: 1 = the word says which
    for cf in unique.values():
        for w in {w for lb in _labels(cf) for w in lb.key}:
            counts[w] = counts.get(w, 0) + 1
    known = frozenset().union(
        *(_known(run.p.lex, m) for cf in unique.values() for m in cf.object_types if m in run.p.schema.names)
    )
    for a in range(len(toks)):
        if toks[a].kind != "word":
            continue
        for lb in labels:
            got = _label_at(run, words, a, lb, known, counts)
            if got is not None:
                out.append(got)
        for cf in unique.values():
            out += _values_at(run, words, a, cf)
    return out


def _field_meaning(model: str, cf: CustomField, weight: int) -> Meaning:
    return Meaning(
        "field", model, PREFIX + cf.name, (PREFIX + cf.name,), PATH + cf.name, PREFIX + cf.name, weight=weight
    )


def _label_at(
    run: Readings,
    words: list[tuple[str, str]],
    a: int,
    lb: _Label,
    known: frozenset[str],
    counts: dict[str, int],
) -> Optional[Cand]:
    from netbox_tui.core.readings import Cand

    toks, n, cf = run.toks, len(words), lb.cf
    verb = len(lb.raw) == 1
    negated = {p + lb.raw[0] for p in ("un", "non", "non-", "not-")}
    if cf.type == "boolean" and verb and words[a][0] in negated:
        # "unmonitored devices": the label with a negative prefix is the value false
        means = [Meaning("value", m, value={PREFIX + cf.name: False}, weight=FULL) for m in cf.object_types
                 if m in run.p.schema.names]
        return Cand(a, a + 1, "value", means, prio=22)
    how = [
        _match(words[a + i][0], words[a + i][1], lb.raw[i], lb.key[i], verb) if a + i < n else ""
        for i in range(len(lb.raw))
    ]
    if any(h == "abbr" and run.p.is_skip(toks[a + i]) for i, h in enumerate(how)):
        return None  # "on" is no short "owner"
    if all(how):
        b, weight, guess = a + len(lb.raw), FULL, None
    else:
        # One word of the label alone ("warranty", "sla", "tier"): when it is the label's first or last, no
        # other custom field of the model has it, no other reading uses it, and no unread word follows it.
        w = words[a][1]
        hit = [i for i in (0, len(lb.raw) - 1) if lb.key[i] == w or words[a][0] == lb.raw[i]]
        if (
            not hit
            or len(w) < 3
            or w in known
            or counts.get(w, 0) != 1
            or run.p.is_skip(toks[a])
            or not _free_after(run, words, a + 1, known)
        ):
            return None
        b, weight, guess = a + 1, PART, cf.label
    last = words[b - 1][0]
    if b < n and words[b][0] == "by" and last not in lb.raw and last.endswith("ed"):
        b += 1  # "owned by"
    elif b < n and cf.type in ("date", "datetime") and words[b][0] in ("date", "day"):
        b += 1  # "warranty end date"
    meanings = [_field_meaning(m, cf, weight) for m in cf.object_types if m in run.p.schema.names]
    kinds = {"field"}
    if cf.type == "boolean" and weight == FULL:  # "monitored devices": the label is the value true
        meanings += [
            Meaning("value", m, value={PREFIX + cf.name: True}, weight=weight)
            for m in cf.object_types
            if m in run.p.schema.names
        ]
        kinds.add("value")
    return Cand(a, b, "field", meanings, prio=12 + (b - a) * 10, guess=guess, kinds=kinds)


def _free_after(run: Readings, words: list[tuple[str, str]], j: int, known: frozenset[str]) -> bool:
    """False when the next word is one no reading, value or comparison word has ("warranty start")."""
    if j >= len(words):
        return True
    t = run.toks[j]
    low, key = words[j]
    return (
        t.kind != "word"
        or run.p.is_skip(t)
        or key in known
        or t.number is not None
        or t.host
        or low in IS | CONTAINS | DATE_VERBS | set(DATE_CMP) | UNSET | TRUE | FALSE | {"between"}
        or low[:1].isdigit()
        or t.text[:1].isupper()
    )


def _values_at(run: Readings, words: list[tuple[str, str]], a: int, cf: CustomField) -> list[Cand]:
    """A choice of a select field, by its label or value ("gold", "Gold")."""
    from netbox_tui.core.readings import Cand

    for value, label in cf.choices:
        for phrase in dict.fromkeys([label, value]):
            key = fold(phrase)
            b = a + len(key)
            if key and b <= len(words) and tuple(w[1] for w in words[a:b]) == key:
                means = [
                    Meaning("value", m, value={PREFIX + cf.name: value}, weight=FULL)
                    for m in cf.object_types
                    if m in run.p.schema.names
                ]
                return [Cand(a, b, "value", means, prio=12 + len(key) * 10)]
    return []


# -- assembly: the conditions these readings make ----------------------------------------------------------


def _mine(c: Cand, target: str, kind: str) -> Optional[Meaning]:
    return next(
        (
            m
            for m in c.of(kind)
            if m.model == target and is_custom(m.name if kind == "field" else next(iter(m.value or {"": 0})))
        ),
        None,
    )


def read(asm: Assembler, intent: Intent, pinned: Optional[Mention]) -> Optional[Mention]:
    """Conditions on the target's custom fields: "warranty end before 2027", "support tier gold",
    "owned by Dwight Schrute", "monitored set to false". Words read are claimed; a field word left
    unclaimed is an attribute, an absence or a group for the steps after (a column, `__empty`, per)."""
    fields: CustomFields = getattr(asm.p, "custom", NONE)
    target = intent.target
    if not fields.of(target):
        return pinned
    for c in list(asm.r.chosen):
        if asm.is_used(c):
            continue
        fm, vm = _mine(c, target, "field"), _mine(c, target, "value")
        cf = fields.get(target, fm.name) if fm is not None else None
        if cf is not None:
            got = _after_field(asm, c, cf, pinned)
            if got is not None:
                conds, end, taken = got
                span = asm.claim(c.a, end, f"custom field {cf.name}")
                text = asm.surface(c.a, end)
                for cond in conds:
                    intent.conditions.append(cond.model_copy(update={"text": text, "span": span}))
                if taken is not None and taken is pinned:
                    pinned = None
                continue
            if cf.type in ("object", "multiobject") and (got2 := _name_before(asm, c, cf)) is not None:
                cond, start = got2
                span = asm.claim(start, c.b, f"custom field {cf.name}")
                intent.conditions.append(
                    cond.model_copy(update={"text": asm.surface(start, c.b), "span": span})
                )
                continue
        if vm is not None:
            ((fname, value),) = vm.value.items()
            a, b = c.a, c.b
            for other in (asm.prev_content(c.a), asm.next_content(c.b)):  # "gold support tier", "tier gold"
                om = _mine(other, target, "field") if other is not None and not asm.is_used(other) else None
                if om is not None and om.name == fname and other is not c:
                    a, b = min(a, other.a), max(b, other.b)  # type: ignore[union-attr]
            span = asm.claim(a, b, f"custom field {bare(fname)}")
            intent.conditions.append(
                Condition(field=fname, value=value, text=asm.surface(a, b), span=span, guess=c.guess)
            )
    inside = [m for m in asm.mentions if any(i in asm.used for i in range(m.a, m.b))]
    for m in inside:  # "monitored set to false": "false" is no place
        asm.mentions.remove(m)
    return None if pinned in inside else pinned


def _gap(asm: Assembler, i: int, j: int) -> str:
    """The text between token i's end and token j's start (symbols the tokens leave out: '>=', '≥')."""
    return asm.r.text[asm.toks[i].end : asm.toks[j].start] if 0 <= i < j < len(asm.toks) else ""


def _after_field(
    asm: Assembler, c: Cand, cf: CustomField, pinned: Optional[Mention]
) -> Optional[tuple[list[Condition], int, Optional[Mention]]]:
    """What follows a custom field's words and gives it a value: (conditions, end token, mention taken)."""
    toks, n = asm.toks, len(asm.toks)
    name = PREFIX + cf.name
    j = c.b
    while j < n and toks[j].low in IS | ({"of"} if cf.type in ("integer", "decimal") else set()) | (
        DATE_VERBS if cf.type in ("date", "datetime") else set()
    ):
        j += 1
    if j >= n:
        return None
    low = toks[j].low
    # "warranty end not set", "owner is empty"
    if low in UNSET or low == "not" and j + 1 < n and toks[j + 1].low in ("set", "given", "filled"):
        end = j + 1 if low in UNSET else j + 2
        return [Condition(field=name, op="empty")], end, None
    if cf.type in ("date", "datetime"):
        return _date_after(asm, c, j, name)
    if cf.type in ("integer", "decimal"):
        return _number_after(asm, c, j, name, cf)
    if cf.type == "boolean":
        if low in TRUE | FALSE:
            return [Condition(field=name, value=low in TRUE)], j + 1, None
        return None
    if cf.type in ("select", "multiselect"):
        return None  # its values are readings of their own (read() takes the field word with them)
    contains = low in CONTAINS
    k = j + 1 if contains else j
    after = asm.at(k) if k < n else None
    if k >= n or j == c.b and cf.type not in ("object", "multiobject") and toks[k].kind == "word" \
            and after is not None and not after.kinds <= {"host", "num", "name"}:
        return None  # "cost center of X", "owner per site": not a value
    found = _value_at(asm, k, pinned)
    if found is None:
        return None
    text, end, taken = found
    listed = any(x.has("noun") for x in asm.r.chosen)  # "devices with cost center CC-1040": rows listed
    if taken is not None and taken is pinned and j == c.b and not contains and not listed \
            and cf.type not in ("object", "multiobject"):
        return None  # "cost center dmi01-akron-pdu01": with no model word, the name is whose, not what
    if cf.type in ("object", "multiobject"):
        if contains or not cf.related_object_type:
            return None
        if taken is not None:
            asm.mentions.remove(taken)
        return [Condition(field=name, value=text, model=cf.related_object_type)], end, taken
    if taken is not None:
        asm.mentions.remove(taken)
    return [Condition(field=name, op="ic" if contains else "eq", value=text)], end, taken


def _value_at(
    asm: Assembler, k: int, pinned: Optional[Mention]
) -> Optional[tuple[str, int, Optional[Mention]]]:
    """A value typed at token k: a quoted text, a name or words the question names there, or free words."""
    t = asm.toks[k]
    if t.kind == "quoted":
        return t.text.strip("\"'“”"), k + 1, next((m for m in asm.mentions if m.a == k), None)
    m = next((m for m in asm.mentions if m.a == k), None)
    if m is not None:
        return m.text, m.b, m
    end = k
    while (
        end < len(asm.toks)
        and end - k < 4
        and asm.toks[end].kind == "word"
        and not asm.p.is_skip(asm.toks[end])
        and ((held := asm.at(end)) is None or held.kinds <= {"num", "host"})
    ):
        end += 1
    return (asm.surface(k, end), end, None) if end > k else None


def _name_before(asm: Assembler, c: Cand, cf: CustomField) -> Optional[tuple[Condition, int]]:
    """'what circuits does Dwight Schrute own': the name right before an object field's verb."""
    if not cf.related_object_type or asm.toks[c.b - 1].low in _labels(cf)[0].raw:
        return None  # the label itself ("owner") is asked about, not said as a verb
    m = next((m for m in asm.mentions if m.b == c.a), None)
    if m is not None:
        asm.mentions.remove(m)
        return Condition(field=PREFIX + cf.name, value=m.text, model=cf.related_object_type), m.a
    start = c.a
    while (
        start > 0
        and asm.at(start - 1) is None
        and asm.toks[start - 1].kind == "word"
        and not asm.p.is_skip(asm.toks[start - 1])
        and c.a - start < 4
    ):
        start -= 1
    if start == c.a:
        return None
    return Condition(
        field=PREFIX + cf.name, value=asm.surface(start, c.a), model=cf.related_object_type
    ), start


def _compare_at(asm: Assembler, c: Cand, j: int) -> tuple[Optional[str], int]:
    """A comparison said at token j (a word of the vocabulary's [compare], a symbol before it): (op, next)."""
    x = asm.at(j)
    if x is not None and asm.cue(x, "compare") and not asm.is_used(x):
        return next(m.value for m in x.of("cue") if m.name == "compare"), x.b
    gap = _gap(asm, j - 1, j)
    op = next((o for s, o in SYMBOLS if s in gap), None)
    return op, j


def _number_after(
    asm: Assembler, c: Cand, j: int, name: str, cf: CustomField
) -> Optional[tuple[list[Condition], int, None]]:
    toks, n = asm.toks, len(asm.toks)

    def num(k: int) -> Any:
        if k >= n or toks[k].number is None and not re.fullmatch(r"\d+(\.\d+)?", toks[k].text):
            return None
        return toks[k].number if toks[k].number is not None else float(toks[k].text)

    if toks[j].low == "between" and num(j + 1) is not None and j + 3 < n and toks[j + 2].low == "and" \
            and num(j + 3) is not None:  # "between 4 and 8": both ends in
        low, high = num(j + 1), num(j + 3)
        return [Condition(field=name, op="gte", value=low), Condition(field=name, op="lte", value=high)], \
            _unit_after(asm, j + 4, cf), None
    op, j = _compare_at(asm, c, j)
    value = num(j)
    if value is None:
        return None
    end = j + 1
    if end + 1 < n and toks[end].low == "or" and toks[end + 1].low in MORE | LESS and op in (None, "eq"):
        op, end = ("gte" if toks[end + 1].low in MORE else "lte"), end + 2  # "12 or more"
    elif end < n and toks[end].text == "+" and op is None:
        op, end = "gte", end + 1
    end = _unit_after(asm, end, cf)
    if end + 1 < n and toks[end].low == "or" and toks[end + 1].low in MORE | LESS and op in (None, "eq"):
        op, end = ("gte" if toks[end + 1].low in MORE else "lte"), end + 2  # "12 hours or more"
    return [Condition(field=name, op=op or "eq", value=value)], end, None


def _unit_after(asm: Assembler, k: int, cf: CustomField) -> int:
    """Past a unit said after a number, if a word of the label ("8 hrs" of "SLA hours"): the index after."""
    toks = asm.toks
    words = [r for lb in _labels(cf) for r in lb.raw]
    if k < len(toks) and any(_match(toks[k].low, toks[k].low, r, r, False) for r in words):
        unit = asm.at(k)
        if unit is not None:
            unit.guess = None  # a unit, not a guess at the field: nothing to say
        return k + 1
    return k


def _date_after(asm: Assembler, c: Cand, j: int, name: str) -> Optional[tuple[list[Condition], int, None]]:
    toks = asm.toks
    words = [t.low for t in toks]
    if words[j] == "between":  # "between 2026 and June 2027": from the first's start to the second's end
        first = period(words, j + 1)
        joined = first is not None and words[first[2]:first[2] + 1] == ["and"]
        second = period(words, first[2] + 1) if first is not None and joined else None
        if first is None or second is None:
            return None
        return [Condition(field=name, op="gte", value=first[0].isoformat()),
                Condition(field=name, op="lt", value=second[1].isoformat())], second[2], None
    how = DATE_CMP.get(toks[j].low)
    if how is not None:
        j += 1
    else:
        op, j2 = _compare_at(asm, c, j)
        if op is None or op == "eq":
            how = "in" if op == "eq" else None
        else:
            how = CMP_DATE[op]
        j = j2
    if how is None:
        return None
    found = period([t.low for t in toks], j)
    if found is None:
        return None
    start, end, j = found
    if how == "in":
        conds = [
            Condition(field=name, op="gte", value=start.isoformat()),
            Condition(field=name, op="lt", value=end.isoformat()),
        ]
    else:
        op, edge = how.split(":")
        conds = [Condition(field=name, op=op, value=(start if edge == "start" else end).isoformat())]
    return conds, j, None


def period(words: list[str], i: int, today: Optional[date] = None) -> Optional[tuple[date, date, int]]:
    """The day, month or year named from word i: [start, end) and the word after. 2027-03-31, 2027-03,
    2027, June 2028, June 30 2028, 30 June 2028, June 30 (this year), this/next/last year."""
    today = today or datetime.now(timezone.utc).date()
    if i >= len(words):
        return None
    w = words[i].rstrip(",")
    nxt = [x.rstrip(",") for x in words[i + 1 : i + 3]] + ["", ""]
    if w in ("this", "next", "last") and nxt[0] == "year":
        y = today.year + {"this": 0, "next": 1, "last": -1}[w]
        return date(y, 1, 1), date(y + 1, 1, 1), i + 2
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", w):
            d = date.fromisoformat(w)
            return d, date.fromordinal(d.toordinal() + 1), i + 1
        if re.fullmatch(r"\d{4}-\d{2}", w):
            y, m = int(w[:4]), int(w[5:])
            return date(y, m, 1), _month_after(y, m), i + 1
        if re.fullmatch(r"(19|20|21)\d{2}", w):
            return date(int(w), 1, 1), date(int(w) + 1, 1, 1), i + 1
        month, day, used = MONTH_OF.get(w), None, 1
        if month is None and w.isdigit() and MONTH_OF.get(nxt[0]):  # "30 June 2028"
            month, day, used = MONTH_OF[nxt[0]], int(w), 2
        elif month is not None and re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", nxt[0]):  # "June 30 2028"
            day, used = int(re.sub(r"\D", "", nxt[0])), 2
        if month is None:
            return None
        rest = words[i + used].rstrip(",") if i + used < len(words) else ""
        year = int(rest) if re.fullmatch(r"(19|20|21)\d{2}", rest) else None
        used += year is not None
        year = year or today.year
        if day is None:
            return date(year, month, 1), _month_after(year, month), i + used
        d = date(year, month, day)
        return d, date.fromordinal(d.toordinal() + 1), i + used
    except ValueError:
        return None


def _month_after(y: int, m: int) -> date:
    return date(y + (m == 12), m % 12 + 1, 1)


# -- the target when only a custom field says it, and what is said of a reading ----------------------------


def sole_model(asm: Assembler) -> Optional[str]:
    """'anything with warranty expiring before 2020': no model word, a custom field of one model only."""
    models = {
        m.model
        for c in asm.r.chosen
        for m in c.meanings
        if m.kind in ("field", "value")
        and m.model
        and (is_custom(m.name) or m.kind == "value" and any(is_custom(k) for k in m.value or {}))
    }
    return models.pop() if len(models) == 1 else None


def notes(asm: Assembler, intent: Intent) -> list[str]:
    """'“owner” as the custom field Owner (not tenant)': a custom field chosen over one of NetBox's own."""
    out = []
    for c in asm.r.chosen:
        mine = _mine(c, intent.target, "field")
        theirs = next((m for m in c.of("field") if m.model == intent.target and not is_custom(m.name)), None)
        if mine is not None and theirs is not None and asm.is_used(c):
            out.append(
                f"“{asm.surface(c.a, c.b)}” as the custom field {title_of(intent.target, mine.name)}"
                f" (not {theirs.name.replace('_', ' ')})"
            )
    return out
