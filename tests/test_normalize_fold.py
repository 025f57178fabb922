"""Character folding: one table lookup per character, the same as folding one by one."""

from __future__ import annotations

import unicodedata

from zhextract.stages.normalize import (
    DROPPED_CHARS,
    SPACE_CHARS,
    _drop_stray_spaces,
    _fold_characters,
)


def fold_one_by_one(raw: str) -> tuple[str, list[int]]:
    """The rule spelled out: drop invisible characters, make spaces plain (an ideographic
    space stays), and fold full-width letters, digits, a few symbols and compatibility
    ideographs by NFKC where that gives one character."""
    chars, offsets = [], []
    for offset, char in enumerate(raw):
        if char in DROPPED_CHARS:
            continue
        if char in SPACE_CHARS:
            char = char if char == "\u3000" else " "
        elif folds(char):
            char = unicodedata.normalize("NFKC", char)
        chars.append(char)
        offsets.append(offset)
    return "".join(chars), offsets


def folds(char: str) -> bool:
    full_width = char.isalnum() and 0xFF10 <= ord(char) <= 0xFF5A or char in "％＋－．＄＃＆＠"
    compatibility = 0xF900 <= ord(char) <= 0xFAFF
    return (full_width or compatibility) and len(unicodedata.normalize("NFKC", char)) == 1


def test_every_special_character_folds_as_one_by_one() -> None:
    specials = [chr(code) for code in [*range(0xFF00, 0xFF70), *range(0xF900, 0xFB00)]]
    raw = "".join(specials) + "".join(DROPPED_CHARS) + "".join(SPACE_CHARS) + "a臺\n"
    assert _fold_characters(raw) == fold_one_by_one(raw)


def test_offsets_skip_dropped_characters() -> None:
    folded, offsets = _fold_characters("\ufeffＡ\r\nB\u200b")
    assert folded == "A\nB"
    assert offsets == [1, 3, 4]
    assert _fold_characters("") == ("", [])


def test_stray_spaces() -> None:
    text = " 中 文 ABC  DEF 中\u3000B "
    kept, offsets = _drop_stray_spaces(text, list(range(len(text))))
    assert kept == "中文 ABC DEF 中 B"
    assert offsets == [1, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16]
