"""A Hypothesis state machine that enrols, withdraws, cancels and answers offers at random.

Two events and a programme of both: the programme's participants take places in each event.
After every step it checks the invariants of enrolment: never more places taken than the
capacity of each mode (and of the whole), counting the programme's people in each event, no
one waiting who would fit in a free place, the waiting list in a stable first-come order, no
one enrolled both in the programme and in one of its events, histories only ever appended to,
a failed operation changing nothing, and a register that the full validation (and the JSON
format) accepts.
"""

from datetime import datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from libkurs import (
    HELSINKI,
    Catalogue,
    EnrolmentSettings,
    Event,
    LocalizedText,
    Programme,
    Session,
)
from libkurs.enrolment import (
    EnrolmentError,
    EnrolmentStatus,
    Participant,
    ParticipationMode,
    PromotionPolicy,
    Register,
    accept_offer,
    approve,
    availability,
    cancel_enrolment,
    decline_offer,
    enrol,
    enrol_group,
    expire_offers,
    reject,
    resolve_target,
    waiting_list,
    withdraw,
)
from libkurs.enrolment._capacity import places
from libkurs.enrolment._waiting import units
from libkurs.formats import register as register_json

S = EnrolmentStatus
PEOPLE = [f"p{n}" for n in range(1, 11)]
EVENTS = ["kurs", "dag"]
TARGETS = [*EVENTS, "program"]
START = datetime(2023, 1, 2, 9, tzinfo=HELSINKI)

limits = st.one_of(st.none(), st.integers(0, 4))


@st.composite
def enrolment_settings(draw):
    capacity = draw(st.one_of(st.none(), st.integers(1, 5)))
    split = st.one_of(st.none(), st.integers(0, capacity if capacity is not None else 4))
    return EnrolmentSettings(
        capacity=capacity,
        capacity_on_site=draw(split),
        capacity_remote=draw(split),
        waiting_list=draw(limits),
    )


def catalogue_with(
    kurs: EnrolmentSettings, dag: EnrolmentSettings, program: EnrolmentSettings
) -> Catalogue:
    first = datetime(2023, 3, 1, 10, tzinfo=HELSINKI)
    return Catalogue(
        programmes=[
            Programme(
                id="program",
                title=LocalizedText({"sv": "program"}),
                modules=EVENTS,
                enrolment=program,
            )
        ],
        events=[
            Event(
                id=name,
                title=LocalizedText({"sv": name}),
                enrolment=settings,
                sessions=[
                    Session(id=f"{name}-1", start=first, end=first + timedelta(hours=2)),
                ],
            )
            for name, settings in (("kurs", kurs), ("dag", dag))
        ],
    )


class Enrolments(RuleBasedStateMachine):
    """Random operations on a register of ten people, two events and a programme of both."""

    @initialize(kurs=enrolment_settings(), dag=enrolment_settings(), program=enrolment_settings())
    def start(self, kurs, dag, program):
        self.catalogue = catalogue_with(kurs, dag, program)
        self.register = Register(
            participants=[Participant(id=p, name=p, email=f"{p}@example.org") for p in PEOPLE]
        )
        self.now = START
        self.previous = self.register
        self.previous_waiting = dict.fromkeys(TARGETS, ())

    # -- helpers -------------------------------------------------------------------------------

    def tick(self, minutes):
        self.now += timedelta(minutes=minutes)

    def apply(self, operation, *args, **kwargs):
        """Run an operation; on a refusal, check that nothing changed, deep down."""
        before = self.register
        snapshot = register_json.dumps(before)
        try:
            outcome = operation(before, self.catalogue, *args, now=self.now, **kwargs)
        except EnrolmentError:
            assert register_json.dumps(before) == snapshot
            for enrolment in before.enrolments:  # the id indexes still find everyone
                assert before.enrolment(enrolment.id) is enrolment
            return None
        self.previous, self.register = before, outcome.register
        # Fully applied: every enrolment changed or made is notified, and only those.
        old = {e.id: e.history for e in before.enrolments}
        changed = {e.id for e in outcome.register.enrolments if old.get(e.id) != e.history}
        assert {n.enrolment for n in outcome.notifications} == changed
        return outcome

    def ids_in(self, *statuses):
        return sorted(e.id for e in self.register.enrolments if e.status in statuses)

    # -- rules ---------------------------------------------------------------------------------

    @rule(
        person=st.sampled_from(PEOPLE),
        event=st.sampled_from(TARGETS),
        mode=st.sampled_from(ParticipationMode),
        approval=st.booleans(),
        minutes=st.integers(1, 600),
    )
    def enrol_one(self, person, event, mode, approval, minutes):
        self.tick(minutes)
        before = len(self.register.enrolments)
        outcome = self.apply(enrol, person, event, mode=mode, approval=approval)
        if outcome is not None:
            assert len(self.register.enrolments) == before + 1
            assert len(outcome.notifications) == 1

    @rule(
        group=st.lists(st.sampled_from(PEOPLE), min_size=2, max_size=4, unique=True),
        event=st.sampled_from(TARGETS),
        mode=st.sampled_from(ParticipationMode),
        minutes=st.integers(1, 600),
    )
    def enrol_a_group(self, group, event, mode, minutes):
        self.tick(minutes)
        before = len(self.register.enrolments)
        outcome = self.apply(enrol_group, group, event, contact=group[0], mode=mode)
        if outcome is not None:
            new = self.register.enrolments[before:]
            assert len(new) == len(group)  # all of the group, or (on a refusal) none
            assert len({e.status for e in new}) == 1

    @precondition(lambda self: self.ids_in(*S))
    @rule(
        data=st.data(),
        policy=st.sampled_from(PromotionPolicy),
        minutes=st.integers(1, 600),
        by_organiser=st.booleans(),
    )
    def leave(self, data, policy, minutes, by_organiser):
        self.tick(minutes)
        enrolment = data.draw(st.sampled_from(self.ids_in(*S)))
        operation = cancel_enrolment if by_organiser else withdraw
        self.apply(operation, enrolment, policy=policy)  # from a final status: refused

    @precondition(lambda self: self.ids_in(S.OFFERED))
    @rule(data=st.data(), accept=st.booleans(), minutes=st.integers(1, 60 * 24 * 3))
    def answer_offer(self, data, accept, minutes):
        self.tick(minutes)
        enrolment = data.draw(st.sampled_from(self.ids_in(S.OFFERED)))
        if accept:
            self.apply(accept_offer, enrolment)
        else:
            self.apply(decline_offer, enrolment)

    @precondition(lambda self: self.ids_in(*S))
    @rule(data=st.data(), which=st.sampled_from(["accept", "approve", "decline", "reject"]))
    def answer_whatever_the_status(self, data, which):
        self.tick(1)
        enrolment = data.draw(st.sampled_from(self.ids_in(*S)))
        operation = {
            "accept": accept_offer,
            "approve": approve,
            "decline": decline_offer,
            "reject": reject,
        }[which]
        self.apply(operation, enrolment)  # refused unless the status allows it

    @rule(minutes=st.integers(1, 60 * 24 * 3))
    def let_offers_lapse(self, minutes):
        self.tick(minutes)
        self.apply(expire_offers)

    @precondition(lambda self: self.ids_in(S.REQUESTED))
    @rule(data=st.data(), yes=st.booleans(), minutes=st.integers(1, 600))
    def decide_request(self, data, yes, minutes):
        self.tick(minutes)
        enrolment = data.draw(st.sampled_from(self.ids_in(S.REQUESTED)))
        self.apply(approve if yes else reject, enrolment)

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def never_more_places_taken_than_capacity(self):
        for target in TARGETS:  # an event's places count the programme's people too
            places = availability(self.register, self.catalogue, target)
            if places.capacity is not None:
                assert places.taken <= places.capacity
            for mode in ParticipationMode:
                limit = places.mode_capacity(mode)
                if limit is not None:
                    assert places.taken_in(mode) <= limit
            if places.waiting_list is not None:
                assert places.waitlisted <= places.waiting_list

    @invariant()
    def nobody_waits_who_would_fit(self):
        for target in TARGETS:  # a programme's people fit only if each event has room
            room = places(self.register, resolve_target(self.catalogue, target))
            for unit in units(waiting_list(self.register, self.catalogue, target)):
                assert not room.fits(unit[0].mode, len(unit)), unit

    @invariant()
    def nobody_is_in_the_programme_and_one_of_its_events(self):
        active = {S.REQUESTED, S.CONFIRMED, S.WAITLISTED, S.OFFERED}
        in_programme = {
            e.participant for e in self.register.enrolments_in("program") if e.status in active
        }
        for event in EVENTS:
            for enrolment in self.register.enrolments_in(event):
                if enrolment.status in active:
                    assert enrolment.participant not in in_programme, enrolment

    @invariant()
    def waiting_list_keeps_its_order(self):
        for target in TARGETS:
            now_waiting = tuple(e.id for e in waiting_list(self.register, self.catalogue, target))
            still = [i for i in self.previous_waiting[target] if i in now_waiting]
            assert list(now_waiting[: len(still)]) == still  # newcomers only at the end
            self.previous_waiting[target] = now_waiting

    @invariant()
    def history_is_never_rewritten(self):
        for old in self.previous.enrolments:
            new = self.register.enrolment(old.id)
            assert new.history[: len(old.history)] == old.history
            assert (new.participant, new.target) == (old.participant, old.target)

    @invariant()
    def the_register_is_valid_and_round_trips(self):
        rebuilt = Register(
            participants=self.register.participants, enrolments=self.register.enrolments
        )
        assert rebuilt == self.register
        assert register_json.loads(register_json.dumps(self.register)) == self.register
        # The counts and indexes kept along the way agree with those built from scratch.
        for target in TARGETS:
            kept = {key: n for key, n in self.register.tally(target).items() if n}
            assert kept == {key: n for key, n in rebuilt.tally(target).items() if n}
        for person in PEOPLE:
            assert self.register.enrolments_of(person) == rebuilt.enrolments_of(person)


Enrolments.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestEnrolments = Enrolments.TestCase
