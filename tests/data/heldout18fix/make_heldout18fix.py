#!/usr/bin/env python3
"""Generate heldout18fix.yaml: held-out questions about what makes the fixture NetBox its own.

Custom fields, tags, journal entries, the change log (admin and dwight), the netbox-bgp plugin, and
the NetBox version. Every expected value is read from the fixture NetBox's REST API (GET only) by the
queries written here by hand; where a server filter is used, the same result is computed client-side
too and the script stops if they differ.

    cd /work/main && eval "$(scripts/netbox-fixture env)"
    .venv/bin/python tests/data/heldout18fix/make_heldout18fix.py [--out FILE]

NETBOX_FIXTURE_URL (default http://127.0.0.1:8001) and NETBOX_TOKEN (default: the public demo dump's
read-only token, which the fixture NetBox shares). Questions with relative time words ("today", "this
week", "yesterday", "out of warranty", "this month") are written for 2026-12-08 UTC, the day the fixture
was seeded; the script checks that every change-log row it relies on has a time on that day.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import httpx
import yaml

BASE = os.environ.get("NETBOX_FIXTURE_URL", "http://127.0.0.1:8001").rstrip("/")
TOKEN = os.environ.get("NETBOX_TOKEN", "0123456789abcdef0123456789abcdef01234567")
TODAY = dt.date(2026, 12, 8)  # the day the questions' time words refer to
WEEK_START = TODAY - dt.timedelta(days=TODAY.weekday())  # Monday 2026-12-07
OUT = Path(__file__).with_name("heldout18fix.yaml")

client = httpx.Client(
    base_url=f"{BASE}/api/",
    headers={"Authorization": f"Token {TOKEN}", "Accept": "application/json"},
    timeout=60,
)


def get(path: str, **params: Any) -> Any:
    r = client.get(path, params=params)
    r.raise_for_status()
    return r.json()


def all_rows(path: str, **params: Any) -> list[dict]:
    rows: list[dict] = []
    params = {**params, "limit": 1000, "offset": 0}
    while True:
        page = get(path, **params)
        rows += page["results"]
        if not page.get("next"):
            return rows
        params["offset"] += 1000


def one(path: str, **params: Any) -> dict:
    rows = get(path, **params)["results"]
    if len(rows) != 1:
        sys.exit(f"{path} {params}: {len(rows)} rows, expected one")
    return rows[0]


def same(server: list[dict], client_side: list[dict], what: str) -> list[dict]:
    """The server filter's rows, after checking that a client-side computation agrees."""
    a, b = sorted(r["id"] for r in server), sorted(r["id"] for r in client_side)
    if a != b:
        sys.exit(f"{what}: server filter gives {a}, client-side {b}")
    return server


def displays(rows: list[dict]) -> list[str]:
    return sorted({r["display"] for r in rows})


def cf(obj: dict, name: str) -> Any:
    v = obj["custom_fields"].get(name)
    if isinstance(v, dict):
        return v.get("value", v.get("name"))
    return v


def choice(v: Any) -> Any:
    return v.get("value") if isinstance(v, dict) else v


def case(
    question: str,
    capability: str,
    intent: str,
    calls: int,
    note: str,
    *,
    object_type: str | None = None,
    rows: list[dict] | None = None,
    total: int | None = None,
    display: bool = True,
    contains: list[str] | None = None,
    answer_has: list[str] | None = None,
    status: str | None = None,
) -> dict:
    expect: dict[str, Any] = {}
    if status:
        expect["status"] = status
    if object_type:
        expect["object_type"] = object_type
    if rows is not None and total is None:
        total = len(rows)
    if total is not None:
        expect["total"] = total
    if rows is not None and display and rows:
        expect["display"] = displays(rows)
    if contains:
        expect["contains"] = sorted(set(contains))
    if answer_has:
        for a in answer_has:
            if str(a).lower() in question.lower():
                sys.exit(f"answer_has {a!r} is in the question {question!r}")
        expect["answer_has"] = [str(a) for a in answer_has]
    expect["intent"] = intent
    expect["max_api_calls_cold"] = calls
    if capability.startswith("custom_field_"):  # one kind for the counts; the field type goes in the note
        note = f"[{capability.removeprefix('custom_field_')}] {note}"
        capability = "custom_fields"
    return {"question": question, "capability": capability, "expect": expect, "note": note}


# ------------------------------------------------------------------------------------------------
def custom_field_cases(devices: list[dict]) -> list[dict]:
    out = []
    circuits = all_rows("circuits/circuits/")
    cust = {f["name"]: f for f in all_rows("extras/custom-fields/")}
    for name in ("warranty_end", "monitored", "support_tier", "cost_center", "sla_hours", "owner", "cust_id"):
        if name not in cust:
            sys.exit(f"custom field {name} missing")

    rows = same(
        all_rows("dcim/devices/", cf_support_tier="gold"),
        [d for d in devices if cf(d, "support_tier") == "gold"],
        "gold devices",
    )
    out.append(
        case(
            "which devices have gold support?",
            "custom_field_select",
            "bulk_discovery",
            5,
            "GET dcim/devices/?cf_support_tier=gold (select custom field 'Support tier', "
            "choice set 'Support tiers': gold/silver/bronze).",
            object_type="dcim.device",
            rows=rows,
        )
    )

    rows = same(
        all_rows("dcim/devices/", cf_monitored="false"),
        [d for d in devices if d["custom_fields"].get("monitored") is False],
        "monitored false",
    )
    out.append(
        case(
            "which devices have monitored = false",
            "custom_field_boolean",
            "bulk_discovery",
            5,
            "GET dcim/devices/?cf_monitored=false (boolean custom field). Devices with no value are "
            "not false: they are left out.",
            object_type="dcim.device",
            rows=rows,
        )
    )

    today = TODAY.isoformat()
    if any(cf(d, "warranty_end") == today for d in devices):
        sys.exit("a warranty ends on the reference day: the question would change during the day")
    rows = same(
        all_rows("dcim/devices/", cf_warranty_end__lt=today),
        [d for d in devices if cf(d, "warranty_end") and cf(d, "warranty_end") < today],
        "expired",
    )
    out.append(
        case(
            "which devices are out of warranty already?",
            "custom_field_date",
            "bulk_discovery",
            5,
            f"GET dcim/devices/?cf_warranty_end__lt={today} (date custom field 'Warranty end'; "
            "true for the whole of 2026-12-08: no warranty ends that day). Devices with no date "
            "are not counted as expired.",
            object_type="dcim.device",
            rows=rows,
            answer_has=sorted(cf(d, "warranty_end") for d in rows)[:1],
        )
    )

    month_end = "2026-12-31"
    rows = same(
        all_rows("dcim/devices/", cf_warranty_end__gte="2026-12-01", cf_warranty_end__lte=month_end),
        [d for d in devices if cf(d, "warranty_end") and "2026-12-01" <= cf(d, "warranty_end") <= month_end],
        "this month",
    )
    out.append(
        case(
            "any device warranties running out this month",
            "custom_field_date",
            "bulk_discovery",
            5,
            "GET dcim/devices/?cf_warranty_end__gte=2026-12-01&cf_warranty_end__lte=2026-12-31 "
            "(this month = December 2026; none ends 2026-12-01..07, so 'from today' gives the "
            "same set).",
            object_type="dcim.device",
            rows=rows,
            answer_has=[cf(d, "warranty_end") for d in rows],
        )
    )

    rows = same(
        all_rows("circuits/circuits/", cf_sla_hours__lte=4),
        [c for c in circuits if cf(c, "sla_hours") is not None and cf(c, "sla_hours") <= 4],
        "sla",
    )
    out.append(
        case(
            "hey can you pull up circuits w/ an SLA of 4h or less",
            "custom_field_integer",
            "bulk_discovery",
            5,
            "GET circuits/circuits/?cf_sla_hours__lte=4 (integer custom field 'SLA hours').",
            object_type="circuits.circuit",
            rows=rows,
        )
    )

    c = one("circuits/circuits/", cid="1002840283")
    out.append(
        case(
            "cost center for circuit 1002840283?",
            "custom_field_value",
            "attribute",
            4,
            "GET circuits/circuits/?cid=1002840283 -> custom_fields.cost_center (text).",
            object_type="circuits.circuit",
            rows=[c],
            answer_has=[cf(c, "cost_center")],
        )
    )

    p = one("ipam/prefixes/", prefix="10.112.148.0/22", vrf_id="null")
    owner = p["custom_fields"]["owner"]["display"]
    out.append(
        case(
            "owner of 10.112.148.0/22 ?",
            "custom_field_value",
            "attribute",
            4,
            "GET ipam/prefixes/?prefix=10.112.148.0/22 -> custom_fields.owner (object field, a "
            f"tenancy contact: {owner}). The prefix's tenant is another thing "
            f"({(p.get('tenant') or {}).get('display')}).",
            object_type="ipam.prefix",
            rows=[p],
            answer_has=[owner],
        )
    )

    contact = one("tenancy/contacts/", name="Michael Scott")
    rows = same(
        all_rows("dcim/devices/", cf_owner=contact["id"]),
        [d for d in devices if (d["custom_fields"].get("owner") or {}).get("id") == contact["id"]],
        "owner",
    )
    out.append(
        case(
            "show me the devices michael scott owns",
            "custom_field_object",
            "bulk_discovery",
            6,
            f"GET tenancy/contacts/?name=Michael Scott (id {contact['id']}), then "
            f"dcim/devices/?cf_owner={contact['id']} (object custom field 'Owner' -> tenancy.contact).",
            object_type="dcim.device",
            rows=rows,
        )
    )

    tiers = collections.Counter(cf(d, "support_tier") for d in devices if cf(d, "support_tier"))
    labels = {
        c[0]: c[1]
        for c in get(f"extras/custom-field-choice-sets/{cust['support_tier']['choice_set']['id']}/")[
            "extra_choices"
        ]
    }
    pairs = ", ".join(f"{labels[k]} {v}" for k, v in tiers.most_common())
    unset = len(devices) - sum(tiers.values())
    out.append(
        case(
            "how many devices per support tier",
            "custom_field_group_by",
            "group_count",
            8,
            f"Count of dcim/devices/ by custom_fields.support_tier: {pairs}; {unset} devices have "
            "no tier (listing them as a group of their own is fine). Per choice: "
            "dcim/devices/?cf_support_tier=<value>&limit=1 -> count.",
            answer_has=[labels[k] for k in tiers] + [str(tiers.most_common(1)[0][1])],
        )
    )

    tenants = all_rows("tenancy/tenants/")
    rows = same(
        all_rows("tenancy/tenants/", cf_cust_id__empty="true"),
        [t for t in tenants if not cf(t, "cust_id")],
        "no cust id",
    )
    out.append(
        case(
            "tenants that don't have a customer ID",
            "custom_field_not_set",
            "bulk_discovery",
            5,
            "GET tenancy/tenants/?cf_cust_id__empty=true (text custom field 'Customer ID', label vs "
            "name cust_id; the two have an empty string).",
            object_type="tenancy.tenant",
            rows=rows,
        )
    )

    site = one("dcim/sites/", slug="dm-nashua")
    rows = same(
        all_rows("dcim/devices/", site_id=site["id"], cf_warranty_end__empty="true"),
        [d for d in devices if d["site"]["id"] == site["id"] and not cf(d, "warranty_end")],
        "nashua no warranty",
    )
    out.append(
        case(
            "nashua devices missing a warranty end date",
            "custom_field_not_set",
            "bulk_discovery",
            6,
            f"GET dcim/devices/?site_id={site['id']}&cf_warranty_end__empty=true (site DM-Nashua).",
            object_type="dcim.device",
            rows=rows,
        )
    )

    rows = same(
        all_rows("dcim/devices/", cf_monitored="true"),
        [d for d in devices if d["custom_fields"].get("monitored") is True],
        "monitored",
    )
    dates = sorted(cf(d, "warranty_end") for d in rows if cf(d, "warranty_end"))
    out.append(
        case(
            "list monitored devices with their warranty end",
            "custom_field_column",
            "bulk_discovery",
            5,
            "GET dcim/devices/?cf_monitored=true, showing custom_fields.warranty_end as a column "
            f"(dates {', '.join(dates)}).",
            object_type="dcim.device",
            rows=rows,
            answer_has=[dates[0], dates[-1]],
        )
    )

    t = one("tenancy/tenants/", slug="pied-piper")
    out.append(
        case(
            "pied piper customer id",
            "custom_field_value",
            "attribute",
            4,
            "GET tenancy/tenants/?slug=pied-piper -> custom_fields.cust_id (tenant text custom field).",
            object_type="tenancy.tenant",
            rows=[t],
            answer_has=[cf(t, "cust_id")],
        )
    )

    unset_rows = [d for d in devices if d["custom_fields"].get("monitored") is None]
    out.append(
        case(
            "devices with no value in the monitored field",
            "custom_field_not_set",
            "bulk_discovery",
            6,
            "Client-side over dcim/devices/: custom_fields.monitored is null. NetBox 4.7.3 ignores "
            "cf_monitored__empty=true on a boolean field (it returns all "
            f"{len(devices)}): total = all - monitored=true - monitored=false.",
            object_type="dcim.device",
            total=len(unset_rows),
            display=False,
            contains=[d["display"] for d in unset_rows if d["name"] and "pdu" in d["name"]][:3]
            + [d["display"] for d in unset_rows if d["name"] == "dmi01-binghamton-rtr01"],
        )
    )

    rows = same(
        all_rows("circuits/circuits/", cf_cost_center="CC-1200"),
        [c for c in circuits if cf(c, "cost_center") == "CC-1200"],
        "cc-1200",
    )
    out.append(
        case(
            "Circuits billed to cost centre CC-1200",
            "custom_field_text",
            "bulk_discovery",
            5,
            "GET circuits/circuits/?cf_cost_center=CC-1200 (text field, filter_logic exact). A device "
            "also carries CC-1200; the question asks for circuits.",
            object_type="circuits.circuit",
            rows=rows,
        )
    )

    d = one("dcim/devices/", name="dmi01-yonkers-rtr01")
    out.append(
        case(
            "when does the waranty on yonkers rtr01 end",
            "custom_field_value",
            "attribute",
            4,
            "GET dcim/devices/?name=dmi01-yonkers-rtr01 -> custom_fields.warranty_end.",
            object_type="dcim.device",
            rows=[d],
            answer_has=[cf(d, "warranty_end")],
        )
    )
    return out


# ------------------------------------------------------------------------------------------------
def tag_cases(devices: list[dict]) -> list[dict]:
    out = []
    rows = same(
        all_rows("dcim/devices/", tag="critical"),
        [d for d in devices if "critical" in {t["slug"] for t in d["tags"]}],
        "critical",
    )
    out.append(
        case(
            "devcies tagged critical",
            "tags",
            "bulk_discovery",
            4,
            "GET dcim/devices/?tag=critical.",
            object_type="dcim.device",
            rows=rows,
        )
    )

    rows = all_rows("ipam/vlans/", tag="pci-scope")
    out.append(
        case(
            "which vlans are in pci scope",
            "tags",
            "bulk_discovery",
            4,
            "GET ipam/vlans/?tag=pci-scope (tag 'pci-scope': in PCI DSS scope). Two VLANs, both "
            f"named Data (100), at {', '.join(sorted(v['site']['display'] for v in rows))}.",
            object_type="ipam.vlan",
            rows=rows,
            answer_has=sorted(v["site"]["display"] for v in rows),
        )
    )

    rows = all_rows("dcim/interfaces/", tag="uplink")
    out.append(
        case(
            "interfaces with the uplink tag",
            "tags",
            "bulk_discovery",
            4,
            "GET dcim/interfaces/?tag=uplink; display is the interface name (two are Po1). Devices: "
            + ", ".join(sorted(f"{i['device']['display']} {i['name']}" for i in rows)),
            object_type="dcim.interface",
            rows=rows,
            answer_has=sorted({i["device"]["name"] for i in rows}),
        )
    )

    d = one("dcim/devices/", name="dmi01-scranton-rtr01")
    out.append(
        case(
            "what tags are on dmi01-scranton-rtr01",
            "tags",
            "attribute",
            4,
            "GET dcim/devices/?name=dmi01-scranton-rtr01 -> tags.",
            object_type="dcim.device",
            rows=[d],
            answer_has=sorted(t["name"] for t in d["tags"]),
        )
    )

    sites = all_rows("dcim/sites/")
    rows = same(
        all_rows("dcim/sites/", tag="quebec"),
        [s for s in sites if "quebec" in {t["slug"] for t in s["tags"]}],
        "quebec",
    )
    out.append(
        case(
            "sites with tag Quebec",
            "tags",
            "bulk_discovery",
            4,
            "GET dcim/sites/?tag=quebec (one of the demo data's NATO-alphabet tags).",
            object_type="dcim.site",
            rows=rows,
        )
    )

    rows = same(
        all_rows("dcim/devices/", tag="critical", cf_warranty_end__lt="2028-01-01"),
        [
            d
            for d in devices
            if "critical" in {t["slug"] for t in d["tags"]}
            and cf(d, "warranty_end")
            and cf(d, "warranty_end") < "2028-01-01"
        ],
        "critical+warranty",
    )
    out.append(
        case(
            "critical devices whose warranty ends before 2028",
            "tags",
            "bulk_discovery",
            5,
            "GET dcim/devices/?tag=critical&cf_warranty_end__lt=2028-01-01 (tag and date custom "
            "field together).",
            object_type="dcim.device",
            rows=rows,
            answer_has=[cf(d, "warranty_end") for d in rows],
        )
    )

    n = get("ipam/prefixes/", tag="pci-scope", limit=1)["count"]
    rows = all_rows("ipam/prefixes/", tag="pci-scope")
    assert n == len(rows)
    out.append(
        case(
            "how many prefixes are tagged pci-scope?",
            "tags",
            "count",
            4,
            f"GET ipam/prefixes/?tag=pci-scope&limit=1 -> count {n}.",
            object_type="ipam.prefix",
            rows=rows,
        )
    )

    rows = all_rows("dcim/interfaces/", tag="lab")
    out.append(
        case(
            "which ports carry the lab tag",
            "tags",
            "bulk_discovery",
            4,
            "GET dcim/interfaces/?tag=lab (the tag is also on one VLAN; 'ports' asks for "
            f"interfaces). Device: {', '.join(i['device']['display'] for i in rows)}.",
            object_type="dcim.interface",
            rows=rows,
            answer_has=sorted({i["device"]["name"] for i in rows}),
        )
    )
    return out


# ------------------------------------------------------------------------------------------------
def journal_cases() -> list[dict]:
    out = []
    entries = all_rows("extras/journal-entries/")

    def on(model: str, obj_id: int) -> list[dict]:
        return [
            e for e in entries if e["assigned_object_type"] == model and e["assigned_object_id"] == obj_id
        ]

    d = one("dcim/devices/", name="dmi01-akron-rtr01")
    rows = same(
        all_rows("extras/journal-entries/", assigned_object_type="dcim.device", assigned_object_id=d["id"]),
        on("dcim.device", d["id"]),
        "akron journal",
    )
    out.append(
        case(
            "jounral entries for akron rtr01",
            "journal",
            "journal",
            5,
            f"GET extras/journal-entries/?assigned_object_type=dcim.device&assigned_object_id={d['id']} "
            "(device dmi01-akron-rtr01).",
            object_type="extras.journalentry",
            rows=rows,
            answer_has=["RMA 4471", "renewal quote"],
        )
    )

    rows = same(
        all_rows("extras/journal-entries/", kind="danger"),
        [e for e in entries if choice(e["kind"]) == "danger"],
        "danger",
    )
    out.append(
        case(
            "show me the danger entries in the journal",
            "journal",
            "journal",
            4,
            "GET extras/journal-entries/?kind=danger. On: "
            + ", ".join(sorted(e["assigned_object"]["display"] for e in rows)),
            object_type="extras.journalentry",
            rows=rows,
            answer_has=sorted(e["assigned_object"]["display"] for e in rows),
        )
    )

    user = one("users/users/", username="dwight")
    rows = same(
        all_rows("extras/journal-entries/", created_by_id=user["id"]),
        [e for e in entries if e["created_by"] == user["id"]],
        "by dwight",
    )
    out.append(
        case(
            "journal notes dwight wrote",
            "journal",
            "journal",
            5,
            f"GET users/users/?username=dwight (id {user['id']}), then "
            f"extras/journal-entries/?created_by_id={user['id']}.",
            object_type="extras.journalentry",
            rows=rows,
        )
    )

    c = one("circuits/circuits/", cid="DJDP9577")
    rows = same(
        all_rows(
            "extras/journal-entries/", assigned_object_type="circuits.circuit", assigned_object_id=c["id"]
        ),
        on("circuits.circuit", c["id"]),
        "circuit journal",
    )
    out.append(
        case(
            "any notes in the journal for circuit DJDP9577?",
            "journal",
            "journal",
            5,
            f"GET extras/journal-entries/?assigned_object_type=circuits.circuit&assigned_object_id="
            f"{c['id']}.",
            object_type="extras.journalentry",
            rows=rows,
            answer_has=["88231"],
        )
    )

    rows = same(
        all_rows("extras/journal-entries/", kind="warning"),
        [e for e in entries if choice(e["kind"]) == "warning"],
        "warning",
    )
    out.append(
        case(
            "journal warnings",
            "journal",
            "journal",
            4,
            "GET extras/journal-entries/?kind=warning.",
            object_type="extras.journalentry",
            rows=rows,
            answer_has=sorted(e["assigned_object"]["display"] for e in rows),
        )
    )

    start, end = TODAY.isoformat(), (TODAY + dt.timedelta(days=1)).isoformat()
    rows = [e for e in entries if start <= e["created"][:10] < end]
    server = all_rows("extras/journal-entries/", created_after=f"{start}T00:00:00Z")
    same(server, rows, "journal today")
    out.append(
        case(
            "anything new in the journal today?",
            "journal",
            "journal",
            4,
            f"GET extras/journal-entries/?created_after={start}T00:00:00Z (all were written on "
            f"{start} ~00:11 UTC).",
            object_type="extras.journalentry",
            rows=rows,
        )
    )

    d = one("dcim/devices/", name="dmi01-scranton-rtr01")
    rows = on("dcim.device", d["id"])
    out.append(
        case(
            "what does the journal say about the scranton router",
            "journal",
            "journal",
            5,
            f"GET extras/journal-entries/?assigned_object_type=dcim.device&assigned_object_id={d['id']} "
            "(DM-Scranton has one router, dmi01-scranton-rtr01).",
            object_type="extras.journalentry",
            rows=rows,
            answer_has=["Fan tray"],
        )
    )

    d = one("dcim/devices/", name="ncsu-coreswitch2")
    rows = on("dcim.device", d["id"])
    out.append(
        case(
            "journal for ncsu-coreswitch2 pls",
            "journal",
            "journal",
            5,
            f"GET extras/journal-entries/?assigned_object_type=dcim.device&assigned_object_id={d['id']}.",
            object_type="extras.journalentry",
            rows=rows,
            answer_has=["optic failed"],
        )
    )
    return out


# ------------------------------------------------------------------------------------------------
def on_day(rows: list[dict]) -> list[dict]:
    for r in rows:
        if r["time"][:10] != TODAY.isoformat():
            sys.exit(f"change {r['id']} is from {r['time']}, not {TODAY}")
    return rows


OC = "core/object-changes/"


def changes(allc: list[dict], **params: Any) -> list[dict]:
    """core/object-changes/ with these filters, checked against the same filters applied client-side to
    allc (rows newer than allc, written meanwhile by other clients, are not compared)."""
    server = all_rows(OC, **params)
    last = max(r["id"] for r in allc)

    def keep(r: dict) -> bool:
        for k, v in params.items():
            if k in ("changed_object_type", "changed_object_id", "user_name"):
                if r[k] != v:
                    return False
            elif k == "action":
                if r["action"]["value"] != v:
                    return False
            elif k == "time_after":
                if r["time"] < v:
                    return False
            elif k == "time_before":
                if r["time"] >= v:
                    return False
            else:
                sys.exit(f"no client-side check for {k}")
        return True

    same([r for r in server if r["id"] <= last], [r for r in allc if keep(r)], f"changes {params}")
    return server


def change_cases() -> list[dict]:
    out = []
    oc = OC
    allc = all_rows(oc)
    d = one("dcim/devices/", name="dmi01-nashua-rtr01")
    rows = on_day(changes(allc, changed_object_type="dcim.device", changed_object_id=d["id"]))
    related = all_rows(oc, related_object_type="dcim.device", related_object_id=d["id"])
    users = sorted({r["user_name"] for r in rows + related})
    out.append(
        case(
            "who changed dmi01-nashua-rtr01?",
            "changes",
            "changes",
            5,
            f"GET core/object-changes/?changed_object_type=dcim.device&changed_object_id={d['id']} "
            f"({len(rows)} rows; related_object_id={d['id']} adds {len(related)}). Users: "
            f"{', '.join(users)}.",
            object_type="core.objectchange",
            rows=rows + related,
            answer_has=users,
        )
    )

    seeded = on_day(
        [
            r
            for r in changes(allc, user_name="dwight")
            if not (
                r["changed_object_type"] == "dcim.device" and r["object_repr"].startswith("dmi01-binghamton")
            )
        ]
    )
    out.append(
        case(
            "what did dwight change today",
            "changes",
            "changes",
            5,
            f"GET core/object-changes/?user_name=dwight&time_after={TODAY}T00:00:00Z. The seeded rows "
            f"({len(seeded)}) must all be there; the integration tests add more (comment edits on "
            "dmi01-binghamton-rtr01 by dwight), so there is no total.",
            object_type="core.objectchange",
            contains=[r["display"] for r in seeded],
        )
    )

    rows = on_day(changes(allc, user_name="dwight", action="delete"))
    out.append(
        case(
            "what did dwight delete?",
            "changes",
            "changes",
            4,
            "GET core/object-changes/?user_name=dwight&action=delete.",
            object_type="core.objectchange",
            rows=rows,
        )
    )

    rows = on_day(
        changes(allc, changed_object_type="ipam.vlan", action="create", time_after=f"{WEEK_START}T00:00:00Z")
    )
    out.append(
        case(
            "who created vlans this week?",
            "changes",
            "changes",
            4,
            f"GET core/object-changes/?changed_object_type=ipam.vlan&action=create&time_after="
            f"{WEEK_START}T00:00:00Z (week from Monday {WEEK_START}); one of them "
            "(Temp-Event) was deleted again, the change log keeps its create row.",
            object_type="core.objectchange",
            rows=rows,
            answer_has=sorted({r["user_name"] for r in rows}),
        )
    )

    gone = one(oc, changed_object_type="ipam.vlan", action="delete")
    pre = gone["prechange_data"]
    out.append(
        case(
            "vlan 410 at nashua got deleted - what was it called before?",
            "changes",
            "changes",
            5,
            f"GET core/object-changes/?changed_object_type=ipam.vlan&action=delete -> prechange_data "
            f"name {pre['name']!r}, vid {pre['vid']} (deleted by {gone['user_name']}).",
            object_type="core.objectchange",
            contains=[gone["display"]],
            answer_has=[pre["name"]],
        )
    )

    made = one(oc, changed_object_type="ipam.vlan", action="create", q="Guest")
    assert (
        made["object_repr"] == "Guest (400)"
        and made["postchange_data"]["site"] == one("dcim/sites/", slug="dm-nashua")["id"]
    ), made["object_repr"]
    out.append(
        case(
            "who created the Guest vlan in nashua",
            "changes",
            "changes",
            5,
            f"GET core/object-changes/?changed_object_type=ipam.vlan&action=create&changed_object_id="
            f"{made['changed_object_id']} (VLAN Guest (400) at DM-Nashua).",
            object_type="core.objectchange",
            contains=[made["display"]],
            answer_has=[made["user_name"]],
        )
    )

    sw = one("dcim/devices/", name="dmi01-nashua-sw01")
    rel = on_day(
        all_rows(oc, related_object_type="dcim.device", related_object_id=sw["id"], user_name="dwight")
    )
    own = changes(allc, changed_object_type="dcim.device", changed_object_id=sw["id"], user_name="dwight")
    assert not own, "dwight changed the device itself"
    for r in rel:  # the related filter is applied (an ignored one would return every dwight row)
        if (
            r["changed_object_type"] != "dcim.interface"
            or get(f"dcim/interfaces/{r['changed_object_id']}/")["device"]["id"] != sw["id"]
        ):
            sys.exit(f"change {r['id']} is not on an interface of {sw['name']}")
    out.append(
        case(
            "what did dwight change on the nashua switch",
            "changes",
            "changes",
            6,
            f"GET core/object-changes/?related_object_type=dcim.device&related_object_id={sw['id']}"
            "&user_name=dwight: the change is on one of its interfaces (dmi01-nashua-sw01 is the only "
            "switch at DM-Nashua); the device itself has no change by dwight.",
            object_type="core.objectchange",
            rows=rel,
            answer_has=[rel[0]["postchange_data"]["description"]],
        )
    )

    rows = on_day(changes(allc, changed_object_type="extras.customfield"))
    out.append(
        case(
            "who added the custom fields, and when",
            "changes",
            "changes",
            4,
            f"GET core/object-changes/?changed_object_type=extras.customfield (all creates, {TODAY}).",
            object_type="core.objectchange",
            rows=rows,
            answer_has=sorted({r["user_name"] for r in rows}) + [TODAY.isoformat()],
        )
    )

    y0, y1 = TODAY - dt.timedelta(days=1), TODAY
    rows = changes(allc, user_name="dwight", time_after=f"{y0}T00:00:00Z", time_before=f"{y1}T00:00:00Z")
    out.append(
        case(
            "anything dwight changed yesterday?",
            "changes",
            "changes",
            4,
            f"GET core/object-changes/?user_name=dwight&time_after={y0}T00:00:00Z&time_before="
            f"{y1}T00:00:00Z -> 0: the change log starts on {TODAY}.",
            object_type="core.objectchange",
            total=len(rows),
        )
    )

    rows = on_day(
        changes(allc, changed_object_type="netbox_bgp.bgpsession", time_after="2026-12-01T00:00:00Z")
    )
    out.append(
        case(
            "changes to bgp sessions since Dec 1",
            "changes",
            "changes",
            5,
            "GET core/object-changes/?changed_object_type=netbox_bgp.bgpsession&time_after="
            "2026-12-01T00:00:00Z (plugin model; all creates).",
            object_type="core.objectchange",
            rows=rows,
        )
    )

    rows = on_day(changes(allc, user_name="dwight", changed_object_type="ipam.vlan"))
    out.append(
        case(
            "how many vlan changes did dwight make",
            "changes",
            "count",
            4,
            "GET core/object-changes/?user_name=dwight&changed_object_type=ipam.vlan&limit=1 -> count "
            f"({', '.join(sorted(r['display'] for r in rows))}).",
            object_type="core.objectchange",
            rows=rows,
        )
    )

    core2 = one("dcim/devices/", name="ncsu-coreswitch2")
    x = one("dcim/interfaces/", device_id=core2["id"], name="xe-1/3/7")
    rows = on_day(changes(allc, changed_object_type="dcim.interface", changed_object_id=x["id"]))
    r = rows[0]
    diff = {
        k: (r["prechange_data"].get(k), v)
        for k, v in r["postchange_data"].items()
        if r["prechange_data"].get(k) != v
    }
    out.append(
        case(
            "what changed on ncsu-coreswitch2 xe-1/3/7",
            "changes",
            "changes",
            6,
            f"GET dcim/interfaces/?device_id={core2['id']}&name=xe-1/3/7 (id {x['id']}), then "
            f"core/object-changes/?changed_object_type=dcim.interface&changed_object_id={x['id']}: "
            f"{diff} by {r['user_name']}.",
            object_type="core.objectchange",
            rows=rows,
            answer_has=[diff["description"][1]],
        )
    )

    rows = on_day(
        changes(
            allc, user_name="admin", changed_object_type="circuits.circuit", time_after=f"{TODAY}T00:00:00Z"
        )
    )
    out.append(
        case(
            "circuit changes by admin today",
            "changes",
            "changes",
            4,
            f"GET core/object-changes/?user_name=admin&changed_object_type=circuits.circuit&time_after="
            f"{TODAY}T00:00:00Z (custom field values set on circuits).",
            object_type="core.objectchange",
            rows=rows,
        )
    )
    return out


# ------------------------------------------------------------------------------------------------
def bgp_cases() -> list[dict]:
    out = []
    sessions = all_rows("plugins/bgp/session/")
    st = lambda s: choice(s["status"])  # noqa: E731

    out.append(
        case(
            "list bgp sessions",
            "bgp",
            "bulk_discovery",
            4,
            "GET plugins/bgp/session/ (netbox-bgp plugin).",
            object_type="netbox_bgp.bgpsession",
            rows=sessions,
        )
    )

    rows = same(
        all_rows("plugins/bgp/session/", status="failed"),
        [s for s in sessions if st(s) == "failed"],
        "failed",
    )
    out.append(
        case(
            "failed bgp sessions",
            "bgp",
            "bulk_discovery",
            4,
            "GET plugins/bgp/session/?status=failed.",
            object_type="netbox_bgp.bgpsession",
            rows=rows,
            answer_has=sorted({s["device"]["name"] for s in rows}),
        )
    )

    d = one("dcim/devices/", name="dmi01-stamford-rtr01")
    rows = same(
        all_rows("plugins/bgp/session/", device_id=d["id"]),
        [s for s in sessions if (s["device"] or {}).get("id") == d["id"]],
        "stamford sessions",
    )
    out.append(
        case(
            "bgp sesions on stamford rtr01",
            "bgp",
            "bulk_discovery",
            5,
            f"GET plugins/bgp/session/?device_id={d['id']} (dmi01-stamford-rtr01).",
            object_type="netbox_bgp.bgpsession",
            rows=rows,
        )
    )

    site = one("dcim/sites/", slug="dm-pittsfield")
    rows = same(
        all_rows("plugins/bgp/session/", site_id=site["id"]),
        [s for s in sessions if (s["site"] or {}).get("id") == site["id"]],
        "pittsfield sessions",
    )
    out.append(
        case(
            "any BGP peering at DM-Pittsfield?",
            "bgp",
            "bulk_discovery",
            5,
            f"GET plugins/bgp/session/?site_id={site['id']} (the plugin's site filter takes ids: "
            "site=dm-pittsfield is a 400).",
            object_type="netbox_bgp.bgpsession",
            rows=rows,
            answer_has=[s["remote_address"]["address"] for s in rows],
        )
    )

    rows = same(
        all_rows("plugins/bgp/session/", remote_as=3356),
        [s for s in sessions if s["remote_as"]["asn"] == 3356],
        "AS3356",
    )
    out.append(
        case(
            "which sessions peer with AS3356",
            "bgp",
            "bulk_discovery",
            5,
            "GET plugins/bgp/session/?remote_as=3356 (AS3356 = Level 3).",
            object_type="netbox_bgp.bgpsession",
            rows=rows,
        )
    )

    by = collections.Counter(s["status"]["label"] for s in sessions)
    pairs = ", ".join(f"{k} {v}" for k, v in by.most_common())
    out.append(
        case(
            "bgp sessions by status",
            "bgp",
            "group_count",
            6,
            f"Count of plugins/bgp/session/ by status: {pairs}.",
            answer_has=sorted(by) + [str(by.most_common(1)[0][1])],
        )
    )

    groups = all_rows("plugins/bgp/peer-group/")
    rows = [g for g in groups if g["remote_as"] and g["remote_as"]["asn"] == 209]
    out.append(
        case(
            "which peer group is for AS 209?",
            "bgp",
            "lookup",
            5,
            "GET plugins/bgp/peer-group/ and pick remote_as.asn == 209 (AS209 CenturyLink).",
            object_type="netbox_bgp.bgppeergroup",
            rows=rows,
        )
    )

    pols = all_rows("plugins/bgp/routing-policy/")
    out.append(
        case(
            "show me the routing policies",
            "bgp",
            "bulk_discovery",
            4,
            "GET plugins/bgp/routing-policy/ (netbox-bgp routing policies).",
            object_type="netbox_bgp.routingpolicy",
            rows=pols,
        )
    )

    deny = one("plugins/bgp/routing-policy/", name="DENY-ALL")
    rows = same(
        all_rows("plugins/bgp/session/", export_policies=deny["id"]),
        [s for s in sessions if deny["id"] in {p["id"] for p in s["export_policies"]}],
        "deny-all",
    )
    out.append(
        case(
            "which bgp sessions use DENY-ALL as export policy",
            "bgp",
            "bulk_discovery",
            6,
            f"GET plugins/bgp/routing-policy/?name=DENY-ALL (id {deny['id']}), then "
            f"plugins/bgp/session/?export_policies={deny['id']} (export_policies_id is ignored).",
            object_type="netbox_bgp.bgpsession",
            rows=rows,
        )
    )

    akron = [s for s in sessions if s["device"]["name"] == "dmi01-akron-rtr01"]
    out.append(
        case(
            "remote ip of the akron bgp session?",
            "bgp",
            "attribute",
            5,
            "GET plugins/bgp/session/?device=dmi01-akron-rtr01 -> remote_address.",
            object_type="netbox_bgp.bgpsession",
            rows=akron,
            answer_has=[akron[0]["remote_address"]["address"]],
        )
    )

    rows = same(
        all_rows("plugins/bgp/session/", status__n="active"),
        [s for s in sessions if st(s) != "active"],
        "not active",
    )
    out.append(
        case(
            "how many bgp sessions aren't active",
            "bgp",
            "count",
            4,
            "GET plugins/bgp/session/?status__n=active&limit=1 -> count ("
            + ", ".join(f"{s['display']} {st(s)}" for s in rows)
            + ").",
            object_type="netbox_bgp.bgpsession",
            rows=rows,
        )
    )
    return out


# ------------------------------------------------------------------------------------------------
def version_cases() -> list[dict]:
    s = get("status/")
    plugins = s["plugins"]
    return [
        case(
            "what netbox version is this server running?",
            "version",
            "attribute",
            3,
            "GET status/ -> netbox-version.",
            answer_has=[s["netbox-version"]],
        ),
        case(
            "which plugins are installed",
            "version",
            "attribute",
            3,
            f"GET status/ -> plugins {plugins}.",
            answer_has=[x for k, v in sorted(plugins.items()) for x in (k, v)],
        ),
    ]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    status = get("status/")
    devices = all_rows("dcim/devices/")
    cases = (
        custom_field_cases(devices)
        + tag_cases(devices)
        + journal_cases()
        + change_cases()
        + bgp_cases()
        + version_cases()
    )
    seen = set()
    for c in cases:
        if c["question"] in seen:
            sys.exit(f"duplicate question {c['question']!r}")
        seen.add(c["question"])
    kinds = collections.Counter(c["capability"] for c in cases)
    header = (
        "# heldout18fix: held-out questions about the fixture NetBox's own data (custom fields, tags,\n"
        "# journal, change log, netbox-bgp, version). Generated, never hand-edited:\n"
        '#   cd /work/main && eval "$(scripts/netbox-fixture env)" && \\\n'
        "#   .venv/bin/python tests/data/heldout18fix/make_heldout18fix.py\n"
        f"# Every expected value was read from {BASE} (NetBox {status['netbox-version']},\n"
        f"# plugins {status['plugins']}) by the REST queries in each case's note, on\n"
        f"# {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; time words refer to {TODAY} UTC,\n"
        "# the day the fixture was seeded (rerun this script if the fixture database is ever re-created).\n"
        f"# {len(cases)} questions: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + "\n"
    )
    args.out.write_text(header + yaml.safe_dump(cases, sort_keys=False, allow_unicode=True, width=110))
    print(f"{len(cases)} cases -> {args.out}", file=sys.stderr)
    for k, v in sorted(kinds.items()):
        print(f"  {k}: {v}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
