"""A calendar in a local directory, in the vdir layout that vdirsyncer and khal use.

One item per file, named ``<something>.ics``; the href is the file name. Files are written to
a temporary file in the same directory and moved into place with :func:`os.replace`, so a
reader never sees half an item. A create appears only if no file of that name exists
(:func:`os.link`, or ``O_EXCL`` where hard links are not supported), so two processes creating
the same name cannot both succeed.

An update or delete is conditional on the etag the caller read. The new content is written to
a temporary file first; then, holding an exclusive :func:`fcntl.flock` lock on
``.libkurs.lock`` in the directory (where :mod:`fcntl` exists), the file is read again and
replaced (or removed) only if it still has that etag. Two libkurs processes therefore never
overwrite each other's writes. khal and vdirsyncer take no such lock, so against them the
re-check right before the replace is what keeps the window for a lost edit down to the time of
one rename; no POSIX call closes it entirely.

Items keep their permissions when updated; new items get what the umask allows (as any file
an editor creates would), not a private mode.

The etag of a file is a hash of its content, not its modification time, size and inode:
reading a few thousand small files is cheap, while timestamps can be coarse (whole seconds on
some file systems) and inodes are reused, so two quick writes of the same size could look
alike and a changed item be taken for unchanged. A content hash cannot be fooled that way; the
price is that writing back the very same bytes keeps the etag, which is what an etag means.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import stat
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from libkurs.errors import CalendarError, ItemNotFoundError, PreconditionFailedError
from libkurs.sync._protocol import Item, check_name

__all__ = ["DirectoryCalendar"]

_SUFFIX = ".ics"
#: The lock file libkurs holds while it checks and replaces (or removes) an item.
LOCK_NAME = ".libkurs.lock"
_TEMPORARY_PREFIX = ".libkurs-"
_TEMPORARY_SUFFIX = ".tmp"
#: A temporary file older than this (seconds) is left from an interrupted write: removed.
STALE_AFTER = 600.0


if sys.platform == "win32":  # pragma: no cover - no fcntl there

    @contextlib.contextmanager
    def _locked(_folder: Path) -> Iterator[None]:
        yield

else:
    import fcntl

    @contextlib.contextmanager
    def _locked(folder: Path) -> Iterator[None]:
        """Hold an exclusive lock on the folder's lock file (waiting for it if need be)."""
        descriptor = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing releases the lock


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


class DirectoryCalendar:
    """A :class:`~libkurs.sync.Calendar` kept as ``.ics`` files in one directory (a vdir).

    Args:
        path: The directory. It is created (with its parents) on the first write if missing.

    Sync tokens are not kept: :meth:`changes` returns None, and :meth:`list` is the way to see
    what changed (it reads every item to hash it).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     calendar = DirectoryCalendar(folder)
    ...     href, etag = calendar.create("kurs.ics", b"BEGIN:VCALENDAR...")
    ...     calendar.list() == {"kurs.ics": etag}
    True
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"DirectoryCalendar({str(self.path)!r})"

    # -- reading -------------------------------------------------------------------------------

    def list(self) -> Mapping[str, str]:
        """Return href → etag of every ``.ics`` file in the directory.

        Temporary files that an interrupted write left behind (``.libkurs-*.tmp``, older than
        ``STALE_AFTER`` seconds, so never one a running write still needs) are removed.
        """
        self._sweep()
        listing: dict[str, str] = {}
        for name in self._names():
            data = self._read(name)
            if data is not None:
                listing[name] = _etag(data)
        return listing

    def get(self, hrefs: Iterable[str]) -> tuple[Sequence[Item], frozenset[str]]:
        """Read the items at *hrefs*; return them and the hrefs that are not there."""
        found: list[Item] = []
        missing: set[str] = set()
        for href in dict.fromkeys(hrefs):
            data = self._read(href) if self._is_item_name(href) else None
            if data is None:
                missing.add(href)
            else:
                found.append(Item(href=href, etag=_etag(data), data=data))
        return found, frozenset(missing)

    def _sweep(self) -> None:
        """Remove the temporary files of interrupted writes."""
        now = time.time()
        try:
            with os.scandir(self.path) as entries:
                stale = [
                    Path(entry.path)
                    for entry in entries
                    if entry.name.startswith(_TEMPORARY_PREFIX)
                    and entry.name.endswith(_TEMPORARY_SUFFIX)
                    and entry.is_file(follow_symlinks=False)
                    and now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
                ]
        except OSError:
            return  # no directory yet, or not readable: list() says so
        for path in stale:
            with contextlib.suppress(OSError):
                path.unlink()

    def changes(self, token: str | None) -> None:
        """Return None: a directory keeps no sync tokens."""

    def _names(self) -> tuple[str, ...]:
        try:
            with os.scandir(self.path) as entries:
                return tuple(
                    sorted(
                        entry.name
                        for entry in entries
                        if self._is_item_name(entry.name) and entry.is_file()
                    )
                )
        except FileNotFoundError:
            return ()
        except OSError as error:
            raise self._error("cannot list the directory", error) from error

    @staticmethod
    def _is_item_name(name: str) -> bool:
        return (
            name.endswith(_SUFFIX)
            and not name.startswith(".")
            and os.sep not in name
            and "/" not in name
            and (os.altsep is None or os.altsep not in name)
            and "\0" not in name
        )

    def _read(self, name: str) -> bytes | None:
        try:
            return (self.path / name).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        except OSError as error:
            raise self._error("cannot read the item", error, name) from error

    # -- writing -------------------------------------------------------------------------------

    def create(self, name: str, data: bytes) -> tuple[str, str]:
        """Write a new item as *name* only if no file of that name exists; return href and etag."""
        check_name(name)
        data = bytes(data)
        target = self.path / name
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            temporary = self._write_temporary(data)
            try:
                os.link(temporary, target)
            except FileExistsError:
                raise PreconditionFailedError(
                    "an item already exists there", href=name, status=412
                ) from None
            except OSError as error:
                if error.errno not in {errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK}:
                    raise
                self._create_exclusively(target, data)  # no hard links on this file system
            finally:
                temporary.unlink(missing_ok=True)
        except CalendarError:
            raise
        except OSError as error:
            raise self._error("cannot create the item", error, name) from error
        return name, _etag(data)

    def update(self, href: str, data: bytes, etag: str) -> str:
        """Replace the item at *href* only if it is still at *etag*; return the new etag."""
        data = bytes(data)
        self._check(href, etag)  # fail early, before writing anything
        target = self.path / href
        try:
            temporary = self._write_temporary(data)
            try:
                with contextlib.suppress(FileNotFoundError):
                    temporary.chmod(stat.S_IMODE(target.stat().st_mode))
                with _locked(self.path):
                    self._check(href, etag)  # again: it may have changed while we wrote
                    temporary.replace(target)
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
        except CalendarError:
            raise
        except OSError as error:
            raise self._error("cannot write the item", error, href) from error
        return _etag(data)

    def delete(self, href: str, etag: str) -> None:
        """Delete the item at *href* only if it is still at *etag*."""
        self._check(href, etag)
        try:
            with _locked(self.path):
                self._check(href, etag)
                (self.path / href).unlink()
        except FileNotFoundError:
            raise ItemNotFoundError("no such item", href=href, status=404) from None
        except CalendarError:
            raise
        except OSError as error:
            raise self._error("cannot delete the item", error, href) from error

    def _check(self, href: str, etag: str) -> None:
        data = self._read(href) if self._is_item_name(href) else None
        if data is None:
            raise ItemNotFoundError("no such item", href=href, status=404)
        if _etag(data) != etag:
            raise PreconditionFailedError(
                "the item changed since it was read (stale etag)", href=href, status=412
            )

    def _write_temporary(self, data: bytes) -> Path:
        """Write *data* to a new hidden file in the directory, with the umask's permissions.

        Not :func:`tempfile.mkstemp`, which makes the file private: an item is not, and
        reading the umask means setting it, which no thread may do while others create files.
        """
        for _ in range(100):
            name = self.path / f"{_TEMPORARY_PREFIX}{secrets.token_hex(8)}{_TEMPORARY_SUFFIX}"
            try:
                descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                break
            except FileExistsError:
                continue
        else:  # pragma: no cover - 100 collisions of 64 random bits
            raise FileExistsError(errno.EEXIST, "no free temporary name", str(self.path))
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                name.unlink()
            raise
        return name

    @staticmethod
    def _create_exclusively(target: Path, data: bytes) -> None:
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            raise PreconditionFailedError(
                "an item already exists there", href=target.name, status=412
            ) from None
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)

    def _error(self, message: str, error: OSError, href: str | None = None) -> CalendarError:
        where = f"{self.path / href}" if href else str(self.path)
        return CalendarError(f"{message}: {error.strerror or error}", href=where)
