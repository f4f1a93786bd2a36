"""Finding a CalDAV calendar from a server's or a principal's URL, through ``caldav``.

RFC 4791 section 6 and RFC 5397: the current user's principal, its calendar home set, and the
calendars in it. ``caldav`` is imported here lazily, and its exceptions are wrapped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

from libkurs.errors import AuthenticationError, CalendarError, TransportError

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

__all__ = ["discover", "split_credentials"]


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """Return *url* without user information, and the user name and password it carried.

    >>> split_credentials("https://anna:s%C3%A9cret@cal.example/dav/")
    ('https://cal.example/dav/', 'anna', 'sécret')
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise CalendarError("expected an http:// or https:// URL of a CalDAV server")
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    bare = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
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
        found = client.principal().get_calendars()  # type: ignore[no-untyped-call]
        choices = [(str(cal.url), cal.get_display_name()) for cal in found]
    except AuthorizationError as error:
        raise AuthenticationError(
            "the server refused the credentials", href=url, status=error.status
        ) from None
    except http.exceptions.RequestException as error:
        raise TransportError(scrub(f"cannot reach the server: {error}"), href=url) from error
    except DAVError as error:
        raise CalendarError(scrub(f"no calendar found there: {error.reason}"), href=url) from error
    names = ", ".join(sorted(repr(name or _last_segment(u)) for u, name in choices)) or "none"
    if calendar is not None:
        choices = [(u, name) for u, name in choices if calendar in {name, _last_segment(u)}]
    if len(choices) != 1:
        which = f"no calendar named {calendar!r}" if calendar is not None else "more than one"
        if calendar is None and not choices:
            which = "no calendar"
        raise CalendarError(
            f"{which} found there (calendars: {names}); pass calendar=… or a calendar's URL",
            href=url,
        )
    found_url = choices[0][0]
    return found_url if found_url.endswith("/") else found_url + "/"
