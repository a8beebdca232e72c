"""Shared test fixtures and the "integration tests run: N" report.

Keep this file small: area-specific fixtures live in tests/<area>/conftest.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import httpx
import pytest

# Public read-only tokens that ship inside the NetBox demo dump (../shared/netbox-demo/README.md):
# not secrets, and the only tokens a test may show in its output.
DEMO_TOKEN_V1 = "0123456789abcdef0123456789abcdef01234567"
DEMO_TOKEN_V2 = "nbt_Ez6TDRTyTxrV.demoreadonlytoken0123456789abcdefghijklmn"


@pytest.fixture
def demo_token_v1() -> str:
    return DEMO_TOKEN_V1


@pytest.fixture
def demo_token_v2() -> str:
    return DEMO_TOKEN_V2

# Variables that would let a developer's own setup leak into a test.
_ISOLATED_VARS = (
    "NETBOX_URL",
    "NETBOX_TOKEN",
    "NETBOX_TOKEN_FILE",
    "NETBOX_CA_BUNDLE",
    "NETBOX_TUI_PROFILE",
    "NETBOX_TUI_MODEL",
    "NETBOX_TUI_CACHE_DIR",
    "NETBOX_TUI_PAGE_SIZE",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's config file, cache or NetBox/OpenAI variables."""
    base = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    for var in _ISOLATED_VARS:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def record_sleep() -> tuple[list[float], Callable]:
    """An injectable `sleep` for NetBoxClient: records the delays, never waits."""
    delays: list[float] = []

    async def sleep(delay: float) -> None:
        delays.append(delay)

    return delays, sleep


# -- "integration tests run: N" -----------------------------------------------------------------
# Counts what actually ran (passed or failed in the call phase), not what was collected.
# scripts/test sets NETBOX_TUI_REQUIRE_INTEGRATION=1 for a full run: then zero is a failure.

_integration = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "integration" not in report.keywords:
        return
    if report.when == "call":
        _integration[report.outcome] += 1  # passed / failed / skipped (pytest.skip in the test)
    elif report.failed:
        _integration["errors"] += 1  # setup or teardown failed: the test did not run
    elif report.skipped:
        _integration["skipped"] += 1


def _integration_ran() -> int:
    return _integration["passed"] + _integration["failed"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if (
        os.environ.get("NETBOX_TUI_REQUIRE_INTEGRATION") == "1"
        and _integration_ran() == 0
        and exitstatus == 0
    ):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    ran = _integration_ran()
    line = (
        f"integration tests run: {ran} "
        f"(passed {_integration['passed']}, failed {_integration['failed']}, "
        f"errors {_integration['errors']}, skipped {_integration['skipped']})"
    )
    terminalreporter.write_line(line)
    if os.environ.get("NETBOX_TUI_REQUIRE_INTEGRATION") == "1" and ran == 0:
        terminalreporter.write_line(
            "FAILED: no integration test ran against the real NetBox (scripts/netbox-dev)"
        )


# -- the real NetBox (scripts/netbox-dev) ------------------------------------------------------------
# tests/integration and tests/contract need it: their tests carry the `integration` marker.

NETBOX_DEFAULT_URL = "http://127.0.0.1:8000"
_REAL_NETBOX_DIRS = tuple(Path(__file__).resolve().parent / d for d in ("integration", "contract"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if any(d in Path(str(item.path)).resolve().parents for d in _REAL_NETBOX_DIRS):
            item.add_marker(pytest.mark.integration)


def _probe(url: str) -> str | None:
    """None if NetBox answers /api/status/ with the demo token, else why not."""
    try:
        resp = httpx.get(
            f"{url}/api/status/", headers={"Authorization": f"Token {DEMO_TOKEN_V1}"}, timeout=10
        )
    except httpx.HTTPError as exc:
        return f"{exc.__class__.__name__}: {exc}"
    if resp.status_code != 200 or "netbox-version" not in resp.text:
        return f"HTTP {resp.status_code} from {url}/api/status/"
    return None


@pytest.fixture(scope="session")
def netbox_url() -> str:
    """NETBOX_TEST_URL, else http://127.0.0.1:8000 if it answers. Under CI an absent NetBox fails loudly."""
    url = os.environ.get("NETBOX_TEST_URL", NETBOX_DEFAULT_URL).rstrip("/")
    problem = _probe(url)
    if problem is None:
        return url
    message = f"real NetBox not reachable at {url} ({problem}); start it with scripts/netbox-dev"
    if os.environ.get("CI"):
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


# -- a throwaway Redis (tests/redisproc.py) ---------------------------------------------------------
# scripts/test makes sure redis-server is installed. Function scope: a test may stop or restart it.


@pytest.fixture
def redis_server():
    """A fresh `redis-server` on a free 127.0.0.1 port, no persistence: a tests.redisproc.RedisProcess
    (`.url`, `.port`, `.start()`, `.stop()`, `.restart()` on the same port). Stopped afterwards."""
    from redisproc import RedisProcess  # tests/ is on sys.path (rootdir conftest)

    try:
        proc = RedisProcess()
    except FileNotFoundError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI: {exc}", pytrace=False)
        pytest.skip(str(exc))
    proc.start()
    try:
        yield proc
    finally:
        proc.close()
