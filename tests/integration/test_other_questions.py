"""Questions of the dev.yaml kinds about objects dev.yaml does not name, against the real NetBox.

Every expected answer is computed independently here, with a direct hand-written REST query
(ids looked up by slug or name), never with netbox_tui's own planner or resolver. The orchestrator
must agree on the main table's object_type, total and (for small results) the displays, answer
with status ok, and stay within a call budget comparable to dev.yaml's (cold cache).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

import httpx
import pytest

from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.results import Answer

pytestmark = pytest.mark.integration

TOKEN = "0123456789abcdef0123456789abcdef01234567"  # public read-only token of the demo dump
SIMPLE_BUDGET = 6
SUMMARY_BUDGET = 8
PAGE = 25

# Questions that fail today (reported to the lead): question -> what the orchestrator does instead.
# strict=True: a fix makes the test XPASS, which fails, so the entry must then be removed.
KNOWN_FAILURES: dict[str, str] = {}


def known(question: str) -> list:
    return (
        [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[question])]
        if question in KNOWN_FAILURES
        else []
    )


def params(items: list, key=lambda item: item) -> list:
    """pytest params with the question as id, known failures marked."""
    out = []
    for item in items:
        q = key(item)
        out.append(pytest.param(*(item if isinstance(item, tuple) else (item,)), id=q, marks=known(q)))
    return out


# -- independent REST --------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """The id of the one object at `path` matching `params` (looked up with a direct REST query)."""

    path: str
    params: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, path: str, **params: str) -> "Ref":
        return cls(path, tuple(params.items()))


class Rest:
    def __init__(self, url: str) -> None:
        self._http = httpx.AsyncClient(
            base_url=f"{url}/api/",
            headers={"Authorization": f"Token {TOKEN}", "Accept": "application/json"},
            timeout=60,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get(self, path: str, params: Optional[dict[str, Any]] = None) -> Any:
        resp = await self._http.get(path, params=await self._resolve(params or {}))
        resp.raise_for_status()
        return resp.json()

    async def _resolve(self, params: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in params.items():
            if isinstance(value, Ref):
                found = (await self.get(value.path, {**dict(value.params), "brief": "1"}))["results"]
                assert len(found) == 1, f"test data: {value} matched {len(found)} objects"
                value = found[0]["id"]
            out[key] = value
        return out

    async def id_of(self, ref: Ref) -> int:
        return (await self._resolve({"id": ref}))["id"]

    async def count(self, path: str, params: dict[str, Any]) -> int:
        return (await self.get(path, {**params, "limit": 1, "brief": "1"}))["count"]

    async def displays(self, path: str, params: dict[str, Any]) -> list[str]:
        body = await self.get(path, {**params, "limit": 1000, "brief": "1"})
        assert body["next"] is None, "test data: more than 1000 rows"
        return sorted(r["display"] for r in body["results"])


@pytest.fixture
async def rest(netbox_url: str):
    r = Rest(netbox_url)
    yield r
    await r.aclose()


@pytest.fixture
async def orch(nb_client) -> Orchestrator:
    return Orchestrator(nb_client(), page_size=PAGE)  # no cache: every question is cold


def describe(answer: Answer) -> str:
    """What the orchestrator produced, for failure messages."""
    out: dict[str, Any] = {
        "status": answer.status,
        "answer": answer.answer,
        "api_calls": answer.stats.api_calls,
    }
    if answer.intent:
        out["intent"] = answer.intent.model_dump(mode="json", exclude_defaults=True)
    if answer.error:
        out["error"] = f"{answer.error.kind}: {answer.error.message}"
    out["tables"] = [
        {"object_type": t.object_type, "total": t.total, "rows": [r.get("display") for r in t.rows[:8]]}
        for t in answer.tables
    ]
    out["choices"] = [f"{c.kind}: {c.label} -> {c.question}" for c in answer.choices[:8]]
    return json.dumps(out, ensure_ascii=False)


# -- lists: object_type, total, displays -------------------------------------------------------

SITE = "dcim/sites/"


@dataclass
class Case:
    question: str
    object_type: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    budget: int = SIMPLE_BUDGET

    def __str__(self) -> str:
        return self.question


def site(slug: str) -> Ref:
    return Ref.of(SITE, slug=slug)


CASES = [
    # devices at other sites, loose and misspelt names, other word orders
    Case("devices at DM-Buffalo", "dcim.device", "dcim/devices/", {"site_id": site("dm-buffalo")}),
    Case(
        "how many devices are at Grinnells Lab", "dcim.device", "dcim/devices/", {"site_id": site("ncsu-118")}
    ),
    Case(
        "show me the devices in Butler Communications",
        "dcim.device",
        "dcim/devices/",
        {"site_id": site("ncsu-128")},
    ),
    Case("devices at scranon", "dcim.device", "dcim/devices/", {"site_id": site("dm-scranton")}),
    Case("devices at dm syracuse", "dcim.device", "dcim/devices/", {"site_id": site("dm-syracuse")}),
    Case(
        "devices in rack R107",
        "dcim.device",
        "dcim/devices/",
        {"rack_id": Ref.of("dcim/racks/", name="R107")},
    ),
    Case(
        "what's in rack R201", "dcim.device", "dcim/devices/", {"rack_id": Ref.of("dcim/racks/", name="R201")}
    ),
    # roles, regions
    Case(
        "list the pdus", "dcim.device", "dcim/devices/", {"role_id": Ref.of("dcim/device-roles/", slug="pdu")}
    ),
    Case(
        "access switches at DM-Camden",
        "dcim.device",
        "dcim/devices/",
        {"role_id": Ref.of("dcim/device-roles/", slug="access-switch"), "site_id": site("dm-camden")},
    ),
    Case(
        "distribution switches",
        "dcim.device",
        "dcim/devices/",
        {"role_id": Ref.of("dcim/device-roles/", slug="distribution-switch")},
    ),
    Case(
        "devices in Ohio",
        "dcim.device",
        "dcim/devices/",
        {"region_id": Ref.of("dcim/regions/", slug="us-oh")},
    ),
    Case(
        "routers in New York",
        "dcim.device",
        "dcim/devices/",
        {
            "role_id": Ref.of("dcim/device-roles/", slug="router"),
            "region_id": Ref.of("dcim/regions/", slug="us-ny"),
        },
    ),
    # one device, typo'd
    Case("show device dmi01-buffalo-sw01", "dcim.device", "dcim/devices/", {"name": "dmi01-buffalo-sw01"}),
    Case("show device dmi01-bufalo-rtr01", "dcim.device", "dcim/devices/", {"name": "dmi01-buffalo-rtr01"}),
    # interfaces
    Case(
        "interfaces on dmi01-buffalo-rtr01",
        "dcim.interface",
        "dcim/interfaces/",
        {"device_id": Ref.of("dcim/devices/", name="dmi01-buffalo-rtr01")},
    ),
    Case(
        "ports on ncsu128-distswitch1",
        "dcim.interface",
        "dcim/interfaces/",
        {"device_id": Ref.of("dcim/devices/", name="ncsu128-distswitch1")},
    ),
    Case(
        "interface xe-0/0/0 on ncsu117-distswitch1",
        "dcim.interface",
        "dcim/interfaces/",
        {"device_id": Ref.of("dcim/devices/", name="ncsu117-distswitch1"), "name": "xe-0/0/0"},
    ),
    Case(
        "unconnected interfaces on dmi01-buffalo-rtr01",
        "dcim.interface",
        "dcim/interfaces/",
        {"device_id": Ref.of("dcim/devices/", name="dmi01-buffalo-rtr01"), "cabled": "false"},
    ),
    # VLANs
    Case("VLANs at JBB Branch 109", "ipam.vlan", "ipam/vlans/", {"site_id": site("jbb-branch-109")}),
    Case("vlans at dm buffalo", "ipam.vlan", "ipam/vlans/", {"site_id": site("dm-buffalo")}),
    Case("DM-Camden VLANs", "ipam.vlan", "ipam/vlans/", {"site_id": site("dm-camden")}),
    Case(
        "VLANs for tenant Jimbob's Banking & Trust",
        "ipam.vlan",
        "ipam/vlans/",
        {"tenant_id": Ref.of("tenancy/tenants/", slug="jimbobs-banking-trust")},
    ),
    Case("vlan topology at DM-Camden", "ipam.vlan", "ipam/vlans/", {"site_id": site("dm-camden")}),
    # prefixes and IPs
    Case("prefixes at DM-Buffalo", "ipam.prefix", "ipam/prefixes/", {"site_id": site("dm-buffalo")}),
    Case(
        "prefixes in VRF Bravo",
        "ipam.prefix",
        "ipam/prefixes/",
        {"vrf_id": Ref.of("ipam/vrfs/", name="Bravo")},
    ),
    Case(
        "how full is prefix 10.112.141.0/24", "ipam.prefix", "ipam/prefixes/", {"prefix": "10.112.141.0/24"}
    ),
    Case("where is 172.18.0.7", "ipam.ipaddress", "ipam/ip-addresses/", {"address": "172.18.0.7"}),
    Case("who has 192.168.0.3", "ipam.ipaddress", "ipam/ip-addresses/", {"address": "192.168.0.3"}),
    Case(
        "ip addresses in vrf Delta",
        "ipam.ipaddress",
        "ipam/ip-addresses/",
        {"vrf_id": Ref.of("ipam/vrfs/", name="Delta")},
    ),
    # racks
    Case("racks at Grinnells Lab", "dcim.rack", "dcim/racks/", {"site_id": site("ncsu-118")}),
    Case("rack utilization at DM-Syracuse", "dcim.rack", "dcim/racks/", {"site_id": site("dm-syracuse")}),
    Case(
        "available racks at MDF",
        "dcim.rack",
        "dcim/racks/",
        {"site_id": site("ncsu-065"), "status": "available"},
    ),
    # circuits and providers
    Case(
        "circuits from CenturyLink",
        "circuits.circuit",
        "circuits/circuits/",
        {"provider_id": Ref.of("circuits/providers/", slug="centurylink")},
    ),
    Case("circuits at DM-Buffalo", "circuits.circuit", "circuits/circuits/", {"site_id": site("dm-buffalo")}),
    Case(
        "NCSU Facilities circuits",
        "circuits.circuit",
        "circuits/circuits/",
        {"provider_id": Ref.of("circuits/providers/", slug="ncsu-facilities")},
    ),
    Case("list providers", "circuits.provider", "circuits/providers/"),
    # virtualization
    Case(
        "vms in cluster DO-FRA1",
        "virtualization.virtualmachine",
        "virtualization/virtual-machines/",
        {"cluster_id": Ref.of("virtualization/clusters/", name="DO-FRA1")},
    ),
    Case(
        "virtual machines on do-sgp1",
        "virtualization.virtualmachine",
        "virtualization/virtual-machines/",
        {"cluster_id": Ref.of("virtualization/clusters/", name="DO-SGP1")},
    ),
    Case(
        "show vm vm42", "virtualization.virtualmachine", "virtualization/virtual-machines/", {"name": "vm42"}
    ),
    Case("list clusters", "virtualization.cluster", "virtualization/clusters/"),
    # sites, regions, tenants
    Case("sites in Pennsylvania", "dcim.site", SITE, {"region_id": Ref.of("dcim/regions/", slug="us-pa")}),
    Case("sites in north carolina", "dcim.site", SITE, {"region_id": Ref.of("dcim/regions/", slug="us-nc")}),
    Case(
        "sites of Jimbob's Banking & Trust",
        "dcim.site",
        SITE,
        {"tenant_id": Ref.of("tenancy/tenants/", slug="jimbobs-banking-trust")},
    ),
    Case("list tenants", "tenancy.tenant", "tenancy/tenants/"),
    # audits scoped to other sites
    Case(
        "devices at MDF without a primary IP",
        "dcim.device",
        "dcim/devices/",
        {"site_id": site("ncsu-065"), "has_primary_ip": "false"},
    ),
    Case(
        "which devices at DM-Buffalo have no platform",
        "dcim.device",
        "dcim/devices/",
        {"site_id": site("dm-buffalo"), "platform_id": "null"},
    ),
    Case(
        "devices without a serial number at Butler Communications",
        "dcim.device",
        "dcim/devices/",
        {"site_id": site("ncsu-128"), "serial__empty": "true"},
    ),
]


def _table(answer: Answer, object_type: str):
    for table in answer.tables:
        if table.object_type == object_type:
            return table
    return None


@pytest.mark.parametrize("case", params(CASES, str))
async def test_list_question(case: Case, orch: Orchestrator, rest: Rest) -> None:
    total = await rest.count(case.path, case.params)
    displays = await rest.displays(case.path, case.params) if total <= PAGE else None

    answer = await orch.ask(case.question)
    got = describe(answer)
    expected = f"expected {case.object_type} total {total}" + (
        f" rows {displays}" if displays is not None else ""
    )
    assert answer.status == "ok", f"{case.question!r}: {got}; {expected}"
    assert answer.tables, f"{case.question!r}: no table; {got}; {expected}"
    main = answer.tables[0]
    assert main.object_type == case.object_type, f"{case.question!r}: {got}; {expected}"
    assert main.total == total, f"{case.question!r}: {got}; {expected}"
    if displays is not None:
        assert sorted(r["display"] for r in main.rows) == displays, f"{case.question!r}: {got}; {expected}"
    else:
        assert len(main.rows) == min(PAGE, total), f"{case.question!r}: first page only; {got}"
    assert answer.stats.api_calls <= case.budget, (
        f"{case.question!r}: {answer.stats.api_calls} calls > {case.budget}; {got}"
    )


# -- site summaries ------------------------------------------------------------------------------

SUMMARIES = [
    ("summarize site DM-Utica", "dm-utica"),
    ("give me an overview of JBB Branch 127", "jbb-branch-127"),
    ("site summary for grinnells lab", "ncsu-118"),
]


@pytest.mark.parametrize("question,slug", params(SUMMARIES, lambda i: i[0]))
async def test_site_summary(question: str, slug: str, orch: Orchestrator, rest: Rest) -> None:
    site_row = (await rest.get(SITE, {"slug": slug, "brief": "1"}))["results"][0]
    sid = site_row["id"]
    counts = {
        "racks": await rest.count("dcim/racks/", {"site_id": sid}),
        "devices": await rest.count("dcim/devices/", {"site_id": sid}),
        "vlans": await rest.count("ipam/vlans/", {"site_id": sid}),
        "prefixes": await rest.count("ipam/prefixes/", {"site_id": sid}),
        "circuits": await rest.count("circuits/circuits/", {"site_id": sid}),
    }
    answer = await orch.ask(question)
    got = describe(answer)
    expected = f"expected dcim.site total 1 [{site_row['display']}] with {counts}"
    assert answer.status == "ok", f"{question!r}: {got}; {expected}"
    assert answer.tables and answer.tables[0].object_type == "dcim.site", f"{question!r}: {got}; {expected}"
    main = answer.tables[0]
    assert main.total == 1 and [r["display"] for r in main.rows] == [site_row["display"]], (
        f"{question!r}: {got}; {expected}"
    )
    row = main.rows[0]
    shown = {k: str(row.get(k)) for k in counts}
    assert shown == {k: str(v) for k, v in counts.items()}, (
        f"{question!r}: summary counts {shown}; {expected}"
    )
    assert answer.stats.api_calls <= SUMMARY_BUDGET, (
        f"{question!r}: {answer.stats.api_calls} calls > {SUMMARY_BUDGET}; {got}"
    )


# -- cable traces --------------------------------------------------------------------------------

TRACES = [
    ("what is connected to ncsu-coreswitch1 xe-0/0/0", "ncsu-coreswitch1", "xe-0/0/0"),
    ("far end of dmi01-buffalo-rtr01 Gi0/1/0", "dmi01-buffalo-rtr01", "GigabitEthernet0/1/0"),
    (
        "what's plugged into dmi01-utica-rtr01 GigabitEthernet0/0/1",
        "dmi01-utica-rtr01",
        "GigabitEthernet0/0/1",
    ),
    ("trace the cable from ncsu118-distswitch1 xe-0/0/3", "ncsu118-distswitch1", "xe-0/0/3"),
]


def _end_name(obj: dict[str, Any]) -> str:
    owner = obj.get("device") or obj.get("circuit") or {}
    return (
        f"{owner.get('name') or owner.get('cid') or owner.get('display') or ''} "
        f"{obj.get('name') or obj.get('display')}".strip()
    )


@pytest.mark.parametrize("question,device,interface", params(TRACES, lambda i: i[0]))
async def test_cable_trace(
    question: str, device: str, interface: str, orch: Orchestrator, rest: Rest
) -> None:
    iface = (await rest.get("dcim/interfaces/", {"device": device, "name": interface, "brief": "1"}))[
        "results"
    ]
    assert len(iface) == 1 and iface[0]["cable"], f"test data: {device} {interface} has a cable"
    trace = await rest.get(f"dcim/interfaces/{iface[0]['id']}/trace/")
    near = [seg[0][0]["display"] for seg in trace]
    far_end = _end_name(trace[-1][2][0]) if trace[-1][2] else ""

    answer = await orch.ask(question)
    got = describe(answer)
    expected = f"expected dcim.interface total {len(trace)} near ends {near}, far end {far_end!r}"
    assert answer.status == "ok", f"{question!r}: {got}; {expected}"
    assert answer.tables and answer.tables[0].object_type == "dcim.interface", (
        f"{question!r}: {got}; {expected}"
    )
    main = answer.tables[0]
    assert main.total == len(trace), f"{question!r}: {got}; {expected}"
    assert [r["display"] for r in main.rows] == near, f"{question!r}: {got}; {expected}"
    assert [r["id"] for r in main.rows] == [seg[0][0]["id"] for seg in trace]  # each hop's near end
    last_far = str(main.rows[-1].get("far", ""))
    assert far_end.split()[0] in last_far and far_end.split()[-1] in last_far, (
        f"{question!r}: last far {last_far!r}; {expected}"
    )
    assert answer.stats.api_calls <= SIMPLE_BUDGET, f"{question!r}: {answer.stats.api_calls} calls; {got}"


# -- free IPs --------------------------------------------------------------------------------------

FREE = [
    ("free IPs in 172.17.1.0/24", "172.17.1.0/24", None),
    ("available ip addresses in 10.112.141.0/24", "10.112.141.0/24", None),
    ("which IPs are free in 172.20.0.0/24", "172.20.0.0/24", None),
    ("unused addresses in 192.168.0.0/20", "192.168.0.0/20", "Shared"),
]


@pytest.mark.parametrize("question,prefix,vrf", params(FREE, lambda i: i[0]))
async def test_free_ips(
    question: str, prefix: str, vrf: Optional[str], orch: Orchestrator, rest: Rest
) -> None:
    params: dict[str, Any] = {"prefix": prefix}
    if vrf:
        params["vrf_id"] = Ref.of("ipam/vrfs/", name=vrf)
    found = (await rest.get("ipam/prefixes/", {**params, "brief": "1"}))["results"]
    assert len(found) == 1, f"test data: {prefix} is one prefix"
    free = await rest.get(f"ipam/prefixes/{found[0]['id']}/available-ips/", {"limit": 1000})
    expected_total = len(free) if len(free) < 1000 else None  # a /20 has more than the endpoint's 1000 cap
    first = [ip["address"] for ip in free[:PAGE]]

    answer = await orch.ask(question)
    got = describe(answer)
    expected = f"expected free IPs, total {expected_total or '>= 1000'}, first {first[:3]}…"
    assert answer.status in ("ok", "partial"), f"{question!r}: {got}; {expected}"
    ranges = next((t for t in answer.tables if t.title.startswith("Free ranges")), None)
    if ranges is not None:
        # A small prefix: its free space as ranges, which must hold exactly NetBox's available IPs.
        covered = sum(int(r["count"].replace(",", "")) for r in ranges.rows)
        assert answer.status == "ok" and ranges.total == len(ranges.rows), f"{question!r}: {got}; {expected}"
        # NetBox lists at most 1,000 free addresses: beyond that the ranges hold at least those.
        assert covered == expected_total if expected_total is not None else covered >= 1000, (
            f"{question!r}: {got}; {expected}"
        )
        assert ranges.rows[0]["first"] == first[0].split("/")[0], f"{question!r}: {got}; {expected}"
        calls = answer.stats.api_calls
        # ... and each free address is one pick away: NetBox's own list, page by page.
        pick = next(c for c in answer.choices if c.label.startswith("each free address"))
        answer = await orch.ask(pick.question or "", intent=pick.intent)
        got = describe(answer)
        assert calls <= SIMPLE_BUDGET, f"{question!r}: {calls} calls; {got}"
    table = _table(answer, "ipam.ipaddress")
    assert table is not None, f"{question!r}: {got}; {expected}"
    if expected_total is not None:
        assert answer.status == "ok" and table.total == expected_total, f"{question!r}: {got}; {expected}"
    else:
        assert table.total >= 1000, f"{question!r}: {got}; {expected}"
    assert [r["display"] for r in table.rows] == first, f"{question!r}: {got}; {expected}"
    assert answer.stats.api_calls <= SIMPLE_BUDGET, f"{question!r}: {answer.stats.api_calls} calls; {got}"


# -- VLAN -> interfaces -> devices, with the VLAN named within a site --------------------------


async def test_devices_on_a_vlan_named_at_a_site(orch: Orchestrator, rest: Rest) -> None:
    """'Voice' names 13 VLANs; "at DM-Nashua" makes it one. Expected from the interfaces that carry it."""
    question = "which devices are on VLAN Voice at DM-Nashua"
    vlan = (await rest.get("ipam/vlans/", {"site_id": site("dm-nashua"), "name": "Voice", "brief": "1"}))[
        "results"
    ]
    assert len(vlan) == 1
    ifaces = (await rest.get("dcim/interfaces/", {"vlan_id": vlan[0]["id"], "limit": 1000, "brief": "1"}))[
        "results"
    ]
    devices = sorted({i["device"]["display"] for i in ifaces})
    answer = await orch.ask(question)
    got = describe(answer)
    expected = f"expected VLAN {vlan[0]['display']} (id {vlan[0]['id']}) of DM-Nashua with devices {devices}"
    assert answer.status == "ok", f"{question!r}: {got}; {expected}"
    main = answer.tables[0]
    if main.object_type == "ipam.vlan":
        assert [r["id"] for r in main.rows] == [vlan[0]["id"]], f"{question!r}: {got}; {expected}"
    elif main.object_type == "dcim.device":
        assert main.total == len(devices) and sorted(r["display"] for r in main.rows) == devices, (
            f"{question!r}: {got}; {expected}"
        )
    else:
        assert main.object_type == "dcim.interface" and main.total == len(ifaces), (
            f"{question!r}: {got}; {expected}"
        )
    assert answer.stats.api_calls <= SIMPLE_BUDGET, f"{question!r}: {answer.stats.api_calls} calls; {got}"


# -- ambiguous and not found ----------------------------------------------------------------------


async def test_ambiguous_site_asks_which(orch: Orchestrator, rest: Rest) -> None:
    question = "VLANs at JBB Branch"
    jbb = await rest.displays(SITE, {"q": "JBB Branch"})
    assert len(jbb) == 6, "test data: six JBB Branch sites"
    answer = await orch.ask(question)
    got = describe(answer)
    assert answer.status == "needs_choice", f"{question!r}: {got}; expected needs_choice among {jbb}"
    candidates = [c for c in answer.choices if c.kind == "candidate"]
    labels = {
        _named(c.label, jbb) for c in candidates
    }  # a label may add what tells the objects apart: "X (site)"
    assert len(labels & set(jbb)) >= 2 and labels <= set(jbb), (
        f"{question!r}: candidates {sorted(labels)}; expected among {jbb}"
    )
    assert not answer.tables or answer.tables[0].total == 0 or answer.tables[0].object_type != "ipam.vlan", (
        "guessed silently"
    )
    assert answer.stats.api_calls <= SIMPLE_BUDGET
    # Following a candidate answers the question for that site.
    pick = candidates[0]
    assert pick.question, f"candidate {pick.label!r} carries no follow-up question"
    sid = await rest.id_of(Ref.of(SITE, name=_named(pick.label, jbb)))
    vlans = await rest.displays("ipam/vlans/", {"site_id": sid})
    followed = await orch.ask(pick.question)
    got = describe(followed)
    assert followed.status == "ok" and followed.tables and followed.tables[0].object_type == "ipam.vlan", (
        f"candidate question {pick.question!r}: {got}; expected VLANs {vlans}")
    assert sorted(r["display"] for r in followed.tables[0].rows) == vlans, (
        f"candidate question {pick.question!r}: {got}; expected {vlans}"
    )


async def test_partial_hostname_asks_which_device(orch: Orchestrator, rest: Rest) -> None:
    question = "interfaces on dmi01-utica"
    devices = await rest.displays("dcim/devices/", {"name__isw": "dmi01-utica"})
    assert len(devices) == 3, "test data: three dmi01-utica devices"
    answer = await orch.ask(question)
    got = describe(answer)
    labels = {_named(c.label, devices) for c in answer.choices if c.kind == "candidate"}
    assert answer.status == "needs_choice", f"{question!r}: {got}; expected needs_choice among {devices}"
    assert labels and labels <= set(devices), (
        f"{question!r}: candidates {sorted(labels)}; expected among {devices}"
    )
    assert answer.stats.api_calls <= SIMPLE_BUDGET


def _named(label: str, names: list[str]) -> str:
    """The object a choice label names: the label itself, or the one of `names` it starts with."""
    return next((n for n in names if label == n or label.startswith(n + " (")), label)


NOT_FOUND = [
    # (question, object_type, a similar name exists so closest names must be offered)
    ("show device dmi01-hartford-rtr01", "dcim.device", True),
    ("VLANs at DM-Hartford", "ipam.vlan", True),
    ("show circuit KKDG9999", "circuits.circuit", True),
    ("show device edge-fw-42", "dcim.device", False),
]


@pytest.mark.parametrize("question,object_type,similar", params(NOT_FOUND, lambda i: i[0]))
async def test_not_found_says_so_with_closest_names(
    question: str, object_type: str, similar: bool, orch: Orchestrator
) -> None:
    answer = await orch.ask(question)
    got = describe(answer)
    expected = f"expected not_found, {object_type} total 0" + (
        " and the closest names as suggestions" if similar else ""
    )
    assert answer.status == "not_found", f"{question!r}: {got}; {expected}"
    assert answer.tables and answer.tables[0].total == 0, f"{question!r}: {got}; {expected}"
    assert answer.tables[0].object_type == object_type, f"{question!r}: {got}; {expected}"
    assert "no " in answer.answer.lower() or "not found" in answer.answer.lower(), (
        f"{question!r}: {got}; {expected}"
    )
    if similar:
        assert any(c.kind == "suggestion" for c in answer.choices), (
            f"{question!r}: no closest names; {got}; {expected}"
        )
    assert answer.stats.api_calls <= SIMPLE_BUDGET, f"{question!r}: {answer.stats.api_calls} calls; {got}"


def test_enough_other_questions() -> None:
    assert len(CASES) + len(SUMMARIES) + len(TRACES) + len(FREE) + 3 + len(NOT_FOUND) >= 30
