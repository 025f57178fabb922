"""The one-pass merge of ordered tokens and spans equals the character-by-character one."""

from __future__ import annotations

import random

import pytest

from zhextract.stages.retokenize import _merge_by_character, _merge_in_order, merge_tokens

Cut = tuple[int, int, str]


def ordered_pieces(chance: random.Random, length: int, fill: float, tag: str) -> list[Cut]:
    """Disjoint sorted non-empty pieces of [0, length), about `fill` of it covered."""
    pieces, position = [], 0
    while position < length:
        size = chance.randint(1, 4)
        if chance.random() < fill:
            pieces.append((position, min(position + size, length), f"{tag}{len(pieces)}"))
        position += size
    return pieces


@pytest.mark.parametrize("seed", range(300))
def test_in_order_merge_equals_character_merge(seed: int) -> None:
    chance = random.Random(seed)
    length = chance.randint(1, 40)
    tokens = ordered_pieces(chance, length, 0.9, "t")
    spans = ordered_pieces(chance, length, 0.3, "S")
    expected = _merge_by_character(length, tokens, spans)
    assert _merge_in_order(tokens, spans) == expected
    assert merge_tokens(length, tokens, spans) == expected


def test_unordered_input_takes_the_character_merge() -> None:
    overlapping = [(0, 3, "a"), (2, 4, "b")]
    empty_span = [(1, 1, "S")]
    assert merge_tokens(4, overlapping, []) == _merge_by_character(4, overlapping, [])
    assert merge_tokens(4, [(0, 4, "a")], empty_span) == [(0, 1, "a"), (1, 4, "a")]
