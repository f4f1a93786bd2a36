"""Enrolling, approving, withdrawing, cancelling, and answering offers.

Every operation takes the register, the catalogue and the moment ``now`` (the clock is the
caller's), and returns an :class:`~libkurs.enrolment.Outcome`: the new register, the
notifications to send and warnings for the organiser. It either applies fully or raises and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from libkurs.enrolment._capacity import (
    check_mode,
    check_window,
    places,
    warnings_for,
)
from libkurs.enrolment._errors import EnrolmentError, IllegalTransitionError, NoPlaceError
from libkurs.enrolment._lifecycle import (
    ACTIVE,
    HOLDING_A_PLACE,
    Enrolment,
    EnrolmentStatus,
    ParticipationMode,
    StatusChange,
    transition,
)
from libkurs.enrolment._participants import Participant
from libkurs.enrolment._register import (
    Notification,
    NotificationKind,
    Outcome,
    Register,
    add_enrolments,
    add_participants,
    new_enrolment_id,
    replace_enrolments,
)
from libkurs.enrolment._targets import Target, resolve_target
from libkurs.enrolment._waiting import DEFAULT_OFFER_TIME, PromotionPolicy, fill_places
from libkurs.model import Catalogue
from libkurs.model._checks import check_aware
from libkurs.model._event import utc

__all__ = [
    "accept_offer",
    "add_participant",
    "approve",
    "cancel_enrolment",
    "decline_offer",
    "enrol",
    "enrol_group",
    "expire_offers",
    "promote",
    "reject",
    "withdraw",
]

S = EnrolmentStatus
_STATUS_NOTICE = {
    S.REQUESTED: NotificationKind.RECEIVED,
    S.CONFIRMED: NotificationKind.CONFIRMED,
    S.WAITLISTED: NotificationKind.WAITLISTED,
}


def _notify(
    kind: NotificationKind,
    enrolment: Enrolment,
    now: datetime,
    *,
    until: datetime | None = None,
    note: str | None = None,
) -> Notification:
    return Notification(
        kind=kind,
        participant=enrolment.participant,
        enrolment=enrolment.id,
        target=enrolment.target,
        at=now,
        until=until,
        note=note,
    )


def add_participant(register: Register, participant: Participant) -> Register:
    """*register* with one more participant; its id must be new."""
    return add_participants(register, [participant])


def _clashes(register: Register, target: Target, participant: str) -> Enrolment | None:
    """An active enrolment of *participant* in *target* or in one that clashes with it.

    Those are another run of its event, and a programme together with one of its modules.
    """
    siblings = {target.id, *target.clashes_with}
    for enrolment in register.enrolments_of(participant):
        if enrolment.target in siblings and enrolment.status in ACTIVE:
            return enrolment
    return None


def enrol(
    register: Register,
    catalogue: Catalogue,
    participant: str,
    target: str,
    *,
    now: datetime,
    mode: ParticipationMode = ParticipationMode.ON_SITE,
    sessions: Iterable[str] = (),
    approval: bool | None = None,
    id: str | None = None,
) -> Outcome:
    """Enrol one participant in a programme, an event or a run.

    They are confirmed if a place of their *mode* is free, else put on the waiting list; with
    *approval* (by default the target's ``EnrolmentSettings.approval``) the enrolment waits as
    *requested* for :func:`approve`. *sessions* is the
    participant's choice of sessions, when the target's ``EnrolmentSettings.session_choice``
    offers one (empty: all of them). A programme's participant also takes a place in each of its
    module events, so a programme has a free place only when each module has one.

    Raises:
        UnknownIdError: no such participant, target or session.
        EnrolmentClosedError: the enrolment window is not open at *now*.
        NoPlaceError: no free place and no room on the waiting list.
        EnrolmentError: already enrolled in the target (or in another run of its event, or in
            a programme and one of its modules), the mode has no places, or *sessions* are
            given but the target's settings do not allow a choice of sessions
            (``EnrolmentSettings.session_choice``).
    """
    return _enrol_many(
        register,
        catalogue,
        [participant],
        target,
        now=now,
        mode=mode,
        sessions=tuple(sessions),
        approval=approval,
        ids=[id] if id is not None else None,
        group=None,
        contact=None,
    )


def enrol_group(
    register: Register,
    catalogue: Catalogue,
    participants: Sequence[str],
    target: str,
    *,
    contact: str,
    now: datetime,
    mode: ParticipationMode = ParticipationMode.ON_SITE,
    sessions: Iterable[str] = (),
    approval: bool | None = None,
    group: str | None = None,
) -> Outcome:
    """Enrol several participants at once for one *contact*: all get places, or none do.

    If the free places of *mode* cannot take the whole group, the whole group joins the waiting
    list (if it has room for all of them) and is promoted together. Raises as :func:`enrol`.
    """
    if not participants:
        raise EnrolmentError("a group needs at least one participant", path="participants")
    ids = [new_enrolment_id(register)]
    for _ in participants[1:]:
        ids.append(new_enrolment_id(register, ids))
    return _enrol_many(
        register,
        catalogue,
        list(participants),
        target,
        now=now,
        mode=mode,
        sessions=tuple(sessions),
        approval=approval,
        ids=ids,
        group=group or f"g-{ids[0]}",
        contact=contact,
    )


def _enrol_many(
    register: Register,
    catalogue: Catalogue,
    participants: list[str],
    target_id: str,
    *,
    now: datetime,
    mode: ParticipationMode,
    sessions: tuple[str, ...],
    approval: bool | None,
    ids: list[str] | None,
    group: str | None,
    contact: str | None,
) -> Outcome:
    target, new = decide_enrolment(
        register, catalogue, participants, target_id, now=now, mode=mode, sessions=sessions,
        approval=approval, ids=ids, group=group, contact=contact,
    )  # fmt: skip
    register = add_enrolments(register, new)
    notifications = [_notify(_STATUS_NOTICE[e.status], e, now) for e in new]
    warnings = warnings_for(register, target)
    return Outcome(register=register, notifications=notifications, warnings=warnings)


def enrolment_notice(enrolment: Enrolment, now: datetime) -> Notification:
    """The notification that a new *enrolment* sends its participant."""
    return _notify(_STATUS_NOTICE[enrolment.status], enrolment, now)


def decide_enrolment(
    register: Register,
    catalogue: Catalogue,
    participants: list[str],
    target_id: str,
    *,
    now: datetime,
    mode: ParticipationMode,
    sessions: tuple[str, ...] = (),
    approval: bool | None = None,
    ids: list[str] | None = None,
    group: str | None = None,
    contact: str | None = None,
) -> tuple[Target, list[Enrolment]]:
    """The target and the new enrolments that enrolling *participants* makes; changes nothing.

    Raises as :func:`enrol`.
    """
    check_aware(now, "now")
    mode = ParticipationMode(mode)
    for person in (*participants, *([contact] if contact else [])):
        register.participant(person)
    if len(set(participants)) != len(participants):
        raise EnrolmentError("a participant is listed twice", path="participants")
    target = resolve_target(catalogue, target_id)
    if sessions and (target.settings is None or not target.settings.session_choice):
        raise EnrolmentError(
            f"{target_id!r} does not let participants choose sessions", path="sessions"
        )
    for session in sessions:
        target.session(session)
    check_window(target, now)
    room = places(register, target)
    check_mode(room, mode)
    for person in participants:
        clash = _clashes(register, target, person)
        if clash is not None:
            raise EnrolmentError(
                f"{person!r} is already enrolled in {clash.target!r} ({clash.status})",
                path="participant",
            )
    count = len(participants)
    if approval is None:
        approval = target.settings is not None and target.settings.approval
    if approval:
        status = S.REQUESTED
    elif room.fits(mode, count):
        status = S.CONFIRMED
    else:
        waiting = room.waiting_room()
        if waiting is not None and waiting < count:
            raise NoPlaceError(
                f"{target_id!r} has no free place for {count} taking part "
                f"{mode.value.replace('_', ' ')} and no room on its waiting list",
                path="target",
            )
        status = S.WAITLISTED
    if ids is None:
        ids = [new_enrolment_id(register)]
    new = [
        Enrolment(
            id=enrolment_id,
            participant=person,
            target=target_id,
            mode=mode,
            sessions=sessions,
            group=group,
            contact=contact,
            history=[StatusChange(status=status, at=now)],
        )
        for enrolment_id, person in zip(ids, participants, strict=True)
    ]
    return target, new


def _fill(
    register: Register,
    catalogue: Catalogue,
    target: Target,
    *,
    now: datetime,
    policy: PromotionPolicy,
    offer_for: timedelta,
) -> tuple[Register, list[Notification]]:
    """Fill the free places of *target*, then of the targets that share its places.

    A place freed in a programme frees one in each of its module events, and a place freed in
    a module event may let a programme's waiting list move.
    """
    register, promoted = fill_places(register, target, now=now, policy=policy, offer_for=offer_for)
    notifications = list(promoted)
    related = [module.id for module in target.modules] + list(target.programmes)
    for related_id in related:
        other = resolve_target(catalogue, related_id)
        register, promoted = fill_places(
            register, other, now=now, policy=policy, offer_for=offer_for
        )
        notifications.extend(promoted)
    return register, notifications


def _expect(enrolment: Enrolment, status: EnrolmentStatus, wanted: EnrolmentStatus) -> None:
    """Raise IllegalTransitionError unless *enrolment* is in *status* (to go to *wanted*)."""
    if enrolment.status is not status:
        raise IllegalTransitionError(
            enrolment.id, current=enrolment.status.value, requested=wanted.value
        )


def _members(register: Register, enrolment: Enrolment, status: EnrolmentStatus) -> list[Enrolment]:
    if enrolment.group is None:
        return [enrolment]
    return [
        e
        for e in register.enrolments_in(enrolment.target)
        if e.group == enrolment.group and e.status is status
    ]


def approve(register: Register, catalogue: Catalogue, enrolment: str, *, now: datetime) -> Outcome:
    """Approve a *requested* enrolment (with the rest of its group): confirm it or let it wait.

    Raises:
        IllegalTransitionError: the enrolment is not requested.
        NoPlaceError: no free place and no room on the waiting list.
    """
    check_aware(now, "now")
    found = register.enrolment(enrolment)
    _expect(found, S.REQUESTED, S.CONFIRMED)
    target = resolve_target(catalogue, found.target)
    members = _members(register, found, S.REQUESTED)
    room = places(register, target)
    if room.fits(found.mode, len(members)):
        status = S.CONFIRMED
    else:
        waiting = room.waiting_room()
        if waiting is not None and waiting < len(members):
            raise NoPlaceError(
                f"{found.target!r} has no free place and no room on its waiting list",
                path="target",
            )
        status = S.WAITLISTED
    changed = {e.id: transition(e, status, at=now, note="approved") for e in members}
    register = replace_enrolments(register, changed)
    notifications = [_notify(_STATUS_NOTICE[status], e, now) for e in changed.values()]
    warnings = warnings_for(register, target)
    return Outcome(register=register, notifications=notifications, warnings=warnings)


def reject(
    register: Register,
    catalogue: Catalogue,
    enrolment: str,
    *,
    now: datetime,
    note: str | None = None,
) -> Outcome:
    """Reject a *requested* enrolment (the organiser does not approve it)."""
    del catalogue  # the same signature as the other operations; a rejection frees no place
    check_aware(now, "now")
    found = register.enrolment(enrolment)
    new = transition(found, S.REJECTED, at=now, note=note)
    register = replace_enrolments(register, {new.id: new})
    return Outcome(
        register=register, notifications=[_notify(NotificationKind.REJECTED, new, now, note=note)]
    )


def _leave(
    register: Register,
    catalogue: Catalogue,
    enrolment: str,
    status: EnrolmentStatus,
    kind: NotificationKind,
    *,
    now: datetime,
    policy: PromotionPolicy,
    offer_for: timedelta,
    note: str | None,
) -> Outcome:
    check_aware(now, "now")
    found = register.enrolment(enrolment)
    new = transition(found, status, at=now, note=note)
    register = replace_enrolments(register, {new.id: new})
    notifications = [_notify(kind, new, now, note=note)]
    # A freed place goes to the waiting list; so may a place that a smaller group now fits.
    if found.status in HOLDING_A_PLACE or found.group is not None:
        target = resolve_target(catalogue, found.target)
        register, promoted = _fill(
            register, catalogue, target, now=now, policy=policy, offer_for=offer_for
        )
        notifications.extend(promoted)
        warnings = warnings_for(register, target)
    else:
        warnings = ()
    return Outcome(register=register, notifications=notifications, warnings=warnings)


def withdraw(
    register: Register,
    catalogue: Catalogue,
    enrolment: str,
    *,
    now: datetime,
    policy: PromotionPolicy = PromotionPolicy.CONFIRM,
    offer_for: timedelta = DEFAULT_OFFER_TIME,
    note: str | None = None,
) -> Outcome:
    """The participant withdraws; a place freed goes to the waiting list under *policy*."""
    return _leave(
        register,
        catalogue,
        enrolment,
        S.WITHDRAWN,
        NotificationKind.WITHDRAWN,
        now=now,
        policy=policy,
        offer_for=offer_for,
        note=note,
    )


def cancel_enrolment(
    register: Register,
    catalogue: Catalogue,
    enrolment: str,
    *,
    now: datetime,
    policy: PromotionPolicy = PromotionPolicy.CONFIRM,
    offer_for: timedelta = DEFAULT_OFFER_TIME,
    note: str | None = None,
) -> Outcome:
    """The organiser cancels one enrolment; a place freed goes to the waiting list."""
    return _leave(
        register,
        catalogue,
        enrolment,
        S.CANCELLED,
        NotificationKind.CANCELLED,
        now=now,
        policy=policy,
        offer_for=offer_for,
        note=note,
    )


def decline_offer(
    register: Register,
    catalogue: Catalogue,
    enrolment: str,
    *,
    now: datetime,
    policy: PromotionPolicy = PromotionPolicy.OFFER,
    offer_for: timedelta = DEFAULT_OFFER_TIME,
) -> Outcome:
    """The participant says no to an offered place; it goes to the next in line."""
    return _leave(
        register,
        catalogue,
        enrolment,
        S.DECLINED,
        NotificationKind.DECLINED,
        now=now,
        policy=policy,
        offer_for=offer_for,
        note=None,
    )


def accept_offer(
    register: Register, catalogue: Catalogue, enrolment: str, *, now: datetime
) -> Outcome:
    """The participant takes an offered place before its deadline.

    Raises:
        IllegalTransitionError: nothing is on offer.
        EnrolmentError: the deadline has passed (see :func:`expire_offers`).
    """
    del catalogue  # the place is already held
    check_aware(now, "now")
    found = register.enrolment(enrolment)
    _expect(found, S.OFFERED, S.CONFIRMED)
    until = found.offered_until
    if until is not None and utc(now) > utc(until):
        raise EnrolmentError(
            f"the offer to {found.participant!r} lapsed at {until.isoformat()}", path="now"
        )
    new = transition(found, S.CONFIRMED, at=now, note="accepted the offer")
    register = replace_enrolments(register, {new.id: new})
    return Outcome(register=register, notifications=[_notify(NotificationKind.CONFIRMED, new, now)])


def expire_offers(
    register: Register,
    catalogue: Catalogue,
    *,
    now: datetime,
    policy: PromotionPolicy = PromotionPolicy.OFFER,
    offer_for: timedelta = DEFAULT_OFFER_TIME,
) -> Outcome:
    """Decline every offer whose deadline passed before *now*, and offer the places on."""
    check_aware(now, "now")
    changed: dict[str, Enrolment] = {}
    for enrolment in register.enrolments:
        until = enrolment.offered_until
        if enrolment.status is S.OFFERED and until is not None and utc(until) < utc(now):
            changed[enrolment.id] = transition(
                enrolment, S.DECLINED, at=now, note="the offer lapsed"
            )
    register = replace_enrolments(register, changed)
    notifications = [
        _notify(NotificationKind.DECLINED, e, now, note="the offer lapsed")
        for e in changed.values()
    ]
    for target_id in dict.fromkeys(e.target for e in changed.values()):
        target = resolve_target(catalogue, target_id)
        register, promoted = _fill(
            register, catalogue, target, now=now, policy=policy, offer_for=offer_for
        )
        notifications.extend(promoted)
    return Outcome(register=register, notifications=notifications)


def promote(
    register: Register,
    catalogue: Catalogue,
    target: str,
    *,
    now: datetime,
    policy: PromotionPolicy = PromotionPolicy.CONFIRM,
    offer_for: timedelta = DEFAULT_OFFER_TIME,
) -> Outcome:
    """Fill the free places of *target* from its waiting list (after raising its capacity, say)."""
    check_aware(now, "now")
    resolved = resolve_target(catalogue, target)
    register, notifications = _fill(
        register, catalogue, resolved, now=now, policy=policy, offer_for=offer_for
    )
    warnings = warnings_for(register, resolved)
    return Outcome(register=register, notifications=notifications, warnings=warnings)
