"""The NER network's forward pass in numpy: summed feature embeddings, dilated
convolutions with residual connections, a linear layer to BIO tag scores (which
`decode.best_tags` reads with the CRF transitions).

`zhextract.train.ner_network` defines the same network in PyTorch for training and
writes the weights this module reads; the two must stay in step (tested).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .features import COLUMNS

# Characters per forward pass: bounds the memory of the activations on long documents.
CHUNK_CHARS = 8192


@dataclass(frozen=True)
class Weights:
    """A trained network (float32), ready to run: the fixed character vectors are
    already projected into the character table and the input bias added to the shape
    table (every character has exactly one row in each), which saves work per character."""

    embeddings: tuple[np.ndarray, ...]  # one table per `COLUMNS` entry
    # (weight, bias, dilation); weight[0], [1], [2] act on the character before, at, after
    convolutions: tuple[tuple[np.ndarray, np.ndarray, int], ...]
    output_weight: np.ndarray
    output_bias: np.ndarray
    transitions: np.ndarray  # CRF: transitions[i, j] scores tag j after tag i
    start: np.ndarray  # CRF: the first tag of a text
    end: np.ndarray  # CRF: the last tag of a text

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], dilations: list[int]) -> Weights:
        """From the arrays the training code saves (`train.ner_network.Network.export`)."""

        def get(name: str) -> np.ndarray:
            return np.ascontiguousarray(arrays[name], dtype=np.float32)

        tables = {column: get(f"embed_{column}") for column in COLUMNS}
        tables["char"] += get("char_vectors") @ get("vector_projection")
        tables["shape"] += get("input_bias")
        return cls(
            embeddings=tuple(tables[column] for column in COLUMNS),
            convolutions=tuple(
                (_stacked(get(f"conv{index}_weight")), get(f"conv{index}_bias"), dilation)
                for index, dilation in enumerate(dilations)
            ),
            output_weight=get("output_weight"),
            output_bias=get("output_bias"),
            transitions=get("transitions"),
            start=get("start"),
            end=get("end"),
        )

    @property
    def context(self) -> int:
        """How many characters on either side reach a character's output."""
        return sum(dilation for _, _, dilation in self.convolutions)


def scores(weights: Weights, features: np.ndarray) -> np.ndarray:
    """(len(features), tags) scores, computed chunk by chunk with enough context
    around each chunk that the result equals one pass over the whole input."""
    n = len(features)
    result = np.empty((n, len(weights.output_bias)), dtype=np.float32)
    margin = weights.context
    for start in range(0, n, CHUNK_CHARS):
        end = min(n, start + CHUNK_CHARS)
        low, high = max(0, start - margin), min(n, end + margin)
        chunk = _forward(weights, features[low:high])
        result[start:end] = chunk[start - low : start - low + end - start]
    return result


def _forward(weights: Weights, features: np.ndarray) -> np.ndarray:
    columns = np.ascontiguousarray(features.T)
    hidden = weights.embeddings[0][columns[0]]
    for table, rows in zip(weights.embeddings[1:], columns[1:]):
        hidden += table[rows]
    np.maximum(hidden, 0, out=hidden)
    for weight, bias, dilation in weights.convolutions:
        mixed = _convolve(hidden, weight, bias, dilation)
        hidden += np.maximum(mixed, 0, out=mixed)
    output: np.ndarray = hidden @ weights.output_weight + weights.output_bias
    return output


def _convolve(
    hidden: np.ndarray, weight: np.ndarray, bias: np.ndarray, dilation: int
) -> np.ndarray:
    """A width-3 convolution with zero padding. One stacked product gives three
    contiguous matrices, so the shifted sums run over whole rows."""
    before, result, after = np.matmul(hidden, weight)
    result += bias
    if dilation < len(hidden):
        result[dilation:] += before[:-dilation]
        result[:-dilation] += after[dilation:]
    return result


def _stacked(weight: np.ndarray) -> np.ndarray:
    """[before | here | after] (width, 3 * width) as a (3, width, width) stack."""
    width = weight.shape[0]
    return np.ascontiguousarray(weight.reshape(width, 3, width).transpose(1, 0, 2))
