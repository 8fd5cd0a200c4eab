"""Quantities a policy promises: retention periods, age thresholds and days of notice.

Durations become days (a month is 30 days, a year 365); "indefinitely" is infinite and "as long
as necessary" is open-ended (also infinite for comparison, but named differently in reasons).
Dates ("1 July 2025", "2024-02-16") are not durations and are ignored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .patterns import regex

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "twenty": 20, "thirty": 30,
    "forty-five": 45, "sixty": 60, "ninety": 90, "a": 1, "an": 1,
}
_UNIT_DAYS = {"day": 1, "business day": 1.4, "week": 7, "month": 30, "year": 365, "hour": 1 / 24}
_NUM = r"(\d{1,4}(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_DURATION = regex(
    rf"\b{_NUM}(?:\s*\(\d+\))?[\s-]*(business day|day|week|month|year|hour)s?\b"
    r"(?![-\s]*old|\s+of\s+age)")
_INDEFINITE = regex(r"\b(?:indefinitely|forever|permanently|in perpetuity|"
                    r"for an unlimited (?:period|time)|no (?:fixed )?(?:time )?limit)\b")
_OPEN_ENDED = regex(
    r"\b(?:as long as (?:(?:is|it is|we consider|we deem|reasonably) )?(?:necessary|needed|"
    r"required|appropriate|useful)|as long as (?:your account|you (?:use|have))|for as long as "
    r"(?:we|needed|necessary)|for the (?:period|time) (?:necessary|needed|required)|"
    r"no longer than necessary)\b")
_AGE = regex(
    rf"\b(?:under|below|younger than|over|older than|at least|aged?|of)\s+(?:the age of\s+)?"
    rf"{_NUM}(?:\s*\(\d+\))?(?:\s*years?(?: of age| old)?)?|\b{_NUM}\s*years? (?:of age|old)|"
    r"\b(\d{1,2})\+")
_NOTICE = regex(
    rf"\b{_NUM}(?:\s*\(\d+\))?\s*(business day|day|week|month)s?'?\s*(?:prior |advance |"
    r"written )?(?:notice|before|in advance|prior)")


def _number(token: str) -> float | None:
    token = token.lower()
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    try:
        return float(token)
    except ValueError:
        return None


@dataclass(frozen=True)
class Duration:
    days: float  # math.inf for indefinite or open-ended
    words: str  # as written, quoted in reasons
    open_ended: bool = False

    @property
    def indefinite(self) -> bool:
        return math.isinf(self.days) and not self.open_ended


# "respond within 45 days", "Median response time: 0.83 days": a delay, not a retention period.
_REQUEST = regex(r"\brequests?\b")
_RESPONSE = regex(r"\b(?:respon\w+|reply|replies|answer)\b[^.;]{0,40}$")


def durations(text: str) -> list[Duration]:
    found: list[Duration] = []
    for match in _DURATION.finditer(text):
        before = text[max(0, match.start() - 80):match.start()]
        if _RESPONSE.search(before[-60:]) or ("|" in before and _REQUEST.search(before)):
            continue  # a response time, or a row of a table of privacy requests
        count = _number(match.group(1))
        if count is not None:
            found.append(Duration(count * _UNIT_DAYS[match.group(2).lower()], match.group(0)))
    found += [Duration(math.inf, m.group(0)) for m in _INDEFINITE.finditer(text)]
    found += [Duration(math.inf, m.group(0), open_ended=True) for m in _OPEN_ENDED.finditer(text)]
    return found


def longest(items: list[Duration]) -> Duration | None:
    """The longest period, an explicit "indefinitely" beating an open-ended phrase."""
    if not items:
        return None
    return max(items, key=lambda d: (d.days, not d.open_ended))


def ages(text: str) -> list[tuple[int, str]]:
    """Age thresholds (plausible ones only, 6 to 21) with the words that state them."""
    found: list[tuple[int, str]] = []
    for match in _AGE.finditer(text):
        token = next(g for g in match.groups() if g)
        value = _number(token)
        if value is not None and 6 <= value <= 21:
            found.append((int(value), match.group(0).strip()))
    return found


def notice_days(text: str) -> list[tuple[float, str]]:
    found: list[tuple[float, str]] = []
    for match in _NOTICE.finditer(text):
        count = _number(match.group(1))
        if count is not None:
            found.append((count * _UNIT_DAYS[match.group(2).lower()], match.group(0)))
    return found


def describe_days(days: float) -> str:
    if math.isinf(days):
        return "indefinitely"
    for unit, size in (("year", 365), ("month", 30), ("week", 7)):
        if days >= size and days % size == 0:
            count = int(days // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{days:g} days"
