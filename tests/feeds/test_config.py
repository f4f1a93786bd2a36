"""The feeds file: the example reads, and every wrong value is named by its path."""

from pathlib import Path

import pytest

from libkurs.errors import FormatError, UnknownIdError
from libkurs.feeds import load_config, loads_config
from libkurs.sync import ConflictPolicy

EXAMPLE = Path(__file__).parents[2] / "examples" / "feeds.toml"

GOOD = """
catalogue = "catalogue.json"
[[feeds]]
name = "alla"
language = "sv"
"""


def test_the_example_reads_with_paths_from_its_folder():
    """examples/feeds.toml reads; its catalogue and directory target are found beside it."""
    config = load_config(EXAMPLE)
    assert config.catalogue == EXAMPLE.parent / "catalogue.json"
    assert [f.name for f in config.feeds] == ["alla", "verkossa-fi", "seminarier"]
    finnish = config.feed("verkossa-fi")
    assert finnish.language == "fi"
    assert finnish.filter.attendance
    (target,) = config.targets
    assert Path(target.calendar) == EXAMPLE.parent / "calendars" / "bibliotek-lokal"
    assert target.policy is ConflictPolicy.KEEP_CALENDAR


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ('[feeds.filter]\nlanguages = ["sv", "not a tag"]', "feeds[0].filter.languages[1]"),
        ('[feeds.filter]\nkinds = ["party"]', "feeds[0].filter.kinds[0]"),
        ('[feeds.filter]\nattendance = ["somewhere"]', "feeds[0].filter.attendance[0]"),
        ('[feeds.filter]\nstatuses = ["maybe"]', "feeds[0].filter.statuses[0]"),
        ("[feeds.filter]\nstart = 2030-01-02\nend = 2030-01-01", "feeds[0].filter.end"),
        ("[feeds.filter]\nstart = 2030-01-02T10:00:00", "feeds[0].filter.start"),
        ("[feeds.filter]\ndays_ahead = -1", "feeds[0].filter.days_ahead"),
        ("[feeds.filter]\ncolour = 'red'", "feeds[0].filter.colour"),
        ('[[feeds]]\nname = "alla"\nlanguage = "fi"', "feeds[1].name"),
        ('[[feeds]]\nname = "../etc"\nlanguage = "fi"', "feeds[1].name"),
        ('[[feeds]]\nname = "b"\nlanguage = "fi"\ntitle = "x"', "feeds[1].title"),
        ('[[targets]]\nname = "t"\nfeed = "nope"\ncalendar = "d"', "targets[0].feed"),
        ('[[targets]]\nname = "t"\nfeed = "alla"\ncalendar = "ftp://h/x"', "targets[0].calendar"),
        (
            '[[targets]]\nname = "t"\nfeed = "alla"\ncalendar = "https://u:pw@h/x"',
            "targets[0].calendar",
        ),
        (
            '[[targets]]\nname = "t"\nfeed = "alla"\ncalendar = "d"\npassword = "hemligt"',
            "targets[0].password",
        ),
        (
            '[[targets]]\nname = "t"\nfeed = "alla"\ncalendar = "d"\npolicy = "mine"',
            "targets[0].policy",
        ),
        (
            '[[targets]]\nname = "t"\nfeed = "alla"\ncalendar = "d"\npassword_env = "A B"',
            "targets[0].password_env",
        ),
        (
            (
                '[[targets]]\nname = "t"\nfeed = "alla"\ncalendar = "d"\n'
                '[[targets]]\nname = "u"\nfeed = "alla"\ncalendar = "d"'
            ),
            "targets[1].calendar",
        ),
    ],
)
def test_a_wrong_value_is_named_by_its_path(extra, path):
    """Each wrong value raises a FormatError whose path and message name where it is."""
    text = GOOD.replace('language = "sv"\n', 'language = "sv"\n' + extra + "\n", 1)
    with pytest.raises(FormatError) as caught:
        loads_config(text, source="feeds.toml")
    assert caught.value.path == path
    assert str(caught.value).startswith(f"feeds.toml: {path}: ")
    assert "hemligt" not in str(caught.value)
    assert "pw" not in str(caught.value)


def test_not_toml_names_the_line():
    """A file that is not TOML is a FormatError with its line."""
    with pytest.raises(FormatError) as caught:
        loads_config(GOOD + "\n[[feeds]\n", source="feeds.toml")
    assert caught.value.line == 7


def test_no_feeds_is_an_error():
    """A feeds file needs at least one feed."""
    with pytest.raises(FormatError, match="feeds"):
        loads_config('catalogue = "c.json"\n')


def test_an_unknown_feed_name_is_an_unknown_id():
    """Looking up a feed that is not in the file raises UnknownIdError (also a KeyError)."""
    config = load_config(EXAMPLE)
    with pytest.raises(UnknownIdError, match="no feed with id 'nope'"):
        config.feed("nope")
