"""Our PER/LOC/ORG tagger on LAC's pretrained encoder (`lac.py`), run with numpy.

LAC's GRU layers, fine-tuned on UNER Chinese GSD train (`python -m zhextract.train
ner-lac`), give a state per LAC unit; each character reads its unit's state, LAC's own
tag scores for it and where the character sits in the unit, through one hidden layer, to
scores for O and B-/I- of PER, LOC and ORG; a CRF picks the best sequence (viterbi.py).
The fine-tuned layers and the head ship in `lac_tagger/` (MODEL_CARD.md); LAC's
embedding and vocabulary are read from `lac/`.

Every linear map before the hidden layer's tanh is folded into one matrix per unit at
load time, so a unit's state goes through one product, not three.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np

from ...doc import trimmed_span
from ..segment import split_sentences
from .lac import Lac, encode, gru_from, load_lac, unit_positions, units
from .viterbi import best_tags

Prediction = tuple[int, int, str]
OUTSIDE_ONLY = -1e4  # the score of every tag but "O" between sentences
# A "sentence" longer than this (a run with no sentence end: a table, a garbled PDF) is
# encoded in pieces of this many characters, as if each were a sentence. Without the cap,
# the network's arrays grow with the sentence (about 2 KB per character), and past tens of
# megabytes every one of them is fresh memory from the system: such text would cost more per
# character than ordinary text. News sentences are a small fraction of this.
LONGEST_PIECE = 2048


@dataclass(frozen=True)
class LacTagger:
    lac: Lac  # with the fine-tuned GRU layers
    unit_weight: np.ndarray  # (256, hidden): state -> hidden, LAC's tag scores folded in
    hidden_bias: np.ndarray
    position_rows: np.ndarray  # (4, hidden): where the character sits in its unit
    knowledge_rows: np.ndarray  # (knowledge ids, hidden): what the gazetteers and rules said
    knowledge_labels: tuple[str, ...]
    output_weight: np.ndarray  # (hidden, tags)
    output_bias: np.ndarray
    transitions: np.ndarray
    start: np.ndarray
    end: np.ndarray
    tags: tuple[str, ...]  # "O", then "B-<label>" / "I-<label>"


def tagger_path() -> Path:
    return Path(str(resources.files(__package__).joinpath("lac_tagger")))


@cache
def load_tagger(path: str | None = None) -> LacTagger:
    """The shipped tagger (or the one in directory `path`), loaded once per process."""
    folder = Path(path) if path else tagger_path()
    settings = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    with np.load(folder / "weights.npz") as stored:
        arrays = {name: stored[name].astype(np.float32) for name in stored.files}
    lac = load_lac()
    count = len({name.split(".")[0] for name in arrays if name.startswith("layer")})
    layers = tuple(
        (gru_from(arrays, f"layer{layer}.forward"), gru_from(arrays, f"layer{layer}.backward"))
        for layer in range(count)
    )
    return fold(
        replace(lac, layers=layers),
        arrays,
        tuple(settings["tags"]),
        tuple(settings["knowledge_labels"]),
    )


def fold(
    lac: Lac,
    arrays: dict[str, np.ndarray],
    tags: tuple[str, ...],
    knowledge_labels: tuple[str, ...],
) -> LacTagger:
    """The head's maps folded: hidden = tanh(state @ U + b + P[position] + K[knowledge]),
    where the trained hidden layer reads [state, position vector, state @ E + e,
    knowledge vector] (E, e: LAC's tag scores, fine-tuned)."""
    hidden = arrays["hidden.weight"]  # (256 + positions + lac tags + knowledge, hidden)
    positions, knowledge = arrays["position.rows"], arrays["knowledge.rows"]
    widths = (lac.width, positions.shape[1], lac.emission_weight.shape[1], knowledge.shape[1])
    from_state, from_position, from_scores, from_knowledge = np.split(
        hidden, np.cumsum(widths)[:-1]
    )
    return LacTagger(
        lac=lac,
        unit_weight=from_state + arrays["scores.weight"] @ from_scores,
        hidden_bias=arrays["hidden.bias"] + arrays["scores.bias"] @ from_scores,
        position_rows=positions @ from_position,
        knowledge_rows=knowledge @ from_knowledge,
        knowledge_labels=knowledge_labels,
        output_weight=arrays["output.weight"],
        output_bias=arrays["output.bias"],
        transitions=arrays["crf.transitions"].astype(np.float64),
        start=arrays["crf.start"].astype(np.float64),
        end=arrays["crf.end"].astype(np.float64),
        tags=tags,
    )


# Knowledge sources, grouped as the tagger reads them.
SOURCE_GROUPS = {"gazetteer": 0, "pattern": 1, "consistency": 1, "jieba": 2}


class Known(Protocol):
    """An entity the gazetteers and rules found (entities.patterns.Candidate)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def source(self) -> str: ...


def knowledge_ids(length: int, known: Iterable[Known], labels: Sequence[str]) -> np.ndarray:
    """Per character: 0 where the knowledge found nothing, else an id for the label, the
    source group and whether the character begins the entity."""
    ids = np.zeros(length, dtype=np.int64)
    groups = len(set(SOURCE_GROUPS.values()))
    for item in known:
        if item.label not in labels or item.source not in SOURCE_GROUPS:
            continue
        first = 1 + 2 * (labels.index(item.label) * groups + SOURCE_GROUPS[item.source])
        ids[item.start] = first
        ids[item.start + 1 : item.end] = first + 1
    return ids


def knowledge_size(labels: Sequence[str]) -> int:
    return 1 + 2 * len(labels) * len(set(SOURCE_GROUPS.values()))


def emissions(
    tagger: LacTagger, texts: Sequence[str], knowledge: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """Per text, the (characters, tags) scores, given its `knowledge_ids`; texts are
    encoded together."""
    inputs = [units(tagger.lac, text) for text in texts]
    states = encode(tagger.lac, [ids for ids, _ in inputs])
    scores = []
    for (_, lengths), rows, known in zip(inputs, states, knowledge):
        per_unit = rows @ tagger.unit_weight + tagger.hidden_bias
        hidden = np.repeat(per_unit, lengths, axis=0)
        hidden += tagger.position_rows[unit_positions(lengths)] + tagger.knowledge_rows[known]
        scores.append(np.tanh(hidden) @ tagger.output_weight + tagger.output_bias)
    return scores


def predict(
    text: str,
    tokens: Sequence[tuple[int, int, str]] | None = None,
    known: Iterable[Known] = (),
    tagger: LacTagger | None = None,
) -> list[Prediction]:
    """Entities of `text` as (start, end, UNER label), given what the gazetteers and
    rules found (`known`). Sentences are encoded together and decoded as one sequence.
    `tokens` are the segment stage's (start, end, pos) words of `text`: a span edge inside
    one moves to its nearer end (石破|茂訪問 -> 石破茂), as LAC's units and our words do
    not always agree."""
    from . import _blas, snapped
    from .features import Words

    tagger = tagger or load_tagger()
    sentences = [
        (start, min(start + LONGEST_PIECE, end))
        for first, end in split_sentences(text)
        for start in range(first, end, LONGEST_PIECE)
    ]
    known_ids = knowledge_ids(len(text), known, tagger.knowledge_labels)
    # One BLAS thread, as for the character model (ner.predict): a second --jobs worker
    # holding the other core would otherwise stall every product.
    with _blas().limit(limits=1, user_api="blas"):
        scored = emissions(
            tagger,
            [text[start:end] for start, end in sentences],
            [known_ids[start:end] for start, end in sentences],
        )
    # One decoding for the whole text: characters between sentences are held to "O", so
    # no entity runs across them.
    scores = np.full((len(text), len(tagger.tags)), OUTSIDE_ONLY, dtype=np.float64)
    scores[:, 0] = 0.0
    for (start, end), rows in zip(sentences, scored):
        scores[start:end] = rows
    best = best_tags(scores, tagger.transitions, tagger.start, tagger.end)
    found = spans_of_tags(best, tagger.tags)
    if tokens:
        found = snapped(found, Words.of(tokens))
    trimmed_spans = []
    for start, end, label in found:
        trimmed = trimmed_span(text, start, end)
        if trimmed is not None:
            trimmed_spans.append((*trimmed, label))
    return trimmed_spans


def spans_of_tags(best: np.ndarray, tags: tuple[str, ...]) -> list[Prediction]:
    """Spans of a tag sequence; an I- tag that continues nothing starts a span."""
    from . import decode

    return decode((int(index), tags[best[index]]) for index in np.flatnonzero(best))
