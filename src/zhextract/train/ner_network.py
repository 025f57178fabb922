"""The NER network in PyTorch, for training; `stages.ner.network` runs the same network
in numpy from the arrays `export` writes (the tests check the two agree)."""

from __future__ import annotations

from typing import cast

import numpy as np
import torch
from torch import nn

from ..stages.ner.features import COLUMNS


class Network(nn.Module):
    """Summed feature embeddings plus projected fixed character vectors, ReLU; then
    width-3 dilated convolutions, each added to its input after a ReLU; then a linear
    layer to tag scores, read by a linear-chain CRF."""

    char_vectors: torch.Tensor

    def __init__(
        self,
        sizes: dict[str, int],
        char_vectors: np.ndarray,
        width: int,
        dilations: list[int],
        tags: int,
        dropout: float,
    ) -> None:
        super().__init__()
        self.embeddings = nn.ModuleList(nn.Embedding(sizes[column], width) for column in COLUMNS)
        for table in self._tables():
            nn.init.normal_(table.weight, std=0.05)
        self.register_buffer("char_vectors", torch.from_numpy(char_vectors))
        self.vector_projection = nn.Linear(char_vectors.shape[1], width, bias=False)
        self.input_bias = nn.Parameter(torch.zeros(width))
        self.convolutions = nn.ModuleList(
            nn.Conv1d(width, width, 3, dilation=dilation, padding=dilation)
            for dilation in dilations
        )
        self.dilations = list(dilations)
        self.output = nn.Linear(width, tags)
        self.dropout = nn.Dropout(dropout)
        # A linear-chain CRF over the tags: transitions[i, j] scores tag j after tag i;
        # start/end score the first and last tag of a text.
        self.transitions = nn.Parameter(torch.zeros(tags, tags))
        self.start = nn.Parameter(torch.zeros(tags))
        self.end = nn.Parameter(torch.zeros(tags))

    def forward(self, features: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """features: (batch, length, columns) rows; mask: (batch, length) real characters.
        Padding is zeroed after every layer, as the numpy pass zero-pads at text edges."""
        keep = mask.unsqueeze(-1).float()
        hidden = self.vector_projection(self.char_vectors[features[..., 0]]) + self.input_bias
        for column, table in enumerate(self._tables()):
            hidden = hidden + table(features[..., column])
        hidden = self.dropout(torch.relu(hidden)) * keep
        for convolution in self._convolutions():
            mixed = convolution(hidden.transpose(1, 2)).transpose(1, 2)
            hidden = (hidden + self.dropout(torch.relu(mixed))) * keep
        scores: torch.Tensor = self.output(hidden)
        return scores

    def _tables(self) -> list[nn.Embedding]:
        return [cast(nn.Embedding, table) for table in self.embeddings]

    def _convolutions(self) -> list[nn.Conv1d]:
        return [cast(nn.Conv1d, convolution) for convolution in self.convolutions]

    def loss(self, features: torch.Tensor, gold: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood of the gold tags per text; gold is -100 on padding."""
        mask = gold >= 0
        emissions = self(features, mask)
        tags = gold.clamp(min=0)
        lengths = mask.sum(1)
        batch = torch.arange(len(tags))
        gold_score = self.start[tags[:, 0]] + emissions[batch, 0, tags[:, 0]]
        forward = self.start + emissions[:, 0]  # log-sum over paths ending in each tag
        for step in range(1, tags.shape[1]):
            live = mask[:, step]
            step_gold = self.transitions[tags[:, step - 1], tags[:, step]]
            step_gold = step_gold + emissions[batch, step, tags[:, step]]
            gold_score = gold_score + step_gold * live
            extended = torch.logsumexp(
                forward.unsqueeze(2) + self.transitions + emissions[:, step].unsqueeze(1), dim=1
            )
            forward = torch.where(live.unsqueeze(1), extended, forward)
        last = tags[batch, lengths - 1]
        gold_score = gold_score + self.end[last]
        log_total = torch.logsumexp(forward + self.end, dim=1)
        return (log_total - gold_score).mean()

    def export(self) -> dict[str, np.ndarray]:
        """The arrays `stages.ner.network.Weights.from_arrays` reads."""

        def array(tensor: torch.Tensor) -> np.ndarray:
            return tensor.detach().cpu().numpy().astype(np.float32)

        arrays = {
            f"embed_{column}": array(table.weight) for column, table in zip(COLUMNS, self._tables())
        }
        arrays["char_vectors"] = array(self.char_vectors)
        arrays["vector_projection"] = array(self.vector_projection.weight).T
        arrays["input_bias"] = array(self.input_bias)
        for index, convolution in enumerate(self._convolutions()):
            kernel = array(convolution.weight)  # (out, in, 3): before, here, after
            arrays[f"conv{index}_weight"] = np.concatenate([kernel[:, :, k].T for k in range(3)], 1)
            bias = convolution.bias
            assert bias is not None  # Conv1d has one unless built with bias=False
            arrays[f"conv{index}_bias"] = array(bias)
        arrays["output_weight"] = array(self.output.weight).T
        arrays["output_bias"] = array(self.output.bias)
        arrays["transitions"] = array(self.transitions)
        arrays["start"] = array(self.start)
        arrays["end"] = array(self.end)
        return arrays
