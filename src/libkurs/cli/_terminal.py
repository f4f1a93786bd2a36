r"""Text from elsewhere, made safe to print on a terminal: control characters shown, never obeyed.

Names, titles and error messages may come from a shared calendar, a form export, a server's
answer or a register that someone else wrote. An escape sequence in them (``ESC [ 2 J`` clears
the screen, ``ESC ]`` sets the window title or writes a hyperlink, ``ESC P`` talks to the
terminal itself, ``\x9b`` is a one-byte CSI to some terminals) would be run by the terminal if
printed as it is; a carriage return or a backspace would hide text; a bidirectional override
would show it in another order than it is stored in. :func:`printable` writes each such
character as its Python escape instead (``\x1b``, ``\x0d``, ``\u202e``).

>>> printable("Kurs\x1b[2J\tA\nB")
'Kurs\\x1b[2J\tA\nB'
>>> printable("Kurs\x1b[2J\tA\nB", one_line=True)
'Kurs\\x1b[2J\\x09A\\x0aB'
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["printable"]

# Categories a terminal may act on, or that hide text: controls (C0, DEL, C1), format
# characters (bidirectional overrides, zero-width joiners), line and paragraph separators,
# surrogates, private use and unassigned code points.
_HIDDEN: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _shown(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: object, *, one_line: bool = False) -> str:
    r"""*text* with every character a terminal would obey, rather than show, escaped.

    Letters of any script, punctuation and spaces are kept as they are; so are tabs and
    newlines, unless *one_line* (for an error message, which is one line whatever it quotes).
    What is printed is exactly what is stored, made visible.

    >>> printable("Kurs i Åbo")
    'Kurs i Åbo'
    >>> printable("evil\x1b[2J\rname")
    'evil\\x1b[2J\\x0dname'
    >>> printable("a\u202eb")
    'a\\u202eb'
    """
    value = str(text)
    if value.isprintable():
        return value
    kept = "" if one_line else "\t\n"
    return "".join(
        _shown(char) if char not in kept and unicodedata.category(char) in _HIDDEN else char
        for char in value
    )
