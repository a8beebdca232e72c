"""The LLM classifier against a fake OpenAI-compatible endpoint on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import httpx
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
                outer.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
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
            "id": "cmpl-1", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 23, "total_tokens": total_tokens},
        }


@pytest.fixture
def fake_openai() -> Any:
    fake = FakeOpenAI()
    yield fake
    fake.server.shutdown()


def settings(fake: FakeOpenAI, **kw: Any) -> LLMSettings:
    return LLMSettings(api_key="sk-test-not-a-real-key", base_url=fake.base_url, timeout=kw.pop("timeout", 5), **kw)


VLANS_AT_AKRON = {"target": "ipam.vlan", "conditions": [{"field": "site", "model": "dcim.site", "value": "DM-Akron", "text": "DM-Akron"}]}


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


@pytest.mark.parametrize("reply", [
    {"target": "dcim.coffee"},  # no such model
    {"target": "dcim.device", "conditions": [{"field": "vlan_id", "value": "1", "text": "vlan"}]},  # devices have no vlan_id filter
    {"target": "dcim.interface", "conditions": [{"field": "colour", "value": "red", "text": "red"}]},
    {"target": "dcim.device", "attributes": ["favourite_food"]},
    {"target": "dcim.device", "aggregate": {"op": "group", "by": "flavour"}},
    {"target": "dcim.device", "kind": "bulk_discovery"},  # the old intent's shape
])
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
    client = NetBoxClient(NetBoxProfile(url="http://netbox.test", token="0123456789abcdef0123456789abcdef01234567"))
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
        mock.get("/api/ipam/vlans/").mock(return_value=httpx.Response(200, json={"count": 63, "next": None, "previous": None, "results": []}))
        answer = await orch.ask("list all VLANs", on_progress=events.append)
    assert answer.intent is not None and answer.intent.source == "rules"
    assert answer.status == "ok" and answer.tables[0].total == 63
    fallbacks = [e for e in events if e.phase == "classify" and e.state == "fallback"]
    assert fallbacks and "offline rules" in fallbacks[0].description
    await orch.client.aclose()


async def test_orchestrator_uses_the_llm_intent(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = lambda body: (200, fake_openai.completion(json.dumps({"target": "ipam.vlan"}), total_tokens=77))
    orch = _orchestrator_with(LLMClassifier(settings(fake_openai)))
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(return_value=httpx.Response(200, json={"count": 2, "next": None, "previous": None, "results": [
            {"id": 1, "display": "Data (100)", "vid": 100, "name": "Data"}, {"id": 2, "display": "Voice (200)", "vid": 200, "name": "Voice"}]}))
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
        return 200, fake_openai.completion("NetBox refused the token. Check NETBOX_TOKEN.\x1b[31m", total_tokens=40)

    fake_openai.reply = reply
    orch = _orchestrator_with(LLMClassifier(settings(fake_openai)))
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(return_value=httpx.Response(403, json={"detail": "Invalid token"}))
        answer = await orch.ask("list all VLANs")
    assert answer.status == "error" and answer.error is not None and answer.error.kind == "auth"
    assert answer.answer == "NetBox refused the token. Check NETBOX_TOKEN."  # escape sequence stripped
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
    assert answer.status == "error" and "token rejected or lacks permission" in answer.answer
    await orch.client.aclose()
