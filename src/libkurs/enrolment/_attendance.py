"""Attendance per session, and completion by a rule.

Attendance is recorded per confirmed enrolment and session: present, absent or partial.
:func:`completion` rolls it up, for example over the sessions of every module of a year-long
programme, and says who completed and, for the others, why not. Cancelled sessions do not count.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs

from libkurs.enrolment._errors import EnrolmentError, UnknownIdError
from libkurs.enrolment._lifecycle import (
    AttendanceRecord,
    Enrolment,
    EnrolmentStatus,
    Presence,
)
from libkurs.enrolment._register import Outcome, Register, replace_enrolments
from libkurs.enrolment._targets import Target, resolve_target
from libkurs.errors import ValidationError
from libkurs.model import Catalogue, Session, Status
from libkurs.model._checks import strings

__all__ = ["Completion", "CompletionRule", "completion", "record_attendance"]


def _check_share(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise ValidationError(f"expected a number, got {type(value).__name__}", path=attribute.name)
    if not 0 <= value <= 1:
        raise ValidationError(f"must be between 0 and 1, got {value}", path=attribute.name)


@attrs.frozen(kw_only=True)
class CompletionRule:
    """When a participant has completed: a share of the sessions, and any that are required.

    >>> CompletionRule().share
    0.8
    """

    share: float = attrs.field(default=0.8, validator=_check_share)
    """The share of the (not cancelled) sessions to attend: 0.8 is 80 %."""
    partial: float = attrs.field(default=0.5, validator=_check_share)
    """What a partial attendance counts as: 0.5 is half a session."""
    required: tuple[str, ...] = attrs.field(default=(), converter=strings)
    """Ids of sessions that must be attended in full, whatever the share."""


@attrs.frozen(kw_only=True)
class Completion:
    """Whether one participant completed a target, and if not, why."""

    enrolment: str
    participant: str
    completed: bool
    attended: float
    """Sessions attended, a partial one counted as the rule says."""
    sessions: int
    """Sessions that count (those not cancelled)."""
    reasons: tuple[str, ...] = ()
    """Why not completed; empty when completed."""


def _sessions_of(target: Target, enrolment: Enrolment) -> tuple[Session, ...]:
    chosen = set(enrolment.sessions)
    return tuple(s for s in target.sessions if not chosen or s.id in chosen)


def record_attendance(
    register: Register,
    catalogue: Catalogue,
    enrolment: str,
    session: str,
    presence: Presence,
    *,
    note: str | None = None,
) -> Outcome:
    """Record whether a confirmed participant attended one of their sessions.

    A later record for the same session replaces the earlier one.

    Raises:
        UnknownIdError: no such enrolment, or the session is not one of the enrolment's.
        EnrolmentError: the enrolment is not confirmed.
    """
    found = register.enrolment(enrolment)
    if found.status is not EnrolmentStatus.CONFIRMED:
        raise EnrolmentError(
            f"attendance is recorded for confirmed enrolments; {enrolment!r} is {found.status}",
            path="status",
        )
    target = resolve_target(catalogue, found.target)
    if session not in {s.id for s in _sessions_of(target, found)}:
        target.session(session)  # raises UnknownIdError for a session not of the target
        raise EnrolmentError(f"{enrolment!r} did not choose session {session!r}", path="session")
    record = AttendanceRecord(session=session, presence=Presence(presence), note=note)
    kept = tuple(r for r in found.attendance if r.session != session)
    new = attrs.evolve(found, attendance=(*kept, record))
    return Outcome(register=replace_enrolments(register, {new.id: new}))


def _percent(value: Fraction) -> str:
    return f"{float(value * 100):.0f} %"


def _check_required(rule: CompletionRule, target: Target) -> None:
    """Raise :class:`UnknownIdError` for a required session that is not one of *target*'s."""
    known = {session.id for session in target.sessions}
    for index, required in enumerate(rule.required):
        if required not in known:
            raise UnknownIdError(
                required, expected=f"session of {target.id!r}", path=f"rule.required[{index}]"
            )


def completion(
    register: Register,
    catalogue: Catalogue,
    target: str,
    rule: CompletionRule | None = None,
) -> tuple[Completion, ...]:
    """Who completed *target* by *rule* (default: 80 % of its sessions), and who did not and why.

    Every confirmed enrolment is reported, and every other one that has attendance recorded
    (someone who attended a part and then withdrew). Nobody completes a target with no session
    that counts (none dated, or all cancelled).

    Raises:
        UnknownIdError: no such target, or a session of ``rule.required`` is not one of its.
    """
    rule = rule or CompletionRule()
    resolved = resolve_target(catalogue, target)
    _check_required(rule, resolved)
    share = Fraction(rule.share).limit_denominator(1000)
    partial = Fraction(rule.partial).limit_denominator(1000)
    results = []
    for enrolment in register.enrolments_in(target):
        confirmed = enrolment.status is EnrolmentStatus.CONFIRMED
        if not confirmed and not enrolment.attendance:
            continue
        counted = [s for s in _sessions_of(resolved, enrolment) if s.status is not Status.CANCELLED]
        attended = Fraction(0)
        missing = []
        reasons = []
        for session in counted:
            presence = enrolment.presence(session.id)
            if presence is Presence.PRESENT:
                attended += 1
            elif presence is Presence.PARTIAL:
                attended += partial
            elif presence is None:
                missing.append(session.id)
            if session.id in rule.required and presence is not Presence.PRESENT:
                reasons.append(f"was not present for the whole of required session {session.id!r}")
        if not confirmed:
            reasons.insert(0, f"the enrolment is {enrolment.status}")
        needed = share * len(counted)
        if not counted:
            reasons.append("no session counts (none is dated, or all are cancelled)")
        elif attended < needed:
            got = attended / len(counted) if counted else Fraction(0)
            reasons.append(
                f"attended {float(attended):g} of {len(counted)} sessions ({_percent(got)}); "
                f"{_percent(share)} needed"
            )
            if missing:
                reasons.append(f"no attendance recorded for {', '.join(missing)}")
        results.append(
            Completion(
                enrolment=enrolment.id,
                participant=enrolment.participant,
                completed=not reasons,
                attended=float(attended),
                sessions=len(counted),
                reasons=tuple(reasons),
            )
        )
    return tuple(results)
