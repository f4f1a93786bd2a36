"""Every exception libkurs raises on purpose.

One root, :class:`KursError`; the ones about bad data also subclass :class:`ValueError` and
carry *where* the data is wrong as typed attributes (a field path, a line, a row), so a program
can point its user at the spot and a person can read the message as it is::

    KursError
    ├── DataError (also ValueError)            the data is wrong; says where
    │   ├── ValidationError                    a rule of the domain model is broken
    │   │   ├── DuplicateIdError               two things in one catalogue share an id
    │   │   └── UnresolvedReferenceError       an id refers to nothing in the catalogue
    │   └── FormatError                        the input is not what the format allows
    │       └── SchemaVersionError             a native document of an unknown version
    ├── UnknownFormatError (also ValueError)   no format of that name, or for that file suffix
    ├── UnknownIdError (also KeyError)         no event, session, participant … with that id
    ├── EnrolmentError                         a rule of enrolment refuses the operation
    │   ├── IllegalTransitionError             that status change is not allowed from the status
    │   ├── EnrolmentClosedError               the enrolment window is not open at that moment
    │   └── NoPlaceError                       no free place and no room on the waiting list
    ├── CalendarError                          a calendar (CalDAV server, directory) failed us
    │   ├── PreconditionFailedError            the item changed (or appeared) since we looked: 412
    │   ├── ConflictError                      a calendar edit met a catalogue change (policy FAIL)
    │   ├── ItemNotFoundError                  no item at that href
    │   ├── AuthenticationError                the server refused the credentials: 401, 403
    │   ├── TransportError                     the connection failed, or the server said 5xx/429
    │   ├── UnsafeNameError (also ValueError)  a name for a new item could leave its calendar
    │   └── SafetyError                        a sync would delete too much; refused unless forced
    └── MailError                              a mail server (SMTP, IMAP) or a mailbox failed us
        ├── MailLoginError                     the mail server refused the login
        ├── MailUnavailableError               unreachable, or answered 4xx: try again later
        └── MessageRefusedError                the server refused one message for good: 5xx

Exceptions from the libraries libkurs uses never escape: they are wrapped in one of these,
with the original as ``__cause__``.

A lookup by id (:meth:`libkurs.Catalogue.event`, :meth:`libkurs.enrolment.Register.enrolment`,
an operation of :mod:`libkurs.enrolment` given an id …) raises :class:`UnknownIdError`, which is
also a :class:`KeyError`, so code written for the lookups' old bare ``KeyError`` still works.
An :class:`EnrolmentError` is a refusal by a business rule (a full course, a closed window), not
bad data: it is not a :class:`ValidationError`. Nothing is changed when either is raised.
"""

from __future__ import annotations

__all__ = [
    "AuthenticationError",
    "CalendarError",
    "ConflictError",
    "DataError",
    "DuplicateIdError",
    "EnrolmentClosedError",
    "EnrolmentError",
    "FormatError",
    "IllegalTransitionError",
    "ItemNotFoundError",
    "KursError",
    "MailError",
    "MailLoginError",
    "MailUnavailableError",
    "MessageRefusedError",
    "NoPlaceError",
    "PreconditionFailedError",
    "SafetyError",
    "SchemaVersionError",
    "TransportError",
    "UnknownFormatError",
    "UnknownIdError",
    "UnresolvedReferenceError",
    "UnsafeNameError",
    "ValidationError",
]


class KursError(Exception):
    """The root of every exception that libkurs raises on purpose."""

    def __reduce__(self) -> tuple[object, ...]:
        # Subclasses take keyword-only context; rebuild from the state, not by calling __init__,
        # so that errors survive pickling (multiprocessing, logging handlers).
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(cls: type[KursError], args: tuple[object, ...], state: dict[str, object]) -> KursError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class DataError(KursError, ValueError):
    """Data is wrong, and this says where.

    Attributes:
        reason: What is wrong, without the place.
        path: The field path, as in ``events[2].sessions[0].end``; ``""`` is the whole document.
        source: The file (or other source) the data came from, when known.
        line: The 1-based line in the source, for line-based formats.
        row: The 1-based data row, for tabular formats.
        column: The column name, for tabular formats.
    """

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        source: str | None = None,
        line: int | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.reason = reason
        self.path = path
        self.source = source
        self.line = line
        self.row = row
        self.column = column
        super().__init__(reason)

    def __str__(self) -> str:
        places = []
        if self.source:
            places.append(self.source)
        if self.line is not None:
            places.append(f"line {self.line}")
        if self.row is not None:
            places.append(f"row {self.row}")
        if self.column is not None:
            places.append(f"column {self.column!r}")
        if self.path:
            places.append(self.path)
        return ": ".join([*places, self.reason])

    def within(self, prefix: str) -> None:
        """Put the field path under *prefix*, as the error travels out of a nested structure.

        ``prefix`` is a path such as ``events[2]``; the result is ``events[2].sessions[0].end``.
        """
        if not prefix:
            return
        if not self.path:
            self.path = prefix
        elif self.path.startswith("["):
            self.path = prefix + self.path
        else:
            self.path = f"{prefix}.{self.path}"


class ValidationError(DataError):
    """A rule of the domain model is broken, such as an end before its start."""


class DuplicateIdError(ValidationError):
    """Two things in one catalogue share an id.

    Attributes:
        id: The id used twice.
        first_path: Where it was used first.
    """

    def __init__(self, id: str, *, path: str, first_path: str) -> None:
        self.id = id
        self.first_path = first_path
        super().__init__(f"duplicate id {id!r} (already used at {first_path})", path=path)


class UnresolvedReferenceError(ValidationError):
    """An id refers to nothing in the catalogue (a speaker, a venue, an organiser …).

    Attributes:
        id: The id that resolves to nothing.
        expected: What it should name (``"person"``, ``"venue"`` …).
    """

    def __init__(self, id: str, *, expected: str, path: str) -> None:
        self.id = id
        self.expected = expected
        super().__init__(
            f"refers to {id!r}, but the catalogue has no {expected} with that id", path=path
        )


class FormatError(DataError):
    """The input is not what the format allows: syntax, an unknown key, a wrong type."""


class SchemaVersionError(FormatError):
    """A native libkurs document written in a version this libkurs does not read.

    Attributes:
        found: The version the document declares.
        supported: The versions this libkurs reads.
    """

    def __init__(
        self, found: object, *, supported: tuple[int, ...], source: str | None = None
    ) -> None:
        self.found = found
        self.supported = supported
        versions = ", ".join(str(v) for v in supported)
        super().__init__(
            f"unknown schema version {found!r}; this libkurs reads version {versions}",
            path="version",
            source=source,
        )


class UnknownFormatError(KursError, ValueError):
    """No format has that name, or none is registered for that file suffix.

    Attributes:
        name: The format name, or the file suffix, asked for.
        known: The names of the registered formats.
        path: The file whose format could not be told from its suffix, if that was the question.
    """

    def __init__(self, name: str, *, known: tuple[str, ...], path: str | None = None) -> None:
        self.name = name
        self.known = known
        self.path = path
        names = ", ".join(known)
        if path is None:
            message = f"unknown format {name!r}; known formats: {names}"
        else:
            what = f"its suffix {name!r}" if name else "its name, which has no suffix"
            message = (
                f"{path}: cannot tell the format from {what}; name one "
                f"(format= in Python, --format on the command line): {names}"
            )
        super().__init__(message)


class UnknownIdError(KursError, KeyError):
    """Nothing of the kind asked for has that id: no event, session, participant, enrolment ….

    Raised by every lookup by id, in the model (:meth:`libkurs.Catalogue.event` …) and in
    enrolment (:meth:`libkurs.enrolment.Register.participant`, the operations). It is also a
    :class:`KeyError`, as the model's lookups raised before it existed.

    Attributes:
        id: The id that names nothing.
        expected: What it should name (``"event"``, ``"participant"``, ``"session of 'x'"`` …).
        path: The argument or field that held the id, when there is one (``"target"``).
        reason: The message without the path (by default "no *expected* with id *id*").
    """

    def __init__(
        self, id: str, *, expected: str, path: str | None = None, reason: str | None = None
    ) -> None:
        self.id = id
        self.expected = expected
        self.path = path
        self.reason = reason or f"no {expected} with id {id!r}"
        super().__init__(self.reason)

    def __str__(self) -> str:
        # KeyError would show the repr of the message.
        return f"{self.path}: {self.reason}" if self.path else self.reason


class EnrolmentError(KursError):
    """A rule of enrolment refuses the operation; nothing was changed.

    The data is fine: the course is full, the window is closed, the participant is already
    enrolled. (It used to be a :class:`ValidationError`; see the changelog.)

    Attributes:
        reason: What the rule says, without the path.
        path: The argument concerned (``"target"``, ``"mode"``, ``"now"`` …), when there is one.
    """

    def __init__(self, reason: str, *, path: str | None = None) -> None:
        self.reason = reason
        self.path = path
        super().__init__(reason)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class IllegalTransitionError(EnrolmentError):
    """A status change that the lifecycle does not allow, such as withdrawn → confirmed.

    Attributes:
        enrolment: The id of the enrolment.
        current: The status it has.
        requested: The status it was asked to take.
    """

    def __init__(self, enrolment: str, *, current: str, requested: str) -> None:
        self.enrolment = enrolment
        self.current = current
        self.requested = requested
        super().__init__(
            f"enrolment {enrolment!r} cannot go from {current} to {requested}", path="status"
        )


class EnrolmentClosedError(EnrolmentError):
    """The enrolment window of the target is not open at that moment."""


class NoPlaceError(EnrolmentError):
    """No place is free and the waiting list (if any) has no room."""


class CalendarError(KursError):
    """A calendar (a CalDAV server, a directory) failed to do what was asked.

    Attributes:
        href: The item or collection concerned, when there is one. Never carries credentials.
        status: The HTTP status, for CalDAV.
    """

    def __init__(self, message: str, *, href: str | None = None, status: int | None = None) -> None:
        self.href = href
        self.status = status
        super().__init__(f"{href}: {message}" if href else message)


class PreconditionFailedError(CalendarError):
    """The item changed since it was read (``If-Match``) or already exists (``If-None-Match``)."""


class ConflictError(CalendarError):
    """An item edited in the calendar would be changed by the catalogue, under the FAIL policy.

    Raised by :func:`libkurs.sync.sync` before it writes anything.
    """


class ItemNotFoundError(CalendarError):
    """There is no item at that href."""


class AuthenticationError(CalendarError):
    """The server refused the credentials (HTTP 401 or 403)."""


class TransportError(CalendarError):
    """The connection failed, timed out, or the server answered 5xx or 429.

    Attributes:
        retry_after: Seconds the server asked to wait (``Retry-After``), when it said.
    """

    def __init__(
        self,
        message: str,
        *,
        href: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, href=href, status=status)


class UnsafeNameError(CalendarError, ValueError):
    """A name offered for a new item could escape its calendar or is not portable."""


class SafetyError(CalendarError):
    """A sync would delete more of the items it owns than allowed; pass ``force=True`` to go on."""


class MailError(KursError):
    """A mail server (SMTP, IMAP) or a mailbox failed to do what was asked.

    Attributes:
        server: The server (``host:port``) or the mailbox path; never carries credentials.
        code: The SMTP reply code, when the server gave one.

    The message never names a participant's address: it may end up in a log.
    """

    def __init__(self, message: str, *, server: str | None = None, code: int | None = None) -> None:
        self.server = server
        self.code = code
        super().__init__(f"{server}: {message}" if server else message)


class MailLoginError(MailError):
    """The mail server refused the login (SMTP 535, IMAP NO to LOGIN)."""


class MailUnavailableError(MailError):
    """The mail server is unreachable, timed out, or answered 4xx: try again later."""


class MessageRefusedError(MailError):
    """The server refused one message or recipient for good: an SMTP 5xx."""


def _tree(*, describe: bool = True) -> str:
    """The tree of the exceptions above, drawn from the classes, as the module docstring draws it.

    The reference renders it, and a test holds the docstring's drawing to it.
    """
    public = {name: globals()[name] for name in __all__}
    lines = [KursError.__name__]

    def label(cls: type[KursError]) -> str:
        also = [base.__name__ for base in cls.__bases__ if not issubclass(base, KursError)]
        return cls.__name__ + (f" (also {', '.join(also)})" if also else "")

    def walk(cls: type[KursError], prefix: str) -> None:
        children = [sub for sub in cls.__subclasses__() if public.get(sub.__name__) is sub]
        for number, child in enumerate(children):
            last = number == len(children) - 1
            text = prefix + ("└── " if last else "├── ") + label(child)
            if describe:
                summary = (child.__doc__ or "").strip().splitlines()[0].rstrip(".")
                summary = summary.replace("``", "")
                text = f"{text:<42} {summary}"
            lines.append(text.rstrip())
            walk(child, prefix + ("    " if last else "│   "))

    walk(KursError, "")
    return "\n".join(lines)
