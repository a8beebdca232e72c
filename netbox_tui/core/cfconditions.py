"""The conditions a question's custom-field readings (core/cfwords.py) make, in assembly: "warranty end
before 2027", "support tier gold", "owned by Dwight Schrute", "an 8 hour SLA", "no customer ID filled in",
"billed to CC-1200", "an expired warranty"; a field the model lacks looked for among the custom fields; the
target when only a custom field says it; and what is said of a reading.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Optional

from netbox_tui.core.cfdates import period, today_utc
from netbox_tui.core.cfwords import (
    CMP_DATE,
    CONTAINS,
    DATE_CMP,
    DATE_PAST,
    DATE_VERBS,
    FALSE,
    FILLED,
    IS,
    LESS,
    MORE,
    TEXT_TYPES,
    TRUE,
    UNSET,
    VALUE_VERBS,
    _abbreviates,
    _labels,
    _match,
    symbol_op,
)
from netbox_tui.core.customfields import (
    CUSTOM_FIELD,
    NONE,
    PREFIX,
    CustomFields,
    bare,
    is_custom,
    title_of,
)
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.lexicon import Meaning, fold
from netbox_tui.netbox.client import CustomField

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler, Mention
    from netbox_tui.core.readings import Cand

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
            start = c.a
            got: Optional[tuple[list[Condition], int, Optional[Mention]]] = None
            # "no X filled in", "an 8 hour SLA", "an expired warranty"
            before = _filled(asm, c, cf) or _number_before(asm, c, cf) or _past_before(asm, c, cf)
            if before is not None:
                start, got = before[0], (before[1], before[2], None)
            else:
                got = _after_field(asm, c, cf, pinned)
            if got is not None:
                conds, end, taken = got
                start = _verb_before(asm, start)  # "charged to cost centre X"
                span = asm.claim(start, end, f"custom field {cf.name}")
                text = asm.surface(start, end)
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
            a = _verb_before(asm, a)  # "billed to cost center cc-1040"
            span = asm.claim(a, b, f"custom field {bare(fname)}")
            intent.conditions.append(
                Condition(field=fname, value=value, text=asm.surface(a, b), span=span, guess=c.guess)
            )
    _verb_values(asm, intent, fields)
    _missing_field(asm, intent, fields)
    inside = [m for m in asm.mentions if any(i in asm.used for i in range(m.a, m.b))]
    for m in inside:  # "monitored set to false": "false" is no place
        asm.mentions.remove(m)
    return None if pinned in inside else pinned


def _phrase_at(asm: Assembler, i: int, phrases: tuple[list[str], ...]) -> Optional[int]:
    """The end of the longest of the phrases said from token i, or None."""
    lows = [t.low for t in asm.toks]
    ends = [i + len(p) for p in phrases if lows[i : i + len(p)] == p]
    return max(ends) if ends else None


def _verb_before(asm: Assembler, a: int) -> int:
    """Where a verb that stands for a text value ("charged to", "billed") ends right before token a begins."""
    for p in sorted(VALUE_VERBS, key=len, reverse=True):
        i = a - len(p)
        if i >= 0 and _phrase_at(asm, i, (p,)) == a and not any(k in asm.used for k in range(i, a)):
            return i
    return a


def _filled(asm: Assembler, c: Cand, cf: CustomField) -> Optional[tuple[int, list[Condition], int]]:
    """'a cost center recorded' (set), 'customer ID not filled in' (not set): (start, conditions, end). After
    an absence word ("no customer ID filled in") only the words saying it are taken: the absence word and
    the field are read together as any field's are."""
    toks, j, negated = asm.toks, c.b, False
    while j < len(toks) and toks[j].low in (IS - {"set"}) | {"not"}:
        negated, j = negated or toks[j].low == "not", j + 1
    end = _phrase_at(asm, j, FILLED) if j < len(toks) else None
    if end is None or end < len(toks) and toks[end].low in IS:
        return None  # "monitored set to false": a value follows
    k = c.a - 1
    while k >= 0 and toks[k].low in ("a", "an", "the", "any"):
        k -= 1
    if k >= 0 and toks[k].low in asm.vocab.absence and k not in asm.used:
        return j, [], end
    return c.a, [Condition(field=PREFIX + cf.name, op="empty" if negated else "not_empty")], end


def _number_before(asm: Assembler, c: Cand, cf: CustomField) -> Optional[tuple[int, list[Condition], int]]:
    """'an 8 hour SLA', 'a 4-hr sla', 'under 8 hour SLA': a number (and its unit, a word of the label) before
    a number field's label. (start, conditions, end)."""
    if cf.type not in ("integer", "decimal") or c.a == 0:
        return None
    end = c.b
    while (x := asm.at(end)) is not None and x is not c and not asm.is_used(x) and _mine_cf(x, cf):
        end = x.b  # "hour SLA": the unit and the label, both words of it
    units = [r for lb in _labels(cf) for r in lb.raw]

    def unit(word: str) -> bool:
        return any(_match(word, word, r, r, False) or _abbreviates(word, r) for r in units)

    k, value, op = c.a - 1, None, "eq"
    if k > 0 and k not in asm.used and unit(asm.toks[k].low) and asm.toks[k].number is None:
        k -= 1  # "8 hour sla" where "hour" is read as nothing
    low = asm.toks[k].low
    joined = re.fullmatch(r"(\d+(?:\.\d+)?)-?([a-z]+)", low)
    if joined and (unit(joined[2]) or len(joined[2]) == 1 and any(r[0] == joined[2] for r in units)):
        value = float(joined[1])  # "8-hour", "4hr", "24h"
    elif re.fullmatch(r"\d+(\.\d+)?\+", low):
        value, op = float(low[:-1]), "gte"  # "12+ hour sla"
    elif asm.toks[k].number is not None or re.fullmatch(r"\d+(\.\d+)?", asm.toks[k].text):
        value = asm.toks[k].number if asm.toks[k].number is not None else float(asm.toks[k].text)
    if value is None or k in asm.used:
        return None
    said = list({id(x): x for i in range(c.a, end) if (x := asm.at(i)) is not None}.values())
    for x in said[:-1]:
        x.guess = None  # "hour" in "8 hour SLA" is the unit; the label ("SLA") is said if guessed
    for m in [m for m in asm.mentions if m.a <= k < m.b]:
        asm.mentions.remove(m)  # "4-hr" is no name
    start = k
    before = next(
        (x for x in asm.r.chosen if x.b == k and asm.cue(x, "compare") and not asm.is_used(x)), None
    )
    if before is not None and op == "eq":
        op, start = next(m.value for m in before.of("cue") if m.name == "compare"), before.a
    value = int(value) if float(value).is_integer() else value
    return start, [Condition(field=PREFIX + cf.name, op=op, value=value)], end


def _past_before(asm: Assembler, c: Cand, cf: CustomField) -> Optional[tuple[int, list[Condition], int]]:
    """'devices with an expired warranty': a past verb of a date before the field, no date after it."""
    k = c.a - 1
    if cf.type not in ("date", "datetime") or k < 0 or asm.toks[k].low not in DATE_PAST or k in asm.used:
        return None
    j = c.b
    while j < len(asm.toks) and asm.toks[j].low in DATE_VERBS | IS:
        j += 1
    if j < len(asm.toks) and (asm.toks[j].low in DATE_CMP or period([t.low for t in asm.toks], j)):
        return None  # "expired warranty before 2026": the date says
    return k, [Condition(field=PREFIX + cf.name, op="lt", value=today_utc().isoformat())], c.b


def _mine_cf(c: Cand, cf: CustomField) -> bool:
    return any(m.name == PREFIX + cf.name for m in c.of("field"))


def _verb_values(asm: Assembler, intent: Intent, fields: CustomFields) -> None:
    """'circuits billed to CC-1200': a verb that stands for a text value, then a code (a word with digits, or
    quoted) nothing else read, is the value of the target's one text custom field, and said so. With several
    text fields, or none, it is left to be said as not understood."""
    texts = [cf for cf in fields.of(intent.target).values()
             if cf.type in TEXT_TYPES and cf.filter_logic != "disabled"]
    if len(texts) != 1:
        return
    cf, toks = texts[0], asm.toks
    for i in range(len(toks)):
        end = _phrase_at(asm, i, VALUE_VERBS)
        if end is None or end >= len(toks) or any(k in asm.used for k in range(i, end + 1)):
            continue
        t = toks[end]
        taken = next((m for m in asm.mentions if m.a == end and m.b == end + 1), None)
        # a code: quoted, or letters with digits that name nothing this NetBox's names know ("CC-1200")
        code = t.kind == "quoted" or t.kind == "word" and bool(re.search(r"\d", t.text)) \
            and bool(re.search(r"[a-z]", t.low)) and (taken is None or taken.how == "host")
        if not code:
            continue
        if taken is not None:
            asm.mentions.remove(taken)
        value = t.text.strip("\"'“”")
        span = asm.claim(i, end + 1, f"custom field {cf.name}")
        intent.conditions.append(
            Condition(field=PREFIX + cf.name, value=value, text=asm.surface(i, end + 1), span=span)
        )
        said = getattr(asm, "custom_said", [])
        label = title_of(intent.target, cf.name)
        said.append(f"“{asm.surface(i, end + 1)}” as {label} = {value} (custom field)")
        asm.custom_said = said  # type: ignore[attr-defined]


def _missing_field(asm: Assembler, intent: Intent, fields: CustomFields) -> None:
    """'devices that have a maintenance contract number recorded': words nothing reads, then a word saying a
    value is set, name a field the model lacks. Looked for among the custom fields by that name, so that
    the answer says none is called so and offers those there are, never an answer without the words."""
    toks = asm.toks
    if not fields.of(intent.target) or CUSTOM_FIELD not in asm.schema.names:
        return
    for f in range(1, len(toks)):
        end = _phrase_at(asm, f, FILLED)
        if end is None or f in asm.used or end < len(toks) and toks[end].low in IS:
            continue
        a = f
        while a > 0 and asm.p.is_skip(toks[a - 1]) and asm.at(a - 1) is None and a - 1 not in asm.used:
            a -= 1  # "number" in "contract number recorded"
        start = a
        while start > 0 and _nameless(asm, start - 1):
            start -= 1
        if not any(asm.at(i) is None for i in range(start, a)):
            continue  # "devices with an IP address recorded": words that read, a relation
        words = asm.surface(start, f)
        for i in range(start, f):
            if (held := asm.at(i)) is not None:
                held.guess = None  # "contract" is a word of the name, not a misspelt "contact"
        span = asm.claim(start, end, "a custom field")
        intent.conditions.append(Condition(field=PREFIX + "_".join(fold(words)), op="eq", value=words,
                                           model=CUSTOM_FIELD, text=asm.surface(start, end), span=span))
        return


def _nameless(asm: Assembler, i: int) -> bool:
    """Token i may be a word of a field's name: a word nothing reads, or a model word nothing used yet
    ("contract" in "maintenance contract number")."""
    t, held = asm.toks[i], asm.at(i)
    if i in asm.used or t.kind != "word" or asm.p.is_skip(t):
        return False
    return held is None or held.kinds == {"noun"} and not asm.is_used(held) and held.length == 1


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
    if cf.type in ("date", "datetime") and j > c.b and toks[j - 1].low in DATE_PAST \
            and (j >= n or period([t.low for t in toks], j) is None and toks[j].low not in DATE_CMP):
        # "whose warranty has expired": before today
        return [Condition(field=name, op="lt", value=today_utc().isoformat())], j, None
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
    return symbol_op(_gap(asm, j - 1, j)), j


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
    if value is None or op in ("ne", "?"):
        return None  # "sla hours != 8": no lookup of a custom field says it; the words stay said
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
        # "expiring next year", "warranty end 2027-03-31": a period right after the field is the whole period
        how = CMP_DATE[op] if op is not None and op != "eq" else "in"
        j = j2
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
    """'“owner” as the custom field Owner (not tenant)': a custom field chosen over one of NetBox's own; a
    verb read as a text field's value ("billed to CC-1200")."""
    out = list(getattr(asm, "custom_said", []))
    for c in asm.r.chosen:
        mine = _mine(c, intent.target, "field")
        theirs = next((m for m in c.of("field") if m.model == intent.target and not is_custom(m.name)), None)
        if mine is not None and theirs is not None and asm.is_used(c):
            out.append(
                f"“{asm.surface(c.a, c.b)}” as the custom field {title_of(intent.target, mine.name)}"
                f" (not {theirs.name.replace('_', ' ')})"
            )
    return out
