"""heldout17b.yaml: a second, independent held-out set about what makes the fixture NetBox a team's own.

    /work/main/.venv/bin/python make_heldout17b.py [http://127.0.0.1:8001]
    (token: NETBOX_TOKEN, else the read-only one)

Writes heldout17b.yaml next to this script. Standard library + pyyaml only; GET requests only, nothing is
written to NetBox. Written without reading the product's parser, vocabulary, tests or benchmarks: the
questions are an on-call engineer's own words, and every expected value comes from a hand-written REST query
(one per question, named in its note). Where a server filter is involved, the same result is computed
client-side from the full lists too and the two must agree (NetBox silently ignores unknown filter names and
then returns everything). The script stops with an AssertionError if the data no longer looks the way a
question assumes.

Kinds: custom fields, tags, journal, change log, the netbox-bgp plugin, version/plugins and messy phrasing.
Change-log questions avoid counts that the fixture's integration test moves (it adds one dwight update of
dmi01-binghamton-rtr01's comments per run) and avoid "today"/"this week": they use absolute dates, single
objects, deletes and creates, which that test never adds. Format as in ../heldout17/heldout17.yaml (keys
explained in /work/shared/queries/README.md). Rerunning it reproduces the file.
"""
import datetime as dt, json, os, sys, urllib.error, urllib.request
from collections import Counter
from pathlib import Path

import yaml

BASE = (sys.argv[1] if len(sys.argv) > 1 else 'http://127.0.0.1:8001').rstrip('/')
TOKEN = os.environ.get('NETBOX_TOKEN', '0123456789abcdef0123456789abcdef01234567')
OUT = Path(__file__).with_name('heldout17b.yaml')
CALLS = 0


def _get(url):
    global CALLS
    CALLS += 1
    req = urllib.request.Request(url, method='GET',
                                 headers={'Authorization': f'Token {TOKEN}', 'Accept': 'application/json'})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)


def get(path):
    """Every object of a list endpoint (all pages), or one object as a 1-list."""
    sep = '&' if '?' in path else '?'
    url, out = f'{BASE}/api/{path}{sep}limit=1000', []
    while url:
        d = _get(url)
        if 'results' not in d:
            return [d]
        out += d['results']
        url = d['next']
    return out


def count(path):
    sep = '&' if '?' in path else '?'
    return _get(f'{BASE}/api/{path}{sep}limit=1')['count']


def one(path):
    r = get(path)
    assert len(r) == 1, (path, len(r))
    return r[0]


def ids(rows): return sorted(r['id'] for r in rows)
def disp(rows): return sorted({r['display'] for r in rows})
def nm(x): return (x or {}).get('name')
def idof(x): return (x or {}).get('id')


def same(path, rows):
    """The server filter in `path` must return exactly the client-side result `rows`: proof it is real."""
    got = get(path)
    assert ids(got) == ids(rows), (path, len(got), len(rows))
    return rows


def pairs(counter):
    return ', '.join(f'{k} {v}' for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))))


def cf(x, k):
    v = x['custom_fields'].get(k)
    return v.get('value', v.get('name')) if isinstance(v, dict) else v


def tagged(rows, slug): return [x for x in rows if slug in {t['slug'] for t in x['tags']}]


def diff(c):
    """The fields a change-log row changed."""
    pre, post = c['prechange_data'] or {}, c['postchange_data'] or {}
    return sorted(k for k in set(pre) | set(post) if pre.get(k) != post.get(k) and k != 'last_updated')


# ---- read once (small lists) --------------------------------------------------------------------------------
STATUS = _get(f'{BASE}/api/status/')
assert 'netbox_bgp' in STATUS['plugins'], 'not the fixture NetBox (no netbox_bgp plugin)'
DEVICES = get('dcim/devices/?omit=config_context')
CIRCUITS = get('circuits/circuits/')
PREFIXES = get('ipam/prefixes/')
VLANS = get('ipam/vlans/')
SITES = get('dcim/sites/')
TENANTS = get('tenancy/tenants/')
JOURNAL = get('extras/journal-entries/')
CHANGES = get('core/object-changes/')
SESSIONS = get('plugins/bgp/session/')
TAGS = {t['slug']: t for t in get('extras/tags/')}
CFS = {c['name']: c for c in get('extras/custom-fields/')}
dev = {d['name']: d for d in DEVICES if d['name']}
cir = {c['cid']: c for c in CIRCUITS}
TODAY = dt.datetime.now(dt.timezone.utc).date()
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
    if x.get('total') == 0: assert not x.get('display') and not x.get('contains'), question
    x['max_api_calls_cold'] = max_calls
    for s in x.get('answer_has', []):  # never a string the question itself contains
        assert s.lower() not in question.lower(), (question, s)
        assert s.isascii() and '"' not in s and '\\' not in s, s
    assert question not in {y['question'] for y in Q}, question
    Q.append({'question': question, 'capability': cap, 'expect': x, 'note': note})


CF, TAG, JRN, CHG, BGP, MSY = 'custom_field', 'tag', 'journal', 'change_log', 'bgp', 'messy'
BS = 'netbox_bgp.bgpsession'
assert set(CFS) == {'cost_center', 'cust_id', 'monitored', 'owner', 'sla_hours', 'support_tier', 'warranty_end'}

# ==== custom fields ===========================================================================================
# date, a range inside one year
r = [d for d in DEVICES if cf(d, 'warranty_end') and '2027-01-01' <= cf(d, 'warranty_end') <= '2027-12-31']
same('dcim/devices/?cf_warranty_end__gte=2027-01-01&cf_warranty_end__lte=2027-12-31', r)
q(CF, 'devices whose warranty runs out sometime in 2027', 'bulk_discovery', 'dcim.device', 4,
  'GET dcim/devices/?cf_warranty_end__gte=2027-01-01&cf_warranty_end__lte=2027-12-31 (date custom field '
  'Warranty end, both ends inclusive): ' + '; '.join(f"{d['display']} {cf(d, 'warranty_end')}"
                                                     for d in sorted(r, key=lambda d: d['display']))
  + '. 2026 and 2028+ dates (e.g. dmi01-nashua-rtr01 2028-06-30) are not matches.',
  total=len(r), display=disp(r), answer_has=sorted(cf(d, 'warranty_end') for d in r))

# boolean true
r = [d for d in DEVICES if cf(d, 'monitored') is True]
same('dcim/devices/?cf_monitored=true', r)
n_unset = len([d for d in DEVICES if cf(d, 'monitored') is None])
q(CF, 'which devices are being monitored?', 'bulk_discovery', 'dcim.device', 4,
  f"GET dcim/devices/?cf_monitored=true (boolean custom field Monitored): {len(r)} devices. The 3 with "
  f"Monitored = false and the {n_unset} where it is unset are not matches.", total=len(r), display=disp(r))

# selection on circuits
r = [c for c in CIRCUITS if cf(c, 'support_tier') == 'silver']
same('circuits/circuits/?cf_support_tier=silver', r)
q(CF, 'which circuits have silver support', 'bulk_discovery', 'circuits.circuit', 4,
  'GET circuits/circuits/?cf_support_tier=silver (selection custom field Support tier, choice set Support '
  'tiers): ' + ', '.join(f"{c['cid']} ({c['provider']['name']})" for c in sorted(r, key=lambda c: c['cid']))
  + '. Silver devices (dmi01-akron-sw01 etc.) are not circuits.', total=len(r), display=disp(r))

# selection on devices
r = [d for d in DEVICES if cf(d, 'support_tier') == 'bronze']
same('dcim/devices/?cf_support_tier=bronze', r)
q(CF, 'list devices on the bronze support tier', 'bulk_discovery', 'dcim.device', 4,
  'GET dcim/devices/?cf_support_tier=bronze: ' + ', '.join(disp(r))
  + '. Circuit KSIR0381 is bronze too but is not a device.', total=len(r), display=disp(r))

# integer equality
r = [c for c in CIRCUITS if cf(c, 'sla_hours') == 8]
same('circuits/circuits/?cf_sla_hours=8', r)
q(CF, 'which circuit has an 8 hour SLA', 'bulk_discovery', 'circuits.circuit', 4,
  'GET circuits/circuits/?cf_sla_hours=8 (integer custom field SLA hours, exact): ' + ', '.join(disp(r))
  + f" ({r[0]['provider']['name']}). Circuits with 2, 4, 12 or 24 hours, or no SLA, are not matches.",
  total=len(r), display=disp(r))

# text on devices
r = [d for d in DEVICES if cf(d, 'cost_center') == 'NCSU-IT-01']
same('dcim/devices/?cf_cost_center=NCSU-IT-01', r)
also = sorted(c['cid'] for c in CIRCUITS if cf(c, 'cost_center') == 'NCSU-IT-01')
q(CF, 'what devices are charged to cost centre NCSU-IT-01', 'bulk_discovery', 'dcim.device', 4,
  f"GET dcim/devices/?cf_cost_center=NCSU-IT-01 (text custom field Cost center, British spelling in the "
  f"question): {', '.join(disp(r))}. Circuit {', '.join(also)} has the same cost center but is not a device.",
  total=len(r), display=disp(r))

# text on circuits
r = [c for c in CIRCUITS if cf(c, 'cost_center') == 'CC-1200']
same('circuits/circuits/?cf_cost_center=CC-1200', r)
devs = sorted(d['display'] for d in DEVICES if cf(d, 'cost_center') == 'CC-1200')
q(CF, 'circuits billed to CC-1200', 'bulk_discovery', 'circuits.circuit', 4,
  f"GET circuits/circuits/?cf_cost_center=CC-1200: {', '.join(disp(r))}. Device {', '.join(devs)} carries "
  f"CC-1200 too; a table of circuits is the answer.", total=len(r), display=disp(r))

# object (-> contact) on prefixes
pam = one('tenancy/contacts/?name=Pamela%20Halpert')
r = [p for p in PREFIXES if idof(p['custom_fields'].get('owner')) == pam['id']]
same(f"ipam/prefixes/?cf_owner={pam['id']}", r)
q(CF, 'which prefixes does Pamela Halpert own', 'bulk_discovery', 'ipam.prefix', 5,
  f"Contact look-up, then GET ipam/prefixes/?cf_owner={pam['id']} (object custom field Owner -> contact): "
  f"{', '.join(disp(r))}. She also owns device dmi01-scranton-sw01 and circuit 319031, which are not prefixes.",
  total=len(r), display=disp(r))

# tenant custom field (text), reverse look-up
r = [t for t in TENANTS if cf(t, 'cust_id') == 'STA03']
same('tenancy/tenants/?cf_cust_id=STA03', r)
q(CF, 'which tenant has customer id STA03?', 'bulk_discovery', 'tenancy.tenant', 4,
  f"GET tenancy/tenants/?cf_cust_id=STA03 (text custom field Customer ID, tenants only): {r[0]['name']}.",
  total=len(r), display=disp(r))

# tenant custom field empty
r = [t for t in TENANTS if not cf(t, 'cust_id')]
same('tenancy/tenants/?cf_cust_id__empty=true', r)
q(CF, 'tenants that have no customer ID filled in', 'bulk_discovery', 'tenancy.tenant', 4,
  f"GET tenancy/tenants/?cf_cust_id__empty=true: {', '.join(disp(r))} (Customer ID is blank). The other "
  f"{len(TENANTS) - len(r)} tenants have one (CYB01, DMI01, ...).", total=len(r), display=disp(r))

# attribute of one object (select on a device)
d = dev['dmi01-scranton-sw01']
q(CF, 'what support tier is dmi01-scranton-sw01 on', 'device_lookup', 'dcim.device', 3,
  f"GET dcim/devices/?name=dmi01-scranton-sw01: custom field Support tier = "
  f"{d['custom_fields']['support_tier']['label']}.", total=1, display=[d['display']],
  answer_has=[d['custom_fields']['support_tier']['label']])

# attribute of one object (object field on a prefix)
p = one('ipam/prefixes/?prefix=10.112.148.0/22')
q(CF, 'owner contact for prefix 10.112.148.0/22', 'device_lookup', 'ipam.prefix', 3,
  f"GET ipam/prefixes/?prefix=10.112.148.0/22: custom field Owner = {nm(p['custom_fields']['owner'])} "
  f"(cost center {cf(p, 'cost_center')}).", total=1, display=[p['display']],
  answer_has=[nm(p['custom_fields']['owner'])])

# attribute of a tenant
t = one('tenancy/tenants/?name=Wayne%20Enterprises')
q(CF, 'customer id of Wayne Enterprises', 'device_lookup', 'tenancy.tenant', 3,
  f"GET tenancy/tenants/?name=Wayne Enterprises: custom field Customer ID = {cf(t, 'cust_id')}.",
  total=1, display=[t['display']], answer_has=[cf(t, 'cust_id')])

# group / count
per = Counter(c['custom_fields']['support_tier']['label'] for c in CIRCUITS if cf(c, 'support_tier'))
for val in ('gold', 'silver', 'bronze'):
    assert count(f'circuits/circuits/?cf_support_tier={val}') == per[val.capitalize()]
q(CF, 'breakdown of circuits by support tier', 'performance_query', 'circuits.circuit', 5,
  f"Counts of circuits/circuits/?cf_support_tier=<gold|silver|bronze>: {pairs(per)}; "
  f"{len(CIRCUITS) - sum(per.values())} circuits have no tier (may be left out or shown as unset).",
  answer_has=sorted(per) + [str(max(per.values()))])

# combined: boolean false + selection
r = [d for d in DEVICES if cf(d, 'monitored') is False and cf(d, 'support_tier') == 'bronze']
same('dcim/devices/?cf_monitored=false&cf_support_tier=bronze', r)
assert cf(dev['dmi01-yonkers-rtr01'], 'support_tier') == 'bronze' and cf(dev['dmi01-yonkers-rtr01'], 'monitored') is None
q(CF, 'bronze tier devices flagged monitored=false', 'bulk_discovery', 'dcim.device', 4,
  f"GET dcim/devices/?cf_monitored=false&cf_support_tier=bronze: {', '.join(disp(r))}. dmi01-yonkers-rtr01 is "
  f"bronze but its Monitored is unset (null), not false: it is not a match.",
  total=len(r), display=disp(r))

# a custom field that does not exist
assert count('extras/custom-fields/?q=contract') == 0 and count('extras/custom-fields/?q=maintenance') == 0
q(CF, 'which devices have a maintenance contract number recorded', 'bulk_discovery', 'dcim.device', 4,
  "GET extras/custom-fields/?q=contract -> 0: no such custom field (the fields are Warranty end, Monitored, "
  "Support tier, Cost center, SLA hours, Owner, Customer ID). Say it does not exist; listing devices with a "
  "warranty date or all devices is wrong.", status='not_found', total=0)

# ==== tags ====================================================================================================
ITF_LAB = get('dcim/interfaces/?tag=lab')
assert len(ITF_LAB) == TAGS['lab']['tagged_items'] - len(tagged(VLANS, 'lab'))
assert all('lab' in {t['slug'] for t in i['tags']} for i in ITF_LAB) and count('dcim/interfaces/') > 100
q(TAG, 'interfaces with the lab tag', 'bulk_discovery', 'dcim.interface', 4,
  'GET dcim/interfaces/?tag=lab: ' + '; '.join(f"{i['device']['name']} {i['name']} ({i['description']})"
                                               for i in ITF_LAB)
  + '. The row must say the device. VLAN Research-Lab (130) also carries the tag but is not an interface.',
  total=len(ITF_LAB), display=disp(ITF_LAB), answer_has=sorted({i['device']['name'] for i in ITF_LAB}))

r = same('ipam/vlans/?tag=lab', tagged(VLANS, 'lab'))
q(TAG, 'vlans carrying the lab tag', 'bulk_discovery', 'ipam.vlan', 4,
  f"GET ipam/vlans/?tag=lab: {', '.join(disp(r))} (group {nm(r[0]['group'])}).",
  total=len(r), display=disp(r))

r = same('ipam/prefixes/?tag=critical', tagged(PREFIXES, 'critical'))
q(TAG, 'prefixes marked critical', 'bulk_discovery', 'ipam.prefix', 4,
  f"GET ipam/prefixes/?tag=critical: {', '.join(disp(r))}. The other critical-tagged objects are 5 devices, "
  f"not prefixes.", total=len(r), display=disp(r))

r = same('dcim/sites/?tag=juliett', tagged(SITES, 'juliett'))
q(TAG, 'sites tagged juliett', 'bulk_discovery', 'dcim.site', 4,
  f"GET dcim/sites/?tag=juliett (a demo tag, sites only): {len(r)} sites.", total=len(r), display=disp(r))

r = same('circuits/circuits/?tag=critical', tagged(CIRCUITS, 'critical'))
assert r == [] and TAGS['critical']['tagged_items'] > 0
q(TAG, 'circuits tagged critical', 'bulk_discovery', 'circuits.circuit', 4,
  "GET circuits/circuits/?tag=critical -> 0. The tag exists (on 5 devices and prefix 10.112.128.0/22) but no "
  "circuit carries it: the answer is none; listing all circuits or the critical devices as the answer is "
  "wrong.", total=0)

r = same('dcim/sites/?tag=whiskey', tagged(SITES, 'whiskey'))
assert r == [] and TAGS['whiskey']['tagged_items'] == 0
q(TAG, 'which sites have the whiskey tag', 'bulk_discovery', 'dcim.site', 4,
  "GET dcim/sites/?tag=whiskey -> 0. The demo tag Whiskey exists (extras/tags/?slug=whiskey, tagged_items 0) "
  "but is on nothing at all: the answer is no sites; listing all sites is wrong.", total=0)

site = one('dcim/sites/?slug=dm-nashua')
r = same(f"dcim/devices/?tag=critical&site_id={site['id']}",
         [d for d in tagged(DEVICES, 'critical') if idof(d['site']) == site['id']])
q(TAG, 'critical-tagged devices at DM-Nashua', 'bulk_discovery', 'dcim.device', 5,
  f"GET dcim/devices/?tag=critical&site_id={site['id']}: {', '.join(disp(r))}. dmi01-nashua-sw01 is at the "
  f"site but not tagged; the other 4 critical devices are elsewhere.", total=len(r), display=disp(r))

assert 'production' not in TAGS and count('extras/tags/?q=prod') == 0
q(TAG, 'vlans tagged production', 'bulk_discovery', 'ipam.vlan', 4,
  "GET extras/tags/?q=prod -> 0 (ipam/vlans/?tag=production is a 400): no tag production exists. Say the tag "
  "is not found; listing all VLANs, or VLANs named like prod, as tagged is wrong.", status='not_found', total=0)

# ==== journal =================================================================================================
r = same('extras/journal-entries/?kind=success', [j for j in JOURNAL if j['kind']['value'] == 'success'])
q(JRN, 'show journal entries marked success', 'bulk_discovery', 'extras.journalentry', 3,
  'GET extras/journal-entries/?kind=success: ' + '; '.join(f"{j['assigned_object']['display']}: {j['comments'].rstrip('.')}"
                                                          for j in sorted(r, key=lambda j: j['id']))
  + '. The rows must say which object each is on.', total=len(r), display=disp(r),
  answer_has=sorted({j['assigned_object']['display'] for j in r}))

r = same('extras/journal-entries/?q=RMA', [j for j in JOURNAL if 'rma' in j['comments'].lower()])
q(JRN, 'journal entries that mention an RMA', 'bulk_discovery', 'extras.journalentry', 3,
  'GET extras/journal-entries/?q=RMA (text search in the comments): ' + '; '.join(
      f"{j['assigned_object']['display']} ({j['kind']['label']}): {j['comments'].rstrip('.')}"
      for j in sorted(r, key=lambda j: j['id'])), total=len(r), display=disp(r), answer_has=['4471', 'xe-1/3/7'])

u = one('users/users/?username=admin')
r = same(f"extras/journal-entries/?created_by_id={u['id']}", [j for j in JOURNAL if j['created_by'] == u['id']])
q(JRN, 'journal notes written by admin', 'bulk_discovery', 'extras.journalentry', 4,
  f"User look-up, then GET extras/journal-entries/?created_by_id={u['id']}: " + '; '.join(
      f"{j['assigned_object']['display']} ({j['kind']['label']})" for j in sorted(r, key=lambda j: j['id']))
  + '. The other entries are by dwight.', total=len(r), display=disp(r))

r = same('extras/journal-entries/?assigned_object_type=ipam.vlan',
         [j for j in JOURNAL if j['assigned_object_type'] == 'ipam.vlan'])
assert r == []
q(JRN, 'any journal entries on vlans?', 'bulk_discovery', 'extras.journalentry', 3,
  f"GET extras/journal-entries/?assigned_object_type=ipam.vlan -> 0: the {len(JOURNAL)} entries are on devices "
  f"and a circuit only. None.", total=0)

d = dev['dmi01-nashua-rtr01']
r = same(f"extras/journal-entries/?assigned_object_type=dcim.device&assigned_object_id={d['id']}",
         [j for j in JOURNAL if j['assigned_object_type'] == 'dcim.device' and j['assigned_object_id'] == d['id']])
assert len(r) == 1
q(JRN, "what's been journaled on dmi01-nashua-rtr01", 'bulk_discovery', 'extras.journalentry', 4,
  f"GET extras/journal-entries/?assigned_object_type=dcim.device&assigned_object_id={d['id']}: one "
  f"{r[0]['kind']['label']} entry by dwight: {r[0]['comments']}", total=len(r), display=disp(r),
  answer_has=['17.9.4a'])

r = same('extras/journal-entries/?kind=info', [j for j in JOURNAL if j['kind']['value'] == 'info'])
q(JRN, 'info level journal entries', 'bulk_discovery', 'extras.journalentry', 3,
  'GET extras/journal-entries/?kind=info: ' + '; '.join(f"{j['assigned_object']['display']}: {j['comments']}"
                                                       for j in r), total=len(r), display=disp(r),
  answer_has=sorted({j['assigned_object']['display'] for j in r}))

# ==== change log ==============================================================================================
d = dev['ncsu-coreswitch2']
itf = one(f"dcim/interfaces/?device_id={d['id']}&name=xe-1/3/7")
r = same(f"core/object-changes/?changed_object_type=dcim.interface&changed_object_id={itf['id']}",
         [c for c in CHANGES if c['changed_object_type'] == 'dcim.interface' and c['changed_object_id'] == itf['id']])
assert len(r) == 1 and r[0]['user_name'] == 'admin' and r[0]['prechange_data']['enabled'] is True \
    and r[0]['postchange_data']['enabled'] is False and diff(r[0]) == ['description', 'enabled']
q(CHG, 'who shut xe-1/3/7 on ncsu-coreswitch2 and was it enabled before?', 'change_history', 'core.objectchange', 5,
  f"Interface look-up, then GET core/object-changes/?changed_object_type=dcim.interface&changed_object_id="
  f"{itf['id']}: one update by admin at {r[0]['time'][:19]}Z: enabled true -> false (yes, it was enabled "
  f"before) and description '' -> '{r[0]['postchange_data']['description']}'.", total=len(r),
  answer_has=['admin'])

d = dev['dmi01-yonkers-rtr01']
r = same(f"core/object-changes/?changed_object_type=dcim.device&changed_object_id={d['id']}",
         [c for c in CHANGES if c['changed_object_type'] == 'dcim.device' and c['changed_object_id'] == d['id']])
assert len(r) == 1 and r[0]['user_name'] == 'admin' and diff(r[0]) == ['custom_fields']
q(CHG, 'change history for dmi01-yonkers-rtr01', 'change_history', 'core.objectchange', 4,
  f"GET core/object-changes/?changed_object_type=dcim.device&changed_object_id={d['id']}: one update by admin "
  f"at {r[0]['time'][:19]}Z setting its custom fields (cost center CC-1300, support tier bronze, warranty end "
  f"2027-05-31). No interface of it was changed.", total=len(r), answer_has=['admin'])

r = same('core/object-changes/?user_name=dwight&changed_object_type=ipam.vlan',
         [c for c in CHANGES if c['user_name'] == 'dwight' and c['changed_object_type'] == 'ipam.vlan'])
assert sorted((c['action']['value'], c['object_repr']) for c in r) == \
    [('create', 'Guest (400)'), ('create', 'Temp-Event (410)'), ('delete', 'Temp-Event (410)')]
q(CHG, 'has dwight touched any vlans', 'change_history', 'core.objectchange', 4,
  "GET core/object-changes/?user_name=dwight&changed_object_type=ipam.vlan: 3 rows: created Guest (400) at "
  "DM-Nashua, created Temp-Event (410) and then deleted it. Temp-Event no longer exists.", total=len(r),
  answer_has=['Guest', 'Temp-Event'])

r = same('core/object-changes/?user_name=dwight&action=create',
         [c for c in CHANGES if c['user_name'] == 'dwight' and c['action']['value'] == 'create'])
kinds = Counter(c['changed_object_type'] for c in r)
assert kinds == {'extras.journalentry': 3, 'ipam.vlan': 2}
q(CHG, 'everything dwight has created', 'change_history', 'core.objectchange', 4,
  f"GET core/object-changes/?user_name=dwight&action=create: {len(r)} creates: 3 journal entries (on "
  f"dmi01-akron-rtr01, dmi01-nashua-rtr01, DJDP9577) and VLANs Guest (400) and Temp-Event (410, since "
  f"deleted). His many updates (dmi01-binghamton-rtr01 comments, ...) are not creates.", total=len(r),
  answer_has=['Guest', 'Temp-Event'])

r = same('core/object-changes/?user_name=dwight&time_before=2026-12-01T00:00:00Z',
         [c for c in CHANGES if c['user_name'] == 'dwight' and c['time'] < '2026-12-01'])
assert r == [] and min(c['time'] for c in CHANGES)[:10] >= '2026-12-01'
q(CHG, 'did dwight change anything before december 2026?', 'change_history', 'core.objectchange', 4,
  "GET core/object-changes/?user_name=dwight&time_before=2026-12-01T00:00:00Z -> 0: the whole change log "
  "starts on 2026-12-07. None; listing his December changes is wrong.", total=0)

r = same('core/object-changes/?user_name=admin&action=delete',
         [c for c in CHANGES if c['user_name'] == 'admin' and c['action']['value'] == 'delete'])
assert r == [] and count('core/object-changes/?action=delete') == 1
q(CHG, 'what has admin deleted', 'change_history', 'core.objectchange', 4,
  "GET core/object-changes/?user_name=admin&action=delete -> 0. The only delete in the change log is "
  "dwight's (VLAN Temp-Event (410)); mentioning it as not admin's is fine, listing it as admin's is wrong.",
  total=0)

r = same('ipam/ip-addresses/?created__gte=2026-12-01',
         [i for i in get('ipam/ip-addresses/') if i['created'][:10] >= '2026-12-01'])
made = [c for c in CHANGES if c['changed_object_type'] == 'ipam.ipaddress' and c['action']['value'] == 'create']
assert sorted(c['changed_object_id'] for c in made) == ids(r)
q(CHG, 'ip addresses added since 1 dec 2026', 'change_history', 'ipam.ipaddress', 5,
  f"GET ipam/ip-addresses/?created__gte=2026-12-01: {len(r)} addresses, all created by admin on 2026-12-07 "
  f"(gateways, loopbacks, the 198.51.100.x BGP /30s); the demo's other addresses are older. A change-log table "
  f"of the {len(made)} creates is a second reading (object_type differs).", total=len(r), display=disp(r))

r = same('core/object-changes/?changed_object_type=netbox_bgp.bgpsession&action=create',
         [c for c in CHANGES if c['changed_object_type'] == 'netbox_bgp.bgpsession' and c['action']['value'] == 'create'])
assert {c['user_name'] for c in r} == {'admin'} and len(r) == len(SESSIONS)
q(CHG, 'who set up the bgp sessions', 'change_history', 'core.objectchange', 4,
  f"GET core/object-changes/?changed_object_type=netbox_bgp.bgpsession&action=create: {len(r)} creates, all by "
  f"admin on {r[0]['time'][:10]}.", total=len(r), answer_has=['admin'])

d = dev['dmi01-scranton-rtr01']
r = [c for c in CHANGES if c['changed_object_type'] == 'dcim.device' and c['changed_object_id'] == d['id']
     and 'tags' in diff(c)]
same(f"core/object-changes/?changed_object_type=dcim.device&changed_object_id={d['id']}",
     [c for c in CHANGES if c['changed_object_type'] == 'dcim.device' and c['changed_object_id'] == d['id']])
assert len(r) == 1 and r[0]['user_name'] == 'admin' and r[0]['postchange_data']['tags'] == ['critical', 'pci-scope']
q(CHG, 'who put the pci-scope tag on dmi01-scranton-rtr01', 'change_history', 'core.objectchange', 4,
  f"GET core/object-changes/?changed_object_type=dcim.device&changed_object_id={d['id']}: the update at "
  f"{r[0]['time'][:19]}Z by admin set tags [] -> [critical, pci-scope]. The device's other change row is "
  f"admin's custom-field update.", answer_has=['admin'])

# ==== the netbox-bgp plugin ===================================================================================
assert len(SESSIONS) == 5 and count('plugins/bgp/session/?bogus=1') == 5
r = same('plugins/bgp/session/?status=offline', [s for s in SESSIONS if s['status']['value'] == 'offline'])
q(BGP, 'which bgp sessions are offline', 'bulk_discovery', BS, 3,
  f"GET plugins/bgp/session/?status=offline: {r[0]['name']} on {r[0]['device']['name']} to "
  f"AS{r[0]['remote_as']['asn']}. Failed (pittsfield-level3) and planned ones are not offline.",
  total=len(r), display=disp(r))

r = same('plugins/bgp/session/?status=planned', [s for s in SESSIONS if s['status']['value'] == 'planned'])
q(BGP, 'any bgp peerings still in planned state?', 'bulk_discovery', BS, 3,
  f"GET plugins/bgp/session/?status=planned: {r[0]['name']} on {r[0]['device']['name']} "
  f"(AS{r[0]['remote_as']['asn']}).", total=len(r), display=disp(r))

asn = one('ipam/asns/?asn=3356')
r = same(f"plugins/bgp/session/?remote_as_id={asn['id']}", [s for s in SESSIONS if s['remote_as']['asn'] == 3356])
q(BGP, 'bgp neighbors in AS 3356', 'bulk_discovery', BS, 4,
  f"ASN look-up, then GET plugins/bgp/session/?remote_as_id={asn['id']} ({asn['description']}): " + '; '.join(
      f"{s['name']} ({s['status']['label']})" for s in sorted(r, key=lambda s: s['name'])),
  total=len(r), display=disp(r))

d = dev['dmi01-nashua-rtr01']
r = same(f"plugins/bgp/session/?device_id={d['id']}", [s for s in SESSIONS if idof(s['device']) == d['id']])
q(BGP, 'bgp sessions configured on dmi01-nashua-rtr01', 'bulk_discovery', BS, 4,
  f"GET plugins/bgp/session/?device_id={d['id']}: " + '; '.join(
      f"{s['name']} to AS{s['remote_as']['asn']}, {s['status']['label']}" for s in r),
  total=len(r), display=disp(r), answer_has=sorted({s['status']['label'] for s in r}))

pg = one('plugins/bgp/peer-group/?name=CENTURYLINK-TRANSIT')
r = same(f"plugins/bgp/session/?peer_group={pg['id']}", [s for s in SESSIONS if idof(s['peer_group']) == pg['id']])
q(BGP, 'sessions in peer group CENTURYLINK-TRANSIT', 'bulk_discovery', BS, 4,
  f"Peer-group look-up, then GET plugins/bgp/session/?peer_group={pg['id']} (remote AS209): " + '; '.join(
      f"{s['name']} ({s['status']['label']})" for s in sorted(r, key=lambda s: s['name'])),
  total=len(r), display=disp(r))

rp = one('plugins/bgp/routing-policy/?name=DENY-ALL')
r = same(f"plugins/bgp/session/?export_policies={rp['id']}",
         [s for s in SESSIONS if rp['id'] in {p['id'] for p in s['export_policies']}])
q(BGP, 'which bgp session exports with the DENY-ALL policy', 'bulk_discovery', BS, 4,
  f"Policy look-up, then GET plugins/bgp/session/?export_policies={rp['id']} (export_policy_id is NOT a filter "
  f"and returns all 5): {', '.join(s['name'] for s in r)} (status {r[0]['status']['label']}).",
  total=len(r), display=disp(r))

rp = one('plugins/bgp/routing-policy/?name=TRANSIT-IN')
r = same(f"plugins/bgp/session/?import_policies={rp['id']}",
         [s for s in SESSIONS if rp['id'] in {p['id'] for p in s['import_policies']}])
q(BGP, 'bgp sessions that import through TRANSIT-IN', 'bulk_discovery', BS, 4,
  f"Policy look-up, then GET plugins/bgp/session/?import_policies={rp['id']}: "
  + ', '.join(sorted(s['name'] for s in r)) + '. nashua-centurylink has no import policy.',
  total=len(r), display=disp(r))

per = Counter(f"AS{s['remote_as']['asn']}" for s in SESSIONS)
for s_asn in {s['remote_as']['id'] for s in SESSIONS}:
    a = next(s['remote_as'] for s in SESSIONS if s['remote_as']['id'] == s_asn)
    assert count(f'plugins/bgp/session/?remote_as_id={s_asn}') == per[f"AS{a['asn']}"]
q(BGP, 'how many bgp sessions per remote AS', 'performance_query', BS, 5,
  f"GET plugins/bgp/session/ grouped by remote AS: {pairs(per)} (AS3356 Level 3, AS209 CenturyLink).",
  answer_has=sorted(a.removeprefix('AS') for a in per))

asn = one('ipam/asns/?asn=65002')
r = same(f"plugins/bgp/session/?remote_as_id={asn['id']}", [s for s in SESSIONS if s['remote_as']['asn'] == 65002])
assert r == []
q(BGP, 'bgp sessions towards AS65002', 'bulk_discovery', BS, 4,
  f"ASN look-up (AS65002 exists, RFC 6996 private), then GET plugins/bgp/session/?remote_as_id={asn['id']} -> 0. "
  f"None; the local AS of every session is AS65001.", total=0)

s = next(s for s in SESSIONS if s['name'] == 'akron-level3')
q(BGP, 'local ip on the akron-level3 bgp session', 'device_lookup', BS, 3,
  f"GET plugins/bgp/session/?name=akron-level3: local address {s['local_address']['address']}, remote "
  f"{s['remote_address']['address']}, remote AS{s['remote_as']['asn']}.", total=1, display=[s['display']],
  answer_has=[s['local_address']['address'].split('/')[0]])
assert count('plugins/bgp/session/?name=akron-level3') == 1

# ==== version/plugins and messy phrasing ======================================================================
q(MSY, 'real quick - what netbox version r we on', None, None, 2,
  f"GET status/: netbox-version {STATUS['netbox-version']}.", answer_has=[STATUS['netbox-version']])

q(MSY, 'WHAT PLUGINS ARE INSTALLED', None, None, 2,
  f"GET status/ (plugins) or plugins/installed-plugins/: netbox_bgp {STATUS['plugins']['netbox_bgp']} "
  f"(name BGP, the only plugin).", answer_has=[STATUS['plugins']['netbox_bgp']])

d = dev['dmi01-yonkers-rtr01']
q(MSY, 'dmi01 yonkers rtr01 warranty', 'device_lookup', 'dcim.device', 4,
  f"Missing hyphens: dmi01-yonkers-rtr01. GET dcim/devices/?name=dmi01-yonkers-rtr01: custom field Warranty "
  f"end = {cf(d, 'warranty_end')}.", total=1, display=[d['display']], answer_has=[cf(d, 'warranty_end')])

site = one('dcim/sites/?slug=dm-stamford')
r = same(f"plugins/bgp/session/?site_id={site['id']}", [s for s in SESSIONS if idof(s['site']) == site['id']])
q(MSY, 'bgp sesions at stamfrod', 'bulk_discovery', BS, 5,
  f"Typos (sesions, stamfrod): site DM-Stamford. GET plugins/bgp/session/?site_id={site['id']}: " + '; '.join(
      f"{s['name']} ({s['status']['label']})" for s in sorted(r, key=lambda s: s['name'])),
  total=len(r), display=disp(r))

r = [d for d in DEVICES if cf(d, 'warranty_end') and '2026-01-01' <= cf(d, 'warranty_end') <= '2026-12-31']
same('dcim/devices/?cf_warranty_end__gte=2026-01-01&cf_warranty_end__lte=2026-12-31', r)
q(MSY, 'devices w/ warrenty expiring in 2026', 'bulk_discovery', 'dcim.device', 4,
  'Typo (warrenty). GET dcim/devices/?cf_warranty_end__gte=2026-01-01&cf_warranty_end__lte=2026-12-31: '
  + '; '.join(f"{d['display']} {cf(d, 'warranty_end')}" for d in sorted(r, key=lambda d: d['display']))
  + '. dmi01-buffalo-rtr01 (2025-12-31) is not in 2026.', total=len(r), display=disp(r))

mike = one('tenancy/contacts/?name=Michael%20Scott')
r = [c for c in CIRCUITS if idof(c['custom_fields'].get('owner')) == mike['id']]
same(f"circuits/circuits/?cf_owner={mike['id']}", r)
q(MSY, 'CIRCUITS OWNED BY MICHAEL SCOTT', 'bulk_discovery', 'circuits.circuit', 5,
  f"All caps. Contact look-up, then GET circuits/circuits/?cf_owner={mike['id']}: {', '.join(disp(r))}. He "
  f"also owns devices and a prefix, which are not circuits.", total=len(r), display=disp(r))

d = dev['dmi01-scranton-rtr01']
r = same(f"extras/journal-entries/?assigned_object_type=dcim.device&assigned_object_id={d['id']}",
         [j for j in JOURNAL if j['assigned_object_type'] == 'dcim.device' and j['assigned_object_id'] == d['id']])
q(MSY, 'pls show journal notes for dmi01 scranton rtr01', 'bulk_discovery', 'extras.journalentry', 4,
  f"Missing hyphens + 'pls': dmi01-scranton-rtr01. GET extras/journal-entries/?assigned_object_type=dcim.device"
  f"&assigned_object_id={d['id']}: one {r[0]['kind']['label']} entry by admin: {r[0]['comments']}",
  total=len(r), display=disp(r), answer_has=['Fan tray'])

# ---- output -------------------------------------------------------------------------------------------------
OUT.write_text(f'# Held-out questions (set 17b) about the team\'s own NetBox (fixture, {BASE}): '
               f'computed by make_heldout17b.py on {TODAY} (UTC)\n'
               + yaml.safe_dump(Q, sort_keys=False, width=120, allow_unicode=False, default_flow_style=False))
print(f"{len(Q)} questions: {dict(Counter(x['capability'] for x in Q))}; {CALLS} GET requests -> {OUT}",
      file=sys.stderr)
