"""The MCP server over stdio, driven by the SDK's client: every tool on the embedded demo, `ask`,
`query` and `page` on the real NetBox, refusals that send nothing, paging handles that survive
between calls (and say when they expired), a NetBox fault as a tool error, the token budget."""

from __future__ import annotations

import json
import re

import pytest

from netbox_tui.core.budget import get_encoder

TOOLS = {"ask", "query", "describe", "page", "trace", "free_ips", "vlan_topology", "rack_utilisation"}
BUDGET = 2000
ENC = get_encoder("gpt-4o-mini")


def text_of(result) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")


def ok(result) -> str:
    text = text_of(result)
    assert not result.is_error, text
    assert ENC.count(text) <= BUDGET, f"{ENC.count(text)} tokens"
    return text


def failed(result) -> str:
    text = text_of(result)
    assert result.is_error, text
    return text


def calls(result) -> int:
    return int((result.meta or {}).get("netbox-tui", {}).get("netbox_calls", -1))


def handle_of(text: str) -> str:
    m = re.search(r'page\("(t\w+)", (\d+)\)', text)
    assert m, text
    return m.group(1)


# -- the demo (no NetBox) ------------------------------------------------------------------------------------


def test_lists_the_eight_tools_with_short_definitions(demo_server):
    listed = demo_server.list_tools().tools
    assert {t.name for t in listed} == TOOLS
    defs = [t.model_dump(by_alias=True, exclude_none=True) for t in listed]
    assert all(d["inputSchema"]["type"] == "object" for d in defs)
    tokens = ENC.count(json.dumps(defs, ensure_ascii=False))
    assert tokens < 1200, f"tool definitions cost {tokens} tokens"
    assert demo_server.init.server_info.name == "netbox-tui"


def test_ask_answers_compactly_with_the_interpretation(demo_server):
    text = ok(demo_server.call("ask", {"question": "VLANs at DM-Akron"}))
    lines = text.splitlines()
    assert lines[0].startswith("3 VLANs") and "DM-Akron" in lines[0] and lines[0].endswith("rows 1–3 of 3.")
    assert "read as: VLANs · site = DM-Akron | sent: site_id=2" in lines
    assert "1|100|Data|DM-Akron||Active|Access - Data|Dunder-Mifflin, Inc." in lines


def test_ask_as_json(demo_server):
    data = json.loads(ok(demo_server.call("ask", {"question": "VLANs at DM-Akron", "json": True})))
    table = data["tables"][0]
    assert data["status"] == "ok" and table["model"] == "ipam.vlan" and table["total"] == 3
    assert table["columns"][:3] == ["id", "vid", "name"] and table["rows"][0][:3] == ["1", "100", "Data"]


def test_query_checks_every_condition_and_shows_the_fields_asked(demo_server):
    result = demo_server.call(
        "query",
        {
            "model": "dcim.device",
            "conditions": [{"field": "site", "value": "dm-akron"}],
            "fields": ["platform"],
        },
    )
    text = ok(result)
    assert "sent: site_id=2" in text and "name|platform" in text and "dmi01-akron-rtr01|Cisco IOS" in text


def test_query_counts_and_groups(demo_server):
    text = ok(
        demo_server.call(
            "query",
            {
                "model": "dcim.device",
                "aggregate": "count",
                "conditions": [{"field": "status", "value": "Active"}],
            },
        )
    )
    assert text.startswith("72 devices") and "not listed (a count)" in text and "sent: status=active" in text
    text = ok(demo_server.call("query", {"model": "dcim.device", "aggregate": "role"}))
    assert "Devices per role" in text and "|Patch Panel|19" in text


@pytest.mark.parametrize(
    "args, said",
    [
        (
            {"model": "dcim.interface", "conditions": [{"field": "devce", "value": "x"}]},
            "dcim.interface has no filter 'devce'; closest: device, device_id",
        ),
        (
            {"model": "dcim.interface", "conditions": [{"field": "type", "value": "1000base"}]},
            "type has no value '1000base'; closest: 1000base-",
        ),
        (
            {"model": "dcim.interface", "conditions": [{"field": "name", "op": "gt", "value": "x"}]},
            "filter name does not take op gt; ops: eq",
        ),
        (
            {"model": "dcim.interface", "fields": ["speeed"]},
            "dcim.interface has no field 'speeed'; closest: speed",
        ),
        ({"model": "dcim.devic"}, "unknown model 'dcim.devic'; closest: dcim.device"),
    ],
)
def test_query_refuses_what_the_schema_does_not_know_and_sends_nothing(demo_server, args, said):
    result = demo_server.call("query", args)
    assert said in failed(result)
    assert calls(result) == 0


def test_describe_gives_filters_ops_and_values(demo_server):
    text = ok(demo_server.call("describe", {"model": "dcim.interface"}))
    assert text.startswith("dcim.interface: interface objects at /api/dcim/interfaces/")
    assert "device→dcim.device" in text and "values of mode: access, tagged, tagged-all, q-in-q" in text
    one = ok(demo_server.call("describe", {"model": "dcim.interface", "field": "mode"}))
    assert "filter mode: choice; ops: eq" in one


def test_page_goes_on_from_a_handle_that_survives_other_calls(demo_server):
    first = ok(demo_server.call("query", {"model": "dcim.interface", "fields": ["device"], "limit": 50}))
    assert re.search(r"rows 1–50 of 1,\d{3}", first)
    handle = handle_of(first)
    ok(demo_server.call("ask", {"question": "sites"}))  # other calls in between
    second = ok(demo_server.call("page", {"handle": handle, "offset": 50}))
    assert re.search(r"rows 51–100 of 1,\d{3}", second) and f'page("{handle}", 100)' in second
    again = ok(demo_server.call("page", {"handle": handle, "offset": 50, "json": True}))
    assert json.loads(again)["tables"][0]["offset"] == 50


def test_a_long_table_is_cut_to_the_budget_and_says_how_to_go_on(demo_server):
    text = ok(demo_server.call("query", {"model": "dcim.interface", "limit": 1000}))
    m = re.search(r"rows 1–(\d+) of ([\d,]+)", text)
    assert m and int(m.group(1)) < 1000
    assert (
        "(^ = same as the row above)" in text and "|^|" in text
    )  # a repeated device or type costs one token
    assert f'page("{handle_of(text)}", {m.group(1)})' in text
    nxt = demo_server.call("page", {"handle": handle_of(text), "offset": int(m.group(1))})
    assert calls(nxt) == 0  # the rows read with the first page answer the next ones
    assert f"rows {int(m.group(1)) + 1}–" in ok(nxt)


def test_an_unknown_or_expired_handle_says_so(demo_server):
    assert "unknown or expired" in failed(demo_server.call("page", {"handle": "t00000000", "offset": 0}))


def test_trace_free_ips_vlan_topology_rack_utilisation(demo_server):
    trace = ok(demo_server.call("trace", {"device": "dmi01-akron-rtr01", "interface": "Gi0/1/0"}))
    assert trace.startswith("dmi01-akron-rtr01 GigabitEthernet0/1/0 → dmi01-akron-sw01 GigabitEthernet1/0/1")
    free = ok(demo_server.call("free_ips", {"prefix": "10.112.129.0/24"}))
    assert (
        free.startswith("254 free IP addresses in 10.112.129.0/24")
        and "10.112.129.1|10.112.129.254|254" in free
    )
    topo = ok(demo_server.call("vlan_topology", {"scope": "DM-Akron"}))
    assert topo.startswith("3 VLANs") and "rows 1–3 of 3" in topo and "sent: site_id=2" in topo
    assert "rows 1–63 of 63" in ok(
        demo_server.call("vlan_topology", {})
    )  # computed here: as many rows as fit
    racks = ok(demo_server.call("rack_utilisation", {"site_or_rack": "MDF"}))
    assert (
        racks.startswith("26 racks") and "56 of 1236 rack units used" in racks and "sent: site_id=21" in racks
    )
    assert "R103|MDF|Row 1|Active|1|16|32|33%" in racks and "rows 1–26 of 26" in racks


def test_an_ambiguous_name_is_a_choice_answered_exactly(demo_server):
    text = ok(demo_server.call("ask", {"question": "VLANs at JBB Branch"}))
    m = re.search(r'ask\("pick (c\w+) N"\)', text)
    assert m and "1. JBB Branch 104" in text
    picked = ok(demo_server.call("ask", {"question": f"pick {m.group(1)} 1"}))
    assert "site = JBB Branch 104" in picked


def test_a_bad_argument_is_a_tool_error(demo_server):
    assert "no argument 'colour'" in failed(
        demo_server.call("trace", {"device": "x", "interface": "y", "colour": 1})
    )
    assert "missing" in failed(demo_server.call("free_ips", {}))


# -- the real NetBox -----------------------------------------------------------------------------------------


@pytest.mark.integration
def test_ask_on_the_real_netbox(real_server):
    result = real_server.call("ask", {"question": "list all VLANs"})
    text = ok(result)
    assert re.match(r"\d+ VLANs; rows 1–25 of \d+\.", text) and calls(result) >= 1


@pytest.mark.integration
def test_query_and_page_on_the_real_netbox(real_server):
    result = real_server.call(
        "query",
        {
            "model": "dcim.device",
            "conditions": [{"field": "has_primary_ip", "value": False}],
            "fields": ["site"],
        },
    )
    text = ok(result)
    assert "sent: has_primary_ip=false" in text and "name|site" in text
    more = ok(real_server.call("page", {"handle": handle_of(text), "offset": 25}))
    assert "rows 26–" in more


@pytest.mark.integration
def test_a_refused_filter_sends_nothing_to_the_real_netbox(real_server):
    result = real_server.call(
        "query", {"model": "ipam.vlan", "conditions": [{"field": "bogus_filter", "value": "x"}]}
    )
    assert "ipam.vlan has no filter 'bogus_filter'" in failed(result) and calls(result) == 0


# -- a fault from NetBox -------------------------------------------------------------------------------------


def test_a_closed_port_is_a_clear_tool_error(closed_port_server):
    text = failed(closed_port_server.call("ask", {"question": "devices at DM-Akron"}))
    assert text.startswith("cannot reach http://127.0.0.1:")
    assert "\nhint: Check the URL and that NetBox is running" in text
