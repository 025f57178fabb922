"""Named-entity evaluation: `python -m zhextract.eval ner [--gold SEED_TSV]`.

Prints exact-span precision, recall and F1 per label and overall on
- the user's seed document against our annotation (tests/data/seed_entities.tsv), and
- Universal NER Chinese GSD test and PUD test, where our labels map to theirs
  (PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC; others are dropped) and each sentence's
  tokens joined without spaces are the input text.
Each set is skipped, with a message, when its data is absent.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import eval_dir

SEED_NAME = "000_beb807c6142ff2a5.txt"
REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_GOLD = REPO_ROOT / "tests" / "data" / "seed_entities.tsv"
UNER_SETS = {
    "test": (
        ("UNER Chinese GSD test", "uner_chinese_gsd/zh_gsd-ud-test.iob2"),
        ("UNER Chinese PUD test", "uner_chinese_pud/zh_pud-ud-test.iob2"),
    ),
    # For choosing between designs: test sets are for reporting only.
    "dev": (("UNER Chinese GSD dev", "uner_chinese_gsd/zh_gsd-ud-dev.iob2"),),
}
UNER_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}

Mention = tuple[int, int, str]  # (start, end, label); offsets are relative to one text


@dataclass
class Score:
    """Counts of true positives, predictions and gold mentions, per label."""

    correct: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)

    def add(self, predicted: Iterable[Mention], gold: Iterable[Mention]) -> None:
        predicted_set, gold_set = set(predicted), set(gold)
        for _, _, label in predicted_set:
            self.predicted[label] += 1
        for _, _, label in gold_set:
            self.gold[label] += 1
        for _, _, label in predicted_set & gold_set:
            self.correct[label] += 1

    def prf(self, label: str | None = None) -> tuple[float, float, float]:
        """Precision, recall and F1 for one label, or overall when `label` is None."""
        if label is None:
            correct = sum(self.correct.values())
            predicted = sum(self.predicted.values())
            gold = sum(self.gold.values())
        else:
            correct, predicted, gold = (
                self.correct[label],
                self.predicted[label],
                self.gold[label],
            )
        precision = correct / predicted if predicted else 0.0
        recall = correct / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def report(self, title: str) -> str:
        lines = [f"{title}", f"  {'label':<12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}"]
        for label in sorted(set(self.gold) | set(self.predicted)):
            lines.append(self._row(label, label))
        lines.append(self._row("overall", None))
        return "\n".join(lines)

    def _row(self, name: str, label: str | None) -> str:
        precision, recall, f1 = self.prf(label)
        gold = sum(self.gold.values()) if label is None else self.gold[label]
        predicted = sum(self.predicted.values()) if label is None else self.predicted[label]
        return f"  {name:<12} {precision:6.3f} {recall:6.3f} {f1:6.3f} {gold:5d} {predicted:5d}"


# --- seed document ---------------------------------------------------------------


def read_gold_tsv(path: Path) -> list[Mention]:
    """(source_start, source_end, label) rows of a seed annotation file."""
    mentions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("source_start"):
            continue
        start, end, label, _surface = line.split("\t")
        mentions.append((int(start), int(end), label))
    return mentions


def seed_path() -> Path | None:
    base = eval_dir()
    if base is None:
        return None
    path = base.parent / "seeds" / SEED_NAME
    return path if path.is_file() else None


def predicted_source_mentions(raw: str, pipeline: str = "default") -> list[Mention]:
    """Entities of a pipeline, as source offsets into `raw`."""
    from .. import load

    record = load(pipeline)(raw)
    return [
        (item["source_start"], item["source_end"], item["label"]) for item in record["entities"]
    ]


def score_seed(raw: str, gold: list[Mention], pipeline: str = "default") -> Score:
    score = Score()
    score.add(predicted_source_mentions(raw, pipeline), gold)
    return score


# --- Universal NER ---------------------------------------------------------------


@dataclass
class Sentence:
    text: str
    mentions: list[Mention]


def read_iob2(path: Path) -> Iterator[Sentence]:
    """Sentences of a UNER .iob2 file with character-offset gold mentions."""
    words: list[tuple[str, str]] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#"):
            continue
        if line.strip():
            columns = line.split("\t")
            words.append((columns[1], columns[2]))
            continue
        if words:
            yield _sentence(words)
            words = []


def _sentence(words: list[tuple[str, str]]) -> Sentence:
    text = ""
    mentions: list[Mention] = []
    open_start, open_label = -1, ""
    for word, tag in words:
        if open_label and not (tag.startswith("I-") and tag[2:] == open_label):
            mentions.append((open_start, len(text), open_label))
            open_label = ""
        if tag.startswith("B-") or (tag.startswith("I-") and not open_label):
            open_start, open_label = len(text), tag[2:]
        text += word
    if open_label:
        mentions.append((open_start, len(text), open_label))
    return Sentence(text, mentions)


def predicted_uner_mentions(text: str, pipeline: str = "default") -> list[Mention]:
    from .. import load

    record = load(pipeline)(text)
    return [
        (item["source_start"], item["source_end"], UNER_LABELS[item["label"]])
        for item in record["entities"]
        if item["label"] in UNER_LABELS
    ]


def score_uner(path: Path, pipeline: str = "default") -> tuple[Score, int]:
    score = Score()
    count = 0
    for sentence in read_iob2(path):
        score.add(predicted_uner_mentions(sentence.text, pipeline), sentence.mentions)
        count += 1
    return score, count


# --- command ---------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.eval ner")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="seed annotation TSV")
    parser.add_argument("--pipeline", default="default", help="pipeline name or .cfg path")
    parser.add_argument(
        "--split", choices=tuple(UNER_SETS), default="test", help="UNER sets to score"
    )
    args = parser.parse_args(argv)
    print(f"pipeline: {args.pipeline}")
    if args.split == "test":
        _run_seed(args.gold, args.pipeline)
    base = eval_dir()
    for title, relative in UNER_SETS[args.split]:
        path = base / "ner" / relative if base is not None else None
        if path is None or not path.is_file():
            print(f"{title}: skipped (no data at {relative})")
            continue
        began = time.perf_counter()
        score, count = score_uner(path, args.pipeline)
        elapsed = time.perf_counter() - began
        print(score.report(f"{title} ({count} sentences, {elapsed:.1f}s)"))
        print(_lac_line(score_lac(path)))
    return 0


def score_lac(path: Path) -> Score:
    """Baidu LAC 2.1.2 as it ships (its own PER/LOC/ORG tags), on the same sentences: the
    anchor our default pipeline is compared with. Run by our numpy port of its network
    (stages/ner/lac.py), so no paddle is needed."""
    from ..stages.ner.lac import lac_spans

    sentences = list(read_iob2(path))
    score = Score()
    for sentence, found in zip(sentences, lac_spans([item.text for item in sentences])):
        score.add(found, sentence.mentions)
    return score


def _lac_line(score: Score) -> str:
    precision, recall, f1 = score.prf()
    return (
        f"  {'LAC 2.1.2':<12} {precision:6.3f} {recall:6.3f} {f1:6.3f}   (LAC as shipped, beside)"
    )


def _run_seed(gold_path: Path, pipeline: str) -> None:
    seed = seed_path()
    if seed is None or not gold_path.is_file():
        print("seed: skipped (seed document or its annotation is absent)")
        return
    raw = seed.read_text(encoding="utf-8")
    score = score_seed(raw, read_gold_tsv(gold_path), pipeline)
    print(score.report(f"seed {seed.name} (exact source spans)"))
