"""The register's native JSON: exact round trips, strict reading, errors that name the path."""

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from libkurs import HELSINKI, Catalogue, EnrolmentSettings, Event, LocalizedText
from libkurs.enrolment import (
    Participant,
    ParticipationMode,
    PromotionPolicy,
    Register,
    enrol,
    enrol_group,
    record_attendance,
    withdraw,
)
from libkurs.errors import FormatError, SchemaVersionError, ValidationError
from libkurs.formats.register import dump, dumps, load, loads

NOW = datetime(2023, 1, 10, 9, tzinfo=HELSINKI)


def sample_register():
    from libkurs import Session

    start = datetime(2023, 2, 1, 10, tzinfo=HELSINKI)
    catalogue = Catalogue(
        events=[
            Event(
                id="kurs",
                title=LocalizedText({"sv": "Kurs"}),
                enrolment=EnrolmentSettings(capacity=3),
                sessions=[Session(id="kurs-1", start=start, end=start + timedelta(hours=2))],
            )
        ]
    )
    people = [
        Participant(id="p1", name="Anna", email="anna@example.org", phone="+358 40 1"),
        Participant(id="p2", name="Matti", email="matti@example.org", language="fi"),
        Participant(id="p3", name="Åsa", email="asa@example.org", municipality="Borgå"),
        Participant(id="p4", name="Zoë", email="zoe@example.org", organisation="Kyrkslätt"),
    ]
    register = Register(participants=people)
    register = enrol(register, catalogue, "p1", "kurs", now=NOW).register
    register = enrol(
        register, catalogue, "p2", "kurs", now=NOW, mode=ParticipationMode.REMOTE
    ).register
    register = enrol_group(
        register, catalogue, ["p3", "p4"], "kurs", contact="p3", now=NOW
    ).register
    register = withdraw(
        register, catalogue, "e1", now=NOW + timedelta(days=1), policy=PromotionPolicy.OFFER
    ).register
    return record_attendance(register, catalogue, "e2", "kurs-1", "present").register


def test_a_register_round_trips_exactly(tmp_path):
    """dumps → loads gives an equal register, and dumping again gives the same text."""
    register = sample_register()
    text = dumps(register)
    assert loads(text) == register
    assert dumps(loads(text)) == text
    dump(register, tmp_path / "register.json")
    assert load(tmp_path / "register.json") == register


def test_the_header_names_the_format_and_version():
    """The document starts with format libkurs.register, version 1."""
    document = json.loads(dumps(sample_register()))
    assert list(document)[:2] == ["format", "version"]
    assert (document["format"], document["version"]) == ("libkurs.register", 1)
    offered = document["enrolments"][2]["history"][-1]
    assert offered["status"] == "offered"
    assert offered["until"] == "2023-01-13T09:00:00+02:00[Europe/Helsinki]"


def test_a_catalogue_document_is_not_a_register():
    """A native catalogue read as a register is refused by its header."""
    with pytest.raises(FormatError, match="not a libkurs register") as caught:
        loads('{"format": "libkurs.catalogue", "version": 1}', source="x.json")
    assert caught.value.path == "format"


def test_an_unknown_version_is_refused():
    """Version 2 raises SchemaVersionError."""
    with pytest.raises(SchemaVersionError):
        loads('{"format": "libkurs.register", "version": 2}')


def test_errors_name_the_field_path():
    """A wrong status deep in a history names its path."""
    document = json.loads(dumps(sample_register()))
    document["enrolments"][1]["history"][0]["status"] = "maybe"
    with pytest.raises(FormatError) as caught:
        loads(json.dumps(document))
    assert caught.value.path == "enrolments[1].history[0].status"


def test_an_illegal_history_is_refused_on_reading():
    """A stored history that goes from withdrawn back to confirmed is refused."""
    document = json.loads(dumps(sample_register()))
    document["enrolments"][0]["history"].append(
        {"status": "confirmed", "at": "2023-01-12T09:00:00+02:00[Europe/Helsinki]"}
    )
    with pytest.raises(ValidationError, match="cannot go from withdrawn to confirmed") as caught:
        loads(json.dumps(document))
    assert caught.value.path == "enrolments[0].history[2].status"


def test_a_duplicate_participant_id_is_refused():
    """Two participants with one id: DuplicateIdError with the path."""
    document = json.loads(dumps(sample_register()))
    document["participants"][1]["id"] = "p1"
    with pytest.raises(ValidationError, match="duplicate id 'p1'"):
        loads(json.dumps(document))


names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"]), min_size=1, max_size=20
).filter(str.strip)


@settings(max_examples=50, deadline=None)
@given(
    people=st.lists(
        st.tuples(names, st.sampled_from(["sv", "fi", "en", "se"]), st.none() | names),
        min_size=1,
        max_size=6,
    )
)
def test_any_participants_round_trip(people):
    """Participants with any names, languages and organisations survive a round trip."""
    register = Register(
        participants=[
            Participant(
                id=f"p{n}", name=name, email=f"p{n}@example.org", language=lang, organisation=org
            )
            for n, (name, lang, org) in enumerate(people)
        ]
    )
    assert loads(dumps(register)) == register


def test_a_register_file_is_private_and_errors_name_it(tmp_path):
    """dump writes mode 0600 even over a readable file; a missing folder names the path."""
    path = tmp_path / "register.json"
    path.write_text("{}")
    path.chmod(0o644)
    dump(sample_register(), path)
    assert path.stat().st_mode & 0o777 == 0o600
    missing = tmp_path / "nowhere" / "register.json"
    with pytest.raises(FileNotFoundError) as caught:
        dump(sample_register(), missing)
    assert caught.value.filename == str(missing)
