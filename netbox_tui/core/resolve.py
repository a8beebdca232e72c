"""Names as typed -> NetBox objects, for any model the schema knows.

Models whose names are in the name index (sites, roles, platforms…) resolve in memory. Others
(devices, racks, VMs, circuits, VLANs, cables…) are searched per question: an exact,
case-insensitive match on the model's label field first, then the typed words OR'ed in one
request, scored word by word. A clear best match is taken (and said, if it was not exact);
several close ones are a choice; none is "not found" with the closest names. Nothing is guessed
silently.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Literal, Optional, Sequence

from rapidfuzz import fuzz

from netbox_tui.core.intent import Condition, Ref
from netbox_tui.core.names import NameIndex, load_names
from netbox_tui.core.tags import TAG
from netbox_tui.core.text import rank, score, words
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.schema import Model
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import load as load_vocab

MATCH_SCORE = 65.0  # below: not a match
CLEAR_MARGIN = 10.0  # the best must beat the runner-up by this much to be taken without asking


@dataclass
class Found:
    """A candidate object: its reference, how well it matched, and the row it came in (for display)."""

    ref: Ref
    score: float = 100.0
    row: dict[str, Any] = field(default_factory=dict)


@dataclass
class Resolution:
    text: str
    status: Literal["ok", "ambiguous", "not_found"]
    model: str
    matches: list[Found] = field(default_factory=list)
    candidates: list[Found] = field(default_factory=list)  # best first: the choice, or the closest names
    total: int = 0  # how many objects matched in all, when more than the candidates shown

    @property
    def refs(self) -> list[Ref]:
        return [f.ref for f in self.matches]

    @property
    def guessed(self) -> bool:
        return self.status == "ok" and bool(self.matches) and self.matches[0].score < 100.0


def decide(model: str, text: str, ranked: list[Found]) -> Resolution:
    if not ranked or ranked[0].score < MATCH_SCORE:
        return Resolution(text, "not_found", model, candidates=ranked[:5])
    exact = [f for f in ranked if f.score >= 100.0]
    if len(exact) == 1:
        return Resolution(text, "ok", model, [exact[0]], ranked)
    if len(exact) > 1:
        return Resolution(text, "ambiguous", model, candidates=exact, total=len(exact))
    best = ranked[0].score
    runner = ranked[1].score if len(ranked) > 1 else 0.0
    if best - runner >= CLEAR_MARGIN:
        return Resolution(text, "ok", model, [ranked[0]], ranked)
    close = [f for f in ranked if best - f.score < CLEAR_MARGIN]
    return Resolution(text, "ambiguous", model, candidates=close, total=len(close))


def _best_word(text: str, name: str) -> float:
    """How alike the closest pair of words of the two is (0-100)."""
    return max((fuzz.ratio(a, b) for a in words(text) for b in words(name)), default=0.0)


def label_of(m: Model, row: dict[str, Any]) -> str:
    return str(row.get("display") or row.get(m.label) or row.get("name") or row.get("id"))


class Resolver:
    """Per backend: the name index is loaded once (one request, cached) and kept for the session."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.schema = load_schema()
        self.vocab = load_vocab()
        self._names: Optional[NameIndex] = None
        self._lock = asyncio.Lock()

    @property
    def loaded(self) -> Optional[NameIndex]:
        return self._names

    async def names(self) -> NameIndex:
        async with self._lock:
            if self._names is None:
                self._names = await load_names(self.client)
        return self._names

    def forget(self) -> None:
        """Drop the names (after --refresh, or when the NetBox changed)."""
        self._names = None

    # -- one condition ----------------------------------------------------------------------------

    async def resolve(
        self, cond: Condition, scope: Sequence[Condition] = (), fields: Sequence[str] = ()
    ) -> Resolution:
        """The objects a reference condition names. `scope` holds the question's other resolved
        conditions: a VLAN named at a site is that site's VLAN. `fields`: what the answer will show
        of the object, fetched by the same request so it needs no second one."""
        models = cond.candidates or ([cond.model] if cond.model else [])
        # Only kinds this NetBox has (an intent from elsewhere, an LLM's, may name others).
        models = [m for m in models if self.schema.get(m) is not None]
        text = str(cond.value if cond.value is not None else cond.text).strip()
        if not models:
            raise NetBoxTUIError(
                f"“{text}” is named as a kind of object this NetBox does not have",
                "Ask with a model word: device, site, rack…",
            )
        if len(models) == 1:
            return await self.resolve_in(models[0], text, scope, fields=fields, also=_said_with(cond, text))
        if self._names is None and not fields:
            # Names not read yet (an MCP tool's first call): a name typed exactly is one request in
            # every kind at once; only a miss reads the index and searches loosely.
            exact = await self._exact(models, text)
            if exact is not None:
                return exact
        names = await self.names()
        if fields and cond.model in models and not names.knows(cond.model):
            # "platform of dmi01-akron-rtr01": the exact name in the kind asked about, with the fields
            # asked for, is one request that answers; only a miss looks among the other kinds.
            first = await self._search(cond.model, text, scope, True, fields)
            if first.status == "ok":
                return first
        known = [m for m in models if names.knows(m)]
        searched = [m for m in models if m not in known]
        pooled = [f for m in known for f in self._from_index(names, m, text, False).candidates]
        try:
            pooled += await self._find(searched, text, closest=not any(f.score >= 100.0 for f in pooled))
        except Exception:  # no GraphQL here: each model's exact name over REST, in one round trip
            results = await self.client.gather([self._search(m, text, scope, True, fields) for m in searched])
            pooled += [f for r in results for f in (r.matches or r.candidates)]
        pooled.sort(key=lambda f: rank(text, f.ref.label, f.score))
        pooled = self._in_scope(pooled, scope)
        res = decide(pooled[0].ref.model if pooled else models[0], text, pooled)
        if res.status == "ok":
            res.model = res.matches[0].ref.model
        return res

    def _in_scope(self, found: list[Found], scope: Sequence[Condition]) -> list[Found]:
        """"camden sw01": of the objects found by a name of any kind, those where the question's other names
        put them (the row's site is DM-Camden), when that leaves any; else all, the choice as before."""
        def fits(f: Found) -> bool:
            m = self.schema.get(f.ref.model)
            for c in scope:
                fld = m.field_to(c.model or "") if m is not None and c.resolved and c.op == "eq" else None
                where = f.row.get(fld.name) if fld is not None else None
                if isinstance(where, dict) and where.get("name") not in {r.label for r in c.resolved}:
                    return False
            return True

        kept = [f for f in found if fits(f)]
        return kept if kept else found

    def _lists_query(self, models: Sequence[str], limit: int) -> tuple[str, dict[str, Model]]:
        """One GraphQL query over every model's list, filtered on its label with the lookup LOOKUP."""
        parts, lists = [], {}
        for name in models:
            m = self.schema.get(name)
            if m is None or not m.graphql_list or m.label not in m.graphql_fields:
                raise LookupError(f"{name} has no GraphQL list")
            where = " site { name }" if "site" in m.graphql_fields else ""
            parts.append(f"{m.graphql_list}(filters: {{{m.label}: {{LOOKUP: $t}}}}, "
                         f"pagination: {{limit: {limit}}}) {{ id {m.label}{where} }}")
            lists[m.graphql_list] = m
        return "query ($t: String!) { " + " ".join(parts) + " }", lists

    async def _exact(self, models: Sequence[str], text: str) -> Optional[Resolution]:
        """The objects named exactly `text` (any case) in any of `models`, in one GraphQL request:
        one is taken, several are a choice; None when there is none (or no GraphQL to ask)."""
        try:
            query, lists = self._lists_query(models, 5)
            data = await self.client.graphql(query.replace("LOOKUP", "i_exact"), {"t": text}, kind="device")
        except Exception:  # no GraphQL list for a kind, or none at all: the loose search says
            return None
        found = [Found(f.ref, 100.0, f.row) for f in self._found_rows(data, lists, text)]
        if not found:
            return None
        if len(found) == 1:
            return Resolution(text, "ok", found[0].ref.model, found, found)
        return Resolution(text, "ambiguous", found[0].ref.model, candidates=found, total=len(found))

    async def _find(self, models: Sequence[str], text: str, *, closest: bool = True) -> list[Found]:
        """A name of unknown kind, in every model at once: one GraphQL request for the objects whose
        name holds the text; if none (and `closest`: nothing matched exactly elsewhere), a second for
        names that start alike (for "Closest:")."""
        query, lists = self._lists_query(models, 50)
        data = await self.client.graphql(query.replace("LOOKUP", "i_contains"), {"t": text}, kind="device")
        found = self._found_rows(data, lists, text)
        if not found and closest:
            stem = re.match(r"[A-Za-z]{2,}", text)
            if stem:
                data = await self.client.graphql(
                    query.replace("LOOKUP", "i_starts_with"), {"t": stem.group(0)}, kind="device"
                )
                found = self._found_rows(data, lists, text)
        return found

    def _found_rows(self, data: dict[str, Any], lists: dict[str, Model], text: str) -> list[Found]:
        out = []
        for key, m in lists.items():
            for r in data.get(key) or []:
                try:
                    label = str(r.get(m.label) or "")
                    out.append(
                        Found(Ref(model=m.name, id=int(r["id"]), label=label), score(text, label), dict(r))
                    )
                except (KeyError, TypeError, ValueError):
                    continue
        return out

    async def resolve_in(
        self,
        model: str,
        text: str,
        scope: Sequence[Condition] = (),
        *,
        exact_only: bool = False,
        fields: Sequence[str] = (),
        also: Sequence[str] = (),
    ) -> Resolution:
        names = await self.names() if model in self.vocab.name_models else self._names
        if names is not None and names.knows(model):
            return self._from_index(names, model, text, exact_only)
        return await self._search(model, text, scope, exact_only, fields, also)

    def _from_index(self, names: NameIndex, model: str, text: str, exact_only: bool) -> Resolution:
        exact = [e for e in names.exact(text) if e.model == model]
        if exact:
            ranked = [Found(Ref(model=model, id=e.id, label=e.name), 100.0) for e in exact]
            return Resolution(
                text,
                "ok" if len(ranked) == 1 else "ambiguous",
                model,
                ranked if len(ranked) == 1 else [],
                ranked,
                len(ranked),
            )
        if exact_only:
            return Resolution(text, "not_found", model)
        ranked = sorted(
            (Found(Ref(model=model, id=e.id, label=e.name), sc) for e, sc in names.fuzzy(text, [model])),
            key=lambda f: rank(text, f.ref.label, f.score),
        )
        found = decide(model, text, ranked)
        if found.status == "not_found":  # "critical-infra": no name holds every word; offer those holding one
            found.candidates = sorted(
                ranked, key=lambda f: (-_best_word(text, f.ref.label), rank(text, f.ref.label, f.score))
            )[:5]
        return found

    async def _search(
        self, model: str, text: str, scope: Sequence[Condition], exact_only: bool, want: Sequence[str] = (),
        also: Sequence[str] = (),
    ) -> Resolution:
        """A large table: exact label first, then the typed words, in NetBox (never the whole table)."""
        from netbox_tui.core.columns import fetch_fields

        m = self.schema.model(model)
        base = scoped_params(m, scope)
        fields = fetch_fields(model, [f for f in want if f.split(".")[0] in m.fields])
        label = m.label
        found: list[dict[str, Any]] = []
        # Numbers: a VLAN's VID, a cable's id (cables are displayed #id when they have no label).
        if text.lstrip("#").isdigit():
            if m.accepts("vid"):
                found = (
                    await self.client.page(
                        m.path, {**base, "vid": int(text)}, limit=100, fields=fields, kind=kind_of(model)
                    )
                ).results
            elif label == "label" or text.startswith("#"):
                found = (
                    await self.client.page(
                        m.path,
                        {**base, "id": int(text.lstrip("#"))},
                        limit=2,
                        fields=fields,
                        kind=kind_of(model),
                    )
                ).results
            elif (by_number := m.filters.get(label)) is not None and by_number.type == "num":  # an ASN: 3356
                found = (await self.client.page(m.path, {**base, label: int(text)}, limit=2, fields=fields,
                                                kind=kind_of(model))).results
            if found or text.startswith("#"):
                return self._decide_rows(m, text, found, exact=True)
        if m.accepts(f"{label}__ie"):
            named = [text, *also] if also else text  # repeated: any of them ("2" or "port 2")
            found = (
                await self.client.page(
                    m.path, {**base, f"{label}__ie": named}, limit=100, fields=fields, kind=kind_of(model)
                )
            ).results
            if not found:
                found = await self._chassis_member(m, text, base, fields)
            if not found and base and exact_only:
                # The scope said nothing of the named object ("Dunder-Mifflin devices in rack R107": the
                # rack's tenant is its own): the name alone, then.
                return await self._search(model, text, (), exact_only, want, also)
            if found or exact_only:
                return self._decide_rows(m, text, found, exact=True)
        if exact_only or not m.accepts(f"{label}__ic"):
            return Resolution(text, "not_found", model)
        words = [w for w in re.split(r"[\s\-_./:]+", text) if len(w) >= 2 and not w.isdigit()] or [text]
        page = await self.client.page(
            m.path, {**base, f"{label}__ic": words[:8]}, limit=1000, fields=fields, kind=kind_of(model)
        )
        rows = page.results
        if not rows and base:
            # Not in the scope (it said nothing of the named object): the name alone, then. In it, loose words
            # are that place's ("akron rtr01": dmi01-akron-rtr01, not a choice of 13 routers).
            return await self._search(model, text, (), exact_only, want, also)
        if not rows:
            # Nothing holds the words: names that start alike ("KKDG9999" -> KKDG4923), for "Closest:".
            stem = max(
                (re.match(r"[A-Za-z]{3,}", w) for w in words),
                key=lambda x: len(x.group(0)) if x else 0,
                default=None,
            )
            if stem is not None and m.accepts(f"{label}__isw"):
                rows = (
                    await self.client.page(
                        m.path,
                        {**base, f"{label}__isw": stem.group(0)},
                        limit=100,
                        fields=fields,
                        kind=kind_of(model),
                    )
                ).results
        return self._decide_rows(m, text, rows, exact=False)

    async def _chassis_member(
        self, m: Model, text: str, base: dict[str, Any], fields: list[str]
    ) -> list[dict[str, Any]]:
        """NetBox shows a virtual chassis member without a name as '<chassis>:<position>' (r106-torsw:1)."""
        hit = re.fullmatch(r"(.+?):(\d{1,3})", text.strip())
        if hit is None or not m.accepts("virtual_chassis_id") or not m.accepts("vc_position"):
            return []
        vc = self.schema.get("dcim.virtualchassis")
        if vc is None:
            return []
        chassis = (
            await self.client.page(
                vc.path, {"name__ie": hit.group(1)}, limit=5, fields=["id", "name"], kind="device"
            )
        ).results
        if not chassis:
            return []
        params = {**base, "virtual_chassis_id": [c["id"] for c in chassis], "vc_position": int(hit.group(2))}
        return (await self.client.page(m.path, params, limit=10, fields=fields, kind=kind_of(m.name))).results

    def _decide_rows(self, m: Model, text: str, rows: list[dict[str, Any]], *, exact: bool) -> Resolution:
        found = [
            Found(
                Ref(model=m.name, id=int(r["id"]), label=label_of(m, r)),
                100.0 if exact else score(text, str(r.get(m.label) or "")),
                r,
            )
            for r in rows
            if isinstance(r, dict) and "id" in r
        ]
        if exact:
            if len(found) == 1:
                return Resolution(text, "ok", m.name, found, found)
            if found:
                return Resolution(text, "ambiguous", m.name, candidates=found, total=len(found))
            return Resolution(text, "not_found", m.name)
        found.sort(key=lambda f: rank(text, f.ref.label, f.score))
        return decide(m.name, text, found)


def _said_with(cond: Condition, text: str) -> list[str]:
    """A number named after its model word ("front port 2", "outlet 1"): the names it may stand for,
    the words before it included ("port 2", "front port 2": NetBox names parts "Port 2")."""
    said = words(str(cond.text or ""))
    if not text.isdigit() or len(said) < 2 or said[-1] != text:
        return []
    return [" ".join(said[k:]) for k in range(len(said) - 1)][::-1]


def kind_of(model: str) -> str:
    """The cache class of a model's answers (config.DEFAULT_TTL)."""
    return {
        "dcim.device": "device",
        "dcim.interface": "interface",
        "ipam.vlan": "vlan",
        "dcim.cable": "cable",
    }.get(model, "default")


def scoped_params(m: Model, scope: Iterable[Condition]) -> dict[str, Any]:
    """Resolved conditions of the question that also narrow this model's look-up (a site for a VLAN)."""
    out: dict[str, Any] = {}
    for c in scope:
        if not c.resolved or c.model == m.name or c.op != "eq" or c.model == TAG:
            continue  # a tag marks the listed objects, not the one named ("ports tagged uplink on X")
        if m.field_to(c.model or "") is None:
            continue  # "Juniper devices in rack R107": the devices' maker, not the rack's (its type's)
        flt = m.ref_filter(c.model or "")
        if flt is not None:
            out[flt.name] = [r.id for r in c.resolved]
    return out


# -- interfaces by name ------------------------------------------------------------------------------

# Interface abbreviations: what users type -> the canonical prefix NetBox names carry.
_IFACE_PREFIX = {
    "gigabitethernet": "gi", "gig": "gi", "gi": "gi", "ge": "ge",
    "tengigabitethernet": "te", "tengig": "te", "ten": "te", "te": "te", "xe": "xe",
    "twentyfivegige": "twe", "twe": "twe", "fortygigabitethernet": "fo", "fo": "fo",
    "hundredgige": "hu", "hu": "hu", "fastethernet": "fa", "fa": "fa",
    "ethernet": "eth", "eth": "eth", "e": "eth", "et": "et",
    "portchannel": "po", "port-channel": "po", "po": "po", "ae": "ae",
    "loopback": "lo", "lo": "lo", "vlan": "vl", "vl": "vl", "tunnel": "tu", "tu": "tu",
    "management": "mgmt", "mgmt": "mgmt", "ma": "mgmt",
}


_FULL = {
    "gi": ["GigabitEthernet"],
    "te": ["TenGigabitEthernet"],
    "fa": ["FastEthernet"],
    "eth": ["Ethernet", "eth"],
    "po": ["Port-channel", "port-channel"],
    "lo": ["Loopback"],
    "tu": ["Tunnel"],
    "vl": ["Vlan"],
    "twe": ["TwentyFiveGigE"],
    "fo": ["FortyGigabitEthernet"],
    "hu": ["HundredGigE"],
    "mgmt": ["Management", "mgmt"],
}


def interface_spellings(text: str) -> list[str]:
    """The names a typed port may have in NetBox: as typed, and written out ("Gi0/0/0" ->
    GigabitEthernet0/0/0), so one request (`name__ie`, OR'ed) finds it."""
    out = [text.strip()]
    m = re.match(r"^\s*([a-zA-Z][a-zA-Z\-]*?)-?\s*(\d.*)$", text.strip())
    if m:
        prefix = _IFACE_PREFIX.get(m.group(1).lower().rstrip("-"))
        out += [full + m.group(2) for full in _FULL.get(prefix or "", [])]
    return list(dict.fromkeys(out))


def canonical_interface(name: str) -> str:
    m = re.match(r"^\s*([a-zA-Z][a-zA-Z\-]*?)-?\s*(\d.*)$", name.strip())
    if not m:
        return name.strip().lower()
    prefix, rest = m.group(1).lower().rstrip("-"), m.group(2).lower()
    return _IFACE_PREFIX.get(prefix, prefix) + rest


def match_interface(text: str, rows: Sequence[dict[str, Any]], model: str = "dcim.interface") -> Resolution:
    """The interface of one device named `text` ("Gi0/0/0" = GigabitEthernet0/0/0); never a guess on a
    digit."""

    def found(r: dict[str, Any], sc: float = 100.0) -> Found:
        return Found(Ref(model=model, id=int(r["id"]), label=str(r.get("name") or r.get("display"))), sc, r)

    exact = [r for r in rows if str(r.get("name", "")).lower() == text.strip().lower()]
    if exact:
        return Resolution(text, "ok", model, [found(exact[0])], [found(exact[0])])
    canon = canonical_interface(text)
    same = [r for r in rows if canonical_interface(str(r.get("name", ""))) == canon]
    if len(same) == 1:
        return Resolution(text, "ok", model, [found(same[0])], [found(same[0])])
    if same:
        return Resolution(text, "ambiguous", model, candidates=[found(r) for r in same], total=len(same))
    # Interface names differ by a digit: no fuzzy guess, only the closest names to choose from.
    ranked = sorted(
        (found(r, float(fuzz.ratio(canon, canonical_interface(str(r.get("name", "")))))) for r in rows),
        key=lambda f: -f.score,
    )
    return Resolution(text, "not_found", model, candidates=ranked[:5])
