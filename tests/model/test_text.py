"""LocalizedText: one value, several languages, a fallback chain."""

import pytest

from libkurs import LocalizedText
from libkurs.errors import ValidationError

TITLE = LocalizedText({"fi": "Loppuseminaari", "sv": "Slutseminarium"})


def test_str_follows_the_default_chain():
    """str() gives Swedish first, whatever order the languages were given in."""
    assert str(TITLE) == "Slutseminarium"


def test_get_returns_one_language_or_none():
    """get() returns the text in exactly that language, or None."""
    assert TITLE.get("fi") == "Loppuseminaari"
    assert TITLE.get("en") is None


def test_best_tries_preferred_then_fallback_then_anything():
    """best() tries the preferred languages, then the chain, then whatever there is."""
    assert TITLE.best("en", "fi") == "Loppuseminaari"
    assert TITLE.best("en", fallback=("fi",)) == "Loppuseminaari"
    assert LocalizedText({"se": "Loahppaseminára"}).best("en") == "Loahppaseminára"


def test_equal_texts_are_equal_and_hash_alike():
    """Order of languages does not matter for equality or hashing."""
    other = LocalizedText({"sv": "Slutseminarium", "fi": "Loppuseminaari"})
    assert other == TITLE
    assert hash(other) == hash(TITLE)


def test_is_immutable():
    """The mapping inside cannot be changed."""
    with pytest.raises(TypeError):
        TITLE.texts["en"] = "Final seminar"  # type: ignore[index]


def test_with_text_returns_a_copy():
    """with_text() adds a language without touching the original."""
    both = TITLE.with_text("en", "Final seminar")
    assert both.get("en") == "Final seminar"
    assert TITLE.get("en") is None


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({}, "at least one language"),
        ({"swedish!": "x"}, "invalid language tag"),
        ({"sv": "   "}, "must not be empty"),
        ({"sv": "a\x00b"}, "control character"),
        ({"sv": 3}, "expected str"),
    ],
)
def test_rejects_bad_texts(texts, message):
    """Empty texts, bad tags and control characters are refused."""
    with pytest.raises(ValidationError, match=message):
        LocalizedText(texts)


def test_repr_is_readable():
    """The repr shows the languages and texts."""
    assert repr(LocalizedText({"sv": "Hej"})) == "LocalizedText({'sv': 'Hej'})"
