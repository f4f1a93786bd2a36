"""Text, languages and ids: cleaned text, LANGUAGE, the words libkurs writes, ids from UIDs."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from libkurs.errors import ValidationError
from libkurs.formats.ics._lines import Component, unescape_text
from libkurs.model import LocalizedText

__all__ = [
    "ADDRESS_PROPERTIES",
    "LANGUAGE",
    "check_language",
    "clean",
    "label",
    "localized",
    "plain",
    "slug",
    "speaks",
]

_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9_])?")
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: A language tag of the shape the model accepts.
LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


#: The parts of a venue's address and the ``X-LIBKURS-`` properties that carry them.
ADDRESS_PROPERTIES = {
    "street": "X-LIBKURS-ADDRESS-STREET",
    "postal_code": "X-LIBKURS-ADDRESS-POSTAL-CODE",
    "locality": "X-LIBKURS-ADDRESS-LOCALITY",
    "region": "X-LIBKURS-ADDRESS-REGION",
    "country": "X-LIBKURS-ADDRESS-COUNTRY",
}

_LABELS: dict[str, dict[str, str]] = {
    "programme": {"sv": "Program", "fi": "Ohjelma", "en": "Programme"},
    "speakers": {"sv": "Talare", "fi": "Puhujat", "en": "Speakers"},
    "organisers": {"sv": "Arrangör", "fi": "Järjestäjä", "en": "Organiser"},
    "online": {"sv": "På distans", "fi": "Etänä", "en": "Online"},
    "join": {"sv": "Anslut", "fi": "Liity", "en": "Join"},
    "more": {"sv": "Mer information", "fi": "Lisätietoja", "en": "More information"},
}


def speaks(language: str) -> str:
    """The language :func:`label` writes for *language*: itself (its primary subtag) or English."""
    primary = language.partition("-")[0]
    return primary if primary in _LABELS["join"] else "en"


def label(name: str, language: str) -> str:
    """A word of the DESCRIPTION in *language* (English when libkurs does not speak it)."""
    return _LABELS[name][speaks(language)]


def check_language(value: str | None, option: str) -> None:
    """Refuse a language option that is not a language tag (BCP 47 shape), such as ``../x``."""
    if value is not None and not LANGUAGE.fullmatch(value):
        raise ValidationError(f"not a language tag: {value!r}", path=option)


def clean(text: str | None) -> str | None:
    """*text* without control characters (tab and newline kept), or None if blank."""
    if text is None:
        return None
    text = _CONTROL.sub("", text.replace("\r\n", "\n"))
    return text if text.strip() else None


def slug(uid: str) -> str:
    """A libkurs id for *uid*: itself when it is one, else a readable stem and a hash.

    >>> slug("studiecirkel-2023")
    'studiecirkel-2023'
    >>> slug("7kukuqrfedlm2f9t3e5d1v7n5c@google.com")
    '7kukuqrfedlm2f9t3e5d1v7n5c-google.com-fba0cd669d'
    """
    if _ID.fullmatch(uid) and ".." not in uid:
        return uid
    ascii_text = unicodedata.normalize("NFKD", uid).encode("ascii", "ignore").decode()
    stem = _NOT_ID.sub("-", ascii_text).replace("..", ".").strip("-._")[:80].rstrip("-.")
    digest = hashlib.sha1(uid.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()
    return f"{stem}-{digest[:10]}" if stem else f"uid-{digest[:10]}"


def plain(component: Component, name: str) -> str | None:
    """The cleaned text of the first property *name* of *component*, or None."""
    prop = component.first(name)
    return clean(unescape_text(prop.value)) if prop is not None else None


def localized(component: Component, name: str, language: str) -> LocalizedText | None:
    """The text of property *name* in its LANGUAGE, or in *language* when it names none."""
    prop = component.first(name)
    if prop is None:
        return None
    text = clean(unescape_text(prop.value))
    if text is None:
        return None
    tag = prop.param("LANGUAGE") or language
    return LocalizedText({tag if LANGUAGE.fullmatch(tag) else language: text})
