"""The words the parser knows, built from the schema layer and the vocabulary (never by hand here).

A phrase (a tuple of folded words: lower case, singular) maps to its possible meanings: a model
("devices", "power feeds", "boxes"), a field of a model ("serial", "asset tag", "OS"), a condition
("disabled" = enabled false on interfaces; "LAG" and "10GE" from the interface type's choice
labels), a cue (absence, presence, count, group) or a pattern word ("far end", "utilisation").
The parser picks among meanings by context; this module only says what each phrase can mean.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Optional

from netbox_tui.core.text import singular
from netbox_tui.schema import CHOICE, Schema
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import Vocab
from netbox_tui.schema.vocab import load as load_vocab

# Fields that are bookkeeping, not something people ask about.
_QUIET_FIELDS = {
    "id",
    "url",
    "display",
    "display_url",
    "custom_fields",
    "created",
    "last_updated",
    "comments",
    "owner",
    "config_context",
    "local_context_data",
    "_depth",
    "_occupied",
    "scope_id",
    "scope_type",
    "assigned_object_id",
    "assigned_object_type",
    "link_peers_type",
    "connected_endpoints_type",
    "connected_endpoints_reachable",
    "cable_end",
    "termination_id",
    "termination_type",
    "slug",
    "name",
    "label",
}
# App order when two models share a word: the data centre first.
_APPS = ("dcim", "ipam", "circuits", "virtualization", "tenancy", "extras", "vpn", "wireless")


@dataclass(frozen=True)
class Meaning:
    kind: str  # noun, field, value, cue, pattern
    model: Optional[str] = None  # noun: the model; field/value: the model it applies to
    name: str = (
        ""  # field: the field (or vocab group) name; cue: absence/presence/count/group; pattern: its name
    )
    fields: tuple[str, ...] = ()  # field: the fields it asks for (several for "mounted")
    path: Optional[str] = None  # field: how to read it ("device_type.manufacturer")
    filter: Optional[str] = None  # field: the filter that takes it, when not its own name
    value: Any = None  # value: {field: value}
    weight: int = 0  # among meanings of one phrase: higher first


class _Phrases:
    """phrase -> meanings, de-duplicated."""

    def __init__(self, abbreviations: Optional[dict[str, str]] = None) -> None:
        self.phrases: dict[tuple[str, ...], list[Meaning]] = defaultdict(list)
        self._seen: set[tuple[Any, ...]] = set()
        self.longest = 1
        self.abbreviations = abbreviations or {}

    def add(self, phrase: str, meaning: Meaning) -> None:
        key = fold(phrase)
        if not key:
            return
        # A question's "vm" is read as "virtual machine": a phrase holding it ("vm interface") is keyed so.
        low = phrase.lower().split()
        if len(low) > 1 and any(w in self.abbreviations for w in low):
            self._add(tuple(k for w in low for k in fold(self.abbreviations.get(w, w))), meaning)
        self._add(key, meaning)

    def _add(self, key: tuple[str, ...], meaning: Meaning) -> None:
        if not key:
            return
        ident = (key, meaning.kind, meaning.model, meaning.name, meaning.fields, repr(meaning.value))
        if ident in self._seen:
            return
        self._seen.add(ident)
        self.phrases[key].append(meaning)
        self.longest = max(self.longest, len(key))


class Lexicon:
    """Model names, cues and pattern words for every question; a model's fields and values are
    built the first time a question may be about that model (a few ms each, instead of all at start)."""

    def __init__(self, schema: Schema, vocab: Vocab) -> None:
        self.schema, self.vocab = schema, vocab
        self.skip = frozenset(singular(w) for w in vocab.skip if " " not in w)
        self.skip_phrases = tuple(tuple(w.lower().split()) for w in vocab.skip if " " in w)
        self.greetings = tuple(tuple(w.lower().split()) for w in vocab.greeting)
        self.abbreviations = {k: fold(v) for k, v in vocab.abbreviations.items()}
        self.base = _base(schema, vocab)
        self._models: dict[str, _Phrases] = {}

    @property
    def longest(self) -> int:
        return max([self.base.longest] + [p.longest for p in self._models.values()])

    def of_model(self, model: str) -> _Phrases:
        found = self._models.get(model)
        if found is None:
            found = self._models[model] = _model_phrases(self.schema, self.vocab, model)
        return found

    def lookup(self, key: tuple[str, ...], models: Iterable[str] = ()) -> list[Meaning]:
        out = list(self.base.phrases.get(key, []))
        for m in models:
            if m in self.schema.names:
                out += self.of_model(m).phrases.get(key, [])
        return sorted(out, key=lambda m: -m.weight)


# A word of a phrase or question: letters and digits with the marks names use inside ("mgmt-only", "s/n").
WORD = re.compile(r"[a-z0-9][a-z0-9\-./:+&_]*[a-z0-9+]|[a-z0-9]|#", re.I)


@lru_cache(maxsize=8192)
def fold(phrase: str) -> tuple[str, ...]:
    """'Power Feeds' -> ('power', 'feed'); 'mgmt-only' stays one word."""
    return tuple(singular(w) for w in WORD.findall(phrase.lower().replace("’", "'").replace("'s ", " ")))


def _labels(label: str) -> list[str]:
    """A choice label and the short forms in it: 'Link Aggregation Group (LAG)' -> itself, the
    name before the parenthesis and 'LAG'; '10GBASE-T (10GE)' -> '10GBASE-T', '10GE'."""
    out = [label]
    m = re.match(r"^(.*?)\s*\(([^)]*)\)\s*$", label)
    if m:
        out.append(m.group(1))
        inner = m.group(2).split()
        if inner and (inner[0].isupper() or any(ch.isdigit() for ch in inner[0])):
            out.append(inner[0])
    return [o for o in out if o.strip()]


def _base(schema: Schema, vocab: Vocab) -> _Phrases:
    lex = _Phrases(vocab.abbreviations)
    # Models: their schema names, then the vocabulary's words.
    for name in sorted(
        schema.names, key=lambda n: (_APPS.index(n.split(".")[0]) if n.split(".")[0] in _APPS else 99, n)
    ):
        words = vocab.model(name).words
        lex.add(
            schema.verbose(name),
            Meaning("noun", name, weight=20 if not words or schema.verbose(name).lower() in words else 10),
        )
        for w in words:
            lex.add(w, Meaning("noun", name, weight=30))
    for cue in ("absence", "presence", "count", "group", "within"):
        for w in getattr(vocab, cue):
            lex.add(w, Meaning("cue", name=cue, weight=5))
    for pattern, phrases in vocab.patterns.items():
        for w in phrases:
            lex.add(w, Meaning("pattern", name=pattern, weight=5))
    for op, phrases in vocab.compare.items():
        for w in phrases:
            lex.add(w, Meaning("cue", name="compare", value=op, weight=6))
    return lex


def _model_phrases(schema: Schema, vocab: Vocab, model: str) -> _Phrases:
    """A model's fields (name and title, the vocabulary's words) and values (the vocabulary's, and
    every choice label and value of its choice filters)."""
    lex = _Phrases(vocab.abbreviations)
    m = schema.model(model)
    for f in m.fields.values():
        if f.name.endswith("_count") or f.name.startswith("count_"):
            continue
        mean = Meaning("field", m.name, f.name, (f.name,), weight=10)
        # a bookkeeping field is a word only where the vocabulary says (label)
        if f.name not in _QUIET_FIELDS:
            lex.add(f.name.replace("_", " "), mean)
            lex.add(f.words, mean)
        for w in vocab.fields.get(f.name, ()):
            lex.add(w, mean)
    for fw in vocab.model_fields.get(m.name, {}).values():
        mean = Meaning("field", m.name, fw.name, fw.fields or (fw.name,), fw.path, fw.filter, weight=15)
        for w in fw.words:
            lex.add(w, mean)
    for phrase, conds in vocab.values.get(m.name, {}).items():
        lex.add(phrase, Meaning("value", m.name, value=dict(conds), weight=30))
    _shared_values(lex, vocab, m)
    for flt in m.filters.values():
        if flt.type != CHOICE:
            continue
        own = flt.name in m.fields  # an interface's own `type`, not its device's status
        for c in m.choices(flt.name):
            if str(c.value).lower() in vocab.skip:
                continue
            mean = Meaning("value", m.name, value={flt.name: c.value}, weight=20 if own else 5)
            lex.add(str(c.value), mean)
            for lbl in _labels(c.label):
                if lbl.lower() not in vocab.skip and len(lbl) > 1:
                    lex.add(lbl, mean)
    _group_choices(lex, m)
    return lex


def _shared_values(lex: _Phrases, vocab: Vocab, m: Any) -> None:
    """`[values."*"]`: words for a filter many models have ("cabled", "free": `cabled` on every port,
    outlet and feed), a value of each model that has every filter named, unless the phrase is a value of
    the model's own already."""
    for phrase, conds in vocab.values.get("*", {}).items():
        own = any(x.kind == "value" for x in lex.phrases.get(fold(phrase), []))
        if all(m.accepts(f) for f in conds) and not own:
            lex.add(phrase, Meaning("value", m.name, value=dict(conds), weight=25))


def _group_choices(lex: _Phrases, m: Any) -> None:
    """One short form shared by several choices ('10GE' in '10GBASE-T (10GE)', '10GBASE-SR (10GE)'…)
    means all of them: the one-choice meanings added above are replaced by the group."""
    for flt in m.filters.values():
        if flt.type != CHOICE or flt.name not in m.fields:
            continue
        groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for c in m.choices(flt.name):
            m2 = re.match(r"^.*?\(([^)\s]+)[^)]*\)\s*$", c.label)
            # Short forms only: "(10GE)", "(LAG)" — not a plain word such as "(Type 1)".
            if m2 and (m2.group(1).isupper() or any(ch.isdigit() for ch in m2.group(1))):
                groups[fold(m2.group(1))].append(c.value)
        for key, values in groups.items():
            if len(values) < 2:
                continue
            kept = [
                x
                for x in lex.phrases.get(key, [])
                if not (x.kind == "value" and x.model == m.name and set(x.value) == {flt.name})
            ]
            kept.append(Meaning("value", m.name, value={flt.name: values}, weight=20))
            lex.phrases[key] = kept


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(load_schema(), load_vocab())
