"""The native JSON format: exact round trips, strict reading, and errors that name the path."""

import json
from pathlib import Path

import pytest

import libkurs
from libkurs.errors import (
    DataError,
    DuplicateIdError,
    FormatError,
    SchemaVersionError,
    UnresolvedReferenceError,
    ValidationError,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "catalogue.json"


def seminar_document():
    """A small valid document to break in the tests below."""
    return {
        "format": "libkurs.catalogue",
        "version": 1,
        "people": [{"id": "forsman", "name": "Daniel Forsman"}],
        "events": [
            {
                "id": "seminarium",
                "title": {"sv": "Slutseminarium", "fi": "Loppuseminaari"},
                "kind": "seminar",
                "languages": ["sv", "fi"],
                "sessions": [
                    {
                        "id": "seminarium-1",
                        "start": "2023-02-01T12:00:00+02:00[Europe/Helsinki]",
                        "end": "2023-02-01T16:00:00+02:00[Europe/Helsinki]",
                        "agenda": [{"title": {"sv": "Föredrag"}, "speakers": ["forsman"]}],
                    }
                ],
            }
        ],
    }


def load(document):
    return libkurs.loads(json.dumps(document), "json")


def test_the_seed_catalogue_round_trips_exactly():
    """examples/catalogue.json loads, dumps to the same text, and reloads to an equal object."""
    text = EXAMPLE.read_text(encoding="utf-8")
    catalogue = libkurs.loads(text, "json")
    assert libkurs.dumps(catalogue, "json") == text
    assert libkurs.loads(libkurs.dumps(catalogue, "json"), "json") == catalogue


def test_datetimes_keep_their_zone_names():
    """A datetime is written with offset and zone name, and read back in that zone."""
    catalogue = load(seminar_document())
    start = catalogue.sessions().__next__()[1].start
    assert str(start.tzinfo) == "Europe/Helsinki"
    assert '"2023-02-01T12:00:00+02:00[Europe/Helsinki]"' in libkurs.dumps(catalogue, "json")


def test_defaults_are_left_out_and_enums_written_by_value():
    """The output is readable: no default fields, enums as their values, text as it is."""
    text = libkurs.dumps(load(seminar_document()), "json")
    assert '"kind": "seminar"' in text
    assert '"status"' not in text
    assert "Loppuseminaari" in text


def test_bytes_with_a_byte_order_mark_are_read():
    """UTF-8 with a BOM, as Windows editors write it, is accepted."""
    data = b"\xef\xbb\xbf" + json.dumps(seminar_document()).encode()
    assert libkurs.loads(data, "json").event("seminarium")


def _break(document, change):
    change(document)
    with pytest.raises(DataError) as caught:
        load(document)
    return caught.value


def test_end_before_start_names_the_path():
    """An end before the start is a ValidationError at events[0].sessions[0].end."""

    def change(d):
        d["events"][0]["sessions"][0]["end"] = "2023-02-01T11:00:00+02:00[Europe/Helsinki]"

    error = _break(seminar_document(), change)
    assert isinstance(error, ValidationError)
    assert error.path == "events[0].sessions[0].end"


def test_naive_datetime_names_the_path():
    """A datetime without an offset is refused at its path."""

    def change(d):
        d["events"][0]["sessions"][0]["start"] = "2023-02-01T12:00:00"

    error = _break(seminar_document(), change)
    assert isinstance(error, FormatError)
    assert error.path == "events[0].sessions[0].start"
    assert "naive" in error.reason


def test_unknown_key_names_the_path():
    """An unknown key is refused, naming the object it is in and the key."""

    def change(d):
        d["events"][0]["sessions"][0]["room"] = "B12"

    error = _break(seminar_document(), change)
    assert isinstance(error, FormatError)
    assert error.path == "events[0].sessions[0]"
    assert "'room'" in error.reason


def test_wrong_type_names_the_path():
    """A string where an array belongs is refused, not split into letters."""

    def change(d):
        d["events"][0]["languages"] = "sv"

    error = _break(seminar_document(), change)
    assert isinstance(error, FormatError)
    assert error.path == "events[0].languages"
    assert "expected an array" in error.reason


def test_numbers_in_strings_are_not_coerced():
    """'3' is not an integer."""

    def change(d):
        d["events"][0]["revision"] = "3"

    assert _break(seminar_document(), change).path == "events[0].revision"


def test_unknown_schema_version_is_refused():
    """A version this libkurs does not read raises SchemaVersionError."""

    def change(d):
        d["version"] = 99

    error = _break(seminar_document(), change)
    assert isinstance(error, SchemaVersionError)
    assert error.found == 99
    assert error.path == "version"


def test_duplicate_id_names_the_path():
    """A session id reused as a person id raises DuplicateIdError at the second use."""

    def change(d):
        d["people"][0]["id"] = "seminarium-1"
        d["events"][0]["sessions"][0]["agenda"][0]["speakers"] = ["seminarium-1"]

    error = _break(seminar_document(), change)
    assert isinstance(error, DuplicateIdError)
    assert error.path == "events[0].sessions[0].id"


def test_dangling_reference_names_the_path():
    """A speaker who is not among the people raises UnresolvedReferenceError at its path."""

    def change(d):
        d["events"][0]["sessions"][0]["agenda"][0]["speakers"] = ["nobody"]

    error = _break(seminar_document(), change)
    assert isinstance(error, UnresolvedReferenceError)
    assert error.path == "events[0].sessions[0].agenda[0].speakers[0]"


def test_missing_required_key_names_the_path():
    """An event without a title is refused at events[0].title."""
    error = _break(seminar_document(), lambda d: d["events"][0].pop("title"))
    assert error.path == "events[0].title"
    assert "missing" in error.reason


def test_unknown_enum_value_lists_the_allowed_ones():
    """A kind that does not exist is refused with the list of kinds."""

    def change(d):
        d["events"][0]["kind"] = "party"

    error = _break(seminar_document(), change)
    assert error.path == "events[0].kind"
    assert "study_visit" in error.reason


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        ("2023-02-01T12:00:00+03:00[Europe/Helsinki]", "disagree"),
        ("2023-02-01T12:00:00+02:00[Europe/Nowhere]", "unknown time zone"),
        ("1.2.2023 kl. 12", "invalid date and time"),
    ],
)
def test_bad_datetimes_are_explained(moment, message):
    """Offsets that contradict the zone, unknown zones and non-ISO text are refused."""

    def change(d):
        d["events"][0]["sessions"][0]["start"] = moment

    error = _break(seminar_document(), change)
    assert message in error.reason
    assert error.path == "events[0].sessions[0].start"


def test_text_in_a_language_must_be_a_string():
    """A number as a translation is refused at its language key."""

    def change(d):
        d["events"][0]["title"]["fi"] = 42

    assert _break(seminar_document(), change).path == "events[0].title.fi"


def test_more_problems_are_counted():
    """When several things are wrong, the first is reported and the rest counted."""

    def change(d):
        d["events"][0]["kind"] = "party"
        d["events"][0]["revision"] = "x"

    assert "1 more problem" in _break(seminar_document(), change).reason


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "not valid JSON"),
        ('{\n  "format": "libkurs.catalogue",\n  "version": 1,\n', "not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"events": []}', "not a libkurs catalogue"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_documents_that_are_not_catalogues(data, message):
    """Not JSON, not an object, not ours, not UTF-8: each is a FormatError that says so."""
    with pytest.raises(FormatError, match=message):
        libkurs.loads(data, "json")


def test_syntax_errors_carry_the_line():
    """A JSON syntax error reports its line."""
    with pytest.raises(FormatError) as caught:
        libkurs.loads('{\n  "format": "libkurs.catalogue",\n  "version": 1,\n}', "json")
    assert caught.value.line == 4


def test_private_data_is_kept_in_the_native_format():
    """The native JSON is the full record: a join link survives the round trip."""
    document = seminar_document()
    document["events"][0]["location"] = {
        "online": {"platform": "Zoom", "join_url": "https://zoom.example/j/1"}
    }
    catalogue = load(document)
    assert catalogue.event("seminarium").location.online.join_url == "https://zoom.example/j/1"
    assert load(json.loads(libkurs.dumps(catalogue, "json"))) == catalogue


def test_a_key_given_twice_is_refused():
    """JSON parsers disagree on which of two equal keys wins, so libkurs refuses both."""
    text = '{"format": "libkurs.catalogue", "version": 1, "events": [{"id": "a", "id": "b"}]}'
    with pytest.raises(FormatError, match="'id' appears twice"):
        libkurs.loads(text, "json")


def test_a_bad_period_names_the_period():
    """An impossible month is reported at the period, with the text that holds it."""
    document = seminar_document()
    document["events"][0]["period"] = "2023-13"
    with pytest.raises(ValidationError) as caught:
        load(document)
    assert caught.value.path == "events[0].period"
    assert "month 13 is out of range" in caught.value.reason


def _with_venue(address):
    document = seminar_document()
    document["venues"] = [{"id": "ode", "name": {"fi": "Oodi"}, "address": address}]
    return document


def test_an_address_in_the_old_plain_string_form_still_loads_and_writes_back_unchanged():
    """A version 1 document with "street": "…" reads, and is written back the same."""
    document = _with_venue({"street": "Töölönlahdenkatu 4", "locality": "Helsinki"})
    catalogue = load(document)
    address = catalogue.venue("ode").address
    assert address.street.best("sv") == "Töölönlahdenkatu 4"
    assert json.loads(libkurs.dumps(catalogue, "json"))["venues"][0]["address"] == {
        "street": "Töölönlahdenkatu 4",
        "locality": "Helsinki",
    }


def test_a_localized_address_round_trips():
    """Street and town in several languages are objects of language tag to text."""
    address = {
        "street": {"fi": "Töölönlahdenkatu 4", "sv": "Tölöviksgatan 4"},
        "locality": {"fi": "Helsinki", "sv": "Helsingfors"},
        "country": "FI",
    }
    catalogue = load(_with_venue(address))
    assert catalogue.venue("ode").address.locality.best("sv") == "Helsingfors"
    assert json.loads(libkurs.dumps(catalogue, "json"))["venues"][0]["address"] == address


def test_a_wrong_address_part_names_its_path():
    """A number for a street is an error at venues[0].address.street."""
    with pytest.raises(FormatError) as caught:
        load(_with_venue({"street": 4}))
    assert caught.value.path == "venues[0].address.street"


def test_part_of_day_and_a_whole_day_deadline_round_trip():
    """part_of_day and closes_whole_day are written by value and read back equal."""
    document = seminar_document()
    document["events"][0]["sessions"] = [
        {
            "id": "seminarium-1",
            "start": "2023-01-12T00:00:00+02:00[Europe/Helsinki]",
            "end": "2023-01-13T00:00:00+02:00[Europe/Helsinki]",
            "all_day": True,
            "part_of_day": "morning",
        }
    ]
    document["events"][0]["enrolment"] = {
        "closes": "2023-01-08T00:00:00+02:00[Europe/Helsinki]",
        "closes_whole_day": True,
    }
    catalogue = load(document)
    (session,) = catalogue.events[0].sessions
    assert session.part_of_day is libkurs.PartOfDay.MORNING
    assert str(catalogue.events[0].enrolment.last_day) == "2023-01-07"
    assert json.loads(libkurs.dumps(catalogue, "json")) == document
    assert load(json.loads(libkurs.dumps(catalogue, "json"))) == catalogue


def test_an_unknown_part_of_day_lists_the_known_ones():
    """ "noon" is refused at its path, with morning, afternoon and evening offered."""
    document = seminar_document()
    session = document["events"][0]["sessions"][0]
    session.update(
        start="2023-01-12T00:00:00+02:00[Europe/Helsinki]",
        end="2023-01-13T00:00:00+02:00[Europe/Helsinki]",
        all_day=True,
        part_of_day="noon",
        agenda=[],
    )
    with pytest.raises(FormatError) as caught:
        load(document)
    assert caught.value.path == "events[0].sessions[0].part_of_day"
    assert "morning, afternoon, evening" in str(caught.value)


def test_a_load_pauses_the_collector_and_switches_it_on_again_even_after_an_error(monkeypatch):
    """The collector is off during a load, on after it, also after bad input; off stays off."""
    import gc

    from libkurs.errors import FormatError
    from libkurs.formats import native

    seen = []
    original = native.read_document

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    assert gc.isenabled()
    monkeypatch.setattr(native, "read_document", spy)
    libkurs.loads('{"format": "libkurs.catalogue", "version": 1}', "json")
    monkeypatch.undo()
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(FormatError):
        libkurs.loads('{"format": "libkurs.catalogue", "version": 1, "events": 3}', "json")
    assert gc.isenabled()
    gc.disable()
    try:
        libkurs.loads('{"format": "libkurs.catalogue", "version": 1}', "json")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_datetime_offset_and_zone_agreement_is_decided_as_by_wall_clocks() -> None:
    """Around both 2023 DST changes, an offset is refused exactly when its wall clock is wrong."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from libkurs.formats._converter import format_datetime, parse_datetime

    zone = ZoneInfo("Europe/Helsinki")
    for start in (datetime(2023, 3, 25, 22, tzinfo=UTC), datetime(2023, 10, 28, 22, tzinfo=UTC)):
        for step in range(4 * 24):
            moment = (start + timedelta(minutes=15 * step)).astimezone(zone)
            text = format_datetime(moment)
            assert parse_datetime(text) == moment
            assert parse_datetime(text).utcoffset() == moment.utcoffset()
            offset = moment.utcoffset()
            assert offset is not None
            other = "+03:00" if offset == timedelta(hours=2) else "+02:00"
            wrong = text.replace(text[19:25], other)
            written = datetime.fromisoformat(wrong.split("[")[0])
            wall_clocks_agree = written.astimezone(zone).replace(tzinfo=None) == written.replace(
                tzinfo=None
            )
            if wall_clocks_agree:  # the repeated hour in October: both offsets are right
                assert parse_datetime(wrong).timestamp() == written.timestamp()
            else:
                with pytest.raises(FormatError, match="offset and zone disagree"):
                    parse_datetime(wrong)
