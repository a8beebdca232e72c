"""Tags in questions: "devices tagged critical", "VLANs with tag pci-scope", "critical devices".

A tag's name is read from the name index like any small table's (vocab.toml `[names] models`), and
filters the target through its `tag` filter. What this module adds: a word after a tag word that
names no tag ("devices tagged bogus") becomes a tag condition that resolves to `not_found` with the
closest tags, never a dropped word; and a question that may name a tag loads the names to read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.lexicon import Meaning, fold
from netbox_tui.schema import Schema
from netbox_tui.schema import load as load_schema

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler
    from netbox_tui.core.plan import Context
    from netbox_tui.core.readings import Cand, Readings

TAG = "extras.tag"
MAX_TAG_WORDS = 3  # a tag name typed without quotes is short ("pci scope")


def is_tag_field(schema: Schema, m: Meaning) -> bool:
    """A field word that means the model's tags ("tagged", "with tag")."""
    if m.kind != "field" or m.model is None or m.path or schema.get(m.model) is None:
        return False
    f = schema.model(m.model).fields.get(m.fields[0] if m.fields else m.name)
    return f is not None and f.to == TAG


def tag_name_spots(run: Readings) -> list[Cand]:
    """Where a tag's name may hide in a model word, which only the NetBox's names can tell: two words
    naming one model ("uplink interfaces", "interfaces tagged uplink"). Read without the names, the
    first is left unread, so that the names are loaded and read the question."""
    out: list[Cand] = []
    seen: dict[str, Cand] = {}
    for c in run.chosen:
        for model in {m.model for m in c.of("noun") if m.model}:
            if model in seen and seen[model] not in out:
                out.append(seen[model])
            seen.setdefault(model, c)
    # "devices tagged uplink": a model word right after a tag word, once the target is named before
    # it, may be a tag's name ("tagged interfaces" alone stays the port mode: no model word before).
    for i, c in enumerate(run.chosen[:-1]):
        nxt = run.chosen[i + 1]
        if (
            nxt.has("noun")
            and nxt not in out
            and _tagging(run, c)
            and _only_skips(run, c.b, nxt.a)
            and any(x.has("noun") for x in run.chosen[:i])
        ):
            out.append(nxt)
    return out


def tagged_word_cands(run: Readings) -> list[Cand]:
    """ "critical-tagged devices", "uplink-tagged interfaces": a word made of a tag's name and a tag word
    (a word the lexicon reads as the tags field) joined by a hyphen names that tag."""
    from netbox_tui.core.readings import Cand

    out = []
    for t in run.toks:
        head, dash, tail = t.text.rpartition("-")
        if t.kind != "word" or not dash or not head or not _tag_word(run, tail):
            continue
        tags = [e for e in run.p.names.exact(head) if e.model == TAG]
        if tags:
            out.append(Cand(t.i, t.i + 1, "name", names=tags, prio=100))
    return out


def _tag_word(run: Readings, word: str) -> bool:
    """'tagged': a word some model of the question reads as its tags."""
    key = fold(word)
    return any(
        is_tag_field(run.p.schema, m)
        for x in sorted(run.models)
        for m in run.p.lex.of_model(x).phrases.get(key, [])
    )


def _tagging(run: Readings, c: Cand) -> bool:
    return any(is_tag_field(run.p.schema, m) for m in c.of("field"))


def _only_skips(run: Readings, a: int, b: int) -> bool:
    return all(run.p.is_skip(t) for t in run.toks[a:b])


def unknown_tags(asm: Assembler, target: str) -> list[Condition]:
    """ "devices tagged bogus": the unread words right after a tag word are a tag's name, resolved
    (against the name index) to the tag or to not_found with the closest tags."""
    tm = asm.schema.model(target)
    flt = tm.ref_filter(TAG)
    if flt is None:
        return []
    out = []
    for c in asm.items("field"):
        tagging = any(is_tag_field(asm.schema, m) and m.model == target for m in c.of("field"))
        if asm.is_used(c) or not tagging:
            continue
        run = _unread_run(asm, c.b)
        if run is None:
            continue
        start, end = run
        span = asm.claim(c.a, end, "tag")
        name = asm.surface(start, end)
        stem = flt.name[:-3] if flt.name.endswith("_id") else flt.name
        out.append(Condition(field=stem, value=name, text=asm.surface(c.a, end), model=TAG, span=span))
    return out


def tag_mentions(asm: Assembler) -> None:
    """ "devices tagged core-2024": a hostname-like word right after a tag word names a tag, not a
    device (so an unknown one is not_found among the tags). Not after the model word "tags"
    ("tags of dmi01-akron-rtr01" names a device)."""
    for m in asm.mentions:
        before = asm.prev_content(m.a)
        if (
            m.how == "host"
            and m.noun is None
            and before is not None
            and not before.has("noun")
            and any(is_tag_field(asm.schema, x) for x in before.of("field"))
        ):
            m.models, m.noun = [TAG], TAG


def _unread_run(asm: Assembler, i: int) -> Optional[tuple[int, int]]:
    """The first and one past the last of the words from token i that no reading claims (skip words
    before them aside: "tagged with bogus"), or None when the next content word is read as something."""
    toks = asm.r.toks
    while i < len(toks) and asm.p.is_skip(toks[i]) and asm.r.claimed[i] is None:
        i += 1
    j = i
    while (
        j < len(toks)
        and j - i < MAX_TAG_WORDS
        and toks[j].kind == "word"
        and asm.r.claimed[j] is None
        and j not in asm.used
        and not asm.p.is_skip(toks[j])
    ):
        j += 1
    return (i, j) if j > i else None


def tag_filter(intent: Intent) -> Optional[Condition]:
    """The question's condition when it is one resolved tag and nothing else ("devices tagged uplink")."""
    conds = intent.conditions
    if (
        len(conds) != 1
        or intent.relations
        or conds[0].model != TAG
        or conds[0].op != "eq"
        or not conds[0].resolved
    ):
        return None
    return conds[0]


async def used_elsewhere(ctx: Context, cond: Condition, found: int) -> Optional[str]:
    """No object of the kind asked carries the tag: whether others do ("the tag uplink is on 5 objects of
    other kinds"), from the tag's own count in one request, so an empty answer is not taken for a tag
    nobody uses. (Which kinds NetBox says in extras/tagged-objects, which a snapshot does not hold.)"""
    from netbox_tui.errors import NetBoxTUIError

    if found:
        return None
    m = load_schema().model(TAG)
    try:
        page = await ctx.client.page(
            m.path,
            {"id": [r.id for r in cond.resolved]},
            limit=len(cond.resolved),
            fields=["id", "name", "tagged_items"],
            kind="default",
        )
    except NetBoxTUIError:  # a token that cannot read tags: the empty answer stands
        return None
    total = sum(int(r.get("tagged_items") or 0) for r in page.results)
    label = " or ".join(r.label for r in cond.resolved)
    if not total:
        return f"The tag {label} is on no object at all."
    return f"The tag {label} is on {total:,} " + (
        "object of another kind." if total == 1 else "objects of other kinds."
    )
