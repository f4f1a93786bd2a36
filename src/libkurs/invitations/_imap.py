"""Reading an IMAP folder (RFC 9051) for replies, with :mod:`imaplib` (imported only here, lazily).

Messages are fetched with ``BODY.PEEK[]``, so they stay unread for the person who also reads
the mailbox. ``imaps://`` is TLS from the first byte; ``imap://`` upgrades with STARTTLS and
refuses a server that does not offer it, except on the loopback interface. Certificates are
verified; the password is never in an error.
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from libkurs.errors import MailError, MailLoginError, MailUnavailableError, ValidationError
from libkurs.invitations._transport import _loopback

if TYPE_CHECKING:
    import imaplib

__all__ = ["imap_messages"]


def _connect(
    scheme: str, host: str, port: int, *, timeout: float, context: ssl.SSLContext
) -> imaplib.IMAP4:
    import imaplib

    server = f"{host}:{port}"
    try:
        if scheme == "imaps":
            return imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
        client = imaplib.IMAP4(host, port, timeout=timeout)
        if "STARTTLS" in client.capabilities:
            client.starttls(ssl_context=context)
        elif not _loopback(host):
            client.shutdown()
            raise MailError("the server does not offer STARTTLS", server=server)
    except ssl.SSLCertVerificationError as error:
        raise MailError(
            f"the server's certificate is not trusted: {error.verify_message}", server=server
        ) from None
    except (imaplib.IMAP4.error, OSError) as error:
        raise MailUnavailableError(f"cannot connect: {error}", server=server) from None
    return client


def _read(client: imaplib.IMAP4, folder: str, server: str) -> list[tuple[str, bytes]]:
    import imaplib

    found: list[tuple[str, bytes]] = []
    try:
        status, _ = client.select(_quoted(folder), readonly=True)
        if status != "OK":
            raise MailUnavailableError(f"no folder {folder!r}", server=server)
        status, data = client.uid("SEARCH", "ALL")
        numbers = (data[0] or b"").split() if status == "OK" and data else []
        for number in numbers:
            status, fetched = client.uid("FETCH", number.decode(), "(BODY.PEEK[])")
            for item in fetched:
                if isinstance(item, tuple) and len(item) == 2:
                    found.append((f"{server}/{folder}: {number.decode()}", bytes(item[1])))
    except (imaplib.IMAP4.error, OSError) as error:
        raise MailUnavailableError(f"reading {folder!r} failed: {error}", server=server) from None
    return found


def imap_messages(
    url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    timeout: float = 30.0,
    context: ssl.SSLContext | None = None,
) -> list[tuple[str, bytes]]:
    """The messages of an IMAP folder, read without marking them seen.

    *url* is ``imaps://host[:port]/FOLDER`` (TLS, 993) or ``imap://host[:port]/FOLDER``
    (STARTTLS, 143; plain only on the loopback interface, where a password never leaves the
    machine); the folder defaults to ``INBOX``. Without a user name there is no login (a
    server that greets with PREAUTH).

    Raises:
        ValidationError: the URL is not an IMAP URL, or holds a password.
        MailLoginError: the server refused the login.
        MailUnavailableError: the server cannot be reached, or the folder selected.
        MailError: the server offers no TLS, or its certificate is not trusted.
    """
    import imaplib

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"imap", "imaps"} or not parts.hostname:
        raise ValidationError("expected an imap:// or imaps:// URL", path="imap")
    if parts.password is not None:
        raise ValidationError("a password in the IMAP URL is refused", path="imap")
    host = parts.hostname
    try:
        port = parts.port or (993 if scheme == "imaps" else 143)
    except ValueError:
        raise ValidationError("the IMAP URL has an invalid port", path="imap") from None
    server = f"{host}:{port}"
    folder = unquote(parts.path.strip("/")) or "INBOX"
    username = username if username is not None else (unquote(parts.username or "") or None)
    context = context or ssl.create_default_context()
    client = _connect(scheme, host, port, timeout=timeout, context=context)
    try:
        if username is not None:
            try:
                client.login(username, password or "")
            except imaplib.IMAP4.error:
                raise MailLoginError(
                    f"the server refused the login of {username!r}", server=server
                ) from None
        return _read(client, folder, server)
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            client.shutdown()


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
