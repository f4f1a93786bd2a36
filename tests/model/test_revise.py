"""Revisions rise with every change a calendar must hear about; public views drop private data."""

from datetime import datetime, timedelta

from libkurs import (
    HELSINKI,
    Catalogue,
    Event,
    LocalizedText,
    Location,
    OnlineRoom,
    Programme,
    Publication,
    Session,
    Status,
    bump_revisions,
    public_view,
    revise,
)

T = LocalizedText({"sv": "Seminarium"})
START = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
SESSION = Session(id="s", start=START, end=START + timedelta(hours=4))


def test_revise_raises_the_revision_for_calendar_changes():
    """Moving, cancelling or renaming raises the revision by one."""
    assert revise(SESSION, start=START - timedelta(hours=1)).revision == 1
    assert revise(SESSION, status=Status.CANCELLED).revision == 1
    assert revise(Event(id="e", title=T), title=LocalizedText({"sv": "Nytt"})).revision == 1


def test_revise_refuses_other_types():
    """revise() on a catalogue is a TypeError naming what it takes."""
    import pytest

    with pytest.raises(TypeError, match="Session"):
        revise(Catalogue(), name=T)


def test_revise_keeps_the_revision_for_other_changes():
    """A new description is not a calendar change."""
    assert revise(SESSION, description=T).revision == 0


def test_bump_revisions_compares_two_catalogues():
    """Edited sessions get their previous revision plus one; untouched ones keep theirs."""
    before = Catalogue(events=[Event(id="e", title=T, sessions=[SESSION])])
    moved = Session(id="s", start=START + timedelta(days=1), end=START + timedelta(days=1, hours=4))
    after = bump_revisions(before, Catalogue(events=[Event(id="e", title=T, sessions=[moved])]))
    assert after.event("e").sessions[0].revision == 1
    assert after.event("e").revision == 0
    assert bump_revisions(before, before) == before


def test_public_view_drops_private_data_and_drafts():
    """Join links, internal notes and draft events are not in the public view."""
    room = Location(online=OnlineRoom(platform="Zoom", join_url="https://zoom.example/j/1"))
    catalogue = Catalogue(
        events=[
            Event(id="e", title=T, location=room, sessions=[SESSION], internal_note="ring Anna"),
            Event(id="draft", title=T, publication=Publication.DRAFT),
        ],
        programmes=[Programme(id="p", title=T, modules=["e", "draft"])],
    )
    public = public_view(catalogue)
    assert [e.id for e in public.events] == ["e"]
    assert public.event("e").location == Location(online=OnlineRoom(platform="Zoom"))
    assert public.event("e").internal_note is None
    assert public.programme("p").modules == ("e",)


def test_moving_a_session_makes_it_rescheduled_with_its_previous_start():
    """revise(session, start=…) sets status RESCHEDULED and previous_start to the old start."""
    later = START + timedelta(days=7)
    moved = revise(SESSION, start=later, end=later + timedelta(hours=4))
    assert moved.status is Status.RESCHEDULED
    assert moved.previous_start == START
    assert moved.revision == 1


def test_moving_a_session_again_keeps_the_start_people_last_saw():
    """A second move gives the start of the first move as previous_start."""
    week = timedelta(days=7)
    once = revise(SESSION, start=START + week, end=SESSION.end + week)
    twice = revise(once, start=START + 2 * week, end=SESSION.end + 2 * week)
    assert twice.previous_start == START + week
    assert twice.revision == 2


def test_giving_a_postponed_session_a_new_time_reschedules_it_from_its_old_start():
    """A postponed session moved to a known time keeps the start it had before it was postponed."""
    postponed = revise(SESSION, status=Status.POSTPONED, previous_start=START)
    week = timedelta(days=7)
    moved = revise(postponed, start=START + week, end=SESSION.end + week)
    assert moved.status is Status.RESCHEDULED
    assert moved.previous_start == START


def test_a_start_change_with_an_explicit_status_or_previous_start_is_left_as_given():
    """Changes that say the status (or previous start) themselves are not second-guessed."""
    cancelled = revise(SESSION, start=START - timedelta(hours=1), status=Status.CANCELLED)
    assert cancelled.status is Status.CANCELLED
    assert cancelled.previous_start is None
    earlier = START - timedelta(days=1)
    told = revise(
        SESSION,
        start=START + timedelta(hours=1),
        status=Status.RESCHEDULED,
        previous_start=earlier,
        end=SESSION.end + timedelta(hours=1),
    )
    assert told.previous_start == earlier


def test_changing_nothing_but_the_end_does_not_reschedule():
    """A longer session has not moved: its status stays scheduled."""
    longer = revise(SESSION, end=SESSION.end + timedelta(hours=1))
    assert longer.status is Status.SCHEDULED
    assert longer.previous_start is None


def test_a_new_part_of_the_day_raises_the_revision():
    """Morning to afternoon changes the calendar entry's title: the revision rises."""
    from datetime import date

    from libkurs import PartOfDay

    start, end = Session.all_day_span(date(2023, 1, 12), date(2023, 1, 12), HELSINKI)
    morning = Session(id="m", start=start, end=end, all_day=True, part_of_day=PartOfDay.MORNING)
    assert revise(morning, part_of_day=PartOfDay.AFTERNOON).revision == 1


def test_cancelling_a_rescheduled_session_drops_its_previous_start():
    """A cancelled session keeps no previous start: revise() drops it unless told otherwise."""
    week = timedelta(days=7)
    moved = revise(SESSION, start=START + week, end=SESSION.end + week)
    cancelled = revise(moved, status=Status.CANCELLED)
    assert cancelled.status is Status.CANCELLED
    assert cancelled.previous_start is None
    assert cancelled.revision == 2
