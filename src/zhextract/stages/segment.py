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
The cut itself is jieba's (most probable route through the dictionary, then the
HMM where said), computed on a table built once per dictionary (`WordTable`), which
gives jieba's cuts exactly (tests/test_segment_route.py) several times faster.
Word F1: `python -m zhextract.eval seg`.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..data import surnames
from ..doc import Doc, Span, trimmed_span
from ..registry import Stage, register_stage
from .segment_lexicon import (
    WordTable,
    dictionary_path,
    project,
    project_document,
    to_simplified,
    word_table,
)

__all__ = ["cut_words", "segment_words", "split_sentences", "to_simplified"]

SENTENCE_END = re.compile(r"[。！？!?…]+[」』”’）)]*|\n+")
NON_SPACE = re.compile(r"\S+")
HAN_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF))  # CJK ext. A, unified, compatibility
SPACE = re.compile(r"\s")
NOT_A_PREFIX = object()  # a table lookup's answer: no dictionary word begins so
HMM_MODES = ("off", "content", "all")
# The word blocks jieba cuts with its dictionary (posseg's, and plain jieba.cut's), and
# the whitespace it passes through between them; everything else goes one by one.
POS_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._]+)")
PLAIN_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+)")
SKIPPED = re.compile(r"(\r\n|\s)")
ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
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
def _jieba_tokenizer(lexicon: str, user_dict: str | None) -> Any:
    """A jieba tokenizer on the built dictionary, with the user's words added: the
    segmenter's own table is read from it when there are user words (jieba works out
    their frequencies), and jieba's POS HMM runs on it in the "all" mode."""
    jieba = _quiet_jieba()
    dictionary = dictionary_path(lexicon)
    tokenizer = jieba.Tokenizer(dictionary=str(dictionary))
    # jieba caches its parsed dictionary; keep that cache beside ours, not in /tmp.
    tokenizer.tmp_dir = str(dictionary.parent)
    tokenizer.initialize()
    for word, frequency, tag in _user_words(user_dict):
        tokenizer.add_word(word, frequency, tag)
    return tokenizer


@cache
def _posseg_tokenizer(lexicon: str, user_dict: str | None) -> Any:
    """jieba's POS tokenizer, for the "all" HMM mode only: importing `jieba.posseg`
    loads jieba's own tag table, a second or so that the other modes skip."""
    import jieba.posseg

    pos_tokenizer = jieba.posseg.POSTokenizer(_jieba_tokenizer(lexicon, user_dict))
    pos_tokenizer.word_tag_tab.update(_user_tags(user_dict))
    return pos_tokenizer


@cache
def loaded_word_table(lexicon: str, user_dict: str | None) -> WordTable:
    """The word table the segment stage cuts with, read once per process (pass both
    arguments, by position: the cache keys on them as given)."""
    table = word_table(lexicon)
    if user_dict is None:
        return table
    tokenizer = _jieba_tokenizer(lexicon, user_dict)
    tags = {**table.tags, **_user_tags(user_dict)}
    return WordTable.from_frequencies(tokenizer.FREQ, tokenizer.total, tags)


def _user_words(user_dict: str | None) -> list[tuple[str, int | None, str | None]]:
    """A jieba-format word list ("word [frequency] [tag]" lines), Traditional or not,
    as projected (word, frequency, tag)."""
    if user_dict is None:
        return []
    words = []
    for line in Path(user_dict).read_text(encoding="utf-8-sig").splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        frequency = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None
        tag = fields[-1] if len(fields) > 1 and not fields[-1].isdigit() else None
        words.append((project(fields[0]), frequency, tag))
    return words


def _user_tags(user_dict: str | None) -> dict[str, str]:
    return {word: tag for word, _, tag in _user_words(user_dict) if tag}


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
    user_dict = None if user_dict is None else str(user_dict)
    projected = project_document(text)
    if hmm == "all":
        # posseg's HMM cuts differently from plain jieba's, so guesses go through posseg.
        pos_tokenizer = _posseg_tokenizer(lexicon, user_dict)
        pieces = [
            (pair.word, pair.flag if with_pos else "") for pair in pos_tokenizer.cut(projected)
        ]
    else:
        table = loaded_word_table(lexicon, user_dict)
        pieces = _dictionary_pieces(table, projected, with_pos)
        if hmm == "content":
            pieces = _guess_in_content_runs(table, pieces, with_pos)
    return _split_classifiers(_join_numbers(_placed_words(text, pieces), projected), projected)


def _placed_words(text: str, pieces: list[Piece]) -> list[tuple[int, int, str]]:
    """The pieces as (start, end, pos) in `text`, whitespace dropped and runs of one
    repeated symbol joined."""
    words: list[tuple[int, int, str]] = []
    spaces = [match.start() for match in SPACE.finditer(text)]
    spaces.append(len(text))  # a sentinel: no whitespace left
    next_space = 0
    position = 0
    for piece, pos in pieces:
        start, position = position, position + len(piece)
        while spaces[next_space] < start:
            next_space += 1
        if spaces[next_space] < position:  # rare: a piece holding whitespace
            words.extend(_split_whitespace(text, start, position, pos))
        else:
            words.append((start, position, pos))
    return _join_symbol_runs(words, text)


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
    split_at = [
        index
        for index, (start, end, _) in enumerate(words)
        if end - start > 1 and projected[start] in prefixes
        if projected[start + 1 : end] in classifiers
    ]
    if not split_at:
        return words
    cut: list[tuple[int, int, str]] = []
    done = 0
    for index in split_at:
        start, end, pos = words[index]
        cut.extend(words[done:index])
        cut.append((start, start + 1, prefixes[projected[start]] if pos else ""))
        cut.append((start + 1, end, "q" if pos else ""))
        done = index + 1
    cut.extend(words[done:])
    return cut


@cache
def _joined_pattern() -> re.Pattern[str]:
    lines = _data_text("joined_patterns.txt").splitlines()
    patterns = [line for line in lines if line.strip() and not line.startswith("#")]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _join_numbers(words: list[tuple[int, int, str]], projected: str) -> list[tuple[int, int, str]]:
    """Join the tokens of a decimal or percentage ("3.5", "5%") into one numeral token."""
    matches = [(match.start(), match.end()) for match in _joined_pattern().finditer(projected)]
    if not matches:
        return words
    starts = [start for start, _, _ in words]
    joined: list[tuple[int, int, str]] = []
    done = 0  # words before this index are placed
    for start, end in matches:
        first = bisect.bisect_left(starts, start, done)
        if first == len(words) or starts[first] != start:
            continue  # the match does not begin at a token
        last = _last_token_ending_at(words, first, end)
        if last > first:
            joined.extend(words[done:first])
            joined.append((start, words[last][1], "m"))
            done = last + 1
    joined.extend(words[done:])
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


def _dictionary_pieces(table: WordTable, projected: str, with_pos: bool) -> list[Piece]:
    """jieba's cut without its HMM (posseg's when `with_pos`, else plain `jieba.cut`),
    computed on our own table: same blocks, same best route, same tags."""
    blocks = (POS_BLOCK if with_pos else PLAIN_BLOCK).split(projected)
    other_tag = "x" if with_pos else ""
    pieces: list[Piece] = []
    for index, block in enumerate(blocks):
        if index % 2:  # split() puts the captured word blocks at odd indexes
            _add_block_pieces(pieces, table, block, with_pos)
        elif len(block) == 1:  # mostly punctuation between blocks
            pieces.append((block, other_tag))
        elif block:
            for part in SKIPPED.split(block):
                if SKIPPED.match(part):
                    pieces.append((part, other_tag))
                else:
                    pieces.extend((char, other_tag) for char in part)
    return pieces


def _add_block_pieces(pieces: list[Piece], table: WordTable, block: str, with_pos: bool) -> None:
    """The route's words, single ASCII letters and digits joined into one "eng" word."""
    tag_of = table.tags.get
    ends = _route_ends(table, block)
    latin_start = -1  # where the current run of single ASCII characters began
    start = 0
    while start < len(block):
        end = ends[start]
        if end - start == 1 and block[start] in ASCII_ALNUM:
            if latin_start < 0:
                latin_start = start
        else:
            if latin_start >= 0:
                pieces.append((block[latin_start:start], "eng" if with_pos else ""))
                latin_start = -1
            word = block[start:end]
            pieces.append((word, tag_of(word, "x") if with_pos else ""))
        start = end
    if latin_start >= 0:
        pieces.append((block[latin_start:], "eng" if with_pos else ""))


def _route_ends(table: WordTable, block: str) -> list[int]:
    """jieba's most probable route through `block`, worked from the end: at each start
    the best of its dictionary words (a tie goes to the longer word), or the single
    character when no word starts there. ends[i] is where the word starting at i ends."""
    score_of: Callable[[str, object], Any] = table.scores.get
    length = len(block)
    best = [0.0] * (length + 1)  # best[i]: the score of the best route through block[i:]
    ends = [0] * length  # ends[i]: where the first word of that route ends
    for start in range(length - 1, -1, -1):
        top = -math.inf
        top_end = end = start + 1
        score = score_of(block[start], NOT_A_PREFIX)
        while score is not NOT_A_PREFIX:
            if score is not None:
                total = score + best[end]
                if total >= top:
                    top, top_end = total, end
            if end == length:
                break
            end += 1
            score = score_of(block[start:end], NOT_A_PREFIX)
        if top == -math.inf:  # no dictionary word starts here: the character alone
            top = table.unknown + best[start + 1]
        best[start] = top
        ends[start] = top_end
    return ends


def _guess_in_content_runs(table: WordTable, pieces: list[Piece], with_pos: bool) -> list[Piece]:
    """Re-cut each run of two or more single content characters with jieba's HMM."""
    content_chars = _content_chars()
    singles = [index for index, (word, _) in enumerate(pieces) if word in content_chars]
    guessed: list[Piece] = []
    done = 0  # pieces before this index are placed
    run_start = run_end = -2  # the current run of consecutive singles, inclusive
    for index in [*singles, -2]:  # -2: a last index that ends any run
        if index == run_end + 1:
            run_end = index
            continue
        if run_end > run_start:
            joined = "".join(word for word, _ in pieces[run_start : run_end + 1])
            guessed.extend(pieces[done:run_start])
            guessed.extend(_hmm_words(table, joined, with_pos))
            done = run_end + 1
        run_start = run_end = index
    guessed.extend(pieces[done:])
    return guessed


def _hmm_words(table: WordTable, run: str, with_pos: bool) -> list[Piece]:
    """Words jieba's character HMM finds in a run. Tags come from the dictionary, and a
    new two- or three-character word starting with a surname is taken for a name (nr):
    jieba's own POS HMM does that too, but ten times slower."""
    from .segment_hmm import hmm_cut  # loads jieba's HMM tables: only when a run needs them

    words = hmm_cut(run)
    if not with_pos:
        return [(word, "") for word in words]
    return [(word, _guess_tag(table, word)) for word in words]


def _guess_tag(table: WordTable, word: str) -> str:
    known = table.tags.get(word)
    if known:
        return known
    if 2 <= len(word) <= 3 and word[0] in _projected_surnames():
        return "nr"
    return "x"


@cache
def _projected_surnames() -> frozenset[str]:
    return frozenset(project(name) for name in surnames() if len(name) == 1)


@cache
def _content_chars() -> frozenset[str]:
    """Every Han character (see `HAN_RANGES`) that is no function character."""
    han = (chr(code) for start, end in HAN_RANGES for code in range(start, end + 1))
    return frozenset(han) - _function_chars()


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


def _join_symbol_runs(words: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """Join runs of one repeated symbol (……, ——) into one token: a single-character
    symbol joins the token before it when that token touches it and is made of the same
    symbol only. Whether the last token is such a run is kept as it grows, so each
    token's characters are looked at once (a run of 100,000 dashes stays linear)."""
    joined: list[tuple[int, int, str]] = []
    last_run_of = ""  # the symbol the last joined token repeats, or "" when it is none
    for start, end, pos in words:
        char = text[start]
        single_symbol = end - start == 1 and not char.isalnum()
        if single_symbol and last_run_of == char and joined[-1][1] == start:
            joined[-1] = (joined[-1][0], end, joined[-1][2])
            continue
        joined.append((start, end, pos))
        last_run_of = char if text.count(char, start, end) == end - start else ""
    return joined


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
    return [trimmed for span in spans if (trimmed := trimmed_span(text, *span))]


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
        doc.set_tokens(
            cut_words(doc.text, with_pos=pos, user_dict=user_dict, lexicon=lexicon, hmm=hmm)
        )

    return segment
