"""Name lists (gazetteers) and the word lists the patterns use, loaded once per process.

Each `data/gazetteer/LABEL.txt` (or `LABEL.topic.txt`) holds one entity per line;
tab-separated names on the same line are alternative forms (Taiwan usage first). Every
name is also registered with 臺 and 台 swapped, since both spellings are in common use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable

# Gazetteer label for lexicalised titles such as 國防部長: they win the longest match
# over the organization inside them and are then dropped.
TITLE_LABEL = "TITLE"
TAI_VARIANTS = str.maketrans({"臺": "台", "台": "臺"})


def data_file(name: str) -> Traversable:
    """A file (or folder) under `data/`; `name` may hold "/" separated parts."""
    path = resources.files(__package__).joinpath("data")
    for part in name.split("/"):
        path = path.joinpath(part)
    return path


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    text = data_file(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def word_set(name: str) -> frozenset[str]:
    """Whitespace-separated words of a data file, as a set."""
    return frozenset(word for line in read_lines(name) for word in line.split())


@dataclass(frozen=True)
class Suffix:
    text: str
    label: str
    kind: str


@cache
def suffixes() -> dict[str, Suffix]:
    """Name-ending words (公司, 基地, 峰會, 條約, 市...) keyed by their text."""
    table = {}
    for line in read_lines("suffixes.tsv"):
        text, label, kind = line.split("\t")
        table[text] = Suffix(text, label, kind)
    return table


class Gazetteer:
    """Names and their labels, with a longest-match lookup at a text position."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        # Every proper prefix of a name: the scan for names at a position stops as soon
        # as the text there is no longer the start of one.
        self.prefixes = {name[:length] for name in names for length in range(1, len(name))}
        # The first two characters of every name (all of a one-character name): most
        # positions of a text start none, and one lookup tells.
        self.openings = {name[:2] for name in names}

    def label(self, name: str) -> str | None:
        return self.names.get(name)

    def possible_starts(self, text: str) -> list[int]:
        """The positions of `text` where a name may start (its first two characters open
        one): most positions of a text are ruled out here, with no call per character."""
        openings, names = self.openings, self.names
        return [
            start
            for start in range(len(text))
            if text[start : start + 2] in openings or text[start] in names
        ]

    def longest_at(self, text: str, start: int) -> tuple[int, str] | None:
        """(end, label) of the longest name starting at `start`, if any."""
        found = None
        for end in range(start + 1, len(text) + 1):
            piece = text[start:end]
            label = self.names.get(piece)
            if label is not None:
                found = (end, label)
            if piece not in self.prefixes:
                break
        return found


@cache
def gazetteer() -> Gazetteer:
    names: dict[str, str] = {}
    folder = data_file("gazetteer")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".txt"):
            continue
        label = entry.name.split(".")[0]  # GPE.txt and GPE.cities.txt both hold GPE names
        for line in read_lines(f"gazetteer/{entry.name}"):
            for name in line.split("\t"):
                _add_name(names, name.strip(), label)
    return Gazetteer(names)


def _add_name(names: dict[str, str], name: str, label: str) -> None:
    # The first file to list a name keeps it, so a name is never given two labels.
    if len(name) < 2:
        return
    names.setdefault(name, label)
    names.setdefault(name.translate(TAI_VARIANTS), label)
