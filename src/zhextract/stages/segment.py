"""Segment stage: sentences, and words with POS tags from jieba on Traditional text.

jieba's dictionary is Simplified, so words are cut on a character-by-character
projection of the text (OpenCC's Traditional-to-Simplified character table, and
full-width ASCII folded to ASCII); every character keeps its offset, so tokens map
straight back. The dictionary is jieba's own, adapted by `segment_lexicon` (Taiwan and
Hong Kong vocabulary, gold-standard conventions). jieba's HMM guesses unknown words only
inside runs of single content characters (names, transliterations): run everywhere, it
glues function words (不是, 這個) and lowers word F1 on the Traditional test sets. Small
post-rules follow the gold standards: decimals and percentages stay whole, runs of one
repeated symbol (……) join, and numeral/determiner + classifier tokens (一個) split.
Word F1: `python -m zhextract.eval seg`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..data import surnames
from ..doc import Doc, Span
from ..registry import Stage, register_stage
from .segment_lexicon import dictionary_path, project, to_simplified

__all__ = ["cut_words", "segment_words", "split_sentences", "to_simplified"]

SENTENCE_END = re.compile(r"[。！？!?…]+[」』”’）)]*|\n+")
NON_SPACE = re.compile(r"\S+")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
HMM_MODES = ("off", "content", "all")
Piece = tuple[str, str]  # a projected word and its POS tag


def _quiet_jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@cache
def _jieba() -> Any:
    """jieba with its own (Simplified) dictionary loaded; used for comparisons."""
    jieba = _quiet_jieba()
    jieba.initialize()
    return jieba


@cache
def _tokenizer(lexicon: str, user_dict: str | None) -> Any:
    """A jieba POS tokenizer on the built dictionary, with the user's words added."""
    _quiet_jieba()
    import jieba
    import jieba.posseg

    dictionary = dictionary_path(lexicon)
    tokenizer = jieba.Tokenizer(dictionary=str(dictionary))
    # jieba caches its parsed dictionary; keep that cache beside ours, not in /tmp.
    tokenizer.tmp_dir = str(dictionary.parent)
    tokenizer.initialize()
    pos_tokenizer = jieba.posseg.POSTokenizer(tokenizer)
    if user_dict is not None:
        _load_user_dict(pos_tokenizer, Path(user_dict))
    return pos_tokenizer


def _load_user_dict(pos_tokenizer: Any, path: Path) -> None:
    """Add a jieba-format word list ("word [frequency] [tag]" lines), Traditional or not."""
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        word = project(fields[0])
        frequency = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None
        tag = fields[-1] if len(fields) > 1 and not fields[-1].isdigit() else None
        pos_tokenizer.tokenizer.add_word(word, frequency, tag)
        if tag:
            pos_tokenizer.word_tag_tab[word] = tag


def cut_words(
    text: str,
    with_pos: bool = True,
    user_dict: str | Path | None = None,
    lexicon: str = "default",
    hmm: str = "content",
) -> list[tuple[int, int, str]]:
    """(start, end, pos) for every non-space word of `text`.

    `user_dict` is a jieba-format word list added to the dictionary; `lexicon` is
    "default" or "trained" (see `segment_lexicon`); `hmm` says where jieba's HMM guesses
    words missing from the dictionary: "off", "content" (only in runs of single content
    characters, see `function_chars.txt`) or "all" (jieba's own behaviour).
    """
    if hmm not in HMM_MODES:
        raise ValueError(f"unknown hmm mode {hmm!r}; known: {', '.join(HMM_MODES)}")
    tokenizer = _tokenizer(lexicon, None if user_dict is None else str(user_dict))
    projected = project(text)
    pieces = _jieba_pieces(tokenizer, projected, with_pos, hmm == "all")
    if hmm == "content":
        pieces = _guess_in_content_runs(tokenizer, pieces, with_pos)
    words: list[tuple[int, int, str]] = []
    position = 0
    for piece, pos in pieces:
        start, position = position, position + len(piece)
        for part in _split_whitespace(text, start, position, pos):
            _append_joining_runs(words, part, text)
    return _split_classifiers(_join_numbers(words, projected), projected)


@cache
def _classifier_table() -> tuple[dict[str, str], frozenset[str]]:
    """Prefix character -> POS tag ("m" numeral, "r" determiner), and the classifiers."""
    rows = {}
    for line in _data_text("classifier_split.tsv").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, items = line.split("\t")
            rows[kind] = [project(item) for item in items.split()]
    prefixes = {char: "m" for char in rows["numeral"]}
    prefixes.update((char, "r") for char in rows["determiner"])
    return prefixes, frozenset(rows["classifier"])


def _split_classifiers(
    words: list[tuple[int, int, str]], projected: str
) -> list[tuple[int, int, str]]:
    """Cut numeral/determiner + classifier tokens (一個, 每年) in two, as the gold does."""
    prefixes, classifiers = _classifier_table()
    cut: list[tuple[int, int, str]] = []
    for start, end, pos in words:
        prefix_pos = prefixes.get(projected[start])
        if end - start > 1 and prefix_pos and projected[start + 1 : end] in classifiers:
            cut.append((start, start + 1, prefix_pos if pos else ""))
            cut.append((start + 1, end, "q" if pos else ""))
        else:
            cut.append((start, end, pos))
    return cut


@cache
def _joined_pattern() -> re.Pattern[str]:
    lines = _data_text("joined_patterns.txt").splitlines()
    patterns = [line for line in lines if line.strip() and not line.startswith("#")]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _join_numbers(words: list[tuple[int, int, str]], projected: str) -> list[tuple[int, int, str]]:
    """Join the tokens of a decimal or percentage ("3.5", "5%") into one numeral token."""
    ends = {match.start(): match.end() for match in _joined_pattern().finditer(projected)}
    joined: list[tuple[int, int, str]] = []
    index = 0
    while index < len(words):
        start = words[index][0]
        last = _last_token_ending_at(words, index, ends.get(start))
        if last > index:
            joined.append((start, words[last][1], "m"))
            index = last + 1
        else:
            joined.append(words[index])
            index += 1
    return joined


def _last_token_ending_at(words: list[tuple[int, int, str]], first: int, end: int | None) -> int:
    """Index of the token ending exactly at `end`, scanning from `first`; else `first`."""
    if end is None:
        return first
    for index in range(first, len(words)):
        if words[index][1] == end:
            return index
        if words[index][1] > end:
            break
    return first


def _jieba_pieces(tokenizer: Any, projected: str, with_pos: bool, hmm: bool) -> list[Piece]:
    # posseg's HMM cuts differently from plain jieba's, so guesses always go through posseg.
    if with_pos or hmm:
        pieces = [(pair.word, pair.flag) for pair in tokenizer.cut(projected, HMM=hmm)]
        return pieces if with_pos else [(word, "") for word, _ in pieces]
    return [(word, "") for word in tokenizer.tokenizer.cut(projected, HMM=False)]


def _guess_in_content_runs(tokenizer: Any, pieces: list[Piece], with_pos: bool) -> list[Piece]:
    """Re-cut each run of two or more single content characters with jieba's HMM."""
    guessed: list[Piece] = []
    run: list[Piece] = []
    for piece in [*pieces, ("", "")]:
        if len(piece[0]) == 1 and _is_content_char(piece[0]):
            run.append(piece)
            continue
        if len(run) > 1:
            joined = "".join(word for word, _ in run)
            guessed.extend(_hmm_words(tokenizer, joined, with_pos))
        else:
            guessed.extend(run)
        run = []
        if piece[0]:
            guessed.append(piece)
    return guessed


def _hmm_words(tokenizer: Any, run: str, with_pos: bool) -> list[Piece]:
    """Words jieba's character HMM finds in a run. Tags come from the dictionary, and a
    new two- or three-character word starting with a surname is taken for a name (nr):
    jieba's own POS HMM does that too, but ten times slower."""
    from jieba import finalseg

    words = finalseg.cut(run)
    if not with_pos:
        return [(word, "") for word in words]
    return [(word, _guess_tag(tokenizer, word)) for word in words]


def _guess_tag(tokenizer: Any, word: str) -> str:
    known: str | None = tokenizer.word_tag_tab.get(word)
    if known:
        return known
    if 2 <= len(word) <= 3 and word[0] in _projected_surnames():
        return "nr"
    return "x"


@cache
def _projected_surnames() -> frozenset[str]:
    return frozenset(project(name) for name in surnames() if len(name) == 1)


def _is_content_char(char: str) -> bool:
    return bool(HAN.match(char)) and char not in _function_chars()


@cache
def _function_chars() -> frozenset[str]:
    lines = _data_text("function_chars.txt").splitlines()
    return frozenset(
        project("".join("".join(line.split()) for line in lines if not line.startswith("#")))
    )


def _data_text(name: str) -> str:
    return resources.files(__package__).joinpath("segment_data").joinpath(name).read_text("utf-8")


def _split_whitespace(text: str, start: int, end: int, pos: str) -> list[tuple[int, int, str]]:
    return [
        (start + match.start(), start + match.end(), pos)
        for match in NON_SPACE.finditer(text[start:end])
    ]


def _append_joining_runs(
    words: list[tuple[int, int, str]], word: tuple[int, int, str], text: str
) -> None:
    """Append `word`, joining runs of one repeated symbol (……, ——) into one token."""
    start, end, _ = word
    if words and end - start == 1 and not text[start].isalnum():
        last_start, last_end, last_pos = words[-1]
        if last_end == start and set(text[last_start:last_end]) == {text[start]}:
            words[-1] = (last_start, end, last_pos)
            return
    words.append(word)


def segment_words(
    text: str, user_dict: str | Path | None = None, lexicon: str = "default", hmm: str = "content"
) -> list[str]:
    """Words of `text` (whitespace dropped), cut as the segment stage cuts them."""
    cuts = cut_words(text, with_pos=False, user_dict=user_dict, lexicon=lexicon, hmm=hmm)
    return [text[start:end] for start, end, _ in cuts]


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
def make_segment_stage(
    pos: bool = True, user_dict: str | None = None, lexicon: str = "default", hmm: str = "content"
) -> Stage:
    """Sentences per paragraph, and word tokens (with jieba POS tags when `pos`)."""

    def segment(doc: Doc) -> None:
        sentences: list[Span] = []
        for paragraph in doc.paragraphs:
            for start, end in split_sentences(doc.text, paragraph["start"], paragraph["end"]):
                sentences.append({"start": start, "end": end})
        doc.sentences = sentences
        cuts = cut_words(doc.text, with_pos=pos, user_dict=user_dict, lexicon=lexicon, hmm=hmm)
        doc.tokens = [doc.span(start, end, pos=tag) for start, end, tag in cuts]

    return segment
