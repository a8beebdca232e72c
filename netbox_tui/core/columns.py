"""Which columns each kind of object shows, which fields that needs (`fields=`), and cell text.

NetBox text is user-supplied: every cell goes through `safe_text`, so stored text can never
drive the terminal (escape sequences and control characters are removed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from netbox_tui.core.results import Column

_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(value: Any, limit: int = 200) -> str:
    text = _CONTROL.sub("", str(value)).replace("\n", " ").replace("\t", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell(value: Any) -> str:
    """NetBox JSON value -> one line of text: nested objects by display, choices by label."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if "label" in value and "value" in value and len(value) <= 3:
            return safe_text(value["label"])
        for key in ("display", "name", "address", "prefix", "cid", "model"):
            if value.get(key) not in (None, ""):
                return safe_text(value[key])
        return safe_text(value.get("id", "?"))
    if isinstance(value, list):
        parts = [cell(v) for v in value[:6]]
        more = f" +{len(value) - 6}" if len(value) > 6 else ""
        return safe_text(", ".join(parts) + more) if parts else "—"
    return safe_text(value)


@dataclass(frozen=True)
class Col:
    key: str
    title: str
    field: str  # NetBox field to fetch
    get: Optional[Callable[[dict[str, Any]], Any]] = None  # how to read it, if not row[field]

    def text(self, row: dict[str, Any]) -> str:
        return cell(self.get(row) if self.get else row.get(self.field))


def _peer(row: dict[str, Any]) -> Any:
    peers = row.get("link_peers") or []
    out = []
    for p in peers:
        dev = (p.get("device") or {}).get("name") or (p.get("circuit") or {}).get("cid")
        out.append(f"{dev} {p.get('name') or p.get('display')}" if dev else p.get("display"))
    return ", ".join(o for o in out if o) or None


def _assigned(row: dict[str, Any]) -> Any:
    obj = row.get("assigned_object")
    if not obj:
        return None
    parent = (obj.get("device") or obj.get("virtual_machine") or {}).get("name")
    return f"{parent} {obj.get('name')}" if parent else obj.get("display")


def _terms(side: str) -> Callable[[dict[str, Any]], Any]:
    def get(row: dict[str, Any]) -> Any:
        out = []
        for t in row.get(f"{side}_terminations") or []:
            obj = t.get("object") or {}
            dev = (obj.get("device") or {}).get("name") or (obj.get("circuit") or {}).get("cid")
            out.append(f"{dev} {obj.get('name') or obj.get('display') or ''}".strip() if dev else obj.get("display"))
        return ", ".join(o for o in out if o) or None

    return get


COLUMNS: dict[str, list[Col]] = {
    "dcim.device": [
        Col("name", "Name", "name"), Col("status", "Status", "status"), Col("site", "Site", "site"),
        Col("rack", "Rack", "rack"), Col("role", "Role", "role"), Col("type", "Type", "device_type"),
        Col("primary_ip", "Primary IP", "primary_ip"),
    ],
    "dcim.interface": [
        Col("device", "Device", "device"), Col("name", "Name", "name"), Col("type", "Type", "type"),
        Col("enabled", "On", "enabled"), Col("mode", "Mode", "mode"), Col("peer", "Connected to", "link_peers", _peer),
        Col("description", "Description", "description"),
    ],
    "ipam.vlan": [
        Col("vid", "VID", "vid"), Col("name", "Name", "name"), Col("site", "Site", "site"), Col("group", "Group", "group"),
        Col("status", "Status", "status"), Col("tenant", "Tenant", "tenant"),
    ],
    "ipam.prefix": [
        Col("prefix", "Prefix", "prefix"), Col("status", "Status", "status"), Col("scope", "Scope", "scope"),
        Col("vlan", "VLAN", "vlan"), Col("vrf", "VRF", "vrf"), Col("role", "Role", "role"), Col("tenant", "Tenant", "tenant"),
    ],
    "ipam.ipaddress": [
        Col("address", "Address", "address"), Col("status", "Status", "status"), Col("vrf", "VRF", "vrf"),
        Col("assigned", "Assigned to", "assigned_object", _assigned), Col("dns_name", "DNS name", "dns_name"),
        Col("role", "Role", "role"),
    ],
    "dcim.site": [
        Col("name", "Name", "name"), Col("status", "Status", "status"), Col("region", "Region", "region"),
        Col("tenant", "Tenant", "tenant"), Col("facility", "Facility", "facility"), Col("description", "Description", "description"),
    ],
    "dcim.rack": [
        Col("name", "Name", "name"), Col("site", "Site", "site"), Col("location", "Location", "location"),
        Col("status", "Status", "status"), Col("u_height", "U", "u_height"), Col("role", "Role", "role"),
    ],
    "dcim.cable": [
        Col("label", "Label", "label"), Col("a", "A side", "a_terminations", _terms("a")),
        Col("b", "B side", "b_terminations", _terms("b")), Col("status", "Status", "status"), Col("type", "Type", "type"),
    ],
    "circuits.circuit": [
        Col("cid", "Circuit ID", "cid"), Col("provider", "Provider", "provider"), Col("type", "Type", "type"),
        Col("status", "Status", "status"), Col("tenant", "Tenant", "tenant"), Col("commit_rate", "Kbps", "commit_rate"),
    ],
    "virtualization.virtualmachine": [
        Col("name", "Name", "name"), Col("status", "Status", "status"), Col("cluster", "Cluster", "cluster"),
        Col("site", "Site", "site"), Col("vcpus", "vCPUs", "vcpus"), Col("memory", "Memory MB", "memory"),
        Col("primary_ip", "Primary IP", "primary_ip"),
    ],
    "virtualization.cluster": [
        Col("name", "Name", "name"), Col("type", "Type", "type"), Col("group", "Group", "group"),
        Col("scope", "Scope", "scope"), Col("status", "Status", "status"),
    ],
    "virtualization.vminterface": [
        Col("virtual_machine", "VM", "virtual_machine"), Col("name", "Name", "name"), Col("enabled", "On", "enabled"),
        Col("mode", "Mode", "mode"), Col("description", "Description", "description"),
    ],
    "tenancy.tenant": [Col("name", "Name", "name"), Col("group", "Group", "group"), Col("description", "Description", "description")],
    "dcim.region": [Col("name", "Name", "name"), Col("slug", "Slug", "slug"), Col("parent", "Parent", "parent")],
    "circuits.provider": [Col("name", "Name", "name"), Col("slug", "Slug", "slug"), Col("circuit_count", "Circuits", "circuit_count")],
    "ipam.vrf": [Col("name", "Name", "name"), Col("rd", "RD", "rd"), Col("tenant", "Tenant", "tenant")],
    "dcim.platform": [Col("name", "Name", "name"), Col("manufacturer", "Manufacturer", "manufacturer")],
    "dcim.manufacturer": [Col("name", "Name", "name"), Col("slug", "Slug", "slug")],
    "dcim.devicetype": [Col("model", "Model", "model"), Col("manufacturer", "Manufacturer", "manufacturer"), Col("u_height", "U", "u_height")],
    "dcim.devicerole": [Col("name", "Name", "name"), Col("slug", "Slug", "slug")],
    "ipam.vlangroup": [Col("name", "Name", "name"), Col("scope", "Scope", "scope")],
    "dcim.location": [Col("name", "Name", "name"), Col("site", "Site", "site"), Col("status", "Status", "status")],
    "ipam.aggregate": [Col("prefix", "Prefix", "prefix"), Col("rir", "RIR", "rir"), Col("tenant", "Tenant", "tenant")],
    "circuits.circuittermination": [Col("circuit", "Circuit", "circuit"), Col("term_side", "Side", "term_side"), Col("termination", "Termination", "termination")],
}


def columns_for(object_type: str) -> list[Col]:
    return COLUMNS.get(object_type, [Col("name", "Name", "name")])


def fields_for(object_type: str, extra: tuple[str, ...] = ()) -> list[str]:
    """`fields=` for a list request: only what the columns show (NetBox drops unknown names silently)."""
    return list(dict.fromkeys(["id", "display"] + [c.field for c in columns_for(object_type)] + list(extra)))


def table_columns(object_type: str, extra: list[Column] | None = None) -> list[Column]:
    return [Column(key=c.key, title=c.title) for c in columns_for(object_type)] + list(extra or [])


def shape_row(object_type: str, raw: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"id": raw.get("id"), "display": safe_text(raw.get("display") or raw.get("name") or raw.get("id"))}
    for c in columns_for(object_type):
        row[c.key] = c.text(raw)
    first = columns_for(object_type)[0].key
    if row.get(first) == "—" and first in ("name", "label", "cid", "address", "prefix"):
        row[first] = row["display"]  # unnamed devices and cables: NetBox's display says what they are
    return row
