"""Fixtures of the feeds tests: a feeds file over a small catalogue, in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

import libkurs
from feeds.helpers import region_catalogue
from sync.conftest import _server_folder, radicale  # noqa: F401 - the real servers, shared

CONFIG = """
catalogue = "region.json"
refresh_minutes = 60
max_age = 120

[[feeds]]
name = "alla"
language = "sv"

[[feeds]]
name = "verkossa-fi"
language = "fi"
title = { fi = "Verkkokoulutukset" }
[feeds.filter]
attendance = ["online", "mixed"]

[[feeds]]
name = "abo"
language = "sv"
second_language = "fi"
[feeds.filter]
places = ["Åbo"]
statuses = ["scheduled"]
"""


@pytest.fixture
def feeds_file(tmp_path: Path) -> Path:
    """A feeds file with three feeds of the region catalogue, both in *tmp_path*."""
    libkurs.dump(region_catalogue(), tmp_path / "region.json")
    path = tmp_path / "feeds.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path
