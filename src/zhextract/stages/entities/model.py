"""Candidates from the statistical NER model (`zhextract.stages.ner`), typed with our
knowledge: the model speaks the UNER scheme (PER, ORG, LOC), and LOC splits into GPE,
LOC and FAC by the gazetteer, then by the name's ending."""

from __future__ import annotations

from functools import cache

from .gazetteer import Gazetteer, read_lines, suffixes
from .patterns import Candidate

MODEL_LABELS = {"PER": "PERSON", "ORG": "ORG"}
PLACE_LABELS = ("GPE", "LOC", "FAC")


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


def model_candidates(
    text: str, predictions: list[tuple[int, int, str]], names: Gazetteer
) -> list[Candidate]:
    """The model's entities as candidates with OntoNotes labels."""
    found = []
    for start, end, label in predictions:
        if end - start < 2:
            continue  # one-character guesses (美, 日) are abbreviations we do not tag
        surface = text[start:end]
        mapped = MODEL_LABELS.get(label) or place_label(surface, names)
        found.append(Candidate(start, end, mapped, "model"))
    return found
