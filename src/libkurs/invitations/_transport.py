"""Where messages go: a small :class:`Transport` protocol, with SMTP, Maildir and memory.

A transport sends one message to one recipient, or raises:

- :class:`~libkurs.errors.MailUnavailableError` for what may pass (no connection, a timeout,
  an SMTP 4xx): the engine tries again with back-off;
- :class:`~libkurs.errors.MessageRefusedError` for a 5xx: that recipient's failure, the run
  goes on;
- :class:`~libkurs.errors.MailLoginError` when the server refuses the login: the run stops.

:class:`SMTPTransport` speaks SMTP with :mod:`smtplib` (imported when it first connects):
``smtps://`` is TLS from the first byte (port 465), ``smtp://`` upgrades with STARTTLS (port
587) and refuses a server that does not offer it, except on the loopback interface (a relay on
the same host: the password, if any, never leaves the machine, as with ``libkurs sync`` over
``http://``). Certificates are verified. Without a user name there is no login at all. The
password is never in an error, a ``repr`` or a log.
:class:`MaildirTransport` files each message in a Maildir for review (any mail program opens
one); :class:`MemoryTransport` keeps them in a list, for tests.

Errors never name the recipient's address (the server's answer is cleaned of it).
"""

from __future__ import annotations

import ipaddress
import mailbox
import os
import re
import ssl
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit

import attrs

from libkurs.errors import (
    MailError,
    MailLoginError,
    MailUnavailableError,
    MessageRefusedError,
    ValidationError,
)
from libkurs.invitations._message import wire

if TYPE_CHECKING:
    import smtplib

__all__ = ["MaildirTransport", "MemoryTransport", "SMTPTransport", "Sent", "Transport"]


class Transport(Protocol):
    """Sends one message to one recipient; see the module for what it raises."""

    def send(self, message: Message, *, sender: str, recipient: str) -> None:
        """Hand *message* over for *recipient*; return once it is accepted."""

    def close(self) -> None:
        """Let go of any connection."""


@attrs.frozen(kw_only=True)
class Sent:
    """A message a :class:`MemoryTransport` took: envelope and bytes."""

    sender: str
    recipient: str = attrs.field(repr=False)
    data: bytes = attrs.field(repr=False)


class MemoryTransport:
    """Keeps every message in ``sent``, as bytes on the wire would be (for tests).

    >>> MemoryTransport().sent
    []
    """

    def __init__(self) -> None:
        self.sent: list[Sent] = []

    def __repr__(self) -> str:
        return f"MemoryTransport({len(self.sent)} sent)"

    def send(self, message: Message, *, sender: str, recipient: str) -> None:
        """Keep *message*."""
        data = wire(message)
        self.sent.append(Sent(sender=sender, recipient=recipient, data=data))

    def close(self) -> None:
        """Nothing to close."""


class MaildirTransport:
    """Files each message in the Maildir at *path* (made if missing), for review."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._box: mailbox.Maildir | None = None

    def __repr__(self) -> str:
        return f"MaildirTransport({str(self.path)!r})"

    def send(self, message: Message, *, sender: str, recipient: str) -> None:
        """Add *message* to the Maildir."""
        del sender, recipient  # the headers say them; a Maildir has no envelope
        try:
            if self._box is None:
                self._box = mailbox.Maildir(self.path, create=True)
            self._box.add(message)
        except OSError as error:
            raise MailError(
                f"cannot file the message: {error.strerror or error}", server=str(self.path)
            ) from None

    def close(self) -> None:
        """Let go of the Maildir."""
        self._box = None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _clean(text: str, recipient: str) -> str:
    r"""The server's answer on one line, without the recipient's address (in any case).

    >>> _clean("550 5.1.1 <Anna@Example.org>:\r\n no such user", "anna@example.org")
    '550 5.1.1 <<recipient>>: no such user'
    """
    text = " ".join(text.split())
    if not recipient:
        return text
    return re.sub(re.escape(recipient), "<recipient>", text, flags=re.IGNORECASE)


class SMTPTransport:
    """Sends over SMTP, keeping one connection open across messages.

    *url* is ``smtp://host[:port]`` (STARTTLS, 587 by default) or ``smtps://host[:port]``
    (implicit TLS, 465 by default); a user name may be in it (``smtp://kurs@host``) or given as
    *username*. A password in the URL is refused: pass *password* (the command line reads it
    from ``LIBKURS_SMTP_PASSWORD`` or ``~/.netrc``).

    >>> SMTPTransport("smtp://kurs@mail.example.fi", password="hemligt")
    SMTPTransport('smtp://mail.example.fi:587', username='kurs')

    Raises:
        ValidationError: the URL is not an smtp:// or smtps:// URL, or holds a password.
    """

    def __init__(
        self,
        url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValidationError(
                "the SMTP server must be an smtp://host[:port] or smtps://host[:port] URL",
                path="smtp",
            )
        if parts.password is not None:
            raise ValidationError(
                "a password in the SMTP URL would end up in logs and shell history: give it in "
                "LIBKURS_SMTP_PASSWORD or ~/.netrc",
                path="smtp",
            )
        try:
            port = parts.port
        except ValueError:
            raise ValidationError("the SMTP URL has an invalid port", path="smtp") from None
        self.host = parts.hostname
        self.implicit_tls = scheme == "smtps"
        self.port = port or (465 if self.implicit_tls else 587)
        self.username = (
            username
            if username is not None
            else (unquote(parts.username) if parts.username else None)
        )
        self._password = password
        self.timeout = timeout
        self._context = context
        self._connection: smtplib.SMTP | None = None

    @property
    def server(self) -> str:
        """``host:port``, as errors name it."""
        return f"{self.host}:{self.port}"

    def __repr__(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"SMTPTransport('{scheme}://{self.server}', username={self.username!r})"

    def _connect(self) -> smtplib.SMTP:
        import smtplib

        context = self._context or ssl.create_default_context()
        try:
            connection: smtplib.SMTP
            if self.implicit_tls:
                connection = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            try:
                connection.ehlo()
                if not self.implicit_tls:
                    if connection.has_extn("starttls"):
                        connection.starttls(context=context)
                        connection.ehlo()
                    elif not _loopback(self.host):
                        raise MailError(  # noqa: TRY301 - closes the connection on the way out
                            "the server does not offer STARTTLS: refusing to send in the clear "
                            "(use smtps:// if it speaks TLS from the start)",
                            server=self.server,
                        )
                if self.username is not None:
                    connection.login(self.username, self._password or "")
            except BaseException:
                connection.close()
                raise
        except smtplib.SMTPAuthenticationError as error:
            raise MailLoginError(
                f"the server refused the login of {self.username!r} ({error.smtp_code})",
                server=self.server,
                code=error.smtp_code,
            ) from None
        except ssl.SSLCertVerificationError as error:
            raise MailError(
                f"the server's certificate is not trusted: {error.verify_message}",
                server=self.server,
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise MailUnavailableError(
                f"cannot connect: {_reason(error)}", server=self.server
            ) from None
        return connection

    def send(self, message: Message, *, sender: str, recipient: str) -> None:
        """Send *message* to *recipient* alone; raise as the module says."""
        import smtplib

        if self._connection is None:
            self._connection = self._connect()
        try:
            refused = self._connection.sendmail(sender, [recipient], wire(message))
        except smtplib.SMTPRecipientsRefused as error:
            code, answer = next(iter(error.recipients.values()), (550, b""))
            self._refused(code, answer, recipient)
        except smtplib.SMTPResponseException as error:
            self._refused(error.smtp_code, error.smtp_error, recipient)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise MailUnavailableError(
                f"the connection failed: {_reason(error)}", server=self.server
            ) from None
        if refused:  # pragma: no cover - one recipient: refused raises instead
            code, answer = next(iter(refused.values()))
            self._refused(code, answer, recipient)

    def _refused(self, code: int, answer: bytes | str, recipient: str) -> None:
        text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
        said = f"{code} {_clean(text, recipient)}".strip()
        if 400 <= code < 500:
            self._reset()
            raise MailUnavailableError(f"the server said {said}", server=self.server, code=code)
        self._reset()
        raise MessageRefusedError(f"the server refused: {said}", server=self.server, code=code)

    def _reset(self) -> None:
        if self._connection is None:
            return
        import smtplib  # imported already: a connection is open

        try:
            self._connection.rset()
        except (smtplib.SMTPException, OSError):  # a broken connection is made anew next time
            self.close()

    def close(self) -> None:
        """Say QUIT and close the connection, if one is open."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        import smtplib  # imported already: a connection was open

        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):  # closing anyway
            connection.close()


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
