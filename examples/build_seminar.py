"""Build the final seminar of AKEpampas' service-design pilot, save it, and load it back.

Run: python examples/build_seminar.py
"""

import tempfile
from datetime import datetime
from pathlib import Path

import libkurs
from libkurs import (
    HELSINKI,
    AgendaItem,
    Catalogue,
    Event,
    EventKind,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    Session,
)

akepampas = Organisation(id="akepampas", name=LocalizedText({"sv": "AKEpampas"}))
seminar = Event(
    id="slutseminarium-service-design",
    kind=EventKind.SEMINAR,
    title=LocalizedText(
        {
            "sv": "Slutseminarium för AKEpampas pilotprojekt i service design",
            "fi": "AKEpampasin palvelumuotoilun pilottihankkeen loppuseminaari",
        }
    ),
    languages=["sv", "fi"],
    open_to_all=True,
    organisers=["akepampas"],
    location=Location(online=OnlineRoom(platform="Zoom", join_url="https://zoom.example/j/123")),
    sessions=[
        Session(
            id="slutseminarium-service-design-1",
            start=datetime(2023, 2, 1, 12, tzinfo=HELSINKI),
            end=datetime(2023, 2, 1, 16, tzinfo=HELSINKI),
            agenda=[
                AgendaItem(
                    title=LocalizedText(
                        {"sv": "De åtta deltagande biblioteken presenterar sina resultat"}
                    )
                )
            ],
        )
    ],
)
catalogue = Catalogue(events=[seminar], organisations=[akepampas])

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "seminar.json"
    libkurs.dump(catalogue, path)
    again = libkurs.load(path)

assert again == catalogue
print(again.event("slutseminarium-service-design").title.best("fi"))
print(seminar.location)  # the join link is private: the repr hides it
