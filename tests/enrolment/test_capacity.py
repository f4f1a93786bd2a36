"""Capacity arithmetic: places per mode, groups, the enrolment window, the minimum, the targets."""

from datetime import UTC, datetime, timedelta

import attrs
import pytest

from libkurs import HELSINKI, EnrolmentSettings
from libkurs.enrolment import (
    Availability,
    EnrolmentClosedError,
    EnrolmentError,
    EnrolmentStatus,
    NoPlaceError,
    NotificationKind,
    ParticipationMode,
    TargetKind,
    UnknownIdError,
    availability,
    enrol,
    enrol_group,
    resolve_target,
    withdraw,
)

S = EnrolmentStatus
ON_SITE = ParticipationMode.ON_SITE
REMOTE = ParticipationMode.REMOTE


def enrol_all(register, catalogue, now, target, modes):
    """Enrol p1, p2 … in *target*, one mode each; return the register and the statuses."""
    statuses = []
    for number, mode in enumerate(modes, start=1):
        outcome = enrol(
            register,
            catalogue,
            f"p{number}",
            target,
            mode=mode,
            now=now + timedelta(minutes=number),
        )
        register = outcome.register
        statuses.append(register.enrolments[-1].status)
    return register, statuses


def test_confirmed_up_to_capacity_then_waitlisted(register, make_course, now):
    """With three places, the first three are confirmed and the rest wait."""
    catalogue = make_course(EnrolmentSettings(capacity=3))
    _, statuses = enrol_all(register, catalogue, now, "kurs", [ON_SITE] * 5)
    assert statuses == [S.CONFIRMED] * 3 + [S.WAITLISTED] * 2


def test_no_settings_means_no_limit(register, make_course, now):
    """A target without enrolment settings confirms everyone."""
    _, statuses = enrol_all(register, make_course(None), now, "kurs", [ON_SITE] * 12)
    assert set(statuses) == {S.CONFIRMED}


def test_each_mode_has_its_own_places(register, make_course, now):
    """Two on-site and two remote places: the third of each mode waits, the other mode does not."""
    catalogue = make_course(EnrolmentSettings(capacity_on_site=2, capacity_remote=2))
    modes = [ON_SITE, ON_SITE, ON_SITE, REMOTE, REMOTE, REMOTE]
    registered, statuses = enrol_all(register, catalogue, now, "kurs", modes)
    assert statuses == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED] * 2
    places = availability(registered, catalogue, "kurs")
    assert (places.taken_on_site, places.taken_remote, places.waitlisted) == (2, 2, 2)


def test_the_whole_capacity_bounds_both_modes_together(register, make_course, now):
    """Capacity 3 with 2 on site and 2 remote: the fourth person waits whatever the mode."""
    catalogue = make_course(EnrolmentSettings(capacity=3, capacity_on_site=2, capacity_remote=2))
    _, statuses = enrol_all(register, catalogue, now, "kurs", [ON_SITE, REMOTE, REMOTE, ON_SITE])
    assert statuses == [S.CONFIRMED, S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]


def test_a_mode_with_zero_places_is_not_offered(register, make_course, now):
    """capacity_remote=0 means no remote participation: enrolling remotely is refused."""
    catalogue = make_course(EnrolmentSettings(capacity=10, capacity_remote=0))
    with pytest.raises(EnrolmentError, match="no places for taking part remote"):
        enrol(register, catalogue, "p1", "kurs", mode=REMOTE, now=now)


def test_free_places_are_the_smaller_of_the_limits():
    """free() takes the smaller of what the whole and the mode's capacity leave, never below 0."""
    places = Availability(
        target="kurs", capacity=10, capacity_on_site=4, taken_on_site=3, taken_remote=6
    )
    assert places.free(ON_SITE) == 1
    assert places.free(REMOTE) == 1
    assert Availability(target="kurs", capacity=2, taken_remote=5).free(ON_SITE) == 0
    assert Availability(target="kurs").free(REMOTE) is None
    assert Availability(target="kurs").fits(REMOTE, 1000)


def test_a_full_waiting_list_refuses_and_changes_nothing(register, make_course, now):
    """Capacity 1 and a waiting list of 1: the third enrolment raises NoPlaceError."""
    catalogue = make_course(EnrolmentSettings(capacity=1, waiting_list=1))
    registered, _ = enrol_all(register, catalogue, now, "kurs", [ON_SITE, ON_SITE])
    with pytest.raises(NoPlaceError):
        enrol(registered, catalogue, "p3", "kurs", now=now + timedelta(hours=1))
    assert len(registered.enrolments) == 2


def test_no_waiting_list_at_all(register, make_course, now):
    """waiting_list=0: when full, enrolment is refused rather than waitlisted."""
    catalogue = make_course(EnrolmentSettings(capacity=1, waiting_list=0))
    registered, _ = enrol_all(register, catalogue, now, "kurs", [ON_SITE])
    with pytest.raises(NoPlaceError, match="no room on its waiting list"):
        enrol(registered, catalogue, "p2", "kurs", now=now)


def test_enrolment_window(register, make_course):
    """Enrolment is open from opens to closes, inclusive; outside it EnrolmentClosedError."""
    opens = datetime(2023, 1, 1, 9, tzinfo=HELSINKI)
    closes = datetime(2023, 1, 20, 16, tzinfo=HELSINKI)
    catalogue = make_course(EnrolmentSettings(opens=opens, closes=closes))
    with pytest.raises(EnrolmentClosedError, match="opens at"):
        enrol(register, catalogue, "p1", "kurs", now=opens - timedelta(seconds=1))
    with pytest.raises(EnrolmentClosedError, match="closed at"):
        enrol(register, catalogue, "p1", "kurs", now=closes + timedelta(seconds=1))
    for moment in (opens, closes):
        assert enrol(register, catalogue, "p1", "kurs", now=moment).register.enrolments


def test_window_compares_instants_not_wall_clocks(register, make_course):
    """A deadline in Helsinki time is met by a UTC moment one minute before it."""
    closes = datetime(2023, 1, 20, 16, tzinfo=HELSINKI)
    catalogue = make_course(EnrolmentSettings(closes=closes))
    just_before = datetime(2023, 1, 20, 13, 59, tzinfo=UTC)
    assert enrol(register, catalogue, "p1", "kurs", now=just_before).register.enrolments
    with pytest.raises(EnrolmentClosedError):
        enrol(register, catalogue, "p1", "kurs", now=just_before + timedelta(minutes=2))


def test_below_the_minimum_warns(register, make_course, now):
    """Until the minimum is confirmed, each outcome warns that the event may not run."""
    catalogue = make_course(EnrolmentSettings(capacity=10, minimum=3))
    outcomes = []
    for number in range(1, 4):
        outcome = enrol(register, catalogue, f"p{number}", "kurs", now=now)
        register = outcome.register
        outcomes.append(outcome)
    assert outcomes[0].warnings == ("'kurs' has 1 confirmed of the 3 it needs: it may not run",)
    assert outcomes[1].warnings
    assert outcomes[2].warnings == ()


def test_a_group_gets_places_all_together(register, make_course, now):
    """A group of three fits in three free places: all confirmed, one group id, one contact."""
    catalogue = make_course(EnrolmentSettings(capacity=4))
    outcome = enrol_group(register, catalogue, ["p1", "p2", "p3"], "kurs", contact="p1", now=now)
    enrolments = outcome.register.enrolments
    assert [e.status for e in enrolments] == [S.CONFIRMED] * 3
    assert len({e.group for e in enrolments}) == 1
    assert {e.contact for e in enrolments} == {"p1"}
    assert [n.kind for n in outcome.notifications] == [NotificationKind.CONFIRMED] * 3


def test_a_group_that_does_not_fit_waits_as_a_whole(register, make_course, now):
    """Two free places and a group of three: all three wait, none is confirmed."""
    catalogue = make_course(EnrolmentSettings(capacity=2))
    outcome = enrol_group(register, catalogue, ["p1", "p2", "p3"], "kurs", contact="p1", now=now)
    assert [e.status for e in outcome.register.enrolments] == [S.WAITLISTED] * 3


def test_a_group_larger_than_the_waiting_room_is_refused_whole(register, make_course, now):
    """No room on the waiting list for all of a group: nothing is enrolled."""
    catalogue = make_course(EnrolmentSettings(capacity=1, waiting_list=2))
    with pytest.raises(NoPlaceError):
        enrol_group(register, catalogue, ["p1", "p2", "p3"], "kurs", contact="p1", now=now)


def test_a_group_with_an_unknown_member_is_refused_whole(register, make_course, now):
    """One unknown participant in a group: UnknownIdError, and nothing is enrolled."""
    catalogue = make_course(EnrolmentSettings(capacity=5))
    with pytest.raises(UnknownIdError, match="no participant with id 'nobody'"):
        enrol_group(register, catalogue, ["p1", "nobody"], "kurs", contact="p1", now=now)


def test_enrolling_twice_in_the_same_target_is_refused(register, make_course, now):
    """A participant with an active enrolment cannot enrol again in the same target."""
    catalogue = make_course(EnrolmentSettings(capacity=5))
    registered = enrol(register, catalogue, "p1", "kurs", now=now).register
    with pytest.raises(EnrolmentError, match="already enrolled"):
        enrol(registered, catalogue, "p1", "kurs", now=now)


def test_runs_use_their_own_settings_or_else_the_events(seed):
    """A run's own settings win; a run without them uses its event's, for its own places."""
    target = resolve_target(seed, "studiebesok-danmark-augusti")
    assert target.kind is TargetKind.RUN
    assert target.settings == EnrolmentSettings(capacity=5)
    visit = seed.event("studiebesok-danmark")
    plain = [attrs.evolve(run, enrolment=None) for run in visit.runs]
    changed = attrs.evolve(visit, runs=plain, enrolment=EnrolmentSettings(capacity=8))
    catalogue = attrs.evolve(seed, events=[changed, *seed.events[1:]])
    assert resolve_target(catalogue, "studiebesok-danmark-september").settings.capacity == 8


def test_an_event_with_runs_is_enrolled_in_through_a_run(register, seed, now):
    """Enrolling in the study visit itself names its runs in the error."""
    with pytest.raises(EnrolmentError, match="studiebesok-danmark-augusti"):
        enrol(register, seed, "p1", "studiebesok-danmark", now=now)


def test_one_run_per_participant(register, seed, now):
    """A participant enrolled in the August run cannot also enrol in the September run."""
    registered = enrol(register, seed, "p1", "studiebesok-danmark-augusti", now=now).register
    with pytest.raises(EnrolmentError, match="already enrolled in 'studiebesok-danmark-augusti'"):
        enrol(registered, seed, "p1", "studiebesok-danmark-september", now=now)


def test_a_programme_covers_the_sessions_of_all_its_modules(make_course):
    """Enrolling in a programme means attending every session of every module."""
    target = resolve_target(make_course(None), "program")
    assert target.kind is TargetKind.PROGRAMME
    assert [s.id for s in target.sessions] == [
        "kurs-1",
        "kurs-2",
        "kurs-3",
        "kurs-4",
        "kurs-5",
        "dag-1",
    ]


def test_an_unknown_target_is_named(register, make_course, now):
    """An id that is no programme, event or run raises UnknownIdError."""
    with pytest.raises(UnknownIdError, match="no programme, event or run with id 'nothing'"):
        enrol(register, make_course(None), "p1", "nothing", now=now)


def test_chosen_sessions_must_belong_to_the_target(register, make_course, now):
    """A participant may choose sessions of the target, and only those."""
    catalogue = make_course(EnrolmentSettings(session_choice=True))
    outcome = enrol(register, catalogue, "p1", "kurs", sessions=["kurs-2"], now=now)
    assert outcome.register.enrolments[0].sessions == ("kurs-2",)
    with pytest.raises(UnknownIdError, match="dag-1"):
        enrol(register, catalogue, "p1", "kurs", sessions=["dag-1"], now=now)


def test_a_choice_of_sessions_is_refused_unless_the_settings_allow_it(register, make_course, now):
    """sessions= needs EnrolmentSettings.session_choice; without it nothing is enrolled."""
    for settings in (None, EnrolmentSettings(capacity=3)):
        with pytest.raises(EnrolmentError, match="does not let participants choose sessions"):
            enrol(register, make_course(settings), "p1", "kurs", sessions=["kurs-2"], now=now)


def test_now_must_be_aware(register, make_course):
    """The clock passed in must carry a time zone."""
    with pytest.raises(ValueError, match="naive"):
        enrol(register, make_course(None), "p1", "kurs", now=datetime(2023, 1, 1))


def test_programme_participants_take_places_in_its_module_events(register, make_course, now):
    """Two in the programme fill kurs (two places): the next to enrol in kurs waits."""
    catalogue = make_course(EnrolmentSettings(capacity=2))
    for person in ("p1", "p2"):
        register = enrol(register, catalogue, person, "program", now=now).register
    outcome = enrol(register, catalogue, "p3", "kurs", now=now)
    assert outcome.register.enrolments[-1].status is EnrolmentStatus.WAITLISTED
    places = availability(outcome.register, catalogue, "kurs")
    assert (places.taken, places.confirmed, places.waitlisted) == (2, 2, 1)


def test_a_programme_waits_when_a_module_event_is_full(register, make_course, now):
    """kurs full with its own people: a programme enrolment waits, though the programme has room."""
    kurs_full = make_course(EnrolmentSettings(capacity=2))
    programme = attrs.evolve(kurs_full.programmes[0], enrolment=EnrolmentSettings(capacity=10))
    catalogue = attrs.evolve(kurs_full, programmes=[programme])
    for person in ("p1", "p2"):
        register = enrol(register, catalogue, person, "kurs", now=now).register
    outcome = enrol(register, catalogue, "p3", "program", now=now)
    assert outcome.register.enrolments[-1].status is EnrolmentStatus.WAITLISTED
    # A place freed in kurs lets the programme's waiting list move.
    later = withdraw(outcome.register, catalogue, "e1", now=now)
    assert later.register.enrolment("e3").status is EnrolmentStatus.CONFIRMED
    assert [n.participant for n in later.notifications] == ["p1", "p3"]


def test_leaving_a_programme_frees_a_place_in_its_module_events(register, make_course, now):
    """A programme participant withdraws: the first waiting for kurs is promoted."""
    catalogue = make_course(EnrolmentSettings(capacity=1))
    register = enrol(register, catalogue, "p1", "program", now=now).register
    register = enrol(register, catalogue, "p2", "kurs", now=now).register
    assert register.enrolment("e2").status is EnrolmentStatus.WAITLISTED
    outcome = withdraw(register, catalogue, "e1", now=now)
    assert outcome.register.enrolment("e2").status is EnrolmentStatus.CONFIRMED


@pytest.mark.parametrize(("first", "second"), [("program", "kurs"), ("kurs", "program")])
def test_a_programme_and_one_of_its_modules_clash(register, make_course, now, first, second):
    """One person cannot hold an enrolment in a programme and one in its module at once."""
    catalogue = make_course(None)
    register = enrol(register, catalogue, "p1", first, now=now).register
    with pytest.raises(EnrolmentError, match=f"already enrolled in '{first}'"):
        enrol(register, catalogue, "p1", second, now=now)
