"""The readings of a question: every span of its words and what it may mean — a model, a field,
a value, a cue, a pattern word (the lexicon), a name of the connected NetBox (the name index), an
address, a hostname. Overlapping readings are settled longest first; typos are read loosely last,
and each such correction is kept to be said."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from rapidfuzz import process

from netbox_tui.core.cfwords import cands as custom_field_cands
from netbox_tui.core.cfwords import typo_cands as custom_field_typos
from netbox_tui.core.lexicon import Meaning, fold
from netbox_tui.core.names import Named
from netbox_tui.core.tags import tag_name_spots, tagged_word_cands
from netbox_tui.core.text import norm, norm_words, typo_score
from netbox_tui.core.tokens import _IFACE_STRICT, _IFACE_WEAK, Tok, _looks_like_device
from netbox_tui.core.writes import refuse_writes

if TYPE_CHECKING:
    from netbox_tui.core.parser import Parser

DEVICE, VM, INTERFACE, PREFIX, IP, VLAN, SITE, RACK, CABLE, CIRCUIT, ASN = (
    "dcim.device",
    "virtualization.virtualmachine",
    "dcim.interface",
    "ipam.prefix",
    "ipam.ipaddress",
    "ipam.vlan",
    "dcim.site",
    "dcim.rack",
    "dcim.cable",
    "circuits.circuit",
    "ipam.asn",
)
# The model a pattern word makes the target ("trace" -> interfaces).
PATTERN_TARGET = {"trace": INTERFACE, "vlan_topology": VLAN, "rack_utilisation": RACK, "free_ips": PREFIX,
                  "prefix_utilisation": PREFIX, "site_summary": SITE, "journal": "extras.journalentry"}


# -- candidate readings -------------------------------------------------------------------------------

@dataclass
class Cand:
    """A reading of tokens [a, b). Readings of the same span are merged: one span, several meanings."""

    a: int  # first token
    b: int  # one past the last token
    kind: str  # noun, field, value, cue, pattern, name, host, cidr, ip, iface, num
    meanings: list[Meaning] = field(default_factory=list)
    names: list[Named] = field(default_factory=list)  # for name: the objects it names
    prio: int = 0
    guess: Optional[str] = None  # the word was corrected: say so
    kinds: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.kinds.add(self.kind)

    @property
    def length(self) -> int:
        return self.b - self.a

    def has(self, kind: str) -> bool:
        return kind in self.kinds

    def of(self, kind: str) -> list[Meaning]:
        return [m for m in self.meanings if m.kind == kind]

    def merge(self, other: "Cand") -> None:
        self.kinds |= other.kinds
        self.meanings += [m for m in other.meanings if m not in self.meanings]
        self.names += [e for e in other.names if e not in self.names]
        self.guess = self.guess or other.guess


class Readings:
    """One question being read."""

    def __init__(self, parser: Parser, text: str, toks: list[Tok], use_names: bool = True) -> None:
        self.p = parser
        self.text = text
        self.toks = toks
        self.use_names = use_names
        self.cands: list[Cand] = []
        self.chosen: list[Cand] = []
        self.claimed: list[Optional[Cand]] = [None] * len(toks)
        self.models: set[str] = set()

    # -- 1. candidates ------------------------------------------------------------------------------

    def _key(self, a: int, b: int) -> tuple[str, ...]:
        return tuple(k for t in self.toks[a:b] for k in t.keys)

    def _surface(self, a: int, b: int) -> str:
        return self.text[self.toks[a].start: self.toks[b - 1].end]

    def find(self) -> None:
        refuse_writes(self.text)  # "add VLAN 400 to X": refused in words, never read as a VLAN search
        lex, toks = self.p.lex, self.toks
        n = len(toks)
        for t in toks:
            if t.kind == "quoted":
                self.cands.append(Cand(t.i, t.i + 1, "quoted", prio=100))
            elif t.kind in ("cidr", "ip"):
                self.cands.append(Cand(t.i, t.i + 1, t.kind, prio=100))
                self.models.update((PREFIX, IP) if t.kind == "cidr" else (IP,))
            elif t.kind == "hash" or (t.kind == "word" and t.number is not None):
                self.cands.append(Cand(t.i, t.i + 1, "num", prio=1))
            elif _IFACE_STRICT.match(t.text):
                self.cands.append(Cand(t.i, t.i + 1, "iface", prio=100))
                self.models.add(INTERFACE)
            elif re.fullmatch(r"AS\d{1,10}", t.text, re.I):  # NetBox displays an ASN as "AS65001"
                self.cands.append(Cand(t.i, t.i + 1, "asn", prio=100))
                self.models.add(ASN)
            elif self._asn_apart(t.i):
                self.cands.append(Cand(t.i, t.i + 2, "asn", prio=100))
                self.models.add(ASN)
        # Model words, cues, patterns (any question).
        for a in range(n):
            for b in range(min(n, a + 6), a, -1):
                found = lex.lookup(self._key(a, b))
                for kind in ("noun", "cue", "pattern"):
                    ms = [m for m in found if m.kind == kind]
                    if ms:
                        self.cands.append(Cand(a, b, kind, ms, prio=10 + (b - a) * 10))
                        if kind == "noun":
                            self.models.update(m.model for m in ms if m.model)
                        if kind == "pattern":
                            self.models.update(PATTERN_TARGET[m.name] for m in ms if m.name in PATTERN_TARGET)
        # Names of the connected NetBox.
        if self.use_names and self.p.names.entries:
            for a in range(n):
                for b in range(min(n, a + 6), a, -1):
                    if any(t.kind != "word" for t in toks[a:b]):
                        continue
                    if b - a == 1 and (self.p.is_skip(toks[a]) or toks[a].keys in (("no",), ("not",))):
                        continue  # "in" is not India (slug "in"), "at" not Austria
                    surface = self._surface(a, b)
                    named = self.p.names.exact(surface) or self.p.names.exact(" ".join(self._key(a, b)))
                    if named:
                        # Matched by slug only ("ncsu117" is D. S. Weaver Labs' slug ncsu-117): say whom it
                        # named.
                        by_slug = all(
                            norm_words(e.name) != norm_words(surface) and norm(e.name) != norm(surface)
                            for e in named
                        )
                        self.cands.append(Cand(a, b, "name", names=named, prio=12 + (b - a) * 10,
                                               guess=named[0].name if by_slug and len(named) == 1 else None))
                        self.models.update(e.model for e in named)
                t = toks[a]
                if t.kind == "word" and not self.p.is_skip(t) and not self.p.lex.base.phrases.get(t.keys):
                    heads = [
                        e
                        for e in self.p.names.heads(" ".join(t.keys))
                        if self.p.vocab.model(e.model).stands_for
                    ]
                    if heads:
                        self.cands.append(Cand(a, a + 1, "name", names=heads, prio=8))
                        self.models.update(e.model for e in heads)
                    part = self.p.names.slug_part(t.text)
                    if part and not heads:
                        self.cands.append(Cand(a, a + 1, "name", names=part, prio=4, guess=part[0].name))
                        self.models.update(e.model for e in part)
        tagged = tagged_word_cands(self) if self.use_names and self.p.names.entries else []
        self.cands += tagged  # "critical-tagged devices": one word, a tag's name and the tag word
        self.models.update(e.model for c in tagged for e in c.names)
        for t in toks:
            if any(c.a == t.i for c in tagged):
                continue
            if t.kind == "word" and _IFACE_WEAK.match(t.text) and any(o.host for o in toks if o is not t):
                self.cands.append(Cand(t.i, t.i + 1, "iface", prio=90))
                self.models.add(INTERFACE)
            # a circuit id "1002843428"
            elif t.host or (t.kind == "word" and t.text.isdigit() and len(t.text) >= 5):
                self.cands.append(Cand(t.i, t.i + 1, "host", prio=3))
                # whatever a bare name is looked for among (that this NetBox has): its fields are words
                self.models.update(m for m in self.p.vocab.find_models if self.p.schema.get(m) is not None)
                # "DM-Bingahmton" is shaped like a hostname but is a misspelt site: a clear guess wins.
                hit = (
                    self.p.names.guess(t.text) if self.use_names and not self.p.names.exact(t.text) else None
                )
                if hit is not None and hit[1] >= 85 and not _looks_like_device(t.text):
                    self.cands.append(Cand(t.i, t.i + 1, "name", names=[hit[0]], prio=4, guess=hit[0].name))
                    self.models.add(hit[0].model)
        # Fields and values of every model the question may be about.
        for m in list(self.models):
            self.models.update(self._near(m))
        self.cands += self._model_cands(sorted(self.models))
        self.cands += custom_field_cands(self)  # the connected NetBox's custom fields (customfields.py)

    def _asn_apart(self, i: int) -> bool:
        """'AS 3356' typed apart: "AS" then a number, where "AS" does not end a phrase of the vocabulary or
        the schema with the word before it ("remote AS 3356": the remote AS field, then its value)."""
        toks = self.toks
        if toks[i].low != "as" or i + 1 >= len(toks) or not re.fullmatch(r"\d{1,10}", toks[i + 1].text):
            return False
        if toks[i].text != "AS" and len(toks[i + 1].text) < 3:
            return False  # "as 10" in lower case is English; an ASN typed so is long ("as 3356")
        if i == 0:
            return True
        field = f"{toks[i - 1].low}_as"  # a field named so in any model ("remote_as", "local_as")
        return not self.p.lex.lookup(self._key(i - 1, i + 1)) and not any(
            field in self.p.schema.model(m).fields for m in self.p.schema.names
        )

    def _model_cands(self, models: list[str]) -> list[Cand]:
        out = []
        n = len(self.toks)
        for a in range(n):
            for b in range(min(n, a + 6), a, -1):
                key = self._key(a, b)
                found = [m for mod in models for m in self.p.lex.of_model(mod).phrases.get(key, [])]
                for kind in ("field", "value"):
                    ms = sorted((m for m in found if m.kind == kind), key=lambda m: -m.weight)
                    if ms:
                        out.append(Cand(a, b, kind, ms, prio=11 + (b - a) * 10))
        return out + self._qualified_fields(models)

    def _qualified_fields(self, models: list[str]) -> list[Cand]:
        """'local ip', 'remote ip': a word then a model word, where a model of the question has a field named
        from that word that points to that model (a BGP session's local_address is an IP address)."""
        out = []
        for a in range(len(self.toks) - 1):
            w = self.toks[a].low
            if self.toks[a].kind != "word" or self.p.is_skip(self.toks[a]):
                continue
            for b in range(min(len(self.toks), a + 4), a + 1, -1):
                said = self.p.lex.base.phrases.get(self._key(a + 1, b), [])
                pointed = {m.model for m in said if m.kind == "noun"}
                if not pointed:
                    continue
                ms = []
                for mod in models:
                    known = self.p.lex.of_model(mod).phrases.get(self._key(a, b), [])
                    if any(m.kind == "field" for m in known):
                        continue  # the vocabulary or the schema says it already ("primary ip")
                    named = [name for name, f in self.p.schema.model(mod).fields.items()
                             if name.startswith(w + "_") and f.to is not None and f.to in pointed]
                    ms += [Meaning("field", mod, named[0], (named[0],))] if len(named) == 1 else []
                if ms:
                    out.append(Cand(a, b, "field", ms, prio=11 + (b - a) * 10))
                    break
        return out

    def _near(self, model: str) -> set[str]:
        """Models a question about `model` may also be about: what its names stand for, what it contains."""
        v = self.p.vocab.model(model)
        return {x for x in (v.stands_for, v.contents) if x}

    # -- 2. choosing readings -------------------------------------------------------------------------

    def select(self) -> None:
        if not self.cands:
            self.find()
        # Readings of one span are one candidate with all their meanings; the context decides later.
        spans: dict[tuple[int, int], Cand] = {}
        for c in sorted(self.cands, key=lambda c: -c.prio):
            same = spans.get((c.a, c.b))
            if same is None:
                spans[(c.a, c.b)] = c
            else:
                same.merge(c)
        # Longest first; at equal length the stronger kind.
        for c in sorted(spans.values(), key=lambda c: (-c.length, -c.prio)):
            if any(self.claimed[i] is not None or self.toks[i].idle for i in range(c.a, c.b)):
                continue
            for i in range(c.a, c.b):
                self.claimed[i] = c
            self.chosen.append(c)
        self.chosen.sort(key=lambda c: c.a)
        if not self.use_names:  # "uplink interfaces": a tag only the names can read, so left unread
            for c in tag_name_spots(self):
                self.unclaim(c)

    def unclaim(self, c: Cand) -> None:
        for i in range(c.a, c.b):
            if self.claimed[i] is c:
                self.claimed[i] = None
        if c in self.chosen:
            self.chosen.remove(c)

    def take(self, c: Cand) -> None:
        for i in range(c.a, c.b):
            self.claimed[i] = c
        self.chosen.append(c)
        self.chosen.sort(key=lambda x: x.a)

    # -- 3. typos: what is left, matched loosely ---------------------------------------------------------

    def fuzzy(self) -> None:
        toks = self.toks
        # Two words that together misspell a two-word model word ("devcie tpyes" is "device types"),
        # before a misspelt word after a model word is taken for a name ("circuit tpyes").
        pairs = self._known_pairs()
        for t in toks:
            nxt = toks[t.i + 1] if t.i + 1 < len(toks) else None
            if nxt is None or len(t.text) + len(nxt.text) < 8:
                continue
            # One of the two may be read alone already, as a model word ("pwoer feeds", "circuit tpyes").
            alone = [c for c in (self.claimed[t.i], self.claimed[nxt.i]) if c is not None]
            if not (self._loose(t) or self._loose(nxt)) or any(
                "noun" not in c.kinds or c.length != 1 for c in alone
            ):
                continue
            typed = f"{t.low} {nxt.low}"
            hit = next(
                (
                    h
                    for h in process.extract(typed, pairs.keys(), scorer=typo_score, score_cutoff=80, limit=3)
                    if _word_by_word(typed, h[0])
                ),
                None,
            )
            if hit is not None and hit[0] != typed:
                for c in alone:
                    self.unclaim(c)
                meanings = pairs[hit[0]]
                self.take(Cand(t.i, t.i + 2, "noun", meanings, prio=1, guess=hit[0]))
                self.models |= {m.model for m in meanings if m.model}
        self._custom_field_typos()
        after_noun = {c.b for c in self.chosen if c.has("noun")}
        free = [
            t
            for t in toks
            if self.claimed[t.i] is None
            and not self.p.is_skip(t)
            and t.kind == "word"
            and t.i not in after_noun
        ]
        if not free:
            return
        # Names first (a misspelt site, "JBB Branch" for the JBB branches), runs of up to four words
        # that nothing else reads or that only name a model ("branch"), holding at least one free word.
        if self.use_names and self.p.names.entries:
            free_ids = {t.i for t in free}
            soft = {
                t.i
                for t in toks
                if (held := self.claimed[t.i]) is not None and held.kinds == {"noun"} and held.length == 1
            }
            runs = _runs(sorted(free_ids | soft))
            for run in runs:
                for size in range(min(4, len(run)), 0, -1):
                    for s in range(0, len(run) - size + 1):
                        a, b = run[s], run[s + size - 1] + 1
                        if not free_ids & set(range(a, b)) or any(
                            self.claimed[i] is not None and i not in soft for i in range(a, b)
                        ):
                            continue
                        surface = self._surface(a, b)
                        close = self._close_place(a, surface) or self.p.names.close(surface)
                        if not close:
                            continue
                        for i in range(a, b):
                            if self.claimed[i] is not None:
                                self.unclaim(self.claimed[i])  # type: ignore[arg-type]
                        soft -= set(range(a, b))
                        if len(close) == 1:
                            named = close[0][0]
                            self.take(Cand(a, b, "name", names=[named], prio=2, guess=named.name))
                            self.models.add(named.model)
                        else:  # "JBB Branch": six branches match alike; the user picks one
                            same = len({e.name for e, _ in close}) == 1  # "Alpah": the VRF and the tag Alpha
                            c = Cand(
                                a,
                                b,
                                "name",
                                names=[e for e, _ in close],
                                prio=2,
                                guess=close[0][0].name if same else None,
                            )
                            c.loose = True  # type: ignore[attr-defined]
                            self.take(c)
                            self.models.update(e.model for e, _ in close)
        # Then words of the lexicon ("devcies", "intrefaces"), long enough to be sure of.
        known = self._known_words()
        for t in toks:
            if not self._loose(t) or len(t.text) < 5:
                continue
            best = process.extractOne(t.low, known.keys(), scorer=_word_typo, score_cutoff=80)
            if best is None:
                continue
            word = best[0]
            meanings = known[word]
            word = fold(word)[0]
            kinds = {m.kind for m in meanings}
            kind = next(k for k in ("noun", "value", "field") if k in kinds)
            c = Cand(t.i, t.i + 1, kind, meanings, prio=1, guess=word, kinds=kinds)
            self.take(c)
            new = {m.model for m in meanings if m.kind == "noun" and m.model} - self.models
            if new:  # "disabled prots": now that "ports" is read, "disabled" is a port's state
                self.models |= new
                for extra in sorted(self._model_cands(sorted(new)), key=lambda x: (-x.length, -x.prio)):
                    if all(self.claimed[i] is None for i in range(extra.a, extra.b)):
                        self.take(extra)

    def _custom_field_typos(self) -> None:
        """A custom field's label typed with a typo ("warrenty", "cost centre"), before names: the words of
        a label are surer than a loose name. A label word read alone as the same field gives way."""
        free = {t.i for t in self.toks if self._loose(t)}
        for c in sorted(custom_field_typos(self, free), key=lambda x: (-x.length, -x.meanings[0].weight)):
            held = {id(x): x for i in range(c.a, c.b) if (x := self.claimed[i]) is not None}
            if any(not x.has("field") or x.meanings[0].name != c.meanings[0].name for x in held.values()):
                continue
            if not any(i in free for i in range(c.a, c.b)):
                continue  # taken by a longer one already
            for x in held.values():
                self.unclaim(x)
            self.take(c)
            free -= set(range(c.a, c.b))

    def _close_place(self, a: int, surface: str) -> list[tuple[Named, float]]:
        """After a place word ("bgp sesions at stamfrod"), a loose name is first looked for among the models
        the question's model words are placed by (a session's site), not among all names."""
        if a == 0 or self.toks[a - 1].low not in self.p.vocab.place:
            return []
        nouns = {m.model for c in self.chosen if c.has("noun") for m in c.of("noun") if m.model}
        places = {
            x
            for x in self.p.names.by_model
            if any((nm := self.p.schema.get(n)) is not None and nm.field_to(x) is not None for n in nouns)
        }
        return self.p.names.close(surface, places) if places else []

    def _loose(self, t: Tok) -> bool:
        """A word no reading claims, that carries something and is no name's shape: a typo candidate."""
        return self.claimed[t.i] is None and not self.p.is_skip(t) and t.kind == "word" and not t.host

    def _known_pairs(self) -> dict[str, list[Meaning]]:
        """Two-word model words ("device types", "power feeds"), in the plural too."""
        out: dict[str, list[Meaning]] = {}
        for key, ms in self.p.lex.base.phrases.items():
            nouns = [m for m in ms if m.kind == "noun"]
            if len(key) == 2 and nouns:
                out[" ".join(key)] = nouns
                out[" ".join(key) + ("es" if key[1].endswith(("s", "x", "ch", "sh")) else "s")] = nouns
        return out

    def _known_words(self) -> dict[str, list[Meaning]]:
        out: dict[str, list[Meaning]] = {}
        phrases = dict(self.p.lex.base.phrases)
        for m in self.models:
            phrases.update({k: v + phrases.get(k, []) for k, v in self.p.lex.of_model(m).phrases.items()})
        for key, ms in phrases.items():
            if len(key) == 1 and len(key[0]) >= 4:
                good = [m for m in ms if m.kind in ("noun", "field", "value")]
                if good:
                    out[key[0]] = good
                    out[key[0] + ("es" if key[0].endswith(("s", "x", "ch", "sh")) else "s")] = good
        return out



def _word_typo(typed: str, word: str, *, score_cutoff: float | None = 0) -> float:
    """typo_score for one word of the vocabulary, which must begin as typed (or with its first two letters
    swapped): a typo seldom hits the first letter, a name often differs there ("dwight" is no "weight")."""
    if typed[:1] != word[:1] and typed[:2] != word[1::-1]:
        return 0.0
    return typo_score(typed, word, score_cutoff=score_cutoff)


def _word_by_word(typed: str, phrase: str, cutoff: float = 75) -> bool:
    """Each typed word is close to its word of the phrase: "devices purple" is not "device roles"."""
    a, b = typed.split(), phrase.split()
    return len(a) == len(b) and all(typo_score(x, y) >= cutoff for x, y in zip(a, b))


def _runs(indices: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for i in indices:
        if out and out[-1][-1] == i - 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out
