"""The fixture NetBox as a team's own NetBox (scripts/netbox-fixture, NETBOX_FIXTURE_URL), by hand-written
REST requests.

What scripts/seed-fixture.py put there (tests/data/fixture-seed.json): custom fields of each type, tags,
journal entries and changes by two users, netbox-bgp sessions, and the user akron-viewer whose tokens
see DM-Akron only (issue 19). The demo NetBox (NETBOX_TEST_URL) must stay plugin-free.
"""

from __future__ import annotations

import importlib.util
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from fixture_env import fixture_env

ROOT = Path(__file__).resolve().parents[2]
SEED_DOC = json.loads((ROOT / "tests" / "data" / "fixture-seed.json").read_text())
SEED = SEED_DOC["seed"]
READ_TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token
AKRON = "dm-akron"


def _client(url: str, authorization: str) -> httpx.Client:
    # No keep-alive: gunicorn closes an idle connection after 2 s, and a request sent on it just then is
    # a ReadError (seen here under load).
    return httpx.Client(base_url=f"{url}/api/", headers={"Authorization": authorization,
                                                        "Accept": "application/json"},
                        timeout=120, limits=httpx.Limits(max_keepalive_connections=0))


@pytest.fixture(scope="module")
def reader(fixture_url: str):
    with _client(fixture_url, f"Token {READ_TOKEN}") as c:
        yield c


@pytest.fixture(scope="module", params=["v1", "v2"])
def limited(request, fixture_url: str):
    if request.param == "v1":
        auth = f"Token {fixture_env('NETBOX_FIXTURE_LIMITED_TOKEN')}"
    else:
        auth = f"Bearer {fixture_env('NETBOX_FIXTURE_LIMITED_TOKEN_V2')}"
    with _client(fixture_url, auth) as c:
        yield c


@pytest.fixture(scope="module")
def operator(fixture_url: str):
    with _client(fixture_url, f"Token {fixture_env('NETBOX_FIXTURE_OPERATOR_TOKEN')}") as c:
        yield c


def _all(c: httpx.Client, path: str, **params) -> list[dict]:
    r = c.get(path, params={"limit": 1000, **params})
    r.raise_for_status()
    body = r.json()
    assert body["next"] is None, f"{path}: more than one page"
    return body["results"]


def _count(c: httpx.Client, path: str, **params) -> int:
    r = c.get(path, params={"limit": 1, "brief": 1, **params})
    r.raise_for_status()
    return r.json()["count"]


def test_seed_json_is_the_scripts_seed() -> None:
    """tests/data/fixture-seed.json is what scripts/seed-fixture.py would write (no server needed)."""
    spec = importlib.util.spec_from_file_location("seed_fixture", ROOT / "scripts" / "seed-fixture.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert SEED_DOC == json.loads(json.dumps(mod.json_document()))
    env = dict(line.split("=", 1) for line in mod.env_lines())
    assert len(env["NETBOX_FIXTURE_LIMITED_TOKEN"]) == 40 and int(env["NETBOX_FIXTURE_LIMITED_TOKEN"], 16)
    assert env["NETBOX_FIXTURE_LIMITED_TOKEN_V2"].startswith("nbt_")


# -- the restricted user (issue 19) --------------------------------------------------------------------


def test_limited_token_sees_only_dm_akron_devices(limited: httpx.Client, reader: httpx.Client) -> None:
    everything = _all(reader, "dcim/devices/", brief=1)
    akron = {d["id"] for d in _all(reader, "dcim/devices/", site=AKRON, brief=1)}
    seen = {d["id"] for d in _all(limited, "dcim/devices/", brief=1)}
    assert len(everything) > len(akron) >= 3  # the demo token sees every site's devices
    assert seen == akron
    # A filter for another site finds nothing, not another site's devices.
    assert _count(limited, "dcim/devices/", site="dm-scranton") == 0
    assert _count(reader, "dcim/devices/", site="dm-scranton") > 0


def test_limited_token_scope_per_model(limited: httpx.Client, reader: httpx.Client) -> None:
    sites = _all(limited, "dcim/sites/", brief=1)
    assert [s["slug"] for s in sites] == [AKRON]
    for path, params in (("dcim/racks/", {"site": AKRON}), ("ipam/vlans/", {"site": AKRON}),
                         ("dcim/interfaces/", {"site": AKRON}), ("ipam/prefixes/", {"site": AKRON})):
        mine = {x["id"] for x in _all(limited, path, brief=1)}
        assert mine and mine == {x["id"] for x in _all(reader, path, brief=1, **params)}, path
    ips = _all(limited, "ipam/ip-addresses/")
    assert ips and all(ip["assigned_object"]["device"]["name"].startswith("dmi01-akron-") for ip in ips)
    # The reference tables a name index reads are all there, unconstrained.
    for path in ("dcim/regions/", "dcim/site-groups/", "tenancy/tenants/", "dcim/device-roles/",
                 "dcim/manufacturers/", "dcim/device-types/", "dcim/platforms/"):
        assert _count(limited, path) == _count(reader, path) > 0, path


def test_limited_token_cannot_see_other_models_or_write(limited: httpx.Client) -> None:
    for path in ("circuits/circuits/", "plugins/bgp/session/", "users/users/"):
        assert limited.get(path).status_code == 403, path
    site = _all(limited, "dcim/sites/", brief=1)[0]
    assert limited.patch(f"dcim/sites/{site['id']}/", json={"description": "x"}).status_code == 403


# -- what was seeded -----------------------------------------------------------------------------------


def test_every_seeded_count(reader: httpx.Client) -> None:
    """Each api_count of tests/data/fixture-seed.json, as the fixture NetBox answers it."""
    counts = SEED_DOC["api_counts"]

    def count(key: str) -> int:
        path, _, query = key.partition("?")
        return _count(reader, path, **dict(httpx.QueryParams(query)))

    with ThreadPoolExecutor(max_workers=4) as pool:
        got = dict(zip(counts, pool.map(count, counts)))
    wrong = {k: (got[k], v) for k, v in counts.items() if got[k] != v}
    assert not wrong, f"(got, expected): {wrong}"


def test_custom_fields_of_each_type(reader: httpx.Client) -> None:
    fields = {f["name"]: f for f in _all(reader, "extras/custom-fields/")}
    types = {fields[f["name"]]["type"]["value"] for f in SEED["custom_fields"]}
    assert {"date", "boolean", "select", "text", "integer", "object"} <= types
    for model in ("dcim.device", "circuits.circuit", "ipam.prefix"):
        assert model in fields["owner"]["object_types"]
    rtr = _all(reader, "dcim/devices/", name="dmi01-akron-rtr01")[0]["custom_fields"]
    assert rtr["warranty_end"] == "2027-03-31" and rtr["monitored"] is True
    assert rtr["support_tier"]["value"] == "gold" and rtr["owner"]["name"] == "Dwight Schrute"
    unset = _all(reader, "dcim/devices/", name="dmi01-akron-pdu01")[0]["custom_fields"]
    assert unset["warranty_end"] is None and unset["owner"] is None  # some objects have none set
    circuits = {c["cid"] for c in _all(reader, "circuits/circuits/", cf_sla_hours__lte=4, brief=1)}
    assert circuits == {"DJDP9577", "LQRT4981", "319031"}


def test_tags_on_each_kind(reader: httpx.Client) -> None:
    critical = {d["name"] for d in _all(reader, "dcim/devices/", tag="critical", brief=1)}
    assert "dmi01-akron-rtr01" in critical and "dmi01-akron-sw01" not in critical
    ifaces = _all(reader, "dcim/interfaces/", tag="uplink", brief=1)
    assert {f"{x['device']['name']} {x['name']}" for x in ifaces} >= {"ncsu117-distswitch1 ae0"}
    assert _count(reader, "ipam/vlans/", tag="pci-scope") == 2
    assert _count(reader, "ipam/prefixes/", tag="pci-scope") == 2


def test_journal_by_two_users_of_each_kind(reader: httpx.Client) -> None:
    entries = _all(reader, "extras/journal-entries/")
    assert {e["kind"]["value"] for e in entries} == {"info", "success", "warning", "danger"}
    assert len({e["created_by"] for e in entries}) == 2
    on_circuits = [e for e in entries if e["assigned_object_type"] == "circuits.circuit"]
    assert {e["kind"]["value"] for e in on_circuits} == {"danger", "success"}


def test_change_log_has_two_users_and_an_interface_change_related_to_its_device(reader: httpx.Client) -> None:
    for user in ("admin", "dwight"):
        assert _count(reader, "core/object-changes/", user_name=user) > 0, user
    for action in ("create", "update", "delete"):
        assert _count(reader, "core/object-changes/", user_name="dwight", action=action) > 0, action
    key = next(iter(SEED["operator_changes"]["update_interfaces"]))
    device = _all(reader, "dcim/devices/", name=key.split()[0], brief=1)[0]
    rows = _all(reader, "core/object-changes/", user_name="dwight", changed_object_type="dcim.interface",
                related_object_type="dcim.device", related_object_id=device["id"])
    assert [r["postchange_data"]["name"] for r in rows] == [key.split(" ", 1)[1]]


def test_netbox_bgp_on_the_fixture_only(reader: httpx.Client, netbox_url: str) -> None:
    assert reader.get("status/").json()["plugins"] == {"netbox_bgp": "0.20.2"}
    demo = httpx.get(f"{netbox_url}/api/status/", headers={"Authorization": f"Token {READ_TOKEN}"},
                     timeout=30)
    assert demo.json()["plugins"] == {}  # the demo NetBox stays plugin-free
    sessions = _all(reader, "plugins/bgp/session/")
    assert {s["status"]["value"] for s in sessions} == {"active", "offline", "failed", "planned"}
    s = next(x for x in sessions if x["name"] == "akron-level3")
    assert s["device"]["name"] == "dmi01-akron-rtr01" and s["remote_as"]["asn"] == 3356
    assert s["local_address"]["address"] == "198.51.100.13/30" and s["peer_group"]["name"] == "LEVEL3-TRANSIT"
    assert [p["name"] for p in s["import_policies"]] == ["TRANSIT-IN"]


# -- a change made now, then asked about: "today" stays true ------------------------------------------


def test_a_change_made_today_is_in_todays_change_log(operator: httpx.Client, reader: httpx.Client) -> None:
    """dwight edits a device's comments (a field the seed does not own), then the change log is asked for
    today's changes by dwight to that device."""
    start = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    device = _all(reader, "dcim/devices/", name="dmi01-binghamton-rtr01", brief=1)[0]
    stamp = f"checked by the fixture test at {datetime.now(timezone.utc).isoformat(timespec='seconds')}"
    r = operator.patch(f"dcim/devices/{device['id']}/", json={"comments": stamp})
    assert r.status_code == 200, r.text
    rows = _all(reader, "core/object-changes/", user_name="dwight", changed_object_type="dcim.device",
                changed_object_id=device["id"], time_after=start.isoformat())
    seen = [(row["time"], (row["postchange_data"] or {}).get("comments")) for row in rows[:3]]
    assert any(row["action"]["value"] == "update" and row["postchange_data"]["comments"] == stamp
               for row in rows), f"wanted {stamp!r} today, got {seen}"
