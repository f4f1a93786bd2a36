"""WebDAV and CalDAV XML: the request bodies libkurs sends and the multistatus it reads.

RFC 4918 (WebDAV: PROPFIND, multistatus, error bodies), RFC 4791 (CalDAV: calendar-multiget,
calendar-data) and RFC 6578 (sync-collection). Pure functions over bytes; no I/O.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from urllib.parse import quote, unquote, urlsplit
from xml.parsers import expat

import attrs

__all__ = [
    "DAV",
    "CALDAV",
    "DavResponse",
    "Multistatus",
    "XMLError",
    "error_conditions",
    "item_path",
    "multiget_body",
    "parse_multistatus",
    "propfind_body",
    "sync_collection_body",
]

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"

_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'


def escape(text: str) -> str:
    """*text* with ``&``, ``<`` and ``>`` escaped, for XML character data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class XMLError(ValueError):
    """The body is not XML that libkurs reads."""


def propfind_body(*props: str) -> bytes:
    """A PROPFIND body asking for *props*, given as ``D:name`` or ``C:name``."""
    inner = "".join(f"<{prop}/>" for prop in props)
    return (
        f'{_HEAD}<D:propfind xmlns:D="DAV:" xmlns:C="{CALDAV}"><D:prop>{inner}</D:prop>'
        "</D:propfind>"
    ).encode()


def multiget_body(paths: Iterable[str]) -> bytes:
    """A calendar-multiget REPORT body for the absolute, percent-encoded *paths*.

    No ``DAV:limit``: servers that honour it leave items out without saying so.
    """
    hrefs = "".join(f"<D:href>{escape(path)}</D:href>" for path in paths)
    return (
        f'{_HEAD}<C:calendar-multiget xmlns:D="DAV:" xmlns:C="{CALDAV}">'
        f"<D:prop><D:getetag/><C:calendar-data/></D:prop>{hrefs}</C:calendar-multiget>"
    ).encode()


def sync_collection_body(token: str | None) -> bytes:
    """A sync-collection REPORT body (RFC 6578) for *token*; None asks for everything."""
    return (
        f'{_HEAD}<D:sync-collection xmlns:D="DAV:"><D:sync-token>{escape(token or "")}'
        "</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop>"
        "</D:sync-collection>"
    ).encode()


def item_path(collection_path: str, href: str) -> str:
    """The percent-encoded absolute path of the item *href* in the collection at a path."""
    return collection_path + quote(href, safe="@")


@attrs.frozen(kw_only=True)
class DavResponse:
    """One ``DAV:response`` of a multistatus, with the properties libkurs reads.

    Attributes:
        path: The resource's absolute path, percent-decoded.
        status: The response-level status (a deleted member in a sync report: 404), if any.
        etag: ``DAV:getetag``, when found.
        calendar_data: ``C:calendar-data``, when found.
        resource_types: The Clark names in ``DAV:resourcetype``.
        display_name: ``DAV:displayname``, when found.
    """

    path: str
    status: int | None = None
    etag: str | None = None
    calendar_data: str | None = None
    resource_types: frozenset[str] = frozenset()
    display_name: str | None = None


@attrs.frozen(kw_only=True)
class Multistatus:
    """A parsed multistatus: its responses, and the sync token if it carries one."""

    responses: tuple[DavResponse, ...]
    sync_token: str | None = None


def _refuse(*_args: object) -> None:
    raise XMLError("the server sent an XML document type or entity, which libkurs does not accept")


def _clark(name: str) -> str:
    namespace, _, local = name.rpartition(" ")
    return f"{{{namespace}}}{local}" if namespace else local


def _parse(body: bytes) -> ET.Element:
    """Parse *body* (in whatever encoding it declares) into a tree, refusing any DTD.

    Servers never send a document type; refusing one (in the parser, so in any encoding)
    rules out entity-expansion attacks.
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse

    def start(name: str, attributes: dict[str, str]) -> None:
        builder.start(_clark(name), {_clark(k): v for k, v in attributes.items()})

    def end(name: str) -> None:
        builder.end(_clark(name))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(body, True)
    except expat.ExpatError as error:
        raise XMLError(f"the server sent malformed XML: {error}") from error
    return builder.close()


def _status(element: ET.Element | None) -> int | None:
    if element is None or not element.text:
        return None
    parts = element.text.split()
    if len(parts) >= 2 and parts[1].isdigit():
        return int(parts[1])
    return None


def _path(href: str) -> str:
    return unquote(urlsplit(href.strip()).path)


def parse_multistatus(body: bytes) -> Multistatus:
    """Parse a ``DAV:multistatus`` body, keeping only properties found (2xx propstat)."""
    root = _parse(body)
    if root.tag != f"{{{DAV}}}multistatus":
        raise XMLError(f"expected a DAV:multistatus, got {root.tag}")
    responses = []
    for response in root.iter(f"{{{DAV}}}response"):
        href = response.find(f"{{{DAV}}}href")
        if href is None or not href.text:
            continue
        props: dict[str, ET.Element] = {}
        for propstat in response.findall(f"{{{DAV}}}propstat"):
            status = _status(propstat.find(f"{{{DAV}}}status"))
            prop = propstat.find(f"{{{DAV}}}prop")
            if prop is not None and (status is None or 200 <= status < 300):
                props.update((child.tag, child) for child in prop)
        etag = props.get(f"{{{DAV}}}getetag")
        data = props.get(f"{{{CALDAV}}}calendar-data")
        types = props.get(f"{{{DAV}}}resourcetype")
        name = props.get(f"{{{DAV}}}displayname")
        responses.append(
            DavResponse(
                path=_path(href.text),
                status=_status(response.find(f"{{{DAV}}}status")),
                etag=etag.text.strip() if etag is not None and etag.text else None,
                calendar_data=data.text if data is not None and data.text else None,
                resource_types=frozenset(child.tag for child in types)
                if types is not None
                else frozenset(),
                display_name=name.text if name is not None else None,
            )
        )
    token = root.find(f"{{{DAV}}}sync-token")
    return Multistatus(
        responses=tuple(responses),
        sync_token=token.text.strip() if token is not None and token.text else None,
    )


def error_conditions(body: bytes) -> frozenset[str]:
    """The Clark names of the conditions in a ``DAV:error`` body; empty for anything else."""
    if not body or not body.lstrip().startswith(b"<"):
        return frozenset()
    try:
        root = _parse(body)
    except XMLError:
        return frozenset()
    if root.tag != f"{{{DAV}}}error":
        return frozenset()
    return frozenset(child.tag for child in root if child.tag != f"{{{DAV}}}responsedescription")
