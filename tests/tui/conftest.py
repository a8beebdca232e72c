"""Fixtures for the TUI tests: a backend built in the test, a gate to hold requests mid-run, an app factory.

The backend is the in-process demo snapshot when netbox_tui/data/demo-snapshot.json.gz exists
(deterministic, no server); otherwise the real NetBox at NETBOX_TEST_URL (default
http://127.0.0.1:8000), skipped when it does not answer. Either way the cache is off and the
label is fixed, so snapshots do not depend on which one ran.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Callable, Optional

import httpx
import pytest

from netbox_tui.backend import Backend, demo_snapshot_path
from netbox_tui.config import NetBoxProfile
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.cache import CacheMode, ResponseCache
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.tui.app import DEMO_EXAMPLES, NetBoxApp

DEMO_TOKEN_V1 = "0123456789abcdef0123456789abcdef01234567"  # public, ships with the NetBox demo dump
TEST_LABEL = "test data"


def fixed_elapsed(seconds: float) -> str:
    return "0.0 s"  # snapshots must not depend on the clock


class GateTransport(httpx.AsyncBaseTransport):
    """Wraps the backend's transport. `hold()` makes requests wait until `release()`; `fail_with` raises."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests = 0
        self._gate: Optional[asyncio.Event] = None
        self._entered: Optional[asyncio.Event] = None
        self.fail_with: Optional[Exception] = None

    def hold(self) -> None:
        self._gate = asyncio.Event()
        self._entered = asyncio.Event()

    def release(self) -> None:
        if self._gate is not None:
            self._gate.set()
        self._gate = None

    async def wait_entered(self) -> None:
        assert self._entered is not None, "hold() first"
        await asyncio.wait_for(self._entered.wait(), 10)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.rstrip("/").endswith("/api/status"):
            return await self.inner.handle_async_request(request)  # server info is never held
        if self.fail_with is not None:
            raise self.fail_with
        gate = self._gate
        if gate is not None:
            assert self._entered is not None
            self._entered.set()
            await gate.wait()
        self.requests += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _use_demo() -> bool:
    return demo_snapshot_path().exists()


_reachable: dict[str, bool] = {}
_demo_data: dict = {}


def _demo_document() -> dict:
    """The demo snapshot, read once per session (the transport never changes it)."""
    if not _demo_data:
        from netbox_tui.netbox.snapshot import load_snapshot

        _demo_data.update(load_snapshot(demo_snapshot_path()))
    return _demo_data


def _real_url() -> str:
    return os.environ.get("NETBOX_TEST_URL", "http://127.0.0.1:8000").rstrip("/")


def _check_real(url: str, token: str) -> bool:
    if url not in _reachable:
        try:
            r = httpx.get(f"{url}/api/status/", headers={"Authorization": f"Token {token}"}, timeout=3)
            _reachable[url] = r.status_code == 200
        except httpx.HTTPError:
            _reachable[url] = False
    return _reachable[url]


def make_backend(
    transport_wrapper: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] = GateTransport,
) -> tuple[Backend, httpx.AsyncBaseTransport]:
    off = ResponseCache(None, lambda kind: 0, mode=CacheMode.OFF)
    if _use_demo():
        from netbox_tui.backend import DEMO_URL
        from netbox_tui.netbox.snapshot import SnapshotTransport

        inner: httpx.AsyncBaseTransport = SnapshotTransport(_demo_document())
        profile = NetBoxProfile(url=DEMO_URL, max_attempts=1)
    else:
        url = _real_url()
        token = os.environ.get("NETBOX_TEST_TOKEN", DEMO_TOKEN_V1)
        if not _check_real(url, token):
            pytest.skip(f"no demo snapshot and no NetBox at {url} (set NETBOX_TEST_URL)")
        inner = httpx.AsyncHTTPTransport(retries=0)
        profile = NetBoxProfile(
            url=url, token=token, max_attempts=1
        )  # a failure is shown at once, no backoff
    wrapped = transport_wrapper(inner)
    client = NetBoxClient(profile, cache=off, transport=wrapped)
    return Backend(client, TEST_LABEL), wrapped


def make_app(backend: Backend, tmp_path: Path, **kwargs) -> NetBoxApp:
    kwargs.setdefault("examples", DEMO_EXAMPLES)
    kwargs.setdefault("history_path", tmp_path / "history.jsonl")
    kwargs.setdefault("export_dir", tmp_path)
    kwargs.setdefault("format_elapsed", fixed_elapsed)
    kwargs.setdefault("spin", False)
    kwargs.setdefault("close_backend", True)
    kwargs.setdefault("cursor_blink", False)
    return NetBoxApp(backend, Orchestrator(backend.client, page_size=25), clock=lambda: 0.0, **kwargs)


@pytest.fixture(autouse=True)
def _tui_isolation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """History and exports never touch the developer's XDG data dir or the working directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv(
        "XDG_CONFIG_HOME", str(tmp_path / "xdg-config")
    )  # the keymap path the help screen names
    monkeypatch.chdir(tmp_path)
    # Copying depends on the terminal the tests run in (tmux, screen): make it one plain terminal.
    for name in ("TMUX", "STY", "NO_COLOR", "SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.fixture
def nb() -> tuple[Backend, GateTransport]:
    """(backend, gate). The app closes the backend when it exits (close_backend=True)."""
    b, gate = make_backend()
    return b, gate  # type: ignore[return-value]


@pytest.fixture
def app_factory(tmp_path: Path):
    def factory(backend: Backend, **kwargs) -> NetBoxApp:
        return make_app(backend, tmp_path, **kwargs)

    return factory


@pytest.fixture
def nb_factory() -> Callable[[], tuple[Backend, GateTransport]]:
    return make_backend  # type: ignore[return-value]
