"""Word-level text helpers shared by the parser, the name index and the resolver."""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

_IRREGULAR = {
    "addresses": "address",
    "prefixes": "prefix",
    "indices": "index",
    "statuses": "status",
    "aliases": "alias",
    "gear": "gear",
    "equipment": "equipment",
    "series": "series",
    "chassis": "chassis",
    "bus": "bus",
    "vms": "vm",
    "ips": "ip",
    "os": "os",
    "dns": "dns",
    "this": "this",
    "has": "has",
    "was": "was",
    "is": "is",
    "its": "its",
    "us": "us",
    "yes": "yes",
    "gas": "gas",
    "plus": "plus",
    "campus": "campus",
    "status": "status",
    "thus": "thus",
    "lens": "lens",
    "less": "less",
    "ssh": "ssh",
}


def singular(word: str) -> str:
    """English plural -> singular, for matching only ("switches" -> "switch", "boxes" -> "box")."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    # A name with digits is not a plural ("sw01s"), unless its last word is ("L2VPNs").
    if (
        len(w) <= 3
        or not w.endswith("s")
        or w.endswith(("ss", "is"))
        or any(c.isdigit() for c in w)
        and not re.search(r"\d[a-z]{2,}s$", w)
    ):
        return w
    for suffix, repl in (("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("ies", "y"), ("ses", "s")):
        if w.endswith(suffix) and len(w) > len(suffix) + 1:
            return w[: -len(suffix)] + repl
    return w[:-1]


def norm(text: str) -> str:
    """Letters and digits only, lower case: 'DM-Akron' -> 'dmakron'."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def words(text: str) -> list[str]:
    """Letter runs and digit runs: 'dmi01-akron-rtr01' -> ['dmi', '01', 'akron', 'rtr', '01']."""
    return re.findall(r"[a-z]+|\d+", text.lower())


def norm_words(text: str) -> str:
    """`norm` with each letter word made singular: 'Distribution Switches' = 'distribution switch'."""
    return "".join(singular(w) if w.isalpha() else w for w in words(text))


def score(query: str, name: str, slug: str = "") -> float:
    """0-100, word by word: every word typed must match a word of the name.

    Whole-string similarity would take "hartford" for "DM-Stamford" (they share "dm" and "ford");
    per word, "hartford" vs "stamford" scores 62 and is refused. Digit groups must agree exactly
    (R105 is not R106; JBB Branch 120 is not 104). 100 is kept for the exact name: "DM-Nashua"
    must beat "DM-Nashua 2", whose words all match too.
    """
    q = norm(query)
    if not q:
        return 0.0
    if q in (norm(name), norm(slug)) or norm_words(query) == norm_words(name):
        return 100.0
    q_words = words(query)
    n_words = words(name) + words(slug)
    letters = [w for w in n_words if not w.isdigit()]
    if not q_words or not n_words:
        return 0.0
    per = []
    for qw in q_words:
        if qw.isdigit():
            per.append(100.0 if qw in n_words else 0.0)
        else:
            typed = {qw, singular(qw)}  # "routres" is a typo of the plural of "Router"
            best = 0.0
            for t in typed:
                for nw in letters:
                    sim = typo_score(t, nw)
                    if sim > 60.0 and t[:1] != nw[:1] and t[:2] != nw[1::-1]:
                        # A typo seldom hits a name's first letter, while an ordinary word often ends like
                        # one ("newest" is no "West" Virginia): held below a match.
                        sim = 60.0
                    best = max(best, sim)
            per.append(best)
    worst = min(per)
    # One badly matched word sinks the match: "dmi01-hartford-rtr01" is not "dmi01-stamford-rtr01".
    wordwise = worst if worst < 70 else worst * 0.7 + (sum(per) / len(per)) * 0.3
    joined = 0.0
    if len(q_words) == 1:  # typed without separators: "dmakron"; as for a word, "brouter" is no "Router"
        whole = norm(name)
        joined = fuzz.ratio(q, whole) if q[:1] == whole[:1] else min(fuzz.ratio(q, whole), 60.0)
    return min(max(wordwise, joined), 99.0)


def rank(query: str, name: str, sc: float) -> tuple[float, float, str]:
    """Sort key, best first: the score, then the likeness of the whole name, so that among names
    that fail alike ("sw03" matches no digit group) dmi01-akron-sw01 comes before dmi01-akron-pdu01."""
    return (-sc, -fuzz.ratio(norm(query), norm(name)), name)


def typo_score(typed: str, word: str, *, score_cutoff: float | None = 0) -> float:
    """0-100: how close a typed word is to a known one, two swapped letters counting as one typo
    ("routres", "tpyes", "devcie"), which the Indel ratio alone counts as two."""
    sim = max(fuzz.ratio(typed, word), OSA.normalized_similarity(typed, word) * 100)
    return sim if score_cutoff is None or sim >= score_cutoff else 0.0

