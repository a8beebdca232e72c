"""Example questions made of the connected NetBox's own names (never the demo's).

Four requests of one row each, concurrently, once per session: a cabled interface (a device and a
port to trace), a VLAN with a site, a /24 prefix, and the number of devices. Whatever fails or is
empty is left out; the generic questions fill the rest.
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional

GENERIC = [
    "list all sites",
    "all devices",
    "list all VLANs",
    "all interfaces",
    "all prefixes",
    "which devices have no primary IP",
]


def _name(obj: Any) -> Optional[str]:
    if isinstance(obj, dict):
        value = obj.get("name") or obj.get("display")
        return str(value) if value else None
    return None


async def _first(
    client: Any, path: str, params: list[tuple[str, str]], fields: list[str], limit: int = 1
) -> list[dict]:
    try:
        page = await asyncio.wait_for(client.page(path, params, limit=limit, fields=fields, kind="names"), 10)
    except Exception:  # a table this token cannot read, an old NetBox: that example is left out
        return []
    return [r for r in page.results if isinstance(r, dict)]


async def from_netbox(client: Any) -> list[str]:
    """Up to six questions that answer something on this NetBox."""
    iface, vlans, prefix = await asyncio.gather(
        _first(client, "dcim/interfaces/", [("cabled", "true")], ["id", "name", "device"]),
        _first(client, "ipam/vlans/", [], ["id", "site"], limit=10),
        _first(client, "ipam/prefixes/", [("mask_length", "24")], ["id", "prefix"]),
    )
    out: list[str] = []
    site = next((s for s in (_name(v.get("site")) for v in vlans) if s), None)
    device = _name(iface[0].get("device")) if iface else None
    port = str(iface[0].get("name") or "") if iface else ""
    if site:
        out.append(f"VLANs at {site}")
    if device:
        out.append(f"interfaces on {device}")
    if site:
        out.append(f"devices at {site}")
    if prefix and prefix[0].get("prefix"):
        out.append(f"free IPs in {prefix[0]['prefix']}")
    if device and port:
        out.append(f"what is connected to {device} {port}")
    out.append("which devices have no primary IP")
    for q in GENERIC:
        if len(out) >= 6:
            break
        if q not in out:
            out.append(q)
    return out[:6]
