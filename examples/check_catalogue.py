"""Check a catalogue file and list the events that have no date yet.

Run: python examples/check_catalogue.py [FILE]   (default: examples/catalogue.json)
"""

import sys
from pathlib import Path

import libkurs
from libkurs.errors import DataError

path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("catalogue.json")
try:
    catalogue = libkurs.load(path)
except DataError as error:
    # error.source, error.path and error.reason say where and what; str(error) says it all.
    sys.exit(f"invalid: {error}")

undated = [event for event in catalogue.events if not event.sessions]
print(f"{len(catalogue.events)} events, {len(undated)} without a date yet:")
for event in undated:
    when = f" (planned: {event.period})" if event.period else ""
    print(f"- {event.title}{when}")
