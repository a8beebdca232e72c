"""The project carries its own copies of the demo dump and the acceptance sets (tests/data/), so a clone
alone passes its tests. Where the steering repository's ../shared is beside the clone, the copies must
equal it byte for byte: a changed upstream file is then a failing test, not a silent drift."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
COPIES = {
    "netbox-demo/netbox-demo-v4.7.3.sql.gz": "tests/data/netbox-demo/netbox-demo-v4.7.3.sql.gz",
    "netbox-demo/README.md": "tests/data/netbox-demo/README.md",
    "queries/dev.yaml": "tests/data/queries/dev.yaml",
    "queries/dev2.yaml": "tests/data/queries/dev2.yaml",
    "queries/README.md": "tests/data/queries/README.md",
}


@pytest.mark.parametrize("copy", sorted(COPIES.values()))
def test_the_project_carries_its_copy(copy: str) -> None:
    assert (ROOT / copy).stat().st_size > 1000


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="no ../shared beside this clone: the project's copies are used"
)
@pytest.mark.parametrize(("upstream", "copy"), sorted(COPIES.items()))
def test_copies_equal_shared(upstream: str, copy: str) -> None:
    assert (ROOT / copy).read_bytes() == (SHARED / upstream).read_bytes(), (
        f"{copy} differs from ../shared/{upstream}"
    )
