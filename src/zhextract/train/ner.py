"""Rebuild the NER model: convert the public corpora, train with spaCy, score, install.

    python -m zhextract.train ner [--extra peoples_daily_dev,msra_test] [--install]
    python -m zhextract.train ner-score --split gsd_dev [--model DIR]

Training data is UNER Chinese GSD train (Traditional), plus any `--extra` corpora
converted from Simplified with OpenCC. Static character vectors are computed from
jieba's dictionary first (`ner_vectors`). The best model by entity F1 on GSD dev is
kept. GSD test and PUD test are for reporting only: never pass them to training.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections import Counter
from importlib import resources
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from thinc.api import Config

from ..eval import eval_dir
from ..stages import ner
from ..stages.ner.features import CharWordTokenizer, remember_features
from .ner_corpora import Entity, Sentence, load_corpus
from .ner_vectors import save_vectors

HELD_OUT = ("gsd_test", "pud_test")
MODEL_META = {
    "name": "zhextract_ner",
    "description": (
        "Traditional Chinese PER/LOC/ORG: characters, bigrams, jieba word and dictionary"
        " features, jieba-derived character vectors; see MODEL_CARD.md"
    ),
    "license": "CC BY-SA 4.0 (trained on UNER Chinese GSD)",
}
# Measured on GSD dev: adding People's Daily dev + MSRA test, or CLUENER train (all s2twp),
# lowered F1, so none.
DEFAULT_EXTRA: tuple[str, ...] = ()


def config_path() -> Path:
    return Path(str(resources.files("zhextract").joinpath("pipelines/ner_train.cfg")))


def write_docbin(sentences: list[Sentence], path: Path) -> int:
    """Save `sentences` as a spaCy DocBin of character tokens; returns entities kept."""
    nlp = spacy.blank("zh")
    tokenizer = CharWordTokenizer(nlp.vocab, use_word_features=False)
    docbin = DocBin(attrs=["ENT_IOB", "ENT_TYPE"])
    kept = 0
    for sentence in sentences:
        doc = tokenizer(sentence.text)
        spans = [
            doc.char_span(s, e, label, alignment_mode="contract")
            for s, e, label in sentence.entities
        ]
        doc.ents = [span for span in spans if span is not None and len(span)]
        kept += len(doc.ents)
        docbin.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(path)
    return kept


def prepare(workdir: Path, extra: list[str], opencc: str) -> tuple[Path, Path]:
    root = eval_dir()
    if root is None:
        raise SystemExit("no evaluation data: set ZHEXTRACT_EVAL_DIR or provide ../shared/eval")
    limits = dict(_name_and_limit(item) for item in extra)
    if set(limits) & {"gsd_train", "gsd_dev", *HELD_OUT}:
        raise SystemExit(f"--extra takes added corpora only; gsd_dev selects, {HELD_OUT} report")
    train = load_corpus(root, "gsd_train")
    for name, limit in limits.items():
        train += load_corpus(root, name, opencc)[:limit]
    dev = load_corpus(root, "gsd_dev")
    train_path, dev_path = workdir / "train.spacy", workdir / "dev.spacy"
    print(f"train: {len(train)} sentences, {write_docbin(train, train_path)} entities")
    print(f"dev: {len(dev)} sentences, {write_docbin(dev, dev_path)} entities")
    return train_path, dev_path


def _name_and_limit(item: str) -> tuple[str, int | None]:
    """`cluener_train:3000` -> ("cluener_train", 3000): that corpus's first 3,000 sentences."""
    name, _, limit = item.partition(":")
    return name, int(limit) if limit else None


def train(args: argparse.Namespace) -> int:
    from spacy.cli.train import train as spacy_train

    workdir = Path(args.workdir)
    extra = [name for name in args.extra.split(",") if name]
    train_path, dev_path = prepare(workdir, extra, args.opencc)
    vectors_path = workdir / "vectors"
    print(f"vectors: {save_vectors(vectors_path, args.vector_width)} characters")
    overrides: dict[str, object] = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "paths.vectors": str(vectors_path),
        "training.max_steps": args.max_steps,
        "nlp.tokenizer.word_features": not args.no_word_features,
    }
    for setting in args.set:
        key, _, value = setting.partition("=")
        overrides[key] = json.loads(value)
    remember_features(True)
    spacy_train(config_path(), workdir / "output", use_gpu=-1, overrides=overrides)
    best = workdir / "output" / "model-best"
    if args.install:
        install(best)
    return 0


def install(model_dir: Path) -> None:
    """Copy a trained model into the package and name it in its meta.json."""
    target = ner.model_path()
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(model_dir, target)
    config = Config().from_disk(target / "config.cfg", interpolate=False)
    # local build paths mean nothing once shipped
    config["paths"].update({"train": None, "dev": None, "vectors": None})
    config.to_disk(target / "config.cfg", interpolate=False)
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(MODEL_META)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"installed {model_dir} -> {target}")


def score(gold: list[list[Entity]], predicted: list[list[Entity]]) -> dict[str, dict[str, float]]:
    """Exact-span precision/recall/F1, overall ("ALL") and per label."""
    counts: dict[str, Counter[str]] = {}
    for gold_spans, predicted_spans in zip(gold, predicted):
        gold_set, predicted_set = set(gold_spans), set(predicted_spans)
        for key, spans in (
            ("tp", gold_set & predicted_set),
            ("fp", predicted_set - gold_set),
            ("fn", gold_set - predicted_set),
        ):
            for span in spans:
                for label in ("ALL", span[2]):
                    counts.setdefault(label, Counter())[key] += 1
    return {label: _prf(tally) for label, tally in sorted(counts.items())}


def _prf(tally: Counter[str]) -> dict[str, float]:
    tp, fp, fn = tally["tp"], tally["fp"], tally["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": precision, "r": recall, "f1": f1, "gold": tp + fn}


def score_split(args: argparse.Namespace) -> int:
    root = eval_dir()
    if root is None:
        print("no evaluation data (../shared/eval); skipping")
        return 0
    sentences = load_corpus(root, args.split)
    started = time.perf_counter()
    model = ner.load_model(args.model)
    model("暖身")  # load time includes jieba's dictionary, read on first use
    loaded = time.perf_counter()
    predicted = ner.predict_many([s.text for s in sentences], model)
    finished = time.perf_counter()
    chars = sum(len(s.text) for s in sentences)
    print(
        f"{args.split}: {len(sentences)} sentences, {chars} chars, model {args.model or ner.model_path()}"
    )
    for label, values in score([list(s.entities) for s in sentences], predicted).items():
        print(
            f"  {label:4} P={values['p']:.4f} R={values['r']:.4f} F1={values['f1']:.4f} gold={int(values['gold'])}"
        )
    print(f"  load {loaded - started:.2f}s, predict {chars / (finished - loaded):,.0f} chars/s")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.train")
    commands = parser.add_subparsers(dest="command", required=True)
    fit = commands.add_parser("ner", help="convert data, train, optionally install")
    fit.add_argument(
        "--extra",
        default=",".join(DEFAULT_EXTRA),
        help="extra corpora, comma-separated; NAME:N keeps the first N sentences",
    )
    fit.add_argument("--opencc", default="s2twp", help="OpenCC config for Simplified corpora")
    fit.add_argument("--max-steps", type=int, default=4000)
    fit.add_argument("--no-word-features", action="store_true")
    fit.add_argument("--vector-width", type=int, default=32, help="static character vectors")
    fit.add_argument("--workdir", default="build/ner")
    fit.add_argument(
        "--set",
        action="append",
        default=[],
        help="config override KEY=JSON, e.g. training.dropout=0.3",
    )
    fit.add_argument("--install", action="store_true", help="copy model-best into the package")
    check = commands.add_parser("ner-score", help="exact-span F1 of a model on one split")
    check.add_argument("--split", default="gsd_dev")
    check.add_argument("--model", default=None, help="model directory (default: the shipped one)")
    args = parser.parse_args(argv)
    return train(args) if args.command == "ner" else score_split(args)
