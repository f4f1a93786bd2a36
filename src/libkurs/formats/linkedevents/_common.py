"""Linked Events: what reading and writing share (ids, texts, statuses, references)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Final

from libkurs.errors import FormatError
from libkurs.model import LocalizedText, Status

__all__ = [
    "API",
    "ID_TAG",
    "INTERNET",
    "JSON",
    "LinkedEventsWarning",
    "STATUS",
    "STATUS_NAMES",
    "fail",
    "le_text",
    "list_of",
    "ref",
    "ref_id",
    "text",
    "to_le_id",
    "to_libkurs_id",
    "utc",
]

#: The base of the public API's resource addresses.
API: Final = "https://api.hel.fi/linkedevents/v1"
#: The place Linked Events uses for events on the internet.
INTERNET: Final = "helsinki:internet"
#: The language tag under which libkurs keeps a Linked Events id.
ID_TAG: Final = "zxx"

STATUS: Final = {
    "EventScheduled": Status.SCHEDULED,
    "EventCancelled": Status.CANCELLED,
    "EventPostponed": Status.POSTPONED,
    "EventRescheduled": Status.RESCHEDULED,
    "EventMovedOnline": Status.MOVED_ONLINE,
}
STATUS_NAMES: Final = {status: name for name, status in STATUS.items()}

JSON = dict[str, object]


class LinkedEventsWarning(UserWarning):
    """Something read by a rule rather than from the data, such as an event without an end."""


def fail(reason: str, path: str) -> FormatError:
    return FormatError(reason, path=path)


def ref_id(value: object, path: str) -> str:
    """The Linked Events id of a ``{"@id": ".../event/helsinki:x/"}`` reference or object."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            return str(value["id"])
        if isinstance(value.get("@id"), str):
            return str(value["@id"]).rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    raise fail("expected a reference with an @id", path)


def to_libkurs_id(le_id: str) -> str:
    """``helsinki:af7jcccbra`` → ``helsinki.af7jcccbra``.

    >>> to_libkurs_id("helsinki:af7jcccbra"), to_libkurs_id("tprek:8740")
    ('helsinki.af7jcccbra', 'tprek.8740')
    """
    local = re.sub(r"[^A-Za-z0-9._-]+", "-", le_id.replace(":", ".", 1))
    return re.sub(r"\.{2,}", ".", local).strip("-._")[:128].strip("-._") or "event"


def to_le_id(id: str, data_source: str) -> str:
    """``helsinki.af7jcccbra`` → ``helsinki:af7jcccbra``; ``seminar`` → ``libkurs:seminar``."""
    return id.replace(".", ":", 1) if "." in id else f"{data_source}:{id}"


def text(value: object, path: str) -> LocalizedText | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise fail("expected an object of language to text", path)
    texts = {
        tag.replace("_", "-").lower(): text
        for tag, text in value.items()
        if isinstance(text, str) and text.strip()
    }
    return LocalizedText(texts) if texts else None


def le_text(value: LocalizedText | None) -> JSON | None:
    if value is None:
        return None
    texts = {tag.replace("-", "_"): text for tag, text in value.texts.items() if tag != ID_TAG}
    return dict(texts) or None


def list_of(value: object, path: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail("expected an array", path)
    return value


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def ref(kind: str, le_id: str) -> JSON:
    return {"@id": f"{API}/{kind}/{le_id}/"}
