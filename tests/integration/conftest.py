"""The real NetBox for integration tests: NETBOX_TEST_URL, else http://127.0.0.1:8000 if it answers.

Start it with scripts/netbox-dev (scripts/test does). When CI is set and NetBox does not answer,
every integration test fails loudly instead of being skipped.
"""

from __future__ import annotations

from typing import Any, Callable

import httpx
import pytest
from fixture_env import fixture_env

from netbox_tui.config import NetBoxProfile
from netbox_tui.netbox.client import NetBoxClient

# Public read-only tokens of the demo dump (../shared/netbox-demo/README.md).
TOKEN_V1 = "0123456789abcdef0123456789abcdef01234567"
TOKEN_V2 = "nbt_Ez6TDRTyTxrV.demoreadonlytoken0123456789abcdefghijklmn"





@pytest.fixture
async def nb_client(netbox_url: str) -> Any:
    """Factory: nb_client(token=..., cache=..., **profile) -> NetBoxClient on the real NetBox (closed
    after)."""
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


@pytest.fixture(scope="session")
def fixture_url() -> str:
    """The seeded fixture NetBox (scripts/netbox-fixture, :8001)."""
    return fixture_env("NETBOX_FIXTURE_URL")


@pytest.fixture
def rest(netbox_url: str) -> Callable[..., Any]:
    """rest(path, params) -> the JSON of GET /api/<path> on the demo NetBox with the read-only token: the
    hand-written side of a comparison (tests/integration/fixture/ has its own, on the fixture NetBox)."""
    headers = {"Authorization": f"Token {TOKEN_V1}"}

    def get(path: str, params: Any = None) -> Any:
        resp = httpx.get(f"{netbox_url}/api/{path}", params=params, headers=headers, timeout=60)
        resp.raise_for_status()
        return resp.json()

    return get
