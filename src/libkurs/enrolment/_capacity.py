"""Places: how many a target has, per mode, how many are taken, and who may still enrol.

Capacity is read from the target's :class:`~libkurs.EnrolmentSettings`. ``capacity`` bounds
everyone together; ``capacity_on_site`` and ``capacity_remote`` bound each mode, and 0 means
that mode is not offered. A confirmed enrolment and an offer not yet answered take a place.
None means no limit.

A programme's participants attend its module events, so they take a place in each: an event's
places count its programmes' enrolments too, and a programme has a free place only when each
of its module events has one (:class:`Places`).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from libkurs.enrolment._errors import EnrolmentClosedError, EnrolmentError
from libkurs.enrolment._lifecycle import HOLDING_A_PLACE, EnrolmentStatus, ParticipationMode
from libkurs.enrolment._register import Register
from libkurs.enrolment._targets import Target, resolve_target
from libkurs.model import Catalogue, EnrolmentSettings
from libkurs.model._event import utc

__all__ = [
    "Availability",
    "Places",
    "availability",
    "check_mode",
    "check_window",
    "count_places",
    "minimum_warnings",
    "places",
    "warnings_for",
]

S = EnrolmentStatus
M = ParticipationMode


def _less(limit: int | None, used: int) -> int | None:
    return None if limit is None else max(limit - used, 0)


@attrs.frozen(kw_only=True)
class Availability:
    """The places of one target and how they are used: counts only, no personal data.

    >>> places = Availability(target="run-1", capacity=5, taken_on_site=4)
    >>> places.free(ParticipationMode.ON_SITE)
    1
    >>> places.fits(ParticipationMode.ON_SITE, 2)
    False
    """

    target: str
    capacity: int | None = None
    capacity_on_site: int | None = None
    capacity_remote: int | None = None
    minimum: int | None = None
    waiting_list: int | None = None
    """How many may wait: None for no limit, 0 for no waiting list."""
    taken_on_site: int = 0
    """Confirmed or offered, on site (in an event, with its programmes' participants)."""
    taken_remote: int = 0
    """Confirmed or offered, remote (in an event, with its programmes' participants)."""
    confirmed: int = 0
    """Confirmed (in an event, with its programmes' participants)."""
    offered: int = 0
    waitlisted: int = 0
    requested: int = 0

    @property
    def taken(self) -> int:
        """Places taken in both modes together."""
        return self.taken_on_site + self.taken_remote

    def mode_capacity(self, mode: ParticipationMode) -> int | None:
        """The capacity of one mode (None when only the whole capacity bounds it)."""
        return self.capacity_on_site if mode is M.ON_SITE else self.capacity_remote

    def taken_in(self, mode: ParticipationMode) -> int:
        """Places taken in one mode."""
        return self.taken_on_site if mode is M.ON_SITE else self.taken_remote

    def free(self, mode: ParticipationMode) -> int | None:
        """Free places for *mode*: the smaller of what its own and the whole capacity leave."""
        limits = [
            value
            for value in (
                _less(self.capacity, self.taken),
                _less(self.mode_capacity(mode), self.taken_in(mode)),
            )
            if value is not None
        ]
        return min(limits) if limits else None

    def fits(self, mode: ParticipationMode, count: int = 1) -> bool:
        """Whether *count* more people fit in *mode*."""
        free = self.free(mode)
        return free is None or free >= count

    def waiting_room(self) -> int | None:
        """How many more may join the waiting list (None: no limit)."""
        return _less(self.waiting_list, self.waitlisted)

    def taking(self, mode: ParticipationMode, count: int, *, offered: bool = False) -> Availability:
        """These counts after *count* people of *mode* leave the waiting list for a place."""
        on_site = count if mode is M.ON_SITE else 0
        return attrs.evolve(
            self,
            taken_on_site=self.taken_on_site + on_site,
            taken_remote=self.taken_remote + count - on_site,
            waitlisted=self.waitlisted - count,
            offered=self.offered + (count if offered else 0),
            confirmed=self.confirmed + (0 if offered else count),
        )


def availability(register: Register, catalogue: Catalogue, target: str) -> Availability:
    """Count the places of *target* (a programme, event or run id) in *register*.

    The places of an event are taken by its own participants and by those of the programmes
    it is a module of; its waiting list holds only its own.

    Raises:
        UnknownIdError: *catalogue* has no programme, event or run of that id.
        EnrolmentError: an event that has runs (each run has its own places).
    """
    return count_places(register, resolve_target(catalogue, target))


def count_places(register: Register, target: Target) -> Availability:
    """Count the places of a resolved *target* in *register* (see :func:`availability`)."""
    settings = target.settings or EnrolmentSettings()
    counts = dict.fromkeys(S, 0)
    taken = {M.ON_SITE: 0, M.REMOTE: 0}
    for (status, mode), count in register.tally(target.id).items():
        counts[status] += count
        if status in HOLDING_A_PLACE:
            taken[mode] += count
    for programme in target.programmes:
        for (status, mode), count in register.tally(programme).items():
            if status in HOLDING_A_PLACE:
                counts[status] += count
                taken[mode] += count
    return Availability(
        target=target.id,
        capacity=settings.capacity,
        capacity_on_site=settings.capacity_on_site,
        capacity_remote=settings.capacity_remote,
        minimum=settings.minimum,
        waiting_list=settings.waiting_list,
        taken_on_site=taken[M.ON_SITE],
        taken_remote=taken[M.REMOTE],
        confirmed=counts[S.CONFIRMED],
        offered=counts[S.OFFERED],
        waitlisted=counts[S.WAITLISTED],
        requested=counts[S.REQUESTED],
    )


@attrs.frozen(kw_only=True)
class Places:
    """The places a new participant of a target needs: its own, and one in each module event."""

    own: Availability
    modules: tuple[Availability, ...] = ()

    def fits(self, mode: ParticipationMode, count: int = 1) -> bool:
        """Whether *count* more people fit in *mode*, in the target and in each module."""
        return all(places.fits(mode, count) for places in (self.own, *self.modules))

    def waiting_room(self) -> int | None:
        """How many more may join the target's waiting list (None: no limit)."""
        return self.own.waiting_room()

    def taking(self, mode: ParticipationMode, count: int, *, offered: bool = False) -> Places:
        """These counts after *count* people of *mode* leave the waiting list for a place."""
        modules = tuple(
            attrs.evolve(m.taking(mode, count, offered=offered), waitlisted=m.waitlisted)
            for m in self.modules
        )
        return Places(own=self.own.taking(mode, count, offered=offered), modules=modules)


def places(register: Register, target: Target) -> Places:
    """The places of *target* and, for a programme, of each of its module events."""
    return Places(
        own=count_places(register, target),
        modules=tuple(count_places(register, module) for module in target.modules),
    )


def check_window(target: Target, now: datetime) -> None:
    """Raise :class:`EnrolmentClosedError` unless enrolment in *target* is open at *now*."""
    settings = target.settings
    if settings is None:
        return
    if settings.opens is not None and utc(now) < utc(settings.opens):
        raise EnrolmentClosedError(
            f"enrolment in {target.id!r} opens at {settings.opens.isoformat()}", path="now"
        )
    if settings.closes is not None and utc(now) > utc(settings.closes):
        raise EnrolmentClosedError(
            f"enrolment in {target.id!r} closed at {settings.closes.isoformat()}", path="now"
        )


def check_mode(room: Places, mode: ParticipationMode) -> None:
    """Raise :class:`EnrolmentError` if *mode* has no places at all (capacity 0)."""
    for counts in (room.own, *room.modules):
        if counts.capacity == 0 or counts.mode_capacity(mode) == 0:
            raise EnrolmentError(
                f"{counts.target!r} has no places for taking part {mode.value.replace('_', ' ')}",
                path="mode",
            )


def warnings_for(register: Register, target: Target) -> tuple[str, ...]:
    """The organiser's warnings about *target* in *register* (see :func:`minimum_warnings`)."""
    if target.settings is None or target.settings.minimum is None:
        return ()
    return minimum_warnings(count_places(register, target))


def minimum_warnings(places: Availability) -> tuple[str, ...]:
    """A warning when fewer are confirmed than the minimum needed for the target to run."""
    if places.minimum is not None and places.confirmed < places.minimum:
        warning = (
            f"{places.target!r} has {places.confirmed} confirmed of the {places.minimum} "
            "it needs: it may not run"
        )
        return (warning,)
    return ()
