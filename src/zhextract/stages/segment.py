"""Segment stage: sentences, and words with POS tags from jieba on Traditional text.

jieba's dictionary is Simplified, so words are cut on a character-by-character
Traditional-to-Simplified projection (OpenCC's character table, one character to one
character); every character keeps its offset, so tokens map straight back.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from ..doc import Doc, Span
from ..registry import Stage, register_stage

SENTENCE_END = re.compile(r"[。！？!?…]+[」』”’）)]*|\n+")


@cache
def _t2s_table() -> dict[int, str]:
    """OpenCC's Traditional-to-Simplified character table, single characters only."""
    path = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt")
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1:
            table[ord(source)] = target
    return table


def to_simplified(text: str) -> str:
    """Character-for-character Simplified projection: same length, same offsets."""
    return text.translate(_t2s_table())


@cache
def _jieba() -> object:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def cut_words(text: str, with_pos: bool = True) -> list[tuple[int, int, str]]:
    """(start, end, pos) for every non-space word of `text`."""
    projected = to_simplified(text)
    _jieba()
    if with_pos:
        import jieba.posseg

        pieces = [(pair.word, pair.flag) for pair in jieba.posseg.cut(projected)]
    else:
        import jieba

        pieces = [(word, "") for word in jieba.cut(projected)]
    words = []
    position = 0
    for piece, pos in pieces:
        start, position = position, position + len(piece)
        words.extend(_split_whitespace(text, start, position, pos))
    return words


def _split_whitespace(text: str, start: int, end: int, pos: str) -> list[tuple[int, int, str]]:
    parts = []
    for match in re.finditer(r"\S+", text[start:end]):
        parts.append((start + match.start(), start + match.end(), pos))
    return parts


def segment_words(text: str) -> list[str]:
    """Words of `text` (whitespace dropped), cut as the segment stage cuts them."""
    return [text[start:end] for start, end, _ in cut_words(text, with_pos=False)]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans within `text[start:end]`, trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    spans = []
    cursor = start
    for match in SENTENCE_END.finditer(text, start, end):
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, end))
    return [trimmed for span in spans if (trimmed := _trim(text, *span))]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


@register_stage("segment", requires=("text", "paragraphs"), provides=("sentences", "tokens"))
def make_segment_stage(pos: bool = True) -> Stage:
    def segment(doc: Doc) -> None:
        sentences: list[Span] = []
        for paragraph in doc.paragraphs:
            for start, end in split_sentences(doc.text, paragraph["start"], paragraph["end"]):
                sentences.append({"start": start, "end": end})
        doc.sentences = sentences
        doc.tokens = [
            doc.span(start, end, pos=tag) for start, end, tag in cut_words(doc.text, with_pos=pos)
        ]

    return segment
