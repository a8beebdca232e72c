"""A question's words: tokens with their spans, addresses and interface names kept whole."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Optional

from netbox_tui.core.lexicon import Lexicon, fold

# -- tokens -----------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<cidr>(?<![\w.:])(?:\d{1,3}\.){3}\d{1,3}/\d{1,2}(?![\w.]))"
    r"|(?P<ip>(?<![\w./:])(?:\d{1,3}\.){3}\d{1,3}(?![\w./]))"
    r"|(?P<ip6>(?<![\w.:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:/\d{1,3})?(?![\w.:]))"
    r"|(?P<hash>#\d+)"
    r"|(?P<quoted>\"[^\"]{1,100}\"|(?<!\w)'[^']{1,100}'(?!\w)|“[^”]{1,100}”)"
    r"|(?P<word>[\w][\w\-./:+&'’]*)",
    re.I,
)
# Interface names: slash or Juniper forms are unmistakable; the others only beside a device.
_IFACE_STRICT = re.compile(
    r"^(?:[a-z]{1,3}-\d+(?:/\d+){1,3}(?::\d+)?(?:\.\d+)?|[a-z][a-z\-]*?\d+(?:/\d+)+(?:\.\d+)?)$", re.I
)
_IFACE_WEAK = re.compile(
    r"^(?:gi|gig|te|ten|fa|fas|eth|et|po|lo|vl|tu|mgmt|ma|fxp|em|ens|enp|bond|ae|irb|management|ethernet|gigabitethernet|"
    r"tengigabitethernet|fastethernet|port-channel|portchannel|loopback|vlan|tunnel|cellular|stack)\d+(?:\.\d+)?$",
    re.I,
)


@dataclass
class Tok:
    i: int
    text: str  # as typed (possessive kept off)
    start: int
    end: int
    kind: str  # word, cidr, ip, hash
    keys: tuple[str, ...]  # folded words it contributes to phrases (abbreviations expanded)
    idle: bool = False  # part of a phrase that carries nothing ("look up"), whatever its words mean alone

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def host(self) -> bool:
        """Shaped like a hostname: letters with digits, dashes, underscores or colons (dmi01-akron-rtr01,
        PP:B118)."""
        t = self.text
        return (
            self.kind == "word"
            and bool(re.search(r"[a-z]", t, re.I))
            and bool(re.search(r"[\d_:]|[a-z]-[a-z0-9]", t, re.I))
            and not _IFACE_STRICT.match(t)
        )

    @property
    def number(self) -> Optional[int]:
        t = self.text.lstrip("#")
        return int(t) if t.isdigit() and len(t) <= 12 else None


def tokenize(text: str, lex: Lexicon) -> list[Tok]:
    out: list[Tok] = []
    # A question typed in capitals ("DEVICES AT DM-AKRON") says nothing by its case: read it lower-cased,
    # so that no common word passes for a name because it is capitalised.
    shouted = sum(1 for w in text.split() if any(ch.isalpha() for ch in w)) > 1 and text == text.upper()
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "word"
        raw = m.group(0)
        start, end = m.span()
        if kind == "ip6":
            if raw.count(":") < 2 or not _is_ip(raw.split("/")[0]):
                kind = "word"
            else:
                kind = "cidr" if "/" in raw else "ip"
        if kind in ("cidr", "ip") and not _is_ip(raw.split("/")[0]) or kind == "cidr" and not _is_net(raw):
            kind = "word"  # "999.1.1.1", "1.2.3.4/33": shaped like an address, not one (said, never sent)
        if kind == "cidr" and _has_host_bits(raw):
            kind = "ip"  # "172.20.0.3/24" is one address with its mask
        if kind == "word":
            trimmed = raw.rstrip(".,:;'’-")
            if raw.endswith(".") and re.fullmatch(r"[A-Z]\.", raw):  # "D. S. Weaver Labs": an initial
                trimmed = raw
            end = start + len(trimmed)
            raw = trimmed
            if not raw:
                continue
            low = raw.lower().replace("’", "'")
            if low.endswith("'s") and len(low) > 2:
                raw, end, low = raw[:-2], end - 2, low[:-2]
            abbr = lex.abbreviations.get(low) if not (len(raw) == 1 and raw.isupper()) else None
            keys = abbr or fold(low) or (low,)
        elif kind == "quoted":  # a value exactly as typed: "printer", 'uplink to core'
            raw = raw[1:-1].strip()
            if not raw:
                continue
            keys = (raw.lower(),)
        else:
            keys = (raw.lower(),)
        out.append(Tok(len(out), raw.lower() if shouted and kind == "word" else raw, start, end, kind, keys))
    out = _join_spaced_ports(out)
    for phrase in lex.skip_phrases:  # "look up devices": "up" here is no state
        n = len(phrase)
        for i in range(len(out) - n + 1):
            if tuple(t.low for t in out[i:i + n]) == phrase:
                for t in out[i:i + n]:
                    t.idle = True
    _idle_greeting(out, lex.greetings)
    return out


def _idle_greeting(toks: list[Tok], greetings: tuple[tuple[str, ...], ...]) -> None:
    """'hi, devices at X', 'hello': greeting words opening the question carry nothing (elsewhere they
    may be a name: "devices in HI")."""
    i = 0
    while i < len(toks):
        n = next((len(g) for g in sorted(greetings, key=len, reverse=True)
                  if tuple(t.low for t in toks[i:i + len(g)]) == g), 0)
        if not n:
            return
        for t in toks[i:i + n]:
            t.idle = True
        i += n


# "Gi 1/0/3", "xe 0/0/1": a port's type typed apart from its numbers. Juniper names join with a dash.
_PORT_TYPE = re.compile(_IFACE_WEAK.pattern.replace(r")\d+(?:\.\d+)?$", ")$"), re.I)
_PORT_NUMBERS = re.compile(r"^-?\d+(?:/\d+)+(?::\d+)?(?:\.\d+)?$")
_DASHED_TYPES = frozenset({"xe", "ge", "et", "fe"})


def _join_spaced_ports(toks: list[Tok]) -> list[Tok]:
    """A port type word followed by slash-separated numbers is one interface name ("Gi 1/0/3" -> Gi1/0/3)."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and t.kind == nxt.kind == "word" and nxt.start - t.end <= 2 \
                and (_PORT_TYPE.match(t.text) or t.low in _DASHED_TYPES) and _PORT_NUMBERS.match(nxt.text):
            dash = "-" if t.low in _DASHED_TYPES and not nxt.text.startswith("-") else ""
            name = t.text + dash + nxt.text
            out.append(Tok(len(out), name, t.start, nxt.end, "word", (name.lower(),)))
            i += 2
            continue
        out.append(Tok(len(out), t.text, t.start, t.end, t.kind, t.keys, t.idle))
        i += 1
    return out


def _looks_like_device(text: str) -> bool:
    """'dmi01-akorn-rtr01': words and digit groups joined by dashes, three parts or more."""
    return len(re.split(r"[-_.:]", text)) >= 3 and bool(re.search(r"\d", text))


def _has_host_bits(cidr: str) -> bool:
    try:
        iface = ipaddress.ip_interface(cidr)
    except ValueError:
        return False
    return iface.ip != iface.network.network_address and iface.network.prefixlen < iface.network.max_prefixlen


def _is_net(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
        return True
    except ValueError:
        return False


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False
