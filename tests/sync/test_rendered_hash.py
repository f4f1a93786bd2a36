"""The content hash of what libkurs rendered, read without icalendar's parser, is the full hash."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings

import libkurs
from libkurs import Catalogue, public_view
from libkurs.errors import KursError
from libkurs.sync._content import _fast_tree, _SlowPathError, content_hash, rendered_hash
from libkurs.sync._plan import desired_items
from strategies import catalogues

KEY = "rendered-hash-test"
NOW = datetime(2030, 1, 1, tzinfo=UTC)
EXAMPLE = Path(__file__).parents[2] / "examples" / "catalogue.json"


def _fast(text: str) -> bool:
    try:
        _fast_tree(text, {})
    except _SlowPathError:
        return False
    return True


def _rendered(catalogue: Catalogue, *, private: bool) -> list[str]:
    """Each item twice: the copy rendered only to hash, and the item as written."""
    texts = []
    for item in desired_items(catalogue, key=KEY, now=NOW, private=private).values():
        bare = item._render(item.sequence, None)
        texts += [bare, item._render(item.sequence + 1, content_hash(bare.encode("utf-8")))]
    return texts


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues(min_events=1))
def test_the_hash_of_a_rendered_item_equals_the_full_content_hash(catalogue):
    """On generated catalogues, public and private, rendered_hash(text) is content_hash(text)."""
    try:
        texts = _rendered(catalogue, private=False) + _rendered(catalogue, private=True)
    except KursError:
        assume(False)
    for text in texts:
        assert rendered_hash(text) == content_hash(text.encode("utf-8"))
        event("fast path" if _fast(text) else "full path")


def test_the_items_of_the_example_catalogue_take_the_fast_path():
    """Every item the example catalogue renders is hashed without icalendar's parser."""
    texts = _rendered(public_view(libkurs.load(EXAMPLE)), private=False)
    assert texts
    assert all(_fast(text) for text in texts)
    assert all(rendered_hash(t) == content_hash(t.encode("utf-8")) for t in texts)


_EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@x\r\n{}\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.mark.parametrize(
    ("lines", "fast"),
    [
        ("SUMMARY;LANGUAGE=sv:K\\, s\\;\\\\n\\N", True),
        ("X-LIBKURS-EVENT:a\\\\nb\\,c", True),
        ("CATEGORIES:a\\,b,c,\\\\,", True),
        ('DESCRIPTION;ALTREP="https://x/a:b":text: more', True),
        ("DTSTART;VALUE=date:20300101\r\nDTEND;VALUE=DATE:20300102", True),
        ("DTSTART;TZID=Europe/Helsinki:20300331T033000", True),  # a time that does not exist
        ("DTSTART;TZID=Custom:20300101T100000", False),
        ("DTSTART:20300101T100000Z\r\nDURATION:PT1H", False),
        ("RDATE;VALUE=PERIOD:20300101T100000Z/PT1H", False),
        ("GEO:60.1;24.9\r\nSTATUS:cancelled\r\nCLASS:public", True),
        ("SUMMARY:long " + "ä" * 80, True),
        ("SUMMARY:fol\r\n ded\r\nDESCRIPTION:a\\\r\n\tn b\r\nLOCATION:\r\n", True),
        ("SUMMARY;X-P=a%3Bb:x", False),
        ("SUMMARY:unfinished\r\nBEGIN:VALARM\r\nACTION:DISPLAY", False),
    ],
)
def test_hand_written_items_hash_alike_on_both_paths(lines, fast):
    """Escapes, dates, zones, durations, parameters and broken text: one hash, either path."""
    text = _EVENT.format(lines)
    assert _fast(text) is fast
    try:
        expected = content_hash(text.encode("utf-8"))
    except KursError as error:
        with pytest.raises(type(error)):
            rendered_hash(text)
        return
    assert rendered_hash(text) == expected
