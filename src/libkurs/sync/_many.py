"""Many calendars at once: :func:`sync_many` runs :func:`~libkurs.sync.sync` for each target.

Targets are independent: each has its own calendar, catalogue (a feed's slice), language,
key, policy, credentials and state file, and each one's failure is its own. They run on a
bounded pool of threads (*jobs*), with at most *per_host* of them talking to one server at a
time (each writing over one connection), so a catalogue of a hundred libraries on one hosted
CalDAV service does not open a hundred connections to it.

Credentials are given by reference (:class:`Credentials`): the name of an environment
variable, or the ``~/.netrc`` entry of the server's host. They are looked up when the target
runs, and never appear in a ``repr``, a report or an error.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import attrs

from libkurs._netrc import netrc_entry
from libkurs.errors import CalendarError, KursError
from libkurs.model import Catalogue
from libkurs.sync._caldav import CalDAVCalendar
from libkurs.sync._directory import DirectoryCalendar
from libkurs.sync._engine import Report, sync
from libkurs.sync._plan import ConflictPolicy
from libkurs.sync._protocol import Calendar

__all__ = ["Credentials", "Target", "TargetResult", "sync_many"]

#: How many targets on one server are synced at the same time, unless told otherwise.
PER_HOST = 4


@attrs.frozen(kw_only=True)
class Credentials:
    """Where a target's password comes from: never the password itself.

    The password is the value of the environment variable *password_variable* when that is
    given (it must then be set), else the password of the ``~/.netrc`` entry of the server's
    host when *netrc* is true (a ``.netrc`` others can read is refused, as curl does).
    """

    username: str | None = None
    """The user name; the ``.netrc`` entry's if None."""
    password_variable: str | None = None
    """The environment variable that holds the password."""
    netrc: bool = True
    """Look in ``~/.netrc`` (``$NETRC``) when no variable is named."""

    def resolve(
        self, url: str, environ: Mapping[str, str] | None = None
    ) -> tuple[str | None, str | None]:
        """The user name and password for *url*.

        Raises:
            libkurs.errors.CalendarError: the variable is not set, or ``.netrc`` is readable
                by others or cannot be read.
        """
        environ = os.environ if environ is None else environ
        host = urlsplit(url).hostname or ""
        if self.password_variable is not None:
            password = environ.get(self.password_variable)
            if not password:
                raise CalendarError(f"${self.password_variable} (the password) is not set")
            username = self.username
            if username is None and self.netrc:
                found = netrc_entry(host, environ)
                username = found[0] if found is not None else None
            if username is None:
                raise CalendarError(f"no user name is known for {host}: give username")
            return username, password
        if not self.netrc:
            return self.username, None
        found = netrc_entry(host, environ)
        if found is None or (self.username is not None and found[0] != self.username):
            return self.username, None
        return found


@attrs.frozen(kw_only=True)
class Target:
    """One calendar to keep in step with one catalogue (typically a feed's slice of it)."""

    name: str
    """The target's name, in reports."""
    catalogue: Catalogue = attrs.field(repr=False)
    """What the calendar should show."""
    calendar: str | Calendar
    """A CalDAV URL, a directory, or any :class:`~libkurs.sync.Calendar`."""
    calendar_name: str | None = None
    """Which calendar on the server, when *calendar* is a server's or principal's URL."""
    language: str | None = None
    """The language to write."""
    key: str | None = None
    """The catalogue key that marks its items (:func:`~libkurs.sync.default_key` if None)."""
    policy: ConflictPolicy = ConflictPolicy.KEEP_CALENDAR
    """What to do with items edited in the calendar."""
    state: Path | None = None
    """The state file (the default state path if None); one per target."""
    credentials: Credentials = Credentials()
    """Where the password comes from."""
    create: bool = False
    """Create a missing directory."""
    uid_domain: str = "libkurs"
    """The right-hand side of every UID."""

    @property
    def host(self) -> str | None:
        """The server's host, for a CalDAV URL; None for a directory or a calendar object."""
        if isinstance(self.calendar, str) and self.calendar.lower().startswith(
            ("http://", "https://")
        ):
            return (urlsplit(self.calendar).hostname or "").lower()
        return None


@attrs.frozen(kw_only=True)
class TargetResult:
    """What became of one target: its report, or the error that stopped it."""

    name: str
    report: Report | None = None
    """The sync's report; None when the target failed before it could run."""
    error: KursError | None = None
    """Why the target did not run; None when it did."""
    seconds: float = 0.0
    """How long the target took."""
    requests: int | None = None
    """How many HTTP requests it sent (CalDAV targets)."""

    @property
    def ok(self) -> bool:
        """Whether the target ran and its calendar is in step."""
        return self.error is None and self.report is not None and self.report.ok


def _open(target: Target, *, dry_run: bool) -> Calendar:
    calendar = target.calendar
    if not isinstance(calendar, str):
        return calendar
    if target.host is not None:
        username, password = target.credentials.resolve(calendar)
        # One connection per target: the concurrency is across targets, at most per_host of
        # them to one server, so per_host stays the number of connections a server sees.
        return CalDAVCalendar(
            calendar,
            calendar=target.calendar_name,
            username=username,
            password=password,
            connections=1,
        )
    folder = Path(calendar)
    if not folder.is_dir():
        if folder.exists():
            raise CalendarError("not a directory", href=str(folder))
        if not target.create:
            raise CalendarError("no such directory (set create to make it)", href=str(folder))
        if dry_run:
            return DirectoryCalendar(folder)  # an empty calendar; a dry run makes nothing
        try:
            folder.mkdir(parents=True)
        except OSError as error:
            raise CalendarError(f"cannot create it: {error.strerror}", href=str(folder)) from None
    return DirectoryCalendar(folder)


def _run_one(
    target: Target,
    gate: threading.BoundedSemaphore | None,
    *,
    dry_run: bool,
    force: bool,
    now: datetime | None,
) -> TargetResult:
    began = time.perf_counter()
    calendar: Calendar | None = None
    if gate is not None:
        gate.acquire()
    try:
        calendar = _open(target, dry_run=dry_run)
        report = sync(
            target.catalogue,
            calendar,
            state=target.state,
            policy=target.policy,
            key=target.key,
            uid_domain=target.uid_domain,
            language=target.language,
            dry_run=dry_run,
            force=force,
            now=now,
        )
    except KursError as error:
        return TargetResult(
            name=target.name,
            error=error,
            seconds=time.perf_counter() - began,
            requests=_requests(calendar),
        )
    except OSError as error:
        wrapped = CalendarError(error.strerror or str(error), href=error.filename)
        return TargetResult(name=target.name, error=wrapped, seconds=time.perf_counter() - began)
    finally:
        if isinstance(calendar, CalDAVCalendar) and calendar is not target.calendar:
            calendar.close()
        if gate is not None:
            gate.release()
    return TargetResult(
        name=target.name,
        report=report,
        seconds=time.perf_counter() - began,
        requests=_requests(calendar),
    )


def _requests(calendar: Calendar | None) -> int | None:
    return calendar.requests_sent if isinstance(calendar, CalDAVCalendar) else None


def sync_many(
    targets: Sequence[Target],
    *,
    jobs: int = 4,
    per_host: int = PER_HOST,
    dry_run: bool = False,
    force: bool = False,
    now: datetime | None = None,
    on_result: Callable[[TargetResult], object] | None = None,
) -> tuple[TargetResult, ...]:
    """Sync every target, *jobs* at a time and at most *per_host* per server; one result each.

    A target that fails (a refused login, a server that is down, a safety refusal) is
    reported in its :class:`TargetResult` and the others go on. Results are in the order of
    *targets*; *on_result* is called with each as soon as it is done.

    >>> import libkurs
    >>> from libkurs.sync import MemoryCalendar, Target, sync_many
    >>> catalogue = libkurs.load("examples/catalogue.json")
    >>> targets = [Target(name=n, catalogue=catalogue, calendar=MemoryCalendar()) for n in "ab"]
    >>> [(r.name, r.report.created) for r in sync_many(targets, jobs=2)]
    [('a', 3), ('b', 3)]

    Raises:
        ValueError: *jobs* or *per_host* is less than 1, or two targets share a name.
    """
    if jobs < 1 or per_host < 1:
        raise ValueError(f"jobs and per_host must be at least 1, got {jobs} and {per_host}")
    names = [target.name for target in targets]
    if len(set(names)) != len(names):
        raise ValueError("two targets share a name")
    gates = {
        host: threading.BoundedSemaphore(per_host)
        for host in {target.host for target in targets}
        if host is not None
    }
    lock = threading.Lock()

    def run(target: Target) -> TargetResult:
        gate = gates.get(target.host) if target.host is not None else None
        result = _run_one(target, gate, dry_run=dry_run, force=force, now=now)
        if on_result is not None:
            with lock:
                on_result(result)
        return result

    if jobs == 1 or len(targets) <= 1:
        return tuple(run(target) for target in targets)
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="libkurs-sync") as pool:
        return tuple(pool.map(run, targets))
