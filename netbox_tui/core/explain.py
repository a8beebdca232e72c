"""Errors in plain words: what went wrong, likely causes, next steps, questions to try instead.

Offline templates always work; when an LLM is configured it may reword them (llm.py), but the
template is the floor.
"""

from __future__ import annotations

from netbox_tui.core.results import ErrorInfo
from netbox_tui.errors import NetBoxTUIError

# <site> is filled with a site of the connected NetBox when its names are loaded (Orchestrator); the
# demo's names are never offered on another NetBox.
EXAMPLES = ["VLANs at <site>", "interfaces on <device>", "which devices have no primary IP", "list all sites"]


def with_names(examples: list[str], site: str | None) -> list[str]:
    return [e.replace("<site>", site) for e in examples] if site else examples

TEMPLATES: dict[str, tuple[list[str], list[str]]] = {
    # kind: (likely causes, next steps)
    "unreachable": (
        ["NetBox is down or restarting", "the URL or port is wrong", "a firewall or VPN blocks this host"],
        [
            "check the URL with `netbox-tui config`",
            "try `curl -I <url>/api/` from this host",
            "work offline with --snapshot FILE or --demo",
        ],
    ),
    "timeout": (
        [
            "NetBox is overloaded or the query is large (interfaces are slow server-side)",
            "the network is slow",
            "NetBox accepts connections but does not answer (a hung worker, a stalled proxy)",
        ],
        [
            "narrow the question to a site or device",
            "press r to retry",
            "raise timeout_read or deadline in the profile",
        ],
    ),
    "tls": (
        [
            "the server's certificate is signed by a private CA",
            "the certificate expired or names another host",
        ],
        ["set ca_bundle to your CA's PEM file", "for a lab you trust: verify_tls = false"],
    ),
    "no_token": (
        ["no token is set: NetBox's API needs one (LOGIN_REQUIRED, or the object permissions)"],
        [
            "export NETBOX_TOKEN=… or set token_file in the profile",
            "create a read-only token in NetBox under your user profile",
        ],
    ),
    "auth": (
        [
            "the token is wrong, expired or revoked",
            "a v2 token (nbt_…) is used on NetBox < 4.5",
            "a proxy in front of NetBox drops the Authorization header",
        ],
        [
            "check NETBOX_TOKEN or token_file (`netbox-tui config` shows which is used)",
            "create a read-only token in NetBox under your user profile → API Tokens",
        ],
    ),
    "permission": (
        ["the token's user has no view permission on these objects"],
        ["ask a NetBox admin to grant view permission", "use a token of a user who has it"],
    ),
    "bad_url": (
        ["NETBOX_URL has a path NetBox is not served under (e.g. /netbox), or points at another web server"],
        [
            "open the URL in a browser: it should show NetBox's UI",
            "check that `curl <url>/api/` answers JSON",
            "set NETBOX_URL to that address, without /api",
        ],
    ),
    "not_found": (
        ["the object was deleted or renamed", "your token cannot see it"],
        ["search by a broader name", "check the spelling"],
    ),
    "bad_filter": (
        [
            "a filter value is not one NetBox accepts (a choice it does not have, a name where "
            "it wants a slug or id)"
        ],
        ["rephrase with the exact name", "ask for the list first, e.g. “sites in <region>”"],
    ),
    "unknown_filter": (["the filter does not exist on that NetBox endpoint"], ["rephrase the question"]),
    "server": (
        ["NetBox failed on its side (5xx)", "a database or worker problem"],
        ["retry in a moment", "check NetBox's logs"],
    ),
    "rate_limited": (
        [
            "NetBox, or a proxy in front of it, limits how many requests a client may send (429)",
            "other clients share the same token or address",
        ],
        ["wait a moment, then retry", "lower `concurrency` in the profile"],
    ),
    "invalid_response": (
        ["the URL points at a proxy, login page or another service", "NetBox is misconfigured"],
        ["check that <url>/api/ answers JSON"],
    ),
    "too_large": (
        ["the answer is bigger than max_response_mb"],
        ["add a filter: a site, a device, a status"],
    ),
    "write_refused": (
        ["netbox-tui never changes NetBox"],
        ["make the change in NetBox itself", "ask what would be affected first"],
    ),
    "bad_question": (
        ["the question is empty, too long or not about NetBox objects"],
        ["ask in a sentence: object + where, e.g. “devices at <site>”"],
    ),
    "config": (
        ["a configuration value is missing or malformed"],
        ["run `netbox-tui config` to see the effective settings", "compare with config.example.toml"],
    ),
    "limitation": (
        ["NetBox's API has no filter or endpoint for this combination"],
        ["ask it another way (see the suggestions)"],
    ),
}


# Errors of the setup (the URL, the token, TLS, the config): every question fails alike until it
# is fixed, so suggesting another question would mislead.
SETUP_ERRORS = frozenset({"auth", "no_token", "bad_url", "tls", "config"})


def explain(exc: NetBoxTUIError) -> ErrorInfo:
    causes, steps = TEMPLATES.get(exc.template or exc.kind, ([], []))
    alternatives = [] if exc.kind in SETUP_ERRORS else list(EXAMPLES[:3])
    return ErrorInfo(
        kind=exc.kind,
        message=exc.message,
        title=getattr(exc, "title", ""),
        hint=exc.hint,
        causes=list(causes),
        next_steps=list(steps),
        alternatives=alternatives,
    )


def explain_limitation(message: str, hint: str) -> ErrorInfo:
    causes, steps = TEMPLATES["limitation"]
    return ErrorInfo(
        kind="limitation",
        message=message,
        hint=hint,
        causes=list(causes),
        next_steps=list(steps),
        alternatives=list(EXAMPLES[:3]),
    )
