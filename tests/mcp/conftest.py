"""`netbox-tui mcp` driven over stdio with the official SDK's client (`mcp.client.stdio`).

One server process per configuration (demo, the real NetBox, a closed port) is started for the
module and shared by its tests: starting one costs a few seconds (the SDK's imports), a tool
call a few milliseconds. The client runs its own event loop in a thread, so the tests are plain
functions calling `server.call(name, args)`.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import threading
from pathlib import Path
from typing import Any, Optional

import pytest
from mcp import StdioServerParameters
from mcp.client.session import ClientSession
from mcp.client.stdio import stdio_client

DEMO_TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token


class StdioServer:
    """A `netbox-tui mcp` process and an initialised ClientSession on it."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.params = StdioServerParameters(
            command=sys.executable, args=["-m", "netbox_tui", "mcp", *args], env=env, cwd=str(cwd)
        )
        self.loop = asyncio.new_event_loop()
        self.session: Optional[ClientSession] = None
        self.init: Any = None
        self._ready = threading.Event()
        self._failure: Optional[BaseException] = None
        self._stop: Optional[asyncio.Event] = None
        self._errlog = open(cwd / "server-stderr.log", "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.stderr_path = cwd / "server-stderr.log"
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        try:
            async with stdio_client(self.params, errlog=self._errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    self.init = await asyncio.wait_for(session.initialize(), 60)
                    self.session = session
                    self._ready.set()
                    await self._stop.wait()
        except BaseException as exc:  # noqa: BLE001 - reported to the test that waits
            self._failure = exc
            self._ready.set()

    def start(self) -> "StdioServer":
        self._thread.start()
        self._ready.wait(90)
        if self.session is None:
            raise RuntimeError(
                f"the MCP server did not start: {self._failure!r}\n{self.stderr_path.read_text()}"
            )
        return self

    def run(self, coro: Any, timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def call(self, name: str, args: Optional[dict[str, Any]] = None) -> Any:
        assert self.session is not None
        return self.run(self.session.call_tool(name, args or {}))

    def list_tools(self) -> Any:
        assert self.session is not None
        return self.run(self.session.list_tools())

    def close(self) -> None:
        if self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        self._errlog.close()


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHONUNBUFFERED": "1",
    }
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    home = tmp_path_factory.mktemp("mcp-demo")
    server = StdioServer(["--demo"], _env(home), home).start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def real_server(netbox_url: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    home = tmp_path_factory.mktemp("mcp-real")
    server = StdioServer(
        ["--no-cache"], _env(home, NETBOX_URL=netbox_url, NETBOX_TOKEN=DEMO_TOKEN), home
    ).start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def closed_port_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A server pointed at a port nothing listens on (one attempt per request: no retry wait)."""
    home = tmp_path_factory.mktemp("mcp-closed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = home / "config.toml"
    config.write_text(
        f'[netbox.closed]\nurl = "http://127.0.0.1:{port}"\ntoken = "{DEMO_TOKEN}"\nmax_attempts = 1\n',
        encoding="utf-8",
    )
    server = StdioServer(["--config", str(config), "--no-cache"], _env(home), home).start()
    yield server
    server.close()
