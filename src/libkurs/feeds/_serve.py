"""Serving the feeds on waitress: the one place libkurs imports a WSGI server, and lazily.

waitress is a production-grade pure-Python WSGI server (HTTP/1.1, keep-alive, a bounded pool
of worker threads, no C extension), installed with ``pip install 'libkurs[serve]'``.
"""

from __future__ import annotations

import importlib

from libkurs.feeds._app import FeedsApp

__all__ = ["serve"]


def serve(
    feeds: FeedsApp,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    threads: int = 8,
    connections: int = 1000,
) -> None:
    """Serve *feeds* on *host*:*port* until the process is stopped.

    Raises:
        ModuleNotFoundError: waitress is not installed (``pip install 'libkurs[serve]'``).
        OSError: the address cannot be listened on (the port is taken …).
    """
    waitress = importlib.import_module("waitress")  # untyped, and only paid for here
    waitress.serve(
        feeds,
        host=host,
        port=port,
        threads=threads,
        connection_limit=connections,
        ident="libkurs",
    )
