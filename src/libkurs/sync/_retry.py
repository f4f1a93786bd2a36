"""Retries with exponential back-off for transient calendar failures.

What is transient is what :class:`libkurs.errors.TransportError` stands for: a dropped or
refused connection, a timeout, a 5xx answer, a 429. A server's ``Retry-After`` is honoured (up
to a cap); otherwise the waits grow exponentially, with jitter so that many clients started
together do not come back together. Attempts are bounded.

In tests, turn the waiting off, and keep the retrying: pass ``RetryPolicy(wait=False)``, or set
the environment variable ``LIBKURS_NO_BACKOFF=1``.
"""

from __future__ import annotations

import email.utils
import logging
import os
import random
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import attrs

from libkurs.errors import TransportError

__all__ = ["NO_BACKOFF_VARIABLE", "RetryPolicy", "parse_retry_after"]

#: Set this environment variable to ``1`` to retry without waiting (for test suites).
NO_BACKOFF_VARIABLE = "LIBKURS_NO_BACKOFF"

_log = logging.getLogger("libkurs.sync")

T = TypeVar("T")


def _positive_int(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, got {value!r}")


def _not_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value!r}")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How often, and how patiently, to try a request again after a transient failure.

    Attributes:
        attempts: How many times to try in all, the first time included.
        backoff: The wait before the second attempt, in seconds.
        factor: How much each wait grows over the one before.
        max_wait: The longest wait, in seconds, even when the server asks for more.
        max_total: The longest time, in seconds, one request may take with all its retries:
            no retry starts after that (nor one whose wait would end after it).
        wait: False to retry at once, without sleeping (for tests). The environment
            variable ``LIBKURS_NO_BACKOFF=1`` does the same for every policy.

    >>> RetryPolicy().delays()
    (0.5, 1.0, 2.0)
    >>> RetryPolicy(attempts=1).delays()
    ()
    """

    attempts: int = attrs.field(default=4, validator=_positive_int)
    backoff: float = attrs.field(default=0.5, validator=_not_negative)
    factor: float = attrs.field(default=2.0, validator=_not_negative)
    max_wait: float = attrs.field(default=60.0, validator=_not_negative)
    max_total: float = attrs.field(default=180.0, validator=_not_negative)
    wait: bool = True

    def delays(self) -> tuple[float, ...]:
        """The nominal waits between attempts, before jitter and ``Retry-After``."""
        return tuple(
            min(self.backoff * self.factor**n, self.max_wait) for n in range(self.attempts - 1)
        )

    def waits(self) -> bool:
        """Whether this policy sleeps between attempts, the environment considered."""
        return self.wait and os.environ.get(NO_BACKOFF_VARIABLE, "").strip() not in {"1", "true"}

    def call(
        self,
        operation: Callable[[], T],
        *,
        sleep: Callable[[float], object] = time.sleep,
    ) -> T:
        """Run *operation*, again after each :class:`~libkurs.errors.TransportError`, and return.

        The last error is raised when every attempt failed, or when :attr:`max_total` seconds
        would be over before the next attempt. Other errors pass through at once.
        """
        delays = self.delays()
        began = time.monotonic()
        for attempt in range(self.attempts):
            try:
                return operation()
            except TransportError as error:
                if attempt == self.attempts - 1:
                    raise
                delay = self._delay(delays[attempt], error.retry_after)
                waits = self.waits()
                if time.monotonic() - began + (delay if waits else 0.0) > self.max_total:
                    raise
                _log.info(
                    "%s; attempt %d of %d in %.2f s", error, attempt + 2, self.attempts, delay
                )
                if delay > 0 and waits:
                    sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _delay(self, nominal: float, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_wait)
        # "Equal jitter": between half the nominal wait and the whole of it.
        return nominal * (0.5 + random.random() / 2)  # noqa: S311 - not for security


#: The longest wait a ``Retry-After`` header is read as, in seconds (a day).
MAX_RETRY_AFTER = 86_400.0
_SECONDS = re.compile(r"[0-9]{1,12}", re.ASCII)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date.

    Whatever a server sends, this never raises: a value that is neither (``²``, ``-5``,
    ``1e9``, text) is None, and a wait is capped at :data:`MAX_RETRY_AFTER`.

    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after(
    ...     "Sun, 06 Nov 1994 08:49:37 GMT", now=datetime(1994, 11, 6, 8, 49, 30, tzinfo=UTC)
    ... )
    7.0
    >>> parse_retry_after("soon") is None, parse_retry_after("²") is None
    (True, True)
    >>> parse_retry_after("99999999999")
    86400.0
    """
    if value is None:
        return None
    value = str(value).strip()
    if _SECONDS.fullmatch(value):
        return min(float(value), MAX_RETRY_AFTER)
    if not value.isascii() or len(value) > 64:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        wait = (when - (now or datetime.now(UTC))).total_seconds()
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    return min(max(wait, 0.0), MAX_RETRY_AFTER)
