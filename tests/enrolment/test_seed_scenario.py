"""The seed's study visits to Denmark: nine staff from Nyland, two runs of five places each."""

from datetime import datetime, timedelta

import pytest

from libkurs import HELSINKI
from libkurs.enrolment import (
    EnrolmentStatus,
    NotificationKind,
    ParticipationMode,
    PromotionPolicy,
    accept_offer,
    availability,
    enrol,
    expire_offers,
    waiting_list,
    withdraw,
)

AUGUST = "studiebesok-danmark-augusti"
SEPTEMBER = "studiebesok-danmark-september"
START = datetime(2022, 5, 2, 9, tzinfo=HELSINKI)
S = EnrolmentStatus
K = NotificationKind

# Seven of the nine ask for August, two for September, in this order.
CHOICES = [AUGUST, AUGUST, SEPTEMBER, AUGUST, AUGUST, AUGUST, AUGUST, SEPTEMBER, AUGUST]


@pytest.fixture
def enrolled(register, seed):
    """The nine participants enrolled a minute apart, each in the run they asked for."""
    for number, run in enumerate(CHOICES, start=1):
        register = enrol(
            register, seed, f"p{number}", run, now=START + timedelta(minutes=number)
        ).register
    return register


def split(register, run):
    return {
        status: [e.participant for e in register.enrolments_in(run) if e.status is status]
        for status in (S.CONFIRMED, S.WAITLISTED, S.OFFERED)
    }


def test_nine_participants_split_into_confirmed_and_waiting(enrolled, seed):
    """August confirms its first five and lists two in order; September confirms both."""
    assert split(enrolled, AUGUST) == {
        S.CONFIRMED: ["p1", "p2", "p4", "p5", "p6"],
        S.WAITLISTED: ["p7", "p9"],
        S.OFFERED: [],
    }
    assert split(enrolled, SEPTEMBER)[S.CONFIRMED] == ["p3", "p8"]
    assert [e.participant for e in waiting_list(enrolled, seed, AUGUST)] == ["p7", "p9"]
    places = availability(enrolled, seed, SEPTEMBER)
    assert places.free(ParticipationMode.ON_SITE) == 3


def test_withdrawal_confirms_the_next_in_line_under_confirm(enrolled, seed):
    """p2 withdraws from August: p7 (first in line) is confirmed at once, p9 still waits."""
    august_p2 = next(e for e in enrolled.enrolments if e.participant == "p2")
    outcome = withdraw(
        enrolled, seed, august_p2.id, now=START + timedelta(days=3), policy=PromotionPolicy.CONFIRM
    )
    assert [(n.kind, n.participant) for n in outcome.notifications] == [
        (K.WITHDRAWN, "p2"),
        (K.PROMOTED, "p7"),
    ]
    assert split(outcome.register, AUGUST) == {
        S.CONFIRMED: ["p1", "p4", "p5", "p6", "p7"],
        S.WAITLISTED: ["p9"],
        S.OFFERED: [],
    }


def test_withdrawal_offers_the_place_under_offer(enrolled, seed):
    """Under OFFER, p7 is offered the place for two days; when it lapses, p9 is offered it."""
    august_p2 = next(e for e in enrolled.enrolments if e.participant == "p2")
    moment = START + timedelta(days=3)
    outcome = withdraw(
        enrolled,
        seed,
        august_p2.id,
        now=moment,
        policy=PromotionPolicy.OFFER,
        offer_for=timedelta(days=2),
    )
    (offer,) = [n for n in outcome.notifications if n.kind is K.OFFERED]
    assert (offer.participant, offer.until) == ("p7", moment + timedelta(days=2))
    assert split(outcome.register, AUGUST)[S.OFFERED] == ["p7"]

    lapsed = expire_offers(outcome.register, seed, now=moment + timedelta(days=2, seconds=1))
    assert [(n.kind, n.participant) for n in lapsed.notifications] == [
        (K.DECLINED, "p7"),
        (K.OFFERED, "p9"),
    ]
    p9 = next(e for e in lapsed.register.enrolments_in(AUGUST) if e.participant == "p9")
    accepted = accept_offer(lapsed.register, seed, p9.id, now=moment + timedelta(days=3))
    assert split(accepted.register, AUGUST)[S.CONFIRMED] == ["p1", "p4", "p5", "p6", "p9"]


def test_a_waiting_participant_can_move_to_the_other_run(enrolled, seed):
    """p9 leaves the August waiting list and gets one of September's free places."""
    p9 = next(e for e in enrolled.enrolments if e.participant == "p9")
    moment = START + timedelta(days=1)
    moved = withdraw(enrolled, seed, p9.id, now=moment).register
    outcome = enrol(moved, seed, "p9", SEPTEMBER, now=moment)
    assert split(outcome.register, SEPTEMBER)[S.CONFIRMED] == ["p3", "p8", "p9"]
    assert split(outcome.register, AUGUST)[S.WAITLISTED] == ["p7"]
