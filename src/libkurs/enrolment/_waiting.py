"""The waiting list: first come, first served, and what happens when a place frees up.

The list is ordered by when each enrolment joined it (then by the order made). When places
free up, it is read from the top: each person, or each group as a whole, who fits in the free
places of their mode is promoted; one who does not fit keeps their place in the list and the
next is tried. Under :attr:`PromotionPolicy.CONFIRM` promotion confirms at once; under
:attr:`PromotionPolicy.OFFER` the place is held for the person until a deadline.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Final

from libkurs.enrolment._capacity import places as places_of
from libkurs.enrolment._lifecycle import Enrolment, EnrolmentStatus, transition
from libkurs.enrolment._register import (
    Notification,
    NotificationKind,
    Register,
    replace_enrolments,
)
from libkurs.enrolment._targets import Target, resolve_target
from libkurs.model import Catalogue
from libkurs.model._event import utc

__all__ = [
    "DEFAULT_OFFER_TIME",
    "PromotionPolicy",
    "fill_places",
    "offer_deadline",
    "units",
    "waiting_in",
    "waiting_list",
]

#: How long a freed place is held for the person it is offered to, unless told otherwise.
DEFAULT_OFFER_TIME: Final = timedelta(days=2)

S = EnrolmentStatus


class PromotionPolicy(enum.StrEnum):
    """What happens to the next person on the waiting list when a place frees up."""

    CONFIRM = "confirm"
    """They are confirmed at once."""
    OFFER = "offer"
    """They are offered the place until a deadline, and confirmed when they accept."""


def _joined(enrolment: Enrolment) -> datetime:
    for change in reversed(enrolment.history):
        if change.status is S.WAITLISTED:
            return change.at
    return enrolment.changed


def waiting_list(register: Register, catalogue: Catalogue, target: str) -> tuple[Enrolment, ...]:
    """The enrolments waiting for a place in *target* (a programme, event or run id), first first.

    Raises:
        UnknownIdError: *catalogue* has no programme, event or run of that id.
    """
    resolve_target(catalogue, target)
    return waiting_in(register, target)


def waiting_in(register: Register, target: str) -> tuple[Enrolment, ...]:
    """The waiting list of the target with this id, not looked up (see :func:`waiting_list`)."""
    waiting = [
        (utc(_joined(e)), position, e)
        for position, e in enumerate(register.enrolments_in(target))
        if e.status is S.WAITLISTED
    ]
    waiting.sort(key=lambda item: (item[0], item[1]))
    return tuple(e for _, _, e in waiting)


def units(waiting: tuple[Enrolment, ...]) -> list[list[Enrolment]]:
    """The waiting list as the units that get places: one person, or a whole group."""
    result: list[list[Enrolment]] = []
    groups: dict[str, list[Enrolment]] = {}
    for enrolment in waiting:
        if enrolment.group is None:
            result.append([enrolment])
        elif enrolment.group in groups:
            groups[enrolment.group].append(enrolment)
        else:
            groups[enrolment.group] = [enrolment]
            result.append(groups[enrolment.group])
    return result


def offer_deadline(now: datetime, offer_for: timedelta) -> datetime:
    """*offer_for* of elapsed time after *now*, in the zone of *now*.

    Added in UTC, so that an offer made two days before summer time begins lasts 48 hours and
    never ends at a wall-clock time that does not exist.
    """
    return (utc(now) + offer_for).astimezone(now.tzinfo)


def fill_places(
    register: Register,
    target: Target,
    *,
    now: datetime,
    policy: PromotionPolicy,
    offer_for: timedelta = DEFAULT_OFFER_TIME,
) -> tuple[Register, tuple[Notification, ...]]:
    """Promote from the waiting list of *target* into its free places, in order.

    A programme's waiting list is promoted only as far as its module events have places too.
    """
    places = places_of(register, target)
    changed: dict[str, Enrolment] = {}
    notifications: list[Notification] = []
    offered = policy is PromotionPolicy.OFFER
    for unit in units(waiting_in(register, target.id)):
        mode = unit[0].mode
        if not places.fits(mode, len(unit)):
            continue
        places = places.taking(mode, len(unit), offered=offered)
        until = offer_deadline(now, offer_for) if offered else None
        for enrolment in unit:
            if offered:
                new = transition(enrolment, S.OFFERED, at=now, until=until)
                kind = NotificationKind.OFFERED
            else:
                note = "promoted from the waiting list"
                new = transition(enrolment, S.CONFIRMED, at=now, note=note)
                kind = NotificationKind.PROMOTED
            changed[enrolment.id] = new
            notifications.append(
                Notification(
                    kind=kind,
                    participant=enrolment.participant,
                    enrolment=enrolment.id,
                    target=target.id,
                    at=now,
                    until=until,
                )
            )
    return replace_enrolments(register, changed), tuple(notifications)
