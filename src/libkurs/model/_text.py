"""Multilingual text: one value, several languages, and a fallback chain."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from libkurs.errors import ValidationError
from libkurs.model._checks import check_language, check_text, check_type

__all__ = ["DEFAULT_FALLBACK", "LocalizedText"]

#: The languages tried, in order, when no language is asked for: Swedish, Finnish, English.
DEFAULT_FALLBACK: tuple[str, ...] = ("sv", "fi", "en")


def _freeze(texts: Mapping[str, str]) -> Mapping[str, str]:
    if not isinstance(texts, Mapping):
        raise ValidationError(
            f"expected a mapping of language tags to text, got {type(texts).__name__}", path=""
        )
    return MappingProxyType(dict(texts))


def _check_texts(
    _instance: Any, _attribute: attrs.Attribute[Any], value: Mapping[str, str]
) -> None:
    if not value:
        raise ValidationError("needs text in at least one language", path="")
    for tag, text in value.items():
        check_language(tag, "")
        check_text(text, f"{tag}")


@attrs.frozen(repr=False, eq=False)
class LocalizedText:
    """Text in one or more languages, keyed by BCP 47 language tags.

    Languages are data, not fields: Swedish, Finnish, English, Northern Sami (``se``) and any
    other tag are alike.

    >>> title = LocalizedText({"sv": "Slutseminarium", "fi": "Loppuseminaari"})
    >>> str(title)
    'Slutseminarium'
    >>> title.get("fi")
    'Loppuseminaari'
    >>> title.get("en") is None
    True
    >>> title.best("en", "fi")
    'Loppuseminaari'
    """

    UNDETERMINED: ClassVar[str] = "und"
    """The tag of text whose language is not known (BCP 47's "undetermined")."""

    texts: Mapping[str, str] = attrs.field(converter=_freeze, validator=_check_texts)

    def get(self, language: str) -> str | None:
        """The text in exactly *language*, or None."""
        return self.texts.get(language)

    def best(self, *preferred: str, fallback: tuple[str, ...] = DEFAULT_FALLBACK) -> str:
        """The text in the first of *preferred* that it has, else along *fallback*.

        When neither names a language it has, the first language it holds is used:
        a text is never lost for want of a translation.
        """
        for language in (*preferred, *fallback):
            text = self.texts.get(language)
            if text is not None:
                return text
        return next(iter(self.texts.values()))

    def language_of_best(
        self, *preferred: str, fallback: tuple[str, ...] = DEFAULT_FALLBACK
    ) -> str:
        """The language tag whose text :meth:`best` would return."""
        for language in (*preferred, *fallback):
            if language in self.texts:
                return language
        return next(iter(self.texts))

    @property
    def languages(self) -> tuple[str, ...]:
        """The language tags this text has, in the order they were given."""
        return tuple(self.texts)

    def with_text(self, language: str, text: str) -> LocalizedText:
        """A copy with *text* set for *language* (added or replaced)."""
        check_type(language, str, "language")
        return LocalizedText({**self.texts, language: text})

    def __str__(self) -> str:
        return self.best()

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts)

    def __repr__(self) -> str:
        return f"LocalizedText({dict(self.texts)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LocalizedText):
            return NotImplemented
        return dict(self.texts) == dict(other.texts)

    def __hash__(self) -> int:
        return hash(frozenset(self.texts.items()))
