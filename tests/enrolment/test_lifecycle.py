"""The lifecycle: every legal and illegal status change, and a history that is only appended to."""

from datetime import datetime, timedelta

import pytest

from libkurs import HELSINKI
from libkurs.enrolment import (
    TRANSITIONS,
    Enrolment,
    EnrolmentStatus,
    IllegalTransitionError,
    StatusChange,
    transition,
)
from libkurs.errors import ValidationError

T0 = datetime(2023, 1, 2, 9, tzinfo=HELSINKI)
S = EnrolmentStatus

# A history that reaches each status legally.
PATHS = {
    S.REQUESTED: [S.REQUESTED],
    S.CONFIRMED: [S.CONFIRMED],
    S.WAITLISTED: [S.WAITLISTED],
    S.OFFERED: [S.WAITLISTED, S.OFFERED],
    S.DECLINED: [S.WAITLISTED, S.OFFERED, S.DECLINED],
    S.WITHDRAWN: [S.CONFIRMED, S.WITHDRAWN],
    S.CANCELLED: [S.CONFIRMED, S.CANCELLED],
    S.REJECTED: [S.REQUESTED, S.REJECTED],
}


def enrolment_in(status: EnrolmentStatus) -> Enrolment:
    history = []
    for step, name in enumerate(PATHS[status]):
        at = T0 + timedelta(hours=step)
        until = at + timedelta(days=2) if name is S.OFFERED else None
        history.append(StatusChange(status=name, at=at, until=until))
    return Enrolment(id="e1", participant="p1", target="kurs", history=history)


ALL_PAIRS = [(a, b) for a in S for b in S]


@pytest.mark.parametrize(("current", "requested"), ALL_PAIRS)
def test_every_status_change_is_allowed_exactly_when_the_table_says(current, requested):
    """transition() accepts the changes in TRANSITIONS and raises IllegalTransitionError else."""
    enrolment = enrolment_in(current)
    at = T0 + timedelta(days=1)
    until = at + timedelta(days=1) if requested is S.OFFERED else None
    if requested in TRANSITIONS[current]:
        after = transition(enrolment, requested, at=at, until=until)
        assert after.status is requested
        assert after.history[:-1] == enrolment.history
    else:
        with pytest.raises(IllegalTransitionError) as caught:
            transition(enrolment, requested, at=at, until=until)
        assert caught.value.current == current.value
        assert caught.value.requested == requested.value
        assert f"from {current} to {requested}" in str(caught.value)


def test_final_statuses_allow_no_change():
    """Declined, withdrawn, cancelled and rejected are final."""
    assert {s for s, after in TRANSITIONS.items() if not after} == {
        S.DECLINED,
        S.WITHDRAWN,
        S.CANCELLED,
        S.REJECTED,
    }


@pytest.mark.parametrize("status", [S.OFFERED, S.DECLINED, S.WITHDRAWN, S.CANCELLED, S.REJECTED])
def test_an_enrolment_cannot_start_in_a_later_status(status):
    """An enrolment starts as requested, confirmed or waitlisted."""
    until = T0 + timedelta(days=1) if status is S.OFFERED else None
    with pytest.raises(ValidationError, match="cannot start as"):
        Enrolment(
            id="e1",
            participant="p1",
            target="kurs",
            history=[StatusChange(status=status, at=T0, until=until)],
        )


def test_a_history_with_an_illegal_step_is_refused():
    """A stored history is checked step by step, naming the entry."""
    with pytest.raises(ValidationError) as caught:
        Enrolment(
            id="e1",
            participant="p1",
            target="kurs",
            history=[
                StatusChange(status=S.CONFIRMED, at=T0),
                StatusChange(status=S.WAITLISTED, at=T0),
            ],
        )
    assert caught.value.path == "history[1].status"


def test_a_change_cannot_be_dated_before_the_last_one():
    """History is in time order: transition() refuses a moment before the last change."""
    enrolment = enrolment_in(S.CONFIRMED)
    with pytest.raises(ValidationError, match="before the enrolment's last change"):
        transition(enrolment, S.WITHDRAWN, at=T0 - timedelta(seconds=1))


def test_transition_appends_and_leaves_the_original_untouched():
    """The history grows by one entry; the enrolment passed in is unchanged (values are frozen)."""
    enrolment = enrolment_in(S.WAITLISTED)
    later = transition(enrolment, S.CONFIRMED, at=T0 + timedelta(days=1), note="promoted")
    assert len(enrolment.history) == 1
    assert later.history[0] == enrolment.history[0]
    assert later.history[-1].note == "promoted"
    assert later.requested == T0
    assert later.changed == T0 + timedelta(days=1)


def test_an_offer_needs_a_deadline_after_it():
    """An offered status carries a deadline after the offer; no other status has one."""
    enrolment = enrolment_in(S.WAITLISTED)
    at = T0 + timedelta(hours=1)
    with pytest.raises(ValidationError, match="needs a deadline"):
        transition(enrolment, S.OFFERED, at=at)
    with pytest.raises(ValidationError, match="not after the offer"):
        transition(enrolment, S.OFFERED, at=at, until=at)
    with pytest.raises(ValidationError, match="only an offer"):
        transition(enrolment, S.CONFIRMED, at=at, until=at + timedelta(days=1))
    offered = transition(enrolment, S.OFFERED, at=at, until=at + timedelta(days=1))
    assert offered.offered_until == at + timedelta(days=1)


def test_naive_datetimes_are_refused():
    """A status change needs an aware datetime."""
    with pytest.raises(ValidationError, match="naive"):
        StatusChange(status=S.CONFIRMED, at=datetime(2023, 1, 1, 9))
