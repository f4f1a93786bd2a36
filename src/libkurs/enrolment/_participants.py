"""Participants: the people who enrol. Personal data, kept apart from the public catalogue."""

from __future__ import annotations

from typing import Any

import attrs

from libkurs.errors import ValidationError
from libkurs.model._checks import (
    check_identifier,
    check_language,
    check_text,
    field_check,
)

__all__ = ["ANONYMOUS", "Participant"]

#: The name an anonymised participant keeps.
ANONYMOUS = "anonymous"


def _hidden(_value: object) -> str:
    return "'…'"


def _check_email(value: object, path: str) -> None:
    check_text(value, path)
    assert isinstance(value, str)
    local, at, domain = value.partition("@")
    if not (local and at and "." in domain.strip(".")) or any(c.isspace() for c in value):
        raise ValidationError(f"invalid e-mail address {value!r}", path=path)


def _check_anonymous(instance: Participant, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise ValidationError(f"expected bool, got {type(value).__name__}", path="anonymized")
    if not value and instance.email is None:
        raise ValidationError("a participant needs an e-mail address", path="email")


_optional_text = field_check(check_text, optional=True)


@attrs.frozen(kw_only=True)
class Participant:
    """A person who enrols: a member of library staff, say.

    Its ``repr`` hides every personal field (name, e-mail address, organisation, municipality,
    phone number), so that logs and tracebacks do not spread them.

    >>> anna = Participant(id="p1", name="Anna A", email="anna@example.org", phone="+358 40 1")
    >>> repr(anna)
    "Participant(id='p1', name='…', email='…', organisation='…', municipality='…', ..."
    """

    id: str = attrs.field(validator=field_check(check_identifier))
    name: str = attrs.field(repr=_hidden, validator=field_check(check_text))
    email: str | None = attrs.field(
        default=None, repr=_hidden, validator=field_check(_check_email, optional=True)
    )
    """Required, except for an anonymised participant."""
    organisation: str | None = attrs.field(default=None, repr=_hidden, validator=_optional_text)
    """The library or organisation, in words, as the participant gave it."""
    municipality: str | None = attrs.field(default=None, repr=_hidden, validator=_optional_text)
    language: str = attrs.field(default="sv", validator=field_check(check_language))
    """The language of service: the language to write to this participant in."""
    phone: str | None = attrs.field(default=None, repr=_hidden, validator=_optional_text)
    anonymized: bool = attrs.field(default=False, validator=_check_anonymous)
    """Whether the personal data has been removed (see :func:`libkurs.enrolment.anonymize`)."""
