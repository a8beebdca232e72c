"""What an answer is: a summary, paged tables, choices and stats. The `ask --json` contract."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, Field

from netbox_tui.core.intent import Intent

Status = Literal["ok", "partial", "needs_choice", "error"]


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


class Table(BaseModel):
    title: str
    object_type: str  # "dcim.device"
    columns: list[Column]
    rows: list[dict[str, Any]]  # each row has NetBox's `id` and `display`
    total: int  # matching objects, not the page size
    offset: int = 0
    limit: int = 25
    partial: bool = False
    query: Optional[TableQuery] = Field(default=None, exclude=True)

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total


class Choice(BaseModel):
    kind: Literal["next_page", "filter", "summary", "candidate", "drill_down", "suggestion"]
    label: str
    question: Optional[str] = None  # a follow-up question that performs it


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
    hint: str = ""
    causes: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    alternatives: list[str] = Field(default_factory=list)


class Answer(BaseModel):
    question: str
    intent: Optional[Intent] = None
    plan: PlanInfo = Field(default_factory=PlanInfo)
    status: Status = "ok"
    answer: str = ""
    tables: list[Table] = Field(default_factory=list)
    choices: list[Choice] = Field(default_factory=list)
    stats: Stats = Field(default_factory=Stats)
    error: Optional[ErrorInfo] = None

    def to_json(self) -> str:
        return self.model_dump_json()
