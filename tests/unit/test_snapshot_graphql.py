"""The snapshot emulator's GraphQL, offline on the embedded demo data: the subset netbox-tui sends
is answered as NetBox answers it (tests/contract compares with a real NetBox), and anything
outside it is a GraphQL error saying so, never a partial answer."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from netbox_tui.backend import demo_snapshot_path
from netbox_tui.netbox.emulator import SnapshotTransport
from netbox_tui.netbox.emulator_graphql import execute


@pytest.fixture(scope="module")
def transport() -> SnapshotTransport:
    return SnapshotTransport.from_file(demo_snapshot_path())


def ask(transport: SnapshotTransport, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    response = transport.handle(httpx.Request("POST", "http://demo.snapshot.invalid/graphql/", content=body))
    assert response.status_code == 200
    return response.json()


def error(transport: SnapshotTransport, query: str, variables: dict[str, Any] | None = None) -> str:
    answer = ask(transport, query, variables)
    assert answer["data"] is None, answer
    return answer["errors"][0]["message"]


def test_names_query_ids_are_strings_in_netbox_order(transport: SnapshotTransport) -> None:
    data = ask(
        transport,
        "query { site_list { id name slug } device_type_list { id model slug } vrf_list { id name } }",
    )["data"]
    assert data["site_list"][0] == {"id": "24", "name": "Butler Communications", "slug": "ncsu-128"}
    assert all(isinstance(r["id"], str) for rows in data.values() for r in rows)
    assert list(data) == ["site_list", "device_type_list", "vrf_list"]


def test_find_query_with_a_variable_and_nested_objects(transport: SnapshotTransport) -> None:
    query = (
        "query ($t: String!) { device_list(filters: {name: {i_contains: $t}}, pagination: "
        "{limit: 50}) { id name site { name } } "
        "circuit_list(filters: {cid: {i_contains: $t}}, pagination: {limit: 50}) { id cid } }"
    )
    data = ask(transport, query, {"t": "AKRON-rtr"})["data"]
    assert data == {
        "device_list": [{"id": "1", "name": "dmi01-akron-rtr01", "site": {"name": "DM-Akron"}}],
        "circuit_list": [],
    }


@pytest.mark.parametrize(
    ("lookup", "value", "found"),
    [
        ("exact", "dmi01-akron-rtr01", 1),
        ("exact", "DMI01-AKRON-RTR01", 0),
        ("i_exact", "DMI01-AKRON-RTR01", 1),
        ("contains", "akron", 3),
        ("contains", "AKRON", 0),
        ("i_contains", "AKRON", 3),
        ("starts_with", "dmi01-akron", 3),
        ("starts_with", "DMI", 0),
        ("i_starts_with", "DMI01-AKRON", 3),
    ],
)
def test_lookups(transport: SnapshotTransport, lookup: str, value: str, found: int) -> None:
    rows = ask(transport, f'query {{ device_list(filters: {{name: {{{lookup}: "{value}"}}}}) {{ id }} }}')[
        "data"
    ]["device_list"]
    assert len(rows) == found


def test_pagination_and_the_1000_row_cap(transport: SnapshotTransport) -> None:
    assert len(ask(transport, "{ interface_list { id } }")["data"]["interface_list"]) == 1000
    assert (
        len(ask(transport, "{ interface_list(pagination: {limit: 5000}) { id } }")["data"]["interface_list"])
        == 1000
    )
    assert (
        len(ask(transport, "{ interface_list(pagination: {limit: 0}) { id } }")["data"]["interface_list"])
        == 1000
    )
    rows = ask(
        transport, "query ($n: Int!) { device_list(pagination: {offset: 70, limit: $n}) { id } }", {"n": 10}
    )["data"]["device_list"]
    assert len(rows) == 2
    assert "Negative indexing" in error(transport, "{ device_list(pagination: {offset: -1}) { id } }")


def test_netbox_errors(transport: SnapshotTransport) -> None:
    assert error(transport, "{ site_list { id bogus } }") == "Cannot query field 'bogus' on type 'SiteType'."
    assert error(transport, "{ bogus_list { id } }") == "Cannot query field 'bogus_list' on type 'Query'."
    assert "not to include unknown field 'bogus'" in error(
        transport, '{ site_list(filters: {bogus: {i_contains: "a"}}) { id } }'
    )
    assert "non-null type 'String!'" in error(
        transport, "query ($t: String!) { site_list(filters: {name: {exact: $t}}) { id } }"
    )
    assert "is not defined" in error(transport, "{ site_list(filters: {name: {exact: $t}}) { id } }")
    assert error(transport, "{ site_list { id ").startswith("Syntax Error")
    assert "must have a selection of subfields" in error(transport, "{ site_list }")
    assert "must have a selection of subfields" in error(transport, "{ device_list { id site } }")


@pytest.mark.parametrize(
    "query",
    [
        'mutation { site_delete(id: 1) { id } }',
        "subscription { site_list { id } }",
    ],
)
def test_never_a_mutation(transport: SnapshotTransport, query: str) -> None:
    assert "operation is not supported" in error(transport, query)


@pytest.mark.parametrize(
    ("query", "what"),
    [
        ("{ site_list { ...F } } fragment F on SiteType { id }", "fragments"),
        ("query { site_list { id } } fragment F on SiteType { id }", "fragments"),
        ("{ s: site_list { id } }", "aliases"),
        ("{ site_list { id @include(if: true) } }", "directives"),
        ("{ site_list(ordering: {name: ASC}) { id } }", "argument 'ordering'"),
        ('{ site_list(filters: {name: {i_regex: "a"}}) { id } }', "lookup 'i_regex'"),
        ('{ site_list(filters: {OR: {name: {exact: "a"}}}) { id } }', "filter OR"),
        ('{ site_list(filters: {status: {exact: "active"}}) { id } }', "filters on SiteType.status"),
        ('{ device_list(filters: {site: {name: {exact: "x"}}}) { id } }', "filters on DeviceType.site"),
        ("{ site_list(pagination: {start: 3}) { id } }", "pagination by 'start'"),
        ("{ device_list { id tags { name } } }", "DeviceType.tags"),
        ("{ device_list { id position } }", "DeviceType.position"),
        ("{ device_list { id created } }", "DeviceType.created"),
        ("{ site_list { id __typename } }", "Cannot query field '__typename'"),
        ("query A { site_list { id } } query B { site_list { id } }", "several operations"),
        ("{ site_list { id } site_list { name } }", "the same field twice"),
        ("query ($l: [String]) { site_list { id } }", "list variables"),
    ],
)
def test_outside_the_subset_is_a_loud_error(transport: SnapshotTransport, query: str, what: str) -> None:
    assert what in error(transport, query)


def test_graphql_is_post_only(transport: SnapshotTransport) -> None:
    response = transport.handle(httpx.Request("GET", "http://demo.snapshot.invalid/graphql/?query={site_list{id}}"))
    assert response.status_code == 400 and "does not implement" in response.json()["detail"]


def test_execute_needs_a_query() -> None:
    assert execute(None, {"variables": {}})["errors"]
    assert execute(None, "not an object")["errors"]
