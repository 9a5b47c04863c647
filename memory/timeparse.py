"""Time expressions -> UTC `TimeRange`s, relative to a reference time (the mention time).

Pure and deterministic. Our own regex layer reads what dateparser cannot ("last October",
"mid-October", "early 2025", "Q3 2025", seasons, "the week of ...", "since March",
"two weeks before the launch"); dateparser reads whole phrases our layer does not know
(`parse_time_expression` only, never per sentence). Ranges are half-open at the phrase's
granularity: a day -> [00:00, next 00:00), a month -> [1st, next 1st), and so on.

Events ("before the reorg") are resolved through an `event_lookup(name) -> TimeRange | None`
callback the caller supplies; `name` is the noun phrase without a leading article
("reorg", "Berlin offsite").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from memory.models import TimeRange

__all__ = [
    "EventLookup",
    "Span",
    "parse_time_expression",
    "find_time_expressions",
    "query_time_range",
    "has_time_word",
]

EventLookup = Callable[[str], TimeRange | None]
Span = tuple[int, int]
_F = re.IGNORECASE

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3, "several": 4,
}  # fmt: skip
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}  # start month

_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_NUM = r"(?:\d{1,3}|a couple of|a couple|couple of|a few|few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(?:day|week|month|year|fortnight)s?"
_YEAR = r"(?:19|20)\d\d"
_DAYN = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_REL = r"(?:last|this|next|past|previous|coming)"
_CTX = r"(?:in|on|during|since|until|till|by|before|after|from|through|to|of|early|mid|late|around|about|circa|between|and|or|the|for|over|throughout)"

# Cheap prefilter: if this does not match, the text has no time expression we read.
_PREFILTER = re.compile(
    r"\d|\b(?:yesterday|today|tonight|tomorrow|ago|last|this|next|past|previous|week|weekend|"
    r"month|year|quarter|spring|summer|fall|autumn|winter|since|before|after|until|"
    r"morning|night|" + _MON[3:-4] + r"|" + "|".join(_WEEKDAYS) + r")\b",
    _F,
)


def has_time_word(text: str) -> bool:
    """True when `text` may hold a time expression (a cheap regex prefilter)."""
    return _PREFILTER.search(text) is not None


# ---------------------------------------------------------------- calendar arithmetic


def _utc(ref: datetime) -> datetime:
    return ref.replace(tzinfo=UTC) if ref.tzinfo is None else ref.astimezone(UTC)


def _day(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=UTC)


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _months(y: int, m: int, n: int = 1) -> TimeRange:
    y2, m2 = _add_months(y, m, n)
    return TimeRange(_day(y, m, 1), _day(y2, m2, 1))


def _midnight(d: datetime) -> datetime:
    return d.replace(hour=0, minute=0, second=0, microsecond=0)


def _days(d: datetime, n: int = 1) -> TimeRange:
    s = _midnight(d)
    return TimeRange(s, s + timedelta(days=n))


def _week(d: datetime) -> TimeRange:
    return _days(d - timedelta(days=d.weekday()), 7)


def _year(y: int) -> TimeRange:
    return TimeRange(_day(y, 1, 1), _day(y + 1, 1, 1))


def _past_month(ref: datetime, month: int, strict: bool) -> int:
    """Year of the most recent `month` at or before ref's month (strictly before if `strict`)."""
    y = ref.year if (month < ref.month or (month == ref.month and not strict)) else ref.year - 1
    return y


def _unit_range(ref: datetime, unit: str, n: int) -> TimeRange:
    """The calendar unit that lies `n` units before ref (n may be negative: future)."""
    unit = unit.rstrip("s")
    if unit == "day":
        return _days(ref - timedelta(days=n))
    if unit == "week":
        return _week(ref - timedelta(days=7 * n))
    if unit == "fortnight":
        return _days(ref - timedelta(days=14 * n) - timedelta(days=3), 7)
    if unit == "month":
        return _months(*_add_months(ref.year, ref.month, -n))
    return _year(ref.year - n)


def _shift(r: TimeRange, unit: str, n: int) -> TimeRange:
    """A window of one `unit` centred `n` units after r.start (negative n: before)."""
    anchor = r.start or r.end
    assert anchor is not None
    unit = unit.rstrip("s")
    if unit == "month":
        y, m = _add_months(anchor.year, anchor.month, n)
        return _days(_day(y, m, min(anchor.day, 28)) - timedelta(days=14), 28)
    if unit == "year":
        return _days(
            anchor.replace(year=anchor.year + n, day=min(anchor.day, 28)) - timedelta(183), 366
        )
    size = {"day": 1, "week": 7, "fortnight": 14}[unit]
    centre = anchor + timedelta(days=size * n)
    return _days(centre - timedelta(days=size // 2), max(size, 1))


def _num(word: str) -> int:
    w = " ".join(word.lower().split())
    return int(w) if w.isdigit() else _NUMBERS[w]


def _month_of(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _month_ok(word: str) -> bool:
    """Reject lowercase 'may'/'march'/abbreviations (modal verb, verb, names)."""
    w = word.rstrip(".")
    return w[0].isupper() or (len(w) > 3 and w.lower() not in ("may", "march"))


# ---------------------------------------------------------------- base rules

Rule = Callable[[re.Match[str], datetime, str], TimeRange | None]


def _iso(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    y, mo, d = int(m["y"]), int(m["mo"]), m["d"]
    if not 1 <= mo <= 12:
        return None
    if d is None:
        return _months(y, mo)
    try:
        start = _day(y, mo, int(d))
    except ValueError:
        return None
    if m["h"]:
        t = start.replace(hour=int(m["h"]), minute=int(m["mi"]))
        return TimeRange(t, t + timedelta(minutes=1))
    return _days(start)


# A date written without its year points back in time ("the outage on March 3") unless the words
# before it in the same clause look ahead: a due date, a deadline, a plan, a future tense. Then it
# is the next such date on or after the reference time (a note dated 2025-03-03 saying "due on
# April 18" means 2025-04-18, not 2024-04-18).
_LOOKS_AHEAD = re.compile(
    r"\b(?:due|deadlines?|scheduled|planned|plans?|expected|targets?|targeting|will|shall|"
    r"going\s+to|upcoming|launch(?:es|ing)?|kick(?:s|ing)?\s+off)\b|'ll\b|"
    r"\b(?:moved|pushed|postponed|rescheduled|slipped|delayed)\s+(?:back\s+)?(?:to|until)\s+(?:on\s+)?$",
    _F,
)


def _looks_ahead(text: str, pos: int) -> bool:
    before = text[max(0, pos - 80) : pos]
    clause = re.split(r"[.;!?\n]\s", before)[-1]
    return _LOOKS_AHEAD.search(clause) is not None


def _dmy(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    if not _month_ok(m["mon"]):
        return None
    mo, d = _month_of(m["mon"]), int(re.sub(r"\D", "", m["d"]))
    y = int(m["y"]) if m["y"] else None
    try:
        if y is None:
            y = ref.year
            if _looks_ahead(text, m.start()):
                if _day(y, mo, d) < _midnight(ref):
                    y += 1
            elif _day(y, mo, d) > ref:
                y -= 1
        return _days(_day(y, mo, d))
    except ValueError:
        return None


def _month_year(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    return _months(int(m["y"]), _month_of(m["mon"])) if _month_ok(m["mon"]) else None


def _rel_month(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    mod = "last year" if m["mon2"] else m["mod"].lower()
    mon = m["mon"] or m["mon2"]
    if not _month_ok(mon):
        return None
    mo = _month_of(mon)
    if mod in ("last", "past", "previous"):
        y = _past_month(ref, mo, strict=True)
    elif mod == "this":
        y = ref.year
    elif mod in ("next", "coming"):
        y = ref.year if mo > ref.month else ref.year + 1
    else:  # "<month> last year"
        y = ref.year - 1
    return _months(y, mo)


def _bare_month(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    if not _month_ok(m["mon"]) or not _context_before(text, m.start()):
        return None
    mo = _month_of(m["mon"])
    if _looks_ahead(text, m.start()):
        return _months(ref.year if mo >= ref.month else ref.year + 1, mo)
    return _months(_past_month(ref, mo, strict=False), mo)


def _bare_year(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    return _year(int(m["y"])) if _context_before(text, m.start(), years=True) else None


def _quarter(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    q = int(m["q"]) if m["q"] else _ORDINALS[m["ord"].lower()]
    if m["y"]:
        y = int(m["y"])
    elif m["fy"]:
        y = 2000 + int(m["fy"])
    else:
        y = ref.year if (q - 1) * 3 + 1 <= ref.month else ref.year - 1
    return _months(y, (q - 1) * 3 + 1, 3)


def _rel_quarter(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    mod = m["mod"].lower()
    n = {"this": 0, "next": -1, "coming": -1}.get(mod, 1)
    qstart = (ref.month - 1) // 3 * 3 + 1
    return _months(*_add_months(ref.year, qstart, -3 * n), 3)


def _season(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    mod, y = (m["mod"] or "").lower(), m["y"]
    sm = _SEASONS[m["s"].lower()]
    if y:
        return _months(int(y), sm, 3)
    if not mod and not _context_before(text, m.start(), seasons=True):
        return None
    latest = ref.year if _day(ref.year, sm, 1) <= ref else ref.year - 1  # latest start <= ref
    current = _months(latest, sm, 3)
    if mod in ("last", "past", "previous"):
        return current if current.end and current.end <= ref else _months(latest - 1, sm, 3)
    if mod in ("next", "coming"):
        return _months(latest + 1, sm, 3)
    if mod == "this" and not current.contains(ref):
        return _months(ref.year, sm, 3)
    return current


def _ago(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    return _unit_range(ref, m["u"].lower(), _num(m["n"]))


def _rel_unit(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    mod, unit = m["mod"].lower(), m["u"].lower()
    if unit == "weekend":
        sat = ref - timedelta(days=(ref.weekday() - 5) % 7)
        if mod in ("last", "past", "previous") and ref.weekday() >= 5:
            sat -= timedelta(days=7)
        if mod in ("next", "coming"):
            sat += timedelta(days=7)
        return _days(sat, 2)
    if mod in ("past",) and m["the"]:  # "the past week" = the last 7 days
        return _trailing(ref, unit, 1)
    return _unit_range(ref, unit, {"this": 0, "next": -1, "coming": -1}.get(mod, 1))


def _trailing(ref: datetime, unit: str, n: int) -> TimeRange:
    days = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}[unit.rstrip("s")]
    return TimeRange(ref - timedelta(days=days * n), ref)


def _last_n(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    return _trailing(ref, m["u"].lower(), _num(m["n"]))


def _word_day(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    w = " ".join(m[0].lower().split())
    offset = {"yesterday": 1, "last night": 1, "the day before yesterday": 2, "tomorrow": -1}
    if w == "the other day":
        return TimeRange(_days(ref - timedelta(days=7)).start, _days(ref).start)
    return _days(ref - timedelta(days=offset.get(w, 0)))


def _weekday(m: re.Match[str], ref: datetime, text: str) -> TimeRange | None:
    mod = (m["mod"] or "").lower()
    wd = _WEEKDAYS.index(m["wd"].lower())
    back = (ref.weekday() - wd) % 7 or 7
    if mod in ("next", "coming"):
        return _days(ref + timedelta(days=(wd - ref.weekday()) % 7 or 7))
    if mod == "this":
        return _days(ref + timedelta(days=wd - ref.weekday()))
    return _days(ref - timedelta(days=back))


_RULES: list[tuple[re.Pattern[str], Rule]] = [
    (re.compile(r"\b(?P<y>\d{4})-(?P<mo>\d\d)(?:-(?P<d>\d\d)(?:[T ](?P<h>\d\d):(?P<mi>\d\d)(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?)?(?![\d-])"), _iso),
    (re.compile(rf"\b(?P<d>{_DAYN})(?:\s+of)?\s+(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR}))?(?!\w)", _F), _dmy),
    (re.compile(rf"\b(?P<mon>{_MON})\s+(?:the\s+)?(?P<d>{_DAYN})(?![\d:])(?:,?\s+(?P<y>{_YEAR}))?(?!\w)", _F), _dmy),
    (re.compile(rf"\b(?P<mon>{_MON})(?:\s+of)?,?\s+(?P<y>{_YEAR})\b", _F), _month_year),
    (re.compile(rf"\b(?:(?P<mod>{_REL})\s+(?P<mon>{_MON})|(?P<mon2>{_MON})\s+(?P<mod2>last)\s+year)(?!\w)", _F), _rel_month),
    (re.compile(rf"\b(?P<mon>{_MON})(?!\w)", _F), _bare_month),
    (re.compile(rf"(?<![\w$£€-])(?P<y>{_YEAR})(?![\w-])"), _bare_year),
    (re.compile(rf"\b(?:Q(?P<q>[1-4])|(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)(?:\s+(?:of\s+)?(?:(?P<y>{_YEAR})|FY(?P<fy>\d\d)))?\b", _F), _quarter),
    (re.compile(rf"\b(?P<mod>{_REL})\s+quarter\b", _F), _rel_quarter),
    (re.compile(rf"\b(?:(?P<mod>{_REL})\s+)?(?P<s>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?\b", _F), _season),
    (re.compile(rf"\b(?P<n>{_NUM})\s+(?P<u>{_UNIT})\s+ago\b", _F), _ago),
    (re.compile(rf"\b(?:(?:in|over|during)\s+)?(?:the\s+)?(?:last|past|previous)\s+(?P<n>{_NUM})\s+(?P<u>{_UNIT})\b", _F), _last_n),
    (re.compile(r"\b(?P<the>the\s+)?(?P<mod>last|this|next|past|previous|coming)\s+(?P<u>week|weekend|month|year|fortnight)\b", _F), _rel_unit),
    (re.compile(r"\b(?:the day before yesterday|yesterday|today|tonight|tomorrow|last night|this (?:morning|afternoon|evening)|the other day)\b", _F), _word_day),
    (re.compile(r"\b(?:(?P<mod>last|this|next|coming|on)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", _F), _weekday),
]  # fmt: skip

_CTX_BEFORE = re.compile(rf"\b{_CTX}[\s-]+$", _F)
_CTX_YEAR = re.compile(rf"(?:\b(?:{_CTX}|year|since|of|in)\s+|\b(?:early|mid|late)[\s-]|'|\()$", _F)
_CTX_SEASON = re.compile(
    r"\b(?:in|during|over|since|until|through|by|before|after|early|late|mid|all|throughout|this|last|next|that)[\s-]+(?:the\s+)?$",
    _F,
)


def _context_before(text: str, pos: int, years: bool = False, seasons: bool = False) -> bool:
    before = text[max(0, pos - 40) : pos]
    if seasons:
        return _CTX_SEASON.search(before) is not None
    if years and (_CTX_YEAR.search(before) or pos == 0 or text[pos - 1] == "\n"):
        return True
    return _CTX_BEFORE.search(before) is not None


# ---------------------------------------------------------------- composition

_NARROW = re.compile(
    r"\b(?P<w>early|mid|late|(?:the\s+)?(?:beginning|start|middle|end)\s+of)[\s-]*(?:the\s+)?$", _F
)
_WEEK_OF = re.compile(r"\bthe\s+week\s+of\s+$", _F)
_OFFSET = re.compile(
    rf"\b(?P<n>{_NUM})\s+(?P<u>{_UNIT})\s+(?P<dir>before|after|prior\s+to)\s+$", _F
)
_PREP = re.compile(
    r"\b(?P<p>since|before|after|until|till|by|prior\s+to|up\s+to)\s+(?:the\s+)?$", _F
)
_JOIN = re.compile(r"^\s*(?:and|to|until|till|through|-|–|—)\s*$", _F)
_RANGE_START = re.compile(r"\b(?:between|from)\s+$", _F)
_EVENT = re.compile(
    rf"\b(?:(?P<n>{_NUM})\s+(?P<u>{_UNIT})\s+)?(?P<rel>before|after|since|until|till|during|around|prior\s+to)"
    r"\s+(?:(?:the|our|my|his|her|their|its|that)\s+)?(?P<words>[A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*){0,4})",
    _F,
)
_EVENT_STOP = frozenset(
    re.findall(
        r"\w+",
        "and or but when where while with was were is are did do does that which who we i you he "
        "she they it in on at to for of so then than because if as",
    )
)


def _narrow(r: TimeRange, word: str) -> TimeRange:
    """early/mid/late -> first/middle/last third (whole months when the range is months)."""
    if r.start is None or r.end is None:
        return r
    w = word.lower().split()[-2] if " " in word else word.lower()
    i = {"early": 0, "beginning": 0, "start": 0, "mid": 1, "middle": 1}.get(w, 2)
    s, e = r.start, r.end
    n_months = (e.year - s.year) * 12 + e.month - s.month
    if s.day == e.day == 1 and n_months >= 3 and s.hour == e.hour == 0:
        k = n_months // 3
        return _months(*_add_months(s.year, s.month, k * i), n_months - 2 * k if i == 2 else k)
    third = (e - s) / 3
    ns = _midnight(s + third * i)
    ne = e if i == 2 else _midnight(s + third * (i + 1))
    return TimeRange(ns, max(ne, ns + timedelta(days=1)))


def _apply_prep(p: str, r: TimeRange, ref: datetime) -> TimeRange:
    p = " ".join(p.lower().split())
    if p == "since":
        return TimeRange(r.start, ref if r.start is not None and r.start < ref else None)
    if p in ("before", "prior to"):
        return TimeRange(None, r.start)
    if p == "after":
        return TimeRange(r.end, None)
    return TimeRange(None, r.end)  # until, till, by, up to


def _extend(text: str, s: int, r: TimeRange, ref: datetime) -> tuple[int, TimeRange]:
    """Apply modifiers written before a match: narrowing, week-of, offsets, prepositions."""
    before = text[max(0, s - 40) : s]
    if m := _NARROW.search(before):
        r, s, before = _narrow(r, m["w"]), s - len(m[0]), before[: m.start()]
    if m := _WEEK_OF.search(before):
        assert r.start is not None
        r, s, before = _week(r.start), s - len(m[0]), before[: m.start()]
    if m := _OFFSET.search(before):
        sign = 1 if m["dir"].lower() == "after" else -1
        r, s, before = _shift(r, m["u"].lower(), sign * _num(m["n"])), s - len(m[0]), ""
    if m := _PREP.search(before):
        r, s = _apply_prep(m["p"], r, ref), s - len(m[0])
    return s, r


def _base_matches(text: str, ref: datetime) -> list[tuple[int, int, TimeRange]]:
    found = []
    for pat, rule in _RULES:
        for m in pat.finditer(text):
            r = rule(m, ref, text)
            if r is not None:
                found.append((m.start(), m.end(), r))
    return _non_overlapping(found)


def _non_overlapping(found: list[tuple[int, int, TimeRange]]) -> list[tuple[int, int, TimeRange]]:
    found.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    kept: list[tuple[int, int, TimeRange]] = []
    for s, e, r in found:
        if all(e <= ks or s >= ke for ks, ke, _ in kept):
            kept.append((s, e, r))
    return sorted(kept, key=lambda x: x[0])


def _join_ranges(
    text: str, ms: list[tuple[int, int, TimeRange]]
) -> list[tuple[int, int, TimeRange]]:
    """'between X and Y' / 'from X to Y' -> one range [X.start, Y.end)."""
    out: list[tuple[int, int, TimeRange]] = []
    i = 0
    while i < len(ms):
        s, e, r = ms[i]
        m = _RANGE_START.search(text[max(0, s - 10) : s])
        if m and i + 1 < len(ms) and _JOIN.match(text[e : ms[i + 1][0]]):
            _, e2, r2 = ms[i + 1]
            out.append((s - len(m[0]), e2, TimeRange(r.start, r2.end)))
            i += 2
            continue
        out.append((s, e, r))
        i += 1
    return out


def _event_matches(
    text: str, ref: datetime, lookup: EventLookup, taken: list[tuple[int, int, TimeRange]]
) -> list[tuple[int, int, TimeRange]]:
    out = []
    pos = 0
    while m := _EVENT.search(text, pos):
        pos = m.end("rel")
        if any(m.start() < e and m.end() > s for s, e, _ in taken):
            continue
        hit = _lookup_event(m, lookup)
        if hit is None:
            continue
        end, r = hit
        if m["n"]:
            sign = 1 if m["rel"].lower() == "after" else -1
            r = _shift(r, m["u"].lower(), sign * _num(m["n"]))
        elif m["rel"].lower() not in ("during", "around"):
            r = _apply_prep(m["rel"], r, ref)
        out.append((m.start(), end, r))
        pos = end
    return out


def _lookup_event(m: re.Match[str], lookup: EventLookup) -> tuple[int, TimeRange] | None:
    words = list(re.finditer(r"[\w'-]+", m["words"]))
    cut = next((i for i, w in enumerate(words) if w[0].lower() in _EVENT_STOP), len(words))
    for n in range(cut, 0, -1):
        name = m["words"][: words[n - 1].end()]
        r = lookup(name)
        if r is not None and (r.start or r.end):
            return m.start("words") + words[n - 1].end(), r
    return None


def find_time_expressions(
    text: str, ref: datetime, event_lookup: EventLookup | None = None
) -> list[tuple[Span, TimeRange]]:
    """All time expressions in `text`, left to right, as ((start, end), TimeRange).

    Spans are character offsets into `text`. Relative phrases are read against `ref`.
    """
    ref = _utc(ref)
    if not has_time_word(text):
        return _spans(_event_matches(text, ref, event_lookup, [])) if event_lookup else []
    ms = _join_ranges(text, _base_matches(text, ref))
    ms = [(s2, e, r2) for s, e, r in ms for s2, r2 in [_extend(text, s, r, ref)]]
    if event_lookup is not None:
        ms = sorted(ms + _event_matches(text, ref, event_lookup, ms), key=lambda x: x[0])
    return _spans(ms)


def _spans(ms: list[tuple[int, int, TimeRange]]) -> list[tuple[Span, TimeRange]]:
    return [((s, e), r) for s, e, r in ms]


# ---------------------------------------------------------------- whole phrases and queries

_FILLER = re.compile(
    r"^[\s,.;:!?()'\"-]*(?:(?:on|in|at|the|of|around|about)\b[\s,.;:!?()'\"-]*)*$", _F
)


_DATEPARSER_GATE = re.compile(
    r"\d|\b(?:yesterday|today|tonight|tomorrow|ago|week|weekend|month|year|morning|evening|night|"
    r"noon|midnight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
    r"april|june|july|august|september|october|november|december)\b|\b(?-i:May|March)\b",
    _F,
)


@lru_cache(maxsize=32)
def _dateparser(ref: datetime):  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser  # slow import: only when needed

    settings = {
        "RELATIVE_BASE": ref.replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
    }
    return DateDataParser(languages=["en"], settings=settings)


def _from_dateparser(text: str, ref: datetime) -> TimeRange | None:
    try:
        data = _dateparser(ref).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    dt = data.date_obj
    if dt is None:
        return None
    dt = _utc(dt)
    period = data.period or "day"
    if period == "time":
        return TimeRange(dt, dt + timedelta(minutes=1))
    if period == "week":
        return _week(dt)
    if period == "month":
        return _months(dt.year, dt.month)
    if period == "year":
        return _year(dt.year)
    return _days(dt)


def parse_time_expression(text: str, ref: datetime) -> TimeRange | None:
    """Read `text` as one time phrase ("last October", "2025-10-14", "yesterday at 3pm").

    Our own layer first; when it does not cover the whole phrase, dateparser; else the first
    expression our layer found inside; else None.
    """
    text = text.strip()
    if not text or len(text) > 200:
        return None
    ref = _utc(ref)
    found = find_time_expressions(text, ref)
    rest = text
    for (s, e), _ in reversed(found):
        rest = rest[:s] + " " + rest[e:]
    if len(found) == 1 and _FILLER.match(rest):
        return found[0][1]
    if not _DATEPARSER_GATE.search(text):  # dateparser reads "We" as Wednesday, "may" as May
        return None
    return _from_dateparser(text, ref) or (found[0][1] if found else None)


def _combine(ranges: list[TimeRange]) -> TimeRange:
    """Bounded ranges -> their hull; open-ended ones (before/after X) -> their intersection."""
    if all(r.start is not None and r.end is not None for r in ranges):
        return TimeRange(
            min(r.start for r in ranges if r.start), max(r.end for r in ranges if r.end)
        )
    starts = [r.start for r in ranges if r.start is not None]
    ends = [r.end for r in ranges if r.end is not None]
    return TimeRange(max(starts) if starts else None, min(ends) if ends else None)


def query_time_range(
    query: str, ref: datetime, event_lookup: EventLookup | None = None
) -> TimeRange | None:
    """The time range a query asks about ("what happened last October?"), or None."""
    found = find_time_expressions(query, ref, event_lookup)
    if not found:
        return None
    return _combine([r for _, r in found])
