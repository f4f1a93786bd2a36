"""Fuzzing every reader with a small budget: only libkurs errors, whatever the input.

The long run is ``python3 dev.py fuzz`` (see ``tests/fuzzing.py``); here Hypothesis drives the
same mutations a few dozen times per reader, and every input the fuzzer (or a person) found
failing is replayed from ``tests/data/fuzz/READER/``.
"""

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import READERS, mutate, outcome_of

REGRESSIONS = Path(__file__).parent / "data" / "fuzz"
JSON_READERS = {"json", "register", "linkedevents"}
SEEDS = {name: reader.seeds() for name, reader in READERS.items()}
POOL = [seed for seeds in SEEDS.values() for seed in seeds]
FOUND = sorted(p for p in REGRESSIONS.glob("*/*") if p.is_file())


def assert_no_foreign_exception(name, data):
    kind, detail = outcome_of(name, data)
    assert kind != "foreign", f"{name} raised a foreign exception on {data[:200]!r}:\n{detail}"


@pytest.mark.parametrize("name", sorted(READERS))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_mutated_seeds_raise_only_libkurs_errors(name, seed):
    """Each reader on mutations of its seeds returns or raises a KursError, nothing else."""
    rng = random.Random(seed)
    data = mutate(rng.choice(SEEDS[name]), rng, POOL, json_aware=name in JSON_READERS)
    assert_no_foreign_exception(name, data)


@pytest.mark.parametrize("name", sorted(READERS))
@settings(max_examples=25, deadline=None, database=None)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_libkurs_errors(name, data):
    """Each reader on arbitrary bytes returns or raises a KursError, nothing else."""
    assert_no_foreign_exception(name, data)


@pytest.mark.parametrize("name", sorted(READERS))
@settings(max_examples=25, deadline=None, database=None)
@given(text=st.text(max_size=500))
def test_arbitrary_text_raises_only_libkurs_errors(name, text):
    """Each reader on arbitrary Unicode text (as UTF-8) returns or raises a KursError."""
    assert_no_foreign_exception(name, text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("path", FOUND, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_input_once_found_failing_raises_only_libkurs_errors(path):
    """The inputs of tests/data/fuzz/READER/ (found by the fuzzer or by hand) stay fixed."""
    assert_no_foreign_exception(path.parent.name, path.read_bytes())


def test_every_reader_has_seeds_and_the_regressions_name_readers():
    """The fuzzer starts from real files for each reader; regression folders are readers."""
    assert all(SEEDS[name] for name in READERS), {n: len(s) for n, s in SEEDS.items()}
    assert {p.parent.name for p in FOUND} <= set(READERS)
