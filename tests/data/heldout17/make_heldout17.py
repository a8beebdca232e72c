"""heldout17.yaml: held-out questions about what makes the fixture NetBox a team's own (issue 17 acceptance).

    /work/main/.venv/bin/python make_heldout17.py [http://127.0.0.1:8001]
    (token: NETBOX_TOKEN, else the read-only one)

Writes heldout17.yaml next to this script. Standard library + pyyaml only; GET requests only, nothing is
written to NetBox. Written without reading the product's code or its question lists: the questions are an
engineer's own words.

Every expected value comes from a hand-written REST query. Where a server filter is involved, the same result
is also computed client-side from the full lists and the two must agree (NetBox silently ignores unknown
filter names). The script stops with an AssertionError if the data no longer looks the way a question assumes.

Kinds: custom fields, tags, journal, change log, the netbox-bgp plugin, refusals. Time-relative questions are
computed for the UTC day of generation: score the file the same day. The fixture's test adds a dwight
change to dmi01-binghamton-rtr01 on each run, so change-log questions use `contains`/`answer_has`, not exact
totals, and their notes give no count that such a run changes. Output format as in ../heldout/heldout.yaml
(see ../queries/README.md). Rerunning it the same day reproduces the file.
"""
import datetime as dt, json, os, sys, urllib.request
from collections import Counter
from pathlib import Path

import yaml

BASE = (sys.argv[1] if len(sys.argv) > 1 else 'http://127.0.0.1:8001').rstrip('/')
TOKEN = os.environ.get('NETBOX_TOKEN', '0123456789abcdef0123456789abcdef01234567')
OUT = Path(__file__).with_name('heldout17.yaml')
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
    """The server filter in `path` must return exactly the client-side result `rows`: proof it is real."""
    got = get(path)
    assert ids(got) == ids(rows), (path, len(got), len(rows))
    return rows


def pairs(counter):
    return ', '.join(f'{k} {v}' for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))))


# ---- what the team added, read once (small) ----------------------------------------------------------------
assert 'netbox_bgp' in _get(f'{BASE}/api/status/')['plugins'], 'not the fixture NetBox (no netbox_bgp plugin)'
DEVICES = get('dcim/devices/?omit=config_context')
CIRCUITS = get('circuits/circuits/')
PREFIXES = get('ipam/prefixes/')
VLANS = get('ipam/vlans/')
JOURNAL = get('extras/journal-entries/')
CHANGES = get('core/object-changes/')
SESSIONS = get('plugins/bgp/session/')
dev = {d['name']: d for d in DEVICES if d['name']}
cir = {c['cid']: c for c in CIRCUITS}
NOW = dt.datetime.now(dt.timezone.utc)
TODAY = NOW.date()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


def cf(x, k):
    v = x['custom_fields'].get(k)
    return v.get('value', v.get('name')) if isinstance(v, dict) else v


def tagged(rows, slug): return [x for x in rows if slug in {t['slug'] for t in x['tags']}]
def since(day): return [c for c in CHANGES if dt.date.fromisoformat(c['time'][:10]) >= day]
def journal_of(otype, oid):
    """The journal entries on one object, client-side and checked against the server filter."""
    return same(f'extras/journal-entries/?assigned_object_type={otype}&assigned_object_id={oid}',
                [j for j in JOURNAL if j['assigned_object_type'] == otype and j['assigned_object_id'] == oid])


def diff(c):
    """The fields a change-log row changed."""
    pre, post = c['prechange_data'] or {}, c['postchange_data'] or {}
    return sorted(k for k in set(pre) | set(post) if pre.get(k) != post.get(k) and k != 'last_updated')


def cshow(c):
    """A change-log row's display: NetBox's display of the changed object (its last name if it is deleted)."""
    return (c['changed_object'] or {}).get('display') or c['object_repr']


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


CF, TAG, JRN, CHG, BGP, MSY = 'custom_field', 'tag', 'journal', 'change_log', 'bgp', 'messy'

# ==== custom fields =========================================================================================
r = [d for d in DEVICES if cf(d, 'warranty_end') and cf(d, 'warranty_end') < '2027-01-01']
same('dcim/devices/?cf_warranty_end__lt=2027-01-01', r)
q(CF, 'which devices have warranty ending before 2027?', 'bulk_discovery', 'dcim.device', 4,
  'Custom field Warranty end (date) before 2027-01-01: ' + '; '.join(
      f"{d['display']} {cf(d, 'warranty_end')}" for d in sorted(r, key=lambda d: d['display']))
  + '. Devices with no warranty date are not matches.', total=len(r), display=disp(r))

r = [d for d in DEVICES if cf(d, 'warranty_end') and cf(d, 'warranty_end') > '2028-06-30']
same('dcim/devices/?cf_warranty_end__gt=2028-06-30', r)
assert cf(dev['dmi01-nashua-rtr01'], 'warranty_end') == '2028-06-30'
q(CF, 'devices w/ warranty running past june 30 2028', 'bulk_discovery', 'dcim.device', 4,
  "Warranty end strictly after 2028-06-30. dmi01-nashua-rtr01 ends exactly on 2028-06-30 and is not a match.",
  total=len(r), display=disp(r), answer_has=sorted({cf(d, 'warranty_end') for d in r}))

r = [d for d in DEVICES if cf(d, 'monitored') is False]
same('dcim/devices/?cf_monitored=false', r)
unset = [d for d in DEVICES if cf(d, 'monitored') is None]
assert dev['dmi01-yonkers-rtr01'] in unset
q(CF, 'devices with monitored set to false', 'bulk_discovery', 'dcim.device', 4,
  f"Boolean custom field Monitored = false: {len(r)} devices. The {len(unset)} devices where it is not set "
  f"at all (dmi01-yonkers-rtr01 among them) are not matches.", total=len(r), display=disp(r))

r = [d for d in DEVICES if cf(d, 'support_tier') == 'gold']
same('dcim/devices/?cf_support_tier=gold', r)
q(CF, 'gold support tier devices', 'bulk_discovery', 'dcim.device', 4,
  "Selection custom field Support tier = Gold (choice set Support tiers: gold/silver/bronze).",
  total=len(r), display=disp(r))

r = [c for c in CIRCUITS if cf(c, 'support_tier') == 'bronze']
same('circuits/circuits/?cf_support_tier=bronze', r)
q(CF, 'circuits on bronze support', 'bulk_discovery', 'circuits.circuit', 4,
  f"Support tier Bronze on circuits: {', '.join(disp(r))} ({r[0]['provider']['name']}).",
  total=len(r), display=disp(r))

r = [c for c in CIRCUITS if cf(c, 'sla_hours') is not None and cf(c, 'sla_hours') < 8]
same('circuits/circuits/?cf_sla_hours__lt=8', r)
assert cf(cir['1002844927'], 'sla_hours') == 8
q(CF, 'circuits with an sla under 8 hrs', 'bulk_discovery', 'circuits.circuit', 4,
  'Integer custom field SLA hours < 8: ' + '; '.join(f"{c['cid']} {cf(c, 'sla_hours')} h" for c in
                                                     sorted(r, key=lambda c: c['cid']))
  + '. 1002844927 has exactly 8 and is not a match; circuits without an SLA are not matches.',
  total=len(r), display=disp(r))

r = [c for c in CIRCUITS if cf(c, 'sla_hours') is not None and cf(c, 'sla_hours') >= 12]
same('circuits/circuits/?cf_sla_hours__gte=12', r)
q(CF, 'which circuits have sla hours of 12 or more', 'bulk_discovery', 'circuits.circuit', 4,
  'SLA hours >= 12: ' + '; '.join(f"{c['cid']} {cf(c, 'sla_hours')} h"
                                 for c in sorted(r, key=lambda c: c['cid'])),
  total=len(r), display=disp(r))

r = [p for p in PREFIXES if cf(p, 'cost_center') == 'CC-1040']
same('ipam/prefixes/?cf_cost_center=CC-1040', r)
both = sorted(x['display'] for x in DEVICES + CIRCUITS if cf(x, 'cost_center') == 'CC-1040')
q(CF, 'prefixes billed to cost center cc-1040', 'bulk_discovery', 'ipam.prefix', 4,
  f"Text custom field Cost center = CC-1040 on prefixes. The same cost center is also on {', '.join(both)} "
  f"(a device and a circuit), which are not prefixes.", total=len(r), display=disp(r))

mike = one('tenancy/contacts/?name=Michael%20Scott')
r = [d for d in DEVICES if idof(d['custom_fields'].get('owner')) == mike['id']]
same(f"dcim/devices/?cf_owner={mike['id']}", r)
assert [len([x for x in rows if idof(x['custom_fields'].get('owner')) == mike['id']])
        for rows in (CIRCUITS, PREFIXES)] == [1, 1]
q(CF, 'devices owned by michael scott', 'bulk_discovery', 'dcim.device', 5,
  f"Object custom field Owner (-> contact) = Michael Scott (contact {mike['id']}). He also owns a circuit "
  f"and a prefix, which are not devices.", total=len(r), display=disp(r))

dwc = one('tenancy/contacts/?name=Dwight%20Schrute')
r = [c for c in CIRCUITS if idof(c['custom_fields'].get('owner')) == dwc['id']]
same(f"circuits/circuits/?cf_owner={dwc['id']}", r)
q(CF, 'what circuits does dwight schrute own', 'bulk_discovery', 'circuits.circuit', 5,
  "Owner custom field on circuits = contact Dwight Schrute (not the NetBox user dwight).",
  total=len(r), display=disp(r))

d = dev['dmi01-akron-rtr01']
q(CF, 'warranty end date for dmi01-akron-rtr01?', 'device_lookup', 'dcim.device', 3,
  f"Custom field Warranty end = {cf(d, 'warranty_end')}.", total=1, display=[d['display']],
  answer_has=[cf(d, 'warranty_end')])

d = dev['dmi01-scranton-sw01']
q(CF, 'who is the owner of dmi01-scranton-sw01', 'device_lookup', 'dcim.device', 3,
  f"Owner custom field (an object field pointing to a contact) = {nm(d['custom_fields']['owner'])}.",
  total=1, display=[d['display']],
  answer_has=[nm(d['custom_fields']['owner'])])

c = cir['KSIR0381']
q(CF, 'sla hrs on KSIR0381', 'device_lookup', 'circuits.circuit', 3,
  f"SLA hours = {cf(c, 'sla_hours')}; support tier {c['custom_fields']['support_tier']['label']}.",
  total=1, display=[c['display']], answer_has=[str(cf(c, 'sla_hours'))])

d = dev['dmi01-akron-pdu01']
assert all(v is None for v in d['custom_fields'].values())
q(CF, 'cost center of dmi01-akron-pdu01', 'device_lookup', 'dcim.device', 3,
  "No custom field is set on this PDU: the answer must say the cost center is not set (inventing one, "
  "e.g. the akron router's CC-1040, is wrong).", total=1, display=[d['display']])

per = Counter(d['custom_fields']['support_tier']['label'] for d in DEVICES if cf(d, 'support_tier'))
for val in ('gold', 'silver', 'bronze'):
    assert count(f'dcim/devices/?cf_support_tier={val}') == per[val.capitalize()]
q(CF, 'how many devices per support tier', 'performance_query', 'dcim.device', 5,
  f"Counts of Support tier on devices: {pairs(per)}; {len(DEVICES) - sum(per.values())} devices have none "
  f"(may be left out or shown as unset).", answer_has=sorted(per) + [str(max(per.values()))])

r = [d for d in DEVICES if cf(d, 'warranty_end') and cf(d, 'warranty_end') < '2020-01-01']
same('dcim/devices/?cf_warranty_end__lt=2020-01-01', r)
assert r == []
q(CF, 'anything with warranty expiring before 2020', 'bulk_discovery', 'dcim.device', 4,
  f"None: the earliest warranty end is "
  f"{min(cf(d, 'warranty_end') for d in DEVICES if cf(d, 'warranty_end'))}. "
  f"Warranty end is a device custom field.", total=0)

# ==== tags ==================================================================================================
r = same('dcim/devices/?tag=critical', tagged(DEVICES, 'critical'))
q(TAG, 'devices tagged critical', 'bulk_discovery', 'dcim.device', 4,
  "Tag critical on devices. It is also on prefix 10.112.128.0/22 (not a device).",
  total=len(r), display=disp(r))

r = same('dcim/devices/?tag=pci-scope', tagged(DEVICES, 'pci-scope'))
q(TAG, 'which boxes are in pci scope', 'bulk_discovery', 'dcim.device', 4,
  "Tag pci-scope on devices ('boxes'). The tag is on VLANs and prefixes too; a table of devices is the "
  "answer, listing the other models as well is fine.", total=len(r), display=disp(r))

ITF_UP = get('dcim/interfaces/?tag=uplink')
assert all('uplink' in {t['slug'] for t in i['tags']} for i in ITF_UP)
assert count('dcim/interfaces/') > len(ITF_UP) and count('dcim/interfaces/?tag=lab') < len(ITF_UP)
q(TAG, 'show uplink-tagged interfaces', 'bulk_discovery', 'dcim.interface', 4,
  'Tag uplink on interfaces: ' + '; '.join(sorted(f"{i['device']['display']} {i['name']}" for i in ITF_UP))
  + '. The rows must say which device each is on.', total=len(ITF_UP), display=disp(ITF_UP),
  answer_has=sorted({i['device']['name'] for i in ITF_UP}))

r = same('ipam/vlans/?tag=pci-scope', tagged(VLANS, 'pci-scope'))
q(TAG, 'vlans w/ the pci-scope tag', 'bulk_discovery', 'ipam.vlan', 4,
  f"Two VLANs named Data (100), one at each of {', '.join(sorted(v['site']['name'] for v in r))}: "
  f"the rows must say the site since they display the same.", total=len(r), display=disp(r),
  answer_has=sorted(v['site']['name'] for v in r))

r = same('ipam/prefixes/?tag=pci-scope', tagged(PREFIXES, 'pci-scope'))
q(TAG, 'pci-scope prefixes', 'bulk_discovery', 'ipam.prefix', 4, "Tag pci-scope on prefixes.",
  total=len(r), display=disp(r))

r = same('dcim/devices/?tag=uplink', tagged(DEVICES, 'uplink'))
assert r == [] and one('extras/tags/?slug=uplink')['tagged_items'] == len(ITF_UP)
q(TAG, 'devices tagged uplink', 'bulk_discovery', 'dcim.device', 4,
  f"None: tag uplink exists but is only on {len(ITF_UP)} interfaces, no device carries it. Listing the "
  f"uplink interfaces as extra information is fine; the device answer is 0.", total=0)

assert count('extras/tags/?q=decom') == 0
q(TAG, 'devices tagged decommissioned', 'bulk_discovery', 'dcim.device', 4,
  "No tag decommissioned (or like it) exists in this NetBox: say the tag is not found. Listing all devices, "
  "or devices with status decommissioning, as if they carried the tag is wrong.", status='not_found', total=0)

# ==== journal ===============================================================================================
d = dev['dmi01-akron-rtr01']
r = journal_of('dcim.device', d['id'])
assert sorted(j['kind']['value'] for j in r) == ['info', 'warning']
q(JRN, 'journal entries on dmi01-akron-rtr01', 'bulk_discovery', 'extras.journalentry', 4,
  'Two entries: ' + '; '.join(f"{j['kind']['label']}: {j['comments']}"
                              for j in sorted(r, key=lambda j: j['id']))
  + ' (the info one by admin, the warning by dwight).', total=len(r), display=disp(r),
  answer_has=['RMA 4471', 'renewal quote'])

c = cir['DJDP9577']
r = journal_of('circuits.circuit', c['id'])
q(JRN, 'any notes on circuit djdp9577', 'bulk_discovery', 'extras.journalentry', 4,
  'Journal of the Level 3 circuit: ' + '; '.join(f"{j['kind']['label']}: {j['comments']}" for j in
                                                 sorted(r, key=lambda j: j['id'])),
  total=len(r), display=disp(r), answer_has=['88231'])

r = same('extras/journal-entries/?kind=danger', [j for j in JOURNAL if j['kind']['value'] == 'danger'])
q(JRN, 'danger journal entries', 'bulk_discovery', 'extras.journalentry', 3,
  'Kind Danger: ' + '; '.join(f"{j['assigned_object']['display']}: {j['comments']}" for j in
                              sorted(r, key=lambda j: j['id']))
  + '. The rows must say which object each is on.',
  total=len(r), display=disp(r), answer_has=sorted(j['assigned_object']['display'] for j in r))

r = same('extras/journal-entries/?kind=warning', [j for j in JOURNAL if j['kind']['value'] == 'warning'])
q(JRN, 'any warnings logged in the journal?', 'bulk_discovery', 'extras.journalentry', 3,
  'Kind Warning: ' + '; '.join(f"{j['assigned_object']['display']}: {j['comments']}" for j in
                               sorted(r, key=lambda j: j['id'])),
  total=len(r), display=disp(r), answer_has=sorted(j['assigned_object']['name'] for j in r))

u = one('users/users/?username=dwight')
r = same(f"extras/journal-entries/?created_by_id={u['id']}",
         [j for j in JOURNAL if j['created_by'] == u['id']])
q(JRN, 'journal entries dwight wrote', 'bulk_discovery', 'extras.journalentry', 4,
  f"Author = NetBox user dwight (id {u['id']}): " + '; '.join(
      f"{j['assigned_object']['display']} ({j['kind']['label']})" for j in sorted(r, key=lambda j: j['id'])),
  total=len(r), display=disp(r))

d = dev['ncsu-coreswitch2']
r = journal_of('dcim.device', d['id'])
assert len(r) == 1 and r[0]['created_by'] == 1
q(JRN, "whats in the journal for ncsu-coreswich2", 'bulk_discovery', 'extras.journalentry', 4,
  f"Typo (coreswich2): ncsu-coreswitch2. One {r[0]['kind']['label']} entry by admin: {r[0]['comments']}",
  total=1, display=disp(r), answer_has=['optic', 'RMA'])

d = dev['dmi01-buffalo-rtr01']
r = journal_of('dcim.device', d['id'])
assert r == []
q(JRN, 'journal for dmi01-buffalo-rtr01', 'bulk_discovery', 'extras.journalentry', 4,
  "None: the device exists but has no journal entries. 'Not found' for the device is wrong.", total=0)

# ==== change log ============================================================================================
day0 = f'{TODAY.isoformat()}T00:00:00Z'
today = since(TODAY)
assert count(f'core/object-changes/?time_after={day0}') == len(today) > 0
d = dev['dmi01-nashua-rtr01']
r = [c for c in today if c['changed_object_type'] == 'dcim.device' and c['changed_object_id'] == d['id']]
same(f"core/object-changes/?changed_object_type=dcim.device&changed_object_id={d['id']}&time_after={day0}", r)
who = sorted({c['user_name'] for c in r})
assert 'dwight' in who
q(CHG, 'what changed on dmi01-nashua-rtr01 today', 'change_history', 'core.objectchange', 4,
  f"On {TODAY} (UTC): {len(r)} change-log rows on the device itself, by {', '.join(who)}: " + '; '.join(
      f"{c['user_name']} {c['action']['value']} {', '.join(diff(c))}"
      for c in sorted(r, key=lambda c: c['id']))
  + '. Journal entries on it are changes to journal entries, not to the device (listing them as related '
    'is fine).',
  contains=disp([{'display': cshow(c)} for c in r]), answer_has=['dwight', 'comments'])

ch = [c for c in CHANGES if c['changed_object_type'] == 'dcim.device' and c['changed_object_id'] == d['id']
      and c['user_name'] == 'dwight']
assert len(ch) == 1 and ch[0]['prechange_data']['comments'] == ''
after = ch[0]['postchange_data']['comments']
q(CHG, "what did dwight change on nashua-rtr01, before and after?", 'change_history', 'core.objectchange', 4,
  f"One update by dwight at {ch[0]['time'][:19]}Z: comments were empty before, '{after}' after. Other fields "
  f"unchanged. The name is short for dmi01-nashua-rtr01.", contains=[cshow(ch[0])],
  answer_has=['comments', 'ISR 4321'])

d = dev['dmi01-binghamton-rtr01']
r = [c for c in CHANGES if c['changed_object_type'] == 'dcim.device' and c['changed_object_id'] == d['id']]
last = max(r, key=lambda c: c['time'])
assert last['user_name'] == 'dwight'
q(CHG, 'who last touched dmi01-binghamton-rtr01', 'change_history', 'core.objectchange', 4,
  f"The latest change-log row on the device is an update by dwight (its comments, set by the fixture's "
  f"test each run).",
  contains=[cshow(last)], answer_has=['dwight'])

r = [c for c in CHANGES if c['user_name'] == 'dwight']
same('core/object-changes/?user_name=dwight', r)
named = sorted({cshow(c) for c in r if c['changed_object_id'] != dev['dmi01-binghamton-rtr01']['id']
                or c['changed_object_type'] != 'dcim.device'})
q(CHG, 'what has dwight changed', 'change_history', 'core.objectchange', 4,
  f"User dwight: most rows are updates of dmi01-binghamton-rtr01's comments (one "
  f"per fixture test run). Besides those: three journal entries (on dmi01-akron-rtr01, dmi01-nashua-rtr01, "
  f"DJDP9577), dmi01-nashua-rtr01's comments, dmi01-nashua-sw01 GigabitEthernet1/0/10's description, VLAN "
  f"Guest (400) created, VLAN Temp-Event (410) created then deleted.",
  contains=[x for x in named if not x.startswith('Temp-Event')] + ['dmi01-binghamton-rtr01'],
  answer_has=['Temp-Event'])

r = [c for c in today if c['action']['value'] == 'delete']
same(f'core/object-changes/?action=delete&time_after={day0}', r)
assert [(c['object_repr'], c['user_name']) for c in r] == [('Temp-Event (410)', 'dwight')]
q(CHG, 'was anything deleted today?', 'change_history', 'core.objectchange', 3,
  f"One deletion on {TODAY}: VLAN Temp-Event (410) at DM-Nashua, by dwight (created then deleted). The VLAN "
  f"no longer exists, so its row can only show the name NetBox recorded.", total=len(r),
  answer_has=['Temp-Event', 'dwight'])

r = [c for c in CHANGES if c['action']['value'] == 'delete' and c['changed_object_type'] == 'ipam.vlan']
assert len(r) == 1 and r[0]['user_name'] == 'dwight' and count('ipam/vlans/?vid=410') == 0
q(CHG, 'who deleted vlan 410', 'change_history', 'core.objectchange', 4,
  f"VLAN Temp-Event (410) was deleted by dwight at {r[0]['time'][:19]}Z; it no longer exists, so only the "
  f"change log knows it. 'Not found' is wrong.", answer_has=['dwight', 'Temp-Event'])

r = [v for v in VLANS if v['created'][:10] >= '2025-01-01']
same('ipam/vlans/?created__gte=2025-01-01', r)
made = [c for c in CHANGES if c['changed_object_type'] == 'ipam.vlan' and c['action']['value'] == 'create']
assert {c['object_repr'] for c in made} == {v['display'] for v in r} | {'Temp-Event (410)'}
q(CHG, 'vlans added since jan 1 2025', 'change_history', 'ipam.vlan', 4,
  f"{len(r)} VLANs created on {TODAY} (the demo's VLANs date from 2020/2021): " + ', '.join(disp(r))
  + ". Temp-Event (410) was created too but deleted the same day; mentioning it as deleted is fine, listing "
    "it as a "
    "current VLAN is wrong. A change-log table of the creations is a second reading (object_type differs).",
  total=len(r), display=disp(r))

r = [c for c in since(MONDAY) if c['changed_object_type'] == 'circuits.circuit']
same(f'core/object-changes/?changed_object_type=circuits.circuit&time_after={MONDAY}T00:00:00Z', r)
q(CHG, 'changes to circuits this week', 'change_history', 'core.objectchange', 3,
  f"Week starting {MONDAY} (Monday, UTC): {len(r)} updates by admin setting custom fields on circuits.",
  contains=disp([{'display': cshow(c)} for c in r]), answer_has=['admin'])

itf = one(f"dcim/interfaces/?device_id={dev['dmi01-nashua-sw01']['id']}&name=GigabitEthernet1/0/10")
r = [c for c in CHANGES if c['changed_object_type'] == 'dcim.interface'
     and c['changed_object_id'] == itf['id']]
assert [(c['user_name'], c['prechange_data']['description'], c['postchange_data']['description'])
        for c in r] == \
       [('dwight', '', 'badge reader lobby')]
q(CHG, 'what was the description on dmi01-nashua-sw01 gi1/0/10 before it got changed', 'change_history',
  'core.objectchange', 5,
  "One change: dwight set the description from empty to 'badge reader lobby'. The answer must say it was "
  "empty before (and may give the new value).", contains=[cshow(r[0])], answer_has=['dwight'])

assert count('users/users/?username=jim') == 0 and count('core/object-changes/?user_name=jim') == 0
q(CHG, 'what did jim change this week', 'change_history', 'core.objectchange', 3,
  "No NetBox user jim (users: admin, akron-viewer, alice, bob, charlie, danielle, dwight, edward): say the "
  "user is not found / has no changes; listing other users' changes is wrong.", status='not_found', total=0)

users = Counter(c['user_name'] for c in today)
assert set(users) == {'admin', 'dwight'}
bing = dev['dmi01-binghamton-rtr01']['id']
seeded = len([c for c in today if c['user_name'] == 'dwight'
              and (c['changed_object_type'], c['changed_object_id']) != ('dcim.device', bing)])
q(CHG, 'who made changes today and how many each', 'change_history', 'core.objectchange', 4,
  f"Changes on {TODAY} grouped by user: admin {users['admin']}; dwight {seeded} from the seed plus one per "
  f"fixture test run (dmi01-binghamton-rtr01's comments), so his count is larger than {seeded}.",
  answer_has=sorted(users) + [str(users['admin'])])

# ==== the netbox-bgp plugin =================================================================================
BS = 'netbox_bgp.bgpsession'
assert SESSIONS and all('/api/plugins/bgp/bgpsession/' in s['url'] for s in SESSIONS)
st = Counter(s['status']['label'] for s in SESSIONS)
q(BGP, 'list all bgp sessions', 'bulk_discovery', BS, 3,
  'Sessions of the netbox-bgp plugin: ' + '; '.join(
      f"{s['name']} ({s['status']['label']}, AS{s['remote_as']['asn']})"
                                                    for s in sorted(SESSIONS, key=lambda s: s['name'])),
  total=len(SESSIONS), display=disp(SESSIONS))

r = same('plugins/bgp/session/?status=failed', [s for s in SESSIONS if s['status']['value'] == 'failed'])
q(BGP, 'any failed bgp sesions?', 'bulk_discovery', BS, 3,
  f"Status Failed: {', '.join(s['name'] for s in r)} on {r[0]['device']['name']} "
  f"(remote AS{r[0]['remote_as']['asn']}). "
  f"Offline/planned sessions are not failed.", total=len(r), display=disp(r))

d = dev['dmi01-stamford-rtr01']
r = same(f"plugins/bgp/session/?device_id={d['id']}", [s for s in SESSIONS if idof(s['device']) == d['id']])
q(BGP, 'bgp peers on dmi01-stamford-rtr01', 'bulk_discovery', BS, 4,
  'Sessions on the device: ' + '; '.join(
      f"{s['name']} to AS{s['remote_as']['asn']} ({s['remote_as']['description']}), "
      f"{s['status']['label']}" for s in sorted(r, key=lambda s: s['name'])),
  total=len(r), display=disp(r), answer_has=sorted({s['status']['label'] for s in r}))

site = one('dcim/sites/?name=DM-Akron')
r = same(f"plugins/bgp/session/?site_id={site['id']}", [s for s in SESSIONS if idof(s['site']) == site['id']])
q(BGP, 'bgp sessions at the akron site', 'bulk_discovery', BS, 4,
  f"Site DM-Akron: {', '.join(s['name'] for s in r)} on {r[0]['device']['name']}.",
  total=len(r), display=disp(r))

asn = one('ipam/asns/?asn=209')
r = same(f"plugins/bgp/session/?remote_as_id={asn['id']}",
         [s for s in SESSIONS if s['remote_as']['asn'] == 209])
q(BGP, 'sessions to AS209', 'bulk_discovery', BS, 4,
  f"Remote AS209 ({asn['description']}): " + '; '.join(f"{s['name']} ({s['status']['label']})" for s in
                                                       sorted(r, key=lambda s: s['name'])),
  total=len(r), display=disp(r))

r = same('plugins/bgp/session/?status=active', [s for s in SESSIONS if s['status']['value'] == 'active'])
q(BGP, 'how many bgp sessions r up (active)', 'performance_query', BS, 3,
  f"Status Active: {len(r)} of {len(SESSIONS)} ({', '.join(sorted(s['name'] for s in r))}).", total=len(r))

for val in ('active', 'offline', 'failed', 'planned'):
    assert count(f'plugins/bgp/session/?status={val}') == st[val.capitalize()]
q(BGP, 'bgp sessions grouped by status', 'performance_query', BS, 5,
  f"Counts: {pairs(st)}.", answer_has=sorted(st) + [str(max(st.values()))])

per = Counter(nm(s['peer_group']) for s in SESSIONS)
PG = get('plugins/bgp/peer-group/')
for g in PG:
    assert count(f"plugins/bgp/session/?peer_group={g['id']}") == per[g['name']]
q(BGP, 'what bgp peer groups do we have', 'bulk_discovery', 'netbox_bgp.bgppeergroup', 3,
  f"{len(PG)} peer groups; sessions in each: {pairs(per)}.", total=len(PG), display=disp(PG))

g = next(x for x in PG if x['name'] == 'LEVEL3-TRANSIT')
r = same(f"plugins/bgp/session/?peer_group={g['id']}",
         [s for s in SESSIONS if idof(s['peer_group']) == g['id']])
q(BGP, 'sessions in the level3-transit peer group', 'bulk_discovery', BS, 4,
  "Peer group LEVEL3-TRANSIT (remote AS3356).", total=len(r), display=disp(r))

RP = get('plugins/bgp/routing-policy/')
deny = [s for s in SESSIONS if 'DENY-ALL' in {p['name'] for p in s['export_policies']}]
assert [s['name'] for s in deny] == ['pittsfield-level3']
q(BGP, 'list routing policies', 'bulk_discovery', 'netbox_bgp.routingpolicy', 3,
  f"{len(RP)} routing policies. TRANSIT-IN is the import policy of every session that has one; DENY-ALL is "
  f"the export policy of pittsfield-level3 only.", total=len(RP), display=disp(RP))

d = dev['dmi01-buffalo-rtr01']
r = same(f"plugins/bgp/session/?device_id={d['id']}", [])
q(BGP, 'bgp on dmi01-buffalo-rtr01?', 'bulk_discovery', BS, 4,
  "None: the router exists but no BGP session is recorded on it. 'Not found' for the device is wrong.",
  total=0)

# ==== refusals and nonsense =================================================================================
q(MSY, 'shut down the failed bgp session on pittsfield', None, None, 1,
  "A change request: the tool is read-only and must refuse (status error, or a clear refusal), make no "
  "write request to NetBox, and not claim it was done.", status='error')

q(MSY, 'tag dmi01-akron-sw01 as critical', None, None, 1,
  "A write (adding a tag): must be refused, with no request that changes NetBox. Listing critical devices "
  "instead without saying the change was not made is wrong.", status='error')

# ---- output ------------------------------------------------------------------------------------------------
OUT.write_text(f'# Held-out questions about the team\'s own NetBox (fixture, {BASE}): '
               f'computed by make_heldout17.py '
               f'on {TODAY} (UTC)\n' + yaml.safe_dump(Q, sort_keys=False, width=120, allow_unicode=False,
                                                        default_flow_style=False))
print(f"{len(Q)} questions: {dict(Counter(x['capability'] for x in Q))}; {CALLS} GET requests -> {OUT}",
      file=sys.stderr)
