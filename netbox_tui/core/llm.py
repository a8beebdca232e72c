"""LLM classifier: asks an OpenAI-compatible endpoint for a structured Intent.

Used only when an API key or base_url is configured. The reply must validate as an Intent;
anything else (invalid JSON, a timeout, an HTTP error) is raised to the orchestrator, which
falls back to the offline rules and says so in the progress events. What is sent is counted
with tiktoken and kept under the configured budget. `openai` is imported lazily: it is slow.
"""

from __future__ import annotations

import json
from typing import Any

from netbox_tui.config import LLMSettings
from netbox_tui.core.budget import Budget, get_encoder
from netbox_tui.core.intent import Intent, IntentKind, ObjectType

SYSTEM = """You classify questions about a NetBox inventory into a JSON intent. Answer with JSON only.
kind: device_lookup (one named object or IP), bulk_discovery (lists), relationship_analysis (VLAN->interfaces->devices, cable trace, things on a device), performance_query (rack or prefix utilisation, free IPs, site summary), configuration_audit (objects missing a field).
target: the NetBox model of the main result, one of: {targets}.
filters: names exactly as the user typed them (do not invent ids or slugs). Use scope for a loosely named place ("at dm akron"), name for the object itself, device+interface for cable traces, ip for one address, prefix for a CIDR.
audit: no_primary_ip | no_serial | no_platform | no_tenant | no_asset_tag | unconnected_interfaces. metric: rack_utilisation | prefix_utilisation | available_ips | site_summary | interface_usage | vlan_topology | cable_trace.
Examples: "VLANs at DM-Akron" -> {{"kind":"bulk_discovery","target":"ipam.vlan","filters":{{"scope":"DM-Akron"}}}}; "free IPs in 10.1.0.0/24" -> {{"kind":"performance_query","target":"ipam.prefix","metric":"available_ips","filters":{{"prefix":"10.1.0.0/24"}}}}."""


EXPLAIN = """You help a network engineer who asked a NetBox question that failed. In at most three short sentences, say what went wrong, the likely cause and what to do next. Plain text, no markdown. Never suggest changing NetBox data from this tool: it is read-only."""


class LLMError(Exception):
    pass


class LLMClassifier:
    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings
        self.model = settings.model
        self.budget = Budget(settings.token_budget, get_encoder(settings.model))
        self._client: Any = None

    def _openai(self) -> Any:
        if self._client is None:
            from openai import AsyncOpenAI  # lazy: importing openai costs ~0.3 s

            key = self.settings.api_key.get_secret_value() if self.settings.api_key else "not-needed"
            self._client = AsyncOpenAI(api_key=key, base_url=self.settings.base_url or None,
                                       timeout=self.settings.timeout, max_retries=0)
        return self._client

    def messages(self, question: str) -> list[dict[str, str]]:
        """The request, cut to the budget: the system prompt keeps its head, the question is trimmed."""
        system = SYSTEM.format(targets=", ".join(t.value for t in ObjectType))
        reserve = 64  # chat framing and the model's reply are outside this count
        system_max = max(self.budget.max_tokens // 2, self.budget.max_tokens - reserve - 200)
        system = self.budget.fit_text(system, system_max)
        room = self.budget.max_tokens - reserve - self.budget.encoder.count(system)
        user = self.budget.fit_text(question, max(room, 0))
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def prompt_tokens(self, messages: list[dict[str, str]]) -> int:
        return sum(self.budget.encoder.count(m["content"]) for m in messages)

    async def classify(self, question: str) -> tuple[Intent, int]:
        messages = self.messages(question)
        sent = self.prompt_tokens(messages)
        schema = Intent.model_json_schema()
        resp = await self._openai().chat.completions.create(
            model=self.model,
            messages=messages,
            temperature=self.settings.temperature,
            response_format={"type": "json_schema", "json_schema": {"name": "intent", "schema": schema}},
        )
        try:
            content = resp.choices[0].message.content or ""
            data = json.loads(content)
            data["source"] = "llm"
            data.setdefault("kind", IntentKind.bulk_discovery.value)
            intent = Intent.model_validate(data)
        except (ValueError, IndexError, AttributeError, TypeError) as exc:
            raise LLMError(f"the model's reply is not a valid intent ({exc.__class__.__name__})") from None
        usage = getattr(resp, "usage", None)
        used = (getattr(usage, "total_tokens", 0) or 0) if usage else 0
        return intent, used or sent + self.budget.encoder.count(content)

    async def explain(self, question: str, error: dict[str, Any]) -> tuple[str, int]:
        """A plain-words explanation of an error, from the template's facts; budgeted like classify."""
        facts = self.budget.fit_text(json.dumps({"question": question, **error}, ensure_ascii=False), self.budget.max_tokens - 200)
        messages = [{"role": "system", "content": EXPLAIN}, {"role": "user", "content": facts}]
        resp = await self._openai().chat.completions.create(
            model=self.model, messages=messages, temperature=self.settings.temperature, max_tokens=150,
        )
        text = (resp.choices[0].message.content or "").strip()
        if not text:
            raise LLMError("empty explanation")
        from netbox_tui.core.columns import safe_text

        usage = getattr(resp, "usage", None)
        used = (getattr(usage, "total_tokens", 0) or 0) if usage else 0
        return safe_text(text, 600), used or self.prompt_tokens(messages) + self.budget.encoder.count(text)
