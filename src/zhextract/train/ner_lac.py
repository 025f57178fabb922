"""Fine-tune LAC's encoder into our PER/LOC/ORG tagger (stages/ner/lac_tagger.py).

    python -m zhextract.train ner-lac [--install] [--set training.epochs=10]

Training data: UNER Chinese GSD train; the epoch kept is the best on GSD dev (GSD test
and PUD test are never read here). Settings: `pipelines/ner_lac_train.cfg`. LAC's
embedding stays fixed (it covers 58k words the 4k training sentences never show); its
GRU layers and tag scores are fine-tuned at a lower rate than the new head. Needs
PyTorch (`pip install -e '.[train]'`); the result runs on numpy.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from confection import Config

from ..eval import eval_dir
from ..eval.ner import Score
from ..stages.entities import LABELS as KNOWLEDGE_LABELS
from ..stages.entities import find_entities
from ..stages.entities.patterns import Candidate
from ..stages.ner import LABELS, lac_tagger
from ..stages.ner.lac import Lac, load_lac, unit_positions, units
from ..stages.ner.lac_tagger import knowledge_ids, knowledge_size
from ..stages.ner.viterbi import best_tags
from ..stages.segment import cut_words
from .ner_corpora import Sentence, load_corpus

TAGS = ("O", *(f"{prefix}-{label}" for label in LABELS for prefix in "BI"))
POSITIONS = 4  # first of a unit, inside, last, a unit of its own (lac.unit_positions)


@dataclass(frozen=True)
class Example:
    sentence: Sentence
    ids: np.ndarray  # LAC unit ids
    lengths: np.ndarray  # characters per unit
    positions: np.ndarray  # per character
    tags: np.ndarray  # per character, indexes into TAGS
    known: list[Candidate]  # what the gazetteers and rules found


def config_path() -> Path:
    return Path(str(resources.files("zhextract").joinpath("pipelines/ner_lac_train.cfg")))


def read_config(overrides: list[str]) -> dict[str, Any]:
    config = Config().from_disk(config_path())
    for override in overrides:
        key, _, value = override.partition("=")
        section, _, name = key.rpartition(".")
        config[section][name] = json.loads(value)
    return dict(config)


def examples(sentences: list[Sentence], lac: Lac) -> list[Example]:
    found = []
    for sentence in sentences:
        tokens = cut_words(sentence.text)
        known = find_entities(sentence.text, tokens, [(0, len(sentence.text))])
        ids, lengths = units(lac, sentence.text)
        tags = np.zeros(len(sentence.text), dtype=np.int64)
        for start, end, label in sentence.entities:
            tags[start] = TAGS.index(f"B-{label}")
            tags[start + 1 : end] = TAGS.index(f"I-{label}")
        if len(ids):
            found.append(Example(sentence, ids, lengths, unit_positions(lengths), tags, known))
    return found


def train(args: argparse.Namespace) -> int:
    import torch

    from .ner_lac_network import TaggerNetwork

    config = read_config(args.set)
    settings = config["training"]
    random.seed(settings["seed"])
    np.random.seed(settings["seed"])
    torch.manual_seed(settings["seed"])
    torch.set_num_threads(args.threads)
    root = eval_dir()
    if root is None:
        print("no evaluation data (../shared/eval): nothing to train on")
        return 1
    lac = load_lac()
    training = examples(load_corpus(root, "gsd_train"), lac)
    selection = examples(load_corpus(root, "gsd_dev"), lac)
    network = TaggerNetwork(lac, len(TAGS), knowledge_size(KNOWLEDGE_LABELS), config["model"])
    optimizer = network.optimizer(settings)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    best = -1.0
    log = []
    for epoch in range(settings["epochs"]):
        began = time.perf_counter()
        loss = network.fit_epoch(training, optimizer, settings)
        score = score_examples(network.export(TAGS, KNOWLEDGE_LABELS, workdir / "last"), selection)
        precision, recall, f1 = score.prf()
        log.append(
            {"epoch": epoch, "loss": loss, "dev_f1": f1, "dev_p": precision, "dev_r": recall}
        )
        print(
            f"epoch {epoch}: loss {loss:.3f}, GSD dev P/R/F1 {precision:.3f}/{recall:.3f}/{f1:.4f}"
            f" ({time.perf_counter() - began:.0f}s)",
            flush=True,
        )
        if f1 > best:
            best = f1
            shutil.copytree(workdir / "last", workdir / "best", dirs_exist_ok=True)
    (workdir / "log.json").write_text(json.dumps(log, indent=1), encoding="utf-8")
    print(f"best GSD dev F1 {best:.4f}: {workdir / 'best'}")
    if args.install:
        shutil.copytree(workdir / "best", lac_tagger.tagger_path(), dirs_exist_ok=True)
        print(f"installed into {lac_tagger.tagger_path()}")
    return 0


def score_examples(folder: Path, data: list[Example]) -> Score:
    """Exact-span scores of the numpy tagger exported to `folder` (what ships)."""
    tagger = lac_tagger.load_tagger.__wrapped__(str(folder))
    score = Score()
    scored = lac_tagger.emissions(
        tagger,
        [example.sentence.text for example in data],
        [knowledge_ids(len(example.tags), example.known, KNOWLEDGE_LABELS) for example in data],
    )
    for example, emissions in zip(data, scored):
        best = best_tags(emissions.astype(np.float64), tagger.transitions, tagger.start, tagger.end)
        score.add(lac_tagger.spans_of_tags(best, tagger.tags), example.sentence.entities)
    return score


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.train ner-lac")
    parser.add_argument("--workdir", default="build/ner_lac")
    parser.add_argument("--threads", type=int, default=1, help="PyTorch threads")
    parser.add_argument("--set", action="append", default=[], help="override KEY=JSON")
    parser.add_argument("--install", action="store_true", help="copy the best into the package")
    return train(parser.parse_args(argv))
