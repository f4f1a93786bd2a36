"""The engine: plan, then send each message and record it the moment the server accepts it.

A second run sends nothing: every accepted message is in the journal (its log is flushed to
disk before the next message goes), and the planner sends only what the journal does not
hold. A run killed half-way sends the rest the next time and nothing twice (except, at worst,
the one message the server had accepted when the process died before recording it).

An :class:`~libkurs.errors.MailUnavailableError` (no connection, a timeout, an SMTP 4xx) is
tried again with back-off (:class:`~libkurs.sync.RetryPolicy`, whose waits
``LIBKURS_NO_BACKOFF=1`` turns off in tests); if it persists for one message that message
fails and the run goes on, but two messages in a row failing so stops the run (the server is
down: the next run takes up from there). A :class:`~libkurs.errors.MessageRefusedError` (a 5xx)
is that recipient's failure. A :class:`~libkurs.errors.MailLoginError` stops the run.
Nothing personal is logged: results name enrolments and sessions, not addresses.
"""

from __future__ import annotations

import enum
import logging
import random
import time
from collections.abc import Callable
from datetime import datetime

import attrs

from libkurs.enrolment import Register
from libkurs.errors import MailUnavailableError, MessageRefusedError
from libkurs.formats.ics import Attendee
from libkurs.invitations._journal import Journal
from libkurs.invitations._message import message_for
from libkurs.invitations._plan import Delivery, Plan, plan
from libkurs.invitations._transport import Transport
from libkurs.model import Catalogue
from libkurs.model._checks import check_aware
from libkurs.sync import RetryPolicy

__all__ = ["Outcome", "Report", "Result", "deliver"]

_log = logging.getLogger("libkurs.invitations")


class Outcome(enum.Enum):
    """What happened to one planned message."""

    SENT = "sent"
    PLANNED = "planned"
    """A dry run: it would be sent."""
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class Result:
    """One planned message, what happened to it, and why if it failed."""

    delivery: Delivery
    outcome: Outcome
    reason: str | None = None
    message_id: str | None = None

    def to_dict(self) -> dict[str, object]:
        """For ``--json``: ids, method, SEQUENCE and outcome; never an address."""
        data = {**self.delivery.to_dict(), "outcome": self.outcome.value}
        if self.reason is not None:
            data["error"] = self.reason
        return data


@attrs.frozen(kw_only=True)
class Report:
    """What a delivery did; counts are derived from the results."""

    results: tuple[Result, ...]
    skipped: tuple[tuple[str, str], ...] = ()
    dry_run: bool = False
    stopped: str | None = None
    """Why the run stopped before the end (the server went away), if it did."""

    def count(self, outcome: Outcome) -> int:
        """How many messages had *outcome*."""
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def sent(self) -> int:
        """How many messages the server accepted."""
        return self.count(Outcome.SENT)

    @property
    def failed(self) -> int:
        """How many messages failed."""
        return self.count(Outcome.FAILED)

    @property
    def planned(self) -> int:
        """How many messages a dry run would send."""
        return self.count(Outcome.PLANNED)

    def to_dict(self) -> dict[str, object]:
        """The report as JSON-ready data, without addresses."""
        return {
            "dry_run": self.dry_run,
            "sent": self.sent,
            "failed": self.failed,
            "planned": self.planned,
            "stopped": self.stopped,
            "skipped": [{"enrolment": e, "reason": r} for e, r in self.skipped],
            "messages": [r.to_dict() for r in self.results],
        }


def _send(
    transport: Transport,
    delivery: Delivery,
    catalogue: Catalogue,
    *,
    sender: str,
    now: datetime,
    retry: RetryPolicy,
    sleep: Callable[[float], object],
) -> str:
    message = message_for(delivery, catalogue, sender=sender, now=now)
    delays = retry.delays()
    for attempt in range(retry.attempts):
        try:
            transport.send(message, sender=sender, recipient=delivery.recipient)
            return str(message["Message-ID"])
        except MailUnavailableError as error:
            if attempt == retry.attempts - 1:
                raise
            delay = delays[attempt] * (0.5 + random.random() / 2)  # noqa: S311 - jitter
            _log.info("%s; attempt %d of %d in %.2f s", error, attempt + 2, retry.attempts, delay)
            if retry.waits():
                sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def deliver(
    register: Register,
    catalogue: Catalogue,
    journal: Journal,
    transport: Transport,
    *,
    sender: str,
    now: datetime,
    organiser: Attendee | None = None,
    organisation: str | None = None,
    uid_domain: str = "libkurs",
    dry_run: bool = False,
    retry: RetryPolicy | None = None,
    progress: Callable[[Result], None] | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> Report:
    """Send each participant what their calendar lacks, and record it in *journal*.

    :func:`~libkurs.invitations.plan` decides (see there for *sender*, *organiser*,
    *organisation* and *uid_domain*); each message is built by
    :func:`~libkurs.invitations.message_for` with DTSTAMP and ``Date`` *now*, handed to
    *transport*, and recorded in *journal* as soon as it is accepted. The journal first forgets
    enrolments the register no longer holds (and anonymised people); it is saved at the end.
    A *dry_run* plans and sends nothing.

    When the server stays unavailable for two messages in a row the run stops there, and
    :attr:`Report.stopped` says why; what was sent before is recorded.

    Raises:
        MailLoginError: the server refused the login (nothing more was sent).
        ValidationError: *sender* is not an address, or *now* is not aware.
    """
    check_aware(now, "now")
    retry = retry or RetryPolicy()
    journal.forget(register)
    planned: Plan = plan(
        register,
        catalogue,
        journal,
        sender=sender,
        now=now,
        organiser=organiser,
        organisation=organisation,
        uid_domain=uid_domain,
    )
    results: list[Result] = []
    stopped = None
    in_a_row = 0
    try:
        for delivery in planned.deliveries:
            if dry_run:
                result = Result(delivery=delivery, outcome=Outcome.PLANNED)
            else:
                try:
                    message_id = _send(
                        transport,
                        delivery,
                        catalogue,
                        sender=sender,
                        now=now,
                        retry=retry,
                        sleep=sleep,
                    )
                except MessageRefusedError as error:
                    result = Result(delivery=delivery, outcome=Outcome.FAILED, reason=str(error))
                except MailUnavailableError as error:
                    in_a_row += 1
                    result = Result(delivery=delivery, outcome=Outcome.FAILED, reason=str(error))
                    if in_a_row >= 2:
                        results.append(result)
                        stopped = str(error)
                        break
                else:
                    in_a_row = 0
                    journal.record(delivery.entry(at=now, message_id=message_id))
                    result = Result(delivery=delivery, outcome=Outcome.SENT, message_id=message_id)
            results.append(result)
            if progress is not None:
                progress(result)
    finally:
        transport.close()
        if not dry_run:
            journal.save()
    return Report(results=tuple(results), skipped=planned.skipped, dry_run=dry_run, stopped=stopped)
