"""The waiting list: first come first served, promotion under each policy, offers, approval."""

from datetime import UTC, datetime, timedelta

import attrs
import pytest

from libkurs import HELSINKI, EnrolmentSettings
from libkurs.enrolment import (
    EnrolmentError,
    EnrolmentStatus,
    IllegalTransitionError,
    NoPlaceError,
    NotificationKind,
    ParticipationMode,
    PromotionPolicy,
    accept_offer,
    approve,
    cancel_enrolment,
    decline_offer,
    enrol,
    enrol_group,
    expire_offers,
    promote,
    reject,
    waiting_list,
    withdraw,
)

S = EnrolmentStatus
K = NotificationKind
ON_SITE = ParticipationMode.ON_SITE
REMOTE = ParticipationMode.REMOTE
HOUR = timedelta(hours=1)


def fill(register, catalogue, now, modes, target="kurs"):
    for number, mode in enumerate(modes, start=1):
        register = enrol(
            register, catalogue, f"p{number}", target, mode=mode, now=now + number * HOUR
        ).register
    return register


def status_of(register, participant):
    (enrolment,) = [e for e in register.enrolments if e.participant == participant]
    return enrolment.status


def kinds(outcome):
    return [(n.kind, n.participant) for n in outcome.notifications]


@pytest.fixture
def full(register, make_course, now):
    """Two places taken by p1, p2; p3, p4, p5 waiting in that order."""
    catalogue = make_course(EnrolmentSettings(capacity=2))
    return fill(register, catalogue, now, [ON_SITE] * 5), catalogue


def test_waiting_list_is_in_order_of_arrival(full):
    """The waiting list lists p3, p4, p5: first come first served."""
    register, catalogue = full
    assert [e.participant for e in waiting_list(register, catalogue, "kurs")] == ["p3", "p4", "p5"]


def test_withdrawal_confirms_the_first_in_line_at_once(full, now):
    """Under CONFIRM, p1 withdrawing confirms p3 and tells both."""
    register, catalogue = full
    outcome = withdraw(register, catalogue, "e1", now=now + timedelta(days=1))
    assert kinds(outcome) == [(K.WITHDRAWN, "p1"), (K.PROMOTED, "p3")]
    assert status_of(outcome.register, "p3") is S.CONFIRMED
    assert [e.participant for e in waiting_list(outcome.register, catalogue, "kurs")] == [
        "p4",
        "p5",
    ]


def test_withdrawal_offers_the_place_until_a_deadline(full, now):
    """Under OFFER, p3 is offered the place until the deadline; it stays held for p3."""
    register, catalogue = full
    later = now + timedelta(days=1)
    outcome = withdraw(
        register, catalogue, "e1", now=later, policy=PromotionPolicy.OFFER, offer_for=3 * HOUR
    )
    assert kinds(outcome) == [(K.WITHDRAWN, "p1"), (K.OFFERED, "p3")]
    assert outcome.notifications[1].until == later + 3 * HOUR
    assert status_of(outcome.register, "p3") is S.OFFERED
    # The offered place is held: a newcomer waits.
    newcomer = enrol(outcome.register, catalogue, "p6", "kurs", now=later + HOUR)
    assert status_of(newcomer.register, "p6") is S.WAITLISTED


def test_an_accepted_offer_confirms(full, now):
    """Accepting before the deadline confirms."""
    register, catalogue = full
    later = now + timedelta(days=1)
    offered = withdraw(register, catalogue, "e1", now=later, policy=PromotionPolicy.OFFER).register
    outcome = accept_offer(offered, catalogue, "e3", now=later + HOUR)
    assert status_of(outcome.register, "p3") is S.CONFIRMED
    assert kinds(outcome) == [(K.CONFIRMED, "p3")]


def test_an_offer_cannot_be_accepted_after_its_deadline(full, now):
    """After the deadline, accept_offer raises and changes nothing."""
    register, catalogue = full
    later = now + timedelta(days=1)
    offered = withdraw(
        register, catalogue, "e1", now=later, policy=PromotionPolicy.OFFER, offer_for=HOUR
    ).register
    with pytest.raises(EnrolmentError, match="lapsed"):
        accept_offer(offered, catalogue, "e3", now=later + 2 * HOUR)


def test_a_declined_offer_goes_to_the_next_in_line(full, now):
    """p3 declines: the place is offered to p4."""
    register, catalogue = full
    later = now + timedelta(days=1)
    offered = withdraw(register, catalogue, "e1", now=later, policy=PromotionPolicy.OFFER).register
    outcome = decline_offer(offered, catalogue, "e3", now=later + HOUR)
    assert kinds(outcome) == [(K.DECLINED, "p3"), (K.OFFERED, "p4")]


def test_lapsed_offers_expire_and_pass_on(full, now):
    """expire_offers declines offers past their deadline and offers the places on."""
    register, catalogue = full
    later = now + timedelta(days=1)
    offered = withdraw(
        register, catalogue, "e1", now=later, policy=PromotionPolicy.OFFER, offer_for=HOUR
    ).register
    not_yet = expire_offers(offered, catalogue, now=later + HOUR / 2)
    assert not_yet.notifications == ()
    outcome = expire_offers(offered, catalogue, now=later + 2 * HOUR)
    assert kinds(outcome) == [(K.DECLINED, "p3"), (K.OFFERED, "p4")]
    assert outcome.register.enrolment("e3").history[-1].note == "the offer lapsed"


def test_a_waiting_person_who_withdraws_frees_no_place(full, now):
    """Withdrawing from the waiting list promotes nobody and keeps the order of the rest."""
    register, catalogue = full
    outcome = withdraw(register, catalogue, "e4", now=now + timedelta(days=1))
    assert kinds(outcome) == [(K.WITHDRAWN, "p4")]
    assert [e.participant for e in waiting_list(outcome.register, catalogue, "kurs")] == [
        "p3",
        "p5",
    ]


def test_an_organiser_cancellation_frees_the_place(full, now):
    """cancel_enrolment tells the participant and promotes the next in line."""
    register, catalogue = full
    outcome = cancel_enrolment(register, catalogue, "e2", now=now + timedelta(days=1))
    assert kinds(outcome) == [(K.CANCELLED, "p2"), (K.PROMOTED, "p3")]


def test_promotion_respects_the_modes_capacity(register, make_course, now):
    """A freed remote place goes to the first remote waiter, past earlier on-site waiters."""
    catalogue = make_course(EnrolmentSettings(capacity_on_site=1, capacity_remote=1))
    modes = [ON_SITE, REMOTE, ON_SITE, REMOTE]  # p3 waits on site, p4 waits remote
    register = fill(register, catalogue, now, modes)
    outcome = withdraw(register, catalogue, "e2", now=now + timedelta(days=1))
    assert kinds(outcome) == [(K.WITHDRAWN, "p2"), (K.PROMOTED, "p4")]
    assert status_of(outcome.register, "p3") is S.WAITLISTED


def test_a_waiting_group_is_promoted_together(register, make_course, now):
    """A group of two waits until two places are free, then is confirmed as a whole."""
    catalogue = make_course(EnrolmentSettings(capacity=2))
    register = fill(register, catalogue, now, [ON_SITE, ON_SITE])
    register = enrol_group(
        register, catalogue, ["p3", "p4"], "kurs", contact="p3", now=now + 5 * HOUR
    ).register
    one = withdraw(register, catalogue, "e1", now=now + 6 * HOUR)
    assert kinds(one) == [(K.WITHDRAWN, "p1")]
    two = withdraw(one.register, catalogue, "e2", now=now + 7 * HOUR)
    assert kinds(two) == [(K.WITHDRAWN, "p2"), (K.PROMOTED, "p3"), (K.PROMOTED, "p4")]


def test_a_group_that_does_not_fit_lets_a_single_behind_it_through(register, make_course, now):
    """One free place, a waiting group of two before a waiting single: the single gets it."""
    catalogue = make_course(EnrolmentSettings(capacity=2))
    register = fill(register, catalogue, now, [ON_SITE, ON_SITE])
    register = enrol_group(
        register, catalogue, ["p3", "p4"], "kurs", contact="p3", now=now + 5 * HOUR
    ).register
    register = enrol(register, catalogue, "p5", "kurs", now=now + 6 * HOUR).register
    outcome = withdraw(register, catalogue, "e1", now=now + 7 * HOUR)
    assert kinds(outcome) == [(K.WITHDRAWN, "p1"), (K.PROMOTED, "p5")]
    assert [e.participant for e in waiting_list(outcome.register, catalogue, "kurs")] == [
        "p3",
        "p4",
    ]


def test_approval_flow(register, make_course, now):
    """With approval, an enrolment is requested, then approved into a place or the waiting list."""
    catalogue = make_course(EnrolmentSettings(capacity=1))
    first = enrol(register, catalogue, "p1", "kurs", approval=True, now=now)
    assert kinds(first) == [(K.RECEIVED, "p1")]
    second = enrol(first.register, catalogue, "p2", "kurs", approval=True, now=now + HOUR)
    approved = approve(second.register, catalogue, "e1", now=now + 2 * HOUR)
    assert kinds(approved) == [(K.CONFIRMED, "p1")]
    waiting = approve(approved.register, catalogue, "e2", now=now + 3 * HOUR)
    assert kinds(waiting) == [(K.WAITLISTED, "p2")]
    with pytest.raises(IllegalTransitionError):
        approve(waiting.register, catalogue, "e2", now=now + 4 * HOUR)


def test_approval_comes_from_the_enrolment_settings(register, make_course, now):
    """EnrolmentSettings(approval=True) makes enrol() request approval unless told otherwise."""
    catalogue = make_course(EnrolmentSettings(capacity=1, approval=True))
    requested = enrol(register, catalogue, "p1", "kurs", now=now)
    assert kinds(requested) == [(K.RECEIVED, "p1")]
    direct = enrol(register, catalogue, "p1", "kurs", approval=False, now=now)
    assert kinds(direct) == [(K.CONFIRMED, "p1")]


def test_only_what_is_asked_can_be_answered(full, now):
    """Approving a waiting enrolment or accepting an offer never made is an illegal transition."""
    register, catalogue = full
    with pytest.raises(IllegalTransitionError, match="from waitlisted to confirmed"):
        approve(register, catalogue, "e3", now=now + timedelta(days=1))
    with pytest.raises(IllegalTransitionError, match="from waitlisted to confirmed"):
        accept_offer(register, catalogue, "e3", now=now + timedelta(days=1))
    with pytest.raises(IllegalTransitionError, match="from confirmed to declined"):
        decline_offer(register, catalogue, "e1", now=now + timedelta(days=1))


def test_a_group_is_approved_as_a_whole(register, make_course, now):
    """Approving one member of a requested group approves all of it, into places or waiting."""
    catalogue = make_course(EnrolmentSettings(capacity=2))
    register = enrol_group(
        register, catalogue, ["p1", "p2", "p3"], "kurs", contact="p1", approval=True, now=now
    ).register
    outcome = approve(register, catalogue, "e2", now=now + HOUR)
    assert kinds(outcome) == [(K.WAITLISTED, "p1"), (K.WAITLISTED, "p2"), (K.WAITLISTED, "p3")]


def test_approval_without_room_is_refused(register, make_course, now):
    """Approving when there is neither a place nor waiting room raises NoPlaceError."""
    catalogue = make_course(EnrolmentSettings(capacity=1, waiting_list=0))
    register = enrol(register, catalogue, "p1", "kurs", now=now).register
    register = enrol(register, catalogue, "p2", "kurs", approval=True, now=now).register
    with pytest.raises(NoPlaceError):
        approve(register, catalogue, "e2", now=now + HOUR)


def test_rejection(register, make_course, now):
    """A requested enrolment can be rejected, with a note; a confirmed one cannot."""
    catalogue = make_course(None)
    register = enrol(register, catalogue, "p1", "kurs", approval=True, now=now).register
    outcome = reject(register, catalogue, "e1", now=now + HOUR, note="not staff")
    assert kinds(outcome) == [(K.REJECTED, "p1")]
    assert outcome.notifications[0].note == "not staff"
    confirmed = enrol(register, catalogue, "p2", "kurs", now=now).register
    with pytest.raises(IllegalTransitionError):
        reject(confirmed, catalogue, "e2", now=now + HOUR)


def test_promote_fills_places_added_later(full, now):
    """After raising the capacity, promote() moves waiters into the new places."""
    register, catalogue = full
    kurs = attrs.evolve(catalogue.event("kurs"), enrolment=EnrolmentSettings(capacity=4))
    bigger = attrs.evolve(catalogue, events=[kurs, *catalogue.events[1:]])
    outcome = promote(register, bigger, "kurs", now=now + timedelta(days=1))
    assert kinds(outcome) == [(K.PROMOTED, "p3"), (K.PROMOTED, "p4")]


def test_a_refused_operation_leaves_the_register_as_it_was(full, now):
    """A withdrawal dated before the last change raises, and the register is unchanged."""
    register, catalogue = full
    before = register
    with pytest.raises(ValueError, match="before the enrolment's last change"):
        withdraw(register, catalogue, "e1", now=now - timedelta(days=1))
    assert register == before
    assert [e.status for e in register.enrolments] == [S.CONFIRMED] * 2 + [S.WAITLISTED] * 3


def test_an_offer_across_the_start_of_summer_time_lasts_its_full_time(full):
    """Offered at 03:30 two days before the clocks skip 03:00-04:00, it lasts exactly 48 hours."""
    register, catalogue = full
    offered_at = datetime(2023, 3, 24, 3, 30, tzinfo=HELSINKI)
    outcome = withdraw(
        register, catalogue, "e1", now=offered_at, policy=PromotionPolicy.OFFER,
        offer_for=timedelta(days=2),
    )  # fmt: skip
    until = outcome.notifications[1].until
    assert until.astimezone(UTC) - offered_at.astimezone(UTC) == timedelta(hours=48)
    assert until.isoformat() == "2023-03-26T04:30:00+03:00"
