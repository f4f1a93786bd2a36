"""From the feeds file's targets to :class:`libkurs.sync.Target` values, and shards of them."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import datetime

from libkurs._api import load
from libkurs.feeds._config import FeedsConfig, TargetConfig
from libkurs.feeds._render import feed_catalogue
from libkurs.model import Catalogue
from libkurs.sync import Target

__all__ = ["shard", "targets"]


def shard(items: Sequence[TargetConfig], index: int, count: int) -> tuple[TargetConfig, ...]:
    """The targets of shard *index* (1 to *count*): those whose name hashes to it.

    A target's shard depends only on its name (CRC-32 of it, modulo *count*), so adding or
    removing a target moves no other, and every worker given the same file and *count* agrees.

    Raises:
        ValueError: *index* is not between 1 and *count*.
    """
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"a shard is 1 to {count}, not {index}")
    return tuple(t for t in items if zlib.crc32(t.name.encode()) % count == index - 1)


def targets(
    config: FeedsConfig,
    catalogue: Catalogue | None = None,
    *,
    only: Sequence[TargetConfig] | None = None,
    now: datetime | None = None,
) -> tuple[Target, ...]:
    """One :class:`libkurs.sync.Target` per target of *config* (or *only*), with its feed's slice.

    *catalogue* is the config's catalogue file, read here if None. Each target gets the public
    part of the catalogue its feed shows, in the feed's language; its state file is the one
    the target names, else ``<state_dir>/<name>.json``, else the default state path.

    Raises:
        libkurs.errors.KursError: the catalogue does not load.
    """
    if catalogue is None:
        catalogue = load(config.catalogue)
    slices: dict[str, Catalogue] = {}
    made = []
    for item in config.targets if only is None else only:
        feed = config.feed(item.feed)
        if feed.name not in slices:
            slices[feed.name] = feed_catalogue(catalogue, feed, now=now)
        state = item.state
        if state is None and config.state_dir is not None:
            state = config.state_dir / f"{item.name}.json"
        made.append(
            Target(
                name=item.name,
                catalogue=slices[feed.name],
                calendar=item.calendar,
                calendar_name=item.calendar_name,
                language=feed.language,
                key=item.key,
                policy=item.policy,
                state=state,
                credentials=item.credentials,
                create=item.create,
                uid_domain=config.uid_domain,
            )
        )
    return tuple(made)
