"""A follow-up read against the last answer: what it changes of that answer's intent.

A follow-up opens with a cue ("only the routers", "not the PDUs", "and at DM-Camden?", "their
primary IPs", "how many of them", "per role", "sorted by name", "the first 5", "the second one"):
the cue's words are read here, the rest by the parser, behind the last answer's own noun ("only the
routers" after devices is read as "devices the routers"), so the vocabulary and the NetBox's names
mean the same as in a whole question. A question with no cue, or whose words name another kind of
object, stands on its own (None). What cannot be applied exactly is said (`exact=False`), never
answered as something wider.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Awaitable, Callable, Literal, Optional

from pydantic import BaseModel, Field

from netbox_tui.core.intent import Aggregate, Condition, Intent
from netbox_tui.schema.vocab import load as load_vocab

Kind = Literal["narrow", "replace", "exclude", "place", "show", "count", "group", "order", "cut", "drill"]
Understand = Callable[[str], Awaitable[Intent]]

# Models a place is named as: a new place replaces the old one ("and at DM-Camden?" after DM-Akron).
PLACES = {"dcim.site", "dcim.location", "dcim.region", "dcim.sitegroup", "dcim.rack"}


@dataclass(frozen=True)
class _Cues:
    """The follow-up patterns, made from the vocabulary's [followups] and [cues] words (one line there
    per synonym); the shapes around the words stay here."""

    ordinals: dict[str, int]
    drill: re.Pattern[str]
    far_end: re.Pattern[str]
    cut: re.Pattern[str]
    order: re.Pattern[str]
    count: re.Pattern[str]
    group: re.Pattern[str]
    show: re.Pattern[str]
    exclude: re.Pattern[str]
    narrow: re.Pattern[str]
    narrow_tail: re.Pattern[str]
    swap: re.Pattern[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    vocab = load_vocab()
    words: dict[str, Any] = vocab.followups
    them = f"(?:{_alt(words.get('them', ()))})"

    def w(key: str, *more: Any) -> str:
        """The words of `key` (and any more), as one alternation; a phrase's "{them}" is any of `them`."""
        return _alt([*words.get(key, ()), *(x for m in more for x in m)], them)

    lead = rf"(?:(?:{w('lead')})\s+)*"
    ordinals = {str(k): int(v) for k, v in words.get("ordinals", {}).items()}
    nth = rf"{_alt(ordinals)}|\d{{1,4}}(?:st|nd|rd|th)|#\d{{1,4}}"
    return _Cues(
        ordinals=ordinals,
        drill=_rx(rf"^{lead}(?:(?:{w('drill')})\s+)?(?:the\s+)?(?P<nth>{nth})(?:\s+(?:{w('drill_units')}))?$"),
        far_end=_rx(rf"^{lead}(?:what(?:'s| is)\s+(?:on\s+|at\s+)?|follow\s+|trace\s+)?"
                    rf"(?:that|this|the|its)\s+(?:(?:port|interface|one)(?:'s)?\s+)?(?:{w('far_end')})$"),
        cut=_rx(rf"^{lead}(?:(?:{w('narrow', ['show', 'show me'])})\s+)?(?:the\s+)?"
                rf"(?:{w('cut')})\s+(?P<n>\d{{1,4}})(?:\s+(?:{w('cut_units')}))?$"),
        order=_rx(rf"^{lead}(?:{w('order')})\s+(?P<by>.+?)(?P<desc>\s+(?:{w('descending')}))?$"),
        count=_rx(rf"^{lead}(?:{w('count', [c for c in vocab.count if c == 'count'])})$"),
        group=_rx(rf"^{lead}(?:how many\s+(?:of\s+{them}\s+)?|count\s+(?:of\s+)?{them}\s+)?"
                  rf"(?P<cue>{w('group', vocab.group)})\s+(?P<by>.+)$"),
        show=_rx(rf"^{lead}(?:(?:{w('show')})\s+)*(?:(?:{w('own')})\s+|(?:{w('show')})\s+(?:the\s+)?)(?P<rest>.+)$"),
        exclude=_rx(rf"^{lead}(?:{w('exclude')})\s+(?:the\s+)?(?P<rest>.+)$"),
        narrow=_rx(rf"^{lead}(?:{w('narrow')})\s+(?:(?:the|those|ones)\s+)?(?P<rest>.+?)(?:\s+ones?)?$"),
        narrow_tail=_rx(rf"^(?:(?:the|those)\s+)?(?P<rest>.+?)(?:\s+ones?)?\s+(?:{w('narrow')})$"),
        swap=_rx(rf"^(?:{w('swap')})\s+(?P<rest>.+)$"),
    )


def _alt(phrases: Any, them: str = "") -> str:
    """A regex alternation of phrases, longest first; spaces match any run of spaces."""
    out = []
    for p in sorted({str(p) for p in phrases}, key=len, reverse=True):
        parts = [re.escape(x) for x in p.split("{them}")]
        out.append(them.join(parts).replace(r"\ ", r"\s+"))
    return "|".join(out) or "(?!)"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


class Refinement(BaseModel):
    """What a follow-up did to the answer it refines; `line()` is shown above the new answer."""

    kind: Kind
    context: str = Field(description="the refined answer's reading: 'devices · site = DM-Akron'")
    changes: list[str] = Field(
        default_factory=list, description="'+ role = Router', 'site = DM-Camden (was DM-Akron)'"
    )
    exact: bool = True
    why: str = ""  # when not exact: what could not be applied, said in the answer

    def line(self) -> str:
        return " · ".join(["refining: " + self.context, *self.changes])


@dataclass
class FollowUp:
    """A follow-up read: the intent to answer, or an operation on the last answer's table."""

    refinement: Refinement
    intent: Optional[Intent] = None
    row: Optional[int] = None  # drill: index into the last answer's first table (-1: the last row)
    order: Optional[str] = None  # NetBox's `ordering` value: "name", "-name"
    limit: Optional[int] = None  # cut: show the first N
    not_understood: list[str] = field(default_factory=list)


async def read_follow_up(
    question: str, prev: Intent, context: str, understand: Understand, noun_of: Callable[[str], str]
) -> Optional[FollowUp]:
    """`question` read as a refinement of `prev` (the last answer's intent, ids resolved), or None
    when it stands on its own. `understand` reads words as the parser does; `noun_of` names a model."""
    text = re.sub(r"[\s?.!]+$", "", question.strip())
    noun = noun_of(prev.target)

    def made(kind: Kind, **kw: object) -> FollowUp:
        return FollowUp(Refinement(kind=kind, context=context), **kw)  # type: ignore[arg-type]

    cues = _cues()
    if m := cues.drill.match(text):
        nth = m.group("nth").lower().lstrip("#")
        n = cues.ordinals.get(nth) or int(re.sub(r"\D", "", nth))
        out = made("drill", row=n - 1 if n > 0 else -1)
        out.refinement.changes.append(f"drill into row {n}" if n > 0 else "drill into the last row")
        return out
    if cues.far_end.match(text):
        out = made("drill", row=0)
        out.refinement.changes.append("the far end")
        return out
    if m := cues.cut.match(text):
        n = int(m.group("n"))
        out = made("cut", limit=max(n, 1))
        out.refinement.changes.append(f"the first {n}")
        return out
    if cues.count.match(text):
        intent = prev.model_copy(
            deep=True, update={"aggregate": Aggregate(op="count", text=text), "source": "choice"}
        )
        out = made("count", intent=intent)
        out.refinement.changes.append("count")
        return out
    if m := cues.order.match(text):
        by = await _field_of(m.group("by"), noun, understand, prev.target)
        if by is None:
            return _unapplied(made("order"), prev, f"sorting by “{m.group('by')}”", [m.group("by")])
        out = made("order", order=("-" if m.group("desc") else "") + by)
        out.refinement.changes.append(
            f"sorted by {by.replace('_', ' ')}" + (" (descending)" if m.group("desc") else "")
        )
        return out
    if m := cues.group.match(text):
        by = await _field_of(m.group("by"), noun, understand)
        if by is None:
            return _unapplied(made("group"), prev, f"counting per “{m.group('by')}”", [m.group("by")])
        intent = prev.model_copy(
            deep=True, update={"aggregate": Aggregate(op="group", by=by, text=text), "source": "choice"}
        )
        out = made("group", intent=intent)
        out.refinement.changes.append(f"per {by.replace('_', ' ')}")
        return out
    if m := cues.exclude.match(text):
        return await _conditions(
            made("exclude"),
            prev,
            [f"{noun} not the {m.group('rest')}", f"{noun} not {m.group('rest')}"],
            understand,
            m.group("rest"),
        )
    if m := cues.narrow.match(text) or cues.narrow_tail.match(text):
        return await _conditions(
            made("narrow"),
            prev,
            [f"{noun} the {m.group('rest')}", f"{noun} {m.group('rest')}"],
            understand,
            m.group("rest"),
        )
    if m := cues.swap.match(text):
        rest = m.group("rest")
        return await _conditions(
            made("place"),
            prev,
            [f"{noun} {rest}", f"{noun} the {rest}", f"{noun} on {rest}"],
            understand,
            rest,
            standalone=rest,
        )
    if m := cues.show.match(text):
        return await _show(made("show"), prev, m.group("rest"), noun, understand)
    return None


async def _field_of(words: str, noun: str, understand: Understand, model: str = "") -> Optional[str]:
    """The field words name, as a grouping reads it ("role", "device type"), else a field of the
    model by its own name ("name", "serial", "asset tag")."""
    key = re.sub(r"\W+", "_", words.strip().lower()).strip("_")
    if model and key:
        from netbox_tui.schema import load as load_schema

        m = load_schema().get(model)
        if m is not None and (key in m.fields or key.rstrip("s") in m.fields):
            return key if key in m.fields else key.rstrip("s")
    try:
        read = await understand(f"{noun} per {words}")
    except Exception:  # noqa: BLE001 - words the parser refuses name no field
        return None
    if read.aggregate is None or read.aggregate.op != "group" or not read.aggregate.by or read.not_understood:
        return None
    return read.aggregate.by


async def _show(
    out: FollowUp, prev: Intent, rest: str, noun: str, understand: Understand
) -> Optional[FollowUp]:
    try:
        read = await understand(f"{rest} of {noun}")
    except Exception:  # noqa: BLE001
        return None
    if read.target != prev.target or not read.attributes:
        return None  # "with the VLANs": another kind of object, a question of its own
    added = [a for a in read.attributes if a not in prev.attributes]
    intent = prev.model_copy(deep=True, update={"attributes": prev.attributes + added, "source": "choice"})
    intent.not_understood = list(dict.fromkeys(prev.not_understood + read.not_understood))
    out.intent = intent
    out.refinement.changes.append(
        "showing " + ", ".join(a.replace("_", " ") for a in added or read.attributes)
    )
    out.not_understood = list(read.not_understood)
    return out


async def _conditions(
    out: FollowUp,
    prev: Intent,
    carriers: list[str],
    understand: Understand,
    words: str,
    standalone: Optional[str] = None,
) -> Optional[FollowUp]:
    """Conditions read behind the last answer's noun, added to its intent or replacing its own."""
    best: Optional[Intent] = None
    elsewhere = False  # the words name another kind of object ("only VLANs at DM-Camden")
    for text in carriers:
        try:
            read = await understand(text)
        except Exception:  # noqa: BLE001 - the parser refused these words: try the next carrier
            continue
        elsewhere = elsewhere or read.target != prev.target or bool(read.pattern)
        if read.target != prev.target or read.pattern or read.relations or not read.conditions:
            continue
        if any(text.split()[0].lower() in (c.text or "").lower().split() for c in read.conditions):
            continue  # the noun put in front was read into a name ("interfaces sw02"): not this carrier
        if best is None or _score(read, prev) < _score(best, prev):
            best = read
    if best is None:
        if standalone is not None or elsewhere or await _names_other_objects(words, prev, understand):
            return None  # "and VLANs?": not about the same objects, a question of its own
        return _unapplied(out, prev, f"“{words}”", [words])
    intent = prev.model_copy(deep=True, update={"source": "choice"})
    kinds: list[Kind] = []
    before = list(intent.conditions)  # only these can be replaced: a follow-up's own conditions all hold
    for new in best.conditions:
        new = new.model_copy(update={"span": None})
        if out.refinement.kind == "exclude" and new.op == "eq" and new.is_ref:
            new.op = "ne"  # "except the routers and the PDUs": neither, not "the PDUs only"
        old = _replaced(before, new)
        if old is not None:
            before.remove(old)
        if old is not None:
            intent.conditions[intent.conditions.index(old)] = new
            out.refinement.changes.append(f"{new.words()} (was {old.shown_value() or old.words()})")
            kinds.append("place" if new.model in PLACES else "replace")
        else:
            intent.conditions.append(new)
            out.refinement.changes.append(f"+ {new.words()}")
            kinds.append("exclude" if new.op == "ne" else "narrow")
    if out.refinement.kind != "exclude" or "exclude" not in kinds:
        out.refinement.kind = kinds[0] if len(set(kinds)) == 1 else out.refinement.kind
    intent.not_understood = list(dict.fromkeys(prev.not_understood + best.not_understood))
    out.intent = intent
    out.not_understood = list(best.not_understood)
    return out


async def _names_other_objects(words: str, prev: Intent, understand: Understand) -> bool:
    """The words alone name a kind of object other than the last answer's ("only VLANs at X")."""
    try:
        alone = await understand(words)
    except Exception:  # noqa: BLE001 - words the parser refuses name nothing
        return False
    return alone.target != prev.target and any(c.means.startswith("model ") for c in alone.claims)


def _score(read: Intent, prev: Intent) -> tuple[int, int]:
    """Fewer words left over first, then more conditions that take the place of one of the last answer's."""
    return len(read.not_understood), -sum(_replaced(prev.conditions, c) is not None for c in read.conditions)


def _replaced(conds: list[Condition], new: Condition) -> Optional[Condition]:
    """The condition of the last answer a new one takes the place of: the same field asked the same
    way, or a place for a place ("and in NC" after a site)."""
    if new.op == "ne":
        return None  # exclusions add up: "not the PDUs" after "not the routers" excludes both
    for c in conds:
        if c.field == new.field and c.op != "ne":
            return c
    if new.model in PLACES:
        return next((c for c in conds if c.model in PLACES and c.op == "eq" and c.field != "id"), None)
    return None


def _unapplied(out: FollowUp, prev: Intent, what: str, words: list[str]) -> FollowUp:
    """A follow-up that cannot be applied exactly: the last answer's question stands, said as such."""
    out.refinement.exact = False
    out.refinement.why = f"{what} could not be applied: these are the same rows as before"
    out.intent = prev.model_copy(deep=True, update={"source": "choice"})
    out.intent.not_understood = list(dict.fromkeys(prev.not_understood + words))
    out.not_understood = words
    return out
