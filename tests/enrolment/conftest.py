"""Fixtures for the enrolment tests: a small catalogue built to order, participants, a clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import attrs
import pytest

import libkurs
from libkurs import HELSINKI, Catalogue, EnrolmentSettings, Event, LocalizedText, Programme, Session
from libkurs.enrolment import Participant, Register

EXAMPLE = Path(__file__).parents[2] / "examples" / "catalogue.json"

#: A moment when every enrolment window of the fixtures is open.
NOW = datetime(2023, 1, 10, 9, tzinfo=HELSINKI)


def sessions(prefix: str, count: int, first: datetime) -> list[Session]:
    """*count* two-hour sessions a week apart, ids ``<prefix>-1`` …"""
    return [
        Session(
            id=f"{prefix}-{n + 1}",
            start=first + timedelta(weeks=n),
            end=first + timedelta(weeks=n, hours=2),
        )
        for n in range(count)
    ]


def course(settings: EnrolmentSettings | None = None, *, count: int = 5) -> Catalogue:
    """A catalogue with one event ``kurs`` of *count* sessions, a programme ``program`` of it
    and a second event ``dag``, enrolment as *settings* says."""
    first = datetime(2023, 2, 1, 10, tzinfo=HELSINKI)
    kurs = Event(
        id="kurs",
        title=LocalizedText({"sv": "Kurs"}),
        sessions=sessions("kurs", count, first),
        enrolment=settings,
    )
    dag = Event(
        id="dag",
        title=LocalizedText({"sv": "Dag"}),
        sessions=sessions("dag", 1, first + timedelta(days=60)),
    )
    programme = Programme(
        id="program",
        title=LocalizedText({"sv": "Program"}),
        modules=["kurs", "dag"],
        enrolment=settings,
    )
    return Catalogue(events=[kurs, dag], programmes=[programme])


def people(count: int) -> list[Participant]:
    """Participants ``p1`` … ``p<count>``."""
    return [
        Participant(id=f"p{n}", name=f"Deltagare {n}", email=f"p{n}@bibliotek.example.fi")
        for n in range(1, count + 1)
    ]


@pytest.fixture
def register() -> Register:
    """A register of twelve participants and no enrolments."""
    return Register(participants=people(12))


@pytest.fixture
def seed() -> Catalogue:
    """The seed catalogue, with five places on each run of the study visit to Denmark."""
    catalogue = libkurs.load(EXAMPLE)
    visit = catalogue.event("studiebesok-danmark")
    runs = [attrs.evolve(run, enrolment=EnrolmentSettings(capacity=5)) for run in visit.runs]
    events = [attrs.evolve(e, runs=runs) if e.id == visit.id else e for e in catalogue.events]
    return attrs.evolve(catalogue, events=events)


@pytest.fixture
def now() -> datetime:
    """A moment when every enrolment window of the fixtures is open."""
    return NOW


@pytest.fixture
def make_course():
    """The factory :func:`course`."""
    return course
