"""What a sync remembers between runs: a sync token and what each item was.

The state is only a cache: a sync is correct without it (items are found by their
``X-LIBKURS-CATALOGUE`` mark and UID). With it, a re-sync asks only what changed since the
token, and reads only items whose etag it does not know.

A :class:`SyncState` with a path keeps a JSON snapshot there, written atomically (a temporary
file moved into place), and a journal beside it (``<path>.journal``, JSON lines) that takes
one line per item as soon as the item is written, so a sync interrupted at any point loses
nothing it did. The token is committed only when a run finishes: one taken at the start of an
interrupted run could hide changes that run never got to; the older token still covers them.
:meth:`SyncState.save` folds the journal into the snapshot.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from libkurs._files import replace_atomically
from libkurs.errors import CalendarError
from libkurs.sync._content import Entry

__all__ = ["SyncState", "default_state_path"]

_VERSION = 3  # 3: entries keep the SEQUENCE written; hashes of what readers see
_log = logging.getLogger("libkurs.sync")


def _bare(url: str) -> str:
    """*url* without credentials or query; its ``#calendar`` fragment (which calendar) is kept."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        return url
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, "", parts.fragment))


def default_state_path(calendar: str, key: str) -> Path:
    """Where the state of syncing catalogue *key* into *calendar* (a URL or path) is kept.

    ``$XDG_STATE_HOME/libkurs/sync/<hash>.json``, or ``~/.local/state/…`` without
    ``XDG_STATE_HOME``; credentials in the URL are left out of the hash, and a ``#name``
    fragment (the calendar named on a server: see
    :attr:`libkurs.sync.CalDAVCalendar.address`) is kept, so two calendars on one server have
    two states.
    """
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    digest = hashlib.sha256(f"{key}\n{_bare(calendar)}".encode()).hexdigest()[:24]
    return Path(base) / "libkurs" / "sync" / f"{digest}.json"


def _entry_json(entry: Entry) -> dict[str, object]:
    return {
        "etag": entry.etag,
        "uid": entry.uid,
        "owner": entry.owner,
        "hash": entry.hash,
        "untouched": entry.untouched,
        "stamp": entry.stamp,
        "sequence": entry.sequence,
        **({"fingerprint": entry.fingerprint} if entry.fingerprint is not None else {}),
    }


def _entry(href: str, data: Mapping[str, object]) -> Entry:
    def text(name: str) -> str | None:
        value = data.get(name)
        return value if isinstance(value, str) else None

    etag, digest = text("etag"), text("hash")
    if etag is None or digest is None:
        raise ValueError("an entry needs an etag and a hash")
    return Entry(
        href=href,
        etag=etag,
        uid=text("uid"),
        owner=text("owner"),
        hash=digest,
        untouched=data.get("untouched") is True,
        stamp=text("stamp"),
        sequence=_count(data.get("sequence")),
        fingerprint=text("fingerprint"),
    )


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


class SyncState:
    """The sync token and href → :class:`~libkurs.sync.Entry` of one calendar.

    Args:
        path: Where to keep it; None keeps it in memory only.
        calendar: The calendar it belongs to (URL or path, no credentials), to tell a state
            file of another calendar ("" when the calendar has no address: then not checked).
        key: The catalogue key it belongs to.

    A state file that cannot be read, or belongs to another calendar or key, is ignored with a
    warning (it is only a cache); one that cannot be written raises
    :class:`~libkurs.errors.CalendarError`.
    """

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, calendar: str = "", key: str = ""
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.calendar = _bare(calendar)
        self.key = key
        self.token: str | None = None
        #: The URL of the calendar itself, as a server showed it (None until found).
        self.collection: str | None = None
        self.entries: dict[str, Entry] = {}
        self._journal: list[dict[str, object]] = []
        if self.path is not None:
            self._load(self.path)

    def __repr__(self) -> str:
        return f"<SyncState {self.path or 'in memory'}: {len(self.entries)} items>"

    @property
    def journal_path(self) -> Path | None:
        """The journal beside the snapshot."""
        return self.path.with_name(self.path.name + ".journal") if self.path else None

    # -- reading -------------------------------------------------------------------------------

    def _load(self, path: Path) -> None:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            self._check(document)
            token = document.get("token")
            self.token = token if isinstance(token, str) else None
            collection = document.get("collection")
            self.collection = collection if isinstance(collection, str) else None
            self.entries = {h: _entry(h, e) for h, e in dict(document.get("items", {})).items()}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, AttributeError) as error:
            _log.warning("%s: state ignored: %s", path, error)
            self.token, self.collection, self.entries = None, None, {}
            return
        journal = self.journal_path
        assert journal is not None
        with contextlib.suppress(FileNotFoundError):
            for line in journal.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                    if "drop" in record:
                        self.entries.pop(str(record["drop"]), None)
                    else:
                        href = str(record["href"])
                        self.entries[href] = _entry(href, record)
                except (ValueError, TypeError, KeyError):
                    break  # a torn last line: an interrupted write

    def _check(self, document: Mapping[str, object]) -> None:
        if document.get("version") != _VERSION:
            raise ValueError(f"unknown version {document.get('version')}")
        calendar = document.get("calendar")
        if document.get("key") != self.key or (
            calendar and self.calendar and calendar != self.calendar
        ):
            raise ValueError("it belongs to another calendar or catalogue")

    # -- changing ------------------------------------------------------------------------------

    def record(self, entry: Entry) -> None:
        """Remember *entry* (committed with the next :meth:`commit`)."""
        self.entries[entry.href] = entry
        self._journal.append({"href": entry.href, **_entry_json(entry)})

    def forget(self, href: str) -> None:
        """Forget the item at *href* (committed with the next :meth:`commit`)."""
        if self.entries.pop(href, None) is not None:
            self._journal.append({"drop": href})

    def commit(self) -> None:
        """Append what was recorded since the last commit to the journal."""
        journal, self._journal = self._journal, []
        if self.journal_path is None or not journal:
            return
        try:
            self.journal_path.parent.mkdir(parents=True, exist_ok=True)
            with self.journal_path.open("a", encoding="utf-8") as file:
                file.write("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in journal))
        except OSError as error:
            raise CalendarError(
                f"cannot write the sync state: {error}", href=str(self.journal_path)
            ) from error

    def save(self, token: str | None) -> None:
        """Keep *token* and every entry: write the snapshot atomically, empty the journal."""
        self.token = token
        self._journal = []
        if self.path is None:
            return
        document = {
            "version": _VERSION,
            "calendar": self.calendar,
            "key": self.key,
            "token": token,
            **({"collection": self.collection} if self.collection else {}),
            "items": {h: _entry_json(e) for h, e in sorted(self.entries.items())},
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(document, separators=(",", ":"))
            replace_atomically(self.path, text.encode("utf-8"))
            assert self.journal_path is not None
            self.journal_path.unlink(missing_ok=True)
        except OSError as error:
            raise CalendarError(
                f"cannot write the sync state: {error}", href=str(self.path)
            ) from error
