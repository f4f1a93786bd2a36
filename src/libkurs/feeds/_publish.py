"""Static publishing: the same files the application serves, written into a folder.

Any web server can then serve the folder (and answer ``ETag`` and ``If-Modified-Since`` from
the files as it does for any file). Each file is replaced atomically, and one that would be
the same is not written again, so its modification time says when it last changed.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from libkurs._api import load
from libkurs._files import replace_atomically
from libkurs.feeds._config import FeedsConfig, load_config
from libkurs.feeds._render import index_page, render_feeds

__all__ = ["publish"]


def publish(
    config: FeedsConfig | str | os.PathLike[str],
    folder: str | os.PathLike[str],
    *,
    now: datetime | None = None,
) -> tuple[Path, ...]:
    """Write each feed of *config* (``NAME.ics``, ``NAME.jsonld``) and ``index.html`` to *folder*.

    The index page links the feeds with ``webcal://`` when the feeds file gives ``base_url``,
    and relatively otherwise. Returns the files written (those that changed); the folder is
    made if it is missing. Everything is rendered before the first file is written, so a
    catalogue that does not validate changes nothing.

    Raises:
        libkurs.errors.KursError: the feeds file or the catalogue is wrong.
        OSError: the folder or a file cannot be written.
    """
    if not isinstance(config, FeedsConfig):
        config = load_config(Path(config))
    catalogue = load(config.catalogue)
    files = render_feeds(config, catalogue, now=now)
    index = index_page(config, catalogue, files, base=config.base_url)
    contents = {name: file.body for name, file in files.items()}
    contents["index.html"] = index
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in contents.items():
        path = target / name
        try:
            if path.read_bytes() == body:
                continue
        except OSError:
            pass
        replace_atomically(path, body)
        written.append(path)
    return tuple(written)
