"""A feed's slice of the catalogue: pure functions from a catalogue and a filter to a catalogue.

Criteria about the event (programme, kind, organiser, audience, languages) pick events;
criteria about the session (attendance mode, place, status, time window) pick sessions. An
event keeps the sessions that match; one whose sessions all fall out is left out, and so is
one without sessions when a session criterion is given (nothing says it would match). The
result is a valid catalogue: programmes keep only the modules that are left, runs only the
sessions that are left, and a programme named by no event that is left goes too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs

from libkurs.feeds._config import FeedFilter
from libkurs.model import HELSINKI, Catalogue, Event, Session, Status

__all__ = ["select"]


def _moment(value: date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=HELSINKI)


def _folded(values: tuple[str, ...]) -> set[str]:
    return {value.casefold() for value in values}


def _event_matches(catalogue: Catalogue, event: Event, rule: FeedFilter) -> bool:
    if rule.programmes:
        wanted = set(rule.programmes)
        if not any(p.id in wanted for p in catalogue.programmes_of(event)):
            return False
    if rule.kinds and event.kind not in rule.kinds:
        return False
    if rule.organisers and not set(rule.organisers) & set(event.organisers):
        return False
    if rule.audiences:
        texts = [t.casefold() for t in event.audience.texts.values()] if event.audience else []
        if not any(word in text for word in _folded(rule.audiences) for text in texts):
            return False
    return not (rule.languages and not set(rule.languages) & set(event.languages))


def _has_session_rule(rule: FeedFilter) -> bool:
    return bool(
        rule.attendance
        or rule.places
        or rule.statuses
        or rule.start is not None
        or rule.end is not None
        or rule.days_back is not None
        or rule.days_ahead is not None
    )


def _places_of(catalogue: Catalogue, event: Event, session: Session) -> set[str]:
    location = event.location_of(session)
    if location is None or location.venue is None:
        return set()
    address = catalogue.venue(location.venue).address
    if address is None:
        return set()
    names: set[str] = set()
    for part in (address.locality, address.region):
        if part is not None:
            names.update(text.casefold() for text in part.texts.values())
    return names


def _session_matches(  # noqa: PLR0911 - one per criterion
    catalogue: Catalogue, event: Event, session: Session, rule: FeedFilter, now: datetime
) -> bool:
    if rule.attendance:
        location = event.location_of(session)
        if location is None or location.attendance_mode not in rule.attendance:
            return False
    if rule.places and not _folded(rule.places) & _places_of(catalogue, event, session):
        return False
    if rule.statuses:
        status = Status.CANCELLED if event.status is Status.CANCELLED else session.status
        if status not in rule.statuses:
            return False
    if rule.start is not None and session.end < _moment(rule.start):
        return False
    if rule.end is not None and session.start >= _moment(rule.end):
        return False
    if rule.days_back is not None and session.end < now - timedelta(days=rule.days_back):
        return False
    return not (
        rule.days_ahead is not None and session.start > now + timedelta(days=rule.days_ahead)
    )


def select(catalogue: Catalogue, rule: FeedFilter, *, now: datetime | None = None) -> Catalogue:
    """The part of *catalogue* that *rule* picks, as a catalogue of its own.

    *now* is the moment ``days_back`` and ``days_ahead`` count from (the clock if None).

    >>> import libkurs
    >>> from libkurs.feeds import FeedFilter, select
    >>> catalogue = libkurs.load("examples/catalogue.json")
    >>> [e.id for e in select(catalogue, FeedFilter(kinds=("seminar",))).events]
    ['slutseminarium-service-design']
    """
    now = now if now is not None else datetime.now(HELSINKI)
    session_rule = _has_session_rule(rule)
    events = []
    for event in catalogue.events:
        if not _event_matches(catalogue, event, rule):
            continue
        sessions = tuple(
            s for s in event.sessions if _session_matches(catalogue, event, s, rule, now)
        )
        if not sessions and (event.sessions or session_rule):
            continue
        if len(sessions) != len(event.sessions):
            kept = {s.id for s in sessions}
            runs = tuple(
                attrs.evolve(run, sessions=tuple(i for i in run.sessions if i in kept))
                for run in event.runs
            )
            event = attrs.evolve(event, sessions=sessions, runs=runs)  # noqa: PLW2901 - the kept slice
        events.append(event)
    kept_events = {event.id for event in events}
    programmes = []
    for programme in catalogue.programmes:
        if rule.programmes and programme.id not in rule.programmes:
            continue
        modules = tuple(m for m in programme.modules if m in kept_events)
        if programme.modules and not modules:
            continue
        if not programme.modules and (rule != FeedFilter()):
            continue
        programmes.append(attrs.evolve(programme, modules=modules))
    return attrs.evolve(catalogue, events=tuple(events), programmes=tuple(programmes))
