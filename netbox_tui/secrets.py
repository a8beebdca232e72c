"""Token handling: auth header choice, identity hashing and masking. A token is never printed."""

from __future__ import annotations

import hashlib
import re

from netbox_tui.errors import ConfigError

_V2 = re.compile(r"^nbt_[A-Za-z0-9]+\.[A-Za-z0-9_\-]+$")
_V1 = re.compile(r"^[A-Za-z0-9]{40}$")


def normalise_token(raw: str) -> str:
    """Strip whitespace and a pasted 'Token '/'Bearer ' prefix."""
    token = raw.strip()
    for prefix in ("Token ", "Bearer "):
        if token.startswith(prefix):
            token = token[len(prefix):].strip()
    return token


def auth_header(token: str) -> str:
    """v2 tokens (`nbt_<key>.<secret>`, NetBox >= 4.5) use Bearer; 40-character v1 tokens use Token."""
    token = normalise_token(token)
    if token.startswith("nbt_"):
        if not _V2.match(token):
            raise ConfigError(
                "token: looks like a v2 token but is not of the form nbt_<key>.<secret>",
                "Copy the whole v2 token, key and secret, as NetBox showed it when it was created.",
            )
        return f"Bearer {token}"
    if _V1.match(token):
        return f"Token {token}"
    raise ConfigError(
        f"token: a {len(token)}-character value is neither a v1 token (40 characters) nor a v2 "
        "token (nbt_<key>.<secret>)",
        "Set NETBOX_TOKEN or token_file to a NetBox API token.",
    )


def token_identity(token: str | None) -> str:
    """A stable, non-reversible id of the token, used to partition the cache by user rights."""
    if not token:
        return "anonymous"
    return hashlib.sha256(normalise_token(token).encode()).hexdigest()[:16]


def mask(token: str | None) -> str:
    if not token:
        return "(none)"
    return "****" + ("(v2)" if normalise_token(token).startswith("nbt_") else "(v1)")
