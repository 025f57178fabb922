"""Static character vectors for the NER model, computed from jieba's dictionary.

A character's vector summarises how it is used inside jieba's 350,000 dictionary
words: how often it starts, continues or ends a word, or stands alone, for each
part of speech (person name, place name, organisation, ...). Surname characters,
the characters of transliterated names and the suffixes of place and organisation
names thus get similar vectors even when the NER training data never shows them.
The profiles are log-scaled, L2-normalised and reduced by PCA. Nothing but jieba's
dictionary (MIT licence) goes in, so the vectors are rebuilt exactly at every training.
Keys are Traditional and Simplified characters (a token's ORTH).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import spacy
from spacy.vectors import Vectors

from ..stages.ner.features import dictionary_tags
from ..stages.segment import to_simplified

POSITIONS = ("S", "B", "M", "E")
# Tags with fewer dictionary words than this share one "other" column.
MIN_TAG_WORDS = 1000
CJK = range(0x4E00, 0xA000)


def char_profiles() -> dict[str, np.ndarray]:
    """Simplified character -> counts of (position, tag) over jieba's dictionary words."""
    words = dictionary_tags()
    tag_sizes = Counter(words.values())
    tags = sorted(tag for tag, size in tag_sizes.items() if size >= MIN_TAG_WORDS) + ["other"]
    column = {
        (position, tag): index
        for index, (position, tag) in enumerate(
            (position, tag) for position in POSITIONS for tag in tags
        )
    }
    profiles: dict[str, np.ndarray] = {}
    for word, tag in words.items():
        tag = tag if tag in tags else "other"
        # jieba has some Traditional words too; 國 must share 国's profile, not own a rare one.
        for index, char in enumerate(to_simplified(word)):
            position = _position(index, len(word))
            counts = profiles.setdefault(char, np.zeros(len(column), dtype=np.float64))
            counts[column[(position, tag)]] += 1
    return profiles


def _position(index: int, length: int) -> str:
    if length == 1:
        return "S"
    return "B" if index == 0 else "E" if index == length - 1 else "M"


def char_vectors(width: int) -> tuple[list[str], np.ndarray]:
    """Characters (Traditional and Simplified forms) and their `width`-dim vectors."""
    profiles = char_profiles()
    simplified = sorted(profiles)
    counts = np.stack([profiles[char] for char in simplified])
    matrix = np.log1p(counts)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    # How many words a character is in: the profile alone cannot tell 國 from a rare character.
    frequency = np.log1p(counts.sum(axis=1, keepdims=True))
    matrix = np.hstack([matrix, frequency / frequency.max()])
    matrix -= matrix.mean(axis=0)
    _, _, components = np.linalg.svd(matrix, full_matrices=False)
    reduced = matrix @ components[:width].T
    reduced /= reduced.std()
    row = {char: index for index, char in enumerate(simplified)}
    for char in map(chr, CJK):  # Traditional forms share their Simplified form's vector
        if char not in row and to_simplified(char) in row:
            row[char] = row[to_simplified(char)]
    keys = sorted(row)
    return keys, reduced[[row[char] for char in keys]].astype(np.float32)


def save_vectors(path: Path, width: int) -> int:
    """Write a blank Chinese pipeline holding the character vectors; returns their count."""
    nlp = spacy.blank("zh")
    keys, data = char_vectors(width)
    nlp.vocab.vectors = Vectors(
        strings=nlp.vocab.strings, data=data, keys=[nlp.vocab.strings.add(k) for k in keys]
    )
    nlp.vocab.vectors.name = "zhextract_jieba_char_profiles"
    path.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return len(keys)
