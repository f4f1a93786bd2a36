"""Participants and the register: personal data hidden from repr, ids checked, anonymisation."""

from datetime import datetime, timedelta

import attrs
import pytest

from libkurs import HELSINKI, Catalogue, EnrolmentSettings, Event, LocalizedText, Period
from libkurs.enrolment import (
    Enrolment,
    EnrolmentStatus,
    Participant,
    ParticipationMode,
    Register,
    StatusChange,
    UnknownIdError,
    anonymize,
    availability,
    enrol,
    reject,
    resolve_target,
    withdraw,
)
from libkurs.errors import DuplicateIdError, UnresolvedReferenceError, ValidationError


def test_repr_hides_email_and_phone():
    """Neither the e-mail address nor the phone number shows in repr or in a register's repr."""
    anna = Participant(id="p1", name="Anna", email="anna@example.org", phone="+358 40 123 4567")
    for text in (repr(anna), repr(Register(participants=[anna]))):
        assert "anna@example.org" not in text
        assert "4567" not in text


def test_an_email_address_is_required_and_checked():
    """A participant needs a plausible e-mail address."""
    with pytest.raises(ValidationError, match="needs an e-mail"):
        Participant(id="p1", name="Anna")
    with pytest.raises(ValidationError, match="invalid e-mail"):
        Participant(id="p1", name="Anna", email="anna at example")


def test_the_register_refuses_duplicate_ids_and_dangling_references():
    """Two participants with one id, or an enrolment of nobody, are refused with a path."""
    anna = Participant(id="p1", name="Anna", email="anna@example.org")
    with pytest.raises(DuplicateIdError) as caught:
        Register(participants=[anna, anna])
    assert caught.value.path == "participants[1].id"
    at = datetime(2023, 1, 1, tzinfo=HELSINKI)
    stray = Enrolment(
        id="e1",
        participant="p9",
        target="kurs",
        history=[StatusChange(status=EnrolmentStatus.CONFIRMED, at=at)],
    )
    with pytest.raises(UnresolvedReferenceError) as dangling:
        Register(participants=[anna], enrolments=[stray])
    assert dangling.value.path == "enrolments[0].participant"


def test_lookups_raise_a_libkurs_error(register):
    """An unknown id raises UnknownIdError (a ValueError), not a bare KeyError."""
    with pytest.raises(UnknownIdError, match="no enrolment with id 'e9'"):
        register.enrolment("e9")
    assert register.participant_by_email("P3@BIBLIOTEK.example.fi").id == "p3"


def test_anonymize_after_retention_keeps_statistics_only(register, make_course, now):
    """After the course, names, addresses, phones and organisations go; enrolments stay."""
    catalogue = make_course(None)
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    register = enrol(register, catalogue, "p2", "dag", now=now).register
    end_of_kurs = catalogue.event("kurs").end
    end_of_dag = catalogue.event("dag").end
    between = anonymize(register, catalogue, before=end_of_kurs + timedelta(days=1))
    assert between.participant("p1").anonymized
    assert between.participant("p1").email is None
    assert between.participant("p1").name == "anonymous"
    assert not between.participant("p2").anonymized  # the day is later
    assert between.enrolments == register.enrolments
    after = anonymize(between, catalogue, before=end_of_dag + timedelta(days=1))
    assert all(p.anonymized for p in after.participants)
    assert "bibliotek.example.fi" not in repr(after.participants) + str(
        [p.email for p in after.participants]
    )


def test_anonymize_keeps_those_still_enrolled(register, make_course, now):
    """Before the course has ended, its participants are kept."""
    catalogue = make_course(None)
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    kept = anonymize(register, catalogue, before=now + timedelta(days=1))
    assert not kept.participant("p1").anonymized


def test_availability_carries_counts_and_no_personal_data(register, make_course, now):
    """What may be shown on a public announcement (places taken and waiting) names nobody."""
    catalogue = make_course(EnrolmentSettings(capacity=1))
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    register = enrol(register, catalogue, "p2", "kurs", now=now).register
    places = availability(register, catalogue, "kurs")
    assert (places.confirmed, places.waitlisted) == (1, 1)
    text = repr(places)
    for person in register.participants[:2]:
        assert person.name not in text
        assert person.email not in text
        assert person.id not in text


def test_repr_hides_every_personal_field():
    """Name, organisation and municipality are hidden too; a register's repr only counts."""
    anna = Participant(
        id="p1",
        name="Anna Andersson",
        email="anna@example.org",
        organisation="Esbo stadsbibliotek",
        municipality="Esbo",
    )
    assert "Anna" not in repr(anna)
    assert "Esbo" not in repr(anna)
    register = Register(participants=[anna])
    assert repr(register) == "Register(1 participants, 0 enrolments)"


def test_anonymize_keeps_people_whose_enrolment_is_still_going(register, now):
    """Enrolments in an event with no date yet are not settled, withdrawn or not: kept."""
    undated = Catalogue(events=[Event(id="later", title=LocalizedText({"sv": "Senare"}))])
    register = enrol(register, undated, "p1", "later", now=now).register
    register = enrol(register, undated, "p3", "later", now=now).register
    register = withdraw(register, undated, "e2", now=now).register
    later = anonymize(register, undated, before=now + timedelta(days=3650))
    assert later.participant("p1") == register.participant("p1")
    assert later.participant("p3") == register.participant("p3")
    assert later.participant("p2").anonymized  # no enrolment at all


def test_anonymize_removes_the_notes_of_history_and_attendance(register, make_course, now):
    """Free-text notes of an anonymised participant's enrolments are removed."""
    catalogue = make_course(EnrolmentSettings(approval=True))
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    note = "Anna Andersson, anna@example.org, asked to be removed"
    register = reject(register, catalogue, "e1", now=now, note=note).register
    later = anonymize(register, catalogue, before=now + timedelta(days=3650))
    assert later.participant("p1").anonymized
    assert [change.note for change in later.enrolment("e1").history] == [None, None]
    assert [change.status for change in later.enrolment("e1").history] == [
        EnrolmentStatus.REQUESTED,
        EnrolmentStatus.REJECTED,
    ]


def test_a_run_known_by_its_period_ends_with_it(register, seed, now):
    """A run without dated sessions but with a period (2022-08) is over after 31 August."""
    august = "studiebesok-danmark-augusti"
    visit = seed.event("studiebesok-danmark")
    runs = [
        attrs.evolve(run, period=Period.parse("2022-08")) if run.id == august else run
        for run in visit.runs
    ]
    dated = attrs.evolve(
        seed, events=[attrs.evolve(e, runs=runs) if e.id == visit.id else e for e in seed.events]
    )
    assert resolve_target(dated, august).end == datetime(2022, 9, 1, tzinfo=HELSINKI)
    register = enrol(register, dated, "p1", august, now=datetime(2022, 5, 1, tzinfo=HELSINKI))
    later = anonymize(register.register, dated, before=datetime(2023, 1, 1, tzinfo=HELSINKI))
    assert later.participant("p1").anonymized


def test_registers_derived_from_one_keep_their_own_indexes(register, make_course, now):
    """Two operations on the same register give two registers that each find their own."""
    catalogue = make_course(EnrolmentSettings(capacity=1))
    one = enrol(register, catalogue, "p1", "kurs", now=now).register
    other = enrol(register, catalogue, "p2", "dag", now=now).register
    assert [e.target for e in one.enrolments_of("p1")] == ["kurs"]
    assert one.enrolments_of("p2") == ()
    assert [e.target for e in other.enrolments_of("p2")] == ["dag"]
    assert other.enrolments_of("p1") == ()
    confirmed = (EnrolmentStatus.CONFIRMED, ParticipationMode.ON_SITE)
    assert one.tally("kurs") == {confirmed: 1}
    assert other.tally("kurs") == {}
    assert register.tally("kurs") == {}
