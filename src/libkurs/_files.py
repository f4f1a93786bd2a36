"""Writing files so that a failure half-way leaves the old file as it was."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["replace_atomically"]


def replace_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder, then rename it.

    Readers see the old file or the new one, never a part; a crash or an error leaves the old
    file and no temporary one behind.
    """
    target = Path(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
