"""The feeds file: feeds and sync targets, described once in TOML.

Read with the standard library's :mod:`tomllib`; every value is checked, and every error is a
:class:`~libkurs.errors.FormatError` that names the file and the path of the value, such as
``feeds[2].filter.languages[0]``. Relative paths (the catalogue, directory targets, the state
folder) are taken from the folder of the feeds file, so a file works from any working
directory. Credentials are never written in the file: a target names the environment variable
that holds its password, or takes it from ``~/.netrc``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import attrs

from libkurs.errors import DataError, FormatError, UnknownIdError
from libkurs.model import HELSINKI, AttendanceMode, EventKind, LocalizedText, Status
from libkurs.model._checks import check_language
from libkurs.sync import ConflictPolicy
from libkurs.sync._many import Credentials

__all__ = ["Feed", "FeedFilter", "FeedsConfig", "TargetConfig", "load_config", "loads_config"]

#: A feed or target name: it becomes a file name and a URL path, so nothing else is allowed.
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}", re.ASCII)
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
#: How often a calendar client should poll a feed, unless the file says otherwise.
DEFAULT_REFRESH = timedelta(hours=6)
#: How long a web cache may keep a feed, unless the file says otherwise.
DEFAULT_MAX_AGE = 300


@attrs.frozen(kw_only=True)
class FeedFilter:
    """Which sessions of the catalogue a feed shows; an empty field does not filter.

    Every field that is given must match (they are combined with *and*); within a field any
    value may match (*or*). Names and places are compared without regard to case.
    """

    programmes: tuple[str, ...] = ()
    """Ids of programmes: the events that are their modules."""
    kinds: tuple[EventKind, ...] = ()
    """Kinds of event (``seminar``, ``webinar`` …)."""
    organisers: tuple[str, ...] = ()
    """Ids of organisations: events any of them organises."""
    audiences: tuple[str, ...] = ()
    """Words looked for in the event's audience, in any language (``bibliotekarier``)."""
    languages: tuple[str, ...] = ()
    """Languages the event is held in (its ``languages``), not the language of the feed."""
    attendance: tuple[AttendanceMode, ...] = ()
    """Attendance modes of the session's location: ``on_site``, ``online``, ``mixed``."""
    places: tuple[str, ...] = ()
    """Municipalities or regions of the session's venue, in any language (``Helsingfors``)."""
    statuses: tuple[Status, ...] = ()
    """Statuses shown; say all but ``cancelled`` to leave cancelled sessions out."""
    start: date | None = None
    """Sessions that end on or after this day (or moment)."""
    end: date | None = None
    """Sessions that start before this day (or moment)."""
    days_back: int | None = None
    """Sessions that ended at most this many days before now."""
    days_ahead: int | None = None
    """Sessions that start at most this many days after now."""


@attrs.frozen(kw_only=True)
class Feed:
    """One subscribable feed: a name, its language(s), and which sessions it shows."""

    name: str
    """The file and URL name: ``NAME.ics`` and ``NAME.jsonld``."""
    language: str
    """The language the feed is written in (falling back along the catalogue's chain)."""
    second_language: str | None = None
    """A second language, added to every title (``Slutseminarium / Loppuseminaari``)."""
    title: LocalizedText | None = None
    """The calendar's name (``NAME``, ``X-WR-CALNAME``); the catalogue's name if None."""
    filter: FeedFilter = FeedFilter()
    """Which sessions it shows."""


@attrs.frozen(kw_only=True)
class TargetConfig:
    """One calendar to keep in step with one feed, as the feeds file describes it."""

    name: str
    """The target's name, in reports and state file names."""
    feed: str
    """The name of the feed whose sessions and language it gets."""
    calendar: str
    """An ``http(s)://`` URL of a CalDAV calendar (or server, with *calendar_name*), or a
    directory (relative to the feeds file)."""
    calendar_name: str | None = None
    """Which calendar on the server, when *calendar* is not a calendar's URL."""
    key: str | None = None
    """The catalogue key that marks its items; the catalogue's default key if None."""
    policy: ConflictPolicy = ConflictPolicy.KEEP_CALENDAR
    """What to do with items edited in the calendar."""
    state: Path | None = None
    """The state file; ``<state_dir>/<name>.json``, else the default state path, if None."""
    credentials: Credentials = attrs.field(factory=Credentials)
    """Where the password comes from, by reference."""
    create: bool = False
    """Create a missing directory target."""


@attrs.frozen(kw_only=True)
class FeedsConfig:
    """A whole feeds file: the catalogue, its feeds, and the calendars to sync."""

    catalogue: Path
    """The catalogue file (any format libkurs reads)."""
    feeds: tuple[Feed, ...]
    """The feeds, in the order of the index page."""
    targets: tuple[TargetConfig, ...] = ()
    """The calendars to keep in step."""
    base_url: str | None = None
    """Where the feeds are served (``https://example.org/kalender/``): for ``webcal://`` links
    in a published index; a served index uses the address it was asked at."""
    refresh: timedelta = DEFAULT_REFRESH
    """How often a calendar client should poll (``REFRESH-INTERVAL``, ``X-PUBLISHED-TTL``)."""
    max_age: int = DEFAULT_MAX_AGE
    """Seconds a web cache may keep an answer (``Cache-Control: max-age``)."""
    uid_domain: str = "libkurs"
    """The right-hand side of every UID."""
    state_dir: Path | None = None
    """The folder of the targets' state files (one per target)."""
    source: Path | None = None
    """The feeds file this was read from."""

    def feed(self, name: str) -> Feed:
        """The feed called *name*.

        Raises:
            libkurs.errors.UnknownIdError: no feed has that name (also a :class:`KeyError`).
        """
        for feed in self.feeds:
            if feed.name == name:
                return feed
        raise UnknownIdError(name, expected="feed")


def load_config(path: str | Path) -> FeedsConfig:
    """Read the feeds file at *path*.

    Raises:
        libkurs.errors.FormatError: the file is not TOML, or a value is wrong; the error names
            the file and the value's path.
        OSError: the file cannot be read.
    """
    path = Path(path)
    return loads_config(path.read_bytes(), base=path.parent, source=path)


def loads_config(
    data: str | bytes, *, base: str | Path = ".", source: str | Path | None = None
) -> FeedsConfig:
    """Read a feeds file from *data*; relative paths are taken from the folder *base*.

    Raises:
        libkurs.errors.FormatError: not TOML, or a value is wrong (the error names its path).
    """
    where = str(source) if source is not None else None
    text = data.decode("utf-8", errors="strict") if isinstance(data, bytes) else data
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.14 gives lineno and msg; before it, only the message says where.
        found = re.search(r" \(at line (\d+), column \d+\)$", str(error))
        line = getattr(error, "lineno", None) or (int(found[1]) if found else None)
        reason = getattr(error, "msg", None) or re.sub(r" \(at (line|end).*\)$", "", str(error))
        raise FormatError(f"not valid TOML: {reason}", source=where, line=line) from None
    try:
        return _Reader(Path(base), Path(source) if source is not None else None).config(document)
    except DataError as error:
        error.source = where
        raise


class _Reader:
    def __init__(self, base: Path, source: Path | None) -> None:
        self.base = base
        self.source = source

    def config(self, document: Mapping[str, object]) -> FeedsConfig:
        _known(document, "", {"catalogue", "base_url", "refresh_minutes", "max_age", "uid_domain",
                              "state_dir", "feeds", "targets"})  # fmt: skip
        catalogue = _text(document.get("catalogue"), "catalogue")
        base_url = _optional_text(document.get("base_url"), "base_url")
        if base_url is not None and not re.match(r"https?://[^/\s]+", base_url):
            raise FormatError("must be an http:// or https:// URL", path="base_url")
        refresh = _count(document.get("refresh_minutes", 360), "refresh_minutes", least=1)
        max_age = _count(document.get("max_age", DEFAULT_MAX_AGE), "max_age", least=0)
        uid_domain = _text(document.get("uid_domain", "libkurs"), "uid_domain")
        state_dir = _optional_text(document.get("state_dir"), "state_dir")
        feeds = tuple(
            self.feed(item, f"feeds[{n}]")
            for n, item in enumerate(_tables(document.get("feeds"), "feeds", required=True))
        )
        _unique([feed.name for feed in feeds], "feeds")
        names = {feed.name for feed in feeds}
        targets = tuple(
            self.target(item, f"targets[{n}]", names)
            for n, item in enumerate(_tables(document.get("targets"), "targets"))
        )
        _unique([target.name for target in targets], "targets")
        config = FeedsConfig(
            catalogue=self.base / catalogue,
            feeds=feeds,
            targets=targets,
            base_url=base_url.rstrip("/") + "/" if base_url else None,
            refresh=timedelta(minutes=refresh),
            max_age=max_age,
            uid_domain=uid_domain,
            state_dir=self.base / state_dir if state_dir is not None else None,
            source=self.source,
        )
        _check_shared_calendars(config)
        return config

    def feed(self, table: Mapping[str, object], path: str) -> Feed:
        _known(table, path, {"name", "language", "second_language", "title", "filter"})
        name = _name(table.get("name"), f"{path}.name")
        language = _language(table.get("language"), f"{path}.language")
        second = table.get("second_language")
        title = table.get("title")
        filter_table = table.get("filter", {})
        if not isinstance(filter_table, Mapping):
            raise FormatError("must be a table", path=f"{path}.filter")
        return Feed(
            name=name,
            language=language,
            second_language=(
                _language(second, f"{path}.second_language") if second is not None else None
            ),
            title=_localized(title, f"{path}.title") if title is not None else None,
            filter=_filter(filter_table, f"{path}.filter"),
        )

    def target(self, table: Mapping[str, object], path: str, feeds: set[str]) -> TargetConfig:
        _known(table, path, {"name", "feed", "calendar", "calendar_name", "key", "policy",
                             "state", "username", "password_env", "netrc", "create"})  # fmt: skip
        if "password" in table:
            raise FormatError(
                "a password is never written in the feeds file: name the environment variable "
                "that holds it (password_env), or keep it in ~/.netrc",
                path=f"{path}.password",
            )
        name = _name(table.get("name"), f"{path}.name")
        feed = _text(table.get("feed"), f"{path}.feed")
        if feed not in feeds:
            raise FormatError(f"no feed is called {feed!r}", path=f"{path}.feed")
        calendar = _text(table.get("calendar"), f"{path}.calendar")
        url = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", calendar)
        if url and not calendar.lower().startswith(("http://", "https://")):
            raise FormatError(
                "must be a directory or an http:// or https:// URL", path=f"{path}.calendar"
            )
        if url and re.match(r"[^:]+://[^/@]*@", calendar):
            raise FormatError(
                "credentials are never written in the URL: use username and password_env",
                path=f"{path}.calendar",
            )
        if not url:
            calendar = str(self.base / calendar)
        policy_text = _text(
            table.get("policy", ConflictPolicy.KEEP_CALENDAR.value), f"{path}.policy"
        )
        policy = _choice(ConflictPolicy, policy_text, f"{path}.policy")
        variable = _optional_text(table.get("password_env"), f"{path}.password_env")
        if variable is not None and not _VARIABLE.fullmatch(variable):
            raise FormatError(
                "must be the name of an environment variable", path=f"{path}.password_env"
            )
        state = _optional_text(table.get("state"), f"{path}.state")
        key = _optional_text(table.get("key"), f"{path}.key")
        return TargetConfig(
            name=name,
            feed=feed,
            calendar=calendar,
            calendar_name=_optional_text(table.get("calendar_name"), f"{path}.calendar_name"),
            key=key,
            policy=policy,
            state=self.base / state if state is not None else None,
            credentials=Credentials(
                username=_optional_text(table.get("username"), f"{path}.username"),
                password_variable=variable,
                netrc=_flag(table.get("netrc", True), f"{path}.netrc"),
            ),
            create=_flag(table.get("create", False), f"{path}.create"),
        )


def _filter(table: Mapping[str, object], path: str) -> FeedFilter:
    _known(table, path, {"programmes", "kinds", "organisers", "audiences", "languages",
                         "attendance", "places", "statuses", "start", "end", "days_back",
                         "days_ahead"})  # fmt: skip

    def texts(name: str) -> tuple[str, ...]:
        return tuple(
            _text(value, f"{path}.{name}[{n}]") for n, value in enumerate(_list(table, name, path))
        )

    languages = texts("languages")
    for n, language in enumerate(languages):
        _language(language, f"{path}.languages[{n}]")
    start = _day(table.get("start"), f"{path}.start")
    end = _day(table.get("end"), f"{path}.end")
    if start is not None and end is not None and _as_datetime(end) <= _as_datetime(start):
        raise FormatError("must be after start", path=f"{path}.end")
    days_back = table.get("days_back")
    days_ahead = table.get("days_ahead")
    return FeedFilter(
        programmes=texts("programmes"),
        kinds=tuple(
            _choice(EventKind, kind, f"{path}.kinds[{n}]") for n, kind in enumerate(texts("kinds"))
        ),
        organisers=texts("organisers"),
        audiences=texts("audiences"),
        languages=languages,
        attendance=tuple(
            _choice(AttendanceMode, mode, f"{path}.attendance[{n}]")
            for n, mode in enumerate(texts("attendance"))
        ),
        places=texts("places"),
        statuses=tuple(
            _choice(Status, status, f"{path}.statuses[{n}]")
            for n, status in enumerate(texts("statuses"))
        ),
        start=start,
        end=end,
        days_back=_count(days_back, f"{path}.days_back") if days_back is not None else None,
        days_ahead=_count(days_ahead, f"{path}.days_ahead") if days_ahead is not None else None,
    )


def _as_datetime(value: date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=HELSINKI)


def _check_shared_calendars(config: FeedsConfig) -> None:
    """Refuse two targets that would write into one calendar with one key, or share a state."""
    seen: dict[tuple[str, str | None, str | None], int] = {}
    states: dict[Path, int] = {}
    for n, target in enumerate(config.targets):
        where = (target.calendar.rstrip("/"), target.calendar_name, target.key)
        if where in seen:
            raise FormatError(
                f"writes into the same calendar with the same key as targets[{seen[where]}], "
                "so each would delete the other's items: give one of them its own key",
                path=f"targets[{n}].calendar",
            )
        seen[where] = n
        if target.state is not None:
            state = target.state.resolve()
            if state in states:
                raise FormatError(
                    f"is the state file of targets[{states[state]}] too: each target needs its own",
                    path=f"targets[{n}].state",
                )
            states[state] = n


# --- values ---------------------------------------------------------------------------------


def _known(table: Mapping[str, object], path: str, names: set[str]) -> None:
    for name in table:
        if name not in names:
            where = f"{path}.{name}" if path else name
            raise FormatError(
                f"unknown field; expected one of {', '.join(sorted(names))}", path=where
            )


def _tables(value: object, path: str, *, required: bool = False) -> list[Mapping[str, object]]:
    if value is None:
        if required:
            raise FormatError(f"missing: give at least one [[{path}]] table", path=path)
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise FormatError(f"must be an array of tables ([[{path}]])", path=path)
    if required and not value:
        raise FormatError(f"give at least one [[{path}]] table", path=path)
    return value


def _list(table: Mapping[str, object], name: str, path: str) -> Sequence[object]:
    value = table.get(name, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise FormatError("must be a list", path=f"{path}.{name}")
    return value


def _text(value: object, path: str) -> str:
    if value is None:
        raise FormatError("missing", path=path)
    if not isinstance(value, str) or not value.strip():
        raise FormatError("must be a non-empty string", path=path)
    return value


def _optional_text(value: object, path: str) -> str | None:
    return None if value is None else _text(value, path)


def _name(value: object, path: str) -> str:
    text = _text(value, path)
    if not NAME.fullmatch(text):
        raise FormatError(
            f"{text!r} is not a name: use a-z, 0-9, '-' and '_' (it becomes a file name)",
            path=path,
        )
    return text


def _language(value: object, path: str) -> str:
    text = _text(value, path)
    try:
        check_language(text, path)
    except DataError as error:
        raise FormatError(
            f"{text!r} is not a language tag such as sv, fi or en", path=path
        ) from error
    return text


def _localized(value: object, path: str) -> LocalizedText:
    if isinstance(value, str):
        raise FormatError('must be a table of language = text, such as { sv = "…" }', path=path)
    if not isinstance(value, Mapping) or not value:
        raise FormatError("must be a table of language = text", path=path)
    texts = {}
    for language, text in value.items():
        texts[_language(language, f"{path}.{language}")] = _text(text, f"{path}.{language}")
    return LocalizedText(texts)


def _count(value: object, path: str, *, least: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise FormatError(f"must be a whole number, at least {least}", path=path)
    return value


def _flag(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise FormatError("must be true or false", path=path)
    return value


def _day(value: object, path: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise FormatError(
                "a moment needs its offset, such as 2026-09-01T09:00:00+03:00", path=path
            )
        return value
    if isinstance(value, date):
        return value
    raise FormatError("must be a date (2026-09-01) or a moment with its offset", path=path)


_E = TypeVar("_E", EventKind, AttendanceMode, Status, ConflictPolicy)


def _choice(kind: type[_E], value: str, path: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise FormatError(f"{value!r} is not one of {choices}", path=path) from None


def _unique(names: list[str], path: str) -> None:
    seen: dict[str, int] = {}
    for n, name in enumerate(names):
        if name in seen:
            raise FormatError(
                f"{name!r} is the name of {path}[{seen[name]}] too", path=f"{path}[{n}].name"
            )
        seen[name] = n
