"""heldout.yaml: a held-out acceptance set of NetBox questions, recomputed from a live NetBox holding the demo data.

    python3 make_heldout.py [http://127.0.0.1:8000] > heldout.yaml     (token: NETBOX_TOKEN, else the demo's read-only one)

Standard library + pyyaml only. GET requests only: nothing is ever written to NetBox.

Every expected value is read from the REST API with a hand-written query. Where a server-side filter is involved, the
same result is also computed client-side from the full object lists and the two must agree (NetBox silently ignores
unknown filter names, so a filter that "works" may be doing nothing). The script stops with an AssertionError if the
data no longer looks the way a question assumes.

Output: a YAML list; each item is {question, capability, expect, note}. Expect keys (see ../shared/queries/README.md):
intent, object_type, status, total, display, contains, answer_has, max_api_calls_cold.
max_api_calls_cold is an estimate of what a good client needs with an empty cache: one request per name it has to
resolve, plus the requests for the answer itself, plus one for slack. It never grows with the number of matches.
"""
import ipaddress, json, os, sys, urllib.parse, urllib.request
from collections import Counter

BASE = (sys.argv[1] if len(sys.argv) > 1 else 'http://127.0.0.1:8000').rstrip('/')
TOKEN = os.environ.get('NETBOX_TOKEN', '0123456789abcdef0123456789abcdef01234567')
CALLS = 0


def _get(url):
    global CALLS
    CALLS += 1
    req = urllib.request.Request(url, method='GET',
                                 headers={'Authorization': f'Token {TOKEN}', 'Accept': 'application/json'})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)


def get(path):
    """Every object of a list endpoint (all pages), a bare list (trace, available-ips), or one object as a 1-list."""
    sep = '&' if '?' in path else '?'
    url, out = f'{BASE}/api/{path}{sep}limit=1000', []
    while url:
        d = _get(url)
        if isinstance(d, list): return d
        if 'results' not in d: return [d]
        out += d['results']; url = d['next']
    return out


def count(path):
    sep = '&' if '?' in path else '?'
    return _get(f'{BASE}/api/{path}{sep}limit=1')['count']


def one(path):
    r = get(path); assert len(r) == 1, (path, len(r)); return r[0]


def ids(rows): return sorted(r['id'] for r in rows)
def disp(rows): return sorted({r['display'] for r in rows})
def nm(x): return (x or {}).get('name')
def idof(x): return (x or {}).get('id')


def same(path, rows):
    """The server filter in `path` must return exactly the client-side result `rows`: proof the filter is real."""
    got = get(path)
    assert ids(got) == ids(rows), (path, len(got), len(rows))
    return rows


def pairs(counter):
    return ', '.join(f'{k} {v}' for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))))


# ---- the inventory, read once (it is small) ------------------------------------------------------------------------
SITES = get('dcim/sites/'); DEVICES = get('dcim/devices/?omit=config_context'); RACKS = get('dcim/racks/')
ITF = get('dcim/interfaces/?fields=id,display,name,device,type,enabled,mgmt_only,cable,link_peers,'
          'untagged_vlan,tagged_vlans')
VLANS = get('ipam/vlans/'); PREFIXES = get('ipam/prefixes/'); IPS = get('ipam/ip-addresses/'); VRFS = get('ipam/vrfs/')
CIRCUITS = get('circuits/circuits/'); PROVIDERS = get('circuits/providers/'); CTERMS = get('circuits/circuit-terminations/')
CLUSTERS = get('virtualization/clusters/'); VMS = get('virtualization/virtual-machines/?omit=config_context')
REGIONS = get('dcim/regions/'); CABLES = get('dcim/cables/'); DTYPES = get('dcim/device-types/')
site = {s['name']: s for s in SITES}
site_by_id = {s['id']: s for s in SITES}
dev = {d['name']: d for d in DEVICES if d['name']}
region = {r['name']: r for r in REGIONS}
itf_of = {}
for i in ITF: itf_of.setdefault(i['device']['id'], []).append(i)


def region_ids_under(rid):
    """The region and every region below it."""
    out, todo = set(), [rid]
    while todo:
        r = todo.pop(); out.add(r)
        todo += [x['id'] for x in REGIONS if idof(x['parent']) == r]
    return out


def sites_in_region(name):
    rs = region_ids_under(region[name]['id'])
    return {s['id'] for s in SITES if idof(s['region']) in rs}


def circuit_site_ids(c):
    return {t['termination_id'] for t in CTERMS if t['circuit']['id'] == c['id'] and t['termination_type'] == 'dcim.site'}


Q = []


def q(cap, question, intent, object_type, max_calls, note, status=None, **e):
    x = {}
    if intent: x['intent'] = intent
    if object_type: x['object_type'] = object_type
    if status: x['status'] = status
    for k in ('total', 'display', 'contains', 'answer_has'):
        if k in e:
            v = e.pop(k)
            x[k] = sorted(v, key=str) if k in ('display', 'contains') else v
    assert not e, e
    if 'display' in x: assert len(x['display']) <= 30, question
    x['max_api_calls_cold'] = max_calls
    for s in x.get('answer_has', []):  # never a string the question itself contains
        assert s.lower() not in question.lower(), (question, s)
        assert s.isascii() and '"' not in s and '\\' not in s, s
    Q.append({'question': question, 'capability': cap, 'expect': x, 'note': note})


FIL, ATT, CNT, ABS, PAT, MSY = 'filter', 'attribute', 'count', 'absence', 'pattern', 'messy'

# ==== filter ==========================================================================================================
pa = sites_in_region('Pennsylvania')
r = [d for d in DEVICES if d['site']['id'] in pa and d['device_type']['manufacturer']['name'] == 'APC' and d['role']['name'] == 'PDU']
same('dcim/devices/?region=us-pa&manufacturer=apc&role=pdu', r)
q(FIL, 'apc pdus in pennsylvania?', 'bulk_discovery', 'dcim.device', 5,
  f"Region Pennsylvania holds one site ({', '.join(sorted(site_['name'] for site_ in SITES if site_['id'] in pa))}); "
  f"its APC AP7901 PDU is the only match. Three conditions: manufacturer APC, role PDU, region.",
  total=len(r), display=disp(r))

rk = one('dcim/racks/?name=R107')
r = [d for d in DEVICES if idof(d['rack']) == rk['id'] and d['device_type']['manufacturer']['name'] == 'Juniper']
same(f"dcim/devices/?rack_id={rk['id']}&manufacturer=juniper", r)
assert (rk['site']['name'], rk['location']['name']) == ('MDF', 'Row 1')
assert sorted((int(x['position']), x['face']['value']) for x in r) == [(25, 'rear'), (26, 'rear')]
assert len([d for d in DEVICES if idof(d['rack']) == rk['id']]) == len(r)
q(FIL, 'juniper kit in rack R107', 'bulk_discovery', 'dcim.device', 4,
  "Rack R107 (MDF, Row 1) holds the two QFX5100-48T-6Q members of virtual chassis r107-torsw; they have no name of "
  "their own and display by chassis and position. Rear-mounted at U26/U25.",
  total=len(r), display=disp(r))

d = next(x for x in DEVICES if x['display'] == 'r107-torsw:2')
r = [i for i in itf_of[d['id']] if i['type']['value'] == '10gbase-t']
same(f"dcim/interfaces/?device_id={d['id']}&type=10gbase-t", r)
others = sorted(i['name'] for i in itf_of[d['id']] if i['type']['value'] != '10gbase-t')
assert {i['name'] for i in r} == {f'xe-2/0/{k}' for k in range(48)}
assert {i['type']['value'] for i in itf_of[d['id']] if i['name'].startswith('et-')} == {'40gbase-x-qsfpp'}
q(FIL, '10g copper ports on r107-torsw:2', 'bulk_discovery', 'dcim.interface', 4,
  f"10G copper = type 10GBASE-T: {len(r)} of the {len(itf_of[d['id']])} interfaces (xe-2/0/0 to xe-2/0/47). Not matches: "
  f"{', '.join(others)} (the et- ports are 40G QSFP+, vme is the 1G management port).",
  total=len(r), contains=['xe-2/0/0', 'xe-2/0/23', 'xe-2/0/47'])

rk = one('dcim/racks/?name=R106')
r = [i for i in ITF if i['mgmt_only'] and idof(next(x for x in DEVICES if x['id'] == i['device']['id'])['rack']) == rk['id']]
same(f"dcim/interfaces/?rack_id={rk['id']}&mgmt_only=true", r)
n_r106 = count(f"dcim/interfaces/?rack_id={rk['id']}")
q(FIL, 'mgmt-only ifaces in rack r106', 'bulk_discovery', 'dcim.interface', 4,
  f"Rack R106 holds r106-torsw:1 and r106-torsw:2 ({n_r106} interfaces in all); each has one management-only port, vme. The rows must say which device each belongs to.",
  total=len(r), display=disp(r), answer_has=sorted({i['device']['display'] for i in r}))

d = dev['ncsu-coreswitch2']
r = [i for i in itf_of[d['id']] if i['cable']]
same(f"dcim/interfaces/?device_id={d['id']}&cabled=true", r)
assert sorted((p['device']['name'], p['name']) for i in r for p in i['link_peers']) == \
       sorted((pp_, f'Port {k}') for pp_ in ('PP:B117', 'PP:B118', 'PP:B128') for k in (3, 4))
assert {i['type']['value'] for i in itf_of[d['id']]} == {'10gbase-x-sfpp'}
q(FIL, 'which ports on ncsu-corswitch2 are cabled up', 'relationship_analysis', 'dcim.interface', 5,
  f"Typo in the name (corswitch): ncsu-coreswitch2. {len(r)} of its {len(itf_of[d['id']])} SFP+ ports have a cable, "
  f"each to a front port of a fiber patch panel (PP:B117, PP:B118, PP:B128, ports 3 and 4).",
  total=len(r), display=disp(r))

vrf = one('ipam/vrfs/?name=Echo')
r = [p for p in PREFIXES if idof(p['vrf']) == vrf['id'] and p['status']['value'] == 'active']
same(f"ipam/prefixes/?vrf_id={vrf['id']}&status=active", r)
n_echo = count(f"ipam/prefixes/?vrf_id={vrf['id']}")
assert [p['prefix'] for p in PREFIXES if idof(p['vrf']) == vrf['id'] and p not in r] == ['172.20.0.0/16']
q(FIL, 'active prefixes in vrf echo', 'bulk_discovery', 'ipam.prefix', 4,
  f"VRF Echo (RD {vrf['rd']}) holds {n_echo} prefixes; the /16 "
  f"container is not active, the three /24s are. (Echo is also a tag name: tags do not apply to prefixes here.)",
  total=len(r), display=disp(r))

ny = sites_in_region('New York')
r = [p for p in PREFIXES if p['scope_type'] == 'dcim.site' and p['scope_id'] in ny and nm(p['role']) == 'Management']
same('ipam/prefixes/?region=us-ny&role=management', r)
for sid in ny:
    if not site_by_id[sid]['name'].startswith('DM-') or site_by_id[sid]['name'] == 'DM-NYC':
        assert count(f'ipam/prefixes/?site_id={sid}') == 0
q(FIL, 'mgmt subnets across NY sites', 'bulk_discovery', 'ipam.prefix', 5,
  f"Role Management, sites in region New York ({len(ny)} sites): one /28 per Dunder-Mifflin branch in NY; DM-NYC and the "
  f"two JBB branches in NY have no prefixes. Prefixes of other states are not matches.",
  total=len(r), display=disp(r))

r = [a for a in IPS if a['vrf'] is None and a['status']['value'] == 'reserved']
same('ipam/ip-addresses/?vrf_id=null&status=reserved', r)
assert all(a['status']['value'] == 'active' for a in IPS if a['vrf'])
q(FIL, 'reserved IPs in the global table', 'bulk_discovery', 'ipam.ipaddress', 3,
  f"Global table = no VRF ({len([a for a in IPS if a['vrf'] is None])} addresses); {len(r)} of them have status Reserved. "
  f"Addresses in VRFs are all active.",
  total=len(r), display=disp(r))

ct = sites_in_region('Connecticut')
r = [c for c in CIRCUITS if c['provider']['name'] == 'Level 3' and circuit_site_ids(c) & ct]
same('circuits/circuits/?provider=level-3&region=us-ct', r)
assert [site_by_id[x]['name'] for x in ct] == ['DM-Stamford'] and r[0]['type']['name'] == 'MPLS'
q(FIL, 'lvl3 circuits landing in connecticut', 'bulk_discovery', 'circuits.circuit', 5,
  "Connecticut has one site (DM-Stamford); Level 3's MPLS circuit there is the match. DM-Stamford's CenturyLink "
  "circuit is not Level 3.",
  total=len(r), display=disp(r))

r = [c for c in CIRCUITS if c['type']['name'] == 'Dark Fiber' and c['status']['value'] == 'active']
same('circuits/circuits/?type=dark-fiber&status=active', r)
assert {c['provider']['name'] for c in r} == {'NCSU Facilities'}
q(FIL, 'active dark fibre circuits', 'bulk_discovery', 'circuits.circuit', 4,
  "Circuit type Dark Fiber (British spelling in the question), status Active: the NCSU Facilities fibers from MDF to the "
  "three campus buildings.", total=len(r), display=disp(r))

loc = one('dcim/locations/?name=Row 3'.replace(' ', '%20'))
r = [x for x in RACKS if idof(x['location']) == loc['id'] and x['status']['value'] == 'available']
same(f"dcim/racks/?location_id={loc['id']}&status=available", r)
assert loc['site']['name'] == 'MDF' and all(x['status']['value'] == 'active' and nm(x['role']) == 'Storage' for x in RACKS
                                           if idof(x['location']) == loc['id'] and x not in r)
q(FIL, 'available racks in row 3', 'bulk_discovery', 'dcim.rack', 4,
  f"Row 3 is a location at site MDF with {len([x for x in RACKS if idof(x['location']) == loc['id']])} racks; R301-R304 "
  f"are Active (role Storage), R305-R308 are Available.", total=len(r), display=disp(r))

r = [c for c in CABLES if c['type'] == 'smf']
same('dcim/cables/?type=smf', r)
for c in r:
    a_, b_ = c['a_terminations'][0], c['b_terminations'][0]
    assert a_['object_type'] == 'circuits.circuittermination' and a_['object']['term_side'] == 'Z'
    assert one(f"circuits/circuits/{a_['object']['circuit']['id']}/")['provider']['name'] == 'Level 3'
    assert b_['object']['name'] == 'GigabitEthernet0/0/0' and b_['object']['device']['name'].endswith('-rtr01')
q(FIL, 'list the smf cables', 'bulk_discovery', 'dcim.cable', 3,
  f"Cable type Singlemode Fiber (smf): {len(r)} cables, each from a Level 3 MPLS circuit's Z end to a branch router's "
  f"GigabitEthernet0/0/0. The campus fiber cables have no type set and are not matches.",
  total=len(r), display=disp(r))

# ---- filter, beyond the usual models -------------------------------------------------------------------------------
pp = one('dcim/power-panels/?name=Panel%203')
feeds = get('dcim/power-feeds/')
r = [f for f in feeds if f['power_panel']['id'] == pp['id']]
same(f"dcim/power-feeds/?power_panel_id={pp['id']}", r)
assert pp['site']['name'] == 'MDF'
assert {(f['type']['value'], f['voltage'], f['amperage'], f['phase']['value']) for f in r} == {('primary', 220, 20, 'single-phase')}
assert sorted(f['rack']['name'] for f in r) == [f'R30{k}' for k in range(1, 9)]
assert sorted(f['rack']['name'] for f in feeds if f['power_panel']['name'] == 'Panel 4') == [f'R30{k}' for k in range(1, 9)]
q(FIL, 'what feeds come off power panel 3', 'bulk_discovery', 'dcim.powerfeed', 4,
  f"Power panel Panel 3 at MDF: {len(r)} primary feeds P3-1A to P3-8A (220 V, 20 A, single phase) to racks R301-R308. "
  f"Panel 4 feeds the same racks (redundant, P4-*) and is not a match.", total=len(r), display=disp(r))

rir = one('ipam/rirs/?name=RFC%201918')
aggs = get('ipam/aggregates/')
r = [a for a in aggs if a['rir']['id'] == rir['id']]
same(f"ipam/aggregates/?rir_id={rir['id']}", r)
assert [(a['prefix'], a['rir']['name']) for a in aggs if a not in r] == [('100.64.0.0/10', 'RFC 6598')]
q(FIL, 'aggregates allocated from rfc1918', 'bulk_discovery', 'ipam.aggregate', 4,
  f"RIR RFC 1918: {len(r)} of the {len(aggs)} aggregates; 100.64.0.0/10 belongs to RFC 6598 and is not a match.",
  total=len(r), display=disp(r))

s = site['DM-Scranton']
ca = get('tenancy/contact-assignments/')
mine = [a for a in ca if a['object_type'] == 'dcim.site' and a['object_id'] == s['id']]
same(f"tenancy/contact-assignments/?object_type=dcim.site&object_id={s['id']}", mine)
allc = get('tenancy/contacts/')
r = same(f"tenancy/contacts/?site_id={s['id']}", [c for c in allc if c['id'] in {a['contact']['id'] for a in mine}])
assert len(r) == len(allc)
q(FIL, "who are the contacts for dm-scranton", 'bulk_discovery', 'tenancy.contact', 4,
  'Contact assignments on site DM-Scranton: ' + '; '.join(
      f"{a['contact']['name']} ({a['role']['name']}, {a['priority']['label']})" for a in sorted(mine, key=lambda a: a['contact']['name']))
  + '. All three contacts in this NetBox are assigned there. A table of the 3 assignments naming the contacts is fine.',
  total=len(r), display=disp(r))

assert one('extras/tags/?slug=echo')['name'] == 'Echo'
r = [x for x in SITES if 'echo' in {t['slug'] for t in x['tags']}]
same('dcim/sites/?tag=echo', r)
q(FIL, 'sites tagged echo', 'bulk_discovery', 'dcim.site', 4,
  f"Tag Echo is on {len(r)} sites. Not to be confused with VRF Echo (65000:500), which has no site.",
  total=len(r), display=disp(r))

role = one('dcim/device-roles/?name=Core%20Switch')
cps = get('dcim/console-ports/')
core = {d['id'] for d in DEVICES if d['role']['id'] == role['id']}
r = [c for c in cps if c['device']['id'] in core]
same(f"dcim/console-ports/?device_role_id={role['id']}", r)
assert count('dcim/console-ports/?role=core-switch') == len(cps) > len(r)  # role= is ignored on components
assert {(c['name'], c['type']['value'], c['cable']) for c in r} == {('Console-RE0', 'rj-45', None), ('Console-RE1', 'rj-45', None)}
q(FIL, 'console ports on the core switches', 'bulk_discovery', 'dcim.consoleport', 4,
  f"Role Core Switch: ncsu-coreswitch1 and ncsu-coreswitch2, two RJ-45 console ports each (Console-RE0, Console-RE1), none "
  f"cabled. The rows must say which switch each port is on. The component filter is device_role (a role= filter is "
  f"silently ignored and gives all {len(cps)} console ports).",
  total=len(r), display=disp(r), answer_has=['ncsu-coreswitch1', 'ncsu-coreswitch2'])

# ==== attribute =======================================================================================================
d = dev['dmi01-pittsfield-sw01']
assert d['rack']['name'] == 'Comms closet' and d['site']['name'] == 'DM-Pittsfield'
assert count('dcim/racks/?name=Comms%20closet') == 13
q(ATT, "where's dmi01-pittsfeild-sw01 racked", 'device_lookup', 'dcim.device', 4,
  f"Typo in the name (pittsfeild): dmi01-pittsfield-sw01. Site DM-Pittsfield, rack {d['rack']['name']}, "
  f"U{int(d['position'])} ({d['face']['label']}). 13 racks are named Comms closet, so the site must be shown too.",
  total=1, display=[d['display']], answer_has=[d['rack']['name'], str(int(d['position']))])

d = dev['ncsu-coreswitch2']
q(ATT, 'ncsu-coreswitch2 model?', 'device_lookup', 'dcim.device', 3,
  f"Device type {d['device_type']['model']} by {d['device_type']['manufacturer']['name']} "
  f"({int(next(t for t in DTYPES if t['id'] == d['device_type']['id'])['u_height'])}U, in rack "
  f"{d['rack']['name']} at {d['site']['name']}). The role (Core Switch) is not the model.",
  total=1, display=[d['display']], answer_has=[d['device_type']['model']])

d = next(x for x in DEVICES if x['display'] == 'Lenovo Flex system (106)')
assert d['tenant'] is None and d['rack']['name'] == 'R201' and d['name'] is None
assert nm(one(f"dcim/racks/{d['rack']['id']}/")['tenant']) == 'NC State University'
assert {nm(x['tenant']) for x in DEVICES if x['site']['name'] == 'MDF' and x['id'] != d['id']} == {'NC State University'}
q(ATT, 'which tenant owns the Lenovo Flex system in R201', 'device_lookup', 'dcim.device', 4,
  "The device has no name (displayed 'Lenovo Flex system (106)') and no tenant: the answer must say it is not set. Every "
  "other device at MDF belongs to NC State University, and rack R201 does too; naming that tenant for the device is a "
  "guess and wrong (saying the rack's tenant is NC State is fine if labelled as the rack's).",
  total=1, display=[d['display']])

s = site['DM-Stamford']
assert s['time_zone'] is None and all(x['time_zone'] is None for x in SITES)
q(ATT, 'tz for dm-stamford?', 'device_lookup', 'dcim.site', 3,
  "Time zone is not set on DM-Stamford (on no site in this NetBox): the answer must say it is not set, not infer one "
  "from the region (Connecticut).", total=1, display=[s['display']])

rk = one('dcim/racks/?name=R201')
q(ATT, 'how tall is rack R201 and what role does it have', 'device_lookup', 'dcim.rack', 3,
  f"{rk['u_height']}U, role {rk['role']['name']}, site {rk['site']['name']} ({rk['location']['name']}), status {rk['status']['label']}.",
  total=1, display=[rk['display']], answer_has=[str(rk['u_height']), rk['role']['name']])

c = one('circuits/circuits/?cid=KSIR0381')
assert c['commit_rate'] is None
q(ATT, 'KSIR0381 - provider and commit rate?', 'device_lookup', 'circuits.circuit', 3,
  f"Provider {c['provider']['name']}, type {c['type']['name']}, Z end at {c['termination_z']['termination']['name']}. The commit rate is not set: the "
  f"answer must say it is not set (no value invented).",
  total=1, display=[c['display']], answer_has=[c['provider']['name']])

s = site['JBB Branch 104']
v = one(f"ipam/vlans/?site_id={s['id']}&name=Admin")
adm = [x for x in VLANS if x['name'] == 'Admin']
assert len(adm) == 6 and {x['vid'] for x in adm} == {204} and v['role'] is None and v['status']['value'] == 'active'
q(ATT, 'vid of the admin vlan at jbb branch 104', 'device_lookup', 'ipam.vlan', 4,
  f"VLAN Admin at JBB Branch 104 has VID {v['vid']}, in VLAN group {v['group']['name']}; no role, status Active. "
  f"Six Admin VLANs exist (one per JBB branch), all VID 204: the one at this site is the answer.",
  total=1, display=[v['display']], answer_has=[str(v['vid']), v['group']['name']])

p = one('ipam/prefixes/?prefix=172.20.1.0/24')
assert p['scope'] is None and p['vlan'] is None and count(f"ipam/ip-addresses/?parent=172.20.1.0/24&vrf_id={p['vrf']['id']}") == 0
q(ATT, 'what vrf + status is 172.20.1.0/24', 'device_lookup', 'ipam.prefix', 3,
  f"VRF {p['vrf']['name']} (RD {p['vrf']['rd']}), status {p['status']['label']}; no site, no VLAN; no IP addresses in it.",
  total=1, display=[p['display']], answer_has=[p['vrf']['name'], p['status']['label']])

a = one('ipam/ip-addresses/?address=172.17.0.12')
assert a['assigned_object'] is None and a['vrf']['name'] == 'Bravo' and a['status']['value'] == 'active'
assert all(x['assigned_object_id'] is None for x in IPS)
q(ATT, 'what is 172.17.0.12 assigned to', 'device_lookup', 'ipam.ipaddress', 3,
  "172.17.0.12/24 in VRF Bravo, Active, is not assigned to any interface (no IP in this NetBox is): the answer must say "
  "it is not set / unassigned, and name no device or VM.", total=1, display=[a['display']])

cl = one('virtualization/clusters/?name=DO-LON1')
n_lon = count(f"virtualization/virtual-machines/?cluster_id={cl['id']}")
assert cl['status']['value'] == 'active' and cl['scope'] is None
q(ATT, 'cluster type & group for do-lon1', 'device_lookup', 'virtualization.cluster', 3,
  f"Cluster DO-LON1: type {cl['type']['name']}, group {cl['group']['name']}, status Active, "
  f"{n_lon} VMs; no site scope.",
  total=1, display=[cl['display']], answer_has=[cl['type']['name'], cl['group']['name']])

# ==== count ===========================================================================================================
d = next(x for x in DEVICES if x['display'] == 'r108-torsw:1')
n = count(f"dcim/interfaces/?device_id={d['id']}"); assert n == len(itf_of[d['id']])
assert Counter(i['type']['value'] for i in itf_of[d['id']]) == {'10gbase-t': 48, '40gbase-x-qsfpp': 6, '1000base-t': 1}
assert (d['virtual_chassis']['name'], d['vc_position']) == ('r108-torsw', 1)
q(CNT, '# of interfaces on r108-torsw:1', 'performance_query', 'dcim.interface', 3,
  f"{n} interfaces: 48 x 10GBASE-T (xe-0/0/0-47), 6 x 40G QSFP+ (et-0/0/48-53) and vme. The device has no name of its "
  f"own (virtual chassis r108-torsw, position 1).", total=n)

per = Counter(x['site']['name'] for x in DEVICES)
for sname in ('MDF', 'DM-Utica', 'Butler Communications'):
    assert count(f"dcim/devices/?site_id={site[sname]['id']}") == per[sname]
zero = sorted(s_['name'] for s_ in SITES if s_['name'] not in per)
q(CNT, 'device count per site', 'performance_query', 'dcim.site', 3,
  f"Counts: {pairs(per)}; no devices: {', '.join(zero)}. Sites with none may be left out or shown with 0.",
  answer_has=['MDF', str(per['MDF']), 'Butler Communications', 'DM-Utica'])

per = Counter(p['status']['label'] for p in PREFIXES)
for val in ('active', 'container'):
    assert count(f'ipam/prefixes/?status={val}') == per[val.capitalize()]
q(CNT, 'prefixes by status, counts pls', 'performance_query', 'ipam.prefix', 4,
  f"Counts: {pairs(per)} ({len(PREFIXES)} prefixes). Statuses with none (Reserved, Deprecated) may be left out or "
  f"shown with 0.", answer_has=sorted(per) + [str(max(per.values()))])

grp = get('virtualization/cluster-groups/')
cl_grp = {c['id']: nm(c['group']) for c in CLUSTERS}
per = Counter(cl_grp[v['cluster']['id']] for v in VMS)
for g in grp:
    assert count(f"virtualization/virtual-machines/?cluster_group_id={g['id']}") == per.get(g['name'], 0)
zero = sorted(g['name'] for g in grp if g['name'] not in per)
assert zero == ['South America'] and all(c['virtualmachine_count'] == 0 for c in CLUSTERS
                                          if nm(c['group']) == 'South America' or c['type']['name'] == 'Google Cloud')
q(CNT, 'vm count per cluster group', 'performance_query', 'virtualization.clustergroup', 4,
  f"Counts: {pairs(per)}; {', '.join(zero)} 0 (its only cluster has no VMs). Groups with none may be left out or shown "
  f"with 0. The Google Cloud clusters hold no VMs, so they add nothing.",
  answer_has=sorted(per) + [str(max(per.values()))])

mdf = site['MDF']
mr = [x for x in RACKS if x['site']['id'] == mdf['id']]
per = Counter(nm(x['role']) or '(no role)' for x in mr)
for rr in get('dcim/rack-roles/'):
    assert count(f"dcim/racks/?site_id={mdf['id']}&role_id={rr['id']}") == per.get(rr['name'], 0)
assert count(f"dcim/racks/?site_id={mdf['id']}&role_id=null") == per['(no role)']
assert sorted((x['name'], x['status']['value']) for x in mr if x['role'] is None) == [(f'R30{k}', 'available') for k in range(5, 9)]
q(CNT, 'how many racks at MDF per role', 'performance_query', 'dcim.rackrole', 4,
  f"{len(mr)} racks at MDF. Counts: {pairs(per)} (the 4 without a role are R305-R308, status Available). The racks "
  f"without a role must be counted or mentioned, not dropped.",
  answer_has=sorted(k for k in per if k != '(no role)') + [str(max(per.values()))])

vrf = one('ipam/vrfs/?name=Delta')
n = count(f"ipam/ip-addresses/?vrf_id={vrf['id']}")
dl = [a for a in IPS if idof(a['vrf']) == vrf['id']]
assert n == len(dl) and sorted(a['address'] for a in dl) == sorted(f'172.19.0.{k}/24' for k in range(1, 31))
assert all(a['status']['value'] == 'active' and a['assigned_object_id'] is None for a in dl)
q(CNT, 'how many ip adresses in vrf delta', 'performance_query', 'ipam.ipaddress', 4,
  f"Typo (adresses). VRF Delta (65000:400): {n} addresses, 172.19.0.1-30/24, all Active, none assigned.", total=n)

r = [c for c in CIRCUITS if c['provider']['name'] == 'CenturyLink' and circuit_site_ids(c) & ny]
same('circuits/circuits/?provider=centurylink&region=us-ny', r)
assert {c['type']['name'] for c in CIRCUITS if c['provider']['name'] == 'CenturyLink'} == {'Internet Access'}
q(CNT, 'how many centurylink circuits do we have in NY', 'performance_query', 'circuits.circuit', 5,
  f"{len(r)} of CenturyLink's {len([c for c in CIRCUITS if c['provider']['name'] == 'CenturyLink'])} Internet Access "
  f"circuits end at a site in region New York (the seven NY Dunder-Mifflin branches).",
  total=len(r), display=disp(r))

per = Counter(x['device_type']['manufacturer']['name'] for x in DEVICES)
for m in get('dcim/manufacturers/'):
    assert count(f"dcim/devices/?manufacturer_id={m['id']}") == per.get(m['name'], 0)
q(CNT, 'devices by manufacturer', 'performance_query', 'dcim.manufacturer', 3,
  f"Counts: {pairs(per)} ({len(DEVICES)} devices). The other {count('dcim/manufacturers/') - len(per)} manufacturers have no devices and may be left out or "
  f"shown with 0.", answer_has=sorted(per) + [str(max(per.values()))])

per = Counter(c['type'] or '(no type)' for c in CABLES)
for t in ('cat5e', 'smf'):
    assert count(f'dcim/cables/?type={t}') == per[t]
assert {(c['a_terminations'][0]['object_type'], c['b_terminations'][0]['object_type']) for c in CABLES if not c['type']} == \
       {('dcim.powerport', 'dcim.poweroutlet'), ('circuits.circuittermination', 'dcim.rearport'), ('dcim.interface', 'dcim.frontport')}
q(CNT, 'cable count by tpye', 'performance_query', 'dcim.cable', 4,
  f"Typo (tpye). Counts: {pairs(per)} ({len(CABLES)} cables). The untyped ones are the power cords and the campus "
  f"fiber runs; they must be counted or mentioned. CAT5e = cat5e, Singlemode Fiber = smf.",
  answer_has=['cat5e', str(per['cat5e']), 'smf', str(per['smf']), str(per['(no type)'])])

us = region['United States']
states = [x for x in REGIONS if idof(x['parent']) == us['id']]
per = Counter()
for st in states:
    k = len(sites_in_region(st['name']))
    assert count(f"dcim/sites/?region_id={st['id']}") == k == st['site_count']
    if k: per[st['name']] = k
q(CNT, 'number of sites in each state', 'performance_query', 'dcim.region', 4,
  f"Counts: {pairs(per)}; the other {len(states) - len(per)} states have none (may be left out or shown with 0).",
  answer_has=['New York', str(per['New York']), 'North Carolina', str(per['North Carolina'])])

# ==== absence =========================================================================================================
used = {x['device_type']['id'] for x in DEVICES}
r = [t for t in DTYPES if t['id'] not in used]
assert all((t['device_count'] == 0) == (t['id'] not in used) for t in DTYPES)
for t in r: assert count(f"dcim/devices/?device_type_id={t['id']}") == 0
q(ABS, 'device types nobody uses', 'configuration_audit', 'dcim.devicetype', 3,
  f"{len(r)} of {len(DTYPES)} device types have no device: " + ', '.join(f"{t['manufacturer']['name']} {t['model']}" for t in sorted(r, key=lambda t: t['model']))
  + '.', total=len(r), display=disp(r))

r = [v for v in VRFS if not [a for a in IPS if idof(a['vrf']) == v['id']]]
for v in VRFS: assert (count(f"ipam/ip-addresses/?vrf_id={v['id']}") == 0) == (v in r)
assert [p['prefix'] for p in PREFIXES if idof(p['vrf']) == r[0]['id']] == ['192.168.0.0/20']
assert all(v['ipaddress_count'] == 30 for v in VRFS if v not in r)
assert all(a['vrf'] is None for a in IPS if a['address'].startswith('192.168.'))
q(ABS, 'vrfs w/o any ip addresses', 'configuration_audit', 'ipam.vrf', 3,
  "Only VRF Shared (65000:1) has no IP address (it holds one prefix, 192.168.0.0/20, but no addresses); Alpha-Echo have "
  "30 each. The 30 addresses in 192.168.0.0/22 are in the global table, not in Shared.",
  total=len(r), display=disp(r))

r = [c for c in CLUSTERS if not [v for v in VMS if v['cluster']['id'] == c['id']]]
assert all(c['virtualmachine_count'] == 0 for c in r)
assert {c['type']['name'] for c in r} == {'Google Cloud'} and all(c['name'].startswith('gc-') for c in r)
assert all(c['virtualmachine_count'] == 20 for c in CLUSTERS if c['type']['name'] == 'DigitalOcean')
q(ABS, 'clustres without any VMs', 'configuration_audit', 'virtualization.cluster', 3,
  f"Typo (clustres). {len(r)} of {len(CLUSTERS)} clusters: every Google Cloud cluster (gc-*); each DigitalOcean "
  f"cluster holds 20 VMs.", total=len(r), display=disp(r))

r = [p for p in PROVIDERS if not [c for c in CIRCUITS if c['provider']['id'] == p['id']]]
for p in PROVIDERS: assert (count(f"circuits/circuits/?provider_id={p['id']}") == 0) == (p in r)
assert sorted(p['name'] for p in PROVIDERS if p not in r) == ['CenturyLink', 'Level 3', 'NCSU Facilities']
q(ABS, 'providers we have no circuits with', 'configuration_audit', 'circuits.provider', 3,
  f"{len(r)} of {len(PROVIDERS)} providers; only CenturyLink, Level 3 and NCSU Facilities have circuits.",
  total=len(r), display=disp(r))

direct = {idof(s_['region']) for s_ in SITES}
cum = [x for x in REGIONS if not sites_in_region(x['name'])]
dr = [x for x in REGIONS if x['id'] not in direct]
assert all((x['site_count'] == 0) == (x in cum) for x in REGIONS)
assert {x['name'] for x in dr} - {x['name'] for x in cum} == {'North America', 'United States'}
q(ABS, 'regions with no sites', 'configuration_audit', 'dcim.region', 3,
  f"{len(cum)} of {len(REGIONS)} regions have no site in them or below them (NetBox's site_count): continents other "
  f"than North America, their countries, Canada, Mexico and the {len([x for x in states if x in cum])} US states without a site. Reading "
  f"'no site assigned directly' adds North America and United States ({len(dr)}); both readings are accepted. Listing "
  f"New York, North Carolina or any state with a site is wrong.",
  contains=['Africa', 'Alaska', 'Canada', 'Texas', 'United Kingdon'])

r = [s_ for s_ in SITES if not [x for x in RACKS if x['site']['id'] == s_['id']]]
for s_ in SITES: assert (count(f"dcim/racks/?site_id={s_['id']}") == 0) == (s_ in r)
assert sorted(x['name'] for x in r) == ['DM-NYC'] + sorted(x['name'] for x in SITES if x['name'].startswith('JBB'))
q(ABS, 'sites w/ no racks', 'configuration_audit', 'dcim.site', 3,
  f"{len(r)} of {len(SITES)} sites: DM-NYC (headquarters) and the six JBB branches. Every other site has a rack.",
  total=len(r), display=disp(r))

# ==== pattern =========================================================================================================
d = dev['ncsu-coreswitch2']
i = next(x for x in itf_of[d['id']] if x['name'] == 'xe-0/0/4')
tr = get(f"dcim/interfaces/{i['id']}/trace/")
far = tr[-1][2][0]
assert far['device']['name'] == 'ncsu128-distswitch1' and far['name'] == 'xe-0/0/2'
cids = [x['circuit']['cid'] for seg in tr for x in seg[2] or [] if 'circuit' in x]
pps = [x['device']['name'] for seg in tr for x in seg[2] or [] if x.get('device', {}).get('name', '').startswith('PP:')]
assert len(tr) == 4 and tr[0][2][0]['device']['name'] == 'PP:B128' and tr[0][2][0]['name'] == 'Port 3'
assert tr[2][2][0]['device']['name'] == 'PP:MDF' and one(f"dcim/devices/{tr[2][2][0]['device']['id']}/")['site']['name'] == 'Butler Communications'
q(PAT, 'trace ncsu-coreswitch2 xe-0/0/4 end to end', 'relationship_analysis', 'dcim.interface', 4,
  f"{len(tr)} cables: xe-0/0/4 -> {pps[0]} Port 3 -> (rear splice) circuit {cids[0]} A..Z -> PP:MDF at Butler "
  f"Communications -> {far['device']['name']} {far['name']}. The far end and the circuit in between must be shown.",
  answer_has=[far['device']['name'], far['name'], cids[0], pps[0]])

c = one('dcim/cables/?id=76')
a_, b_ = c['a_terminations'][0]['object'], c['b_terminations'][0]['object']
assert (a_['device']['name'], a_['name'], b_['device']['name'], b_['name']) == \
       ('dmi01-rochster-sw01', 'Power Port', 'dmi01-rochester-pdu01', 'Outlet 2')
assert c['type'] == '' or c['type'] is None
assert c['color'] == '000000' and c['status']['value'] == 'connected'
q(PAT, 'what does cable 76 connect', 'relationship_analysis', 'dcim.cable', 3,
  "A power cord (no type, black, Connected): A side dmi01-rochster-sw01 (the switch's name is misspelled in NetBox) "
  "port 'Power Port'; B side dmi01-rochester-pdu01 'Outlet 2'. Both devices and both port names must be shown.",
  total=1, display=[c['display']], answer_has=['dmi01-rochster-sw01', 'Power Port', 'dmi01-rochester-pdu01', 'Outlet 2'])

p = one('ipam/prefixes/?prefix=172.20.0.0/24')
av = get(f"ipam/prefixes/{p['id']}/available-ips/?limit=1000")  # bare list
used_ = [a for a in IPS if idof(a['vrf']) == p['vrf']['id'] and ipaddress.ip_interface(a['address']) in ipaddress.ip_network(p['prefix'])]
assert len(av) == 254 - len(used_) and av[0]['address'] == '172.20.0.31/24'
q(PAT, 'next free ip in 172.20.0.0/24 pls', 'performance_query', 'ipam.prefix', 3,
  f"VRF Echo. {len(used_)} addresses used (172.20.0.1-30), {len(av)} free; the first free one is {av[0]['address']}. "
  f"Offering .1 (taken) is wrong.",
  total=1, display=[p['display']], answer_has=[av[0]['address'].split('/')[0]])

rk = one('dcim/racks/?name=IDF128')
el = get(f"dcim/racks/{rk['id']}/elevation/?face=front")
occ = sorted({int(u['id']) for u in el if u['occupied']})
res = get(f"dcim/rack-reservations/?rack_id={rk['id']}")
resu = sorted({u for x in res for u in x['units']})
indev = [x for x in DEVICES if idof(x['rack']) == rk['id']]
assert len(occ) == sum(next(t for t in DTYPES if t['id'] == x['device_type']['id'])['u_height'] for x in indev)
q(PAT, 'how much room is left in IDF128?', 'performance_query', 'dcim.rack', 5,
  f"Rack IDF128 at Butler Communications, {rk['u_height']}U: {len(occ)} U occupied (units {occ}: "
  f"{', '.join(sorted(x['display'] + ' U' + str(int(x['position'])) for x in indev))}) = "
  f"{100 * len(occ) / rk['u_height']:.1f}%, {rk['u_height'] - len(occ)} U free. Units {resu[0]}-{resu[-1]} are reserved "
  f"('{res[0]['description']}'): free and unreserved {rk['u_height'] - len(occ) - len(resu)} U. Any of percent, used or "
  f"free units is fine; the reservation is worth saying.",
  total=1, display=[rk['display']])

s = site['JBB Branch 133']
r = same(f"ipam/vlans/?site_id={s['id']}", [v for v in VLANS if idof(v['site']) == s['id']])
vids = {v['id'] for v in r}
on = [i for i in ITF if idof(i['untagged_vlan']) in vids or {t['id'] for t in i['tagged_vlans']} & vids]
assert not on and all(count(f"dcim/interfaces/?vlan_id={v['id']}") == 0 for v in r)
q(PAT, 'jbb branch 133 vlans + the interfaces on them', 'relationship_analysis', 'ipam.vlan', 4,
  f"{len(r)} VLANs at JBB Branch 133 (group JBB133: Data 201, Voice 202, Wireless 203, Admin 204). No interface carries "
  f"any of them (the site has no devices at all): each VLAN must be shown with no interfaces, not 'VLAN not found'.",
  total=len(r), display=disp(r))

s = site['DM-Utica']
summ = {
    'racks': count(f"dcim/racks/?site_id={s['id']}"), 'devices': count(f"dcim/devices/?site_id={s['id']}"),
    'VLANs': count(f"ipam/vlans/?site_id={s['id']}"), 'prefixes': count(f"ipam/prefixes/?site_id={s['id']}"),
    'circuits': count(f"circuits/circuits/?site_id={s['id']}")}
assert summ['devices'] == len([x for x in DEVICES if x['site']['id'] == s['id']])
assert summ['circuits'] == len([c for c in CIRCUITS if s['id'] in circuit_site_ids(c)])
u_rk = sorted(x['name'] for x in RACKS if x['site']['id'] == s['id'])
u_dev = sorted(x['display'] for x in DEVICES if x['site']['id'] == s['id'])
u_vl = sorted(x['display'] for x in VLANS if idof(x['site']) == s['id'])
u_pf = sorted(f"{p['prefix']} ({p['status']['label']})" for p in PREFIXES if p['scope_type'] == 'dcim.site' and p['scope_id'] == s['id'])
u_ci = sorted(f"{c['provider']['name']} {c['cid']}" for c in CIRCUITS if s['id'] in circuit_site_ids(c))
q(PAT, 'give me the rundown on dm-utica', 'performance_query', 'dcim.site', 8,
  f"Site summary. DM-Utica: region {s['region']['name']}, group {s['group']['name']}, tenant {s['tenant']['name']}, "
  f"{s['status']['label']}. " + ', '.join(f"{k} {v}" for k, v in summ.items())
  + f" (racks: {', '.join(u_rk)}; devices: {', '.join(u_dev)}; VLANs: {', '.join(u_vl)}; prefixes: {', '.join(u_pf)}; "
    f"circuits: {', '.join(u_ci)}). Most of these must be given, at least as counts.",
  total=1, display=[s['display']])

p = one('ipam/prefixes/?prefix=172.17.0.0/24')
r = same(f"ipam/ip-addresses/?parent=172.17.0.0/24&vrf_id={p['vrf']['id']}",
         [a for a in IPS if idof(a['vrf']) == p['vrf']['id'] and ipaddress.ip_interface(a['address']) in ipaddress.ip_network('172.17.0.0/24')])
assert all(a['assigned_object'] is None for a in r)
q(PAT, 'ips in 172.17.0.0/24 and the devices using them', 'relationship_analysis', 'ipam.ipaddress', 4,
  f"VRF Bravo: {len(r)} addresses (172.17.0.1-30/24), none assigned to an interface, so no device or VM uses them. An "
  f"address table showing them unassigned, or a 'no devices' answer that says the 30 exist, is right; any device "
  f"claimed is wrong.", total=len(r), contains=['172.17.0.1/24', '172.17.0.30/24'])

d = dev['dmi01-utica-rtr01']
i = next(x for x in itf_of[d['id']] if x['name'] == 'GigabitEthernet0/0/1')
tr = get(f"dcim/interfaces/{i['id']}/trace/")
far = tr[-1][2][0]
cc = far['circuit']['cid']
cobj = one(f"circuits/circuits/?cid={cc}"); prov = cobj['provider']['name']
cab = next(c for c in CABLES if c['id'] == tr[0][1]['id'])
assert len(tr) == 1 and cab['type'] == 'cat5e' and cobj['termination_a'] is None and cobj['type']['name'] == 'Internet Access'
q(PAT, 'trace dmi01-utica-rtr01 gi0/0/1', 'relationship_analysis', 'dcim.interface', 4,
  f"gi0/0/1 = GigabitEthernet0/0/1. One cable (#{cab['id']}, {cab['type']}) to the {far['term_side']} end of circuit {cc} "
  f"({prov}, Internet Access); the circuit has no A end, so the path stops there.",
  answer_has=[cc, prov])

d = dev['dmi01-yonkers-pdu01']
outs = get('dcim/power-outlets/')
r = [o for o in outs if o['device']['id'] == d['id'] and o['cable']]
same(f"dcim/power-outlets/?device_id={d['id']}&cabled=true", r)
assert sorted(o['name'] for o in outs if o['device']['id'] == d['id'] and not o['cable']) == [f'Outlet {k}' for k in range(3, 9)]
peers = sorted(f"{o['name']} -> {o['link_peers'][0]['device']['name']} {o['link_peers'][0]['name']}" for o in r)
q(PAT, 'which outlets on dmi01-yonkers-pdu01 are in use and by what', 'relationship_analysis', 'dcim.poweroutlet', 4,
  f"{len(r)} of the PDU's {len([o for o in outs if o['device']['id'] == d['id']])} outlets are cabled: "
  f"{'; '.join(peers)}. Outlets 3-8 are free (listing them marked free is fine). Each outlet in use must show what it feeds.",
  total=len(r), display=disp(r), answer_has=sorted({o['link_peers'][0]['device']['name'] for o in r}))

# ==== messy ===========================================================================================================
assert count('dcim/devices/?name=dmi01-hartford-rtr01') == 0 and count('dcim/devices/?q=hartford') == 0
assert not [s_ for s_ in SITES if 'hartford' in s_['name'].lower()]
assert [site_by_id[x]['name'] for x in sites_in_region('Connecticut')] == ['DM-Stamford']
q(MSY, 'dmi01-hartford-rtr01 details pls', 'device_lookup', 'dcim.device', 4,
  "No such device, and no Hartford site (Connecticut's only site is DM-Stamford): a clear 'not found'. Resolving it to "
  "another dmi01-*-rtr01 is wrong.", status='not_found', total=0)

assert count('dcim/sites/?q=boston') == 0 and count('dcim/regions/?q=boston') == 0
assert [site_by_id[x]['name'] for x in sites_in_region('Massachusetts')] == ['DM-Pittsfield'] and len(RACKS) == 42
q(MSY, 'racks at dm-boston', 'bulk_discovery', 'dcim.rack', 4,
  "No site DM-Boston (Massachusetts has only DM-Pittsfield): say the site is not found. Listing racks of another site, "
  "or all 42 racks, is wrong.", status='not_found', total=0)

r = same('dcim/devices/?name__isw=ncsu-coresw', [x for x in DEVICES if (x['name'] or '').startswith('ncsu-coresw')])
assert all(x['status']['value'] == 'active' for x in r)
q(MSY, 'ncsu-coresw status?', 'device_lookup', 'dcim.device', 3,
  f"Partial name: {len(r)} devices match ({', '.join(disp(r))}), both Active. Asking which one, or showing both with "
  f"their status, is right; picking one is wrong.", status='needs_choice', total=len(r), display=disp(r))

r = same('ipam/vlans/?vid=201', [v for v in VLANS if v['vid'] == 201])
assert {v['name'] for v in r} == {'Data'} and len({v['site']['id'] for v in r}) == len(r)
q(MSY, 'vlan 201 details', 'device_lookup', 'ipam.vlan', 3,
  f"Ambiguous: {len(r)} VLANs have VID 201 (all 'Data', one per JBB branch: "
  f"{', '.join(sorted(v['site']['name'] for v in r))}). Asking which site, or listing all {len(r)} with their sites, is "
  f"right; picking one is wrong.", status='needs_choice', total=len(r), display=disp(r))

s = site['DM-Pittsfield']
r = same(f"dcim/devices/?site_id={s['id']}", [x for x in DEVICES if x['site']['id'] == s['id']])
assert count('extras/tags/?q=purple') == 0 and count('dcim/device-roles/?q=purple') == 0 and count('dcim/devices/?q=purple') == 0
q(MSY, 'purple devices at DM-Pittsfield', 'bulk_discovery', 'dcim.device', 4,
  f"'purple' means nothing for a device here (no device colour; no tag or role of that name): the answer must say "
  f"the word was not understood, and may list the site's {len(r)} devices (status partial). Silently dropping the word "
  f"or claiming matches by colour is wrong.", status='partial', total=len(r), display=disp(r))

assert count('dcim/devices/?name=dmi01-utica-pdu01') == 1
q(MSY, 'delete dmi01-utica-pdu01', None, None, 1,
  "A change request: the tool is read-only and must refuse (status error, or a clear refusal), make no write request "
  "to NetBox, and not claim the device was deleted. The device exists, so 'not found' is wrong.", status='error')

q(MSY, 'hi', None, None, 0,
  "No question: a short help/usage reply (what can be asked) or an error saying there is nothing to look up; no "
  "NetBox table and no invented data. It should cost no NetBox request.", status='error')

s = site['DM-Rochester']
r = same(f"dcim/devices/?site_id={s['id']}&role=router",
         [x for x in DEVICES if x['site']['id'] == s['id'] and x['role']['name'] == 'Router'])
assert dev['dmi01-rochster-sw01']['role']['name'] == 'Access Switch' and dev['dmi01-rochster-sw01']['site']['id'] == s['id']
q(MSY, 'sho me rtrs @ dm-rochster', 'bulk_discovery', 'dcim.device', 5,
  "SMS-speak and a typo (rochster) for site DM-Rochester; rtrs = role Router. The site's switch is itself named "
  "dmi01-rochster-sw01 (misspelled in NetBox) but is an Access Switch, not a match.",
  total=len(r), display=disp(r))

# ---- output -----------------------------------------------------------------------------------------------------
assert len(Q) == 60, len(Q)
assert len({x['question'].lower() for x in Q}) == len(Q)
import yaml
sys.stdout.write('# Held-out NetBox questions: computed from the REST API of the NetBox 4.7.3 demo by make_heldout.py\n')
sys.stdout.write(yaml.safe_dump(Q, sort_keys=False, width=120, allow_unicode=False, default_flow_style=False))
print(f"{len(Q)} questions: {dict(Counter(x['capability'] for x in Q))}; {CALLS} GET requests", file=sys.stderr)
