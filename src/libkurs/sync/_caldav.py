"""A calendar on a CalDAV server (RFC 4791), with sync tokens (RFC 6578).

The ``caldav`` library finds the calendar when the URL given is a server's or a principal's
(RFC 4791 section 6 and RFC 5397, done once and remembered in the state). Everything else is
a direct conditional request sent by :class:`~libkurs.sync._http.HttpClient`, plain
:mod:`http.client` over kept-alive connections: a push is one small request per item, and a
general-purpose HTTP stack costs several times the CPU of the request itself (measured: about
2.5 ms against 0.4 ms a PUT). The multistatus replies are parsed here. ``caldav``'s own
``save()``, UID searches and sync-token helper are not used: they cost a search per item,
bump SEQUENCE, or hide deletions after an error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from libkurs._version import __version__
from libkurs.errors import (
    AuthenticationError,
    CalendarError,
    ItemNotFoundError,
    PreconditionFailedError,
    TransportError,
)
from libkurs.sync import _webdav as dav
from libkurs.sync._discovery import discover, split_credentials
from libkurs.sync._http import HttpClient, Response, is_loopback, origin_of
from libkurs.sync._protocol import Changes, Item, check_name
from libkurs.sync._retry import RetryPolicy, parse_retry_after

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

__all__ = [
    "CalDAVCalendar",
    "DEFAULT_CONNECTIONS",
    "MAX_CONNECTIONS",
    "MAX_RESPONSE_SIZE",
    "check_connections",
]

#: The largest answer read from a server, in bytes: a listing of 10,000 items fits many times.
MAX_RESPONSE_SIZE = 64 * 1024 * 1024
#: How many writes a push sends at once to a server on another machine, unless told.
DEFAULT_CONNECTIONS = 4
#: The most writes a push sends at once to one server.
MAX_CONNECTIONS = 16

_log = logging.getLogger("libkurs.sync")

_VALID_SYNC_TOKEN = f"{{{dav.DAV}}}valid-sync-token"
_CALENDAR_TYPE = f"{{{dav.CALDAV}}}calendar"
_COLLECTION_TYPE = f"{{{dav.DAV}}}collection"
_XML = "application/xml; charset=utf-8"
_NO_UID_CONFLICT = f"{{{dav.CALDAV}}}no-uid-conflict"


class CalDAVCalendar:
    """A :class:`~libkurs.sync.Calendar` on a CalDAV server.

    Args:
        url: The calendar's URL; or the server's or a principal's URL, with *calendar* naming
            the calendar (by display name or last path segment) unless there is only one.
            Credentials in the URL are taken out of it and used as *username* and *password*.
        calendar: Which calendar, when *url* is not a calendar's.
        username: For HTTP basic authentication.
        password: For HTTP basic authentication.
        token: A bearer token, instead of a user name and password.
        verify: Check the server's TLS certificate (the default); or the path of a CA bundle to
            check it against; False only for a server you trust on a network you trust.
        timeout: Seconds to wait for the server to connect or answer, per request.
        retry: How to retry transient failures; :class:`~libkurs.sync.RetryPolicy` by default.
        multiget_size: How many items to ask for in one ``calendar-multiget`` REPORT.
        allow_insecure_http: Send a password over plain ``http://`` to a host other than
            this machine (refused otherwise: anyone on the way could read it).
        max_response_size: The largest answer read from the server, in bytes.
        connections: How many writes a push sends at once (see :func:`~libkurs.sync.sync`):
            None picks 1 for a server on this machine (no network to wait for, and local
            servers such as Radicale and Xandikos do one write at a time anyway) and
            :data:`~libkurs.sync.DEFAULT_CONNECTIONS` for any other; at most
            :data:`~libkurs.sync.MAX_CONNECTIONS`. The server's 429 or 503 answers lower it
            for the rest of the run (halved each time, then raised one by one as answers come
            back good).

    Nothing is sent until the first operation; the calendar is then found once. Credentials
    never appear in the ``repr``, in log records or in error messages.

    Every request is retried on a dropped connection, a timeout, a 5xx or a 429 (see
    :class:`~libkurs.sync.RetryPolicy`). A write whose answer was lost may have been done:
    its retry then fails its precondition, and :class:`~libkurs.errors.PreconditionFailedError`
    is raised for a change that is in fact ours. Read the item again to tell.
    """

    def __init__(
        self,
        url: str,
        *,
        calendar: str | None = None,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        verify: bool | str = True,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        multiget_size: int = 500,
        allow_insecure_http: bool = False,
        max_response_size: int = MAX_RESPONSE_SIZE,
        connections: int | None = None,
    ) -> None:
        bare, url_username, url_password = split_credentials(url)
        if username is None:
            username = url_username
            password = password if password is not None else url_password
        if token is not None and username is not None:
            raise CalendarError("give a bearer token or a user name and password, not both")
        if multiget_size < 1:
            raise CalendarError(f"multiget_size must be at least 1, got {multiget_size}")
        check_connections(connections)
        host = (urlsplit(bare).hostname or "").lower()
        local = is_loopback(host)
        if (
            urlsplit(bare).scheme == "http"
            and (password or token)
            and not local
            and not allow_insecure_http
        ):
            raise CalendarError(
                "a password or token would cross the network unencrypted over http://; use "
                "https://, or allow it explicitly (allow_insecure_http=True, "
                "--allow-insecure-http on the command line)",
                href=_host_only(bare),
            )
        self._url = bare
        self._calendar = calendar
        self._username = username
        self._secrets = tuple(
            form
            for secret in (password, token)
            if secret
            for form in dict.fromkeys((secret, quote(secret, safe=""), quote(secret)))
        )
        self._max_response_size = max_response_size
        self._password = password
        self._token = token
        self._verify = verify
        self._timeout = timeout
        self._retry = retry if retry is not None else RetryPolicy()
        self._multiget_size = multiget_size
        self._client: DAVClient | None = None  # caldav's, only to find the calendar
        self._http = HttpClient(
            username=username,
            password=password,
            token=token,
            verify=verify,
            timeout=timeout,
            max_response_size=max_response_size,
            user_agent=f"libkurs/{__version__}",
            secrets=self._secrets,
        )
        self.connections = connections or (1 if local else DEFAULT_CONNECTIONS)
        self._discovery_lock = threading.Lock()
        self._collection: str | None = None  # the calendar's URL, found once
        self._hint: str | None = None  # the calendar's URL as an earlier run found it
        self._requests = 0

    def __repr__(self) -> str:
        return f"CalDAVCalendar({self._collection or self._url!r})"

    def __enter__(self) -> CalDAVCalendar:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def workers(self, count: int) -> Sequence[CalDAVCalendar]:
        """This calendar *count* times, for *count* threads writing at once (thread-safe).

        The calendar is found first (so no thread sends a request to find it), and up to
        *count* requests then go to the server at once, each on a kept-alive connection of
        its own.
        """
        check_connections(count)
        self._resolve()
        self._http.limit = count
        return [self] * count

    def close(self) -> None:
        """Close the HTTP connection(s)."""
        self._http.close()
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def verify(self) -> bool | str:
        """Whether (or against which CA bundle) the server's TLS certificate is checked."""
        return self._verify

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this calendar has sent so far (answered ones)."""
        return self._requests + self._http.requests

    @property
    def address(self) -> str:
        """The URL given, without credentials, and ``#calendar`` if one was named; sends nothing."""
        return f"{self._url}#{self._calendar}" if self._calendar else self._url

    @property
    def url(self) -> str:
        """The calendar's URL, found from the URL given if need be (this may send requests)."""
        return self._resolve()

    def remember_url(self, url: str) -> None:
        """Take *url* as the calendar's URL, as an earlier run found it (sends nothing).

        The next :meth:`changes` with a sync token asks that URL directly, so that a re-sync
        with nothing to do is one request; if the server answers anything but a multistatus
        there, the calendar is found again from the URL given, as without a hint. A URL on
        another scheme, host or port than the one given is ignored: credentials go only where
        the caller sent them.
        """
        if self._collection is None and origin_of(url) == origin_of(self._url):
            self._hint = url

    # -- the protocol --------------------------------------------------------------------------

    def list(self) -> Mapping[str, str]:
        """Return href → etag of every item: one ``PROPFIND`` (Depth 1)."""
        collection = self._resolve()
        response = self._send(
            "PROPFIND",
            collection,
            body=dav.propfind_body("D:resourcetype", "D:getetag"),
            headers={"Depth": "1", "Content-Type": _XML},
        )
        self._expect(response, {207}, collection)
        listing: dict[str, str | None] = {}
        for entry in self._multistatus(response, collection).responses:
            href = self._href(entry.path)
            if href is not None and _COLLECTION_TYPE not in entry.resource_types:
                listing[href] = entry.etag
        return self._with_etags(listing)

    def get(self, hrefs: Iterable[str]) -> tuple[Sequence[Item], frozenset[str]]:
        """Read the items at *hrefs* with chunked ``calendar-multiget`` REPORTs.

        An href the server answers 404 for, or leaves out of its answer, is reported missing.
        """
        collection = self._resolve()
        wanted = list(dict.fromkeys(hrefs))
        found: list[Item] = []
        missing: set[str] = set()
        for start in range(0, len(wanted), self._multiget_size):
            chunk = wanted[start : start + self._multiget_size]
            items = self._multiget(collection, chunk)
            found.extend(items[href] for href in chunk if href in items)
            missing.update(href for href in chunk if href not in items)
        return found, frozenset(missing)

    def create(self, name: str, data: bytes) -> tuple[str, str]:
        """``PUT`` a new item with ``If-None-Match: *``; return its href and etag.

        A server that refuses because the name or the UID is taken (412, or 409 with
        ``no-uid-conflict``) raises :class:`~libkurs.errors.PreconditionFailedError`.
        """
        check_name(name)
        target = self._item_url(name)
        response = self._send(
            "PUT", target, body=bytes(data), headers=self._put_headers({"If-None-Match": "*"})
        )
        if response.status_code == 409 and _NO_UID_CONFLICT in self._conditions(response):
            raise PreconditionFailedError(
                "the server holds this UID elsewhere (no-uid-conflict)", href=name, status=409
            )
        self._expect(response, {200, 201, 204}, target, href=name)
        return name, self._etag_of(response, name)

    def update(self, href: str, data: bytes, etag: str) -> str:
        """``PUT`` the item with ``If-Match: etag``; return the new etag."""
        target = self._item_url(href)
        response = self._send(
            "PUT", target, body=bytes(data), headers=self._put_headers({"If-Match": etag})
        )
        if response.status_code == 412 and not self._refused_item(response):
            self._raise_missing_or_stale(href)
        self._expect(response, {200, 201, 204}, target, href=href)
        return self._etag_of(response, href)

    def delete(self, href: str, etag: str) -> None:
        """``DELETE`` the item with ``If-Match: etag``."""
        target = self._item_url(href)
        response = self._send("DELETE", target, headers={"If-Match": etag})
        if response.status_code == 412:
            self._raise_missing_or_stale(href)
        self._expect(response, {200, 204}, target, href=href)

    def changes(self, token: str | None) -> Changes | None:
        """Return what changed since *token*, with a ``sync-collection`` REPORT (RFC 6578).

        A refused token (403 or 412 with ``DAV:valid-sync-token``, a bare 412, or a 500) is
        answered with a complete listing and a new token (``complete=True``), with one more
        request. Returns None when the server has no sync-collection report.
        """
        pending = self._hinted_report(token)
        collection = self._resolve()
        changed: dict[str, str | None] = {}
        deleted: set[str] = set()
        current = token
        while True:
            if pending is not None:
                response, pending = pending, None
            else:
                response = self._send(
                    "REPORT",
                    collection,
                    body=dav.sync_collection_body(current),
                    headers={"Depth": "0", "Content-Type": _XML},
                    transient_5xx=current is None,
                )
            status = response.status_code
            if current is not None and self._token_refused(response):
                _log.info("%s: sync token refused (%s); listing everything", collection, status)
                return self.changes(None)
            if status in {400, 405, 501} or (
                status == 403 and f"{{{dav.DAV}}}supported-report" in self._conditions(response)
            ):
                return None
            self._expect(response, {207}, collection)
            result = self._multistatus(response, collection)
            truncated = False
            for entry in result.responses:
                if entry.status == 507 and self._is_collection(entry.path, collection):
                    truncated = True
                    continue
                href = self._href(entry.path)
                if href is None:
                    continue
                if entry.status == 404:
                    deleted.add(href)
                    changed.pop(href, None)
                elif _COLLECTION_TYPE not in entry.resource_types:
                    changed[href] = entry.etag
                    deleted.discard(href)
            if result.sync_token is None or (truncated and result.sync_token == current):
                raise CalendarError("the sync report carried no new sync token", href=collection)
            current = result.sync_token
            if not truncated:
                break
        return Changes(
            token=current,
            changed=self._with_etags(changed),
            deleted=deleted,
            complete=token is None,
        )

    # -- finding the calendar ------------------------------------------------------------------

    def _hinted_report(self, token: str | None) -> Response | None:
        """The sync REPORT with *token* sent to the remembered URL, if it answered 207."""
        hint, self._hint = self._hint, None
        if hint is None or token is None or self._collection is not None:
            return None
        response = self._send(
            "REPORT",
            hint,
            body=dav.sync_collection_body(token),
            headers={"Depth": "0", "Content-Type": _XML},
        )
        if response.status_code != 207:
            _log.info("%s: not the calendar any more (%s); finding it", hint, response.status_code)
            return None
        self._collection = hint
        return response

    def _session_client(self) -> DAVClient:
        if self._client is None:
            from caldav.davclient import DAVClient

            client = DAVClient(
                url=self._url,
                username=self._username,
                password=self._token or self._password or "",
                auth_type="bearer" if self._token else "basic" if self._username else None,
                timeout=None,
                ssl_verify_cert=self._verify,
                enable_rfc6764=False,
            )
            client.timeout = self._timeout  # type: ignore[assignment] # caldav says int; floats work
            client.session.hooks["response"].append(self._count)
            self._client = client
        return self._client

    def _count(self, _answer: object, **_kwargs: object) -> None:
        self._requests += 1

    def _resolve(self) -> str:
        if self._collection is not None:
            return self._collection
        with self._discovery_lock:
            if self._collection is None:
                self._collection = self._find()
            return self._collection

    def _find(self) -> str:
        url = self._url if self._url.endswith("/") else self._url + "/"
        response = self._send(
            "PROPFIND",
            url,
            body=dav.propfind_body("D:resourcetype", "D:displayname"),
            headers={"Depth": "0", "Content-Type": _XML},
        )
        if response.status_code == 207:
            entries = self._multistatus(response, url).responses
            if any(_CALENDAR_TYPE in entry.resource_types for entry in entries):
                return url
        elif response.status_code in {401, 403}:
            self._expect(response, {207}, url)
        return discover(self._session_client(), self._url, self._calendar, scrub=self._scrub)

    # -- HTTP ----------------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        *,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        transient_5xx: bool = True,
    ) -> Response:
        """Send one request, retried on transient failures; return the answer, whatever it is.

        With *transient_5xx* False, a 500 answer is returned, not retried (a sync report's
        way of refusing a token, on some servers).
        """

        def attempt() -> Response:
            response = self._http.request(method, url, body=body, headers=headers)
            status = response.status_code
            if status == 429 or (
                status >= 500 and status != 507 and (transient_5xx or status != 500)
            ):
                raise TransportError(
                    f"{method} answered {status} {response.reason}".rstrip(),
                    href=url,
                    status=status,
                    retry_after=parse_retry_after(response.headers.get("Retry-After")),
                )
            return response

        return self._retry.call(attempt)

    def _scrub(self, message: str) -> str:
        return self._http.scrub(message)

    @staticmethod
    def _conditions(response: Response) -> frozenset[str]:
        return dav.error_conditions(response.content or b"")

    def _expect(
        self, response: Response, expected: set[int], url: str, *, href: str | None = None
    ) -> None:
        status = response.status_code or 0
        if status in expected:
            return
        where = href or url
        conditions = self._conditions(response)
        detail = ", ".join(sorted(c.rpartition("}")[2] for c in conditions))
        said = f"the server answered {status} {response.reason or ''}".rstrip()
        said += f" ({detail})" if detail else ""
        if 300 <= status < 400:
            moved = _host_only(response.headers.get("Location") or "elsewhere")
            raise CalendarError(
                f"{said}: redirected to {moved}, so nothing was done there; give the URL it "
                "redirects to",
                href=where,
                status=status,
            )
        if status == 401 or (status == 403 and href is None):
            if status == 401 and not self._secrets:
                said += (
                    "; no password was given: set $LIBKURS_PASSWORD (and --username), or put "
                    "the host in ~/.netrc"
                )
            raise AuthenticationError(said, href=where, status=status)
        if status in {404, 410}:
            raise ItemNotFoundError(said, href=where, status=status)
        if status == 412 and not self._refused_item(response):
            raise PreconditionFailedError(said, href=where, status=status)
        raise CalendarError(said, href=where, status=status)  # this item refused: 403, 409 …

    def _refused_item(self, response: Response) -> bool:
        """Whether a 412 names a CalDAV precondition of the item (its data, size …).

        A bare 412 says the etag is stale or the name taken; ``no-uid-conflict`` says the UID
        is taken: those are read again and planned again, not failed.
        """
        conditions = self._conditions(response) - {_NO_UID_CONFLICT}
        return any(c.startswith(f"{{{dav.CALDAV}}}") for c in conditions)

    def _token_refused(self, response: Response) -> bool:
        status = response.status_code or 0
        if status < 400:
            return False
        return status in {412, 500} or _VALID_SYNC_TOKEN in self._conditions(response)

    def _multistatus(self, response: Response, url: str) -> dav.Multistatus:
        try:
            return dav.parse_multistatus(response.content or b"")
        except dav.XMLError as error:
            raise CalendarError(str(error), href=url, status=response.status_code) from error

    def _collection_path(self) -> str:
        return unquote(urlsplit(self._resolve()).path)

    def _is_collection(self, path: str, collection: str) -> bool:
        return path.rstrip("/") == unquote(urlsplit(collection).path).rstrip("/")

    def _href(self, path: str) -> str | None:
        """The href of the member at *path*, or None if it is not a direct member."""
        base = self._collection_path()
        if not path.startswith(base):
            return None
        name = path[len(base) :]
        return name if name and "/" not in name else None

    def _item_url(self, href: str) -> str:
        if not href or "/" in href or href in {".", ".."}:
            raise ItemNotFoundError("not an item name", href=href)
        parts = urlsplit(self._resolve())
        path = dav.item_path(parts.path, href)
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))

    @staticmethod
    def _put_headers(condition: Mapping[str, str]) -> dict[str, str]:
        return {"Content-Type": "text/calendar; charset=utf-8", **condition}

    def _propfind_etag(self, href: str) -> tuple[str, Response]:
        """Ask for the etag of one item (PROPFIND, depth 0): its URL and the answer."""
        target = self._item_url(href)
        answer = self._send(
            "PROPFIND",
            target,
            body=dav.propfind_body("D:getetag"),
            headers={"Depth": "0", "Content-Type": _XML},
        )
        return target, answer

    def _etag_of(self, response: Response, href: str) -> str:
        """The new etag from a PUT's answer, or else from a PROPFIND of the item."""
        etag = response.headers.get("ETag")
        if etag:
            return str(etag)
        target, answer = self._propfind_etag(href)
        self._expect(answer, {207}, target, href=href)
        for entry in self._multistatus(answer, target).responses:
            if entry.etag:
                return entry.etag
        raise CalendarError("the server gives no etag for the item", href=href)

    def _raise_missing_or_stale(self, href: str) -> None:
        """After a 412: tell a missing item (404) from a changed one, with one PROPFIND."""
        target, answer = self._propfind_etag(href)
        # Xandikos answers 207 with a 404 inside for a missing resource; others a plain 404.
        if answer.status_code == 404 or (
            answer.status_code == 207
            and not any(entry.etag for entry in self._multistatus(answer, target).responses)
        ):
            raise ItemNotFoundError("no such item", href=href, status=404)
        raise PreconditionFailedError(
            "the item changed since it was read (stale etag)", href=href, status=412
        )

    def _with_etags(self, listing: Mapping[str, str | None]) -> dict[str, str]:
        """Fill in the etags a listing left out, with a multiget of those items."""
        result = {href: etag for href, etag in listing.items() if etag}
        without = [href for href, etag in listing.items() if not etag]
        if without:
            items, _missing = self.get(without)
            result.update((item.href, item.etag) for item in items)
        return result

    def _multiget(self, collection: str, hrefs: Sequence[str]) -> dict[str, Item]:
        base = urlsplit(collection).path
        response = self._send(
            "REPORT",
            collection,
            body=dav.multiget_body(dav.item_path(base, href) for href in hrefs),
            headers={"Content-Type": _XML},
        )
        self._expect(response, {207}, collection)
        wanted = set(hrefs)
        items: dict[str, Item] = {}
        for entry in self._multistatus(response, collection).responses:
            href = self._href(entry.path)
            if (
                href is None
                or href not in wanted
                or entry.status == 404
                or entry.calendar_data is None
            ):
                continue
            if not entry.etag:
                raise CalendarError("the server sent an item without its etag", href=href)
            items[href] = Item(href=href, etag=entry.etag, data=entry.calendar_data.encode())
        return items


def check_connections(connections: object) -> None:
    """Refuse a number of connections that is not None or a whole number from 1 to the most."""
    if connections is None:
        return
    if (
        isinstance(connections, bool)
        or not isinstance(connections, int)
        or not 1 <= connections <= MAX_CONNECTIONS
    ):
        raise CalendarError(
            f"connections must be a whole number from 1 to {MAX_CONNECTIONS}, got {connections!r}"
        )


def _host_only(url: str) -> str:
    """*url* as scheme and host, without user information, path or query: safe to print."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return "another address"
    return f"{parts.scheme}://{parts.hostname}/…"
