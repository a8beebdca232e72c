"""The change log and the journal of objects: "what changed on X today", "who changed X", "what did
dwight change this week", "was anything deleted today", "VLANs added since Monday", "what was X's DNS
name before", "notes on X", "warning journal entries by dwight".

Reading: `read()` turns the assembler's readings into the intent when a change-log or journal word
was read (vocab.toml [patterns] changes / journal, [history]); every word is claimed or said, as for
any other question. Time words become absolute UTC bounds (timewords.py).

Planning: `plan_changes` reads `/api/core/object-changes/`; changes on a named object are those whose
changed object is it OR whose related object is it (an interface's change relates to its device; the
related filter alone misses the object's own changes: checked on NetBox 4.7.3), so two requests
merged. `plan_journal` reads `/api/extras/journal-entries/`, and the authors' names from the change
log (a journal entry's `created_by` is a bare user id; the users endpoint needs more rights).

The change log's endpoint and filters are the schema layer's (`core.objectchange`, generated from
NetBox's schema like every model): each request is checked against them by the client, as any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

from netbox_tui.core.columns import EMPTY, cell, safe_text
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.plan import Context, Limitation, Outcome, Plan, Step
from netbox_tui.core.planner import list_choices, local_table, model_of, noun, page_text, resolve_steps
from netbox_tui.core.results import Applied, Column
from netbox_tui.core.timewords import Span, find_span
from netbox_tui.errors import NetBoxError
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import load as load_vocab

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler

CHANGE, JOURNAL, INTERFACE, DEVICE = (
    "core.objectchange",
    "extras.journalentry",
    "dcim.interface",
    "dcim.device",
)
READ_CAP = 1000  # rows read per request (one NetBox page); past it the answer says it is partial
# Fields that change on every save or are NetBox's own bookkeeping: never "what changed".
_NOISE = {"last_updated", "created", "id"}


def clock() -> datetime:
    """Now, in UTC: what "today" and "this week" count from (tests replace it)."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class HistoryWords:
    actions: dict[str, tuple[str, ...]]  # NetBox action value -> words
    users: tuple[str, ...]


@lru_cache(maxsize=1)
def history_words() -> HistoryWords:
    section = load_vocab().history
    return HistoryWords(
        {k: tuple(v) for k, v in section.get("actions", {}).items()}, tuple(section.get("users", ()))
    )


# -- reading --------------------------------------------------------------------------------------------


def is_history(found: list[tuple[list[str], tuple[str, ...]]], words: list[str]) -> Optional[str]:
    """The pattern pattern words ask for: (pattern names, folded words) of each. "before" and "previously"
    alone ask for the past only with "was" ("what was X's DNS name before"); "before Monday" is a time."""
    names = {n for ns, _ in found for n in ns}
    if "journal" in names:
        return "journal"
    weak = {("before",), ("previously",)}
    strong = [key for ns, key in found if "changes" in ns and key not in weak]
    if strong or ("changes" in names and "was" in words):
        return "changes"
    return None


def read(asm: Assembler, pattern: str, now: Optional[datetime] = None) -> Intent:
    """The intent of a change-log or journal question, every word accounted for."""
    toks = asm.toks
    words = [t.low for t in toks]
    target = CHANGE if pattern == "changes" else JOURNAL
    intent = Intent(target=target, pattern=pattern)
    span = find_span(words, now or clock())
    taken: set[int] = set()
    if span is not None:
        intent.conditions += _time_conditions(asm, span, pattern)
        taken |= set(range(span.start, span.end))
    user = _user(asm, taken)
    if user is not None:
        a, b, name = user
        text_span = asm.claim(a, b, "user")
        field = "user_name" if pattern == "changes" else "created_by"
        intent.conditions.append(
            Condition(field=field, value=name, text=asm.r.text[text_span[0] : text_span[1]])
        )
        taken |= set(range(a, b))
    if pattern == "changes":
        for t in toks:
            action = next((k for k, ws in history_words().actions.items() if t.low in ws), None)
            if (
                action is not None
                and t.i not in taken
                and not any(c.field == "action" for c in intent.conditions)
            ):
                asm.claim(t.i, t.i + 1, f"action {action}")
                intent.conditions.append(Condition(field="action", value=action, text=t.text))
    for c in asm.items("pattern"):
        if any(m.name in ("changes", "journal") for m in c.of("pattern")) and not asm.is_used(c):
            asm.claim(c.a, c.b, f"pattern {pattern}")
    subject = None
    for m in asm.mentions:
        if any(i in taken or i in asm.used for i in range(m.a, m.b)) or not m.models:
            continue
        s = asm.claim(m.a, m.b, "name")
        models = [x for x in m.models if x not in (CHANGE, JOURNAL)]
        cond = Condition(
            field="object", value=m.text, text=asm.r.text[s[0] : s[1]], model=models[0], span=s, guess=m.guess
        )
        if len(models) > 1:
            cond.candidates = models
        asm.resolve_known(cond, m)
        intent.conditions.append(cond)
        subject = subject or m
    _port_of_device(intent)
    if pattern == "journal":
        for c in asm.items("value"):
            kinds = [
                m
                for m in c.of("value")
                if m.model == JOURNAL and isinstance(m.value, dict) and "kind" in m.value
            ]
            if kinds and not asm.is_used(c):
                asm.claim(c.a, c.b, "kind")
                intent.conditions.append(
                    Condition(field="kind", value=kinds[0].value["kind"], text=asm.surface(c.a, c.b))
                )
    for c in asm.items("noun"):  # "VLANs added since Monday": changes to VLANs
        models = [m.model for m in c.of("noun") if m.model and m.model != JOURNAL]
        if (
            models
            and not asm.is_used(c)
            and not (pattern == "journal" and JOURNAL in [m.model for m in c.of("noun")])
        ):
            asm.claim(c.a, c.b, f"model {models[0]}")
            field = "changed_object_type" if pattern == "changes" else "assigned_object_type"
            intent.conditions.append(Condition(field=field, value=models[0], text=asm.surface(c.a, c.b)))
        elif JOURNAL in [m.model for m in c.of("noun")] and not asm.is_used(c):
            asm.claim(c.a, c.b, "journal")
    if subject is not None and pattern == "changes":  # "X's DNS name before": the field asked about
        for c in asm.items("field"):
            fields = [m for m in c.of("field") if m.model in subject.models]
            if fields and not asm.is_used(c):
                own = asm.surface(c.a, c.b).lower().replace(" ", "_")  # "comments": a device's own field
                subject_models = [asm.schema.get(x) for x in subject.models]
                name = (
                    own
                    if any(mm is not None and own in mm.fields for mm in subject_models)
                    else (fields[0].fields[0] if fields[0].fields else fields[0].name)
                )
                asm.claim(c.a, c.b, f"field {name}")
                intent.attributes.append(name)
    for t in toks:  # "before" closing "what was X's … before", "previously"
        if t.low in ("before", "previously") and t.i not in taken and t.i not in asm.used:
            asm.claim(t.i, t.i + 1, "earlier")
    intent.not_understood = asm.leftover()
    intent.claims = sorted(asm.claims, key=lambda c: c.start)
    intent.corrected = asm.corrected()
    return intent


def _port_of_device(intent: Intent) -> None:
    """ "sw01 Gi1/0/10": the port named and the device it is on, as the interface recipe reads them."""
    port = next((c for c in intent.conditions if c.field == "object" and c.model == INTERFACE), None)
    dev = next(
        (c for c in intent.conditions if c.field == "object" and DEVICE in [c.model, *c.candidates]), None
    )
    if port is not None and dev is not None:
        port.field = "name"
        dev.field, dev.model, dev.candidates = "device", DEVICE, []


def _time_conditions(asm: Assembler, span: Span, pattern: str) -> list[Condition]:
    s = asm.claim(span.start, span.end, "time")
    text = asm.r.text[s[0] : s[1]]
    field = "time" if pattern == "changes" else "created"
    out = []
    if span.after is not None:
        out.append(Condition(field=field, op="gte", value=_iso(span.after), text=text))
    if span.before is not None:
        out.append(Condition(field=field, op="lt", value=_iso(span.before), text=text))
    return out


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _user(asm: Assembler, taken: set[int]) -> Optional[tuple[int, int, str]]:
    """A user named: "by dwight", "author dwight", "did dwight change", "dwight's changes" (a word nothing
    else reads, beside those cues). Users are not in the name index; NetBox filters by user name."""
    toks = asm.toks

    def free(i: int) -> bool:
        c = asm.at(i)
        named = c is not None and c.has("name") and not c.kinds & {"noun", "field", "value", "cue", "pattern"}
        return (
            0 <= i < len(toks)
            and i not in taken
            and toks[i].kind == "word"
            and not asm.p.is_skip(toks[i])
            and (c is None or (named and c.length == 1 and not toks[i].host))
            and not toks[i].text.isdigit()
        )

    for t in toks:
        if t.low in history_words().users and free(t.i + 1) and t.i not in taken:
            return t.i, t.i + 2, toks[t.i + 1].text
        if t.low == "did" and free(t.i + 1):
            return t.i + 1, t.i + 2, toks[t.i + 1].text
        nxt = asm.at(t.i + 1)
        if (
            free(t.i)
            and not (t.i > 0 and toks[t.i - 1].low == "who")  # "who made changes", "who last touched": asked
            and nxt is not None
            and nxt.a == t.i + 1
            and any(m.name == "changes" for m in nxt.of("pattern"))
        ):
            return t.i, t.i + 1, t.text  # "dwight changed …"
    return None


# -- planning -------------------------------------------------------------------------------------------


def _refs(intent: Intent) -> list[Condition]:
    """The objects asked about. A port named with its device ("sw01 Gi1/0/10") is the port alone: the
    device only says whose port it is."""
    objs = [
        c for c in intent.conditions if c.field == "object" or (c.field == "name" and c.model == INTERFACE)
    ]
    ports = [c for c in objs if c.model == INTERFACE]
    return ports or objs


def _resolve_steps(intent: Intent) -> list[Step]:
    """The names to find; a port and its device in one step, abbreviations matched (Gi1/0/10)."""
    from netbox_tui.core.recipes import _find_interface_step, _iface_and_device

    iface, dev = _iface_and_device(intent)
    if iface is not None and dev is not None:
        return [_find_interface_step(intent, ())]
    return resolve_steps(intent)


def _said(ctx: Context, cond: Condition, flt: str) -> None:
    op = {"gte": "≥", "lt": "<"}.get(cond.op, "=")
    field = {"user_name": "user", "created_by": "author"}.get(cond.field, cond.field)
    ctx.applied.append(Applied(field=field, op=op, value=str(cond.shown_value()), text=cond.text, filter=flt))


def _params(ctx: Context, pattern: str) -> list[tuple[str, str]]:
    """The non-object conditions as NetBox filters, each said in the interpretation."""
    pairs: list[tuple[str, str]] = []
    time_field = "time" if pattern == "changes" else "created"
    for c in ctx.intent.conditions:
        if c.model is not None:  # a named object (or the device of a named port): asked by type and id
            continue
        if c.field == time_field:
            name = f"{time_field}_after" if c.op == "gte" else f"{time_field}_before"
        else:
            name = c.field
        pairs.append((name, str(c.value)))
        _said(ctx, c, f"{name}={c.value}")
    return pairs


async def _changelog(ctx: Context, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """One page of the change log, newest first; the client checks each filter against the schema."""
    if load_schema().get(CHANGE) is None:  # a NetBox (or a schema read of it) without the change log
        raise Limitation("this NetBox's schema has no change log (/api/core/object-changes/)",
                         "Read the change log in NetBox's web UI (Other → Change Log), or ask about objects.")
    page = [("limit", str(READ_CAP)), ("ordering", "-time")]
    data = await ctx.client.request_json("GET", model_of(CHANGE).path, pairs + page, use_cache=False)
    rows = data.get("results", []) if isinstance(data, dict) else []
    if isinstance(data, dict) and data.get("next"):
        ctx.note(f"only the newest {READ_CAP:,} of {data.get('count', 0):,} changes were read")
    return [r for r in rows if isinstance(r, dict)]


def _unanswerable(exc: NetBoxError) -> bool:
    """A snapshot (the embedded demo too) without a change log (no snapshot saves it: the emulator says
    the endpoint is not in it), or whose emulator refuses a filter it does not implement (it never
    ignores one)."""
    return exc.kind == "not_found" or exc.kind == "bad_filter" and "snapshot backend" in exc.message


def _unavailable(ctx: Context, exc: NetBoxError, what: str) -> list[dict[str, Any]]:
    """An empty answer that says why: no change log in this data, or a filter the snapshot cannot apply."""
    if exc.kind == "not_found" or "(not in this snapshot)" in exc.message:
        ctx.note(f"this data holds no {what}", partial=False)
    else:
        ctx.note(f"the {what} could not be read from this data: {exc.message}")
    return []


def plan_changes(intent: Intent) -> Plan:
    resolves = _resolve_steps(intent)

    async def fetch(ctx: Context) -> Any:
        pairs = _params(ctx, "changes")
        refs = [(c, r) for c in _refs(ctx.intent) for r in c.resolved]
        try:
            if not refs:
                return [(r, None) for r in await _changelog(ctx, pairs)]
            asks = []
            for c, r in refs:
                asks.append(
                    _changelog(
                        ctx, pairs + [("changed_object_type", r.model), ("changed_object_id", str(r.id))]
                    )
                )
                asks.append(
                    _changelog(
                        ctx, pairs + [("related_object_type", r.model), ("related_object_id", str(r.id))]
                    )
                )
                ctx.applied.append(
                    Applied(
                        field="object",
                        op="=",
                        value=r.label,
                        text=c.text,
                        filter=f"changed_object_type={r.model}&changed_object_id={r.id}; "
                        f"related_object_type={r.model}&related_object_id={r.id}",
                    )
                )
            got = await ctx.client.gather(asks)
        except NetBoxError as exc:
            if not _unanswerable(exc):
                raise
            return [(r, None) for r in _unavailable(ctx, exc, "change log")]
        seen: dict[int, tuple[dict[str, Any], Optional[str]]] = {}
        for (c, r), own, related in zip(refs, got[::2], got[1::2], strict=True):
            for row in own:
                seen.setdefault(row["id"], (row, None))
            for row in related:
                seen.setdefault(row["id"], (row, r.label))
        return sorted(seen.values(), key=lambda p: str(p[0].get("time")), reverse=True)

    def finish(ctx: Context) -> Outcome:
        found = ctx.results["fetch"]
        asked = list(ctx.intent.attributes)
        rows = [change_row(row, via, asked) for row, via in found]
        if asked:
            rows = [r for r in rows if r["fields"] != EMPTY]
        cols = _columns(CHANGE)
        where = _where(ctx)
        table = local_table(ctx, f"changes:{id(ctx)}", CHANGE, "Changes" + where, rows, cols)
        if not rows:
            return Outcome(f"No changes{where}.", [table], [])
        users = sorted({r["user"] for r in rows})
        text = f"{len(rows):,} change{'s' if len(rows) != 1 else ''}{where}"
        if not ctx.intent.condition("user_name"):
            text += ", by " + ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
        if asked and rows:
            last = rows[0]
            text += f"; latest: {last['fields']} ({last['time']}, {last['user']})"
        text += f"; {page_text(table)}."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    deps = tuple(s.name for s in resolves)
    return Plan(
        "multi_step" if resolves else "direct",
        resolves + [Step("fetch", "read the change log (changed or related object)", fetch, deps=deps)],
        finish,
    )


# What each column of a change or journal row is called; vocab.toml's models."core.objectchange" and
# models."extras.journalentry" `columns` say which are shown, in which order.
_TITLES = {
    "time": "Time (UTC)",
    "user": "User",
    "action": "Action",
    "object": "Object",
    "fields": "Fields changed (before → after)",
    "created": "Created (UTC)",
    "author": "Author",
    "kind": "Kind",
    "comments": "Comments",
}


def _columns(model: str) -> list[Column]:
    from netbox_tui.schema.vocab import load as load_vocab

    return [Column(key=k, title=_TITLES[k]) for k in load_vocab().model(model).columns if k in _TITLES]


def _where(ctx: Context) -> str:
    parts = []
    for a in ctx.applied:
        if a.field == "object":
            parts.append(f"on {a.value}")
        elif a.field in ("user", "author"):
            parts.append(f"by {a.value}")
        elif a.field in ("time", "created"):
            parts.append(f"{'since' if a.op == '≥' else 'before'} {a.value}")
        elif a.field in ("changed_object_type", "assigned_object_type"):
            parts.append(f"to {noun(a.value)}")
        elif a.field == "action":
            parts.append(f"({a.value})")
        elif a.field == "kind":
            parts.append(f"of kind {a.value}")
    return (" " + " ".join(parts)) if parts else ""


def change_row(row: dict[str, Any], via: Optional[str], asked: list[str]) -> dict[str, Any]:
    """A change-log row: time, user, action, object (and the object it relates to), fields pre → post."""
    obj = row.get("changed_object") or {}
    kind = str(row.get("changed_object_type") or "").split(".")[-1]
    label = safe_text(
        str(
            obj.get("display")
            if isinstance(obj, dict) and obj.get("display")
            else row.get("object_repr") or ""
        )
    )
    shown = f"{kind} {label}".strip() + (f" (of {via})" if via else "")
    return {
        "id": row.get("id"),
        "display": safe_text(str(row.get("display") or label)),
        "time": _when(row.get("time")),
        "user": safe_text(str(row.get("user_name") or EMPTY)),
        "action": cell(row.get("action")),
        "object": shown,
        "fields": diff_words(row.get("prechange_data"), row.get("postchange_data"), asked),
    }


def _when(value: Any) -> str:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return cell(value)


def diff_words(pre: Any, post: Any, only: Optional[list[str]] = None, most: int = 3) -> str:
    """'comments: “a” → “b”; status: active → offline; +2 more'. Only fields that differ; a creation or
    deletion has one side only, said as its fields being set or gone."""
    pre, post = _flat(pre), _flat(post)
    keys = [
        k
        for k in dict.fromkeys(list(pre) + list(post))
        if k not in _NOISE
        and not k.endswith("_count")
        and pre.get(k) != post.get(k)
        and (not only or k in only)
    ]
    if not keys:
        return EMPTY
    if not pre or not post:  # created or deleted: which fields it had, not each value
        return (
            ("set " if post else "removed ")
            + ", ".join(keys[:most])
            + (f" +{len(keys) - most} more" if len(keys) > most else "")
        )
    width = 100 if only else 40  # a field asked about is said whole enough to see the difference
    parts = [f"{k}: {_short(pre.get(k), width)} → {_short(post.get(k), width)}" for k in keys[:most]]
    return "; ".join(parts) + (f"; +{len(keys) - most} more" if len(keys) > most else "")


def _flat(data: Any) -> dict[str, Any]:
    """Custom fields are one nested object in the log: each is a field of its own (`cf.support_tier`)."""
    if not isinstance(data, dict):
        return {}
    out = {k: v for k, v in data.items() if k != "custom_fields"}
    out.update({f"cf.{k}": v for k, v in (data.get("custom_fields") or {}).items()})
    return out


def _short(value: Any, width: int = 40) -> str:
    if value in (None, "", [], {}):
        return EMPTY
    text = safe_text(str(value) if not isinstance(value, str) else f"“{value}”")
    return text if len(text) <= width else text[: width - 1] + "…"


# -- the journal ----------------------------------------------------------------------------------------


def plan_journal(intent: Intent) -> Plan:
    resolves = _resolve_steps(intent)
    m = model_of(JOURNAL)

    async def fetch(ctx: Context) -> Any:
        pairs = _params(ctx, "journal")
        refs = [(c, r) for c in _refs(ctx.intent) for r in c.resolved]
        try:
            if refs:
                asks = []
                for c, r in refs:
                    asks.append(
                        ctx.client.list_all(
                            m.path,
                            pairs + [("assigned_object_type", r.model), ("assigned_object_id", r.id)],
                            page_size=READ_CAP,
                            cap=READ_CAP,
                            use_cache=False,
                        )
                    )
                    ctx.applied.append(
                        Applied(
                            field="object",
                            op="=",
                            value=r.label,
                            text=c.text,
                            filter=f"assigned_object_type={r.model}&assigned_object_id={r.id}",
                        )
                    )
                entries = [e for rows in await ctx.client.gather(asks) for e in rows]
            else:
                entries = list(
                    await ctx.client.list_all(
                        m.path, pairs, page_size=READ_CAP, cap=READ_CAP, use_cache=False
                    )
                )
        except NetBoxError as exc:
            if not _unanswerable(exc):
                raise
            return _unavailable(ctx, exc, "journal entries"), {}
        return entries, await _authors(ctx, entries)

    def finish(ctx: Context) -> Outcome:
        entries, authors = ctx.results["fetch"]
        rows = []
        for e in sorted(entries, key=lambda e: str(e.get("created")), reverse=True):
            obj = e.get("assigned_object") or {}
            rows.append(
                {
                    "id": e.get("id"),
                    "display": safe_text(str(e.get("display") or e.get("id"))),
                    "created": _when(e.get("created")),
                    "author": authors.get(e.get("id")) or f"user #{e.get('created_by')}",
                    "kind": cell(e.get("kind")),
                    "object": cell(obj) if obj else EMPTY,
                    "comments": _short(e.get("comments"), 120).strip("“”"),
                }
            )
        cols = _columns(JOURNAL)
        where = _where(ctx)
        table = local_table(ctx, f"journal:{id(ctx)}", JOURNAL, "Journal entries" + where, rows, cols)
        if not rows:
            return Outcome(f"No journal entries{where}.", [table], [])
        text = f"{len(rows):,} journal entr{'ies' if len(rows) != 1 else 'y'}{where}; {page_text(table)}."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    deps = tuple(s.name for s in resolves)
    return Plan(
        "multi_step" if resolves else "direct",
        resolves
        + [
            Step(
                "fetch", "read the journal entries, then their authors from the change log", fetch, deps=deps
            )
        ],
        finish,
    )


async def _authors(ctx: Context, entries: list[dict[str, Any]]) -> dict[Any, str]:
    """Entry id -> who wrote it: the change log's creation row of each entry (one request)."""
    ids = [e["id"] for e in entries if e.get("id") is not None][:200]
    if not ids:
        return {}
    pairs = [("changed_object_type", JOURNAL), ("action", "create")] + [
        ("changed_object_id", str(i)) for i in ids
    ]
    try:
        rows = await _changelog(ctx, pairs)
    except (NetBoxError, Limitation):  # authors stay user ids: the entries are still the answer
        return {}
    return {
        r.get("changed_object_id"): safe_text(str(r.get("user_name"))) for r in rows if r.get("user_name")
    }
