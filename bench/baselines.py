"""Plain-httpx baselines the benchmark compares netbox-tui against. No netbox_tui import here.

- FLOORS: per dev.yaml question, the minimal set of raw HTTP requests that fetch the same answer
  (same rows, same columns via `fields=`), independent requests sent concurrently. The rule: an
  expert who knows the NetBox API but not this database's ids; a filter may take a slug when the
  slug is the typed name slugified (dm-akron, level-3, router); any other name is looked up by an
  exact-name query asking only for the id. The floor therefore contains no fuzzy resolution.
- NAIVE: the patterns a quick script or a tool-calling agent writes: one request per object, or
  fetch everything (full JSON, no `fields=`) and filter on the client. Sequential, as such code is.
- replay(): the exact requests netbox-tui sent (from the counting proxy's log) re-sent with plain
  httpx in the same dependency order: "our requests without our code", to isolate software overhead.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable, Optional

import httpx

LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=10)  # NetBoxProfile's defaults
TIMEOUT = httpx.Timeout(120.0, connect=5.0)


class Raw:
    """A plain httpx client that counts requests and response body bytes."""

    def __init__(self, url: str, token: str) -> None:
        self.http = httpx.AsyncClient(
            base_url=url,
            headers={"Authorization": f"Token {token}", "Accept": "application/json"},
            limits=LIMITS,
            timeout=TIMEOUT,
        )
        self.calls = 0
        self.bytes = 0
        self.errors: list[str] = []
        self.log: list[dict[str, Any]] = []  # start/end of each request, for counting round trips
        self.t0 = time.perf_counter()

    async def target(self, target: str, method: str = "GET", json_body: Any = None) -> Any:
        start = time.perf_counter() - self.t0
        r = await self.http.request(method, target, json=json_body)
        self.log.append({"start": start, "end": time.perf_counter() - self.t0})
        self.calls += 1
        self.bytes += len(r.content)
        if r.status_code != 200:
            self.errors.append(f"{r.status_code} {target[:120]}")
            return None
        return r.json()

    async def get(self, path: str, params: Optional[dict[str, Any]] = None) -> Any:
        start = time.perf_counter() - self.t0
        r = await self.http.get("/api/" + path, params=params)
        self.log.append({"start": start, "end": time.perf_counter() - self.t0})
        self.calls += 1
        self.bytes += len(r.content)
        if r.status_code != 200:
            self.errors.append(f"{r.status_code} /api/{path} {params}")
            return None
        return r.json()

    async def aclose(self) -> None:
        await self.http.aclose()


async def timed(url: str, token: str, fn: Callable[[Raw], Awaitable[Any]]) -> dict[str, Any]:
    """Run fn with a fresh client (fresh pool, like a fresh netbox-tui process); wall time, calls, bytes.
    The clock includes creating the client, as netbox-tui's in-process figure includes creating its own."""
    t = time.perf_counter()
    raw = Raw(url, token)
    try:
        out = await fn(raw)
    finally:
        wall = time.perf_counter() - t
        await raw.aclose()
    return {
        "s": wall,
        "calls": raw.calls,
        "bytes": raw.bytes,
        "errors": raw.errors,
        "result": out,
        "log": raw.log,
    }


def _f(*names: str) -> str:
    return ",".join(names)


DEV_F = _f("id", "display", "name", "status", "site", "rack", "role", "device_type", "primary_ip")
VLAN_F = _f("id", "display", "vid", "name", "site", "group", "status", "tenant")
IF_F = _f("id", "display", "device", "name", "type", "enabled", "mode", "link_peers", "description")
SITE_F = _f("id", "display", "name", "status", "region", "tenant", "facility", "description")
PFX_F = _f("id", "display", "prefix", "status", "scope", "vlan", "vrf", "role", "tenant")


async def _gather(*aws: Awaitable[Any]) -> list[Any]:
    return list(await asyncio.gather(*aws))


def _device_card(name: str) -> Callable[[Raw], Awaitable[Any]]:
    async def run(r: Raw) -> Any:  # device filters take the name: one wave of four
        return await _gather(
            r.get("dcim/devices/", {"name": name, "fields": DEV_F}),
            r.get("dcim/interfaces/", {"device": name, "brief": 1, "limit": 1}),
            r.get("ipam/ip-addresses/", {"device": name, "brief": 1, "limit": 1}),
            r.get("dcim/cables/", {"device": name, "brief": 1, "limit": 1}),
        )
    return run


def _list(path: str, fields: str, **flt: Any) -> Callable[[Raw], Awaitable[Any]]:
    async def run(r: Raw) -> Any:
        return await r.get(path, {**flt, "fields": fields, "limit": 25, "offset": 0})
    return run


def _by_id(
    lookup_path: str, lookup: dict[str, Any], path: str, fields: str, flt: str
) -> Callable[[Raw], Awaitable[Any]]:
    async def run(r: Raw) -> Any:  # the name is not a slug: exact-name look-up of the id, then the list
        found = await r.get(lookup_path, {**lookup, "fields": "id"})
        ids = [o["id"] for o in (found or {}).get("results", [])]
        return await r.get(path, {flt: ids, "fields": fields, "limit": 25, "offset": 0})
    return run


async def _trace(r: Raw) -> Any:
    found = await r.get(
        "dcim/interfaces/", {"device": "dmi01-yonkers-rtr01", "name": "GigabitEthernet0/0/0", "fields": "id"}
    )
    iid = found["results"][0]["id"]
    return await r.get(f"dcim/interfaces/{iid}/trace/")


async def _vlan_topology(r: Raw) -> Any:
    modes = ["access", "tagged", "tagged-all"]
    return await _gather(
        r.get("ipam/vlans/", {"fields": VLAN_F, "limit": 1000}),
        r.get(
            "dcim/interfaces/",
            {"mode": modes, "fields": "id,name,device,mode,untagged_vlan,tagged_vlans", "limit": 1000},
        ),
        r.get(
            "virtualization/interfaces/",
            {
                "mode": modes,
                "fields": "id,name,virtual_machine,mode,untagged_vlan,tagged_vlans",
                "limit": 1000,
            },
        ),
    )


async def vlan_topology_graphql(r: Raw) -> Any:
    """Not a floor of REST requests: the same topology in one GraphQL query, for reference."""
    q = """{ vlan_list { id vid name site { name }
             interfaces_as_untagged { name device { name } }
             interfaces_as_tagged { name device { name } } } }"""
    return await r.target("/graphql/", "POST", {"query": q})


async def _rack_util(r: Raw) -> Any:
    site = await r.get("dcim/sites/", {"name": "MDF", "fields": "id"})
    sid = site["results"][0]["id"]
    racks, devs, types = await _gather(
        r.get(
            "dcim/racks/",
            {"site_id": sid, "fields": "id,display,name,site,location,status,u_height,role", "limit": 1000},
        ),
        r.get(
            "dcim/devices/",
            {"site_id": sid, "fields": "id,rack,position,device_type,parent_device", "limit": 1000},
        ),
        r.get("dcim/device-types/", {"fields": "id,u_height", "limit": 1000}),
    )
    return racks, devs, types


async def _prefix_full(r: Raw) -> Any:
    p = "10.112.129.0/24"
    pfx, children, ips = await _gather(
        r.get("ipam/prefixes/", {"prefix": p, "fields": PFX_F + ",is_pool,mark_utilized"}),
        r.get("ipam/prefixes/", {"within": p, "vrf_id": "null", "fields": "id,prefix", "limit": 1000}),
        r.get("ipam/ip-addresses/", {"parent": p, "vrf_id": "null", "brief": 1, "limit": 1}),
    )
    pid = pfx["results"][0]["id"]
    free = await r.get(f"ipam/prefixes/{pid}/available-ips/", {"limit": 25})
    return pfx, children, ips, free


async def _site_summary(r: Raw) -> Any:
    s = "dm-nashua"
    return await _gather(
        r.get("dcim/sites/", {"slug": s, "fields": SITE_F}),
        *(r.get(p, {"site": s, "brief": 1, "limit": 1}) for p in
          ("dcim/racks/", "dcim/devices/", "ipam/vlans/", "ipam/prefixes/", "circuits/circuits/")),
    )


async def _no_such_device(r: Raw) -> Any:
    return await _gather(  # the exact name (nothing), and a search for the closest names
        r.get("dcim/devices/", {"name": "core-router-99", "fields": DEV_F}),
        r.get("dcim/devices/", {"q": "core", "fields": "id,name", "limit": 25}),
    )


async def _where_is_ip(r: Raw) -> Any:
    return await _gather(
        r.get(
            "ipam/ip-addresses/",
            {
                "address": "172.16.0.5",
                "fields": "id,display,address,status,vrf,assigned_object,dns_name,role",
            },
        ),
        r.get("ipam/prefixes/", {"contains": "172.16.0.5", "fields": PFX_F, "limit": 50}),
    )


FLOORS: dict[str, tuple[Callable[[Raw], Awaitable[Any]], str]] = {
    "show device dmi01-akron-rtr01": (
        _device_card("dmi01-akron-rtr01"),
        "device by name + 3 counts by device name, one wave",
    ),
    "list all VLANs": (_list("ipam/vlans/", VLAN_F), "one page"),
    "VLANs at DM-Scranton": (_list("ipam/vlans/", VLAN_F, site="dm-scranton"), "site slug = slugified name"),
    "interfaces on ncsu-coreswitch1": (
        _list("dcim/interfaces/", IF_F, device="ncsu-coreswitch1"),
        "device filter takes the name",
    ),
    "devices at site MDF": (
        _by_id("dcim/sites/", {"name": "MDF"}, "dcim/devices/", DEV_F, "site_id"),
        "MDF's slug is ncsu-065: id look-up first",
    ),
    "show all routers": (_list("dcim/devices/", DEV_F, role="router"), "role slug router"),
    "devices at dm akron": (_list("dcim/devices/", DEV_F, site="dm-akron"), "site slug dm-akron"),
    "sites in New York": (
        _by_id("dcim/regions/", {"name": "New York"}, "dcim/sites/", SITE_F, "region_id"),
        "region slug is us-ny: id look-up first",
    ),
    "circuits from Level 3": (
        _list(
            "circuits/circuits/", "id,display,cid,provider,type,status,tenant,commit_rate", provider="level-3"
        ),
        "provider slug level-3",
    ),
    "virtual machines in cluster DO-AMS3": (
        _list(
            "virtualization/virtual-machines/",
            "id,display,name,status,cluster,site,vcpus,memory,primary_ip",
            cluster="DO-AMS3",
        ),
        "cluster filter takes the name",
    ),
    "where is 172.16.0.5": (_where_is_ip, "IP + containing prefixes, one wave"),
    "prefixes at DM-Akron": (_list("ipam/prefixes/", PFX_F, site="dm-akron"), "site slug dm-akron"),
    "which devices have no primary IP": (_list("dcim/devices/", DEV_F, has_primary_ip="false"), "one page"),
    "what is connected to dmi01-yonkers-rtr01 GigabitEthernet0/0/0": (
        _trace,
        "interface by device+name, then its trace",
    ),
    "VLANs with their devices and interfaces": (
        _vlan_topology,
        "VLANs + VLAN-carrying device and VM interfaces, one wave",
    ),
    "rack utilization at MDF": (_rack_util, "site id, then racks + racked devices + all device-type heights"),
    "how full is prefix 10.112.129.0/24": (_prefix_full, "prefix + children + IP count, then available-ips"),
    "summarize site DM-Nashua": (_site_summary, "site + 5 counts by site slug, one wave"),
    "show me the core switches": (_list("dcim/devices/", DEV_F, role="core-switch"), "role slug core-switch"),
    "devices in rack R105": (
        _by_id("dcim/racks/", {"name": "R105"}, "dcim/devices/", DEV_F, "rack_id"),
        "no rack-name filter on devices (rack=R105 is ignored)",
    ),
    "show device dmi01-akorn-rtr01": (
        _device_card("dmi01-akron-rtr01"),
        "a human corrects the typo: same as the exact name",
    ),
    "show device core-router-99": (_no_such_device, "exact name + a q search for the closest names"),
}


# -- naive patterns ------------------------------------------------------------------------------

async def naive_vlan_topology_127(r: Raw) -> Any:
    """The N+1 pattern as the issue states it: the VLAN list, then per VLAN its devices and its
    interfaces, one call each (1 + 2 x 63 = 127 at 1x). Default page size, full JSON, sequential.
    NetBox has no `vlan_id` filter on devices: it ignores it and returns every device (first page
    of 50), so this answer is wrong as well as slow."""
    vlans = await r.get("ipam/vlans/", {"limit": 1000})
    out = {}
    for v in vlans["results"]:
        devs = await r.get("dcim/devices/", {"vlan_id": v["id"]})
        ifs = await r.get("dcim/interfaces/", {"vlan_id": v["id"]})
        out[v["id"]] = (devs["count"], ifs["count"])
    return out


async def naive_vlan_topology_correct(r: Raw) -> Any:
    """A correct per-object version: the VLAN list, per VLAN its interfaces (interfaces?vlan_id=X,
    which does work), then per VLAN with interfaces its devices by id (devices?id=a&id=b...)."""
    vlans = await r.get("ipam/vlans/", {"limit": 1000})
    out = {}
    for v in vlans["results"]:
        ifs = await r.get("dcim/interfaces/", {"vlan_id": v["id"], "limit": 1000})
        dev_ids = sorted({i["device"]["id"] for i in ifs["results"]})
        devs = await r.get("dcim/devices/", {"id": dev_ids, "limit": 1000}) if dev_ids else {"count": 0}
        out[v["id"]] = (devs["count"], ifs["count"])
    return out


async def _all_pages(r: Raw, path: str, params: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = await r.get(path, {**(params or {}), "limit": 1000, "offset": offset})
        rows.extend(page["results"])
        offset += len(page["results"])
        if not page.get("next") or not page["results"]:
            return rows


async def naive_interfaces_on_device(r: Raw) -> Any:
    """Fetch every interface (full JSON, 1000 per page, sequential), keep the device's."""
    rows = await _all_pages(r, "dcim/interfaces/")
    return [i for i in rows if (i.get("device") or {}).get("name") == "ncsu-coreswitch1"]


async def naive_devices_at_site(r: Raw) -> Any:
    """Fetch every device (full JSON), keep those whose site name matches 'dm akron' loosely."""
    rows = await _all_pages(r, "dcim/devices/")
    return [d for d in rows if (d.get("site") or {}).get("name", "").lower().replace("-", " ") == "dm akron"]


async def naive_rack_utilisation(r: Raw) -> Any:
    """Per object: the site, its racks, then per rack its devices, then per racked device its type."""
    site = await r.get("dcim/sites/", {"name": "MDF"})
    racks = await r.get("dcim/racks/", {"site_id": site["results"][0]["id"], "limit": 1000})
    used = {}
    for rack in racks["results"]:
        devs = await r.get("dcim/devices/", {"rack_id": rack["id"]})
        u = 0.0
        for d in devs["results"]:
            if d.get("position") is not None:
                t = await r.get(f"dcim/device-types/{d['device_type']['id']}/")
                u += float(t.get("u_height") or 0)
        used[rack["id"]] = u
    return used


async def naive_site_summary(r: Raw) -> Any:
    """The site, then every related list in full (full JSON, sequential)."""
    site = await r.get("dcim/sites/", {"name": "DM-Nashua"})
    sid = site["results"][0]["id"]
    out = {}
    for p in ("dcim/racks/", "dcim/devices/", "ipam/vlans/", "ipam/prefixes/", "circuits/circuits/"):
        out[p] = len(await _all_pages(r, p, {"site_id": sid}))
    return out


async def naive_device_card(r: Raw) -> Any:
    """The device, then its interfaces, IPs and cables as full lists (sequential)."""
    dev = await r.get("dcim/devices/", {"name": "dmi01-akron-rtr01"})
    did = dev["results"][0]["id"]
    return [
        len(await _all_pages(r, p, {"device_id": did}))
        for p in ("dcim/interfaces/", "ipam/ip-addresses/", "dcim/cables/")
    ]


NAIVE: dict[str, list[tuple[str, Callable[[Raw], Awaitable[Any]], str]]] = {
    "VLANs with their devices and interfaces": [
        (
            "per object, as in the issue (127 calls)",
            naive_vlan_topology_127,
            "wrong answer: devices?vlan_id is ignored by NetBox",
        ),
        (
            "per object, correct",
            naive_vlan_topology_correct,
            "interfaces?vlan_id=X per VLAN, devices?id=... per VLAN with interfaces",
        ),
    ],
    "interfaces on ncsu-coreswitch1": [
        ("fetch all, filter locally", naive_interfaces_on_device, "1,586 interfaces, full JSON")
    ],
    "devices at dm akron": [("fetch all, filter locally", naive_devices_at_site, "72 devices, full JSON")],
    "rack utilization at MDF": [
        ("per object", naive_rack_utilisation, "site, racks, devices per rack, type per device")
    ],
    "summarize site DM-Nashua": [("full lists", naive_site_summary, "site + 5 full related lists")],
    "show device dmi01-akron-rtr01": [
        ("full lists", naive_device_card, "device + interfaces, IPs, cables in full")
    ],
}


# -- replay of what netbox-tui sent ----------------------------------------------------------------

def replay_fn(log: list[dict[str, Any]]) -> Callable[[Raw], Awaitable[Any]]:
    """Re-send the logged requests; each one waits for the requests that had ended before it started
    in the original run (the dependency order netbox-tui followed), the rest go concurrently."""
    entries = sorted(log, key=lambda e: e["start"])
    deps = [[j for j, o in enumerate(entries) if o["end"] <= e["start"]] for e in entries]

    async def run(r: Raw) -> Any:
        futs: list[asyncio.Future] = [asyncio.get_running_loop().create_future() for _ in entries]

        async def one(i: int) -> None:
            for j in deps[i]:
                await futs[j]
            e = entries[i]
            try:
                await r.target(e["target"], e["method"])
            finally:
                futs[i].set_result(None)

        await asyncio.gather(*(one(i) for i in range(len(entries))))
        return None

    return run


def waves(log: list[dict[str, Any]]) -> int:
    """Round trips on the critical path of a logged run (longest dependency chain)."""
    entries = sorted(log, key=lambda e: e["start"])
    depth: list[int] = []
    for i, e in enumerate(entries):
        prev = [depth[j] for j, o in enumerate(entries[:i]) if o["end"] <= e["start"]]
        depth.append(1 + max(prev, default=0))
    return max(depth, default=0)
