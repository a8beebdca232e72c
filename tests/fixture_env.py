"""What scripts/netbox-fixture prints (`scripts/netbox-fixture env`) and scripts/test exports: the
fixture NetBox's URL and its seeded users' tokens. Under CI a missing one fails the test; elsewhere
the test is skipped, with how to start the fixture NetBox."""

from __future__ import annotations

import os

import pytest


def fixture_env(name: str) -> str:
    value = os.environ.get(name, "").rstrip("/")
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"CI: {name} is not set (scripts/test exports it)", pytrace=False)
        pytest.skip(f"{name} not set: run scripts/netbox-fixture (scripts/netbox-fixture env prints it)")
    return value
