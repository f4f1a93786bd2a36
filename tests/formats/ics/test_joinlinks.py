"""Join links, passcodes and meeting ids found on import stay private in every public writer."""

from pathlib import Path

import pytest

import libkurs
from libkurs.formats._joinlinks import find_join_link, html_to_text, split_private

DATA = Path(__file__).parents[2] / "data" / "ics" / "joinlinks"

#: Each fixture, the join link the room must get, and the secrets no public output may hold.
CASES = [
    (
        "zoom-description.ics",
        "https://us02web.zoom.us/j/81234567890?pwd=SECRETzoom",
        ["81234567890", "SECRETzoom", "918273", "812 3456 7890"],
    ),
    (
        "zoom-no-scheme-location.ics",
        "https://us02web.zoom.us/j/81234567890",
        ["81234567890", "918273"],
    ),
    ("zoom-com-url.ics", "https://zoom.com/j/81234567890", ["81234567890"]),
    ("meet-summary.ics", "https://meet.google.com/abc-defg-hij", ["abc-defg-hij"]),
    ("meet-google-block.ics", "https://meet.google.com/abc-defg-hij", ["abc-defg-hij", "918273"]),
    (
        "teams-block.ics",
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_SECRETteams%40thread.v2/0",
        ["SECRETteams", "123 456 789 012", "xY7kq2"],
    ),
    (
        "teams-conference.ics",
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_SECRETteams",
        ["SECRETteams"],
    ),
    ("webex-description.ics", "https://acme.webex.com/meet/SECRETwebex", ["SECRETwebex", "918273"]),
    ("whereby-location.ics", "https://whereby.com/SECRETwhereby", ["SECRETwhereby"]),
    ("jitsi-x-property.ics", "https://meet.jit.si/SECRETjitsi", ["SECRETjitsi"]),
]
PUBLIC_WRITERS = ["ics", "jsonld", "announcement", "announcement-md", "linkedevents"]


@pytest.mark.parametrize(("name", "link", "secrets"), CASES)
def test_join_link_written_any_way_goes_to_the_private_room(name, link, secrets):
    """However the link is written, it becomes the room's join_url and leaves public text."""
    catalogue = libkurs.load(DATA / name)
    (event,) = catalogue.events
    room = event.location_of(event.sessions[0]).online
    assert room.join_url == link
    public_text = [str(event.title), str(event.description or "")]
    public_text += [str(v.name) for v in catalogue.venues]
    for secret in secrets:
        assert all(secret not in text for text in public_text), secret


@pytest.mark.parametrize("writer", PUBLIC_WRITERS)
@pytest.mark.parametrize(("name", "link", "secrets"), CASES)
def test_join_link_and_passcode_are_absent_from_every_public_writer(name, link, secrets, writer):
    """The public feed, JSON-LD, announcements and Linked Events carry no link or passcode."""
    catalogue = libkurs.load(DATA / name)
    written = libkurs.dumps(catalogue, writer).replace("\r\n ", "")
    for secret in [*secrets, link]:
        assert secret not in written, (secret, writer)


def test_private_export_keeps_the_join_link_for_the_keepers():
    """The private export still carries what the public ones leave out."""
    catalogue = libkurs.load(DATA / "zoom-description.ics")
    written = libkurs.dumps(catalogue, "ics", private=True).replace("\r\n ", "")
    assert "SECRETzoom" in written


def test_google_description_keeps_its_public_text_and_moves_only_the_meet_block():
    """Google's <br> become newlines; the Meet block is the access note, the rest is public."""
    (event,) = libkurs.load(DATA / "meet-google-block.ics").events
    assert event.description.texts == {"und": "Välkommen!\nVi läser tillsammans."}
    note = event.location_of(event.sessions[0]).online.access_note
    assert note.startswith("-::~:~::~")
    assert "PIN: 918273#" in note
    assert "Please do not edit this section." in note


def test_teams_block_between_its_rules_is_private_and_the_agenda_public():
    """Exchange's Teams block goes whole into the note; the text before it stays public."""
    catalogue = libkurs.load(DATA / "teams-block.ics")
    (event,) = catalogue.events
    assert event.description.texts == {"und": "Agenda: läsfrämjande."}
    assert "Lösenord: xY7kq2" in event.location_of(event.sessions[0]).online.access_note
    assert catalogue.venues == ()


def test_location_naming_a_place_and_a_link_keeps_the_place():
    """ "Tölö bibliotek / whereby.com/…" is the venue Tölö bibliotek and a Whereby room."""
    catalogue = libkurs.load(DATA / "whereby-location.ics")
    assert [v.name.texts for v in catalogue.venues] == [{"und": "Tölö bibliotek"}]


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("https://us02web.zoom.us/j/1?pwd=a", "https://us02web.zoom.us/j/1?pwd=a"),
        ("http://zoom.us/j/1", "https://zoom.us/j/1"),
        ("se zoom.us/j/1.", "https://zoom.us/j/1"),
        ("(https://eu01web.zoom.com/j/2)", "https://eu01web.zoom.com/j/2"),
        ("<https://teams.live.com/meet/93>", "https://teams.live.com/meet/93"),
        ("meet.google.com/abc-defg-hij", "https://meet.google.com/abc-defg-hij"),
        ("acme.webex.com/acme/j.php?MTID=m1", "https://acme.webex.com/acme/j.php?MTID=m1"),
        ("info@zoom.us/x", None),
        ("https://example.fi/zoom.us/j/1", None),
        ("Zoom", None),
    ],
)
def test_join_link_recogniser_reads_every_spelling(text, link):
    """With or without a scheme, regional hosts, in brackets; never inside another URL."""
    assert find_join_link(text) == link


def test_split_private_without_meeting_keeps_everything_public():
    """A text with no link, passcode or dial-in is all public."""
    assert split_private("Kaffe 9.00.\n\nFöreläsning 10.00.") == (
        "Kaffe 9.00.\n\nFöreläsning 10.00.",
        None,
    )


def test_html_to_text_leaves_plain_text_alone():
    """A DESCRIPTION without tags, even with a '<', is returned as it is."""
    assert html_to_text("3 < 4 and 5 > 2") == "3 < 4 and 5 > 2"
