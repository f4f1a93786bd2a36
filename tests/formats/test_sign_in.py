"""Reading a signed sign-in sheet back into attendance."""

from datetime import datetime

import pytest

import libkurs.examples
from libkurs import HELSINKI
from libkurs.enrolment import Participant, Presence, Register, enrol
from libkurs.errors import FormatError, UnknownIdError
from libkurs.formats.participants import sign_in_sheet_csv
from libkurs.formats.sign_in import read_sign_in_sheet

DAY, MORNING = "liboppi-dag-2023", "liboppi-dag-2023-formiddag"
NOW = datetime(2023, 1, 5, 10, tzinfo=HELSINKI)


@pytest.fixture
def setting():
    catalogue = libkurs.examples.catalogue()
    people = [
        Participant(id="p1", name="Anna A", email="anna@bib.example.fi"),
        Participant(id="p2", name="=Bo B", email="bo@bib.example.fi"),
        Participant(id="p3", name="Cia C", email="cia@bib.example.fi"),
    ]
    register = Register(participants=people)
    for person in people:
        register = enrol(register, catalogue, person.id, DAY, now=NOW).register
    return register, catalogue


def signed(sheet: str, signatures: dict[str, str]) -> str:
    rows = sheet.split("\r\n")
    out = [rows[0]]
    for row in rows[1:]:
        if row:
            name = row.split(";")[0]
            out.append(row + signatures.get(name, ""))
    return "\r\n".join(out) + "\r\n"


def test_a_signed_sheet_becomes_presence_per_enrolment(setting):
    """Signed is present, 'delvis' partial, empty absent; a formula-guarded name still matches."""
    register, catalogue = setting
    sheet = sign_in_sheet_csv(register, catalogue, MORNING)
    text = signed(sheet, {"Anna A": "Anna", "'=Bo B": "delvis"})
    rows = read_sign_in_sheet(text.encode("utf-8-sig"), register, catalogue, MORNING)
    assert {(r.participant, r.presence) for r in rows} == {
        ("p1", Presence.PRESENT),
        ("p2", Presence.PARTIAL),
        ("p3", Presence.ABSENT),
    }
    assert {r.enrolment for r in rows} == {"e1", "e2", "e3"}


def test_a_sheet_in_english_with_commas_is_read(setting):
    """English headers and a comma delimiter work as well."""
    register, catalogue = setting
    text = "Name,Organisation,Takes part,Signature\nCia C,,on site,x\n"
    (row,) = read_sign_in_sheet(text, register, catalogue, MORNING)
    assert (row.row, row.participant, row.presence) == (1, "p3", Presence.PRESENT)


def test_two_people_of_one_name_are_refused(setting):
    """A name that matches two confirmed participants is an error naming its row."""
    register, catalogue = setting
    twin = Participant(id="p4", name="Anna A", email="anna2@bib.example.fi")
    register = Register(participants=[*register.participants, twin], enrolments=register.enrolments)
    register = enrol(register, catalogue, "p4", DAY, now=NOW).register
    with pytest.raises(FormatError, match="2 confirmed participants") as caught:
        read_sign_in_sheet("Namn;Underskrift\nAnna A;x\n", register, catalogue, MORNING)
    assert caught.value.row == 1


def test_a_sheet_without_a_signature_column_is_refused(setting):
    """Without a name and a signature column the sheet cannot be read."""
    register, catalogue = setting
    with pytest.raises(FormatError, match="needs a name and a signature column"):
        read_sign_in_sheet("Namn;Deltar\nAnna A;x\n", register, catalogue, MORNING, source="s.csv")


def test_an_unknown_session_is_an_unknown_id(setting):
    """The session must exist in the catalogue."""
    register, catalogue = setting
    with pytest.raises(UnknownIdError):
        read_sign_in_sheet("Namn;Underskrift\n", register, catalogue, "finns-inte")
