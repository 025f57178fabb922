"""The NER model's input: integer features per character, computed with numpy.

Chinese names have no spaces to mark their edges, so the model reads characters. Each
character of the projected text (Simplified, full-width ASCII folded; same length and
offsets, see `segment_lexicon.project`) gets:

* `char`: its row in the model's character vocabulary (0: unknown);
* `shape`: Han, Latin, digit, space or other;
* `bigram`: a hash of the character and the next one;
* `word_tag`: its place in the segment stage's word (S/B/M/E) with that word's POS tag;
* `word`: the word's row in the model's word vocabulary (0: unknown);
* `name`: where it sits (first or later character) in the longest proper name of the
  segment dictionary (person, place, organisation or other name tag) that covers it,
  whatever the cut chose, and that name's tag (0: in none).

Words come from the segment stage's tokens, so the pipeline cuts the text once for
both. Training and prediction both call `encode`, so they always see the same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from ..segment import loaded_word_table
from ..segment_lexicon import project_document

Token = tuple[int, int, str]
COLUMNS = ("char", "shape", "bigram", "word_tag", "word", "name")
SHAPES = ("other", "han", "latin", "digit", "space")
POSITIONS = ("S", "B", "M", "E")
NAME_TAGS = ("nr", "nrfg", "nrt", "ns", "nt", "nz")
LONGEST_NAME = 8
# The character after the last one, for the last bigram.
END_CODE = ord("\n")
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


@dataclass
class Vocabulary:
    """The model's lookup tables: characters, POS tags and words, by row."""

    chars: str
    tags: tuple[str, ...]
    words: tuple[str, ...]
    bigram_rows: int
    # Built from the above: POS tag -> row (a token's word_tag row is row * 4 + position),
    # projected word -> row, and the character code points sorted, with their rows.
    tag_rows: dict[str, int] = field(init=False, repr=False)
    word_rows: dict[str, int] = field(init=False, repr=False)
    _sorted_codes: np.ndarray = field(init=False, repr=False)
    _sorted_rows: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        codes = codes_of(self.chars)
        order = np.argsort(codes, kind="stable")
        self._sorted_codes = codes[order]
        self._sorted_rows = (order + 1).astype(np.int32)
        self.tag_rows = {tag: row for row, tag in enumerate(self.tags)}
        self.word_rows = {word: row + 1 for row, word in enumerate(self.words)}

    @property
    def sizes(self) -> dict[str, int]:
        """Rows per feature column (row 0 of char, word_tag and word is "unknown")."""
        return {
            "char": len(self.chars) + 1,
            "shape": len(SHAPES),
            "bigram": self.bigram_rows,
            "word_tag": len(self.tags) * len(POSITIONS),
            "word": len(self.words) + 1,
            "name": 1 + 2 * len(NAME_TAGS),
        }

    def char_rows(self, codes: np.ndarray) -> np.ndarray:
        found = np.minimum(np.searchsorted(self._sorted_codes, codes), len(self._sorted_codes) - 1)
        return np.where(self._sorted_codes[found] == codes, self._sorted_rows[found], 0)

    def tag_row(self, tag: str) -> int:
        return self.tag_rows.get(tag, 0)


def codes_of(text: str) -> np.ndarray:
    """Unicode code points of `text`, one per character."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def shapes(codes: np.ndarray) -> np.ndarray:
    """The `SHAPES` row of every code point."""
    result = np.zeros(len(codes), dtype=np.int32)
    han = ((codes >= 0x4E00) & (codes < 0xA000)) | ((codes >= 0x3400) & (codes < 0x4DC0))
    han |= codes >= 0x20000
    latin = ((codes | 0x20) >= ord("a")) & ((codes | 0x20) <= ord("z"))
    digit = (codes >= ord("0")) & (codes <= ord("9"))
    space = np.isin(codes, (0x20, 0x09, 0x0A, 0x0D, 0x3000, 0xA0))
    for row, mask in enumerate((han, latin, digit, space), start=1):
        result[mask] = row
    return result


def bigram_rows(codes: np.ndarray, rows: int) -> np.ndarray:
    """A hash of each character with the next (the last pairs with a line break)."""
    first = codes.astype(np.uint64)
    second = np.append(first[1:], np.uint64(END_CODE))
    return _hashed(first * np.uint64(0x110000) + second, rows)


def _hashed(keys: np.ndarray, rows: int) -> np.ndarray:
    mixed = keys * _HASH_MULTIPLIER  # wraps modulo 2**64, as intended
    return ((mixed >> np.uint64(32)) % np.uint64(rows)).astype(np.int32)


@dataclass(frozen=True)
class Words:
    """The segment stage's tokens as columns: start and end offsets (arrays) and tags."""

    starts: np.ndarray
    ends: np.ndarray
    tags: Sequence[str]

    @classmethod
    def of(cls, tokens: Sequence[Token]) -> Words:
        # zip(*) transposes in C, where a generator would yield offset by offset.
        starts, ends, tags = zip(*tokens) if tokens else ((), (), ())
        return cls(np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64), list(tags))


def word_columns(
    projected: str, words: Words, vocabulary: Vocabulary
) -> tuple[np.ndarray, np.ndarray]:
    """Per character: (word_tag row, word row). Characters outside every token are
    single "x" words with no vocabulary row."""
    n = len(projected)
    unknown_tag = vocabulary.tag_row("x") * len(POSITIONS)
    word_tag = np.full(n, unknown_tag, dtype=np.int32)
    word = np.zeros(n, dtype=np.int32)
    if not len(words.starts):
        return word_tag, word
    starts, ends = words.starts, words.ends
    tag_rows, word_rows = vocabulary.tag_rows, vocabulary.word_rows
    tag_column = np.array([tag_rows.get(tag, 0) for tag in words.tags], dtype=np.int32)
    word_column = np.array(
        [
            word_rows.get(projected[start:end], 0)
            for start, end in zip(starts.tolist(), ends.tolist())
        ],
        dtype=np.int32,
    )
    lengths = ends - starts
    index_in_word = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    covered = np.repeat(starts, lengths) + index_in_word
    length_of_word = np.repeat(lengths, lengths)
    position = np.where(
        length_of_word == 1,
        0,
        np.where(index_in_word == 0, 1, np.where(index_in_word == length_of_word - 1, 3, 2)),
    )
    word_tag[covered] = np.repeat(tag_column, lengths) * len(POSITIONS) + position
    word[covered] = np.repeat(word_column, lengths)
    return word_tag, word


_HASH_BASE = np.uint64(0x110003)
_FILTER_BITS = 20
_FILTER_SHIFT = np.uint64(64 - _FILTER_BITS)


def _rolling_hashes(codes: np.ndarray, length: int, shorter: np.ndarray | None) -> np.ndarray:
    """Hashes of every `length`-character substring, from those one character shorter."""
    if shorter is None:
        return codes.astype(np.uint64)
    return shorter[:-1] * _HASH_BASE + codes[length - 1 :].astype(np.uint64)


def _filter_slots(hashes: np.ndarray) -> np.ndarray:
    """Well-mixed top bits of the hashes (short names' raw hashes leave them all zero)."""
    return (hashes * _HASH_MULTIPLIER) >> _FILTER_SHIFT


@cache
def name_lexicon() -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Length -> (sorted hashes, NAME_TAGS index, filter) of the segment dictionary's
    proper names. The filter marks the top bits of every name's hash: a substring whose
    bits are unmarked is no name, and most substrings are ruled out by one lookup
    before any binary search."""
    by_length: dict[int, tuple[list[str], list[int]]] = {}
    for word, tag in loaded_word_table("default", None).tags.items():
        if tag in NAME_TAGS and 2 <= len(word) <= LONGEST_NAME:
            words, tags = by_length.setdefault(len(word), ([], []))
            words.append(word)
            tags.append(NAME_TAGS.index(tag))
    lexicon = {}
    for length, (words, tags) in by_length.items():
        # one row of code points per word, folded as `_rolling_hashes` folds text
        codes = codes_of("".join(words)).reshape(len(words), length).astype(np.uint64)
        hashes = codes[:, 0]
        for column in range(1, length):
            hashes = hashes * _HASH_BASE + codes[:, column]
        order = np.argsort(hashes, kind="stable")
        seen = np.zeros(1 << _FILTER_BITS, dtype=bool)
        seen[_filter_slots(hashes)] = True
        lexicon[length] = (hashes[order], np.array(tags, dtype=np.int32)[order], seen)
    return lexicon


def name_rows(codes: np.ndarray) -> np.ndarray:
    """Per character: 1 + 2 * tag (+1 after the first character) of the longest dictionary
    name covering it; 0 where none does."""
    lexicon = name_lexicon()
    rows = np.zeros(len(codes), dtype=np.int32)
    hashes_by_length = {}
    hashes = None
    for length in range(1, min(LONGEST_NAME, len(codes)) + 1):
        hashes = _rolling_hashes(codes, length, hashes)
        hashes_by_length[length] = hashes
    for length in sorted(hashes_by_length, reverse=True):
        if length not in lexicon:
            continue
        keys, tags, seen = lexicon[length]
        hashes = hashes_by_length[length]
        candidates = np.flatnonzero(seen[_filter_slots(hashes)])
        found = np.minimum(np.searchsorted(keys, hashes[candidates]), len(keys) - 1)
        matched = keys[found] == hashes[candidates]
        starts = candidates[matched]
        tag_rows = 1 + 2 * tags[found[matched]]
        for offset in range(length):
            positions = starts + offset
            free = rows[positions] == 0
            rows[positions[free]] = tag_rows[free] + (offset > 0)
    return rows


def encode(text: str, tokens: Sequence[Token] | Words, vocabulary: Vocabulary) -> np.ndarray:
    """An (len(text), len(COLUMNS)) int32 array of feature rows, in `COLUMNS` order.

    `tokens` are (start, end, pos) words of `text`, as the segment stage cuts them.
    """
    words = tokens if isinstance(tokens, Words) else Words.of(tokens)
    projected = project_document(text)
    codes = codes_of(projected)
    word_tag, word = word_columns(projected, words, vocabulary)
    return np.stack(
        [
            vocabulary.char_rows(codes),
            shapes(codes),
            bigram_rows(codes, vocabulary.bigram_rows),
            word_tag,
            word,
            name_rows(codes),
        ],
        axis=1,
    ).astype(np.int32)
