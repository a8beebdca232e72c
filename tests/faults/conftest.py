"""The fault suite (issue 11): faults injected in front of the real NetBox (tests/faults/harness.py).

Every test here but test_boundary.py needs the real NetBox (NETBOX_TEST_URL, default
http://127.0.0.1:8000, started by scripts/netbox-dev): they carry the `integration` marker, so
under CI an absent NetBox fails them instead of skipping them.
"""

from __future__ import annotations

from typing import Any

import pytest

from .harness import BY_NAME, QUESTIONS, RealNetBox, Run, run_mode

_baseline: dict[str, Run] = {}


@pytest.fixture
async def real(netbox_url: str) -> Any:
    """The real NetBox (each distinct request asked once per test session)."""
    r = RealNetBox(netbox_url)
    yield r
    await r.aclose()


@pytest.fixture
async def baseline(real: RealNetBox) -> dict[str, Run]:
    """The fault-free runs of every question (made once per session, with the default 30 s deadline)."""
    if not _baseline:
        for run in await run_mode(BY_NAME["none"], QUESTIONS, real, deadline=30.0):
            _baseline[run.question] = run
    return _baseline
