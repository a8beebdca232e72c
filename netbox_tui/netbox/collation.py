"""Sort keys that reproduce PostgreSQL's orderings as NetBox uses them, for the snapshot emulator.

- `natural_key`: the ICU collation `natural_sort` (`und-u-kn-true`) that NetBox 4.x puts on the
  names of devices, sites, racks, VMs… : case-insensitive first, digit runs compared as numbers,
  whitespace < punctuation < symbols < digits < letters, then lower case before upper case, then
  the bytes (PostgreSQL breaks ties of a deterministic collation with strcmp).
- `c_key`: the database's default collation on this NetBox (C.UTF-8): code point order.
- `interface_key`: NetBox's `naturalize_interface()` (utilities/ordering.py, Apache-2.0), which
  interfaces are ordered by (collated as C).
- `inet_key`: PostgreSQL's `network_cmp` for inet/cidr: family, then the network bits, a shorter
  mask first when one network contains the other, then the whole address.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from typing import Any

# ICU root collation order of the ASCII characters that are not digits or letters.
_VARIABLE = "\t\n\x0b\x0c\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_RANK = {ch: i for i, ch in enumerate(_VARIABLE)}
_TOKEN = re.compile(r"\d+|\D", re.ASCII)


def natural_key(value: str) -> tuple:
    primary: list[tuple] = []
    tertiary: list[int] = []
    for m in _TOKEN.finditer(value):
        tok = m.group()
        if tok[0].isdigit():
            primary.append((1, int(tok)))
            tertiary.append(0)
            continue
        rank = _RANK.get(tok)
        if rank is not None:
            primary.append((0, rank))
            tertiary.append(0)
            continue
        base = unicodedata.normalize("NFD", tok)[0]
        if base.isalpha():
            primary.append((2, base.lower()))
            tertiary.append(1 if tok.isupper() else 0)
        else:
            primary.append((3, ord(tok)))
            tertiary.append(0)
    return (tuple(primary), tuple(tertiary), value.encode("utf-8"))


def c_key(value: str) -> str:
    return value


INTERFACE_NAME_REGEX = re.compile(
    r"(^(?P<type>[^\d\.:]+)?)"
    r"((?P<slot>\d+)/)?"
    r"((?P<subslot>\d+)/)?"
    r"((?P<position>\d+)/)?"
    r"((?P<subposition>\d+)/)?"
    r"((?P<id>\d+))?"
    r"(:(?P<channel>\d+))?"
    r"(\.(?P<vc>\d+))?"
    r"(?P<remainder>.*)$"
)


def naturalize(value: str, max_length: int, integer_places: int = 8) -> str:
    if not value:
        return value
    output = []
    for segment in re.split(r"(\d+)", value):
        if segment.isdigit():
            output.append(segment.rjust(integer_places, "0"))
        elif segment:
            output.append(segment)
    return "".join(output)[:max_length]


def naturalize_interface(value: str, max_length: int = 100) -> str:
    output = ""
    match = INTERFACE_NAME_REGEX.search(value)
    if match is None:
        return value
    for part_name in ("slot", "subslot", "position", "subposition"):
        part = match.group(part_name)
        output += part.rjust(4, "0") if part is not None else "9999"
    if match.group("type") is not None:
        output += match.group("type")
    for part_name in ("id", "channel", "vc"):
        part = match.group(part_name)
        output += part.rjust(6, "0") if part is not None else "......"
    if match.group("remainder") is not None and len(output) < max_length:
        output += naturalize(match.group("remainder"), max_length - len(output))
    return output[:max_length]


def interface_key(value: str) -> str:
    return naturalize_interface(value)


def parse_inet(value: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | None:
    try:
        return ipaddress.ip_interface(value)
    except ValueError:
        return None


def inet_key(value: str) -> tuple[Any, ...]:
    iface = parse_inet(value)
    if iface is None:
        return (9, value, 0)
    bits = iface.max_prefixlen
    addr = int(iface.ip)
    plen = iface.network.prefixlen
    netbits = format(addr, f"0{bits}b")[:plen]
    return (iface.version, netbits, addr)
