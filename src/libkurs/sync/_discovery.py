"""Finding a CalDAV calendar from a server's or a principal's URL, through ``caldav``.

RFC 4791 section 6 and RFC 5397: the current user's principal, its calendar home set, and the
calendars in it. ``caldav`` is imported here lazily, and its exceptions are wrapped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

from libkurs.errors import AuthenticationError, CalendarError, ItemNotFoundError, TransportError

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

__all__ = ["discover", "split_credentials"]


def _no_secrets(url: str) -> str:
    """*url* with its user information and query left out, for an error message."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    return f"{scheme}://{host}/…" if rest else "the URL"


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """Return *url* without user information, and the user name and password it carried.

    A URL that cannot be parsed (a bad port, a bad IPv6 address) raises
    :class:`~libkurs.errors.CalendarError`, and so does one with a query string: a token
    there would end up in logs, errors and state files, so libkurs does not take one (pass
    ``token=`` instead).

    >>> split_credentials("https://anna:s%C3%A9cret@cal.example/dav/")
    ('https://cal.example/dav/', 'anna', 'sécret')
    >>> split_credentials("https://cal.example/dav/?access_token=SECRET")
    Traceback (most recent call last):
    libkurs.errors.CalendarError: https://cal.example/…: a CalDAV URL with a query string ...
    """
    try:
        parts = urlsplit(url)
        port = parts.port
        hostname = parts.hostname
    except ValueError as error:
        reason = str(error).split(":", 1)[0]  # never the URL itself: it may hold a password
        raise CalendarError(f"not a valid URL ({reason})", href=_no_secrets(url)) from None
    if parts.scheme.lower() not in {"http", "https"} or not hostname:
        raise CalendarError("expected an http:// or https:// URL of a CalDAV server")
    if parts.query or url.split("#", 1)[0].endswith("?"):
        raise CalendarError(
            "a CalDAV URL with a query string is not accepted: a token there would be kept in "
            "state files and error messages; give it as a bearer token (token=…) instead",
            href=_no_secrets(url),
        )
    host = hostname if ":" not in hostname else f"[{hostname}]"
    netloc = host if port is None else f"{host}:{port}"
    bare = urlunsplit((parts.scheme.lower(), netloc, parts.path, "", parts.fragment))
    if parts.username is None and parts.password is None:
        return bare, None, None
    username = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    return bare, username, password


def _last_segment(url: str) -> str:
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


def discover(
    client: DAVClient, url: str, calendar: str | None, *, scrub: Callable[[str], str]
) -> str:
    """Return the URL (ending in ``/``) of the calendar named *calendar* under *url*.

    *calendar* is matched against each calendar's display name and last path segment; None
    picks the only calendar there is. *scrub* takes secrets out of messages.
    """
    from caldav.lib.error import AuthorizationError, DAVError
    from caldav.lib.http_sync import requests as http

    try:
        found = client.principal().get_calendars()  # type: ignore[no-untyped-call] # caldav's own
        choices = [(str(cal.url), cal.get_display_name()) for cal in found]
    except AuthorizationError as error:
        raise AuthenticationError(
            "the server refused the credentials", href=url, status=error.status
        ) from None
    except http.exceptions.RequestException as error:
        raise TransportError(scrub(f"cannot reach the server: {error}"), href=url) from error
    except DAVError as error:
        raise ItemNotFoundError(
            scrub(f"no calendar found there: {error.reason}"), href=url
        ) from error
    names = ", ".join(sorted(f"“{name or _last_segment(u)}”" for u, name in choices)) or "none"
    if calendar is not None:
        choices = [(u, name) for u, name in choices if calendar in {name, _last_segment(u)}]
    if len(choices) != 1:
        which = f"no calendar named “{calendar}”" if calendar is not None else "more than one"
        if calendar is None and not choices:
            which = "no calendar"
        raise ItemNotFoundError(
            f"{which} found there (calendars: {names}); pass calendar=… or a calendar's URL",
            href=url,
        )
    found_url = choices[0][0]
    return found_url if found_url.endswith("/") else found_url + "/"
