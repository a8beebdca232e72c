"""Generate heldout18demo.yaml: a held-out question set for netbox-tui against the demo NetBox 4.7.3.

Every expected value is read from the REST API at generation time with a hand-chosen query (GET only);
nothing is typed in by hand except the questions. Run:

    NETBOX_URL=http://127.0.0.1:8000 /work/main/.venv/bin/python make_heldout18demo.py > heldout18demo.yaml

The token defaults to the public demo's read-only one (NETBOX_TOKEN overrides it).
Kinds (`capability`): oncall, public, patterns, counts, hard, messy.
"""

from __future__ import annotations

import datetime
import os
import sys
from collections import Counter
from typing import Any

import httpx
import yaml

URL = os.environ.get("NETBOX_URL", "http://127.0.0.1:8000").rstrip("/")
TOKEN = os.environ.get("NETBOX_TOKEN", "0123456789abcdef0123456789abcdef01234567")
CLIENT = httpx.Client(
    base_url=URL + "/api/",
    headers={"Authorization": f"Token {TOKEN}", "Accept": "application/json"},
    timeout=120,
)
CASES: list[dict[str, Any]] = []
_TOTALS: dict[str, int] = {}


def get(path: str, params: Any = None) -> Any:
    r = CLIENT.get(path, params=params)
    r.raise_for_status()
    return r.json()


def table_total(path: str) -> int:
    if path not in _TOTALS:
        _TOTALS[path] = get(path, {"limit": 1, "brief": 1})["count"]
    return _TOTALS[path]


def rows(
    path: str, params: list[tuple[str, Any]] | None = None, allow_all: bool = False
) -> list[dict[str, Any]]:
    """Every row of a filtered list. NetBox ignores unknown filters, so a filter that returns the whole
    table is an error unless the caller says that is the real answer."""
    params = list(params or [])
    out: list[dict[str, Any]] = []
    page = get(path, params + [("limit", 1000), ("omit", "config_context")])
    out += page["results"]
    while page["next"]:
        page = CLIENT.get(page["next"]).json()
        out += page["results"]
    if params and not allow_all and len(out) == table_total(path) and len(out) > 1:
        sys.exit(f"filter {params} on {path} returned the whole table: ignored filter?")
    return out


def one(path: str, params: list[tuple[str, Any]]) -> dict[str, Any]:
    found = rows(path, params)
    if len(found) != 1:
        sys.exit(f"{path} {params}: {len(found)} rows, expected 1")
    return found[0]


def disp(obj: Any) -> Any:
    return obj.get("display") if isinstance(obj, dict) else obj


def add(
    cap: str,
    question: str,
    intent: str,
    calls: int,
    note: str,
    otype: str | None = None,
    items: list[dict[str, Any]] | None = None,
    total: int | None = None,
    has: list[str] | None = None,
    contains: list[str] | None = None,
    status: str | None = None,
    show: bool = True,
) -> None:
    """One case. `items` are the matching REST rows: they give total and display (or contains if many)."""
    expect: dict[str, Any] = {}
    if status:
        expect["status"] = status
    if otype:
        expect["object_type"] = otype
    if items is not None:
        total = len(items)
    if total is not None:
        expect["total"] = total
    if items is not None and show:
        shown = sorted({str(r["display"]) for r in items})
        if len(shown) <= 30:
            expect["display"] = shown
        elif not contains:
            contains = shown[:3] + shown[-2:]
    if contains:
        have = {str(r["display"]) for r in items or []}
        missing = set(contains) - have if items is not None else set()
        if missing:
            sys.exit(f"{question!r}: contains {missing} not among the rows")
        expect["contains"] = sorted(set(contains))
    if has:
        for h in has:
            if str(h).lower() in question.lower():
                sys.exit(f"{question!r}: answer_has {h!r} is in the question")
        expect["answer_has"] = [str(h) for h in has]
    expect["intent"] = intent
    expect["max_api_calls_cold"] = calls + 2
    CASES.append({"question": question, "capability": cap, "expect": expect, "note": note})


# ---------------------------------------------------------------------------------------------- look-ups
def site(slug: str) -> dict[str, Any]:
    return one("dcim/sites/", [("slug", slug)])


def device(name: str) -> dict[str, Any]:
    return one("dcim/devices/", [("name", name)])


def iface(dev: str, name: str) -> dict[str, Any]:
    return one("dcim/interfaces/", [("device", dev), ("name", name)])


def rack(site_slug: str, name: str) -> dict[str, Any]:
    return one("dcim/racks/", [("site", site_slug), ("name", name)])


def peers(i: dict[str, Any]) -> list[str]:
    """The far side of the cable on an interface: 'device name' or the circuit termination."""
    out = []
    for p in i.get("link_peers") or []:
        owner = p.get("device") or p.get("circuit") or {}
        out += [disp(owner), p["display"]]
    return out


def trace(iface_id: int) -> list[str]:
    """Every hop display (objects and their owners) along an interface's cable trace."""
    hops: list[str] = []
    for near, _cable, far in get(f"dcim/interfaces/{iface_id}/trace/"):
        for end in (near or []) + (far or []):
            owner = end.get("device") or end.get("circuit") or {}
            hops += [h for h in (disp(owner), end.get("display")) if h]
    return hops


def free_ips(prefix: str, global_vrf: bool = True) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    p = one("ipam/prefixes/", [("prefix", prefix)] + ([("vrf_id", "null")] if global_vrf else []))
    return p, get(f"ipam/prefixes/{p['id']}/available-ips/", {"limit": 0})


def rack_use(r: dict[str, Any]) -> str:
    """Occupied units / height from the rack's devices (device type heights), for the notes."""
    used = 0.0
    for d in rows("dcim/devices/", [("rack_id", r["id"])], allow_all=False):
        if d["position"] is not None:
            used += get(f"dcim/device-types/{d['device_type']['id']}/")["u_height"]
    return f"{r['display']}@{disp(r['site'])}: {used:g}/{r['u_height']}U = {100 * used / r['u_height']:.1f}%"


def group(items: list[dict[str, Any]], key: str) -> Counter[str]:
    return Counter(str(disp(r[key])) for r in items)


def pairs(c: Counter[str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


# ---------------------------------------------------------------------------------------------- 1. oncall
def oncall() -> None:
    cap = "oncall"
    i = iface("dmi01-akron-rtr01", "GigabitEthernet0/1/0")
    add(
        cap,
        "whats plugged into Gi0/1/0 on dmi01-akron-rtr01",
        "trace",
        3,
        f"GET dcim/interfaces/?device=dmi01-akron-rtr01&name=GigabitEthernet0/1/0 -> link_peers {peers(i)}; "
        "a row of the interface with its peer, or a trace, is right",
        has=peers(i),
    )

    ip = one("ipam/ip-addresses/", [("address", "172.18.0.14")])
    pfx = rows("ipam/prefixes/", [("contains", "172.18.0.14"), ("vrf_id", ip["vrf"]["id"])])
    add(
        cap,
        "where is 172.18.0.14",
        "ip_lookup",
        3,
        f"GET ipam/ip-addresses/?address=172.18.0.14 -> vrf {disp(ip['vrf'])}, unassigned; containing "
        "prefixes "
        f"in that VRF: {[p['display'] for p in pfx]}",
        "ipam.ipaddress",
        [ip],
        has=[ip["vrf"]["name"]],
    )

    d = device("dmi01-utica-rtr01")
    add(
        cap,
        "platform on dmi01-utica-rtr01?",
        "attribute",
        2,
        f"GET dcim/devices/?name=dmi01-utica-rtr01 -> platform {disp(d['platform'])}",
        "dcim.device",
        [d],
        has=[disp(d["platform"])],
    )

    d = device("ncsu-coreswitch2")
    add(
        cap,
        "what model is ncsu-coreswitch2",
        "attribute",
        2,
        f"GET dcim/devices/?name=ncsu-coreswitch2 -> device_type {disp(d['device_type'])} "
        f"by {disp(d['device_type']['manufacturer'])}",
        "dcim.device",
        [d],
        has=[disp(d["device_type"])],
    )

    d = device("dmi01-nashua-rtr01")
    add(
        cap,
        "mgmt ip for dmi01-nashua-rtr01",
        "attribute",
        2,
        f"GET dcim/devices/?name=dmi01-nashua-rtr01 -> primary_ip4 {d['primary_ip4']}, primary_ip "
        f"{d['primary_ip']}: "
        "it has none, and the answer must say so (no IP of another device)",
        "dcim.device",
        [d],
    )

    s = site("dm-scranton")
    cs = rows("circuits/circuits/", [("site_id", s["id"])])
    add(
        cap,
        "which circuits land at DM-Scranton",
        "lookup",
        3,
        f"GET circuits/circuits/?site_id={s['id']} -> {[(c['cid'], disp(c['provider'])) for c in cs]}",
        "circuits.circuit",
        cs,
        has=sorted({disp(c["provider"]) for c in cs}),
    )

    # every assignment in this NetBox is on DM-Scranton: the filter is real (another object_id gives 0)
    ca = rows(
        "tenancy/contact-assignments/", [("object_type", "dcim.site"), ("object_id", s["id"])], allow_all=True
    )
    assert not rows(
        "tenancy/contact-assignments/", [("object_type", "dcim.site"), ("object_id", s["id"] + 1)]
    )
    add(
        cap,
        "who do I call about the scranton office",
        "lookup",
        3,
        f"GET tenancy/contact-assignments/?object_type=dcim.site&object_id={s['id']} -> "
        f"{[(disp(a['contact']), disp(a['role']), disp(a['priority'])) for a in ca]}; a table of the "
        "contacts or of "
        "their assignments is right",
        total=len(ca),
        has=sorted({disp(a["contact"]) for a in ca}),
    )

    r = rack("ncsu-065", "R103")
    ds = rows("dcim/devices/", [("rack_id", r["id"])])
    add(
        cap,
        "what's in rack R103",
        "lookup",
        3,
        f"GET dcim/racks/?name=R103 (one rack, at MDF) then dcim/devices/?rack_id={r['id']}",
        "dcim.device",
        ds,
    )

    r = rack("dm-buffalo", "Comms closet")
    ds = rows("dcim/devices/", [("rack_id", r["id"])])
    add(
        cap,
        "show me everything racked in the DM-Buffalo comms closet",
        "lookup",
        4,
        "13 racks are named 'Comms closet'; the site picks one: dcim/racks/?site=dm-buffalo&name=Comms "
        "closet -> "
        f"id {r['id']}; dcim/devices/?rack_id={r['id']}",
        "dcim.device",
        ds,
    )

    c = one("circuits/circuits/", [("cid", "KSIR0381")])
    add(
        cap,
        "who's the provider on KSIR0381",
        "attribute",
        2,
        f"GET circuits/circuits/?cid=KSIR0381 -> provider {disp(c['provider'])}, type {disp(c['type'])}",
        "circuits.circuit",
        [c],
        has=[disp(c["provider"])],
    )

    i = iface("dmi01-camden-rtr01", "GigabitEthernet0/0/1")
    cid = i["link_peers"][0]["circuit"]["cid"]
    add(
        cap,
        "what is Gi0/0/1 on dmi01-camden-rtr01 connected to",
        "trace",
        3,
        f"GET dcim/interfaces/?device=dmi01-camden-rtr01&name=GigabitEthernet0/0/1 -> link peer "
        f"{peers(i)} (circuit {cid}); its far end leads nowhere further",
        has=[cid],
    )

    p = one("ipam/prefixes/", [("prefix", "10.112.150.0/24")])
    add(
        cap,
        "which site and vlan is 10.112.150.0/24 on",
        "attribute",
        2,
        f"GET ipam/prefixes/?prefix=10.112.150.0/24 -> scope {disp(p['scope'])}, vlan {disp(p['vlan'])}",
        "ipam.prefix",
        [p],
        has=[disp(p["scope"]), p["vlan"]["name"]],
    )

    r = one("dcim/racks/", [("name", "IDF118")])
    ds = rows("dcim/devices/", [("rack_id", r["id"]), ("position", 36)])
    add(
        cap,
        "what's mounted at U36 in IDF118",
        "lookup",
        3,
        f"GET dcim/racks/?name=IDF118 -> id {r['id']}; dcim/devices/?rack_id={r['id']}&position=36",
        "dcim.device",
        ds,
    )

    d = device("dmi01-syracuse-rtr01")
    cp = rows("dcim/console-ports/", [("device_id", d["id"])])
    add(
        cap,
        "console ports on dmi01-syracuse-rtr01",
        "lookup",
        3,
        f"GET dcim/console-ports/?device_id={d['id']} -> {[x['display'] for x in cp]}, none cabled",
        "dcim.consoleport",
        cp,
    )

    po = iface("dmi01-yonkers-sw01", "Po1")
    mem = rows("dcim/interfaces/", [("lag_id", po["id"])])
    add(
        cap,
        "which ports are members of Po1 on dmi01-yonkers-sw01",
        "lookup",
        3,
        f"GET dcim/interfaces/?device=dmi01-yonkers-sw01&name=Po1 -> id {po['id']}; "
        f"dcim/interfaces/?lag_id={po['id']}",
        "dcim.interface",
        mem,
    )

    d = device("dmi01-albany-rtr01")
    pp = rows("dcim/power-ports/", [("device_id", d["id"])])
    feed = [disp(x["device"]) for p in pp for x in p["link_peers"]]
    add(
        cap,
        "what's feeding power to dmi01-albany-rtr01",
        "trace",
        3,
        f"GET dcim/power-ports/?device_id={d['id']} -> {[(p['display'], peers(p)) for p in pp]}; a table of "
        "the "
        "power ports or a trace is right",
        has=sorted(set(feed)),
    )

    s = site("dm-stamford")
    vs = rows("ipam/vlans/", [("site_id", s["id"])])
    add(
        cap,
        "what vlans do we have at DM-Stamford",
        "lookup",
        3,
        f"GET ipam/vlans/?site_id={s['id']}",
        "ipam.vlan",
        vs,
    )

    d = device("dmi01-rochester-rtr01")
    add(
        cap,
        "rack and U position of dmi01-rochester-rtr01",
        "attribute",
        2,
        f"GET dcim/devices/?name=dmi01-rochester-rtr01 -> rack {disp(d['rack'])}, position {d['position']}, "
        f"face {d['face']['value']}",
        "dcim.device",
        [d],
        has=[disp(d["rack"])],
    )

    d = device("ncsu-coreswitch1")
    ifs = rows("dcim/interfaces/", [("device_id", d["id"]), ("cabled", "true")])
    add(
        cap,
        "which interfaces are cabled on ncsu-coreswitch1",
        "lookup",
        3,
        f"GET dcim/interfaces/?device_id={d['id']}&cabled=true",
        "dcim.interface",
        ifs,
    )


# ---------------------------------------------------------------------------------------------- 2. public
def public() -> None:
    cap = "public"
    ds = rows("dcim/devices/", [("manufacturer", "cisco")])
    add(
        cap,
        "Show me all Cisco devices",
        "bulk_discovery",
        3,
        "netbox-mcp examples ('Show me all Cisco devices'); GET dcim/devices/?manufacturer=cisco",
        "dcim.device",
        ds,
        contains=["dmi01-akron-rtr01", "dmi01-yonkers-sw01", "dmi01-rochster-sw01"],
    )

    s = site("ncsu-065")
    ds = rows("dcim/devices/", [("site_id", s["id"])])
    add(
        cap,
        "What devices do you see at the MDF site?",
        "bulk_discovery",
        3,
        f"netbox-mcp examples ('Search for devices at the X site'); GET dcim/devices/?site_id={s['id']}",
        "dcim.device",
        ds,
    )

    ss = rows("dcim/sites/", [("tag", "juliett")])
    add(
        cap,
        "List all sites with the tag Juliett",
        "bulk_discovery",
        3,
        "adapted from 'List all prefixes with the tag X' (no prefix has tags here); GET "
        "dcim/sites/?tag=juliett",
        "dcim.site",
        ss,
    )

    ds = rows("dcim/devices/", [("has_primary_ip", "false")], allow_all=True)
    add(
        cap,
        "Which devices don't have a primary IP?",
        "bulk_discovery",
        2,
        "Copilot-style audit question; GET dcim/devices/?has_primary_ip=false: no device has one, so all of "
        "them",
        "dcim.device",
        ds,
        contains=["dmi01-akron-rtr01", "ncsu-coreswitch1", "r108-torsw:2"],
    )

    cs = rows("circuits/circuits/", [("provider", "level-3")])
    add(
        cap,
        "Show me all circuits from provider Level 3",
        "bulk_discovery",
        3,
        "GET circuits/circuits/?provider=level-3",
        "circuits.circuit",
        cs,
    )

    ss = rows("dcim/sites/", [("region", "us-ny")])
    add(
        cap,
        "What sites are in New York?",
        "bulk_discovery",
        3,
        "GET dcim/sites/?region=us-ny (New York is the region us-ny; NYC is one site among them)",
        "dcim.site",
        ss,
    )

    d = device("dmi01-scranton-rtr01")
    ifs = rows("dcim/interfaces/", [("device_id", d["id"])])
    add(
        cap,
        "Get the device dmi01-scranton-rtr01 and show me its interfaces",
        "lookup",
        3,
        f"netbox-mcp README example shape; GET dcim/interfaces/?device_id={d['id']}",
        "dcim.interface",
        ifs,
    )

    vs = rows("ipam/vlans/", [("name", "Wireless")])
    add(
        cap,
        "Find all VLANs named Wireless",
        "bulk_discovery",
        2,
        "GET ipam/vlans/?name=Wireless (13 DM sites with VID 300, 6 JBB branches with VID 203)",
        "ipam.vlan",
        vs,
    )

    p, free = free_ips("10.112.131.0/24")
    add(
        cap,
        "Show me available IPs in 10.112.131.0/24",
        "free_ips",
        3,
        f"GET ipam/prefixes/?prefix=10.112.131.0/24 -> id {p['id']}; "
        f"ipam/prefixes/{p['id']}/available-ips/?limit=0 "
        f"-> {len(free)} addresses, first {free[0]['address']}, last {free[-1]['address']}",
        total=len(free),
        has=[free[0]["address"]],
    )

    p = one("ipam/prefixes/", [("prefix", "172.17.0.0/24")])
    ips = rows("ipam/ip-addresses/", [("parent", "172.17.0.0/24"), ("vrf_id", p["vrf"]["id"])])
    add(
        cap,
        "What IP addresses are allocated in prefix 172.17.0.0/24?",
        "bulk_discovery",
        3,
        f"GET ipam/ip-addresses/?parent=172.17.0.0/24&vrf_id={p['vrf']['id']} (the prefix is in VRF "
        f"{disp(p['vrf'])})",
        "ipam.ipaddress",
        ips,
        contains=["172.17.0.1/24", "172.17.0.30/24"],
        show=False,
    )

    ch = get("core/object-changes/", {"limit": 1})
    add(
        cap,
        "Show me the changelog for the last 24 hours",
        "changes",
        2,
        "netbox-mcp changelog tool; GET core/object-changes/?time_after=<now-24h>: this NetBox has "
        f"{ch['count']} "
        "changes at all, so nothing; an empty answer that says so",
        "core.objectchange",
        total=0,
    )

    cl = one("virtualization/clusters/", [("name", "DO-NYC1")])
    vms = rows("virtualization/virtual-machines/", [("cluster_id", cl["id"])])
    add(
        cap,
        "What VMs are in cluster DO-NYC1?",
        "bulk_discovery",
        3,
        f"GET virtualization/virtual-machines/?cluster_id={cl['id']}",
        "virtualization.virtualmachine",
        vms,
    )

    vms = rows("virtualization/virtual-machines/", [("platform", "ubuntu-linux-20-04")], allow_all=True)
    add(
        cap,
        "list virtual machines running Ubuntu 20.04",
        "bulk_discovery",
        3,
        "GET virtualization/virtual-machines/?platform=ubuntu-linux-20-04: every VM has that platform "
        "(Ubuntu Linux 18.04 has none)",
        "virtualization.virtualmachine",
        vms,
        contains=["vm1", "vm180"],
        show=False,
    )

    s = site("dm-akron")
    ds = rows("dcim/devices/", [("site_id", s["id"])])
    add(
        cap,
        "Summarize site DM-Akron",
        "site_summary",
        8,
        f"GET dcim/sites/?slug=dm-akron -> region {disp(s['region'])}, group {disp(s['group'])}, tenant "
        f"{disp(s['tenant'])}; devices {len(ds)}, racks 1, VLANs 3, prefixes 5, circuits 2",
        "dcim.site",
        [s],
        has=[disp(s["region"])],
    )

    r = one("dcim/racks/", [("name", "R105")])
    ds = rows("dcim/devices/", [("rack_id", r["id"])])
    add(
        cap,
        "Which devices are in rack R105?",
        "lookup",
        3,
        f"GET dcim/racks/?name=R105 -> id {r['id']}; dcim/devices/?rack_id={r['id']}",
        "dcim.device",
        ds,
    )

    ts = rows("tenancy/tenants/")
    add(cap, "Show me all tenants", "bulk_discovery", 2, "GET tenancy/tenants/", "tenancy.tenant", ts)

    vrf = one("ipam/vrfs/", [("name", "Bravo")])
    ips = rows("ipam/ip-addresses/", [("vrf_id", vrf["id"])])
    add(
        cap,
        "What IP addresses are in VRF Bravo?",
        "bulk_discovery",
        3,
        f"GET ipam/vrfs/?name=Bravo -> {vrf['id']}; ipam/ip-addresses/?vrf_id={vrf['id']}",
        "ipam.ipaddress",
        ips,
        contains=["172.17.0.1/24", "172.17.0.30/24"],
        show=False,
    )

    s = site("ncsu-118")
    ds = rows("dcim/devices/", [("site_id", s["id"])])
    add(
        cap,
        "Search for devices at the Grinnells Lab site",
        "bulk_discovery",
        3,
        f"netbox-mcp README example wording; GET dcim/devices/?site_id={s['id']}",
        "dcim.device",
        ds,
    )

    d = device("ncsu117-distswitch1")
    ifs = rows("dcim/interfaces/", [("device_id", d["id"]), ("type", "100gbase-x-qsfp28")])
    add(
        cap,
        "Get the 100G interfaces of ncsu117-distswitch1",
        "lookup",
        3,
        f"GET dcim/interfaces/?device_id={d['id']}&type=100gbase-x-qsfp28",
        "dcim.interface",
        ifs,
    )


# ---------------------------------------------------------------------------------------------- 3. patterns
def patterns() -> None:
    cap = "patterns"
    s = site("dm-akron")
    v = one("ipam/vlans/", [("site_id", s["id"]), ("vid", 100)])
    ifs = get("dcim/interfaces/", {"vlan_id": v["id"], "limit": 1})["count"]
    add(
        cap,
        "ports on vlan 100 at DM-Akron",
        "vlan_topology",
        4,
        f"GET ipam/vlans/?site_id={s['id']}&vid=100 -> {v['id']}; dcim/interfaces/?vlan_id={v['id']} -> "
        f"{ifs}: no "
        "interface in this NetBox has an 802.1Q mode or VLAN, so none (listing all ports is wrong)",
        "dcim.interface",
        total=ifs,
    )

    s = site("dm-camden")
    v = one("ipam/vlans/", [("site_id", s["id"]), ("name", "Voice")])
    ifs = get("dcim/interfaces/", {"vlan_id": v["id"], "limit": 1})["count"]
    add(
        cap,
        "which devices carry the Voice VLAN at DM-Camden",
        "vlan_topology",
        4,
        f"GET ipam/vlans/?site_id={s['id']}&name=Voice -> {v['id']}; dcim/interfaces/?vlan_id={v['id']} -> "
        f"{ifs} "
        "interfaces, so no device (a table of interfaces or devices, empty)",
        total=ifs,
    )

    s = site("jbb-branch-109")
    v = one("ipam/vlans/", [("site_id", s["id"]), ("vid", 202)])
    ifs = get("dcim/interfaces/", {"vlan_id": v["id"], "limit": 1})["count"]
    add(
        cap,
        "interfaces tagged or untagged in vlan 202 at JBB Branch 109",
        "vlan_topology",
        4,
        f"GET ipam/vlans/?site_id={s['id']}&vid=202 -> {v['id']} ({v['display']}); "
        f"dcim/interfaces/?vlan_id={v['id']} "
        f"-> {ifs}",
        "dcim.interface",
        total=ifs,
    )

    s = site("dm-utica")
    v = one("ipam/vlans/", [("site_id", s["id"]), ("name", "Data")])
    ps = rows("ipam/prefixes/", [("vlan_id", v["id"])])
    add(
        cap,
        "what prefix is on the Data vlan at DM-Utica",
        "vlan_topology",
        4,
        f"GET ipam/vlans/?site_id={s['id']}&name=Data -> {v['id']}; ipam/prefixes/?vlan_id={v['id']}",
        "ipam.prefix",
        ps,
    )

    s = site("dm-syracuse")
    v = one("ipam/vlans/", [("site_id", s["id"]), ("vid", 300)])
    ps = rows("ipam/prefixes/", [("vlan_id", v["id"])])
    add(
        cap,
        "subnets assigned to VLAN 300 at DM-Syracuse",
        "vlan_topology",
        4,
        f"GET ipam/vlans/?site_id={s['id']}&vid=300 -> {v['id']} ({v['display']}); "
        f"ipam/prefixes/?vlan_id={v['id']}",
        "ipam.prefix",
        ps,
    )

    i = iface("ncsu-coreswitch1", "xe-0/0/0")
    hops = trace(i["id"])
    add(
        cap,
        "trace xe-0/0/0 on ncsu-coreswitch1",
        "trace",
        4,
        f"GET dcim/interfaces/?device=ncsu-coreswitch1&name=xe-0/0/0 -> {i['id']}; "
        f"dcim/interfaces/{i['id']}/trace/ "
        f"-> hops {hops}",
        has=["PP:B117", "350927", "ncsu117-distswitch1"],
    )
    assert {"PP:B117", "350927", "ncsu117-distswitch1"} <= set(hops), hops

    i = iface("dmi01-akron-rtr01", "GigabitEthernet0/0/0")
    hops = trace(i["id"])
    cid = i["link_peers"][0]["circuit"]["cid"]
    add(
        cap,
        "cable path from dmi01-akron-rtr01 GigabitEthernet0/0/0",
        "trace",
        4,
        f"GET dcim/interfaces/{i['id']}/trace/ -> hops {hops}: circuit {cid}, ends at provider network "
        f"{hops[-1]}",
        has=[cid, hops[-1]],
    )

    i = iface("ncsu128-distswitch1", "xe-0/0/3")
    hops = trace(i["id"])
    far = i["connected_endpoints"][0]
    add(
        cap,
        "trace ncsu128-distswitch1 xe-0/0/3 end to end",
        "trace",
        4,
        f"GET dcim/interfaces/{i['id']}/trace/ -> hops {hops}; connected_endpoints {disp(far['device'])} "
        f"{far['display']}",
        has=[disp(far["device"]), far["display"], hops[hops.index("Rear Splice") + 2].split(":")[0]],
    )

    i = iface("dmi01-buffalo-sw01", "GigabitEthernet1/0/2")
    add(
        cap,
        "trace the cable on dmi01-buffalo-sw01 GigabitEthernet1/0/2",
        "trace",
        4,
        f"GET dcim/interfaces/{i['id']}/trace/ -> hops {trace(i['id'])}",
        has=peers(i),
    )

    p, free = free_ips("10.112.129.0/24")
    add(
        cap,
        "free IPs in 10.112.129.0/24",
        "free_ips",
        3,
        f"GET ipam/prefixes/{p['id']}/available-ips/?limit=0 -> {len(free)} (no IP is recorded in it)",
        total=len(free),
        has=[free[0]["address"]],
    )

    p, free = free_ips("172.20.0.0/24", global_vrf=False)
    add(
        cap,
        "next available ip in 172.20.0.0/24",
        "free_ips",
        3,
        f"GET ipam/prefixes/?prefix=172.20.0.0/24 (VRF {disp(p['vrf'])}) -> {p['id']}; available-ips -> "
        "first "
        f"{free[0]['address']} (.1-.30 are taken)",
        has=[free[0]["address"]],
    )

    p, free = free_ips("10.112.160.0/28")
    add(
        cap,
        "how many free addresses are left in 10.112.160.0/28",
        "free_ips",
        3,
        f"GET ipam/prefixes/{p['id']}/available-ips/?limit=0 -> {len(free)}",
        total=len(free),
        has=[str(len(free))],
    )

    p, free = free_ips("192.168.0.0/22")
    add(
        cap,
        "unused IPs in 192.168.0.0/22",
        "free_ips",
        3,
        f"GET ipam/prefixes/?prefix=192.168.0.0/22&vrf_id=null -> {p['id']} (global; 192.168.0.0/20 is in "
        "VRF "
        f"Shared); available-ips?limit=0 -> {len(free)}, first {free[0]['address']} (.1-.30 are taken; IP "
        "ranges "
        "are not marked populated so they do not count as used)",
        total=len(free),
        has=[free[0]["address"]],
    )

    s = site("ncsu-065")
    rs = rows("dcim/racks/", [("site_id", s["id"])])
    add(
        cap,
        "rack utilization at MDF",
        "rack_utilization",
        4,
        f"GET dcim/racks/?site_id={s['id']} then devices per rack: " + "; ".join(rack_use(r) for r in rs),
        "dcim.rack",
        rs,
    )

    r = one("dcim/racks/", [("name", "IDF128")])
    add(
        cap,
        "how full is IDF128",
        "rack_utilization",
        3,
        f"GET dcim/racks/?name=IDF128, dcim/devices/?rack_id={r['id']} -> {rack_use(r)}; units 1-10 are "
        "reserved "
        "(dcim/rack-reservations/?rack_id)",
        "dcim.rack",
        [r],
    )

    r = rack("dm-camden", "Comms closet")
    add(
        cap,
        "how much space is used in the comms closet at DM-Camden",
        "rack_utilization",
        4,
        f"GET dcim/racks/?site=dm-camden&name=Comms closet -> {r['id']}; devices -> {rack_use(r)}",
        "dcim.rack",
        [r],
    )

    ds = rows("dcim/devices/", [("role", "access-switch"), ("region", "us-ny")])
    add(
        cap,
        "access switches in New York",
        "bulk_discovery",
        2,
        "GET dcim/devices/?role=access-switch&region=us-ny",
        "dcim.device",
        ds,
    )

    ds = rows("dcim/devices/", [("manufacturer", "juniper"), ("role", "tor-switch"), ("site", "ncsu-065")])
    add(
        cap,
        "juniper ToR switches at MDF",
        "bulk_discovery",
        2,
        "GET dcim/devices/?manufacturer=juniper&role=tor-switch&site=ncsu-065",
        "dcim.device",
        ds,
    )

    ds = rows(
        "dcim/devices/",
        [("role", "router"), ("tenant", "dunder-mifflin"), ("platform", "cisco-ios"), ("status", "active")],
    )
    add(
        cap,
        "active Dunder-Mifflin routers running Cisco IOS",
        "bulk_discovery",
        2,
        "GET dcim/devices/?role=router&tenant=dunder-mifflin&platform=cisco-ios&status=active",
        "dcim.device",
        ds,
    )

    ds = rows("dcim/devices/", [("role", "patch-panel"), ("tenant", "nc-state")])
    add(
        cap,
        "patch panels belonging to NC State University",
        "bulk_discovery",
        2,
        "GET dcim/devices/?role=patch-panel&tenant=nc-state (three share the name PP:MDF; the 13 Panduit "
        "panels "
        "have no tenant)",
        "dcim.device",
        ds,
    )

    ds = rows("dcim/devices/", [("role", "distribution-switch"), ("region", "us-nc")])
    add(
        cap,
        "distribution switches in North Carolina",
        "bulk_discovery",
        2,
        "GET dcim/devices/?role=distribution-switch&region=us-nc",
        "dcim.device",
        ds,
    )


# ---------------------------------------------------------------------------------------------- 4. counts
def counts() -> None:
    cap = "counts"
    devs = rows("dcim/devices/")
    c = group(devs, "site")
    add(
        cap,
        "how many devices per site",
        "group_count",
        2,
        f"GET dcim/devices/ grouped by site (sites with none are not listed or are 0): {pairs(c)}",
        has=[c.most_common(1)[0][0], str(c.most_common(1)[0][1]), "DM-Akron"],
    )

    c = group(devs, "role")
    add(
        cap,
        "device count by role",
        "group_count",
        2,
        f"GET dcim/devices/ grouped by role: {pairs(c)}",
        has=[c.most_common(1)[0][0], str(c.most_common(1)[0][1]), "Access Switch", "ToR Switch"],
    )

    vms = rows("virtualization/virtual-machines/")
    c = group(vms, "cluster")
    add(
        cap,
        "how many VMs in each cluster",
        "group_count",
        2,
        f"GET virtualization/virtual-machines/ grouped by cluster: {pairs(c)}; the 23 Google Cloud clusters "
        "have 0",
        has=["DO-NYC1", "DO-SGP1", str(c.most_common(1)[0][1])],
    )

    cs = rows("circuits/circuits/")
    c = group(cs, "provider")
    add(
        cap,
        "number of circuits by provider",
        "group_count",
        2,
        f"GET circuits/circuits/ grouped by provider: {pairs(c)}",
        has=sorted(c) + [str(c.most_common(1)[0][1])],
    )

    d = device("dmi01-akron-sw01")
    ifs = rows("dcim/interfaces/", [("device_id", d["id"])])
    add(
        cap,
        "how many interfaces does dmi01-akron-sw01 have",
        "count",
        3,
        f"GET dcim/interfaces/?device_id={d['id']} -> count {len(ifs)}",
        "dcim.interface",
        total=len(ifs),
        has=[str(len(ifs))],
    )

    s = site("ncsu-065")
    rs = rows("dcim/racks/", [("site_id", s["id"])])
    add(
        cap,
        "count the racks at MDF",
        "count",
        3,
        f"GET dcim/racks/?site_id={s['id']} -> count {len(rs)}",
        "dcim.rack",
        total=len(rs),
        has=[str(len(rs))],
    )

    used = {r["site"]["id"] for r in devs}
    empty = [s for s in rows("dcim/sites/") if s["id"] not in used]
    add(
        cap,
        "sites with no devices",
        "bulk_discovery",
        3,
        "GET dcim/sites/ and dcim/devices/?fields=site: sites no device names (or dcim/sites/ device_count "
        "== 0)",
        "dcim.site",
        empty,
    )

    with_pfx = {p["vlan"]["id"] for p in rows("ipam/prefixes/") if p["vlan"]}
    lone = [v for v in rows("ipam/vlans/") if v["id"] not in with_pfx]
    add(
        cap,
        "VLANs without prefixes",
        "bulk_discovery",
        3,
        "GET ipam/vlans/ minus the vlan ids of ipam/prefixes/ (prefix_count == 0): all 24 JBB VLANs "
        "(the JBB branches have no prefixes)",
        "ipam.vlan",
        lone,
    )

    in_rack = {d["rack"]["id"] for d in devs if d["rack"]}
    bare = [r for r in rows("dcim/racks/") if r["id"] not in in_rack]
    add(
        cap,
        "which racks have nothing in them",
        "bulk_discovery",
        3,
        "GET dcim/racks/ minus the rack ids of dcim/devices/ (device_count == 0)",
        "dcim.rack",
        bare,
    )

    vlans = rows("ipam/vlans/")
    c = group(vlans, "site")
    add(
        cap,
        "how many VLANs per site",
        "group_count",
        2,
        f"GET ipam/vlans/ grouped by site: {pairs(c)}",
        has=["JBB Branch 104", "DM-Akron", str(c.most_common(1)[0][1])],
    )

    sites = rows("dcim/sites/")
    c = group(sites, "region")
    add(
        cap,
        "how many sites per region",
        "group_count",
        2,
        f"GET dcim/sites/ grouped by region: {pairs(c)}",
        has=[c.most_common(1)[0][0], str(c.most_common(1)[0][1]), "North Carolina"],
    )

    n = get("ipam/ip-addresses/", {"limit": 1})["count"]
    add(
        cap,
        "total number of IP addresses?",
        "count",
        1,
        f"GET ipam/ip-addresses/?limit=1 -> count {n}",
        "ipam.ipaddress",
        total=n,
        has=[str(n)],
    )

    n = get("dcim/cables/", {"limit": 1})["count"]
    add(
        cap,
        "how many cables are documented",
        "count",
        1,
        f"GET dcim/cables/?limit=1 -> count {n}",
        "dcim.cable",
        total=n,
        has=[str(n)],
    )

    pn = one("dcim/power-panels/", [("name", "Panel 3")])
    pf = rows("dcim/power-feeds/", [("power_panel_id", pn["id"])])
    add(
        cap,
        "count of power feeds on Panel 3",
        "count",
        3,
        f"GET dcim/power-panels/?name=Panel 3 -> {pn['id']}; dcim/power-feeds/?power_panel_id={pn['id']}",
        "dcim.powerfeed",
        total=len(pf),
        has=[str(len(pf))],
    )

    racks = rows("dcim/racks/")
    c = group([{"s": r["status"]["label"]} for r in racks], "s")
    add(
        cap,
        "breakdown of racks by status",
        "group_count",
        2,
        f"GET dcim/racks/ grouped by status: {pairs(c)}",
        has=[str(c.most_common(1)[0][1]), "Available"],
    )

    with_vm = {v["cluster"]["id"] for v in vms if v["cluster"]}
    idle = [cl for cl in rows("virtualization/clusters/") if cl["id"] not in with_vm]
    add(
        cap,
        "clusters with no VMs",
        "bulk_discovery",
        3,
        "GET virtualization/clusters/ minus the cluster ids of virtual-machines (virtualmachine_count == 0)",
        "virtualization.cluster",
        idle,
    )

    with_c = {c_["provider"]["id"] for c_ in cs}
    idle = [p for p in rows("circuits/providers/") if p["id"] not in with_c]
    add(
        cap,
        "providers we have no circuits with",
        "bulk_discovery",
        3,
        "GET circuits/providers/ minus the provider ids of circuits/circuits/ (circuit_count == 0)",
        "circuits.provider",
        idle,
    )

    with_d = {d["tenant"]["id"] for d in devs if d["tenant"]}
    idle = [t for t in rows("tenancy/tenants/") if t["id"] not in with_d]
    add(
        cap,
        "tenants without any devices",
        "bulk_discovery",
        3,
        "GET tenancy/tenants/ minus the tenant ids of dcim/devices/ (device_count == 0)",
        "tenancy.tenant",
        idle,
    )

    dts = rows("dcim/device-types/")
    c = group(dts, "manufacturer")
    add(
        cap,
        "device types per manufacturer",
        "group_count",
        2,
        f"GET dcim/device-types/ grouped by manufacturer: {pairs(c)}",
        has=[c.most_common(1)[0][0], str(c.most_common(1)[0][1]), "Panduit"],
    )


# ---------------------------------------------------------------------------------------------- 5. hard
def hard() -> None:
    cap = "hard"
    cs = rows("circuits/circuits/", [("region", "us-oh")])
    add(
        cap,
        "circuits terminating in Ohio",
        "bulk_discovery",
        2,
        "GET circuits/circuits/?region=us-oh (circuit -> termination -> site -> region)",
        "circuits.circuit",
        cs,
    )

    cs = rows("circuits/circuits/", [("region", "us-nh"), ("region", "us-ma")])
    add(
        cap,
        "circuits that terminate in New Hampshire or Massachusetts",
        "bulk_discovery",
        2,
        "GET circuits/circuits/?region=us-nh&region=us-ma (repeated values are OR'ed)",
        "circuits.circuit",
        cs,
    )

    cl = one("virtualization/clusters/", [("name", "DO-SGP1")])
    vi = rows("virtualization/interfaces/", [("cluster_id", cl["id"])])
    add(
        cap,
        "VM interfaces in cluster DO-SGP1",
        "bulk_discovery",
        3,
        f"GET virtualization/interfaces/?cluster_id={cl['id']} (cluster -> VMs -> interfaces): 20 VMs x "
        "eth0-eth3",
        "virtualization.vminterface",
        vi,
    )

    r = one("dcim/racks/", [("name", "R204")])
    pf = rows("dcim/power-feeds/", [("rack_id", r["id"])])
    add(
        cap,
        "power feeds for rack R204",
        "lookup",
        3,
        f"GET dcim/racks/?name=R204 -> {r['id']}; dcim/power-feeds/?rack_id={r['id']} -> "
        f"{[(f['display'], disp(f['power_panel'])) for f in pf]}",
        "dcim.powerfeed",
        pf,
        has=sorted({disp(f["power_panel"]) for f in pf}),
    )

    d = device("PP:B118")
    fp = rows("dcim/front-ports/", [("device_id", d["id"])])
    add(
        cap,
        "front ports of PP:B118",
        "lookup",
        3,
        f"GET dcim/front-ports/?device_id={d['id']}",
        "dcim.frontport",
        fp,
        contains=["Port 1", "Port 48"],
    )

    pps = rows("dcim/devices/", [("name", "PP:MDF")])
    fp = rows("dcim/front-ports/", [("device_id", d_["id"]) for d_ in pps])
    add(
        cap,
        "show the front ports on PP:MDF",
        "lookup",
        3,
        f"GET dcim/devices/?name=PP:MDF -> {len(pps)} devices ({[disp(d_['site']) for d_ in pps]}): which "
        "one? "
        f"listing the front ports of all of them ({len(fp)}) is right too",
        "dcim.frontport",
        total=len(fp),
        status="needs_choice",
    )

    ss = rows("dcim/sites/", [("region", "us-oh"), ("region", "us-pa")])
    add(
        cap,
        "sites in Ohio or Pennsylvania",
        "bulk_discovery",
        2,
        "GET dcim/sites/?region=us-oh&region=us-pa",
        "dcim.site",
        ss,
    )

    s = site("dm-nyc")
    ds = rows("dcim/devices/", [("site_id", s["id"])])
    add(
        cap,
        "devices at DM-NYC",
        "bulk_discovery",
        3,
        f"GET dcim/devices/?site_id={s['id']} -> {len(ds)}: the HQ site exists but has no devices",
        "dcim.device",
        total=len(ds),
    )

    ds = rows("dcim/devices/", [("manufacturer", "arista")])
    add(
        cap,
        "list arista devices",
        "bulk_discovery",
        2,
        f"GET dcim/devices/?manufacturer=arista -> {len(ds)}: the manufacturer exists with no device types",
        "dcim.device",
        total=len(ds),
    )

    racks = rows("dcim/racks/", [("name", "Comms closet")])
    ds = rows("dcim/devices/", [("rack_id", r_["id"]) for r_ in racks])
    add(
        cap,
        "what's in the comms closet",
        "lookup",
        3,
        f"GET dcim/racks/?name=Comms closet -> {len(racks)} racks (one per DM branch): which one? listing "
        "the "
        f"devices of all of them ({len(ds)}) is right too",
        "dcim.device",
        total=len(ds),
        status="needs_choice",
    )

    vs = rows("ipam/vlans/", [("vid", 100), ("name", "Data")])
    add(
        cap,
        "show me vlan Data (100)",
        "lookup",
        2,
        f"GET ipam/vlans/?vid=100&name=Data -> {len(vs)} VLANs, one per DM site: which one? listing all is "
        "right too",
        "ipam.vlan",
        total=len(vs),
        status="needs_choice",
    )

    d = one("dcim/devices/", [("site", "dm-utica"), ("role", "patch-panel")])
    fp = rows("dcim/front-ports/", [("device_id", d["id"])])
    add(
        cap,
        "front ports on the Panduit patch panel at DM-Utica",
        "lookup",
        4,
        f"GET dcim/devices/?site=dm-utica&role=patch-panel -> {d['display']} ({d['id']}); "
        f"dcim/front-ports/?device_id={d['id']}",
        "dcim.frontport",
        fp,
        contains=["Port 1", "Port 48"],
    )

    cores = rows("dcim/devices/", [("role", "core-switch")])
    pf = rows("dcim/power-feeds/", [("rack_id", c_["rack"]["id"]) for c_ in cores])
    add(
        cap,
        "power feeds of the racks holding the core switches",
        "lookup",
        3,
        f"GET dcim/devices/?role=core-switch -> racks {[disp(c_['rack']) for c_ in cores]}; "
        "dcim/power-feeds/?rack_id=..&rack_id=..",
        "dcim.powerfeed",
        pf,
    )

    tsites = rows("dcim/sites/", [("tenant", "nc-state")])
    cs = rows("circuits/circuits/", [("site_id", s_["id"]) for s_ in tsites])
    add(
        cap,
        "circuits terminating at NC State University sites",
        "bulk_discovery",
        3,
        f"GET dcim/sites/?tenant=nc-state -> {[s_['display'] for s_ in tsites]}; "
        "circuits/circuits/?site_id=.. "
        "(each dark fiber has both ends there; the circuits' own tenant agrees)",
        "circuits.circuit",
        cs,
    )

    grp = one("virtualization/cluster-groups/", [("slug", "north-america")])
    cls = rows("virtualization/clusters/", [("group_id", grp["id"]), ("type", "digitalocean")])
    vms = rows("virtualization/virtual-machines/", [("cluster_id", c_["id"]) for c_ in cls])
    add(
        cap,
        "VMs in North American DigitalOcean clusters",
        "bulk_discovery",
        3,
        f"GET virtualization/clusters/?group_id={grp['id']}&type=digitalocean -> "
        f"{[c_['display'] for c_ in cls]}; virtual-machines/?cluster_id=.. -> {len(vms)}",
        "virtualization.virtualmachine",
        vms,
    )

    zs = rows("dcim/sites/", [("tag", "zulu")])
    ds = rows("dcim/devices/", [("site_id", s_["id"]) for s_ in zs])
    add(
        cap,
        "devices at sites tagged Zulu",
        "bulk_discovery",
        3,
        f"GET dcim/sites/?tag=zulu -> {[s_['display'] for s_ in zs]}; dcim/devices/?site_id=.. "
        "(the devices themselves have no tags: dcim/devices/?tag=zulu is 0)",
        "dcim.device",
        ds,
        contains=["dmi01-camden-rtr01", "ncsu-coreswitch1"],
        show=False,
    )

    cl = [c_ for c_ in rows("circuits/circuits/", [("provider", "centurylink")])]
    term_ids = {t["id"] for c_ in cl for t in (c_["termination_a"], c_["termination_z"]) if t}
    ifs = [
        i
        for i in rows("dcim/interfaces/", [("cabled", "true")])
        if i["link_peers_type"] == "circuits.circuittermination" and i["link_peers"][0]["id"] in term_ids
    ]
    add(
        cap,
        "which router interfaces plug into CenturyLink circuits",
        "bulk_discovery",
        4,
        "GET circuits/circuits/?provider=centurylink -> termination ids; dcim/interfaces/?cabled=true whose "
        f"link_peers are those terminations: {[(disp(i['device']), i['name']) for i in ifs]}",
        "dcim.interface",
        ifs,
        has=["dmi01-akron-rtr01"],
    )

    s = site("dm-rochester")
    sw = one("dcim/devices/", [("site_id", s["id"]), ("role", "access-switch")])
    ifs = rows("dcim/interfaces/", [("device_id", sw["id"])])
    add(
        cap,
        "ports on the access switch at DM-Rochester",
        "lookup",
        4,
        f"GET dcim/devices/?site_id={s['id']}&role=access-switch -> {sw['display']} (its name is spelled "
        "that way "
        f"in NetBox); dcim/interfaces/?device_id={sw['id']}",
        "dcim.interface",
        ifs,
        has=[sw["display"]],
        contains=["GigabitEthernet1/0/48", "Po1"],
    )

    loc = one("dcim/locations/", [("name", "Row 3")])
    rs = rows("dcim/racks/", [("location_id", loc["id"]), ("status", "available")])
    add(
        cap,
        "available racks in Row 3",
        "bulk_discovery",
        3,
        f"GET dcim/locations/?name=Row 3 -> {loc['id']}; "
        f"dcim/racks/?location_id={loc['id']}&status=available",
        "dcim.rack",
        rs,
    )

    s = site("dm-akron")
    vs = rows("ipam/vlans/", [("site_id", s["id"]), ("vid", 999)])
    add(
        cap,
        "vlan 999 at DM-Akron",
        "lookup",
        2,
        f"GET ipam/vlans/?site_id={s['id']}&vid=999 -> {len(vs)}",
        "ipam.vlan",
        total=len(vs),
    )

    ss = rows("dcim/sites/", [("region", "us-tx")])
    add(
        cap,
        "sites in Texas",
        "bulk_discovery",
        2,
        f"GET dcim/sites/?region=us-tx -> {len(ss)} (the region exists)",
        "dcim.site",
        total=len(ss),
    )


# ---------------------------------------------------------------------------------------------- 6. messy
def messy() -> None:
    cap = "messy"
    s = site("dm-akron")
    ds = rows("dcim/devices/", [("site_id", s["id"])])
    add(
        cap,
        "hey can u show me the devices in akron",
        "bulk_discovery",
        3,
        f"'akron' is the site DM-Akron; GET dcim/devices/?site_id={s['id']}",
        "dcim.device",
        ds,
    )

    d = device("dmi01-scranton-sw01")
    ifs = rows("dcim/interfaces/", [("device_id", d["id"])])
    add(
        cap,
        "DMI01-SCRANTON-SW01 INTERFACES",
        "lookup",
        3,
        f"GET dcim/interfaces/?device_id={d['id']}",
        "dcim.interface",
        ifs,
        contains=["GigabitEthernet1/0/1", "GigabitEthernet0", "STACK1", "Po1"],
        show=False,
    )

    i = iface("ncsu-coreswitch1", "xe-0/0/4")
    add(
        cap,
        "ncsu coreswitch1 xe 0/0/4 whats on the other end",
        "trace",
        4,
        f"GET dcim/interfaces/?device=ncsu-coreswitch1&name=xe-0/0/4 -> link peer {peers(i)}, path end "
        f"{[(disp(e['device']), e['display']) for e in i['connected_endpoints']]}; both the peer and the far "
        "end "
        "are right",
        has=[disp(i["link_peers"][0]["device"])],
    )

    s = site("dm-albany")
    vs = rows("ipam/vlans/", [("site_id", s["id"])])
    add(cap, "vlans @ dm albany pls", "lookup", 3, f"GET ipam/vlans/?site_id={s['id']}", "ipam.vlan", vs)

    s = site("ncsu-118")
    rs = rows("dcim/racks/", [("site_id", s["id"])])
    add(
        cap,
        "racks at grinnels lab",
        "bulk_discovery",
        3,
        f"typo of the site Grinnells Lab; GET dcim/racks/?site_id={s['id']}",
        "dcim.rack",
        rs,
    )

    ds = rows("dcim/devices/", [("role", "router"), ("region", "us-pa")])
    add(
        cap,
        "routers in pensylvania",
        "bulk_discovery",
        2,
        "GET dcim/devices/?role=router&region=us-pa",
        "dcim.device",
        ds,
    )

    d = device("dmi01-stamford-rtr01")
    add(
        cap,
        "dmi01 stamford rtr01 platform",
        "attribute",
        2,
        f"GET dcim/devices/?name=dmi01-stamford-rtr01 -> platform {disp(d['platform'])}",
        "dcim.device",
        [d],
        has=[disp(d["platform"])],
    )

    i = iface("dmi01-utica-sw01", "GigabitEthernet1/0/1")
    add(
        cap,
        "show me   Gi 1/0/1   on dmi01-utica-sw01",
        "lookup",
        3,
        f"GET dcim/interfaces/?device=dmi01-utica-sw01&name=GigabitEthernet1/0/1 -> cabled to {peers(i)}",
        "dcim.interface",
        [i],
    )

    cs = rows("circuits/circuits/", [("provider", "centurylink")])
    add(
        cap,
        "circuts from centurylink",
        "bulk_discovery",
        2,
        "GET circuits/circuits/?provider=centurylink",
        "circuits.circuit",
        cs,
    )

    vrf = one("ipam/vrfs/", [("name", "Alpha")])
    ips = rows("ipam/ip-addresses/", [("vrf_id", vrf["id"])])
    add(
        cap,
        "IP ADDRESSES IN VRF ALPHA",
        "bulk_discovery",
        3,
        f"GET ipam/ip-addresses/?vrf_id={vrf['id']}",
        "ipam.ipaddress",
        ips,
        contains=["172.16.0.1/24", "172.16.0.30/24"],
        show=False,
    )

    p, free = free_ips("10.112.133.0/24")
    add(
        cap,
        "whats the free ips in 10.112.133.0/24??",
        "free_ips",
        3,
        f"GET ipam/prefixes/{p['id']}/available-ips/?limit=0 -> {len(free)}",
        total=len(free),
        has=[free[0]["address"]],
    )

    r = one("dcim/racks/", [("name", "R106")])
    ds = rows("dcim/devices/", [("rack_id", r["id"]), ("role", "tor-switch")])
    add(
        cap,
        "tor swiches in rack r106",
        "bulk_discovery",
        3,
        f"GET dcim/racks/?name=R106 -> {r['id']}; dcim/devices/?rack_id={r['id']}&role=tor-switch",
        "dcim.device",
        ds,
    )

    c = one("circuits/circuits/", [("cid", "DEOW4921")])
    add(
        cap,
        "hey whats the provder for circuit DEOW4921",
        "attribute",
        2,
        f"GET circuits/circuits/?cid=DEOW4921 -> provider {disp(c['provider'])}",
        "circuits.circuit",
        [c],
        has=[disp(c["provider"])],
    )

    cl = one("virtualization/clusters/", [("name", "DO-FRA1")])
    vms = rows("virtualization/virtual-machines/", [("cluster_id", cl["id"])])
    add(
        cap,
        "how many vms in do-fra1",
        "count",
        3,
        f"GET virtualization/virtual-machines/?cluster_id={cl['id']} -> count {len(vms)}",
        "virtualization.virtualmachine",
        total=len(vms),
        has=[str(len(vms))],
    )

    s = site("dm-yonkers")
    ps = rows("ipam/prefixes/", [("site_id", s["id"])])
    add(
        cap,
        "prefixes @ dm-yonkers",
        "bulk_discovery",
        3,
        f"GET ipam/prefixes/?site_id={s['id']}",
        "ipam.prefix",
        ps,
    )

    s = site("dm-nashua")
    ds = rows("dcim/devices/", [("site_id", s["id"]), ("role", "pdu")])
    add(
        cap,
        "list  devices   role pdu  site nashua",
        "bulk_discovery",
        3,
        f"GET dcim/devices/?site_id={s['id']}&role=pdu",
        "dcim.device",
        ds,
    )

    pn = one("dcim/power-panels/", [("name", "Panel 1")])
    pf = rows("dcim/power-feeds/", [("power_panel_id", pn["id"])])
    add(
        cap,
        "power feeds on panel 1 plz",
        "lookup",
        3,
        f"GET dcim/power-feeds/?power_panel_id={pn['id']}",
        "dcim.powerfeed",
        pf,
    )

    d = device("ncsu-coreswitch1")
    cp = rows("dcim/console-ports/", [("device_id", d["id"])])
    add(
        cap,
        "ncsu coreswitch 1 console ports",
        "lookup",
        3,
        f"GET dcim/console-ports/?device_id={d['id']}",
        "dcim.consoleport",
        cp,
    )

    ds = rows("dcim/devices/", [("device_type", "ex9214")])
    add(
        cap,
        "devs w/ type ex9214?",
        "bulk_discovery",
        2,
        "GET dcim/devices/?device_type=ex9214 (slug)",
        "dcim.device",
        ds,
    )

    s = site("dm-camden")
    cb = rows("dcim/cables/", [("site_id", s["id"])])
    add(
        cap,
        "cables at dm-camden",
        "bulk_discovery",
        3,
        f"GET dcim/cables/?site_id={s['id']} (circuit, router-switch and power cables)",
        "dcim.cable",
        cb,
    )


def main() -> None:
    for part in (oncall, public, patterns, counts, hard, messy):
        part()
    status = get("status/")
    kinds = Counter(c["capability"] for c in CASES)
    head = (
        f"# heldout18demo: {len(CASES)} held-out questions for netbox-tui, generated by "
        "make_heldout18demo.py\n"
        f"# on {datetime.date.today().isoformat()} from the demo NetBox {status['netbox-version']} ({URL}).\n"
        "# Every expected value comes from a hand-chosen REST query (GET) run at generation time (see each "
        "note);\n"
        "# filters that would return the whole table are refused as probably ignored. Do not hand-edit.\n"
        f"# Kinds: {', '.join(f'{k} {v}' for k, v in kinds.items())}.\n"
    )
    sys.stdout.write(head + yaml.safe_dump(CASES, sort_keys=False, allow_unicode=True, width=110))


if __name__ == "__main__":
    main()
