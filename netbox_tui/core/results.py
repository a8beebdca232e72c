"""What an answer is: a summary, paged tables, choices and stats. The `ask --json` contract."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, Field

from netbox_tui.core.intent import Intent

Status = Literal["ok", "partial", "needs_choice", "not_found", "error"]


def plural(n: int, one: str, many: str = "") -> str:
    """'1 row', '3 rows', '1,000 addresses': a count with its word in the number it says."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


class Column(BaseModel):
    key: str
    title: str


class TableQuery(BaseModel):
    """How to fetch more rows of a table: a NetBox list query, or rows held by the orchestrator."""

    path: Optional[str] = None  # "dcim/interfaces/"
    params: list[tuple[str, str]] = Field(default_factory=list)
    fields: list[str] = Field(default_factory=list)
    kind: str = "default"  # cache kind
    local_key: Optional[str] = None  # rows computed client-side, paged from memory
    extra: list[str] = Field(default_factory=list)  # fields shown beside the usual columns (asked for)


class Table(BaseModel):
    title: str
    object_type: str  # "dcim.device"
    columns: list[Column]
    rows: list[dict[str, Any]]  # each row has NetBox's `id` and `display`
    total: int  # matching objects, not the page size
    offset: int = 0
    limit: int = 25
    partial: bool = False
    stale: Optional[str] = (
        None  # rows from an expired cache entry, NetBox failing: "From cache, 3 h old — NetBox unreachable."
    )
    query: Optional[TableQuery] = Field(default=None, exclude=True)

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total


class Choice(BaseModel):
    kind: Literal["next_page", "filter", "summary", "candidate", "drill_down", "suggestion", "export_all"]
    label: str
    question: Optional[str] = None  # the follow-up in words, for a person or a script to ask
    intent: Optional[Intent] = Field(
        None, description="the follow-up itself, names already resolved: asked as is, never re-read"
    )


class Applied(BaseModel):
    """One condition of the question and what was done with it, in NetBox's terms."""

    field: str  # "enabled", "site"
    op: str  # "=", "≠", "is empty"…
    value: str = ""  # as shown: "false", "DM-Akron"
    text: str = ""  # the words of the question it came from
    filter: str = ""  # the query parameter sent ("enabled=false", "site_id=4"), or how it was applied instead

    def words(self) -> str:
        return f"{self.field} {self.op} {self.value}".strip()


class Interpretation(BaseModel):
    """How the question was read, so a misreading is visible at a glance."""

    model: str  # "dcim.interface"
    noun: str  # "interfaces"
    conditions: list[Applied] = Field(default_factory=list)
    asked: list[str] = Field(default_factory=list)  # fields asked for
    aggregate: Optional[str] = None  # "count", "group by role"
    not_understood: list[str] = Field(default_factory=list)
    guesses: list[str] = Field(default_factory=list)  # fuzzy corrections, each said
    limits: list[str] = Field(default_factory=list)  # conditions NetBox could not apply, and why
    # A follow-up: the answer it refines and what it changed
    # ("refining: devices · site = DM-Akron · + role = Router").
    refining: str = ""

    def line(self) -> str:
        """"interfaces · device = dmi01-hartford-sw02 · enabled = false"."""
        parts = [self.noun] + [c.words() for c in self.conditions]
        if self.aggregate:
            parts.append(self.aggregate)
        if self.asked:
            parts.append("showing " + ", ".join(self.asked))
        return " · ".join(parts)


class PlanInfo(BaseModel):
    kind: Literal["direct", "multi_step", "orchestrated", "fallback", "none"] = "none"
    steps: list[str] = Field(default_factory=list)


class Stats(BaseModel):
    api_calls: int = 0
    cache_hits: int = 0
    bytes: int = 0
    elapsed_ms: int = 0
    llm_tokens: int = 0


class ErrorInfo(BaseModel):
    kind: str
    message: str
    title: str = ""  # the error class's own title ("Permission denied" and "Token rejected" share kind auth)
    hint: str = ""
    causes: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    alternatives: list[str] = Field(default_factory=list)


class Answer(BaseModel):
    question: str
    intent: Optional[Intent] = None
    interpretation: Optional[Interpretation] = None
    plan: PlanInfo = Field(default_factory=PlanInfo)
    status: Status = "ok"
    answer: str = ""
    tables: list[Table] = Field(default_factory=list)
    choices: list[Choice] = Field(default_factory=list)
    stats: Stats = Field(default_factory=Stats)
    error: Optional[ErrorInfo] = None
    # From the cache: `cached_at` (UTC, ISO 8601) is when the oldest cached response used was stored;
    # `stale` that some of it had expired and was served because NetBox was unreachable or failing.
    stale: bool = False
    cached_at: Optional[str] = None

    def to_json(self) -> str:
        """The `--json` contract: empty and unset fields left out (the question, status, answer,
        tables and stats are always there)."""
        import json

        data = _pruned(self.model_dump(mode="json", exclude_none=True))
        for key in ("question", "status", "answer", "tables", "stats"):
            data.setdefault(key, [] if key == "tables" else "")
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _pruned(value: Any) -> Any:
    """Drop empty lists, dicts and strings (recursively), and the intent's bookkeeping."""
    if isinstance(value, dict):
        out = {k: _pruned(v) for k, v in value.items()}
        return {
            k: v for k, v in out.items() if v not in ([], {}, "", None) or k in ("rows", "total", "count")
        }
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value
