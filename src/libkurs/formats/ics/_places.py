"""Where an imported event takes place: venues from LOCATION and GEO, online rooms from links.

A join link found in CONFERENCE (RFC 7986), X-GOOGLE-CONFERENCE,
X-MICROSOFT-SKYPETEAMSMEETINGURL, URL, LINK, LOCATION, DESCRIPTION or SUMMARY of another
program's file (however written: see :mod:`libkurs.formats._joinlinks`) becomes a private
:class:`~libkurs.OnlineRoom`, and never the event's public ``url``, ``links``, title or place
(libkurs' own files keep URL and LINK as written, since libkurs writes them only from a
catalogue's public ``url`` and ``links``, and a join link only in CONFERENCE). The meeting
block of a DESCRIPTION (join link, meeting id, passcode, dial-in numbers; Google's Meet block
whole) becomes the room's private access note; the rest of the DESCRIPTION stays the event's
public text. A LOCATION that is only the meeting (a link, "Microsoft Teams-möte") is no venue;
any other LOCATION is one (without a link it held), shared by every event that names it the
same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from libkurs.errors import ValidationError
from libkurs.formats._joinlinks import (
    find_join_link,
    has_secret,
    is_join_link,
    platform_of,
    split_private,
    without_join_links,
)
from libkurs.formats.ics._common import ADDRESS_PROPERTIES, clean, localized, plain, slug
from libkurs.formats.ics._lines import Component, unescape_text
from libkurs.model import Address, Geo, LocalizedText, Location, OnlineRoom, Venue

__all__ = ["Places", "is_join_link", "platform_of"]

_MEETING_ONLY = re.compile(
    r"^(?:online|zoom|teams|microsoft teams(?:-möte| meeting)?|google meet|webex|whereby|jitsi"
    r"|etänä|på distans|distans|verkossa|videomöte)?$",
    re.IGNORECASE,
)


def _linked_join(vevent: Component) -> str | None:
    """The first join link in a URL or LINK property of *vevent*."""
    for prop in [*vevent.all("URL"), *vevent.all("LINK")]:
        found = find_join_link(prop.value.strip())
        if found is not None:
            return found
    return None


class Places:
    """The venues of one import, and the locations of its VEVENTs."""

    def __init__(
        self,
        *,
        language: str,
        warn: Callable[[str, int | None], None],
        unique: Callable[[str], str],
        claim: Callable[[str], None],
    ) -> None:
        self.language = language
        self.warn = warn
        self.unique = unique
        self.claim = claim
        self.venues: dict[str, Venue] = {}

    def own(self, vevent: Component) -> Location | None:
        venue_prop = vevent.first("X-LIBKURS-VENUE")
        venue_id = None
        if venue_prop is not None:
            venue_id = unescape_text(venue_prop.value)
            if venue_id not in self.venues:
                name = localized(vevent, "X-LIBKURS-VENUE-NAME", self.language) or LocalizedText(
                    {self.language: venue_id}
                )
                self.venues[venue_id] = Venue(
                    id=venue_id, name=name, geo=self.geo(vevent), address=self.address(vevent)
                )
            self.claim(venue_id)
        online = None
        if vevent.first("X-LIBKURS-ONLINE") is not None:
            platform = vevent.first("X-LIBKURS-PLATFORM")
            join = vevent.first("CONFERENCE")
            online = OnlineRoom(
                platform=clean(unescape_text(platform.value)) if platform else None,
                join_url=join.value.strip() if join is not None else None,
            )
        if venue_id is None and online is None:
            return None
        return Location(venue=venue_id, online=online)

    @staticmethod
    def address(vevent: Component) -> Address | None:
        """The address libkurs wrote part by part in ``X-LIBKURS-ADDRESS-*``, if any."""
        parts = {}
        for part, name in ADDRESS_PROPERTIES.items():
            value = plain(vevent, name)
            if value is not None:
                parts[part] = value
        return Address(**parts) if parts else None

    def geo(self, vevent: Component) -> Geo | None:
        prop = vevent.first("GEO")
        if prop is None:
            return None
        latitude, _, longitude = prop.value.replace(",", ";").partition(";")
        try:
            return Geo(latitude=float(latitude), longitude=float(longitude))
        except (ValueError, ValidationError):
            self.warn(f"GEO {prop.value!r} is not a point: left out", prop.line)
            return None

    def foreign(
        self, vevent: Component, description: str | None
    ) -> tuple[Location | None, str | None]:
        """The location, and the public part of the description (the meeting block is private).

        A join link is looked for in CONFERENCE, X-GOOGLE-CONFERENCE,
        X-MICROSOFT-SKYPETEAMSMEETINGURL, URL, LINK, LOCATION, DESCRIPTION and SUMMARY; the
        meeting block of the DESCRIPTION (join link, passcode, meeting id, dial-in) becomes
        the room's private access note, and the rest of the DESCRIPTION stays public.
        """
        join: str | None = None
        for name in ("CONFERENCE", "X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL"):
            prop = vevent.first(name)
            if prop is not None:
                join = find_join_link(prop.value) or (
                    prop.value.strip()
                    if prop.value.strip().lower().startswith("https://")
                    else None
                )
                if join is not None:
                    break
        join = join or _linked_join(vevent)
        where = plain(vevent, "LOCATION")
        summary = plain(vevent, "SUMMARY")
        for text in (where, description, summary):
            join = join or (find_join_link(text) if text else None)
        note = None
        if description is not None and has_secret(description):
            description, note = split_private(description)
        online = None
        if join is not None or note is not None:
            platform = platform_of(join) if join is not None else None
            online = self.room(platform, join, note)
        if where is not None and (is_join_link(where) or has_secret(where)):
            where = clean(without_join_links(where))
        if where is not None and online is not None:
            platform = online.platform or ""
            word = platform.split()[0].lower() if platform else None
            if _MEETING_ONLY.match(where.strip()) or (
                word is not None and word in where.lower() and len(where) < 40
            ):
                where = None
        venue_id = None
        if where is not None:
            venue_id = self.venue_for(where, vevent)
        if venue_id is None and online is None:
            return None, description
        return Location(venue=venue_id, online=online), description

    @staticmethod
    def room(platform: str | None, join: str | None, note: str | None) -> OnlineRoom:
        """A private online room; a join link the model refuses is left out."""
        try:
            return OnlineRoom(platform=platform, join_url=join, access_note=note)
        except ValueError:  # a ValidationError, or urlsplit's own ("Invalid IPv6 URL")
            return OnlineRoom(platform=platform, access_note=note)

    def venue_for(self, where: str, vevent: Component) -> str:
        for venue in self.venues.values():
            if where in venue.name.texts.values():
                return venue.id
        venue_id = self.unique(slug("venue-" + where[:40]))
        self.venues[venue_id] = Venue(
            id=venue_id, name=LocalizedText({self.language: where}), geo=self.geo(vevent)
        )
        return venue_id
