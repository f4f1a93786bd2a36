"""Register.enrolment_of(), and the error branch of enrolment refusals."""

import pytest

from libkurs import EnrolmentSettings
from libkurs.enrolment import (
    EnrolmentError,
    EnrolmentStatus,
    NoPlaceError,
    UnknownIdError,
    enrol,
    withdraw,
)
from libkurs.errors import DataError, KursError, ValidationError


def test_enrolment_of_finds_a_participants_enrolment_in_a_target(register, make_course, now):
    """enrolment_of(participant, target) returns that participant's enrolment there."""
    catalogue = make_course(None)
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    register = enrol(register, catalogue, "p2", "kurs", now=now).register
    register = enrol(register, catalogue, "p1", "dag", now=now).register
    assert register.enrolment_of("p2", "kurs").id == "e2"
    assert register.enrolment_of("p1", "dag").id == "e3"


def test_enrolment_of_prefers_the_one_still_going(register, make_course, now):
    """After a withdrawal and a new enrolment, the one still going is returned."""
    catalogue = make_course(None)
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    register = withdraw(register, catalogue, "e1", now=now).register
    assert register.enrolment_of("p1", "kurs").status is EnrolmentStatus.WITHDRAWN
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    found = register.enrolment_of("p1", "kurs")
    assert (found.id, found.status) == ("e2", EnrolmentStatus.CONFIRMED)


def test_enrolment_of_raises_for_no_enrolment_or_an_unknown_participant(register):
    """No enrolment there, or no such participant: UnknownIdError that says which."""
    with pytest.raises(UnknownIdError, match="target: 'p1' has no enrolment in 'kurs'"):
        register.enrolment_of("p1", "kurs")
    with pytest.raises(UnknownIdError, match="no participant with id 'p99'"):
        register.enrolment_of("p99", "kurs")


def test_a_full_course_is_not_bad_data(register, make_course, now):
    """NoPlaceError is an EnrolmentError and a KursError, but not a ValidationError."""
    catalogue = make_course(EnrolmentSettings(capacity=1, waiting_list=0))
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    with pytest.raises(NoPlaceError) as caught:
        enrol(register, catalogue, "p2", "kurs", now=now)
    error = caught.value
    assert isinstance(error, EnrolmentError)
    assert isinstance(error, KursError)
    assert not isinstance(error, ValidationError | DataError | ValueError)
    assert error.path == "target"
    assert str(error).startswith("target: 'kurs' has no free place")


def test_unknown_id_is_not_an_enrolment_error(register, make_course, now):
    """An unknown id is a lookup failure (UnknownIdError, a KeyError), not a refused rule."""
    with pytest.raises(UnknownIdError) as caught:
        enrol(register, make_course(None), "p1", "finns-inte", now=now)
    assert not isinstance(caught.value, EnrolmentError)
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == "target: no programme, event or run with id 'finns-inte'"
