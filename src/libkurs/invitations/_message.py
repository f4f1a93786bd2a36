"""One iMIP message (RFC 6047) per participant, in their language.

The message is built with the standard library's :mod:`email` package (its MIME classes,
several times faster than :class:`~email.message.EmailMessage` for the same bytes)::

    multipart/mixed
    ├── multipart/alternative
    │   ├── text/plain; charset=utf-8            what changed, when and where, in words
    │   ├── text/html; charset=utf-8             the same
    │   └── text/calendar; method=REQUEST; charset=UTF-8   the iTIP message (base64, exact bytes)
    └── application/ics; name=invite.ics          the same, as an attachment (Outlook, Gmail)

``To`` is the one participant (never Cc or Bcc of others); ``From`` is the sender, under the
organising organisation's name. ``Auto-Submitted: auto-generated`` (RFC 3834) keeps vacation
responders quiet. The METHOD of the Content-Type is the METHOD inside. The words and dates are
those of the announcements (Babel's CLDR data, :mod:`libkurs.formats.announcement`); a
participant whose language is none of sv, fi and en is written to in English. The join link is
not in the text: it is only in the calendar part of a participant who takes part remotely.
"""

from __future__ import annotations

import html
import uuid
from datetime import datetime
from email.encoders import encode_base64
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, make_msgid
from functools import cache
from typing import Final

from libkurs.errors import ValidationError
from libkurs.formats.announcement._words import LANGUAGES, Words
from libkurs.invitations._plan import Delivery, Reason
from libkurs.model import Catalogue, Event, Session

__all__ = ["message_for", "wire"]

_WIRE = compat32.clone(linesep="\r\n")

_PHRASES: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "new": "Inbjudan",
        "changed": "Ändrat",
        "ended": "Avbokat",
        "session_cancelled": "Inställt",
        "hello": "Hej {name}!",
        "new_text": "Du har en plats på {title}. Inbjudan lägger in den i din kalender.",
        "changed_text": "{title} har ändrats. Inbjudan uppdaterar din kalender.",
        "ended_text": (
            "Din anmälan till {title} gäller inte längre. Meddelandet tar bort den ur din kalender."
        ),
        "session_cancelled_text": "{title} är inställt. Meddelandet tar bort det ur din kalender.",
    },
    "fi": {
        "new": "Kutsu",
        "changed": "Muutos",
        "ended": "Peruutus",
        "session_cancelled": "Peruttu",
        "hello": "Hei {name}!",
        "new_text": "Sinulla on paikka: {title}. Kutsu lisää sen kalenteriisi.",
        "changed_text": "{title} on muuttunut. Kutsu päivittää kalenterisi.",
        "ended_text": (
            "Ilmoittautumisesi ({title}) ei ole enää voimassa. Viesti poistaa sen kalenteristasi."
        ),
        "session_cancelled_text": "{title} on peruttu. Viesti poistaa sen kalenteristasi.",
    },
    "en": {
        "new": "Invitation",
        "changed": "Updated",
        "ended": "Cancelled",
        "session_cancelled": "Cancelled",
        "hello": "Hello {name},",
        "new_text": "You have a place at {title}. The invitation puts it in your calendar.",
        "changed_text": "{title} has changed. The invitation updates your calendar.",
        "ended_text": (
            "Your enrolment in {title} no longer stands. This message removes it from your "
            "calendar."
        ),
        "session_cancelled_text": (
            "{title} is cancelled. This message removes it from your calendar."
        ),
    },
}


@cache
def _words(language: str) -> Words:
    return Words(language if language in LANGUAGES else "en")


def _line(text: str) -> str:
    return " ".join(text.split())


def _title(event: Event, session: Session, language: str) -> str:
    title = event.title.best(language)
    if session.title is not None and len(event.sessions) > 1:
        title = f"{title}: {session.title.best(language)}"
    return _line(title)


def _place(catalogue: Catalogue, event: Event, session: Session, words: Words) -> str | None:
    where = event.location_of(session)
    if where is None:
        return None
    parts = []
    if where.venue is not None:
        parts.append(_line(catalogue.venue(where.venue).name.best(words.language)))
    if where.online is not None:
        parts.append(words["online"])
    return ", ".join(parts) or None


def message_for(delivery: Delivery, catalogue: Catalogue, *, sender: str, now: datetime) -> Message:
    """The e-mail that carries *delivery* to its one recipient, sent at *now*.

    Raises:
        ValidationError: a name or an address cannot be put in a header.
    """
    event = catalogue.event_of(delivery.session)
    session = event.session(delivery.session)
    words = _words(delivery.language)
    phrases = _PHRASES[words.language]
    title = _title(event, session, words.language)
    when = words.span(session.start, session.end, all_day=session.all_day)
    place = _place(catalogue, event, session, words)
    kind = delivery.reason.value
    if delivery.reason is Reason.NEW and delivery.method == "CANCEL":  # pragma: no cover
        kind = "ended"
    paragraphs = [
        phrases["hello"].format(name=_line(delivery.name or "")).replace(" !", "!"),
        phrases[f"{kind}_text"].format(title=title),
        f"{words['time']}: {when}" + (f"\n{words['place']}: {place}" if place else ""),
    ]
    text = "\n\n".join(paragraphs) + "\n"
    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>\n" for p in paragraphs)
    page = (
        f'<!DOCTYPE html>\n<html lang="{words.language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n{body}</body></html>\n"
    )
    calendar = delivery.calendar.encode("utf-8")
    # Every part is base64, which has no "=_": a boundary with it cannot occur in the parts,
    # so the generator need not search the text for a free one.
    boundary = f"=_libkurs_{uuid.uuid4().hex}"
    alternative = MIMEMultipart(
        "alternative",
        boundary=f"{boundary}_a",
        _subparts=[
            MIMEText(text, "plain", "utf-8"),
            MIMEText(page, "html", "utf-8"),
            _binary("text", "calendar", calendar, method=delivery.method, charset="UTF-8"),
        ],
    )
    attachment = _binary("application", "ics", calendar, name="invite.ics")
    attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message = MIMEMultipart("mixed", boundary=f"{boundary}_m", _subparts=[alternative, attachment])
    message["From"] = _mailbox(delivery.organiser_name, sender, "from")
    message["To"] = _mailbox(delivery.name, delivery.recipient, "to")
    subject = f"{phrases[kind]}: {title}, {when}"
    message["Subject"] = (
        subject if subject.isascii() else Header(subject, "utf-8", header_name="Subject").encode()
    )
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("libkurs", domain=sender.rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = words.language
    return message


def _binary(maintype: str, subtype: str, data: bytes, **params: str) -> MIMEBase:
    # typeshed takes the keyword arguments for the policy; they are Content-Type parameters.
    part = MIMEBase(maintype, subtype, **params)  # type: ignore[arg-type]  # typeshed: str params only
    part.set_payload(data)
    encode_base64(part)  # the exact bytes, CRLF and all, whatever the mail path does to lines
    return part


def _mailbox(name: str | None, address: str, where: str) -> str:
    """``Name <address>`` for a header; the name encoded (RFC 2047) when it is not ASCII."""
    if not address.isascii() or any(c in address for c in '<>,;:"\\ \t\r\n'):
        raise ValidationError(f"cannot be written in a mail header: {address!r}", path=where)
    return formataddr((_line(name or ""), address), charset="utf-8")


def wire(message: Message) -> bytes:
    """*message* as it goes over SMTP: lines ending in CRLF."""
    return message.as_bytes(policy=_WIRE)
