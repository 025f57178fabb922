"""The LAC tagger in PyTorch, for training only (the shipped one runs on numpy:
stages/ner/lac_tagger.py). Same maps, same names, exported as float32 arrays."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from ..stages.entities import LABELS as KNOWLEDGE_LABELS
from ..stages.ner.lac import Gru, Lac
from ..stages.ner.lac_tagger import knowledge_ids

if TYPE_CHECKING:
    from .ner_lac import Example

POSITIONS = 4


class PaddleGru(nn.Module):
    """One direction of a GRU layer with Paddle's gate layout (stages/ner/lac.py)."""

    def __init__(self, gru: Gru) -> None:
        super().__init__()
        self.input_weight = nn.Parameter(torch.tensor(gru.input_weight))
        self.input_bias = nn.Parameter(torch.tensor(gru.input_bias))
        self.gate_weight = nn.Parameter(torch.tensor(gru.gate_weight))
        self.state_weight = nn.Parameter(torch.tensor(gru.state_weight))

    def forward(self, inputs: torch.Tensor, mask: torch.Tensor, reverse: bool) -> torch.Tensor:
        projected = inputs @ self.input_weight + self.input_bias
        rows, steps, _ = projected.shape
        hidden = self.state_weight.shape[0]
        state = projected.new_zeros(rows, hidden)
        outputs: list[torch.Tensor] = [state] * steps
        for step in range(steps - 1, -1, -1) if reverse else range(steps):
            here = projected[:, step]
            gates = torch.sigmoid(here[:, : 2 * hidden] + state @ self.gate_weight)
            update, reset = gates[:, :hidden], gates[:, hidden:]
            candidate = torch.tanh(here[:, 2 * hidden :] + (reset * state) @ self.state_weight)
            state = torch.where(mask[:, step, None], state + update * (candidate - state), state)
            outputs[step] = state
        return torch.stack(outputs, 1)


class TaggerNetwork(nn.Module):
    def __init__(self, lac: Lac, tags: int, knowledge: int, settings: dict[str, Any]) -> None:
        super().__init__()
        self.knowledge_labels = KNOWLEDGE_LABELS
        self.embedding = nn.Embedding.from_pretrained(torch.tensor(lac.embedding), freeze=True)
        # LAC's first `layers` GRU layers (forward, backward, ...); fewer run faster.
        kept = lac.layers[: settings.get("layers", len(lac.layers))]
        self.grus = nn.ModuleList([PaddleGru(gru) for layer in kept for gru in layer])
        width = lac.width
        self.scores = nn.Linear(width, lac.emission_weight.shape[1])
        self.scores.weight.data = torch.tensor(lac.emission_weight.T.copy())
        self.scores.bias.data = torch.tensor(lac.emission_bias)
        self.positions = nn.Embedding(POSITIONS, settings["position_width"])
        self.knowledge = nn.Embedding(knowledge, settings["knowledge_width"])
        self.knowledge_dropout = settings["knowledge_dropout"]
        self.hidden = nn.Linear(
            width
            + settings["position_width"]
            + lac.emission_weight.shape[1]
            + settings["knowledge_width"],
            settings["hidden_width"],
        )
        self.output = nn.Linear(settings["hidden_width"], tags)
        self.dropout = nn.Dropout(settings["dropout"])
        self.transitions = nn.Parameter(torch.zeros(tags, tags))
        self.start = nn.Parameter(torch.zeros(tags))
        self.end = nn.Parameter(torch.zeros(tags))

    def optimizer(self, settings: dict[str, Any]) -> torch.optim.Optimizer:
        pretrained = [*self.grus.parameters(), *self.scores.parameters()]
        owned = {id(parameter) for parameter in pretrained}
        new = [p for p in self.parameters() if p.requires_grad and id(p) not in owned]
        return torch.optim.Adam(
            [
                {"params": pretrained, "lr": settings["encoder_learn_rate"]},
                {"params": new, "lr": settings["learn_rate"]},
            ]
        )

    def emissions(self, batch: list[Example]) -> tuple[torch.Tensor, torch.Tensor]:
        """(rows, characters, tags) scores and the character mask."""
        units = max(len(example.ids) for example in batch)
        chars = max(len(example.tags) for example in batch)
        ids = torch.zeros(len(batch), units, dtype=torch.long)
        mask = torch.zeros(len(batch), units, dtype=torch.bool)
        unit_of_char = torch.zeros(len(batch), chars, dtype=torch.long)
        positions = torch.zeros(len(batch), chars, dtype=torch.long)
        char_mask = torch.zeros(len(batch), chars, dtype=torch.bool)
        known = torch.zeros(len(batch), chars, dtype=torch.long)
        for row, example in enumerate(batch):
            kept = [
                item
                for item in example.known
                if not self.training or random.random() >= self.knowledge_dropout
            ]
            known[row, : len(example.tags)] = torch.from_numpy(
                knowledge_ids(len(example.tags), kept, self.knowledge_labels)
            )
            count, length = len(example.ids), len(example.tags)
            ids[row, :count] = torch.from_numpy(example.ids)
            mask[row, :count] = True
            unit_of_char[row, :length] = torch.from_numpy(
                np.repeat(np.arange(count), example.lengths)
            )
            positions[row, :length] = torch.from_numpy(example.positions)
            char_mask[row, :length] = True
        states = self.embedding(ids)
        for layer in range(0, len(self.grus), 2):
            states = torch.cat(
                [self.grus[layer](states, mask, False), self.grus[layer + 1](states, mask, True)], 2
            )
        width = states.shape[2]
        per_char = torch.gather(states, 1, unit_of_char.unsqueeze(2).expand(-1, -1, width))
        features = torch.cat(
            [
                self.dropout(per_char),
                self.positions(positions),
                self.scores(per_char),
                self.knowledge(known),
            ],
            2,
        )
        hidden = self.dropout(torch.tanh(self.hidden(features)))
        return self.output(hidden), char_mask

    def loss(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """CRF negative log-likelihood, summed over the batch."""
        score = self.start + emissions[:, 0]
        gold = self.start[tags[:, 0]] + emissions[:, 0].gather(1, tags[:, :1]).squeeze(1)
        for step in range(1, emissions.shape[1]):
            here = mask[:, step]
            moved = torch.logsumexp(score.unsqueeze(2) + self.transitions, 1) + emissions[:, step]
            score = torch.where(here.unsqueeze(1), moved, score)
            gain = self.transitions[tags[:, step - 1], tags[:, step]] + emissions[:, step].gather(
                1, tags[:, step : step + 1]
            ).squeeze(1)
            gold = gold + torch.where(here, gain, torch.zeros_like(gain))
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        gold = gold + self.end[last]
        return (torch.logsumexp(score + self.end, 1) - gold).sum()

    def fit_epoch(
        self, data: list[Example], optimizer: torch.optim.Optimizer, settings: dict[str, Any]
    ) -> float:
        """One pass over `data` in batches of similar length; the mean loss per sentence."""
        self.train()
        ordered = sorted(data, key=lambda example: len(example.ids) + 3 * random.random())
        size = settings["batch_size"]
        batches = [ordered[first : first + size] for first in range(0, len(ordered), size)]
        random.shuffle(batches)
        total = 0.0
        for batch in batches:
            emissions, mask = self.emissions(batch)
            tags = torch.zeros(mask.shape, dtype=torch.long)
            for row, example in enumerate(batch):
                tags[row, : len(example.tags)] = torch.from_numpy(example.tags)
            loss = self.loss(emissions, tags, mask) / len(batch)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(self.parameters(), settings["clip"])
            optimizer.step()
            total += loss.item() * len(batch)
        return total / len(data)

    def export(
        self, tags: tuple[str, ...], knowledge_labels: tuple[str, ...], folder: Path
    ) -> Path:
        """Write the numpy tagger's `weights.npz` and `model.json` to `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        directions = ("forward", "backward")
        for index, gru in enumerate(self.grus):
            name = f"layer{index // 2}.{directions[index % 2]}"
            for part in ("input_weight", "input_bias", "gate_weight", "state_weight"):
                arrays[f"{name}.{part}"] = _array(getattr(gru, part))
        arrays["scores.weight"] = _array(self.scores.weight.T)
        arrays["scores.bias"] = _array(self.scores.bias)
        arrays["position.rows"] = _array(self.positions.weight)
        arrays["knowledge.rows"] = _array(self.knowledge.weight)
        arrays["hidden.weight"] = _array(self.hidden.weight.T)
        arrays["hidden.bias"] = _array(self.hidden.bias)
        arrays["output.weight"] = _array(self.output.weight.T)
        arrays["output.bias"] = _array(self.output.bias)
        arrays["crf.transitions"] = _array(self.transitions)
        arrays["crf.start"] = _array(self.start)
        arrays["crf.end"] = _array(self.end)
        np.savez_compressed(folder / "weights.npz", **arrays)  # type: ignore[arg-type]
        settings = {
            "tags": list(tags),
            "knowledge_labels": list(knowledge_labels),
            "encoder": "LAC 2.1.2 (stages/ner/lac)",
        }
        (folder / "model.json").write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
        return folder


def _array(tensor: torch.Tensor) -> np.ndarray:
    return np.ascontiguousarray(tensor.detach().cpu().numpy(), dtype=np.float32)
