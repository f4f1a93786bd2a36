"""One rule for the arguments of every public function of libkurs.enrolment, pinned by looking.

The rule (written out in docs/explanation/api-rules.md):

1. ``register`` comes first and ``catalogue`` next, when a function takes them.
2. What the catalogue or the register holds is named by its id (a ``str``), under the name of
   what it is: ``participant``, ``enrolment``, ``target``, ``session``, ``event``; a collection
   of them under the plural (``participants``, ``sessions``). A function that takes the id of
   something in the catalogue takes the catalogue, and one that takes a participant's or an
   enrolment's id takes the register, so that it can check the id.
3. An unknown id raises :class:`libkurs.errors.UnknownIdError`, which names it.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import pytest

import libkurs.enrolment as enrolment_module
from libkurs import HELSINKI, Catalogue, EnrolmentSettings, Event, LocalizedText, Session
from libkurs.enrolment import Participant, Presence, Register, enrol
from libkurs.errors import KursError, UnknownIdError

#: Names of parameters that hold the id of a thing of the catalogue.
CATALOGUE_THINGS = {"target", "session", "event", "programme", "run"}
#: Names of parameters that hold the id of a thing of the register.
REGISTER_THINGS = {"participant", "enrolment", "contact"}
PLURALS = {"participants": "participant", "sessions": "session", "targets": "target"}

#: The only functions allowed an object under one of those names, and why.
OBJECT_ALLOWED = {
    # A new participant has no id in the register yet: there is nothing to look up.
    ("add_participant", "participant"),
    # transition() works on one enrolment value, outside any register.
    ("transition", "enrolment"),
}


NOW = datetime(2023, 1, 10, 9, tzinfo=HELSINKI)


def course(count: int) -> Catalogue:
    """One event ``kurs`` of *count* two-hour sessions ``kurs-1`` …"""
    first = datetime(2023, 2, 1, 10, tzinfo=HELSINKI)
    sessions = [
        Session(
            id=f"kurs-{n + 1}",
            start=first + timedelta(weeks=n),
            end=first + timedelta(weeks=n, hours=2),
        )
        for n in range(count)
    ]
    return Catalogue(
        events=[
            Event(
                id="kurs",
                title=LocalizedText({"sv": "Kurs"}),
                sessions=sessions,
                enrolment=EnrolmentSettings(session_choice=True),
            )
        ]
    )


def public_functions():
    return [
        (name, getattr(enrolment_module, name))
        for name in enrolment_module.__all__
        if inspect.isfunction(getattr(enrolment_module, name))
    ]


def hints(function):
    return typing.get_type_hints(function)


@pytest.mark.parametrize("name", [name for name, _ in public_functions()])
def test_register_first_then_catalogue(name):
    """A function that takes the register takes it first; the catalogue comes next."""
    function = getattr(enrolment_module, name)
    names = list(inspect.signature(function).parameters)
    if "register" in names:
        assert names[0] == "register", name
    if "catalogue" in names:
        assert names.index("catalogue") == (1 if "register" in names else 0), name


@pytest.mark.parametrize("name", [name for name, _ in public_functions()])
def test_held_things_are_named_by_id(name):
    """Parameters named for what a catalogue or register holds are ids (str), never objects."""
    function = getattr(enrolment_module, name)
    types = hints(function)
    parameters = inspect.signature(function).parameters
    for parameter in parameters:
        if (name, parameter) in OBJECT_ALLOWED:
            continue
        thing = PLURALS.get(parameter, parameter)
        if thing not in CATALOGUE_THINGS | REGISTER_THINGS:
            continue
        annotation = types[parameter]
        if parameter in PLURALS:
            origin = typing.get_origin(annotation)
            assert origin in {Iterable, Sequence}, (name, parameter, annotation)
            assert typing.get_args(annotation) == (str,), (name, parameter, annotation)
        else:
            assert annotation is str, (name, parameter, annotation)
        if thing in CATALOGUE_THINGS:
            assert "catalogue" in parameters, (name, parameter)
        else:
            assert "register" in parameters, (name, parameter)


@pytest.mark.parametrize("name", [name for name, _ in public_functions()])
def test_no_public_function_takes_a_target_object(name):
    """No public function asks its caller for a resolved Target: an id is enough."""
    function = getattr(enrolment_module, name)
    for parameter, annotation in hints(function).items():
        if parameter == "return":
            continue
        assert annotation is not enrolment_module.Target, (name, parameter)


def example_arguments():
    """A small register and catalogue, and one valid value for every parameter name."""
    catalogue = course(count=2)
    register = Register(
        participants=[
            Participant(id=f"p{n}", name=f"Deltagare {n}", email=f"p{n}@bibliotek.example.fi")
            for n in (1, 2, 3)
        ]
    )
    register = enrol(register, catalogue, "p1", "kurs", now=NOW).register
    return {
        "register": register,
        "catalogue": catalogue,
        "participant": "p2",
        "participants": ["p2", "p3"],
        "contact": "p2",
        "enrolment": "e1",
        "target": "kurs",
        "event": "kurs",
        "session": "kurs-1",
        "sessions": ["kurs-1"],
        "presence": Presence.PRESENT,
        "now": NOW,
        "before": NOW,
    }


def id_parameters():
    cases = []
    for name, function in public_functions():
        for parameter in inspect.signature(function).parameters:
            thing = PLURALS.get(parameter, parameter)
            if (name, parameter) in OBJECT_ALLOWED or thing not in (
                CATALOGUE_THINGS | REGISTER_THINGS
            ):
                continue
            cases.append((name, parameter))
    return cases


@pytest.mark.parametrize(("name", "parameter"), id_parameters())
def test_an_unknown_id_raises_unknown_id_error(name, parameter):
    """Every id argument of every public function is checked: an unknown one names itself."""
    function = getattr(enrolment_module, name)
    valid = example_arguments()
    signature = inspect.signature(function)
    positional, keywords = [], {}
    for other in signature.parameters.values():
        if other.default is not inspect.Parameter.empty and other.name != parameter:
            continue
        value = valid[other.name]
        if other.name == parameter:
            value = [*valid[parameter][:1], "nobody"] if parameter in PLURALS else "nobody"
        if other.kind is inspect.Parameter.KEYWORD_ONLY:
            keywords[other.name] = value
        else:
            positional.append(value)
    with pytest.raises(UnknownIdError) as caught:
        function(*positional, **keywords)
    error = caught.value
    assert error.id == "nobody"
    assert "'nobody'" in str(error)
    assert isinstance(error, KursError)
    assert isinstance(error, KeyError), "existing `except KeyError` keeps working"


@pytest.mark.parametrize(
    "method", ["participant", "enrolment", "enrolments_in", "enrolments_of", "enrolment_of"]
)
def test_register_lookups_take_ids(method):
    """The lookups of Register take ids (str) too, under the names of what they look up."""
    types = hints(getattr(Register, method))
    for parameter, annotation in types.items():
        if parameter != "return":
            assert annotation is str, (method, parameter)
