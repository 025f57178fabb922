"""Rebuild the NER model: read the public corpora, train with PyTorch, score, install.

    python -m zhextract.train ner [--install] [--set training.epochs=30]
    python -m zhextract.train ner-score --split gsd_dev [--model DIR]

Training data is UNER Chinese GSD train (Traditional). Settings come from
`pipelines/ner_train.cfg`. The checkpoint with the best entity F1 on GSD dev is kept.
GSD test and PUD test are for reporting only: never pass them to training. PyTorch is
needed for training only (`pip install torch`); the shipped model runs on numpy.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, cast

import numpy as np
from confection import Config

from ..eval import eval_dir
from ..eval.ner import Score
from ..stages import ner
from ..stages.ner.features import COLUMNS, Vocabulary, Words, encode
from ..stages.ner.network import Weights
from ..stages.segment import cut_words
from ..stages.segment_lexicon import project
from .ner_corpora import Sentence, load_corpus
from .ner_vectors import char_vectors

TRAINING_CORPORA = ("gsd_train",)
SELECTION_CORPUS = "gsd_dev"  # the checkpoint kept is the best on it
HELD_OUT = ("gsd_test", "pud_test")  # reported only
TAGS = ("O", *(f"{prefix}-{label}" for label in ner.LABELS for prefix in "BI"))
MODEL_CARD_NOTE = "Traditional Chinese PER/LOC/ORG (UNER scheme); see MODEL_CARD.md"


@dataclass(frozen=True)
class Example:
    """A passage cut as the segment stage cuts it, with gold tags per character."""

    text: str
    tokens: list[tuple[int, int, str]]
    tags: np.ndarray


def config_path() -> Path:
    return Path(str(resources.files("zhextract").joinpath("pipelines/ner_train.cfg")))


def read_config(overrides: Sequence[str] = ()) -> dict[str, Any]:
    """The training config with `KEY=JSON` overrides (e.g. `training.epochs=30`)."""
    values = {
        key: json.loads(value) for key, _, value in (item.partition("=") for item in overrides)
    }
    config = Config().from_disk(config_path(), overrides=values)
    return dict(config)


def passages(sentences: list[Sentence], size: int) -> list[Sentence]:
    """Runs of `size` consecutive sentences joined into one text, offsets shifted."""
    joined = []
    for first in range(0, len(sentences), size):
        text, entities = "", []
        for sentence in sentences[first : first + size]:
            entities += [(s + len(text), e + len(text), label) for s, e, label in sentence.entities]
            text += sentence.text
        joined.append(Sentence(text, tuple(entities)))
    return joined


def entity_names(sentences: list[Sentence]) -> dict[str, list[str]]:
    """Every entity surface in `sentences`, by label (repeats kept: common names weigh more)."""
    names: dict[str, list[str]] = {}
    for sentence in sentences:
        for start, end, label in sentence.entities:
            names.setdefault(label, []).append(sentence.text[start:end])
    return names


def swap_entities(sentence: Sentence, names: dict[str, list[str]], rate: float) -> Sentence:
    """`sentence` with a random `rate` of its entities replaced by other names of the same
    label from the training data: the model sees more names in the same contexts."""
    text, entities, cursor = "", [], 0
    for start, end, label in sentence.entities:
        surface = sentence.text[start:end]
        if random.random() < rate:
            surface = random.choice(names[label])
        text += sentence.text[cursor:start]
        entities.append((len(text), len(text) + len(surface), label))
        text += surface
        cursor = end
    return Sentence(text + sentence.text[cursor:], tuple(entities))


def example(sentence: Sentence) -> Example:
    tags = np.zeros(len(sentence.text), dtype=np.int64)
    for start, end, label in sentence.entities:
        tags[start] = TAGS.index(f"B-{label}")
        tags[start + 1 : end] = TAGS.index(f"I-{label}")
    return Example(sentence.text, cut_words(sentence.text), tags)


def build_vocabulary(
    examples: list[Example], vectors: dict[str, np.ndarray], settings: dict[str, Any]
) -> Vocabulary:
    """Characters of the vectors and of training; tags and frequent words of training."""
    chars = set(vectors)
    tags: set[str] = set()
    words: Counter[str] = Counter()
    for item in examples:
        projected = project(item.text)
        chars.update(projected)
        for start, end, tag in item.tokens:
            tags.add(tag)
            if end - start > 1:
                words[projected[start:end]] += 1
    frequent = sorted(word for word, count in words.items() if count >= settings["min_word_count"])
    return Vocabulary(
        chars="".join(sorted(chars)),
        tags=("?", *sorted(tags)),
        words=tuple(frequent),
        bigram_rows=settings["bigram_rows"],
    )


def vector_rows(vocabulary: Vocabulary, vectors: dict[str, np.ndarray], width: int) -> np.ndarray:
    """Fixed vectors by character row; row 0 (unknown) and characters without one are zero."""
    rows = np.zeros((len(vocabulary.chars) + 1, width), dtype=np.float32)
    for row, char in enumerate(vocabulary.chars, start=1):
        if char in vectors:
            rows[row] = vectors[char]
    return rows


@dataclass(frozen=True)
class TrainingData:
    passages: list[Sentence]  # training sentences joined into passages
    names: dict[str, list[str]]  # training entity names by label, for swapping
    vocabulary: Vocabulary
    vectors: np.ndarray  # fixed vectors by character row
    encoded: list[tuple[np.ndarray, np.ndarray]]  # (features, gold tags) per passage
    dev: list[Sentence]
    dev_encoded: list[tuple[np.ndarray, Words]]


def training_data(root: Path, settings: dict[str, Any], schedule: dict[str, Any]) -> TrainingData:
    sentences = [s for name in TRAINING_CORPORA for s in load_corpus(root, name)]
    joined = passages(sentences, schedule["join_sentences"])
    train_set = [example(s) for s in joined]
    vectors = char_vectors(settings["vector_width"])
    vocabulary = build_vocabulary(train_set, vectors, settings)
    dev = load_corpus(root, SELECTION_CORPUS)
    dev_words = [Words.of(cut_words(s.text)) for s in dev]
    return TrainingData(
        passages=joined,
        names=entity_names(sentences),
        vocabulary=vocabulary,
        vectors=vector_rows(vocabulary, vectors, settings["vector_width"]),
        encoded=[(encode(item.text, item.tokens, vocabulary), item.tags) for item in train_set],
        dev=dev,
        dev_encoded=[(encode(s.text, w, vocabulary), w) for s, w in zip(dev, dev_words)],
    )


def train(args: argparse.Namespace) -> int:
    import torch

    root = eval_dir()
    if root is None:
        raise SystemExit("no evaluation data: set ZHEXTRACT_EVAL_DIR or provide ../shared/eval")
    config = read_config(args.set)
    settings, schedule = config["model"], config["training"]
    random.seed(schedule["seed"])
    np.random.seed(schedule["seed"])
    torch.manual_seed(schedule["seed"])
    torch.set_num_threads(args.threads)
    data = training_data(root, settings, schedule)
    print(f"train: {len(data.passages)} passages; vocabulary {data.vocabulary.sizes}")
    f1, epoch, arrays = fit(data, settings, schedule)
    print(f"best: epoch {epoch}, GSD dev F1 {f1:.4f}")
    _save(Path(args.workdir) / "model", data.vocabulary, settings, arrays)
    if args.install:
        install(Path(args.workdir) / "model")
    return 0


def fit(
    data: TrainingData, settings: dict[str, Any], schedule: dict[str, Any]
) -> tuple[float, int, dict[str, np.ndarray]]:
    """Train; (GSD dev F1, epoch, arrays) of the best epoch."""
    import torch

    from .ner_network import Network

    network = Network(
        data.vocabulary.sizes,
        data.vectors,
        settings["width"],
        settings["dilations"],
        len(TAGS),
        schedule["dropout"],
    )
    optimizer = torch.optim.AdamW(
        network.parameters(), lr=schedule["learn_rate"], weight_decay=schedule["weight_decay"]
    )
    annealing = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, schedule["epochs"])
    # Scored and shipped: an exponential moving average of the weights, steadier than
    # the last step's on 4,000 sentences.
    average = torch.optim.swa_utils.AveragedModel(
        network, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(schedule["averaging"])
    )
    best: tuple[float, int, dict[str, np.ndarray]] = (-1.0, 0, {})
    encoded = data.encoded
    for epoch in range(1, schedule["epochs"] + 1):
        started = time.perf_counter()
        if epoch > 1 and schedule["swap_entities"]:
            encoded = _swapped(data, schedule["swap_entities"])
        loss = _train_epoch(network, optimizer, encoded, schedule, average)
        if schedule["anneal"]:
            annealing.step()
        arrays = _shipped_precision(cast(Network, average.module).export())
        f1 = dev_f1(arrays, settings["dilations"], data.dev, data.dev_encoded, data.vocabulary)
        if f1 > best[0]:
            best = (f1, epoch, arrays)
        elapsed = time.perf_counter() - started
        print(f"epoch {epoch:3}  loss {loss:.4f}  dev F1 {f1:.4f}  ({elapsed:.1f}s)", flush=True)
    return best


def _swapped(data: TrainingData, rate: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """The passages encoded afresh with some entities swapped (`swap_entities`)."""
    items = [example(swap_entities(s, data.names, rate)) for s in data.passages]
    return [(encode(item.text, item.tokens, data.vocabulary), item.tags) for item in items]


def _train_epoch(
    network: Any,
    optimizer: Any,
    encoded: list[tuple[np.ndarray, np.ndarray]],
    schedule: dict[str, Any],
    average: Any,
) -> float:
    import torch

    network.train()
    order = list(range(len(encoded)))
    random.shuffle(order)
    total, count = 0.0, 0
    for batch in _batches(order, encoded, schedule["batch_chars"]):
        longest = max(len(encoded[index][1]) for index in batch)
        features = np.zeros((len(batch), longest, encoded[0][0].shape[1]), dtype=np.int64)
        tags = np.full((len(batch), longest), -100, dtype=np.int64)
        for row, index in enumerate(batch):
            item_features, item_tags = encoded[index]
            features[row, : len(item_tags)] = item_features
            tags[row, : len(item_tags)] = item_tags
        _forget_features(features, schedule["feature_dropout"])
        loss = network.loss(torch.from_numpy(features), torch.from_numpy(tags))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
        optimizer.step()
        average.update_parameters(network)
        total += float(loss.detach()) * len(batch)
        count += len(batch)
    return total / max(count, 1)


def _forget_features(features: np.ndarray, rate: float) -> None:
    """Set a random `rate` of the character, bigram and word rows to "unknown" (0), so
    the network learns to read rare and unseen characters from their vectors and shape."""
    for column in (COLUMNS.index("char"), COLUMNS.index("bigram"), COLUMNS.index("word")):
        forget = np.random.random(features.shape[:2]) < rate
        features[..., column][forget] = 0


def _batches(
    order: list[int], encoded: list[tuple[np.ndarray, np.ndarray]], batch_chars: int
) -> list[list[int]]:
    batches: list[list[int]] = [[]]
    size = 0
    for index in order:
        length = len(encoded[index][1])
        if batches[-1] and size + length > batch_chars:
            batches.append([])
            size = 0
        batches[-1].append(index)
        size += length
    return batches


def _shipped_precision(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The arrays as the shipped model holds them (float16), for scoring what ships."""
    return {name: array.astype(np.float16) for name, array in arrays.items()}


def dev_f1(
    arrays: dict[str, np.ndarray],
    dilations: list[int],
    dev: list[Sentence],
    encoded: list[tuple[np.ndarray, Words]],
    vocabulary: Vocabulary,
) -> float:
    """Exact-span F1 on `dev` of the network in `arrays`, decoded as `ner.predict` does."""
    model = ner.NerModel(vocabulary, Weights.from_arrays(arrays, dilations), TAGS)
    tally = Score()
    for sentence, (features, words) in zip(dev, encoded):
        tally.add(ner.snapped(ner.tag_spans(model, features), words), sentence.entities)
    return tally.prf()[2]


def _save(
    folder: Path, vocabulary: Vocabulary, settings: dict[str, Any], arrays: dict[str, np.ndarray]
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / "weights.npz", **cast(dict[str, Any], arrays))
    description = {
        "name": "zhextract_ner",
        "description": MODEL_CARD_NOTE,
        "license": "CC BY-SA 4.0 (trained on UNER Chinese GSD)",
        "labels": list(TAGS),
        "dilations": settings["dilations"],
        "bigram_rows": vocabulary.bigram_rows,
        "columns": list(COLUMNS),
        "tags": list(vocabulary.tags),
        "words": list(vocabulary.words),
        "chars": vocabulary.chars,
    }
    text = json.dumps(description, ensure_ascii=False, indent=1)
    (folder / "model.json").write_text(text + "\n", encoding="utf-8")


def install(model_dir: Path) -> None:
    """Copy a trained model into the package."""
    target = ner.model_path()
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(model_dir, target)
    print(f"installed {model_dir} -> {target}")


def score_split(args: argparse.Namespace) -> int:
    root = eval_dir()
    if root is None:
        print("no evaluation data (../shared/eval); skipping")
        return 0
    sentences = load_corpus(root, args.split)
    started = time.perf_counter()
    model = ner.load_model(args.model)
    ner.predict("暖身", model=model)  # load time includes the segment dictionary
    loaded = time.perf_counter()
    predicted = ner.predict_many([s.text for s in sentences], model)
    finished = time.perf_counter()
    chars = sum(len(s.text) for s in sentences)
    tally = Score()
    for sentence, spans in zip(sentences, predicted):
        tally.add(spans, sentence.entities)
    title = f"{args.split}: {len(sentences)} sentences, {chars} chars, model {args.model or ner.model_path()}"
    print(tally.report(title))
    print(f"  overall F1 {tally.prf()[2]:.4f}")
    print(f"  load {loaded - started:.2f}s, predict {chars / (finished - loaded):,.0f} chars/s")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.train")
    commands = parser.add_subparsers(dest="command", required=True)
    fit = commands.add_parser("ner", help="train on GSD train, keep the best on GSD dev")
    fit.add_argument("--workdir", default="build/ner")
    fit.add_argument("--threads", type=int, default=1, help="PyTorch threads")
    fit.add_argument(
        "--set",
        action="append",
        default=[],
        help="config override KEY=JSON, e.g. training.epochs=30",
    )
    fit.add_argument("--install", action="store_true", help="copy the best model into the package")
    check = commands.add_parser("ner-score", help="exact-span F1 of a model on one split")
    check.add_argument("--split", default="gsd_dev")
    check.add_argument("--model", default=None, help="model directory (default: the shipped one)")
    args = parser.parse_args(argv)
    return train(args) if args.command == "ner" else score_split(args)
