"""Join links of online meetings in imported text, and the private block around them.

A join link lets anyone who has it into the meeting; a passcode or meeting id next to it does
too. Whatever a reader imports (iCalendar, and any other format that reads free text), these
must end in the private :class:`~libkurs.OnlineRoom` (its ``join_url`` and ``access_note``),
never in public text. This module finds them however they are written:

- with ``https://``, ``http://`` or no scheme at all (``us02web.zoom.us/j/123``);
- on Zoom (``zoom.us``, ``zoom.com``, ``zoomgov.com`` and their regional hosts such as
  ``us02web.zoom.us``), Microsoft Teams, Google Meet, Webex, Whereby and Jitsi;
- with a passcode, password, PIN or meeting id next to them (in English, Swedish, Finnish and
  German, as the invitation texts of those services are written).

:func:`split_private` cuts a text in two: the public paragraphs, and the meeting block
(Google's ``-::~:~::~`` block whole, Teams' block between its rules, and any paragraph
holding a join link, a passcode, a meeting id or dial-in numbers). :func:`html_to_text`
turns the bits of HTML that Google writes into plain DESCRIPTIONs (``<br>``, ``<a href>``)
into text.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "find_join_link",
    "has_secret",
    "html_to_text",
    "is_join_link",
    "platform_of",
    "split_private",
    "without_join_links",
]

_HOSTS = (
    r"(?:[a-z0-9-]+\.)*(?:zoom\.us|zoom\.com|zoomgov\.com)",
    r"teams\.microsoft\.com",
    r"teams\.live\.com",
    r"meet\.google\.com",
    r"(?:[a-z0-9-]+\.)*webex\.com",
    r"(?:[a-z0-9-]+\.)?whereby\.com",
    r"meet\.jit\.si",
)
_JOIN = re.compile(
    r"(?<![\w@./-])(?:https?://)?(?:" + "|".join(_HOSTS) + r")/[^\s<>\"'\[\]]*",
    re.IGNORECASE,
)
_PLATFORMS = (
    ("zoom", "Zoom"),
    ("teams.", "Teams"),
    ("meet.google.com", "Google Meet"),
    ("webex.com", "Webex"),
    ("whereby.com", "Whereby"),
    ("meet.jit.si", "Jitsi"),
)
#: A passcode, password, PIN or meeting id, as meeting invitations write them.
_SECRET = re.compile(
    r"\b(?:pass\s?code|password|pwd|pin|meeting\s+id|meeting\s+number|conference\s+id"
    r"|access\s+code|kenncode|meeting-id|lösenord|möteskod|mötes-id|salasana|tunnuskoodi"
    r"|kokouksen\s+tunnus|kokoustunnus)\b\s*[:#=]?",
    re.IGNORECASE,
)
#: Dial-in lines: one-tap numbers (``+4631…,,123#``), "dial by your location" and the like.
_DIAL = re.compile(
    r",,\d|\btap mobile\b|\bdial(?:-in| by| in)\b|\bor dial\b|\bjoin by (?:sip|h\.323)\b"
    r"|\bfind your local number\b|\bphone conference id\b|\bmore phone numbers\b",
    re.IGNORECASE,
)
_GOOGLE_RULE = re.compile(r"^\s*-::~[:~]*::-\s*$")
_TEAMS_RULE = re.compile(r"^\s*_{20,}\s*$")
_BREAK = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>", re.IGNORECASE)
_ANCHOR = re.compile(
    r"<a\s[^>]*?href\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|span|p|div|ul|ol|li|font|html|body|a)(?:\s[^>]*)?/?>", re.IGNORECASE
)


def find_join_link(text: str) -> str | None:
    """The first join link in *text*, as a full ``https://`` URL, or None.

    >>> find_join_link("Zoom: us02web.zoom.us/j/8765?pwd=x.")
    'https://us02web.zoom.us/j/8765?pwd=x'
    """
    found = _JOIN.search(text)
    if found is None:
        return None
    link = found.group().rstrip(".,;:)>!?")
    if link.lower().startswith("http://"):
        link = "https://" + link[7:]
    elif not link.lower().startswith("https://"):
        link = "https://" + link
    return link


def is_join_link(text: str) -> bool:
    """Whether *text* holds a meeting's join link, which must stay private."""
    return _JOIN.search(text) is not None


def has_secret(text: str) -> bool:
    """Whether *text* holds a join link, a passcode, a meeting id or dial-in numbers."""
    return bool(_JOIN.search(text) or _SECRET.search(text) or _DIAL.search(text))


def platform_of(url: str) -> str | None:
    """The name of the meeting service a join link belongs to, if libkurs knows it."""
    lowered = url.lower()
    return next((name for host, name in _PLATFORMS if host in lowered), None)


def without_join_links(text: str) -> str:
    """*text* with its join links cut out (for a title or a place that mentions one)."""
    return re.sub(r"\s{2,}", " ", _JOIN.sub("", text)).strip(" \t-–:,;|/()")


def html_to_text(text: str) -> str:
    r"""The plain text of a DESCRIPTION that holds bits of HTML, as Google writes them.

    ``<br>`` and paragraph ends become newlines, ``<a href="u">label</a>`` becomes
    ``label (u)`` (or ``u`` when the label is the link), other inline tags are dropped and
    entities decoded. Text without a tag is returned as it is.

    >>> html_to_text('Hej!<br>Välkommen <b>alla</b>.<br/>Info: <a href="https://x.fi">x.fi</a>')
    'Hej!\nVälkommen alla.\nInfo: x.fi (https://x.fi)'
    """
    if "<" not in text or ">" not in text:
        return text
    if not (_BREAK.search(text) or _TAG.search(text)):
        return text

    def anchor(match: re.Match[str]) -> str:
        url, label = match.group(1).strip(), _TAG.sub("", match.group(2)).strip()
        return url if not label or label == url else f"{label} ({url})"

    text = _BREAK.sub("\n", text)
    text = _ANCHOR.sub(anchor, text)
    text = _TAG.sub("", text)
    return html.unescape(text)


def split_private(text: str) -> tuple[str | None, str | None]:
    r"""*text* cut into its public part and its meeting block (join link, passcode, dial-in).

    Either part is None when it is empty.

    >>> split_private("Kurs om läsfrämjande.\n\nJoin Zoom Meeting\nhttps://zoom.us/j/1")
    ('Kurs om läsfrämjande.', 'Join Zoom Meeting\nhttps://zoom.us/j/1')
    """
    public: list[list[str]] = []
    private: list[list[str]] = []
    lines = text.replace("\r\n", "\n").split("\n")
    index = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            chunk = "\n".join(paragraph)
            (private if has_secret(chunk) else public).append(list(paragraph))
            paragraph.clear()

    while index < len(lines):
        line = lines[index]
        rule = _GOOGLE_RULE if _GOOGLE_RULE.match(line) else None
        if rule is None and _TEAMS_RULE.match(line):
            rule = _TEAMS_RULE
        if rule is not None:
            end = next((j for j in range(index + 1, len(lines)) if rule.match(lines[j])), None)
            block = lines[index : (end if end is not None else len(lines) - 1) + 1]
            if rule is _GOOGLE_RULE or has_secret("\n".join(block)):
                flush()
                private.append(block)
                index += len(block)
                continue
        if line.strip():
            paragraph.append(line)
        else:
            flush()
        index += 1
    flush()
    shown = "\n\n".join("\n".join(p) for p in public).strip()
    hidden = "\n\n".join("\n".join(p) for p in private).strip()
    return shown or None, hidden or None
