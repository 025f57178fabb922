"""Statistical NER: a from-scratch spaCy model over characters, predicting PER/LOC/ORG.

The model ships in `model/` (built by `python -m zhextract.train ner`) and is loaded
once per process. `predict(text)` gives [start, end) character offsets into `text`
with a UNER label; mapping those labels onto the project's entity types is the
entities stage's business.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language

from . import features  # noqa: F401  (registers the tokenizer the model config names)

LABELS = ("PER", "LOC", "ORG")
Prediction = tuple[int, int, str]


def model_path() -> Path:
    return Path(str(resources.files(__name__).joinpath("model")))


@cache
def load_model(path: str | None = None) -> Language:
    """The shipped model (or the one at `path`), loaded once per process."""
    return spacy.load(path or model_path())


# Long documents go through the model in pieces cut at line breaks: spaCy refuses
# texts over nlp.max_length, and the model's context is a few characters anyway.
CHUNK_CHARS = 50_000


def predict(text: str, chunk_chars: int = CHUNK_CHARS) -> list[Prediction]:
    """Entities in `text` as (start, end, label), offsets into `text`."""
    found: list[Prediction] = []
    for offset, piece in chunks(text, chunk_chars):
        if piece.strip():
            found += [
                (offset + s, offset + e, label) for s, e, label in _entities(load_model()(piece))
            ]
    return found


def chunks(text: str, size: int) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most `size` chars, cut after a newline where one exists."""
    pieces = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            newline = text.rfind("\n", start, end)
            end = newline + 1 if newline >= start else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def predict_many(texts: Iterable[str], model: Language | None = None) -> list[list[Prediction]]:
    """`predict` over many texts, batched."""
    nlp = model or load_model()
    return [_entities(doc) for doc in nlp.pipe(texts)]


def _entities(doc: spacy.tokens.Doc) -> list[Prediction]:
    found = []
    text = doc.text  # spaCy joins every token to make Doc.text: read it once, not per entity
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            found.append((start, end, ent.label_))
    return found
