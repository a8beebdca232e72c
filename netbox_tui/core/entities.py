"""Resolving names as typed ("dm akron", "akorn", "routers", "Gi0/0/0") to NetBox objects.

Small tables (sites, regions, roles, tenants…) are fetched once with only id/name/slug and
cached; large ones (devices, racks, VMs) are searched with a case-insensitive exact match, then
with the name's tokens OR'ed in one request. Scoring uses rapidfuzz. Ambiguity returns
candidates; nothing is guessed silently.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Optional, Sequence

from rapidfuzz import fuzz

from netbox_tui.netbox.client import NetBoxClient


@dataclass(frozen=True)
class Kind:
    key: str
    object_type: str
    path: str
    label: str = "name"  # the field users type: name, model (device types), cid (circuits)
    large: bool = False  # searched per question instead of listed whole
    extra: tuple[str, ...] = ()  # more fields worth fetching for display or disambiguation
    noun: str = ""

    @property
    def fields(self) -> list[str]:
        base = ["id", "display", self.label] + ([] if self.large else ["slug"])  # large kinds have no slug
        return list(dict.fromkeys(base + list(self.extra)))


KINDS: dict[str, Kind] = {k.key: k for k in [
    Kind("site", "dcim.site", "dcim/sites/", extra=("region",), noun="site"),
    Kind("region", "dcim.region", "dcim/regions/", extra=("parent",), noun="region"),
    Kind("site_group", "dcim.sitegroup", "dcim/site-groups/", noun="site group"),
    Kind("location", "dcim.location", "dcim/locations/", extra=("site",), noun="location"),
    Kind("tenant", "tenancy.tenant", "tenancy/tenants/", noun="tenant"),
    Kind("role", "dcim.devicerole", "dcim/device-roles/", noun="device role"),
    Kind("platform", "dcim.platform", "dcim/platforms/", noun="platform"),
    Kind("manufacturer", "dcim.manufacturer", "dcim/manufacturers/", noun="manufacturer"),
    Kind("device_type", "dcim.devicetype", "dcim/device-types/", label="model", extra=("u_height", "manufacturer"), noun="device type"),
    Kind("vlan_group", "ipam.vlangroup", "ipam/vlan-groups/", noun="VLAN group"),
    Kind("vrf", "ipam.vrf", "ipam/vrfs/", extra=("rd",), noun="VRF"),
    Kind("cluster", "virtualization.cluster", "virtualization/clusters/", noun="cluster"),
    Kind("provider", "circuits.provider", "circuits/providers/", noun="provider"),
    Kind("tag", "extras.tag", "extras/tags/", noun="tag"),
    Kind("rack", "dcim.rack", "dcim/racks/", large=True, extra=("site", "location"), noun="rack"),
    Kind("device", "dcim.device", "dcim/devices/", large=True, extra=("site",), noun="device"),
    Kind("virtual_machine", "virtualization.virtualmachine", "virtualization/virtual-machines/", large=True, extra=("cluster",), noun="virtual machine"),
    Kind("circuit", "circuits.circuit", "circuits/circuits/", label="cid", large=True, extra=("provider",), noun="circuit"),
    Kind("vlan", "ipam.vlan", "ipam/vlans/", large=True, extra=("vid", "site", "group"), noun="VLAN"),
]}

# Where a loosely named place or container is looked for, by the kind of object asked about.
SCOPE_KINDS: dict[str, tuple[str, ...]] = {
    "dcim.device": ("site", "location", "region", "tenant", "site_group", "manufacturer", "platform", "rack"),
    "ipam.vlan": ("site", "vlan_group", "region", "tenant"),
    "ipam.prefix": ("site", "vrf", "region", "tenant", "vlan_group"),
    "ipam.ipaddress": ("vrf", "tenant", "device"),
    "dcim.site": ("region", "site_group", "tenant"),
    "dcim.rack": ("site", "location", "region", "tenant", "rack"),
    "circuits.circuit": ("provider", "site", "region", "tenant"),
    "virtualization.virtualmachine": ("cluster", "site", "tenant", "region"),
    "virtualization.cluster": ("site", "region", "tenant"),
    "dcim.interface": ("device", "site", "location", "region"),
    "dcim.cable": ("site", "location", "device", "rack"),
    "tenancy.tenant": (),
}
DEFAULT_SCOPE = ("site", "region", "tenant")

MATCH_SCORE = 65.0  # below: not a match
CLEAR_MARGIN = 10.0  # best must beat the runner-up by this much to be taken without asking
STRONG_SCORE = 92.0  # stop looking in further kinds


@dataclass(frozen=True)
class Entity:
    kind: str
    id: int
    name: str
    slug: str = ""
    display: str = ""
    raw: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        return self.display or self.name


@dataclass
class Resolution:
    kind: str
    text: str
    status: Literal["ok", "ambiguous", "not_found"]
    matches: list[Entity] = field(default_factory=list)  # one, or several when a word names a group (roles)
    candidates: list[tuple[Entity, float]] = field(default_factory=list)  # best first

    @property
    def entity(self) -> Optional[Entity]:
        return self.matches[0] if self.matches else None


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def singular_phrase(text: str) -> str:
    from netbox_tui.core.classifier import _singular

    return " ".join(_singular(w) for w in text.split())


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z]+|\d+", text.lower())


def score(query: str, name: str, slug: str = "") -> float:
    """0-100, token by token: every word typed must match a word of the name.

    Whole-string similarity would take "hartford" for "DM-Stamford" (they share "dm" and "ford");
    per-token, "hartford" vs "stamford" scores 62 and is refused. Digit groups must agree exactly
    (R105 is not R106; JBB Branch 120 is not 104).
    """
    q = norm(query)
    if not q:
        return 0.0
    if q in (norm(name), norm(slug)):
        return 100.0
    q_tokens = _tokens(query)
    n_tokens = _tokens(name) + _tokens(slug)
    if not q_tokens or not n_tokens:
        return 0.0
    per = []
    for qt in q_tokens:
        if qt.isdigit():
            per.append(100.0 if qt in n_tokens else 0.0)
        else:
            per.append(max(fuzz.ratio(qt, nt) for nt in n_tokens if not nt.isdigit()) if any(not nt.isdigit() for nt in n_tokens) else 0.0)
    # Typed without separators ("dmakron"): compare against the name's joined words too.
    worst = min(per)
    # One badly matched word sinks the match: "dmi01-hartford-rtr01" is not "dmi01-stamford-rtr01".
    tokenwise = worst if worst < 70 else worst * 0.7 + (sum(per) / len(per)) * 0.3
    joined = fuzz.ratio(q, norm(name)) if len(q_tokens) == 1 else 0.0  # typed without separators: "dmakron"
    # 100 is kept for the exact name: "DM-Nashua" must beat "DM-Nashua 2", whose words all match too.
    return min(max(tokenwise, joined), 99.0)


def rank(query: str, entities: Sequence[Entity], limit: int = 5) -> list[tuple[Entity, float]]:
    scored = [(e, score(query, e.name, e.slug)) for e in entities]
    scored.sort(key=lambda p: (-p[1], p[0].name))
    return scored[:limit]


def decide(kind: str, text: str, ranked: list[tuple[Entity, float]]) -> Resolution:
    if not ranked or ranked[0][1] < MATCH_SCORE:
        return Resolution(kind, text, "not_found", candidates=ranked[:3])
    exact = [e for e, s in ranked if s >= 100.0]
    if len(exact) == 1:
        return Resolution(kind, text, "ok", [exact[0]], ranked)
    if len(exact) > 1:
        return Resolution(kind, text, "ambiguous", candidates=[(e, 100.0) for e in exact])
    best, runner = ranked[0][1], (ranked[1][1] if len(ranked) > 1 else 0.0)
    if best - runner >= CLEAR_MARGIN:
        return Resolution(kind, text, "ok", [ranked[0][0]], ranked)
    close = [(e, s) for e, s in ranked if best - s < CLEAR_MARGIN]
    return Resolution(kind, text, "ambiguous", candidates=close)


def _entity(kind: Kind, row: dict[str, Any]) -> Entity:
    name = str(row.get(kind.label) or row.get("name") or row.get("display") or "")
    return Entity(kind.key, int(row["id"]), name, str(row.get("slug") or ""), str(row.get("display") or name), row)


class EntityResolver:
    """Per backend; small tables are held in memory for the session on top of the disk cache."""

    def __init__(self, client: NetBoxClient) -> None:
        self.client = client
        self._tables: dict[str, list[Entity]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def table(self, key: str) -> list[Entity]:
        """All objects of a small kind, id/name/slug only (one request, cached 1 h)."""
        kind = KINDS[key]
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self._tables:
                rows = await self.client.list_all(kind.path, None, fields=kind.fields, kind="device")
                self._tables[key] = [_entity(kind, r) for r in rows]
        return self._tables[key]

    async def search(self, key: str, text: str, params: Optional[dict[str, Any]] = None, *,
                     mode: Literal["both", "exact", "words"] = "both") -> list[Entity]:
        """Large kinds: exact (case-insensitive) first, else any object whose name holds a token.

        The exact look-up fetches the columns a table shows, so a lookup needs no second request.
        """
        from netbox_tui.core.columns import fields_for

        kind = KINDS[key]
        label = kind.label
        base = dict(params or {})
        wide = list(dict.fromkeys(kind.fields + fields_for(kind.object_type)))
        if key == "vlan" and text.strip().isdigit():
            page = await self.client.page(kind.path, {**base, "vid": int(text)}, limit=1000, fields=wide, kind="vlan")
            return [_entity(kind, r) for r in page.results]
        if mode != "words":
            page = await self.client.page(kind.path, {**base, f"{label}__ie": text.strip()}, limit=100, fields=wide, kind="device")
            if page.results or mode == "exact":
                return [_entity(kind, r) for r in page.results]
        tokens = [t for t in re.split(r"[\s\-_./:]+", text) if len(t) >= 2 and not t.isdigit()] or [text.strip()]
        page = await self.client.page(kind.path, {**base, f"{label}__ic": tokens[:8]}, limit=1000, fields=wide, kind="device")
        if not page.results:
            # Nothing holds the words: offer names that start alike ("KKDG9999" -> KKDG4923), so a
            # not-found answer still has closest names. Only on this path: one more request.
            stem = max((re.match(r"[A-Za-z]{3,}", t) for t in tokens), key=lambda m: len(m.group(0)) if m else 0, default=None)
            if stem:
                page = await self.client.page(kind.path, {**base, f"{label}__isw": stem.group(0)}, limit=100, fields=wide, kind="device")
        return [_entity(kind, r) for r in page.results]

    async def resolve(self, key: str, text: str, params: Optional[dict[str, Any]] = None, *,
                      mode: Literal["both", "exact", "words"] = "both") -> Resolution:
        kind = KINDS[key]
        if key == "role":
            return await self._resolve_role(text)
        entities = await (self.search(key, text, params, mode=mode) if kind.large else self.table(key))
        if key == "vlan" and text.strip().isdigit():
            if len(entities) == 1:
                return Resolution(key, text, "ok", entities)
            if entities:
                return Resolution(key, text, "ambiguous", candidates=[(e, 100.0) for e in entities])
            return Resolution(key, text, "not_found")
        return decide(key, text, rank(text, entities))

    async def _resolve_role(self, text: str) -> Resolution:
        """'routers' -> Router; 'switches' -> every role whose name has the word switch."""
        roles = await self.table("role")
        phrase = norm(singular_phrase(text))
        exact = [r for r in roles if norm(r.name) == phrase or norm(r.slug) == phrase]
        if exact:
            return Resolution("role", text, "ok", exact[:1])
        head = norm(singular_phrase(text.split()[-1])) if text.split() else phrase
        if phrase == head:
            group = [r for r in roles if head and head in norm(r.name)]
            if group:
                return Resolution("role", text, "ok", group)
        return decide("role", text, rank(singular_phrase(text), roles))

    async def resolve_scope(self, kinds: Sequence[str], text: str) -> Resolution:
        """Try each kind in order; a strong match ends the search (fewer requests)."""
        best: Optional[Resolution] = None
        best_score = -1.0
        for key in kinds:
            res = await self.resolve(key, text)
            top = res.candidates[0][1] if res.candidates else (100.0 if res.status == "ok" else 0.0)
            if res.status == "ok" and top >= STRONG_SCORE:
                return res
            if res.status != "not_found" and top > best_score:
                best, best_score = res, top
            elif best is None and res.status == "not_found":
                best = res if not best or (res.candidates and not best.candidates) else best
        if best is not None and best.status != "not_found":
            return best
        # Nothing matched: report the closest names over all kinds tried.
        tried = [c for k in kinds if k in self._tables for c in rank(text, self._tables[k], 3)]
        tried.sort(key=lambda p: -p[1])
        return Resolution(kinds[0] if kinds else "site", text, "not_found", candidates=tried[:3])


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


def canonical_interface(name: str) -> str:
    m = re.match(r"^\s*([a-zA-Z][a-zA-Z\-]*?)-?\s*(\d.*)$", name.strip())
    if not m:
        return name.strip().lower()
    prefix, rest = m.group(1).lower().rstrip("-"), m.group(2).lower()
    return _IFACE_PREFIX.get(prefix, prefix) + rest


def match_interface(text: str, interfaces: Sequence[Entity]) -> Resolution:
    exact = [i for i in interfaces if i.name.lower() == text.strip().lower()]
    if exact:
        return Resolution("interface", text, "ok", exact[:1])
    canon = canonical_interface(text)
    same = [i for i in interfaces if canonical_interface(i.name) == canon]
    if len(same) == 1:
        return Resolution("interface", text, "ok", same)
    if same:
        return Resolution("interface", text, "ambiguous", candidates=[(i, 100.0) for i in same])
    # Interface names differ by a digit: no fuzzy guess, only the closest names to choose from.
    ranked = [(i, float(fuzz.ratio(canon, canonical_interface(i.name)))) for i in interfaces]
    ranked.sort(key=lambda p: -p[1])
    return Resolution("interface", text, "not_found", candidates=ranked[:5])
