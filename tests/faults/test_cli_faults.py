"""The real CLI (`netbox-tui ask`, a subprocess) through harness.FaultProxy on 127.0.0.1.

Hostile text piped, on a tty and in --json; errors that fit the fault, with no traceback and no
token; stale answers when NetBox is down (plain, --json, --refresh) and a fresh cached answer that
says when it was cached.
"""

from __future__ import annotations

import asyncio
import json
import os
import pty
import re
import sys
import threading
import time
from pathlib import Path

import pytest

from .harness import BY_NAME, FORBIDDEN, TOKEN, TTY_FORBIDDEN, FaultProxy, FaultTransport, RealNetBox, Run

pytestmark = pytest.mark.integration

QUESTIONS = ["devices at dm akron", "show me PP:MDF", "where is 172.16.0.5"]


def _config(tmp_path: Path, ttl: int, deadline: float = 5.0) -> Path:
    kinds = "\n".join(
        f"{k} = {ttl}" for k in ("device", "interface", "vlan", "cable", "utilisation", "names", "default")
    )
    path = tmp_path / "config.toml"
    path.write_text(
        f'[netbox.lab]\ndeadline = {deadline}\nbackoff_base = 0.1\n\n[cache]\ndir = '
        f'"{tmp_path / "cache"}"\n\n[cache.ttl]\n{kinds}\n'
    )
    return path


async def _cli(
    url: str, config: Path, *args: str, tty: bool = False, timeout: float = 60
) -> tuple[int, str, str]:
    env = dict(os.environ, NETBOX_URL=url, NETBOX_TOKEN=TOKEN, COLUMNS="120")
    env.pop("FORCE_COLOR", None)
    cmd = [sys.executable, "-m", "netbox_tui", "ask", *args, "--config", str(config)]
    if not tty:
        proc = await asyncio.create_subprocess_exec(
            *cmd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
        return proc.returncode or 0, out.decode(), err.decode()
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env["TERM"] = "xterm-256color"
    proc = await asyncio.create_subprocess_exec(*cmd, env=env, stdout=slave, stderr=asyncio.subprocess.PIPE)
    os.close(slave)
    _, err = await asyncio.wait_for(proc.communicate(), timeout)
    reader.join(5)
    os.close(master)
    return proc.returncode or 0, b"".join(chunks).decode(errors="replace"), err.decode()


def _clean(*texts: str) -> None:
    for t in texts:
        assert TOKEN not in t
        assert "Traceback" not in t


async def test_cli_hostile_text_never_reaches_the_terminal(
    real: RealNetBox, baseline: dict[str, Run], tmp_path: Path
) -> None:
    proxy = FaultProxy(FaultTransport(BY_NAME["escapes"], real))
    url = await proxy.start()
    config = _config(tmp_path, ttl=0)
    try:
        for q in QUESTIONS:
            rc, out, err = await _cli(url, config, q, "--json")
            assert rc == 0, err
            assert not FORBIDDEN.search(out) and "pwned" not in out, out[:300]
            data = json.loads(out)
            assert data["answer"] == baseline[q].answer.answer  # type: ignore[union-attr]
            rc, out, err = await _cli(url, config, q)
            assert rc == 0 and not FORBIDDEN.search(out) and "pwned" not in out, out[:300]
            rc, out, err = await _cli(url, config, q, tty=True)
            assert rc == 0 and "\x1b[" in out  # a real terminal: rich styles it
            bad = TTY_FORBIDDEN.search(out)
            assert bad is None, (bad.group(0), out[:300]) if bad else ""
            _clean(out, err)
    finally:
        await proxy.stop()


@pytest.mark.parametrize("mode,kind,words", [
    ("reset", "unreachable", "dropped"),
    ("429", "rate_limited", "rate-limiting (429)"),
    ("500", "server", "answered 500"),
    ("html_login", "invalid_response", "text/html"),
    ("truncated", "unreachable", "cut short"),
    ("invalid_json", "invalid_response", "not JSON"),
    ("stall", "timeout", "deadline"),
])
async def test_cli_error_fits_the_fault(
    mode: str, kind: str, words: str, real: RealNetBox, tmp_path: Path
) -> None:
    proxy = FaultProxy(FaultTransport(BY_NAME[mode], real))
    url = await proxy.start()
    config = _config(tmp_path, ttl=0, deadline=3.0)
    try:
        started = time.perf_counter()
        rc, out, err = await _cli(url, config, "devices at dm akron", "--json")
        took = time.perf_counter() - started
        data = json.loads(out)
        assert rc == 1 and data["status"] == "error", out
        assert data["error"]["kind"] == kind and words in data["error"]["message"], data["error"]
        assert data["error"]["hint"] and not FORBIDDEN.search(out)
        assert took < 3.0 + 8  # the deadline, plus the interpreter's start
        plain, err2 = "", ""
        if mode in (
            "reset",
            "html_login",
            "stall",
        ):  # plain output too, for a few (each run is a process start)
            rc, plain, err2 = await _cli(url, config, "devices at dm akron")
            assert rc == 1 and words in plain.replace("\n", " ")
        _clean(out, err, plain, err2)
        assert not [
            m
            for m, p in proxy.transport.sent
            if m not in ("GET", "HEAD") and not p.rstrip("/").endswith("/graphql")
        ]
    finally:
        await proxy.stop()


async def test_cli_stale_answer_when_netbox_is_down(real: RealNetBox, tmp_path: Path) -> None:
    transport = FaultTransport(BY_NAME["none"], real)
    proxy = FaultProxy(transport)
    url = await proxy.start()
    config = _config(tmp_path, ttl=1)
    q = "devices at dm akron"
    try:
        rc, out, err = await _cli(url, config, q, "--json")
        fresh = json.loads(out)
        assert rc == 0 and fresh["status"] == "ok" and fresh["stale"] is False
    finally:
        await proxy.stop()  # NetBox goes away: the port refuses connections
    await asyncio.sleep(1.2)  # every entry is past its 1 s TTL
    rc, out, err = await _cli(url, config, q, "--json")
    stale = json.loads(out)
    assert rc == 0 and stale["stale"] is True and stale["cached_at"], out
    assert re.fullmatch(
        r"From cache, \d+ s old — NetBox unreachable\. " + re.escape(fresh["answer"]), stale["answer"]
    ), stale["answer"]
    assert stale["tables"] == fresh["tables"]
    rc, plain, err2 = await _cli(url, config, q)
    assert rc == 0 and "From cache, " in plain and "NetBox unreachable" in plain
    rc, out, err3 = await _cli(url, config, q, "--json", "--refresh")  # --refresh falls back the same way
    assert rc == 0 and json.loads(out)["stale"] is True
    _clean(out, err, plain, err2, err3)


async def test_cli_fresh_cached_answer_says_so(real: RealNetBox, tmp_path: Path) -> None:
    transport = FaultTransport(BY_NAME["none"], real)
    proxy = FaultProxy(transport)
    url = await proxy.start()
    config = _config(tmp_path, ttl=3600)
    try:
        rc, out, _ = await _cli(url, config, "list all VLANs", "--json")
        first = json.loads(out)
        sent = len(transport.sent)
        rc, out, _ = await _cli(url, config, "list all VLANs", "--json")
        again = json.loads(out)
    finally:
        await proxy.stop()
    assert len(transport.sent) == sent and again["stats"]["api_calls"] == 0
    assert again["stale"] is False and again["cached_at"] and not first.get("cached_at")
    assert (
        again["answer"].startswith(first["answer"])
        and again["answer"].endswith(" old.")
        and "From cache, " in again["answer"]
    )
