"""Bad input gives a libkurs error with its line; mutated corpus files give nothing else."""

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import libkurs
from libkurs.errors import DataError, FormatError, KursError
from libkurs.formats.ics import Action, read_calendar

DATA = Path(__file__).parents[2] / "data" / "ics"
CORPUS = sorted(p for p in DATA.glob("*.ics"))


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("truncated.ics", 4, "truncated"),
        ("not-icalendar.ics", 1, "not iCalendar"),
        ("impossible-date.ics", 7, "impossible date"),
        ("end-before-start.ics", 8, "not after DTSTART"),
        ("unknown-tzid.ics", 7, "unknown time zone"),
        ("bad-rrule.ics", 9, "invalid RRULE"),
        ("no-colon.ics", 9, "no ':'"),
    ],
)
def test_bad_input_read_strictly_raises_a_format_error_with_its_line(name, line, words):
    """Read with strict=True, each broken file names what is wrong, the file and the line."""
    with pytest.raises(FormatError) as caught:
        libkurs.load(DATA / "bad" / name, strict=True)
    assert caught.value.line == line
    assert words in caught.value.reason
    assert caught.value.source.endswith(name)
    assert f"line {line}" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "line", "events", "action", "words"),
    [
        ("truncated.ics", 4, 0, Action.SKIPPED, "has no END"),
        ("impossible-date.ics", 7, 0, Action.SKIPPED, "impossible date"),
        ("end-before-start.ics", 8, 0, Action.SKIPPED, "not after DTSTART"),
        ("unknown-tzid.ics", 7, 1, Action.REPAIRED, "unknown time zone"),
        ("bad-rrule.ics", 9, 0, Action.SKIPPED, "invalid RRULE"),
        ("no-colon.ics", 9, 1, Action.SKIPPED, "no ':'"),
    ],
)
def test_bad_input_read_leniently_warns_at_its_line(name, line, events, action, words):
    """By default each broken file is read as far as it can be: the warning names the line."""
    imported = read_calendar((DATA / "bad" / name).read_bytes())
    assert len(imported.catalogue.events) == events
    (warning,) = [w for w in imported.warnings if w.line == line]
    assert warning.action is action
    assert words in warning.message
    assert f"line {line}" in str(warning)


def test_not_icalendar_is_refused_even_leniently():
    """Text with no BEGIN line at all is no calendar: a FormatError, lenient or not."""
    with pytest.raises(FormatError, match="not iCalendar"):
        libkurs.load(DATA / "bad" / "not-icalendar.ics")


@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf", "   \n\n", b"BEGIN:VCALENDAR\r\n", b"\x00\x01\x02", "END:VCALENDAR"],
)
def test_empty_or_hopeless_input_read_strictly_is_a_format_error(data):
    """Nothing, a lone BEGIN, binary junk: a FormatError, never another exception."""
    with pytest.raises(FormatError):
        libkurs.loads(data, "ics", strict=True)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", "   \n\n", b"\x00\x01\x02"])
def test_empty_or_hopeless_input_read_leniently_is_still_a_format_error(data):
    """Lenient reading does not make a calendar of nothing: still a FormatError."""
    with pytest.raises(FormatError, match="not iCalendar"):
        libkurs.loads(data, "ics")


def test_unknown_encoding_is_a_format_error():
    """An encoding Python does not know is reported, not a LookupError."""
    with pytest.raises(FormatError, match="unknown encoding"):
        libkurs.loads(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "ics", encoding="no-such-codec")


def test_model_rule_broken_by_the_file_names_the_line():
    """Two VEVENTs that libkurs wrote with the same session id: a DataError at the second."""
    catalogue = libkurs.load("examples/catalogue.json")
    text = libkurs.dumps(catalogue, "ics")
    start = text.index("BEGIN:VEVENT")
    end = text.index("END:VEVENT") + len("END:VEVENT\r\n")
    doubled = text[:end] + text[start:end] + text[end:]
    with pytest.raises(DataError) as caught:
        libkurs.loads(doubled, "ics", strict=True)
    assert caught.value.line is not None
    found = []
    lenient = libkurs.loads(doubled, "ics", warnings=found)
    assert lenient == libkurs.loads(text, "ics")
    assert [w.action for w in found] == [Action.SKIPPED]


def own_vevent(event, session, start):
    """A VEVENT as libkurs writes it, for event *event* and session *session*."""
    return (
        f"BEGIN:VEVENT\r\nUID:{session}@libkurs\r\nDTSTAMP:19700101T000000Z\r\n"
        f"DTSTART:{start}\r\nDTEND:{start[:-3]}59Z\r\nSUMMARY:{event}\r\n"
        f"X-LIBKURS-EVENT:{event}\r\nX-LIBKURS-SESSION:{session}\r\nEND:VEVENT\r\n"
    )


@pytest.mark.parametrize(
    ("vevents", "line"),
    [
        # the same session id in two events: the second VEVENT (lines 4 and 13)
        ([("a", "s1", "20240101T100000Z"), ("b", "s1", "20240102T100000Z")], 13),
        # the same session id twice in one event
        ([("a", "s1", "20240101T100000Z"), ("a", "s1", "20240102T100000Z")], 13),
        # a session id that is also an event id: the model names the session, so its VEVENT
        ([("a", "s1", "20240101T100000Z"), ("s1", "s2", "20240102T100000Z")], 4),
    ],
)
def test_catalogue_rule_broken_across_vevents_names_the_vevent_line(vevents, line):
    """A duplicate id names the VEVENT's line (strict); lenient, the later VEVENT is skipped."""
    body = "".join(own_vevent(*v) for v in vevents)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}END:VCALENDAR\r\n"
    with pytest.raises(DataError) as caught:
        libkurs.loads(text, "ics", strict=True)
    assert caught.value.line == line
    imported = read_calendar(text)
    assert len(imported.catalogue.events) == 1
    assert [(w.line, w.action) for w in imported.warnings] == [(13, Action.SKIPPED)]


def mutate(data, edits):
    """Apply (position, action, byte) edits to *data*: delete, insert or replace a byte."""
    buffer = bytearray(data)
    for position, action, value in edits:
        if not buffer:
            break
        index = position % len(buffer)
        if action == "delete":
            del buffer[index]
        elif action == "insert":
            buffer.insert(index, value)
        else:
            buffer[index] = value
    return bytes(buffer)


INTERESTING = st.sampled_from(b':;,="\\\r\n \t0123456789TZ-+PDWHMS\xc3\xa4\xff')
EDITS = st.lists(
    st.tuples(
        st.integers(0, 10**6),
        st.sampled_from(["delete", "insert", "replace"]),
        st.one_of(INTERESTING, st.integers(0, 255)),
    ),
    min_size=1,
    max_size=8,
)
LINE_EDITS = st.lists(
    st.tuples(st.integers(0, 10**6), st.sampled_from(["drop", "duplicate", "swap"])),
    min_size=1,
    max_size=4,
)


def mutate_lines(data, edits):
    """Drop, duplicate or swap whole lines of *data*."""
    lines = data.split(b"\r\n")
    for position, action in edits:
        index = position % len(lines)
        if action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        if not lines:
            break
    return b"\r\n".join(lines)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CORPUS), EDITS)
def test_mutated_corpus_bytes_raise_only_libkurs_errors(path, edits):
    """Random byte edits of a corpus file either load or raise a KursError, strict or not."""
    data = mutate(path.read_bytes(), edits)
    with contextlib.suppress(KursError):
        libkurs.loads(data, "ics", strict=True)
    with contextlib.suppress(FormatError):
        imported = read_calendar(data)
        assert all(w.line is not None or w.action is Action.CUT for w in imported.warnings)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CORPUS), LINE_EDITS)
def test_mutated_corpus_lines_raise_only_libkurs_errors(path, edits):
    """Dropped, doubled or swapped lines either load or raise a KursError with a line."""
    placed = True
    try:
        libkurs.loads(mutate_lines(path.read_bytes(), edits), "ics", strict=True)
    except FormatError as error:
        placed = error.line is not None
    except KursError:
        pass
    assert placed
