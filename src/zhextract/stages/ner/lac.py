"""Baidu LAC's pretrained lexical analyser (LAC 2.1.2, Apache-2.0), run with numpy.

LAC reads Simplified text cut into units by its own word list (a unit is a word of its
vocabulary, else one character), embeds each unit and runs two bidirectional GRU layers;
a linear layer and a CRF then tag each unit with a POS or PER/LOC/ORG/TIME. The weights
ship in `lac/` (converted once by `python -m zhextract.train lac-convert`; see the
LICENSE and NOTICE there). Our tagger (`lac_tagger`) reads the GRU states; `lac_spans`
gives LAC's own PER/LOC/ORG decisions, the anchor we compare with.

The GRU follows Paddle's `dynamic_gru`: gates [update, reset] then the candidate, the
reset gate applied to the previous state before its product with the candidate weights,
and h = (1 - u) * h_prev + u * candidate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..segment_lexicon import project

LAC_LABELS = ("PER", "LOC", "ORG")
# A sequence longer than WINDOW units is encoded in windows: each keeps the states of
# its middle CORE units and reads CONTEXT units on either side for them. The GRU's steps
# are a Python loop, so short windows (many rows, few steps) cost far less than whole
# sentences, and a text without punctuation costs the same per character as any other.
CORE = 64
CONTEXT = 8
WINDOW = CORE + 2 * CONTEXT
# Windows encoded together: the GRU steps become products over this many rows.
BATCH = 256
LATIN_OR_DIGIT = re.compile("[a-zA-Z0-9]")


@dataclass(frozen=True)
class Gru:
    """One direction of one layer: input projection, then the recurrence."""

    input_weight: np.ndarray  # (inputs, 3 * hidden), the fc before the GRU
    input_bias: np.ndarray  # (3 * hidden,), the fc's and the GRU's biases added
    gate_weight: np.ndarray  # (hidden, 2 * hidden): update and reset gates
    state_weight: np.ndarray  # (hidden, hidden): the candidate state


@dataclass(frozen=True)
class Lac:
    embedding: np.ndarray  # (vocabulary, 128)
    layers: tuple[tuple[Gru, Gru], ...]  # (forward, backward) per layer
    emission_weight: np.ndarray  # (256, tags)
    emission_bias: np.ndarray
    transitions: np.ndarray  # (tags, tags)
    start: np.ndarray
    end: np.ndarray
    tags: tuple[str, ...]  # "n-B", "PER-I", "O"...
    unit_ids: dict[str, int]
    replacements: dict[str, str]  # Traditional and full-width forms LAC's table still maps
    cut_table: dict[str, int]  # a word's length, or 0 for a proper prefix of a word
    log_total: float
    unknown: int

    @property
    def width(self) -> int:
        """Size of the state per unit (both directions of the last layer)."""
        return 2 * self.layers[-1][0].state_weight.shape[0]


def lac_path() -> Path:
    return Path(str(resources.files(__package__).joinpath("lac")))


@cache
def load_lac(path: str | None = None) -> Lac:
    """LAC's converted weights and tables (from `path`, else the shipped ones), once."""
    folder = Path(path) if path else lac_path()
    with np.load(folder / "network.npz") as arrays:
        weights = {name: arrays[name] for name in arrays.files}
    embedding = np.load(folder / "embedding.npy").astype(np.float32)
    layers = tuple(
        (gru_from(weights, f"layer{layer}.forward"), gru_from(weights, f"layer{layer}.backward"))
        for layer in range(int(weights["layers"]))
    )
    unit_ids = {word: index for index, word in enumerate(_lines(folder / "units.txt"))}
    replacements = dict(_pairs(_lines(folder / "replacements.tsv")))
    cut_table: dict[str, int] = {}
    for word in _lines(folder / "cut_words.txt"):
        cut_table[word] = len(word)
        for length in range(1, len(word)):
            cut_table.setdefault(word[:length], 0)
    return Lac(
        embedding=embedding,
        layers=layers,
        emission_weight=weights["emission.weight"],
        emission_bias=weights["emission.bias"],
        transitions=weights["crf.transitions"],
        start=weights["crf.start"],
        end=weights["crf.end"],
        tags=tuple(_lines(folder / "tags.txt")),
        unit_ids=unit_ids,
        replacements=replacements,
        cut_table=cut_table,
        log_total=float(weights["cut.log_total"]),
        unknown=unit_ids["OOV"],
    )


def gru_from(weights: dict[str, np.ndarray], name: str) -> Gru:
    """The GRU stored under `name` (layer0.forward...) in a weights file."""
    return Gru(
        input_weight=weights[f"{name}.input_weight"],
        input_bias=weights[f"{name}.input_bias"],
        gate_weight=weights[f"{name}.gate_weight"],
        state_weight=weights[f"{name}.state_weight"],
    )


def _pairs(lines: list[str]) -> list[tuple[str, str]]:
    pairs = [line.split("\t") for line in lines]
    return [(pair[0], pair[1]) for pair in pairs if len(pair) == 2]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


# --- input ----------------------------------------------------------------------


def cut(lac: Lac, text: str) -> list[str]:
    """LAC's cut of (Simplified) `text`: the route with the fewest pieces through its word
    list (longer words first on ties), runs of single Latin letters and digits joined."""
    table, length = lac.cut_table, len(text)
    best: list[tuple[float, int]] = [(0.0, 0)] * (length + 1)
    for start in range(length - 1, -1, -1):
        choice = (-lac.log_total + best[start + 1][0], start)
        end = start + 2
        while end <= length:
            known = table.get(text[start:end])
            if known is None:
                break
            if known:
                choice = max(choice, (math.log(known) - lac.log_total + best[end][0], end - 1))
            end += 1
        best[start] = choice
    pieces: list[str] = []
    joined = ""
    start = 0
    while start < length:
        end = best[start][1] + 1
        piece = text[start:end]
        if len(piece) == 1 and LATIN_OR_DIGIT.match(piece):
            joined += piece
        else:
            if joined:
                pieces.append(joined)
                joined = ""
            pieces.append(piece)
        start = end
    if joined:
        pieces.append(joined)
    return pieces


def units(lac: Lac, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Unit ids of Traditional or Simplified `text` and the number of characters of each
    unit: a piece of LAC's cut that its vocabulary holds is one unit, else each of its
    characters is."""
    ids: list[int] = []
    lengths: list[int] = []
    vocabulary, replacements, unknown = lac.unit_ids, lac.replacements, lac.unknown
    for piece in cut(lac, project(text)):
        if piece in vocabulary:
            ids.append(vocabulary[replacements.get(piece, piece)])
            lengths.append(len(piece))
            continue
        for char in piece:
            ids.append(vocabulary.get(replacements.get(char, char), unknown))
            lengths.append(1)
    return np.array(ids, dtype=np.int64), np.array(lengths, dtype=np.int64)


# --- the network ----------------------------------------------------------------


def encode(lac: Lac, sequences: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The last layer's states (units, 256) for each sequence of unit ids, encoded in
    batches of windows of similar length."""
    windows = [
        (index, *window) for index, ids in enumerate(sequences) for window in _windows(len(ids))
    ]
    states = [np.zeros((len(ids), lac.width), dtype=np.float32) for ids in sequences]
    windows.sort(key=lambda window: window[2] - window[1])
    for first in range(0, len(windows), BATCH):
        batch = windows[first : first + BATCH]
        encoded = _encode_batch(lac, [sequences[i][start:end] for i, start, end, _, _ in batch])
        for (index, start, _, keep_start, keep_end), rows in zip(batch, encoded):
            states[index][keep_start:keep_end] = rows[keep_start - start : keep_end - start]
    return states


def _windows(length: int) -> list[tuple[int, int, int, int]]:
    """(start, end, keep_start, keep_end) of the windows that cover `length` units."""
    if length <= WINDOW:
        return [(0, length, 0, length)] if length else []
    return [
        (max(0, core - CONTEXT), min(length, core + CORE + CONTEXT), core, min(length, core + CORE))
        for core in range(0, length, CORE)
    ]


def _encode_batch(lac: Lac, sequences: list[np.ndarray]) -> np.ndarray:
    """States (rows, steps, 256) of sequences padded at their end. Both directions of a
    layer run in one loop: the backward GRU reads each row reversed with its padding
    last, so no step needs a mask (padding is read after every real unit either way).
    Arrays are time-major (step, row), so that each step reads contiguous rows."""
    steps = max(len(ids) for ids in sequences)
    rows = len(sequences)
    ids = np.zeros((steps, rows), dtype=np.int64)
    lengths = np.empty(rows, dtype=np.int64)
    for row, sequence in enumerate(sequences):
        ids[: len(sequence), row] = sequence
        lengths[row] = len(sequence)
    # reversed_order[step * rows + row]: the position the backward GRU reads at that
    # step, which is also where its state from that step belongs (its own inverse).
    reversed_steps = (lengths[None, :] - 1 - np.arange(steps)[:, None]) % steps
    reversed_order = (reversed_steps * rows + np.arange(rows)[None, :]).ravel()
    # The first layer projects each distinct unit once (a text repeats its words).
    distinct, index = np.unique(ids.ravel(), return_inverse=True)
    table, backward_rows = lac.embedding[distinct], index[reversed_order]
    forward_rows: np.ndarray | slice = index
    for forward, backward in lac.layers:
        projected = table @ np.concatenate(
            [forward.input_weight, backward.input_weight], axis=1
        ) + np.concatenate([forward.input_bias, backward.input_bias])
        width = forward.input_weight.shape[1]
        inputs = np.empty((2, steps * rows, width), dtype=np.float32)
        inputs[0] = projected[forward_rows, :width]
        inputs[1] = projected[backward_rows, width:]
        states = _run_both(forward, backward, inputs.reshape(2, steps, rows, width))
        table = np.concatenate([states[0], states[1][reversed_order]], axis=1)
        forward_rows, backward_rows = slice(None), reversed_order
    return table.reshape(steps, rows, -1).transpose(1, 0, 2)


def _run_both(forward: Gru, backward: Gru, projected: np.ndarray) -> np.ndarray:
    """States (2, steps * rows, hidden) of both directions run together over their
    projected inputs (2, steps, rows, 3 * hidden), each in the order it reads them."""
    hidden = forward.state_weight.shape[0]
    gate_weight = np.stack([forward.gate_weight, backward.gate_weight])
    state_weight = np.stack([forward.state_weight, backward.state_weight])
    _, steps, rows, _ = projected.shape
    state = np.zeros((2, rows, hidden), dtype=np.float32)
    out = np.empty((2, steps, rows, hidden), dtype=np.float32)
    for step in range(steps):
        here = projected[:, step]
        gates = _sigmoid(here[..., : 2 * hidden] + np.matmul(state, gate_weight))
        update, reset = gates[..., :hidden], gates[..., hidden:]
        candidate = np.tanh(here[..., 2 * hidden :] + np.matmul(reset * state, state_weight))
        state = state + update * (candidate - state)
        out[:, step] = state
    return out.reshape(2, steps * rows, hidden)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * values) + 1.0)


def per_character(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Rows per unit repeated for each character of the unit."""
    return np.repeat(values, lengths, axis=0)


def unit_positions(lengths: np.ndarray) -> np.ndarray:
    """Per character: 0 first of a longer unit, 1 inside, 2 last, 3 a unit of its own."""
    positions = np.ones(int(lengths.sum()), dtype=np.int64)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    positions[starts[lengths > 1]] = 0
    positions[ends[lengths > 1] - 1] = 2
    positions[starts[lengths == 1]] = 3
    return positions


# --- LAC's own tags ---------------------------------------------------------------


def lac_spans(texts: Sequence[str], lac: Lac | None = None) -> list[list[tuple[int, int, str]]]:
    """LAC's own PER/LOC/ORG spans of each text (its CRF decoded as it ships), as
    [start, end) character offsets."""
    lac = lac or load_lac()
    inputs = [units(lac, text) for text in texts]
    states = encode(lac, [ids for ids, _ in inputs])
    found: list[list[tuple[int, int, str]]] = []
    for (_, lengths), rows in zip(inputs, states):
        if not len(lengths):
            found.append([])
            continue
        emissions = rows @ lac.emission_weight + lac.emission_bias
        best = _viterbi(emissions, lac)
        found.append(_unit_spans([lac.tags[index] for index in best], lengths))
    return found


def _viterbi(emissions: np.ndarray, lac: Lac) -> list[int]:
    """Plain Viterbi over LAC's 49 tags (its CRF has no "O"-first layout to exploit)."""
    score = lac.start + emissions[0]
    back = []
    for step in range(1, len(emissions)):
        paths = score[:, None] + lac.transitions
        back.append(paths.argmax(axis=0))
        score = paths.max(axis=0) + emissions[step]
    best = [int((score + lac.end).argmax())]
    for pointers in reversed(back):
        best.append(int(pointers[best[-1]]))
    return best[::-1]


def _unit_spans(tags: list[str], lengths: np.ndarray) -> list[tuple[int, int, str]]:
    """PER/LOC/ORG spans of LAC's unit tags ("PER-B", "PER-I"...): each unit's tag spread
    over its characters as B-/I- tags, read by the character model's decoder."""
    from . import decode

    per_character: list[tuple[int, str]] = []
    position = 0
    for tag, length in zip(tags, lengths.tolist()):
        label, _, part = tag.rpartition("-")
        if label in LAC_LABELS:
            first = f"{'B' if part == 'B' else 'I'}-{label}"
            per_character.append((position, first))
            per_character += [
                (index, f"I-{label}") for index in range(position + 1, position + length)
            ]
        position += length
    return decode(per_character)
