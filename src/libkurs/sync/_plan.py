"""The pure planner: what a sync must do to bring a calendar in step with a catalogue.

No I/O and no clock: :func:`plan` compares what the calendar should hold (one item per session
of the catalogue's public view) with what it holds (items, or their descriptions), and returns
a :class:`Plan` of steps, each with its reason. The rules:

- An item is **ours** when its ``X-LIBKURS-CATALOGUE`` names our catalogue key; every other
  item is **foreign** and never appears in a plan.
- A session with no item gets a **create**, at an href derived from its UID (so a second run,
  on any machine, finds it instead of making another).
- An item of ours equal in content to its session is **unchanged** (never rewritten); one
  that differs is **updated** when it is *untouched* (still as libkurs wrote it); when it was
  edited in the calendar, the :class:`ConflictPolicy` decides. A cancelled session is updated
  to STATUS:CANCELLED, not deleted.
- An update's SEQUENCE is one more than the item's, or the catalogue's revisions if they are
  higher: it rises with every change of content, however the catalogue was changed (by
  :func:`libkurs.revise`, or by hand in its file), so calendar clients take it as newer.
- An item of ours whose session left the catalogue is **deleted** (an edited one is a conflict
  under the default policy), and so is a second item of ours with the same UID.
- A foreign item holding the UID of one of our sessions is a **conflict**: nothing is written.
- The safety valve: a plan that deletes more than a share (0 to 1, compared strictly) of our
  items raises :class:`~libkurs.errors.SafetyError` unless forced.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from libkurs.errors import CalendarError, ConflictError, SafetyError, ValidationError
from libkurs.model import Catalogue, public_view
from libkurs.sync._content import Entry, read_entry
from libkurs.sync._protocol import Item
from libkurs.sync._render import (
    Desired,
    event_digest,
    fingerprint,
    render_context,
    render_session,
)
from libkurs.sync._state import SyncState

__all__ = [
    "Action",
    "ConflictError",
    "ConflictPolicy",
    "Plan",
    "Step",
    "default_key",
    "desired_items",
    "plan",
    "plan_items",
]

#: The largest share of our items a sync deletes without ``force=True``.
MAX_DELETE_SHARE = 0.5


class ConflictPolicy(enum.Enum):
    """What a sync does with an item of ours that was edited in the calendar."""

    KEEP_CALENDAR = "keep-calendar"
    """Keep the calendar's version and report the conflict (the default)."""
    CATALOGUE_WINS = "catalogue-wins"
    """Write the catalogue's version over it (or delete it), and report that."""
    FAIL = "fail"
    """Write nothing at all and raise :class:`ConflictError`."""


class Action(enum.Enum):
    """What a step of a plan does."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    CONFLICT = "conflict"
    UNCHANGED = "unchanged"


@attrs.frozen(kw_only=True)
class Step:
    """One thing to do (or not to do) about one item, and why.

    Attributes:
        action: What to do.
        uid: The item's UID.
        href: Where the item is, or will be.
        reason: Why, in words.
        session: The session id, for an item of a session in the catalogue.
        etag: The version a write is conditional on (update, delete).
        data: What to write (create, update).
        hash: The content hash of *data*.
        sequence: The SEQUENCE written (create, update).
    """

    action: Action
    uid: str
    href: str
    reason: str
    session: str | None = None
    etag: str | None = None
    data: bytes | None = attrs.field(default=None, repr=False)
    hash: str | None = None
    sequence: int | None = None


@attrs.frozen(kw_only=True)
class Plan:
    """The steps of a sync, one per item of ours or session; foreign items are only counted."""

    steps: tuple[Step, ...] = ()
    foreign: int = 0

    def count(self, action: Action) -> int:
        """How many steps do *action*."""
        return sum(1 for step in self.steps if step.action is action)

    @property
    def counts(self) -> dict[str, int]:
        """Steps per action, by the action's value."""
        found = Counter(step.action.value for step in self.steps)
        return {action.value: found.get(action.value, 0) for action in Action}

    @property
    def writes(self) -> tuple[Step, ...]:
        """The steps that write: creates, updates and deletes."""
        return tuple(
            s for s in self.steps if s.action in {Action.CREATE, Action.UPDATE, Action.DELETE}
        )


def default_key(catalogue: Catalogue) -> str:
    """The catalogue key used when none is given: from the catalogue's stable identifier.

    ``"<publisher>/<id>"``, or the ``id`` alone: renaming the catalogue changes nothing. A
    catalogue without an ``id`` is refused with :class:`~libkurs.errors.CalendarError`, since
    its name is for people and changes: a key made from it would orphan every item it wrote
    at the first rename. Give the catalogue an ``id``, or pass ``key=`` (``--key`` on the
    command line).

    >>> import libkurs
    >>> default_key(libkurs.load("examples/catalogue.json"))
    'fortbildning-nyland'
    >>> default_key(libkurs.Catalogue(id="kurser-2030"))
    'kurser-2030'
    """
    if not catalogue.id:
        raise CalendarError(
            'the catalogue has no id, and its name may change: give it an id (the "id" '
            "member of the catalogue file), or a catalogue key (key=… in Python, --key on the "
            "command line)"
        )
    publisher = (catalogue.publisher or "").strip()
    return "/".join(part for part in (publisher, catalogue.id) if part)


def desired_items(
    catalogue: Catalogue,
    *,
    key: str,
    uid_domain: str = "libkurs",
    language: str | None = None,
    private: bool = False,
    now: datetime | None = None,
) -> dict[str, Desired]:
    """UID → the item the calendar should hold, for every session of the catalogue.

    Written from :func:`libkurs.public_view` (no drafts, no join links) unless *private*;
    *now* is the DTSTAMP and LAST-MODIFIED of what is written.

    Raises:
        libkurs.errors.ValidationError: two sessions whose ids (and so item names) differ
            only in case: a case-insensitive file system or server would make them one.
    """
    view = catalogue if private else public_view(catalogue)
    desired: dict[str, Desired] = {}
    folded: dict[str, str] = {}
    context = render_context(view, key=key, uid_domain=uid_domain, language=language)
    events: dict[str, bytes] = {}
    for event, session in view.sessions():
        if event.id not in events:
            events[event.id] = event_digest(event)
        item = render_session(
            view,
            event,
            session,
            key=key,
            uid_domain=uid_domain,
            language=language,
            now=now,
            fingerprint=fingerprint(context, events[event.id], session),
        )
        other = folded.setdefault(item.href.casefold(), session.id)
        if other != session.id:
            raise ValidationError(
                f"the session ids {other!s} and {session.id!s} differ only in case; a "
                "case-insensitive file system or server would take their items for one: "
                "rename one of them",
                path=f"sessions[{session.id}]",
            )
        desired[item.uid] = item
    return desired


def next_sequence(desired: Desired, entry: Entry) -> int:
    """The SEQUENCE of an update of *entry*: higher than the item's, and the catalogue's."""
    return max(desired.sequence, (entry.sequence or 0) + 1)


def desired_hash(desired: Desired, entry: Entry) -> str:
    """The content hash of *desired*: the one *entry* keeps when both have one fingerprint.

    An item libkurs wrote (or found unchanged) from the very data it would render now has
    the content hash libkurs stamped on it then, so it is neither rendered nor hashed again.
    """
    if (
        desired.fingerprint is not None
        and entry.fingerprint == desired.fingerprint
        and entry.stamp is not None
    ):
        return entry.stamp
    return desired.hash


def _change(desired: Desired, entry: Entry, policy: ConflictPolicy, *, lazy: bool) -> Step:
    base = Step(
        action=Action.UNCHANGED,
        uid=desired.uid,
        href=entry.href,
        session=desired.session,
        etag=entry.etag,
        reason="the same as in the catalogue",
    )
    wanted = desired_hash(desired, entry)
    if entry.hash == wanted:
        return base
    if entry.untouched:
        reason = "the session changed"
    elif policy is ConflictPolicy.CATALOGUE_WINS:
        reason = "edited in the calendar; overwritten, since the catalogue wins"
    elif entry.stamp == wanted:
        reason = "edited in the calendar; kept"
        return attrs.evolve(base, action=Action.CONFLICT, reason=reason)
    else:
        reason = "edited in the calendar and changed in the catalogue; the calendar's kept"
        return attrs.evolve(base, action=Action.CONFLICT, reason=reason)
    sequence = next_sequence(desired, entry)
    return attrs.evolve(
        base,
        action=Action.UPDATE,
        reason=reason,
        data=None if lazy else desired.data_at(sequence),
        hash=desired.hash,
        sequence=sequence,
    )


def _removal(entry: Entry, uid: str, why: str, policy: ConflictPolicy) -> Step:
    base = Step(action=Action.DELETE, uid=uid, href=entry.href, etag=entry.etag, reason=why)
    if entry.untouched or policy is ConflictPolicy.CATALOGUE_WINS:
        return base
    return attrs.evolve(
        base, action=Action.CONFLICT, reason=f"{why}, but edited in the calendar; kept"
    )


def plan_items(
    desired: Mapping[str, Desired],
    entries: Iterable[Entry],
    *,
    key: str,
    policy: ConflictPolicy = ConflictPolicy.KEEP_CALENDAR,
    lazy: bool = False,
) -> Plan:
    """Plan from what should be (UID → item) and what is (the calendar's entries).

    With *lazy*, creates and updates carry no data (the engine takes it from *desired* when it
    writes), so that nothing is rendered for them while planning.
    """
    ours: dict[str, list[Entry]] = {}
    foreign_uids: dict[str, Entry] = {}
    foreign = 0
    for entry in sorted(entries, key=lambda e: e.href):
        if entry.owner == key and entry.uid is not None:
            ours.setdefault(entry.uid, []).append(entry)
        else:
            foreign += 1
            if entry.uid is not None:
                foreign_uids.setdefault(entry.uid, entry)
    steps: list[Step] = []
    for uid, item in desired.items():
        found = ours.pop(uid, [])
        if not found:
            if uid in foreign_uids:
                other = foreign_uids[uid]
                reason = "an item libkurs does not own has this UID; left alone"
                if other.owner is not None:  # written by libkurs for another catalogue key
                    reason = (
                        f"an item of the catalogue key “{other.owner}” has this UID; left alone "
                        f"(if that key was this catalogue's, sync with that key)"
                    )
                href = other.href
                steps.append(
                    Step(
                        action=Action.CONFLICT,
                        uid=uid,
                        href=href,
                        session=item.session,
                        reason=reason,
                    )
                )
            else:
                steps.append(
                    Step(
                        action=Action.CREATE,
                        uid=uid,
                        href=item.href,
                        session=item.session,
                        reason="a new session",
                        data=None if lazy else item.data,
                        hash=None if lazy else item.hash,
                        sequence=item.sequence,
                    )
                )
            continue
        found.sort(key=lambda e: (e.href != item.href, e.href))
        kept, *extra = found
        steps.append(_change(item, kept, policy, lazy=lazy))
        steps.extend(_removal(e, uid, f"a second item of {kept.href}", policy) for e in extra)
    for uid, left in sorted(ours.items()):
        steps.extend(_removal(e, uid, "the session left the catalogue", policy) for e in left)
    return Plan(steps=tuple(steps), foreign=foreign)


def _entries(
    calendar: Mapping[str, str] | Iterable[Item | Entry], known: Mapping[str, Entry]
) -> list[Entry]:
    if isinstance(calendar, Mapping):
        unknown = sorted(
            h for h, etag in calendar.items() if getattr(known.get(h), "etag", None) != etag
        )
        if unknown:
            raise ValueError(f"read these items first, the state does not know them: {unknown}")
        return [known[href] for href in calendar]
    return [read_entry(x) if isinstance(x, Item) else x for x in calendar]


def plan(
    catalogue: Catalogue,
    calendar: Mapping[str, str] | Iterable[Item | Entry],
    known: SyncState | Mapping[str, Entry] | None = None,
    policy: ConflictPolicy = ConflictPolicy.KEEP_CALENDAR,
    *,
    key: str | None = None,
    uid_domain: str = "libkurs",
    language: str | None = None,
    private: bool = False,
    server_scheduling: bool = False,
    max_delete_share: float = MAX_DELETE_SHARE,
    force: bool = False,
    now: datetime | None = None,
) -> Plan:
    """Plan the sync of *catalogue* into a calendar holding *calendar*; no I/O.

    Args:
        catalogue: What the calendar should show.
        calendar: The calendar's items (:class:`~libkurs.sync.Item`, as read) or their
            descriptions (:class:`~libkurs.sync.Entry`); or its listing (href → etag), every
            href of which *known* must describe at that etag.
        known: A :class:`~libkurs.sync.SyncState`, or href → entry as one keeps them.
        policy: What to do with items of ours edited in the calendar.
        key: The catalogue key (``X-LIBKURS-CATALOGUE``); :func:`default_key` if None.
        uid_domain: The right-hand side of every UID.
        language: The language to write (the catalogue's fallback chain if None).
        private: Write drafts and join links too (never for a shared calendar).
        server_scheduling: Kept for compatibility: the items carry no ORGANIZER or ATTENDEE.
        max_delete_share: Refuse to delete more than this share (0 to 1) of our items; with 0
            no delete at all goes through …
        force: … unless this is true.
        now: The DTSTAMP and LAST-MODIFIED of the data in the plan (a fixed one if None:
            pass the time if you write the data yourself).

    Raises:
        libkurs.errors.SafetyError: the plan deletes too much and *force* is false.
        ConflictError: there are conflicts and *policy* is :attr:`ConflictPolicy.FAIL`.
    """
    check_share(max_delete_share)
    key = key if key is not None else default_key(catalogue)
    if isinstance(known, SyncState):
        known = known.entries
    entries = _entries(calendar, known or {})
    desired = desired_items(
        catalogue,
        key=key,
        uid_domain=uid_domain,
        language=language,
        private=private,
        now=now,
    )
    del server_scheduling
    result = plan_items(desired, entries, key=key, policy=policy)
    check_plan(result, policy=policy, max_delete_share=max_delete_share, force=force)
    return result


def check_share(share: object) -> float:
    """Return *share* if it is a share (a number from 0 to 1); raise otherwise."""
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0.0 <= share <= 1.0:
        raise CalendarError(f"max_delete_share must be a number from 0 to 1, got {share}")
    return float(share)


def refusal(result: Plan, *, max_delete_share: float, force: bool) -> str | None:
    """Why the safety valve refuses *result*, or None when it lets it through.

    It refuses a plan that deletes more than *max_delete_share* of the items of ours the
    calendar holds (compared strictly: with a share of 0 no delete goes through, with 1 all
    may), unless *force*.
    """
    check_share(max_delete_share)
    deletes = result.count(Action.DELETE)
    owned = sum(1 for s in result.steps if s.action is not Action.CREATE and s.etag is not None)
    if force or deletes <= max_delete_share * owned:
        return None
    return (
        f"the sync would delete {deletes} of the {owned} items it owns "
        f"(more than {max_delete_share:.0%}); check the catalogue, or force it"
    )


def check_plan(
    result: Plan, *, policy: ConflictPolicy, max_delete_share: float, force: bool
) -> None:
    """Raise if *result* deletes too much, or has conflicts under the FAIL policy."""
    refused = refusal(result, max_delete_share=max_delete_share, force=force)
    if refused is not None:
        raise SafetyError(refused)
    if policy is ConflictPolicy.FAIL and result.count(Action.CONFLICT):
        first = next(s for s in result.steps if s.action is Action.CONFLICT)
        raise ConflictError(
            f"{result.count(Action.CONFLICT)} conflict(s), the first: {first.reason}",
            href=first.href,
        )
