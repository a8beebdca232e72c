"""`netbox-tui ask --refine` on the real NetBox: three questions chained as a shell session would,
each answer checked against NetBox's REST API asked by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration

TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token


def ask(netbox_url: str, home: Path, *args: str) -> dict:
    env = {
        **os.environ,
        "NETBOX_URL": netbox_url,
        "NETBOX_TOKEN": TOKEN,
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    out = subprocess.run(
        [sys.executable, "-m", "netbox_tui", "ask", *args, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def rest(netbox_url: str, path: str, brief: bool = True, **params: str) -> dict:
    auth = {"Authorization": f"Token {TOKEN}"}
    with httpx.Client(base_url=f"{netbox_url}/api/", headers=auth, timeout=60) as http:
        return http.get(path, params={**params, **({"brief": "1"} if brief else {}), "limit": "1000"}).json()


def shown(answer: dict) -> set[str]:
    return {r["display"] for r in answer["tables"][0]["rows"]}


def test_devices_at_akron_then_routers_then_camden(netbox_url: str, tmp_path: Path) -> None:
    first = ask(
        netbox_url, tmp_path, "devices at DM-Akron", "--refine"
    )  # nothing kept yet: a question of its own
    want = rest(netbox_url, "dcim/devices/", site="dm-akron")
    assert first["status"] == "ok" and shown(first) == {r["display"] for r in want["results"]}

    routers = ask(netbox_url, tmp_path, "only the routers", "--refine")
    want = rest(netbox_url, "dcim/devices/", site="dm-akron", role="router")
    assert routers["status"] == "ok" and shown(routers) == {r["display"] for r in want["results"]}
    assert routers["answer"].startswith("Refining devices · site = DM-Akron: + role = Router.")
    assert routers["refinement"]["kind"] == "narrow" and routers["refinement"]["exact"] is True
    assert routers["refinement"]["line"] == "refining: devices · site = DM-Akron · + role = Router"
    assert routers["stats"]["api_calls"] <= 2  # DM-Akron came resolved; only the names (once) and the list

    camden = ask(netbox_url, tmp_path, "and at DM-Camden?", "--refine")
    want = rest(netbox_url, "dcim/devices/", site="dm-camden", role="router")
    assert camden["status"] == "ok" and shown(camden) == {r["display"] for r in want["results"]}
    assert [c["filter"].split("=")[0] for c in camden["interpretation"]["conditions"]] == [
        "site_id",
        "role_id",
    ]


def test_count_per_role_and_drill_chained(netbox_url: str, tmp_path: Path) -> None:
    ask(netbox_url, tmp_path, "devices at DM-Akron")
    per_role = ask(netbox_url, tmp_path, "per role", "--refine")
    by_role: dict[str, int] = {}
    for r in rest(netbox_url, "dcim/devices/", brief=False, site="dm-akron")["results"]:
        by_role[r["role"]["display"]] = by_role.get(r["role"]["display"], 0) + 1
    assert len(by_role) >= 2 and per_role["intent"]["aggregate"] == {
        "op": "group",
        "by": "role",
        "text": "per role",
    }
    for role, n in by_role.items():
        assert f"{role} {n}" in per_role["answer"], (role, n, per_role["answer"])


def test_without_refine_the_question_stands_alone(netbox_url: str, tmp_path: Path) -> None:
    ask(netbox_url, tmp_path, "devices at DM-Akron")
    alone = ask(
        netbox_url, tmp_path, "VLANs at DM-Camden", "--refine"
    )  # a question of its own, even with --refine
    want = rest(netbox_url, "ipam/vlans/", site="dm-camden")
    assert not alone["answer"].startswith("Refining") and alone["tables"][0]["total"] == want["count"]
    assert "refinement" not in alone
