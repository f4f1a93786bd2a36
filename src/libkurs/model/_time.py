"""Time in the domain: the default zone, and dates known only roughly."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from libkurs.errors import ValidationError
from libkurs.model._checks import check_type

__all__ = ["HELSINKI", "PartialDate", "Period", "local_days"]

#: The default time zone of the domain: Finland's.
HELSINKI = ZoneInfo("Europe/Helsinki")

_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _check_partial(instance: PartialDate, _attribute: attrs.Attribute[Any], _value: Any) -> None:
    for name in ("year", "month", "day"):
        value = getattr(instance, name)
        if value is not None:
            check_type(value, int, name)
    if not 1 <= instance.year <= 9999:
        raise ValidationError(f"year {instance.year} is out of range", path="year")
    if instance.day is not None and instance.month is None:
        raise ValidationError("a day needs a month", path="day")
    if instance.month is not None and not 1 <= instance.month <= 12:
        raise ValidationError(f"month {instance.month} is out of range", path="month")
    if instance.day is not None:
        assert instance.month is not None
        last = calendar.monthrange(instance.year, instance.month)[1]
        if not 1 <= instance.day <= last:
            raise ValidationError(f"day {instance.day} is out of range", path="day")


@attrs.frozen(kw_only=True, order=False)
class PartialDate:
    """A calendar date known to the year, the month or the day.

    An announcement may say "in August" or "2023–2024": libkurs keeps what is known and
    nothing more.

    >>> PartialDate.parse("2022-08")
    PartialDate(year=2022, month=8, day=None)
    >>> str(PartialDate(year=2023))
    '2023'
    >>> PartialDate(year=2022, month=8).last_day
    datetime.date(2022, 8, 31)
    """

    year: int = attrs.field(validator=_check_partial)
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        match = _PARTIAL.fullmatch(text)
        if match is None:
            raise ValidationError(
                f"invalid partial date {text!r}: expected YYYY, YYYY-MM or YYYY-MM-DD", path=""
            )
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            return cls(year=year, month=month, day=day)
        except ValidationError as error:
            # Name the text, not a field of a class the text never showed.
            raise ValidationError(
                f"invalid partial date {text!r}: {error.reason}", path=""
            ) from None

    @property
    def first_day(self) -> date:
        """The first day this partial date may mean."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        """The last day this partial date may mean."""
        if self.day is not None:
            return self.first_day
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


def _check_period(instance: Period, _attribute: attrs.Attribute[Any], _value: Any) -> None:
    check_type(instance.start, PartialDate, "start")
    if instance.end is not None:
        check_type(instance.end, PartialDate, "end")
        if instance.end.first_day < instance.start.first_day:
            raise ValidationError(
                f"ends ({instance.end}) before it starts ({instance.start})", path="end"
            )


@attrs.frozen(kw_only=True)
class Period:
    """When something takes place, known roughly: a year, a month, or a span of them.

    >>> period = Period.parse("2023/2024")
    >>> period.first_day, period.last_day
    (datetime.date(2023, 1, 1), datetime.date(2024, 12, 31))
    >>> str(Period.parse("2022-08"))
    '2022-08'
    """

    start: PartialDate = attrs.field(validator=_check_period)
    end: PartialDate | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2022-08`` or an ISO 8601 interval of partial dates such as ``2023/2024``."""
        if not isinstance(text, str):
            raise ValidationError(f"expected a string, got {type(text).__name__}", path="")
        start, sep, end = text.partition("/")
        return cls(start=PartialDate.parse(start), end=PartialDate.parse(end) if sep else None)

    @property
    def first_day(self) -> date:
        """The first day of the period."""
        return self.start.first_day

    @property
    def last_day(self) -> date:
        """The last day of the period (inclusive)."""
        return (self.end or self.start).last_day

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return str(self.start) if self.end is None else f"{self.start}/{self.end}"


def local_days(start: datetime, end: datetime, *, all_day: bool) -> tuple[date, date]:
    """The first and last calendar day a span touches, in the zone of its start.

    An all-day span ends at midnight after its last day (exclusive), so that midnight is not a
    day of its own.
    """
    last = end.astimezone(start.tzinfo)
    if all_day or (last.time() == datetime.min.time() and last > start):
        last -= timedelta(microseconds=1)
    return start.date(), last.date()
