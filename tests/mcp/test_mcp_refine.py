"""`ask(question, refine=handle)` over stdio: three questions chained on the embedded demo and on
the real NetBox (whose answers are checked against its REST API, asked by hand)."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.mcp.test_mcp_stdio import failed, ok

DEMO_TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token


def answer_handle(text: str) -> str:
    m = re.search(r'refine="(a\d{8})"', text)
    assert m, text
    return m.group(1)


def chain(server, questions: list[str]) -> list[str]:
    """Each question asked as a follow-up of the answer before it."""
    texts = [ok(server.call("ask", {"question": questions[0]}))]
    for q in questions[1:]:
        texts.append(ok(server.call("ask", {"question": q, "refine": answer_handle(texts[-1])})))
    return texts


def test_three_questions_chained_on_the_demo(demo_server):
    first, routers, camden = chain(
        demo_server, ["devices at DM-Akron", "only the routers", "and at DM-Camden?"]
    )
    assert "dmi01-akron-pdu01" in first
    assert routers.startswith("Refining devices · site = DM-Akron: + role = Router.")
    assert "dmi01-akron-rtr01" in routers and "dmi01-akron-pdu01" not in routers
    assert (
        "site = DM-Camden (was DM-Akron)" in camden
        and "dmi01-camden-rtr01" in camden
        and "akron" not in camden.split("\n", 1)[1]
    )


def test_an_older_answer_can_be_refined_again(demo_server):
    first = ok(demo_server.call("ask", {"question": "devices at DM-Akron"}))
    ok(demo_server.call("ask", {"question": "only the routers", "refine": answer_handle(first)}))
    pdus = ok(demo_server.call("ask", {"question": "not the PDUs", "refine": answer_handle(first)}))
    assert "role ≠ PDU" in pdus and "dmi01-akron-sw01" in pdus and "role = Router" not in pdus


def test_without_refine_a_question_stands_on_its_own(demo_server):
    ok(demo_server.call("ask", {"question": "devices at DM-Akron"}))
    text = ok(demo_server.call("ask", {"question": "only the routers"}))
    assert not text.startswith("Refining") and "DM-Akron" not in text.split("\n")[0]


def test_an_unknown_answer_handle_is_said(demo_server):
    text = failed(demo_server.call("ask", {"question": "only the routers", "refine": "a12345678"}))
    assert "unknown or expired" in text


@pytest.mark.integration
def test_three_questions_chained_on_the_real_netbox(real_server, netbox_url):
    texts = chain(real_server, ["devices at DM-Akron", "only the routers", "and at DM-Camden?"])
    with httpx.Client(
        base_url=f"{netbox_url}/api/", headers={"Authorization": f"Token {DEMO_TOKEN}"}, timeout=60
    ) as http:
        for text, params in zip(
            texts,
            [
                {"site": "dm-akron"},
                {"site": "dm-akron", "role": "router"},
                {"site": "dm-camden", "role": "router"},
            ],
            strict=True,
        ):
            want = http.get("dcim/devices/", params={**params, "brief": 1, "limit": 100}).json()
            header = re.search(r"^## .* rows 1–\d+ of ([\d,]+)", text, re.M)
            assert header and int(header.group(1).replace(",", "")) == want["count"], (params, text)
            for row in want["results"]:
                assert (row["name"] or row["display"]) in text, (params, row["display"])
        others = http.get(
            "dcim/devices/", params={"site": "dm-camden", "role__n": "router", "brief": 1}
        ).json()["results"]
    assert others and not any(
        (o["name"] or o["display"]) in texts[2] for o in others
    )  # the refinement did not widen
