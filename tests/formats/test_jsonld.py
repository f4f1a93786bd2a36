"""schema.org JSON-LD: a known vocabulary, the fields search engines need, no private data."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings

import libkurs
from libkurs import (
    HELSINKI,
    Address,
    AgendaItem,
    Catalogue,
    EnrolmentSettings,
    Event,
    EventKind,
    Geo,
    Link,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    Person,
    Programme,
    Publication,
    Session,
    Status,
    Venue,
)
from libkurs.errors import FormatError
from strategies import catalogues

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "catalogue.json"
GOLDEN = ROOT / "tests" / "data" / "jsonld" / "catalogue.jsonld"
VOCABULARY = json.loads(
    (ROOT / "tests" / "data" / "schemaorg" / "vocabulary.json").read_text(encoding="utf-8")
)
SCHEMA = "https://schema.org/"
JOIN_URL = "https://example.zoom.us/j/987654321"


def ancestors(type_name):
    """The type and every type above it in the vocabulary."""
    found, todo = set(), [type_name]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(VOCABULARY["types"][current])
    return found


def check_node(node, path="$"):
    """Assert that every @type and property under *node* is in the trimmed vocabulary."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            check_node(item, f"{path}[{index}]")
        return
    if not isinstance(node, dict):
        return
    if set(node) <= {"@id"} or set(node) == {"@language", "@value"}:
        return
    types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
    for type_name in types:
        assert type_name in VOCABULARY["types"], f"{path}: unknown type {type_name}"
    above = set().union(*(ancestors(t) for t in types))
    for key, value in node.items():
        if key.startswith("@"):
            assert key in {"@type", "@id"}, f"{path}: unexpected keyword {key}"
            continue
        assert key in VOCABULARY["properties"], f"{path}: unknown property {key}"
        domain = set(VOCABULARY["properties"][key])
        assert domain & above, f"{path}: {key} is not a property of {types}"
        expected_range = VOCABULARY["property_ranges_checked"].get(key)
        if expected_range is not None:
            assert value.startswith(SCHEMA)
            member = value.removeprefix(SCHEMA)
            assert VOCABULARY["enumeration_members"][member] == expected_range
        check_node(value, f"{path}.{key}")


def rich_catalogue():
    """A catalogue that uses every part of the model that JSON-LD writes."""
    zoom = OnlineRoom(platform="Zoom", join_url=JOIN_URL, access_note="kod 4242")
    start = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
    return Catalogue(
        organisations=[
            Organisation(
                id="rfv",
                name=LocalizedText({"sv": "Regionförvaltningsverket", "fi": "Aluehallintovirasto"}),
                abbreviation=LocalizedText({"sv": "RFV", "fi": "AVI"}),
                url="https://avi.fi",
            )
        ],
        people=[
            Person(
                id="forsman",
                name="Daniel Forsman",
                title=LocalizedText({"sv": "stadsbibliotekarie"}),
                organisation="rfv",
                email="daniel@example.org",
            )
        ],
        venues=[
            Venue(
                id="oodi",
                name=LocalizedText({"fi": "Keskustakirjasto Oodi"}),
                address=Address(
                    street="Töölönlahdenkatu 4",
                    postal_code="00100",
                    locality="Helsinki",
                    country="FI",
                ),
                geo=Geo(latitude=60.1738, longitude=24.9381),
            )
        ],
        events=[
            Event(
                id="seminar",
                kind=EventKind.SEMINAR,
                title=LocalizedText({"sv": "Slutseminarium", "fi": "Loppuseminaari"}),
                languages=["sv", "fi"],
                status=Status.RESCHEDULED,
                previous_start=datetime(2023, 1, 25, 12, tzinfo=HELSINKI),
                organisers=["rfv"],
                location=Location(venue="oodi", online=zoom),
                free_of_charge=True,
                price=LocalizedText({"sv": "Avgiftsfritt; resor och lunch på egen bekostnad"}),
                audience=LocalizedText({"sv": "Bibliotekspersonal"}),
                links=[Link(url="https://avi.fi/sv", title=LocalizedText({"sv": "RFV"}))],
                enrolment=EnrolmentSettings(
                    closes=datetime(2023, 1, 24, 16, tzinfo=HELSINKI),
                    capacity=80,
                    capacity_on_site=30,
                    capacity_remote=50,
                    url="https://example.org/anmalan",
                ),
                sessions=[
                    Session(
                        id="seminar-1",
                        start=start,
                        end=start.replace(hour=16),
                        agenda=[
                            AgendaItem(
                                title=LocalizedText({"sv": "Mer relevant än någonsin!"}),
                                start=start.replace(hour=13),
                                end=start.replace(hour=14),
                                speakers=["forsman"],
                            )
                        ],
                    ),
                    Session(
                        id="seminar-2",
                        start=start.replace(day=2),
                        end=start.replace(day=2, hour=16),
                        location=Location(online=zoom),
                    ),
                ],
                internal_note="hemlig anteckning",
            ),
            Event(
                id="course",
                kind=EventKind.COURSE,
                title=LocalizedText({"en": "Library pedagogy"}),
                location=Location(venue="oodi"),
                sessions=[Session(id="course-1", start=start, end=start.replace(hour=15))],
            ),
            Event(
                id="draft",
                title=LocalizedText({"sv": "Utkast"}),
                publication=Publication.DRAFT,
            ),
        ],
        programmes=[
            Programme(
                id="programme",
                title=LocalizedText({"sv": "Tillsammans kan vi!"}),
                modules=["seminar", "course", "draft"],
            )
        ],
    )


def dump(catalogue, **options):
    return json.loads(libkurs.dumps(catalogue, "jsonld", **options))


def test_every_seed_event_uses_only_schema_org_types_and_properties():
    """The seed catalogue's JSON-LD passes the trimmed schema.org vocabulary check."""
    document = dump(libkurs.load(EXAMPLE))
    assert document["@context"] == "https://schema.org"
    check_node(document["@graph"])


def test_every_seed_event_carries_what_search_engines_require():
    """Every public seed event has a name, and startDate, location, mode and status when known."""
    catalogue = libkurs.load(EXAMPLE)
    nodes = {node["@id"]: node for node in dump(catalogue)["@graph"]}
    for event in catalogue.events:
        node = nodes[f"#{event.id}"]
        assert node["name"]
        assert node["eventStatus"] == SCHEMA + "EventScheduled"
        if event.sessions or event.period:
            assert "startDate" in node
        if event.location is not None:
            assert "location" in node
            assert node["eventAttendanceMode"].startswith(SCHEMA)


def test_the_seed_catalogue_matches_its_golden_file():
    """The seed's JSON-LD is the reviewed file in tests/data/jsonld."""
    written = libkurs.dumps(libkurs.load(EXAMPLE), "jsonld")
    assert written == GOLDEN.read_text(encoding="utf-8")


def test_the_rich_catalogue_uses_only_schema_org_types_and_properties():
    """Places, offers, capacities, performers and series also pass the vocabulary check."""
    check_node(dump(rich_catalogue())["@graph"])
    check_node(dump(rich_catalogue(), language="fi")["@graph"])


def test_status_previous_start_and_hybrid_location_are_written():
    """A rescheduled hybrid seminar says so, with its previous start and both places."""
    seminar = dump(rich_catalogue())["@graph"][0]
    assert seminar["@type"] == "EducationEvent"
    assert seminar["eventStatus"] == SCHEMA + "EventRescheduled"
    assert seminar["previousStartDate"] == "2023-01-25T12:00:00+02:00"
    assert seminar["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"
    place, virtual = seminar["location"]
    assert place["address"]["streetAddress"] == "Töölönlahdenkatu 4"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 60.1738, "longitude": 24.9381}
    assert virtual == {"@type": "VirtualLocation", "name": "Zoom"}


def test_capacities_offers_and_languages_are_written():
    """Capacity (whole, physical, virtual), the offer and every language reach the output."""
    seminar = dump(rich_catalogue())["@graph"][0]
    assert seminar["maximumAttendeeCapacity"] == 80
    assert seminar["maximumPhysicalAttendeeCapacity"] == 30
    assert seminar["maximumVirtualAttendeeCapacity"] == 50
    assert seminar["isAccessibleForFree"] is True
    assert seminar["offers"]["price"] == "0"
    assert seminar["offers"]["availabilityEnds"] == "2023-01-24T16:00:00+02:00"
    assert seminar["inLanguage"] == ["sv", "fi"]
    assert seminar["name"] == [
        {"@language": "sv", "@value": "Slutseminarium"},
        {"@language": "fi", "@value": "Loppuseminaari"},
    ]


def test_one_language_writes_plain_strings():
    """language="fi" writes each text as a string in Finnish, falling back when there is none."""
    seminar = dump(rich_catalogue(), language="fi")["@graph"][0]
    assert seminar["name"] == "Loppuseminaari"
    assert seminar["audience"]["audienceType"] == "Bibliotekspersonal"


def test_sessions_and_talks_are_sub_events_with_performers():
    """Two sessions become sub-events; the talk is a sub-event of its session with its speaker."""
    seminar = dump(rich_catalogue())["@graph"][0]
    first, second = seminar["subEvent"]
    assert first["superEvent"] == {"@id": "#seminar"}
    assert first["performer"]["name"] == "Daniel Forsman"
    (talk,) = first["subEvent"]
    assert talk["startDate"] == "2023-02-01T13:00:00+02:00"
    assert talk["superEvent"] == {"@id": "#seminar-1"}
    assert second["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"


def test_a_programme_is_an_event_series_of_its_public_modules():
    """The programme lists public modules as sub-events; each module points back to it."""
    graph = dump(rich_catalogue())["@graph"]
    series = graph[-1]
    assert series["@type"] == "EventSeries"
    assert series["subEvent"] == [{"@id": "#seminar"}, {"@id": "#course"}]
    assert graph[1]["@type"] == "CourseInstance"
    assert graph[1]["courseMode"] == "onsite"
    assert graph[1]["superEvent"] == [{"@id": "#programme"}]


def test_private_data_never_reaches_the_output():
    """Join links, access notes, internal notes, e-mail addresses and drafts are left out."""
    text = libkurs.dumps(rich_catalogue(), "jsonld")
    for secret in (JOIN_URL, "kod 4242", "hemlig", "daniel@example.org", "Utkast"):
        assert secret not in text


def test_include_drafts_adds_drafts_but_still_no_join_link():
    """include_drafts=True writes drafts for a preview, and still no private data."""
    text = libkurs.dumps(rich_catalogue(), "jsonld", include_drafts=True)
    assert "Utkast" in text
    assert JOIN_URL not in text
    assert "hemlig" not in text


def test_base_prefixes_every_id():
    """base="https://example.org/e/" makes absolute @ids."""
    graph = dump(rich_catalogue(), base="https://example.org/e/")["@graph"]
    assert graph[0]["@id"] == "https://example.org/e/seminar"


def test_output_is_deterministic():
    """The same catalogue gives the same text."""
    assert libkurs.dumps(rich_catalogue(), "jsonld") == libkurs.dumps(rich_catalogue(), "jsonld")


def test_reading_json_ld_is_refused_with_a_format_error():
    """JSON-LD is write-only: loads raises FormatError, which the CLI reports as bad input."""
    with pytest.raises(FormatError, match="does not read it"):
        libkurs.loads("{}", "jsonld")


def test_unknown_options_are_refused():
    """An option the format does not know is a TypeError."""
    with pytest.raises(TypeError):
        libkurs.dumps(Catalogue(), "jsonld", colour="blue")


@settings(max_examples=30, deadline=None)
@given(catalogue=catalogues())
def test_any_catalogue_uses_only_schema_org_types_and_properties(catalogue):
    """Whatever the catalogue holds, its JSON-LD passes the vocabulary check."""
    check_node(dump(catalogue, include_drafts=True)["@graph"])
