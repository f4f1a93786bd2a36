"""Text from elsewhere, made safe to print on a terminal.

Names and summaries read from a calendar, a server's reasons and file names can hold control
characters and escape sequences (``ESC [ 2 J`` clears the screen, ``ESC ] 8`` makes links, a
carriage return overwrites the line). :func:`printable` shows them as visible escapes instead
of letting the terminal act on them.
"""

from __future__ import annotations

import unicodedata

__all__ = ["printable"]

# Categories a terminal may act on, or that hide text: controls, format characters
# (bidirectional overrides, zero-width joiners), separators other than the space, surrogates,
# private use and unassigned code points.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _shown(char: str) -> str:
    if char == "\t":
        return "\\t"
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: object) -> str:
    r"""*text* with every control, format or unassigned character shown as an escape.

    Letters of any script, punctuation and spaces are kept as they are.

    >>> printable("Kurs i Åbo")
    'Kurs i Åbo'
    >>> printable("evil\x1b[2J\rname")
    'evil\\x1b[2J\\rname'
    >>> printable("a\u202eb")
    'a\\u202eb'
    """
    value = str(text)
    if value.isprintable():
        return value
    return "".join(
        _shown(char) if unicodedata.category(char) in _HIDDEN else char for char in value
    )
