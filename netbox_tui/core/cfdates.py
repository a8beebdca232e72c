"""The periods a date custom field is compared with ("warranty ending in 2026", "before June 30 2028",
"within the next 90 days", "by the end of next year"): a day, a month, a year, or a span from today, as
[start, end) dates. Words of English only; how a comparison bounds the period is the vocabulary's
([custom_fields.date_bounds]), read by core/customfields.py."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Optional

from netbox_tui.core.timewords import MONTH_OF

Period = tuple[date, date, int]  # [start, end) and the index of the word after it
RELATIVE = {"this": 0, "next": 1, "last": -1, "past": -1, "coming": 1}
UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 0, "months": 0, "year": 0, "years": 0}


def today_utc() -> date:
    return datetime.now(timezone.utc).date()


def period(words: list[str], i: int, today: Optional[date] = None) -> Optional[Period]:
    """The day, month or year named from word i: [start, end) and the word after. 2027-03-31, 2027-03,
    2027, June 2028, June 30 2028, 30 June 2028, June 30 (this year), this/next/last year or month, today,
    the next 90 days, 6 months ("within 6 months": from today), the end of 2027 (its last day)."""
    today = today or today_utc()
    while i < len(words) and words[i] in ("the", "a"):
        i += 1
    if i >= len(words):
        return None
    w = words[i].rstrip(",")
    if w in ("end", "start", "beginning") and i + 1 < len(words) and words[i + 1] == "of":
        return _edge(words, i, today)
    return _relative(words, i, today) or _absolute(words, i, today)


def _edge(words: list[str], i: int, today: date) -> Optional[Period]:
    """'the end of 2027': its last day; 'the start of June': its first."""
    inner = period(words, i + 2, today)
    if inner is None:
        return None
    start, end, j = inner
    day = end - timedelta(days=1) if words[i] == "end" else start
    return day, day + timedelta(days=1), j


def _relative(words: list[str], i: int, today: date) -> Optional[Period]:
    """this/next/last year or month, today, (the) next N days/weeks/months/years, N months from today."""
    w = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w == "today":
        return today, today + timedelta(days=1), i + 1
    if w in RELATIVE and nxt in ("year", "month"):
        shift = RELATIVE[w]
        if nxt == "year":
            return date(today.year + shift, 1, 1), date(today.year + shift + 1, 1, 1), i + 2
        y, m = _add_months(today.year, today.month, shift)
        return date(y, m, 1), _month_after(y, m), i + 2
    ahead = RELATIVE.get(w, 1) if w in RELATIVE else None
    k = i + 1 if ahead is not None else i
    if k + 1 < len(words) and words[k].isdigit() and words[k + 1] in UNITS and ahead != 0:
        n = int(words[k]) * (ahead if ahead is not None else 1)
        other = _shift(today, n, words[k + 1])
        return (min(today, other), max(today, other) + timedelta(days=n < 0), k + 2) if n else None
    return None


def _shift(d: date, n: int, unit: str) -> date:
    if UNITS[unit]:
        return d + timedelta(days=n * UNITS[unit])
    months = n * (12 if unit.startswith("year") else 1)
    y, m = _add_months(d.year, d.month, months)
    return date(y, m, min(d.day, (_month_after(y, m) - timedelta(days=1)).day))


def _absolute(words: list[str], i: int, today: date) -> Optional[Period]:
    w = words[i].rstrip(",")
    nxt = [x.rstrip(",") for x in words[i + 1 : i + 3]] + ["", ""]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", w):
            d = date.fromisoformat(w)
            return d, d + timedelta(days=1), i + 1
        if re.fullmatch(r"\d{4}-\d{2}", w):
            y, m = int(w[:4]), int(w[5:])
            return date(y, m, 1), _month_after(y, m), i + 1
        if re.fullmatch(r"(19|20|21)\d{2}", w):
            return date(int(w), 1, 1), date(int(w) + 1, 1, 1), i + 1
        month, day, used = MONTH_OF.get(w), None, 1
        if month is None and w.isdigit() and MONTH_OF.get(nxt[0]):  # "30 June 2028"
            month, day, used = MONTH_OF[nxt[0]], int(w), 2
        elif month is not None and re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", nxt[0]):  # "June 30 2028"
            day, used = int(re.sub(r"\D", "", nxt[0])), 2
        if month is None:
            return None
        rest = words[i + used].rstrip(",") if i + used < len(words) else ""
        year = int(rest) if re.fullmatch(r"(19|20|21)\d{2}", rest) else None
        used += year is not None
        year = year or today.year
        if day is None:
            return date(year, month, 1), _month_after(year, month), i + used
        d = date(year, month, day)
        return d, d + timedelta(days=1), i + used
    except ValueError:
        return None


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _month_after(y: int, m: int) -> date:
    return date(y + (m == 12), m % 12 + 1, 1)
