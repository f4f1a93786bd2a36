"""Formats without a field for the part of the day name it in the session's name."""

import json
from pathlib import Path

import libkurs
from libkurs import LocalizedText, PartOfDay
from libkurs.formats._parts import named_with_part, part_of_name

EXAMPLE = Path(__file__).parents[2] / "examples" / "catalogue.json"


def test_json_ld_names_the_part_of_the_day_of_each_session():
    """The Liboppi day's sub-events are "Förmiddag: …" and "Eftermiddag: …"."""
    graph = json.loads(libkurs.dumps(libkurs.load(EXAMPLE), "jsonld", language="fi"))["@graph"]
    (liboppi,) = [node for node in graph if node["@id"] == "#liboppi-dag-2023"]
    names = [sub["name"] for sub in liboppi["subEvent"]]
    assert names == [
        "Aamupäivä: Olika inlärningsmetoder i Liboppi",
        "Iltapäivä: Att logga in i Liboppi och bilda studiekretsar enligt intresse",
    ]


def test_linked_events_round_trips_the_parts_of_the_day():
    """Written as sub-event names, the parts and the titles come back from Linked Events."""
    seed = libkurs.public_view(libkurs.load(EXAMPLE))
    back = libkurs.loads(libkurs.dumps(seed, "linkedevents"), "linkedevents")
    (liboppi,) = [e for e in back.events if e.id.endswith("liboppi-dag-2023")]
    assert [(s.part_of_day, str(s.title)) for s in liboppi.sessions] == [
        (PartOfDay.MORNING, "Olika inlärningsmetoder i Liboppi"),
        (PartOfDay.AFTERNOON, "Att logga in i Liboppi och bilda studiekretsar enligt intresse"),
    ]


def test_a_name_that_only_looks_like_a_part_is_left_alone():
    """Languages that disagree, or no text after the colon, give no part of the day."""
    mixed = LocalizedText({"sv": "Förmiddag: Metoder", "fi": "Metodit"})
    assert part_of_name(mixed) == (None, mixed)
    bare = LocalizedText({"en": "Morning: "})
    assert part_of_name(bare) == (None, bare)
    title = LocalizedText({"en": "Methods"})
    assert part_of_name(named_with_part(title, PartOfDay.EVENING)) == (PartOfDay.EVENING, title)
