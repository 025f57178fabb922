"""Readers for the public NER corpora in `eval_dir()/ner`, as (text, spans) sentences.

Every reader returns `Sentence`s: the sentence text and its entities as
[start, end) character offsets with a UNER label (PER/LOC/ORG). Label maps live in
`ner_corpora.json`. Simplified corpora are converted to Traditional piece by piece
(entity and non-entity stretches separately), so offsets stay exact even where
OpenCC's phrase conversion changes a length.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

Entity = tuple[int, int, str]


@dataclass(frozen=True)
class Sentence:
    text: str
    entities: tuple[Entity, ...]


@cache
def label_maps() -> dict[str, dict[str, str]]:
    path = resources.files("zhextract.train").joinpath("ner_corpora.json")
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return {name: mapping for name, mapping in data.items() if not name.startswith("_")}


def decode_tags(pieces: list[str], tags: list[str], mapping: dict[str, str]) -> Sentence:
    """Join `pieces` into a sentence and read entities from BIO/IOB2/BMES `tags`."""
    entities: list[Entity] = []
    open_start, open_label = -1, ""
    position = 0

    def close(end: int) -> None:
        nonlocal open_start, open_label
        if open_start >= 0 and open_label in mapping:
            entities.append((open_start, end, mapping[open_label]))
        open_start, open_label = -1, ""

    for piece, tag in zip(pieces, tags):
        prefix, _, label = tag.partition("-")
        continues = prefix in ("I", "M", "E") and label == open_label and open_start >= 0
        if not continues:
            close(position)
            if prefix in ("B", "S", "I", "M", "E"):
                open_start, open_label = position, label
        position += len(piece)
        if prefix in ("S", "E"):
            close(position)
    close(position)
    return Sentence("".join(pieces), tuple(entities))


def read_columns(
    path: Path, column: int, piece_of: Callable[[str], str]
) -> Iterator[list[list[str]]]:
    """Rows of a blank-line-separated column file, one list per sentence; `#` lines skipped."""
    rows: list[list[str]] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.startswith("#"):
            continue
        fields = line.split("\t") if "\t" in line else line.split(" ")
        if not line.strip() or len(fields) <= column:
            if rows:
                yield rows
            rows = []
            continue
        rows.append([piece_of(fields[0]), fields[column]])
    if rows:
        yield rows


def read_tagged(path: Path, corpus: str) -> list[Sentence]:
    """A tagged column corpus: UNER IOB2 (token in column 2) or one character per row."""
    mapping = label_maps()[corpus]
    sentences = []
    if corpus == "uner":
        for rows in _uner_rows(path):
            sentences.append(decode_tags([r[0] for r in rows], [r[1] for r in rows], mapping))
        return sentences
    strip_digit = corpus == "weibo"  # Weibo rows are "char<jieba position digit>"
    for rows in read_columns(path, 1, lambda piece: piece[:-1] if strip_digit else piece):
        sentences.append(decode_tags([r[0] for r in rows], [r[1] for r in rows], mapping))
    return sentences


def _uner_rows(path: Path) -> Iterator[list[list[str]]]:
    rows: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            if rows:
                yield rows
            rows = []
            continue
        rows.append([fields[1], fields[2]])
    if rows:
        yield rows


def read_cluener(path: Path) -> list[Sentence]:
    """CLUENER2020: concatenated pretty-printed JSON objects, inclusive end offsets."""
    mapping = label_maps()["cluener"]
    decoder = json.JSONDecoder()
    raw = path.read_text(encoding="utf-8")
    sentences: list[Sentence] = []
    position = 0
    while True:
        while position < len(raw) and raw[position].isspace():
            position += 1
        if position >= len(raw):
            return sentences
        record, position = decoder.raw_decode(raw, position)
        entities = [
            (start, end + 1, mapping[label])
            for label, mentions in record.get("label", {}).items()
            if label in mapping
            for offsets in mentions.values()
            for start, end in offsets
        ]
        sentences.append(Sentence(record["text"], tuple(sorted(_drop_overlaps(entities)))))


def _drop_overlaps(entities: list[Entity]) -> list[Entity]:
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e[0], -(e[1] - e[0]))):
        if not kept or entity[0] >= kept[-1][1]:
            kept.append(entity)
    return kept


@cache
def _converter(config: str) -> Callable[[str], str]:
    from opencc import OpenCC

    converted: Callable[[str], str] = OpenCC(config).convert
    return converted


def to_traditional(sentence: Sentence, config: str = "s2twp") -> Sentence:
    """Convert a Simplified sentence with OpenCC, keeping entity offsets exact."""
    convert = _converter(config)
    text_parts: list[str] = []
    entities: list[Entity] = []
    position = 0
    cursor = 0
    for start, end, label in sentence.entities:
        gap = convert(sentence.text[position:start])
        mention = convert(sentence.text[start:end])
        text_parts += [gap, mention]
        cursor += len(gap)
        entities.append((cursor, cursor + len(mention), label))
        cursor += len(mention)
        position = end
    text_parts.append(convert(sentence.text[position:]))
    return Sentence("".join(text_parts), tuple(entities))


# corpus name -> (file under eval_dir()/ner, reader kind, needs Simplified->Traditional)
SOURCES: dict[str, tuple[str, str, bool]] = {
    "gsd_train": ("uner_chinese_gsd/zh_gsd-ud-train.iob2", "uner", False),
    "gsd_dev": ("uner_chinese_gsd/zh_gsd-ud-dev.iob2", "uner", False),
    "gsd_test": ("uner_chinese_gsd/zh_gsd-ud-test.iob2", "uner", False),
    "pud_test": ("uner_chinese_pud/zh_pud-ud-test.iob2", "uner", False),
    "peoples_daily_dev": ("peoples_daily/example.dev", "peoples_daily", True),
    "msra_test": ("msra/msra_test_bio.txt", "msra", True),
    "weibo_train": ("weibo/weiboNER_2nd_conll.train", "weibo", True),
    "resume_train": ("resume/train.char.bmes", "resume", True),
    "cluener_train": ("cluener2020/train.json", "cluener", True),
}


def load_corpus(eval_root: Path, name: str, opencc_config: str = "s2twp") -> list[Sentence]:
    """Sentences of one named corpus (see SOURCES), in Traditional characters."""
    relative, kind, simplified = SOURCES[name]
    path = eval_root / "ner" / relative
    sentences = read_cluener(path) if kind == "cluener" else read_tagged(path, kind)
    sentences = [s for s in sentences if s.text.strip()]
    if simplified:
        sentences = [to_traditional(s, opencc_config) for s in sentences]
    return sentences
