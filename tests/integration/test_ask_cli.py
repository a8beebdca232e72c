"""`netbox-tui ask` as a script runs it: one JSON object, exit codes, no token in the output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

TOKEN = "0123456789abcdef0123456789abcdef01234567"


def ask(netbox_url: str, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NETBOX_URL": netbox_url, "NETBOX_TOKEN": TOKEN, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "netbox_tui", "ask", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_json_contract(netbox_url: str) -> None:
    out = ask(netbox_url, "devices at dm akron", "--json", "--no-cache")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)  # exactly one JSON object
    assert set(data) >= {
        "question",
        "intent",
        "interpretation",
        "plan",
        "status",
        "answer",
        "tables",
        "choices",
        "stats",
        "stale",
    }
    assert "error" not in data  # empty fields are left out
    assert data["status"] == "ok" and data["intent"]["target"] == "dcim.device" and data["stale"] is False
    conds = data["interpretation"]["conditions"]
    assert [(c["field"], c["value"], c["filter"]) for c in conds] == [("site", "DM-Akron", "site_id=2")]
    assert set(data["plan"]) == {"kind", "steps"} and data["plan"]["steps"]
    t = data["tables"][0]
    assert t["object_type"] == "dcim.device" and t["total"] == 4 and t["offset"] == 0 and t["limit"] == 25
    assert all({"id", "display"} <= set(r) for r in t["rows"])
    assert set(data["stats"]) == {"api_calls", "cache_hits", "bytes", "elapsed_ms", "llm_tokens"}
    assert TOKEN not in out.stdout + out.stderr


def test_page_size_and_offset(netbox_url: str) -> None:
    out = ask(netbox_url, "list all VLANs", "--json", "--page-size", "10", "--offset", "60", "--no-cache")
    t = json.loads(out.stdout)["tables"][0]
    assert (t["total"], t["offset"], t["limit"], len(t["rows"])) == (63, 60, 10, 3)


@pytest.mark.parametrize(
    "question,kind",
    [("", "bad_question"), ("x" * 10_000, "bad_question"), ("delete all devices", "write_refused")],
)
def test_bad_input_is_an_error_with_a_hint(netbox_url: str, question: str, kind: str) -> None:
    out = ask(netbox_url, question, "--json")
    assert out.returncode != 0
    data = json.loads(out.stdout)
    assert data["status"] == "error" and data["error"]["kind"] == kind and data["error"]["hint"]


def test_wrong_token_says_what_to_do(netbox_url: str) -> None:
    out = ask(netbox_url, "list all VLANs", "--json", "--no-cache", env_extra={"NETBOX_TOKEN": "f" * 40})
    data = json.loads(out.stdout)
    assert out.returncode != 0 and data["error"]["kind"] == "auth"
    assert "token" in data["answer"].lower()
    assert "f" * 40 not in out.stdout + out.stderr


def test_netbox_down_is_a_clear_error() -> None:
    out = ask("http://127.0.0.1:9", "list all VLANs", "--json", "--no-cache")
    data = json.loads(out.stdout)
    assert out.returncode != 0 and data["error"]["kind"] == "unreachable" and data["error"]["next_steps"]


def test_rich_rendering(netbox_url: str) -> None:
    out = ask(netbox_url, "VLANs at DM-Scranton", "--no-cache")
    assert out.returncode == 0
    assert "Voice" in out.stdout and "3 VLANs at DM-Scranton" in out.stdout
