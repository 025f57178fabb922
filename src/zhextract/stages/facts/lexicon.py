"""The facts stage's word tables (files under `data/`), read once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

CLASSES = ("increase", "decrease", "level", "invest", "trade", "share", "target", "other")
MOVEMENTS = {"increase", "decrease"}


@dataclass(frozen=True)
class Trigger:
    word: str
    predicate_class: str
    lemma: str
    adjacent_only: bool


@dataclass(frozen=True)
class Preposition:
    word: str
    role: str
    side: str  # "before", "after" or "both" the predicate


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[str, Trigger]
    cues: dict[str, str]
    anaphora: dict[str, str]
    prepositions: dict[str, Preposition]
    short_names: dict[str, str]
    prefixes: frozenset[str]
    suffixes: frozenset[str]

    def trigger_in(self, word: str) -> tuple[Trigger, int] | None:
        """The trigger a word holds with glued adverbs and complements (已達, 調高至)
        and where the trigger starts in it, or None."""
        start, end = 0, len(word)
        while start < end - 1 and word[start] in self.prefixes:
            start += 1
        while end > start + 1 and word[end - 1] in self.suffixes:
            end -= 1
        for first in range(start + 1):
            for last in range(len(word), end - 1, -1):
                trigger = self.triggers.get(word[first:last])
                if trigger is not None and (first, last) != (0, len(word)):
                    return trigger, first
        return None


def _rows(name: str) -> list[list[str]]:
    """Tab-separated fields of the non-empty, non-comment lines of `data/name`."""
    text = resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@cache
def lexicon() -> Lexicon:
    triggers = {}
    for fields in _rows("predicates.tsv"):
        word, predicate_class = fields[0], fields[1]
        if predicate_class not in CLASSES:
            raise ValueError(f"predicates.tsv: unknown class {predicate_class!r} for {word}")
        lemma = fields[2] if len(fields) > 2 and fields[2] else word
        adjacent = len(fields) > 3 and fields[3] == "adjacent"
        triggers[word] = Trigger(word, predicate_class, lemma, adjacent)
    prepositions = {
        word: Preposition(word, role, side) for word, role, side in _rows("prepositions.tsv")
    }
    return Lexicon(
        triggers=triggers,
        cues={word: kind for word, kind in _rows("cues.tsv")},
        anaphora={word: label for word, label in _rows("anaphora.tsv")},
        prepositions=prepositions,
        short_names={short: full for short, full in _rows("short_names.tsv")},
        prefixes=frozenset(char for char, where in _rows("affixes.tsv") if where == "prefix"),
        suffixes=frozenset(char for char, where in _rows("affixes.tsv") if where == "suffix"),
    )
