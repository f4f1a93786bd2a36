"""Static publishing writes the files the application serves, and only when they change."""

from __future__ import annotations

import pytest

import libkurs
from feeds.helpers import JOIN, Client, served
from libkurs.feeds import app, load_config, publish


def test_publish_writes_the_same_files_the_app_serves(tmp_path, feeds_file):
    """Each feed's .ics and .jsonld, byte for byte as served, and an index page."""
    out = tmp_path / "public"
    written = publish(feeds_file, out)
    names = sorted(path.name for path in written)
    assert names == sorted(
        [f"{n}.{s}" for n in ("alla", "verkossa-fi", "abo") for s in ("ics", "jsonld")]
        + ["index.html"]
    )
    with served(app(feeds_file)) as port:
        client = Client(port)
        for name in names:
            if name != "index.html":
                assert client.request("GET", f"/{name}")[2] == (out / name).read_bytes(), name
        client.close()
    assert JOIN not in "".join(p.read_text() for p in out.iterdir())


def test_publishing_again_unchanged_writes_nothing(tmp_path, feeds_file):
    """A second publish of the same catalogue writes no file (their times say when they
    last changed)."""
    out = tmp_path / "public"
    publish(feeds_file, out)
    times = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert publish(feeds_file, out) == ()
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == times


def test_a_broken_catalogue_publishes_nothing(tmp_path, feeds_file):
    """A catalogue that fails to validate raises, and the published files stay as they were."""
    out = tmp_path / "public"
    publish(feeds_file, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / "region.json").write_text('{"format": "libkurs.catalogue", "version": 1, "x": 1}')
    with pytest.raises(libkurs.errors.DataError, match=r"region\.json"):
        publish(feeds_file, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_base_url_gives_the_published_index_webcal_links(tmp_path, feeds_file):
    """With base_url, the published index links each feed as webcal:// and https://."""
    text = feeds_file.read_text().replace(
        "refresh_minutes", 'base_url = "https://kurser.example.org/feeds"\nrefresh_minutes'
    )
    feeds_file.write_text(text)
    publish(load_config(feeds_file), tmp_path / "public")
    page = (tmp_path / "public" / "index.html").read_text()
    assert 'href="webcal://kurser.example.org/feeds/alla.ics"' in page
    assert 'href="https://kurser.example.org/feeds/verkossa-fi.ics"' in page
