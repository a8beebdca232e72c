"""Issue 18, frictions 5, 8 and 10, against the real NetBox: each answer checked against REST
queries written here by hand, and a wrong token or base URL said as such in one or two requests."""

from __future__ import annotations

from typing import Any, Callable

import httpx
import pytest

from netbox_tui.config import NetBoxProfile
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.client import NetBoxClient

TOKEN_V1 = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token
Client = Callable[..., NetBoxClient]
Rest = Callable[..., Any]


@pytest.fixture
def rest(netbox_url: str) -> Rest:
    """GET /api/<path> with the demo token: the hand-written side of each comparison."""
    headers = {"Authorization": f"Token {TOKEN_V1}"}

    def get(path: str, **params: Any) -> Any:
        resp = httpx.get(f"{netbox_url}/api/{path}", params=params, headers=headers, timeout=30)
        resp.raise_for_status()
        return resp.json()

    return get


async def test_contacts_of_a_site_are_its_assignments(nb_client: Client, rest: Rest) -> None:
    site = rest("dcim/sites/", name="DM-Scranton")["results"][0]
    assigned = rest("tenancy/contact-assignments/", object_type="dcim.site", object_id=site["id"],
                    limit=1000)["results"]
    people = {c["id"]: c for c in rest("tenancy/contacts/", limit=1000)["results"]}

    def row(a: dict[str, Any]) -> tuple[str, ...]:
        person = people[a["contact"]["id"]]
        role = a["role"]["name"] if a["role"] else "—"
        priority = a["priority"]["label"] if a["priority"] else "—"
        return (person["name"], role, priority, person["phone"] or "—", person["email"] or "—")

    expected = sorted(row(a) for a in assigned)
    assert expected, "the demo data assigns contacts to DM-Scranton"
    ans = await Orchestrator(nb_client()).ask("contacts for DM-Scranton")
    assert ans.status == "ok" and ans.answer.startswith(f"{len(expected)} contacts at DM-Scranton")
    got = sorted((r["name"], r["role"], r["priority"], r["phone"], r["email"]) for r in ans.tables[0].rows)
    assert got == expected
    assert ans.stats.api_calls <= 3  # the names index, the assignments, the contacts


async def test_a_site_without_contacts_and_a_bare_contact_name(nb_client: Client, rest: Rest) -> None:
    site = rest("dcim/sites/", name="DM-Akron")["results"][0]
    assert rest("tenancy/contact-assignments/", object_type="dcim.site", object_id=site["id"])["count"] == 0
    orch = Orchestrator(nb_client())
    ans = await orch.ask("contacts for DM-Akron")
    assert ans.status == "ok" and ans.answer == "No contacts at DM-Akron."
    person = rest("tenancy/contacts/", name="Michael Scott")["results"][0]
    ans = await orch.ask("Michael Scott")
    assert ans.status == "ok" and ans.tables[0].rows[0]["id"] == person["id"]
    assert person["phone"] in ans.answer and person["email"] in ans.answer


async def test_a_wrong_token_is_said_after_one_request(nb_client: Client) -> None:
    ans = await Orchestrator(nb_client(token="0" * 40)).ask("VLANs at DM-Akron")
    assert ans.status == "error" and ans.error is not None and ans.error.kind == "auth"
    assert "token rejected" in ans.error.message and "Invalid v1 token" in ans.error.message
    assert ans.stats.api_calls == 1 and ans.error.alternatives == []


async def test_a_base_url_with_an_extra_path_is_said_as_a_wrong_url(netbox_url: str) -> None:
    client = NetBoxClient(NetBoxProfile(url=netbox_url + "/netbox", token=TOKEN_V1))
    try:
        ans = await Orchestrator(client).ask("VLANs at DM-Akron")
    finally:
        await client.aclose()
    assert ans.status == "error" and ans.error is not None and ans.error.kind == "bad_url"
    assert f"{netbox_url}/netbox is not a NetBox API root" in ans.error.message
    assert ans.stats.api_calls <= 2 and ans.error.alternatives == []


async def test_circuits_show_their_a_and_z_ends(nb_client: Client, rest: Rest) -> None:
    raw = rest("circuits/circuits/", limit=1000, fields="cid,termination_a,termination_z")["results"]

    def end(t: Any) -> str:
        return t["termination"]["display"] if t and t.get("termination") else "—"

    expected = {c["cid"]: (end(c["termination_a"]), end(c["termination_z"])) for c in raw}
    ans = await Orchestrator(nb_client(), page_size=1000).ask("circuits")
    # a cell is the end's site, with its port speed in brackets when NetBox has one
    got = {r["cid"]: (r["termination_a"].split(" (")[0], r["termination_z"].split(" (")[0])
           for r in ans.tables[0].rows}
    assert got == expected and any(z != "—" for _, z in got.values())


async def test_devices_per_site_counts_what_it_says(nb_client: Client, rest: Rest) -> None:
    sites = rest("dcim/sites/", limit=1000, fields="name,device_count")["results"]
    some = sorted(s["device_count"] for s in sites if s["device_count"])
    none = sum(1 for s in sites if not s["device_count"])
    ans = await Orchestrator(nb_client()).ask("devices per site")
    assert f"in {len(some)} sites by site" in ans.answer
    assert f"and {len(some) - 6} more." in ans.answer and f"{none} sites with none." in ans.answer
