"""The feeds as a WSGI application (PEP 3333), for any Python web server or framework to mount.

``GET`` or ``HEAD`` of ``/NAME.ics`` or ``/NAME.jsonld`` answers a feed, ``/`` the index page.
Every answer has a strong ``ETag`` (a hash of its bytes; the gzip copy has its own),
``Last-Modified`` (when its content last changed, as far as this process knows), and
``Cache-Control``; ``If-None-Match`` (which wins) and ``If-Modified-Since`` answer
``304 Not Modified`` with no body; ``Accept-Encoding: gzip`` gets the gzip copy.

The catalogue file is looked at (``stat``) on each request and read again when it changed. A
catalogue that no longer loads or validates is logged (logger ``libkurs.feeds``, level
WARNING) and the last good feeds are served on.
"""

from __future__ import annotations

import email.utils
import logging
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from libkurs._api import load
from libkurs.errors import KursError
from libkurs.feeds._config import FeedsConfig, load_config
from libkurs.feeds._render import (
    HTML_TYPE,
    FeedFile,
    catalogue_jsonld,
    index_page,
    render_feeds,
)
from libkurs.model import Catalogue

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

__all__ = ["FeedsApp", "app"]

_log = logging.getLogger("libkurs.feeds")


@attrs.frozen
class _Snapshot:
    """What is being served: built whole, then swapped in at once."""

    catalogue: Catalogue
    files: dict[str, FeedFile]
    modified: dict[str, datetime]
    jsonld: str
    signature: tuple[int, int, int]
    day: str


def _signature(path: Path) -> tuple[int, int, int]:
    status = path.stat()
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def _http_date(moment: datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(UTC), usegmt=True)


def _tags(header: str) -> list[str]:
    """The entity tags of an ``If-None-Match`` header, without ``W/``."""
    tags = []
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag:
            tags.append(tag)
    return tags


def _accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() not in {"gzip", "x-gzip", "*"}:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        return quality > 0
    return False


class FeedsApp:
    """The WSGI application of :func:`app`; call :meth:`reload` to look at the catalogue now."""

    def __init__(self, config: FeedsConfig, *, now: datetime | None = None) -> None:
        self.config = config
        self._now = now
        self._lock = threading.Lock()
        self._failed: tuple[int, int, int] | None = None
        self._relative = any(
            f.filter.days_ahead is not None or f.filter.days_back is not None for f in config.feeds
        )
        self._snapshot = self._build(None)

    def __repr__(self) -> str:
        return f"FeedsApp({str(self.config.catalogue)!r})"

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue being served (the last good one)."""
        return self._snapshot.catalogue

    def _build(self, previous: _Snapshot | None) -> _Snapshot:
        path = self.config.catalogue
        signature = _signature(path)
        catalogue = load(path)
        files = render_feeds(self.config, catalogue, now=self._now)
        changed = datetime.fromtimestamp(signature[0] // 1_000_000_000, UTC)
        modified = {}
        for name, file in files.items():
            old = previous.files.get(name) if previous is not None else None
            if previous is not None and old is not None and old.etag == file.etag:
                modified[name] = previous.modified[name]
            else:
                modified[name] = changed
        day = datetime.now(UTC).date().isoformat()
        return _Snapshot(catalogue, files, modified, catalogue_jsonld(catalogue), signature, day)

    def _stale(self) -> bool:
        """Whether a feed with a window of days ahead or back must be worked out again today."""
        return (
            self._now is None
            and self._relative
            and self._snapshot.day != datetime.now(UTC).date().isoformat()
        )

    def reload(self) -> bool:
        """Read the catalogue again if its file changed; return whether the feeds were replaced.

        A catalogue that fails to load is logged, and the feeds stay as they were.
        """
        path = self.config.catalogue
        try:
            signature = _signature(path)
        except OSError as error:
            self._warn(path, error.strerror or str(error), None)
            return False
        if signature in {self._snapshot.signature, self._failed} and not self._stale():
            return False
        with self._lock:
            if signature in {self._snapshot.signature, self._failed} and not self._stale():
                return False
            try:
                self._snapshot = self._build(self._snapshot)
            except (KursError, OSError, UnicodeDecodeError) as error:
                self._warn(path, str(error), signature)
                return False
            self._failed = None
            _log.info("%s: read again; serving the new feeds", path)
            return True

    def _warn(self, path: Path, reason: str, signature: tuple[int, int, int] | None) -> None:
        if signature is not None and signature == self._failed:
            return
        self._failed = signature
        _log.warning("%s: cannot be used, still serving the last good feeds: %s", path, reason)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        self.reload()
        snapshot = self._snapshot
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        name = path[1:] if path.startswith("/") else path
        if name in {"", "index.html"}:
            file = FeedFile.of(self._index(environ, snapshot), HTML_TYPE)
            modified = max(snapshot.modified.values())
        elif name in snapshot.files:
            file, modified = snapshot.files[name], snapshot.modified[name]
        else:
            return _plain(start_response, "404 Not Found", "no such feed\n", method)
        if method not in {"GET", "HEAD"}:
            return _plain(
                start_response, "405 Method Not Allowed", "only GET and HEAD\n", method,
                [("Allow", "GET, HEAD")],
            )  # fmt: skip
        zipped = _accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
        etag = file.gzip_etag if zipped else file.etag
        headers = [
            ("ETag", etag),
            ("Last-Modified", _http_date(modified)),
            ("Cache-Control", f"public, max-age={self.config.max_age}"),
            ("Vary", "Accept-Encoding"),
        ]
        if _not_modified(environ, file, modified):
            start_response("304 Not Modified", headers)
            return []
        body = file.gzipped if zipped else file.body
        headers += [
            ("Content-Type", file.content_type),
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if zipped:
            headers.append(("Content-Encoding", "gzip"))
        if file.content_type == HTML_TYPE:
            headers.append(("Content-Security-Policy", "default-src 'none'"))
        start_response("200 OK", headers)
        return [] if method == "HEAD" else [body]

    def _index(self, environ: WSGIEnvironment, snapshot: _Snapshot) -> bytes:
        base = self.config.base_url
        if base is None:
            scheme = environ.get("wsgi.url_scheme", "http")
            host = environ.get("HTTP_HOST") or (
                f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
            )
            script = environ.get("SCRIPT_NAME", "").rstrip("/")
            base = f"{scheme}://{host}{script}/"
        return index_page(
            self.config, snapshot.catalogue, snapshot.files, base=base, jsonld=snapshot.jsonld
        )


def _not_modified(environ: WSGIEnvironment, file: FeedFile, modified: datetime) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = _tags(match)
        return "*" in tags or file.etag in tags or file.gzip_etag in tags
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since is None:
        return False
    try:
        moment = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return modified <= moment


def _plain(
    start_response: StartResponse,
    status: str,
    text: str,
    method: str,
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    body = text.encode()
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *(extra or []),
        ],
    )
    return [] if method == "HEAD" else [body]


def app(config: FeedsConfig | str | Path, *, now: datetime | None = None) -> FeedsApp:
    """The WSGI application that serves the feeds of *config* (a feeds file or its path).

    Mount it in any WSGI server or framework: each feed is at ``NAME.ics`` and
    ``NAME.jsonld`` under the mount point, the index page at the mount point itself.

    >>> from libkurs.feeds import app
    >>> feeds = app("examples/feeds.toml")
    >>> sorted(feeds.config.feed(f.name).language for f in feeds.config.feeds)
    ['fi', 'sv', 'sv']

    Raises:
        libkurs.errors.FormatError: the feeds file is wrong.
        libkurs.errors.KursError: the catalogue does not load at the start.
        OSError: a file cannot be read.
    """
    if not isinstance(config, FeedsConfig):
        config = load_config(config)
    return FeedsApp(config, now=now)
