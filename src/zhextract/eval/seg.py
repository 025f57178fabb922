"""Word segmentation F1 on Traditional gold: `python -m zhextract.eval seg`.

Scores `zhextract.stages.segment.segment_words` side by side with plain jieba on the
Traditional text and with jieba after a full OpenCC t2s conversion, on SIGHAN 2005 AS
and CityU test gold and UD Chinese GSD and HK test. Precision/recall/F1 are over word
character spans, per corpus.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import eval_dir

Segmenter = Callable[[str], list[str]]

SIGHAN = "segmentation/sighan2005_icwb2/gold"
CORPORA = {
    "AS": f"{SIGHAN}/as_testing_gold.utf8",
    "CityU": f"{SIGHAN}/cityu_test_gold.utf8",
    "GSD": "segmentation/ud_chinese_gsd/zh_gsd-ud-test.conllu",
    "HK": "segmentation/ud_chinese_hk/zh_hk-ud-test.conllu",
}
EXTRA_CORPORA = {"PUD": "segmentation/ud_chinese_pud/zh_pud-ud-test.conllu"}


def read_gold(path: Path) -> list[list[str]]:
    """Gold sentences as word lists, from a SIGHAN gold file or a CoNLL-U file."""
    if path.suffix == ".conllu":
        return list(_conllu_sentences(path))
    # utf-8-sig drops CityU's BOM; split() handles U+3000 (AS), spaces and CRLF.
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [words for line in lines if (words := line.split())]


def _conllu_sentences(path: Path) -> Iterator[list[str]]:
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                yield words
            words = []
            continue
        if line.startswith("#"):
            continue
        token_id, form = line.split("\t")[:2]
        # Multiword-token ranges ("3-4") and empty nodes ("5.1") are not surface words.
        if token_id.isdigit():
            words.append(form)
    if words:
        yield words


def _spans(words: Iterable[str]) -> set[tuple[int, int]]:
    spans = set()
    position = 0
    for word in words:
        spans.add((position, position + len(word)))
        position += len(word)
    return spans


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    correct: int = 0

    def add(self, gold_words: list[str], predicted_words: list[str]) -> None:
        gold_spans, predicted_spans = _spans(gold_words), _spans(predicted_words)
        self.gold += len(gold_spans)
        self.predicted += len(predicted_spans)
        self.correct += len(gold_spans & predicted_spans)

    @property
    def f1(self) -> float:
        if not self.correct:
            return 0.0
        precision, recall = self.correct / self.predicted, self.correct / self.gold
        return 2 * precision * recall / (precision + recall)


def score(sentences: list[list[str]], segmenter: Segmenter) -> Score:
    """Word F1 of `segmenter` against gold `sentences` (whitespace-free text assumed)."""
    result = Score()
    for gold_words in sentences:
        text = "".join(gold_words)
        predicted = [word for word in segmenter(text) if not word.isspace()]
        if "".join(predicted) != text:
            raise ValueError(f"segmenter changed the text of {text!r}")
        result.add(gold_words, predicted)
    return result


def _plain_jieba() -> Segmenter:
    from ..stages.segment import _jieba

    jieba = _jieba()
    return lambda text: list(jieba.cut(text))


def _jieba_after_t2s() -> Segmenter:
    """jieba on OpenCC's full (phrase-aware) t2s output, cut mapped back by lengths."""
    from opencc import OpenCC

    from ..stages.segment import _jieba, to_simplified

    converter = OpenCC("t2s")
    jieba = _jieba()

    def segment(text: str) -> list[str]:
        simplified = converter.convert(text)
        if len(simplified) != len(text):  # rare: a phrase changed length
            simplified = to_simplified(text)
        words, position = [], 0
        for piece in jieba.cut(simplified):
            words.append(text[position : position + len(piece)])
            position += len(piece)
        return words

    return segment


def _zhextract(lexicon: str = "default", hmm: str = "content") -> Callable[[], Segmenter]:
    def make() -> Segmenter:
        from ..stages.segment import cut_words

        def segment(text: str) -> list[str]:
            cuts = cut_words(text, with_pos=False, lexicon=lexicon, hmm=hmm)
            return [text[start:end] for start, end, _ in cuts]

        return segment

    return make


SYSTEMS: dict[str, Callable[[], Segmenter]] = {
    "jieba": _plain_jieba,
    "jieba-t2s": _jieba_after_t2s,
    "zhextract": _zhextract(),
    "zhextract-hmm-off": _zhextract(hmm="off"),
    "zhextract-hmm-all": _zhextract(hmm="all"),
    "trained": _zhextract("trained"),
    "trained-hmm-off": _zhextract("trained", hmm="off"),
    "trained-hmm-all": _zhextract("trained", hmm="all"),
}
DEFAULT_SYSTEMS = "jieba,jieba-t2s,zhextract,trained"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.eval seg")
    parser.add_argument(
        "--systems", default=DEFAULT_SYSTEMS, help=f"comma-separated, of {', '.join(SYSTEMS)}"
    )
    parser.add_argument("--extra", action="store_true", help="also score UD PUD")
    args = parser.parse_args(argv)
    root = eval_dir()
    if root is None:
        print("seg: no evaluation data (../shared/eval); skipped")
        return 0
    corpora = {**CORPORA, **(EXTRA_CORPORA if args.extra else {})}
    gold = {
        name: read_gold(root / path) for name, path in corpora.items() if (root / path).is_file()
    }
    if not gold:
        print("seg: no segmentation gold found; skipped")
        return 0
    names = list(gold)
    print(f"{'system':<18}" + "".join(f"{name:>8}" for name in names) + f"{'mean':>8}{'sec':>7}")
    for system in args.systems.split(","):
        segmenter = SYSTEMS[system]()
        began = time.perf_counter()
        try:
            scores = [score(gold[name], segmenter).f1 for name in names]
        except FileNotFoundError as error:  # the trained lexicon without training data
            print(f"{system:<18}skipped: {error}")
            continue
        seconds = time.perf_counter() - began
        cells = "".join(f"{value:>8.3f}" for value in scores)
        print(f"{system:<18}{cells}{sum(scores) / len(scores):>8.3f}{seconds:>7.1f}")
    return 0
