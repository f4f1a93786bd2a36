"""Code a type checker must refuse, line by line, and code it must accept.

Never run, only checked: ``test_mypy.py`` runs mypy on this file. A line that ends with
``# E: <code>`` must be reported with that error code; every other line must be clean.
"""

from __future__ import annotations

from datetime import date, datetime

import libkurs
from libkurs import HELSINKI, Catalogue, Event, LocalizedText, Session
from libkurs.enrolment import (
    Participant,
    Register,
    availability,
    enrol,
    resolve_target,
    waiting_list,
)


def refused(catalogue: Catalogue, register: Register, session: Session, text: str) -> None:
    title = LocalizedText({"sv": "Kurs"})
    Catalogue(events=[session])  # E: list-item
    Event(id="kurs", title=title, languages="sv")  # E: arg-type
    Event(id="kurs", title=title, sessions=session)  # E: arg-type
    Event(id="kurs", title=title, organisers="ake")  # E: arg-type
    Register(participants=[session])  # E: list-item
    libkurs.dumps(catalogue, "json", indnt=2)  # E: call-overload
    libkurs.dumps(catalogue, "ics", indent=2)  # E: call-overload
    libkurs.loads(text, "ics", zone="Europe/Helsinki")  # E: call-overload
    libkurs.loads(text, "jsonld", source="x.jsonld")  # E: call-overload
    libkurs.load("katalog.json", sourse="katalog.json")  # E: call-overload
    libkurs.dump(catalogue, "kalender.ics", uid_domian="avi.fi")  # E: call-overload
    libkurs.dumps(catalogue, "announcement", language=None)  # E: call-overload
    availability(register, resolve_target(catalogue, "kurs"))  # E: call-arg
    waiting_list(register, "kurs")  # E: call-arg
    anna = Participant(id="p1", name="Anna", email="anna@example.org")
    enrol(register, catalogue, anna, "kurs", now=datetime.now(HELSINKI))  # E: arg-type
    register.enrolment_of("p1")  # E: call-arg
    catalogue.replace_event(session)  # E: arg-type


def accepted(catalogue: Catalogue, register: Register, event: Event, name: str) -> None:
    title = LocalizedText({"sv": "Kurs"})
    Catalogue(events=[event], programmes=())
    Event(id="kurs", title=title, languages=["sv", "fi"], organisers=("ake",))
    libkurs.dumps(catalogue, "json", indent=None)
    libkurs.dumps(catalogue, "ics", language="sv", uid_domain="avi.fi")
    libkurs.dumps(catalogue, "jsonld", include_incomplete=True)
    libkurs.dumps(catalogue, "announcement-md", language="fi", event="kurs")
    libkurs.dumps(catalogue, "linkedevents", keyword_ids={"demokrati": "yso:p742"})
    libkurs.dumps(catalogue, name)
    libkurs.load("kalender.ics", horizon=date(2023, 6, 30))
    libkurs.load("katalog.json", "json", source="katalog.json")
    libkurs.loads("…", "announcement", reference=date(2023, 1, 10))
    libkurs.dump(catalogue, "katalog.json", indent=None)
    availability(register, catalogue, "kurs")
    waiting_list(register, catalogue, "kurs")
    enrol(register, catalogue, "p1", "kurs", now=datetime.now(HELSINKI), sessions=["kurs-1"])
    register.enrolment_of("p1", "kurs")
    catalogue.replace_event(event)
