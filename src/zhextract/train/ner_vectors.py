"""Static character vectors for the NER model, computed from the segment dictionary.

A character's vector summarises how it is used inside the words of the segment
stage's dictionary (jieba's 350,000 words with our Taiwan/Hong Kong forms): how often it starts, continues or ends a word, or stands alone, for each
part of speech (person name, place name, organisation, ...). Surname characters,
the characters of transliterated names and the suffixes of place and organisation
names thus get similar vectors even when the NER training data never shows them.
The profiles are log-scaled, L2-normalised and reduced by PCA. Nothing but that
dictionary (jieba: MIT; OpenCC data: Apache-2.0; our word lists) goes in, so the
vectors are rebuilt exactly at every training. Keys are projected characters
(`segment_lexicon.project`), as the model's features read them.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..stages.segment import loaded_word_table

POSITIONS = ("S", "B", "M", "E")
# Tags with fewer dictionary words than this share one "other" column.
MIN_TAG_WORDS = 1000


def char_profiles() -> dict[str, np.ndarray]:
    """Projected character -> counts of (position, tag) over the dictionary's words."""
    words = loaded_word_table("default", None).tags
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
        for index, char in enumerate(word):
            position = _position(index, len(word))
            counts = profiles.setdefault(char, np.zeros(len(column), dtype=np.float64))
            counts[column[(position, tag)]] += 1
    return profiles


def _position(index: int, length: int) -> str:
    if length == 1:
        return "S"
    return "B" if index == 0 else "E" if index == length - 1 else "M"


def char_vectors(width: int) -> dict[str, np.ndarray]:
    """Projected character -> its `width`-dim vector (float32)."""
    profiles = char_profiles()
    chars = sorted(profiles)
    counts = np.stack([profiles[char] for char in chars])
    matrix = np.log1p(counts)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    # How many words a character is in: the profile alone cannot tell 國 from a rare character.
    frequency = np.log1p(counts.sum(axis=1, keepdims=True))
    matrix = np.hstack([matrix, frequency / frequency.max()])
    matrix -= matrix.mean(axis=0)
    _, _, components = np.linalg.svd(matrix, full_matrices=False)
    reduced = matrix @ components[:width].T
    reduced /= reduced.std()
    return dict(zip(chars, reduced.astype(np.float32)))
