"""One catalogue, many calendars: subscribable feeds, and the calendars to keep in step.

A *feeds file* (TOML, :func:`load_config`) names the catalogue, its feeds (:class:`Feed`: a
name, a language or a pair, a :class:`FeedFilter`) and the calendars to sync
(:class:`TargetConfig`). :func:`app` serves the feeds as a WSGI application (:func:`serve`
runs it on waitress), :func:`publish` writes them into a folder for static hosting, and
:func:`targets` turns the file's targets into :class:`libkurs.sync.Target` values for
:func:`libkurs.sync.sync_many`.

>>> from libkurs.feeds import load_config, targets
>>> config = load_config("examples/feeds.toml")
>>> [feed.name for feed in config.feeds]
['alla', 'verkossa-fi', 'seminarier']
>>> [(t.name, t.language) for t in targets(config)]
[('bibliotek-lokal', 'sv')]
"""

from libkurs.feeds._app import FeedsApp, app
from libkurs.feeds._config import (
    Feed,
    FeedFilter,
    FeedsConfig,
    TargetConfig,
    load_config,
    loads_config,
)
from libkurs.feeds._filter import select
from libkurs.feeds._publish import publish
from libkurs.feeds._render import FeedFile, render_feeds
from libkurs.feeds._serve import serve
from libkurs.feeds._targets import shard, targets

__all__ = [
    "Feed",
    "FeedFile",
    "FeedFilter",
    "FeedsApp",
    "FeedsConfig",
    "TargetConfig",
    "app",
    "load_config",
    "loads_config",
    "publish",
    "render_feeds",
    "select",
    "serve",
    "shard",
    "targets",
]
