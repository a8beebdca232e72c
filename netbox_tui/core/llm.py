"""LLM classifier: asks an OpenAI-compatible endpoint for the same Intent the rules fill.

Used only when an API key or base_url is configured. The prompt lists NetBox's models and, for
the models people ask about most, their filters and choice values (from the schema layer), cut
to the token budget. The reply must validate as an Intent whose every condition names a filter
the target's endpoint has; anything else (invalid JSON, an unknown model or filter, a timeout,
an HTTP error) is raised to the orchestrator, which falls back to the offline rules and says so.
Words of the question the reply does not account for are `not_understood`, as with the rules.
The reply is capped (MAX_REPLY_TOKENS; a cut reply is a failure) and its schema bounded; the
structured-output mode a server supports is learnt from its first refusal, and a prompt longer
than the server's context is cut to it once (both remembered per classifier).
`openai` is imported lazily: it is slow to import.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Optional

from netbox_tui.config import LLMSettings
from netbox_tui.core.budget import Budget, get_encoder
from netbox_tui.core.customfields import prompt_lines as custom_field_lines
from netbox_tui.core.intent import Intent
from netbox_tui.core.lexicon import fold, lexicon
from netbox_tui.core.ops import prompt_words
from netbox_tui.core.validate import problems
from netbox_tui.schema import BOOL, CHOICE, REF
from netbox_tui.schema import load as load_schema

SYSTEM = """You turn a question about a NetBox inventory into a JSON intent. Answer with JSON only, no prose.
Fields: target (the model of the result table), conditions [{{field, op, value, text}}], attributes [fields \
asked about one object],
aggregate {{op: count|group, by}}, relations [{{model, negate, conditions}}] ("sites with no VLANs": \
{{model: ipam.vlan, negate: true}}),
pattern (trace | vlan_topology | rack_utilisation | free_ips | prefix_utilisation | site_summary), \
not_understood [words you cannot map].
A condition's field is a filter of the target's endpoint (listed below); op is one of: {ops};
text is the words of the question it came from. A named object (site, device, role…) is a condition whose \
value is the name exactly as typed,
with model set to its model; never invent ids or slugs. The object the question is about itself: field "id", \
model = target.
Models: {models}
Filters of common models (name: type or choices): {filters}
Examples: "disabled ports on sw1" -> {{"target":"dcim.interface","conditions":[{{"field":"device",\
"model":"dcim.device","value":"sw1","text":"sw1"}},{{"field":"enabled","value":false,"text":"disabled"}}]}};
"platform of rtr1" -> {{"target":"dcim.device","conditions":[{{"field":"id","model":"dcim.device",\
"value":"rtr1","text":"rtr1"}}],"attributes":["platform"]}};
"devices per role" -> {{"target":"dcim.device","aggregate":{{"op":"group","by":"role"}}}}."""

EXPLAIN = """You help a network engineer who asked a NetBox question that failed. In at most three short \
sentences, say what went wrong, the likely cause and what to do next. Plain text, no markdown. Never suggest \
changing NetBox data from this tool: it is read-only."""

# The models whose filters the prompt spells out (the others are listed by name only).
COMMON = (
    "dcim.device",
    "dcim.interface",
    "dcim.site",
    "dcim.rack",
    "dcim.cable",
    "ipam.vlan",
    "ipam.prefix",
    "ipam.ipaddress",
    "circuits.circuit",
    "virtualization.virtualmachine",
    "tenancy.tenant",
    "dcim.powerfeed",
    "ipam.asn",
)


# What a real server showed (bench/llm_real.py, llama-cpp-python + a 270M model on CPU): a small
# model loops inside a JSON array or string until the context is full (minutes on a CPU), so the
# reply is capped and a cut reply (finish_reason "length") is a failure, never parsed.
MAX_REPLY_TOKENS = (
    320  # 1.5x the longest right intent of dev.yaml + dev2.yaml (212 Gemma / 177 o200k tokens; median 51)
)
REPLY_MAX_ITEMS = (
    8  # per array of the reply schema (not a value's list of choices): bounds a grammar-constrained loop
)
# Intent fields the model must not fill (the resolver, the parser and the orchestrator do).
_NOT_FOR_THE_MODEL = {
    "Intent": ("claims", "source"),
    "Condition": ("resolved", "guess", "span"),
    "Relation": ("span",),
    "Aggregate": ("span",),
}
_WINDOW = re.compile(r"maximum context length is (\d+)", re.I)
_SENT = (
    re.compile(r"(\d+) in the messages", re.I),
    re.compile(r"(?:resulted in|requested) (\d+) tokens", re.I),
)


class LLMError(Exception):
    def __init__(self, message: str, tokens: int = 0) -> None:
        super().__init__(message)
        self.tokens = tokens  # spent on a reply that was refused: still counted in the answer's stats


def reply_schema() -> dict[str, Any]:
    """The JSON schema asked of the model: Intent's, without the fields others fill, every array
    bounded (a grammar-constrained sampler then has to close it). Strings are not: llama.cpp turns
    maxLength into a grammar nested that deep per string; MAX_REPLY_TOKENS bounds them."""
    schema = Intent.model_json_schema()
    schema["properties"]["target"]["enum"] = _model_names()  # a constrained sampler cannot invent a model
    for name, fields in _NOT_FOR_THE_MODEL.items():
        node = schema if name == "Intent" else schema.get("$defs", {}).get(name, {})
        for f in fields:
            node.get("properties", {}).pop(f, None)
    schema.get("$defs", {}).pop("Claim", None)
    schema.get("$defs", {}).pop("Ref", None)

    def bound(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "array":
                node.setdefault("maxItems", REPLY_MAX_ITEMS)
            for v in node.values():
                bound(v)
        elif isinstance(node, list):
            for v in node:
                bound(v)

    bound(schema)
    # An untyped property is no schema to llama.cpp's grammar converter: it fails on it and falls
    # back to any JSON, silently (the reply then only looks constrained). The value's types, said;
    # its list of choice values is left unbounded ("10GE" is 17 interface types).
    value = schema.get("$defs", {}).get("Condition", {}).get("properties", {}).get("value")
    if value is not None and not any(k in value for k in ("type", "anyOf", "oneOf", "$ref", "enum", "const")):
        value["anyOf"] = [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"},
                          {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "number"}]}}]
    return schema


def _error_text(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    return f"{exc} {json.dumps(body) if isinstance(body, (dict, list)) else body or ''}"


def _format_refused(exc: Exception) -> bool:
    """A 4xx/5xx about the response_format itself (llama-cpp-python answers 500 with a validation
    error on `response_format.type`): the server lacks that mode, it is not down."""
    if getattr(exc, "status_code", None) not in (400, 422, 500, 501):
        return False
    text = _error_text(exc).lower()
    return "response_format" in text or "json_schema" in text


def _wants_completion_tokens(exc: Exception) -> bool:
    """OpenAI's 400 for `max_tokens` on a model that takes `max_completion_tokens` only."""
    return getattr(exc, "status_code", None) == 400 and "max_completion_tokens" in _error_text(exc)


def _context_window(exc: Exception) -> Optional[tuple[int, Optional[int]]]:
    """(the server's context window, the prompt tokens it counted) from a context-length 400, else None."""
    if getattr(exc, "status_code", None) != 400:
        return None
    text = _error_text(exc)
    m = _WINDOW.search(text)
    if m is None:
        return None
    sent = _SENT[0].search(text) or _SENT[1].search(text)
    return int(m.group(1)), (int(sent.group(1)) if sent else None)


def _model_names() -> list[str]:
    """The models the prompt lists (and the reply's target may name)."""
    return [
        n
        for n in load_schema().names
        if n.split(".")[0] in ("dcim", "ipam", "circuits", "virtualization", "tenancy", "vpn", "wireless")
    ]


@lru_cache(maxsize=1)
def _catalogue() -> tuple[str, str]:
    """The models and the common models' filters, compactly: `dcim.interface enabled:bool \
mode:access|tagged… site:ref`."""
    schema = load_schema()
    models = ", ".join(f"{n} ({schema.verbose(n)})" for n in _model_names())
    lines = []
    for name in COMMON:
        m = schema.get(name)
        if m is None:
            continue
        parts = []
        for f in m.filters.values():
            if f.name.endswith("_id") or f.name in (
                "q",
                "tag",
                "id",
                "created",
                "last_updated",
                "created_by_request",
                "modified_by_request",
                "updated_by_request",
            ):
                continue
            if f.type == BOOL:
                parts.append(f"{f.name}:bool")
            elif f.type == CHOICE:
                values = [str(c.value) for c in m.choices(f.name)]
                parts.append(f"{f.name}:" + "|".join(values[:8]) + ("|…" if len(values) > 8 else ""))
            elif f.type == REF and f.to:
                parts.append(f"{f.name}:{f.to}")
        lines.append(f"{name} " + " ".join(parts[:40]))
    return models, "\n".join(lines)


def validate(intent: Intent) -> Intent:
    """An intent the schema can answer: its target a model, each condition a filter of the target's
    endpoint (or of the related model, in relations) with an op that filter takes and a value it has
    (core/validate.py). Raises LLMError otherwise: never sent."""
    for c in [*intent.conditions, *(c for r in intent.relations for c in r.conditions)]:
        # Ids and guesses are the resolver's to find, never the model's to say: a reply's own are dropped.
        c.resolved, c.guess = [], None
    # A list to a filter that keeps one value is not refused: the planner applies it here, or says so.
    blocking = [p for p in problems(intent) if p.blocking]
    if blocking:
        raise LLMError(blocking[0].message)
    return intent


# A model may claim a condition came from the whole question: a longer span is not taken as accounting
# for its words ("dmi01-akron-sw01's disabled uplink ports" is the longest a condition needs).
MAX_SPAN_WORDS = 5


def unaccounted(question: str, intent: Intent) -> list[str]:
    """Words of the question no part of the intent came from (the rules' `not_understood`)."""
    lex = lexicon()

    def said(c: Any) -> str:  # the words a condition says it came from, if they are few enough to be that
        return c.text if len(c.text.split()) <= MAX_SPAN_WORDS else f"{c.value} {c.field}"

    used = " ".join(
        [said(c) for c in intent.conditions]
        + [r.text for r in intent.relations if len(r.text.split()) <= MAX_SPAN_WORDS]
        + [said(c) for r in intent.relations for c in r.conditions]
        + [intent.aggregate.text if intent.aggregate else ""]
        + list(intent.attributes)
    ).lower()
    used_words = set(fold(used)) | set(re.findall(r"[\w:/.-]+", used))
    target_words = {
        w
        for key, ms in lex.base.phrases.items()
        for m in ms
        if m.kind in ("noun",) and m.model == intent.target
        for w in key
    }
    extra = {
        w
        for key, ms in lex.of_model(intent.target).phrases.items()
        for m in ms
        if m.kind == "field" and (m.name in intent.attributes or set(m.fields) & set(intent.attributes))
        for w in key
    }
    cue_words = {
        w for key, ms in lex.base.phrases.items() for m in ms if m.kind in ("cue", "pattern") for w in key
    }
    out = []
    for raw in re.findall(r"[\w][\w\-./:+&']*", question):
        key = fold(raw)
        if (
            not key
            or all(
                k in lex.skip or k in used_words or k in target_words or k in extra or k in cue_words
                for k in key
            )
            or raw.lower() in used_words
        ):
            continue
        out.append(raw)
    return out


class LLMClassifier:
    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings
        self.model = settings.model
        self.budget = Budget(settings.token_budget, get_encoder(settings.model))
        self._client: Any = None
        self.response_format: Optional[str] = None  # what this server accepts, learnt on first use
        self.refused: set[str] = (
            set()
        )  # modes this server answered "unsupported response_format" to: never asked again
        self.fit: Optional[int] = None  # a smaller budget, learnt from the server's context-length error
        self.cap_param = (
            "max_tokens"  # OpenAI's newer models refuse it for max_completion_tokens: learnt from the 400
        )

    def _openai(self) -> Any:
        if self._client is None:
            from openai import AsyncOpenAI  # lazy: importing openai costs ~0.3 s

            key = self.settings.api_key.get_secret_value() if self.settings.api_key else "not-needed"
            self._client = AsyncOpenAI(api_key=key, base_url=self.settings.base_url or None,
                                       timeout=self.settings.timeout, max_retries=0)
        return self._client

    def messages(self, question: str) -> list[dict[str, str]]:
        """The request, cut to the budget: the system prompt keeps its head, the question is trimmed."""
        models, filters = _catalogue()
        filters += custom_field_lines()  # the connected NetBox's custom fields, when read (customfields.py)
        system = SYSTEM.format(models=models, filters=filters, ops=prompt_words())  # ops: core/ops.py
        reserve = 64  # chat framing and the model's reply are outside this count
        limit = min(self.budget.max_tokens, self.fit or self.budget.max_tokens)
        system_max = max(limit // 2, limit - reserve - 200)
        system = self.budget.fit_text(system, system_max)
        room = limit - reserve - self.budget.encoder.count(system)
        user = self.budget.fit_text(question, max(room, 0))
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def prompt_tokens(self, messages: list[dict[str, str]]) -> int:
        return sum(self.budget.encoder.count(m["content"]) for m in messages)

    def _formats(self) -> list[dict[str, Any]]:
        """Structured-output modes to try, best first; a server that refused one is not asked again."""
        schema = reply_schema()
        modes: dict[str, dict[str, Any]] = {
            "json_schema": {"type": "json_schema", "json_schema": {"name": "intent", "schema": schema}},
            "json_object_schema": {"type": "json_object", "schema": schema},  # llama.cpp's server
            "json_object": {"type": "json_object"},
        }
        order = (
            [self.response_format] if self.response_format else [k for k in modes if k not in self.refused]
        )
        return [dict(modes[k], _mode=k) for k in order if k]

    def _refit(self, exc: Exception, messages: list[dict[str, str]]) -> bool:
        """After a context-length 400: a budget that leaves the reply room in the server's window
        (its tokenizer is not ours: scaled by the ratio of its count to ours). False if no smaller fit."""
        found = _context_window(exc)
        if found is None:
            return False
        window, counted = found
        ours = max(self.prompt_tokens(messages), 1)
        ratio = max((counted or ours * 1.25) / ours, 1.0)
        fit = int((window - MAX_REPLY_TOKENS - 64) / ratio * 0.95)
        if fit < 200 or fit >= min(self.budget.max_tokens, self.fit or self.budget.max_tokens):
            return False
        self.fit = fit
        return True

    async def classify(self, question: str) -> tuple[Intent, int]:
        messages = self.messages(question)
        resp = None
        last: Optional[Exception] = None
        formats = self._formats()
        if not formats:
            raise LLMError(
                f"the server refused every structured-output mode ({', '.join(sorted(self.refused))})"
            )
        refits = 0
        while formats:
            fmt = dict(formats[0])
            mode = fmt.pop("_mode")
            try:
                resp = await self._openai().chat.completions.create(
                    model=self.model,
                    messages=messages,
                    temperature=self.settings.temperature,
                    response_format=fmt,
                    **{self.cap_param: MAX_REPLY_TOKENS},
                )
                self.response_format = mode
                break
            except Exception as exc:
                last = exc
                if _format_refused(exc):  # this server lacks the mode: the next one, and never this one again
                    self.refused.add(mode)
                    if self.response_format == mode:
                        self.response_format = None
                    formats.pop(0)
                    continue
                if refits == 0 and self._refit(
                    exc, messages
                ):  # the prompt is longer than its context: once, shorter
                    refits += 1
                    messages = self.messages(question)
                    continue
                if self.cap_param == "max_tokens" and _wants_completion_tokens(exc):
                    self.cap_param = "max_completion_tokens"
                    continue
                raise
        if resp is None:
            raise LLMError(
                f"the server refused every structured-output mode ({', '.join(sorted(self.refused))})"
            ) from last
        sent = self.prompt_tokens(messages)
        usage = getattr(resp, "usage", None)
        used = (getattr(usage, "total_tokens", 0) or 0) if usage else 0
        content = ""
        try:
            choice = resp.choices[0]
            content = choice.message.content or ""
            if (
                getattr(choice, "finish_reason", None) == "length"
            ):  # cut at max_tokens: truncated JSON, never parsed
                raise LLMError(f"the model's reply was cut at {MAX_REPLY_TOKENS} tokens")
            data = json.loads(_json_part(content))
            data["source"] = "llm"
            data.pop("claims", None)
            intent = validate(Intent.model_validate(data))
        except LLMError as exc:
            exc.tokens = used or sent + self.budget.encoder.count(content)
            raise
        except (ValueError, IndexError, AttributeError, TypeError) as exc:
            raise LLMError(
                f"the model's reply is not a valid intent ({exc.__class__.__name__})",
                used or sent + self.budget.encoder.count(content),
            ) from None
        intent.not_understood = list(
            dict.fromkeys(list(intent.not_understood) + unaccounted(question, intent))
        )
        return intent, used or sent + self.budget.encoder.count(content)

    async def explain(self, question: str, error: dict[str, Any]) -> tuple[str, int]:
        """A plain-words explanation of an error, from the template's facts; budgeted like classify."""
        facts = self.budget.fit_text(
            json.dumps({"question": question, **error}, ensure_ascii=False), self.budget.max_tokens - 200
        )
        messages = [{"role": "system", "content": EXPLAIN}, {"role": "user", "content": facts}]
        resp = await self._openai().chat.completions.create(
            model=self.model,
            messages=messages,
            temperature=self.settings.temperature,
            **{self.cap_param: 150},
        )
        if getattr(resp.choices[0], "finish_reason", None) == "length":
            raise LLMError("the explanation was cut at 150 tokens")
        text = (resp.choices[0].message.content or "").strip()
        if not text:
            raise LLMError("empty explanation")
        from netbox_tui.core.columns import safe_text

        usage = getattr(resp, "usage", None)
        used = (getattr(usage, "total_tokens", 0) or 0) if usage else 0
        return safe_text(text, 600), used or self.prompt_tokens(messages) + self.budget.encoder.count(text)


def _json_part(content: str) -> str:
    """The JSON object in a reply (small models wrap it in ``` fences or add a sentence)."""
    m = re.search(r"\{.*\}", content, re.S)
    return m.group(0) if m else content
