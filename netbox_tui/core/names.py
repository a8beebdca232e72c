"""The names of the connected NetBox's small tables, recognised anywhere in a question.

Sites, regions, tenants, roles, platforms, manufacturers, device types, VRFs, clusters,
providers… (vocab.toml `[names]`) are read in one GraphQL request, cached like any answer, so
"Juniper gear at Grinnells Lab" is understood as a manufacturer and a site with no request per
word. NetBox cuts a GraphQL list at its page limit without saying so: a list that long is taken
as incomplete, and names of that model are searched per question instead.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from netbox_tui.core.text import norm, norm_words, rank, score, singular, words
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import load as load_vocab

log = logging.getLogger(__name__)

GRAPHQL_CAP = 1000  # NetBox's MAX_PAGE_SIZE: a list this long may have been cut
FUZZY_SCORE = 80.0  # below: not a guess worth making
MARGIN = 8.0  # a guess must beat the next name by this much


@dataclass(frozen=True)
class Named:
    model: str
    id: int
    name: str
    slug: str = ""


@dataclass
class NameIndex:
    """Names by their letters and digits ('dmakron'), by head word ('switch') and by slug part ('nj')."""

    entries: list[Named] = field(default_factory=list)
    incomplete: frozenset[str] = frozenset()  # models whose list was cut: searched instead
    source: str = "none"  # graphql, rest, none

    def __post_init__(self) -> None:
        self.by_norm: dict[str, list[Named]] = defaultdict(list)
        self.by_head: dict[str, list[Named]] = defaultdict(list)
        self.by_slug_part: dict[str, list[Named]] = defaultdict(list)
        self.by_model: dict[str, list[Named]] = defaultdict(list)
        for e in self.entries:
            self.by_model[e.model].append(e)
            keys = {norm_words(e.name), norm(e.name)} | ({norm(e.slug)} if e.slug else set())
            for k in keys:
                if k:
                    self.by_norm[k].append(e)
            ws = [w for w in words(e.name) if w.isalpha()]
            if len(ws) > 1:
                self.by_head[singular(ws[-1])].append(e)
            parts = e.slug.split("-") if e.slug else []
            if len(parts) > 1 and len(parts[-1]) >= 2 and parts[-1].isalpha():
                self.by_slug_part[parts[-1]].append(e)

    @property
    def models(self) -> set[str]:
        return set(self.by_model)

    def knows(self, model: str) -> bool:
        """Names of this model are all here (so a name not here does not exist)."""
        return self.source != "none" and model in load_vocab().name_models and model not in self.incomplete

    def exact(self, text: str) -> list[Named]:
        """Objects named (or slugged) exactly so, case, spaces, dashes and plurals aside."""
        found = self.by_norm.get(norm_words(text)) or self.by_norm.get(norm(text)) or []
        return _unique(found)

    def heads(self, text: str) -> list[Named]:
        """'switches' -> every name whose last word is Switch (Access Switch, Core Switch…)."""
        ws = words(text)
        if len(ws) != 1 or not ws[0].isalpha():
            return []
        return _unique(self.by_head.get(singular(ws[0]), []))

    def slug_part(self, text: str) -> list[Named]:
        """'NJ' -> the object slugged us-nj, when only one is."""
        found = self.by_slug_part.get(text.lower(), []) if text.isalpha() and len(text) >= 2 else []
        return found if len(found) == 1 else []

    def fuzzy(self, text: str, models: Optional[Iterable[str]] = None) -> list[tuple[Named, float]]:
        """Closest names, best first (per-word scoring: 'Stanford' ~ DM-Stamford, not DM-Hartford)."""
        pool = [e for m in (models or self.by_model) for e in self.by_model.get(m, [])]
        ranked = sorted(
            ((e, score(text, e.name, e.slug)) for e in pool), key=lambda p: rank(text, p[0].name, p[1])
        )
        return ranked

    def close(self, text: str, models: Optional[Iterable[str]] = None) -> list[tuple[Named, float]]:
        """Names the text may be a loose form of, best first: one clear one, or several to choose from.

        A name with digits is never taken for words without them ("amps" is not DO-AMS3), and the
        typed text must be long enough to say something (five letters)."""
        if len(norm(text)) < 5 and not any(ch.isdigit() for ch in text):
            return []
        ranked = [(e, sc) for e, sc in self.fuzzy(text, models) if sc >= FUZZY_SCORE]
        if not ranked:
            return []
        best = ranked[0][1]
        close = [(e, sc) for e, sc in ranked if best - sc < MARGIN]
        digits = set(re.findall(r"\d+", text))
        if len(close) == 1 and not set(re.findall(r"\d+", close[0][0].name)) <= digits:
            return []  # one name, and its digits were not typed: no guess (several would be a choice)
        return close

    def guess(self, text: str, models: Optional[Iterable[str]] = None) -> Optional[tuple[Named, float]]:
        """One clear fuzzy match, or None: close runners-up mean there is nothing to guess."""
        close = self.close(text, models)
        if len(close) == 1 or close and all(e.name == close[0][0].name for e, _ in close):
            return close[0]
        return None

    def get(self, model: str, id_: int) -> Optional[Named]:
        return next((e for e in self.by_model.get(model, []) if e.id == id_), None)


def _unique(found: list[Named]) -> list[Named]:
    return list({(e.model, e.id): e for e in found}.values())


def graphql_query() -> tuple[str, dict[str, str]]:
    """The one request that reads every name table: `{ site_list { id name slug } … }`."""
    schema, vocab = load_schema(), load_vocab()
    parts, lists = [], {}
    for name in vocab.name_models:
        m = schema.get(name)
        if m is None or not m.graphql_list or m.label not in m.graphql_fields:
            continue
        slug = " slug" if "slug" in m.graphql_fields else ""
        parts.append(f"{m.graphql_list} {{ id {m.label}{slug} }}")
        lists[m.graphql_list] = name
    return "query { " + " ".join(parts) + " }", lists


def index_from_graphql(data: dict[str, Any], lists: dict[str, str]) -> NameIndex:
    schema = load_schema()
    entries: list[Named] = []
    incomplete = set()
    for key, model in lists.items():
        rows = data.get(key) or []
        if len(rows) >= GRAPHQL_CAP:
            incomplete.add(model)
            continue
        label = schema.model(model).label
        for r in rows:
            try:
                entries.append(Named(model, int(r["id"]), str(r.get(label) or ""), str(r.get("slug") or "")))
            except (KeyError, TypeError, ValueError):
                continue  # a row without an id cannot be filtered on: leave it out
    return NameIndex(entries, frozenset(incomplete), "graphql")


def index_from_rows(
    rows: dict[str, list[dict[str, Any]]], source: str = "rest", complete: bool = True
) -> NameIndex:
    """The index from each name model's rows (a REST answer, a snapshot)."""
    schema = load_schema()
    entries = []
    for model, items in rows.items():
        m = schema.get(model)
        if m is None:
            continue
        for r in items:
            if isinstance(r, dict) and "id" in r:
                entries.append(
                    Named(model, int(r["id"]), str(r.get(m.label) or ""), str(r.get("slug") or ""))
                )
    return NameIndex(entries, frozenset(), source)


async def load_names(client: Any) -> NameIndex:
    """One GraphQL request; if GraphQL is off or refuses, one REST list per table (concurrently)."""
    query, lists = graphql_query()
    try:
        data = await client.graphql(query, kind="names")
        return index_from_graphql(data, lists)
    except Exception as exc:  # disabled GraphQL, an old NetBox, a snapshot without it: REST
        log.info("GraphQL name lookup failed (%s); reading names over REST", exc)
    schema = load_schema()
    models = [m for m in (schema.get(n) for n in load_vocab().name_models) if m is not None]

    async def one(m: Any) -> Any:
        try:
            fields = ["id", m.label] + (["slug"] if "slug" in m.fields else [])
            return await client.page(m.path, None, limit=GRAPHQL_CAP, fields=fields, kind="names")
        except (
            Exception
        ) as exc:  # a table this token cannot read (403), or an old NetBox without it: search it instead
            log.info("names of %s unavailable (%s)", m.name, exc)
            return None

    pages = await client.gather(one(m) for m in models)
    incomplete = {
        m.name
        for m, page in zip(models, pages, strict=True)
        if page is None or page.count > len(page.results)
    }
    index = index_from_rows(
        {m.name: page.results for m, page in zip(models, pages, strict=True) if m.name not in incomplete}
    )
    index.incomplete = frozenset(incomplete)
    return index
