"""The typed options of load/loads/dump/dumps are exactly each format's own keyword options."""

import inspect
import typing

import pytest

from libkurs import formats
from libkurs.formats import get_format

LOADS = {
    "json": formats.JSONLoadOptions,
    "ics": formats.ICSLoadOptions,
    "linkedevents": formats.LinkedEventsLoadOptions,
    "announcement": formats.AnnouncementLoadOptions,
}
DUMPS = {
    "json": formats.JSONDumpOptions,
    "ics": formats.ICSDumpOptions,
    "jsonld": formats.JSONLDDumpOptions,
    "linkedevents": formats.LinkedEventsDumpOptions,
    "announcement": formats.AnnouncementDumpOptions,
}


def keyword_options(method):
    parameters = inspect.signature(method).parameters.values()
    return {p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY}


@pytest.mark.parametrize(("name", "options"), LOADS.items(), ids=list(LOADS))
def test_load_options_are_the_formats_own(name, options):
    """Each *LoadOptions names exactly the keyword-only options of that format's loads."""
    assert set(typing.get_type_hints(options)) == keyword_options(get_format(name).loads)


@pytest.mark.parametrize(("name", "options"), DUMPS.items(), ids=list(DUMPS))
def test_dump_options_are_the_formats_own(name, options):
    """Each *DumpOptions names exactly the keyword-only options of that format's dumps."""
    assert set(typing.get_type_hints(options)) == keyword_options(get_format(name).dumps)


@pytest.mark.parametrize(
    ("name", "kind", "options"),
    [(n, "loads", o) for n, o in LOADS.items()] + [(n, "dumps", o) for n, o in DUMPS.items()],
)
def test_each_option_has_the_formats_type(name, kind, options):
    """Each typed option has the type of the format's own parameter, so none is refused wrongly."""
    method = getattr(get_format(name), kind)
    own = typing.get_type_hints(method)
    for option, annotation in typing.get_type_hints(options).items():
        assert annotation == own[option], (name, kind, option)


def test_the_options_by_suffix_are_every_formats_options():
    """LoadOptions and DumpOptions hold every option of every built-in format."""
    every_load = set().union(*(keyword_options(get_format(n).loads) for n in LOADS))
    every_dump = set().union(*(keyword_options(get_format(n).dumps) for n in DUMPS))
    assert set(typing.get_type_hints(formats.LoadOptions)) == every_load
    assert set(typing.get_type_hints(formats.DumpOptions)) == every_dump


def test_write_only_and_markdown_formats_share_the_announcement_options():
    """jsonld reads nothing; the Markdown and HTML announcements take the text's options."""
    assert keyword_options(get_format("jsonld").loads) == set()
    for name in ("announcement-md", "announcement-html"):
        assert keyword_options(get_format(name).dumps) == set(
            typing.get_type_hints(formats.AnnouncementDumpOptions)
        )
