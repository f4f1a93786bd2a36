r"""schema.org JSON-LD: the events of a catalogue as search engines read them.

A web page embeds the output in ``<script type="application/ld+json">``. The document is one
object with ``"@context": "https://schema.org"`` and a ``"@graph"`` of the catalogue's events and
programmes, in catalogue order (events first), so the same catalogue always gives the same text.

Wire decisions:

- **Types.** A course is a ``CourseInstance``; seminars, lectures, workshops, study visits and the
  other kinds of continuing education are ``EducationEvent``; a meeting or an event of another
  kind is an ``Event``; a programme is an ``EventSeries`` whose ``subEvent`` are its modules.
  An event of several sessions, or of several runs, lists them as ``subEvent`` (of type ``Event``,
  pointing back with ``superEvent``); the timed talks of a session are its own ``subEvent``.
- **Ids.** Every node has an ``@id``: the *base* option (default ``"#"``, a fragment of the page
  the document is embedded in) followed by the libkurs id.
- **Languages.** With ``language=None`` (the default) every text carries every language it has,
  as JSON-LD value objects ``{"@language": "sv", "@value": "…"}`` (an array when there are
  several). Value objects need no context of their own, so the plain schema.org context stays.
  With ``language="fi"`` every text is a plain string in that language (or along the fallback
  chain), which is what a page in one language embeds.
- **What search engines require.** Search engines list an event only with a ``name``, a full
  ``startDate`` and a ``location``. By default the graph holds only events that have all three:
  an event without a dated session (or a :class:`~libkurs.Period` known to the day), or without
  any location (its own or its sessions'), is left out; so is a programme none of whose written
  modules gives it a date and a place. ``include_incomplete=True`` writes them too (for a
  preview, or for consumers other than search engines), without the claims that are not known:
  no ``startDate``, and no ``eventStatus`` while the status is only "scheduled" (a cancelled or
  postponed undated event still says so). A ``superEvent`` or ``subEvent`` reference always
  points at a node of the graph.
- **Dates.** Aware ISO 8601 datetimes, or calendar dates for whole days. A rough period
  (``"2022-08"``, ``"2023/2024"``) is never written as ``startDate``: search engines reject
  partial dates, and libkurs invents no day. A programme's dates are those of its written modules.
- **Places.** A venue is a ``Place`` with its ``PostalAddress`` and ``GeoCoordinates``; an online
  room is a ``VirtualLocation``, even when nothing but "online" is known about it. Its ``url`` is
  the event's public page (``url``) when there is one, never the join link.
- **Privacy.** The output starts from :func:`libkurs.public_view`: no drafts, no internal notes,
  and a ``VirtualLocation`` never has the join link (not even with ``include_drafts=True``).
  Contact people's e-mail addresses and phone numbers are not written.
- **Embedding.** ``<``, ``>`` and ``&`` are written as ``\u003c``, ``\u003e`` and ``\u0026``
  (the same JSON string), so that no text, such as a title ``"</script>"``, can end the
  ``<script>`` element the document is embedded in.
- **Reading.** JSON-LD is a publishing format: :meth:`JSONLD.loads` raises
  :class:`~libkurs.errors.FormatError`. Keep catalogues in the native JSON.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Final

import attrs

from libkurs.errors import FormatError
from libkurs.formats.jsonld._nodes import JSON, SCHEMA, Writer, event_type
from libkurs.model import Catalogue, Publication, public_view

__all__ = ["FORMAT", "JSONLD", "SCHEMA", "event_type"]


@attrs.frozen
class JSONLD:
    """schema.org JSON-LD, registered as ``"jsonld"`` for ``.jsonld`` files; write-only."""

    name: str = "jsonld"
    suffixes: tuple[str, ...] = (".jsonld",)

    def loads(self, _data: str | bytes, /, **_options: object) -> Catalogue:
        """Refuse: JSON-LD is written for search engines, not read back.

        Raises:
            FormatError: always.
        """
        raise FormatError(
            "libkurs writes JSON-LD but does not read it: keep the catalogue in native JSON "
            "(format 'json') and publish JSON-LD from it"
        )

    def dumps(
        self,
        catalogue: Catalogue,
        /,
        *,
        language: str | None = None,
        base: str = "#",
        include_drafts: bool = False,
        include_incomplete: bool = False,
        indent: int | None = 2,
    ) -> str:
        """Write the public part of *catalogue* as one JSON-LD document.

        Args:
            catalogue: The catalogue.
            language: Write every text as a plain string in this language; None writes every
                language as ``@language`` value objects.
            base: Put before every libkurs id to make the node's ``@id``.
            include_drafts: Also write draft events and programmes (for a preview page).
                Join links and internal notes are left out all the same.
            include_incomplete: Also write events and programmes that search engines would
                reject: those without a full start date or without a location. Unknown dates
                are left out, never guessed.
            indent: JSON indentation; None for one line.
        """
        if not isinstance(catalogue, Catalogue):
            raise TypeError(f"expected a Catalogue, got {type(catalogue).__name__}")
        visible = public_view(_all_public(catalogue) if include_drafts else catalogue)
        writer = Writer(visible, base, language)
        events = {e.id: writer.event(e) for e in visible.events}
        events = {k: v for k, v in events.items() if include_incomplete or _complete(v)}
        programmes = {p.id: writer.programme(p, events) for p in visible.programmes}
        programmes = {k: v for k, v in programmes.items() if include_incomplete or _complete(v)}
        written = {writer.id(k) for k in (*events, *programmes)}
        graph = [_only_refs_to(node, written) for node in (*events.values(), *programmes.values())]
        document = {"@context": "https://schema.org", "@graph": graph}
        return _script_safe(json.dumps(document, ensure_ascii=False, indent=indent)) + "\n"


def _complete(node: JSON) -> bool:
    """Whether a top-level node has what search engines require of an event."""
    return "name" in node and "startDate" in node and "location" in node


def _only_refs_to(node: JSON, written: Collection[str]) -> JSON:
    """*node* without references (``superEvent``) to nodes that are not in the graph."""
    refs = node.get("superEvent")
    if not isinstance(refs, list):
        return node
    kept = [r for r in refs if isinstance(r, dict) and r.get("@id") in written]
    return {
        k: kept if k == "superEvent" else v for k, v in node.items() if k != "superEvent" or kept
    }


def _script_safe(text: str) -> str:
    r"""*text* (JSON) with ``<``, ``>`` and ``&`` escaped, safe inside an HTML ``<script>``.

    The three characters only occur inside JSON strings, where ``\u003c`` is the same ``<``.

    >>> print(_script_safe('{"name": "</script>&"}'))
    {"name": "\u003c/script\u003e\u0026"}
    """
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _all_public(catalogue: Catalogue) -> Catalogue:
    return attrs.evolve(
        catalogue,
        events=[attrs.evolve(e, publication=Publication.PUBLIC) for e in catalogue.events],
        programmes=[attrs.evolve(p, publication=Publication.PUBLIC) for p in catalogue.programmes],
    )


FORMAT: Final = JSONLD()
