"""Cancellation cascades: a cancelled session or target updates enrolments and says whom to tell."""

from datetime import timedelta

import pytest

from libkurs import EnrolmentSettings
from libkurs.enrolment import (
    EnrolmentStatus,
    NotificationKind,
    UnknownIdError,
    cancel_session,
    cancel_target,
    enrol,
    withdraw,
)

S = EnrolmentStatus
K = NotificationKind


def test_cancelling_an_event_cancels_its_enrolments_and_tells_programme_participants(
    register, make_course, now
):
    """Everyone going to the event is cancelled; programme participants hear a module is off."""
    catalogue = make_course(EnrolmentSettings(capacity=2))
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    register = enrol(register, catalogue, "p3", "program", now=now).register  # a place in kurs
    register = enrol(register, catalogue, "p2", "kurs", now=now).register  # waits
    register = withdraw(register, catalogue, "e3", now=now).register
    register = enrol(register, catalogue, "p4", "kurs", now=now).register  # waits
    outcome = cancel_target(register, catalogue, "kurs", now=now + timedelta(days=1))
    assert [(n.kind, n.participant) for n in outcome.notifications] == [
        (K.CANCELLED, "p1"),
        (K.CANCELLED, "p4"),
        (K.PART_CANCELLED, "p3"),
    ]
    assert outcome.notifications[2].part == "kurs"
    statuses = {e.participant: e.status for e in outcome.register.enrolments}
    assert statuses == {"p1": S.CANCELLED, "p2": S.WITHDRAWN, "p3": S.CONFIRMED, "p4": S.CANCELLED}


def test_cancelling_a_run_cancels_only_that_run(register, seed, now):
    """Cancelling the August run leaves September's enrolments alone."""
    register = enrol(register, seed, "p1", "studiebesok-danmark-augusti", now=now).register
    register = enrol(register, seed, "p2", "studiebesok-danmark-september", now=now).register
    outcome = cancel_target(register, seed, "studiebesok-danmark-augusti", now=now)
    assert [(n.kind, n.participant) for n in outcome.notifications] == [(K.CANCELLED, "p1")]


def test_cancelling_the_study_visit_cancels_both_runs(register, seed, now):
    """Cancelling the event cancels the enrolments of every run."""
    register = enrol(register, seed, "p1", "studiebesok-danmark-augusti", now=now).register
    register = enrol(register, seed, "p2", "studiebesok-danmark-september", now=now).register
    outcome = cancel_target(register, seed, "studiebesok-danmark", now=now)
    assert {e.status for e in outcome.register.enrolments} == {S.CANCELLED}


def test_cancelling_one_session_tells_those_who_keep_other_sessions(register, make_course, now):
    """A five-session course loses one: the enrolment stands and its participant is told."""
    catalogue = make_course(None)
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    outcome = cancel_session(register, catalogue, "kurs-3", now=now)
    assert [(n.kind, n.participant, n.part) for n in outcome.notifications] == [
        (K.PART_CANCELLED, "p1", "kurs-3")
    ]
    assert outcome.register.enrolment("e1").status is S.CONFIRMED


def test_cancelling_the_only_session_chosen_cancels_the_enrolment(register, make_course, now):
    """A participant who chose only the cancelled session has nothing left: cancelled."""
    catalogue = make_course(EnrolmentSettings(session_choice=True))
    register = enrol(register, catalogue, "p1", "kurs", sessions=["kurs-3"], now=now).register
    register = enrol(register, catalogue, "p2", "kurs", sessions=["kurs-4"], now=now).register
    register = enrol(register, catalogue, "p3", "program", now=now).register
    outcome = cancel_session(register, catalogue, "kurs-3", now=now)
    assert [(n.kind, n.participant) for n in outcome.notifications] == [
        (K.CANCELLED, "p1"),
        (K.PART_CANCELLED, "p3"),
    ]


def test_cancelling_a_one_session_event_cancels_its_enrolments(register, make_course, now):
    """The day has one session: cancelling it cancels the day's enrolments."""
    catalogue = make_course(None)
    register = enrol(register, catalogue, "p1", "dag", now=now).register
    outcome = cancel_session(register, catalogue, "dag-1", now=now)
    assert outcome.register.enrolment("e1").status is S.CANCELLED


def test_cancelling_an_unknown_target_or_session_is_named(register, make_course, now):
    """An id that names nothing raises UnknownIdError and changes nothing."""
    catalogue = make_course(None)
    with pytest.raises(UnknownIdError):
        cancel_target(register, catalogue, "nothing", now=now)
    with pytest.raises(UnknownIdError):
        cancel_session(register, catalogue, "nothing", now=now)
