#!/usr/bin/env python3
"""Fill a NetBox, in its OWN database, with N x the demo inventory, for the scale benchmark.

    .venv/bin/python bench/scale_gen.py 10          # database netbox_x10, NetBox on :8010
    .venv/bin/python bench/scale_gen.py 100         # database netbox_x100, NetBox on :8100
    .venv/bin/python bench/scale_gen.py 1           # netbox_x1 on :8001: the demo + VLAN assignments only
    .venv/bin/python bench/scale_gen.py 10 --recreate   # drop netbox_x10 first and start over

What it does:
1. `NETBOX_DEV_DB=netbox_xN NETBOX_DEV_PORT=P scripts/netbox-dev`: creates the database, loads the
   demo dump into it, writes a configuration of its own and starts gunicorn on 127.0.0.1:P.
   The demo database `netbox` (port 8000) is never touched: this script refuses that name.
2. Runs an ORM script inside `netbox nbshell -c ...` that, with bulk_create (no signals, no
   change log, no search index), adds N-1 copies of the demo's sites, racks, devices with their
   interfaces, VRFs, VLAN groups, VLANs, prefixes, IP addresses and interface-to-interface cables,
   so the database holds N x the demo inventory (copy 1 is the demo itself).
   The demo data has no VLAN on any interface; so that "VLANs with their devices and interfaces"
   has something to find, every copy (the original included) gets the same assignments: on each
   device at a site with VLANs, of its physical, non-management interfaces, every 8th is
   mode=tagged (untagged = the site's first VLAN, tagged = all the site's VLANs) and every odd
   one is mode=access with one of the site's VLANs as untagged_vlan.
3. VACUUM ANALYZE, so PostgreSQL plans with real row counts.
4. Writes bench/results/scale-netbox_xN.json: timings of each phase and the resulting counts.

Known simplifications (bulk_create skips NetBox's save() and signals): generated cables have no
CablePath (a cable trace on a generated interface stops at the first hop), generated objects are
not in the global search index nor in the change log, locations and virtual chassis are not
copied (copied racks and devices have none), only cables between two interfaces are copied
(26 of the demo's 108), front/rear/console/power ports are not copied.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
HOME_DIR = Path(os.environ.get("NETBOX_DEV_HOME", Path.home() / ".cache" / "netbox-tui-dev"))
VENV = HOME_DIR / "venv"
RESULTS = HERE / "results"

ORM_SCRIPT = r'''
import json, os, sys, time
from collections import defaultdict
from django.db import transaction, connection
from dcim.models import Site, Rack, Device, Interface, Cable, CableTermination
from ipam.models import VLAN, VLANGroup, Prefix, IPAddress, VRF

N = int(os.environ["SCALE_N"])
BATCH = 2000
T0 = time.perf_counter()
phases = {}


def log(msg):
    print(f"[scale_gen {time.perf_counter() - T0:7.1f}s] {msg}", file=sys.stderr, flush=True)


def clone(obj, **over):
    kw = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname != "id"}
    kw.update(over)
    return type(obj)(**kw)


if Interface.objects.exclude(mode=None).exclude(mode="").exists():
    print(json.dumps({"error": "this database is generated already (interfaces with a mode exist)"}))
    raise SystemExit(0)

t = time.perf_counter()
sites = list(Site.objects.order_by("id"))
racks = list(Rack.objects.order_by("id"))
devices = list(Device.objects.order_by("id"))
interfaces = list(Interface.objects.order_by("device_id", "_name", "id"))
vrfs = list(VRF.objects.order_by("id"))
groups = list(VLANGroup.objects.order_by("id"))
vlans = list(VLAN.objects.order_by("id"))
prefixes = list(Prefix.objects.order_by("id"))
ips = list(IPAddress.objects.order_by("id"))
site_ct = Site._meta.app_label, Site._meta.model_name
# Only cables whose every termination is an interface are copied.
cables, cable_terms = [], []
for c in Cable.objects.order_by("id").prefetch_related("terminations"):
    terms = list(c.terminations.all())
    if terms and all(tt.termination_type.model == "interface" for tt in terms):
        cables.append(c)
        cable_terms.extend(terms)
copied_cable_ids = {c.id for c in cables}
phases["read_demo_s"] = round(time.perf_counter() - t, 2)

# -- VLAN assignments, computed once on the demo and repeated in every copy ----------------------
site_groups = defaultdict(list)
for g in groups:
    if g.scope_type_id and g.scope_type.model == "site":
        site_groups[g.scope_id].append(g.id)
site_vlans = defaultdict(list)
for v in sorted(vlans, key=lambda v: (v.vid, v.id)):
    sid = v.site_id
    if sid is None and v.group_id:
        sid = next((s for s, gs in site_groups.items() if v.group_id in gs), None)
    if sid is not None:
        site_vlans[sid].append(v.id)
dev_by_id = {d.id: d for d in devices}
NOT_L2 = {"lag", "virtual", "cisco-stackwise", "lte", "ieee802.11ac", "bridge"}
assign = {}  # orig interface id -> (mode, untagged orig vlan id, [tagged orig vlan ids])
index_in_device = defaultdict(int)
for i in interfaces:
    dev = dev_by_id[i.device_id]
    vl = site_vlans.get(dev.site_id)
    if not vl or i.type in NOT_L2 or i.mgmt_only:
        continue
    n = index_in_device[i.device_id]
    index_in_device[i.device_id] += 1
    if n % 8 == 0:
        assign[i.id] = ("tagged", vl[0], list(vl))
    elif n % 2 == 1:
        assign[i.id] = ("access", vl[(n // 2) % len(vl)], [])
Through = Interface.tagged_vlans.through

t = time.perf_counter()
with transaction.atomic():
    upd = []
    through = []
    for i in interfaces:
        a = assign.get(i.id)
        if a:
            i.mode, i.untagged_vlan_id = a[0], a[1]
            upd.append(i)
            through.extend(Through(interface_id=i.id, vlan_id=v) for v in a[2])
    Interface.objects.bulk_update(upd, ["mode", "untagged_vlan_id"], batch_size=BATCH)
    Through.objects.bulk_create(through, batch_size=BATCH)
phases["assign_vlans_demo_s"] = round(time.perf_counter() - t, 2)
log(f"demo: {len(assign)} of {len(interfaces)} interfaces carry VLANs "
    f"({sum(1 for a in assign.values() if a[0] == 'tagged')} tagged)")

ZERO_COUNTS = dict(
    console_port_count=0,
    console_server_port_count=0,
    power_port_count=0,
    power_outlet_count=0,
    front_port_count=0,
    rear_port_count=0,
    device_bay_count=0,
    module_bay_count=0,
    inventory_item_count=0,
)
for f in ("cooling_intake_count", "cooling_outflow_count"):
    if any(fl.attname == f for fl in Device._meta.concrete_fields):
        ZERO_COUNTS[f] = 0

t_copies = time.perf_counter()
for k in range(2, N + 1):
    with transaction.atomic():
        vrf_map = {}
        new = [clone(v, name=f"{v.name} x{k}", rd=(f"{v.rd}:x{k}" if v.rd else None)) for v in vrfs]
        for o, nw in zip(vrfs, VRF.objects.bulk_create(new)):
            vrf_map[o.id] = nw.id
        site_map = {}
        new = [clone(s, name=f"{s.name} x{k}", slug=f"{s.slug}-x{k}") for s in sites]
        for o, nw in zip(sites, Site.objects.bulk_create(new)):
            site_map[o.id] = nw.id
        group_map = {}
        scoped = [g for g in groups if g.scope_type_id and g.scope_type.model == "site"]
        new = [clone(g, scope_id=site_map[g.scope_id], slug=g.slug) for g in scoped]
        for o, nw in zip(scoped, VLANGroup.objects.bulk_create(new)):
            group_map[o.id] = nw.id
        vlan_map = {}
        vl_src = [v for v in vlans if v.group_id is None or v.group_id in group_map]
        new = [
            clone(v, site_id=site_map.get(v.site_id), group_id=group_map.get(v.group_id), qinq_svlan_id=None)
            for v in vl_src
        ]
        for o, nw in zip(vl_src, VLAN.objects.bulk_create(new, batch_size=BATCH)):
            vlan_map[o.id] = nw.id
        rack_map = {}
        new = [clone(r, site_id=site_map[r.site_id], location_id=None) for r in racks]
        for o, nw in zip(racks, Rack.objects.bulk_create(new, batch_size=BATCH)):
            rack_map[o.id] = nw.id
        dev_map = {}
        new = [
            clone(
                d,
                name=(f"{d.name}-x{k}" if d.name else None),
                site_id=site_map[d.site_id],
                rack_id=rack_map.get(d.rack_id),
                location_id=None,
                virtual_chassis_id=None,
                vc_position=None,
                vc_priority=None,
                primary_ip4_id=None,
                primary_ip6_id=None,
                oob_ip_id=None,
                cluster_id=None,
                asset_tag=None,
                **ZERO_COUNTS,
            )
            for d in devices
        ]
        new_devs = Device.objects.bulk_create(new, batch_size=BATCH)
        for o, nw in zip(devices, new_devs):
            dev_map[o.id] = nw
        cable_map = {}
        new = [
            clone(c, bundle_id=None)
            if any(f.attname == "bundle_id" for f in Cable._meta.concrete_fields)
            else clone(c)
            for c in cables
        ]
        for o, nw in zip(cables, Cable.objects.bulk_create(new)):
            cable_map[o.id] = nw.id
        new = []
        for i in interfaces:
            d = dev_map[i.device_id]
            a = assign.get(i.id)
            cabled = i.cable_id in copied_cable_ids
            new.append(clone(
                i, device_id=d.id, _site_id=d.site_id, _location_id=None, _rack_id=d.rack_id,
                cable_id=cable_map[i.cable_id] if cabled else None,
                cable_end=i.cable_end if cabled else None,
                cable_connector=i.cable_connector if cabled else None,
                cable_positions=i.cable_positions if cabled else None,
                mark_connected=False, _path_id=None, lag_id=None, parent_id=None, bridge_id=None,
                primary_mac_address_id=None, wireless_link_id=None, vrf_id=None, module_id=None,
                mode=a[0] if a else i.mode, untagged_vlan_id=vlan_map[a[1]] if a else None,
                qinq_svlan_id=None, vlan_translation_policy_id=None,
            ))
        new_ifaces = Interface.objects.bulk_create(new, batch_size=BATCH)
        iface_map = {o.id: nw.id for o, nw in zip(interfaces, new_ifaces)}
        lagged = []
        for o, nw in zip(interfaces, new_ifaces):
            if o.lag_id and o.lag_id in iface_map:
                nw.lag_id = iface_map[o.lag_id]
                lagged.append(nw)
        if lagged:
            Interface.objects.bulk_update(lagged, ["lag_id"], batch_size=BATCH)
        Through.objects.bulk_create(
            [
                Through(interface_id=iface_map[oid], vlan_id=vlan_map[v])
                for oid, a in assign.items()
                for v in a[2]
            ],
            batch_size=BATCH,
        )
        new = []
        for tt in cable_terms:
            d = dev_map[tt._device_id] if tt._device_id else None
            new.append(
                clone(
                    tt,
                    cable_id=cable_map[tt.cable_id],
                    termination_id=iface_map[tt.termination_id],
                    _device_id=d.id if d else None,
                    _rack_id=d.rack_id if d else None,
                    _site_id=d.site_id if d else None,
                    _location_id=None,
                )
            )
        CableTermination.objects.bulk_create(new, batch_size=BATCH)
        new = []
        for p in prefixes:
            scoped_site = p.scope_type_id and p.scope_type.model == "site"
            new.append(clone(p, scope_id=site_map[p.scope_id] if scoped_site else p.scope_id,
                             _site_id=site_map[p._site_id] if p._site_id else None, _location_id=None,
                             vlan_id=vlan_map.get(p.vlan_id), vrf_id=vrf_map.get(p.vrf_id)))
        Prefix.objects.bulk_create(new, batch_size=BATCH)
        new = [
            clone(
                ip,
                vrf_id=vrf_map.get(ip.vrf_id),
                assigned_object_type_id=None,
                assigned_object_id=None,
                nat_inside_id=None,
            )
            for ip in ips
        ]
        IPAddress.objects.bulk_create(new, batch_size=BATCH)
    if k % 10 == 0 or k == N:
        log(f"copy {k}/{N} done")
phases["copies_s"] = round(time.perf_counter() - t_copies, 2)

counts = {
    "sites": Site.objects.count(),
    "racks": Rack.objects.count(),
    "devices": Device.objects.count(),
    "interfaces": Interface.objects.count(),
    "interfaces_with_vlans": Interface.objects.exclude(mode=None).exclude(mode="").count(),
    "tagged_vlan_assignments": Through.objects.count(),
    "vlans": VLAN.objects.count(),
    "vlan_groups": VLANGroup.objects.count(),
    "vrfs": VRF.objects.count(),
    "prefixes": Prefix.objects.count(),
    "ip_addresses": IPAddress.objects.count(),
    "cables": Cable.objects.count(),
}
phases["orm_total_s"] = round(time.perf_counter() - T0, 2)
print(json.dumps({"n": N, "phases": phases, "counts": counts}))
'''


def sh(
    cmd: list[str], env: dict | None = None, check: bool = True, capture: bool = False
) -> subprocess.CompletedProcess:
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, env=env, check=check, text=True, capture_output=capture)


def psql_su(sql: str) -> str:
    return sh(["su", "postgres", "-c", f'psql -qtA -c "{sql}"'], capture=True).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="scale factor: the database ends with N x the demo inventory")
    ap.add_argument("--db", help="database name (default netbox_xN); never 'netbox'")
    ap.add_argument("--port", type=int, help="port of its NetBox (default 8000+N for N<100, else 8100)")
    ap.add_argument("--recreate", action="store_true", help="drop the database first")
    args = ap.parse_args()
    if args.n < 1 or args.n > 200:
        ap.error("N must be 1..200")
    db = args.db or f"netbox_x{args.n}"
    if db == "netbox" or not db.startswith("netbox_"):
        ap.error(
            "refusing: the scale data goes in a database of its own (netbox_xN), never the demo 'netbox'"
        )
    port = args.port or (8000 + args.n if args.n < 100 else 8100)
    if port == 8000:
        ap.error("port 8000 is the demo NetBox")
    env = {**os.environ, "NETBOX_DEV_DB": db, "NETBOX_DEV_PORT": str(port)}
    report: dict = {
        "db": db,
        "port": port,
        "n": args.n,
        "url": f"http://127.0.0.1:{port}",
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }

    if args.recreate:
        sh([str(PROJECT / "scripts" / "netbox-dev"), "stop"], env=env, check=False)
        time.sleep(1)
        psql_su(f"DROP DATABASE IF EXISTS {db}")
        (HOME_DIR / f"migrated-{db}").unlink(missing_ok=True)

    t = time.perf_counter()
    sh([str(PROJECT / "scripts" / "netbox-dev")], env=env)
    report["netbox_dev_s"] = round(time.perf_counter() - t, 1)  # create DB + load dump + migrate + start

    root = HOME_DIR / f"root-{db}"
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(ORM_SCRIPT)
        script = f.name
    t = time.perf_counter()
    proc = subprocess.run(
        [str(VENV / "bin" / "netbox"), "nbshell", "-c", f"exec(open({script!r}).read())"],
        env={**env, "NETBOX_ROOT": str(root), "SCALE_N": str(args.n)}, text=True, capture_output=True,
    )
    os.unlink(script)
    report["nbshell_s"] = round(time.perf_counter() - t, 1)
    sys.stderr.write(proc.stderr[-4000:])
    if proc.returncode != 0:
        print(proc.stdout[-4000:], file=sys.stderr)
        print(f"scale_gen: nbshell failed ({proc.returncode})", file=sys.stderr)
        return 1
    last = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    orm = json.loads(last[-1]) if last else {}
    if "error" in orm:
        print(f"scale_gen: {orm['error']}; use --recreate to start over", file=sys.stderr)
        return 0
    report.update(orm)

    t = time.perf_counter()
    sh(["su", "postgres", "-c", f"psql -q -d {db} -c 'VACUUM ANALYZE'"])
    report["vacuum_analyze_s"] = round(time.perf_counter() - t, 1)
    report["total_s"] = round(report["netbox_dev_s"] + report["nbshell_s"] + report["vacuum_analyze_s"], 1)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"scale-{db}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    print(f"scale_gen: wrote {out}; NetBox with {db} at {report['url']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
