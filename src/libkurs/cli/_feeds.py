"""The ``libkurs serve`` and ``libkurs publish`` commands: the feeds of a feeds file.

``libkurs serve CONFIG`` serves the feeds (:func:`libkurs.feeds.app`) on waitress, a
production-grade pure-Python WSGI server, installed with ``pip install 'libkurs[serve]'``; it
listens on 127.0.0.1 unless ``--host`` says otherwise (a reverse proxy in front of it adds TLS).
``libkurs publish CONFIG OUTDIR`` writes the same files into OUTDIR for static hosting.
"""

from __future__ import annotations

import argparse
import logging
import sys

from libkurs.cli._terminal import printable
from libkurs.errors import KursError
from libkurs.feeds import app, load_config, publish
from libkurs.feeds import serve as serve_feeds

__all__ = ["COMMANDS", "add_commands", "serve"]

_DEFAULT_PORT = 8080


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve`` and ``publish`` to the ``libkurs`` command line."""
    serving = commands.add_parser(
        "serve",
        help="serve the feeds of a feeds file over HTTP (needs libkurs[serve])",
        description=(
            "Serve each feed of CONFIG at /NAME.ics and /NAME.jsonld, and an index page at /. "
            "The catalogue is read again when it changes."
        ),
    )
    serving.add_argument("file", metavar="CONFIG", help="the feeds file (TOML)")
    serving.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: %(default)s)"
    )
    serving.add_argument(
        "--port", type=int, default=_DEFAULT_PORT, help="the port (default: %(default)s)"
    )
    serving.add_argument(
        "--threads", type=int, default=8, help="worker threads (default: %(default)s)"
    )
    serving.add_argument(
        "--connections",
        type=int,
        default=1000,
        help="open connections kept at most (default: %(default)s)",
    )
    publishing = commands.add_parser(
        "publish",
        help="write the feeds of a feeds file into a folder, for static hosting",
    )
    publishing.add_argument("file", metavar="CONFIG", help="the feeds file (TOML)")
    publishing.add_argument("outdir", metavar="OUTDIR", help="the folder to write into")


def _publish(args: argparse.Namespace) -> str:
    written = publish(load_config(args.file), args.outdir)
    return f"{printable(args.outdir)}: {len(written)} files written"


def serve(args: argparse.Namespace) -> int:
    """Run ``libkurs serve`` with parsed *args* until interrupted; return the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(levelname)s: %(message)s")
    try:
        feeds = app(args.file)
    except KursError as error:
        print(f"libkurs: {printable(error)}", file=sys.stderr)
        return 1
    except OSError as error:
        print(
            f"libkurs: {printable(error.filename or args.file)}: {error.strerror}", file=sys.stderr
        )
        return 1
    names = ", ".join(f"{feed.name}.ics" for feed in feeds.config.feeds)
    print(f"serving {names} on http://{args.host}:{args.port}/", flush=True)
    try:
        serve_feeds(
            feeds,
            host=args.host,
            port=args.port,
            threads=args.threads,
            connections=args.connections,
        )
    except ModuleNotFoundError:
        print("libkurs: serve needs waitress: pip install 'libkurs[serve]'", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"libkurs: {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


COMMANDS = {"publish": _publish}
