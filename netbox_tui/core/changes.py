"""The change log and the journal of objects: "what changed on X today", "who changed X", "what did
dwight change this week", "was anything deleted today", "VLANs added since Monday", "what was X's DNS
name before", "notes on X", "warning journal entries by dwight".

Reading: `read()` turns the assembler's readings into the intent when a change-log or journal word
was read (vocab.toml [patterns] changes / journal, [history]); every word is claimed or said, as for
any other question. Time words become absolute UTC bounds (timewords.py). "who" and a verb asks the
change log ("who shut X"); a verb or a value can say what a change did to a field ("shut": `enabled`
became false; "who set X to offline"; a tag named: the changes that put it on), kept here over each
change's pre/post data since NetBox filters none of it. A journal kind that is a skip word ("info") is
read beside the journal's words; "mentioning X" is NetBox's journal search (`q`, the comments).

Planning: `plan_changes` reads `/api/core/object-changes/`; changes on a named object are those whose
changed object is it OR whose related object is it (an interface's change relates to its device; the
related filter alone misses the object's own changes: checked on NetBox 4.7.3), so two requests
merged; a named object NetBox no longer has is looked for in the log by its name (`object_repr`).
`plan_journal` reads `/api/extras/journal-entries/`, and the authors' names from the change log (a
journal entry's `created_by` is a bare user id; the users endpoint needs more rights).

The change log's endpoint and filters are the schema layer's (`core.objectchange`, generated from
NetBox's schema like every model): each request is checked against them by the client, as any other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

from netbox_tui.core.columns import EMPTY, cell, safe_text
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.plan import Context, Limitation, NotFound, Outcome, Plan, Step
from netbox_tui.core.planner import (
    list_choices,
    local_table,
    model_of,
    noun,
    page_text,
    resolve_steps,
    word_of,
)
from netbox_tui.core.results import Applied, Column
from netbox_tui.core.timewords import Span, find_span
from netbox_tui.errors import NetBoxError
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import load as load_vocab

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler
    from netbox_tui.core.readings import Cand

CHANGE, JOURNAL, INTERFACE, DEVICE, TAG = (
    "core.objectchange",
    "extras.journalentry",
    "dcim.interface",
    "dcim.device",
    "extras.tag",
)
# Conditions on what a change did to a field, kept here over each change's pre/post data (NetBox has no
# filter for it): `became.enabled` = false ("who shut X"), `became.tags` holds a tag, `untagged.tags` lost it.
BECAME, UNTAGGED = "became.", "untagged."
EMPTY_KEY: tuple[str, ...] = ()
READ_CAP = 1000  # rows read per request (one NetBox page); past it the answer says it is partial
# Fields that change on every save or are NetBox's own bookkeeping: never "what changed".
_NOISE = {"last_updated", "created", "id"}


def clock() -> datetime:
    """Now, in UTC: what "today" and "this week" count from (tests replace it)."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class HistoryWords:
    """vocab.toml [history]."""

    actions: dict[str, tuple[str, ...]]  # NetBox action value -> words
    users: tuple[str, ...]
    who: frozenset[str]  # verbs after "who" that ask the change log
    between: frozenset[str]  # words of recency ("who last touched", "recent changes"): never a user
    did: frozenset[str]  # verbs after "did <someone>" that ask what they changed ("what did dwight do")
    sets: dict[str, str]  # verb -> "field" or "field=value" it says changed ("shut": enabled=false)
    choice_words: frozenset[str]  # words naming a choice field beside its value ("info level")
    anyone: frozenset[str]  # words for any user ("did anyone change X"): no user named
    mentions: tuple[tuple[str, ...], ...]  # words before text the journal's comments contain
    wrote: frozenset[str]  # verbs right after a user's name ("notes dwight wrote")


@lru_cache(maxsize=1)
def history_words() -> HistoryWords:
    section = load_vocab().history
    return HistoryWords(
        {k: tuple(v) for k, v in section.get("actions", {}).items()},
        tuple(section.get("users", ())),
        frozenset(section.get("who", ())),
        frozenset(w for p in section.get("between", ()) for w in p.split()),
        frozenset(section.get("did", ())),
        dict(section.get("sets", {})),
        frozenset(section.get("choice_words", ())),
        frozenset(section.get("anyone", ())),
        tuple(sorted((tuple(p.split()) for p in section.get("mentions", ())), key=len, reverse=True)),
        frozenset(section.get("wrote", ())),
    )


# -- reading --------------------------------------------------------------------------------------------


def history_pattern(asm: Assembler, found: list[Cand]) -> Optional[str]:
    """The pattern of a question about the change log, the journal or the connected NetBox itself, read
    before any other (`found`: the pattern words outside names), or None."""
    said = [([m.name for m in c.of("pattern")], asm.r._key(c.a, c.b)) for c in found]
    words = [t.low for t in asm.toks]
    trims = _joined_over_history(asm)
    history = is_history(said + [(["changes"], key) for _, _, key in trims if key], words)
    if history is not None:
        for m, a, _ in trims:  # the hostname alone: "renamed dmi01-akron-rtr01" names dmi01-akron-rtr01
            m.a, m.text, m.names = a, asm.surface(a, m.b), []
        return history
    from netbox_tui.core.about import asks_about

    return "about" if asks_about(asm, found) else None


def _joined_over_history(asm: Assembler) -> list[tuple[Any, int, tuple[str, ...]]]:
    """Hostnames typed apart are joined with the unread words before them ("ncsu coreswitch2"); a word of
    the change log's ("who renamed X", "did anyone change X") is no part of one. Each such mention, where
    the hostname starts, and the change word it swallowed (a key of the `changes` pattern, or ())."""
    hw = history_words()
    words = hw.who | hw.anyone | hw.between
    out: list[tuple[Any, int, tuple[str, ...]]] = []
    for m in asm.mentions:
        a, change = m.a, EMPTY_KEY
        while m.how == "host" and a < m.b - 1:
            said = _is_change_word(asm, a)
            if asm.toks[a].low not in words and not said:
                break
            change = asm.r._key(a, a + 1) if said else change
            a += 1
        if a > m.a:
            out.append((m, a, change))
    return out


def _journal_after(asm: Assembler, i: int) -> bool:
    """Whether a journal word comes next ("latest journal entry"), skip words between."""
    c = asm.next_content(i)
    return c is not None and (
        any(m.name == "journal" for m in c.of("pattern")) or any(m.model == JOURNAL for m in c.of("noun"))
    )


def _is_change_word(asm: Assembler, i: int) -> bool:
    """Whether word i alone is a word of the `changes` pattern ("change", "edited")."""
    return any(x.kind == "pattern" and x.name == "changes" for x in asm.p.lex.lookup(asm.r._key(i, i + 1)))


def is_history(found: list[tuple[list[str], tuple[str, ...]]], words: list[str]) -> Optional[str]:
    """The pattern pattern words ask for: (pattern names, folded words) of each. "before" and "previously"
    alone ask for the past only with "was" ("what was X's DNS name before"); "before Monday" is a time.
    "who" and a verb of [history] `who` ask who changed something ("who shut X")."""
    names = {n for ns, _ in found for n in ns}
    if "journal" in names:
        return "journal"
    weak = {("before",), ("previously",)}
    strong = [key for ns, key in found if "changes" in ns and key not in weak]
    if strong or ("changes" in names and "was" in words) or _who_verb(words) is not None:
        return "changes"
    return "changes" if _did_do(words) is not None else None


def _did_do(words: list[str]) -> Optional[int]:
    """The index of a verb of [history] `did` two or three words after "did" ("what did dwight do")."""
    verbs = history_words().did
    for i, w in enumerate(words):
        for j in (i + 2, i + 3):
            if w == "did" and j < len(words) and words[j] in verbs:
                return j
    return None


def _who_verb(words: list[str]) -> Optional[int]:
    """The index of a verb of [history] `who` right after "who" (`between` words aside), or anywhere after
    "when was" / "when did" ("when was xe-1/3/7 on X shut"), or None."""
    hw = history_words()
    for i, w in enumerate(words):
        if w == "when" and i + 1 < len(words) and words[i + 1] in ("was", "were", "did"):
            return next((j for j in range(i + 2, len(words)) if words[j] in hw.who), None)
        if w != "who":
            continue
        j = i + 1
        while j < len(words) and words[j] in hw.between:
            j += 1
        if j < len(words) and words[j] in hw.who:
            return j
    return None


def read(asm: Assembler, pattern: str, now: Optional[datetime] = None) -> Intent:
    """The intent of a change-log or journal question (or one about NetBox itself: core/about.py),
    every word accounted for."""
    if pattern == "about":
        from netbox_tui.core.about import read as read_about

        return read_about(asm)
    target = CHANGE if pattern == "changes" else JOURNAL
    intent = Intent(target=target, pattern=pattern)
    taken = _time_and_user(asm, intent, pattern, now)  # word indices read as the time or the user
    if pattern == "changes":
        _what_was_done(asm, intent, taken)
    _pattern_words(asm, pattern, taken)
    # Choice values first, with the word naming their field: "info level entries" is no provider Level 3.
    if pattern == "journal":
        _journal_kinds(asm, intent)
    intent.conditions += _skipped_choices(asm, intent, target, taken)
    subject = _objects(asm, intent, pattern, taken)
    if pattern == "journal":
        intent.conditions += _mentioned(asm, taken)
    if pattern == "changes":
        intent.conditions += _named_by_kind(asm)
    _model_words(asm, intent, pattern)
    if subject is not None and pattern == "changes":
        _fields_asked(asm, intent, subject)
        intent.conditions += _values_set(asm, intent, subject.models)  # after the fields: "was it enabled"
    _closing_words(asm, pattern, taken)
    intent.not_understood = asm.leftover() + _objects_of_two_kinds(intent)
    intent.claims = sorted(asm.claims, key=lambda c: c.start)
    intent.corrected = asm.corrected()
    return intent


def _objects_of_two_kinds(intent: Intent) -> list[str]:
    """A change has one object: objects of two kinds named apart ("the nashua switch": the site DM-Nashua,
    the switch roles) would be asked of the same change and always answer none, ok and wrong. The first
    stays; the others' words are returned to be said as not understood."""
    objects = [c for c in intent.conditions if c.field == "object"]
    kinds = {c.model for c in objects}
    if len(kinds) < 2:
        return []
    dropped = [c for c in objects if c.model != objects[0].model]
    intent.conditions = [c for c in intent.conditions if c not in dropped]
    return list(dict.fromkeys(c.text or str(c.value) for c in dropped))


def _time_and_user(asm: Assembler, intent: Intent, pattern: str, now: Optional[datetime]) -> set[int]:
    """The time span and the user named, as conditions; the word indices they took."""
    span = find_span([t.low for t in asm.toks], now or clock())
    taken: set[int] = set()
    if span is not None:
        intent.conditions += _time_conditions(asm, span, pattern)
        taken |= set(range(span.start, span.end))
    user = _user(asm, taken)
    if user is not None:
        a, b, name = user
        text_span = asm.claim(a, b, "user")
        field = "user_name" if pattern == "changes" else "created_by"
        intent.conditions.append(
            Condition(field=field, value=name, text=asm.r.text[text_span[0] : text_span[1]])
        )
        taken |= set(range(a, b))
    return taken


def _what_was_done(asm: Assembler, intent: Intent, taken: set[int]) -> None:
    """The verbs: "who shut X", "what did dwight do", and the action ("added": create)."""
    _who_verbs(asm, intent, taken)
    did = _did_do([t.low for t in asm.toks])
    if did is not None and did not in taken | asm.used:
        asm.claim(did, did + 1, "changed")
    for t in asm.toks:
        action = next((k for k, ws in history_words().actions.items() if t.low in ws), None)
        if action is not None and t.i not in taken and intent.condition("action") is None:
            asm.claim(t.i, t.i + 1, f"action {action}")
            intent.conditions.append(Condition(field="action", value=action, text=t.text))


def _pattern_words(asm: Assembler, pattern: str, taken: set[int]) -> None:
    for c in asm.items("pattern"):
        if any(m.name in ("changes", "journal") for m in c.of("pattern")) and not asm.is_used(c):
            asm.claim(c.a, c.b, f"pattern {pattern}")
    for t in asm.toks:  # one a joined hostname took ("did anyone change X"), given back by history_pattern
        if t.i not in asm.used and t.i not in taken and _is_change_word(asm, t.i):
            asm.claim(t.i, t.i + 1, f"pattern {pattern}")
    for t in asm.toks:  # "did anyone change X": any user, no condition
        if t.low in history_words().anyone and t.i not in taken and t.i not in asm.used:
            asm.claim(t.i, t.i + 1, "any user")


def _objects(asm: Assembler, intent: Intent, pattern: str, taken: set[int]) -> Any:
    """The objects named (a tag in the change log: the changes that put it on); the first is returned."""
    if pattern == "changes":
        _objects_tagged(asm)
    _trim_before_time(asm, taken)
    subject = None
    for m in asm.mentions:
        if any(i in taken or i in asm.used for i in range(m.a, m.b)) or not m.models:
            continue
        s = asm.claim(m.a, m.b, "name")
        if pattern == "changes" and m.models[0] == TAG:  # "who put the pci-scope tag on X": X's tags
            tag = _tag_added(asm, intent, m, s)  # (it may drop the action: first, then append)
            intent.conditions.append(tag)
            continue
        models = [x for x in m.models if x not in (CHANGE, JOURNAL)]
        cond = Condition(
            field="object", value=m.text, text=asm.r.text[s[0] : s[1]], model=models[0], span=s, guess=m.guess
        )
        if len(models) > 1:
            cond.candidates = models
        asm.resolve_known(cond, m)
        intent.conditions.append(cond)
        subject = subject or m
    _port_of_device(intent)
    return subject


def _journal_kinds(asm: Assembler, intent: Intent) -> None:
    """ "danger notes", "warnings in the journal", "warning level entries"."""
    for c in asm.items("value"):
        kinds = [m for m in c.of("value") if m.model == JOURNAL and "kind" in (m.value or {})]
        if kinds and not asm.is_used(c):
            a, b = _with_choice_words(asm, c.a, c.b)
            said = asm.claim(a, b, "kind")
            intent.conditions.append(
                Condition(field="kind", value=kinds[0].value["kind"], text=asm.r.text[said[0] : said[1]])
            )


def _model_words(asm: Assembler, intent: Intent, pattern: str) -> None:
    """ "VLANs added since Monday": changes to VLANs (journal entries on them)."""
    for c in asm.items("noun"):
        models = [m.model for m in c.of("noun") if m.model and m.model != JOURNAL]
        if (
            models
            and not asm.is_used(c)
            and not (pattern == "journal" and JOURNAL in [m.model for m in c.of("noun")])
        ):
            asm.claim(c.a, c.b, f"model {models[0]}")
            field = "changed_object_type" if pattern == "changes" else "assigned_object_type"
            intent.conditions.append(Condition(field=field, value=models[0], text=asm.surface(c.a, c.b)))
        elif JOURNAL in [m.model for m in c.of("noun")] and not asm.is_used(c):
            asm.claim(c.a, c.b, "journal")


def _fields_asked(asm: Assembler, intent: Intent, subject: Any) -> None:
    """ "X's DNS name before": the field of the named object asked about."""
    for c in asm.items("field"):
        fields = [m for m in c.of("field") if m.model in subject.models]
        if fields and not asm.is_used(c):
            own = asm.surface(c.a, c.b).lower().replace(" ", "_")  # "comments": a device's own field
            subject_models = [asm.schema.get(x) for x in subject.models]
            name = (
                own
                if any(mm is not None and own in mm.fields for mm in subject_models)
                else (fields[0].fields[0] if fields[0].fields else fields[0].name)
            )
            asm.claim(c.a, c.b, f"field {name}")
            intent.attributes.append(name)


def _closing_words(asm: Assembler, pattern: str, taken: set[int]) -> None:
    for t in asm.toks:  # "before" closing "what was X's … before", "previously"
        if t.low in ("before", "previously") and t.i not in taken and t.i not in asm.used:
            asm.claim(t.i, t.i + 1, "earlier")
        elif (  # "when was X last changed", "latest journal entry": the newest come first anyway
            t.low in history_words().between - {"first"}
            and t.i not in taken | asm.used
            and (_change_word_after(asm, t.i + 1) or pattern == "journal" and _journal_after(asm, t.i + 1))
        ):
            asm.claim(t.i, t.i + 1, "latest first")


def _who_verbs(asm: Assembler, intent: Intent, taken: set[int]) -> None:
    """ "who shut X", "who last touched X": the verb after "who" (and the words between) read; a verb of
    [history] `sets` says which field changed, and to what ("shut": enabled became false)."""
    at = _who_verb([t.low for t in asm.toks])
    if at is None or at in taken or at in asm.used:
        return
    start = next(i for i in range(at - 1, -1, -1) if asm.toks[i].low in ("who", "when")) + 1
    if asm.toks[start - 1].low == "when":  # "when was X shut": the verb alone
        start = at
    verb = asm.toks[at]
    said = history_words().sets.get(verb.low)
    if start < at:
        asm.claim(start, at, "latest first")  # "who last touched": the newest change comes first anyway
    here = asm.at(at)
    pattern_word = here is not None and any(m.name == "changes" for m in here.of("pattern"))
    read_elsewhere = _is_action(verb.low) or pattern_word
    if not read_elsewhere or said:  # "who deleted": the action reads it; "who changed": the pattern
        asm.claim(at, at + 1, f"changed {said}" if said else "changed")
    if said is None:
        return
    field, _, value = said.partition("=")
    if not value:
        intent.attributes.append(field)
        return
    intent.conditions.append(
        Condition(field=f"{BECAME}{field}", value=_typed(value), text=asm.surface(start, at + 1))
    )


def _named_by_kind(asm: Assembler) -> list[Condition]:
    """ "who created VLAN Guest", "the Guest VLAN": of two model words side by side, one Capitalised (not
    an acronym) is a name of the other's kind ("Guest" is a VM word too), never a second kind of object
    (two types would be OR'ed). Found like any name; one deleted since is looked for in the log."""
    out = []
    nouns = [c for c in asm.items("noun") if not asm.is_used(c) and c.length == 1]
    for kind, name in [(x, y) for x, y in zip(nouns, nouns[1:]) if y.a == x.b] + \
            [(y, x) for x, y in zip(nouns, nouns[1:]) if y.a == x.b]:
        typed = asm.toks[name.a].text
        model = kind.of("noun")[0].model
        if not (typed[:1].isupper() and not typed.isupper()) or model is None or asm.is_used(kind):
            continue
        if model == name.of("noun")[0].model:
            continue
        a, b = min(kind.a, name.a), max(kind.b, name.b)
        span = asm.claim(a, b, "name")
        out.append(Condition(field="object", value=typed, text=asm.r.text[span[0] : span[1]], model=model,
                             span=span))
    return out


def _values_set(asm: Assembler, intent: Intent, models: list[str]) -> list[Condition]:
    """ "who set X to offline": a value of one of the named object's own fields is what a change set it to
    (a field a verb said already aside: "who shut X … enabled")."""
    out = []
    done = {c.field for c in intent.conditions}
    for c in asm.items("value"):
        said = [m.value for m in c.of("value") if m.model in models and isinstance(m.value, dict)]
        if asm.is_used(c) or not said or len(said[0]) != 1:
            continue
        (field, value), = said[0].items()
        if f"{BECAME}{field}" in done:
            continue
        span = asm.claim(c.a, c.b, f"{field} became {value}")
        out.append(Condition(field=f"{BECAME}{field}", value=value, text=asm.r.text[span[0] : span[1]]))
    return out


def _trim_before_time(asm: Assembler, taken: set[int]) -> None:
    """A hostname typed apart is joined with the unread words after it ("dmi01 akron rtr01"); time words
    are read here, after that, so a name joined with them ("X since dec 1") ends where they begin."""
    for m in asm.mentions:
        cut = next((i for i in range(m.a, m.b) if i in taken), None)
        if m.how == "host" and cut is not None and cut > m.a:
            m.b, m.text, m.names = cut, asm.surface(m.a, cut), []


def _objects_tagged(asm: Assembler) -> None:
    """ "who tagged dmi01-scranton-rtr01 pci-scope": a hostname after "tagged" is the object tagged, not a
    tag (as it is in "devices tagged core-2024"), when a tag is named by its name beside it."""
    named_tag = any(m.models == [TAG] and m.how == "name" for m in asm.mentions)
    for m in asm.mentions:
        if named_tag and m.models == [TAG] and m.how == "host":
            m.models, m.noun = list(asm.vocab.find_models), None


def _is_action(word: str) -> bool:
    return any(word in ws for ws in history_words().actions.values())


def _typed(value: str) -> Any:
    return {"true": True, "false": False}.get(value, value)


def _tag_added(asm: Assembler, intent: Intent, m: Any, span: tuple[int, int]) -> Condition:
    """A tag named in a change-log question: changes that put it on the object (or took it off, said with
    a removal word). The tag is resolved like any name; rows are kept by their pre/post `tags`."""
    removed = any(c.field == "action" and c.value == "delete" for c in intent.conditions)
    # "who added / removed the tag": an update of the object's tags, not its creation or deletion
    intent.conditions = [c for c in intent.conditions if c.field != "action"]
    cond = Condition(
        field=f"{UNTAGGED if removed else BECAME}tags",
        value=m.text,
        text=asm.r.text[span[0] : span[1]],
        model=TAG,
        span=span,
        guess=m.guess,
    )
    asm.resolve_known(cond, m)
    return cond


def _skipped_choices(asm: Assembler, intent: Intent, target: str, taken: set[int]) -> list[Condition]:
    """A choice value of the target that is also a skip word ("info" of the journal's kinds), which no
    reading offers: a value beside the target's noun or a word naming the field ("info level journal
    entries", "kind info"); elsewhere ("info on X's journal") it asks nothing, as any skip word."""
    model = asm.schema.get(target)
    if model is None:
        return []
    out: list[Condition] = []
    for name, f in model.filters.items():
        if f.type != "choice" or intent.condition(name) is not None:
            continue
        by_word = {w: c.value for c in model.choices(name) for w in (c.value.lower(), c.label.lower())}
        hit = next((t for t in asm.toks if t.low in by_word and t.i not in taken | asm.used
                    and asm.p.is_skip(t) and _beside_field_or_noun(asm, t.i, target)), None)
        if hit is not None:
            a, b = _with_choice_words(asm, hit.i, hit.i + 1)
            span = asm.claim(a, b, f"{name} {by_word[hit.low]}")
            out.append(Condition(field=name, value=by_word[hit.low], text=asm.r.text[span[0] : span[1]]))
    return out


def _beside_field_or_noun(asm: Assembler, i: int, target: str) -> bool:
    words = history_words().choice_words
    for j in (i - 1, i + 1):
        if 0 <= j < len(asm.toks) and asm.toks[j].low in words:
            return True
    from netbox_tui.core.readings import PATTERN_TARGET  # "info notes": the journal's pattern word

    nxt = asm.at(i + 1)
    return nxt is not None and any(
        m.model == target or PATTERN_TARGET.get(m.name) == target for m in nxt.of("noun") + nxt.of("pattern")
    )


def _with_choice_words(asm: Assembler, a: int, b: int) -> tuple[int, int]:
    """A value's span [a, b) with the word naming its field beside it ("info level", "kind info")."""
    words = history_words().choice_words
    if a > 0 and asm.toks[a - 1].low in words and a - 1 not in asm.used:
        a -= 1
    if b < len(asm.toks) and asm.toks[b].low in words and b not in asm.used:
        b += 1
    return a, b


def _mentioned(asm: Assembler, taken: set[int]) -> list[Condition]:
    """ "journal entries that mention an RMA": the words after a [history] `mentions` word, searched in the
    comments by NetBox's journal search (`q`, its only text filter there). They run to a word read as
    something else or a skip word after them ("… RMA by dwight")."""
    toks = asm.toks
    for t in toks:
        here = [x.low for x in toks[t.i : t.i + 3]]
        cue = next((p for p in history_words().mentions if tuple(here[: len(p)]) == p), None)
        if cue is None or any(i in asm.used or i in taken for i in range(t.i, t.i + len(cue))):
            continue
        i = t.i + len(cue)
        while i < len(toks) and asm.p.is_skip(toks[i]) and i not in asm.used and i not in taken:
            i += 1  # "mention an RMA"
        j = i
        while j < len(toks) and j not in asm.used and j not in taken and not asm.p.is_skip(toks[j]):
            j += 1
        if j == i:
            continue
        span = asm.claim(t.i, j, "comments contain")
        return [Condition(field="q", value=asm.surface(i, j), text=asm.r.text[span[0] : span[1]])]
    return []


def _port_of_device(intent: Intent) -> None:
    """ "sw01 Gi1/0/10": the port named and the device it is on, as the interface recipe reads them."""
    port = next((c for c in intent.conditions if c.field == "object" and c.model == INTERFACE), None)
    dev = next(
        (c for c in intent.conditions if c.field == "object" and DEVICE in [c.model, *c.candidates]), None
    )
    if port is not None and dev is not None:
        port.field = "name"
        dev.field, dev.model, dev.candidates = "device", DEVICE, []


def _time_conditions(asm: Assembler, span: Span, pattern: str) -> list[Condition]:
    s = asm.claim(span.start, span.end, "time")
    text = asm.r.text[s[0] : s[1]]
    field = "time" if pattern == "changes" else "created"
    out = []
    if span.after is not None:
        out.append(Condition(field=field, op="gte", value=_iso(span.after), text=text))
    if span.before is not None:
        out.append(Condition(field=field, op="lt", value=_iso(span.before), text=text))
    return out


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _user(asm: Assembler, taken: set[int]) -> Optional[tuple[int, int, str]]:
    """A user named: "by dwight", "author dwight", "did dwight change", "dwight's changes", "everything
    dwight has created" (a word nothing else reads, beside those cues). Users are not in the name index;
    NetBox filters by user name."""
    toks = asm.toks

    def free(i: int) -> bool:
        c = asm.at(i)
        named = c is not None and c.has("name") and not c.kinds & {"noun", "field", "value", "cue", "pattern"}
        return (
            0 <= i < len(toks)
            and i not in taken
            and toks[i].kind == "word"
            and not asm.p.is_skip(toks[i])
            and (c is None or (named and c.length == 1 and not toks[i].host))
            and not toks[i].text.isdigit()
            and toks[i].low not in history_words().between | history_words().anyone  # "X last changed"
        )

    for t in toks:
        if t.low in history_words().users and free(t.i + 1) and t.i not in taken:
            return t.i, t.i + 2, toks[t.i + 1].text
        if t.low == "did" and free(t.i + 1):
            return t.i + 1, t.i + 2, toks[t.i + 1].text
        if (
            free(t.i)
            and not (t.i > 0 and toks[t.i - 1].low == "who")  # "who made changes", "who last touched": asked
            and _change_word_after(asm, t.i + 1)
        ):
            return t.i, t.i + 1, t.text  # "dwight changed …"
        if free(t.i) and t.i + 1 < len(toks) and toks[t.i + 1].low in history_words().wrote \
                and not (t.i > 0 and toks[t.i - 1].low == "who"):
            return t.i, t.i + 2, t.text  # "journal notes dwight wrote", "changes dwight made": the verb too
    return None


def _change_word_after(asm: Assembler, i: int) -> bool:
    """Whether a change-log word comes next, skip words between ("dwight has created": "has" is a skip
    word even where it reads as a cue)."""
    while i < len(asm.toks):
        c = asm.at(i)
        if c is not None and any(m.name == "changes" for m in c.of("pattern")):
            return True
        if not asm.p.is_skip(asm.toks[i]):
            return False
        i += 1
    return False


# -- planning -------------------------------------------------------------------------------------------


def _refs(intent: Intent) -> list[Condition]:
    """The objects asked about. A port named with its device ("sw01 Gi1/0/10") is the port alone: the
    device only says whose port it is."""
    objs = [
        c for c in intent.conditions if c.field == "object" or (c.field == "name" and c.model == INTERFACE)
    ]
    ports = [c for c in objs if c.model == INTERFACE]
    return ports or objs


def _resolve_steps(intent: Intent) -> list[Step]:
    """The names to find; a port and its device in one step, abbreviations matched (Gi1/0/10)."""
    from netbox_tui.core.recipes import _find_interface_step, _iface_and_device

    iface, dev = _iface_and_device(intent)
    if iface is not None and dev is not None:
        return [_find_interface_step(intent, ())]
    return resolve_steps(intent)


def _said(ctx: Context, cond: Condition, flt: str) -> None:
    op = {"gte": "≥", "lt": "<"}.get(cond.op, "=")
    field = {"user_name": "user", "created_by": "author"}.get(cond.field, cond.field)
    if cond.field == "q":  # the journal's search: NetBox matches the comments (its JournalEntryFilterSet)
        field, op, flt = "comments", "contains", f"{flt} (NetBox's journal search: comments containing it)"
    ctx.applied.append(Applied(field=field, op=op, value=str(cond.shown_value()), text=cond.text, filter=flt))


def _params(ctx: Context, pattern: str) -> list[tuple[str, str]]:
    """The non-object conditions as NetBox filters, each said in the interpretation."""
    pairs: list[tuple[str, str]] = []
    time_field = "time" if pattern == "changes" else "created"
    for c in ctx.intent.conditions:
        if c.model is not None or _kept_here(c):  # a named object: by type and id; a field's change: here
            continue
        if c.field == time_field:
            name = f"{time_field}_after" if c.op == "gte" else f"{time_field}_before"
        else:
            name = c.field
        pairs.append((name, str(c.value)))
        _said(ctx, c, f"{name}={c.value}")
    return pairs


async def _changelog(ctx: Context, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """One page of the change log, newest first; the client checks each filter against the schema."""
    if load_schema().get(CHANGE) is None:  # a NetBox (or a schema read of it) without the change log
        raise Limitation("this NetBox's schema has no change log (/api/core/object-changes/)",
                         "Read the change log in NetBox's web UI (Other → Change Log), or ask about objects.")
    page = [("limit", str(READ_CAP)), ("ordering", "-time")]
    data = await ctx.client.request_json("GET", model_of(CHANGE).path, pairs + page, use_cache=False)
    rows = data.get("results", []) if isinstance(data, dict) else []
    if isinstance(data, dict) and data.get("next"):
        ctx.note(f"only the newest {READ_CAP:,} of {data.get('count', 0):,} changes were read")
    return [r for r in rows if isinstance(r, dict)]


def _unanswerable(exc: NetBoxError) -> bool:
    """A snapshot (the embedded demo too) without a change log (no snapshot saves it: the emulator says
    the endpoint is not in it), or whose emulator refuses a filter it does not implement (it never
    ignores one)."""
    return exc.kind == "not_found" or exc.kind == "bad_filter" and "snapshot backend" in exc.message


def _unavailable(ctx: Context, exc: NetBoxError, what: str) -> list[dict[str, Any]]:
    """An empty answer that says why: no change log in this data, or a filter the snapshot cannot apply."""
    if exc.kind == "not_found" or "(not in this snapshot)" in exc.message:
        ctx.note(f"this data holds no {what}", partial=False)
    else:
        ctx.note(f"the {what} could not be read from this data: {exc.message}")
    return []


def plan_changes(intent: Intent) -> Plan:
    resolves = [_or_gone(s) for s in _resolve_steps(intent)]

    async def fetch(ctx: Context) -> Any:
        pairs = _params(ctx, "changes")
        refs = [(c, r) for c in _refs(ctx.intent) for r in c.resolved]
        gone: list[NotFound] = ctx.results.get(GONE, [])
        try:
            if gone:
                return await _gone_rows(ctx, pairs, gone)
            if not refs:
                return [(r, None) for r in await _changelog(ctx, pairs)]
            asks = []
            for c, r in refs:
                asks.append(
                    _changelog(
                        ctx, pairs + [("changed_object_type", r.model), ("changed_object_id", str(r.id))]
                    )
                )
                asks.append(
                    _changelog(
                        ctx, pairs + [("related_object_type", r.model), ("related_object_id", str(r.id))]
                    )
                )
                ctx.applied.append(
                    Applied(
                        field="object",
                        op="=",
                        value=r.label,
                        text=c.text,
                        filter=f"changed_object_type={r.model}&changed_object_id={r.id}; "
                        f"related_object_type={r.model}&related_object_id={r.id}",
                    )
                )
            got = await ctx.client.gather(asks)
        except NetBoxError as exc:
            if not _unanswerable(exc):
                raise
            return [(r, None) for r in _unavailable(ctx, exc, "change log")]
        seen: dict[int, tuple[dict[str, Any], Optional[str]]] = {}
        for (c, r), own, related in zip(refs, got[::2], got[1::2], strict=True):
            for row in own:
                seen.setdefault(row["id"], (row, None))
            for row in related:
                seen.setdefault(row["id"], (row, r.label))
        return sorted(seen.values(), key=lambda p: str(p[0].get("time")), reverse=True)

    def finish(ctx: Context) -> Outcome:
        found = _what_changed(ctx, ctx.results["fetch"])
        asked = list(dict.fromkeys(ctx.intent.attributes + [_bare(c.field) for c in _kept(ctx.intent)]))
        rows = [change_row(row, via, asked) for row, via in found]
        if asked:
            rows = [r for r in rows if r["fields"] != EMPTY]
        cols = _columns(CHANGE)
        kept = {_bare(c.field) for c in _kept(ctx.intent)}
        fields = [word_of(CHANGE, a) for a in ctx.intent.attributes if a not in kept]
        where = (f" of {', '.join(fields)}" if fields else "") + _where(ctx)  # "No changes of name on X"
        table = local_table(ctx, f"changes:{id(ctx)}", CHANGE, "Changes" + where, rows, cols)
        if not rows:
            return Outcome(f"No changes{where}.", [table], [])
        users = sorted({r["user"] for r in rows})
        text = f"{len(rows):,} change{'s' if len(rows) != 1 else ''}{where}"
        if not ctx.intent.condition("user_name"):
            text += ", by " + ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
        if asked and rows:
            last = rows[0]
            text += f"; latest: {last['fields']} ({last['time']}, {last['user']})"
        text += f"; {page_text(table)}."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    deps = tuple(s.name for s in resolves)
    return Plan(
        "multi_step" if resolves else "direct",
        resolves + [Step("fetch", "read the change log (changed or related object)", fetch, deps=deps)],
        finish,
    )


GONE = "gone"  # ctx.results key: the named objects NetBox no longer has (NotFound of their resolve step)


def _or_gone(step: Step) -> Step:
    """A resolve step whose object, not found, may be one deleted since ("who deleted VLAN Temp-Event"):
    kept for the change log to find by its name, instead of ending the question."""

    async def run(ctx: Context) -> Any:
        try:
            return await step.run(ctx)
        except NotFound as exc:
            if exc.cond.field != "object" or exc.cond.model is None:
                raise
            ctx.results.setdefault(GONE, []).append(exc)
            return []

    return replace(step, run=run)


async def _gone_rows(
    ctx: Context, pairs: list[tuple[str, str]], gone: list[NotFound]
) -> list[tuple[dict[str, Any], Optional[str]]]:
    """The changes of objects NetBox no longer has, by the name the change log kept (`object_repr`, which
    starts with the name: "Temp-Event (410)"); none there either, the name is not found, as it was."""
    rows: dict[int, dict[str, Any]] = {}
    for exc in gone:
        model, name = str(exc.cond.model), str(exc.cond.value)
        flt = f"changed_object_type={model}&object_repr__isw={name}"
        ctx.applied.append(Applied(field="object", op="=", value=f"{name} (not in NetBox now)",
                                   text=exc.cond.text, filter=flt))
        got = await _changelog(ctx, pairs + [("changed_object_type", model), ("object_repr__isw", name)])
        got = [r for r in got if _repr_names(str(r.get("object_repr") or ""), name)]  # not "Temp-Event-2"
        if not got:
            raise exc
        rows.update((r["id"], r) for r in got)
    return [(r, None) for r in sorted(rows.values(), key=lambda r: str(r.get("time")), reverse=True)]


def _repr_names(shown: str, name: str) -> bool:
    """Whether a change log's `object_repr` is the object named: the name itself, or it and what NetBox adds
    in brackets ("Temp-Event (410)"); `__isw` alone also finds "Temp-Event-2 (411)"."""
    low, want = shown.lower(), name.lower()
    return low == want or low.startswith(want + " (")


def _kept_here(c: Condition) -> bool:
    return c.field.startswith((BECAME, UNTAGGED))


def _kept(intent: Intent) -> list[Condition]:
    return [c for c in intent.conditions if _kept_here(c)]


def _bare(field: str) -> str:
    return field.split(".", 1)[1]


def _what_changed(ctx: Context, found: list[Any]) -> list[Any]:
    """The changes that did what the question says to a field ("shut": `enabled` became false; the tag
    put on: `tags` holds it after and not before), each condition said as applied here."""
    for c in _kept(ctx.intent):
        field, gone = _bare(c.field), c.field.startswith(UNTAGGED)
        wanted = [r.label for r in c.resolved] or [c.value]
        found = [p for p in found if any(_did(p[0], field, v, gone) for v in wanted)]
        op = "lost" if gone else ("gained" if field == "tags" else "became")
        shown = " or ".join(str(_shown(v)) for v in wanted)
        how = f"applied here: {field} {op} {shown} in each change's pre → post data"
        ctx.applied.append(Applied(field=field, op=op, value=shown, text=c.text, filter=how))
    return found


def _shown(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _did(row: dict[str, Any], field: str, value: Any, gone: bool) -> bool:
    """Whether a change set `field` to `value` (a list field: put `value` in it; `gone`: took it out)."""
    pre, post = _flat(row.get("prechange_data")), _flat(row.get("postchange_data"))
    before, after = pre.get(field), post.get(field)
    if gone:
        before, after = after, before
    if isinstance(after, list):
        return _has(after, value) and not (isinstance(before, list) and _has(before, value))
    return after == value and before != value and (bool(post) or gone)


def _has(items: list[Any], value: Any) -> bool:
    """A tag in a change's data: its name (NetBox 4.x), or an object with a name or slug."""
    names = {str(x.get("name") or x.get("slug")) if isinstance(x, dict) else str(x) for x in items}
    return str(value) in names


# What each column of a change or journal row is called; vocab.toml's models."core.objectchange" and
# models."extras.journalentry" `columns` say which are shown, in which order.
_TITLES = {
    "time": "Time (UTC)",
    "user": "User",
    "action": "Action",
    "object": "Object",
    "fields": "Fields changed (before → after)",
    "created": "Created (UTC)",
    "author": "Author",
    "kind": "Kind",
    "comments": "Comments",
}


def _columns(model: str) -> list[Column]:
    from netbox_tui.schema.vocab import load as load_vocab

    return [Column(key=k, title=_TITLES[k]) for k in load_vocab().model(model).columns if k in _TITLES]


def _where(ctx: Context) -> str:
    parts = []
    for a in ctx.applied:
        if a.field == "object":
            parts.append(f"on {a.value}")
        elif a.field in ("user", "author"):
            parts.append(f"by {a.value}")
        elif a.field in ("time", "created"):
            parts.append(f"{'since' if a.op == '≥' else 'before'} {a.value}")
        elif a.field in ("changed_object_type", "assigned_object_type"):
            parts.append(f"to {noun(a.value)}")
        elif a.field == "action":
            parts.append(f"({a.value})")
        elif a.field == "kind":
            parts.append(f"of kind {a.value}")
        elif a.field == "comments":
            parts.append(f"mentioning “{a.value}”")
        elif a.filter.startswith("applied here"):
            parts.append(f"where {a.field} {a.op} {a.value}")
    return (" " + " ".join(parts)) if parts else ""


def change_row(row: dict[str, Any], via: Optional[str], asked: list[str]) -> dict[str, Any]:
    """A change-log row: time, user, action, object (and the object it relates to), fields pre → post."""
    obj = row.get("changed_object") or {}
    kind = str(row.get("changed_object_type") or "").split(".")[-1]
    label = safe_text(
        str(
            obj.get("display")
            if isinstance(obj, dict) and obj.get("display")
            else row.get("object_repr") or ""
        )
    )
    shown = f"{kind} {label}".strip() + (f" (of {via})" if via else "")
    return {
        "id": row.get("id"),
        "display": safe_text(str(row.get("display") or label)),
        "time": _when(row.get("time")),
        "user": safe_text(str(row.get("user_name") or EMPTY)),
        "action": cell(row.get("action")),
        "object": shown,
        "fields": diff_words(row.get("prechange_data"), row.get("postchange_data"), asked),
    }


def _when(value: Any) -> str:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return cell(value)


def diff_words(pre: Any, post: Any, only: Optional[list[str]] = None, most: int = 3) -> str:
    """'comments: “a” → “b”; status: active → offline; +2 more'. Only fields that differ; a creation or
    deletion has one side only, said as its fields being set or gone."""
    pre, post = _flat(pre), _flat(post)
    keys = [
        k
        for k in dict.fromkeys(list(pre) + list(post))
        if k not in _NOISE
        and not k.endswith("_count")
        and pre.get(k) != post.get(k)
        and (not only or k in only)
    ]
    if not keys:
        return EMPTY
    if not pre or not post:  # created or deleted: which fields it had, not each value
        return (
            ("set " if post else "removed ")
            + ", ".join(keys[:most])
            + (f" +{len(keys) - most} more" if len(keys) > most else "")
        )
    width = 100 if only else 40  # a field asked about is said whole enough to see the difference
    parts = [f"{k}: {_short(pre.get(k), width)} → {_short(post.get(k), width)}" for k in keys[:most]]
    return "; ".join(parts) + (f"; +{len(keys) - most} more" if len(keys) > most else "")


def _flat(data: Any) -> dict[str, Any]:
    """Custom fields are one nested object in the log: each is a field of its own (`cf.support_tier`)."""
    if not isinstance(data, dict):
        return {}
    out = {k: v for k, v in data.items() if k != "custom_fields"}
    out.update({f"cf.{k}": v for k, v in (data.get("custom_fields") or {}).items()})
    return out


def _short(value: Any, width: int = 40) -> str:
    if value in (None, "", [], {}):
        return EMPTY
    text = safe_text(str(value) if not isinstance(value, str) else f"“{value}”")
    return text if len(text) <= width else text[: width - 1] + "…"


# -- the journal ----------------------------------------------------------------------------------------


def plan_journal(intent: Intent) -> Plan:
    resolves = _resolve_steps(intent)
    m = model_of(JOURNAL)

    async def fetch(ctx: Context) -> Any:
        pairs = _params(ctx, "journal")
        refs = [(c, r) for c in _refs(ctx.intent) for r in c.resolved]
        try:
            if refs:
                asks = []
                for c, r in refs:
                    asks.append(
                        ctx.client.list_all(
                            m.path,
                            pairs + [("assigned_object_type", r.model), ("assigned_object_id", r.id)],
                            page_size=READ_CAP,
                            cap=READ_CAP,
                            use_cache=False,
                        )
                    )
                    ctx.applied.append(
                        Applied(
                            field="object",
                            op="=",
                            value=r.label,
                            text=c.text,
                            filter=f"assigned_object_type={r.model}&assigned_object_id={r.id}",
                        )
                    )
                entries = [e for rows in await ctx.client.gather(asks) for e in rows]
            else:
                entries = list(
                    await ctx.client.list_all(
                        m.path, pairs, page_size=READ_CAP, cap=READ_CAP, use_cache=False
                    )
                )
        except NetBoxError as exc:
            if not _unanswerable(exc):
                raise
            return _unavailable(ctx, exc, "journal entries"), {}
        return entries, await _authors(ctx, entries)

    def finish(ctx: Context) -> Outcome:
        entries, authors = ctx.results["fetch"]
        rows = []
        for e in sorted(entries, key=lambda e: str(e.get("created")), reverse=True):
            obj = e.get("assigned_object") or {}
            rows.append(
                {
                    "id": e.get("id"),
                    "display": safe_text(str(e.get("display") or e.get("id"))),
                    "created": _when(e.get("created")),
                    "author": authors.get(e.get("id")) or f"user #{e.get('created_by')}",
                    "kind": cell(e.get("kind")),
                    "object": cell(obj) if obj else EMPTY,
                    "comments": _short(e.get("comments"), 120).strip("“”"),
                }
            )
        cols = _columns(JOURNAL)
        where = _where(ctx)
        table = local_table(ctx, f"journal:{id(ctx)}", JOURNAL, "Journal entries" + where, rows, cols)
        if not rows:
            return Outcome(f"No journal entries{where}.", [table], [])
        text = f"{len(rows):,} journal entr{'ies' if len(rows) != 1 else 'y'}{where}; {page_text(table)}."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    deps = tuple(s.name for s in resolves)
    return Plan(
        "multi_step" if resolves else "direct",
        resolves
        + [
            Step(
                "fetch", "read the journal entries, then their authors from the change log", fetch, deps=deps
            )
        ],
        finish,
    )


async def _authors(ctx: Context, entries: list[dict[str, Any]]) -> dict[Any, str]:
    """Entry id -> who wrote it: the change log's creation row of each entry (one request)."""
    ids = [e["id"] for e in entries if e.get("id") is not None][:200]
    if not ids:
        return {}
    pairs = [("changed_object_type", JOURNAL), ("action", "create")] + [
        ("changed_object_id", str(i)) for i in ids
    ]
    try:
        rows = await _changelog(ctx, pairs)
    except (NetBoxError, Limitation):  # authors stay user ids: the entries are still the answer
        return {}
    return {
        r.get("changed_object_id"): safe_text(str(r.get("user_name"))) for r in rows if r.get("user_name")
    }
