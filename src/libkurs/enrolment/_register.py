"""The register: the participants and enrolments of one catalogue, and what operations return.

Operations never change a register; they return an :class:`Outcome` with a new one. Inside the
package, new registers are assembled from the old one without a full validation (the operations
keep the register's rules themselves), so that an operation costs about as much as copying a
tuple. The id indexes are shared along a line of registers and only ever added to; a lookup
checks the position it finds, and falls back to a scan when a register derived from the same
one has reused the id. The index of each participant's enrolments is shared the same way (a
lookup keeps only the positions that hold that participant's enrolment in this register). The
counts of each target's enrolments by status and mode are copied on write, so that finding the
free places of a target does not read its enrolments.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

import attrs

from libkurs.enrolment._errors import UnknownIdError
from libkurs.enrolment._lifecycle import ACTIVE, Enrolment, EnrolmentStatus, ParticipationMode
from libkurs.enrolment._participants import Participant
from libkurs.errors import DuplicateIdError, UnresolvedReferenceError, ValidationError
from libkurs.model._checks import (
    check_aware,
    check_identifier,
    check_text,
    each_check,
    field_check,
    instance_check,
    strings,
    tuple_of,
)

__all__ = ["Notification", "NotificationKind", "Outcome", "Register"]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_Identified)

#: How many enrolments of one target are in each status and mode.
Tally = dict[tuple[EnrolmentStatus, ParticipationMode], int]


def _count(tallies: dict[str, Tally], enrolment: Enrolment, step: int) -> None:
    """Add *step* to the tally of *enrolment*'s target (a copy, made once per operation)."""
    key = (enrolment.status, enrolment.mode)
    tally = tallies[enrolment.target]
    tally[key] = tally.get(key, 0) + step


def _position(items: tuple[T, ...], index: dict[str, int], id: str) -> int | None:
    """Where the item with *id* is in *items*, or None (every id of *items* is in *index*)."""
    position = index.get(id)
    if position is None:
        return None
    if position < len(items) and items[position].id == id:
        return position
    # Another register derived from the same one put this id elsewhere: look the long way.
    return next((n for n, item in enumerate(items) if item.id == id), None)


def _participants(items: Sequence[Participant]) -> tuple[Participant, ...]:
    return tuple_of(items)


def _enrolments(items: Sequence[Enrolment]) -> tuple[Enrolment, ...]:
    return tuple_of(items)


@attrs.frozen(kw_only=True, repr=False)
class Register:
    """The participants and the enrolments of one catalogue: personal data, never published.

    Ids are unique among participants and among enrolments; every enrolment names a participant
    of the register. Targets (programme, event and run ids) are checked against a catalogue by
    the operations, not here, so a register can be read without its catalogue. Its ``repr``
    only counts them, so that logs and tracebacks do not spread personal data.

    >>> Register().enrolments
    ()
    >>> Register()
    Register(0 participants, 0 enrolments)
    """

    participants: tuple[Participant, ...] = attrs.field(
        default=(), converter=_participants, validator=each_check(instance_check(Participant))
    )
    enrolments: tuple[Enrolment, ...] = attrs.field(
        default=(), converter=_enrolments, validator=each_check(instance_check(Enrolment))
    )
    _participant_index: dict[str, int] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _enrolment_index: dict[str, int] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _target_index: dict[str, tuple[int, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _person_index: dict[str, list[int]] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _tallies: dict[str, Tally] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        people: dict[str, int] = {}
        for position, participant in enumerate(self.participants):
            if participant.id in people:
                raise DuplicateIdError(
                    participant.id,
                    path=f"participants[{position}].id",
                    first_path=f"participants[{people[participant.id]}].id",
                )
            people[participant.id] = position
        enrolments: dict[str, int] = {}
        targets: dict[str, list[int]] = {}
        persons: dict[str, list[int]] = {}
        tallies: dict[str, Tally] = {}
        for position, enrolment in enumerate(self.enrolments):
            path = f"enrolments[{position}]"
            if enrolment.id in enrolments:
                raise DuplicateIdError(
                    enrolment.id,
                    path=f"{path}.id",
                    first_path=f"enrolments[{enrolments[enrolment.id]}].id",
                )
            enrolments[enrolment.id] = position
            for name in ("participant", "contact"):
                reference = getattr(enrolment, name)
                if reference is not None and reference not in people:
                    raise UnresolvedReferenceError(
                        reference, expected="participant", path=f"{path}.{name}"
                    )
            targets.setdefault(enrolment.target, []).append(position)
            persons.setdefault(enrolment.participant, []).append(position)
            tallies.setdefault(enrolment.target, {})
            _count(tallies, enrolment, 1)
        object.__setattr__(self, "_participant_index", people)
        object.__setattr__(self, "_enrolment_index", enrolments)
        object.__setattr__(self, "_target_index", {k: tuple(v) for k, v in targets.items()})
        object.__setattr__(self, "_person_index", persons)
        object.__setattr__(self, "_tallies", tallies)

    def __repr__(self) -> str:
        return f"Register({len(self.participants)} participants, {len(self.enrolments)} enrolments)"

    def participant(self, id: str) -> Participant:
        """The participant with this id; :class:`UnknownIdError` if there is none."""
        position = _position(self.participants, self._participant_index, id)
        if position is None:
            raise UnknownIdError(id, expected="participant")
        return self.participants[position]

    def enrolment(self, id: str) -> Enrolment:
        """The enrolment with this id; :class:`UnknownIdError` if there is none."""
        position = _position(self.enrolments, self._enrolment_index, id)
        if position is None:
            raise UnknownIdError(id, expected="enrolment")
        return self.enrolments[position]

    def enrolments_in(self, target: str) -> tuple[Enrolment, ...]:
        """The enrolments in *target* (a programme, event or run id), in the order made."""
        return tuple(self.enrolments[i] for i in self._target_index.get(target, ()))

    def enrolments_of(self, participant: str) -> tuple[Enrolment, ...]:
        """The enrolments of one participant, in the order made."""
        count = len(self.enrolments)
        positions = sorted(set(self._person_index.get(participant, ())))
        return tuple(
            self.enrolments[i]
            for i in positions
            if i < count and self.enrolments[i].participant == participant
        )

    def enrolment_of(self, participant: str, target: str) -> Enrolment:
        """The enrolment of *participant* in *target* (a programme, event or run id).

        When they have several there (they withdrew and enrolled again), the one still going,
        else the latest. The target is not checked against a catalogue: a register does not
        know its catalogue.

        >>> from datetime import datetime
        >>> from libkurs import HELSINKI
        >>> from libkurs.enrolment import EnrolmentStatus, StatusChange
        >>> register = Register(
        ...     participants=[Participant(id="p1", name="Anna", email="anna@example.org")],
        ...     enrolments=[
        ...         Enrolment(
        ...             id="e1",
        ...             participant="p1",
        ...             target="kurs",
        ...             history=[
        ...                 StatusChange(
        ...                     status=EnrolmentStatus.CONFIRMED,
        ...                     at=datetime(2023, 1, 2, tzinfo=HELSINKI),
        ...                 )
        ...             ],
        ...         )
        ...     ],
        ... )
        >>> register.enrolment_of("p1", "kurs").id
        'e1'

        Raises:
            UnknownIdError: no participant of that id, or no enrolment of theirs in *target*.
        """
        self.participant(participant)
        found = [e for e in self.enrolments_of(participant) if e.target == target]
        if not found:
            raise UnknownIdError(
                target,
                expected="target",
                path="target",
                reason=f"{participant!r} has no enrolment in {target!r}",
            )
        going = [e for e in found if e.status in ACTIVE]
        return (going or found)[-1]

    def tally(self, target: str) -> Mapping[tuple[EnrolmentStatus, ParticipationMode], int]:
        """How many enrolments of *target* are in each status and mode (absent: none).

        >>> Register().tally("kurs")
        {}
        """
        return dict(self._tallies.get(target, {}))

    def participant_by_email(self, email: str) -> Participant | None:
        """The participant with this e-mail address (ignoring case), or None."""
        wanted = email.casefold()
        for participant in self.participants:
            if participant.email is not None and participant.email.casefold() == wanted:
                return participant
        return None


def _assemble(
    *,
    participants: tuple[Participant, ...],
    enrolments: tuple[Enrolment, ...],
    participant_index: dict[str, int],
    enrolment_index: dict[str, int],
    target_index: dict[str, tuple[int, ...]],
    person_index: dict[str, list[int]],
    tallies: dict[str, Tally],
) -> Register:
    # The package's operations keep every rule of the register themselves, so they skip the
    # full validation of __attrs_post_init__ (which is linear in the size of the register).
    register: Register = object.__new__(Register)
    for name, value in (
        ("participants", participants),
        ("enrolments", enrolments),
        ("_participant_index", participant_index),
        ("_enrolment_index", enrolment_index),
        ("_target_index", target_index),
        ("_person_index", person_index),
        ("_tallies", tallies),
    ):
        object.__setattr__(register, name, value)
    return register


def add_participants(register: Register, new: Iterable[Participant]) -> Register:
    """*register* with *new* participants appended; their ids must be new."""
    added = list(new)
    seen: dict[str, int] = {}
    for offset, participant in enumerate(added):
        if not isinstance(participant, Participant):
            raise ValidationError(
                f"expected Participant, got {type(participant).__name__}", path="participants"
            )
        position = len(register.participants) + offset
        first = seen.get(participant.id)
        if first is None:
            first = _position(register.participants, register._participant_index, participant.id)
        if first is not None:
            raise DuplicateIdError(
                participant.id,
                path=f"participants[{position}].id",
                first_path=f"participants[{first}].id",
            )
        seen[participant.id] = position
    people = register._participant_index
    people.update(seen)  # only ever added to: see the module's docstring
    return _assemble(
        participants=(*register.participants, *added),
        enrolments=register.enrolments,
        participant_index=people,
        enrolment_index=register._enrolment_index,
        target_index=register._target_index,
        person_index=register._person_index,
        tallies=register._tallies,
    )


def replace_participants(register: Register, changed: Mapping[str, Participant]) -> Register:
    """*register* with the participants of these ids replaced (ids unchanged)."""
    people = list(register.participants)
    for id, participant in changed.items():
        position = _position(register.participants, register._participant_index, id)
        if position is None:
            raise UnknownIdError(id, expected="participant")
        people[position] = participant
    return _assemble(
        participants=tuple(people),
        enrolments=register.enrolments,
        participant_index=register._participant_index,
        enrolment_index=register._enrolment_index,
        target_index=register._target_index,
        person_index=register._person_index,
        tallies=register._tallies,
    )


def add_enrolments(register: Register, new: Iterable[Enrolment]) -> Register:
    """*register* with *new* enrolments appended; ids new, participants known."""
    targets = dict(register._target_index)
    added = list(new)
    seen: dict[str, int] = {}
    for offset, enrolment in enumerate(added):
        position = len(register.enrolments) + offset
        first = seen.get(enrolment.id)
        if first is None:
            first = _position(register.enrolments, register._enrolment_index, enrolment.id)
        if first is not None:
            raise DuplicateIdError(
                enrolment.id,
                path=f"enrolments[{position}].id",
                first_path=f"enrolments[{first}].id",
            )
        for reference in (enrolment.participant, enrolment.contact):
            if reference is not None:
                register.participant(reference)  # raises UnknownIdError
        seen[enrolment.id] = position
        targets[enrolment.target] = (*targets.get(enrolment.target, ()), position)
    tallies = dict(register._tallies)
    for enrolment in added:
        tallies[enrolment.target] = dict(tallies.get(enrolment.target, {}))
    for enrolment in added:
        _count(tallies, enrolment, 1)
    index = register._enrolment_index
    index.update(seen)  # only ever added to: see the module's docstring
    persons = register._person_index
    for enrolment in added:  # only ever added to, too
        persons.setdefault(enrolment.participant, []).append(seen[enrolment.id])
    return _assemble(
        participants=register.participants,
        enrolments=(*register.enrolments, *added),
        participant_index=register._participant_index,
        enrolment_index=index,
        target_index=targets,
        person_index=persons,
        tallies=tallies,
    )


def replace_enrolments(register: Register, changed: Mapping[str, Enrolment]) -> Register:
    """*register* with the enrolments of these ids replaced (ids, targets, people unchanged)."""
    if not changed:
        return register
    enrolments = list(register.enrolments)
    for id, enrolment in changed.items():
        position = _position(register.enrolments, register._enrolment_index, id)
        if position is None:
            raise UnknownIdError(id, expected="enrolment")
        old = enrolments[position]
        assert (old.id, old.target, old.participant) == (
            enrolment.id,
            enrolment.target,
            enrolment.participant,
        )
        enrolments[position] = enrolment
    tallies = dict(register._tallies)
    olds = [register.enrolment(id) for id in changed]
    for old in olds:
        tallies[old.target] = dict(tallies[old.target])
    for old, new in zip(olds, changed.values(), strict=True):
        _count(tallies, old, -1)
        _count(tallies, new, 1)
    return _assemble(
        participants=register.participants,
        enrolments=tuple(enrolments),
        participant_index=register._participant_index,
        enrolment_index=register._enrolment_index,
        target_index=register._target_index,
        person_index=register._person_index,
        tallies=tallies,
    )


def new_enrolment_id(register: Register, taken: Iterable[str] = ()) -> str:
    """A fresh enrolment id, ``e<number>``."""
    reserved = set(taken)
    number = len(register.enrolments) + len(reserved) + 1
    while (
        _position(register.enrolments, register._enrolment_index, f"e{number}") is not None
        or f"e{number}" in reserved
    ):
        number += 1
    return f"e{number}"


def new_participant_id(register: Register, taken: Iterable[str] = ()) -> str:
    """A fresh participant id, ``p<number>``, not in *register* nor among *taken*.

    Pass *taken* as a set to make many ids in a row: it is then used as it is, not copied.

    >>> new_participant_id(Register(), {"p1"})
    'p2'
    """
    reserved = taken if isinstance(taken, set | frozenset) else set(taken)
    number = len(register.participants) + len(reserved) + 1
    while (
        _position(register.participants, register._participant_index, f"p{number}") is not None
        or f"p{number}" in reserved
    ):
        number += 1
    return f"p{number}"


class NotificationKind(enum.StrEnum):
    """What a notification tells its participant."""

    RECEIVED = "received"
    """The request arrived and awaits the organiser's approval."""
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    """A place is offered until ``until``."""
    PROMOTED = "promoted"
    """Confirmed from the waiting list."""
    DECLINED = "declined"
    """The offer lapsed or was declined."""
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    """The organiser cancelled the enrolment, or the event."""
    PART_CANCELLED = "part_cancelled"
    """One session or module (``part``) is cancelled; the enrolment stands."""


@attrs.frozen(kw_only=True)
class Notification:
    """A message the host application should send; libkurs sends nothing itself."""

    kind: NotificationKind = attrs.field(validator=field_check(instance_check(NotificationKind)))
    participant: str = attrs.field(validator=field_check(check_identifier))
    enrolment: str = attrs.field(validator=field_check(check_identifier))
    target: str = attrs.field(validator=field_check(check_identifier))
    at: datetime = attrs.field(validator=field_check(check_aware))
    until: datetime | None = attrs.field(
        default=None, validator=field_check(check_aware, optional=True)
    )
    """For an offer: the deadline to accept it."""
    part: str | None = attrs.field(
        default=None, validator=field_check(check_identifier, optional=True)
    )
    """For a cancelled part: the session or module id."""
    note: str | None = attrs.field(default=None, validator=field_check(check_text, optional=True))


def _notifications(items: Sequence[Notification]) -> tuple[Notification, ...]:
    return tuple_of(items)


@attrs.frozen(kw_only=True)
class Outcome:
    """What an operation returns: the new register, whom to notify, warnings for the organiser."""

    register: Register
    notifications: tuple[Notification, ...] = attrs.field(default=(), converter=_notifications)
    warnings: tuple[str, ...] = attrs.field(default=(), converter=strings)
