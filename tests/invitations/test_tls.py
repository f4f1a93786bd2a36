"""SMTP over TLS: STARTTLS and implicit TLS against aiosmtpd, with a certificate made for it."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller

from invitations.conftest import Inbox, free_port
from invitations.helpers import NOW, SENDER, course, enrolled
from libkurs.errors import MailError
from libkurs.invitations import Journal, SMTPTransport, deliver


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: (certificate file, key file)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate for the TLS tests")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def _server_context(certificate) -> ssl.SSLContext:
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


@pytest.fixture
def starttls_server(certificate):
    """An SMTP server on 127.0.0.1 that requires STARTTLS before anything else."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=_server_context(certificate),
        require_starttls=True,
        authenticator=inbox.authenticate,
    )
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()


def test_starttls_with_a_login_sends_and_verifies_the_certificate(starttls_server, certificate):
    """smtp:// upgrades with STARTTLS, logs in over TLS, sends; the certificate is verified."""
    url, inbox = starttls_server
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    transport = SMTPTransport(url, username="kurs", password="hemligt", context=trusted)
    catalogue = course(capacity=3)
    report = deliver(
        enrolled(catalogue, 3), catalogue, Journal(), transport, sender=SENDER, now=NOW
    )
    assert report.sent == 3
    assert inbox.logins == [b"kurs"]
    assert len(inbox.received) == 3


def test_an_untrusted_certificate_stops_the_run_before_the_login(starttls_server):
    """The system's trust store does not know the test certificate: MailError, nothing sent."""
    url, inbox = starttls_server
    transport = SMTPTransport(url, username="kurs", password="hemligt")
    catalogue = course(capacity=3)
    with pytest.raises(MailError, match="certificate is not trusted"):
        deliver(enrolled(catalogue, 3), catalogue, Journal(), transport, sender=SENDER, now=NOW)
    assert inbox.logins == []
    assert inbox.received == []


def test_implicit_tls_on_smtps(certificate):
    """smtps:// speaks TLS from the first byte."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, ssl_context=_server_context(certificate)
    )
    controller.start()
    try:
        trusted = ssl.create_default_context(cafile=str(certificate[0]))
        transport = SMTPTransport(f"smtps://127.0.0.1:{port}", context=trusted)
        catalogue = course(capacity=2)
        report = deliver(
            enrolled(catalogue, 2), catalogue, Journal(), transport, sender=SENDER, now=NOW
        )
    finally:
        controller.stop()
    assert report.sent == 2
    assert len(inbox.received) == 2
