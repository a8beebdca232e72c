"""The words of a question that name a custom field of the connected NetBox or one of its values: a whole
label ("warranty end", "SLA hours", "sla hrs"), a label word no other reading has ("warranty"), "owned by"
for the label "Owner", a select field's choices and a boolean's label ("gold", "monitored"), a label typed
with a typo ("warrenty", "cost centre", read last and said), a code right after a text field's label
("customer id STA03"), a verb standing for a text value ("billed to"). Words of English, not of any NetBox,
are the vocabulary's ([custom_fields]); symbols and the bounds a comparison sets on a date period stay here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

from netbox_tui.core.customfields import NONE, PATH, PREFIX, CustomFields
from netbox_tui.core.lexicon import Lexicon, Meaning, fold
from netbox_tui.netbox.client import CustomField
from netbox_tui.schema.vocab import load as load_vocab

if TYPE_CHECKING:
    from netbox_tui.core.readings import Cand, Readings

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
DATE_PAST = frozenset(_WORDS.get("date_past", ()))  # "has expired": with no date, before today
FILLED = tuple(str(w).split() for w in _WORDS.get("filled", ()))  # "filled in": a value is (not) there
VALUE_VERBS = tuple(str(w).split() for w in _WORDS.get("value_verbs", ()))  # "billed to": a text value next
TEXT_TYPES = ("text", "longtext", "url")
# Date words -> how the period they name bounds the field: start/end of that day, month or year.
DATE_CMP: dict[str, str] = dict(_WORDS.get("date_bounds", {}))
CMP_DATE = {"lt": "lt:start", "lte": "lt:end", "gt": "gte:end", "gte": "gte:start"}
SYMBOLS = (("<=", "lte"), (">=", "gte"), ("=<", "lte"), ("=>", "gte"), ("≤", "lte"), ("≥", "gte"),
           ("<", "lt"), (">", "gt"), ("=", "eq"), ("==", "eq"), ("!=", "ne"), ("<>", "ne"), ("≠", "ne"))


def symbol_op(gap: str) -> Optional[str]:
    """The comparison a symbol typed between two words says, matched whole ("!=" is no "=", "<>" no "<"):
    None for no symbol, "?" for one nothing reads (never a plain equality)."""
    typed = gap.strip()
    if not typed:
        return None
    op = dict(SYMBOLS).get(typed)
    return op if op is not None else "?" if re.search(r"[<>=!~≤≥≠]", typed) else None


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
    unique = _fields_of(run)
    if not unique:
        return []
    toks, out = run.toks, []
    labels = [lb for cf in unique.values() for lb in _labels(cf)]
    words, counts, known = _question_words(run, unique)
    for a in range(len(toks)):
        if toks[a].kind != "word":
            continue
        for lb in labels:
            got = _label_at(run, words, a, lb, known, counts)
            if got is not None:
                out.append(got)
                out += _code_after(run, got, lb.cf)
        for cf in unique.values():
            out += _values_at(run, words, a, cf)
        out += _verb_at(run, words, a, unique)
    return out


def _code_after(run: Readings, c: Cand, cf: CustomField) -> list[Cand]:
    """'which tenant has customer id STA03': a text field's whole label then a code (letters with digits, no
    name of this NetBox) is one reading, the field's value, so that the code is not taken for the object
    asked about. Only when the question has a word for a model with that field ("cost center X" alone
    asks whose)."""
    from netbox_tui.core.readings import Cand

    toks, b = run.toks, c.b
    if cf.type not in TEXT_TYPES or c.guess is not None or b >= len(toks):
        return []
    t = toks[b]
    if t.kind != "word" or not re.search(r"\d", t.text) or not re.search(r"[a-z]", t.low) \
            or run.p.names.exact(t.text) or not _model_word_for(run, cf):
        return []
    from netbox_tui.core.tokens import _looks_like_device

    if _looks_like_device(t.text):
        return []  # "cost center of dmi01-akron-rtr01" said without "of"
    means = [Meaning("value", m, value={PREFIX + cf.name: t.text}, weight=FULL)
             for m in cf.object_types if m in run.p.schema.names]
    return [Cand(c.a, b + 1, "value", means, prio=c.prio + 10)]


def _model_word_for(run: Readings, cf: CustomField) -> bool:
    return any(m.model in cf.object_types for x in run.cands for m in x.of("noun"))


def _verb_at(
    run: Readings, words: list[tuple[str, str]], a: int, unique: dict[str, CustomField]
) -> list[Cand]:
    """A verb standing for a text field's value ("billed to"), when some field is text: read as a cue, so that
    it is no name; read() uses it with a field or a value, else it is said as not understood."""
    from netbox_tui.core.readings import Cand

    if not any(cf.type in TEXT_TYPES for cf in unique.values()):
        return []
    lows = [w[0] for w in words]
    ends = [a + len(p) for p in VALUE_VERBS if lows[a : a + len(p)] == p]
    if not ends:
        return []
    b = max(ends)
    return [Cand(a, b, "cue", [Meaning("cue", None, "custom_value")], prio=12 + (b - a) * 10)]


def _fields_of(run: Readings) -> dict[str, CustomField]:
    """The custom fields of the connected NetBox on models its schema has, by name."""
    fields: CustomFields = getattr(run.p, "custom", NONE)
    return {
        cf.name: cf
        for by_name in fields.by_model.values()
        for cf in by_name.values()
        if any(m in run.p.schema.names for m in cf.object_types)
    }


def _question_words(
    run: Readings, unique: dict[str, CustomField]
) -> tuple[list[tuple[str, str]], dict[str, int], frozenset[str]]:
    """What both readings of labels compare with: each word of the question (as typed, as the lexicon keys
    it), how many custom fields have each label word (1: the word says which), and every word the lexicon
    reads about their models (a label word among them is no reading alone)."""
    words = [(t.low, t.keys[0] if t.kind == "word" and len(t.keys) == 1 else t.low) for t in run.toks]
    counts: dict[str, int] = {}
    for cf in unique.values():
        for w in {w for lb in _labels(cf) for w in lb.key}:
            counts[w] = counts.get(w, 0) + 1
    known = frozenset().union(
        *(_known(run.p.lex, m) for cf in unique.values() for m in cf.object_types if m in run.p.schema.names)
    )
    return words, counts, known


def typo_cands(run: Readings, free: set[int]) -> list[Cand]:
    """Labels typed with a typo ("warrenty", "cost centre"), read last like misspelt model words and said as
    guesses: every word of a label, one at least misspelt and unread; or a misspelt first or last word of a
    label alone, when no other custom field has that word (as a label word alone is read)."""
    from netbox_tui.core.readings import Cand
    from netbox_tui.core.text import typo_score

    unique = _fields_of(run)
    toks, out = run.toks, []
    words, counts, known = _question_words(run, unique)

    def close(i: int, raw: str) -> bool:  # a misspelt word: long enough, same first letter, one typo or two
        low = words[i][0]
        return i in free and len(low) >= 4 and len(raw) >= 4 and low[:1] == raw[:1] and low not in known \
            and typo_score(low, raw) >= 80

    for lb in (lb for cf in unique.values() for lb in _labels(cf)):
        for a in range(len(toks) - len(lb.raw) + 1):
            span = range(a, a + len(lb.raw))
            if any(toks[i].kind != "word" for i in span):
                continue
            how = ["same" if _match(*words[i], r, k, False) else "typo" if close(i, r) else ""
                   for i, r, k in zip(span, lb.raw, lb.key)]
            if not all(how) or "typo" not in how:
                continue
            if len(lb.raw) == 1 and not _free_after(run, words, a + 1, known):
                continue
            out.append(_typo_cand(run, Cand, a, a + len(lb.raw), lb.cf, FULL))
        for i in {0, len(lb.raw) - 1} if len(lb.raw) > 1 else set():  # a word alone: "warrenty"
            for a in free:
                if close(a, lb.raw[i]) and counts.get(lb.key[i], 0) == 1 and len(words[a][0]) >= 5 \
                        and _free_after(run, words, a + 1, known):
                    out.append(_typo_cand(run, Cand, a, a + 1, lb.cf, PART))
    return out


def _typo_cand(run: Readings, cand: Any, a: int, b: int, cf: CustomField, weight: int) -> Cand:
    models = [m for m in cf.object_types if m in run.p.schema.names]
    meanings = [_field_meaning(m, cf, weight) for m in models]
    kinds = {"field"}
    if cf.type == "boolean" and weight == FULL:  # "monitered devices": the label is the value true
        meanings += [Meaning("value", m, value={PREFIX + cf.name: True}, weight=weight) for m in models]
        kinds.add("value")
    return cand(a, b, "field", meanings, prio=1, guess=cf.label, kinds=kinds)


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
    elif b < n and cf.related_object_type and any(
        m.kind == "noun" and m.model == cf.related_object_type for m in run.p.lex.lookup(run._key(b, b + 1))
    ):
        b += 1  # "owner contact": the field's related model says what the label is, not a second table
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


