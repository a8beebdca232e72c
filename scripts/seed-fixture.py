#!/usr/bin/env python3
"""Seed the fixture NetBox (scripts/netbox-fixture, port 8001, database netbox_fixture) through its REST API.

The fixture NetBox starts as a copy of the public demo data. The demo data has no 802.1Q modes, no
VLANs on interfaces, no interface descriptions, no disabled interfaces, no serials, no asset tags, no
IP addresses on interfaces and no primary IPs; this script enters them the way an operator would,
with the demo dump's read-write token, so tests have positive cases of each.

What is seeded is the data SEED below (also written to tests/data/fixture-seed.json, with the
counts the fixture NetBox must then answer, for tests to read). Nothing else is changed.

Idempotent: the last thing it does is create the tag `netbox-tui-fixture` whose description holds a
hash of SEED. When that tag is there with the same hash it does nothing (one request). Otherwise it
converges: every object is looked up before it is created, every value is compared and PATCHed
where it differs, then everything is read back and checked, then the tag is written. A run that died
half-way is finished by the next one. Values that a later edit of SEED drops are not undone: drop the
database (scripts/netbox-fixture stop; su postgres -c "dropdb netbox_fixture") to start over.

It refuses any URL that is not on the loopback, or whose port is 8000 (the demo NetBox other tests
depend on) or the port of NETBOX_TEST_URL.

    scripts/seed-fixture.py [--url http://127.0.0.1:8001]   seed (NETBOX_FIXTURE_URL is the default)
    scripts/seed-fixture.py --check                        read-only: compare the server with SEED
    scripts/seed-fixture.py --write-json                   only (re)write tests/data/fixture-seed.json

Python >= 3.10, standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import ipaddress
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# ------------------------------------------------------------------------------------------------
# What is seeded. Interfaces, devices, VMs and VLAN sites are the demo data's own objects (looked up
# by name); objects marked "create" are new. VLANs are named by NetBox's display, "Name (VID)", and
# looked up in the device's "vlans" scope (its site's VLANs, or a VLAN group). An interface entry sets
# exactly the keys it lists; one with "mode" sets its whole 802.1Q state (absent VLANs = none).
# ------------------------------------------------------------------------------------------------
SEED: dict = {
    "marker_tag": {"name": "netbox-tui-fixture", "slug": "netbox-tui-fixture"},
    "platforms": [
        {"name": "Juniper Junos", "slug": "juniper-junos", "manufacturer": "juniper", "create": True},
    ],
    "vlan_groups": [
        {"name": "NCSU Campus", "slug": "ncsu-campus", "scope_type": "dcim.region", "scope": "us-nc",
         "description": "NC State campus VLANs", "create": True},
    ],
    "vlans": [
        {"group": "ncsu-campus", "vid": 110, "name": "Faculty-Staff", "tenant": "nc-state", "create": True},
        {"group": "ncsu-campus", "vid": 120, "name": "Students", "tenant": "nc-state", "create": True},
        {"group": "ncsu-campus", "vid": 130, "name": "Research-Lab", "tenant": "nc-state", "create": True},
        {"group": "ncsu-campus", "vid": 140, "name": "Building-Systems", "tenant": "nc-state", "create": True},
        {"group": "ncsu-campus", "vid": 999, "name": "Native", "tenant": "nc-state", "create": True},
    ],
    "devices": [
        {
            "name": "dmi01-stamford-sw01", "site": "DM-Stamford", "role": "Access Switch",
            "serial": "FOC2418Y1K7", "asset_tag": "DM-IT-000412", "platform": "Cisco IOS",
            "primary_ip4": "10.112.164.2/28",
            "vlans": {"site": "DM-Stamford"},
            "interfaces": [
                {"name": "GigabitEthernet1/0/1", "lag": "Po1", "description": "uplink to dmi01-stamford-rtr01 Gi0/1/0"},
                {"name": "GigabitEthernet1/0/2", "lag": "Po1", "description": "uplink to dmi01-stamford-rtr01 Gi0/1/1"},
                {"name": "Po1", "mode": "tagged", "untagged_vlan": "Data (100)",
                 "tagged_vlans": ["Voice (200)", "Wireless (300)"], "description": "uplink to dmi01-stamford-rtr01 Po1"},
                {"name": "GigabitEthernet1/0/3", "mode": "access", "untagged_vlan": "Data (100)", "description": "printer 2F copy room"},
                {"name": "GigabitEthernet1/0/4", "mode": "access", "untagged_vlan": "Data (100)"},
                {"name": "GigabitEthernet1/0/5", "mode": "access", "untagged_vlan": "Data (100)"},
                {"name": "GigabitEthernet1/0/6", "mode": "access", "untagged_vlan": "Data (100)", "description": "desk 2F-14"},
                {"name": "GigabitEthernet1/0/7", "mode": "tagged", "untagged_vlan": "Data (100)",
                 "tagged_vlans": ["Voice (200)"], "description": "IP phone + PC desk 2F-15"},
                {"name": "GigabitEthernet1/0/8", "mode": "tagged", "untagged_vlan": "Data (100)", "tagged_vlans": ["Voice (200)"]},
                {"name": "GigabitEthernet1/0/9", "mode": "access", "untagged_vlan": "Voice (200)", "description": "conference room 2A phone"},
                {"name": "GigabitEthernet1/0/12", "mode": "access", "untagged_vlan": "Wireless (300)", "description": "AP-3F-12"},
                {"name": "GigabitEthernet1/0/14", "mode": "access", "untagged_vlan": "Wireless (300)", "description": "AP-3F-14"},
                {"name": "GigabitEthernet1/0/44", "enabled": False},
                {"name": "GigabitEthernet1/0/45", "enabled": False, "description": "spare - shut"},
                {"name": "GigabitEthernet1/0/46", "enabled": False, "mode": "access", "untagged_vlan": "Data (100)",
                 "description": "old printer removed 2024-03"},
                {"name": "GigabitEthernet1/0/47", "enabled": False},
                {"name": "GigabitEthernet1/0/48", "enabled": False},
                {"name": "GigabitEthernet0", "mgmt_only": True, "description": "OOB management"},
            ],
        },
        {
            "name": "dmi01-utica-sw01", "site": "DM-Utica", "role": "Access Switch",
            "asset_tag": "DM-IT-000455",
            "vlans": {"site": "DM-Utica"},
            "interfaces": [
                {"name": "Po1", "mode": "tagged", "untagged_vlan": "Data (100)",
                 "tagged_vlans": ["Voice (200)", "Wireless (300)"], "description": "uplink to dmi01-utica-rtr01"},
                {"name": "GigabitEthernet1/0/3", "mode": "access", "untagged_vlan": "Data (100)", "description": "printer"},
                {"name": "GigabitEthernet1/0/4", "mode": "access", "untagged_vlan": "Data (100)"},
                {"name": "GigabitEthernet1/0/5", "mode": "access", "untagged_vlan": "Data (100)"},
                {"name": "GigabitEthernet1/0/6", "mode": "access", "untagged_vlan": "Data (100)"},
                {"name": "GigabitEthernet1/0/10", "mode": "access", "untagged_vlan": "Voice (200)"},
                {"name": "GigabitEthernet1/0/24", "mode": "access", "untagged_vlan": "Wireless (300)", "description": "AP-1F-03"},
                {"name": "GigabitEthernet1/0/30", "enabled": False, "description": "cubicle removed"},
                {"name": "GigabitEthernet1/0/31", "enabled": False},
                {"name": "GigabitEthernet0", "mgmt_only": True},
            ],
        },
        {
            "name": "dmi01-stamford-rtr01", "site": "DM-Stamford", "role": "Router",
            "serial": "FGL224511QZ", "asset_tag": "DM-IT-000398",
            "primary_ip4": "10.112.164.1/32",
            "vlans": {"site": "DM-Stamford"},
            "interfaces": [
                {"name": "GigabitEthernet0/0/0", "description": "WAN: Level 3 MPLS DJDP9577"},
                {"name": "GigabitEthernet0/0/1", "description": "WAN: CenturyLink internet 1002844927"},
                {"name": "GigabitEthernet0/1/0", "lag": "Po1", "description": "dmi01-stamford-sw01 Gi1/0/1"},
                {"name": "GigabitEthernet0/1/1", "lag": "Po1", "description": "dmi01-stamford-sw01 Gi1/0/2"},
                {"name": "Po1", "mode": "tagged", "untagged_vlan": "Data (100)",
                 "tagged_vlans": ["Voice (200)", "Wireless (300)"], "description": "downlink to dmi01-stamford-sw01 Po1"},
                {"name": "GigabitEthernet0/1/2", "mode": "access", "untagged_vlan": "Wireless (300)", "description": "AP-1F-01"},
                {"name": "Wlan-GigabitEthernet0/1/8", "enabled": False},
                {"name": "Cellular0/2/0", "enabled": False, "description": "LTE backup - not activated"},
                {"name": "Loopback0", "create": {"type": "virtual"}, "description": "router ID / management"},
                {"name": "Vlan100", "create": {"type": "virtual"}, "description": "Data gateway"},
                {"name": "Vlan200", "create": {"type": "virtual"}, "description": "Voice gateway"},
                {"name": "Vlan300", "create": {"type": "virtual"}, "description": "Wireless gateway"},
            ],
        },
        {
            "name": "dmi01-pittsfield-rtr01", "site": "DM-Pittsfield", "role": "Router",
            "serial": "FGL2249103X",
            "primary_ip4": "10.112.153.1/24",
            "vlans": {"site": "DM-Pittsfield"},
            "interfaces": [
                {"name": "GigabitEthernet0/0/0", "description": "WAN: Level 3 MPLS LQRT4981"},
                {"name": "Po1", "mode": "tagged", "untagged_vlan": "Data (100)", "tagged_vlans": ["Voice (200)", "Wireless (300)"]},
                {"name": "GigabitEthernet0/1/4", "mode": "access", "untagged_vlan": "Data (100)", "description": "printer"},
                {"name": "GigabitEthernet0/1/5", "mode": "access", "untagged_vlan": "Voice (200)"},
                {"name": "GigabitEthernet0/1/6", "enabled": False, "description": "reserved for camera NVR"},
                {"name": "Cellular0/2/0", "enabled": False},
                {"name": "Vlan100", "create": {"type": "virtual"}, "description": "Data gateway"},
                {"name": "Vlan200", "create": {"type": "virtual"}, "description": "Voice gateway"},
            ],
        },
        {
            "name": "ncsu117-distswitch1", "site": "D. S. Weaver Labs", "role": "Distribution Switch",
            "serial": "WS3718280167", "platform": "Juniper Junos",
            "vlans": {"group": "ncsu-campus"},
            "interfaces": [
                {"name": "ae0", "create": {"type": "lag"}, "mode": "tagged", "untagged_vlan": "Native (999)",
                 "tagged_vlans": ["Faculty-Staff (110)", "Students (120)", "Research-Lab (130)", "Building-Systems (140)"],
                 "description": "uplink to ncsu-coreswitch1"},
                {"name": "xe-0/0/0", "lag": "ae0", "description": "ncsu-coreswitch1 xe-0/0/0"},
                {"name": "xe-0/0/1", "lag": "ae0", "description": "ncsu-coreswitch1 xe-0/0/1"},
                {"name": "ae1", "create": {"type": "lag"}, "mode": "tagged", "untagged_vlan": "Native (999)",
                 "tagged_vlans": ["Faculty-Staff (110)", "Students (120)", "Research-Lab (130)", "Building-Systems (140)"],
                 "description": "uplink to ncsu-coreswitch2 ae0"},
                {"name": "xe-0/0/2", "lag": "ae1", "description": "ncsu-coreswitch2 xe-0/0/0"},
                {"name": "xe-0/0/3", "lag": "ae1", "description": "ncsu-coreswitch2 xe-0/0/1"},
                {"name": "xe-0/0/10", "mode": "access", "untagged_vlan": "Research-Lab (130)", "description": "research lab bench 3"},
                {"name": "xe-0/0/11", "mode": "access", "untagged_vlan": "Research-Lab (130)"},
                {"name": "xe-0/0/12", "mode": "access", "untagged_vlan": "Building-Systems (140)", "description": "BAS controller"},
                {"name": "xe-0/0/20", "mode": "tagged", "untagged_vlan": "Native (999)",
                 "tagged_vlans": ["Faculty-Staff (110)", "Students (120)"], "description": "WLC-117 trunk"},
                {"name": "xe-0/0/47", "enabled": False},
                {"name": "et-0/0/50", "enabled": False, "description": "reserved: 100G upgrade"},
                {"name": "et-0/0/51", "enabled": False},
                {"name": "fxp0", "mgmt_only": True, "description": "OOB management"},
            ],
        },
        {
            "name": "ncsu-coreswitch2", "site": "MDF", "role": "Core Switch",
            "serial": "JN124F8F7AFA", "asset_tag": "NCSU-065-2207",
            "vlans": {"group": "ncsu-campus"},
            "interfaces": [
                {"name": "ae0", "create": {"type": "lag"}, "mode": "tagged-all", "untagged_vlan": "Native (999)",
                 "description": "downlink to ncsu117-distswitch1 ae1"},
                {"name": "xe-0/0/0", "lag": "ae0", "description": "ncsu117-distswitch1 xe-0/0/2"},
                {"name": "xe-0/0/1", "lag": "ae0", "description": "ncsu117-distswitch1 xe-0/0/3"},
                {"name": "xe-0/0/2", "description": "ncsu118-distswitch1 xe-0/0/2"},
                {"name": "xe-0/0/3", "description": "ncsu118-distswitch1 xe-0/0/3"},
                {"name": "xe-1/3/6", "enabled": False},
                {"name": "xe-1/3/7", "enabled": False, "description": "failed optic - RMA open"},
            ],
        },
    ],
    "virtual_machines": [
        {"name": "vm1", "cluster": "DO-AMS3", "primary_ip4": "192.168.4.21/20"},
        {"name": "vm2", "cluster": "DO-AMS3"},
    ],
    # Every address lies in a prefix of the demo data. vrf None = global.
    "ip_addresses": [
        {"address": "10.112.164.2/28", "vrf": None, "status": "active", "dns_name": "dmi01-stamford-sw01.dundermifflin.com",
         "device": "dmi01-stamford-sw01", "interface": "GigabitEthernet0"},
        {"address": "10.112.172.2/28", "vrf": None, "status": "active",
         "device": "dmi01-utica-sw01", "interface": "GigabitEthernet0"},
        {"address": "10.112.164.1/32", "vrf": None, "status": "active", "role": "loopback",
         "dns_name": "dmi01-stamford-rtr01.dundermifflin.com", "device": "dmi01-stamford-rtr01", "interface": "Loopback0"},
        {"address": "10.112.165.1/24", "vrf": None, "status": "active", "description": "Data gateway",
         "device": "dmi01-stamford-rtr01", "interface": "Vlan100"},
        {"address": "10.112.166.1/24", "vrf": None, "status": "active", "description": "Voice gateway",
         "device": "dmi01-stamford-rtr01", "interface": "Vlan200"},
        {"address": "10.112.167.1/24", "vrf": None, "status": "active", "description": "Wireless gateway",
         "device": "dmi01-stamford-rtr01", "interface": "Vlan300"},
        {"address": "10.112.153.1/24", "vrf": None, "status": "active", "description": "Data gateway",
         "device": "dmi01-pittsfield-rtr01", "interface": "Vlan100"},
        {"address": "10.112.154.1/24", "vrf": None, "status": "active", "description": "Voice gateway",
         "device": "dmi01-pittsfield-rtr01", "interface": "Vlan200"},
        {"address": "192.168.4.21/20", "vrf": "Shared", "status": "active",
         "virtual_machine": "vm1", "interface": "eth0"},
        {"address": "192.168.4.22/20", "vrf": "Shared", "status": "active",
         "virtual_machine": "vm2", "interface": "eth0"},
    ],
    # Counts in the demo data (../shared/netbox-demo) for filters whose seeded total is baseline + seeded.
    "demo_baseline": {
        "dcim/interfaces/": 1586, "dcim/interfaces/?mgmt_only=true": 25, "dcim/interfaces/?type=lag": 26,
        "dcim/interfaces/?lag_id__n=null": 52, "dcim/devices/?platform_id__n=null": 13, "ipam/vlans/": 63,
        "ipam/ip-addresses/": 180, "dcim/platforms/": 3, "extras/tags/": 26,
    },
}

READ_WRITE_TOKEN = "fedcba9876543210fedcba9876543210fedcba98"  # from the public demo dump, not a secret
DEFAULT_URL = "http://127.0.0.1:8001"
DEMO_PORT = 8000
JSON_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "fixture-seed.json"
VLAN_DISPLAY = re.compile(r"^(?P<name>.+) \((?P<vid>\d+)\)$")


def seed_hash() -> str:
    return hashlib.sha256(json.dumps(SEED, sort_keys=True).encode()).hexdigest()[:16]


def say(msg: str) -> None:
    print(f"seed-fixture: {msg}", file=sys.stderr, flush=True)


class Fail(Exception):
    pass


# -- derived expectations (what tests read) -------------------------------------------------------
def expectations() -> dict:
    """Counts the fixture NetBox answers once seeded; each is checked against the server after seeding."""
    ifaces = [(d, i) for d in SEED["devices"] for i in d["interfaces"]]
    created = [i for _, i in ifaces if "create" in i]
    base = SEED["demo_baseline"]
    vm_ips = [a for a in SEED["ip_addresses"] if "virtual_machine" in a]
    dev_ips = [a for a in SEED["ip_addresses"] if "device" in a]
    counts = {
        "dcim/interfaces/?enabled=false": sum(1 for _, i in ifaces if i.get("enabled") is False),
        "dcim/interfaces/?mode=access": sum(1 for _, i in ifaces if i.get("mode") == "access"),
        "dcim/interfaces/?mode=tagged": sum(1 for _, i in ifaces if i.get("mode") == "tagged"),
        "dcim/interfaces/?mode=tagged-all": sum(1 for _, i in ifaces if i.get("mode") == "tagged-all"),
        "dcim/interfaces/?description__empty=false": sum(1 for _, i in ifaces if i.get("description")),
        "dcim/interfaces/?enabled=false&description__empty=false":
            sum(1 for _, i in ifaces if i.get("enabled") is False and i.get("description")),
        "dcim/interfaces/?type=virtual": sum(1 for i in created if i["create"]["type"] == "virtual"),
        "dcim/interfaces/?type=lag": base["dcim/interfaces/?type=lag"]
            + sum(1 for i in created if i["create"]["type"] == "lag"),
        "dcim/interfaces/?lag_id__n=null": base["dcim/interfaces/?lag_id__n=null"]
            + sum(1 for d, i in ifaces if "lag" in i and any(j["name"] == i["lag"] and "create" in j for j in d["interfaces"])),
        # The seeded mgmt_only entries are all on interfaces that the demo already marks mgmt-only.
        "dcim/interfaces/?mgmt_only=true": base["dcim/interfaces/?mgmt_only=true"],
        "dcim/interfaces/": base["dcim/interfaces/"] + len(created),
        "dcim/devices/?serial__empty=false": sum(1 for d in SEED["devices"] if d.get("serial")),
        "dcim/devices/?asset_tag__empty=false": sum(1 for d in SEED["devices"] if d.get("asset_tag")),
        "dcim/devices/?has_primary_ip=true": sum(1 for d in SEED["devices"] if d.get("primary_ip4")),
        "dcim/devices/?platform_id__n=null": base["dcim/devices/?platform_id__n=null"]
            + sum(1 for d in SEED["devices"] if d.get("platform")),
        "virtualization/virtual-machines/?has_primary_ip=true":
            sum(1 for v in SEED["virtual_machines"] if v.get("primary_ip4")),
        "ipam/ip-addresses/?assigned_to_interface=true": len(SEED["ip_addresses"]),
        "ipam/ip-addresses/?assigned_object_type=dcim.interface": len(dev_ips),
        "ipam/ip-addresses/?assigned_object_type=virtualization.vminterface": len(vm_ips),
        "ipam/ip-addresses/": base["ipam/ip-addresses/"] + len(SEED["ip_addresses"]),
        "ipam/vlans/": base["ipam/vlans/"] + len(SEED["vlans"]),
        "ipam/vlans/?group=ncsu-campus": len([v for v in SEED["vlans"] if v["group"] == "ncsu-campus"]),
        "dcim/platforms/": base["dcim/platforms/"] + len(SEED["platforms"]),
        "extras/tags/": base["extras/tags/"] + 1,
    }
    return counts


def json_document() -> dict:
    return {
        "_comment": "Written by scripts/seed-fixture.py from its SEED; do not edit. The fixture NetBox "
                    "(scripts/netbox-fixture, NETBOX_FIXTURE_URL) is the demo data plus this. 'api_counts': "
                    "GET <url>/api/<key> answers count == value once seeded.",
        "url": DEFAULT_URL,
        "seed_hash": seed_hash(),
        "seed": SEED,
        "api_counts": expectations(),
    }


def write_json() -> None:
    text = json.dumps(json_document(), indent=1, ensure_ascii=False) + "\n"
    try:
        if JSON_PATH.exists() and JSON_PATH.read_text() == text:
            return
        JSON_PATH.parent.mkdir(parents=True, exist_ok=True)
        tmp = JSON_PATH.with_suffix(".json.tmp")
        tmp.write_text(text)
        tmp.replace(JSON_PATH)
        say(f"wrote {JSON_PATH}")
    except OSError as e:  # a read-only checkout still seeds
        say(f"could not write {JSON_PATH}: {e}")


# -- the guard ----------------------------------------------------------------------------------
def guard(url: str) -> str:
    """Refuse anything that could be the demo NetBox (or not on this machine at all)."""
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ("http", "https") or not u.hostname:
        raise Fail(f"not an http(s) URL: {url!r}")
    port = u.port or (443 if u.scheme == "https" else 80)
    host = u.hostname
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise Fail(f"refusing {url}: the fixture NetBox runs on the loopback only")
    if port == DEMO_PORT:
        raise Fail(f"refusing {url}: port {DEMO_PORT} is the demo NetBox (database netbox) other tests depend on")
    test_url = os.environ.get("NETBOX_TEST_URL", "")
    if test_url:
        t = urllib.parse.urlsplit(test_url)
        if (t.port or (443 if t.scheme == "https" else 80)) == port:
            raise Fail(f"refusing {url}: it is NETBOX_TEST_URL, the demo NetBox under test")
    if u.path not in ("", "/"):
        raise Fail(f"give the NetBox base URL, not {url}")
    return f"{u.scheme}://{u.netloc}"


# -- REST -----------------------------------------------------------------------------------------
class API:
    def __init__(self, base: str, token: str, write: bool) -> None:
        self.base = base.rstrip("/") + "/api/"
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json",
                        "Content-Type": "application/json"}
        self.write = write
        self.calls = 0

    def request(self, method: str, path: str, params: list | dict | None = None, body=None):
        if method != "GET" and not self.write:
            raise Fail(f"--check is read-only, but would {method} {path}")
        url = self.base + path
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        data = None if body is None else json.dumps(body).encode()
        for attempt in range(4):
            req = urllib.request.Request(url, data=data, method=method, headers=self.headers)
            self.calls += 1
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    raw = r.read()
                    return json.loads(raw) if raw else None
            except urllib.error.HTTPError as e:
                text = e.read().decode(errors="replace")[:2000]
                if e.code >= 500 and attempt < 3 and method == "GET":
                    time.sleep(1 + attempt)
                    continue
                raise Fail(f"{method} {url} -> HTTP {e.code}: {text}") from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                if attempt < 3 and method == "GET":
                    time.sleep(1 + attempt)
                    continue
                raise Fail(f"{method} {url}: {e}") from None
        raise AssertionError("unreachable")

    def get(self, path: str, params: list | dict | None = None) -> dict:
        return self.request("GET", path, params)

    def all(self, path: str, params: list | None = None, fields: str = "") -> list[dict]:
        params = list(params or []) + ([("fields", fields)] if fields else [])
        out: list[dict] = []
        offset = 0
        while True:
            page = self.get(path, params + [("limit", 1000), ("offset", offset)])
            out.extend(page["results"])
            offset += len(page["results"])
            if not page.get("next") or not page["results"]:
                return out

    def one(self, path: str, params: list, what: str) -> dict | None:
        rows = self.get(path, params + [("limit", 2)])["results"]
        if len(rows) > 1:
            raise Fail(f"{what}: more than one match for {params}")
        return rows[0] if rows else None

    def post(self, path: str, body):
        return self.request("POST", path, body=body)

    def patch(self, path: str, body):
        return self.request("PATCH", path, body=body)


def ref_id(v) -> int | None:
    return v["id"] if isinstance(v, dict) else v


# -- seeding --------------------------------------------------------------------------------------
class Seeder:
    def __init__(self, api: API) -> None:
        self.api = api
        self.problems: list[str] = []
        self.changed = 0

    def diff(self, current: dict, want: dict) -> dict:
        """The keys of want whose value differs from current (FKs compared by id, VLAN lists as sets)."""
        out = {}
        for k, v in want.items():
            cur = current.get(k)
            if k == "tagged_vlans":
                same = sorted(ref_id(x) for x in cur or []) == sorted(v)
            elif isinstance(cur, dict) and ("id" in cur or "value" in cur):
                same = (cur.get("id", cur.get("value"))) == v
            else:
                same = cur == v
            if not same:
                out[k] = v
        return out

    def ensure(self, path: str, lookup: list, create: dict, want: dict, what: str, may_create: bool) -> dict:
        obj = self.api.one(path, lookup, what)
        if obj is None:
            if not may_create:
                raise Fail(f"{what} is not in this NetBox: is it the demo data?")
            say(f"create {what}")
            self.changed += 1
            return self.api.post(path, {**create, **want})
        d = self.diff(obj, want)
        if d:
            say(f"update {what}: {sorted(d)}")
            self.changed += 1
            obj = self.api.patch(f"{path}{obj['id']}/", d)
        return obj

    def run(self, check_only: bool) -> None:
        a = self.api
        S = SEED
        write = not check_only

        # Platforms, VLAN groups, VLANs.
        platforms = {p["name"]: p for p in a.all("dcim/platforms/")}
        for p in S["platforms"]:
            man = a.one("dcim/manufacturers/", [("slug", p["manufacturer"])], f"manufacturer {p['manufacturer']}")
            if man is None:
                raise Fail(f"manufacturer {p['manufacturer']} missing")
            if write:
                platforms[p["name"]] = self.ensure("dcim/platforms/", [("slug", p["slug"])], {},
                                                   {"name": p["name"], "slug": p["slug"], "manufacturer": man["id"]},
                                                   f"platform {p['name']}", p.get("create", False))
        groups = {}
        for g in S["vlan_groups"]:
            region = a.one("dcim/regions/", [("slug", g["scope"])], f"region {g['scope']}")
            if region is None:
                raise Fail(f"region {g['scope']} missing")
            want = {"name": g["name"], "slug": g["slug"], "scope_type": g["scope_type"], "scope_id": region["id"],
                    "description": g.get("description", "")}
            if write:
                groups[g["slug"]] = self.ensure("ipam/vlan-groups/", [("slug", g["slug"])], {}, want,
                                                f"VLAN group {g['name']}", g.get("create", False))
            else:
                groups[g["slug"]] = a.one("ipam/vlan-groups/", [("slug", g["slug"])], "VLAN group")
                if groups[g["slug"]] is None:
                    raise Fail(f"VLAN group {g['slug']} missing")
        tenants = {}
        for v in S["vlans"]:
            if v.get("tenant") and v["tenant"] not in tenants:
                t = a.one("tenancy/tenants/", [("slug", v["tenant"])], f"tenant {v['tenant']}")
                if t is None:
                    raise Fail(f"tenant {v['tenant']} missing")
                tenants[v["tenant"]] = t["id"]
            if write:
                gid = groups[v["group"]]["id"]
                self.ensure("ipam/vlans/", [("group_id", gid), ("vid", v["vid"])], {"group": gid},
                            {"vid": v["vid"], "name": v["name"], "status": "active",
                             "tenant": tenants.get(v.get("tenant"))},
                            f"VLAN {v['name']} ({v['vid']}) in {v['group']}", v.get("create", False))

        # Devices and their interfaces (existing ones looked up; marked ones created).
        names = [d["name"] for d in S["devices"]]
        devices = {d["name"]: d for d in a.all("dcim/devices/", [("name", n) for n in names],
                                                 "id,name,site,role,serial,asset_tag,platform,primary_ip4")}
        for d in S["devices"]:
            dev = devices.get(d["name"])
            if dev is None:
                raise Fail(f"device {d['name']} is not in this NetBox: is it the demo data?")
            if dev["site"]["name"] != d["site"] or dev["role"]["name"] != d["role"]:
                raise Fail(f"device {d['name']} is at {dev['site']['name']} / {dev['role']['name']}, "
                           f"not {d['site']} / {d['role']}: is this the demo data?")
        ifaces = self.device_interfaces(devices)
        vlan_maps = self.vlan_maps(devices, groups)

        if write:
            for d in S["devices"]:
                dev = devices[d["name"]]
                for i in d["interfaces"]:
                    if "create" in i and (d["name"], i["name"]) not in ifaces:
                        say(f"create interface {d['name']} {i['name']}")
                        self.changed += 1
                        obj = a.post("dcim/interfaces/", {"device": dev["id"], "name": i["name"], **i["create"]})
                        ifaces[(d["name"], i["name"])] = obj

        # Interface values: one bulk PATCH per device for what differs.
        for d in S["devices"]:
            patches = []
            for i in d["interfaces"]:
                cur = ifaces.get((d["name"], i["name"]))
                if cur is None:
                    self.problems.append(f"interface {d['name']} {i['name']} missing")
                    continue
                want = self.interface_want(d, i, ifaces, vlan_maps[d["name"]])
                if "create" in i:
                    want["type"] = i["create"]["type"]
                diff = self.diff(cur, want)
                if diff:
                    patches.append({"id": cur["id"], **diff})
            if patches and write:
                say(f"update {len(patches)} interfaces on {d['name']}")
                self.changed += len(patches)
                a.patch("dcim/interfaces/", patches)
            elif patches:
                self.problems += [f"interface {d['name']} id {p['id']} differs in {sorted(k for k in p if k != 'id')}"
                                  for p in patches]

        # VMs and their interfaces.
        vms = {v["name"]: v for v in a.all("virtualization/virtual-machines/",
                                             [("name", v["name"]) for v in S["virtual_machines"]],
                                             "id,name,cluster,primary_ip4")}
        for v in S["virtual_machines"]:
            vm = vms.get(v["name"])
            if vm is None or (vm["cluster"] or {}).get("name") != v["cluster"]:
                raise Fail(f"virtual machine {v['name']} in cluster {v['cluster']} is not in this NetBox")
        vm_ifaces = {(x["virtual_machine"]["name"], x["name"]): x for x in a.all(
            "virtualization/interfaces/", [("virtual_machine_id", vm["id"]) for vm in vms.values()],
            "id,name,virtual_machine")}

        # IP addresses: looked up by host and VRF (NetBox's address filter is exact on the mask).
        vrfs = {x["name"]: x["id"] for x in a.all("ipam/vrfs/")}
        hosts = [ip["address"].split("/")[0] for ip in S["ip_addresses"]]
        existing = {}
        for x in a.all("ipam/ip-addresses/", [("address", h) for h in hosts],
                       "id,address,vrf,status,role,dns_name,description,assigned_object_type,assigned_object_id"):
            existing.setdefault((x["address"].split("/")[0], ref_id(x["vrf"])), []).append(x)
        new, upd = [], []
        ip_objs = {}
        for ip in S["ip_addresses"]:
            host = ip["address"].split("/")[0]
            vrf = vrfs[ip["vrf"]] if ip["vrf"] else None
            if "device" in ip:
                target = ifaces.get((ip["device"], ip["interface"]))
                otype = "dcim.interface"
            else:
                target = vm_ifaces.get((ip["virtual_machine"], ip["interface"]))
                otype = "virtualization.vminterface"
            if target is None:
                self.problems.append(f"no interface for {ip['address']}")
                continue
            want = {"address": ip["address"], "vrf": vrf, "status": ip.get("status", "active"),
                    "role": ip.get("role"), "dns_name": ip.get("dns_name", ""),
                    "description": ip.get("description", ""),
                    "assigned_object_type": otype, "assigned_object_id": target["id"]}
            found = existing.get((host, vrf), [])
            if len(found) > 1:
                raise Fail(f"{host} exists {len(found)} times in VRF {ip['vrf']}")
            if not found:
                new.append(want)
                continue
            cur = found[0]
            ip_objs[ip["address"]] = cur
            diff = self.diff(cur, want)
            if diff:
                upd.append({"id": cur["id"], **diff})
        if write and new:
            say(f"create {len(new)} IP addresses")
            self.changed += len(new)
            for obj in a.post("ipam/ip-addresses/", new):
                ip_objs[obj["address"]] = obj
        if write and upd:
            say(f"update {len(upd)} IP addresses")
            self.changed += len(upd)
            for obj in a.patch("ipam/ip-addresses/", upd):
                ip_objs[obj["address"]] = obj
        if not write and (new or upd):
            self.problems.append(f"IP addresses missing: {[n['address'] for n in new]}, differing: {len(upd)}")

        # Device fields and primary IPs (after the IPs exist).
        dev_patches = []
        for d in S["devices"]:
            dev = devices[d["name"]]
            want = {}
            for k in ("serial", "asset_tag"):
                if k in d:
                    want[k] = d[k]
            if "platform" in d:
                want["platform"] = platforms[d["platform"]]["id"] if d["platform"] in platforms else -1
            if "primary_ip4" in d:
                ipo = ip_objs.get(d["primary_ip4"])
                want["primary_ip4"] = ipo["id"] if ipo else -1
            diff = self.diff(dev, want)
            if diff:
                dev_patches.append({"id": dev["id"], **diff})
        if dev_patches and write:
            say(f"update {len(dev_patches)} devices")
            self.changed += len(dev_patches)
            a.patch("dcim/devices/", dev_patches)
        elif dev_patches:
            self.problems += [f"device id {p['id']} differs in {sorted(k for k in p if k != 'id')}" for p in dev_patches]
        vm_patches = []
        for v in S["virtual_machines"]:
            if "primary_ip4" in v:
                ipo = ip_objs.get(v["primary_ip4"])
                diff = self.diff(vms[v["name"]], {"primary_ip4": ipo["id"] if ipo else -1})
                if diff:
                    vm_patches.append({"id": vms[v["name"]]["id"], **diff})
        if vm_patches and write:
            say(f"update {len(vm_patches)} virtual machines")
            self.changed += len(vm_patches)
            a.patch("virtualization/virtual-machines/", vm_patches)
        elif vm_patches:
            self.problems.append(f"virtual machines differ: {vm_patches}")

    def device_interfaces(self, devices: dict) -> dict:
        rows = self.api.all("dcim/interfaces/", [("device_id", d["id"]) for d in devices.values()],
                            "id,name,device,type,enabled,description,mgmt_only,mode,untagged_vlan,tagged_vlans,lag")
        return {(x["device"]["name"], x["name"]): x for x in rows}

    def vlan_maps(self, devices: dict, groups: dict) -> dict:
        out, by_scope = {}, {}
        for d in SEED["devices"]:
            scope = d["vlans"]
            if "site" in scope:
                key = ("site_id", devices[d["name"]]["site"]["id"])
            else:
                key = ("group_id", groups[scope["group"]]["id"])
            if key not in by_scope:
                rows = self.api.all("ipam/vlans/", [key], "id,name,vid")
                by_scope[key] = {f"{x['name']} ({x['vid']})": x["id"] for x in rows}
            out[d["name"]] = by_scope[key]
        return out

    def interface_want(self, d: dict, i: dict, ifaces: dict, vlans: dict) -> dict:
        want: dict = {}
        for k in ("description", "enabled", "mgmt_only"):
            if k in i:
                want[k] = i[k]
        if "lag" in i:
            lag = ifaces.get((d["name"], i["lag"]))
            want["lag"] = lag["id"] if lag else -1
        if "mode" in i:
            def vid(name: str) -> int:
                if not VLAN_DISPLAY.match(name) or name not in vlans:
                    raise Fail(f"VLAN {name!r} not found for {d['name']} {i['name']} in {d['vlans']}")
                return vlans[name]
            want["mode"] = i["mode"]
            want["untagged_vlan"] = vid(i["untagged_vlan"]) if i.get("untagged_vlan") else None
            want["tagged_vlans"] = [vid(n) for n in i.get("tagged_vlans", [])]
        return want

    def check_counts(self, marker_written: bool) -> None:
        """Every api_count of the JSON file, asked of the server (a few at a time: they are independent)."""
        def count(path: str) -> int:
            return self.api.get(f"{path}{'&' if '?' in path else '?'}limit=1&brief=1")["count"]

        want = expectations()
        if not marker_written:
            want["extras/tags/"] -= 1
        with ThreadPoolExecutor(max_workers=4) as pool:
            got = dict(zip(want, pool.map(count, want)))
        for path, n in want.items():
            if got[path] != n:
                self.problems.append(f"GET /api/{path}: count {got[path]}, expected {n}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default=os.environ.get("NETBOX_FIXTURE_URL", DEFAULT_URL))
    ap.add_argument("--check", action="store_true", help="read-only: compare the server with SEED, change nothing")
    ap.add_argument("--force", action="store_true", help="converge and check even when the marker tag is there")
    ap.add_argument("--write-json", action="store_true", help=f"only write {JSON_PATH.name}")
    args = ap.parse_args(argv)

    write_json()
    if args.write_json:
        return 0
    t0 = time.monotonic()
    try:
        base = guard(args.url)
        api = API(base, os.environ.get("NETBOX_FIXTURE_RW_TOKEN", READ_WRITE_TOKEN), write=not args.check)
        marker = SEED["marker_tag"]
        done_text = f"netbox-tui test fixture, seed {seed_hash()} (scripts/seed-fixture.py)"
        tag = api.one("extras/tags/", [("slug", marker["slug"])], "marker tag")
        if tag and tag["description"] == done_text and not (args.check or args.force):
            say(f"already seeded ({base}, seed {seed_hash()})")
            return 0
        seeder = Seeder(api)
        seeder.run(check_only=args.check)
        if not args.check:
            # Read everything back: the marker is written only when the server matches SEED.
            verify = Seeder(API(base, api.headers["Authorization"].split()[1], write=False))
            verify.run(check_only=True)
            seeder.problems += verify.problems
            api.calls += verify.api.calls
        seeder.check_counts(marker_written=tag is not None)
        if seeder.problems:
            for p in seeder.problems:
                say(f"MISMATCH {p}")
            raise Fail(f"{len(seeder.problems)} mismatches" + ("" if args.check else "; the marker tag is not written"))
        if args.check:
            if not tag or tag["description"] != done_text:
                raise Fail("the data matches but the marker tag is missing or stale")
            say(f"check ok ({api.calls} requests)")
            return 0
        if tag is None:
            api.post("extras/tags/", {"name": marker["name"], "slug": marker["slug"], "description": done_text})
        elif tag["description"] != done_text:
            api.patch(f"extras/tags/{tag['id']}/", {"description": done_text})
        say(f"seeded {base}: {seeder.changed} changes, {api.calls} requests, {time.monotonic() - t0:.1f} s")
        return 0
    except Fail as e:
        say(f"error: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
