"""Offline classifier: rules turn a question into a typed Intent, with names kept as typed.

Names are resolved against NetBox later (entities.py); here we only decide what is asked and
which words name what. Works with no network and no LLM.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from netbox_tui.core.intent import Filters, Intent, IntentKind, ObjectType
from netbox_tui.errors import NetBoxTUIError, WriteRefusedError

MAX_QUESTION_CHARS = 500


class BadQuestionError(NetBoxTUIError):
    kind = "bad_question"
    title = "Question not understood"
    default_hint = 'Ask about NetBox objects, e.g. "VLANs at DM-Akron", "interfaces on ncsu-coreswitch1", "free IPs in 10.112.129.0/24".'


# Terminal escape sequences: CSI (colours, cursor), OSC (window title…), and two-character ones.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]|\x1b[@-_]")


def clean_question(raw: str) -> str:
    """Drop control and format characters (terminal escapes included), collapse whitespace."""
    text = _ESCAPES.sub(" ", raw)
    text = "".join("" if unicodedata.category(c) == "Cf" else " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return re.sub(r"\s+", " ", text).strip()


# Asking to change NetBox: refused in words, never attempted.
_WRITE_ANYWHERE = re.compile(r"\b(delete|remove|destroy|wipe|purge|erase|truncate|decommission them|shut ?down)\b", re.I)
_WRITE_LEADING = re.compile(
    r"^(please\s+|can you\s+|could you\s+|go\s+)?(create|add|update|change|set|rename|assign|modify|edit|drop|move|provision|allocate|reserve)\b(?![ -]panels?)",
    re.I,
)


def check_question(raw: str) -> str:
    if raw is None or not raw.strip():
        raise BadQuestionError("the question is empty")
    if len(raw) > MAX_QUESTION_CHARS * 4:
        raise BadQuestionError(
            f"the question is {len(raw):,} characters long; netbox-tui takes up to {MAX_QUESTION_CHARS}",
            "Ask one thing at a time in a sentence or two; paste names, not whole configs or tables.",
        )
    text = clean_question(raw)
    if not text:
        raise BadQuestionError("the question holds only control characters")
    if len(text) > MAX_QUESTION_CHARS:
        raise BadQuestionError(
            f"the question is {len(text):,} characters long; netbox-tui takes up to {MAX_QUESTION_CHARS}",
            "Ask one thing at a time in a sentence or two.",
        )
    if _WRITE_ANYWHERE.search(text) or _WRITE_LEADING.search(text):
        raise WriteRefusedError(
            "netbox-tui is read-only: it will not create, change or delete anything in NetBox",
            "Make changes in NetBox itself. I can show what would be affected, e.g. \"devices at DM-Akron\" or \"interfaces on <device>\".",
        )
    return text


# Object words, longest first; the first one found in the question is the target.
_OBJECT_WORDS: list[tuple[str, ObjectType]] = [
    (r"ip[ -]?addresse?s?|ips|addresses", ObjectType.ip_address),
    (r"vlan[ -]groups?", ObjectType.vlan_group),
    (r"virtual[ -]machines?|vms?", ObjectType.virtual_machine),
    (r"device[ -]types?|hardware models?", ObjectType.device_type),
    (r"device[ -]roles?", ObjectType.device_role),
    (r"circuit[ -]terminations?", ObjectType.circuit_termination),
    (r"prefix(?:es)?|subnets?|networks?", ObjectType.prefix),
    (r"vlans?", ObjectType.vlan),
    (r"interfaces?|ports?|nics?", ObjectType.interface),
    (r"cables?|cabling", ObjectType.cable),
    (r"circuits?", ObjectType.circuit),
    (r"clusters?", ObjectType.cluster),
    (r"racks?|cabinets?", ObjectType.rack),
    (r"sites?|branch(?:es)?|branch offices?|offices?|campus(?:es)?", ObjectType.site),
    (r"regions?", ObjectType.region),
    (r"tenants?|customers?", ObjectType.tenant),
    (r"providers?|carriers?|isps?", ObjectType.provider),
    (r"vrfs?", ObjectType.vrf),
    (r"platforms?", ObjectType.platform),
    (r"manufacturers?|vendors?|makers?", ObjectType.manufacturer),
    (r"locations?", ObjectType.location),
    (r"aggregates?", ObjectType.aggregate),
    (r"ip", ObjectType.ip_address),
    (r"devices?|hosts?|boxes|equipment|hardware|nodes?|inventory", ObjectType.device),
]
_OBJECT_RE = [(re.compile(rf"\b(?:{p})\b", re.I), t) for p, t in _OBJECT_WORDS]

# Device roles named as nouns: "routers", "core switches", "tor switches", "pdus".
_ROLE_HEAD = r"(?:routers?|switch(?:es)?|firewalls?|pdus?|servers?|patch[ -]panels?|load[ -]balancers?|access[ -]points?|gateways?|controllers?|appliances?)"
_ROLE_RE = re.compile(rf"(?<![\w-])((?:[a-z0-9]+[ -])?{_ROLE_HEAD})(?![\w-])", re.I)
_ROLE_STOP = {"the", "all", "me", "show", "list", "my", "our", "any", "which", "what", "of", "at", "in", "on", "are", "is", "find", "get", "every", "each", "those", "these", "many", "how"}

_STATUS_WORDS = {
    "active": "active", "planned": "planned", "offline": "offline", "failed": "failed", "staged": "staged",
    "decommissioning": "decommissioning", "inventory": "inventory", "reserved": "reserved", "deprecated": "deprecated",
    "available": "available", "container": "container", "dhcp": "dhcp", "retired": "decommissioning",
}

_NONE = r"(?:no|without|missing|lacking|lack|with no|has no|have no|lacks|empty|blank|don'?t have|do not have|doesn'?t have|does not have|not have)"
# The fields an audit looks for, each as users name it.
_AUDIT_FIELDS = {
    "no_primary_ip": r"primary[ -]?ip(?:v?[46])?(?:[ -]?address(?:es)?)?",
    "no_serial": r"serial(?:[ -]?numbers?)?",
    "no_platform": r"platforms?",
    "no_tenant": r"tenants?",
    "no_asset_tag": r"asset[ -]?tags?",
}
_AUDITS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:interfaces?|ports?)\b.*?(?P<take>\b(?:have|has|with)?\s*(?:no|without)\s+(?:a\s+)?cables?)\b", re.I), "unconnected_interfaces"),
    # "where the platform is missing"
    *((re.compile(rf"\b(?:{field})\s+(?:is|are)\s+(?:missing|empty|blank|not set|unset|null)\b", re.I), audit) for audit, field in _AUDIT_FIELDS.items()),
    # "without a serial", "don't have a primary IPv4 address"
    *((re.compile(rf"\b{_NONE}\b[\w\s]{{0,12}}?\b(?:{field})\b", re.I), audit) for audit, field in _AUDIT_FIELDS.items()),
    (re.compile(r"\b(?:unconnected|uncabled|not connected|not cabled|without (?:a )?cables?|no cables?|unused|free)\b[\w\s]{0,10}?\b(?:interfaces?|ports?)\b", re.I), "unconnected_interfaces"),
]


def _span(m: re.Match[str]) -> tuple[int, int]:
    """What a rule consumes: its `take` group if it has one (the rest is still to be read)."""
    return m.span("take") if "take" in m.re.groupindex and m.group("take") is not None else m.span()


_METRICS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:free|available|unused|unassigned|next)\b[\w\s]{0,10}?\b(?:ips?|ip addresses|addresses)\b|\b(?:ips?|addresses)\b[\w\s]{0,20}?\b(?:free|available|unused|unassigned)\b", re.I), "available_ips"),
    (re.compile(r"\b(?:connected to|connects? to|plugged into|plugged in|patched to|cable (?:path|trace)|trace|far[ -]end|other end|neighbou?rs? of|peer of|what'?s on the other end|leads? to|goes to)\b|(?P<take>\bwhere does\b)(?=.*\bgo\b)", re.I), "cable_trace"),
    (re.compile(r"\bvlans?\b.*\b(?:with|and)\b.*\b(?:devices?|interfaces?|ports?)\b|\bvlan topology\b|\btopology\b.*\bvlans?\b|\b(?:devices?|interfaces?|ports?|where)\b.*\b(?:carry|carrying|use|using|on|in)\b.*\bvlan\b\s*\d+", re.I), "vlan_topology"),
    (re.compile(r"\brack\w*\b.*\b(?:utili[sz]ation|utili[sz]ed|usage|used|space|capacity|how full|full|free u|fill)\b|\b(?:utili[sz]ation|usage|space|capacity|how full)\b.*\bracks?\b", re.I), "rack_utilisation"),
    (re.compile(r"\b(?:how full|utili[sz]ation|utili[sz]ed|usage|used|capacity|fill|how much)\b", re.I), "prefix_utilisation"),
    (re.compile(r"\b(?:summari[sz]e|summary|overview|tell me about|describe|what(?:'s| is) at)\b", re.I), "site_summary"),
    (re.compile(r"\b(?:port usage|ports? (?:used|free|in use)|free ports|used ports|port utili[sz]ation|port count)\b", re.I), "interface_usage"),
]

_CIDR = re.compile(r"(?<![\w.:])((?:\d{1,3}\.){3}\d{1,3}/\d{1,2}|[0-9a-f:]*:[0-9a-f:]+/\d{1,3})(?![\w.])", re.I)
_IP = re.compile(r"(?<![\w./:])((?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})(?![\w./])", re.I)

# Interface names: Cisco (GigabitEthernet0/0/0, Gi1/0/1, Te1/1, Eth1/1, Po1, Vlan10),
# Juniper (et-0/0/1, xe-0/0/0, ge-1/0/2), Arista (Ethernet1, Management1), Linux (eth0, ens3).
_IFACE = re.compile(
    r"(?<![\w-])("
    r"[a-z]{1,3}-\d+(?:/\d+){1,3}(?::\d+)?(?:\.\d+)?"  # et-0/0/1, xe-0/0/0:1
    r"|[a-z][a-z\-]*?\d+(?:/\d+)+(?:\.\d+)?"  # GigabitEthernet0/0/0, Gi1/0/1, Te1/1
    r"|(?:gi|gig|te|ten|fa|fas|eth|et|po|lo|vl|tu|mgmt|ma|management|ethernet|gigabitethernet|tengigabitethernet|fastethernet|port-channel|loopback|vlan|tunnel|ens|enp|em|bond|ae|irb)\s?\d+(?:\.\d+)?"
    r")(?![\w/-])",
    re.I,
)

# Unmistakable interface names (a slash, or Juniper's type-fpc/pic/port): safe to read anywhere.
_IFACE_STRICT = re.compile(r"(?<![\w-])([a-z]{1,3}-\d+(?:/\d+){1,3}(?::\d+)?(?:\.\d+)?|[a-z][a-z\-]*?\d+(?:/\d+)+(?:\.\d+)?)(?![\w/-])", re.I)

_PREPS = r"at|in|on|from|for|of|within|inside|under|behind|by|to|across|per"
_STOP_NAME = {
    "at", "in", "on", "from", "for", "of", "with", "without", "and", "or", "that", "which", "where", "having", "whose",
    "by", "to", "is", "are", "has", "have", "connected", "their", "its", "plus", "including", "grouped", "sorted",
    "ordered", "please", "now", "today", "only", "status", "role", "using", "carrying", "show", "list",
    "does", "do", "did", "have", "carry", "carries", "use", "uses", "running", "runs", "connect", "connects", "go",
    "goes", "enabled", "disabled", "exist", "exists", "topology", "topologies", "map", "assignments", "usage",
    "utilisation", "utilization", "summary", "report", "overview", "right", "currently", "made", "built",
    "manufactured",
}
_TYPED_SLOTS = {
    "site": "site", "region": "region", "rack": "rack", "cluster": "cluster", "tenant": "tenant", "customer": "tenant",
    "vrf": "vrf", "provider": "provider", "carrier": "provider", "platform": "platform", "role": "role",
    "location": "scope", "vlan": "vlan", "device": "device", "host": "device", "router": "device", "switch": "device",
    "interface": "interface", "port": "interface", "prefix": "prefix", "subnet": "prefix", "manufacturer": "manufacturer",
    "vendor": "manufacturer", "tag": "tag", "model": "device_type", "type": "device_type", "vm": "name",
    "circuit": "name", "cable": "name", "running": "platform", "made by": "manufacturer", "built by": "manufacturer",
    "manufactured by": "manufacturer", "from vendor": "manufacturer",
}


def _singular(word: str) -> str:
    w = word.lower()
    for suffix, repl in (("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("ies", "y"), ("sses", "ss"), ("s", "")):
        if w.endswith(suffix) and len(w) > len(suffix) + 1 and not w.endswith("ss"):
            return w[: -len(suffix)] + repl
    return w


@dataclass
class _Scan:
    """The question as it is consumed: matched spans are blanked so later rules do not reuse them."""

    text: str

    def take(self, span: tuple[int, int]) -> None:
        a, b = span
        self.text = self.text[:a] + " " * (b - a) + self.text[b:]


def _name_after(text: str, start: int) -> Optional[str]:
    """The name that starts at `start`: words up to a stop word, object word or punctuation."""
    words = re.findall(r"[^\s,;?!()]+", text[start:])
    out: list[str] = []
    for i, w in enumerate(words):
        lw = w.lower().strip(".'\"")
        following = words[i + 1] if i + 1 < len(words) else ""
        if out and _is_object_word(lw) and not re.match(r"\d", following):  # "JBB Branch 109" stays whole
            break
        if lw in _STOP_NAME:
            break
        if lw in ("the", "a", "an", "called", "named") and not out:
            continue
        out.append(w.strip("'\"").rstrip("."))
        if len(out) >= 5:
            break
    name = " ".join(out).strip()
    return name or None


class RuleClassifier:
    """Deterministic rules; every decision is local and easy to test on phrasings."""

    def classify(self, question: str) -> Intent:
        text = check_question(question)
        # "how many devices does DM-Buffalo have" reads as "how many devices at DM-Buffalo".
        text = re.sub(r"\b(?:does|do|did)\s+(?!(?:we|you|i|they|us)\b)(.+?)\s+(?:have|has|own|hold|contain|carry)\b", r"at \1", text, flags=re.I)
        scan = _Scan(text)
        filters: dict[str, str] = {}
        audit = self._audit(scan)
        metric = self._metric(scan, text)

        cidr = _CIDR.search(scan.text)
        if cidr:
            filters["prefix"] = cidr.group(1)
            scan.take(cidr.span())
        ip = _IP.search(scan.text) if not cidr else None
        if ip and _is_ip(ip.group(1)):
            filters["ip"] = ip.group(1)
            scan.take(ip.span())
        leading = self._leading_name(scan)
        target = self._target(scan, metric, audit, filters)

        if metric == "cable_trace" or target in (None, ObjectType.interface, ObjectType.device) or _IFACE_STRICT.search(scan.text):
            self._device_and_interface(scan, filters, strict=metric != "cable_trace" and target is not ObjectType.interface)
            if "interface" in filters and target in (None, ObjectType.device):
                target = ObjectType.interface
        self._typed_slots(scan, filters)
        role = self._role(scan, target)
        if role:
            filters["role"] = role
            target = target if target not in (None, ObjectType.device_role) else ObjectType.device
        status = self._status(scan, metric)
        if status:
            filters["status"] = status
        self._loose_scope(scan, filters, target)
        if "device" not in filters and "name" not in filters:
            hostname = self._hostname(scan)
            if hostname:
                filters["device" if target not in (None, ObjectType.device) else "name"] = hostname

        if leading and not ({"scope", "device", "name"} & set(filters)):
            filters["scope" if target is not None else "name"] = leading
        # Beside interfaces, IPs and cables (or port usage), a hostname-like place is the device.
        if (target in (ObjectType.interface, ObjectType.ip_address, ObjectType.cable) or metric == "interface_usage") \
                and "scope" in filters and "device" not in filters and _looks_like_hostname(filters["scope"]):
            filters["device"] = filters.pop("scope")
        if metric == "site_summary" and "device" in filters and "name" not in filters:
            filters["name"] = filters.pop("device")  # "overview of DM-Buffalo": what it is, the planner finds
        leftover = _leftover(scan.text)
        if leftover and metric == "site_summary" and not filters:
            filters["name"] = leftover
        elif leftover and not filters and not metric and not audit:
            # Never drop words silently: a bare name is looked up across kinds ("DM-Akron", "jbb 1");
            # beside an object type it is NetBox's own search ("jbb branches" -> sites?q=jbb).
            filters["name" if target is None else "search"] = leftover
        # "summarize X" without saying what X is: found among sites, devices… by the planner.
        type_given = target is not None or bool(set(filters) - {"name"}) or bool(audit) or bool(metric and metric != "site_summary")
        if metric == "site_summary" and not type_given and _looks_like_hostname(filters.get("name", "")):
            metric = None  # "tell me about dmi01-akron-rtr01": a device lookup, with its related counts
        if "ip" in filters and target in (None, ObjectType.device):
            target = ObjectType.ip_address  # "what device uses 10.1.2.3": the IP's assignment answers it
        if "prefix" in filters and target in (None, ObjectType.ip_address) and _has_host_bits(filters["prefix"]):
            filters["ip"] = filters.pop("prefix")  # "IP address 172.20.0.3/24" is one address
            target = ObjectType.ip_address
        target = self._default_target(target, filters, metric, audit)
        if target is ObjectType.device and "device" in filters and "name" not in filters and not metric and not audit and set(filters) <= {"device", "status"}:
            filters["name"] = filters.pop("device")  # "serial number of X", "details of X": X itself
        kind = self._kind(target, filters, metric, audit)
        related = self._related(target, metric)
        complexity = "complex" if metric in ("vlan_topology", "site_summary", "rack_utilisation") else (
            "moderate" if (filters or metric or audit) else "simple"
        )
        fmt = {"cable_trace": "trace", "vlan_topology": "topology", "site_summary": "summary"}.get(metric or "", "table")
        if kind is IntentKind.device_lookup and fmt == "table":
            fmt = "single"
        return Intent(
            kind=kind,
            target=target,
            related=related,
            filters=Filters(**filters),
            audit=audit,  # type: ignore[arg-type]
            metric=metric,  # type: ignore[arg-type]
            complexity=complexity,  # type: ignore[arg-type]
            expected_format=fmt,  # type: ignore[arg-type]
            type_given=type_given,
            source="rules",
        )

    # -- pieces ----------------------------------------------------------------------------------

    def _audit(self, scan: _Scan) -> Optional[str]:
        for rx, name in _AUDITS:
            m = rx.search(scan.text)
            if m:
                scan.take(_span(m))
                return name
        return None

    def _metric(self, scan: _Scan, text: str) -> Optional[str]:
        for rx, name in _METRICS:
            m = rx.search(scan.text)
            if not m:
                continue
            if name == "prefix_utilisation" and not (_CIDR.search(text) or re.search(r"\b(prefix|subnet|network|pool)", text, re.I)):
                continue
            if name == "site_summary" and _CIDR.search(text):
                continue
            if name == "vlan_topology":
                return name  # keep the words: "vlan 100" is still a slot
            if name != "available_ips":
                scan.take(_span(m))
            return name
        return None

    def _target(self, scan: _Scan, metric: Optional[str], audit: Optional[str], filters: dict[str, str]) -> Optional[ObjectType]:
        if metric == "vlan_topology":
            return ObjectType.vlan
        if metric == "cable_trace":
            return ObjectType.interface
        if metric in ("prefix_utilisation", "available_ips"):
            return ObjectType.prefix
        if metric == "rack_utilisation":
            return ObjectType.rack
        if metric == "interface_usage":
            return ObjectType.device
        if audit == "unconnected_interfaces":
            return ObjectType.interface
        found = sorted(
            ((m.start(), otype, m.span()) for rx, otype in _OBJECT_RE for m in rx.finditer(scan.text)),
            key=lambda t: t[0],
        )
        best = next((f for f in found if not self._is_typed_slot(scan.text, f[2])), None)
        if best is None:
            return None
        _, otype, span = best
        scan.take(span)
        # "site DM-Nashua", "device dmi01-akron-rtr01": a name right after the object word names it.
        name = _name_after(scan.text, span[1])
        if name and not _is_object_word(name) and not _ROLE_RE.fullmatch(name):
            slot = "interface" if otype is ObjectType.interface and _IFACE.fullmatch(name) else "name"
            filters[slot] = name
            scan.take((span[1], span[1] + len(scan.text[span[1]:]) - len(scan.text[span[1]:].lstrip()) + len(name)))
        return otype

    @staticmethod
    def _is_typed_slot(text: str, span: tuple[int, int]) -> bool:
        """'rack R105' in 'devices in rack R105' is a slot, not the target."""
        before = text[: span[0]].strip().lower()
        return bool(re.search(rf"\b(?:{_PREPS})$", before))

    def _leading_name(self, scan: _Scan) -> Optional[str]:
        # The first object word that is not part of a name ("JBB Branch 127" keeps "Branch").
        first = min((m.start() for rx, _ in _OBJECT_RE for m in rx.finditer(scan.text)
                     if not re.match(r"\s+\d", scan.text[m.end():])), default=None)
        if not first:
            return None
        head = scan.text[:first]
        words = [w for w in re.findall(r"[^\s,;?!()]+", head)]
        keep = [w for w in words if w.lower().strip(".'\"") not in _FILLER | _LEADING_NOT_NAMES | set(_STATUS_WORDS)]
        if not keep or len(keep) > 4 or _ROLE_RE.search(" ".join(keep)) or _IFACE_STRICT.search(" ".join(keep)):
            return None
        name = " ".join(keep)
        start = head.find(keep[0])
        end = head.rfind(keep[-1]) + len(keep[-1])
        scan.take((start, end))
        return name

    def _device_and_interface(self, scan: _Scan, filters: dict[str, str], strict: bool = False) -> None:
        m = (_IFACE_STRICT if strict else _IFACE).search(scan.text)
        if not m:
            return
        filters["interface"] = m.group(1).replace(" ", "")
        scan.take(m.span())
        host = self._hostname(scan, before=m.start()) or self._hostname(scan)
        if host:
            filters["device"] = host

    def _typed_slots(self, scan: _Scan, filters: dict[str, str]) -> None:
        words = "|".join(sorted(_TYPED_SLOTS, key=len, reverse=True))
        rx = re.compile(rf"\b({words})\b(?:\s+(?:named|called|name))?\s+", re.I)
        pos = 0
        while True:
            m = rx.search(scan.text, pos)
            if not m:
                return
            pos = m.end()
            slot = _TYPED_SLOTS[m.group(1).lower()]
            name = _name_after(scan.text, m.end())
            if not name or _is_object_word(name) or slot in filters:
                continue  # "interfaces carry…", "vlan topology": not a name
            scan.take((m.start(), m.end() + len(name)))
            filters[slot] = name

    def _role(self, scan: _Scan, target: Optional[ObjectType]) -> Optional[str]:
        if target not in (None, ObjectType.device, ObjectType.device_role):
            return None
        m = _ROLE_RE.search(scan.text)
        if not m:
            return None
        phrase = m.group(1)
        first, _, rest = phrase.partition(" ")
        if rest and first.lower() in _ROLE_STOP:
            phrase = rest
        scan.take(m.span())
        return phrase.strip()

    def _status(self, scan: _Scan, metric: Optional[str]) -> Optional[str]:
        for word, value in _STATUS_WORDS.items():
            if metric == "available_ips" and word == "available":
                continue
            m = re.search(rf"\b{word}\b", scan.text, re.I)
            if m and not re.search(rf"\b{word}\s+(?:ips?|addresses|prefixes)\b", scan.text, re.I):
                scan.take(m.span())
                return value
        return None

    def _loose_scope(self, scan: _Scan, filters: dict[str, str], target: Optional[ObjectType]) -> None:
        for m in re.finditer(rf"\b({_PREPS})\s+", scan.text, re.I):
            name = _name_after(scan.text, m.end())
            if not name or _is_object_word(name) or name.lower() in ("all", "every", "each", "this", "that"):
                continue
            prep = m.group(1).lower()
            scan.take((m.start(), m.end() + len(name)))
            if prep in ("on", "of", "to", "behind") and target in (ObjectType.interface, ObjectType.ip_address, ObjectType.cable, None):
                filters.setdefault("device", name)
            elif prep == "from" and target is ObjectType.circuit:
                filters.setdefault("provider", name)
            elif target is ObjectType.virtual_machine and prep in ("in", "on"):
                filters.setdefault("scope", name)
            else:
                filters.setdefault("scope", name)
            return

    def _hostname(self, scan: _Scan, before: Optional[int] = None) -> Optional[str]:
        """A word that looks like a device name: letters with digits or dashes (dmi01-akron-rtr01)."""
        text = scan.text if before is None else scan.text[:before]
        candidates = [
            m for m in re.finditer(r"(?<![\w.-])([A-Za-z0-9][\w.:-]*[A-Za-z0-9])(?![\w-])", text)
            if (re.search(r"\d", m.group(1)) or "-" in m.group(1) or "_" in m.group(1))
            and re.search(r"[A-Za-z]", m.group(1))
            and not _is_ip(m.group(1))
        ]
        if not candidates:
            return None
        m = candidates[-1] if before is not None else candidates[0]
        scan.take(m.span())
        return m.group(1)

    def _default_target(self, target: Optional[ObjectType], filters: dict[str, str], metric: Optional[str], audit: Optional[str]) -> ObjectType:
        if target is not None:
            return target
        if "prefix" in filters:
            return ObjectType.prefix
        if "ip" in filters:
            return ObjectType.ip_address
        if audit:
            return ObjectType.device
        if metric == "site_summary":
            return ObjectType.site
        if "interface" in filters:
            return ObjectType.interface
        return ObjectType.device

    def _kind(self, target: ObjectType, filters: dict[str, str], metric: Optional[str], audit: Optional[str]) -> IntentKind:
        if audit:
            return IntentKind.configuration_audit
        if metric in ("cable_trace", "vlan_topology"):
            return IntentKind.relationship_analysis
        if metric:
            return IntentKind.performance_query
        if target is ObjectType.ip_address and "ip" in filters:
            return IntentKind.device_lookup
        if target is ObjectType.prefix and "prefix" in filters:
            return IntentKind.device_lookup
        if "name" in filters and set(filters) <= {"name"}:
            return IntentKind.device_lookup
        if target in (ObjectType.interface, ObjectType.ip_address, ObjectType.cable) and "device" in filters:
            return IntentKind.relationship_analysis
        return IntentKind.bulk_discovery

    @staticmethod
    def _related(target: ObjectType, metric: Optional[str]) -> list[ObjectType]:
        return {
            "vlan_topology": [ObjectType.interface, ObjectType.device],
            "cable_trace": [ObjectType.cable],
            "rack_utilisation": [ObjectType.device, ObjectType.device_type],
            "site_summary": [ObjectType.rack, ObjectType.device, ObjectType.vlan, ObjectType.prefix, ObjectType.circuit],
            "prefix_utilisation": [ObjectType.ip_address],
            "available_ips": [ObjectType.ip_address],
            "interface_usage": [ObjectType.interface],
        }.get(metric or "", [])


# Words that may stand before an object word without naming anything.
_LEADING_NOT_NAMES = {
    "free", "available", "unused", "unassigned", "used", "connected", "unconnected", "cabled", "uncabled", "empty",
    "full", "big", "biggest", "largest", "new", "old", "latest", "total", "number", "count", "many", "virtual",
    "physical", "assigned", "tagged", "untagged", "disabled", "enabled", "down", "up", "next", "first", "last",
}

_FILLER = {
    "show", "me", "list", "all", "the", "a", "an", "what", "which", "who", "are", "is", "get", "find", "display", "give",
    "please", "how", "many", "much", "do", "does", "we", "i", "you", "have", "there", "any", "every", "our", "my", "can",
    "could", "would", "tell", "about", "lookup", "look", "up", "search", "for", "info", "information", "details", "on",
    "in", "at", "of", "with", "and", "or", "to", "whats", "what's", "where", "see", "view", "check", "count", "number",
    "their", "them", "its", "it", "everything", "currently", "now", "here", "this", "that", "these", "those",
    "exist", "exists", "go", "goes", "use", "uses", "still", "called", "named", "enabled", "summarise", "summarize",
}


def _leftover(text: str) -> str:
    words = [w.strip(".,;:?!'\"") for w in text.split()]
    return " ".join(w for w in words if w and w.lower() not in _FILLER)


def _is_object_word(name: str) -> bool:
    return any(rx.fullmatch(name.strip().lower()) for rx, _ in _OBJECT_RE)


def _looks_like_hostname(name: str) -> bool:
    """dmi01-akron-rtr01, ncsu-coreswitch1: one word with digits, no spaces."""
    return " " not in name.strip() and bool(re.search(r"\d", name)) and bool(re.search(r"[a-z]", name, re.I))


def _has_host_bits(cidr: str) -> bool:
    try:
        iface = ipaddress.ip_interface(cidr)
    except ValueError:
        return False
    return iface.ip != iface.network.network_address and iface.network.prefixlen < iface.network.max_prefixlen


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False
