"""Token handling: header choice, identity hashing, masking. A token never appears in what they return."""

from __future__ import annotations

import pytest

from netbox_tui.errors import ConfigError
from netbox_tui.secrets import auth_header, mask, normalise_token, token_identity

V1 = "0123456789abcdef0123456789abcdef01234567"
V2 = "nbt_Ez6TDRTyTxrV.demoreadonlytoken0123456789abcdefghijklmn"


@pytest.mark.parametrize(
    "raw,header",
    [
        (V1, f"Token {V1}"),
        (V2, f"Bearer {V2}"),
        (f"  {V1}\n", f"Token {V1}"),  # pasted with whitespace
        (f"Token {V1}", f"Token {V1}"),  # pasted with its scheme
        (f"Bearer {V2}", f"Bearer {V2}"),
        ("nbt_abc.def-ghi_jkl", "Bearer nbt_abc.def-ghi_jkl"),
    ],
)
def test_auth_header(raw, header):
    assert auth_header(raw) == header


@pytest.mark.parametrize(
    "bad,expect",
    [
        (V1[:-1], "39-character"),
        (V1 + "a", "41-character"),
        ("0123456789abcdef0123456789abcdef0123456!", "40-character"),
        ("", "0-character"),
        ("nbt_", "nbt_<key>.<secret>"),
        ("nbt_key", "nbt_<key>.<secret>"),
        ("nbt_.secret", "nbt_<key>.<secret>"),
        ("nbt_key.", "nbt_<key>.<secret>"),
        ("nbt_key.sec ret", "nbt_<key>.<secret>"),
    ],
)
def test_malformed_tokens_name_the_expected_form_without_the_value(bad, expect):
    with pytest.raises(ConfigError) as info:
        auth_header(bad)
    err = info.value
    assert expect in err.message
    assert "\n" not in err.message
    if len(bad) > 4:
        assert bad.strip() not in str(err)


def test_normalise_token():
    assert normalise_token(f" Token  {V1} ") == V1
    assert normalise_token(f"Bearer {V2}") == V2
    assert normalise_token(V1) == V1


def test_token_identity_is_a_stable_hash_not_the_token():
    ident = token_identity(V1)
    assert ident == token_identity(f"Token {V1}") == token_identity(f" {V1}\n")
    assert ident != token_identity(V2)
    assert ident != token_identity(V1[:-1] + "8")
    assert len(ident) == 16 and all(c in "0123456789abcdef" for c in ident)
    assert ident not in V1 and V1[:8] not in ident
    assert token_identity(None) == token_identity("") == "anonymous"


def test_mask_never_reveals():
    assert mask(V1) == "****(v1)"
    assert mask(V2) == "****(v2)"
    assert mask(None) == "(none)"
    for t in (V1, V2):
        assert t[:6] not in mask(t) and t[-6:] not in mask(t)
