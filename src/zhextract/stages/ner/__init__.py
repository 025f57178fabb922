"""Statistical NER: a small character network trained for Traditional Chinese, predicting
PER/LOC/ORG, run with numpy.

The model ships in `model/` (built by `python -m zhextract.train ner`; see
MODEL_CARD.md) and is loaded once per process. `predict(text, tokens)` gives [start, end)
character offsets into `text` with a UNER label; mapping those labels onto the project's
entity types is the entities stage's business.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from ...doc import trimmed_span
from .features import COLUMNS, Token, Vocabulary, Words, encode
from .network import Weights, scores
from .viterbi import best_tags

LABELS = ("PER", "LOC", "ORG")
Prediction = tuple[int, int, str]


@dataclass(frozen=True)
class NerModel:
    vocabulary: Vocabulary
    weights: Weights
    tags: tuple[str, ...]  # "O", then "B-<label>" / "I-<label>"


def model_path() -> Path:
    return Path(str(resources.files(__name__).joinpath("model")))


@cache
def load_model(path: str | None = None) -> NerModel:
    """The shipped model (or the one in directory `path`), loaded once per process."""
    folder = Path(path) if path else model_path()
    settings = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    if settings["columns"] != list(COLUMNS):
        raise ValueError(
            f"{folder} was trained on the features {settings['columns']}; this version of"
            f" zhextract computes {list(COLUMNS)}: retrain it (python -m zhextract.train ner)"
        )
    vocabulary = Vocabulary(
        chars=settings["chars"],
        tags=tuple(settings["tags"]),
        words=tuple(settings["words"]),
        bigram_rows=settings["bigram_rows"],
    )
    with np.load(folder / "weights.npz") as arrays:
        weights = Weights.from_arrays(arrays, settings["dilations"])
    return NerModel(vocabulary, weights, tuple(settings["labels"]))


def predict(
    text: str, tokens: Sequence[Token] | None = None, model: NerModel | None = None
) -> list[Prediction]:
    """Entities in `text` as (start, end, label), offsets into `text`.

    `tokens` are the segment stage's (start, end, pos) words of `text`; without them
    the text is cut here.
    """
    if tokens is None:
        from ..segment import cut_words

        tokens = cut_words(text)
    model = model or load_model()
    if not text:
        return []
    words = Words.of(tokens)
    features = encode(text, words, model.vocabulary)
    # The network's matrices are small: BLAS threads only add overhead, and when another
    # process holds a core (a second --jobs worker) they stall the pass about 20-fold.
    with _blas().limit(limits=1, user_api="blas"):
        spans = tag_spans(model, features)
    return _trimmed(text, snapped(spans, words))


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def tag_spans(model: NerModel, features: np.ndarray) -> list[Prediction]:
    """The spans of the best tag sequence for encoded characters."""
    weights = model.weights
    emissions = scores(weights, features)
    best = best_tags(emissions, weights.transitions, weights.start, weights.end)
    return decode((int(index), model.tags[best[index]]) for index in np.flatnonzero(best))


def predict_many(texts: Iterable[str], model: NerModel | None = None) -> list[list[Prediction]]:
    """`predict` over many texts."""
    return [predict(text, model=model) for text in texts]


def decode(tagged: Iterable[tuple[int, str]]) -> list[Prediction]:
    """Spans from the (index, tag) pairs of the characters not tagged "O", in order.
    An I- tag that continues nothing starts a span."""
    spans: list[Prediction] = []
    start = last = -2
    label = ""
    for index, tag in tagged:
        if index == last + 1 and tag == "I-" + label:
            last = index
            continue
        if label:
            spans.append((start, last + 1, label))
        start = last = index
        label = tag[2:]
    if label:
        spans.append((start, last + 1, label))
    return spans


def snapped(spans: list[Prediction], words: Words) -> list[Prediction]:
    """Spans with each edge that falls inside a word moved to the nearer end of that word
    (林志玲昨|天 -> 林志玲): the network reads a few characters around each one, the
    segmenter whole words. At equal distance the edge moves so the span shrinks; a span
    that would vanish is dropped."""
    if not spans or not len(words.starts):
        return spans
    starts = _nearer_edges(np.array([span[0] for span in spans]), words, shrink_to_end=True)
    ends = _nearer_edges(np.array([span[1] for span in spans]), words, shrink_to_end=False)
    return [
        (start, end, span[2])
        for start, end, span in zip(starts.tolist(), ends.tolist(), spans)
        if start < end
    ]


def _nearer_edges(offsets: np.ndarray, words: Words, shrink_to_end: bool) -> np.ndarray:
    index = np.maximum(np.searchsorted(words.starts, offsets, side="right") - 1, 0)
    word_start, word_end = words.starts[index], words.ends[index]
    inside = (word_start < offsets) & (offsets < word_end)
    to_start, to_end = offsets - word_start, word_end - offsets
    go_to_end = (to_end < to_start) | ((to_end == to_start) & shrink_to_end)
    return np.where(inside, np.where(go_to_end, word_end, word_start), offsets)


def _trimmed(text: str, spans: list[Prediction]) -> list[Prediction]:
    """Spans without surrounding whitespace; all-space spans dropped."""
    found = []
    for start, end, label in spans:
        trimmed = trimmed_span(text, start, end)
        if trimmed is not None:
            found.append((*trimmed, label))
    return found
