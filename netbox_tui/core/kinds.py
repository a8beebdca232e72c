"""A kind of device no word of the vocabulary and no name of the NetBox reads: "firewalls at
DM-Akron", "firewall devices". Such a word asks for devices of a role that does not exist, so it
becomes `role = firewalls` for the resolver to look up: not found, it says there is no such role and
offers the roles there are — never an answer about something else (the site named after "at")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.text import singular

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler

DEVICE, ROLE = "dcim.device", "dcim.devicerole"


def _first_free(asm: Assembler) -> Optional[int]:
    """The question's first content word, when nothing reads it."""
    for t in asm.toks:
        if asm.p.is_skip(t):
            continue
        free = t.kind == "word" and t.text.isalpha() and t.i not in asm.used and asm.at(t.i) is None
        return t.i if free else None
    return None


def unknown_kind(asm: Assembler, intent: Intent) -> None:
    """'firewalls at X' (a plural before a place), 'firewall devices': devices of the role named so."""
    i = _first_free(asm)
    if i is None or intent.pattern is not None or intent.aggregate is not None or intent.attributes:
        return
    t = asm.toks[i]
    nxt = asm.next_content(t.i + 1)
    devices_next = nxt is not None and nxt.a == t.i + 1 and any(m.model == DEVICE for m in nxt.of("noun"))
    plural = singular(t.low) != t.low
    dm = asm.schema.model(DEVICE)
    role = dm.ref_filter(ROLE)
    if role is None:
        return
    if intent.target == DEVICE and devices_next:
        pass  # "firewall devices"
    elif plural and intent.target != DEVICE and asm._after_preposition(t.i + 2, tuple(asm.vocab.place)) \
            and intent.conditions and all(_as_device_filter(asm, c) for c in intent.conditions):
        # "firewalls at DM-Akron": the place named is where the devices are, not the answer.
        for c in intent.conditions:
            c.field = _as_device_filter(asm, c) or c.field
            c.candidates = []
        intent.target = DEVICE
    else:
        return
    span = asm.claim(t.i, t.i + 1, "role")
    stem = role.name[:-3] if role.name.endswith("_id") else role.name
    intent.conditions.insert(0, Condition(field=stem, value=t.text, text=t.text, model=ROLE, span=span))


def _as_device_filter(asm: Assembler, c: Condition) -> Optional[str]:
    """The devices' filter a named place becomes (a site's `id` -> the devices' `site`)."""
    if c.model is None or c.op != "eq" or c.model == DEVICE:
        return None
    flt = asm.schema.model(DEVICE).ref_filter(c.model)
    if flt is None:
        return None
    return flt.name[:-3] if flt.name.endswith("_id") else flt.name
