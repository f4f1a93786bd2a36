"""Argument types shared by the commands."""

from __future__ import annotations

import argparse
from datetime import datetime

from libkurs.model import HELSINKI

__all__ = ["moment"]


def moment(text: str) -> datetime:
    """An ISO 8601 date and time; without an offset, in Europe/Helsinki."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date and time: {text!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=HELSINKI)
