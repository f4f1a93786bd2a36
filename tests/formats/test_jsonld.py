"""schema.org JSON-LD: a known vocabulary, the fields search engines need, no private data.

The golden file tests/data/jsonld/catalogue.jsonld is the JSON-LD of examples/catalogue.json.
After a reviewed change of the seed catalogue (or of the writer), regenerate it with

    LIBKURS_REGENERATE=1 .venv/bin/python -m pytest tests/formats/test_jsonld.py -p no:cacheprovider

then read the diff before keeping it.
"""

import json
import os
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from attrs import evolve as attrs_evolve
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
    PartialDate,
    Period,
    Person,
    Programme,
    Publication,
    Run,
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
REGENERATE = os.environ.get("LIBKURS_REGENERATE") == "1"
FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+([+-][0-9:]+|Z))?")
EVENT_TYPES = {"Event", "EducationEvent", "CourseInstance", "EventSeries"}


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
                location=Location(venue="oodi"),
                sessions=[Session(id="draft-1", start=start, end=start.replace(hour=13))],
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


START = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
ONLINE = Location(online=OnlineRoom())
SESSION = Session(id="x-1", start=START, end=START.replace(hour=16))


def dump(catalogue, **options):
    return json.loads(libkurs.dumps(catalogue, "jsonld", **options))


def test_every_seed_event_uses_only_schema_org_types_and_properties():
    """The seed catalogue's JSON-LD passes the trimmed schema.org vocabulary check."""
    document = dump(libkurs.load(EXAMPLE))
    assert document["@context"] == "https://schema.org"
    check_node(document["@graph"])


def assert_search_engine_ready(node):
    """Assert that a top-level event node has what search engines require of an event."""
    assert node["@type"] in EVENT_TYPES
    assert node["name"], node["@id"]
    assert FULL_DATE.fullmatch(node["startDate"]), node["startDate"]
    assert "location" in node, node["@id"]
    assert node["eventStatus"].startswith(SCHEMA)
    assert node["eventAttendanceMode"].startswith(SCHEMA)


def test_every_seed_event_carries_what_search_engines_require():
    """Each written seed event has a name, a full startDate, a location, a mode and a status."""
    catalogue = libkurs.load(EXAMPLE)
    graph = dump(catalogue)["@graph"]
    assert graph, "the seed has dated events with a place"
    for node in graph:
        assert_search_engine_ready(node)
    written = {node["@id"] for node in graph}
    for event in libkurs.public_view(catalogue).events:
        has_place = event.location is not None or any(s.location for s in event.sessions)
        complete = bool(event.sessions) and has_place
        assert (f"#{event.id}" in written) == complete, event.id


def test_undated_seed_events_are_written_on_request_without_invented_claims():
    """include_incomplete=True writes every seed event; the undated ones claim no date or status."""
    catalogue = libkurs.load(EXAMPLE)
    nodes = {n["@id"]: n for n in dump(catalogue, include_incomplete=True)["@graph"]}
    for event in libkurs.public_view(catalogue).events:
        node = nodes[f"#{event.id}"]
        assert node["name"]
        if not event.sessions:
            assert "startDate" not in node
            assert "eventStatus" not in node
    for node in nodes.values():
        for sub in (node, *node.get("subEvent", ())):
            if "startDate" in sub:
                assert FULL_DATE.fullmatch(sub["startDate"]), sub["startDate"]


def test_the_seed_catalogue_matches_its_golden_file():
    """The seed's JSON-LD is the reviewed golden file (LIBKURS_REGENERATE=1 rewrites it)."""
    written = libkurs.dumps(libkurs.load(EXAMPLE), "jsonld")
    if REGENERATE:
        GOLDEN.write_text(written, encoding="utf-8")
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
    check_node(dump(catalogue, include_drafts=True, include_incomplete=True)["@graph"])


def test_undated_and_placeless_events_are_left_out_by_default():
    """Events without a dated session, or without any location, are not in the default graph."""
    catalogue = Catalogue(
        events=[
            Event(id="undated", title=LocalizedText({"sv": "Odaterat"}), location=ONLINE),
            Event(
                id="placeless",
                title=LocalizedText({"sv": "Utan plats"}),
                sessions=[Session(id="placeless-1", start=START, end=START.replace(hour=16))],
            ),
            Event(
                id="ready",
                title=LocalizedText({"sv": "Klart"}),
                location=ONLINE,
                sessions=[Session(id="ready-1", start=START, end=START.replace(hour=16))],
            ),
        ]
    )
    assert [n["@id"] for n in dump(catalogue)["@graph"]] == ["#ready"]
    everything = dump(catalogue, include_incomplete=True)["@graph"]
    assert [n["@id"] for n in everything] == ["#undated", "#placeless", "#ready"]
    undated, placeless, ready = everything
    assert "startDate" not in undated
    assert "eventStatus" not in undated
    assert undated["location"] == {"@type": "VirtualLocation"}
    assert "location" not in placeless
    assert placeless["eventStatus"] == SCHEMA + "EventScheduled"
    assert_search_engine_ready(ready)


def test_an_undated_cancelled_event_still_says_it_is_cancelled():
    """Without a date, a status other than scheduled is still a fact worth writing."""
    event = Event(
        id="off", title=LocalizedText({"sv": "Inställt"}), status=Status.CANCELLED, location=ONLINE
    )
    (node,) = dump(Catalogue(events=[event]), include_incomplete=True)["@graph"]
    assert node["eventStatus"] == SCHEMA + "EventCancelled"
    assert "startDate" not in node


def test_a_partial_period_is_never_written_as_a_start_date():
    """A month ("2022-08") or a year span is left out of startDate, on the event and its runs."""
    month = Period(start=PartialDate(year=2022, month=8), end=PartialDate(year=2022, month=9))
    event = Event(
        id="trip",
        title=LocalizedText({"sv": "Studieresa"}),
        period=month,
        location=ONLINE,
        runs=[Run(id="trip-aug", period=Period(start=PartialDate(year=2022, month=8)))],
    )
    text = libkurs.dumps(Catalogue(events=[event]), "jsonld", include_incomplete=True)
    assert "2022-08" not in text
    assert '"startDate"' not in text
    assert dump(Catalogue(events=[event]))["@graph"] == []


def test_a_period_known_to_the_day_is_a_start_date():
    """Period 2023-02-01 is a full date: the event is dated and written by default."""
    day = Period(start=PartialDate(year=2023, month=2, day=1))
    event = Event(id="day", title=LocalizedText({"sv": "Dag"}), period=day, location=ONLINE)
    (node,) = dump(Catalogue(events=[event]))["@graph"]
    assert (node["startDate"], node["endDate"]) == ("2023-02-01", "2023-02-01")
    assert_search_engine_ready(node)
    assert date.fromisoformat(node["startDate"]) == date(2023, 2, 1)


def test_an_online_room_without_details_is_a_virtual_location_with_the_public_page():
    """Online without a platform is still a VirtualLocation; its url is the public page only."""
    room = Location(online=OnlineRoom(join_url=JOIN_URL))
    event = Event(
        id="remote",
        title=LocalizedText({"sv": "På distans"}),
        url="https://example.org/remote",
        location=room,
        sessions=[Session(id="remote-1", start=START, end=START.replace(hour=16))],
    )
    (node,) = dump(Catalogue(events=[event]))["@graph"]
    assert node["location"] == {"@type": "VirtualLocation", "url": "https://example.org/remote"}
    assert node["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert JOIN_URL not in json.dumps(node)


def test_the_places_of_sessions_are_the_location_of_an_event_without_one():
    """An event placed only through its sessions gets each of their places once."""
    catalogue = rich_catalogue()
    seminar = attrs_evolve(catalogue.events[0], location=None)
    sessions = [
        attrs_evolve(seminar.sessions[0], location=Location(venue="oodi")),
        attrs_evolve(seminar.sessions[1], location=ONLINE),
    ]
    seminar = attrs_evolve(seminar, sessions=sessions)
    graph = dump(attrs_evolve(catalogue, events=[seminar, *catalogue.events[1:]]))["@graph"]
    place, virtual = graph[0]["location"]
    assert place["@type"] == "Place"
    assert virtual == {"@type": "VirtualLocation"}


def test_a_programme_takes_its_dates_and_places_from_its_written_modules():
    """The series starts with its first module, ends with its last, and is held where they are."""
    graph = dump(rich_catalogue())["@graph"]
    series = graph[-1]
    assert series["startDate"] == "2023-02-01T12:00:00+02:00"
    assert series["endDate"] == "2023-02-02T16:00:00+02:00"
    assert_search_engine_ready(series)


def test_references_point_only_at_written_nodes():
    """A left-out programme is not referred to; a series lists only the modules written."""
    catalogue = rich_catalogue()
    course = catalogue.events[1]
    undated = Programme(id="later", title=LocalizedText({"sv": "Senare"}), modules=["course"])
    catalogue = attrs_evolve(catalogue, programmes=[*catalogue.programmes, undated])
    events = [attrs_evolve(course, sessions=()) if e is course else e for e in catalogue.events]
    catalogue = attrs_evolve(catalogue, events=events)
    graph = dump(catalogue)["@graph"]
    ids = {node["@id"] for node in graph}
    assert "#later" not in ids
    assert "#course" not in ids
    for node in graph:
        for ref in (*node.get("superEvent", ()), *node.get("subEvent", ())):
            if set(ref) == {"@id"}:
                assert ref["@id"] in ids


SCRIPT_TITLE = "</script><script>alert(1)</script> & <!--"


class ScriptCollector(HTMLParser):
    """Collect the elements and the text of every <script> of an HTML page."""

    def __init__(self):
        super().__init__()
        self.scripts, self.tags, self.inside = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self.inside = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.scripts[-1] += data


def test_a_title_cannot_break_out_of_the_script_element():
    """'</script>' in a title is written as \\u003c/script\\u003e and embeds as one script."""
    catalogue = rich_catalogue()
    seminar = attrs_evolve(
        catalogue.events[0], title=LocalizedText({"sv": SCRIPT_TITLE, "fi": "Loppuseminaari"})
    )
    catalogue = attrs_evolve(catalogue, events=[seminar, *catalogue.events[1:]])
    text = libkurs.dumps(catalogue, "jsonld")
    for raw in ("<", ">", "&"):
        assert raw not in text
    assert json.loads(text)["@graph"][0]["name"][0]["@value"] == SCRIPT_TITLE
    page = f'<html><body><script type="application/ld+json">{text}</script></body></html>'
    collector = ScriptCollector()
    collector.feed(page)
    collector.close()
    assert collector.tags == ["html", "body", "script"]
    (script,) = collector.scripts
    assert json.loads(script) == json.loads(text)


def test_one_line_output_is_script_safe_too():
    """indent=None writes one line with the same escapes."""
    event = Event(
        id="x", title=LocalizedText({"en": SCRIPT_TITLE}), location=ONLINE, sessions=[SESSION]
    )
    text = libkurs.dumps(Catalogue(events=[event]), "jsonld", indent=None)
    assert "</script" not in text
    assert "\\u003c/script\\u003e" in text
    assert text.count("\n") == 1


@settings(max_examples=30, deadline=None)
@given(catalogue=catalogues())
def test_any_written_event_carries_what_search_engines_require(catalogue):
    """Whatever the catalogue holds, every node of the default graph is search-engine ready."""
    graph = dump(catalogue)["@graph"]
    check_node(graph)
    for node in graph:
        assert_search_engine_ready(node)


def _one_session_event(status, previous_start=None):
    start = datetime(2023, 2, 8, 12, tzinfo=HELSINKI)
    session = Session(
        id="moved-1",
        start=start,
        end=start.replace(hour=16),
        status=status,
        previous_start=previous_start,
    )
    return Catalogue(
        events=[
            Event(
                id="moved",
                title=LocalizedText({"sv": "Slutseminarium"}),
                sessions=[session],
                location=Location(online=OnlineRoom(platform="Zoom")),
            )
        ]
    )


@pytest.mark.parametrize("status", [Status.RESCHEDULED, Status.POSTPONED])
def test_a_session_level_moved_status_reaches_json_ld(status):
    """A one-session event whose session moved says so: eventStatus and previousStartDate."""
    before = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
    written = json.loads(libkurs.dumps(_one_session_event(status, before), "jsonld"))
    (node,) = written["@graph"]
    assert (
        node["eventStatus"]
        == SCHEMA
        + {
            Status.RESCHEDULED: "EventRescheduled",
            Status.POSTPONED: "EventPostponed",
        }[status]
    )
    assert node["previousStartDate"] == "2023-02-01T12:00:00+02:00"


def test_a_session_level_cancellation_reaches_json_ld():
    """A one-session event whose only session is cancelled is EventCancelled."""
    written = json.loads(libkurs.dumps(_one_session_event(Status.CANCELLED), "jsonld"))
    (node,) = written["@graph"]
    assert node["eventStatus"] == SCHEMA + "EventCancelled"
    assert "previousStartDate" not in node


def test_a_revised_session_reaches_json_ld_as_rescheduled():
    """revise(session, start=…) is enough for search engines to learn the event moved."""
    catalogue = _one_session_event(Status.SCHEDULED)
    (event,) = catalogue.events
    (session,) = event.sessions
    week = timedelta(days=7)
    moved = libkurs.revise(session, start=session.start + week, end=session.end + week)
    catalogue = attrs_evolve(catalogue, events=[attrs_evolve(event, sessions=[moved])])
    (node,) = json.loads(libkurs.dumps(catalogue, "jsonld"))["@graph"]
    assert node["eventStatus"] == SCHEMA + "EventRescheduled"
    assert node["previousStartDate"] == session.start.isoformat()
    assert node["startDate"] == (session.start + week).isoformat()


def test_a_localized_address_is_written_in_every_language():
    """Street and town in several languages are value objects; a plain string stays plain."""
    venue = Venue(
        id="ode",
        name=LocalizedText({"fi": "Oodi"}),
        address=Address(
            street=LocalizedText({"fi": "Töölönlahdenkatu 4", "sv": "Tölöviksgatan 4"}),
            locality="Helsinki",
        ),
    )
    catalogue = attrs_evolve(
        _one_session_event(Status.SCHEDULED),
        venues=[venue],
    )
    (event,) = catalogue.events
    catalogue = attrs_evolve(
        catalogue, events=[attrs_evolve(event, location=Location(venue="ode"))]
    )
    (node,) = json.loads(libkurs.dumps(catalogue, "jsonld"))["@graph"]
    address = node["location"]["address"]
    assert address["streetAddress"] == [
        {"@language": "fi", "@value": "Töölönlahdenkatu 4"},
        {"@language": "sv", "@value": "Tölöviksgatan 4"},
    ]
    assert address["addressLocality"] == "Helsinki"
    (swedish,) = json.loads(libkurs.dumps(catalogue, "jsonld", language="sv"))["@graph"]
    assert swedish["location"]["address"]["streetAddress"] == "Tölöviksgatan 4"


def test_a_deadline_known_only_to_the_day_is_written_as_that_day():
    """availabilityEnds is the last day to enrol, not the midnight after it."""
    closes = EnrolmentSettings.closing_day(date(2023, 3, 7), HELSINKI)
    enrolment = EnrolmentSettings(closes=closes, closes_whole_day=True)
    catalogue = _one_session_event(Status.SCHEDULED)
    (event,) = catalogue.events
    catalogue = attrs_evolve(catalogue, events=[attrs_evolve(event, enrolment=enrolment)])
    (node,) = json.loads(libkurs.dumps(catalogue, "jsonld"))["@graph"]
    assert node["offers"]["availabilityEnds"] == "2023-03-07"
