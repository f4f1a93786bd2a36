"""A small IMAP4rev1 server on 127.0.0.1 for the reply tests: the commands imaplib sends to read.

It speaks the real protocol over a socket (greeting, tagged commands, untagged data, literals),
answering just what reading a folder needs: CAPABILITY, LOGIN, EXAMINE/SELECT, UID SEARCH ALL,
UID FETCH … BODY.PEEK[] and LOGOUT. Messages are given as bytes; the server never changes them.
"""

from __future__ import annotations

import re
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_COMMAND = re.compile(rb"(?P<tag>\S+) (?P<verb>UID \S+|\S+)(?: (?P<rest>.*))?")


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server = self.server
        assert isinstance(server, _Server)
        write = self.wfile.write
        write(b"* OK IMAP4rev1 test server ready\r\n")
        while line := self.rfile.readline():
            match = _COMMAND.match(line.rstrip(b"\r\n"))
            if match is None:
                write(b"* BAD what\r\n")
                continue
            tag, verb, rest = match["tag"], match["verb"].upper(), match["rest"] or b""
            server.log.append(verb.decode())
            if verb == b"CAPABILITY":
                write(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
            elif verb == b"LOGIN":
                user, _, password = rest.partition(b" ")
                if (user.strip(b'"'), password.strip(b'"')) == server.account:
                    write(tag + b" OK logged in\r\n")
                else:
                    write(tag + b" NO [AUTHENTICATIONFAILED] wrong\r\n")
            elif verb in {b"EXAMINE", b"SELECT"}:
                if rest.strip(b'"') != server.folder:
                    write(tag + b" NO no such folder\r\n")
                    continue
                write(b"* %d EXISTS\r\n" % len(server.messages))
                write(b"* OK [UIDVALIDITY 1] ok\r\n" + tag + b" OK [READ-ONLY] done\r\n")
            elif verb == b"UID SEARCH":
                uids = b" ".join(b"%d" % n for n in range(1, len(server.messages) + 1))
                write(b"* SEARCH " + uids + b"\r\n" + tag + b" OK done\r\n")
            elif verb == b"UID FETCH":
                uid = int(rest.split(b" ")[0])
                data = server.messages[uid - 1]
                write(b"* %d FETCH (UID %d BODY[] {%d}\r\n" % (uid, uid, len(data)))
                write(data + b")\r\n" + tag + b" OK done\r\n")
            elif verb == b"LOGOUT":
                write(b"* BYE bye\r\n" + tag + b" OK done\r\n")
                return
            else:
                write(tag + b" BAD unknown command\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, messages: list[bytes], account: tuple[bytes, bytes], folder: bytes):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.messages = messages
        self.account = account
        self.folder = folder
        self.log: list[str] = []


@contextmanager
def imap_server(
    messages: list[bytes], *, account=(b"kurs", b"hemligt"), folder=b"INBOX"
) -> Iterator[_Server]:
    """A server holding *messages* in *folder*, for *account*; its ``server_address`` is set."""
    server = _Server(messages, account, folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
