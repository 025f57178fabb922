"""Word lists that more than one stage reads (surnames: the segmenter's name guesses and
the entities stage's title + name pattern)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def surnames() -> frozenset[str]:
    """Common Chinese surnames (one or two characters), Traditional forms."""
    text = resources.files(__package__).joinpath("surnames.txt").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return frozenset(word for line in lines for word in line.split())
