"""The files of the feeds: each feed as iCalendar and JSON-LD, and the index page.

Everything here is a pure function of the configuration and the catalogue: the same input
gives the same bytes, so an ETag (a hash of the bytes) changes only when what a subscriber
sees changes. Only the public view of the catalogue is written: no drafts, no join links.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
from collections.abc import Mapping
from datetime import datetime

import attrs

from libkurs._api import dumps
from libkurs.feeds._config import Feed, FeedsConfig
from libkurs.feeds._filter import select
from libkurs.model import Catalogue, public_view

__all__ = ["FeedFile", "index_page", "render_feeds"]

ICS_TYPE = "text/calendar; charset=utf-8"
JSONLD_TYPE = "application/ld+json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


@attrs.frozen(kw_only=True)
class FeedFile:
    """One file as served: its bytes, a gzip copy, a strong ETag of the bytes, its type."""

    body: bytes = attrs.field(repr=False)
    content_type: str
    etag: str
    gzipped: bytes = attrs.field(repr=False)

    @classmethod
    def of(cls, body: bytes, content_type: str) -> FeedFile:
        """The file holding *body*; its ETag and gzip copy are worked out here, once."""
        return cls(
            body=body,
            content_type=content_type,
            etag=_etag(body),
            gzipped=gzip.compress(body, compresslevel=6, mtime=0),
        )

    @property
    def gzip_etag(self) -> str:
        """The strong ETag of the gzip copy: another representation, so another tag."""
        return self.etag[:-1] + '-gzip"'


def feed_catalogue(catalogue: Catalogue, feed: Feed, *, now: datetime | None = None) -> Catalogue:
    """The public part of *catalogue* that *feed* shows, named as the feed."""
    shown = select(public_view(catalogue), feed.filter, now=now)
    if feed.title is not None:
        shown = attrs.evolve(shown, name=feed.title)
    return shown


def render_feeds(
    config: FeedsConfig, catalogue: Catalogue, *, now: datetime | None = None
) -> dict[str, FeedFile]:
    """File name (``NAME.ics``, ``NAME.jsonld``) → file, for every feed of *config*.

    Raises:
        libkurs.errors.ValidationError: the catalogue cannot be written (a date out of range).
    """
    files: dict[str, FeedFile] = {}
    for feed in config.feeds:
        shown = feed_catalogue(catalogue, feed, now=now)
        ics = dumps(
            shown,
            "ics",
            language=feed.language,
            second_language=feed.second_language,
            uid_domain=config.uid_domain,
            refresh_interval=config.refresh,
        )
        files[f"{feed.name}.ics"] = FeedFile.of(ics.encode(), ICS_TYPE)
        jsonld = dumps(shown, "jsonld", language=feed.language)
        files[f"{feed.name}.jsonld"] = FeedFile.of(jsonld.encode(), JSONLD_TYPE)
    return files


def catalogue_jsonld(catalogue: Catalogue) -> str:
    """The catalogue's JSON-LD, safe inside a ``<script>`` element."""
    text = json.dumps(json.loads(dumps(public_view(catalogue), "jsonld")), ensure_ascii=False)
    # "<" only occurs inside JSON strings, where \u003c means the same: no "</script>" can end
    # the element early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def index_page(
    config: FeedsConfig,
    catalogue: Catalogue,
    files: Mapping[str, FeedFile],
    *,
    base: str | None,
    jsonld: str | None = None,
) -> bytes:
    """The index page: each feed with its subscribe links, and the catalogue's JSON-LD.

    *base* is the absolute URL the feeds are at (ending in ``/``), for ``webcal://`` links;
    with None the page links to the files relatively and has no ``webcal://`` links.
    """
    language = config.feeds[0].language
    name = catalogue.name.best(language) if catalogue.name is not None else "libkurs"
    rows = []
    for feed in config.feeds:
        title = feed.title or catalogue.name
        label = title.best(feed.language) if title is not None else feed.name
        ics = f"{feed.name}.ics"
        links = []
        if base is not None:
            webcal = "webcal://" + base.split("://", 1)[1] + ics
            links.append(f'<a href="{html.escape(webcal)}">webcal</a>')
            links.append(f'<a href="{html.escape(base + ics)}">{html.escape(base + ics)}</a>')
        else:
            links.append(f'<a href="{html.escape(ics)}">{html.escape(ics)}</a>')
        links.append(f'<a href="{html.escape(feed.name)}.jsonld">JSON-LD</a>')
        count = sum(1 for _ in files[ics].body.split(b"BEGIN:VEVENT")) - 1
        rows.append(
            f'<li lang="{html.escape(feed.language)}"><strong>{html.escape(label)}</strong> '
            f"({html.escape(', '.join(filter(None, (feed.language, feed.second_language))))}"
            f"; {count}): {' · '.join(links)}</li>"
        )
    script = jsonld if jsonld is not None else catalogue_jsonld(catalogue)
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(name)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<script type="application/ld+json">{script}</script>\n'
        f"</head>\n<body>\n<h1>{html.escape(name)}</h1>\n<ul>\n"
        + "\n".join(rows)
        + "\n</ul>\n</body>\n</html>\n"
    )
    return page.encode()
