"""The catalogue: one id namespace, and every reference resolves."""

from datetime import datetime, timedelta

import pytest

from libkurs import (
    HELSINKI,
    AgendaItem,
    Catalogue,
    Event,
    LocalizedText,
    Location,
    Organisation,
    Person,
    Programme,
    Session,
    Venue,
)
from libkurs.errors import DuplicateIdError, UnresolvedReferenceError

T = LocalizedText({"sv": "x"})
START = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)


def talk(*speakers):
    return Session(
        id="talk",
        start=START,
        end=START + timedelta(hours=1),
        agenda=[AgendaItem(title=T, speakers=speakers)],
    )


def test_lookups_by_id():
    """event(), person() and friends find things by id and raise KeyError otherwise."""
    catalogue = Catalogue(
        events=[Event(id="e", title=T, sessions=[talk("p")])],
        people=[Person(id="p", name="Daniel Forsman")],
    )
    assert catalogue.event("e").id == "e"
    assert catalogue.person("p").name == "Daniel Forsman"
    assert [(e.id, s.id) for e, s in catalogue.sessions()] == [("e", "talk")]
    with pytest.raises(KeyError):
        catalogue.event("p")


def test_duplicate_ids_across_kinds_are_refused():
    """An event and a venue may not share an id."""
    with pytest.raises(DuplicateIdError) as caught:
        Catalogue(venues=[Venue(id="x", name=T)], events=[Event(id="x", title=T)])
    assert caught.value.path == "events[0].id"
    assert caught.value.first_path == "venues[0].id"


def test_session_ids_share_the_namespace():
    """A session id equal to an event id is a duplicate."""
    with pytest.raises(DuplicateIdError) as caught:
        Catalogue(events=[Event(id="talk", title=T, sessions=[talk()])])
    assert caught.value.path == "events[0].sessions[0].id"


@pytest.mark.parametrize(
    ("catalogue", "path", "expected"),
    [
        (
            {"events": [Event(id="e", title=T, sessions=[talk("nobody")])]},
            "events[0].sessions[0].agenda[0].speakers[0]",
            "person",
        ),
        (
            {"events": [Event(id="e", title=T, location=Location(venue="hall"))]},
            "events[0].location.venue",
            "venue",
        ),
        (
            {"events": [Event(id="e", title=T, organisers=["rfv"])]},
            "events[0].organisers[0]",
            "organisation",
        ),
        (
            {"programmes": [Programme(id="p", title=T, modules=["m1"])]},
            "programmes[0].modules[0]",
            "event",
        ),
        (
            {"people": [Person(id="p", name="N", organisation="org")]},
            "people[0].organisation",
            "organisation",
        ),
        ({"publisher": "rfv"}, "publisher", "organisation"),
        ({"events": [Event(id="e", title=T, speakers=["p"])]}, "events[0].speakers[0]", "person"),
    ],
)
def test_dangling_references_are_refused(catalogue, path, expected):
    """Every kind of reference must name something of the right kind in the catalogue."""
    with pytest.raises(UnresolvedReferenceError) as caught:
        Catalogue(**catalogue)
    assert caught.value.path == path
    assert caught.value.expected == expected


def test_a_reference_to_the_wrong_kind_is_refused():
    """An organiser id that names a person is not an organisation."""
    with pytest.raises(UnresolvedReferenceError):
        Catalogue(
            people=[Person(id="rfv", name="N")], events=[Event(id="e", title=T, organisers=["rfv"])]
        )


def test_programmes_of_an_event():
    """programmes_of() finds the programmes an event is a module of."""
    catalogue = Catalogue(
        events=[Event(id="m1", title=T)],
        programmes=[Programme(id="p", title=T, modules=["m1"])],
        organisations=[Organisation(id="o", name=T)],
    )
    assert [p.id for p in catalogue.programmes_of(catalogue.event("m1"))] == ["p"]
