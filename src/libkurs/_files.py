"""Writing files so that a failure half-way leaves the old file as it was."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["replace_atomically"]


def _mode_for(target: Path) -> int:
    """The permissions the written file gets: the old file's, else what the umask allows."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def replace_atomically(path: str | os.PathLike[str], data: bytes, *, private: bool = False) -> None:
    """Write *data* to *path* through a temporary file in the same folder, then rename it.

    Readers see the old file or the new one, never a part; a crash or an error leaves the old
    file and no temporary one behind. A symbolic link is followed (its target is replaced), and
    the file keeps its permissions (a new one gets the umask's), unless *private*: then it is
    readable by its owner only, as personal data should be.
    """
    target = Path(path).resolve()
    mode = 0o600 if private else _mode_for(target)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).chmod(mode)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
