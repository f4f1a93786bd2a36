"""The engine: read what changed, plan, and apply the plan with conditional writes.

One run of :func:`sync`:

1. asks the calendar what changed since the saved sync token (RFC 6578), or lists it all when
   there is no token, the token is refused, or the calendar keeps none;
2. reads (multiget) only the items whose etag the state does not know;
3. plans (:func:`libkurs.sync.plan`), with the safety valve and the conflict policy;
4. applies each step with its precondition: ``If-None-Match: *`` to create, ``If-Match`` to
   update and delete. A refused precondition means someone else wrote there: the item is read
   again and planned again, never overwritten blindly. An item the server refuses (403, 409,
   412, 507, with or without a CalDAV precondition, or a redirect) is reported ``failed``
   with the server's reason, and the run goes on; only a refused login stops it. When the
   server stays unavailable (each request retried by its :class:`~libkurs.sync.RetryPolicy`)
   for several items in a row, the run stops early and says so in :attr:`Report.aborted`;
5. commits each item's outcome to the state as soon as it is written, and the new sync token
   when the run is over.
"""

from __future__ import annotations

import enum
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import attrs

from libkurs.errors import (
    AuthenticationError,
    CalendarError,
    ItemNotFoundError,
    KursError,
    PreconditionFailedError,
    TransportError,
)
from libkurs.model import Catalogue
from libkurs.sync._caldav import CalDAVCalendar, check_connections
from libkurs.sync._content import Entry, read_entry
from libkurs.sync._directory import DirectoryCalendar
from libkurs.sync._plan import (
    MAX_DELETE_SHARE,
    Action,
    ConflictPolicy,
    Plan,
    Step,
    check_plan,
    check_share,
    default_key,
    desired_items,
    plan_items,
    refusal,
)
from libkurs.sync._protocol import Calendar
from libkurs.sync._render import Desired
from libkurs.sync._state import SyncState, default_state_path

__all__ = ["Outcome", "Report", "Result", "calendar_address", "sync"]

_ATTEMPTS = 3
#: After this many items in a row fail for a transport failure (each already retried), the
#: server is taken to be unavailable and the run stops.
GIVE_UP_AFTER = 3


class Outcome(enum.Enum):
    """What became of one item in a sync."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    FAILED = "failed"


_PLANNED = {
    Action.CREATE: Outcome.CREATED,
    Action.UPDATE: Outcome.UPDATED,
    Action.DELETE: Outcome.DELETED,
    Action.UNCHANGED: Outcome.UNCHANGED,
    Action.CONFLICT: Outcome.CONFLICT,
}


@attrs.frozen(kw_only=True)
class Result:
    """The outcome of one item, and why."""

    outcome: Outcome
    uid: str
    href: str
    reason: str
    session: str | None = None


@attrs.frozen(kw_only=True)
class Report:
    """What a sync did (or, with ``dry_run``, would do): one result per item of ours.

    Attributes:
        results: One per session of the catalogue and per item of ours in the calendar.
        foreign: How many items of the calendar are not ours (and were left alone).
        dry_run: True when nothing was written.
        refused: In a dry run, why the safety valve would refuse to run this plan (it deletes
            too much; the results say what it would delete); None when it would not.
        aborted: Why the run stopped before trying every item (the server stayed
            unavailable); None when it tried them all. The results say what was done.
        planned: How many steps the plan had (the results may hold more after a retry).
    """

    results: tuple[Result, ...] = ()
    foreign: int = 0
    dry_run: bool = False
    refused: str | None = None
    aborted: str | None = None
    planned: int = 0

    def count(self, outcome: Outcome) -> int:
        """How many items ended with *outcome*."""
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def created(self) -> int:
        """Items created."""
        return self.count(Outcome.CREATED)

    @property
    def updated(self) -> int:
        """Items updated."""
        return self.count(Outcome.UPDATED)

    @property
    def deleted(self) -> int:
        """Items deleted."""
        return self.count(Outcome.DELETED)

    @property
    def unchanged(self) -> int:
        """Items left as they are, being right."""
        return self.count(Outcome.UNCHANGED)

    @property
    def conflicts(self) -> int:
        """Items edited in the calendar that the catalogue would change (kept and reported)."""
        return self.count(Outcome.CONFLICT)

    @property
    def failed(self) -> int:
        """Items that could not be written (the server failed; run again)."""
        return self.count(Outcome.FAILED)

    @property
    def ok(self) -> bool:
        """Whether no item failed, nor the run stopped early, nor the safety valve refused."""
        return self.count(Outcome.FAILED) == 0 and self.refused is None and self.aborted is None

    @property
    def in_step(self) -> bool:
        """Whether the calendar is now as the catalogue says: :attr:`ok` and no conflicts."""
        return self.ok and self.count(Outcome.CONFLICT) == 0

    def to_dict(self) -> dict[str, object]:
        """The report as plain data, for JSON: the counts, and one object per item."""
        counts: dict[str, object] = {o.value: self.count(o) for o in Outcome}
        counts["conflicts"] = counts.pop("conflict")
        extra: dict[str, object] = {"error": self.aborted} if self.aborted is not None else {}
        return {
            **counts,
            **extra,
            "foreign": self.foreign,
            "dry_run": self.dry_run,
            "refused": self.refused,
            "items": [
                {
                    "outcome": r.outcome.value,
                    "uid": r.uid,
                    "href": r.href,
                    "session": r.session,
                    "reason": r.reason,
                }
                for r in self.results
            ],
        }


def calendar_address(calendar: Calendar) -> str | None:
    """The URL or path that names *calendar* in its state file; None for other calendars."""
    if isinstance(calendar, CalDAVCalendar):
        return calendar.address
    if isinstance(calendar, DirectoryCalendar):
        return str(Path(calendar.path).resolve())
    return None


def _state_for(
    state: SyncState | str | os.PathLike[str] | None, calendar: Calendar, key: str
) -> SyncState:
    if isinstance(state, SyncState):
        return state
    address = calendar_address(calendar) or ""
    if state is not None:
        return SyncState(state, calendar=address, key=key)
    if not address:
        return SyncState(calendar=address, key=key)
    return SyncState(default_state_path(address, key), calendar=address, key=key)


def _observe(calendar: Calendar, state: SyncState) -> tuple[list[Entry], str | None]:
    """The calendar's entries now, reading only the items the state does not know."""
    caldav = calendar if isinstance(calendar, CalDAVCalendar) else None
    if caldav is not None and state.collection is not None and state.token is not None:
        caldav.remember_url(state.collection)  # a no-op re-sync is then one request
    changes = calendar.changes(state.token)
    if caldav is not None:
        state.collection = caldav.url  # found by now: sends nothing
    token: str | None = None
    if changes is None:
        listing = dict(calendar.list())
    else:
        token = changes.token
        if changes.complete:
            listing = dict(changes.changed)
        else:
            listing = {href: entry.etag for href, entry in state.entries.items()}
            listing.update(changes.changed)
            for href in changes.deleted:
                listing.pop(href, None)
    for href in [h for h in state.entries if h not in listing]:
        state.forget(href)
    unknown = [
        h for h, etag in listing.items() if getattr(state.entries.get(h), "etag", None) != etag
    ]
    if unknown:
        items, missing = calendar.get(unknown)
        for item in items:
            state.record(read_entry(item))
        for href in missing:
            listing.pop(href, None)
            state.forget(href)
    state.commit()
    return [state.entries[h] for h in listing if h in state.entries], token


class _Entries(Protocol):
    """What applying a plan does with the state: a :class:`SyncState`, or a locked one."""

    @property
    def entries(self) -> Mapping[str, Entry]: ...

    def record(self, entry: Entry) -> None: ...

    def forget(self, href: str) -> None: ...

    def commit(self) -> None: ...


class _LockedState:
    """The state of a concurrent push: what the threads record and forget, under one lock.

    The applying threads share it; each change and each commit holds the lock, so that a
    commit writes a state in which every item is whole (written, or not yet).
    """

    def __init__(self, state: _Entries) -> None:
        self._inner = state
        self._lock = threading.RLock()

    @property
    def entries(self) -> Mapping[str, Entry]:
        with self._lock:
            return dict(self._inner.entries)

    def record(self, entry: Entry) -> None:
        with self._lock:
            self._inner.record(entry)

    def forget(self, href: str) -> None:
        with self._lock:
            self._inner.forget(href)

    def commit(self) -> None:
        with self._lock:
            self._inner.commit()


class _Applier:
    def __init__(
        self,
        calendar: Calendar,
        state: _Entries,
        desired: Mapping[str, Desired],
        *,
        key: str,
        policy: ConflictPolicy,
        progress: Callable[[Result], object] | None,
    ) -> None:
        self.calendar = calendar
        self.state = state
        self.desired = desired
        self.key = key
        self.policy = policy
        self.progress = progress
        self.results: list[Result] = []
        # Items in a row that failed for a transport failure: one count for all the threads
        # of a concurrent push (their workers share it), as "in a row" is the server's.
        self.unavailable = [0]
        self.aborted: str | None = None

    def run(self, steps: tuple[Step, ...], depth: int = 0) -> None:
        for step in steps:
            if self.aborted is not None:
                return
            result = self.apply(step, depth)
            if result is not None:
                self.results.append(result)
                self.state.commit()
                if self.progress is not None:
                    self.progress(result)

    def run_concurrently(self, steps: tuple[Step, ...], calendars: Sequence[Calendar]) -> None:
        """Apply *steps* with one thread per calendar; keep the results in plan order.

        Each thread takes the next step not yet taken and applies it with its calendar
        exactly as :meth:`run` would (the same preconditions, the same second look after a
        refusal), and commits the state after it. The first exception a thread raises (a
        refused login, a crash) stops every thread from taking another step, and is raised
        here once they are all done. *progress* is called as each item is done, from the
        thread that did it, one call at a time.
        """
        state = _LockedState(self.state)
        lock = threading.Lock()
        queue = iter(enumerate(steps))
        done: dict[int, list[Result]] = {}
        failures: list[BaseException] = []

        def work(calendar: Calendar) -> None:
            worker = _Applier(
                calendar, state, self.desired, key=self.key, policy=self.policy, progress=None
            )
            worker.unavailable = self.unavailable
            while True:
                with lock:
                    if failures or self.aborted is not None:
                        return
                    taken = next(queue, None)
                if taken is None:
                    return
                index, step = taken
                try:
                    result = worker.apply(step, 0)
                    produced = [*worker.results, *([result] if result is not None else [])]
                    worker.results.clear()
                    state.commit()
                except BaseException as error:  # noqa: BLE001 - a crash, raised again in the caller
                    with lock:
                        failures.append(error)
                    return
                with lock:
                    done[index] = produced
                    if worker.aborted is not None and self.aborted is None:
                        self.aborted = worker.aborted
                    if self.progress is not None:
                        for each in produced:
                            self.progress(each)

        threads = [
            threading.Thread(target=work, args=(calendar,), name=f"libkurs-push-{number}")
            for number, calendar in enumerate(calendars)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.results.extend(result for index in sorted(done) for result in done[index])
        if failures:
            raise failures[0]

    def _result(self, step: Step, outcome: Outcome, reason: str | None = None) -> Result:
        return Result(
            outcome=outcome,
            uid=step.uid,
            href=step.href,
            reason=reason or step.reason,
            session=step.session,
        )

    def _written(self, step: Step, href: str, etag: str) -> None:
        desired = self.desired.get(step.uid)
        digest = step.hash if step.hash is not None else self.desired[step.uid].hash
        self.state.record(
            Entry(
                href=href,
                etag=etag,
                uid=step.uid,
                owner=self.key,
                hash=digest,
                untouched=True,
                stamp=digest,
                sequence=step.sequence,
                fingerprint=desired.fingerprint if desired is not None else None,
            )
        )

    def _data(self, step: Step) -> bytes:
        if step.data is not None:
            return step.data
        return self.desired[step.uid].data_at(step.sequence)

    def _transport_failure(self, step: Step, error: TransportError) -> Result:
        self.unavailable[0] += 1
        if self.unavailable[0] >= GIVE_UP_AFTER:
            self.aborted = (
                f"the server stayed unavailable for {self.unavailable[0]} items in a row, so the "
                f"run stopped; try again later (last: {error})"
            )
        return self._result(step, Outcome.FAILED, str(error))

    def apply(self, step: Step, depth: int) -> Result | None:  # noqa: PLR0911, PLR0912 - one per outcome
        try:
            if step.action is Action.CREATE:
                href, etag = self.calendar.create(step.href, self._data(step))
                self._written(step, href, etag)
            elif step.action is Action.UPDATE:
                assert step.etag is not None
                new = self.calendar.update(step.href, self._data(step), step.etag)
                self._written(step, step.href, new)
            elif step.action is Action.DELETE:
                assert step.etag is not None
                self.calendar.delete(step.href, step.etag)
                self.state.forget(step.href)
            if step.action is not Action.UNCHANGED and step.action is not Action.CONFLICT:
                self.unavailable[0] = 0
            return self._result(step, _PLANNED[step.action])
        except ItemNotFoundError:
            if step.action is Action.DELETE:
                self.state.forget(step.href)
                return self._result(step, Outcome.DELETED, f"{step.reason} (already gone)")
            refused = "it disappeared while syncing"
        except PreconditionFailedError:
            refused = "someone else wrote it while syncing"
        except AuthenticationError:
            raise
        except TransportError as error:  # already retried: the server is unavailable
            return self._transport_failure(step, error)
        except CalendarError as error:  # this item refused (403, 409, 507 …)
            return self._result(step, Outcome.FAILED, str(error))
        if depth + 1 >= _ATTEMPTS:
            return self._result(step, Outcome.FAILED, f"{refused}, again and again")
        try:
            steps = self._replan(step)
        except AuthenticationError:
            raise
        except CalendarError as error:
            return self._result(step, Outcome.FAILED, str(error))
        if isinstance(steps, Result):
            return steps
        self.run(steps, depth + 1)
        return None

    def _replan(self, step: Step) -> tuple[Step, ...] | Result:
        """Read the item again (all of the calendar, if it is not where it was) and plan it."""
        items, _missing = self.calendar.get([step.href])
        if items:
            self.state.record(read_entry(items[0]))
        else:
            self.state.forget(step.href)
            if step.action is Action.CREATE:  # refused for its UID (409): find it elsewhere
                _observe_all(self.calendar, self.state)
        at_href = self.state.entries.get(step.href)
        if (
            step.action is Action.CREATE
            and at_href is not None
            and (at_href.owner != self.key or at_href.uid != step.uid)
        ):
            return self._result(
                step, Outcome.CONFLICT, "an item libkurs does not own is at its href; left alone"
            )
        entries = [e for e in self.state.entries.values() if e.uid == step.uid]
        wanted = {step.uid: self.desired[step.uid]} if step.uid in self.desired else {}
        return plan_items(wanted, entries, key=self.key, policy=self.policy).steps


def _observe_all(calendar: Calendar, state: _Entries) -> None:
    listing = calendar.list()
    for href in [h for h in state.entries if h not in listing]:
        state.forget(href)
    unknown = [
        h for h, etag in listing.items() if getattr(state.entries.get(h), "etag", None) != etag
    ]
    items, _missing = calendar.get(unknown)
    for item in items:
        state.record(read_entry(item))


def _remember_fingerprints(planned: Plan, desired: Mapping[str, Desired], state: SyncState) -> None:
    """Keep the fingerprint of each unchanged item of ours whose stamp its data render to.

    An item read from the calendar (a new etag) has no fingerprint; once its content is found
    to be what the catalogue renders, the next run need not render it again.
    """
    for step in planned.steps:
        if step.action is not Action.UNCHANGED:
            continue
        entry, item = state.entries.get(step.href), desired.get(step.uid)
        if entry is None or item is None or item.fingerprint is None:
            continue
        if entry.fingerprint == item.fingerprint or not entry.untouched:
            continue
        if entry.stamp == item.hash:  # already rendered: the plan compared it
            state.record(attrs.evolve(entry, fingerprint=item.fingerprint))
    state.commit()


_WRITES = frozenset({Action.CREATE, Action.UPDATE, Action.DELETE})


def _workers(calendar: Calendar, planned: Plan, connections: int | None) -> Sequence[Calendar]:
    """The calendars for the threads of a push: one (no threads) unless more would help."""
    wanted = connections if connections is not None else getattr(calendar, "connections", 1)
    writes = sum(step.action in _WRITES for step in planned.steps)
    count = min(wanted if isinstance(wanted, int) else 1, writes)
    make = getattr(calendar, "workers", None)
    if count <= 1 or not callable(make):
        return [calendar]
    made = list(make(count))
    return made if made else [calendar]


def _render_all(items: list[Desired]) -> None:
    for item in items:
        try:
            item.hash  # noqa: B018 - renders the item, once
        except KursError:
            return  # the applying thread meets the same error, and reports it


def sync(
    catalogue: Catalogue,
    calendar: Calendar,
    *,
    state: SyncState | str | os.PathLike[str] | None = None,
    policy: ConflictPolicy = ConflictPolicy.KEEP_CALENDAR,
    key: str | None = None,
    uid_domain: str = "libkurs",
    language: str | None = None,
    private: bool = False,
    server_scheduling: bool = False,
    dry_run: bool = False,
    force: bool = False,
    max_delete_share: float = MAX_DELETE_SHARE,
    progress: Callable[[Result], object] | None = None,
    on_plan: Callable[[Plan], object] | None = None,
    now: datetime | None = None,
    connections: int | None = None,
) -> Report:
    """Bring *calendar* in step with *catalogue*: one item per session, marked as ours.

    Args:
        catalogue: What the calendar should show (its public view, unless *private*).
        calendar: Any :class:`~libkurs.sync.Calendar`.
        state: A :class:`~libkurs.sync.SyncState`, or the path of its file; None for the
            default file in the user's state directory (see :func:`default_state_path`), or
            in memory for calendars with no address (a :class:`~libkurs.sync.MemoryCalendar`).
        policy: What to do with items of ours edited in the calendar.
        key: The catalogue key that marks our items (:func:`default_key` if None).
        uid_domain: The right-hand side of every UID.
        language: The language to write.
        private: Write drafts and join links too: never for a calendar others read.
        server_scheduling: Kept for compatibility: the items carry no ORGANIZER or ATTENDEE.
        dry_run: Only plan: read the calendar, write nothing (not even the state). A plan the
            safety valve would refuse is returned all the same, with :attr:`Report.refused`
            saying why (and :attr:`Report.ok` false).
        force: Delete even when the safety valve would refuse.
        max_delete_share: The safety valve: refuse a run that deletes more than this share
            (0 to 1) of the items of ours in the calendar; 0 refuses every delete.
        progress: Called with each item's :class:`Result` as soon as it is done
            (*on_plan* learns how many there will be).
        on_plan: Called once with the :class:`~libkurs.sync.Plan`, before anything is written.
        now: The time of writing, for DTSTAMP and LAST-MODIFIED (the clock if None).
        connections: How many items to write at once, each in a thread of its own, to hide
            a server's round trips (at most :data:`~libkurs.sync.MAX_CONNECTIONS`). Each item
            keeps its own precondition, the state is committed after each one, and the
            results come in plan order whatever order the writes finished in. None takes
            what the calendar prefers (a :class:`~libkurs.sync.CalDAVCalendar`: 1 on this
            machine, 4 for any other server; other calendars: 1). Only a calendar with a
            ``workers()`` method writes concurrently; others write one item after another.

    Raises:
        libkurs.errors.SafetyError: the run would delete too much (nothing is written); not
            in a dry run.
        ConflictError: conflicts under :attr:`ConflictPolicy.FAIL` (nothing is written).
        libkurs.errors.CalendarError: the calendar could not be read, or refused us.
    """
    check_share(max_delete_share)
    check_connections(connections)
    del server_scheduling
    key = key if key is not None else default_key(catalogue)
    desired = desired_items(
        catalogue,
        key=key,
        uid_domain=uid_domain,
        language=language,
        private=private,
        now=now if now is not None else datetime.now(UTC),
    )
    store = _state_for(state, calendar, key)
    if dry_run:
        copy = SyncState(calendar=store.calendar, key=key)  # in memory: write nothing
        copy.token, copy.entries = store.token, dict(store.entries)
        copy.collection = store.collection
        store = copy
    entries, token = _observe(calendar, store)
    planned: Plan = plan_items(desired, entries, key=key, policy=policy, lazy=not dry_run)
    # A dry run shows even a plan the safety valve refuses, and says so.
    check_plan(planned, policy=policy, max_delete_share=max_delete_share, force=force or dry_run)
    if dry_run:
        results = tuple(
            Result(
                outcome=_PLANNED[s.action],
                uid=s.uid,
                href=s.href,
                reason=s.reason,
                session=s.session,
            )
            for s in planned.steps
        )
        refused = refusal(planned, max_delete_share=max_delete_share, force=force)
        return Report(
            results=results,
            foreign=planned.foreign,
            dry_run=True,
            refused=refused,
            planned=len(planned.steps),
        )
    creates = [desired[s.uid] for s in planned.steps if s.action is Action.CREATE]
    if len(creates) > 1:
        # Render the items to create in a second thread while the first waits for the server.
        threading.Thread(target=_render_all, args=(creates,), daemon=True).start()
    if on_plan is not None:
        on_plan(planned)
    _remember_fingerprints(planned, desired, store)
    applier = _Applier(calendar, store, desired, key=key, policy=policy, progress=progress)
    workers = _workers(calendar, planned, connections)
    if len(workers) > 1:
        applier.run_concurrently(planned.steps, workers)
    else:
        applier.run(planned.steps)
    if applier.aborted is not None:
        store.save(store.token)  # keep what was done; the old token still covers the rest
    else:
        store.save(token)
    return Report(
        results=tuple(applier.results),
        foreign=planned.foreign,
        aborted=applier.aborted,
        planned=len(planned.steps),
    )
