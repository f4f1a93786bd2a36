"""The fast path of a re-sync: a fingerprint of each session's data stands in for its hash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from libkurs import Catalogue, LocalizedText, public_view, revise
from libkurs.errors import KursError
from libkurs.sync import MemoryCalendar, SyncState, sync
from libkurs.sync._plan import desired_items, plan_items
from strategies import catalogues, localized_texts

KEY = "fingerprint-test"
FIRST = datetime(2030, 1, 1, tzinfo=UTC)
LATER = FIRST + timedelta(days=3)


def _edit_session(data: st.DataObject, catalogue: Catalogue) -> Catalogue:
    events = [e for e in catalogue.events if e.sessions]
    if not events:
        return catalogue
    event = data.draw(st.sampled_from(events))
    session = data.draw(st.sampled_from(event.sessions))
    changed = data.draw(
        st.sampled_from(
            [
                lambda s: revise(s, title=LocalizedText({"sv": "Ny rubrik"})),
                lambda s: attrs.evolve(s, start=s.start + timedelta(hours=1), end=None),
                lambda s: attrs.evolve(s, revision=s.revision + 1),
                lambda s: attrs.evolve(s, modified=LATER),
            ]
        )
    )(session)
    sessions = [changed if s.id == session.id else s for s in event.sessions]
    edited = attrs.evolve(event, sessions=sessions)
    return attrs.evolve(
        catalogue, events=[edited if e.id == event.id else e for e in catalogue.events]
    )


def _edit(data: st.DataObject, catalogue: Catalogue) -> Catalogue:
    """*catalogue* with one edit drawn: none, a name, a venue, an event, a session, a removal."""
    kind = data.draw(st.sampled_from(["none", "name", "venue", "event", "session", "drop"]))
    if kind == "name":
        return attrs.evolve(catalogue, name=data.draw(localized_texts()))
    if kind == "venue" and catalogue.venues:
        name = data.draw(localized_texts())
        return attrs.evolve(
            catalogue, venues=[attrs.evolve(catalogue.venues[0], name=name), *catalogue.venues[1:]]
        )
    if kind == "event" and catalogue.events:
        event = attrs.evolve(catalogue.events[0], description=data.draw(localized_texts()))
        return attrs.evolve(catalogue, events=[event, *catalogue.events[1:]])
    if kind == "session":
        return _edit_session(data, catalogue)
    if kind == "drop" and catalogue.events:
        event = catalogue.events[-1]
        kept = attrs.evolve(event, sessions=event.sessions[1:], runs=())
        return attrs.evolve(catalogue, events=[*catalogue.events[:-1], kept])
    return catalogue


def _decisions(catalogue: Catalogue, entries, *, now: datetime):
    desired = desired_items(catalogue, key=KEY, now=now)
    planned = plan_items(desired, entries, key=KEY)
    return [(s.action, s.uid, s.href, s.reason) for s in planned.steps], desired


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    catalogues(min_events=1).filter(lambda c: any(True for _ in public_view(c).sessions())),
    st.data(),
)
def test_the_fingerprint_decides_changed_exactly_as_the_content_hash(catalogue, data):
    """On generated catalogues and edits, the fast path plans what the full hash plans."""
    calendar, state = MemoryCalendar(), SyncState(key=KEY)
    try:
        sync(catalogue, calendar, state=state, key=KEY, now=FIRST)
        edited = _edit(data, catalogue)
        desired_items(edited, key=KEY, now=LATER)
    except KursError:
        assume(False)
    entries = list(state.entries.values())
    assert all(e.fingerprint is not None for e in entries)
    fast, desired = _decisions(edited, entries, now=LATER)
    bare = [attrs.evolve(e, fingerprint=None) for e in entries]
    full, _ = _decisions(edited, bare, now=LATER)
    assert fast == full
    event("actions: " + ", ".join(sorted({action.value for action, *_ in fast})))
    by_href = {e.href: e for e in entries}
    for item in desired.values():
        entry = by_href.get(item.href)
        if entry is not None and entry.fingerprint == item.fingerprint:
            assert item._made is None  # neither rendered nor hashed


def test_an_unchanged_resync_renders_nothing_and_a_changed_session_is_rewritten():
    """The second sync of the same catalogue renders nothing; an edit is still written."""
    from sync.catalogues import catalogue

    base = catalogue(3)
    calendar, state = MemoryCalendar(), SyncState(key=KEY)
    sync(base, calendar, state=state, key=KEY, now=FIRST)
    desired = desired_items(base, key=KEY, now=LATER)
    planned = plan_items(desired, list(state.entries.values()), key=KEY)
    assert {s.action.value for s in planned.steps} == {"unchanged"}
    assert all(item._made is None for item in desired.values())
    event = base.events[0]
    moved = revise(event.sessions[0], title=LocalizedText({"sv": "Flyttad"}))
    edited = attrs.evolve(
        base, events=[attrs.evolve(event, sessions=[moved, *event.sessions[1:]]), *base.events[1:]]
    )
    report = sync(edited, calendar, state=state, key=KEY, now=LATER)
    assert report.updated == 1
    assert report.unchanged == 2


def test_a_state_without_fingerprints_gains_them_after_one_run(tmp_path):
    """An item read from the calendar is fingerprinted once found unchanged, and kept so."""
    from sync.catalogues import catalogue

    base = catalogue(2)
    calendar = MemoryCalendar()
    sync(base, calendar, state=SyncState(key=KEY), key=KEY, now=FIRST)
    state = SyncState(tmp_path / "state.json", key=KEY)
    sync(base, calendar, state=state, key=KEY, now=LATER)  # reads every item: no fingerprint
    again = SyncState(tmp_path / "state.json", key=KEY)
    assert again.entries
    assert all(e.fingerprint is not None for e in again.entries.values())


def test_a_no_op_resync_with_state_is_one_request(server, tmp_path):
    """With a saved token and the calendar's URL in the state, a no-op re-sync is one REPORT."""
    from libkurs.sync import CalDAVCalendar
    from sync.catalogues import catalogue
    from sync.servers import PASSWORD, USER, make_calendar

    url, base, path = make_calendar(server), catalogue(5), tmp_path / "state.json"
    with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
        sync(base, calendar, key=KEY, state=path, now=FIRST)
    for _ in range(2):
        with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
            report = sync(base, calendar, key=KEY, state=path, now=LATER)
            assert calendar.requests_sent == 1
        assert report.unchanged == 5


def test_a_remembered_url_that_is_gone_is_found_again(server, tmp_path):
    """A state whose calendar URL no longer answers falls back to finding the calendar."""
    from libkurs.sync import CalDAVCalendar
    from sync.catalogues import catalogue
    from sync.servers import PASSWORD, USER, make_calendar

    url, base, path = make_calendar(server), catalogue(3), tmp_path / "state.json"
    with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
        sync(base, calendar, key=KEY, state=path, now=FIRST)
    state = SyncState(path, calendar=url, key=KEY)
    state.collection = url + "gone/"
    state.save(state.token)
    with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
        report = sync(base, calendar, key=KEY, state=path, now=LATER)
        assert calendar.url == url
    assert report.unchanged == 3
    assert SyncState(path, calendar=url, key=KEY).collection == url


def test_a_remembered_url_on_another_host_is_never_asked(server, tmp_path):
    """A state naming a calendar URL on another origin is ignored: credentials stay home."""
    from libkurs.sync import CalDAVCalendar
    from sync.catalogues import catalogue
    from sync.servers import PASSWORD, USER, make_calendar

    url, base, path = make_calendar(server), catalogue(2), tmp_path / "state.json"
    with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
        sync(base, calendar, key=KEY, state=path, now=FIRST)
    state = SyncState(path, calendar=url, key=KEY)
    state.collection = url.replace("http://127.0.0.1:", "http://127.0.0.2:")
    state.save(state.token)
    with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
        report = sync(base, calendar, key=KEY, state=path, now=LATER)
        assert calendar.url == url
        assert calendar.requests_sent == 2  # found from the URL given, then the REPORT
    assert report.unchanged == 2
