"""corpus.yaml / corpus-fixture.yaml: an independent acceptance corpus, computed from a live NetBox.

    python3 tests/data/make_corpus.py http://127.0.0.1:8000 > tests/data/corpus.yaml
    python3 tests/data/make_corpus.py --fixture http://127.0.0.1:8001 > tests/data/corpus-fixture.yaml

(token: NETBOX_TOKEN, else the demo's read-only one). Written without reading the classifier: the questions are
typed the way network engineers type them, about objects that dev.yaml and dev2.yaml do not use.

Every expected value is read from NetBox's REST API by a query written here by hand, never from running netbox-tui
and never typed in. Where a server-side filter is used, the same result is also computed client-side from the
unfiltered object lists and the script stops if the two differ: NetBox silently ignores unknown filter names and
returns the whole table, so a filter that "works" may be doing nothing. A server filter whose result is the whole
table proves nothing by itself, so `same()` then insists on a contrast query that must give something else.
The script stops with an AssertionError as soon as the data no longer looks the way a question assumes.

Format as ../../../shared/queries/dev2.yaml (question, capability, expect: intent, object_type, status, total,
display / contains, answer_has, max_api_calls_cold; note). Two additions:
- `status: partial_or_ask`: the question holds a word no NetBox concept covers ("purple"). The tool must not claim
  an exact answer: it asks, or answers for the part it understood and says what it ignored (status partial).
- "word matters" questions: the note ends with `[word matters] dropping '<word>' gives <n> ...`, the count a tool
  that silently drops that word would show.
max_api_calls_cold is generous: what a sensible client needs with an empty cache, name look-ups included.

corpus.yaml is for the plain demo NetBox only: the fixture NetBox changes devices it asks about (DM-Stamford,
DM-Utica, ncsu-coreswitch2...), and the script stops if pointed at the wrong one. MAKE_CORPUS_CACHE=<dir> caches GET
answers on disk while developing; never use it for a real run.
"""
import ipaddress, json, os, sys, urllib.error, urllib.request
from collections import Counter

ARGS = [a for a in sys.argv[1:] if not a.startswith('--')]
FIXTURE = '--fixture' in sys.argv[1:]
BASE = (ARGS[0] if ARGS else ('http://127.0.0.1:8001' if FIXTURE else 'http://127.0.0.1:8000')).rstrip('/')
TOKEN = os.environ.get('NETBOX_TOKEN', '0123456789abcdef0123456789abcdef01234567')
CALLS = Counter()


_CACHE = os.environ.get('MAKE_CORPUS_CACHE')  # development only: a directory to cache GET answers in


def _get(url):
    CALLS['requests'] += 1
    if _CACHE:
        import hashlib
        f = os.path.join(_CACHE, hashlib.sha1(url.encode()).hexdigest())
        if os.path.exists(f): return json.load(open(f))
    req = urllib.request.Request(url, headers={'Authorization': f'Token {TOKEN}', 'Accept': 'application/json'})
    for attempt in range(4):  # a NetBox restarting under us: retry the connection, never a 4xx
        try:
            d = json.load(urllib.request.urlopen(req, timeout=180)); break
        except (ConnectionError, urllib.error.URLError) as e:
            if isinstance(e, urllib.error.HTTPError) or attempt == 3: raise
            import time; time.sleep(15)
    if _CACHE: json.dump(d, open(f, 'w'))
    return d


def get(path):
    """All objects of a list endpoint (every page), a bare list (trace, available-ips), or one object as a 1-list."""
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


def status_of(path):
    """HTTP status of a GET (to check that NetBox rejects a filter value rather than ignoring it)."""
    try:
        _get(f'{BASE}/api/{path}'); return 200
    except urllib.error.HTTPError as e:
        return e.code


def one(path):
    r = get(path); assert len(r) == 1, (path, len(r)); return r[0]


def ids(rows): return sorted(r['id'] for r in rows)
def disp(rows): return sorted({r['display'] for r in rows})
def nm(x): return (x or {}).get('name')
def idof(x): return (x or {}).get('id')


def same(path, rows, contrast=None):
    """The server filter in `path` must give exactly the client-side result `rows`. When that result is the whole
    table, a server that ignored the filter would pass too: then `contrast` (path2, rows2) must be given, be checked
    the same way and differ, which proves the filter is applied."""
    got = get(path)
    assert ids(got) == ids(rows), ('server and client disagree', path, len(got), len(rows))
    whole = count(path.split('?')[0])
    if len(rows) == whole and '?' in path:
        assert contrast, ('filter result is the whole table; add a contrast query', path)
    if contrast:
        cpath, crows = contrast
        assert ids(get(cpath)) == ids(crows), ('contrast: server and client disagree', cpath)
        assert ids(crows) != ids(rows), ('contrast does not differ', path, cpath)
    return rows


def ignored(path, whole):
    """Document a trap: this filter is silently ignored (the whole table comes back)."""
    assert count(path) == whole, ('expected NetBox to ignore this filter', path)


Q = []


def q(cap, question, intent, object_type, max_calls, note, status=None, dropped=None, without=None, **e):
    x = {'intent': intent}
    if object_type: x['object_type'] = object_type
    if status: x['status'] = status
    for k in ('total', 'display', 'contains', 'answer_has'):
        if k in e: x[k] = sorted(e.pop(k), key=str) if k in ('display', 'contains') else e.pop(k)
    assert not e, e
    x['max_api_calls_cold'] = max_calls
    if dropped:
        word, n, what = dropped
        assert n != x.get('total'), (question, 'dropping the word must change the answer')
        note = f"{note} [word matters] dropping '{word}' gives {n} {what}."
    if without:
        word, n, what = without
        assert n != x.get('total'), question
        note = f"{note} (Without '{word}' one would get {n} {what}.)"
    for s in x.get('answer_has', []):  # the checker searches the whole JSON output, which echoes the question
        assert s.lower() not in question.lower(), (question, s)
        assert s.isascii() and '"' not in s and '\\' not in s, s  # JSON-escaped characters would never match
    if 'display' in x: assert len(x['display']) <= 25 and x.get('total', 0) >= len(x['display']), question
    if 'contains' in x and 'total' in x: assert x['total'] >= len(x['contains']), question
    assert question not in {y['question'] for y in Q}, question
    Q.append({'question': question, 'capability': cap, 'expect': x, 'note': note})


def pairs(d):
    """'A 3, B 2' sorted by count then name."""
    return ', '.join(f'{k} {v}' for k, v in sorted(d.items(), key=lambda kv: (-kv[1], str(kv[0]))))


# ---- the whole inventory, once (it is small) -------------------------------------------------------------------
SITES = get('dcim/sites/'); REGIONS = get('dcim/regions/'); LOCATIONS = get('dcim/locations/')
RACKS = get('dcim/racks/'); RROLES = get('dcim/rack-roles/'); RESV = get('dcim/rack-reservations/')
DEVICES = get('dcim/devices/?omit=config_context'); DROLES = get('dcim/device-roles/')
DTYPES = {t['id']: t for t in get('dcim/device-types/')}; MANUF = get('dcim/manufacturers/'); PLATFORMS = get('dcim/platforms/')
ITF = get('dcim/interfaces/?fields=id,display,name,device,type,enabled,mgmt_only,description,mode,cable,lag,'
          'mark_connected,untagged_vlan,tagged_vlans,link_peers,link_peers_type,connected_endpoints,count_ipaddresses,'
          'mac_address,mtu,speed,label,vrf,connected_endpoints_type')
CABLES = get('dcim/cables/'); FRONT = get('dcim/front-ports/?fields=id,display,name,device,cable,link_peers')
PFEEDS = get('dcim/power-feeds/'); PPANELS = get('dcim/power-panels/')
VLANS = get('ipam/vlans/'); VGROUPS = get('ipam/vlan-groups/'); PREFIXES = get('ipam/prefixes/')
IPS = get('ipam/ip-addresses/'); RANGES = get('ipam/ip-ranges/'); VRFS = get('ipam/vrfs/'); ASNS = get('ipam/asns/')
CIRCUITS = get('circuits/circuits/'); PROVIDERS = get('circuits/providers/'); CTYPES = get('circuits/circuit-types/')
VMS = get('virtualization/virtual-machines/?omit=config_context'); CLUSTERS = get('virtualization/clusters/')
CGROUPS = get('virtualization/cluster-groups/'); TENANTS = get('tenancy/tenants/')

site = {s['name']: s for s in SITES}
dev = {d['name'] or d['display']: d for d in DEVICES}  # unnamed VC members display 'vc:pos'; PP:MDF is ambiguous
# a device with an asset tag displays as 'name (asset tag)', one with neither name nor tag as 'Model (id)'
itf_of = {}
for i in ITF: itf_of.setdefault(i['device']['id'], []).append(i)
def itf(device, name): return next(i for i in itf_of[dev[device]['id']] if i['name'] == name)
def sid(x): return idof(x.get('site'))
def in_region(s, region_name):
    """A site is in a region if the region is its region or an ancestor of it."""
    rid = idof(s['region']); by_id = {r['id']: r for r in REGIONS}
    while rid:
        if by_id[rid]['name'] == region_name: return True
        rid = idof(by_id[rid]['parent'])
    return False
def region(name): return next(r for r in REGIONS if r['name'] == name)
def sites_in(name): return {s['id'] for s in SITES if in_region(s, name)}
def devs_at(site_name): return [d for d in DEVICES if d['site']['id'] == site[site_name]['id']]
def pfx(p): return one(f'ipam/prefixes/?prefix={p}')
def pscope(p): return p['scope_id'] if p['scope_type'] == 'dcim.site' else None
def inside(a, p): return ipaddress.ip_interface(a['address']).ip in ipaddress.ip_network(p['prefix'])
def ips_in(p):
    """Child IP addresses of a prefix as NetBox counts them: same VRF (a global container would take every VRF)."""
    assert not (p['vrf'] is None and p['status']['value'] == 'container') or not [a for a in IPS if a['vrf'] and inside(a, p)]
    return [a for a in IPS if idof(a['vrf']) == idof(p['vrf']) and inside(a, p)]
def ends(cable):
    out = []
    for t in cable['a_terminations'] + cable['b_terminations']:
        o = t['object']
        owner = (o.get('device') or {}).get('name') or (o.get('circuit') or {}).get('cid') or o.get('name')
        out.append((t['object_type'], owner, o.get('name') or o.get('term_side')))
    return out
def used_units(rack):
    u = set()
    for x in DEVICES:
        if idof(x['rack']) == rack['id'] and x['position'] is not None:
            t = DTYPES[x['device_type']['id']]; assert not t['exclude_from_utilization']
            assert float(x['position']).is_integer() and float(t['u_height']).is_integer()
            u |= {int(x['position']) + k for k in range(int(t['u_height']))}
    return u
def fmt_units(units):
    """[1,2,3,7] -> 'U1-U3, U7'"""
    out, run = [], []
    for n in sorted(units) + [None]:
        if run and (n is None or n != run[-1] + 1):
            out.append(f'U{run[0]}' if len(run) == 1 else f'U{run[0]}-U{run[-1]}'); run = []
        if n is not None: run.append(n)
    return ', '.join(out)


ATTR, FIL, CNT, ABS, PAT, MSY = 'attribute', 'filter', 'count', 'absence', 'pattern', 'messy'


def base_corpus():
    # =============================================================================================================
    # 1. attribute: one object's field. A one-row table of the object asked about (object_type, total 1, display)
    #    and the value in `answer_has`; "not set" where NetBox has nothing (never a guess, never a neighbour's value).
    # =============================================================================================================
    d = dev['dmi01-stamford-rtr01']; assert d['platform']
    q(ATTR, 'wats the platfrom on dmi01-stamford-rtr01', 'device_lookup', 'dcim.device', 4,
      f"Typos (wats, platfrom). Platform {d['platform']['name']}.",
      total=1, display=[d['display']], answer_has=[d['platform']['name']])

    d = dev['dmi01-utica-sw01']; assert not d['serial']
    q(ATTR, 'serial # of dmi01-utica-sw01?', 'device_lookup', 'dcim.device', 3,
      'No serial number is recorded (empty). The answer must say it is not set; inventing one, or showing another '
      "device's, is wrong.", total=1, display=[d['display']])

    d = dev['dmi01-pittsfield-pdu01']; assert d['asset_tag'] is None
    q(ATTR, 'asset tag for dmi01-pittsfield-pdu01 please', 'device_lookup', 'dcim.device', 3,
      'No asset tag (null in NetBox). The answer must say it is not set.', total=1, display=[d['display']])

    d = dev['ncsu-coreswitch2']; pos = int(d['position'])
    q(ATTR, 'which rack + U is ncsu-coreswitch2 in', 'device_lookup', 'dcim.device', 3,
      f"Rack {d['rack']['name']} (location {d['location']['name']}, site {d['site']['name']}), position U{pos}, "
      f"{d['face']['label']} face; the device is {int(DTYPES[d['device_type']['id']]['u_height'])}U tall. Its twin "
      f"ncsu-coreswitch1 is in another rack: naming that one is wrong.",
      total=1, display=[d['display']], answer_has=[d['rack']['name']])

    d = dev['ncsu117-distswitch1']; assert d['location'] is None and not [l for l in LOCATIONS if l['site']['id'] == d['site']['id']]
    q(ATTR, 'ncsu117-distswitch1 location?', 'device_lookup', 'dcim.device', 3,
      f"Site {d['site']['name']}, rack {d['rack']['name']}, U{int(d['position'])}. No NetBox location (the site has "
      f"none).", total=1, display=[d['display']], answer_has=[d['site']['name'], d['rack']['name']])

    d = dev['PP:B128']
    q(ATTR, 'what site is PP:B128 at', 'device_lookup', 'dcim.device', 3,
      f"Site {d['site']['name']} (rack {d['rack']['name']}). B128 is the far building (Butler Communications, slug "
      f"{site['Butler Communications']['slug']}); the panel itself is at MDF.",
      total=1, display=[d['display']], answer_has=[d['site']['name']])

    d = dev['dmi01-scranton-pdu01']; assert d['tenant']
    q(ATTR, 'who owns dmi01-scranton-pdu01', 'device_lookup', 'dcim.device', 3,
      f"Owner = tenant: {d['tenant']['name']}.", total=1, display=[d['display']], answer_has=[d['tenant']['name']])

    d = dev['ncsu-coreswitch2']; assert not d['primary_ip'] and not d['oob_ip']
    q(ATTR, 'primary ip of ncsu-coreswitch2?', 'device_lookup', 'dcim.device', 3,
      'No primary IP (and no OOB IP) is set. The answer must say so; an address from another object is wrong.',
      total=1, display=[d['display']])

    d = dev['r107-torsw:2']; dt = d['device_type']; assert d['name'] is None
    q(ATTR, 'what model is r107-torsw:2', 'device_lookup', 'dcim.device', 5,
      f"The device has no name: NetBox displays it as virtual chassis {d['virtual_chassis']['name']} member "
      f"{d['vc_position']}. Model {dt['model']} by {dt['manufacturer']['name']}. Looking up name=r107-torsw:2 finds "
      f"nothing (the name is null): the tool has to go through the virtual chassis or the display.",
      total=1, display=[d['display']], answer_has=[dt['model']])

    d = dev['dmi01-utica-pdu01']; dt = d['device_type']
    q(ATTR, 'vendor of dmi01-utica-pdu01', 'device_lookup', 'dcim.device', 3,
      f"Manufacturer {dt['manufacturer']['name']} (model {dt['model']}). The vendor is the device type's manufacturer; "
      f"the device has no platform.", total=1, display=[d['display']], answer_has=[dt['manufacturer']['name']])

    d = dev['dmi01-rochester-rtr01']
    q(ATTR, 'status of dmi01-rochester-rtr01', 'device_lookup', 'dcim.device', 3,
      f"Status {d['status']['label']}.", total=1, display=[d['display']], answer_has=[d['status']['label']])

    d = dev['PP:B117']
    q(ATTR, 'role of PP:B117', 'device_lookup', 'dcim.device', 3,
      f"Device role {d['role']['name']} ({d['device_type']['model']}).", total=1, display=[d['display']],
      answer_has=[d['role']['name']])

    p = pfx('10.112.153.0/24'); assert p['vlan']
    q(ATTR, 'which vlan is 10.112.153.0/24 in', 'device_lookup', 'ipam.prefix', 3,
      f"VLAN {p['vlan']['display']} at {p['scope']['name']} (NetBox VLAN id {p['vlan']['id']}; "
      f"{count('ipam/vlans/?vid=' + str(p['vlan']['vid']))} VLANs share the VID).",
      total=1, display=[p['display']], answer_has=[p['vlan']['name']])

    p = pfx('172.17.2.0/24'); assert p['vrf']
    q(ATTR, 'vrf for 172.17.2.0/24', 'device_lookup', 'ipam.prefix', 3,
      f"VRF {p['vrf']['name']} (RD {p['vrf']['rd']}).", total=1, display=[p['display']], answer_has=[p['vrf']['name']])

    p = pfx('10.112.0.0/17'); assert p['description'] and p['status']['value'] == 'container'
    q(ATTR, 'what is 10.112.0.0/17 used for', 'device_lookup', 'ipam.prefix', 3,
      f"Description {p['description']!r}, status {p['status']['label']}, tenant {nm(p['tenant'])}, no site; it has "
      f"{p['children']} child prefixes (DM-NYC, the HQ, has none).",
      total=1, display=[p['display']], answer_has=[p['description'], p['status']['label']])

    p = pfx('10.112.166.0/24'); assert p['role']
    q(ATTR, 'role of prefix 10.112.166.0/24', 'device_lookup', 'ipam.prefix', 3,
      f"Role {p['role']['name']} (site {p['scope']['name']}, VLAN {p['vlan']['display']}).",
      total=1, display=[p['display']], answer_has=[p['role']['name']])

    v = one(f"ipam/vlans/?site_id={site['JBB Branch 133']['id']}&vid=201")
    q(ATTR, 'vlan group of vlan 201 at jbb branch 133', 'device_lookup', 'ipam.vlan', 4,
      f"VLAN {v['display']} is in group {v['group']['name']}. {count('ipam/vlans/?vid=201')} VLANs have VID 201, one per "
      f"JBB branch; only this one counts.", total=1, display=[v['display']], answer_has=[v['group']['name']])

    g = one('ipam/vlan-groups/?name=JBB120'); v = one(f"ipam/vlans/?group_id={g['id']}&vid=204")
    q(ATTR, 'which site is vlan 204 from group JBB120 at', 'device_lookup', 'ipam.vlan', 4,
      f"{v['display']} in group {g['name']} is at site {v['site']['name']} (the group is scoped to that site too).",
      total=1, display=[v['display']], answer_has=[v['site']['name']])

    v = one(f"ipam/vlans/?site_id={site['DM-Stamford']['id']}&name=Wireless")
    q(ATTR, 'status of the wireless vlan at dm-stamford', 'device_lookup', 'ipam.vlan', 4,
      f"{v['display']} at DM-Stamford: {v['status']['label']}.", total=1, display=[v['display']],
      answer_has=[v['status']['label']])

    c = one('circuits/circuits/?cid=KSIR0381')
    q(ATTR, 'who provides circuit KSIR0381, what type', 'device_lookup', 'circuits.circuit', 3,
      f"Provider {c['provider']['name']}, type {c['type']['name']}, {c['status']['label']}; Z end "
      f"{c['termination_z']['termination']['name']}, A end the provider network {c['termination_a']['termination']['name']}.",
      total=1, display=[c['display']], answer_has=[c['provider']['name'], c['type']['name']])

    c = one('circuits/circuits/?cid=1002843428'); assert c['commit_rate'] is None
    q(ATTR, 'commit rate on 1002843428?', 'device_lookup', 'circuits.circuit', 3,
      f"{c['provider']['name']} {c['type']['name']} circuit at {c['termination_z']['termination']['name']}: no commit "
      f"rate is recorded. The answer must say it is not set, not invent a speed.",
      total=1, display=[c['display']])

    c = one('circuits/circuits/?cid=350927'); ta, tz = c['termination_a'], c['termination_z']
    assert ta['termination_type'] == tz['termination_type'] == 'dcim.site'
    q(ATTR, 'a and z ends of circuit 350927', 'device_lookup', 'circuits.circuit', 3,
      f"{c['provider']['name']} {c['type']['name']}: A = site {ta['termination']['name']}, Z = site "
      f"{tz['termination']['name']}.", total=1, display=[c['display']],
      answer_has=[ta['termination']['name'], tz['termination']['name']])

    s = site['JBB Branch 109']
    q(ATTR, 'what region is jbb branch 109 in', 'device_lookup', 'dcim.site', 3,
      f"Region {s['region']['name']} (slug {s['region']['slug']}), under United States / North America.",
      total=1, display=[s['display']], answer_has=[s['region']['name']])

    s = site['Butler Communications']; assert s['tenant'] and s['facility']
    q(ATTR, 'tenant & facility for Butler Communications', 'device_lookup', 'dcim.site', 3,
      f"Tenant {s['tenant']['name']}, facility {s['facility']!r} (the facility code is not checked by answer_has: it "
      f"is a substring of the site's name).", total=1, display=[s['display']], answer_has=[s['tenant']['name']])

    s = site['JBB Branch 120']; town = 'Hicksville'; assert town in s['physical_address'] and not s['shipping_address']
    q(ATTR, 'jbb branch 120 address?', 'device_lookup', 'dcim.site', 3,
      f"Physical address {s['physical_address']!r}; no shipping address.", total=1, display=[s['display']],
      answer_has=[town])

    s = site['DM-Pittsfield']; assert s['time_zone'] is None
    q(ATTR, 'timezone of DM-Pittsfield', 'device_lookup', 'dcim.site', 3,
      f"No time zone is set on the site (region {s['region']['name']}). Saying it is not set is right; deriving "
      f"America/New_York from the state is a guess and must be marked as such if given.",
      total=1, display=[s['display']])

    r = one('dcim/racks/?name=R206'); assert r['device_count'] == 0
    q(ATTR, 'where is rack R206', 'device_lookup', 'dcim.rack', 3,
      f"Site {r['site']['name']}, location {r['location']['name']}; role {nm(r['role'])}, empty.",
      total=1, display=[r['display']], answer_has=[r['site']['name'], r['location']['name']])

    r = one('dcim/racks/?name=IDF128')
    q(ATTR, 'how tall is rack IDF128', 'device_lookup', 'dcim.rack', 3,
      f"{r['u_height']}U ({r['width']['label']}), at {r['site']['name']}.", total=1, display=[r['display']],
      answer_has=[str(r['u_height'])])

    r = one('dcim/racks/?name=R101')
    q(ATTR, 'rack role for R101', 'device_lookup', 'dcim.rack', 3,
      f"Role {r['role']['name']} ({r['location']['name']}, {r['site']['name']}).", total=1, display=[r['display']],
      answer_has=[r['role']['name']])

    v = one('virtualization/virtual-machines/?name=vm97')
    q(ATTR, 'which cluster is vm97 on', 'device_lookup', 'virtualization.virtualmachine', 3,
      f"Cluster {v['cluster']['name']} ({next(c for c in CLUSTERS if c['id'] == v['cluster']['id'])['type']['name']}).",
      total=1, display=[v['display']], answer_has=[v['cluster']['name']])

    v = one('virtualization/virtual-machines/?name=vm133'); assert v['vcpus'] is None and v['memory'] is None
    q(ATTR, 'how much ram and vcpus does vm133 have', 'device_lookup', 'virtualization.virtualmachine', 3,
      f"Neither vCPUs nor memory (nor disk) is recorded for this VM (cluster {v['cluster']['name']}). The answer must "
      f"say they are not set.", total=1, display=[v['display']])


    # =============================================================================================================
    # 2. filter: combinations of fields; a table of exactly the matches.
    # =============================================================================================================
    s = site['DM-Stamford']; reg = region('Connecticut')
    r = same(f"dcim/devices/?role=access-switch&region={reg['slug']}",
             [x for x in DEVICES if x['role']['slug'] == 'access-switch' and x['site']['id'] in sites_in('Connecticut')])
    q(FIL, 'access switches in connecticut', 'bulk_discovery', 'dcim.device', 4,
      f"Region Connecticut holds one site, {s['name']}; its access switch.", total=len(r), display=disp(r),
      without=('access switches', len(devs_at('DM-Stamford')), 'devices (everything at DM-Stamford)'))

    at = devs_at('DM-Pittsfield')
    r = same(f"dcim/devices/?site_id={site['DM-Pittsfield']['id']}&manufacturer=cisco",
             [x for x in at if x['device_type']['manufacturer']['slug'] == 'cisco'])
    q(FIL, 'cisco gear at dm-pittsfield', 'bulk_discovery', 'dcim.device', 4,
      "The router and the switch; the PDU is APC and the patch panel Panduit.", total=len(r), display=disp(r),
      dropped=('cisco', len(at), 'devices'))

    dt = next(t for t in DTYPES.values() if t['model'] == 'C9200-48P'); ny = sites_in('New York')
    r = same(f"dcim/devices/?device_type_id={dt['id']}&region=us-ny",
             [x for x in DEVICES if x['device_type']['id'] == dt['id'] and x['site']['id'] in ny])
    assert count(f"dcim/devices/?device_type_id={dt['id']}") == dt['device_count'] > len(r)
    q(FIL, 'C9200-48P switches in new york', 'bulk_discovery', 'dcim.device', 5,
      f"{dt['device_count']} C9200-48P in all; {len(r)} at the Dunder-Mifflin sites in region New York (the JBB New "
      f"York branches have no devices). Note dmi01-rochster-sw01 is spelled that way in NetBox.",
      total=len(r), display=disp(r), dropped=('new york', dt['device_count'], 'switches'))

    r = same('dcim/devices/?role=router&region=us-ma',
             [x for x in DEVICES if x['role']['slug'] == 'router' and x['site']['id'] in sites_in('Massachusetts')])
    q(FIL, 'routers in Massachusetts', 'bulk_discovery', 'dcim.device', 4,
      'Region Massachusetts = DM-Pittsfield.', total=len(r), display=disp(r))

    rk = one('dcim/racks/?name=Plant 1'.replace(' ', '%20'))
    r = same(f"dcim/devices/?rack_id={rk['id']}&role=patch-panel",
             [x for x in DEVICES if idof(x['rack']) == rk['id'] and x['role']['slug'] == 'patch-panel'])
    q(FIL, 'patch panels in rack Plant 1', 'bulk_discovery', 'dcim.device', 4,
      f"Rack Plant 1 at {rk['site']['name']} (Plant 2 next to it is empty): the three building panels.",
      total=len(r), display=disp(r))

    r = same('dcim/devices/?role=pdu&region=us-pa',
             [x for x in DEVICES if x['role']['slug'] == 'pdu' and x['site']['id'] in sites_in('Pennsylvania')])
    q(FIL, 'pdus in pennsylvania', 'bulk_discovery', 'dcim.device', 4, 'Region Pennsylvania = DM-Scranton.',
      total=len(r), display=disp(r))

    d = dev['dmi01-stamford-rtr01']
    r = same(f"dcim/interfaces/?device_id={d['id']}&type=1000base-t",
             [i for i in itf_of[d['id']] if i['type']['value'] == '1000base-t'])
    q(FIL, '1000base-t interfaces on dmi01-stamford-rtr01', 'bulk_discovery', 'dcim.interface', 4,
      f"{len(r)} copper GE ports; the SFP (1GE) GigabitEthernet0/0/0, Po1 (LAG), the Wi-Fi and LTE interfaces are other "
      f"types.", total=len(r), display=disp(r), dropped=('1000base-t', len(itf_of[d['id']]), 'interfaces'))

    d = dev['ncsu-coreswitch2']
    r = same(f"dcim/interfaces/?device_id={d['id']}&type=10gbase-x-sfpp&cabled=false",
             [i for i in itf_of[d['id']] if i['type']['value'] == '10gbase-x-sfpp' and not i['cable']])
    assert sorted(i['name'] for i in itf_of[d['id']] if i['cable']) == [f'xe-0/0/{n}' for n in range(6)]
    q(FIL, "sfp+ ports on ncsu-coreswitch2 that aren't cabled", 'bulk_discovery', 'dcim.interface', 4,
      f"All {len(itf_of[d['id']])} interfaces are SFP+ (10GE); {len(itf_of[d['id']]) - len(r)} have a cable "
      f"(xe-0/0/0 to xe-0/0/5), so {len(r)} match.",
      total=len(r), contains=[i['display'] for i in r][:3],
      dropped=("aren't cabled", len(itf_of[d['id']]), 'interfaces'))

    rs = [x for x in devs_at('DM-Rochester')]; rsd = {x['id'] for x in rs}
    r = same(f"dcim/interfaces/?site_id={site['DM-Rochester']['id']}&mgmt_only=true",
             [i for i in ITF if i['device']['id'] in rsd and i['mgmt_only']])
    q(FIL, 'mgmt only ports at dm-rochester', 'bulk_discovery', 'dcim.interface', 4,
      f"One: {r[0]['name']} on {r[0]['device']['name']} (spelled rochster in NetBox). The router has no mgmt-only port.",
      total=len(r), display=disp(r), answer_has=[r[0]['device']['name']],
      without=('mgmt only', len([i for i in ITF if i['device']['id'] in rsd]), 'interfaces at the site'))

    d = dev['dmi01-utica-rtr01']
    r = same(f"dcim/interfaces/?device_id={d['id']}&type=lag", [i for i in itf_of[d['id']] if i['type']['value'] == 'lag'])
    members = sorted(i['name'] for i in itf_of[d['id']] if i['lag'])
    q(FIL, 'lag interfaces on dmi01-utica-rtr01', 'bulk_discovery', 'dcim.interface', 4,
      f"One LAG, {r[0]['name']}; its members are {', '.join(members)} (showing them is a plus).",
      total=len(r), display=disp(r))

    d = dev['ncsu-coreswitch2']
    r = same(f"dcim/interfaces/?device_id={d['id']}&kind=virtual",
             [i for i in itf_of[d['id']] if i['type']['value'] in ('virtual', 'bridge', 'lag')],
             contrast=(f"dcim/interfaces/?device_id={d['id']}", itf_of[d['id']]))
    assert not r and count(f"dcim/interfaces/?device_id={d['id']}&type=virtual") == 0
    q(FIL, 'virtual interfaces on ncsu-coreswitch2', 'bulk_discovery', 'dcim.interface', 4,
      'None: every interface is a physical SFP+ port (no Virtual, bridge or LAG type).', total=0,
      dropped=('virtual', len(itf_of[d['id']]), 'interfaces'))

    ut = {x['id'] for x in devs_at('DM-Utica')}
    r = same(f"dcim/interfaces/?site_id={site['DM-Utica']['id']}&cabled=true",
             [i for i in ITF if i['device']['id'] in ut and i['cable']])
    q(FIL, 'cabled interfaces at DM-Utica', 'bulk_discovery', 'dcim.interface', 4,
      'The router\'s two WAN ports (to circuits) and two LAN ports, and the two switch ports they reach.',
      total=len(r), display=disp(r), answer_has=['dmi01-utica-rtr01', 'dmi01-utica-sw01'],
      without=('cabled', len([i for i in ITF if i['device']['id'] in ut]), 'interfaces'))

    d = dev['r106-torsw:1']
    r = same(f"dcim/interfaces/?device_id={d['id']}&type=40gbase-x-qsfpp&cabled=false",
             [i for i in itf_of[d['id']] if i['type']['value'] == '40gbase-x-qsfpp' and not i['cable']])
    q(FIL, 'uncabled QSFP+ ports on r106-torsw:1', 'bulk_discovery', 'dcim.interface', 5,
      f"The unnamed VC member r106-torsw:1 (not :2, whose ports are et-2/0/x): its {len(r)} 40GE ports "
      f"(et-1/0/48-53), none cabled.", total=len(r), display=disp(r))
    assert disp(r) == [f'et-1/0/{n}' for n in range(48, 54)]

    vrf = one('ipam/vrfs/?name=Echo')
    r = same(f"ipam/prefixes/?vrf_id={vrf['id']}&status=active",
             [p for p in PREFIXES if idof(p['vrf']) == vrf['id'] and p['status']['value'] == 'active'])
    q(FIL, 'active prefixes in vrf echo', 'bulk_discovery', 'ipam.prefix', 4,
      'The three /24s; the /16 is a container.', total=len(r), display=disp(r),
      without=('active', vrf['prefix_count'], 'prefixes'))

    r = same('ipam/prefixes/?role=management&region=us-ny',
             [p for p in PREFIXES if nm(p['role']) == 'Management' and pscope(p) in sites_in('New York')])
    q(FIL, 'management prefixes in new york', 'bulk_discovery', 'ipam.prefix', 5,
      'One /28 per Dunder-Mifflin branch in region New York (the JBB New York branches have no prefixes).',
      total=len(r), display=disp(r), without=('new york', count('ipam/prefixes/?role=management'), 'prefixes'))

    r = same('ipam/ip-addresses/?status=reserved', [a for a in IPS if a['status']['value'] == 'reserved'])
    q(FIL, 'reserved ips', 'bulk_discovery', 'ipam.ipaddress', 3,
      'The first five addresses of 192.168.0.0/22, global table. (The IP ranges in 192.168.1.x are reserved too, but '
      'they are ranges, not IP addresses; mentioning them is fine.)', total=len(r), display=disp(r),
      without=('reserved', len(IPS), 'addresses'))

    r = same('circuits/circuits/?type=dark-fiber', [c for c in CIRCUITS if c['type']['slug'] == 'dark-fiber'])
    q(FIL, 'dark fiber circuits', 'bulk_discovery', 'circuits.circuit', 3,
      'The NCSU Facilities campus fibres from MDF to the three buildings.', total=len(r), display=disp(r))

    ny_c = [c for c in CIRCUITS if any((c[k] or {}).get('termination_type') == 'dcim.site' and
                                       c[k]['termination_id'] in ny for k in ('termination_a', 'termination_z'))]
    r = same('circuits/circuits/?region=us-ny&type=internet', [c for c in ny_c if c['type']['slug'] == 'internet'])
    same('circuits/circuits/?region=us-ny', ny_c)
    q(FIL, 'internet circuits at new york sites', 'bulk_discovery', 'circuits.circuit', 5,
      f"CenturyLink Internet Access circuits at the {len(r)} Dunder-Mifflin New York branches.", total=len(r),
      display=disp(r), dropped=('internet', len(ny_c), 'circuits (the MPLS ones too)'))

    r = same('circuits/circuits/?type=point-to-point', [c for c in CIRCUITS if c['type']['slug'] == 'point-to-point'],
             contrast=('circuits/circuits/?type=mpls', [c for c in CIRCUITS if c['type']['slug'] == 'mpls']))
    assert not r
    q(FIL, 'point to point circuits', 'bulk_discovery', 'circuits.circuit', 3,
      'None: the type Point-to-point exists but no circuit has it.', total=0,
      without=('point to point', len(CIRCUITS), 'circuits'))

    r = same('dcim/racks/?role=infrastructure', [x for x in RACKS if (x['role'] or {}).get('slug') == 'infrastructure'])
    q(FIL, 'infrastructure racks', 'bulk_discovery', 'dcim.rack', 3, 'Rack role Infrastructure: MDF Row 1.',
      total=len(r), display=disp(r))

    cl = one('virtualization/clusters/?name=DO-TOR1'); cv = [v for v in VMS if v['cluster']['id'] == cl['id']]
    r = same(f"virtualization/virtual-machines/?cluster_id={cl['id']}&status=offline",
             [v for v in cv if v['status']['value'] == 'offline'],
             contrast=(f"virtualization/virtual-machines/?cluster_id={cl['id']}", cv))
    assert not r
    q(FIL, 'offline vms in DO-TOR1', 'bulk_discovery', 'virtualization.virtualmachine', 4,
      f"None: all {len(cv)} VMs of the cluster are active.", total=0, dropped=('offline', len(cv), 'VMs'))

    r = same('virtualization/clusters/?type=google-cloud&group=asia-pacific',
             [c for c in CLUSTERS if c['type']['slug'] == 'google-cloud' and nm(c['group']) == 'Asia Pacific'])
    assert sorted(c['name'] for c in CLUSTERS if nm(c['group']) == 'Asia Pacific' and c not in r) == ['DO-BLR1', 'DO-SGP1']
    q(FIL, 'google cloud clusters in asia pacific', 'bulk_discovery', 'virtualization.cluster', 4,
      'Asia Pacific is a cluster group, not a region. The DigitalOcean clusters of the group (DO-BLR1, DO-SGP1) are '
      'not Google Cloud.', total=len(r), display=disp(r),
      without=('google cloud', len([c for c in CLUSTERS if nm(c['group']) == 'Asia Pacific']), 'clusters'))

    tj = [s_ for s_ in SITES if 'juliett' in {t['slug'] for t in s_['tags']}]
    r = same('dcim/sites/?tag=juliett&region=us-ny', [s_ for s_ in tj if s_['id'] in ny])
    ignored('dcim/sites/?tags=juliett', len(SITES))
    q(FIL, 'sites tagged juliett in new york', 'bulk_discovery', 'dcim.site', 4,
      f"{len(tj)} sites carry the tag Juliett; {len(r)} of them are in region New York. (The filter is `tag`; "
      f"`tags=` is silently ignored.)", total=len(r), display=disp(r), dropped=('new york', len(tj), 'sites'))

    g = one('ipam/vlan-groups/?name=JBB109')
    r = same(f"ipam/vlans/?group_id={g['id']}&vid__gt=202",
             [v for v in VLANS if idof(v['group']) == g['id'] and v['vid'] > 202])
    q(FIL, 'vlans in group jbb109 with vid above 202', 'bulk_discovery', 'ipam.vlan', 4,
      '203 and 204; 202 itself is not above 202.', total=len(r), display=disp(r),
      dropped=('above 202', g['vlan_count'], 'VLANs'))

    r = same('ipam/vlans/?role=access-voice&region=us-ny',
             [v for v in VLANS if nm(v['role']) == 'Access - Voice' and sid(v) in ny])
    named = [v for v in VLANS if v['name'] == 'Voice' and sid(v) in ny]
    q(FIL, 'vlans with role access-voice in new york', 'bulk_discovery', 'ipam.vlan', 5,
      f"{len(r)} VLANs (one per DM branch in NY, all Voice (200)); the {len(named) - len(r)} JBB Voice (202) VLANs in "
      f"New York have no role, so they are not matches.", total=len(r), display=disp(r))

    at = devs_at('DM-Stamford')
    r = same(f"dcim/devices/?site_id={site['DM-Stamford']['id']}&platform_id=null", [x for x in at if not x['platform']])
    q(FIL, 'devices at dm-stamford with no platform set', 'configuration_audit', 'dcim.device', 4,
      'Everything but the router (Cisco IOS): the PDU, the switch and the unnamed patch panel.', total=len(r),
      display=disp(r), without=('no platform set', len(at), 'devices'))

    ut_p = [p for p in PREFIXES if pscope(p) == site['DM-Utica']['id']]
    r = same(f"ipam/prefixes/?site_id={site['DM-Utica']['id']}&status=container",
             [p for p in ut_p if p['status']['value'] == 'container'])
    q(FIL, 'container prefixes at dm-utica', 'bulk_discovery', 'ipam.prefix', 4,
      'The site /22 holding the /28 and the three /24s. The global containers (10.112.0.0/15, 10.112.128.0/17) have '
      'no site and are not at DM-Utica.', total=len(r), display=disp(r), without=('container', len(ut_p), 'prefixes'))

    # =============================================================================================================
    # 3. count and group-by. For a count: the table of what was counted, with that total. For a grouped count: a line
    #    or row per group; answer_has has the labels and the top count, the note every pair.
    # =============================================================================================================
    d = dev['ncsu-coreswitch2']
    r = same(f"dcim/interfaces/?device_id={d['id']}", itf_of[d['id']])
    q(CNT, 'how many interfaces on ncsu-coreswitch2', 'performance_query', 'dcim.interface', 3,
      f"{len(r)} ({r[0]['name']} .. {r[-1]['name']}, all SFP+). Not ncsu-coreswitch1's (also "
      f"{len(itf_of[dev['ncsu-coreswitch1']['id']])}).",
      total=len(r))

    at = devs_at('DM-Stamford'); same(f"dcim/devices/?site_id={site['DM-Stamford']['id']}", at)
    q(CNT, 'no. of devices at dm stamford', 'performance_query', 'dcim.device', 4,
      f"{len(at)}: router, switch, PDU and the unnamed Panduit patch panel.", total=len(at), display=disp(at))

    t = next(t for t in TENANTS if t['name'] == 'NC State University')
    r = same(f"dcim/racks/?tenant_id={t['id']}", [x for x in RACKS if idof(x['tenant']) == t['id']])
    assert len(r) == t['rack_count']
    q(CNT, 'how many racks does nc state own', 'performance_query', 'dcim.rack', 4,
      f"Tenant NC State University: {len(r)} racks (MDF's 26 and the three building IDFs). The 13 Comms closets are "
      f"Dunder-Mifflin's.", total=len(r))

    cl = one('virtualization/clusters/?name=DO-NYC3')
    r = same(f"virtualization/virtual-machines/?cluster_id={cl['id']}", [v for v in VMS if v['cluster']['id'] == cl['id']])
    q(CNT, 'count vms in DO-NYC3', 'performance_query', 'virtualization.virtualmachine', 4,
      f"{len(r)} ({r[0]['name']} .. {r[-1]['name']}); DO-NYC1 is another cluster.", total=len(r))

    s = site['JBB Branch 109']
    r = same(f"ipam/vlans/?site_id={s['id']}", [v for v in VLANS if sid(v) == s['id']])
    q(CNT, 'how many vlans does jbb branch 109 have', 'performance_query', 'ipam.vlan', 4,
      f"{len(r)}: 201-204 (group JBB109).", total=len(r), display=disp(r))

    vrf = one('ipam/vrfs/?name=Bravo')
    r = same(f"ipam/prefixes/?vrf_id={vrf['id']}", [p for p in PREFIXES if idof(p['vrf']) == vrf['id']])
    q(CNT, 'how many prefixes in vrf bravo', 'performance_query', 'ipam.prefix', 4,
      f"{len(r)}: the /16 container and three /24s.", total=len(r), display=disp(r))

    p = pfx('172.17.0.0/24'); r = ips_in(p)
    same(f"ipam/ip-addresses/?parent={p['prefix']}&vrf_id={p['vrf']['id']}", r)
    q(CNT, 'how many IPs are in 172.17.0.0/24', 'performance_query', 'ipam.ipaddress', 4,
      f"{len(r)} addresses ({r[0]['address']} .. {r[-1]['address']}), VRF {p['vrf']['name']}.", total=len(r))

    per = Counter(x['site']['name'] for x in DEVICES)
    assert all(per.get(s_['name'], 0) == s_['device_count'] for s_ in SITES)
    q(CNT, 'devices per site', 'performance_query', 'dcim.site', 3,
      f"Counts: {pairs(per)}. Sites with none (DM-NYC and the six JBB branches) may be left out or shown with 0.",
      answer_has=['MDF', str(per['MDF']), 'Butler Communications', 'DM-Utica'])

    per = Counter(v['site']['name'] for v in VLANS)
    assert all(per.get(s_['name'], 0) == s_['vlan_count'] for s_ in SITES) and not [v for v in VLANS if not v['site']]
    q(CNT, 'vlan count per site', 'performance_query', 'dcim.site', 3,
      f"Counts: {pairs(per)}. The five sites with none may be left out or shown with 0.",
      answer_has=['JBB Branch 104', 'DM-Stamford', str(max(per.values()))])

    d = dev['ncsu117-distswitch1']; per = Counter(i['type']['label'] for i in itf_of[d['id']])
    for t, n in Counter(i['type']['value'] for i in itf_of[d['id']]).items():
        assert count(f"dcim/interfaces/?device_id={d['id']}&type={t}") == n
    q(CNT, 'interfaces per type on ncsu117-distswitch1', 'performance_query', 'dcim.interface', 3,
      f"Counts: {pairs(per)} ({len(itf_of[d['id']])} in all). Type values or labels are both fine.",
      answer_has=[str(max(per.values()))])

    per = Counter(v['cluster']['name'] for v in VMS)
    assert all(per.get(c['name'], 0) == c['virtualmachine_count'] for c in CLUSTERS)
    q(CNT, 'vms per cluster?', 'performance_query', 'virtualization.cluster', 3,
      f"Counts: {pairs(per)}. The {len([c for c in CLUSTERS if not per.get(c['name'])])} Google Cloud clusters have "
      f"none and may be left out or shown with 0.", answer_has=sorted(per)[:3] + [str(max(per.values()))])

    per = Counter(c['type']['name'] for c in CIRCUITS)
    assert all(per.get(t['name'], 0) == t['circuit_count'] for t in CTYPES)
    q(CNT, 'circuits by type', 'performance_query', 'circuits.circuittype', 3,
      f"Counts: {pairs(per)}; Point-to-point 0.", answer_has=sorted(per) + [str(max(per.values()))])

    per = Counter(p['status']['label'] for p in PREFIXES)
    for k in per: assert count(f"ipam/prefixes/?status={k.lower()}") == per[k]
    q(CNT, 'how many prefixes in each status', 'performance_query', 'ipam.prefix', 4,
      f"Counts: {pairs(per)} ({len(PREFIXES)} prefixes). Statuses with none (Reserved, Deprecated) may be left out.",
      answer_has=sorted(per) + [str(max(per.values()))])

    per = Counter(a['status']['label'] for a in IPS)
    for k in per: assert count(f"ipam/ip-addresses/?status={k.lower()}") == per[k]
    q(CNT, 'ip address count by status', 'performance_query', 'ipam.ipaddress', 4,
      f"Counts: {pairs(per)} ({len(IPS)} addresses).", answer_has=sorted(per) + [str(max(per.values()))])

    per = Counter(s_['region']['name'] for s_ in SITES)
    for k, n in per.items(): assert count(f"dcim/sites/?region_id={region(k)['id']}") == n
    q(CNT, 'number of sites per region', 'performance_query', 'dcim.region', 4,
      f"Counts (direct region of each site): {pairs(per)}. Parent regions (United States, North America: "
      f"{len(SITES)}) may be shown as well; the {len([r for r in REGIONS if r['site_count'] == 0])} regions with no "
      f"site may be left out.", answer_has=['New York', 'North Carolina', str(per['New York'])])

    per = Counter(nm(x['tenant']) or '(none)' for x in DEVICES)
    assert all(per.get(t['name'], 0) == t['device_count'] for t in TENANTS)
    q(CNT, 'how many devices does each tenant have', 'performance_query', 'tenancy.tenant', 3,
      f"Counts: {pairs(per)}. (none) = the {per['(none)']} devices with no tenant (the Panduit patch panels and the "
      f"Lenovo Flex system); tenants with 0 may be left out.",
      answer_has=['Dunder-Mifflin', 'NC State University', str(per['Dunder-Mifflin, Inc.']), str(per['NC State University'])])

    per = Counter(nm(x['role']) or '(none)' for x in RACKS)
    assert all(per.get(r_['name'], 0) == r_['rack_count'] for r_ in RROLES)
    q(CNT, 'racks per role', 'performance_query', 'dcim.rackrole', 3,
      f"Counts: {pairs(per)}. (none) = the 13 Comms closets and R305-R308; showing them is a plus.",
      answer_has=['Compute', 'Storage', 'Infrastructure', 'IDF', str(per['Compute'])])

    per = Counter(x['device_type']['manufacturer']['name'] for x in DEVICES)
    q(CNT, 'how many devices from each manufacturer', 'performance_query', 'dcim.manufacturer', 3,
      f"Counts (device type's manufacturer): {pairs(per)}. The 8 manufacturers with no device may be left out.",
      answer_has=sorted(per) + [str(max(per.values()))])

    s = site['Grinnells Lab']; gd = {x['id'] for x in devs_at('Grinnells Lab')}
    r = [c for c in CABLES if any(t['object'].get('device', {}).get('id') in gd
                                  for t in c['a_terminations'] + c['b_terminations'])]
    same(f"dcim/cables/?site_id={s['id']}", r)
    q(CNT, 'number of cables at grinnells lab', 'performance_query', 'dcim.cable', 4,
      f"{len(r)}: the four fibres from ncsu118-distswitch1 to PP:MDF and the circuit 398282 fibre into PP:MDF's rear "
      f"splice.", total=len(r), display=disp(r))

    pn = one('dcim/power-panels/?name=Panel%203')
    r = same(f"dcim/power-feeds/?power_panel_id={pn['id']}", [f for f in PFEEDS if f['power_panel']['id'] == pn['id']])
    q(CNT, 'how many power feeds on panel 3', 'performance_query', 'dcim.powerfeed', 4,
      f"{len(r)} (P3-1A .. P3-8A, feeding Row 3).", total=len(r), display=disp(r))

    cg = one('virtualization/cluster-groups/?name=North%20America')
    r = same(f"virtualization/virtual-machines/?cluster_group_id={cg['id']}",
             [v for v in VMS if nm(next(c for c in CLUSTERS if c['id'] == v['cluster']['id'])['group']) == 'North America'])
    assert sorted({v['cluster']['name'] for v in r}) == ['DO-NYC1', 'DO-NYC3', 'DO-SFO3', 'DO-TOR1']
    q(CNT, 'how many vms in the north america cluster group', 'performance_query', 'virtualization.virtualmachine', 4,
      f"{len(r)}: the VMs of DO-NYC1, DO-NYC3, DO-SFO3 and DO-TOR1 (the 8 Google Cloud clusters of the group have "
      f"none). North America is also a region, which holds no VM: the question says cluster group.", total=len(r))

    pd = {x['id'] for x in devs_at('DM-Pittsfield')}
    r = same(f"dcim/interfaces/?site_id={site['DM-Pittsfield']['id']}&cabled=true",
             [i for i in ITF if i['device']['id'] in pd and i['cable']])
    q(CNT, 'total interfaces at dm-pittsfield that are cabled', 'performance_query', 'dcim.interface', 4,
      f"{len(r)} of {len([i for i in ITF if i['device']['id'] in pd])} (router 4, switch 2). Power cables are not "
      f"interfaces.", total=len(r), without=('cabled', len([i for i in ITF if i['device']['id'] in pd]), 'interfaces'))

    per = Counter(c['type']['name'] for c in CLUSTERS)
    q(CNT, 'clusters per type', 'performance_query', 'virtualization.clustertype', 3,
      f"Counts: {pairs(per)}; Amazon Web Services, KVM, Microsoft Azure and VMware have none.",
      answer_has=sorted(per) + [str(max(per.values()))])

    mr = same('dcim/racks/?role=idf', [x for x in RACKS if nm(x['role']) == 'IDF'])
    per = {x['name']: len([d_ for d_ in DEVICES if idof(d_['rack']) == x['id']]) for x in mr}
    assert all(per[x['name']] == x['device_count'] for x in mr) and len(per) == len(mr)
    q(CNT, 'how many devices in each IDF rack', 'performance_query', 'dcim.rack', 4,
      f"Rack role IDF ({len(mr)} racks): {pairs(per)}.", answer_has=['Plant 1', 'IDF128', str(max(per.values()))])

    r = same('ipam/vlans/?region=us-ny', [v for v in VLANS if sid(v) in ny])
    q(CNT, 'count of vlans in new york', 'performance_query', 'ipam.vlan', 4,
      f"{len(r)}: 3 at each of the 7 DM branches in New York and 4 at each of JBB Branch 120 and 133.", total=len(r))

    d = dev['r108-torsw:1']
    r = same(f"dcim/interfaces/?device_id={d['id']}", itf_of[d['id']])
    assert Counter(i['type']['value'] for i in r) == {'10gbase-t': 48, '40gbase-x-qsfpp': 6, '1000base-t': 1}
    assert [i['name'] for i in r if i['type']['value'] == '1000base-t'] == ['vme']
    q(CNT, 'how many ports on r108-torsw:1', 'performance_query', 'dcim.interface', 5,
      f"{len(r)} interfaces: 48 10GBASE-T, 6 QSFP+, the vme management port (only member 1 of the virtual chassis; the "
      f"chassis as a whole has {len(r) * 2}).", total=len(r))

    # =============================================================================================================
    # 4. absence through a relation ("X with no Y"): table of exactly the X that have no Y.
    # =============================================================================================================
    r = [s_ for s_ in SITES if not [x for x in RACKS if x['site']['id'] == s_['id']]]
    assert all((s_['rack_count'] == 0) == (s_ in r) for s_ in SITES)
    q(ABS, 'sites with no racks', 'configuration_audit', 'dcim.site', 4,
      f"{len(r)}: DM-NYC and the six JBB branches.", total=len(r), display=disp(r))

    inf = [x for x in RACKS if nm(x['role']) == 'Infrastructure']
    r = [x for x in inf if not used_units(x) and not [d_ for d_ in DEVICES if idof(d_['rack']) == x['id']]]
    empty_all = [x for x in RACKS if x['device_count'] == 0]
    q(ABS, 'infrastructure racks with no devices', 'configuration_audit', 'dcim.rack', 4,
      f"R103 and R104 hold the core switches; {len(r)} are empty.", total=len(r), display=disp(r),
      without=('infrastructure', len(empty_all), 'empty racks'))

    r = [t for t in TENANTS if not [s_ for s_ in SITES if idof(s_['tenant']) == t['id']]]
    assert all((t['site_count'] == 0) == (t in r) for t in TENANTS)
    q(ABS, 'tenants without sites', 'configuration_audit', 'tenancy.tenant', 4,
      f"{len(r)} of {len(TENANTS)}: all but Dunder-Mifflin, Jimbob's Banking & Trust and NC State University. "
      f"('Nakatomi Corportation' is spelled that way in NetBox.)", total=len(r), display=disp(r))

    r = [p_ for p_ in PROVIDERS if not [c for c in CIRCUITS if c['provider']['id'] == p_['id']]]
    assert all((p_['circuit_count'] == 0) == (p_ in r) for p_ in PROVIDERS)
    q(ABS, 'providers with no circuits', 'configuration_audit', 'circuits.provider', 4,
      f"{len(r)}; only CenturyLink, Level 3 and NCSU Facilities have circuits.", total=len(r), display=disp(r))

    r = [c for c in CLUSTERS if not [v for v in VMS if v['cluster']['id'] == c['id']]]
    assert all((c['virtualmachine_count'] == 0) == (c in r) for c in CLUSTERS)
    q(ABS, 'clusters with no VMs', 'configuration_audit', 'virtualization.cluster', 4,
      f"All {len(r)} Google Cloud clusters; every DigitalOcean cluster has 20.", total=len(r), contains=disp(r)[:5])
    all_empty = len(r)

    r = [c for c in CLUSTERS if nm(c['group']) == 'EMEA' and c['virtualmachine_count'] == 0]
    q(ABS, 'emea clusters without vms', 'configuration_audit', 'virtualization.cluster', 4,
      'The Google Cloud europe-* clusters; DO-AMS3, DO-FRA1 and DO-LON1 have VMs.', total=len(r), display=disp(r),
      dropped=('emea', all_empty, 'clusters'))

    at = devs_at('DM-Pittsfield'); cabled = {t['object']['device']['id'] for c in CABLES
                                             for t in c['a_terminations'] + c['b_terminations'] if 'device' in t['object']}
    r = [x for x in at if x['id'] not in cabled]
    for x in at: assert (count(f"dcim/cables/?device_id={x['id']}") == 0) == (x in r)
    q(ABS, 'devices at dm-pittsfield with no cables at all', 'configuration_audit', 'dcim.device', 5,
      'Only the unnamed Panduit patch panel: the router and switch have data cables, and the PDU has power cables on '
      'two outlets (a tool looking only at interfaces would wrongly add the PDU, which has no interfaces).',
      total=len(r), display=disp(r))

    dm = [v for v in VLANS if nm(v['tenant']) == 'Dunder-Mifflin, Inc.']
    r = [v for v in dm if not [p for p in PREFIXES if idof(p['vlan']) == v['id']]]
    assert not r and all(v['prefix_count'] == 1 for v in dm)
    q(ABS, 'dunder mifflin vlans without a prefix', 'configuration_audit', 'ipam.vlan', 4,
      f"None: each of the {len(dm)} Dunder-Mifflin VLANs has exactly one prefix.", total=0,
      dropped=('dunder mifflin', len([v for v in VLANS if v['prefix_count'] == 0]), "VLANs (Jimbob's)"))

    vrf = one('ipam/vrfs/?name=Shared'); vp = [p for p in PREFIXES if idof(p['vrf']) == vrf['id']]
    r = [p for p in vp if not ips_in(p)]
    for p in vp: assert count(f"ipam/ip-addresses/?parent={p['prefix']}&vrf_id={vrf['id']}") == len(ips_in(p))
    glob = [a for a in IPS if a['vrf'] is None and inside(a, vp[0])]; assert glob and r == vp
    all_empty = [p for p in PREFIXES if not (ips_in(p) if not (p['vrf'] is None and p['status']['value'] == 'container')
                                              else [a for a in IPS if inside(a, p)])]
    q(ABS, 'prefixes in vrf shared with no ip addresses', 'configuration_audit', 'ipam.prefix', 5,
      f"{vp[0]['prefix']} ({vp[0]['description']!r}) is the VRF's only prefix and holds no address of VRF Shared. "
      f"The {len(glob)} addresses 192.168.0.x inside it are in the global table, not in the VRF: counting them is "
      f"wrong.", total=len(r), display=disp(r), dropped=('vrf shared', len(all_empty), 'prefixes'))

    at = devs_at('DM-Utica')
    r = same(f"dcim/devices/?site_id={site['DM-Utica']['id']}&has_primary_ip=false", [x for x in at if not x['primary_ip']],
             contrast=(f"dcim/devices/?site_id={site['DM-Utica']['id']}&has_primary_ip=true", []))
    q(ABS, 'devices with no primary ip at DM-Utica', 'configuration_audit', 'dcim.device', 4,
      'All of them: no device in this NetBox has a primary IP.', total=len(r), display=disp(r))

    r = same('dcim/racks/?role_id=null', [x for x in RACKS if not x['role']])
    q(ABS, 'racks without a role', 'configuration_audit', 'dcim.rack', 3,
      f"{len(r)}: the 13 Comms closets at the DM branches and R305-R308 in MDF Row 3.", total=len(r), display=disp(r))

    r = [s_ for s_ in SITES if not [p for p in PREFIXES if pscope(p) == s_['id']]]
    assert all((s_['prefix_count'] == 0) == (s_ in r) for s_ in SITES)
    q(ABS, 'sites with no prefixes', 'configuration_audit', 'dcim.site', 4,
      f"{len(r)}: the four NC State sites, DM-NYC and the six JBB branches. (The global 10.112.0.0/17 'DM HQ' has no "
      f"site, so DM-NYC has none.)", total=len(r), display=disp(r))

    r = [s_ for s_ in SITES if not [c for c in CIRCUITS for k in ('termination_a', 'termination_z')
                                    if (c[k] or {}).get('termination_type') == 'dcim.site' and c[k]['termination_id'] == s_['id']]]
    assert all((s_['circuit_count'] == 0) == (s_ in r) for s_ in SITES)
    q(ABS, 'sites without circuits', 'configuration_audit', 'dcim.site', 4,
      f"{len(r)}: DM-NYC and the six JBB branches.", total=len(r), display=disp(r))

    r = [l for l in LOCATIONS if not [x for x in RACKS if idof(x['location']) == l['id']]]
    q(ABS, 'locations with no racks', 'configuration_audit', 'dcim.location', 3,
      f"{', '.join(disp(r))} at MDF (rows 1-3 hold 8 racks each).", total=len(r), display=disp(r))

    r = [t for t in DTYPES.values() if not [x for x in DEVICES if x['device_type']['id'] == t['id']]]
    assert all((t['device_count'] == 0) == (t in r) for t in DTYPES.values())
    q(ABS, 'device types with no devices', 'configuration_audit', 'dcim.devicetype', 4,
      f"{len(r)}: {', '.join(sorted(t['model'] for t in r))}.", total=len(r), display=disp(r))

    r = [m for m in MANUF if not [t for t in DTYPES.values() if t['manufacturer']['id'] == m['id']]]
    assert all((m['devicetype_count'] == 0) == (m in r) for m in MANUF)
    q(ABS, 'manufacturers with no device types', 'configuration_audit', 'dcim.manufacturer', 4,
      f"{len(r)} of {len(MANUF)}.", total=len(r), display=disp(r))

    r = [p_ for p_ in PLATFORMS if not [x for x in DEVICES if idof(x['platform']) == p_['id']]
         and not [v for v in VMS if idof(v['platform']) == p_['id']]]
    dev_unused = [p_ for p_ in PLATFORMS if p_['device_count'] == 0]
    q(ABS, 'platforms not used by any device or vm', 'configuration_audit', 'dcim.platform', 4,
      f"{', '.join(disp(r))}. Ubuntu Linux 20.04 runs on all {len(VMS)} VMs, so it is used although no device has it.",
      total=len(r), display=disp(r), without=('or vm', len(dev_unused), 'platforms'))

    r = [ro for ro in DROLES if not [x for x in DEVICES if x['role']['id'] == ro['id']]
         and not [v for v in VMS if idof(v['role']) == ro['id']]]
    q(ABS, 'device roles nobody uses', 'configuration_audit', 'dcim.devicerole', 4,
      f"{', '.join(disp(r))}. Application Server has one device and all the VMs.", total=len(r), display=disp(r))

    r = [g for g in VGROUPS if not [v for v in VLANS if idof(v['group']) == g['id']]]
    assert all((g['vlan_count'] == 0) == (g in r) for g in VGROUPS)
    q(ABS, 'vlan groups that have no vlans', 'configuration_audit', 'ipam.vlangroup', 4,
      f"{', '.join(disp(r))} (no scope); the six per-branch groups have 4 each.", total=len(r), display=disp(r))

    d = dev['dmi01-pittsfield-rtr01']
    r = same(f"dcim/interfaces/?device_id={d['id']}&cabled=false", [i for i in itf_of[d['id']] if not i['cable']])
    q(ABS, 'interfaces with no cable on dmi01-pittsfield-rtr01', 'configuration_audit', 'dcim.interface', 4,
      f"{len(r)} of {len(itf_of[d['id']])}: all but Gi0/0/0, Gi0/0/1 (circuits) and Gi0/1/0, Gi0/1/1 (switch).",
      total=len(r), display=disp(r), without=('with no cable', len(itf_of[d['id']]), 'interfaces'))

    r = same('circuits/circuits/?termination_a_id=null', [c for c in CIRCUITS if not c['termination_a']])
    q(ABS, 'circuits with no A termination', 'configuration_audit', 'circuits.circuit', 4,
      f"The {len(r)} CenturyLink Internet Access circuits: only a Z end at the branch. (The Level 3 ones end at a "
      f"provider network on A.)", total=len(r), display=disp(r))

    fed = {idof(f['rack']) for f in PFEEDS}
    r = [x for x in RACKS if x['id'] not in fed]; assert all((x['powerfeed_count'] == 0) == (x in r) for x in RACKS)
    q(ABS, 'racks with no power feeds', 'configuration_audit', 'dcim.rack', 4,
      f"{len(r)}: the 13 Comms closets and the 5 IDF-role racks (IDF117, IDF118, IDF128, Plant 1, Plant 2). Every "
      f"rack of rows 1-3 has an A and a B feed.", total=len(r), display=disp(r))

    cl = one('virtualization/clusters/?name=DO-LON1'); cv = [v for v in VMS if v['cluster']['id'] == cl['id']]
    r = same(f"virtualization/virtual-machines/?cluster_id={cl['id']}&has_primary_ip=false", [v for v in cv if not v['primary_ip']],
             contrast=(f"virtualization/virtual-machines/?cluster_id={cl['id']}&has_primary_ip=true", []))
    q(ABS, 'vms in do-lon1 with no primary ip', 'configuration_audit', 'virtualization.virtualmachine', 4,
      'All of them: no VM has a primary IP.', total=len(r))

    r = [t for t in TENANTS if not [v for v in VLANS if idof(v['tenant']) == t['id']]]
    assert all((t['vlan_count'] == 0) == (t in r) for t in TENANTS)
    q(ABS, 'tenants without vlans', 'configuration_audit', 'tenancy.tenant', 4,
      f"{len(r)}: NC State University has sites and devices but no VLANs; only Dunder-Mifflin and Jimbob's have VLANs.",
      total=len(r), display=disp(r))

    r = [a for a in ASNS if not a['site_count']]
    for a in ASNS: assert count(f"dcim/sites/?asn_id={a['id']}") == a['site_count']
    q(ABS, 'asns not assigned to any site', 'configuration_audit', 'ipam.asn', 4,
      f"All {len(r)} (private ASNs {', '.join(disp(r))}, RIR RFC 6996); none is on a site or a provider."
      if not [a for a in ASNS if a['provider_count']] else 'provider_count changed',
      total=len(r), display=disp(r))

    withsite = set()
    for s_ in SITES:
        rid = idof(s_['region']); by_id = {x['id']: x for x in REGIONS}
        while rid: withsite.add(rid); rid = idof(by_id[rid]['parent'])
    r = [x for x in REGIONS if x['id'] not in withsite]; assert all((x['site_count'] == 0) == (x in r) for x in REGIONS)
    assert len({s_['region']['id'] for s_ in SITES}) == 12 and len(withsite) == 14
    q(ABS, 'regions with no sites', 'configuration_audit', 'dcim.region', 4,
      f"{len(r)} of {len(REGIONS)} regions: every continent and country except North America and United States, and "
      f"every US state but the 12 that hold a site. North America and United States hold sites only through their "
      f"child regions; they are not matches.",
      total=len(r), contains=['Africa', 'Texas', 'Canada', 'United Kingdon'])

    # =============================================================================================================
    # 5. patterns: connections, traces, cable ends, free IPs, utilisation, rack use, VLAN to ports, IPs to devices.
    # =============================================================================================================
    d = dev['dmi01-stamford-rtr01']; con = [i for i in itf_of[d['id']] if i['cable']]
    peers = {}
    for i in con:
        for lp in i['link_peers']:
            peers[i['name']] = (lp['device']['name'], lp['name']) if 'device' in lp else (lp['circuit']['cid'], lp['term_side'])
    q(PAT, "what's dmi01-stamford-rtr01 connected to", 'relationship_analysis', 'dcim.interface', 4,
      '; '.join(f'{k} -> {v[0]} {v[1]}' for k, v in sorted(peers.items())) + '. Each cabled interface must show its peer '
      '(circuit ids for the WAN ports); listing the uncabled ones too is fine.',
      contains=[i['display'] for i in con], answer_has=sorted({v[0] for v in peers.values()}) + ['GigabitEthernet1/0/1'])

    d = dev['ncsu-coreswitch2']; con = [i for i in itf_of[d['id']] if i['cable']]
    lp = sorted({(p_['device']['name'], p_['name']) for i in con for p_ in i['link_peers']})
    far = sorted({(e['device']['name'], e['name']) for i in con for e in i['connected_endpoints']})
    q(PAT, "what do ncsu-coreswitch2's cabled ports plug into", 'relationship_analysis', 'dcim.interface', 4,
      f"{len(con)} cabled ports, each to a patch panel front port: " + '; '.join(f'{a} {b}' for a, b in lp) +
      '. Through the panels and the campus fibres the far ends are ' + '; '.join(f'{a} {b}' for a, b in far) +
      ' (showing those too is a plus).', contains=[i['display'] for i in con],
      answer_has=sorted({a for a, _ in lp}))

    i = itf('ncsu-coreswitch2', 'xe-0/0/4'); hops = get(f"dcim/interfaces/{i['id']}/trace/")
    far = hops[-1][2][0]; circ = sorted({x['circuit']['cid'] for seg in hops for x in seg[0] + seg[2] if 'circuit' in x})
    assert i['connected_endpoints'][0]['id'] == far['id'] and len(circ) == 1
    assert (hops[0][2][0]['device']['name'], hops[0][2][0]['name']) == ('PP:B128', 'Port 3')
    assert next(x for x in DEVICES if x['id'] == hops[-1][0][0]['device']['id'])['site']['name'] == 'Butler Communications'
    q(PAT, 'trace ncsu-coreswitch2 xe-0/0/4', 'relationship_analysis', 'dcim.interface', 4,
      f"{len(hops)} cables: PP:B128 Port 3 -> rear splice -> circuit {circ[0]} -> PP:MDF (at Butler Communications) -> "
      f"{far['device']['name']} {far['name']}.", answer_has=[far['device']['name'], far['name'], circ[0], 'PP:B128'])

    i = itf('dmi01-utica-rtr01', 'GigabitEthernet0/0/0'); hops = get(f"dcim/interfaces/{i['id']}/trace/")
    cid = hops[0][2][0]['circuit']['cid']; pn_ = hops[-1][2][0]['display']
    assert not hops[-1][1] and i['connected_endpoints_type'] == 'circuits.providernetwork'
    q(PAT, 'where does dmi01-utica-rtr01 gi0/0/0 go', 'relationship_analysis', 'dcim.interface', 4,
      f"Gi0/0/0 = GigabitEthernet0/0/0. One cable to circuit {cid} (Level 3 MPLS) side Z; the A side is the provider "
      f"network {pn_!r}, where the path ends.", answer_has=[cid, pn_])

    i = itf('dmi01-pittsfield-rtr01', 'GigabitEthernet0/0/1'); hops = get(f"dcim/interfaces/{i['id']}/trace/")
    cid = hops[0][2][0]['circuit']['cid']; c = one(f'circuits/circuits/?cid={cid}')
    assert len(hops) == 1 and not i['connected_endpoints'] and c['termination_a'] is None
    q(PAT, 'trace dmi01-pittsfield-rtr01 Gi0/0/1', 'relationship_analysis', 'dcim.interface', 4,
      f"One cable (#{hops[0][1]['id']}) to circuit {cid} ({c['provider']['name']} {c['type']['name']}) side Z. The "
      f"circuit has no A side, so the trace ends there: no far-end device. Inventing one is wrong.",
      answer_has=[cid, c['provider']['name']])

    cb = one('dcim/cables/116/'); e = ends(cb); pp = next(t for t in cb['b_terminations'])
    ppd = next(x for x in DEVICES if x['id'] == pp['object']['device']['id'])
    q(PAT, 'cable #116 ends?', 'relationship_analysis', 'dcim.cable', 3,
      f"A: {e[0][1]} {e[0][2]}; B: {e[1][1]} {e[1][2]} (front port), the PP:MDF at {ppd['site']['name']} (three panels "
      f"share the name PP:MDF).", answer_has=[e[0][1], e[0][2], e[1][1], e[1][2]])

    cb = one('dcim/cables/88/'); e = ends(cb)
    ppd = next(x for x in DEVICES if x['id'] == cb['b_terminations'][0]['object']['device']['id'])
    q(PAT, 'what does cable 88 connect', 'relationship_analysis', 'dcim.cable', 3,
      f"A: circuit {e[0][1]} termination {e[0][2]}; B: {e[1][1]} {e[1][2]} (rear port) at {ppd['site']['name']}.",
      answer_has=[e[0][1], e[1][1], e[1][2]])

    cb = one('dcim/cables/76/'); e = ends(cb)
    assert [x[0] for x in e] == ['dcim.powerport', 'dcim.poweroutlet']
    q(PAT, 'cable 76 - both ends pls', 'relationship_analysis', 'dcim.cable', 3,
      f"A power cable: {e[0][1]} {e[0][2]} (power port) to {e[1][1]} {e[1][2]} (power outlet). Not an interface cable.",
      answer_has=[e[0][1], e[1][1], e[1][2]])

    p = pfx('172.17.0.0/24'); av = get(f"ipam/prefixes/{p['id']}/available-ips/?limit=1000")
    used = {ipaddress.ip_interface(a['address']).ip for a in ips_in(p)}
    assert used == {ipaddress.ip_address(f'172.17.0.{n}') for n in range(1, 31)}
    free = [h for h in ipaddress.ip_network(p['prefix']).hosts() if h not in used]
    assert [ipaddress.ip_interface(a['address']).ip for a in av] == free
    q(PAT, 'free ips in 172.17.0.0/24', 'performance_query', None, 4,
      f"{len(free)} free of 254 (VRF {p['vrf']['name']}: .1-.30 are used), the first being {free[0]}. A list or a "
      f"count of free addresses is fine (object_type left open: available IPs are not NetBox objects).",
      answer_has=[str(free[0]), str(len(free))])

    p = pfx('10.112.164.0/28'); av = get(f"ipam/prefixes/{p['id']}/available-ips/")
    free = list(ipaddress.ip_network(p['prefix']).hosts()); assert not ips_in(p)
    assert [ipaddress.ip_interface(a['address']).ip for a in av] == free
    q(PAT, 'available addresses in 10.112.164.0/28', 'performance_query', None, 4,
      f"All {len(free)} host addresses are free ({free[0]} - {free[-1]}): DM-Stamford's management /28 has no IP "
      f"addresses recorded.", answer_has=[str(free[0]), str(free[-1])])

    p = pfx('192.168.0.0/22'); used = ips_in(p); size = ipaddress.ip_network(p['prefix']).num_addresses - 2
    rng = [x for x in RANGES if ipaddress.ip_interface(x['start_address']).ip in ipaddress.ip_network(p['prefix'])]
    assert not p['mark_utilized'] and not p['is_pool'] and not [x for x in rng if x['mark_utilized'] or x['mark_populated']]
    av = get(f"ipam/prefixes/{p['id']}/available-ips/?limit=0"); assert len(av) == size - len(used)
    q(PAT, 'how full is 192.168.0.0/22', 'performance_query', 'ipam.prefix', 5,
      f"{len(used)} IP addresses of {size} usable: {len(used) / size * 100:.1f}% used (NetBox's own figure; 5 of them are "
      f"reserved). The {len(rng)} reserved IP ranges in 192.168.1.x ({sum(x['size'] for x in rng)} addresses) are not "
      f"marked utilized, so NetBox does not count them; a tool that counts them (about "
      f"{(len(used) + sum(x['size'] for x in rng)) / size * 100:.0f}%) must say so.",
      total=1, display=[p['display']], answer_has=[str(len(used))])

    p = pfx('172.16.0.0/16'); kids = [x for x in PREFIXES if idof(x['vrf']) == idof(p['vrf']) and x['id'] != p['id']
                                      and ipaddress.ip_network(x['prefix']).subnet_of(ipaddress.ip_network(p['prefix']))]
    pct = sum(ipaddress.ip_network(x['prefix']).num_addresses for x in kids) / ipaddress.ip_network(p['prefix']).num_addresses * 100
    q(PAT, 'utilisation of 172.16.0.0/16?', 'performance_query', 'ipam.prefix', 5,
      f"A container (VRF {p['vrf']['name']}): NetBox measures it by child prefixes, {len(kids)} /24s = {pct:.1f}%. "
      f"Counting the {len(ips_in(p))} IPs instead gives about 0.05%; either is acceptable if the tool says which.",
      total=1, display=[p['display']])

    rk = one('dcim/racks/?name=IDF128'); u = used_units(rk); rv = [x for x in RESV if x['rack']['id'] == rk['id']]
    assert len(rv) == 1
    q(PAT, 'rack use at butler communications', 'performance_query', 'dcim.rack', 6,
      f"One rack, IDF128: {len(u)} of {rk['u_height']} U occupied by devices ({fmt_units(u)}: ncsu128-distswitch1 1U, "
      f"PP:MDF 2U) = {len(u) / rk['u_height'] * 100:.1f}%; {rk['u_height'] - len(u)} U free. Units "
      f"{fmt_units(rv[0]['units'])} are reserved ({rv[0]['description']!r}); mentioning the reservation is a plus.",
      total=1, display=[rk['display']])

    loc = one('dcim/locations/?name=Row%202'); rk = [x for x in RACKS if idof(x['location']) == loc['id']]
    same(f"dcim/racks/?location_id={loc['id']}", rk)
    per = {x['name']: len(used_units(x)) for x in rk}; assert not [x for x in RESV if x['rack']['id'] in {k['id'] for k in rk}]
    q(PAT, 'rack utilization in row 2', 'performance_query', 'dcim.rack', 6,
      'U used of 48 per rack: ' + ', '.join(f'{k} {v}' for k, v in sorted(per.items())) +
      ' (R201 holds the 10U Lenovo Flex system; the others are empty; no reservations).',
      total=len(rk), display=disp(rk))

    rk = one('dcim/racks/?name=IDF117'); u = used_units(rk); assert not [x for x in RESV if x['rack']['id'] == rk['id']]
    q(PAT, 'how much space is left in IDF117', 'performance_query', 'dcim.rack', 4,
      f"{rk['u_height'] - len(u)} U free of {rk['u_height']}: ncsu117-distswitch1 (1U) and PP:MDF (2U) use "
      f"{fmt_units(u)}.", total=1, display=[rk['display']], answer_has=[str(rk['u_height'] - len(u))])

    s = site['DM-Utica']; sv = [v for v in VLANS if sid(v) == s['id']]
    for v in sv: assert count(f"dcim/interfaces/?vlan_id={v['id']}") == 0
    assert not [i for i in ITF if i['untagged_vlan'] or i['tagged_vlans']]
    q(PAT, 'vlans at DM-Utica with their ports and devices', 'relationship_analysis', 'ipam.vlan', 5,
      f"The site's {len(sv)} VLANs ({', '.join(disp(sv))}); no interface carries any of them (no 802.1Q mode in this "
      f"NetBox), so no ports or devices. Listing the VLANs with empty port columns is right.",
      total=len(sv), display=disp(sv))

    p = pfx('192.168.0.0/22'); inp = ips_in(p); assert not [a for a in inp if a['assigned_object']]
    same(f"ipam/ip-addresses/?parent={p['prefix']}&vrf_id=null", inp)
    q(PAT, 'which devices have ips in 192.168.0.0/22', 'relationship_analysis', 'dcim.device', 4,
      f"None: the prefix holds {len(inp)} addresses (5 reserved, 25 active), none assigned to an interface. An address "
      f"table showing them unassigned is fine; any device claimed is wrong.", total=0)

    i = itf('dmi01-nashua-rtr01', 'GigabitEthernet0/1/0'); hops = get(f"dcim/interfaces/{i['id']}/trace/")
    far = hops[-1][2][0]; assert len(hops) == 1
    q(PAT, 'path from dmi01-nashua-rtr01 gi0/1/0', 'relationship_analysis', 'dcim.interface', 4,
      f"One cable (#{hops[0][1]['id']}) straight to {far['device']['name']} {far['name']} (a member of Po1 on both "
      f"sides).", answer_has=[far['device']['name'], far['name']])

    s = site['DM-Pittsfield']
    nums = {'racks': s['rack_count'], 'devices': s['device_count'], 'vlans': s['vlan_count'],
            'prefixes': s['prefix_count'], 'circuits': s['circuit_count']}
    assert nums == {'racks': 1, 'devices': 4, 'vlans': 3, 'prefixes': 5, 'circuits': 2}
    assert len(devs_at('DM-Pittsfield')) == 4 and count(f"ipam/prefixes/?site_id={s['id']}") == 5
    cids = sorted(c['cid'] for c in CIRCUITS if idof(c['termination_z']) and c['termination_z']['termination_id'] == s['id'])
    q(PAT, 'summarize DM-Pittsfield', 'performance_query', 'dcim.site', 8,
      f"Region {s['region']['name']}, tenant {s['tenant']['name']}; {nums['racks']} rack (Comms closet), "
      f"{nums['devices']} devices, {nums['vlans']} VLANs, {nums['prefixes']} prefixes, {nums['circuits']} circuits "
      f"({', '.join(cids)}).", total=1, display=[s['display']], answer_has=cids)

    rk = one('dcim/racks/?name=R104')
    r = same(f"dcim/devices/?rack_id={rk['id']}", [x for x in DEVICES if idof(x['rack']) == rk['id']])
    q(PAT, "what's in rack R104", 'bulk_discovery', 'dcim.device', 4,
      f"One device, {r[0]['display']} at U{int(r[0]['position'])} (16U).", total=len(r), display=disp(r))

    rk = one('dcim/racks/?name=R105')
    r = same(f"dcim/power-feeds/?rack_id={rk['id']}", [f for f in PFEEDS if idof(f['rack']) == rk['id']])
    assert [(f['type']['value'], f['power_panel']['name']) for f in sorted(r, key=lambda f: f['name'])] == \
        [('primary', 'Panel 1'), ('redundant', 'Panel 2')] and len({(f['voltage'], f['amperage']) for f in r}) == 1
    q(PAT, 'power feeds for rack R105', 'relationship_analysis', 'dcim.powerfeed', 4,
      f"{' and '.join(disp(r))}: an A (primary, Panel 1) and a B (redundant, Panel 2) feed, "
      f"{r[0]['voltage']} V / {r[0]['amperage']} A each.", total=len(r), display=disp(r))

    c = one('circuits/circuits/?cid=1002843428'); tz = c['termination_z']
    ct = one(f"circuits/circuit-terminations/?circuit_id={c['id']}&term_side=Z"); lp_ = ct['link_peers'][0]
    q(PAT, 'where does circuit 1002843428 land', 'relationship_analysis', 'circuits.circuit', 4,
      f"Z end at site {tz['termination']['name']}, cabled to {lp_['device']['name']} {lp_['name']}; no A end.",
      total=1, display=[c['display']], answer_has=[tz['termination']['name'], lp_['device']['name']])

    ip = ipaddress.ip_address('172.19.0.17')
    r = same(f"ipam/prefixes/?contains={ip}", [p for p in PREFIXES if ip in ipaddress.ip_network(p['prefix'])])
    q(PAT, 'which prefixes contain 172.19.0.17', 'relationship_analysis', 'ipam.prefix', 3,
      f"{' and '.join(disp(r))}, both VRF Delta (the address itself exists: 172.19.0.17/24 in Delta).",
      total=len(r), display=disp(r))

    p = pfx('10.112.152.0/22')
    r = same(f"ipam/prefixes/?within={p['prefix']}",
             [x for x in PREFIXES if x['id'] != p['id'] and idof(x['vrf']) == idof(p['vrf'])
              and ipaddress.ip_network(x['prefix']).subnet_of(ipaddress.ip_network(p['prefix']))])
    q(PAT, 'child prefixes of 10.112.152.0/22', 'relationship_analysis', 'ipam.prefix', 4,
      "DM-Pittsfield's management /28 and its data, voice and wireless /24s. `within_include` would add the /22 itself.",
      total=len(r), display=disp(r))

    a = one('ipam/ip-addresses/?address=172.20.0.9/24')
    assert not a['assigned_object'] and count('ipam/ip-addresses/?q=172.20.0.9') >= 1
    q(PAT, 'where is 172.20.0.9', 'device_lookup', 'ipam.ipaddress', 4,
      f"{a['display']} in VRF {a['vrf']['name']}, {a['status']['label']}, not assigned to anything; in prefix "
      f"172.20.0.0/24 (and the /16). Not 172.20.0.90-99 (no such addresses anyway).",
      total=1, display=[a['display']], answer_has=[a['vrf']['name']])

    fp = next(f for f in FRONT if f['device']['name'] == 'PP:B128' and f['name'] == 'Port 2')
    peer = fp['link_peers'][0]
    q(PAT, "what's plugged into PP:B128 port 2", 'relationship_analysis', 'dcim.frontport', 4,
      f"Front port Port 2 has cable #{fp['cable']['id']} to {peer['device']['name']} {peer['name']}. On the rear, the "
      f"splice runs over circuit 319031 to Butler Communications (showing it is a plus).",
      answer_has=[peer['device']['name'], peer['name']])

    # =============================================================================================================
    # 6. messy: ambiguous names, names that do not exist, typos, words no NetBox concept covers, other models.
    # =============================================================================================================
    jbb = [s_ for s_ in SITES if s_['name'].startswith('JBB Branch')]
    q(MSY, 'show me JBB Branch', 'device_lookup', 'dcim.site', 3,
      f"Ambiguous: {len(jbb)} sites are JBB Branch NNN. Asking which one (needs_choice), or listing all {len(jbb)}, is "
      f"right; picking one is wrong.", status='needs_choice', total=len(jbb), display=disp(jbb))

    at = devs_at('DM-Rochester')
    q(MSY, 'devices at dm-rochster', 'bulk_discovery', 'dcim.device', 5,
      f"Typo (rochster) for site DM-Rochester: its {len(at)} devices. NetBox itself spells the switch "
      f"dmi01-rochster-sw01, so the typo also matches a device name, but the question asks about a site.",
      total=len(at), display=disp(at))

    s = site['DM-Pittsfield']; r = same(f"ipam/vlans/?site_id={s['id']}", [v for v in VLANS if sid(v) == s['id']])
    q(MSY, 'vlans at dm-pitsfield', 'bulk_discovery', 'ipam.vlan', 5,
      'Typo (pitsfield, one t) for DM-Pittsfield.', total=len(r), display=disp(r))

    s = site['JBB Branch 104']; r = same(f"ipam/vlans/?site_id={s['id']}", [v for v in VLANS if sid(v) == s['id']])
    q(MSY, 'wat vlans r at jbb branch 104 thx', 'bulk_discovery', 'ipam.vlan', 4,
      f"SMS-speak. The {len(r)} VLANs of JBB Branch 104 (group {r[0]['group']['name']}); not those of the other JBB "
      f"branches, which have the same names and VIDs.", total=len(r), display=disp(r))

    d = dev['dmi01-rochster-sw01']; assert 'dmi01-rochester-sw01' not in dev
    q(MSY, 'show dmi01-rochester-sw01', 'device_lookup', 'dcim.device', 5,
      'The name is misspelled in NetBox itself (dmi01-rochster-sw01); the correctly spelled question must resolve to '
      'it (one letter apart, the only switch at DM-Rochester).',
      total=1, display=[d['display']])

    at = [x for x in devs_at('DM-Utica') if 'switch' in x['role']['slug']]
    q(MSY, 'switches at dm-utica that are purple', 'bulk_discovery', 'dcim.device', 5,
      f"'purple' matches no NetBox field (device roles have colours, but the Access Switch role is "
      f"{next(ro for ro in DROLES if ro['slug'] == 'access-switch')['color']}, a blue). The tool must not claim an exact "
      f"answer: ask, or show the switch at DM-Utica ({', '.join(disp(at))}) and say the colour was not applied.",
      status='partial_or_ask')

    assert not [s_ for s_ in SITES if 'boston' in s_['name'].lower()] and count('dcim/sites/?q=boston') == 0
    q(MSY, 'show site DM-Boston', 'device_lookup', 'dcim.site', 4,
      'No such site. A clear not-found (perhaps offering close names) is right; resolving to DM-Buffalo or another '
      'DM- site is wrong.', total=0)

    assert count('circuits/circuits/?cid=ABCD1234') == 0 and count('circuits/circuits/?q=ABCD') == 0
    q(MSY, 'circuit ABCD1234 details', 'device_lookup', 'circuits.circuit', 4,
      'No such circuit. Say so; showing another circuit is wrong.', total=0)

    assert not [v for v in VLANS if v['vid'] == 999] and count('ipam/vlans/?vid=999') == 0
    q(MSY, 'vlan 999?', 'device_lookup', 'ipam.vlan', 3,
      f"No VLAN has VID 999 (VIDs in use: {', '.join(str(x) for x in sorted({v['vid'] for v in VLANS}))}). A clear "
      f"none; listing other VLANs is wrong.", total=0)

    assert count('ipam/prefixes/?prefix=10.99.0.0/16') == 0 and count('ipam/prefixes/?within_include=10.99.0.0/16') == 0
    assert count('ipam/prefixes/?contains=10.99.0.0/16') == 0 and count('ipam/aggregates/?prefix=10.0.0.0/8') == 1
    q(MSY, 'show prefix 10.99.0.0/16', 'device_lookup', 'ipam.prefix', 4,
      'No such prefix (nor any inside it). It lies inside the RFC 1918 aggregate 10.0.0.0/8 and the containing prefixes '
      'are none (10.112.0.0/15 does not contain it); mentioning the aggregate is a plus, answering about 10.112.x is '
      'wrong.', total=0)

    assert count('dcim/racks/?name=R999') == 0
    q(MSY, 'rack R999', 'device_lookup', 'dcim.rack', 4, 'No such rack (MDF has R101-R308). Not found; not R99x.',
      total=0)

    assert count('tenancy/tenants/?q=acme') == 0
    q(MSY, 'devices for tenant acme corp', 'bulk_discovery', 'dcim.device', 4,
      f"No tenant Acme (the {len(TENANTS)} tenants are {', '.join(disp(TENANTS))}): say so. Listing all devices "
      f"(the tenant filter dropped) is wrong.", total=0)

    r = [v for v in VLANS if v['name'] == 'Data']; same('ipam/vlans/?name=Data', r)
    q(MSY, 'show vlan Data', 'device_lookup', 'ipam.vlan', 3,
      f"Ambiguous: {len(r)} VLANs are named Data (VID 100 at the 13 DM branches, 201 at the 6 JBB branches). Asking "
      f"which site, or listing all {len(r)} with their sites, is right; one is wrong.",
      status='needs_choice', total=len(r), display=disp(r))

    r = [x for x in DEVICES if (x['name'] or '').endswith('-distswitch1')]
    q(MSY, 'show ncsu-distswitch1', 'device_lookup', 'dcim.device', 4,
      f"No device has that exact name; {len(r)} are equally close (ncsu117-, ncsu118-, ncsu128-distswitch1). Asking "
      f"which, or listing the {len(r)}, is right; silently picking one is wrong.",
      status='needs_choice', total=len(r), display=disp(r))

    pl = [x for x in RACKS if x['name'].startswith('Plant')]; pld = [x for x in DEVICES if idof(x['rack']) in {k['id'] for k in pl}]
    q(MSY, "what's in rack Plant", 'bulk_discovery', 'dcim.device', 4,
      f"Ambiguous: {len(pl)} racks, {', '.join(disp(pl))} at MDF. Asking which is right; showing both (Plant 1 holds "
      f"{len(pld)} patch panels, Plant 2 nothing) is fine too.", status='needs_choice', total=len(pld), display=disp(pld))

    pn = one('dcim/power-panels/?name=Panel%202')
    r = same(f"dcim/power-feeds/?power_panel_id={pn['id']}", [f for f in PFEEDS if f['power_panel']['id'] == pn['id']])
    q(MSY, 'feeds on panel 2', 'bulk_discovery', 'dcim.powerfeed', 4,
      f"Power panel Panel 2 (MDF): the {len(r)} B feeds of rows 1 and 2 (P2-1B .. P2-16B). 'feeds' = power feeds.",
      total=len(r), contains=disp(r)[:3])

    loc = one('dcim/locations/?name=Row%203'); rk3 = {x['id'] for x in RACKS if idof(x['location']) == loc['id']}
    row3 = [f for f in PFEEDS if idof(f['rack']) in rk3]; r = [f for f in row3 if f['type']['value'] == 'redundant']
    rq = '&'.join(f'rack_id={k}' for k in sorted(rk3))
    same(f"dcim/power-feeds/?{rq}&type=redundant", r)
    assert count(f"dcim/power-feeds/?location_id={loc['id']}") == 0  # a feed's location is not its rack's
    assert status_of('dcim/power-feeds/?supply=redundant') == 400   # redundant is the feed *type*; supply is ac/dc
    q(MSY, 'redundant power feeds in row 3', 'bulk_discovery', 'dcim.powerfeed', 5,
      f"The {len(r)} B feeds (type redundant, Panel 4) of the Row 3 racks. The power-feed location filter gives 0 here "
      f"(the feeds' panels have no location): the racks of the row are the way in.", total=len(r), display=disp(r),
      without=('redundant', len(row3), 'feeds'))

    f = one('dcim/power-feeds/?name=P1-9A')
    q(MSY, 'how many amps on power feed P1-9A', 'device_lookup', 'dcim.powerfeed', 3,
      f"{f['amperage']} A at {f['voltage']} V, {f['phase']['label']} {f['supply']['label']}, max utilisation "
      f"{f['max_utilization']}%; rack {f['rack']['name']}.", total=1, display=[f['display']],
      answer_has=[str(f['amperage'])])

    q(MSY, 'list asns', 'bulk_discovery', 'ipam.asn', 3, f"{len(ASNS)} private ASNs, RIR RFC 6996.",
      total=len(ASNS), display=disp(ASNS))

    a = one('ipam/asns/?asn=65003')
    q(MSY, 'what rir is AS65003 under', 'device_lookup', 'ipam.asn', 3, f"RIR {a['rir']['name']} (private).",
      total=1, display=[a['display']], answer_has=[a['rir']['name']])

    a = one('ipam/asns/?asn=65001'); r = same(f"dcim/sites/?asn_id={a['id']}", [s_ for s_ in SITES if a['id'] in {x['id'] for x in s_['asns']}],
                                             contrast=('dcim/sites/', SITES))
    q(MSY, 'which sites use asn 65001', 'bulk_discovery', 'dcim.site', 4,
      'None: the ASN exists but is on no site. Listing all sites (filter dropped) is wrong.', total=0,
      without=('asn 65001', len(SITES), 'sites'))

    r = same('dcim/devices/?role=router&region=us-pa',
             [x for x in DEVICES if x['role']['slug'] == 'router' and x['site']['id'] in sites_in('Pennsylvania')])
    q(MSY, 'hw many rtrs r in PA', 'performance_query', 'dcim.device', 4,
      'SMS-speak: routers in region Pennsylvania (DM-Scranton).', total=len(r), display=disp(r))

    q(MSY, 'devices on the 5th floor at butler communications', 'bulk_discovery', 'dcim.device', 5,
      f"NetBox has no floors here: Butler Communications has no locations at all, one rack (IDF128). The tool must not "
      f"claim an exact answer: ask, or show the site's {site['Butler Communications']['device_count']} devices and "
      f"say the floor was not applied.",
      status='partial_or_ask')

    ct = sites_in('Connecticut'); r = same('dcim/racks/?region=us-ct', [x for x in RACKS if x['site']['id'] in ct])
    q(MSY, 'racks in ct', 'bulk_discovery', 'dcim.rack', 4,
      f"ct = region Connecticut (one site, DM-Stamford): its {len(r)} Comms closet. The other 12 racks named Comms "
      f"closet are elsewhere: listing them is wrong.", total=len(r), display=disp(r), answer_has=['DM-Stamford'])

    assert count('virtualization/virtual-machines/?name=vm1000') == 0
    q(MSY, 'show me the vm vm1000', 'device_lookup', 'virtualization.virtualmachine', 4,
      f"No such VM (vm1 .. vm{len(VMS)}). Not found; resolving to vm100 or vm10 is wrong.", total=0)

    assert not [c for c in CABLES if c['label']] and count('dcim/cables/?label=FIBER-01') == 0
    q(MSY, 'cable labelled FIBER-01', 'device_lookup', 'dcim.cable', 3,
      'No cable has a label at all in this NetBox. A clear not-found; showing some cable is wrong.', total=0)

    q(MSY, 'switches at scranton bought before 2020', 'bulk_discovery', 'dcim.device', 5,
      'NetBox records no purchase date for devices (no such field or custom field). The tool must not claim an exact '
      'answer: ask, or show the switch at DM-Scranton and say the date was not applied.', status='partial_or_ask')

    d = dev['ncsu-coreswitch2']
    q(MSY, 'ncsu coreswitch 2 interfaces pls', 'relationship_analysis', 'dcim.interface', 5,
      'Loose name with spaces for ncsu-coreswitch2 (not ncsu-coreswitch1).', total=len(itf_of[d['id']]))

    assert count('wireless/wireless-lans/') == 0
    q(MSY, 'show me the wireless lans', 'bulk_discovery', 'wireless.wirelesslan', 3,
      "None: NetBox's wireless LAN table is empty. The Wireless (300) VLANs are VLANs, not wireless LANs; listing them "
      "as such is wrong, mentioning them is fine.", total=0)


def fixture_corpus():
    """Questions that need the fixture NetBox's seeded data (802.1Q modes, VLANs on ports, descriptions, disabled
    ports, serials, asset tags, IPs on interfaces, primary IPs). Values are read by REST here, never from
    tests/data/fixture-seed.json. Devices with an asset tag display as 'name (asset tag)': `display` uses that."""
    VMIF = get('virtualization/interfaces/?fields=id,display,name,virtual_machine,enabled,description,mode,'
               'untagged_vlan,tagged_vlans,count_ipaddresses')
    vm = {v['name']: v for v in VMS}
    def carries(i, v): return idof(i['untagged_vlan']) == v['id'] or v['id'] in {t['id'] for t in i['tagged_vlans']}
    def vlan_at(site_name, vid): return one(f"ipam/vlans/?site_id={site[site_name]['id']}&vid={vid}")
    def ip_of(itf_): return [a for a in IPS if a['assigned_object_type'] == 'dcim.interface' and a['assigned_object_id'] == itf_['id']]
    def addr(a): return a['address'].split('/')[0]
    seeded = [x for x in DEVICES if x['serial'] or x['asset_tag'] or x['primary_ip']]
    assert seeded and [i for i in ITF if i['mode']] and [i for i in ITF if not i['enabled']], 'not the fixture NetBox'

    # ---- attribute ------------------------------------------------------------------------------------------
    d = dev['dmi01-stamford-sw01']; assert d['serial'] and d['asset_tag'] and d['display'] != d['name']
    q(ATTR, 'serial number of dmi01-stamford-sw01', 'device_lookup', 'dcim.device', 3,
      f"Serial {d['serial']}. NetBox displays the device as {d['display']!r} because it has an asset tag.",
      total=1, display=[d['display']], answer_has=[d['serial']])

    d = dev['ncsu-coreswitch2']; assert d['asset_tag']
    q(ATTR, 'asset tag on ncsu-coreswitch2?', 'device_lookup', 'dcim.device', 3,
      f"Asset tag {d['asset_tag']} (serial {d['serial']}).", total=1, display=[d['display']], answer_has=[d['asset_tag']])

    d = dev['dmi01-stamford-rtr01']; pi = d['primary_ip']; assert pi
    a = one(f"ipam/ip-addresses/{pi['id']}/")
    q(ATTR, 'whats the primary ip of dmi01-stamford-rtr01', 'device_lookup', 'dcim.device', 3,
      f"Primary IPv4 {pi['address']} ({a['assigned_object']['name']}, role {(a['role'] or {}).get('label')}). "
      f"The router has other addresses (the Vlan gateways): those are not the primary.",
      total=1, display=[d['display']], answer_has=[addr(pi)])

    d = dev['dmi01-utica-sw01']; assert not d['primary_ip'] and not d['oob_ip']
    mg = [i for i in itf_of[d['id']] if i['mgmt_only']]; mip = [a for i in mg for a in ip_of(i)]; assert len(mip) == 1
    assert count(f"ipam/ip-addresses/?device_id={d['id']}") == len([a for i in itf_of[d['id']] for a in ip_of(i)])
    q(ATTR, 'mgmt ip for dmi01-utica-sw01', 'device_lookup', 'dcim.device', 4,
      f"No primary (or OOB) IP is set on the device, but its management-only interface {mg[0]['name']} has "
      f"{mip[0]['address']}. The right answer gives that address and says it is not set as primary; 'none' alone "
      f"misses it, calling it the primary IP is wrong.", total=1, display=[d['display']], answer_has=[addr(mip[0])])

    d = dev['ncsu117-distswitch1']; assert d['platform']
    q(ATTR, 'platform on ncsu117-distswitch1', 'device_lookup', 'dcim.device', 3,
      f"Platform {d['platform']['name']}.", total=1, display=[d['display']], answer_has=[d['platform']['name']])

    i = itf('dmi01-stamford-sw01', 'GigabitEthernet1/0/9'); assert i['mode']['value'] == 'access' and i['untagged_vlan']
    q(ATTR, 'untagged vlan of gi1/0/9 on dmi01-stamford-sw01', 'device_lookup', 'dcim.interface', 4,
      f"gi1/0/9 = GigabitEthernet1/0/9: {i['mode']['label']} port, untagged VLAN {i['untagged_vlan']['display']} "
      f"(description {i['description']!r}).", total=1, display=[i['display']], answer_has=[i['untagged_vlan']['name']])

    i = itf('ncsu-coreswitch2', 'xe-1/3/7'); assert i['description'] and not i['enabled']
    q(ATTR, 'description of xe-1/3/7 on ncsu-coreswitch2', 'device_lookup', 'dcim.interface', 4,
      f"{i['description']!r}; the port is disabled.", total=1, display=[i['display']], answer_has=[i['description']])

    d = dev['dmi01-utica-sw01']; assert d['asset_tag'] and not d['serial']
    q(ATTR, 'serial of dmi01-utica-sw01', 'device_lookup', 'dcim.device', 3,
      f"No serial number is recorded; the switch has an asset tag ({d['asset_tag']}), which is not a serial. Saying "
      f"the serial is not set is right; giving the asset tag as the serial is wrong.",
      total=1, display=[d['display']])

    # ---- filter ---------------------------------------------------------------------------------------------
    d = dev['dmi01-stamford-sw01']; mine = itf_of[d['id']]
    r = same(f"dcim/interfaces/?device_id={d['id']}&enabled=false", [i for i in mine if not i['enabled']])
    q(FIL, 'disabled ports on dmi01-stamford-sw01', 'bulk_discovery', 'dcim.interface', 4,
      f"{len(r)} ports are disabled ({', '.join(i['name'] for i in r)}).", total=len(r), display=disp(r),
      dropped=('disabled', len(mine), 'interfaces'))

    v = vlan_at('DM-Stamford', 100)
    r = same(f"dcim/interfaces/?device_id={d['id']}&mode=access&vlan_id={v['id']}",
             [i for i in mine if (i['mode'] or {}).get('value') == 'access' and carries(i, v)])
    dis = [i for i in r if not i['enabled']]; assert len(dis) == 1
    trunks100 = [i['name'] for i in mine if carries(i, v) and (i['mode'] or {}).get('value') != 'access']
    q(FIL, 'access ports in vlan 100 on dmi01-stamford-sw01', 'bulk_discovery', 'dcim.interface', 5,
      f"Access mode with untagged {v['display']}: {len(r)} ports, {dis[0]['name']} among them although it is disabled "
      f"({dis[0]['description']!r}). The trunks that carry VLAN 100 untagged ({', '.join(trunks100)}) are not "
      f"access ports.", total=len(r), display=disp(r))
    q(FIL, 'enabled access ports in vlan 100 on dmi01-stamford-sw01', 'bulk_discovery', 'dcim.interface', 5,
      f"The same access ports minus the disabled {dis[0]['name']}.", total=len(r) - 1,
      display=disp([i for i in r if i['enabled']]), dropped=('enabled', len(r), 'ports'))
    same(f"dcim/interfaces/?device_id={d['id']}&mode=access&vlan_id={v['id']}&enabled=true", [i for i in r if i['enabled']])

    r = same(f"dcim/interfaces/?device_id={d['id']}&mode=tagged&mode=tagged-all",
             [i for i in mine if (i['mode'] or {}).get('value') in ('tagged', 'tagged-all')])
    mem = [i for i in mine if nm(i['lag']) == 'Po1']; assert [i['name'] for i in mem] == ['GigabitEthernet1/0/1', 'GigabitEthernet1/0/2'] and not [i for i in mem if i['mode']]
    assert status_of('dcim/interfaces/?mode=trunk') == 400  # the value is 'tagged'; 'trunk' is a 400, not ignored
    q(FIL, 'trunk ports on dmi01-stamford-sw01', 'bulk_discovery', 'dcim.interface', 4,
      f"Trunk = 802.1Q mode Tagged (or Tagged (All)): {', '.join(i['name'] for i in r)}. Po1's members "
      f"Gi1/0/1-2 have no mode of their own.", total=len(r), display=disp(r))

    r = same('dcim/interfaces/?description__ic=printer', [i for i in ITF if 'printer' in i['description'].lower()])
    q(FIL, "interfaces with 'printer' in the description", 'bulk_discovery', 'dcim.interface', 3,
      f"{len(r)} interfaces on {len({i['device']['id'] for i in r})} devices; one says the printer was removed, and "
      f"it is still a match (the question is about the text).", total=len(r), display=disp(r),
      answer_has=sorted({i['device']['name'] for i in r}))

    r = same('dcim/devices/?serial__empty=false', [x for x in DEVICES if x['serial']])
    q(FIL, 'devices with a serial number', 'configuration_audit', 'dcim.device', 3,
      f"{len(r)} of {len(DEVICES)}.", total=len(r), display=disp(r))

    d = dev['dmi01-stamford-rtr01']
    r = same(f"dcim/interfaces/?device_id={d['id']}&type=virtual",
             [i for i in itf_of[d['id']] if i['type']['value'] == 'virtual'])
    q(FIL, 'virtual interfaces on dmi01-stamford-rtr01', 'bulk_discovery', 'dcim.interface', 4,
      f"Type Virtual: {', '.join(i['name'] for i in r)} (each with an IP). Po1 is a LAG, not type Virtual; listing it "
      f"as well is acceptable only if the tool says it counts LAGs as virtual.", total=len(r), display=disp(r),
      dropped=('virtual', len(itf_of[d['id']]), 'interfaces'))

    r = same('ipam/ip-addresses/?role=loopback', [a for a in IPS if (a['role'] or {}).get('value') == 'loopback'])
    q(FIL, 'loopback ips', 'bulk_discovery', 'ipam.ipaddress', 3,
      f"IP role Loopback: {', '.join(disp(r))} on {r[0]['assigned_object']['device']['name']} "
      f"{r[0]['assigned_object']['name']}.", total=len(r), display=disp(r),
      answer_has=[r[0]['assigned_object']['device']['name']])

    # ---- count ----------------------------------------------------------------------------------------------
    d = dev['ncsu-coreswitch2']
    r = same(f"dcim/interfaces/?device_id={d['id']}&enabled=false", [i for i in itf_of[d['id']] if not i['enabled']])
    q(CNT, 'how many disabled ports on ncsu-coreswitch2', 'performance_query', 'dcim.interface', 4,
      f"{len(r)}: {', '.join(i['name'] for i in r)}.", total=len(r), display=disp(r))

    r = same('dcim/interfaces/?mode=access', [i for i in ITF if (i['mode'] or {}).get('value') == 'access'])
    q(CNT, 'how many interfaces are in access mode', 'performance_query', 'dcim.interface', 3,
      f"{len(r)} on {len({i['device']['id'] for i in r})} devices.", total=len(r))

    d = dev['dmi01-stamford-sw01']
    per = Counter((i['mode'] or {}).get('label', '(none)') for i in itf_of[d['id']])
    for m in {(i['mode'] or {}).get('value') for i in itf_of[d['id']]} - {None}:
        assert count(f"dcim/interfaces/?device_id={d['id']}&mode={m}") == len([i for i in itf_of[d['id']] if (i['mode'] or {}).get('value') == m])
    q(CNT, 'count interfaces by switchport mode on dmi01-stamford-sw01', 'performance_query', 'dcim.interface', 3,
      f"Counts: {pairs(per)}. (none) = no mode set; showing it is a plus.",
      answer_has=['Access', 'Tagged', str(per['Access'])])

    r = same('dcim/devices/?has_primary_ip=true', [x for x in DEVICES if x['primary_ip']])
    assert [x['name'] for x in VMS if x['primary_ip']] == ['vm1']
    q(CNT, 'how many devices have a primary ip', 'performance_query', 'dcim.device', 3,
      f"{len(r)} devices; vm1 has one too, but it is a VM, not a device.", total=len(r), display=disp(r))

    g = one('ipam/vlan-groups/?name=NCSU%20Campus')
    r = same(f"ipam/vlans/?group_id={g['id']}", [v for v in VLANS if idof(v['group']) == g['id']])
    q(CNT, 'how many vlans in group NCSU Campus', 'performance_query', 'ipam.vlan', 4,
      f"{len(r)}: {', '.join(v['display'] for v in sorted(r, key=lambda v: v['vid']))}; the group is scoped to region "
      f"{nm(g['scope'])}.", total=len(r), display=disp(r))

    v = vlan_at('DM-Stamford', 200); r = [i for i in ITF if carries(i, v)]
    same(f"dcim/interfaces/?vlan_id={v['id']}", r)
    q(CNT, 'how many ports carry voice vlan 200 at dm-stamford', 'performance_query', 'dcim.interface', 5,
      f"{len(r)}: untagged on {', '.join(i['name'] for i in r if idof(i['untagged_vlan']) == v['id'])}, tagged on "
      f"{', '.join(i['device']['name'] + ' ' + i['name'] for i in r if idof(i['untagged_vlan']) != v['id'])}. Only "
      f"DM-Stamford's VLAN 200 counts (13 sites have a VID 200).", total=len(r), display=disp(r))

    # ---- absence --------------------------------------------------------------------------------------------
    at = devs_at('DM-Stamford')
    r = same(f"dcim/devices/?site_id={site['DM-Stamford']['id']}&serial__empty=true", [x for x in at if not x['serial']])
    q(ABS, 'devices at dm-stamford with no serial', 'configuration_audit', 'dcim.device', 4,
      f"{len(r)}: {', '.join(disp(r))}; the router and the switch have serials.", total=len(r), display=disp(r),
      without=('at dm-stamford', len([x for x in DEVICES if not x['serial']]), 'devices'))

    ro = next(x for x in DROLES if x['slug'] == 'access-switch'); acc = [x for x in DEVICES if x['role']['id'] == ro['id']]
    r = same(f"dcim/devices/?role={ro['slug']}&asset_tag__empty=true", [x for x in acc if not x['asset_tag']])
    q(ABS, 'access switches without an asset tag', 'configuration_audit', 'dcim.device', 4,
      f"{len(r)} of {len(acc)}: all but {', '.join(x['name'] for x in acc if x['asset_tag'])}.", total=len(r),
      contains=disp(r)[:4])

    d = dev['dmi01-stamford-sw01']
    r = same(f"dcim/interfaces/?device_id={d['id']}&description__empty=true", [i for i in itf_of[d['id']] if not i['description']])
    q(ABS, 'ports on dmi01-stamford-sw01 with no description', 'configuration_audit', 'dcim.interface', 4,
      f"{len(r)} of {len(itf_of[d['id']])} interfaces have no description.", total=len(r),
      contains=['GigabitEthernet1/0/4', 'GigabitEthernet1/0/44'], without=('with no description', len(itf_of[d['id']]), 'interfaces'))

    g = one('ipam/vlan-groups/?name=NCSU%20Campus'); gv = [v for v in VLANS if idof(v['group']) == g['id']]
    r = [v for v in gv if not [i for i in ITF + VMIF if carries(i, v)]]
    for v in gv: assert (count(f"dcim/interfaces/?vlan_id={v['id']}") == 0) == (v in r)
    assert all([i for i in itf_of[dev['ncsu117-distswitch1']['id']] if carries(i, v)] for v in gv)
    q(ABS, 'NCSU Campus vlans that no interface uses', 'configuration_audit', 'ipam.vlan', 5,
      f"None: each of the {len(gv)} VLANs of the group is on at least one port of ncsu117-distswitch1 (Native (999) "
      f"untagged on the trunks and on ncsu-coreswitch2 ae0).", total=len(r))

    s = site['DM-Utica']; sv = [v for v in VLANS if sid(v) == s['id']]
    r = [v for v in sv if not [i for i in ITF if carries(i, v)]]
    for v in sv: assert (count(f"dcim/interfaces/?vlan_id={v['id']}") == 0) == (v in r)
    q(ABS, 'vlans at dm-utica not used by any port', 'configuration_audit', 'ipam.vlan', 5,
      f"None here: all {len(sv)} are on dmi01-utica-sw01 ports (access ports and the Po1 trunk). (On the plain demo data "
      f"the answer is all three.)", total=len(r))

    cl = one('virtualization/clusters/?name=DO-AMS3'); cv = [x for x in VMS if x['cluster']['id'] == cl['id']]
    r = same(f"virtualization/virtual-machines/?cluster_id={cl['id']}&has_primary_ip=false", [x for x in cv if not x['primary_ip']])
    v2 = vm['vm2']; assert v2 in r and count(f"ipam/ip-addresses/?virtual_machine_id={v2['id']}") == 1
    q(ABS, 'vms in DO-AMS3 with no primary ip', 'configuration_audit', 'virtualization.virtualmachine', 4,
      f"{len(r)} of {len(cv)}: only vm1 has a primary IP. vm2 has an address on eth0 but it is not set as primary, so "
      f"vm2 is a match.", total=len(r), contains=['vm2', 'vm3'])

    # ---- pattern --------------------------------------------------------------------------------------------
    a = one('ipam/ip-addresses/?address=10.112.165.1'); ao = a['assigned_object']
    q(PAT, 'which device has ip 10.112.165.1', 'device_lookup', 'ipam.ipaddress', 3,
      f"{a['display']} is on {ao['device']['name']} {ao['name']} ({a['description']!r}).",
      total=1, display=[a['display']], answer_has=[ao['device']['name'], ao['name']])

    a = one('ipam/ip-addresses/?address=192.168.4.22'); ao = a['assigned_object']
    q(PAT, 'who has 192.168.4.22', 'device_lookup', 'ipam.ipaddress', 3,
      f"{a['display']} (VRF {nm(a['vrf'])}) is on VM {ao['virtual_machine']['name']} {ao['name']}; not a device.",
      total=1, display=[a['display']], answer_has=[ao['virtual_machine']['name']])

    v = vlan_at('DM-Stamford', 300); r = [i for i in ITF if carries(i, v)]; same(f"dcim/interfaces/?vlan_id={v['id']}", r)
    q(PAT, 'ports in vlan 300 at dm-stamford', 'relationship_analysis', 'dcim.interface', 5,
      'Untagged: ' + ', '.join(f"{i['device']['name']} {i['name']}" for i in r if idof(i['untagged_vlan']) == v['id']) +
      '; tagged: ' + ', '.join(f"{i['device']['name']} {i['name']}" for i in r if idof(i['untagged_vlan']) != v['id']) +
      '. The rows must say which device each port is on.', total=len(r), display=disp(r),
      answer_has=sorted({i['device']['name'] for i in r}))

    v = one('ipam/vlans/?name=Research-Lab'); r = [i for i in ITF if carries(i, v)]
    same(f"dcim/interfaces/?vlan_id={v['id']}", r); devs_ = sorted({i['device']['name'] for i in r})
    ta = [i for i in ITF if (i['mode'] or {}).get('value') == 'tagged-all']
    q(PAT, 'which switches have the Research-Lab vlan on a port', 'relationship_analysis', 'dcim.device', 5,
      f"{', '.join(devs_)} ({', '.join(i['name'] for i in r)}). "
      f"{', '.join(i['device']['name'] + ' ' + i['name'] for i in ta)} is Tagged (All), which carries every VLAN "
      f"without listing it: adding that switch with this reason is acceptable, not required.",
      contains=[dev[n]['display'] for n in devs_], answer_has=devs_)

    i = itf('ncsu117-distswitch1', 'ae0')
    q(PAT, 'vlans on ncsu117-distswitch1 ae0', 'relationship_analysis', 'dcim.interface', 4,
      f"{i['mode']['label']}: untagged {i['untagged_vlan']['display']}, tagged "
      f"{', '.join(t['display'] for t in i['tagged_vlans'])}.", total=1, display=[i['display']],
      answer_has=[i['untagged_vlan']['name']] + [t['name'] for t in i['tagged_vlans']])

    p = pfx('10.112.164.0/28'); r = ips_in(p); same(f"ipam/ip-addresses/?parent={p['prefix']}&vrf_id=null", r)
    owners = sorted({a['assigned_object']['device']['name'] for a in r})
    q(PAT, 'ips in 10.112.164.0/28 and who uses them', 'relationship_analysis', 'ipam.ipaddress', 4,
      '; '.join(f"{a['display']} on {a['assigned_object']['device']['name']} {a['assigned_object']['name']}" for a in r) +
      '. The /32 loopback lies inside the /28 and counts.', total=len(r), display=disp(r), answer_has=owners)

    av = get(f"ipam/prefixes/{p['id']}/available-ips/")
    used = {ipaddress.ip_interface(a['address']).ip for a in r}
    free = [h for h in ipaddress.ip_network(p['prefix']).hosts() if h not in used]
    assert [ipaddress.ip_interface(a['address']).ip for a in av] == free
    q(PAT, 'free ips in 10.112.164.0/28', 'performance_query', None, 4,
      f"{len(free)} of 14 free: {free[0]} - {free[-1]} ({', '.join(str(x) for x in sorted(used))} are used).",
      answer_has=[str(free[0]), str(free[-1])])

    i = itf('ncsu117-distswitch1', 'ae1'); d = dev['ncsu117-distswitch1']
    r = same(f"dcim/interfaces/?lag_id={i['id']}", [x for x in itf_of[d['id']] if idof(x['lag']) == i['id']])
    q(PAT, 'members of ae1 on ncsu117-distswitch1', 'relationship_analysis', 'dcim.interface', 4,
      f"{', '.join(x['name'] for x in r)} (ae0 has {', '.join(x['name'] for x in itf_of[d['id']] if nm(x['lag']) == 'ae0')}).",
      total=len(r), display=disp(r))

    # ---- messy ----------------------------------------------------------------------------------------------
    a = one('ipam/ip-addresses/?address=10.112.164.1')
    q(MSY, 'where is 10.112.164.1', 'device_lookup', 'ipam.ipaddress', 4,
      f"{a['display']}, the loopback of {a['assigned_object']['device']['name']} (DNS {a['dns_name']}); in prefix "
      f"10.112.164.0/28 (DM-Stamford management).", total=1, display=[a['display']],
      answer_has=[a['assigned_object']['device']['name']])

    d = dev['dmi01-stamford-sw01']
    q(MSY, f"show {d['display']}", 'device_lookup', 'dcim.device', 5,
      f"The user pasted NetBox's display string (name plus asset tag); name={d['display']!r} matches nothing, the "
      f"device is {d['name']}.", total=1, display=[d['display']])

    v = one('ipam/vlans/?name=Native'); r = [i for i in ITF if carries(i, v)]; same(f"dcim/interfaces/?vlan_id={v['id']}", r)
    q(MSY, 'ports in vlan Native', 'relationship_analysis', 'dcim.interface', 5,
      f"VLAN {v['display']} (group {v['group']['name']}): {', '.join(i['device']['name'] + ' ' + i['name'] for i in r)}.",
      total=len(r), display=disp(r))

    d = dev['ncsu117-distswitch1']
    r = same(f"dcim/interfaces/?device_id={d['id']}&enabled=false", [i for i in itf_of[d['id']] if not i['enabled']])
    assert [x['name'] for x in DEVICES if 'ncsu117' in (x['name'] or '')] == [d['name']]
    q(MSY, 'disabled prots on ncsu117', 'bulk_discovery', 'dcim.interface', 5,
      f"Typo (prots) and a loose device name (ncsu117 = ncsu117-distswitch1, the only device with it; the site "
      f"D. S. Weaver Labs, slug ncsu-117, holds the same switch and a patch panel without interfaces): "
      f"{', '.join(i['name'] for i in r)}.", total=len(r), display=disp(r))

    r = same('dcim/interfaces/?description__ic=rma', [i for i in ITF if 'rma' in i['description'].lower()])
    q(MSY, 'which port has the RMA optic', 'bulk_discovery', 'dcim.interface', 4,
      f"Description search: {r[0]['device']['name']} {r[0]['name']} ({r[0]['description']!r}).", total=len(r),
      display=disp(r), answer_has=[r[0]['device']['name']])

    d = dev['dmi01-stamford-sw01']; low = d['serial'].lower(); assert low != d['serial']
    assert one('dcim/devices/?serial=' + low)['id'] == d['id']  # the serial filter is case-insensitive (iexact) ...
    assert count('dcim/devices/?asset_tag=' + d['asset_tag'].lower()) == 0  # ... the asset_tag filter is not
    q(MSY, f"who has serial {low}", 'device_lookup', 'dcim.device', 4,
      f"Lowercase serial: {d['name']} ({d['serial']}).", total=1, display=[d['display']], answer_has=[d['name']])

    assert count('dcim/devices/?asset_tag=DM-IT-000999') == 0 and not [x for x in DEVICES if x['asset_tag'] == 'DM-IT-000999']
    q(MSY, 'device with asset tag DM-IT-000999', 'device_lookup', 'dcim.device', 4,
      f"No device has it (tags in use: {', '.join(sorted(x['asset_tag'] for x in DEVICES if x['asset_tag']))}). A clear "
      f"not-found; a near tag is wrong.", total=0)

    d = dev['dmi01-utica-sw01']
    q(MSY, 'ports on dmi01-utica-sw01 that are purple', 'bulk_discovery', 'dcim.interface', 5,
      "'purple' is no interface field (no colour, tag or description says it). The tool must not claim an exact "
      "answer: ask, or list the ports and say the colour was not applied.", status='partial_or_ask')


if FIXTURE: fixture_corpus()
else: base_corpus()

# ---- output -----------------------------------------------------------------------------------------------------
doc = {'netbox': f"{'the fixture NetBox (demo data + seeded values)' if FIXTURE else 'the NetBox 4.7.3 demo dump'} "
                 f"(computed from {BASE} by tests/data/make_corpus.py)", 'queries': Q}
import yaml
sys.stdout.write(yaml.safe_dump(doc, sort_keys=False, width=120, allow_unicode=False, default_flow_style=False))
print(f"{len(Q)} questions: {dict(Counter(x['capability'] for x in Q))}; "
      f"{sum('[word matters]' in x['note'] for x in Q)} word-matters; {CALLS['requests']} requests", file=sys.stderr)
