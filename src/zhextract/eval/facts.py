"""Figure-fact evaluation: `python -m zhextract.eval facts [--set dev|heldout|FILE]`.

Reads sentences annotated by hand for this project (tests/data/facts_dev.jsonl, and a
held-out set, tests/data/facts_heldout.jsonl, kept apart while the rules were written;
format in tests/data/facts_README.md), runs a pipeline on each sentence and prints
precision and recall per field of the facts of the annotated figures.

A gold fact is matched to the fact of the figure whose span overlaps the gold figure's
text. Then, per field:
- predicate: the predicate's text or lemma contains the gold word, or is inside it;
- subject, object: the entity's name (or the phrase's text) equals the gold phrase or one
  ends with the other (the same head: 出口 and 出口金額 do not match, 金額 and 出口金額 do);
- time: the date's span overlaps the gold phrase's first occurrence in the text;
- change: same direction, and `from` and `to` each absent in both or overlapping.
A field counts towards precision where the system gives a value, towards recall where
the gold has one; a figure the pipeline misses (or gives no fact) counts as absent.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..types import Record

REPO_ROOT = Path(__file__).resolve().parents[3]
SETS = {
    "dev": REPO_ROOT / "tests" / "data" / "facts_dev.jsonl",
    "heldout": REPO_ROOT / "tests" / "data" / "facts_heldout.jsonl",
}
FIELDS = ("predicate", "subject", "object", "time", "change")

Fact = dict[str, Any]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.eval facts")
    parser.add_argument("--set", default="dev", help="dev, heldout, or a JSONL file")
    parser.add_argument("--pipeline", default="default")
    parser.add_argument("--errors", action="store_true", help="print every wrong field")
    args = parser.parse_args(argv)
    path = SETS.get(args.set, Path(args.set))
    if not path.is_file():
        print(f"skipped: no annotated set at {path}")
        return 0
    import zhextract

    nlp = zhextract.load(args.pipeline)
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    started = time.perf_counter()
    score = Counts()
    for item in items:
        record = nlp(item["text"], doc_date=item.get("doc_date"))
        for gold in item["facts"]:
            system = system_fact(record, item["text"], gold)
            for name in FIELDS:
                ok = score.add(name, field_value(system, name), gold.get(name), item["text"], gold)
                if args.errors and ok is False:
                    shown = describe(system, name)
                    print(
                        f"{item['id']} {gold['figure']} {name}: gold {gold.get(name)!r}, got {shown!r}"
                    )
    elapsed = time.perf_counter() - started
    figures = sum(len(item["facts"]) for item in items)
    print(f"{path.name}: {len(items)} sentences, {figures} figures, pipeline {args.pipeline}")
    print(f"{'field':<10} {'precision':>9} {'recall':>7} {'correct':>8} {'system':>7} {'gold':>5}")
    for name in FIELDS:
        precision, recall = score.pr(name)
        print(
            f"{name:<10} {precision:>9.3f} {recall:>7.3f} {score.correct[name]:>8} "
            f"{score.predicted[name]:>7} {score.gold[name]:>5}"
        )
    print(f"({elapsed:.1f} s)")
    return 0


class Counts:
    def __init__(self) -> None:
        self.correct: Counter[str] = Counter()
        self.predicted: Counter[str] = Counter()
        self.gold: Counter[str] = Counter()

    def add(self, name: str, system: Any, gold: Any, text: str, gold_fact: Fact) -> bool | None:
        """Count one field; True/False when either side has a value, else None."""
        if system is not None:
            self.predicted[name] += 1
        if gold is not None:
            self.gold[name] += 1
        if system is None and gold is None:
            return None
        ok = system is not None and gold is not None and MATCHERS[name](system, gold, text)
        if ok:
            self.correct[name] += 1
        return ok

    def pr(self, name: str) -> tuple[float, float]:
        predicted, gold = self.predicted[name], self.gold[name]
        precision = self.correct[name] / predicted if predicted else 0.0
        recall = self.correct[name] / gold if gold else 0.0
        return precision, recall


def occurrence(text: str, phrase: str, nth: int = 0) -> tuple[int, int] | None:
    """[start, end) of the `nth` occurrence of `phrase` in `text`, or None."""
    start = -1
    for _ in range(nth + 1):
        start = text.find(phrase, start + 1)
        if start < 0:
            return None
    return start, start + len(phrase)


def overlaps(span: dict[str, Any], where: tuple[int, int] | None) -> bool:
    return where is not None and span["start"] < where[1] and where[0] < span["end"]


def system_fact(record: Record, text: str, gold: Fact) -> Fact | None:
    where = occurrence(text, gold["figure"], gold.get("figure_occurrence", 0))
    for fact in record["facts"]:
        if overlaps(record["figures"][fact["figure"]], where):
            return dict(fact)
    return None


def field_value(fact: Fact | None, name: str) -> Any:
    return None if fact is None else fact.get(name)


def same_head(system: str, gold: str) -> bool:
    return system == gold or system.endswith(gold) or gold.endswith(system)


def match_predicate(system: dict[str, Any], gold: str, text: str) -> bool:
    forms = (system["text"], system["lemma"])
    return any(gold in form or form in gold for form in forms)


def match_party(system: dict[str, Any], gold: str, text: str) -> bool:
    names = {system["text"], system.get("name") or system["text"]}
    return any(same_head(name, gold) for name in names)


def match_time(system: dict[str, Any], gold: str, text: str) -> bool:
    return overlaps(system, occurrence(text, gold))


def match_change(system: dict[str, Any], gold: dict[str, Any], text: str) -> bool:
    if system["direction"] != gold["direction"]:
        return False
    for end in ("from", "to"):
        if (system[end] is None) != (gold[end] is None):
            return False
        if gold[end] is not None and not overlaps(system[end], occurrence(text, gold[end])):
            return False
    return True


MATCHERS: dict[str, Callable[[Any, Any, str], bool]] = {
    "predicate": match_predicate,
    "subject": match_party,
    "object": match_party,
    "time": match_time,
    "change": match_change,
}


def describe(fact: Fact | None, name: str) -> Any:
    value = field_value(fact, name)
    if value is None:
        return None
    if name == "change":
        ends = [value[end]["text"] if value[end] else None for end in ("from", "to")]
        return [value["direction"], *ends]
    return value.get("name") or value["text"]
