"""A part of the day in the name of a session, for formats that have no field for it.

JSON-LD and Linked Events name a session known only as "the morning" of its day
``Förmiddag: <title>`` (in each language of the title); reading Linked Events takes the part back
from that prefix.
"""

from __future__ import annotations

from libkurs.model import LocalizedText, PartOfDay

__all__ = ["named_with_part", "part_of_name"]

_SEPARATOR = ": "
_BY_NAME = {name: part for part in PartOfDay for name in part.words.values()}


def _word(part: PartOfDay, language: str) -> str:
    word = part.words.get(language.partition("-")[0], part.words["en"])
    return word[0].upper() + word[1:]


def named_with_part(
    title: LocalizedText, part: PartOfDay | None, language: str | None = None
) -> LocalizedText:
    """*title* with *part* before it in each of its languages: "Förmiddag: Metoder".

    With *language*, only in that language: the part's word in it, the title as near as it has.

    >>> str(named_with_part(LocalizedText({"sv": "Metoder"}), PartOfDay.MORNING))
    'Förmiddag: Metoder'
    >>> str(named_with_part(LocalizedText({"sv": "Metoder"}), PartOfDay.MORNING, "fi"))
    'Aamupäivä: Metoder'
    """
    if part is None:
        return title
    if language is not None:
        return LocalizedText(
            {language: f"{_word(part, language)}{_SEPARATOR}{title.best(language)}"}
        )
    return LocalizedText(
        {tag: f"{_word(part, tag)}{_SEPARATOR}{text}" for tag, text in title.texts.items()}
    )


def part_of_name(name: LocalizedText) -> tuple[PartOfDay | None, LocalizedText]:
    """The part of the day that every language of *name* starts with, and the name without it.

    >>> part_of_name(LocalizedText({"sv": "Förmiddag: Metoder", "fi": "Aamupäivä: Metodit"}))
    (<PartOfDay.MORNING: 'morning'>, LocalizedText({'sv': 'Metoder', 'fi': 'Metodit'}))
    """
    parts: set[PartOfDay | None] = set()
    rest: dict[str, str] = {}
    for tag, text in name.texts.items():
        word, separator, after = text.partition(_SEPARATOR)
        part = _BY_NAME.get(word.lower()) if separator and after.strip() else None
        parts.add(part)
        rest[tag] = after
    (part,) = parts if len(parts) == 1 else (None,)
    if part is None:
        return None, name
    return part, LocalizedText(rest)
