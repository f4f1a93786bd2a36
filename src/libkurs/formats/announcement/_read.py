"""Read a plain-text announcement into a draft catalogue for a person to check.

The first line is the title; ``Label: value`` lines in Swedish, Finnish or English (as the
plain-text announcement writes them) are facts; a "Program" / "Ohjelma" / "Programme" heading
starts the programme of talks; every other paragraph is the description. Dates come from
:func:`~libkurs.formats.announcement.find_dates`: each unambiguous date becomes a session, a
date after "senast" / "viimeistään" / "by" is the enrolment deadline (a date without a clock
is a deadline known only to the day: enrolment is open all of it), and a part of the day named
without a clock ("förmiddag") becomes an all-day session with that
:class:`~libkurs.PartOfDay`. Everything that
needs a person's eye (ambiguous dates, a programme without a session) is listed in the event's
``internal_note``. A text that names only months or years ("augusti 2022 – september 2022")
gives the event that :class:`~libkurs.Period` instead of a session. The event is a
:attr:`~libkurs.Publication.DRAFT`.

A text longer than :data:`MAX_LENGTH` characters is a :class:`~libkurs.errors.FormatError`;
below it, reading takes time in proportion to the length. A date too near the year 1 or 9999
for the model is ambiguous, and so listed in the note.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, tzinfo

import attrs
from babel import Locale

from libkurs.errors import FormatError, ValidationError
from libkurs.formats.announcement._dates import FoundDate, find_dates
from libkurs.formats.announcement._words import LANGUAGES
from libkurs.model import (
    AgendaItem,
    Catalogue,
    EnrolmentSettings,
    Event,
    EventKind,
    Link,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    PartOfDay,
    Publication,
    Session,
)

__all__ = ["MAX_LENGTH", "read_announcement"]

_LABELS: dict[str, tuple[str, ...]] = {
    "time": ("tid", "aika", "time", "datum", "päivämäärä", "date"),
    "place": ("plats", "paikka", "place", "location"),
    "language": ("språk", "kieli", "language", "languages"),
    "organiser": ("arrangör", "arrangörer", "järjestäjä", "järjestäjät", "organiser", "organizer"),
    "enrolment": ("anmälan", "ilmoittautuminen", "enrolment", "registration"),
    "price": ("pris", "hinta", "price"),
    "audience": ("målgrupp", "kohderyhmä", "audience"),
    "keywords": ("teman", "teemat", "themes", "nyckelord", "asiasanat", "keywords"),
    "links": ("länkar", "linkit", "links"),
}
_PROGRAMME_HEADINGS = frozenset({"program", "ohjelma", "programme", "program:", "ohjelma:"})
_DEADLINE = re.compile(
    r"(senast|viimeistään|sista anmälningsdag(?:en)?|viimeinen ilmoittautumispäivä"
    r"|deadline|enrol by|register by|by)\W*$",
    re.I,
)
_ONLINE = re.compile(
    r"\b(på distans|distans|etänä|etäyhteydellä|verkossa|online|zoom|teams|webbinari\w*)\b", re.I
)
_PLATFORMS = ("Zoom", "Teams", "Google Meet")
_OPEN = re.compile(r"öppet för alla|avoin kaikille|open to (?:all|every)", re.I)
_FREE = re.compile(r"avgiftsfri|kostnadsfri|maksuton|free of charge", re.I)
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)]")
_STOPWORDS = {
    "sv": {"och", "är", "för", "med", "på", "den", "att", "som", "av", "till", "kl"},
    "fi": {"ja", "on", "klo", "kello", "tai", "sekä", "että", "ovat", "tilaisuus", "myös"},
    "en": {"the", "and", "of", "to", "is", "for", "with", "on", "at", "in", "a", "by", "than"},
}
_KINDS = (
    (re.compile(r"seminari|seminaari|seminar", re.I), EventKind.SEMINAR),
    (re.compile(r"webbinari|webinaari|webinar", re.I), EventKind.WEBINAR),
    (re.compile(r"workshop|työpaja", re.I), EventKind.WORKSHOP),
    (re.compile(r"studiebesök|opintomatka|study visit", re.I), EventKind.STUDY_VISIT),
    (re.compile(r"föreläsning|luento|lecture", re.I), EventKind.LECTURE),
    (re.compile(r"\bkurs|kurssi|course", re.I), EventKind.COURSE),
)
#: The longest a day lasts (the day summer time ends): a part of the day belongs to one day.
_DAY = timedelta(hours=25)
_BILINGUAL = re.compile(r"tvåspråkig|kaksikielinen|bilingual", re.I)


def _decode(data: str | bytes) -> str:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FormatError(
                f"not UTF-8: byte {data[error.start]:#04x} at offset {error.start}"
            ) from None
    return data.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _slug(text: str, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    return slug or fallback


def _calendar_words() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for tag in LANGUAGES:
        locale = Locale.parse(tag)
        names = [*locale.months["format"]["wide"].values(), *locale.days["format"]["wide"].values()]
        found[tag] = {name.lower() for name in names} | _STOPWORDS[tag]
    return found


_CALENDAR_WORDS = _calendar_words()


def _guess_language(text: str) -> str:
    tokens = re.findall(r"\w+", text.lower())
    scores = {tag: sum(t in words for t in tokens) for tag, words in _CALENDAR_WORDS.items()}
    return max(LANGUAGES, key=lambda tag: (scores[tag], -LANGUAGES.index(tag)))


def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for tag in LANGUAGES:
        locale = Locale.parse(tag)
        for code in ("sv", "fi", "en", "se", "ru", "et", "de"):
            name = locale.languages.get(code)
            if isinstance(name, str):
                names[name.lower()] = code
    return names


_LANGUAGE_NAMES = _language_names()


class _Paragraph:
    def __init__(self, start: int, text: str) -> None:
        self.start = start
        self.text = text
        self.end = start + len(text)


def _paragraphs(text: str) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    for match in re.finditer(r"[^\n]+(?:\n[^\n]*\S[^\n]*)*", text):
        lines = [ln for ln in match.group().split("\n") if not re.fullmatch(r"\s*[=-]{3,}\s*", ln)]
        body = "\n".join(lines).strip()
        if body:
            paragraphs.append(_Paragraph(match.start(), body))
    return paragraphs


def _fact(line: str) -> tuple[str, str] | None:
    label, colon, value = line.partition(":")
    if not colon:
        return None
    for key, labels in _LABELS.items():
        if label.strip().lower() in labels:
            return key, value.strip()
    return None


def _is_deadline(text: str, found: FoundDate) -> bool:
    # The words before a date on its line: a bounded stretch, so that a text of one long line
    # is not read again from its start for every date in it.
    line_start = max(
        text.rfind("\n", max(0, found.span[0] - _DEADLINE_REACH), found.span[0]) + 1,
        found.span[0] - _DEADLINE_REACH,
    )
    before = text[line_start : found.span[0]]
    return bool(_DEADLINE.search(before)) or bool(
        re.match(r"\s*(anmälan|ilmoittautuminen|enrolment)\s*:", before, re.I)
    )


#: How far before a date (in characters, on its line) the words that make it a deadline may be.
_DEADLINE_REACH = 200
#: The longest announcement read, in characters.
MAX_LENGTH = 1_000_000


def read_announcement(
    data: str | bytes, *, reference: date | None, language: str | None, tz: tzinfo
) -> Catalogue:
    """A draft catalogue of the one event that a plain-text announcement describes."""
    text = _decode(data)
    if len(text) > MAX_LENGTH:
        raise FormatError(
            f"{len(text)} characters; an announcement is read up to {MAX_LENGTH}", line=1
        )
    paragraphs = _paragraphs(text)
    if not paragraphs:
        raise FormatError("an announcement needs a title on its first line", line=1)
    title_line = paragraphs[0].text.split("\n")[0].strip()
    lang = language or _guess_language(text)
    if lang not in LANGUAGES:
        raise ValidationError(
            f"announcements are read in {', '.join(LANGUAGES)}, not {lang!r}", path="language"
        )
    found = find_dates(text, reference=reference, tz=tz)
    facts: dict[str, list[str]] = {}
    description: list[str] = []
    programme: list[tuple[int, str]] = []
    in_programme = False
    rest = paragraphs[0].text.split("\n", 1)[1:] if "\n" in paragraphs[0].text else []
    blocks = [(paragraphs[0].start + len(title_line) + 1, r) for r in rest]
    blocks += [(p.start, p.text) for p in paragraphs[1:]]
    for start, block in blocks:
        plain: list[str] = []
        offset = start
        for line in block.split("\n"):
            stripped = line.strip()
            if stripped.lower().rstrip(":") in {h.rstrip(":") for h in _PROGRAMME_HEADINGS}:
                in_programme = True
            elif in_programme and stripped:
                programme.append((text.find(stripped, offset), stripped.removeprefix("- ")))
            elif (fact := _fact(stripped)) is not None:
                facts.setdefault(fact[0], []).append(fact[1])
            elif stripped:
                plain.append(stripped)
            offset += len(line) + 1
        if plain:
            description.append("\n".join(plain))
    facts_read = {key: " ".join(values) for key, values in facts.items()}
    programme_start = min((pos for pos, _ in programme), default=len(text) + 1)
    notes: list[str] = []
    spans, (closes, whole_day) = _sessions(text, found, programme_start, notes)
    event_id = _slug(title_line, "announcement")
    sessions = [
        Session(
            id=f"{event_id}-{n}",
            start=start,
            end=end,
            all_day=all_day,
            part_of_day=part,
        )
        for n, (start, end, all_day, part) in enumerate(spans, 1)
    ]
    sessions = _with_agenda(sessions, programme, found, lang, notes)
    # Without a dated session, the first rough period written ("augusti 2022") says when.
    period = next(
        (f.period for f in found if f.period is not None and f.span[0] < programme_start), None
    )
    organisations = [
        Organisation(id=_slug(name, f"organisation-{n}"), name=LocalizedText({lang: name}))
        for n, name in enumerate(_split_names(facts_read.get("organiser", "")), 1)
    ]
    body = "\n\n".join(description)
    online = _ONLINE.search(text)
    platform = next((p for p in _PLATFORMS if p.lower() in text.lower()), None)
    event = Event(
        id=event_id,
        title=LocalizedText({lang: title_line}),
        description=LocalizedText({lang: body}) if body else None,
        publication=Publication.DRAFT,
        kind=next((kind for rx, kind in _KINDS if rx.search(title_line)), EventKind.OTHER),
        languages=_languages(facts_read.get("language", ""), text),
        open_to_all=bool(_OPEN.search(text)),
        free_of_charge=True if _FREE.search(text) else None,
        organisers=[o.id for o in organisations],
        keywords=[
            LocalizedText({lang: k}) for k in _split_keywords(facts_read.get("keywords", ""))
        ],
        links=_links(f"{body} {facts_read.get('links', '')}"),
        location=Location(online=OnlineRoom(platform=platform)) if online else None,
        enrolment=(
            EnrolmentSettings(closes=closes, closes_whole_day=whole_day)
            if closes is not None
            else None
        ),
        sessions=sessions,
        period=None if sessions else period,
        internal_note=(
            "Read from an announcement; check: " + "; ".join(notes)
            if notes
            else "Read from an announcement; check it before publishing."
        ),
    )
    return Catalogue(events=[event], organisations=_unique(organisations))


#: A session found: start, end, whether all day, and its part of the day.
_Span = tuple[datetime, datetime, bool, PartOfDay | None]


def _sessions(
    text: str, found: list[FoundDate], programme_start: int, notes: list[str]
) -> tuple[list[_Span], tuple[datetime | None, bool]]:
    sessions: list[_Span] = []
    seen: set[_Span] = set()
    closes: datetime | None = None
    whole_day = False
    parts: dict[date, list[PartOfDay]] = {}
    for item in found:
        if item.span[0] >= programme_start:
            continue
        if item.ambiguous:
            if item.part_of_day is not None and item.day is not None:
                parts.setdefault(item.day, []).append(PartOfDay(item.part_of_day))
            else:
                notes.append(f"{item.text!r}: {item.ambiguity}")
            continue
        assert item.start is not None
        if _is_deadline(text, item):
            # "senast 7.3.2023" is the whole of that day: it closes at the midnight after it.
            closes, whole_day = (item.end, True) if item.all_day else (item.start, False)
            continue
        if item.end is None:
            notes.append(f"{item.text!r}: the end is not given")
            continue
        entry: _Span = (item.start, item.end, item.all_day, None)
        if entry not in seen:
            seen.add(entry)
            sessions.append(entry)
    return _name_parts(sessions, seen, parts), (closes, whole_day)


def _name_parts(
    sessions: list[_Span], seen: set[_Span], parts: dict[date, list[PartOfDay]]
) -> list[_Span]:
    """The all-day session of a day whose parts are named, one per part ("Förmiddag")."""
    whole_days: dict[date, _Span] = {}
    for entry in sessions:
        if entry[2] and entry[1] - entry[0] <= _DAY:
            whole_days.setdefault(entry[0].date(), entry)
    named: list[_Span] = []
    for day, named_parts in parts.items():
        whole = whole_days.get(day)
        if whole is None:
            continue
        seen.discard(whole)  # seen is now the sessions kept as they are
        for part in dict.fromkeys(named_parts):
            named.append((whole[0], whole[1], True, part))
    kept = [entry for entry in sessions if entry in seen] + named
    kept.sort(key=lambda s: (s[0], s[3].rank if s[3] is not None else -1))
    return kept


def _with_agenda(
    sessions: list[Session],
    programme: list[tuple[int, str]],
    found: list[FoundDate],
    lang: str,
    notes: list[str],
) -> list[Session]:
    if not programme:
        return sessions
    by_part = _titles_by_part(sessions, programme, lang)
    if by_part is not None:
        return by_part
    if len(sessions) != 1:
        notes.append("a programme of talks, but not exactly one session to put it in")
        return sessions
    (session,) = sessions
    items: list[AgendaItem] = []
    timed_at: dict[int, FoundDate] = {}
    for f in found:
        if f.start is not None:
            timed_at.setdefault(f.span[0], f)
    for position, line in programme:
        timed = timed_at.get(position)
        title = line
        start = end = None
        if timed is not None:
            title = line[line.find(timed.text) + len(timed.text) :].strip() or line
            # A lone time belongs to the last date before it, which may be the deadline:
            # put it on the session's day instead.
            day, zone = session.start.date(), session.start.tzinfo
            start, end = (
                datetime.combine(day, m.time(), tzinfo=zone) if m is not None else None
                for m in (timed.start, timed.end)
            )
            moments = [m for m in (start, end) if m is not None]
            if any(not session.start <= m <= session.end for m in moments):
                notes.append(f"{timed.text!r} is outside the session")
                start = end = None
        items.append(AgendaItem(title=LocalizedText({lang: title}), start=start, end=end))
    return [attrs.evolve(session, agenda=items)]


#: Every language's name of every part of the day, lower case.
_PART_NAMES = {name: part for part in PartOfDay for name in part.words.values()}
_PART_LINE = re.compile(r"(?P<part>\w+)\s*:\s*(?P<title>\S.*)")


def _titles_by_part(
    sessions: list[Session], programme: list[tuple[int, str]], lang: str
) -> list[Session] | None:
    """Sessions titled from programme lines such as "Förmiddag: Inlärningsmetoder", if all match.

    That is how an announcement lists the parts of a day; lines of any other shape (talks with
    times) are an agenda instead, and None is returned.
    """
    parts = {s.part_of_day: s for s in sessions if s.part_of_day is not None}
    if not parts or len(parts) != len(sessions):
        return None
    titles: dict[PartOfDay, str] = {}
    for _, line in programme:
        match = _PART_LINE.fullmatch(line)
        part = _PART_NAMES.get(match["part"].lower()) if match else None
        if match is None or part not in parts or part in titles:
            return None
        titles[part] = match["title"].strip()
    return [
        attrs.evolve(s, title=LocalizedText({lang: titles[s.part_of_day]}))
        if s.part_of_day in titles
        else s
        for s in sessions
    ]


def _split_names(value: str) -> list[str]:
    parts = re.split(r",\s*|\s+(?:och|ja|and)\s+", value.strip().rstrip("."))
    return [p.strip() for p in parts if p.strip()]


def _split_keywords(value: str) -> list[str]:
    return list(dict.fromkeys(k.strip() for k in value.split(",") if k.strip()))


def _unique(organisations: list[Organisation]) -> list[Organisation]:
    return list({o.id: o for o in organisations}.values())


def _languages(value: str, text: str) -> list[str]:
    tags = [_LANGUAGE_NAMES[n.lower()] for n in _split_names(value) if n.lower() in _LANGUAGE_NAMES]
    if not tags and _BILINGUAL.search(text):
        tags = ["sv", "fi"]
    return list(dict.fromkeys(tags))


def _links(body: str) -> list[Link]:
    links: list[Link] = []
    for url in dict.fromkeys(_URL.findall(body)):
        try:
            links.append(Link(url=url))
        except ValidationError:
            continue  # not a URL the model accepts: it stays in the description
    return links
