"""The best tag sequence under the network's scores and its CRF transitions (Viterbi).

A Python loop over every character of a long document would cost more than the network.
Most characters are plainly outside any name: where the "O" score beats every other tag's
by more than any path could gain from transitions, some best path has "O" there, so those
characters are fixed first and only the runs between them are decoded: runs padded
to the same length go through the recurrence together.
"""

from __future__ import annotations

import numpy as np

OUTSIDE = 0  # the row of the "O" tag
# Runs are padded to a power of two, at least SHORTEST_PADDING, so that few groups go
# through the recurrence; a run longer than LONG_RUN only to a multiple of an eighth of
# the largest power of two not above its length, as a power of two could nearly double
# its steps (a text of one long run would then take up to twice as long as its length).
SHORTEST_PADDING = 4
LONG_RUN = 1024
_IMPOSSIBLE = np.float32(-1e9)


def best_tags(
    emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """The highest-scoring tag per character: emissions (n, tags) plus transitions[i, j]
    for tag j after tag i, start[] for the first tag and end[] for the last."""
    n = len(emissions)
    tags = np.zeros(n, dtype=np.int64)
    if n == 0:
        return tags
    firsts, lengths = _open_runs(emissions, transitions, start, end)
    padded = padded_lengths(lengths)
    at_start = (firsts == 0)[:, None]
    at_end = (firsts + lengths == n)[:, None]
    before = np.where(at_start, start[None], transitions[OUTSIDE][None])
    after = np.where(at_end, end[None], transitions[:, OUTSIDE][None])
    for length in np.unique(padded).tolist():
        group = padded == length
        edges_of_group = (before[group], after[group])
        _decode_group(
            emissions, transitions, edges_of_group, length, firsts[group], lengths[group], tags
        )
    return tags


def padded_lengths(lengths: np.ndarray) -> np.ndarray:
    """The length each run is padded to (see LONG_RUN)."""
    lengths = np.maximum(lengths, SHORTEST_PADDING)
    powers = 1 << np.ceil(np.log2(lengths)).astype(np.int64)
    eighths = np.maximum((1 << np.floor(np.log2(lengths)).astype(np.int64)) // 8, 1)
    return np.where(lengths > LONG_RUN, -(-lengths // eighths) * eighths, powers)


def _open_runs(
    emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(first position, length) of the runs of characters not fixed to "O"."""
    bounds = np.concatenate([transitions.ravel(), start, end])
    gain = 2 * float(bounds.max() - bounds.min())
    others = emissions.copy()
    others[:, OUTSIDE] = -np.inf
    open_positions = emissions[:, OUTSIDE] - others.max(axis=1) <= gain
    edges = np.flatnonzero(np.diff(np.concatenate([[0], open_positions.astype(np.int8), [0]])))
    return edges[::2], edges[1::2] - edges[::2]


def _decode_group(
    emissions: np.ndarray,
    transitions: np.ndarray,
    edges: tuple[np.ndarray, np.ndarray],
    length: int,
    firsts: np.ndarray,
    lengths: np.ndarray,
    tags: np.ndarray,
) -> None:
    """Viterbi over runs padded to `length`, padding forced to "O". `edges` score the
    tag before a run's first character and the step out of its last one, so every run
    ends as it would in the whole text."""
    before, after = edges  # (runs, tags) each
    offsets = np.arange(length)
    real = offsets[None, :] < lengths[:, None]
    positions = (firsts[:, None] + offsets[None, :])[real]
    scores = np.full((len(firsts), length, emissions.shape[1]), _IMPOSSIBLE, dtype=np.float32)
    scores[:, :, OUTSIDE] = 0
    scores[real] = emissions[positions]
    best = before + scores[:, 0]
    back = np.zeros((len(firsts), length, emissions.shape[1]), dtype=np.int64)
    ending_steps = set(lengths.tolist())
    for step in range(1, length):
        candidates = best[:, :, None] + transitions
        if step in ending_steps:
            ended = lengths == step
            candidates[ended, :, OUTSIDE] = best[ended] + after[ended]
        pointers = candidates.argmax(axis=1)
        back[:, step] = pointers
        best = candidates.max(axis=1) + scores[:, step]  # the scores the pointers point at
    best = best + np.where((lengths == length)[:, None], after, 0)
    path = np.zeros((len(firsts), length), dtype=np.int64)
    path[:, -1] = best.argmax(axis=1)
    rows = np.arange(len(firsts))
    for step in range(length - 1, 0, -1):
        path[:, step - 1] = back[rows, step, path[:, step]]
    tags[positions] = path[real]
