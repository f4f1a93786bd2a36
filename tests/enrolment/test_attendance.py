"""Attendance per session, and completion of a programme by a rule."""

import attrs
import pytest

from libkurs import EnrolmentSettings, Status
from libkurs.enrolment import (
    CompletionRule,
    EnrolmentError,
    Presence,
    UnknownIdError,
    completion,
    enrol,
    record_attendance,
    withdraw,
)
from libkurs.errors import ValidationError

P = Presence.PRESENT
A = Presence.ABSENT
H = Presence.PARTIAL
SESSIONS = ["kurs-1", "kurs-2", "kurs-3", "kurs-4", "kurs-5", "dag-1"]


def attend(register, catalogue, enrolment, presences):
    for session, presence in zip(SESSIONS, presences, strict=False):
        if presence is not None:
            register = record_attendance(register, catalogue, enrolment, session, presence).register
    return register


@pytest.fixture
def programme(register, make_course, now):
    """Three participants enrolled in the six-session programme."""
    catalogue = make_course(None)
    for number in (1, 2, 3):
        register = enrol(register, catalogue, f"p{number}", "program", now=now).register
    return register, catalogue


def test_eighty_percent_of_the_sessions_completes(programme):
    """Five of six sessions (83 %) completes; four of six (67 %) does not, and says why."""
    register, catalogue = programme
    register = attend(register, catalogue, "e1", [P, P, P, P, P, A])
    register = attend(register, catalogue, "e2", [P, P, A, P, P, A])
    results = {c.participant: c for c in completion(register, catalogue, "program")}
    assert results["p1"].completed
    assert results["p1"].reasons == ()
    assert not results["p2"].completed
    assert results["p2"].reasons == ("attended 4 of 6 sessions (67 %); 80 % needed",)
    assert not results["p3"].completed
    assert "no attendance recorded for kurs-1, kurs-2" in results["p3"].reasons[1]


def test_a_partial_attendance_counts_as_the_rule_says(programme):
    """Four present and two partial make five sessions at half weight, six at full weight."""
    register, catalogue = programme
    register = attend(register, catalogue, "e1", [P, P, P, P, H, H])
    (first,) = [c for c in completion(register, catalogue, "program") if c.enrolment == "e1"]
    assert first.attended == 5.0
    assert first.completed
    strict = CompletionRule(share=1.0, partial=0.0)
    results = completion(register, catalogue, "program", strict)
    (again,) = [c for c in results if c.enrolment == "e1"]
    assert not again.completed


def test_a_required_session_must_be_attended_in_full(programme):
    """Missing a required session fails completion whatever the share."""
    register, catalogue = programme
    register = attend(register, catalogue, "e1", [P, P, P, P, P, H])
    rule = CompletionRule(share=0.5, required=("dag-1",))
    (first,) = [c for c in completion(register, catalogue, "program", rule) if c.enrolment == "e1"]
    assert first.reasons == ("was not present for the whole of required session 'dag-1'",)


def test_cancelled_sessions_do_not_count(programme):
    """With one session cancelled, four of the five remaining is 80 %."""
    register, catalogue = programme
    kurs = catalogue.event("kurs")
    cancelled = attrs.evolve(kurs.sessions[4], status=Status.CANCELLED)
    kurs = attrs.evolve(kurs, sessions=[*kurs.sessions[:4], cancelled])
    catalogue = attrs.evolve(catalogue, events=[kurs, *catalogue.events[1:]])
    register = attend(register, catalogue, "e1", [P, P, P, A, None, P])
    (first,) = [c for c in completion(register, catalogue, "program") if c.enrolment == "e1"]
    assert (first.sessions, first.attended, first.completed) == (5, 4.0, True)


def test_a_later_record_replaces_the_earlier(programme):
    """Recording a session twice keeps the last record."""
    register, catalogue = programme
    register = attend(register, catalogue, "e1", [A])
    register = attend(register, catalogue, "e1", [P])
    assert register.enrolment("e1").presence("kurs-1") is P
    assert len(register.enrolment("e1").attendance) == 1


def test_attendance_only_for_confirmed_enrolments_and_their_sessions(programme, make_course, now):
    """Attendance of a withdrawn enrolment, or at a session not of the target, is refused."""
    register, catalogue = programme
    with pytest.raises(UnknownIdError, match="session of 'program'"):
        record_attendance(register, catalogue, "e1", "no-such-session", P)
    gone = withdraw(register, catalogue, "e3", now=now).register
    with pytest.raises(EnrolmentError, match="withdrawn"):
        record_attendance(gone, catalogue, "e3", "kurs-1", P)


def test_a_participant_who_withdrew_after_attending_is_reported(programme, now):
    """Someone who attended and then withdrew appears as not completed, with the reason."""
    register, catalogue = programme
    register = attend(register, catalogue, "e3", [P, P, P, P, P, P])
    register = withdraw(register, catalogue, "e3", now=now).register
    (third,) = [c for c in completion(register, catalogue, "program") if c.enrolment == "e3"]
    assert third.reasons == ("the enrolment is withdrawn",)


def test_sessions_chosen_are_the_ones_that_count(register, make_course, now):
    """A participant who chose two sessions completes by attending those two."""
    catalogue = make_course(EnrolmentSettings(session_choice=True))
    register = enrol(register, catalogue, "p1", "kurs", sessions=["kurs-1", "kurs-2"], now=now)
    register = attend(register.register, catalogue, "e1", [P, P])
    (only,) = completion(register, catalogue, "kurs")
    assert (only.sessions, only.completed) == (2, True)
    with pytest.raises(EnrolmentError, match="did not choose"):
        record_attendance(register, catalogue, "e1", "kurs-3", P)


def test_a_rule_share_outside_zero_and_one_is_refused():
    """CompletionRule(share=80) is a mistake for 0.8."""
    with pytest.raises(ValidationError, match="between 0 and 1"):
        CompletionRule(share=80)


def test_no_session_that_counts_means_not_completed(register, make_course, now):
    """An event with no session (or all cancelled) completes nobody, and says why."""
    catalogue = make_course(None, count=0)
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    (only,) = completion(register, catalogue, "kurs")
    assert (only.completed, only.sessions) == (False, 0)
    assert only.reasons == ("no session counts (none is dated, or all are cancelled)",)


def test_an_unknown_required_session_is_refused(programme):
    """A required session id that is not one of the target's raises UnknownIdError."""
    register, catalogue = programme
    rule = CompletionRule(required=("kurs-1", "kurs-9"))
    with pytest.raises(UnknownIdError, match="kurs-9") as caught:
        completion(register, catalogue, "program", rule)
    assert caught.value.path == "rule.required[1]"
