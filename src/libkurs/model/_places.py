"""Who and where: people, organisations, venues, online rooms, locations and links."""

from __future__ import annotations

from typing import Any

import attrs

from libkurs.errors import ValidationError
from libkurs.model._checks import (
    check_identifier,
    check_text,
    check_type,
    check_url,
    field_check,
    instance_check,
)
from libkurs.model._enums import AttendanceMode
from libkurs.model._text import LocalizedText

__all__ = ["Address", "Geo", "Link", "Location", "OnlineRoom", "Organisation", "Person", "Venue"]

_identifier = field_check(check_identifier)
_optional_text = field_check(check_text, optional=True)
_optional_url = field_check(check_url, optional=True)
_optional_id = field_check(check_identifier, optional=True)
_localized = field_check(instance_check(LocalizedText))
_optional_localized = field_check(instance_check(LocalizedText), optional=True)


@attrs.frozen(kw_only=True)
class Organisation:
    """An agency, a library or a group that organises, publishes or employs.

    ``abbreviation`` is multilingual because abbreviations are: RFV in Swedish is AVI in Finnish.
    """

    id: str = attrs.field(validator=_identifier)
    name: LocalizedText = attrs.field(validator=_localized)
    abbreviation: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    url: str | None = attrs.field(default=None, validator=_optional_url)


def _check_email(value: object, path: str) -> None:
    check_text(value, path)
    assert isinstance(value, str)
    local, at, domain = value.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() for c in value):
        raise ValidationError(f"invalid e-mail address {value!r}", path=path)


@attrs.frozen(kw_only=True)
class Person:
    """A speaker or a contact person, as the public may see them.

    Participants are not people of the catalogue: enrolments keep them apart.
    """

    id: str = attrs.field(validator=_identifier)
    name: str = attrs.field(validator=field_check(check_text))
    title: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    """Job title, such as *stadsbibliotekarie* / *city librarian*."""
    organisation: str | None = attrs.field(default=None, validator=_optional_id)
    """The id of an :class:`Organisation` in the same catalogue."""
    email: str | None = attrs.field(
        default=None, validator=field_check(_check_email, optional=True)
    )
    phone: str | None = attrs.field(default=None, validator=_optional_text)
    url: str | None = attrs.field(default=None, validator=_optional_url)


def _as_localized(value: LocalizedText | str | None) -> LocalizedText | None:
    # A plain string, as an address was given before it could be localized, is text of no
    # known language: every reader gets it, whatever the language asked for.
    if isinstance(value, str):
        try:
            return LocalizedText({LocalizedText.UNDETERMINED: value})
        except ValidationError:
            pass  # the validator names the field
    return value  # type: ignore[return-value]  # anything else: the validator refuses it


def _localized_part(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, str):
        check_text(value, attribute.name)
    check_type(value, LocalizedText, attribute.name)


@attrs.frozen(kw_only=True)
class Address:
    """A postal address; street, town and region in as many languages as they have names.

    In bilingual Finland a street has a Swedish and a Finnish name (*Alexandersgatan*,
    *Aleksanterinkatu*): an announcement in Finnish prints the Finnish ones. A plain string is
    accepted too, and kept as text of no known language
    (:attr:`LocalizedText.UNDETERMINED`), shown in every language.

    >>> address = Address(
    ...     street=LocalizedText({"sv": "Alexandersgatan 1", "fi": "Aleksanterinkatu 1"}),
    ...     locality="Helsingfors",
    ... )
    >>> address.street.best("fi"), address.locality.best("fi")
    ('Aleksanterinkatu 1', 'Helsingfors')
    """

    street: LocalizedText | None = attrs.field(
        default=None, converter=_as_localized, validator=_localized_part
    )
    postal_code: str | None = attrs.field(default=None, validator=_optional_text)
    locality: LocalizedText | None = attrs.field(
        default=None, converter=_as_localized, validator=_localized_part
    )
    """The town or city."""
    region: LocalizedText | None = attrs.field(
        default=None, converter=_as_localized, validator=_localized_part
    )
    country: str | None = attrs.field(default=None, validator=_optional_text)
    """ISO 3166-1 alpha-2 code, such as ``FI`` or ``DK``."""


def _check_latitude(value: object, path: str) -> None:
    check_type(value, (float, int), path)
    assert isinstance(value, float | int)
    if not -90 <= value <= 90:
        raise ValidationError(f"latitude {value} is out of range", path=path)


def _check_longitude(value: object, path: str) -> None:
    check_type(value, (float, int), path)
    assert isinstance(value, float | int)
    if not -180 <= value <= 180:
        raise ValidationError(f"longitude {value} is out of range", path=path)


def _as_float(value: float) -> float:
    # 60 and 60.0 are the same latitude: store one, so that writing twice gives the same text.
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


@attrs.frozen(kw_only=True)
class Geo:
    """A point on the earth (WGS 84 degrees)."""

    latitude: float = attrs.field(converter=_as_float, validator=field_check(_check_latitude))
    longitude: float = attrs.field(converter=_as_float, validator=field_check(_check_longitude))


@attrs.frozen(kw_only=True)
class Venue:
    """A physical place where sessions are held."""

    id: str = attrs.field(validator=_identifier)
    name: LocalizedText = attrs.field(validator=_localized)
    address: Address | None = attrs.field(
        default=None, validator=field_check(instance_check(Address), optional=True)
    )
    geo: Geo | None = attrs.field(
        default=None, validator=field_check(instance_check(Geo), optional=True)
    )
    url: str | None = attrs.field(default=None, validator=_optional_url)


def _private(value: object) -> str:
    return "None" if value is None else "'<private>'"


@attrs.frozen(kw_only=True)
class OnlineRoom:
    """A place on the internet where a session is held.

    ``join_url`` and ``access_note`` are private: only people who enrolled get them, public outputs
    never carry them, and reprs hide them.

    >>> OnlineRoom(platform="Zoom", join_url="https://example.zoom.us/j/123")
    OnlineRoom(platform='Zoom', join_url='<private>', access_note=None)
    """

    platform: str | None = attrs.field(default=None, validator=_optional_text)
    """The service used, such as ``Zoom`` or ``Teams``: public."""
    join_url: str | None = attrs.field(default=None, validator=_optional_url, repr=_private)
    """The link to join with: private."""
    access_note: str | None = attrs.field(default=None, validator=_optional_text, repr=_private)
    """Meeting id, passcode or dial-in numbers: private."""

    def redacted(self) -> OnlineRoom:
        """A copy without the private join link and access note."""
        return OnlineRoom(platform=self.platform)


def _check_location(instance: Location, _attribute: attrs.Attribute[Any], _value: Any) -> None:
    if instance.venue is None and instance.online is None:
        raise ValidationError("a location needs a venue, an online room, or both", path="")
    if instance.venue is not None:
        check_identifier(instance.venue, "venue")
    if instance.online is not None:
        check_type(instance.online, OnlineRoom, "online")


@attrs.frozen(kw_only=True)
class Location:
    """Where a session takes place: a venue, an online room, or both (hybrid)."""

    venue: str | None = attrs.field(default=None, validator=_check_location)
    """The id of a :class:`Venue` in the same catalogue."""
    online: OnlineRoom | None = None

    @property
    def attendance_mode(self) -> AttendanceMode:
        """On site, online, or mixed, from what the location has."""
        if self.venue is not None and self.online is not None:
            return AttendanceMode.MIXED
        return AttendanceMode.ON_SITE if self.venue is not None else AttendanceMode.ONLINE

    def redacted(self) -> Location:
        """A copy with the online room's private details removed."""
        if self.online is None:
            return self
        return Location(venue=self.venue, online=self.online.redacted())


@attrs.frozen(kw_only=True)
class Link:
    """A related web page, such as survey results or the registration form."""

    url: str = attrs.field(validator=field_check(check_url))
    title: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
