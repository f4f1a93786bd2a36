"""A moved status says where from: rescheduled and postponed need the previous start."""

from datetime import datetime, timedelta

import pytest

from libkurs import HELSINKI, Catalogue, Event, LocalizedText, Programme, Session, Status
from libkurs.errors import ValidationError

START = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
TITLE = LocalizedText({"sv": "Slutseminarium"})


@pytest.mark.parametrize("status", [Status.RESCHEDULED, Status.POSTPONED])
def test_a_moved_session_without_a_previous_start_is_refused(status):
    """A rescheduled or postponed session without previous_start names that field."""
    with pytest.raises(ValidationError) as caught:
        Session(id="s", start=START, end=START + timedelta(hours=4), status=status)
    assert caught.value.path == "previous_start"
    assert "previous_start" in str(caught.value)


@pytest.mark.parametrize("kind", [Event, Programme])
@pytest.mark.parametrize("status", [Status.RESCHEDULED, Status.POSTPONED])
def test_a_moved_event_or_programme_without_a_previous_start_is_refused(kind, status):
    """Events and programmes follow the same rule as sessions."""
    with pytest.raises(ValidationError) as caught:
        kind(id="x", title=TITLE, status=status)
    assert caught.value.path == "previous_start"


def test_the_path_of_a_moved_session_without_a_previous_start_is_the_catalogue_path():
    """Loaded from native JSON, the error names events[0].sessions[0].previous_start."""
    import libkurs

    document = """{
      "format": "libkurs.catalogue", "version": 1,
      "events": [{"id": "e", "title": {"sv": "S"}, "sessions": [{
        "id": "s", "status": "rescheduled",
        "start": "2023-02-01T12:00:00+02:00[Europe/Helsinki]",
        "end": "2023-02-01T16:00:00+02:00[Europe/Helsinki]"}]}]
    }"""
    with pytest.raises(ValidationError) as caught:
        libkurs.loads(document, "json")
    assert caught.value.path == "events[0].sessions[0].previous_start"


def test_a_moved_session_with_its_previous_start_is_accepted():
    """With the start it had, a rescheduled or postponed session is valid."""
    for status in (Status.RESCHEDULED, Status.POSTPONED):
        session = Session(
            id="s",
            start=START,
            end=START + timedelta(hours=4),
            status=status,
            previous_start=START - timedelta(days=7),
        )
        assert session.previous_start is not None
    assert Catalogue(events=[Event(id="e", title=TITLE)]).events
