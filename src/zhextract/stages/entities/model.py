"""Candidates from the statistical NER model (`zhextract.stages.ner`), typed with our
knowledge: the model speaks the UNER scheme (PER, ORG, LOC), and LOC splits into GPE,
LOC and FAC by the gazetteer, then by the name's ending."""

from __future__ import annotations

from functools import cache

from .gazetteer import Gazetteer, read_lines, suffixes, word_set
from .patterns import Candidate

MODEL_LABELS = {"PER": "PERSON", "ORG": "ORG"}
PLACE_LABELS = ("GPE", "LOC", "FAC")
MAX_GLOSS_CHARS = 60  # how far back a Latin gloss's opening bracket is looked for


@cache
def _place_endings() -> dict[str, str]:
    """Name endings that mark a place as LOC (海, 島, 半島...) or GPE (市, 縣...)."""
    endings = {}
    for line in read_lines("place_endings.tsv"):
        ending, label = line.split("\t")
        endings[ending] = label
    return endings


def place_label(surface: str, names: Gazetteer) -> str:
    """GPE, LOC or FAC for a place name the model found."""
    known = names.label(surface)
    if known in PLACE_LABELS:
        return known
    endings = _place_endings()
    for length in range(min(3, len(surface) - 1), 0, -1):
        label = endings.get(surface[-length:])
        if label:
            return label
    suffix = suffixes().get(surface[-1:])
    if suffix is not None and suffix.kind == "fac":
        return "FAC"
    return "GPE"


def _in_brackets(text: str, start: int) -> bool:
    """Whether only Latin text stands between `start` and an opening bracket: (George W.Bush)."""
    before = text[max(0, start - MAX_GLOSS_CHARS) : start]
    opening = max(before.rfind("("), before.rfind("（"))
    return opening >= 0 and before[opening + 1 :].isascii()


def model_candidates(
    text: str, predictions: list[tuple[int, int, str]], names: Gazetteer
) -> list[Candidate]:
    """The model's entities as candidates with OntoNotes labels."""
    found = []
    abbreviations = word_set("country_abbreviations.txt")
    for start, end, label in predictions:
        surface = text[start:end]
        if end - start < 2 or all(char in abbreviations for char in surface[:2]):
            continue  # 美日, 美日同盟: country abbreviations, and what two countries share
        if surface.isascii() and _in_brackets(text, start):
            continue  # a Latin gloss takes the label of the name it glosses (latin_glosses)
        mapped = MODEL_LABELS.get(label) or place_label(surface, names)
        found.append(Candidate(start, end, mapped, "model"))
    return found
