"""Time words of a question ("today", "this week", "last 3 days", "since Monday", "in November",
"since 2026-11-02", "since 1 dec 2026", "before Dec 1st, 2026", "before december 2026", "in 2026",
"between dec 1 and dec 5 2026") -> a
span of absolute UTC times, and which words said it. A day or month without a year is the last one
passed; with a year, that one.

A small function rather than `dateparser`: measured here, dateparser takes 0.15–0.25 s to import and
0.25–0.5 s for its first parses, and it answers points, not spans ("today" is now, "November" is
November 7th, "last week" is now minus 7 days), so the spans would be built here anyway. Weeks start
on Monday (ISO); days are UTC days, as NetBox's change log stores its times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Optional

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_OF = (  # a month's name or its abbreviation -> its number (also read by core/customfields.py)
    {m: i + 1 for i, m in enumerate(MONTHS)} | {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
)
_UNITS = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fourteen": 14,
    "thirty": 30,
    "a": 1,
    "an": 1,
}


@dataclass(frozen=True)
class Span:
    """[after, before) in UTC; either end may be open. `start`/`end`: the word indices it came from."""

    after: Optional[datetime]
    before: Optional[datetime]
    start: int
    end: int

    def words(self) -> str:
        def iso(t: datetime) -> str:
            return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

        if self.after and self.before:
            return f"{iso(self.after)} to {iso(self.before)}"
        return (
            f"since {iso(self.after)}" if self.after else f"before {iso(self.before)}" if self.before else ""
        )


def _day(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=timezone.utc)


def _month_start(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=timezone.utc)


def _next_month(t: datetime) -> datetime:
    return _month_start(t.year + (t.month == 12), t.month % 12 + 1)


def _number(word: str) -> Optional[int]:
    return int(word) if word.isdigit() and len(word) <= 4 else _NUMBER_WORDS.get(word)


def _unit(word: str) -> Optional[timedelta]:
    return _UNITS.get(word[:-1] if word.endswith("s") else word)


def _day_of_month(word: str) -> Optional[int]:
    """ "3", "3rd", "21st" -> the day of a month, else None."""
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", word)
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 31 else None


def _year(word: str) -> Optional[int]:
    """A year as questions write one (1990-2099), else None: "VLAN 200" names no year."""
    return int(word) if re.fullmatch(r"(?:199\d|20\d\d)", word) else None


def _date_at(words: list[str], i: int, now: datetime) -> Optional[tuple[datetime, int, str]]:
    """A day named from word i: (its start, words used, "day", "month" or "year"). 2026-11-02, Monday,
    yesterday, November 3, 3 November, Nov 3rd 2026, November (the month), December 2026, 2026 (the
    year: only here, after a word that says a time)."""
    if i >= len(words):
        return None
    w = words[i]
    today = now.date()
    if w in ("today", "yesterday"):
        return _day(today - timedelta(days=w == "yesterday")), 1, "day"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", w):
        try:
            return _day(date.fromisoformat(w)), 1, "day"
        except ValueError:
            return None
    if w in WEEKDAYS:  # the last such day, today included ("since Monday" on a Monday: today)
        back = (today.weekday() - WEEKDAYS.index(w)) % 7
        return _day(today - timedelta(days=back)), 1, "day"
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w in ("last", "previous", "past") and nxt in WEEKDAYS:  # "since last Friday": before today
        back = (today.weekday() - WEEKDAYS.index(nxt)) % 7 or 7
        return _day(today - timedelta(days=back)), 2, "day"
    if _year(w) is not None:
        return datetime(_year(w), 1, 1, tzinfo=timezone.utc), 1, "year"  # type: ignore[arg-type]
    month = MONTH_OF.get(w.rstrip("."))
    prev_day = _day_of_month(w) is not None and MONTH_OF.get(nxt.rstrip("."))
    if prev_day:  # "3 November"
        month, day_n, used = MONTH_OF[nxt.rstrip(".")], _day_of_month(w), 2
    elif month and _day_of_month(nxt) is not None:  # "November 3"
        day_n, used = _day_of_month(nxt), 2
    elif month:
        year = _year(nxt)
        if year is not None:  # "December 2026": that month
            return _month_start(year, month), 2, "month"
        start = _month_start(now.year, month)
        if start > now:  # "in November" said in March: last year's
            start = _month_start(now.year - 1, month)
        return start, 1, "month"
    else:
        return None
    year = _year(words[i + used]) if i + used < len(words) else None  # "1 dec 2026", "dec 1, 2026"
    try:
        d = date(year or now.year, month, day_n or 0)
    except ValueError:
        return None
    if year is not None:
        return _day(d), used + 1, "day"
    if d > today:
        d = d.replace(year=d.year - 1)
    return _day(d), used, "day"


def _end(start: datetime, size: str) -> datetime:
    """One past the period that starts at `start`."""
    if size == "year":
        return start.replace(year=start.year + 1)
    return _next_month(start) if size == "month" else start + timedelta(days=1)


def _between(words: list[str], i: int, now: datetime) -> Optional[Span]:
    """ "between dec 1 and dec 5 2026", "from monday to wednesday": the first period's start to the end of
    the second (both included), or None."""
    first = _date_at(words, i + 1, now)
    if first is None:
        return None
    j = i + 1 + first[1]
    if j >= len(words) or words[j] not in ("and", "to", "until", "till", "through"):
        return None
    second = _date_at(words, j + 1, now)
    if second is None:
        return None
    return Span(first[0], _end(second[0], second[2]), i, j + 1 + second[1])


def find_span(words: list[str], now: Optional[datetime] = None) -> Optional[Span]:
    """The first time phrase among lower-case `words`, or None. `now` is UTC (fixed in tests)."""
    now = now or datetime.now(timezone.utc)
    today = _day(now.date())
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w == "today":
            return Span(today, None, i, i + 1)
        if w == "yesterday":
            return Span(today - timedelta(days=1), today, i, i + 1)
        if w in ("this", "last", "past", "previous") and nxt in ("week", "month", "year"):
            if nxt == "week":
                start = today - timedelta(days=today.weekday())
                end = start + timedelta(weeks=1)
            elif nxt == "month":
                start = _month_start(now.year, now.month)
                end = _next_month(start)
            else:
                start, end = (
                    datetime(now.year, 1, 1, tzinfo=timezone.utc),
                    datetime(now.year + 1, 1, 1, tzinfo=timezone.utc),
                )
            if w == "this":
                return Span(start, None, i, i + 2)
            if nxt == "week":
                return Span(start - timedelta(weeks=1), start, i, i + 2)
            if nxt == "month":
                prev = _month_start(now.year - (now.month == 1), (now.month - 2) % 12 + 1)
                return Span(prev, start, i, i + 2)
            return Span(start.replace(year=now.year - 1), start, i, i + 2)
        if (
            w in ("last", "past", "previous")
            and _number(nxt) is not None
            and i + 2 < len(words)
            and _unit(words[i + 2])
        ):
            return Span(now - _number(nxt) * _unit(words[i + 2]), None, i, i + 3)  # type: ignore[operator]
        if w in ("last", "past") and _unit(nxt) is not None and nxt.rstrip("s") in ("hour", "day", "minute"):
            return Span(now - _unit(nxt), None, i, i + 2)  # type: ignore[operator]  # "in the last hour"
        if (
            _number(w) is not None
            and w not in ("a", "an")
            and _unit(nxt)
            and i + 2 < len(words)
            and words[i + 2] == "ago"
        ):
            t = now - _number(w) * _unit(nxt)  # type: ignore[operator]
            return Span(
                _day(t.date()), _day(t.date()) + timedelta(days=1), i, i + 3
            )  # "3 days ago": that day
        if w in ("between", "from"):
            both = _between(words, i, now)
            if both is not None:
                return both
        if w in ("since", "after", "from", "before", "until", "on", "in", "during"):
            found = _date_at(words, i + 1, now)
            if found is None:
                continue
            start, used, size = found
            end = _end(start, size)
            j = i + 1 + used
            if w in ("since", "from"):
                return Span(start, None, i, j)
            if w == "after":
                return Span(end, None, i, j)
            if w in ("before", "until"):
                return Span(None, start, i, j)
            if w == "in" and size == "day":
                continue  # "in 2026-11-02" is not said; "in November", "in 2026" are
            return Span(start, end, i, j)  # "on Monday", "in November", "during November"
        last_day = w in ("last", "previous") and nxt in WEEKDAYS
        bare = w in WEEKDAYS or re.fullmatch(r"\d{4}-\d{2}-\d{2}", w) or last_day
        found = _date_at(words, i, now) if bare else None
        if found is not None:  # a bare day: "what changed Monday", "last Friday"
            start, used, _ = found
            return Span(start, start + timedelta(days=1), i, i + used)
    return None
