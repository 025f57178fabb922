"""The noun a figure counts: `100萬就業機會` counts 就業機會, `共機27架次` counts 共機.

Read off the words (jieba tokens: start, end, part of speech) right after the figure, or,
when no noun follows a count, the common nouns written just before it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .numbers import numeral_chars
from .patterns import tables

Token = tuple[int, int, str]  # start, end, part of speech
NOUN_TAGS = ("n", "vn", "eng", "j", "nz", "nt", "ns", "ng", "l")
MODIFIER_TAGS = ("v", "vn", "b", "a")
COMMON_NOUN_TAGS = ("n", "ng")
NUMERAL_TAGS = (
    "m",
    "mq",
    "q",
    "t",
)  # jieba: numerals, measure words, times  # 美國27架 does not count 美國, nor 合計 (vn) in 合計27架
HEAD_NOUN_CHARS = 4
NUMERAL_CHARS = numeral_chars()
FRACTION_OF = "的"


def is_fraction(numeral: str) -> bool:
    """五分之一, 1/3, 3又1/2."""
    return "分之" in numeral or "/" in numeral or "／" in numeral


@dataclass(frozen=True)
class TokenIndex:
    """Tokens with the index of the token starting or ending at each offset."""

    tokens: Sequence[Token]
    starts: dict[int, int]
    ends: dict[int, int]
    first_offsets: list[int]  # each token's start, in order (tokens are in text order)

    @classmethod
    def of(cls, tokens: Sequence[Token]) -> TokenIndex:
        starts = {start: index for index, (start, _, _) in enumerate(tokens)}
        ends = {end: index for index, (_, end, _) in enumerate(tokens)}
        return cls(tokens, starts, ends, [start for start, _, _ in tokens])

    def word_across(self, offset: int) -> Token | None:
        """The word (not a numeral, measure or time word) running across `offset`, if any."""
        index = bisect_right(self.first_offsets, offset) - 1
        if index < 0:
            return None
        token = self.tokens[index]
        inside = token[0] < offset < token[1]
        return token if inside and token[2] not in NUMERAL_TAGS else None


def counted_noun(
    figure: dict[str, Any], groups: dict[str, Any], text: str, words: TokenIndex
) -> str | None:
    """The counted noun of a CARDINAL or classifier QUANTITY figure, else None."""
    if not _countable(figure, groups):
        return None
    found = None
    end = figure["end"]
    if is_fraction(groups["num"]) and text.startswith(FRACTION_OF, end):
        end += len(FRACTION_OF)  # 三分之一的人口 is a third of the population
    if not _counted_only_before(groups):
        found = _counted(end, text, words.tokens, words.starts)
    if found is None and figure["label"] == "QUANTITY":
        found = _counted_before(figure["start"], text, words.tokens, words.ends)
    return found


def _countable(figure: dict[str, Any], groups: dict[str, Any]) -> bool:
    unit_word = tables().units.get(groups["unit"] or "")
    if unit_word is not None and unit_word.self_counting:
        return False
    return figure["label"] == "CARDINAL" or (
        figure["label"] == "QUANTITY" and unit_word is not None and unit_word.kind == "classifier"
    )


def _counted(
    end: int, text: str, tokens: Sequence[Token], token_starts: dict[int, int]
) -> str | None:
    """The noun being counted, read from the words right after the figure."""
    index = token_starts.get(end)
    if index is None:
        return None
    run = _noun_run(tokens, index, text)
    if not run:
        return None
    # Keep the head noun with one modifier: 海警局巡邏船 counts 巡邏船.
    head = run if run[-1][1] - run[0][0] <= HEAD_NOUN_CHARS else run[-2:]
    return "".join(text[head[0][0] : head[-1][1]].split())


def _counted_only_before(groups: dict[str, Any]) -> bool:
    unit_word = tables().units.get(groups["unit"] or "")
    return unit_word is not None and unit_word.counted_before


def _counted_before(
    start: int, text: str, tokens: Sequence[Token], token_ends: dict[int, int]
) -> str | None:
    """共機27架, 公務船2艘: with no noun after it, a count names the nouns just before it."""
    index = token_ends.get(start)
    first = start
    while index is not None and index >= 0:
        token = tokens[index]
        adjacent = token[1] == first and start - token[0] <= HEAD_NOUN_CHARS
        if not adjacent or not _plain_noun(token, text):
            break
        first, index = token[0], index - 1
    return text[first:start] if first < start else None


def _plain_noun(token: Token, text: str) -> bool:
    """A common noun, or an unknown Chinese word (jieba tags those x)."""
    word, pos = text[token[0] : token[1]], token[2]
    if pos == "x":
        return len(word) >= 2 and all("\u4e00" <= char <= "\u9fff" for char in word)
    return pos in COMMON_NOUN_TAGS and _is_noun(token, text)


def _noun_run(tokens: Sequence[Token], index: int, text: str) -> list[Token]:
    """Noun words in a row (a verb or adjective may modify a following noun)."""
    run: list[Token] = []
    while index < len(tokens):
        token = tokens[index]
        if run and text[run[-1][1] : token[0]].strip():
            break
        if _is_noun(token, text) and not (run and token[2] == "vn"):
            run.append(token)  # a verbal noun after a noun is the predicate: 集團競爭
        elif token[2].startswith(MODIFIER_TAGS) and index + 1 < len(tokens):
            if not _is_noun(tokens[index + 1], text):
                break
            run.append(token)
        else:
            break
        index += 1
    while run and not _is_noun(run[-1], text):
        run.pop()
    return run


def _is_noun(token: Token, text: str) -> bool:
    start, end, pos = token
    word = text[start:end]
    if not word.strip() or any(char.isdigit() or char in NUMERAL_CHARS for char in word):
        return False
    return pos.startswith(NOUN_TAGS) and pos not in ("nr", "nrt", "nrfg")
