"""Passwords from ``~/.netrc`` (or the file ``$NETRC`` names), read as ftp and curl read them.

One reader for every part of libkurs that logs in somewhere (the sync command, the sync of
many targets, the invitation and reply commands): a file that others can read is refused, as
ftp and curl refuse it, and a file that cannot be parsed is an error that names its line.
"""

from __future__ import annotations

import netrc
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from libkurs.errors import CalendarError

__all__ = ["netrc_entry", "netrc_path"]


def netrc_path(environ: Mapping[str, str] | None = None) -> Path:
    """The netrc file: ``$NETRC``, else ``~/.netrc``."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("NETRC") or Path.home() / ".netrc")


def netrc_entry(
    host: str, environ: Mapping[str, str] | None = None
) -> tuple[str | None, str | None] | None:
    """The user name and password the netrc file gives *host*, or None without an entry.

    Raises:
        CalendarError: the file can be read by others, or cannot be parsed (with its line).
    """
    path = netrc_path(environ)
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CalendarError(
            f"{path} can be read by others (mode {stat.S_IMODE(mode):o}), so its passwords are "
            f"not used: run chmod 600 {path}"
        )
    try:
        found = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as error:
        raise CalendarError(f"{path}: line {error.lineno}: cannot be read: {error.msg}") from None
    except OSError:
        return None
    return (found[0] or None, found[2] or None) if found is not None else None
