r"""Text made safe to print on a terminal: control characters shown, never obeyed.

Names, titles and error messages may come from a shared calendar, a form export or a register
that someone else wrote. An escape sequence in them (``ESC [ 2 J`` clears the screen, ``ESC ]``
sets the window title or writes a hyperlink, ``ESC P`` talks to the terminal itself) would be
run by the terminal if printed as it is; a carriage return or a backspace would hide text;
a bidirectional override would show it in another order than it is stored in. Each such
character is printed as its Python escape instead (``\x1b``, ``\x0d``, ``\u202e``).

>>> printable("Kurs\x1b[2J\tA\nB")
'Kurs\\x1b[2J\tA\nB'
>>> printable("Kurs\x1b[2J\tA\nB", one_line=True)
'Kurs\\x1b[2J\\x09A\\x0aB'
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["printable"]

# C0 controls but tab and newline, DEL, C1 controls (``\x9b`` is a one-byte CSI to some
# terminals), and the bidirectional embeddings, overrides and isolates.
_UNSAFE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_A_LINE: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """*text* with every character a terminal would obey, rather than show, escaped.

    Tabs and newlines are kept, unless *one_line* (for an error message, which is one line
    whatever it quotes); everything else that is not printable text is written as its
    escape, so that what is printed is exactly what is stored, made visible.
    """
    return (_UNSAFE_IN_A_LINE if one_line else _UNSAFE).sub(_escape, text)
