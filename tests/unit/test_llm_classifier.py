"""The LLM classifier against a fake OpenAI-compatible endpoint on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import httpx
import openai
import pytest
import respx

from netbox_tui.config import LLMSettings, NetBoxProfile
from netbox_tui.core.llm import LLMClassifier, LLMError
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.client import NetBoxClient


class FakeOpenAI:
    """Answers /v1/chat/completions with whatever `reply` returns; records the requests."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.reply: Callable[[dict[str, Any]], tuple[int, Any]] = lambda body: (200, {})
        self.delay = 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(
                    {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
                )
                time.sleep(outer.delay)
                status, payload = outer.reply(body)
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def completion(self, content: str, total_tokens: int = 123) -> dict[str, Any]:
        return {
            "id": "cmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": "gpt-4o-mini",
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
            ],
            "usage": {"prompt_tokens": 100, "completion_tokens": 23, "total_tokens": total_tokens},
        }


@pytest.fixture
def fake_openai() -> Any:
    fake = FakeOpenAI()
    yield fake
    fake.server.shutdown()


def settings(fake: FakeOpenAI, **kw: Any) -> LLMSettings:
    return LLMSettings(
        api_key="sk-test-not-a-real-key", base_url=fake.base_url, timeout=kw.pop("timeout", 5), **kw
    )


VLANS_AT_AKRON = {
    "target": "ipam.vlan",
    "conditions": [{"field": "site", "model": "dcim.site", "value": "DM-Akron", "text": "DM-Akron"}],
}


async def test_valid_reply_becomes_an_llm_intent(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = lambda body: (200, fake_openai.completion(json.dumps(VLANS_AT_AKRON)))
    llm = LLMClassifier(settings(fake_openai))
    intent, tokens = await llm.classify("VLANs at DM-Akron")
    assert intent.source == "llm"
    assert intent.target == "ipam.vlan"
    assert [(c.field, c.model, c.value) for c in intent.conditions] == [("site", "dcim.site", "DM-Akron")]
    assert intent.not_understood == []
    assert tokens == 123
    sent = fake_openai.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["body"]["model"] == "gpt-4o-mini"
    assert sent["body"]["temperature"] == pytest.approx(0.1)
    assert sent["body"]["response_format"]["type"] == "json_schema"
    assert sent["body"]["messages"][-1]["content"] == "VLANs at DM-Akron"


@pytest.mark.parametrize(
    "reply",
    [
        {"target": "dcim.coffee"},  # no such model
        {
            "target": "dcim.device",
            "conditions": [{"field": "vlan_id", "value": "1", "text": "vlan"}],
        },  # devices have no vlan_id filter
        {"target": "dcim.interface", "conditions": [{"field": "colour", "value": "red", "text": "red"}]},
        {"target": "dcim.device", "attributes": ["favourite_food"]},
        {"target": "dcim.device", "aggregate": {"op": "group", "by": "flavour"}},
        {"target": "dcim.device", "kind": "bulk_discovery"},  # the old intent's shape
    ],
)
async def test_a_reply_naming_what_netbox_lacks_is_rejected(fake_openai: FakeOpenAI, reply: dict) -> None:
    """A filter NetBox does not know would be ignored and return every row: such a reply is never sent."""
    fake_openai.reply = lambda body: (200, fake_openai.completion(json.dumps(reply)))
    with pytest.raises((LLMError, ValueError)):
        await LLMClassifier(settings(fake_openai)).classify("VLANs at DM-Akron")


async def test_words_the_reply_does_not_account_for_are_not_understood(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = lambda body: (200, fake_openai.completion(json.dumps(VLANS_AT_AKRON)))
    intent, _ = await LLMClassifier(settings(fake_openai)).classify("purple VLANs at DM-Akron")
    assert intent.not_understood == ["purple"]


async def test_a_server_without_json_schema_gets_json_object_with_the_schema(fake_openai: FakeOpenAI) -> None:
    """llama.cpp's server answers 500 to response_format json_schema and accepts json_object + schema:
    the classifier learns it once and asks that way from then on."""
    def reply(body: dict) -> tuple[int, dict]:
        if body["response_format"]["type"] == "json_schema":
            return 500, {"error": {"message": "Unsupported response_format type"}}
        assert body["response_format"].get("schema"), "the schema goes with json_object"
        return 200, fake_openai.completion(json.dumps(VLANS_AT_AKRON))

    fake_openai.reply = reply
    llm = LLMClassifier(settings(fake_openai))
    intent, _ = await llm.classify("VLANs at DM-Akron")
    assert intent.target == "ipam.vlan" and llm.response_format == "json_object_schema"
    await llm.classify("VLANs at DM-Akron")
    kinds = [r["body"]["response_format"]["type"] for r in fake_openai.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]


def test_the_prompt_lists_models_and_filters_from_the_schema_within_budget() -> None:
    llm = LLMClassifier(LLMSettings(api_key="sk-test-not-a-real-key", base_url="http://127.0.0.1:9/v1"))
    messages = llm.messages("disabled ports on sw1")
    system = messages[0]["content"]
    assert "dcim.powerfeed (power feed)" in system and "ipam.asn (ASN)" in system
    assert "enabled:bool" in system and "mode:access|tagged|tagged-all|q-in-q" in system
    assert llm.prompt_tokens(messages) <= llm.budget.max_tokens


async def test_request_is_cut_to_the_budget(fake_openai: FakeOpenAI) -> None:
    llm = LLMClassifier(settings(fake_openai, token_budget=300))
    messages = llm.messages("interfaces on ncsu-coreswitch1 " * 200)
    assert llm.prompt_tokens(messages) <= 300
    assert messages[-1]["content"].startswith("interfaces on ncsu-coreswitch1")


def _orchestrator_with(llm: LLMClassifier) -> Orchestrator:
    # The NetBox side is mocked: these tests are about classification, not data.
    client = NetBoxClient(
        NetBoxProfile(url="http://netbox.test", token="0123456789abcdef0123456789abcdef01234567")
    )
    return Orchestrator(client, llm=llm)


@pytest.mark.parametrize("failure", ["garbage", "http500", "slow"])
async def test_orchestrator_falls_back_to_rules_and_says_so(fake_openai: FakeOpenAI, failure: str) -> None:
    if failure == "garbage":
        fake_openai.reply = lambda body: (200, fake_openai.completion("not json at all"))
    elif failure == "http500":
        fake_openai.reply = lambda body: (500, {"error": {"message": "boom"}})
    else:
        fake_openai.delay = 1.5
        fake_openai.reply = lambda body: (200, fake_openai.completion("{}"))
    llm = LLMClassifier(settings(fake_openai, timeout=0.5))
    orch = _orchestrator_with(llm)
    events: list[Any] = []
    with respx.mock(base_url="http://netbox.test", assert_all_called=False) as mock:
        mock.get("/api/ipam/vlans/").mock(
            return_value=httpx.Response(
                200,
                json={
                    "count": 2,
                    "next": None,
                    "previous": None,
                    "results": [
                        {"id": 1, "display": "Data (100)", "vid": 100, "name": "Data"},
                        {"id": 2, "display": "Voice (200)", "vid": 200, "name": "Voice"},
                    ],
                },
            )
        )
        answer = await orch.ask("list all VLANs", on_progress=events.append)
    assert answer.intent is not None and answer.intent.source == "rules"
    assert answer.status == "ok" and answer.tables[0].total == 2
    fallbacks = [e for e in events if e.phase == "classify" and e.state == "fallback"]
    assert fallbacks and "offline rules" in fallbacks[0].description
    await orch.client.aclose()


async def test_orchestrator_uses_the_llm_intent(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = lambda body: (
        200,
        fake_openai.completion(json.dumps({"target": "ipam.vlan"}), total_tokens=77),
    )
    orch = _orchestrator_with(LLMClassifier(settings(fake_openai)))
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(
            return_value=httpx.Response(
                200,
                json={
                    "count": 2,
                    "next": None,
                    "previous": None,
                    "results": [
                        {"id": 1, "display": "Data (100)", "vid": 100, "name": "Data"},
                        {"id": 2, "display": "Voice (200)", "vid": 200, "name": "Voice"},
                    ],
                },
            )
        )
        answer = await orch.ask("the vlans please")
    assert answer.intent is not None and answer.intent.source == "llm"
    assert answer.stats.llm_tokens == 77
    assert [r["display"] for r in answer.tables[0].rows] == ["Data (100)", "Voice (200)"]
    await orch.client.aclose()


async def test_a_write_request_never_reaches_the_llm(fake_openai: FakeOpenAI) -> None:
    orch = _orchestrator_with(LLMClassifier(settings(fake_openai)))
    answer = await orch.ask("delete all devices at DM-Akron")
    assert answer.status == "error" and answer.error is not None and answer.error.kind == "write_refused"
    assert fake_openai.requests == []
    assert orch.client.stats.calls == 0
    await orch.client.aclose()


async def test_errors_are_explained_by_the_llm_when_configured(fake_openai: FakeOpenAI) -> None:
    def reply(body: dict) -> tuple[int, dict]:
        if body.get("response_format"):  # classification
            return 200, fake_openai.completion(json.dumps({"target": "ipam.vlan"}), total_tokens=50)
        return 200, fake_openai.completion(
            "NetBox refused the token. Check NETBOX_TOKEN.\x1b[31m", total_tokens=40
        )

    fake_openai.reply = reply
    orch = _orchestrator_with(LLMClassifier(settings(fake_openai)))
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(return_value=httpx.Response(403, json={"detail": "Invalid token"}))
        answer = await orch.ask("list all VLANs")
    assert answer.status == "error" and answer.error is not None and answer.error.kind == "auth"
    # the exact message first, the model's wording after it, its escape sequence stripped
    assert answer.answer.startswith(answer.error.message) and answer.answer.endswith(
        "(LLM: NetBox refused the token. Check NETBOX_TOKEN.)"
    )
    assert answer.error.next_steps  # the template's facts stay in the error object
    assert answer.stats.llm_tokens == 90
    explain_request = fake_openai.requests[-1]["body"]
    assert "response_format" not in explain_request and "auth" in explain_request["messages"][-1]["content"]
    await orch.client.aclose()


async def test_failed_explanation_keeps_the_template(fake_openai: FakeOpenAI) -> None:
    def reply(body: dict) -> tuple[int, dict]:
        if body.get("response_format"):
            return 200, fake_openai.completion(json.dumps({"target": "ipam.vlan"}))
        return 500, {"error": {"message": "down"}}

    fake_openai.reply = reply
    orch = _orchestrator_with(LLMClassifier(settings(fake_openai)))
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(return_value=httpx.Response(403, json={"detail": "Invalid token"}))
        answer = await orch.ask("list all VLANs")
    assert answer.status == "error" and "token rejected by NetBox (403: “Invalid token”)" in answer.answer
    await orch.client.aclose()


# -- what a real server showed (bench/llm_real.py: llama-cpp-python 0.3.36, Gemma 3 270M on CPU) ------------

LLAMA_CPP_FORMAT_500 = {
    "error": {
        "message": "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', "
        "'type'), "
        "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}",
        "type": "internal_server_error",
        "param": None,
        "code": None,
    }
}


def _cut(fake: FakeOpenAI, content: str) -> dict[str, Any]:
    body = fake.completion(content)
    body["choices"][0]["finish_reason"] = "length"
    return body


async def test_the_reply_is_capped_and_a_cut_reply_is_a_failure(fake_openai: FakeOpenAI) -> None:
    """A small model loops inside an array until the context is full: the reply is capped, and a reply
    cut at the cap is never parsed, even when the cut happens to leave valid JSON."""
    from netbox_tui.core.llm import MAX_REPLY_TOKENS

    fake_openai.reply = lambda body: (200, _cut(fake_openai, json.dumps({"target": "ipam.vlan"})))
    with pytest.raises(LLMError, match="cut at"):
        await LLMClassifier(settings(fake_openai)).classify("list all VLANs")
    assert fake_openai.requests[0]["body"]["max_tokens"] == MAX_REPLY_TOKENS


async def test_a_cut_explanation_keeps_the_template(fake_openai: FakeOpenAI) -> None:
    def reply(body: dict) -> tuple[int, dict]:
        if body.get("response_format"):
            return 200, fake_openai.completion(json.dumps({"target": "ipam.vlan"}))
        return 200, _cut(fake_openai, " <<SYS>>\nI have a question about the NetBox firmware update")

    fake_openai.reply = reply
    orch = _orchestrator_with(LLMClassifier(settings(fake_openai)))
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(return_value=httpx.Response(403, json={"detail": "Invalid token"}))
        answer = await orch.ask("list all VLANs")
    assert answer.status == "error" and "token rejected by NetBox (403: “Invalid token”)" in answer.answer
    assert "SYS" not in answer.answer
    await orch.client.aclose()


def test_the_reply_schema_is_one_a_grammar_can_hold() -> None:
    """llama.cpp turns the schema into a grammar; an untyped property (Condition.value) made its converter
    fail and fall back to any JSON, silently. The schema sent: every node typed, arrays bounded, no field
    the model must not fill, the target one of the models."""
    from netbox_tui.core.llm import REPLY_MAX_ITEMS, reply_schema

    schema = reply_schema()
    assert "claims" not in schema["properties"] and "source" not in schema["properties"]
    assert {"resolved", "guess", "span"}.isdisjoint(schema["$defs"]["Condition"]["properties"])
    assert (
        "ipam.vlan" in schema["properties"]["target"]["enum"]
        and "dcim.coffee" not in schema["properties"]["target"]["enum"]
    )
    assert "#/$defs/Ref" not in json.dumps(schema) and "#/$defs/Claim" not in json.dumps(schema)

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                for name, prop in node["properties"].items():
                    assert {"type", "anyOf", "oneOf", "$ref", "enum", "const"} & set(prop), (
                        f"{path}.{name} is untyped"
                    )
                    walk(prop, f"{path}.{name}")
            if (
                node.get("type") == "array" and path != "Condition.value.anyOf[4]"
            ):  # a list of choice values: unbounded
                assert node.get("maxItems") == REPLY_MAX_ITEMS, f"{path} is unbounded"
            for key in ("items", "anyOf", "$defs"):
                if key in node:
                    walk(node[key], f"{path}.{key}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(schema, "Intent")
    for name, sub in schema["$defs"].items():
        walk(sub, name)
    assert (
        "maxItems" not in schema["$defs"]["Condition"]["properties"]["value"]["anyOf"][4]
    )  # "10GE" is 17 interface types


async def test_the_schema_sent_is_the_reply_schema(fake_openai: FakeOpenAI) -> None:
    from netbox_tui.core.llm import reply_schema

    fake_openai.reply = lambda body: (200, fake_openai.completion(json.dumps(VLANS_AT_AKRON)))
    await LLMClassifier(settings(fake_openai)).classify("VLANs at DM-Akron")
    assert fake_openai.requests[0]["body"]["response_format"]["json_schema"]["schema"] == reply_schema()


async def test_an_unsupported_format_is_learnt_once_even_when_the_next_request_fails(
    fake_openai: FakeOpenAI,
) -> None:
    """llama-cpp-python's 500 names `response_format`: that mode is never asked again, even when the
    request in the next mode fails for another reason (the server busy) before anything was learnt."""
    calls = {"n": 0}

    def reply(body: dict) -> tuple[int, dict]:
        if body["response_format"]["type"] == "json_schema":
            return 500, LLAMA_CPP_FORMAT_500
        calls["n"] += 1
        if calls["n"] == 1:
            return 503, {"error": {"message": "busy"}}
        return 200, fake_openai.completion(json.dumps(VLANS_AT_AKRON))

    fake_openai.reply = reply
    llm = LLMClassifier(settings(fake_openai))
    with pytest.raises(openai.InternalServerError):  # the 503 itself, not a format refusal
        await llm.classify("VLANs at DM-Akron")
    assert llm.refused == {"json_schema"} and llm.response_format is None
    intent, _ = await llm.classify("VLANs at DM-Akron")
    assert intent.target == "ipam.vlan" and llm.response_format == "json_object_schema"
    kinds = [
        (r["body"]["response_format"]["type"], "schema" in r["body"]["response_format"])
        for r in fake_openai.requests
    ]
    assert kinds == [("json_schema", False), ("json_object", True), ("json_object", True)]


async def test_a_500_not_about_the_format_costs_one_request(fake_openai: FakeOpenAI) -> None:
    """A server error is a failure (the rules answer), not a reason to try two more modes."""
    fake_openai.reply = lambda body: (500, {"error": {"message": "boom"}})
    llm = LLMClassifier(settings(fake_openai))
    with pytest.raises(openai.InternalServerError):
        await llm.classify("VLANs at DM-Akron")
    assert len(fake_openai.requests) == 1 and llm.refused == set()


async def test_a_prompt_longer_than_the_servers_context_is_cut_to_it_once(fake_openai: FakeOpenAI) -> None:
    """llama-cpp-python's server starts with n_ctx 2048 by default; our prompt is ~3,100 o200k tokens
    (~3,500 of Gemma's). Its 400 says the window and its own count: the prompt is cut to fit, once,
    and stays cut for that server."""
    llm = LLMClassifier(settings(fake_openai))
    window, ratio = 2048, 1.12  # the server's tokenizer counts 12 % more than o200k

    def reply(body: dict) -> tuple[int, dict]:
        theirs = int(sum(llm.budget.encoder.count(m["content"]) for m in body["messages"]) * ratio)
        if theirs + body["max_tokens"] > window:
            return 400, {
                "error": {
                    "message": f"This model's maximum context length is {window} tokens. However, you "
                    "requested "
                    f"{theirs + body['max_tokens']} tokens ({theirs} in the messages, "
                    f"{body['max_tokens']} in the completion). "
                    "Please reduce the length of the messages or completion.",
                    "type": "invalid_request_error",
                    "param": "messages",
                    "code": "context_length_exceeded",
                }
            }
        return 200, fake_openai.completion(json.dumps(VLANS_AT_AKRON))

    fake_openai.reply = reply
    intent, _ = await llm.classify("VLANs at DM-Akron")
    assert intent.target == "ipam.vlan"
    assert [r["body"]["response_format"]["type"] for r in fake_openai.requests] == [
        "json_schema",
        "json_schema",
    ]  # not a format refusal
    first, second = (r["body"]["messages"] for r in fake_openai.requests)
    assert (
        len(second[0]["content"]) < len(first[0]["content"]) and second[-1]["content"] == "VLANs at DM-Akron"
    )
    assert llm.fit is not None and llm.fit < llm.budget.max_tokens
    await llm.classify("VLANs at DM-Akron")
    assert len(fake_openai.requests) == 3  # remembered: no second 400


async def test_a_context_too_small_for_any_prompt_fails_once(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = lambda body: (
        400,
        {
            "error": {
                "message": "This model's maximum context length is 256 tokens. However, you requested "
                "3700 tokens (3444 in the messages, 256 in the completion).",
                "code": "context_length_exceeded",
            }
        },
    )
    llm = LLMClassifier(settings(fake_openai))
    with pytest.raises(openai.BadRequestError):
        await llm.classify("VLANs at DM-Akron")
    assert len(fake_openai.requests) == 1 and llm.fit is None


@pytest.mark.parametrize(
    "reply",
    [
        {
            "target": "dcim.device",
            "conditions": [{"field": "status", "value": None}],
        },  # "status =": answered "no devices" as if exact
        {"target": "dcim.device", "conditions": [{"field": "site", "model": "dcim.site", "value": ""}]},
        {
            "target": "dcim.device",
            "conditions": [{"field": "id", "model": "dcim.device", "candidates": ["100", "1000"]}],
        },  # seen from Gemma 3 270M
        {
            "target": "dcim.device",
            "conditions": [
                {"field": "id", "model": "dcim.device", "value": "rtr1", "candidates": ["dcim.router"]}
            ],
        },
    ],
)
async def test_a_condition_without_a_value_or_with_unknown_candidates_is_rejected(
    fake_openai: FakeOpenAI, reply: dict
) -> None:
    fake_openai.reply = lambda body: (200, fake_openai.completion(json.dumps(reply)))
    with pytest.raises(LLMError):
        await LLMClassifier(settings(fake_openai)).classify("VLANs at DM-Akron")


async def test_a_condition_on_emptiness_needs_no_value(fake_openai: FakeOpenAI) -> None:
    reply = {
        "target": "dcim.device",
        "conditions": [
            {"field": "serial", "op": "empty", "text": "no serial"},
            {"field": "has_primary_ip", "value": False, "text": "no primary IP"},
        ],
    }
    fake_openai.reply = lambda body: (200, fake_openai.completion(json.dumps(reply)))
    intent, _ = await LLMClassifier(settings(fake_openai)).classify(
        "devices with no serial and no primary IP"
    )
    assert [(c.op, c.value) for c in intent.conditions] == [("empty", None), ("eq", False)]


async def test_a_server_that_wants_max_completion_tokens_gets_it(fake_openai: FakeOpenAI) -> None:
    """The reply cap is `max_tokens`; OpenAI's newer models answer 400 to it and name the other
    parameter: learnt once, for classification and explanations alike."""
    def reply(body: dict) -> tuple[int, dict]:
        if "max_tokens" in body:
            return 400, {
                "error": {
                    "message": "Unsupported parameter: 'max_tokens' is not supported with this model. "
                    "Use 'max_completion_tokens' instead.",
                    "type": "invalid_request_error",
                    "param": "max_tokens",
                    "code": "unsupported_parameter",
                }
            }
        return 200, fake_openai.completion(
            json.dumps(VLANS_AT_AKRON) if body.get("response_format") else "NetBox refused the token."
        )

    fake_openai.reply = reply
    llm = LLMClassifier(settings(fake_openai))
    intent, _ = await llm.classify("VLANs at DM-Akron")
    assert intent.target == "ipam.vlan" and llm.cap_param == "max_completion_tokens"
    assert [
        ("max_tokens" in r["body"], "max_completion_tokens" in r["body"]) for r in fake_openai.requests
    ] == [(True, False), (False, True)]
    text, _ = await llm.explain("list all VLANs", {"kind": "auth", "message": "token rejected"})
    assert text == "NetBox refused the token." and len(fake_openai.requests) == 3


VLAN_PAGE = {
    "count": 2,
    "next": None,
    "previous": None,
    "results": [
        {"id": 1, "display": "Data (100)", "vid": 100, "name": "Data"},
        {"id": 2, "display": "Voice (200)", "vid": 200, "name": "Voice"},
    ],
}


async def test_a_refused_reply_still_counts_its_tokens(fake_openai: FakeOpenAI) -> None:
    """A reply that is no intent was paid for: the answer's llm_tokens says so (the server's count)."""
    fake_openai.reply = lambda body: (200, fake_openai.completion("not json at all", total_tokens=91))
    orch = _orchestrator_with(LLMClassifier(settings(fake_openai)))
    with respx.mock(base_url="http://netbox.test", assert_all_called=False) as mock:
        mock.get("/api/ipam/vlans/").mock(return_value=httpx.Response(200, json=VLAN_PAGE))
        answer = await orch.ask("list all VLANs")
    assert answer.intent is not None and answer.intent.source == "rules" and answer.stats.llm_tokens == 91
    await orch.client.aclose()


async def test_llm_time_does_not_eat_the_netbox_deadline(fake_openai: FakeOpenAI) -> None:
    """A 1.2 s classification under a 1 s question deadline: NetBox still gets its whole second."""
    fake_openai.delay = 1.2
    fake_openai.reply = lambda body: (200, fake_openai.completion(json.dumps({"target": "ipam.vlan"})))
    client = NetBoxClient(
        NetBoxProfile(url="http://netbox.test", token="0123456789abcdef0123456789abcdef01234567")
    )
    orch = Orchestrator(client, llm=LLMClassifier(settings(fake_openai)), deadline=1.0)
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(return_value=httpx.Response(200, json=VLAN_PAGE))
        answer = await orch.ask("the vlans please")
    assert answer.status == "ok" and answer.intent is not None and answer.intent.source == "llm"
    assert answer.tables[0].total == 2
    await client.aclose()


def test_a_condition_claiming_the_whole_question_does_not_account_for_its_words() -> None:
    from netbox_tui.core.intent import Condition, Intent
    from netbox_tui.core.llm import unaccounted

    q = "purple devices at DM-Akron that glow"
    reply = Intent(
        target="dcim.device",
        conditions=[Condition(field="site", value="DM-Akron", text=q, model="dcim.site")],
    )
    assert set(unaccounted(q, reply)) == {"purple", "glow"}
    honest = Intent(
        target="dcim.device",
        conditions=[Condition(field="site", value="DM-Akron", text="at DM-Akron", model="dcim.site")],
    )
    assert set(unaccounted(q, honest)) == {"purple", "glow"}
