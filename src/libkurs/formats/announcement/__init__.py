"""Announcements: a catalogue as text people read, in Swedish, Finnish or English, and back.

Three formats write the same announcement:

- ``"announcement"`` (:data:`TEXT`, ``.txt``): plain text, which is also read back into a draft
  catalogue for a person to check;
- ``"announcement-md"`` (:data:`MARKDOWN`, ``.md``): CommonMark, with Markdown's special
  characters escaped;
- ``"announcement-html"`` (:data:`HTML`, ``.html``): an HTML fragment, every text escaped.

Options of ``dumps``: ``language`` (``"sv"``, the default, ``"fi"`` or ``"en"``); ``event`` or
``programme`` (an id: write only that one; the default is the whole catalogue);
``include_drafts`` (default False). The output starts from :func:`libkurs.public_view`: a join
link is never written.

Markdown and HTML are write-only: their ``loads`` raises :class:`~libkurs.errors.FormatError`.
:func:`find_dates` is the date finder that reading uses, public for its own sake.
"""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Final

import attrs

from libkurs.errors import FormatError
from libkurs.formats.announcement._dates import FoundDate, find_dates
from libkurs.formats.announcement._read import read_announcement
from libkurs.formats.announcement._render import Document, render
from libkurs.formats.announcement._words import words
from libkurs.formats.announcement._writers import write_html, write_markdown, write_text
from libkurs.model import HELSINKI, Catalogue

__all__ = ["HTML", "MARKDOWN", "TEXT", "Announcement", "FoundDate", "find_dates"]


def _check(catalogue: object) -> Catalogue:
    if not isinstance(catalogue, Catalogue):
        raise TypeError(f"expected a Catalogue, got {type(catalogue).__name__}")
    return catalogue


@attrs.frozen
class Announcement:
    """An announcement format: plain text, Markdown or HTML."""

    name: str
    suffixes: tuple[str, ...]
    _kind: str = attrs.field(alias="kind")

    def dumps(
        self,
        catalogue: Catalogue,
        /,
        *,
        language: str = "sv",
        event: str | None = None,
        programme: str | None = None,
        include_drafts: bool = False,
    ) -> str:
        """Write the announcement of *catalogue*, or of one of its events or programmes.

        Raises:
            ValueError: *language* is not sv, fi or en.
            libkurs.errors.UnresolvedReferenceError: no public event or programme of that id.
        """
        if event is not None and programme is not None:
            raise TypeError("give event or programme, not both")
        document: Document = render(
            _check(catalogue),
            words(language),
            event=event,
            programme=programme,
            include_drafts=include_drafts,
        )
        if self._kind == "html":
            return write_html(document)
        if self._kind == "markdown":
            return write_markdown(document)
        return write_text(document)

    def loads(
        self,
        data: str | bytes,
        /,
        *,
        reference: date | None = None,
        language: str | None = None,
        tz: tzinfo = HELSINKI,
    ) -> Catalogue:
        """Read a plain-text announcement into a draft catalogue of one event and its sessions.

        Args:
            data: The announcement, as text or UTF-8 bytes.
            reference: The date it was written, for dates without a year (see
                :func:`find_dates`).
            language: Its language, ``"sv"``, ``"fi"`` or ``"en"``; guessed when None.
            tz: The zone of its times.

        Raises:
            FormatError: the text is not plain text (UTF-8) or has no title; Markdown and HTML
                announcements are not read.
        """
        if self._kind != "text":
            raise FormatError(
                f"libkurs writes {self.name} but does not read it: "
                "read a plain-text announcement with the 'announcement' format"
            )
        return read_announcement(data, reference=reference, language=language, tz=tz)


TEXT: Final = Announcement(name="announcement", suffixes=(".txt",), kind="text")
MARKDOWN: Final = Announcement(name="announcement-md", suffixes=(".md",), kind="markdown")
HTML: Final = Announcement(name="announcement-html", suffixes=(".html", ".htm"), kind="html")
