"""Rough dates in announcements: months and years named without a day.

"I augusti och september", "elokuussa 2022", "in May 2023", "under år 2021-2022" and
"vuosina 2023–2024" say when, but not on which day. The date finder reports them as ambiguous:
a person reads the text and decides. When the year is written, the period they name (such as
``2022-08/2022-09``) is given too; a month without a year gets no year guessed for it.

English "may" is a month only before a year ("May 2023"): otherwise it is the verb.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

import attrs
from babel import Locale

from libkurs.errors import ValidationError
from libkurs.model import PartialDate, Period

__all__ = ["RoughDate", "rough_dates"]


@attrs.frozen(kw_only=True)
class RoughDate:
    """A month or year expression: where it is, why its day is unknown, and its period."""

    span: tuple[int, int]
    ambiguity: str
    period: Period | None


def _month_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for tag in ("sv", "en"):
        for number, name in Locale.parse(tag).months["format"]["wide"].items():
            words[name.lower()] = number
    del words["may"]  # only before a year, below
    return words


_MONTH_WORDS: Final = _month_words()
_FINNISH_STEMS: Final[dict[str, int]] = {
    name.lower(): number
    for number, name in Locale.parse("fi").months["stand-alone"]["wide"].items()
}


def _alternatives(words: dict[str, int]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


# "elokuu", "elokuussa", "elokuun", "elokuusta", "elokuuhun", "elokuuta".
_MONTH: Final = (
    rf"(?:{_alternatives(_MONTH_WORDS)}|(?:{_alternatives(_FINNISH_STEMS)})(?:ssa|sta|hun|n|ta)?"
    rf"|may(?=\s+[0-9]{{4}}))"
)
_JOIN: Final = r"(?:\s*,\s*|\s+(?:och|and|ja|eller|or|sekä)\s+|\s*[-–—]\s*)"
_MONTHS_EXPRESSION: Final = re.compile(
    rf"(?<![\w.])(?:(?:i|in|under|during)\s+)?(?P<months>{_MONTH}(?:{_JOIN}{_MONTH})*)"
    rf"(?:\s+(?P<year>[0-9]{{4}}))?"
    rf"(?:\s*[-–—]\s*(?P<last>{_MONTH})\s+(?P<last_year>[0-9]{{4}}))?(?![\w])",
    re.IGNORECASE,
)
_YEARS_EXPRESSION: Final = re.compile(
    r"(?<![\w.])(?:(?:under\s+)?(?:läs|verksamhets)?år(?:en|et)?|vuosina|vuonna|(?:luku|toiminta)"
    r"vuonna|(?:in|during)(?:\s+the\s+years)?|years)\s+"
    r"(?P<first>[0-9]{4})\s*(?:[-–—/]|\s+(?:till|to|until)\s+)\s*(?P<last>[0-9]{4})(?![\w])",
    re.IGNORECASE,
)
_ONE_MONTH: Final = re.compile(_MONTH, re.IGNORECASE)


def _month_number(word: str) -> int:
    word = word.lower()
    if word in _MONTH_WORDS:
        return _MONTH_WORDS[word]
    if word == "may":
        return 5
    return next(n for stem, n in _FINNISH_STEMS.items() if word.startswith(stem))


def _numbers(match: re.Match[str]) -> list[int]:
    """The numbers of the months named in the ``months`` group, in order."""
    numbers: list[int] = []
    # Searched in the whole text: "may" is a month only when a year follows it there.
    for word in _ONE_MONTH.finditer(match.string, match.start("months")):
        if word.start() >= match.end("months"):
            break
        numbers.append(_month_number(word.group()))
    return numbers


def _period(first: PartialDate, last: PartialDate) -> Period | None:
    try:
        return Period(start=first, end=last if last != first else None)
    except ValidationError:
        return None


def _months(match: re.Match[str]) -> RoughDate:
    if match.group("last") is not None:
        return _month_span(match)
    numbers = _numbers(match)
    named = match.group("months")
    year_text = match.group("year")
    plural = "months are" if len(numbers) > 1 else "month is"
    if year_text is None:
        problem = f"only the {plural} given ({named}): the day is unknown, and so is the year"
        return RoughDate(span=match.span(), ambiguity=problem, period=None)
    problem = f"only the {plural} given ({named} {year_text}): the day is unknown"
    year = int(year_text)
    period = None
    # Months are listed in order: "december–januari 2024" starts in December 2023.
    first_year = year if numbers[-1] >= numbers[0] else year - 1
    if first_year >= 1 and year <= 9999:
        period = _period(
            PartialDate(year=first_year, month=numbers[0]),
            PartialDate(year=year, month=numbers[-1]),
        )
    return RoughDate(span=match.span(), ambiguity=problem, period=period)


def _month_span(match: re.Match[str]) -> RoughDate:
    """A span of months with years: "augusti 2022 – september 2022"."""
    first_month = _numbers(match)[0]
    last_month = _month_number(match.group("last"))
    last_year = int(match.group("last_year"))
    if match.group("year") is not None:
        first_year = int(match.group("year"))
    else:
        first_year = last_year if first_month <= last_month else last_year - 1
    problem = f"only the months are given ({match.group()}): the day is unknown"
    period = None
    if 1 <= first_year <= 9999 and 1 <= last_year <= 9999:
        period = _period(
            PartialDate(year=first_year, month=first_month),
            PartialDate(year=last_year, month=last_month),
        )
    return RoughDate(span=match.span(), ambiguity=problem, period=period)


def _years(match: re.Match[str]) -> RoughDate:
    first, last = int(match.group("first")), int(match.group("last"))
    problem = f"only the years are given ({first}–{last}): the day is unknown"
    period = None
    if 1 <= first <= last <= 9999:
        period = _period(PartialDate(year=first), PartialDate(year=last))
    return RoughDate(span=match.span(), ambiguity=problem, period=period)


def rough_dates(text: str) -> list[RoughDate]:
    """The month and year expressions of *text* that name no day, in the order they appear.

    >>> (rough,) = rough_dates("I augusti och september 2022 besökte vi")
    >>> rough.span, str(rough.period)
    ((0, 28), '2022-08/2022-09')
    >>> print(rough.ambiguity)
    only the months are given (augusti och september 2022): the day is unknown
    """
    found = [_years(m) for m in _YEARS_EXPRESSION.finditer(text)]
    starts = [r.span[0] for r in found]  # in order, none overlapping: a binary search finds
    ends = [r.span[1] for r in found]  # the one year expression a month one may overlap
    for match in _MONTHS_EXPRESSION.finditer(text):
        before = bisect.bisect_left(starts, match.end()) - 1
        if before < 0 or ends[before] <= match.start():
            found.append(_months(match))
    return sorted(found, key=lambda r: r.span)
