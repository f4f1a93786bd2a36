"""Find the dates and times of Nordic training announcements, in Swedish, Finnish and English.

:func:`find_dates` reads expressions such as "Onsdagen den 1.2.2023 kl. 12-16",
"den 12 januari 2023", "12.1.2023 klo 9–15", "1.2. kello 12.00–16.00" and
"Wednesday 1 February 2023, 12:00–16:00". Month and weekday names come from Babel's CLDR data,
so every spelling CLDR knows (wide and abbreviated, format and stand-alone) is understood.

Rules, in the order they apply:

- Numeric dates are day first (``1.2.2023`` is 1 February); ``1/2/2023`` is ambiguous (day or
  month first) unless one number is above 12. Two-digit years are in the 2000s.
- A date without a year takes the year that puts it nearest the reference date; when the two
  nearest candidates are less than a month apart in distance (a date about half a year away),
  the expression is ambiguous. A weekday named with the date picks the year when it can.
- A weekday that does not match the date makes the expression ambiguous.
- Times follow the date, after "kl.", "klockan", "klo", "kello", "at", "from", a comma or nothing;
  a bare hour ("kl. 12") needs one of those words. Ranges use a hyphen, an en or em dash,
  "to", "till" or "until". A time range alone ("kl. 13–15", "13.00–14.30") belongs to the last
  date before it.
- After a comma, a range of bare hours is a time too ("1 February 2023, 12–16"), unless it goes
  on like a date ("1.2., 12–16.2.").
- A part of the day without a clock ("förmiddag", "iltapäivällä", "in the afternoon") is
  reported as ambiguous, with the day it belongs to.
- Months and years without a day ("I augusti och september", "elokuussa 2022",
  "under år 2021-2022") are reported as ambiguous, with the :class:`~libkurs.Period` they name
  when the year is written.
- A local time that the clocks skip or show twice (summer time) is ambiguous.

Ambiguous expressions are returned, never guessed: their ``start`` and ``end`` are None and
``ambiguity`` says why.
"""

from __future__ import annotations

import calendar
import re
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

import attrs
from babel import Locale

from libkurs.formats.announcement._rough import rough_dates
from libkurs.formats.announcement._spans import Days, Spans
from libkurs.model import HELSINKI, Period
from libkurs.model._checks import EARLIEST, LATEST

__all__ = ["FoundDate", "find_dates"]


@attrs.frozen(kw_only=True)
class FoundDate:
    """One date or time expression found in a text.

    Attributes:
        text: The expression as written.
        span: Where it is: ``text == source[span[0]:span[1]]``.
        start: The aware start; None when ambiguous.
        end: The aware end (for a whole day, midnight after it); None when not said or ambiguous.
        all_day: Whether it names whole days, without a clock time.
        day: The (first) calendar day it refers to, when known, even if ambiguous.
        part_of_day: "morning" or "afternoon" for a part of the day named without a clock.
        ambiguity: Why it is ambiguous, or None.
        period: For months or years named without a day, the period they name when the year is
            written ("augusti 2022" is 2022-08); otherwise None.
    """

    text: str
    span: tuple[int, int]
    start: datetime | None
    end: datetime | None
    all_day: bool = False
    day: date | None = None
    part_of_day: str | None = None
    ambiguity: str | None = None
    period: Period | None = None

    @property
    def ambiguous(self) -> bool:
        """Whether the expression could mean more than one time, so none was chosen."""
        return self.ambiguity is not None


def _names() -> tuple[dict[str, int], dict[str, int]]:
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    for tag in ("sv", "fi", "en"):
        locale = Locale.parse(tag)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    months[name.lower().rstrip(".")] = number
                for number, name in locale.days[context][width].items():
                    weekdays[name.lower().rstrip(".")] = number
    for number, name in Locale.parse("sv").days["format"]["wide"].items():
        weekdays[name + "en"] = number  # "onsdagen"
    months.update({"sept": 9})
    weekdays.update({"tues": 1, "thur": 3, "thurs": 3})
    return months, weekdays


_MONTHS, _WEEKDAYS = _names()


def _alternatives(words: dict[str, int]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_MONTH: Final = rf"(?:{_alternatives(_MONTHS)})\.?"
_WEEKDAY: Final = rf"(?P<weekday>{_alternatives(_WEEKDAYS)})\.?,?\s+(?:(?:den|the)\s+)?"
_DASH: Final = r"\s*(?:[-–—]|\bto\b|\btill\b|\buntil\b)\s*"
_CLOCK: Final = r"[0-9]{1,2}(?:[.:][0-9]{2})?(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
_CONNECTOR: Final = r"(?:kl\.?|klockan|klo\.?|kello|at|from|från)"
_ORDINAL: Final = r"(?:\.|st|nd|rd|th)?"

_DATE_CORES: Final = (
    # 2023-02-01
    r"(?P<iso>(?P<iy>[0-9]{4})-(?P<im>[0-9]{2})-(?P<id>[0-9]{2}))(?![0-9-])",
    # 1.2.2023, 1.2., 1.–3.2.2023, 30.1.–2.2.2023, 1/2/2023
    (
        rf"(?:(?P<nd1>[0-9]{{1,2}})\.(?:(?P<nm1>[0-9]{{1,2}})\.)?{_DASH})?"
        rf"(?P<nd>[0-9]{{1,2}})(?P<sep>[./])(?P<nm>[0-9]{{1,2}})(?:(?P=sep)(?P<ny>[0-9]{{4}}|[0-9]{{2}}(?![0-9.:]))|\.)"
        rf"(?![0-9:])"
    ),
    # 12 januari 2023, 1. helmikuuta, 1–3 februari 2023, 12th January
    (
        rf"(?:(?P<td1>[0-9]{{1,2}}){_ORDINAL}{_DASH})?(?P<td>[0-9]{{1,2}}){_ORDINAL}\s+(?P<tm>{_MONTH})"
        rf"(?:\s+(?P<ty>[0-9]{{4}}))?(?![\w])"
    ),
    # February 1, 2023; February 1–3
    (
        rf"(?P<em>{_MONTH})\s+(?P<ed>[0-9]{{1,2}}){_ORDINAL}(?:{_DASH}(?P<ed2>[0-9]{{1,2}}){_ORDINAL})?"
        rf"(?:,?\s+(?P<ey>[0-9]{{4}}))?(?![\w])"
    ),
)
_DATE: Final = re.compile(
    rf"(?<![\w.])(?:{_WEEKDAY}|(?:den|the|on)\s+)?(?:{'|'.join(_DATE_CORES)})",
    re.IGNORECASE,
)
_TIME_AFTER_DATE: Final = re.compile(
    rf"(?:,?\s*{_CONNECTOR}\s*(?P<bare>{_CLOCK})"
    rf"|,?\s*(?P<full>[0-9]{{1,2}}(?:[.:][0-9]{{2}})?\s*(?:am|pm|a\.m\.|p\.m\.)|[0-9]{{1,2}}[.:][0-9]{{2}}))"
    rf"(?:{_DASH}(?:{_CONNECTOR}\s*)?(?P<until>{_CLOCK}))?(?![0-9])",
    re.IGNORECASE,
)
_LONE_TIME: Final = re.compile(
    rf"(?<![\w.:])(?:{_CONNECTOR}\s*(?P<bare>{_CLOCK})(?:{_DASH}(?P<until>{_CLOCK}))?"
    rf"|(?P<full>[0-9]{{1,2}}[.:][0-9]{{2}}){_DASH}(?P<full_until>[0-9]{{1,2}}[.:][0-9]{{2}}))(?![0-9])",
    re.IGNORECASE,
)
_HOURS_AFTER_COMMA: Final = re.compile(
    rf",\s*(?P<bare>[0-9]{{1,2}}(?:[.:][0-9]{{2}})?){_DASH}(?P<until>[0-9]{{1,2}}(?:[.:][0-9]{{2}})?)"
    rf"(?![0-9]|\.[0-9]|[.]?\s*{_MONTH}(?!\w))",
    re.IGNORECASE,
)
_PART_OF_DAY: Final = re.compile(
    r"\b(?:(?P<morning>förmiddag(?:en)?|aamupäivä(?:llä|n)?|(?:in\s+the\s+)?morning)"
    r"|(?P<afternoon>eftermiddag(?:en)?|iltapäivä(?:llä|n)?|(?:in\s+the\s+)?afternoon))\b",
    re.IGNORECASE,
)

#: How close (in days) the distances of two candidate years must be to make a date ambiguous.
_YEAR_TIE: Final = 31


class _AmbiguousError(Exception):
    """Internal: an expression that could mean more than one thing."""


def _clock(text: str) -> time:
    text = text.strip().lower().replace(" ", "")
    suffix = ""
    for mark in ("a.m.", "p.m.", "am", "pm"):
        if text.endswith(mark):
            suffix, text = mark[0], text[: -len(mark)]
            break
    hour_text, _, minute_text = text.replace(":", ".").partition(".")
    hour, minute = int(hour_text), int(minute_text or 0)
    if suffix:
        if not 1 <= hour <= 12:
            raise _AmbiguousError(f"{hour} is not an hour of a 12-hour clock")
        hour = hour % 12 + (12 if suffix == "p" else 0)
    if hour == 24 and minute == 0:
        return time(0)
    if hour > 23 or minute > 59:
        raise _AmbiguousError(f"{text} is not a time of day")
    return time(hour, minute)


def _moment(day: date, clock: time, tz: tzinfo) -> datetime:
    moment = datetime.combine(day, clock, tzinfo=tz)
    _check_range(moment)
    again = moment.astimezone(UTC).astimezone(tz)
    if again.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise _AmbiguousError(f"{clock:%H:%M} on {day} does not exist: the clocks skip it")
    other = moment.replace(fold=1)
    if other.utcoffset() != moment.utcoffset():
        raise _AmbiguousError(f"{clock:%H:%M} on {day} happens twice: the clocks go back")
    return moment


def _times(
    day: date, start_text: str, until_text: str | None, tz: tzinfo
) -> tuple[datetime, datetime | None]:
    start_clock = _clock(start_text)
    if until_text is None:
        return _moment(day, start_clock, tz), None
    until_clock = _clock(until_text)
    has_mark = re.search(r"[ap]\.?m", start_text, re.IGNORECASE)
    if re.search(r"p\.?m", until_text, re.IGNORECASE) and not has_mark and start_clock.hour < 12:
        # "9–11am" takes the mark from its end; "1–3 pm" too.
        candidate = time(start_clock.hour + 12, start_clock.minute)
        if candidate < until_clock:
            start_clock = candidate
    start = _moment(day, start_clock, tz)
    try:
        end_day = day + timedelta(days=1) if until_clock == time(0) else day
    except OverflowError:
        raise _AmbiguousError(f"{day} is too near the year 9999") from None
    end = _moment(end_day, until_clock, tz)
    if end.astimezone(UTC) <= start.astimezone(UTC):
        raise _AmbiguousError(f"ends ({until_text}) before it starts ({start_text})")
    return start, end


def _check_range(moment: datetime) -> None:
    """Raise _AmbiguousError for a moment too near the year 1 or 9999 for the model to take."""
    try:
        in_range = EARLIEST <= moment <= LATEST
    except OverflowError:
        in_range = False
    if not in_range:
        raise _AmbiguousError(f"{moment.date()} is too near the year 1 or 9999")


def _valid(year: int, month: int, day: int) -> bool:
    return (
        MINYEAR <= year <= MAXYEAR
        and 1 <= month <= 12
        and 1 <= day <= calendar.monthrange(year, month)[1]
    )


def _resolve_year(
    month: int, day: int, weekday: int | None, reference: date | None
) -> tuple[int, str | None]:
    """The year of a date written without one, or why it cannot be chosen."""
    if reference is None:
        return 0, "the year is not given and there is no reference date"
    years = [y for y in range(reference.year - 1, reference.year + 2) if _valid(y, month, day)]
    if weekday is not None:
        matching = [y for y in years if date(y, month, day).weekday() == weekday]
        if len(matching) == 1:
            return matching[0], None
        if not matching:
            return 0, "the weekday matches no year near the reference date"
        years = matching
    if not years:
        return 0, f"{day}.{month}. is not a date"
    by_distance = sorted(years, key=lambda y: abs((date(y, month, day) - reference).days))
    if len(by_distance) > 1:
        near, next_ = (abs((date(y, month, day) - reference).days) for y in by_distance[:2])
        if next_ - near < _YEAR_TIE:
            return 0, (
                f"the year is not given and {day}.{month}. is about as near the reference date "
                f"in {by_distance[0]} as in {by_distance[1]}"
            )
    return by_distance[0], None


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def _date_parts(  # noqa: PLR0911 - one return per way of writing a date
    match: re.Match[str],
) -> tuple[int | None, int, int, int | None, int | None]:
    """(year, month, first day, first day's month when a range, last day) of a date match."""
    g = match.group
    if g("iso"):
        return int(g("iy")), int(g("im")), int(g("id")), None, None
    if g("nd"):
        day, month = int(g("nd")), int(g("nm"))
        if g("sep") == "/" and day <= 12 and month <= 12 and day != month:
            raise _AmbiguousError(f"{g('nd')}/{g('nm')} may be day/month or month/day")
        year = _year(g("ny"))
        if g("nd1"):
            first_month = int(g("nm1")) if g("nm1") else month
            return year, first_month, int(g("nd1")), month, day
        return year, month, day, None, None
    if g("td"):
        month = _MONTHS[g("tm").lower().rstrip(".")]
        if g("td1"):
            return _year(g("ty")), month, int(g("td1")), month, int(g("td"))
        return _year(g("ty")), month, int(g("td")), None, None
    month = _MONTHS[g("em").lower().rstrip(".")]
    if g("ed2"):
        return _year(g("ey")), month, int(g("ed")), month, int(g("ed2"))
    return _year(g("ey")), month, int(g("ed")), None, None


def _days(match: re.Match[str], reference: date | None) -> tuple[date, date]:
    """The first and last day of a date match (the same day unless it is a range)."""
    year, month, day, last_month, last_day = _date_parts(match)
    weekday_text = match.group("weekday")
    weekday = _WEEKDAYS[weekday_text.lower()] if weekday_text else None
    if year is None:
        year, problem = _resolve_year(month, day, weekday, reference)
        if problem is not None:
            raise _AmbiguousError(problem)
    if not _valid(year, month, day):
        raise _AmbiguousError(f"{day}.{month}.{year} is not a date")
    first = date(year, month, day)
    if weekday is not None and first.weekday() != weekday:
        raise _AmbiguousError(f"{first} is not a {calendar.day_name[weekday]}")
    if last_month is None or last_day is None:
        return first, first
    last_year = year + 1 if last_month < month else year
    if not _valid(last_year, last_month, last_day):
        raise _AmbiguousError(f"{last_day}.{last_month}. is not a date")
    last = date(last_year, last_month, last_day)
    if last <= first:
        raise _AmbiguousError(f"the range ends ({last}) before it starts ({first})")
    return first, last


def find_dates(
    text: str, *, reference: date | None = None, tz: tzinfo = HELSINKI
) -> list[FoundDate]:
    """Every date and time expression in *text*, in the order they appear.

    Args:
        text: An announcement in Swedish, Finnish or English.
        reference: The date the text was written (or read), to give a year to dates without
            one; without it such dates are ambiguous.
        tz: The zone the times are local to.

    >>> from datetime import date
    >>> (found,) = find_dates("Onsdagen den 1.2.2023 kl. 12-16 ordnas seminariet.")
    >>> found.text, found.start.isoformat(), found.end.isoformat()
    ('Onsdagen den 1.2.2023 kl. 12-16', '2023-02-01T12:00:00+02:00', '2023-02-01T16:00:00+02:00')
    >>> (found,) = find_dates("1.2. kello 12.00–16.00", reference=date(2023, 1, 10))
    >>> found.start.isoformat()
    '2023-02-01T12:00:00+02:00'
    >>> find_dates("1/2/2023")[0].ambiguity
    '1/2 may be day/month or month/day'
    """
    found: list[FoundDate] = []
    taken = Spans()
    position = 0
    while (match := _DATE.search(text, position)) is not None:
        begin, finish = match.span()
        position = finish
        if re.search(rf"{_CONNECTOR}\s*$", text[max(0, begin - 8) : begin], re.IGNORECASE):
            continue  # "kl. 12.10." is a time, not a date
        timed = _TIME_AFTER_DATE.match(text, finish) or _HOURS_AFTER_COMMA.match(text, finish)
        if timed is not None:
            finish = position = timed.end()
        span = (begin, finish)
        taken.add(span)
        try:
            first, last = _days(match, reference)
        except _AmbiguousError as problem:
            found.append(_ambiguous(text, span, str(problem), None))
            continue
        if timed is None:
            try:
                midnight = datetime.combine(first, time(0), tzinfo=tz)
                _check_range(midnight)
                after = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
                _check_range(after)
            except (_AmbiguousError, OverflowError):
                edge = f"{first} is too near the year 1 or 9999"
                found.append(_ambiguous(text, span, edge, first))
                continue
            found.append(_found(text, span, midnight, after, all_day=True, day=first))
            continue
        if last != first:
            found.append(_ambiguous(text, span, "a range of days with one clock time", first))
            continue
        try:
            start, end = _times(
                first, timed.group("bare") or timed.groupdict()["full"], timed.group("until"), tz
            )
        except _AmbiguousError as problem:
            found.append(_ambiguous(text, span, str(problem), first))
            continue
        found.append(_found(text, span, start, end, day=first))
    found += _lone_times(text, taken, found, tz)
    found += _parts_of_day(text, taken, found)
    found += [
        FoundDate(
            text=text[r.span[0] : r.span[1]],
            span=r.span,
            start=None,
            end=None,
            ambiguity=r.ambiguity,
            period=r.period,
        )
        for r in rough_dates(text)
        if taken.free(r.span)
    ]
    found.sort(key=lambda f: f.span)
    return found


def _found(
    text: str,
    span: tuple[int, int],
    start: datetime,
    end: datetime | None,
    *,
    all_day: bool = False,
    day: date | None = None,
) -> FoundDate:
    return FoundDate(
        text=text[span[0] : span[1]], span=span, start=start, end=end, all_day=all_day, day=day
    )


def _ambiguous(
    text: str, span: tuple[int, int], problem: str, day: date | None, part: str | None = None
) -> FoundDate:
    return FoundDate(
        text=text[span[0] : span[1]],
        span=span,
        start=None,
        end=None,
        day=day,
        part_of_day=part,
        ambiguity=problem,
    )


def _lone_times(text: str, taken: Spans, found: list[FoundDate], tz: tzinfo) -> list[FoundDate]:
    results: list[FoundDate] = []
    days = Days(found)
    for match in _LONE_TIME.finditer(text):
        span = match.span()
        if not taken.free(span):
            continue
        taken.add(span)
        day = days.before(span[0])
        if day is None:
            results.append(_ambiguous(text, span, "a time without a date", None))
            continue
        start_text = match.group("bare") or match.group("full")
        until = match.group("until") or match.group("full_until")
        try:
            start, end = _times(day, start_text, until, tz)
        except _AmbiguousError as problem:
            results.append(_ambiguous(text, span, str(problem), day))
            continue
        results.append(_found(text, span, start, end, day=day))
    return results


def _parts_of_day(text: str, taken: Spans, found: list[FoundDate]) -> list[FoundDate]:
    results: list[FoundDate] = []
    days = Days(found)
    for match in _PART_OF_DAY.finditer(text):
        span = match.span()
        if not taken.free(span):
            continue
        part = "morning" if match.group("morning") else "afternoon"
        day = days.before(span[0])
        problem = (
            f"the {part} of {day}, without a clock time" if day else f"a {part} without a date"
        )
        results.append(_ambiguous(text, span, problem, day, part))
    return results
