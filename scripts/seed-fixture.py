#!/usr/bin/env python3
"""Seed the fixture NetBox (scripts/netbox-fixture, port 8001, database netbox_fixture) through its REST API.

The fixture NetBox starts as a copy of the public demo data. The demo data has no 802.1Q modes, no
VLANs on interfaces, no interface descriptions, no disabled interfaces, no serials, no asset tags, no
IP addresses on interfaces and no primary IPs; this script enters them the way an operator would,
with the demo dump's read-write token, so tests have positive cases of each.

What is seeded is the data SEED below (also written to tests/data/fixture-seed.json, with the
counts the fixture NetBox must then answer, for tests to read). Nothing else is changed.
It also makes the fixture a team's own NetBox (TeamSeeder): ObjectPermissions for the users
dwight (a writer) and akron-viewer (DM-Akron only), custom fields of each type with values, tags,
journal entries and changes by both admin and dwight (with dwight's token), and netbox-bgp objects.
The users and their tokens come first, from scripts/netbox-fixture (NetBox's shell, --users-script).

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
    scripts/seed-fixture.py --env                          print the seeded users' token variables
    scripts/seed-fixture.py --users-script                 print the Django shell script for the users

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
        {
            "name": "NCSU Campus",
            "slug": "ncsu-campus",
            "scope_type": "dcim.region",
            "scope": "us-nc",
            "description": "NC State campus VLANs",
            "create": True,
        },
    ],
    "vlans": [
        {"group": "ncsu-campus", "vid": 110, "name": "Faculty-Staff", "tenant": "nc-state", "create": True},
        {"group": "ncsu-campus", "vid": 120, "name": "Students", "tenant": "nc-state", "create": True},
        {"group": "ncsu-campus", "vid": 130, "name": "Research-Lab", "tenant": "nc-state", "create": True},
        {
            "group": "ncsu-campus",
            "vid": 140,
            "name": "Building-Systems",
            "tenant": "nc-state",
            "create": True,
        },
        {"group": "ncsu-campus", "vid": 999, "name": "Native", "tenant": "nc-state", "create": True},
    ],
    "devices": [
        {
            "name": "dmi01-stamford-sw01",
            "site": "DM-Stamford",
            "role": "Access Switch",
            "serial": "FOC2418Y1K7",
            "asset_tag": "DM-IT-000412",
            "platform": "Cisco IOS",
            "primary_ip4": "10.112.164.2/28",
            "vlans": {"site": "DM-Stamford"},
            "interfaces": [
                {
                    "name": "GigabitEthernet1/0/1",
                    "lag": "Po1",
                    "description": "uplink to dmi01-stamford-rtr01 Gi0/1/0",
                },
                {
                    "name": "GigabitEthernet1/0/2",
                    "lag": "Po1",
                    "description": "uplink to dmi01-stamford-rtr01 Gi0/1/1",
                },
                {
                    "name": "Po1",
                    "mode": "tagged",
                    "untagged_vlan": "Data (100)",
                    "tagged_vlans": ["Voice (200)", "Wireless (300)"],
                    "description": "uplink to dmi01-stamford-rtr01 Po1",
                },
                {
                    "name": "GigabitEthernet1/0/3",
                    "mode": "access",
                    "untagged_vlan": "Data (100)",
                    "description": "printer 2F copy room",
                },
                {"name": "GigabitEthernet1/0/4", "mode": "access", "untagged_vlan": "Data (100)"},
                {"name": "GigabitEthernet1/0/5", "mode": "access", "untagged_vlan": "Data (100)"},
                {
                    "name": "GigabitEthernet1/0/6",
                    "mode": "access",
                    "untagged_vlan": "Data (100)",
                    "description": "desk 2F-14",
                },
                {
                    "name": "GigabitEthernet1/0/7",
                    "mode": "tagged",
                    "untagged_vlan": "Data (100)",
                    "tagged_vlans": ["Voice (200)"],
                    "description": "IP phone + PC desk 2F-15",
                },
                {
                    "name": "GigabitEthernet1/0/8",
                    "mode": "tagged",
                    "untagged_vlan": "Data (100)",
                    "tagged_vlans": ["Voice (200)"],
                },
                {
                    "name": "GigabitEthernet1/0/9",
                    "mode": "access",
                    "untagged_vlan": "Voice (200)",
                    "description": "conference room 2A phone",
                },
                {
                    "name": "GigabitEthernet1/0/12",
                    "mode": "access",
                    "untagged_vlan": "Wireless (300)",
                    "description": "AP-3F-12",
                },
                {
                    "name": "GigabitEthernet1/0/14",
                    "mode": "access",
                    "untagged_vlan": "Wireless (300)",
                    "description": "AP-3F-14",
                },
                {"name": "GigabitEthernet1/0/44", "enabled": False},
                {"name": "GigabitEthernet1/0/45", "enabled": False, "description": "spare - shut"},
                {
                    "name": "GigabitEthernet1/0/46",
                    "enabled": False,
                    "mode": "access",
                    "untagged_vlan": "Data (100)",
                    "description": "old printer removed 2024-03",
                },
                {"name": "GigabitEthernet1/0/47", "enabled": False},
                {"name": "GigabitEthernet1/0/48", "enabled": False},
                {"name": "GigabitEthernet0", "mgmt_only": True, "description": "OOB management"},
            ],
        },
        {
            "name": "dmi01-utica-sw01",
            "site": "DM-Utica",
            "role": "Access Switch",
            "asset_tag": "DM-IT-000455",
            "vlans": {"site": "DM-Utica"},
            "interfaces": [
                {
                    "name": "Po1",
                    "mode": "tagged",
                    "untagged_vlan": "Data (100)",
                    "tagged_vlans": ["Voice (200)", "Wireless (300)"],
                    "description": "uplink to dmi01-utica-rtr01",
                },
                {
                    "name": "GigabitEthernet1/0/3",
                    "mode": "access",
                    "untagged_vlan": "Data (100)",
                    "description": "printer",
                },
                {"name": "GigabitEthernet1/0/4", "mode": "access", "untagged_vlan": "Data (100)"},
                {"name": "GigabitEthernet1/0/5", "mode": "access", "untagged_vlan": "Data (100)"},
                {"name": "GigabitEthernet1/0/6", "mode": "access", "untagged_vlan": "Data (100)"},
                {"name": "GigabitEthernet1/0/10", "mode": "access", "untagged_vlan": "Voice (200)"},
                {
                    "name": "GigabitEthernet1/0/24",
                    "mode": "access",
                    "untagged_vlan": "Wireless (300)",
                    "description": "AP-1F-03",
                },
                {"name": "GigabitEthernet1/0/30", "enabled": False, "description": "cubicle removed"},
                {"name": "GigabitEthernet1/0/31", "enabled": False},
                {"name": "GigabitEthernet0", "mgmt_only": True},
            ],
        },
        {
            "name": "dmi01-stamford-rtr01",
            "site": "DM-Stamford",
            "role": "Router",
            "serial": "FGL224511QZ",
            "asset_tag": "DM-IT-000398",
            "primary_ip4": "10.112.164.1/32",
            "vlans": {"site": "DM-Stamford"},
            "interfaces": [
                {"name": "GigabitEthernet0/0/0", "description": "WAN: Level 3 MPLS DJDP9577"},
                {"name": "GigabitEthernet0/0/1", "description": "WAN: CenturyLink internet 1002844927"},
                {"name": "GigabitEthernet0/1/0", "lag": "Po1", "description": "dmi01-stamford-sw01 Gi1/0/1"},
                {"name": "GigabitEthernet0/1/1", "lag": "Po1", "description": "dmi01-stamford-sw01 Gi1/0/2"},
                {
                    "name": "Po1",
                    "mode": "tagged",
                    "untagged_vlan": "Data (100)",
                    "tagged_vlans": ["Voice (200)", "Wireless (300)"],
                    "description": "downlink to dmi01-stamford-sw01 Po1",
                },
                {
                    "name": "GigabitEthernet0/1/2",
                    "mode": "access",
                    "untagged_vlan": "Wireless (300)",
                    "description": "AP-1F-01",
                },
                {"name": "Wlan-GigabitEthernet0/1/8", "enabled": False},
                {"name": "Cellular0/2/0", "enabled": False, "description": "LTE backup - not activated"},
                {"name": "Loopback0", "create": {"type": "virtual"}, "description": "router ID / management"},
                {"name": "Vlan100", "create": {"type": "virtual"}, "description": "Data gateway"},
                {"name": "Vlan200", "create": {"type": "virtual"}, "description": "Voice gateway"},
                {"name": "Vlan300", "create": {"type": "virtual"}, "description": "Wireless gateway"},
            ],
        },
        {
            "name": "dmi01-pittsfield-rtr01",
            "site": "DM-Pittsfield",
            "role": "Router",
            "serial": "FGL2249103X",
            "primary_ip4": "10.112.153.1/24",
            "vlans": {"site": "DM-Pittsfield"},
            "interfaces": [
                {"name": "GigabitEthernet0/0/0", "description": "WAN: Level 3 MPLS LQRT4981"},
                {
                    "name": "Po1",
                    "mode": "tagged",
                    "untagged_vlan": "Data (100)",
                    "tagged_vlans": ["Voice (200)", "Wireless (300)"],
                },
                {
                    "name": "GigabitEthernet0/1/4",
                    "mode": "access",
                    "untagged_vlan": "Data (100)",
                    "description": "printer",
                },
                {"name": "GigabitEthernet0/1/5", "mode": "access", "untagged_vlan": "Voice (200)"},
                {"name": "GigabitEthernet0/1/6", "enabled": False, "description": "reserved for camera NVR"},
                {"name": "Cellular0/2/0", "enabled": False},
                {"name": "Vlan100", "create": {"type": "virtual"}, "description": "Data gateway"},
                {"name": "Vlan200", "create": {"type": "virtual"}, "description": "Voice gateway"},
            ],
        },
        {
            "name": "ncsu117-distswitch1",
            "site": "D. S. Weaver Labs",
            "role": "Distribution Switch",
            "serial": "WS3718280167",
            "platform": "Juniper Junos",
            "vlans": {"group": "ncsu-campus"},
            "interfaces": [
                {
                    "name": "ae0",
                    "create": {"type": "lag"},
                    "mode": "tagged",
                    "untagged_vlan": "Native (999)",
                    "tagged_vlans": [
                        "Faculty-Staff (110)",
                        "Students (120)",
                        "Research-Lab (130)",
                        "Building-Systems (140)",
                    ],
                    "description": "uplink to ncsu-coreswitch1",
                },
                {"name": "xe-0/0/0", "lag": "ae0", "description": "ncsu-coreswitch1 xe-0/0/0"},
                {"name": "xe-0/0/1", "lag": "ae0", "description": "ncsu-coreswitch1 xe-0/0/1"},
                {
                    "name": "ae1",
                    "create": {"type": "lag"},
                    "mode": "tagged",
                    "untagged_vlan": "Native (999)",
                    "tagged_vlans": [
                        "Faculty-Staff (110)",
                        "Students (120)",
                        "Research-Lab (130)",
                        "Building-Systems (140)",
                    ],
                    "description": "uplink to ncsu-coreswitch2 ae0",
                },
                {"name": "xe-0/0/2", "lag": "ae1", "description": "ncsu-coreswitch2 xe-0/0/0"},
                {"name": "xe-0/0/3", "lag": "ae1", "description": "ncsu-coreswitch2 xe-0/0/1"},
                {
                    "name": "xe-0/0/10",
                    "mode": "access",
                    "untagged_vlan": "Research-Lab (130)",
                    "description": "research lab bench 3",
                },
                {"name": "xe-0/0/11", "mode": "access", "untagged_vlan": "Research-Lab (130)"},
                {
                    "name": "xe-0/0/12",
                    "mode": "access",
                    "untagged_vlan": "Building-Systems (140)",
                    "description": "BAS controller",
                },
                {
                    "name": "xe-0/0/20",
                    "mode": "tagged",
                    "untagged_vlan": "Native (999)",
                    "tagged_vlans": ["Faculty-Staff (110)", "Students (120)"],
                    "description": "WLC-117 trunk",
                },
                {"name": "xe-0/0/47", "enabled": False},
                {"name": "et-0/0/50", "enabled": False, "description": "reserved: 100G upgrade"},
                {"name": "et-0/0/51", "enabled": False},
                {"name": "fxp0", "mgmt_only": True, "description": "OOB management"},
            ],
        },
        {
            "name": "ncsu-coreswitch2",
            "site": "MDF",
            "role": "Core Switch",
            "serial": "JN124F8F7AFA",
            "asset_tag": "NCSU-065-2207",
            "vlans": {"group": "ncsu-campus"},
            "interfaces": [
                {
                    "name": "ae0",
                    "create": {"type": "lag"},
                    "mode": "tagged-all",
                    "untagged_vlan": "Native (999)",
                    "description": "downlink to ncsu117-distswitch1 ae1",
                },
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
        {
            "address": "10.112.164.2/28",
            "vrf": None,
            "status": "active",
            "dns_name": "dmi01-stamford-sw01.dundermifflin.com",
            "device": "dmi01-stamford-sw01",
            "interface": "GigabitEthernet0",
        },
        {
            "address": "10.112.172.2/28",
            "vrf": None,
            "status": "active",
            "device": "dmi01-utica-sw01",
            "interface": "GigabitEthernet0",
        },
        {
            "address": "10.112.164.1/32",
            "vrf": None,
            "status": "active",
            "role": "loopback",
            "dns_name": "dmi01-stamford-rtr01.dundermifflin.com",
            "device": "dmi01-stamford-rtr01",
            "interface": "Loopback0",
        },
        {
            "address": "10.112.165.1/24",
            "vrf": None,
            "status": "active",
            "description": "Data gateway",
            "device": "dmi01-stamford-rtr01",
            "interface": "Vlan100",
        },
        {
            "address": "10.112.166.1/24",
            "vrf": None,
            "status": "active",
            "description": "Voice gateway",
            "device": "dmi01-stamford-rtr01",
            "interface": "Vlan200",
        },
        {
            "address": "10.112.167.1/24",
            "vrf": None,
            "status": "active",
            "description": "Wireless gateway",
            "device": "dmi01-stamford-rtr01",
            "interface": "Vlan300",
        },
        {
            "address": "10.112.153.1/24",
            "vrf": None,
            "status": "active",
            "description": "Data gateway",
            "device": "dmi01-pittsfield-rtr01",
            "interface": "Vlan100",
        },
        {
            "address": "10.112.154.1/24",
            "vrf": None,
            "status": "active",
            "description": "Voice gateway",
            "device": "dmi01-pittsfield-rtr01",
            "interface": "Vlan200",
        },
        {
            "address": "192.168.4.21/20",
            "vrf": "Shared",
            "status": "active",
            "virtual_machine": "vm1",
            "interface": "eth0",
        },
        {
            "address": "192.168.4.22/20",
            "vrf": "Shared",
            "status": "active",
            "virtual_machine": "vm2",
            "interface": "eth0",
        },
    ],
    # --- a team's own NetBox (issue 17 item 8, issue 19): users, custom fields, tags, journal, changes,
    # netbox-bgp ---
    # Users and their tokens are made through NetBox's shell by scripts/netbox-fixture (the REST API
    # never takes a chosen token value, and tests need known ones). Test-only values, like the demo's.
    "users": [
        {
            "username": "dwight",
            "first_name": "Dwight",
            "last_name": "Schrute",
            "tokens": [
                {
                    "version": 1,
                    "token": "0badc0de" * 5,
                    "write": True,
                    "description": "fixture operator (read-write)",
                }
            ],
        },
        {
            "username": "akron-viewer",
            "first_name": "Akron",
            "last_name": "Viewer",
            "tokens": [
                {
                    "version": 1,
                    "token": "a4c0de" + "0" * 32 + "19",
                    "write": False,
                    "description": "DM-Akron only (read-only v1)",
                },
                {
                    "version": 2,
                    "key": "akronviewer1",
                    "token": "akronviewerreadonlytoken0123456789abcdef",
                    "write": False,
                    "description": "DM-Akron only (read-only v2)",
                },
            ],
        },
    ],
    # ObjectPermissions, created through the REST API. akron-viewer sees DM-Akron and what is at it,
    # plus the small reference tables a name index reads; dwight may edit what the seed has him edit.
    "permissions": [
        {
            "name": "fixture operator",
            "users": ["dwight"],
            "actions": ["view", "add", "change", "delete"],
            "object_types": [
                "dcim.site",
                "dcim.device",
                "dcim.interface",
                "ipam.vlan",
                "ipam.prefix",
                "ipam.ipaddress",
                "circuits.circuit",
                "extras.journalentry",
                "extras.tag",
            ],
        },
        {
            "name": "akron-viewer: site DM-Akron",
            "users": ["akron-viewer"],
            "actions": ["view"],
            "object_types": ["dcim.site"],
            "constraints": {"slug": "dm-akron"},
        },
        {
            "name": "akron-viewer: at DM-Akron",
            "users": ["akron-viewer"],
            "actions": ["view"],
            "object_types": ["dcim.device", "dcim.rack", "ipam.vlan"],
            "constraints": {"site__slug": "dm-akron"},
        },
        {
            "name": "akron-viewer: DM-Akron prefixes",
            "users": ["akron-viewer"],
            "actions": ["view"],
            "object_types": ["ipam.prefix"],
            "constraints": {"_site__slug": "dm-akron"},
        },
        {
            "name": "akron-viewer: DM-Akron interfaces",
            "users": ["akron-viewer"],
            "actions": ["view"],
            "object_types": ["dcim.interface"],
            "constraints": {"device__site__slug": "dm-akron"},
        },
        {
            "name": "akron-viewer: DM-Akron IP addresses",
            "users": ["akron-viewer"],
            "actions": ["view"],
            "object_types": ["ipam.ipaddress"],
            "constraints": {"interface__device__site__slug": "dm-akron"},
        },
        {
            "name": "akron-viewer: reference tables",
            "users": ["akron-viewer"],
            "actions": ["view"],
            "object_types": [
                "dcim.region",
                "dcim.sitegroup",
                "tenancy.tenant",
                "tenancy.tenantgroup",
                "dcim.devicerole",
                "dcim.rackrole",
                "ipam.role",
                "dcim.manufacturer",
                "dcim.devicetype",
                "dcim.platform",
            ],
        },
    ],
    "choice_sets": [
        {
            "name": "Support tiers",
            "extra_choices": [["gold", "Gold"], ["silver", "Silver"], ["bronze", "Bronze"]],
        },
    ],
    # One custom field of each type the trial used, plus an object reference.
    "custom_fields": [
        {"name": "warranty_end", "label": "Warranty end", "type": "date", "object_types": ["dcim.device"]},
        {"name": "monitored", "label": "Monitored", "type": "boolean", "object_types": ["dcim.device"]},
        {
            "name": "support_tier",
            "label": "Support tier",
            "type": "select",
            "choice_set": "Support tiers",
            "object_types": ["dcim.device", "circuits.circuit"],
        },
        {
            "name": "cost_center",
            "label": "Cost center",
            "type": "text",
            "object_types": ["dcim.device", "circuits.circuit", "ipam.prefix"],
        },
        {"name": "sla_hours", "label": "SLA hours", "type": "integer", "object_types": ["circuits.circuit"]},
        {
            "name": "owner",
            "label": "Owner",
            "type": "object",
            "related_object_type": "tenancy.contact",
            "object_types": ["dcim.device", "circuits.circuit", "ipam.prefix"],
        },
    ],
    # Values by object (devices by name, circuits by cid, prefixes by prefix); a field left out stays unset.
    # An "owner" is a contact's name.
    "custom_field_values": {
        "dcim.device": {
            "dmi01-akron-rtr01": {
                "warranty_end": "2027-03-31",
                "monitored": True,
                "support_tier": "gold",
                "cost_center": "CC-1040",
                "owner": "Dwight Schrute",
            },
            "dmi01-akron-sw01": {"warranty_end": "2026-11-30", "monitored": True, "support_tier": "silver"},
            "dmi01-nashua-rtr01": {
                "warranty_end": "2028-06-30",
                "monitored": True,
                "support_tier": "gold",
                "cost_center": "CC-1100",
                "owner": "Michael Scott",
            },
            "dmi01-nashua-sw01": {"warranty_end": "2026-12-31", "monitored": False, "support_tier": "bronze"},
            "dmi01-scranton-rtr01": {
                "warranty_end": "2029-01-15",
                "monitored": True,
                "support_tier": "gold",
                "cost_center": "CC-1000",
                "owner": "Michael Scott",
            },
            "dmi01-scranton-sw01": {
                "warranty_end": "2027-09-30",
                "monitored": True,
                "support_tier": "silver",
                "owner": "Pamela Halpert",
            },
            "dmi01-stamford-rtr01": {
                "warranty_end": "2026-10-31",
                "monitored": True,
                "support_tier": "silver",
                "cost_center": "CC-1200",
            },
            "dmi01-stamford-sw01": {"monitored": False},
            "dmi01-yonkers-rtr01": {
                "warranty_end": "2027-05-31",
                "support_tier": "bronze",
                "cost_center": "CC-1300",
            },
            "dmi01-buffalo-rtr01": {"warranty_end": "2025-12-31", "monitored": False},
            "ncsu-coreswitch1": {
                "warranty_end": "2028-08-31",
                "monitored": True,
                "support_tier": "gold",
                "cost_center": "NCSU-IT-01",
            },
            "ncsu-coreswitch2": {
                "warranty_end": "2028-08-31",
                "monitored": True,
                "support_tier": "gold",
                "cost_center": "NCSU-IT-01",
            },
        },
        "circuits.circuit": {
            "DJDP9577": {
                "support_tier": "gold",
                "sla_hours": 4,
                "cost_center": "CC-1200",
                "owner": "Dwight Schrute",
            },
            "1002844927": {"support_tier": "silver", "sla_hours": 8, "cost_center": "CC-1200"},
            "LQRT4981": {"support_tier": "gold", "sla_hours": 4, "owner": "Michael Scott"},
            "KSIR0381": {"support_tier": "bronze", "sla_hours": 24},
            "1002840283": {"sla_hours": 12, "cost_center": "CC-1040"},
            "DEOW4921": {"support_tier": "silver"},
            "319031": {
                "support_tier": "gold",
                "sla_hours": 2,
                "cost_center": "NCSU-IT-01",
                "owner": "Pamela Halpert",
            },
        },
        "ipam.prefix": {
            "10.112.128.0/22": {"cost_center": "CC-1040", "owner": "Dwight Schrute"},
            "10.112.148.0/22": {"cost_center": "CC-1100", "owner": "Michael Scott"},
            "10.112.160.0/22": {"cost_center": "CC-1000"},
            "10.112.164.0/22": {"owner": "Pamela Halpert"},
        },
    },
    "tags": [
        {"name": "critical", "slug": "critical", "color": "f44336", "description": "outage stops a site"},
        {"name": "pci-scope", "slug": "pci-scope", "color": "9c27b0", "description": "in PCI DSS scope"},
        {"name": "uplink", "slug": "uplink", "color": "2196f3", "description": "carries a site's uplink"},
        {"name": "lab", "slug": "lab", "color": "4caf50", "description": "research and test"},
    ],
    # Tags by object: devices by name, interfaces "device interface", VLANs "site or group/Name (VID)",
    # prefixes by prefix. Added to what the object has.
    "tagged": {
        "dcim.device": {
            "dmi01-akron-rtr01": ["critical"],
            "dmi01-scranton-rtr01": ["critical", "pci-scope"],
            "dmi01-nashua-rtr01": ["critical"],
            "ncsu-coreswitch1": ["critical"],
            "ncsu-coreswitch2": ["critical"],
            "dmi01-stamford-sw01": ["pci-scope"],
        },
        "dcim.interface": {
            "dmi01-stamford-sw01 Po1": ["uplink"],
            "dmi01-stamford-rtr01 Po1": ["uplink"],
            "ncsu117-distswitch1 ae0": ["uplink"],
            "ncsu117-distswitch1 ae1": ["uplink"],
            "dmi01-akron-rtr01 GigabitEthernet0/0/0": ["uplink"],
            "ncsu117-distswitch1 xe-0/0/10": ["lab"],
        },
        "ipam.vlan": {
            "dm-scranton/Data (100)": ["pci-scope"],
            "dm-stamford/Data (100)": ["pci-scope"],
            "ncsu-campus/Research-Lab (130)": ["lab"],
        },
        "ipam.prefix": {
            "10.112.161.0/24": ["pci-scope"],
            "10.112.165.0/24": ["pci-scope"],
            "10.112.128.0/22": ["critical"],
        },
    },
    # Journal entries: object "type:name", by the seed's admin token or by dwight's.
    "journal": [
        {
            "object": "dcim.device:dmi01-akron-rtr01",
            "kind": "info",
            "user": "admin",
            "comments": "Replaced the power supply PSU1 under RMA 4471.",
        },
        {
            "object": "dcim.device:dmi01-akron-rtr01",
            "kind": "warning",
            "user": "dwight",
            "comments": "Warranty ends 2027-03-31: renewal quote requested.",
        },
        {
            "object": "dcim.device:dmi01-nashua-rtr01",
            "kind": "success",
            "user": "dwight",
            "comments": "IOS XE upgraded to 17.9.4a, BGP re-established.",
        },
        {
            "object": "dcim.device:dmi01-scranton-rtr01",
            "kind": "danger",
            "user": "admin",
            "comments": "Fan tray failure alarm; spare ordered.",
        },
        {
            "object": "dcim.device:ncsu-coreswitch2",
            "kind": "warning",
            "user": "admin",
            "comments": "xe-1/3/7 optic failed, RMA open.",
        },
        {
            "object": "circuits.circuit:DJDP9577",
            "kind": "danger",
            "user": "dwight",
            "comments": "Level 3 outage ticket 88231: circuit down 02:10-03:45.",
        },
        {
            "object": "circuits.circuit:DJDP9577",
            "kind": "success",
            "user": "admin",
            "comments": "Level 3 confirmed the fix; circuit stable for 24 h.",
        },
    ],
    # Changes dwight makes through the REST API as an operator would (admin's are the rest of the seed).
    "operator_changes": {
        "update_devices": {"dmi01-nashua-rtr01": {"comments": "Router replaced 2026-11 (was an ISR 4321)."}},
        "update_interfaces": {
            "dmi01-nashua-sw01 GigabitEthernet1/0/10": {"description": "badge reader lobby"}
        },
        "create_vlans": [{"site": "dm-nashua", "vid": 400, "name": "Guest"}],
        # Created and then deleted: the change log keeps both rows.
        "create_then_delete_vlans": [{"site": "dm-nashua", "vid": 410, "name": "Temp-Event"}],
    },
    # netbox-bgp objects, through /api/plugins/bgp/. Local addresses are created on the routers' WAN
    # ports, remote ones unassigned (the provider's side).
    "bgp": {
        "asns": [
            {"asn": 3356, "rir": "ARIN", "description": "Level 3"},
            {"asn": 209, "rir": "ARIN", "description": "CenturyLink"},
        ],
        "local_asn": 65001,
        "routing_policies": [
            {"name": "TRANSIT-IN", "description": "accept default and customer routes"},
            {"name": "TRANSIT-OUT", "description": "announce branch aggregates only"},
            {"name": "DENY-ALL", "description": "drop everything"},
        ],
        "peer_groups": [
            {"name": "LEVEL3-TRANSIT", "remote_as": 3356, "description": "Level 3 MPLS / transit"},
            {"name": "CENTURYLINK-TRANSIT", "remote_as": 209, "description": "CenturyLink internet"},
        ],
        "sessions": [
            {
                "name": "stamford-level3",
                "device": "dmi01-stamford-rtr01",
                "interface": "GigabitEthernet0/0/0",
                "local": "198.51.100.1/30",
                "remote": "198.51.100.2/30",
                "remote_as": 3356,
                "status": "active",
                "peer_group": "LEVEL3-TRANSIT",
                "import": ["TRANSIT-IN"],
                "export": ["TRANSIT-OUT"],
            },
            {
                "name": "stamford-centurylink",
                "device": "dmi01-stamford-rtr01",
                "interface": "GigabitEthernet0/0/1",
                "local": "198.51.100.5/30",
                "remote": "198.51.100.6/30",
                "remote_as": 209,
                "status": "offline",
                "peer_group": "CENTURYLINK-TRANSIT",
                "import": ["TRANSIT-IN"],
                "export": ["TRANSIT-OUT"],
            },
            {
                "name": "pittsfield-level3",
                "device": "dmi01-pittsfield-rtr01",
                "interface": "GigabitEthernet0/0/0",
                "local": "198.51.100.9/30",
                "remote": "198.51.100.10/30",
                "remote_as": 3356,
                "status": "failed",
                "peer_group": "LEVEL3-TRANSIT",
                "import": ["TRANSIT-IN"],
                "export": ["DENY-ALL"],
            },
            {
                "name": "akron-level3",
                "device": "dmi01-akron-rtr01",
                "interface": "GigabitEthernet0/0/0",
                "local": "198.51.100.13/30",
                "remote": "198.51.100.14/30",
                "remote_as": 3356,
                "status": "active",
                "peer_group": "LEVEL3-TRANSIT",
                "import": ["TRANSIT-IN"],
                "export": ["TRANSIT-OUT"],
            },
            {
                "name": "nashua-centurylink",
                "device": "dmi01-nashua-rtr01",
                "interface": "GigabitEthernet0/0/1",
                "local": "198.51.100.17/30",
                "remote": "198.51.100.18/30",
                "remote_as": 209,
                "status": "planned",
                "peer_group": "CENTURYLINK-TRANSIT",
            },
        ],
    },
    # Counts in the demo data (../shared/netbox-demo) for filters whose seeded total is baseline + seeded.
    "demo_baseline": {
        "dcim/interfaces/": 1586,
        "dcim/interfaces/?mgmt_only=true": 25,
        "dcim/interfaces/?type=lag": 26,
        "dcim/interfaces/?lag_id__n=null": 52,
        "dcim/devices/?platform_id__n=null": 13,
        "ipam/vlans/": 63,
        "ipam/ip-addresses/": 180,
        "dcim/platforms/": 3,
        "extras/tags/": 26,
        "ipam/asns/": 5,
        "extras/custom-fields/": 1,
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
        "dcim/interfaces/?enabled=false&description__empty=false": sum(
            1 for _, i in ifaces if i.get("enabled") is False and i.get("description")
        ),
        "dcim/interfaces/?type=virtual": sum(1 for i in created if i["create"]["type"] == "virtual"),
        "dcim/interfaces/?type=lag": base["dcim/interfaces/?type=lag"]
        + sum(1 for i in created if i["create"]["type"] == "lag"),
        "dcim/interfaces/?lag_id__n=null": base["dcim/interfaces/?lag_id__n=null"]
        + sum(
            1
            for d, i in ifaces
            if "lag" in i and any(j["name"] == i["lag"] and "create" in j for j in d["interfaces"])
        ),
        # The seeded mgmt_only entries are all on interfaces that the demo already marks mgmt-only.
        "dcim/interfaces/?mgmt_only=true": base["dcim/interfaces/?mgmt_only=true"],
        "dcim/interfaces/": base["dcim/interfaces/"] + len(created),
        "dcim/devices/?serial__empty=false": sum(1 for d in SEED["devices"] if d.get("serial")),
        "dcim/devices/?asset_tag__empty=false": sum(1 for d in SEED["devices"] if d.get("asset_tag")),
        "dcim/devices/?has_primary_ip=true": sum(1 for d in SEED["devices"] if d.get("primary_ip4")),
        "dcim/devices/?platform_id__n=null": base["dcim/devices/?platform_id__n=null"]
        + sum(1 for d in SEED["devices"] if d.get("platform")),
        "virtualization/virtual-machines/?has_primary_ip=true": sum(
            1 for v in SEED["virtual_machines"] if v.get("primary_ip4")
        ),
        "ipam/ip-addresses/?assigned_to_interface=true": len(SEED["ip_addresses"]),
        "ipam/ip-addresses/?assigned_object_type=dcim.interface": len(dev_ips),
        "ipam/ip-addresses/?assigned_object_type=virtualization.vminterface": len(vm_ips),
        "ipam/ip-addresses/": base["ipam/ip-addresses/"] + len(SEED["ip_addresses"]),
        "ipam/vlans/": base["ipam/vlans/"] + len(SEED["vlans"]),
        "ipam/vlans/?group=ncsu-campus": len([v for v in SEED["vlans"] if v["group"] == "ncsu-campus"]),
        "dcim/platforms/": base["dcim/platforms/"] + len(SEED["platforms"]),
        "extras/tags/": base["extras/tags/"] + len(SEED["tags"]) + 1,
    }
    # A team's own NetBox: what the users, custom fields, tags, journal, dwight's changes and BGP add.
    bgp, ops, cfv = SEED["bgp"], SEED["operator_changes"], SEED["custom_field_values"]
    counts["ipam/ip-addresses/"] += 2 * len(bgp["sessions"])
    counts["ipam/ip-addresses/?assigned_to_interface=true"] += len(bgp["sessions"])
    counts["ipam/ip-addresses/?assigned_object_type=dcim.interface"] += len(bgp["sessions"])
    counts["ipam/vlans/"] += len(ops["create_vlans"])
    counts["dcim/interfaces/?description__empty=false"] += sum(
        1 for v in ops["update_interfaces"].values() if v.get("description"))
    counts.update({
        "ipam/asns/": base["ipam/asns/"] + len(bgp["asns"]),
        "extras/custom-fields/": base["extras/custom-fields/"] + len(SEED["custom_fields"]),
        "extras/custom-field-choice-sets/": len(SEED["choice_sets"]),
        "extras/journal-entries/": len(SEED["journal"]),
        "extras/journal-entries/?kind=danger": sum(1 for j in SEED["journal"] if j["kind"] == "danger"),
        "plugins/bgp/session/": len(bgp["sessions"]),
        "plugins/bgp/peer-group/": len(bgp["peer_groups"]),
        "plugins/bgp/routing-policy/": len(bgp["routing_policies"]),
    })
    for status in ("active", "offline", "failed", "planned"):
        counts[f"plugins/bgp/session/?status={status}"] = sum(
            1 for x in bgp["sessions"] if x["status"] == status)
    for model, path in (("dcim.device", "dcim/devices/"), ("circuits.circuit", "circuits/circuits/"),
                        ("ipam.prefix", "ipam/prefixes/")):
        counts[f"{path}?cf_owner__empty=false"] = sum(1 for v in cfv[model].values() if "owner" in v)
    counts["dcim/devices/?cf_support_tier=gold"] = sum(
        1 for v in cfv["dcim.device"].values() if v.get("support_tier") == "gold")
    counts["dcim/devices/?cf_warranty_end__lt=2027-01-01"] = sum(
        1 for v in cfv["dcim.device"].values() if v.get("warranty_end", "9999") < "2027-01-01")
    counts["circuits/circuits/?cf_sla_hours__lte=4"] = sum(
        1 for v in cfv["circuits.circuit"].values() if v.get("sla_hours", 99) <= 4)
    counts["dcim/devices/?cf_monitored=true"] = sum(
        1 for v in cfv["dcim.device"].values() if v.get("monitored") is True)
    for tag in SEED["tags"]:
        for model, path in (("dcim.device", "dcim/devices/"), ("dcim.interface", "dcim/interfaces/"),
                            ("ipam.vlan", "ipam/vlans/"), ("ipam.prefix", "ipam/prefixes/")):
            n = sum(1 for tags in SEED["tagged"][model].values() if tag["slug"] in tags)
            if n:
                counts[f"{path}?tag={tag['slug']}"] = n
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
        raise Fail(
            f"refusing {url}: port {DEMO_PORT} is the demo NetBox (database netbox) other tests depend on"
        )
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
            man = a.one(
                "dcim/manufacturers/", [("slug", p["manufacturer"])], f"manufacturer {p['manufacturer']}"
            )
            if man is None:
                raise Fail(f"manufacturer {p['manufacturer']} missing")
            if write:
                platforms[p["name"]] = self.ensure(
                    "dcim/platforms/",
                    [("slug", p["slug"])],
                    {},
                    {"name": p["name"], "slug": p["slug"], "manufacturer": man["id"]},
                    f"platform {p['name']}",
                    p.get("create", False),
                )
        groups = {}
        for g in S["vlan_groups"]:
            region = a.one("dcim/regions/", [("slug", g["scope"])], f"region {g['scope']}")
            if region is None:
                raise Fail(f"region {g['scope']} missing")
            want = {
                "name": g["name"],
                "slug": g["slug"],
                "scope_type": g["scope_type"],
                "scope_id": region["id"],
                "description": g.get("description", ""),
            }
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
                        obj = a.post(
                            "dcim/interfaces/", {"device": dev["id"], "name": i["name"], **i["create"]}
                        )
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
                self.problems += [
                    f"interface {d['name']} id {p['id']} differs in {sorted(k for k in p if k != 'id')}"
                    for p in patches
                ]

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
            self.problems.append(
                f"IP addresses missing: {[n['address'] for n in new]}, differing: {len(upd)}"
            )

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
            self.problems += [
                f"device id {p['id']} differs in {sorted(k for k in p if k != 'id')}" for p in dev_patches
            ]
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


# -- a team's own NetBox --------------------------------------------------------------------------
def user_token(username: str, version: int = 1) -> str:
    """The Authorization value of a seeded user's token ("Token …" or "Bearer nbt_….…")."""
    u = next(x for x in SEED["users"] if x["username"] == username)
    t = next(x for x in u["tokens"] if x["version"] == version)
    return f"Token {t['token']}" if version == 1 else f"Bearer nbt_{t['key']}.{t['token']}"


# Run by scripts/netbox-fixture with `netbox shell -c` (Django ORM): get-or-create the seeded users and
# their tokens with the values SEED gives. USERS is replaced by SEED["users"] as JSON.
USERS_SCRIPT = """
import json
from users.models import Token, User
for u in json.loads(USERS):
    user, made = User.objects.get_or_create(
        username=u["username"], defaults={"first_name": u["first_name"], "last_name": u["last_name"]})
    if made:
        user.set_unusable_password()
        user.save()
    for t in u["tokens"]:
        if t["version"] == 1 and not Token.objects.filter(plaintext=t["token"]).exists():
            Token(user=user, version=1, token=t["token"], write_enabled=t["write"],
                  description=t["description"]).save()
        if t["version"] == 2 and not Token.objects.filter(key=t["key"]).exists():
            Token(user=user, version=2, key=t["key"], token=t["token"], write_enabled=t["write"],
                  description=t["description"]).save()
print("fixture users ready")
"""


def users_script() -> str:
    return f"USERS = {json.dumps(json.dumps(SEED['users']))}\n{USERS_SCRIPT}"


def env_lines() -> list[str]:
    """What scripts/netbox-fixture prints (and scripts/test exports) for the seeded users' tokens."""
    return [f"NETBOX_FIXTURE_LIMITED_TOKEN={user_token('akron-viewer').split()[1]}",
            f"NETBOX_FIXTURE_LIMITED_TOKEN_V2={user_token('akron-viewer', 2).split()[1]}",
            f"NETBOX_FIXTURE_OPERATOR_TOKEN={user_token('dwight').split()[1]}"]


class TeamSeeder:
    """Users' permissions, custom fields, tags, journal entries, dwight's changes and netbox-bgp objects.

    Same contract as Seeder: look up, create what is missing, PATCH what differs; with check_only,
    every difference is a problem instead. Runs after Seeder (it uses the IPs and interfaces it made).
    """

    def __init__(self, api: API, operator: API) -> None:
        self.api, self.op = api, operator  # admin's token, dwight's token
        self.problems: list[str] = []
        self.changed = 0
        self.write = api.write

    def note(self, what: str) -> bool:
        """True if the change may be made; else it is recorded as a problem (check mode)."""
        if self.write:
            say(what)
            self.changed += 1
            return True
        self.problems.append(f"missing or different: {what}")
        return False

    def run(self) -> None:
        users = self.users()
        self.permissions(users)
        self.custom_fields()
        objects = self.objects()
        self.custom_field_values(objects)
        self.tags(objects)
        self.journal(objects, users)
        self.operator_changes(objects)
        self.bgp(objects)

    # users and ObjectPermissions
    def users(self) -> dict:
        names = [u["username"] for u in SEED["users"]] + ["admin"]
        found = {u["username"]: u for u in self.api.all("users/users/", [("username", n) for n in names])}
        missing = [n for n in names if n not in found]
        if missing:
            raise Fail(f"users {missing} missing: scripts/netbox-fixture creates them (netbox shell)")
        return found

    def permissions(self, users: dict) -> None:
        for p in SEED["permissions"]:
            want = {"name": p["name"], "enabled": True, "object_types": sorted(p["object_types"]),
                    "actions": sorted(p["actions"]), "constraints": p.get("constraints"),
                    "users": sorted(users[u]["id"] for u in p["users"])}
            cur = self.api.one("users/permissions/", [("name", p["name"])], f"permission {p['name']}")
            if cur is None:
                if self.note(f"create permission {p['name']!r}"):
                    self.api.post("users/permissions/", want)
                continue
            have = {"name": cur["name"], "enabled": cur["enabled"],
                    "object_types": sorted(cur["object_types"]),
                    "actions": sorted(cur["actions"]), "constraints": cur["constraints"],
                    "users": sorted(ref_id(u) for u in cur["users"])}
            if have != want and self.note(f"update permission {p['name']!r}"):
                self.api.patch(f"users/permissions/{cur['id']}/", want)

    # custom fields
    def custom_fields(self) -> None:
        sets = {}
        for c in SEED["choice_sets"]:
            cur = self.api.one("extras/custom-field-choice-sets/", [("name", c["name"])],
                               f"choice set {c['name']}")
            if cur is None:
                if self.note(f"create choice set {c['name']!r}"):
                    cur = self.api.post("extras/custom-field-choice-sets/",
                                        {"name": c["name"], "extra_choices": c["extra_choices"]})
            elif cur["extra_choices"] != c["extra_choices"] and self.note(f"update choice set {c['name']!r}"):
                cur = self.api.patch(f"extras/custom-field-choice-sets/{cur['id']}/",
                                     {"extra_choices": c["extra_choices"]})
            sets[c["name"]] = cur
        for f in SEED["custom_fields"]:
            want = {"name": f["name"], "label": f["label"], "type": f["type"],
                    "object_types": sorted(f["object_types"]), "filter_logic": "exact"}
            if "choice_set" in f:
                want["choice_set"] = (sets.get(f["choice_set"]) or {}).get("id")
            if "related_object_type" in f:
                want["related_object_type"] = f["related_object_type"]
            cur = self.api.one("extras/custom-fields/", [("name", f["name"])], f"custom field {f['name']}")
            if cur is None:
                if self.note(f"create custom field {f['name']} ({f['type']})"):
                    self.api.post("extras/custom-fields/", want)
                continue
            have = {k: cur.get(k) for k in want}
            have["type"] = ref_value(cur["type"])
            have["filter_logic"] = ref_value(cur["filter_logic"])
            have["object_types"] = sorted(cur["object_types"])
            if "choice_set" in want:
                have["choice_set"] = ref_id(cur["choice_set"])
            diff = {k: v for k, v in want.items() if have[k] != v}
            if diff and self.note(f"update custom field {f['name']}: {sorted(diff)}"):
                self.api.patch(f"extras/custom-fields/{cur['id']}/", diff)

    # the objects the rest refers to, by the names SEED uses
    def objects(self) -> dict:
        a = self.api
        cfv, tagged = SEED["custom_field_values"], SEED["tagged"]
        dev_names = set(cfv["dcim.device"]) | set(tagged["dcim.device"])
        dev_names |= {s["device"] for s in SEED["bgp"]["sessions"]}
        dev_names |= {k.split()[0] for k in tagged["dcim.interface"]}
        dev_names |= set(SEED["operator_changes"]["update_devices"])
        dev_names |= {k.split()[0] for k in SEED["operator_changes"]["update_interfaces"]}
        dev_names |= {j["object"].split(":", 1)[1] for j in SEED["journal"]
                      if j["object"].startswith("dcim.device:")}
        devices = {d["name"]: d for d in a.all("dcim/devices/", [("name", n) for n in sorted(dev_names)],
                                               "id,name,site,tags,custom_fields,comments")}
        cids = set(cfv["circuits.circuit"]) | {j["object"].split(":", 1)[1] for j in SEED["journal"]
                                              if j["object"].startswith("circuits.circuit:")}
        circuits = {c["cid"]: c for c in a.all("circuits/circuits/", [("cid", c) for c in sorted(cids)],
                                                "id,cid,custom_fields")}
        pfx = set(cfv["ipam.prefix"]) | set(tagged["ipam.prefix"])
        prefixes = {}
        for p in a.all("ipam/prefixes/", [("prefix", x) for x in sorted(pfx)],
                       "id,prefix,vrf,tags,custom_fields"):
            if p["vrf"] is None:
                prefixes[p["prefix"]] = p
        iface_keys = set(tagged["dcim.interface"]) | set(SEED["operator_changes"]["update_interfaces"])
        iface_keys |= {f"{s['device']} {s['interface']}" for s in SEED["bgp"]["sessions"]}
        ifaces = {}
        # Devices x names (filters AND across keys, OR within one), then kept by "device name".
        rows = a.all("dcim/interfaces/", [("device", k.split(" ", 1)[0]) for k in sorted(iface_keys)]
                     + [("name", k.split(" ", 1)[1]) for k in sorted(iface_keys)],
                     "id,name,device,tags,description")
        for x in rows:
            key = f"{x['device']['name']} {x['name']}"
            if key in iface_keys:
                ifaces[key] = x
        contacts = {c["name"]: c for c in a.all("tenancy/contacts/", None, "id,name")}
        out = {"dcim.device": devices, "circuits.circuit": circuits, "ipam.prefix": prefixes,
               "dcim.interface": ifaces, "contacts": contacts}
        for model, names in (("dcim.device", dev_names), ("circuits.circuit", cids), ("ipam.prefix", pfx),
                             ("dcim.interface", iface_keys)):
            lost = sorted(set(names) - set(out[model]))
            if lost:
                raise Fail(f"{model} {lost} not in this NetBox: is it the demo data?")
        return out

    def custom_field_values(self, objects: dict) -> None:
        paths = {"dcim.device": "dcim/devices/", "circuits.circuit": "circuits/circuits/",
                 "ipam.prefix": "ipam/prefixes/"}
        for model, values in SEED["custom_field_values"].items():
            patches = []
            for name, want in values.items():
                obj = objects[model][name]
                want = {k: (objects["contacts"][v]["id"] if k == "owner" else v) for k, v in want.items()}
                have = {k: cf_plain(obj["custom_fields"].get(k)) for k in want}
                if have != want:
                    patches.append({"id": obj["id"], "custom_fields": want})
            if patches and self.note(f"set custom fields on {len(patches)} {model}"):
                self.api.patch(paths[model], patches)

    def tags(self, objects: dict) -> None:
        a = self.api
        ids = {}
        for t in SEED["tags"]:
            want = {k: t[k] for k in ("name", "slug", "color", "description")}
            cur = a.one("extras/tags/", [("slug", t["slug"])], f"tag {t['slug']}")
            if cur is None:
                if self.note(f"create tag {t['slug']}"):
                    cur = a.post("extras/tags/", want)
            elif any(cur[k] != v for k, v in want.items()) and self.note(f"update tag {t['slug']}"):
                cur = a.patch(f"extras/tags/{cur['id']}/", want)
            ids[t["slug"]] = (cur or {}).get("id")
        vlans = self.vlans_by_key(SEED["tagged"]["ipam.vlan"])
        paths = {"dcim.device": "dcim/devices/", "dcim.interface": "dcim/interfaces/",
                 "ipam.vlan": "ipam/vlans/", "ipam.prefix": "ipam/prefixes/"}
        for model, by_name in SEED["tagged"].items():
            patches = []
            for name, slugs in by_name.items():
                obj = vlans[name] if model == "ipam.vlan" else objects[model][name]
                have = {ref_id(t) for t in obj["tags"]}
                want = have | {ids[s] for s in slugs}
                if want != have:
                    patches.append({"id": obj["id"], "tags": sorted(i for i in want if i)})
            if patches and self.note(f"tag {len(patches)} {model}"):
                a.patch(paths[model], patches)

    def vlans_by_key(self, keys) -> dict:
        """VLANs named "site-or-group-slug/Name (VID)"."""
        out = {}
        for key in keys:
            scope, display = key.split("/", 1)
            m = VLAN_DISPLAY.match(display)
            by = "group" if scope == "ncsu-campus" else "site"
            rows = self.api.get("ipam/vlans/", [(by, scope), ("vid", m["vid"]), ("name", m["name"]),
                                                ("fields", "id,name,vid,tags")])["results"]
            if len(rows) != 1:
                raise Fail(f"VLAN {key}: {len(rows)} matches")
            out[key] = rows[0]
        return out

    def journal(self, objects: dict, users: dict) -> None:
        have = {}
        for e in self.api.all("extras/journal-entries/", None,
                              "id,assigned_object_type,assigned_object_id,kind,comments,created_by"):
            have[(e["assigned_object_type"], e["assigned_object_id"], e["comments"])] = e
        for j in SEED["journal"]:
            model, name = j["object"].split(":", 1)
            obj = objects[model][name]
            cur = have.get((model, obj["id"], j["comments"]))
            if cur is not None:
                if ref_value(cur["kind"]) != j["kind"] or cur["created_by"] != users[j["user"]]["id"]:
                    self.problems.append(f"journal entry on {j['object']} differs: {j['comments'][:40]}")
                continue
            if self.note(f"journal {j['kind']} on {j['object']} by {j['user']}"):
                api = self.op if j["user"] == "dwight" else self.api
                api.post("extras/journal-entries/", {"assigned_object_type": model,
                                                     "assigned_object_id": obj["id"],
                                                     "kind": j["kind"], "comments": j["comments"]})

    def operator_changes(self, objects: dict) -> None:
        ops, op = SEED["operator_changes"], self.op
        for name, want in ops["update_devices"].items():
            dev = objects["dcim.device"][name]
            if any(dev.get(k) != v for k, v in want.items()) and self.note(f"dwight updates device {name}"):
                op.patch(f"dcim/devices/{dev['id']}/", want)
        for key, want in ops["update_interfaces"].items():
            x = objects["dcim.interface"][key]
            if any(x.get(k) != v for k, v in want.items()) and self.note(f"dwight updates interface {key}"):
                op.patch(f"dcim/interfaces/{x['id']}/", want)
        sites = {}
        for v in ops["create_vlans"] + ops["create_then_delete_vlans"]:
            if v["site"] not in sites:
                sites[v["site"]] = self.api.one("dcim/sites/", [("slug", v["site"])], f"site {v['site']}")
        for v in ops["create_vlans"]:
            cur = self.api.one("ipam/vlans/", [("site", v["site"]), ("vid", v["vid"])], f"VLAN {v['vid']}")
            if cur is None and self.note(f"dwight creates VLAN {v['name']} ({v['vid']}) at {v['site']}"):
                op.post("ipam/vlans/", {"site": sites[v["site"]]["id"], "vid": v["vid"], "name": v["name"],
                                        "status": "active"})
        for v in ops["create_then_delete_vlans"]:
            gone = self.api.get("core/object-changes/", [
                ("changed_object_type", "ipam.vlan"), ("action", "delete"), ("user_name", "dwight"),
                ("q", v["name"]), ("limit", 1)])
            if gone["count"]:
                continue
            if self.note(f"dwight creates and deletes VLAN {v['name']} ({v['vid']}) at {v['site']}"):
                cur = self.api.one("ipam/vlans/", [("site", v["site"]), ("vid", v["vid"])],
                                   f"VLAN {v['vid']}")
                if cur is None:
                    cur = op.post("ipam/vlans/", {"site": sites[v["site"]]["id"], "vid": v["vid"],
                                                  "name": v["name"], "status": "active"})
                op.request("DELETE", f"ipam/vlans/{cur['id']}/")

    def bgp(self, objects: dict) -> None:
        a, B = self.api, SEED["bgp"]
        asns = {}
        for x in B["asns"]:
            cur = a.one("ipam/asns/", [("asn", x["asn"])], f"AS{x['asn']}")
            if cur is None and self.note(f"create AS{x['asn']}"):
                rir = a.one("ipam/rirs/", [("name", x["rir"])], f"RIR {x['rir']}")
                cur = a.post("ipam/asns/", {"asn": x["asn"], "rir": rir["id"],
                                            "description": x["description"]})
            asns[x["asn"]] = cur
        asns[B["local_asn"]] = a.one("ipam/asns/", [("asn", B["local_asn"])], "local ASN")
        policies = {}
        for p in B["routing_policies"]:
            cur = a.one("plugins/bgp/routing-policy/", [("name", p["name"])], f"routing policy {p['name']}")
            if cur is None and self.note(f"create routing policy {p['name']}"):
                cur = a.post("plugins/bgp/routing-policy/", p)
            policies[p["name"]] = cur
        groups = {}
        for g in B["peer_groups"]:
            cur = a.one("plugins/bgp/peer-group/", [("name", g["name"])], f"peer group {g['name']}")
            if cur is None and self.note(f"create peer group {g['name']}"):
                cur = a.post("plugins/bgp/peer-group/", {"name": g["name"], "description": g["description"],
                                                         "remote_as": asns[g["remote_as"]]["id"]})
            groups[g["name"]] = cur
        ips = self.bgp_addresses(objects)
        for x in B["sessions"]:
            cur = a.one("plugins/bgp/session/", [("name", x["name"])], f"BGP session {x['name']}")
            if cur is not None:
                if ref_value(cur["status"]) != x["status"] and self.note(f"BGP session {x['name']} status"):
                    a.patch(f"plugins/bgp/session/{cur['id']}/", {"status": x["status"]})
                continue
            if not self.note(f"create BGP session {x['name']} ({x['status']})"):
                continue
            dev = objects["dcim.device"][x["device"]]
            a.post("plugins/bgp/session/", {
                "name": x["name"], "device": dev["id"], "site": dev["site"]["id"], "status": x["status"],
                "local_address": ips[x["local"]]["id"], "remote_address": ips[x["remote"]]["id"],
                "local_as": asns[B["local_asn"]]["id"], "remote_as": asns[x["remote_as"]]["id"],
                "peer_group": groups[x["peer_group"]]["id"],
                "import_policies": [policies[n]["id"] for n in x.get("import", [])],
                "export_policies": [policies[n]["id"] for n in x.get("export", [])]})

    def bgp_addresses(self, objects: dict) -> dict:
        """The sessions' IPs: local ones on the router's WAN port, remote ones unassigned (global VRF)."""
        a, out = self.api, {}
        for x in SEED["bgp"]["sessions"]:
            iface = objects["dcim.interface"][f"{x['device']} {x['interface']}"]
            for addr, target in ((x["local"], iface), (x["remote"], None)):
                rows = a.get("ipam/ip-addresses/", [("address", addr), ("vrf_id", "null")])["results"]
                if rows:
                    out[addr] = rows[0]
                    got = rows[0]["assigned_object_id"]
                    if got != (target or {}).get("id"):
                        want_id = (target or {}).get("id")
                        self.problems.append(f"IP {addr} is assigned to {got}, not {want_id}")
                    continue
                if self.note(f"create IP {addr}" + (f" on {x['device']} {x['interface']}" if target else "")):
                    body = {"address": addr, "status": "active",
                            "description": f"BGP {x['name']} {'local' if target else 'remote'}"}
                    if target:
                        body.update(assigned_object_type="dcim.interface", assigned_object_id=target["id"])
                    out[addr] = a.post("ipam/ip-addresses/", body)
        return out


def ref_value(v):
    return v.get("value") if isinstance(v, dict) else v


def cf_plain(v):
    """A custom field's value as written: an object field comes back nested ({"id": …}), a selection
    as {"value", "label"}."""
    if isinstance(v, dict):
        return v["id"] if "id" in v else v.get("value")
    return v


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default=os.environ.get("NETBOX_FIXTURE_URL", DEFAULT_URL))
    ap.add_argument(
        "--check", action="store_true", help="read-only: compare the server with SEED, change nothing"
    )
    ap.add_argument(
        "--force", action="store_true", help="converge and check even when the marker tag is there"
    )
    ap.add_argument("--write-json", action="store_true", help=f"only write {JSON_PATH.name}")
    ap.add_argument("--users-script", action="store_true",
                    help="print the Django shell script that creates the seeded users and tokens")
    ap.add_argument("--env", action="store_true", help="print NETBOX_FIXTURE_*_TOKEN=… lines")
    args = ap.parse_args(argv)

    if args.users_script:
        print(users_script())
        return 0
    if args.env:
        print("\n".join(env_lines()))
        return 0
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
        operator = API(base, user_token("dwight").split()[1], write=not args.check)
        team = TeamSeeder(api, operator)
        team.run()
        seeder.problems += team.problems
        seeder.changed += team.changed
        api.calls += operator.calls
        if not args.check:
            # Read everything back: the marker is written only when the server matches SEED.
            ro = API(base, api.headers["Authorization"].split()[1], write=False)
            verify = Seeder(ro)
            verify.run(check_only=True)
            verify_team = TeamSeeder(ro, API(base, user_token("dwight").split()[1], write=False))
            verify_team.run()
            seeder.problems += verify.problems + verify_team.problems
            api.calls += verify.api.calls
        seeder.check_counts(marker_written=tag is not None)
        if seeder.problems:
            for p in seeder.problems:
                say(f"MISMATCH {p}")
            raise Fail(
                f"{len(seeder.problems)} mismatches"
                + ("" if args.check else "; the marker tag is not written")
            )
        if args.check:
            if not tag or tag["description"] != done_text:
                raise Fail("the data matches but the marker tag is missing or stale")
            say(f"check ok ({api.calls} requests)")
            return 0
        if tag is None:
            api.post(
                "extras/tags/", {"name": marker["name"], "slug": marker["slug"], "description": done_text}
            )
        elif tag["description"] != done_text:
            api.patch(f"extras/tags/{tag['id']}/", {"description": done_text})
        say(f"seeded {base}: {seeder.changed} changes, {api.calls} requests, {time.monotonic() - t0:.1f} s")
        return 0
    except Fail as e:
        say(f"error: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
