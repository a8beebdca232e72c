"""Readings -> the intent: which model the answer lists, on which conditions, asking about which
fields, counted or grouped how, related to what. Every span used is claimed, so the words left
over are exactly what no reading covers (`Intent.not_understood`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Optional

from netbox_tui.core.customfields import is_custom, sole_model
from netbox_tui.core.customfields import notes as custom_field_notes
from netbox_tui.core.customfields import read as read_custom_fields
from netbox_tui.core.intent import Aggregate, Claim, Condition, Intent, Ref, Relation
from netbox_tui.core.lexicon import Meaning
from netbox_tui.core.names import Named
from netbox_tui.core.question import BadQuestionError
from netbox_tui.core.readings import (
    ASN,
    CABLE,
    DEVICE,
    INTERFACE,
    IP,
    PATTERN_TARGET,
    PREFIX,
    RACK,
    SITE,
    VLAN,
    VM,
    Cand,
    Readings,
    _runs,
)
from netbox_tui.core.tags import TAG, tag_mentions, unknown_tags
from netbox_tui.core.text import norm, singular
from netbox_tui.core.textvalues import text_values
from netbox_tui.core.tokens import Tok, _looks_like_device
from netbox_tui.schema import FK, REF, Model
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import load as load_vocab


@dataclass
class Mention:
    """An object the question names: by name, hostname, address, number after a model word…"""

    a: int
    b: int
    text: str
    models: list[str]  # what it may be, best first
    how: str  # name, host, cidr, ip, iface, num, words
    names: list[Named] = field(default_factory=list)  # known objects (name index)
    noun: Optional[str] = None  # the model word that introduced it ("rack R105")
    guess: Optional[str] = None
    group: bool = False  # a word naming several objects at once ("switches": every role whose name ends so)


@lru_cache(maxsize=1)
def _comparing() -> frozenset[str]:
    """One-word comparisons ("over", "between", "before"): never inside a name typed apart ("vcpus between 2
    and 8" is no host vcpus-between-2)."""
    from netbox_tui.core.cfwords import DATE_CMP, LESS, MORE

    words = {w for ws in load_vocab().compare.values() for w in ws if " " not in w}
    return frozenset(words | MORE | LESS | set(DATE_CMP) | {"between"})


def noun_words(model: str) -> str:
    return load_schema().verbose(model) + "s"


# -- assembly: readings -> intent -------------------------------------------------------------------------

class Assembler:
    """Chosen readings -> the intent: what is listed, on which conditions, asked about what."""

    def __init__(self, run: Readings) -> None:
        self.r = run
        self.p = run.p
        self.schema = run.p.schema
        self.vocab = run.p.vocab
        self.toks = run.toks
        self.claims: list[Claim] = []
        self.used: set[int] = set()  # token indices accounted for
        self.mentions: list[Mention] = []

    # -- bookkeeping ----------------------------------------------------------------------------------

    def claim(self, a: int, b: int, means: str) -> tuple[int, int]:
        span = (self.toks[a].start, self.toks[b - 1].end)
        self.claims.append(Claim(start=span[0], end=span[1], text=self.r.text[span[0]:span[1]], means=means))
        self.used.update(range(a, b))
        return span

    def is_used(self, c: Cand) -> bool:
        return any(i in self.used for i in range(c.a, c.b))

    def surface(self, a: int, b: int) -> str:
        return self.r._surface(a, b)

    def items(self, kind: str) -> list[Cand]:
        return [c for c in self.r.chosen if c.has(kind)]

    def at(self, i: int) -> Optional[Cand]:
        return self.r.claimed[i] if 0 <= i < len(self.toks) else None

    @staticmethod
    def cue(c: Optional[Cand], name: str) -> bool:
        return c is not None and any(m.name == name for m in c.of("cue"))

    def next_content(self, i: int) -> Optional[Cand]:
        """The next reading from token i on, past skip words; None at a word nothing reads."""
        j = i
        while j < len(self.toks):
            c = self.at(j)
            if c is not None:
                return c
            if not self.p.is_skip(self.toks[j]):
                return None
            j += 1
        return None

    def tags_of_another_model(self, intent: Intent) -> None:
        """"devices at sites tagged Zulu": the tag is the sites', which NetBox cannot filter devices by. Read
        as the devices' own tag, it answered "no devices" ok; the words are said as not understood instead."""
        for cond in [c for c in intent.conditions if c.model == TAG and c.span is not None]:
            a, b = cond.span  # type: ignore[misc]
            i = next((t.i for t in self.toks if t.start == a), None)
            j = next((t.i for t in self.toks if t.end == b), None)
            if i is None or j is None:
                continue
            first = self.at(i)  # the span begins at "tagged", or at the tag's name after it
            word = first if first is not None and first.has("field") else self.prev_content(i)
            owner = self.prev_content(word.a) if word is not None and word.has("field") else None
            models = {m.model for m in owner.of("noun")} if owner is not None else set()
            if owner is not None and models and intent.target not in models:
                intent.conditions.remove(cond)
                intent.not_understood.append(self.surface(owner.a, j + 1))

    def prev_content(self, i: int) -> Optional[Cand]:
        j = i - 1
        while j >= 0:
            c = self.at(j)
            if c is not None:
                return c
            if not self.p.is_skip(self.toks[j]):
                return None
            j -= 1
        return None

    # -- the steps -------------------------------------------------------------------------------------

    def build(self) -> Intent:
        self.mentions = self.find_mentions()
        tag_mentions(self)
        pattern = self.pattern()
        from netbox_tui.core import numbers, ranking

        if pattern == "changes" and (ranked := ranking.read(self)) is not None:
            return ranked  # "devices most recently added": the devices by creation time, not the change log
        if pattern in ("changes", "journal", "about"):  # the change log, the journal, NetBox: core/changes.py
            from netbox_tui.core.changes import read as read_history

            return read_history(self, pattern)
        if pattern is None and (ranked := ranking.read(self)) is not None:
            return ranked  # "which rack has the most devices": a grouped count, ranked (core/ranking.py)
        rels = self.relation_cues()
        target, attrs, pinned = self.target(pattern, rels)
        intent = Intent(target=target, pattern=pattern)
        if pattern is not None:
            for c in self.items("pattern"):
                if any(m.name == pattern for m in c.of("pattern")):
                    self.claim(c.a, c.b, f"pattern {pattern}")
        pinned = read_custom_fields(self, intent, pinned)  # "warranty end before 2027", "owned by X"
        text_values(self, intent)  # "description contains uplink": a text field's value, before names
        numbers.read(self, intent)  # "more than 4 vcpus", "vid >= 100": a number field compared
        self.conditions(intent, pinned)
        self.relations(intent, rels)
        intent.conditions += unknown_tags(self, intent.target)  # before values: "tagged" is a port mode too
        self.values(intent, pinned)
        self.comparisons(intent)
        self.fields(intent, attrs, pinned)
        self.aggregate(intent)
        self.value_lists(intent)
        self.negations(intent)
        from netbox_tui.core.kinds import unknown_kind

        unknown_kind(self, intent)  # "firewalls at X" with no such role: said, never the site instead
        # A name scoped by others ("front port 2 on PP:B128": a port of that device) is looked up after them.
        intent.conditions.sort(key=lambda c: c.model in self.vocab.scoped_names and not c.resolved)
        intent.not_understood = self.leftover()
        self.tags_of_another_model(intent)
        intent.claims = sorted(self.claims, key=lambda c: c.start)
        intent.corrected = self.corrected() + custom_field_notes(self, intent)
        return intent

    def value_lists(self, intent: Intent) -> None:
        """'in Ohio and Pennsylvania', 'offline or failed': one condition of several values
        (core/lists.py)."""
        from netbox_tui.core.lists import join_lists, many_valued, per_value_count

        for dest, model in [(intent, intent.target)] + [(r, r.model) for r in intent.relations]:
            many = many_valued(self.schema.model(model))
            dest.conditions, joined = join_lists(dest.conditions, self.r.text, many)
            for j in joined:
                for start, end in j.joiners:
                    inside = [t.i for t in self.toks if start <= t.start and t.end <= end]
                    if inside:
                        self.claim(inside[0], inside[-1] + 1, "or")
            if dest is intent:
                per_value_count(intent, joined, set(self.schema.model(model).fields))

    def _structure(self, t: Tok) -> bool:
        """A word that joins or negates conditions ("or", "except", "outside"): never part of a name."""
        # one-word ones: "other", "from" stay name words
        return t.low in self.vocab.alternatives or t.low in self.vocab.negation

    def negations(self, intent: Intent) -> None:
        """'devices not at DM-Akron', 'routers except at DM-Akron': an unread negation word right before a
        condition (skip words between) makes it an exclusion, which NetBox filters as `__n`."""
        for cond in intent.conditions + [c for r in intent.relations for c in r.conditions]:
            if cond.op != "eq" or cond.span is None:
                continue
            i = next((t.i for t in self.toks if t.start == cond.span[0]), None)
            j = (i or 0) - 1
            while (
                i is not None
                and j >= 0
                and j not in self.used
                and self.p.is_skip(self.toks[j])
                and not self._negation_at(j)
            ):
                j -= 1
            width = self._negation_at(j) if i is not None and j >= 0 and j not in self.used else 0
            if not width:
                continue
            if isinstance(cond.value, bool):
                cond.value = not cond.value
            else:
                cond.op = "ne"
            self.claim(j - width + 1, j + 1, "not")

    def _negation_at(self, j: int) -> int:
        """How many words of a negation phrase end at token j (0: none)."""
        for phrase in self.vocab.negation:
            words = phrase.split()
            k = j - len(words) + 1
            if (
                k >= 0
                and [t.low for t in self.toks[k : j + 1]] == words
                and not any(x in self.used for x in range(k, j + 1))
            ):
                return len(words)
        return 0

    def corrected(self) -> list[str]:
        """Words read as a close word of the vocabulary ("devcies" as devices), among those used."""
        out: list[str] = []
        seen: list[Cand] = []
        for c in self.r.claimed:
            if c is None or not c.guess or c.kind == "name" or any(c is x for x in seen):
                continue
            seen.append(c)
            if self.is_used(c):
                typed = self.r.text[self.toks[c.a].start:self.toks[c.b - 1].end]
                if typed.lower() != c.guess.lower():
                    out.append(f"“{typed}” as {c.guess}")
        return out

    # mentions ---------------------------------------------------------------------------------------

    def find_mentions(self) -> list[Mention]:
        """Objects named in the question, each with the models it may be."""
        out: list[Mention] = []
        toks = self.toks
        for c in self.r.chosen:
            if c.has("cidr") or c.has("ip"):
                out.append(
                    Mention(
                        c.a,
                        c.b,
                        toks[c.a].text,
                        [PREFIX if c.has("cidr") else IP],
                        "cidr" if c.has("cidr") else "ip",
                    )
                )
            elif c.has("iface"):
                out.append(Mention(c.a, c.b, toks[c.a].text, [INTERFACE], "iface"))
            elif c.has("asn"):
                asn = toks[c.a].text[2:] or toks[c.b - 1].text  # "AS3356", or "AS 3356" typed apart
                out.append(Mention(c.a, c.b, asn, [ASN], "num", noun=ASN))
            elif c.has("quoted"):
                out.append(Mention(c.a, c.b, toks[c.a].text, [], "quoted"))
            elif c.has("name"):
                models = list(dict.fromkeys(e.model for e in c.names))
                group = (
                    not any(
                        norm(e.name) == norm(self.surface(c.a, c.b))
                        or norm(e.slug) == norm(self.surface(c.a, c.b))
                        for e in c.names
                    )
                    and not c.guess
                    and not getattr(c, "loose", False)
                )
                if (group or c.guess) and c.kinds & {"noun", "field", "value", "cue", "pattern"}:
                    continue  # "access" is a port mode before it is the last word of "Internet Access"
                out.append(
                    Mention(
                        c.a,
                        c.b,
                        self.surface(c.a, c.b),
                        models,
                        "name",
                        list(c.names),
                        guess=c.guess,
                        group=group,
                    )
                )
            elif c.has("host") and not (c.kinds & {"noun", "field", "value", "cue", "pattern"}):
                out.append(Mention(c.a, c.b, toks[c.a].text, list(self.vocab.find_models), "host"))
        out = self.joined_hosts(out)
        out = self.joined_words_host(out)
        # A model word right before a name names it: "rack R105", "VLAN 202", "cable 43", "site MDF",
        # "rack Comms closet" (free words after a model word are that object's name).
        for c in list(self.r.chosen):
            if not c.has("noun") or any(m.a <= c.a < m.b for m in out):
                continue
            nouns = [m.model for m in c.of("noun") if m.model]
            j = c.b
            while j < len(toks) and toks[j].low in (
                "named",
                "called",
                "id",
                "number",
                "no.",
                "#",
                "labelled",
                "labeled",
                "label",
            ):
                j += 1
            nxt = next((m for m in out if m.a == j), None)
            if nxt is not None:
                fits = [m for m in nouns if m in nxt.models]
                if nxt.how in ("host", "words"):
                    fits = fits or nouns[:1]
                elif nxt.how == "cidr":
                    fits = [m for m in nouns if m == PREFIX]
                elif nxt.how == "ip":
                    fits = [m for m in nouns if m == IP]
                elif nxt.how == "iface":
                    fits = [m for m in nouns if m == INTERFACE]
                if not fits and nxt.how == "name" and (nxt.group or nxt.guess):
                    # "VLAN Voice": a weak reading of the word (the head of "Access - Voice") gives way
                    # to the name of the object the model word introduces.
                    nxt.how, nxt.names, nxt.group, nxt.guess = "words", [], False, None
                    fits = nouns[:1]
                if fits:
                    nxt.models, nxt.noun, nxt.a = fits, fits[0], c.a
                    nxt.names = [e for e in nxt.names if e.model in fits]
                continue
            num = self.at(j)
            if num is not None and num.has("num") and not num.has("noun"):
                out.append(Mention(c.a, num.b, toks[j].text.lstrip("#"), nouns[:1], "num", noun=nouns[0]))
                continue
            if not self._singular(c) and not (j < len(toks) and toks[j].text[:1].isupper()):
                continue  # "aggregates allocated from X", "feeds come off panel 3": a list's words, no name
            searched = any(self.vocab.model(n).searched for n in nouns)
            k = j
            # The object's name: free words, numbers inside it ("Plant 1"), and after a model word of a
            # large table even a capitalised common word ("VLAN Data", "rack Storage").
            while k < len(toks) and toks[k].kind == "word" and not self._structure(toks[k]) and (
                    (self.at(k) is None or (k > j and self.at(k) is not None and self.at(k).kinds <= {"num"}))  # type: ignore[union-attr]
                    and (not self.p.is_skip(toks[k]) or (searched and toks[k].text[:1].isupper()))):
                k += 1
            if k > j:
                end = k
                # "Comms closet": one model word right after the free words, ending the phrase, is part of
                # the name.
                tail = self.at(k)
                if (
                    tail is not None
                    and tail.has("noun")
                    and tail.length == 1
                    and (tail.b >= len(toks) or self.p.is_skip(toks[tail.b]))
                ):
                    end = tail.b
                    self.r.unclaim(tail)
                out.append(Mention(c.a, end, self.surface(j, end), nouns[:1], "words", noun=nouns[0]))
        # "remote AS 3356": a number right after a field word naming a model whose objects are named
        # by a number (an ASN) is one of those objects, the field saying which of the target's filters.
        for c in self.r.chosen:
            num = self.at(c.b)
            if not c.has("field") or c.has("noun") or num is None or not num.has("num") or num.has("noun") \
                    or any(m.a <= num.a < m.b and (m.how != "host" or m.noun) for m in out):
                continue
            to = next((x for f in c.of("field") if (x := self._numbered(f)) is not None), None)
            if to is not None:
                out = [m for m in out if m.a != num.a]  # "65001" is no circuit id after "local AS"
                out.append(Mention(num.a, num.b, toks[num.a].text.lstrip("#"), [to], "num", noun=to))
        # "the Research-Lab VLAN": a hostname-like word without digits right before a model word of a
        # large table names one of its objects (a device name has digits: "dmi01-akron-sw01 interfaces").
        for c in self.r.chosen:
            if not c.has("noun") or not self._singular(c):
                continue
            prev = next(
                (
                    m
                    for m in out
                    if m.b == c.a and m.how == "host" and m.noun is None and not re.search(r"\d", m.text)
                ),
                None,
            )
            models = [x.model for x in c.of("noun") if x.model and self.vocab.model(x.model).searched]
            if prev is not None and models:
                prev.models, prev.noun, prev.b = models[:1], models[0], c.b
        # Words nothing reads, right after "at", "from", "for"…: a name of something ("circuits from Sprint").
        taken = {i for m in out for i in range(m.a, m.b)}
        for i, t in enumerate(toks):
            before = self.prev_content(i)
            after_pattern = before is not None and before.has("pattern") and before.b == i
            if (
                i in taken
                or self.at(i) is not None
                or self.p.is_skip(t)
                or t.kind != "word"
                or self._structure(t)
                or not (self._after_preposition(i) or after_pattern)
            ):
                continue
            k = i
            while (
                k < len(toks)
                and k not in taken
                and self.at(k) is None
                and not self.p.is_skip(toks[k])
                and toks[k].kind == "word"
                and not self._structure(toks[k])
            ):
                k += 1
            out.append(Mention(i, k, self.surface(i, k), [], "unknown"))
            taken.update(range(i, k))
        # "North America cluster group", "MDF location": a model word right after a name says which it is.
        for m in out:
            self._named_by_noun_after(m)
            self._model_word_into_name(m)
            after = self.at(m.b) if m.how == "name" else None
            if after is not None and after.has("noun") and after.length <= 2:
                fits = [x.model for x in after.of("noun") if x.model in m.models]
                if fits:
                    m.models, m.names, m.b = fits[:1], [e for e in m.names if e.model == fits[0]], after.b
                    m.group = False
        out.sort(key=lambda m: (m.a, -(m.b - m.a)))
        kept: list[Mention] = []
        for m in out:
            if kept and m.a < kept[-1].b:
                continue
            kept.append(m)
        return kept

    def _named_by_noun_after(self, m: Mention) -> None:
        """"the admin VLAN at X", "of the Comms closet rack": unread words right before a singular model
        word of a large table are the name of one of its objects."""
        after = self.at(m.b) if m.how == "unknown" else None
        if after is None or not after.has("noun") or after.has("field") or not self._singular(after):
            return
        models = [x.model for x in after.of("noun") if x.model and self.vocab.model(x.model).searched]
        if models:
            m.models, m.noun, m.how, m.b = models[:1], models[0], "words", after.b

    def _model_word_into_name(self, m: Mention) -> None:
        """"power panel 3" where a panel is named "Panel 3": the unread word before the name and the name's
        first word spell its model word, so the name is introduced by it ("power" is read, not left over)."""
        if m.how != "name" or m.a == 0 or self.at(m.a - 1) is not None or self.p.is_skip(self.toks[m.a - 1]):
            return
        for end in range(m.a + 1, m.b + 1):
            key = self.r._key(m.a - 1, end)
            nouns = [x.model for x in self.p.lex.lookup(key) if x.kind == "noun" and x.model in m.models]
            if nouns:
                m.a, m.noun, m.models = m.a - 1, nouns[0], nouns[:1]
                m.names = [e for e in m.names if e.model == nouns[0]]
                return

    def _numbered(self, f: Meaning) -> Optional[str]:
        """The model a field word's field points to, when NetBox names its objects by a number."""
        fm = self.schema.get(f.model or "")
        fld = fm.fields.get(f.fields[0] if f.fields else f.name) if fm is not None and not f.path else None
        to = self.schema.get(fld.to) if fld is not None and fld.type == FK and fld.to else None
        label = to.filters.get(to.label) if to is not None else None
        return to.name if to is not None and label is not None and label.type == "num" else None

    def in_mention(self, c: Cand) -> bool:
        return any(m.a <= c.a < m.b for m in self.mentions)

    # patterns ---------------------------------------------------------------------------------------

    def pattern(self) -> Optional[str]:
        found = [c for c in self.items("pattern") if not self.in_mention(c)]
        from netbox_tui.core.changes import history_pattern

        history = history_pattern(self, found)  # the change log, the journal, NetBox itself ("who shut X")
        if history is not None:
            return history
        if not found:
            return None
        mentions = self.mentions
        nouns = {m.model for c in self.items("noun") for m in c.of("noun")[:1] if not self.in_mention(c)}
        nouns |= {m.noun for m in mentions if m.noun}
        has = lambda how: any(m.how == how for m in mentions)  # noqa: E731
        text = self.r.text.lower()
        for c in found:
            names = [m.name for m in c.of("pattern")]
            if self.cue(self.prev_content(c.a), "absence"):
                continue  # "nothing plugged into": a condition, not a trace
            if "trace" in names and (
                has("iface") or any(DEVICE in m.models or m.noun == CABLE for m in mentions)
            ):
                return "trace"
            if "vlan_topology" in names and (VLAN in nouns or "vlan" in self.r._key(c.a, c.b)):
                return "vlan_topology"
            if (
                "free_ips" in names
                and (has("cidr") or PREFIX in nouns)
                and (IP in nouns or re.search(r"\bips?\b", text))
            ):
                return "free_ips"
            if (
                "rack_utilisation" in names
                and INTERFACE not in nouns
                and (
                    RACK in nouns
                    or (
                        not has("cidr")
                        and PREFIX not in nouns
                        and any(
                            SITE in m.models and m.how == "name" or m.how == "host" and not nouns
                            for m in mentions
                        )
                    )
                )
            ):
                return "rack_utilisation"
            if "prefix_utilisation" in names and (has("cidr") or PREFIX in nouns):
                return "prefix_utilisation"
            if (
                "site_summary" in names
                and not has("cidr")
                and not has("ip")
                and not has("host")
                and INTERFACE not in nouns
            ):
                return "site_summary"
        return None

    # relation cues: "with no X", "that no X uses", "have nothing in them" --------------------------------

    def relation_cues(self) -> list[tuple[Cand, Optional[Cand], bool, list[Cand]]]:
        """(cue, the model word it is about or None, negated, value words between them)."""
        out: list[tuple[Cand, Optional[Cand], bool, list[Cand]]] = []
        for c in self.items("cue"):
            negate = self.cue(c, "absence")
            if not negate and not self.cue(c, "presence"):
                continue
            nxt = self.next_content(c.b)
            while nxt is not None and self.cue(nxt, "group") and self.toks[nxt.a].low == "by":
                nxt = self.next_content(nxt.b)  # "not used by any device": "by" names who, it groups nothing
            if not negate and self.cue(nxt, "absence"):
                continue  # "with no", "have no": the absence word speaks
            between: list[Cand] = []
            j = c.b
            # "nothing plugged into any interface": value words, then the model word.
            while (
                nxt is not None
                and (nxt.has("value") or nxt.has("pattern"))
                and not nxt.has("noun")
                and len(between) < 3
            ):
                between.append(nxt)
                j = nxt.b
                nxt = self.next_content(j)
            if nxt is not None and nxt.has("noun") and not self.in_mention(nxt):
                out.append(self._negated_presence(c, nxt, negate, between))
            elif (
                negate
                and self.toks[c.a].low in ("nothing", "empty", "none", "nobody", "noone")
                and (nxt is None or not nxt.has("field"))
            ):
                out.append((c, None, True, between))
        return out

    def _negated_presence(self, c: Cand, noun: Cand, negate: bool, between: list[Cand]
                          ) -> tuple[Cand, Optional[Cand], bool, list[Cand]]:
        """"devices that don't have a platform": an absence word right before the presence word negates it,
        and is read with it."""
        before = self.prev_content(c.a)
        negated = self.cue(before, "absence") and not self.cue(before, "presence")
        if not negate and negated and before is not None:
            return before, noun, True, between
        return c, noun, negate, between

    # target -----------------------------------------------------------------------------------------

    def target(self, pattern: Optional[str], rels: list) -> tuple[str, list[Meaning], Optional[Mention]]:
        """The model of the main table, the fields asked about, and the mention that is the target itself."""
        rel_nouns = {id(n) for _, n, _, _ in rels if n is not None}
        group_nouns = {id(self.next_content(c.b)) for c in self.items("cue") if self.cue(c, "group")}
        bare = [
            c
            for c in self.items("noun")
            if id(c) not in rel_nouns and id(c) not in group_nouns and not self.in_mention(c)
        ]
        if not bare and not any(
            m.how == "name" and any(self.vocab.model(x).stands_for for x in m.models) for m in self.mentions
        ):
            # "how many of each device model (do we have)": the objects each model stands for, counted
            # per model (the aggregate reads "each device model"), not the number of models.
            each = [c for c in self.items("noun") if id(c) in group_nouns and not self.in_mention(c)
                    and self.vocab.model(c.of("noun")[0].model or "").stands_for]
            if pattern is None and each and any(self.cue(c, "count") for c in self.items("cue")):
                tgt = self.vocab.model(each[0].of("noun")[0].model or "").stands_for or DEVICE
                if self.group_field(tgt, each[0]) is not None:
                    return tgt, [], self.pin(tgt)
            # "show me every device in X": nothing else is listed, so "every" groups nothing.
            bare = [c for c in self.items("noun") if id(c) in group_nouns and not self.in_mention(c)]
            for c in self.items("cue"):
                if self.cue(c, "group") and id(self.next_content(c.b)) in {id(b) for b in bare}:
                    self.used.update(range(c.a, c.b))
        subject = self.subject()
        if pattern is not None:
            tgt = PATTERN_TARGET[pattern]
            for c in bare:
                if any(
                    m.model == tgt
                    or pattern == "free_ips"
                    and m.model == IP
                    or pattern == "vlan_topology"
                    and m.model in (INTERFACE, DEVICE, VM)
                    for m in c.of("noun")
                ):
                    self.claim(
                        c.a, c.b, f"model {tgt}" if c.of("noun")[0].model == tgt else "free IP addresses"
                    )
            return tgt, [], self.pin(tgt)
        # Model words that are fields of a named object ask for that field: "which rack is X in".
        attrs: list[Meaning] = []
        if subject is not None:
            for c in list(bare):
                f = next((f for sm in subject.models if (f := self.field_for_noun(sm, c)) is not None), None)
                if not self._singular(c) and subject.how != "iface" and not self._many_of(c, subject, f):
                    continue  # "vlans on X ae0": the port's VLANs
                if f is not None:
                    attrs.append(f)
                    self.claim(c.a, c.b, f"field {f.name}")
                    bare.remove(c)
        # The first thing named that is not after a preposition: a model word, or a name standing for
        # objects of another model ("which switches have VLAN 300 on a port": devices; "storage racks").
        things: list[tuple[int, str, Optional[Cand]]] = [
            (c.a, c.of("noun")[0].model or DEVICE, c) for c in bare
        ]
        for m in self.mentions:
            sf = next(
                (self.vocab.model(x).stands_for for x in m.models if self.vocab.model(x).stands_for), None
            )
            if sf and m.how == "name" and not self._after_preposition(m.a):
                things.append((m.a, sf, None))
        things.sort(key=lambda t: t[0])
        if things:
            _, tgt, first = things[0]
            for _, model, word in things:
                if word is not None and model == tgt:
                    self.claim(word.a, word.b, f"model {tgt}")
                elif word is not None and model != tgt:
                    # "circuits at New York sites": the sites are how the place is said, not a second table.
                    before = next((m for m in self.mentions if m.b == word.a and m.how == "name"), None)
                    nm = self.schema.get(model)
                    if (
                        before is not None
                        and nm is not None
                        and any(nm.field_to(x) is not None for x in before.models)
                    ):
                        self.claim(word.a, word.b, f"the {noun_words(model)} of {before.text}")
            return tgt, attrs, self.pin(tgt, listed=first is not None)
        fields = [c for c in self.items("field") if not self.in_mention(c)]
        values = [c for c in self.items("value") if not self.in_mention(c)]
        if subject is not None and (attrs or fields or values):
            # The fields asked for say what the object can be: a platform is a device's or a VM's.
            models = [
                m for m in subject.models if any(f.model == m for c in fields + values for f in c.meanings)
            ]
            subject.models = models or subject.models
            return subject.models[0], attrs, subject
        # "what's in rack Comms closet": what the named object holds.
        if (
            subject is not None
            and subject.noun
            and self._after_preposition(subject.a, ("in", "inside", "within", "on"))
        ):
            contents = self.vocab.model(subject.noun).contents
            if contents:
                return contents, attrs, None
        if values and not self.mentions:
            return values[0].of("value")[0].model or DEVICE, attrs, None
        known = [m for m in self.mentions if m.models]
        if known:
            m = subject or known[0]
            return m.models[0], attrs, m
        if values:
            return values[0].of("value")[0].model or DEVICE, attrs, None
        only = sole_model(self)  # "anything with warranty expiring before 2020": one model has that field
        if only is not None and not self.mentions:
            return only, attrs, None
        # Nothing but a word nothing reads ("ncsu"): a name of some object, looked for everywhere.
        free = [t for t in self.toks if self.at(t.i) is None and not self.p.is_skip(t) and t.kind == "word"]
        if free and len(_runs([t.i for t in free])) == 1:
            a, b = free[0].i, free[-1].i + 1
            m = Mention(a, b, self.surface(a, b), list(self.vocab.find_models), "host")
            self.mentions.append(m)
            return m.models[0], attrs, m
        raise BadQuestionError(
            "the question names no NetBox object or kind of object",
            'Name what you want to see, e.g. "devices at <site>", "VLANs", "interfaces on <device>".',
        )

    def _after_preposition(
        self,
        i: int,
        preps: tuple[str, ...] = (
            "at",
            "in",
            "on",
            "of",
            "for",
            "from",
            "to",
            "by",
            "under",
            "inside",
            "within",
            "into",
            "behind",
        ),
    ) -> bool:
        j = i - 1
        while j >= 0 and self.toks[j].low in ("the", "a", "an", "all", "every", "each", "any", "my", "our"):
            j -= 1
        return j >= 0 and self.toks[j].low in preps

    def _singular(self, c: Cand) -> bool:
        """A singular model word asks for a field ("which rack"); a plural one lists ("racks at")."""
        last = self.toks[c.b - 1]
        return singular(last.low) == last.low

    def subject(self) -> Optional[Mention]:
        """The object the question is about, when it names one: a hostname, an address, a named object."""
        iface = next((m for m in self.mentions if m.how == "iface"), None)
        if iface is not None:
            return iface  # "dmi01-akron-rtr01 Gi0/0/0": the port, on that device
        for m in self.mentions:
            if not m.models:
                continue
            if m.how in ("host", "cidr", "ip", "iface", "num", "words") or m.noun is not None:
                return m
            if m.how == "name" and not any(self.vocab.model(x).stands_for for x in m.models):
                return m
        return None

    def _many_of(self, noun: Cand, subject: Mention, f: Optional[Meaning]) -> bool:
        """"what tags are on X": a plural model word is a field of the named object when that field holds
        many and NetBox cannot filter the word's model by the object (no tags?device_id=)."""
        if f is None:
            return False
        nouns = [m.model for m in noun.of("noun") if m.model and self.schema.get(m.model) is not None]
        for sm in subject.models:
            field = self.schema.model(sm).fields.get(f.name) if self.schema.get(sm) is not None else None
            if field is not None and field.many and nouns \
                    and all(self.schema.model(n).ref_filter(sm) is None for n in nouns):
                return True
        return False

    def field_for_noun(self, model: str, noun: Cand) -> Optional[Meaning]:
        """The field of `model` a model word asks for: a VLAN's `group` for "VLAN group", a device's
        `rack`."""
        nm = self.schema.get(model)
        if nm is None:
            return None
        key = self.r._key(noun.a, noun.b)
        mine = next((f for f in noun.of("field") if f.model == model and is_custom(f.name)), None)
        if mine is not None:  # "the owner of X": a custom field's label before a synonym of the vocabulary
            return mine
        for fm in sorted(self.p.lex.of_model(model).phrases.get(key, []), key=lambda x: -x.weight):
            if fm.kind == "field":
                return fm
        for meaning in noun.of("noun"):
            f = nm.field_to(meaning.model) if meaning.model else None
            if f is not None:
                return Meaning("field", model, f.name, (f.name,))
        return None

    def pin(self, target: str, listed: bool = False) -> Optional[Mention]:
        """The mention that is the target object itself ("prefix 10.1.0.0/16" in "how full is prefix …").

        `listed`: the target is a model word ("racks at DM-Hartford"), so an unknown name after "at"
        is where they are, or one of them (reference() offers the target last); after a pattern
        ("space left in IDF117") it is the object itself."""
        for m in self.mentions:
            if target not in m.models or (listed and (self.placed(m) or self._before_plural(m))):
                continue
            if (
                m.noun == target
                or m.how in ("cidr", "ip", "iface", "num")
                or (m.how in ("host", "words", "name") and m.noun is None)
            ):
                if m.how == "name" and m.noun is None and self.vocab.model(target).stands_for:
                    continue
                return m
        return None

    def _before_plural(self, m: Mention) -> bool:
        """"lvl3 circuits": a name right before a plural model word says which ones, it is none of them."""
        after = self.at(m.b) if m.how == "host" and m.noun is None else None
        return after is not None and after.has("noun") and not self._singular(after)

    def placed(self, m: Mention) -> bool:
        """An unknown name after "at", "in"…: where the target is ("racks at DM-Hartford"), not its name."""
        if m.how not in ("host", "unknown") or m.noun is not None or m.names:
            return False
        return self._after_preposition(m.a, tuple(self.vocab.place))

    # conditions from mentions ------------------------------------------------------------------------------

    def conditions(self, intent: Intent, pinned: Optional[Mention]) -> None:
        target = self.schema.model(intent.target)
        inside = next((c for c in self.items("cue") if self.cue(c, "within")), None)
        for m in self.mentions:
            span = self.claim(m.a, m.b, "name")
            text = self.r.text[span[0]:span[1]]
            if m is pinned and m.how == "cidr" and inside is not None and target.accepts("within"):
                # "child prefixes of 10.112.152.0/22": the prefixes inside it, not the prefix itself.
                self.claim(inside.a, inside.b, "within")
                intent.conditions.append(
                    Condition(field="within", op="within", value=m.text, text=text, span=span)
                )
                continue
            valued = (
                self.field_value(target, m)
                if m.noun is None and m.how in ("host", "words", "num", "quoted", "unknown", "name")
                else None
            )
            if valued is not None:
                # "serial FOC2418Y1K7", "'printer' in the description": a value of one of the target's fields.
                fc, fname = valued
                fspan = self.claim(min(fc.a, m.a), max(fc.b, m.b), f"{fname} value")
                op = "ic" if m.how == "quoted" or fname in ("description", "comments") else "eq"
                intent.conditions.append(
                    Condition(
                        field=fname, op=op, value=m.text, text=self.r.text[fspan[0] : fspan[1]], span=fspan
                    )
                )
            elif m is pinned:
                intent.conditions.append(self.identity(intent.target, m, span, text))
            else:
                intent.conditions.append(self.reference(target, m, span, text))
        # A field word beside a condition's name is part of it: "running Cisco IOS", "role Access - Wireless".
        for c in self.items("field"):
            if self.is_used(c):
                continue
            for cond in intent.conditions:
                if cond.span is None or cond.model is None or cond.model == intent.target:
                    continue
                said = next((f for f in c.of("field") if self.field_model(intent.target, f) == cond.model),
                            None)
                if said is not None and self.adjacent(c, cond.span):
                    own = (said.fields or (said.name,))[0]
                    flt = target.filters.get(f"{own}_id") or target.filters.get(own)
                    if not said.path and flt is not None and flt.to == cond.model:
                        cond.field = own  # "local AS 65001": the field said picks among filters taking an ASN
                    fspan = self.claim(c.a, c.b, f"field {cond.field}")
                    if cond.model == TAG:  # "not tagged critical": the negation reads the whole condition
                        cond.span = (min(cond.span[0], fspan[0]), max(cond.span[1], fspan[1]))
                    break

    def field_value(self, target: Model, m: Mention) -> Optional[tuple[Cand, str]]:
        """A field word of the target right before (or, for a quoted value, after) the mention,
        naming a text or number field NetBox filters: the mention is that field's value."""
        for c in (self.prev_content(m.a), self.next_content(m.b) if m.how == "quoted" else None):
            if c is None or self.is_used(c) or not c.has("field"):
                continue
            gap = (
                self.r.text[self.toks[c.b - 1].end : self.toks[m.a].start]
                if c.b <= m.a
                else self.r.text[self.toks[m.b - 1].end : self.toks[c.a].start]
            )
            between = set(re.findall(r"[\w']+", gap.lower()))
            if between - {
                "is",
                "equals",
                "equal",
                "contains",
                "containing",
                "like",
                "matching",
                "with",
                "has",
                "in",
                "the",
                "its",
                "their",
            } or (c.b <= m.a and between & {"in"}):
                continue  # "serial of X", "description on X": X is whose field, not its value
            meaning = next(
                (
                    x
                    for x in c.of("field")
                    if x.model == target.name and not x.path and len(x.fields or (x.name,)) == 1
                ),
                None,
            )
            if meaning is None:
                continue
            fname = (meaning.fields or (meaning.name,))[0]
            f = target.fields.get(fname)
            flt = target.filters.get(fname)
            if (
                f is None
                or flt is None
                or f.type not in ("str", "int", "num")
                or (m.how == "name" and (f.type != "str" or fname == target.label))
            ):
                continue
            if f.type in ("int", "num") and not m.text.replace(".", "", 1).isdigit():
                continue  # a position is a number: "U is ncsu-coreswitch2" names no position
            if c.b <= m.a and self._asks_which(c.a):
                continue  # "which rack is X in", "what serial has X": X is the object asked about
            return c, fname
        return None

    def _asks_which(self, i: int) -> bool:
        """A question word shortly before token i ("which rack", "what is the serial of")."""
        return any(
            t.low in ("which", "what", "whats", "what's", "whose", "where")
            for t in self.toks[max(0, i - 4) : i]
        )

    def field_model(self, model: str, m: Meaning) -> Optional[str]:
        """The model a field word's field points to (a device's `platform` -> dcim.platform)."""
        if m.model not in (model, None):
            return None
        tm = self.schema.model(model)
        if m.path:
            first, _, rest = m.path.partition(".")
            ff = tm.fields.get(first)
            if ff is not None and ff.to and rest:
                f2 = self.schema.model(ff.to).fields.get(rest)
                return f2.to if f2 is not None else None
        f = tm.fields.get(m.fields[0] if m.fields else m.name)
        return f.to if f is not None else None

    def adjacent(self, c: Cand, span: tuple[int, int]) -> bool:
        a, b = self.toks[c.a].start, self.toks[c.b - 1].end
        gap = (
            self.r.text[b : span[0]]
            if b <= span[0]
            else self.r.text[span[1] : a]
            if span[1] <= a
            else "x x x x"
        )
        ws = re.findall(r"[\w'-]+", gap.lower())
        return len(ws) <= 2 and all(singular(w) in self.p.lex.skip for w in ws)

    def identity(self, model: str, m: Mention, span: tuple[int, int], text: str) -> Condition:
        """The condition naming the target object itself."""
        if m.how == "cidr":
            return Condition(field="prefix", value=m.text, text=text, model=model, span=span)
        if m.how == "ip":
            return Condition(field="address", value=m.text, text=text, model=model, span=span)
        if m.how == "iface":
            return Condition(field="name", value=m.text, text=text, model=model, span=span)
        # long numbers are read as hosts too (circuit ids)
        if m.how == "num" or m.how == "host" and m.text.isdigit():
            if model == VLAN:
                return Condition(field="vid", value=int(m.text), text=text, model=model, span=span)
            label = self.schema.model(model).label
            hashed = self.toks[m.b - 1].kind == "hash"
            if (
                not hashed
                and label not in ("name", "id", "display", "label")
                and self.schema.model(model).accepts(label)
            ):
                # circuit 398282 = its cid
                return Condition(field=label, value=m.text, text=text, model=model, span=span)
            return Condition(field="id", value=m.text, text=text, model=model, span=span)
        cond = Condition(field="id", value=m.text, text=text, model=model, span=span, guess=m.guess)
        if m.how in ("host", "unknown") and m.noun is None and not self._kind_said_after(m, model):
            found = [x for x in m.models if x in self.vocab.find_models] or list(self.vocab.find_models)
            cond.candidates = list(dict.fromkeys([model] + found))
        self.resolve_known(cond, m)
        return cond

    def _kind_said_after(self, m: Mention, model: str) -> bool:
        """"what does dmi01-yonkers-pdu01 feed": the model word right after the name says what it is (a power
        feed), so no other kind is looked in (the device of that name was answered, "feed" dropped)."""
        after = self.at(m.b)
        return after is not None and any(x.model == model for x in after.of("noun"))

    def resolve_known(self, cond: Condition, m: Mention) -> None:
        """Names read from the name index are resolved already: a request saved, and said as read."""
        if not m.names or cond.model is None:
            return
        mine = [e for e in m.names if e.model == cond.model]
        if m.group or len(mine) == 1:
            cond.resolved = [Ref(model=e.model, id=e.id, label=e.name) for e in mine]
            typed = norm(m.text)
            if not m.group and cond.guess is None and typed not in (norm(mine[0].name), norm(mine[0].slug)):
                # One of several loose matches, left alone by what the target can be filtered by ("newest"
                # circuits: of the names like it only a region filters circuits): still a guess, and said.
                cond.guess = mine[0].name

    def reference(self, target: Model, m: Mention, span: tuple[int, int], text: str) -> Condition:
        """A named object that filters the target: by the target's filter that takes it."""
        if m.how == "cidr":
            flt = self.vocab.cidr_filters.get(target.name)
            if flt and target.accepts(flt):
                return Condition(field=flt, op="within", value=m.text, text=text, span=span)
            return Condition(field="prefix", op="within", value=m.text, text=text, model=PREFIX, span=span)
        if m.how == "ip":
            flt = self.vocab.address_filters.get(target.name)
            if flt and target.accepts(flt):  # "prefixes that contain 10.1.2.3"
                return Condition(field=flt, op="contains", value=m.text.split("/")[0], text=text, span=span)
            return Condition(field="address", value=m.text, text=text, model=IP, span=span)
        if m.how == "iface":
            return Condition(field="name", value=m.text, text=text, model=INTERFACE, span=span)
        vid = target.filters.get("vlan")
        if m.how == "num" and m.noun == VLAN and vid is not None and vid.type == "num":
            # interfaces' "Assigned VID": no VLAN to pick
            return Condition(field="vlan", value=int(m.text), text=text, span=span)
        models = [x for x in m.models if x != target.name]
        # "lvl3 circuits": a word before the plural model word, not shaped like a device's name, may be any
        # kind that filters them (the provider Level 3), as after "at" or "from".
        loose = self._before_plural(m) and not _looks_like_device(m.text)
        if m.how in ("unknown", "quoted") or self.placed(m) or loose:
            models = self.filterable(target)  # any model this target filters by ('devices at "DM-Akron"' too)
        if (
            m.how == "host"
            and not loose
            and m.noun is None
            and DEVICE in models
            and target.name != DEVICE
            and target.field_to(VM) is None
        ):
            models = [DEVICE]  # interfaces, cables, IPs: a hostname beside them is a device
        if self.placed(m) and target.name in m.models:
            models.append(target.name)  # last: "racks in IDF117", "devices at sw01" may name one of them
        models = self._met_through(target, m, models)
        if m.how == "name" and not any(target.ref_filter(x) is not None for x in models):
            # "devices in jbb 120": the VLAN group JBB120 cannot filter devices; the site JBB Branch 120 can.
            hit = self.p.names.guess(
                m.text, [x for x in self.filterable(target) if x in self.vocab.name_models]
            )
            if hit is not None:
                m.names, m.models, m.guess, m.group = [hit[0]], [hit[0].model], hit[0].name, False
        for model in models:  # the first this target can filter by (a site before a location named alike)
            flt = self.ref_filter(target, model)
            if flt is not None:
                stem = flt.name[:-3] if flt.name.endswith("_id") else flt.name
                cond = Condition(field=stem, value=m.text, text=text, model=model, span=span, guess=m.guess)
                if (m.how in ("unknown", "quoted") or self.placed(m) or loose) and len(models) > 1:
                    cond.candidates = models
                self.resolve_known(cond, m)
                return cond
        model = models[0] if models else DEVICE
        # No filter takes it: the target's own field, checked on its rows — when only one points to it
        # (a session's import or export policies: a field word must say which, else it is not applied).
        owns = [f.name for f in target.fields.values() if f.type == FK and f.to == model]
        cond = Condition(field=owns[0] if len(owns) == 1 else model.split(".")[1], value=m.text, text=text,
                         model=model, span=span, guess=m.guess)
        self.resolve_known(cond, m)
        return cond

    def _met_through(self, target: Model, m: Mention, models: list[str]) -> list[str]:
        """"VLANs on ncsu-coreswitch1": a hostname no site or other kind whose names are all known has (nor
        nearly has) names an object the target meets through a third model (a device, on its interfaces)."""
        met = [x for x in m.models if getattr(self.vocab.relation(target.name, x), "through", None)]
        known = [x for x in models if x not in met]
        if m.how == "host" and m.noun is None and met and not m.names \
                and all(self.p.names.knows(x) for x in known) and not self.p.names.close(m.text, known):
            return met
        return models

    def ref_filter(self, target: Model, model: str) -> Any:
        """The target's filter taking objects of `model`: the one the vocabulary's relation names where
        several do (a BGP session's remote AS, not its local one), else the schema's choice."""
        rel = self.vocab.relation(model, target.name)
        flt = target.filters.get(rel.filter) if rel is not None and rel.filter else None
        if flt is not None and flt.to == model and flt.key == "id":
            return flt
        # Two fields of the target take that model alike (a BGP session's import and export policies):
        # the words must say which, never the schema's order ("sessions with TRANSIT-IN" is not applied).
        return None if target.ambiguous_ref(model) else target.ref_filter(model)

    def filterable(self, target: Model) -> list[str]:
        """Models whose objects filter the target by id, names people type first (sites before tags)."""
        # Never the target itself: "devices at X" is not "devices whose parent is X".
        known = [
            m
            for m in self.vocab.name_models + self.vocab.find_models
            if m != target.name and target.ref_filter(m) is not None
        ]
        return list(dict.fromkeys(known))

    # relations -------------------------------------------------------------------------------------------

    def relations(self, intent: Intent, rels: list) -> None:
        target = intent.target
        for cue, noun, negate, between in rels:
            if self.is_used(cue) and noun is None:
                continue
            if noun is None:
                # "racks with nothing in them", "device roles nobody uses": what the target holds or stands
                # for.
                related = self.vocab.model(target).contents or self.vocab.model(target).stands_for
                if not related:
                    continue
                rel = Relation(model=related, negate=True, text=self.surface(cue.a, cue.b),
                               span=self.claim(cue.a, cue.b, f"no {related}"))
                intent.relations.append(rel)
                continue
            related = next((m.model for m in noun.of("noun") if m.model), "")
            if related == target:
                continue
            own = next((m for m in noun.of("field") if m.model == target), None)
            if own is not None and self.vocab.relation(target, related) is None:
                # "racks without a role": the rack's own role field (a rack role), not device roles.
                span = self.claim(cue.a, noun.b, f"{'no' if negate else 'some'} {own.name}")
                for fname in own.fields or (own.name,):
                    intent.conditions.append(
                        self.presence(target, fname, not negate, self.surface(cue.a, noun.b), span)
                    )
                continue
            tm = self.schema.model(target)
            f = tm.field_to(related)
            text = self.surface(cue.a, noun.b)
            # "with no cable" on an interface, "no platform" on a device: the target's own field
            # (unless the vocabulary relates them otherwise: a device's IPs are on its interfaces).
            if f is not None and not f.many and self.vocab.relation(target, related) is None:
                cond = self.presence(
                    target,
                    f.name,
                    not negate,
                    text,
                    self.claim(cue.a, noun.b, f"{'no' if negate else 'some'} {f.name}"),
                )
                intent.conditions.append(cond)
                continue
            rel = Relation(
                model=related,
                negate=negate,
                text=text,
                span=self.claim(cue.a, noun.b, f"{'no' if negate else 'some'} {related}"),
            )
            # "not used by any device or VM": the same absence for each model word joined by "or"/"and".
            j = noun.b
            while (
                j + 1 < len(self.toks)
                and self.toks[j].low in ("or", "and", "nor")
                and (nxt2 := self.at(j + 1)) is not None
                and nxt2.has("noun")
            ):
                other = next((m.model for m in nxt2.of("noun") if m.model), None)
                if other and other != target and self.relates(other, target):
                    intent.relations.append(
                        Relation(
                            model=other,
                            negate=negate,
                            text=self.surface(j + 1, nxt2.b),
                            span=self.claim(j, nxt2.b, f"{'no' if negate else 'some'} {other}"),
                        )
                    )
                j = nxt2.b
            for v in between:
                meaning = next((m for m in v.of("value") if m.model == related), None)
                if meaning is None:
                    key = self.r._key(v.a, v.b)
                    meaning = next(
                        (m for m in self.p.lex.of_model(related).phrases.get(key, []) if m.kind == "value"),
                        None,
                    )
                if meaning is not None:
                    span = self.claim(v.a, v.b, "value")
                    for fname, value in meaning.value.items():
                        rel.conditions.append(
                            self.value_condition(related, fname, value, self.surface(v.a, v.b), span, v.guess)
                        )
            intent.relations.append(rel)
        # A second model word that refers to the target: "devices with IPs in 10.0.0.0/28",
        # "switches that have VLAN 300 on a port".
        if not intent.relations and intent.pattern is None:
            for c in self.items("noun"):
                if self.is_used(c) or self.in_mention(c) or self.after_also(c):
                    continue
                model = next((m.model for m in c.of("noun") if m.model), "")
                if model and model != target and self.relates(model, target):
                    intent.relations.append(Relation(model=model, negate=False, text=self.surface(c.a, c.b),
                                                     span=self.claim(c.a, c.b, f"some {model}")))
                    break
        # A named object the target meets only through a third model: "devices on VLAN Voice" are the
        # devices with an interface on that VLAN.
        for cond in list(intent.conditions):
            if cond.model is None or cond.model == target or self.takes(target, cond):
                continue
            how = self.vocab.relation(target, cond.model)
            if how is not None and how.through and not any(r.model == how.through for r in intent.relations):
                intent.relations.append(Relation(model=how.through, negate=False, text=cond.text))
        self.component_relations(intent)
        # Conditions the target cannot take but the related objects can: they go to the relation.
        for rel in intent.relations:
            rm = self.schema.model(rel.model)
            keep = []
            for cond in intent.conditions:
                if cond.model == target or self.takes(target, cond):
                    keep.append(cond)
                    continue
                moved = self.move(cond, rm)
                if moved is not None:
                    rel.conditions.append(moved)
                else:
                    keep.append(cond)
            intent.conditions = keep

    def after_also(self, c: Cand) -> bool:
        """'… and the devices using them': a model word asked for as well, not a condition."""
        before = self.r.text[:self.toks[c.a].start].lower().rstrip()
        before = re.sub(r"(\s+(the|their|its|all|every|any))+$", "", before)
        return any(re.search(r"(^|[\s(])" + re.escape(w) + r"$", before) for w in self.vocab.also)

    def joined_hosts(self, out: list[Mention]) -> list[Mention]:
        """"dmi01 buffalo rtr01": a hostname typed with spaces for its dashes, its first and last words
        shaped like a hostname's parts: one name, dmi01-buffalo-rtr01, looked for as typed with dashes."""
        toks = self.toks
        i = 0
        while i < len(toks):
            j = i + 1
            while (
                j < len(toks)
                and j - i < 5
                and toks[j].kind == "word"
                and toks[j].start == toks[j - 1].end + 1
                and not self.p.is_skip(toks[j])
            ):
                j += 1
            ends = [k for k in range(i + 2, j) if re.search(r"\d$", toks[k].text)]
            if toks[i].kind == "word" and re.search(r"[a-z]\d", toks[i].text, re.I) and ends:
                end = ends[-1] + 1
                joined = "-".join(t.text for t in toks[i:end])
                if _looks_like_device(joined) and not any(m.a < i < m.b or m.a < end - 1 < m.b for m in out):
                    out = [m for m in out if m.b <= i or m.a >= end]
                    out.append(Mention(i, end, joined, list(self.vocab.find_models), "host"))
                    out.sort(key=lambda m: m.a)
                    i = end
                    continue
            i += 1
        return out

    def joined_words_host(self, out: list[Mention]) -> list[Mention]:
        """"ncsu coreswitch2", "ncsu coreswitch 2": a word nothing reads, then words ending in a number,
        typed apart: one hostname with dashes (ncsu-coreswitch-2), looked for loosely like any name."""
        toks = self.toks
        for i, t in enumerate(toks):
            if t.kind != "word" or not t.text.isalpha() or self.at(i) is not None or self.p.is_skip(t) \
                    or self._structure(t) or any(m.a <= i < m.b and m.how != "unknown" for m in out):
                continue
            j = i + 1
            while j < len(toks) and j - i < 4 and toks[j].kind == "word" \
                    and toks[j].start == toks[j - 1].end + 1 \
                    and not self.p.is_skip(toks[j]) and not self._structure(toks[j]) \
                    and toks[j].low not in _comparing():
                j += 1
            # A year ends no hostname: "warranty start before 2027" is words and a date.
            ends = [k for k in range(i + 1, j) if re.search(r"\d$", toks[k].text)
                    and (toks[k].host or toks[k].number is not None)
                    and not re.fullmatch(r"(19|20)\d\d", toks[k].text)]
            if not ends or any(m.a <= ends[0] < m.b and m.how == "name" for m in out) \
                    or _looks_like_device(toks[ends[0]].text) or self._negation_at(i):
                # "power panel 3": the number ends a name of this NetBox ("Panel 3"); "other than
                # dmi01-akron-rtr01": a whole hostname already
                continue
            end = ends[0] + 1
            if toks[end - 1].number is not None and end - i < 3:
                continue  # "rack 7", "ncsu 2": a word and a number are no hostname
            joined = "-".join(x.text for x in toks[i:end])
            out = [m for m in out if m.b <= i or m.a >= end]
            out.append(Mention(i, end, joined, list(self.vocab.find_models), "host"))
            out.sort(key=lambda m: m.a)
            for k in range(i, end):  # the parts' own readings ("coreswitch" = the role Core Switch) give way
                c = self.at(k)
                if c is not None:
                    self.r.unclaim(c)
            return out
        return out

    def component_relations(self, intent: Intent) -> None:
        """"Switches whose Gi1/0/48 is disabled": an object named by its name alone (an interface without
        its device) on a model that points to the target is a relation, the target's objects having one
        of that name; the related model's own value words left ("disabled") are conditions on it."""
        from netbox_tui.core.resolve import interface_spellings

        target = intent.target
        for cond in list(intent.conditions):
            rm = self.schema.get(cond.model) if cond.model and cond.model != target else None
            if rm is None or cond.resolved or cond.field != rm.label or rm.field_to(target) is None \
                    or self.takes(target, cond) or any(r.model == rm.name for r in intent.relations):
                continue
            value = interface_spellings(str(cond.value)) if rm.name == INTERFACE else [str(cond.value)]
            named = Condition(field=rm.label, value=value if len(value) > 1 else value[0], text=cond.text,
                              span=cond.span)
            rel = Relation(model=rm.name, negate=False, conditions=[named], text=cond.text, span=cond.span)
            for c in self.items("value"):
                meaning = next((m for m in c.of("value") if m.model == rm.name), None)
                if meaning is None or self.is_used(c):
                    continue
                span = self.claim(c.a, c.b, "value")
                for fname, v in meaning.value.items():
                    rel.conditions.append(
                        self.value_condition(rm.name, fname, v, self.surface(c.a, c.b), span, c.guess)
                    )
            intent.conditions.remove(cond)
            intent.relations.append(rel)

    def move(self, cond: Condition, rm: Model) -> Optional[Condition]:
        if cond.model == PREFIX and self.vocab.cidr_filters.get(rm.name):
            return cond.model_copy(
                update={"field": self.vocab.cidr_filters[rm.name], "model": None, "op": "within"}
            )
        if cond.model is not None:
            flt = rm.ref_filter(cond.model)
            if flt is None:
                return None
            return cond.model_copy(update={"field": flt.name[:-3] if flt.name.endswith("_id") else flt.name})
        return cond if cond.field in rm.filters else None

    def relates(self, related: str, target: str) -> bool:
        rm = self.schema.get(related)
        return rm is not None and (
            rm.field_to(target) is not None
            or self.vocab.relation(target, related) is not None
            or self.schema.model(target).count_field(related) is not None
        )

    def takes(self, target: str, cond: Condition) -> bool:
        tm = self.schema.model(target)
        if cond.model:
            return tm.ref_filter(cond.model) is not None
        return cond.field in tm.filters

    def presence(
        self, model: str, field_name: str, present: bool, text: str, span: tuple[int, int]
    ) -> Condition:
        """"no platform", "with a primary IP", "no description", "no cable": the filter NetBox has for it."""
        m = self.schema.model(model)
        flt = self.vocab.presence_filters.get(f"{model}.{field_name}") or self.vocab.presence_filters.get(
            f"*.{field_name}")
        if flt and m.accepts(flt):
            return Condition(field=flt, value=present, text=text, span=span)
        f = m.fields.get(field_name)
        if f is not None and f.type == FK:
            ref = m.ref_filter(f.to or "")
            stem = ref.name[:-3] if ref is not None and ref.name.endswith("_id") else field_name
            return Condition(
                field=stem, op="not_empty" if present else "empty", text=text, span=span, model=f.to
            )
        return Condition(field=field_name, op="not_empty" if present else "empty", text=text, span=span)

    # values -------------------------------------------------------------------------------------------

    def values(self, intent: Intent, pinned: Optional[Mention]) -> None:
        target = intent.target
        for c in self.items("value"):
            if self.is_used(c):
                continue
            meaning = next((m for m in c.of("value") if m.model == target), None)
            dest: Any = intent
            if meaning is None:
                for r in intent.relations:
                    meaning = next((m for m in c.of("value") if m.model == r.model), None)
                    if meaning is not None:
                        dest = r
                        break
            if meaning is None:
                continue
            text = self.surface(c.a, c.b)
            if pinned is not None and dest is intent:
                # "is Fa0/1 on X enabled": a question about the one object, not a filter on it.
                asked = [f for f in (self.field_of_filter(target, x) for x in meaning.value) if f]
                if not asked:
                    continue  # a filter that reads no field of the object: the word stays unread, said
                self.claim(c.a, c.b, "field")
                intent.attributes.extend(f for f in asked if f not in intent.attributes)
                continue
            span = self.claim(c.a, c.b, "value")
            negate = self.cue(self.prev_content(c.a), "absence")
            if negate:
                before = self.prev_content(c.a)
                assert before is not None
                self.claim(before.a, before.b, "not")
            for fname, value in meaning.value.items():
                cond = self.value_condition(meaning.model or target, fname, value, text, span, c.guess)
                if negate:
                    if isinstance(cond.value, bool):
                        cond.value = not cond.value
                    else:
                        cond.op = "ne" if cond.op == "eq" else "eq"
                dest.conditions.append(cond)

    def field_of_filter(self, model: str, flt: str) -> Optional[str]:
        """The field a value word's filter reads ("cabled": the port's cable), None when none is."""
        if flt in self.schema.model(model).fields:
            return flt
        for key, name in self.vocab.presence_filters.items():
            owner, _, fname = key.rpartition(".")
            if name == flt and owner in (model, "*") and fname in self.schema.model(model).fields:
                return fname
        return None

    def value_condition(
        self, model: str, fname: str, value: Any, text: str, span: tuple[int, int], guess: Optional[str]
    ) -> Condition:
        m = self.schema.model(model)
        if value == "" and fname in m.fields:  # the vocabulary's "" is "not set": the global table, no VRF
            return self.presence(model, fname, False, text, span)
        op = "eq"
        if isinstance(value, str) and value.startswith("!"):
            op, value = "ne", value[1:]
        globs = [value] if isinstance(value, str) else value if isinstance(value, list) else None
        if globs is not None and any(isinstance(v, str) and v.endswith("*") for v in globs):
            choices = [c.value for c in m.choices(fname)]
            value = [
                c
                for c in choices
                if any(c.startswith(str(g)[:-1]) if str(g).endswith("*") else c == g for g in globs)
            ]
        cond = Condition(field=fname, op=op, value=value, text=text, span=span, guess=guess)
        flt = m.filters.get(fname)
        if flt is not None and flt.type == REF and flt.to:
            cond.model = flt.to
        return cond

    # comparisons: "VLANs with VID above 200", "racks taller than 42" -------------------------------------

    def comparisons(self, intent: Intent) -> None:
        tm = self.schema.model(intent.target)
        for c in self.items("cue"):
            if not self.cue(c, "compare") or self.is_used(c):
                continue
            op = next(m.value for m in c.of("cue") if m.name == "compare")
            field_c = self.prev_content(c.a)
            num = self.next_content(c.b)
            if field_c is None or num is None or not num.has("num") or self.is_used(field_c):
                continue
            meaning = next((m for m in field_c.of("field") if m.model == intent.target), None)
            f = tm.fields.get(
                meaning.fields[0] if meaning and meaning.fields else (meaning.name if meaning else "")
            )
            if meaning is None or f is None or f.type not in ("int", "num"):
                continue
            span = self.claim(field_c.a, num.b, f"{f.name} {op}")
            value = self.toks[num.a].number
            intent.conditions.append(
                Condition(field=f.name, op=op, value=value, text=self.surface(field_c.a, num.b), span=span)
            )
        # "VLANs with VID 100", "racks whose height is 42": a number right after a numeric field is its value.
        for c in self.items("field"):
            num = self.next_content(c.b)
            if self.is_used(c) or num is None or not num.has("num") or num.has("noun") or self.is_used(num):
                continue
            meaning = next((m for m in c.of("field") if m.model == intent.target), None)
            name = (meaning.fields[0] if meaning.fields else meaning.name) if meaning is not None else ""
            flt = tm.filters.get(name)
            if flt is None or flt.type not in ("int", "num") or self.toks[num.a].number is None:
                continue
            values, end = [self.toks[num.a].number], num.b
            while (
                end + 1 < len(self.toks)
                and self.toks[end].low in ("or", "and")
                and (more := self.at(end + 1)) is not None
                and more.has("num")
                and not more.has("noun")
                and self.toks[more.a].number is not None
                and not self.is_used(more)
            ):
                # "VID 100 or 200": a list, NetBox's repeated vid (an OR)
                values.append(self.toks[more.a].number)
                end = more.b
            span = self.claim(c.a, end, f"{name} =")
            given = values[0] if len(values) == 1 else values
            intent.conditions.append(
                Condition(field=name, value=given, text=self.surface(c.a, end), span=span)
            )

    # fields ---------------------------------------------------------------------------------------------

    def fields(self, intent: Intent, attrs: list[Meaning], pinned: Optional[Mention]) -> None:
        target = intent.target
        out = list(intent.attributes)
        for m in attrs:
            out.extend([m.path] if m.path else m.fields or (m.name,))
        for c in self.items("field"):
            if self.is_used(c):
                continue
            meaning = next((m for m in c.of("field") if m.model == target), None)
            if meaning is None:
                continue
            before = self.prev_content(c.a)
            if self.cue(before, "group"):
                continue  # the aggregate reads it
            if (
                before is not None
                and (self.cue(before, "absence") or self.cue(before, "presence"))
                and not self.is_used(before)
            ):
                present = not self.cue(before, "absence")
                earlier = self.prev_content(before.a)  # "don't have a primary IP": the absence word counts
                if (
                    present
                    and self.cue(earlier, "absence")
                    and earlier is not None
                    and not self.is_used(earlier)
                ):
                    present, before = False, earlier
                span = self.claim(before.a, c.b, f"{'some' if present else 'no'} {meaning.name}")
                for fname in meaning.fields or (meaning.name,):
                    intent.conditions.append(
                        self.presence(target, fname, present, self.surface(before.a, c.b), span)
                    )
                continue
            after = self.next_content(c.b)  # "where the platform is missing", "serial is empty"
            if (
                self.cue(after, "absence")
                and after is not None
                and not self.is_used(after)
                and self.next_content(after.b) is None
            ):
                span = self.claim(c.a, after.b, f"no {meaning.name}")
                for fname in meaning.fields or (meaning.name,):
                    intent.conditions.append(
                        self.presence(target, fname, False, self.surface(c.a, after.b), span)
                    )
                continue
            self.claim(c.a, c.b, f"field {meaning.name}")
            out.extend([meaning.path] if meaning.path else meaning.fields or (meaning.name,))
        intent.attributes = list(dict.fromkeys(out))

    # aggregate --------------------------------------------------------------------------------------------

    def aggregate(self, intent: Intent) -> None:
        for c in self.items("cue"):
            if self.is_used(c):
                continue
            if self.cue(c, "count"):
                span = self.claim(c.a, c.b, "count")
                if intent.aggregate is None:
                    intent.aggregate = Aggregate(op="count", text=self.surface(c.a, c.b), span=span)
            elif self.cue(c, "group"):
                nxt = self.next_content(c.b)
                after = self.next_content(nxt.b) if nxt is not None and nxt.has("name") else None
                if after is not None and after.has("noun") and (by := self.group_field(intent.target, after)):
                    # "in each IDF rack": the name narrows the groups (a condition of its own), the model
                    # word after it groups
                    span = self.claim(c.a, c.b, f"group by {by}")
                    text = self.surface(c.a, after.b)
                    intent.aggregate = Aggregate(op="group", by=by, text=text, span=span)
                    continue
                if nxt is None or not (nxt.has("noun") or nxt.has("field")):
                    continue
                by = self.group_field(intent.target, nxt)
                if by is None:
                    continue
                span = self.claim(c.a, nxt.b, f"group by {by}")
                intent.aggregate = Aggregate(op="group", by=by, text=self.surface(c.a, nxt.b), span=span)
                intent.attributes = [a for a in intent.attributes if a != by]

    def group_field(self, target: str, c: Cand) -> Optional[str]:
        tm = self.schema.model(target)
        for m in c.of("field"):
            if m.model == target:
                return m.path or (m.fields[0] if m.fields else m.name)
        for m in c.of("noun"):
            f = tm.field_to(m.model) if m.model else None
            if f is not None:
                return f.name
        # one hop further, where the schema has exactly one way: "VMs per cluster group"
        for m in c.of("noun"):
            path = self.schema_path(tm, m.model) if m.model else None
            if path is not None:
                return path
        key = self.r._key(c.a, c.b)
        for fm in sorted(self.p.lex.of_model(target).phrases.get(key, []), key=lambda x: -x.weight):
            if fm.kind == "field":
                return fm.path or (fm.fields[0] if fm.fields else fm.name)
        return None

    def schema_path(self, tm: Model, group: str) -> Optional[str]:
        """`a.b`: the target's one-valued field `a` to a model whose one-valued field `b` points to `group`
        (a VM's cluster.group, a device's site.region), when the schema has exactly one such path."""
        paths = []
        for f in tm.fields.values():
            mid = self.schema.get(f.to) if f.type == FK and not f.many and f.to else None
            g = mid.field_to(group) if mid is not None and mid.name != group else None
            if g is not None and not g.many:
                paths.append(f"{f.name}.{g.name}")
        return paths[0] if len(paths) == 1 else None

    # what is left ------------------------------------------------------------------------------------------

    def leftover(self) -> list[str]:
        out = []
        for t in self.toks:
            # a list's "or" is read
            if t.kind == "word" and t.low in self.vocab.alternatives and t.i not in self.used:
                out.append(t.text)
                continue
            if t.i in self.used or self.p.is_skip(t):
                continue
            c = self.r.claimed[t.i]
            if c is not None and self.cue(c, "presence") and not c.has("noun") and not c.has("field"):
                self.claim(c.a, c.b, "with")  # "with", "carrying": structure, not content
                continue
            out.append(t.text)
        return out
