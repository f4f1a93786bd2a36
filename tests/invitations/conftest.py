"""A real SMTP server (aiosmtpd) on 127.0.0.1, started for each test that asks for one."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Inbox:
    """What the server received, and how it should answer (for failure tests)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refuse: dict[str, str] = {}
        """Recipient → the answer to RCPT TO (``550 …`` for good, ``451 …`` for now)."""
        self.busy = 0
        """How many RCPT TO to answer ``451`` before accepting again."""
        self.logins: list[bytes] = []
        """The user names that logged in."""
        self.lock = threading.Lock()

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        """Accept the account kurs / hemligt only."""
        ok = (auth_data.login, auth_data.password) == (b"kurs", b"hemligt")
        if ok:
            self.logins.append(auth_data.login)
        return AuthResult(success=ok, handled=False)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if address in self.refuse:
                return self.refuse[address]
            if self.busy:
                self.busy -= 1
                return "451 4.3.2 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 Accepted"

    def messages(self) -> list[bytes]:
        """The bytes of every message received, in order."""
        with self.lock:
            return [data for _, _, data in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, Inbox]]:
    """``(url, inbox)`` of an SMTP server listening on 127.0.0.1 for this test."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries happen at once in tests."""
    monkeypatch.setenv("LIBKURS_NO_BACKOFF", "1")
