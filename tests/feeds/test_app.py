"""The WSGI application over HTTP, as a calendar client or curl sees it (waitress on 127.0.0.1)."""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import subprocess
import time
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

import libkurs
from feeds.helpers import JOIN, Client, region_catalogue, served
from libkurs.feeds import app


@pytest.fixture
def port(feeds_file: Path):
    with served(app(feeds_file)) as number:
        yield number


@pytest.fixture
def client(port: int):
    made = Client(port)
    yield made
    made.close()


def test_a_feed_is_served_with_validators_and_cache_headers(client):
    """GET /NAME.ics: 200, text/calendar, a strong ETag, Last-Modified and Cache-Control."""
    status, headers, body = client.request("GET", "/alla.ics")
    assert status == 200
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert headers["etag"].startswith('"')
    assert not headers["etag"].startswith("W/")
    assert parsedate_to_datetime(headers["last-modified"]).tzinfo is not None
    assert headers["cache-control"] == "public, max-age=120"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body)
    text = body.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT60M\r\n" in text
    assert "X-PUBLISHED-TTL:PT60M\r\n" in text
    assert "NAME;LANGUAGE=sv:Regionens kurser\r\n" in text
    assert text.count("BEGIN:VEVENT") == 7


def test_a_feed_is_in_its_language_and_only_its_sessions(client):
    """The Finnish online feed has its Finnish NAME and titles, and only online sessions."""
    _, _, body = client.request("GET", "/verkossa-fi.ics")
    text = body.decode()
    assert "NAME;LANGUAGE=fi:Verkkokoulutukset\r\n" in text
    assert "SUMMARY;LANGUAGE=fi:E-kirjawebinaari" in text
    assert text.count("BEGIN:VEVENT") == 2
    _, _, body = client.request("GET", "/abo.ics")
    assert "Seminarium i Åbo / Seminaari Turussa" in body.decode()
    assert body.decode().count("BEGIN:VEVENT") == 1  # the cancelled one is left out


def test_no_public_output_carries_the_join_link(client):
    """Neither feed format nor the index page carries the online room's join link."""
    for path in ("/alla.ics", "/alla.jsonld", "/verkossa-fi.ics", "/verkossa-fi.jsonld", "/"):
        status, _, body = client.request("GET", path)
        assert status == 200
        assert JOIN.encode() not in body
        assert b"secret-room" not in body


def test_if_none_match_answers_304_with_no_body(client):
    """The ETag back in If-None-Match (also weak, in a list, or *) gives 304 and no body."""
    _, headers, _ = client.request("GET", "/alla.ics")
    etag = headers["etag"]
    for value in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        status, answer, body = client.request("GET", "/alla.ics", {"If-None-Match": value})
        assert (status, body) == (304, b""), value
        assert answer["etag"] == etag
        assert "content-length" not in answer or answer["content-length"] == "0"
    status, _, body = client.request("GET", "/alla.ics", {"If-None-Match": '"other"'})
    assert status == 200
    assert body


def test_if_modified_since_answers_304_unless_if_none_match_differs(client):
    """If-Modified-Since at or after Last-Modified gives 304; before it, or with a stale
    If-None-Match (which wins), the feed."""
    _, headers, _ = client.request("GET", "/alla.ics")
    modified = parsedate_to_datetime(headers["last-modified"])
    same = headers["last-modified"]
    earlier = format_datetime(modified - timedelta(seconds=1), usegmt=True)
    assert client.request("GET", "/alla.ics", {"If-Modified-Since": same})[0] == 304
    assert client.request("GET", "/alla.ics", {"If-Modified-Since": earlier})[0] == 200
    stale = {"If-Modified-Since": same, "If-None-Match": '"stale"'}
    assert client.request("GET", "/alla.ics", stale)[0] == 200
    assert client.request("GET", "/alla.ics", {"If-Modified-Since": "not a date"})[0] == 200


def test_head_answers_the_headers_of_get_without_the_body(client):
    """HEAD has the status and headers of GET (Content-Length too) and no body."""
    _, got, body = client.request("GET", "/alla.jsonld")
    status, headed, nothing = client.request("HEAD", "/alla.jsonld")
    assert (status, nothing) == (200, b"")
    for name in ("etag", "last-modified", "content-type", "content-length", "cache-control"):
        assert headed[name] == got[name], name
    assert headed["content-type"] == "application/ld+json; charset=utf-8"
    json.loads(body)


def test_gzip_is_sent_when_asked_with_its_own_etag(client):
    """Accept-Encoding: gzip gets the same bytes gzipped, with their own strong ETag."""
    _, plain, body = client.request("GET", "/alla.ics")
    status, zipped, packed = client.request("GET", "/alla.ics", {"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert zipped["content-encoding"] == "gzip"
    assert gzip.decompress(packed) == body
    assert len(packed) < len(body)
    assert zipped["etag"] != plain["etag"]
    again = client.request(
        "GET", "/alla.ics", {"Accept-Encoding": "gzip", "If-None-Match": zipped["etag"]}
    )
    assert again[0] == 304
    refused = client.request("GET", "/alla.ics", {"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused[1]


def test_unknown_paths_and_methods_are_refused(client):
    """An unknown feed is 404 (a path outside too); a write method is 405 with Allow."""
    assert client.request("GET", "/nope.ics")[0] == 404
    assert client.request("GET", "/../feeds.toml")[0] == 404
    assert client.request("GET", "/region.json")[0] == 404
    status, headers, _ = client.request("POST", "/alla.ics")
    assert status == 405
    assert headers["allow"] == "GET, HEAD"


class _Page(HTMLParser):
    VOID = frozenset({"meta", "link", "br", "img", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.links: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)
        self._in_script = tag == "script"
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        assert self.open[-1:] == [tag], (self.open, tag)
        self.open.pop()
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_the_index_page_is_escaped_valid_html_with_webcal_links(tmp_path, feeds_file):
    """The index lists every feed with webcal:// and https links, escapes the catalogue's
    text, nests its tags, and carries the catalogue's JSON-LD that no text can end early."""
    libkurs.dump(
        region_catalogue("Kurser <script>alert(1)</script> & mer"), tmp_path / "region.json"
    )
    with served(app(feeds_file)) as number:
        client = Client(number)
        status, headers, body = client.request("GET", "/", {"Host": f"127.0.0.1:{number}"})
        client.close()
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    page = body.decode()
    assert page.startswith("<!DOCTYPE html>\n")
    assert "<script>alert" not in page
    assert "Kurser &lt;script&gt;alert(1)&lt;/script&gt; &amp; mer" in page
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.open == []
    for name in ("alla", "verkossa-fi", "abo"):
        assert f"webcal://127.0.0.1:{number}/{name}.ics" in parser.links
        assert f"http://127.0.0.1:{number}/{name}.ics" in parser.links
    (script,) = parser.scripts
    data = json.loads(script)
    assert data["@context"] == "https://schema.org"
    assert "</" not in script


def test_a_changed_catalogue_is_served_and_a_broken_one_keeps_the_last_good(
    tmp_path, feeds_file, caplog
):
    """The catalogue is read again when it changes; one that fails to validate is logged and
    the last good feeds stay served."""
    served_app = app(feeds_file)
    catalogue_path = tmp_path / "region.json"
    with served(served_app) as number:
        client = Client(number)
        _, first, _ = client.request("GET", "/alla.ics")
        libkurs.dump(region_catalogue("Nytt namn"), catalogue_path)
        os.utime(catalogue_path, ns=(time.time_ns(), time.time_ns() + 2_000_000_000))
        _, second, body = client.request("GET", "/alla.ics")
        assert second["etag"] != first["etag"]
        assert "Nytt namn" in body.decode()
        assert parsedate_to_datetime(second["last-modified"]) > parsedate_to_datetime(
            first["last-modified"]
        )
        with caplog.at_level(logging.WARNING, logger="libkurs.feeds"):
            catalogue_path.write_text(
                '{"format": "libkurs.catalogue", "version": 1, "events": [{}]}'
            )
            status, third, body = client.request("GET", "/alla.ics")
            client.request("GET", "/alla.ics")
        client.close()
    assert status == 200
    assert third["etag"] == second["etag"]
    assert "Nytt namn" in body.decode()
    warnings = [r for r in caplog.records if r.name == "libkurs.feeds"]
    assert len(warnings) == 1  # once per broken version, not once per request
    assert "region.json" in warnings[0].getMessage()
    assert "events[0]" in warnings[0].getMessage()


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_curl_sees_etag_304_head_and_gzip(port):
    """curl itself: -I shows the ETag, a conditional request gets 304, --compressed gzip."""

    def curl(*args: str) -> str:
        done = subprocess.run(
            ["curl", "-s", "-S", *args], capture_output=True, text=True, check=True, timeout=30
        )
        return done.stdout

    url = f"http://127.0.0.1:{port}/alla.ics"
    head = curl("-I", url)
    assert head.startswith("HTTP/1.1 200")
    etag = next(
        line.split(": ", 1)[1].strip()
        for line in head.splitlines()
        if line.lower().startswith("etag:")
    )
    assert (
        curl("-o", "/dev/null", "-w", "%{http_code}", "-H", f"If-None-Match: {etag}", url) == "304"
    )
    zipped = curl("-D", "-", "-o", "/dev/null", "--compressed", url)
    assert "content-encoding: gzip" in zipped.lower()
    assert "BEGIN:VCALENDAR" in curl("--compressed", url)
