"""The real NetBox for integration tests: NETBOX_TEST_URL, else http://127.0.0.1:8000 if it answers.

Start it with scripts/netbox-dev (scripts/test does). When CI is set and NetBox does not answer,
every integration test fails loudly instead of being skipped.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import httpx
import pytest

from netbox_tui.config import NetBoxProfile
from netbox_tui.netbox.client import NetBoxClient

DEFAULT_URL = "http://127.0.0.1:8000"
# Public read-only tokens of the demo dump (../shared/netbox-demo/README.md).
TOKEN_V1 = "0123456789abcdef0123456789abcdef01234567"
TOKEN_V2 = "nbt_Ez6TDRTyTxrV.demoreadonlytoken0123456789abcdefghijklmn"

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/integration/ carries the `integration` marker."""
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.integration)


def _probe(url: str) -> str | None:
    """None if NetBox answers /api/status/ with the demo token, else why not."""
    try:
        resp = httpx.get(f"{url}/api/status/", headers={"Authorization": f"Token {TOKEN_V1}"}, timeout=10)
    except httpx.HTTPError as exc:
        return f"{exc.__class__.__name__}: {exc}"
    if resp.status_code != 200 or "netbox-version" not in resp.text:
        return f"HTTP {resp.status_code} from {url}/api/status/"
    return None


@pytest.fixture(scope="session")
def netbox_url() -> str:
    url = os.environ.get("NETBOX_TEST_URL", DEFAULT_URL).rstrip("/")
    problem = _probe(url)
    if problem is None:
        return url
    message = f"real NetBox not reachable at {url} ({problem}); start it with scripts/netbox-dev"
    if os.environ.get("CI"):
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture
async def nb_client(netbox_url: str) -> Any:
    """Factory: nb_client(token=..., cache=..., **profile) -> NetBoxClient on the real NetBox (closed after)."""
    made: list[NetBoxClient] = []

    def make(token: str | None = TOKEN_V1, cache: Any = None, **profile: Any) -> NetBoxClient:
        client = NetBoxClient(NetBoxProfile(url=netbox_url, token=token, **profile), cache=cache)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()
        client.cache.close()


@pytest.fixture
async def client(nb_client: Callable[..., NetBoxClient]) -> NetBoxClient:
    """A v1-token client without cache."""
    return nb_client()
