"""What the public may see of a catalogue."""

from __future__ import annotations

import attrs

from libkurs.model._catalogue import Catalogue
from libkurs.model._enums import Publication
from libkurs.model._event import Event

__all__ = ["public_view"]


def _public_event(event: Event) -> Event:
    sessions = [
        attrs.evolve(s, location=s.location.redacted()) if s.location is not None else s
        for s in event.sessions
    ]
    return attrs.evolve(
        event,
        sessions=sessions,
        location=event.location.redacted() if event.location is not None else None,
        internal_note=None,
    )


def public_view(catalogue: Catalogue) -> Catalogue:
    """The part of *catalogue* the public may see.

    Drafts are left out (and so are the references to them); join links, access notes and
    internal notes are removed. Every public output of libkurs starts from this view unless its
    caller asks for private data.
    """
    events = [_public_event(e) for e in catalogue.events if e.publication is Publication.PUBLIC]
    public_ids = {event.id for event in events}
    programmes = [
        attrs.evolve(p, modules=[m for m in p.modules if m in public_ids], internal_note=None)
        for p in catalogue.programmes
        if p.publication is Publication.PUBLIC
    ]
    return attrs.evolve(catalogue, events=events, programmes=programmes)
